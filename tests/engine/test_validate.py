"""The framework validator: errors stop scoring, warnings report the document's own inconsistencies."""

import pytest
from pydantic import ValidationError

from dti.engine import load_framework
from dti.engine.validate import validate_framework

from .helpers import AB, field, framework, leaf

YES = {"kind": "yes_no", "field": "c"}
C = [field("c", "yes_no")]


def report(fw):
    return validate_framework(load_framework(fw))


def errors(fw):
    return [(e["code"], e["message"]) for e in report(fw)["errors"]]


def warnings(fw):
    return [(w["code"], w["message"]) for w in report(fw)["warnings"]]


def test_validate_clean_framework_reports_levels():
    fw = framework([{"code": "1", "name": "Nhận thức số", "max_points": 20, "children": [
        leaf("1.1", YES, C), leaf("1.2", {"kind": "ratio", "value": "a / b"}, AB)]}],
        levels=[{"code": "so", "name": "Sở", "declared_total": 20, "declared_indicators": 2, "declared_pillars": 1}])
    assert report(fw) == {
        "framework": "thu-nghiem",
        "levels": {"so": {"max_total": 20.0, "indicators": 2, "pillars": 1}},
        "errors": [],
        "warnings": [],
    }


def test_validate_unknown_variable_is_an_error():
    assert errors(framework([leaf("1", {"kind": "ratio", "value": "a / c"}, AB)])) == [
        ("1", "biểu thức 'a / c' dùng biến 'c' chưa khai báo trong inputs")]


def test_validate_unknown_rule_field_is_an_error():
    assert errors(framework([leaf("1", {"kind": "yes_no", "field": "d"}, C)])) == [
        ("1", "quy tắc dùng biến 'd' chưa khai báo trong inputs")]


def test_validate_unknown_general_information_is_an_error():
    assert errors(framework([leaf("1", {"kind": "ratio", "value": "a / info.khong_co"}, AB)])) == [
        ("1", "biểu thức 'a / info.khong_co' dùng biến 'info.khong_co' chưa khai báo trong inputs")]


def test_validate_duplicate_codes_are_an_error():
    assert ("1", "mã chỉ số bị trùng") in errors(framework([leaf("1", YES, C), leaf("1", YES, C)]))


def test_validate_duplicate_fields_are_an_error():
    assert errors(framework([leaf("1", YES, [field("c", "yes_no"), field("c", "yes_no")])])) == [
        ("1", "trường '1.c' bị khai báo hai lần")]


def test_validate_unknown_level_is_an_error():
    assert errors(framework([leaf("1", YES, C, levels=["tinh"])]))[0] == (
        "1", "cấp 'tinh' không có trong danh sách cấp của bộ chỉ số")
    assert errors(framework([leaf("1", YES, C, max_points={"so": 5, "tinh": 5})])) == [
        ("1", "điểm tối đa ghi cho cấp 'tinh' không tồn tại")]


def test_validate_unknown_choice_option_is_an_error():
    fw = framework([leaf("1", {"kind": "choice", "field": "c", "scores": [{"option": "giam_doc", "share": 1}]},
                         [field("c", "choice", options=[{"value": "pho_giam_doc", "label": "Phó giám đốc"}])])])
    assert errors(fw) == [("1", "lựa chọn 'giam_doc' không có trong options")]


def test_validate_choice_rule_on_a_non_choice_field_is_an_error():
    fw = framework([leaf("1", {"kind": "choice", "field": "c", "scores": [{"option": "x", "share": 1}]}, C)])
    assert errors(fw) == [("1", "quy tắc choice cần trường 'c' kiểu choice")]


def test_validate_leaf_without_rule_is_an_error():
    fw = framework([{"code": "1", "name": "Chưa có cách tính", "max_points": 5}])
    assert errors(fw) == [("1", "chỉ số lá phải có 'rule' (cách tính điểm) hoặc 'maturity' (ngưỡng mức độ)")]


def test_validate_missing_maximum_is_an_error():
    assert errors(framework([leaf("1", YES, C, max_points=None)])) == [
        ("1", "thiếu điểm tối đa (max_points) cho cấp 'so'")]


def test_validate_kpi_needs_no_maximum():
    assert errors(framework([leaf("1", {"kind": "kpi", "value": "a"}, [field("a")], max_points=None)])) == []


def test_validate_parent_with_inputs_is_an_error():
    fw = framework([{"code": "1", "name": "Cha", "inputs": [field("a")], "children": [leaf("1.1", YES, C)]}])
    assert errors(fw) == [("1", "chỉ số cha không nhập liệu; đặt trường nhập ở chỉ số con")]


