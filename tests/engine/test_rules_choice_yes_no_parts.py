"""`choice`, `yes_no`, `parts` (checklists) and `manual`."""

import pytest

from .helpers import field, framework, leaf, run, scores, single, statuses, why

# QĐ 79 §1.1: Giám đốc: tối đa; Phó giám đốc: 1/2 × tối đa; khác: 0
OPTIONS = [
    {"value": "giam_doc", "label": "Giám đốc Sở/Ban/Ngành"},
    {"value": "pho_giam_doc", "label": "Phó giám đốc Sở/Ban/Ngành"},
    {"value": "khac", "label": "Chưa có Ban chỉ đạo"},
]
QD79_1_1 = framework([leaf("1.1", {
    "kind": "choice", "field": "truong_ban",
    "scores": [{"option": "giam_doc", "share": 1}, {"option": "pho_giam_doc", "share": 0.5},
               {"option": "khac", "points": 0}],
}, [field("truong_ban", "choice", options=OPTIONS, label="Trưởng ban Ban chỉ đạo chuyển đổi số")])])

# QĐ 79 §6.1: đáp ứng yêu cầu: 4/5 × tối đa; IPv6: 1/5 × tối đa
QD79_6_1 = framework([leaf("6.1", {"kind": "parts", "parts": [
    {"label": "Đáp ứng yêu cầu chức năng", "share": 0.8, "rule": {"kind": "yes_no", "field": "dap_ung"}},
    {"label": "IPv6", "share": 0.2, "rule": {"kind": "yes_no", "field": "ipv6"}},
]}, [field("dap_ung", "yes_no", label="Đáp ứng yêu cầu"), field("ipv6", "yes_no", label="Đã chuyển đổi IPv6")])])


@pytest.mark.parametrize(("typed", "points"), [
    ("giam_doc", 10.0), ("Giám đốc Sở/Ban/Ngành", 10.0), ("pho_giam_doc", 5.0),
    ("PHÓ GIÁM ĐỐC SỞ/BAN/NGÀNH", 5.0), ("khac", 0.0),
])
def test_choice_qd79_1_1_director_full_deputy_half(typed, points):
    assert single(QD79_1_1, {"1.1.truong_ban": typed}, code="1.1") == (points, "ok")


def test_choice_explanation_shows_the_label():
    result = run(QD79_1_1, {"u": {"1.1.truong_ban": "pho_giam_doc"}})
    assert why(result, "1.1", "u") == "Trưởng ban Ban chỉ đạo chuyển đổi số: Phó giám đốc Sở/Ban/Ngành → 5/10 điểm"


def test_choice_unknown_option_is_a_problem_and_no_data():
    result = run(QD79_1_1, {"u": {"1.1.truong_ban": "truong_phong"}})
    assert statuses(result, "1.1") == {"u": "no_data"}
    assert result.problems[0].field == "1.1.truong_ban"
    assert "không thuộc các lựa chọn" in result.problems[0].message
    assert "Giám đốc Sở/Ban/Ngành" in result.problems[0].message


def test_choice_option_not_listed_in_scores_gets_zero():
    fw = framework([leaf("1", {"kind": "choice", "field": "c", "scores": [{"option": "giam_doc", "share": 1}]},
                         [field("c", "choice", options=OPTIONS)])])
    assert single(fw, {"1.c": "pho_giam_doc"}) == (0.0, "ok")


def test_choice_missing_answer_is_no_data():
    assert single(QD79_1_1, {}, code="1.1") == (0.0, "no_data")


YES_NO = framework([leaf("1", {"kind": "yes_no", "field": "ban_hanh"}, [field("ban_hanh", "yes_no", label="Đã ban hành")])])


@pytest.mark.parametrize(("typed", "points"), [
    ("Có", 10.0), ("có", 10.0), ("x", 10.0), ("1", 10.0), (1, 10.0), (True, 10.0), ("Đã ban hành", 10.0),
    ("Không", 0.0), ("chưa", 0.0), ("0", 0.0), (0, 0.0), (False, 0.0),
])
def test_yes_no_issued_full_otherwise_zero(typed, points):
    assert single(YES_NO, {"1.ban_hanh": typed}) == (points, "ok")


def test_yes_no_custom_awards():
    fw = framework([leaf("1", {"kind": "yes_no", "field": "c", "yes": {"points": 6}, "no": {"share": 0.2}},
                         [field("c", "yes_no")])])
    assert single(fw, {"1.c": "có"})[0] == 6.0
    assert single(fw, {"1.c": "không"})[0] == 2.0