def test_validate_unsafe_expression_is_an_error():
    fw = framework([leaf("1", {"kind": "ratio", "value": "__import__('os').getcwd()"}, AB)])
    assert "chỉ được dùng số, biến" in errors(fw)[0][1]


def test_validate_children_not_adding_up_to_printed_max_is_a_warning():
    fw = framework([{"code": "1", "name": "Cha", "max_points": 25, "children": [leaf("1.1", YES, C)]}])
    assert warnings(fw) == [("1", "điểm tối đa ghi 25 nhưng các chỉ số con cộng lại được 10")]


def test_validate_children_check_per_level():
    fw = framework([{"code": "1", "name": "Cha", "max_points": {"huyen": 20, "xa": 10}, "children": [
        leaf("1.1", YES, C, max_points={"huyen": 20, "xa": 5})]}],
        levels=[{"code": "huyen", "name": "Huyện"}, {"code": "xa", "name": "Xã"}])
    assert warnings(fw) == [("1", "điểm tối đa ghi 10 nhưng các chỉ số con cộng lại được 5 (cấp xa)")]


def test_validate_declared_totals_are_checked_as_warnings():
    fw = framework([leaf("1", YES, C)],
                   levels=[{"code": "so", "name": "Sở", "declared_total": 30, "declared_indicators": 2,
                            "declared_pillars": 2}])
    assert warnings(fw) == [
        ("level:so", "tổng điểm tối đa cấp 'so' theo văn bản là 30 nhưng các chỉ số cộng lại được 10"),
        ("level:so", "văn bản ghi 2 chỉ số thành phần cho cấp 'so' nhưng bảng có 1"),
        ("level:so", "văn bản ghi 2 chỉ số chính cho cấp 'so' nhưng bảng có 1"),
    ]


def test_validate_step_above_max_is_a_warning():
    fw = framework([leaf("1", {"kind": "steps", "value": "a", "steps": [{"when": ">= 1", "points": 15}]}, [field("a")])])
    assert warnings(fw) == [("1", "mức '>= 1' cho 15 điểm, lớn hơn điểm tối đa 10 (khi chấm sẽ tính tối đa 10)")]


def test_validate_parts_above_max_is_a_warning():
    fw = framework([leaf("1", {"kind": "parts", "parts": [
        {"label": "A", "points": 6, "rule": YES}, {"label": "B", "points": 6, "rule": YES}]}, C)])
    assert warnings(fw) == [("1", "các phần cộng lại 12 điểm, vượt điểm tối đa 10")]


def test_validate_per_item_above_max_is_a_warning():
    fw = framework([leaf("1", {"kind": "count", "value": "a", "per_item": 12}, [field("a")])])
    assert warnings(fw)[0][0] == "1"


def test_validate_falling_maturity_threshold_is_a_warning():
    fw = framework([{"code": "1", "name": "Tiêu chí", "inputs": [field("p", "percent")], "maturity": {
        "field": "p", "levels": [{"when": ">= 60"}, {"when": ">= 50"}]}}],
        scored=False, maturity_levels=[{"level": 1, "name": "Khởi động"}, {"level": 2, "name": "Kết nối"}])
    assert warnings(fw) == [("1", "ngưỡng mức 2 (50) thấp hơn ngưỡng mức 1 (60)")]


@pytest.mark.parametrize(("change", "match"), [
    ({"code": "Không Hợp Lệ"}, "code"),
    ({"levels": []}, "levels"),
    ({"indicators": [leaf("1", {"kind": "ratio"}, AB)]}, "value"),
    ({"indicators": [leaf("1", {"kind": "unknown"}, AB)]}, "kind"),
    ({"indicators": [leaf("1", YES, [field("Bad-Var")])]}, "chữ thường"),
    ({"indicators": [leaf("1", YES, [field("c", "choice")])]}, "options"),
    ({"indicators": [leaf("1", YES, C)], "extra_key": 1}, "extra"),
    ({"indicators": [{"code": "1", "name": "x", "rule": YES, "children": [leaf("1.1", YES, C)]}]}, "tổng các chỉ số con"),
])
def test_validate_shape_errors_are_refused_by_the_model(change, match):
    with pytest.raises(ValidationError, match=match):
        load_framework(framework([leaf("1", YES, C)]) | change)


def test_rule_on_a_field_of_the_wrong_type_is_an_error():
    from dti.engine import load_framework
    from dti.engine.validate import validate_framework

    framework = load_framework({
        "code": "sai-kieu", "name": "x", "source": {"document": "x"}, "year": 2024,
        "levels": [{"code": "so", "name": "Sở"}],
        "indicators": [{"code": "1", "name": "Ngày ban hành", "max_points": 10,
                        "inputs": [{"var": "d", "label": "Ngày", "type": "number"}],
                        "rule": {"kind": "date", "field": "d", "steps": [{"by": "31/01", "share": 1}]}}],
    })
    errors = validate_framework(framework)["errors"]
    assert [e["code"] for e in errors] == ["1"]
    assert "kiểu date" in errors[0]["message"] and "kiểu number" in errors[0]["message"]


def ids(fw):
    return [(w["id"], w["message"]) for w in report(fw)["warnings"]]


def test_every_declared_figure_is_checked_with_its_place():
    # HCM quận/huyện: "thang điểm 690" (§II.1.b) beside "Tổng điểm (660)" (the table)
    fw = framework([leaf("1", YES, C, max_points=660)], levels=[{"code": "so", "name": "Sở", "declared": [
        {"figure": "total", "value": 690, "where": "§II.1.b", "text": "thang điểm 690"},
        {"figure": "total", "value": 660, "where": "bảng §II.1.b"},
        {"figure": "pillars", "value": 2, "where": "§II.1.b"}]}])
    assert ids(fw) == [
        ("declared/so/total@§II.1.b",
         "tổng điểm tối đa cấp 'so' theo văn bản là 690 (§II.1.b: \"thang điểm 690\") nhưng các chỉ số cộng lại được 660"),
        ("declared/so/pillars@§II.1.b", "văn bản ghi 2 chỉ số chính cho cấp 'so' (§II.1.b) nhưng bảng có 1"),
    ]


def test_a_pillars_declared_count_and_total_are_checked_against_its_children():
    fw = framework([{"code": "1", "name": "Nhận thức số", "max_points": 20, "children": [leaf("1.1", YES, C)],
                     "declared": [{"figure": "indicators", "value": 2, "where": "bảng §II.1.a", "text": "02"},
                                  {"figure": "total", "value": 10, "where": "bảng §II.1.a"}]}])
    assert [i for i, _ in ids(fw)] == ["declared/1/so/indicators@bảng §II.1.a", "parent_sum/1/so"]


def test_a_value_between_written_steps_is_a_gap():
    # "Trên 80%: đạt điểm tối đa <80%: 0 điểm": exactly 80% is in neither
    steps = {"kind": "steps", "value": "a / b", "percent": True,
             "steps": [{"when": "> 80", "share": 1}, {"when": "< 80", "points": 0}]}
    assert ids(framework([leaf("3.1", steps, AB)])) == [
        ("steps_gap/3.1@80", "giá trị đúng bằng 80 không thuộc mức nào văn bản ghi (khi chấm tính theo mức còn lại)")]
    covered = {**steps, "steps": [{"when": "> 80", "share": 1}, {"when": "<= 80", "points": 0}]}
    assert ids(framework([leaf("3.1", covered, AB)])) == []


def test_a_maximum_no_data_can_reach_is_warned():
    half = {"kind": "yes_no", "field": "c", "yes": {"share": 0.5}}
    assert ids(framework([leaf("6.4", half, C)])) == [
        ("max_unreachable/6.4", "cao nhất chỉ đạt 5 trên điểm tối đa 10: không đơn vị nào đạt tối đa")]


def test_a_date_rule_paying_late_dates_more_than_early_ones_is_warned():
    rule = {"kind": "date", "field": "d", "steps": [{"by": "31/01", "share": 1}], "otherwise": {"share": 0.5}}
    assert [i for i, _ in ids(framework([leaf("II.1", rule, [field("d", "date")])]))] == ["date_early_below_late/II.1"]
    early = {**rule, "early": {"share": 1}}
    assert ids(framework([leaf("II.1", early, [field("d", "date")])])) == []


def test_an_inferred_constraint_needs_its_reason():
    with pytest.raises(ValidationError, match="phải ghi lý do"):
        load_framework(framework([leaf("1", {"kind": "ratio", "value": "a / b"}, AB,
                                       constraints=[{"check": "a <= b", "inferred": True}])]))


def test_a_figure_declared_for_an_unknown_level_is_an_error():
    fw = framework([{"code": "1", "name": "Nhận thức số", "max_points": 10, "children": [leaf("1.1", YES, C)],
                     "declared": [{"figure": "total", "value": 10, "where": "bảng", "level": "tinh"}]}])
    assert errors(fw) == [("1", "số liệu văn bản ghi (bảng) cho cấp 'tinh' không tồn tại")]