@pytest.mark.parametrize("typed", ["có lẽ", "2", 2, 0.5])
def test_yes_no_rejects_anything_else(typed):
    result = run(YES_NO, {"u": {"1.ban_hanh": typed}})
    assert statuses(result, "1") == {"u": "no_data"}
    assert "không phải Có/Không" in result.problems[0].message


def test_yes_no_not_a_number_raw_value_is_a_problem_not_a_crash():
    result = run(YES_NO, {"u": {"1.ban_hanh": float("nan")}})
    assert statuses(result, "1") == {"u": "no_data"}
    assert len(result.problems) == 1


def test_yes_no_explanation():
    result = run(YES_NO, {"u": {"1.ban_hanh": "có"}, "v": {"1.ban_hanh": "không"}})
    assert why(result, "1", "u") == "Đã ban hành: Có → 10/10 điểm"
    assert why(result, "1", "v") == "Đã ban hành: Không → 0/10 điểm"


@pytest.mark.parametrize(("dap_ung", "ipv6", "points"), [
    ("có", "có", 10.0), ("có", "không", 8.0), ("không", "có", 2.0), ("không", "không", 0.0),
])
def test_parts_qd79_6_1_four_fifths_plus_one_fifth(dap_ung, ipv6, points):
    assert single(QD79_6_1, {"6.1.dap_ung": dap_ung, "6.1.ipv6": ipv6}, code="6.1") == (pytest.approx(points), "ok")


def test_parts_missing_part_scores_zero():
    assert single(QD79_6_1, {"6.1.dap_ung": "có"}, code="6.1") == (pytest.approx(8.0), "ok")


def test_parts_with_no_part_answered_is_no_data():
    assert single(QD79_6_1, {}, code="6.1") == (0.0, "no_data")


def test_parts_explanation_lists_each_part():
    result = run(QD79_6_1, {"u": {"6.1.dap_ung": "có", "6.1.ipv6": "không"}})
    assert why(result, "6.1", "u") == "Đáp ứng yêu cầu chức năng: 8/8; IPv6: 0/2 → 8/10 điểm"


def test_parts_sum_is_capped_at_max_and_explained():
    fw = framework([leaf("1", {"kind": "parts", "parts": [
        {"label": "Phần A", "points": 6, "rule": {"kind": "yes_no", "field": "a"}},
        {"label": "Phần B", "points": 6, "rule": {"kind": "yes_no", "field": "b"}},
    ]}, [field("a", "yes_no"), field("b", "yes_no")])])
    result = run(fw, {"u": {"1.a": "có", "1.b": "có"}})
    assert scores(result, "1") == {"u": 10.0}
    assert why(result, "1", "u") == "Phần A: 6/6; Phần B: 6/6 → 10/10 điểm (tổng các phần 12 vượt tối đa, tính 10)"


def test_parts_mix_rule_kinds_each_against_its_own_points():
    # QĐ 79 §3.4-like: a ratio part worth 20 and a count part worth 10 of 30
    fw = framework([leaf("3.4", {"kind": "parts", "parts": [
        {"label": "Tỷ lệ", "points": 20, "rule": {"kind": "ratio", "value": "a / b"}},
        {"label": "Số nền tảng", "points": 10, "rule": {"kind": "count", "value": "c", "per_item": 2}},
    ]}, [field("a"), field("b"), field("c")], max_points=30)])
    assert single(fw, {"3.4.a": 1, "3.4.b": 2, "3.4.c": 3}, code="3.4")[0] == pytest.approx(16.0)
    assert single(fw, {"3.4.a": 2, "3.4.b": 2, "3.4.c": 9}, code="3.4")[0] == pytest.approx(30.0)


def test_parts_with_a_zero_denominator_part_scores_that_part_zero():
    fw = framework([leaf("1", {"kind": "parts", "parts": [
        {"label": "Tỷ lệ", "share": 0.5, "rule": {"kind": "ratio", "value": "a / b"}},
        {"label": "Có", "share": 0.5, "rule": {"kind": "yes_no", "field": "c"}},
    ]}, [field("a"), field("b"), field("c", "yes_no")])])
    assert single(fw, {"1.a": 0, "1.b": 0, "1.c": "có"}) == (5.0, "ok")


def test_manual_points_are_capped_at_max():
    fw = framework([leaf("1", {"kind": "manual", "field": "diem"}, [field("diem", "number", label="Điểm thẩm định")])])
    assert single(fw, {"1.diem": "7,5"}) == (7.5, "ok")
    assert single(fw, {"1.diem": 12}) == (10.0, "ok")
