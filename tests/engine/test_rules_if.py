"""`if`: a condition on a value chooses the rule (QĐ 79 §1.4, QĐ 922 §1.5: "Đã có chuyên mục và
số lượng tin, bài … đạt: Từ 20 trở lên: điểm tối đa; Từ 10 đến 19: 1/2; Dưới 10: 1/4; Chưa có
chuyên mục: 0 điểm")."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti.engine import load_framework
from dti.engine.validate import validate_framework

from .helpers import AB, field, framework, leaf, run, scores, single, statuses, why

INPUTS = [field("co", "yes_no", label="Đã có chuyên mục"), field("n", label="Số tin, bài")]
ARTICLES = {"kind": "steps", "value": "n", "steps": [{"when": ">= 20", "share": 1}, {"when": ">= 10", "share": 0.5}],
            "otherwise": {"share": 0.25}}
SECTION = framework([leaf("1", {"kind": "if", "value": "co", "when": "== 1", "label": "Đã có chuyên mục",
                                "then": ARTICLES}, INPUTS)])


@pytest.mark.parametrize(("has", "articles", "points"), [
    ("có", 20, 10), ("có", 25, 10), ("có", 19, 5), ("có", 10, 5), ("có", 9, 2.5), ("có", 0, 2.5),
    ("không", 30, 0), ("không", 0, 0),
])
def test_if_the_four_printed_cases_of_the_section_rule(has, articles, points):
    assert single(SECTION, {"1.co": has, "1.n": articles}) == (points, "ok")


def test_if_without_the_section_the_count_is_not_needed():
    assert single(SECTION, {"1.co": "không"}) == (0, "ok")


def test_if_the_condition_without_data_is_no_data():
    assert single(SECTION, {"1.n": 30}) == (0, "no_data")


def test_if_the_taken_branch_without_data_is_no_data():
    assert single(SECTION, {"1.co": "có"}) == (0, "no_data")


def test_if_explanation_says_which_branch_was_taken():
    result = run(SECTION, {"co": {"1.co": "có", "1.n": 12}, "chua": {"1.co": "không", "1.n": 40}, "thieu": {}})
    assert why(result, "1", "co") == ('Điều kiện "Đã có chuyên mục" đúng (Đã có chuyên mục: Có), theo nhánh "thì": '
                                      "n = 12, giá trị = 12, mức >= 10 → 5/10 điểm")
    assert why(result, "1", "chua") == ('Điều kiện "Đã có chuyên mục" không đúng (Đã có chuyên mục: Không), '
                                        'không có nhánh "nếu không" → 0/10 điểm')
    assert why(result, "1", "thieu") == ('Điều kiện "Đã có chuyên mục" chưa xét được (Đã có chuyên mục: chưa nhập)'
                                         " → không có dữ liệu, mặc định 0/10 điểm")


def test_if_else_branch_is_scored_and_explained():
    fw = framework([leaf("1", {"kind": "if", "value": "a / b", "percent": True, "when": ">= 50",
                               "then": {"kind": "ratio", "value": "a / b"},
                               "else": {"kind": "count", "value": "a", "per_item": 1}}, AB)])
    result = run(fw, {"nua": {"1.a": 6, "1.b": 10}, "it": {"1.a": 3, "1.b": 10}})
    assert scores(result, "1") == {"nua": 6.0, "it": 3.0}
    assert why(result, "1", "it") == ('Điều kiện "a / b >= 50" không đúng (a = 3, b = 10), theo nhánh "nếu không": '
                                      "a = 3, giá trị = 3 × 1 điểm/mục → 3/10 điểm")


def test_if_zero_denominator_in_the_condition_is_no_data():
    fw = framework([leaf("1", {"kind": "if", "value": "a / b", "when": ">= 0.5",
                               "then": {"kind": "yes_no", "field": "c"}}, [*AB, field("c", "yes_no")])])
    assert single(fw, {"1.a": 0, "1.b": 0, "1.c": "có"}) == (0, "no_data")


def test_if_chain_through_else():
    # "≥ 80%: tối đa; từ 50%: 1/2 nếu có kế hoạch; còn lại 0"
    fw = framework([leaf("1", {
        "kind": "if", "value": "a / b", "percent": True, "when": ">= 80", "then": {"kind": "ratio", "value": "1"},
        "else": {"kind": "if", "value": "a / b", "percent": True, "when": ">= 50",
                 "then": {"kind": "yes_no", "field": "c", "yes": {"share": 0.5}}}}, [*AB, field("c", "yes_no")])])
    result = run(fw, {"cao": {"1.a": 9, "1.b": 10}, "giua": {"1.a": 6, "1.b": 10, "1.c": "có"},
                      "giua_khong": {"1.a": 6, "1.b": 10, "1.c": "không"}, "thap": {"1.a": 1, "1.b": 10, "1.c": "có"}})
    assert scores(result, "1") == {"cao": 10.0, "giua": 5.0, "giua_khong": 0.0, "thap": 0.0}
    assert statuses(result, "1") == {"cao": "ok", "giua": "ok", "giua_khong": "ok", "thap": "ok"}


def test_if_indicators_of_the_same_shape_scored_together_keep_their_own_branches():
    fw = framework([leaf(code, SECTION["indicators"][0]["rule"], INPUTS) for code in ("1", "2", "3")])
    result = run(fw, {"u": {"1.co": "có", "1.n": 25, "2.co": "không", "2.n": 25, "3.co": "có", "3.n": 12}})
    assert [scores(result, code)["u"] for code in ("1", "2", "3")] == [10, 0, 5]
    assert why(result, "2", "u").startswith('Điều kiện "Đã có chuyên mục" không đúng')


def test_if_validator_names_the_branch_whose_award_is_above_the_maximum():
    fw = framework([leaf("1", {"kind": "if", "value": "co", "when": "== 1",
                               "then": {"kind": "yes_no", "field": "co", "yes": {"points": 15}}}, INPUTS)])
    warnings = [w["message"] for w in validate_framework(load_framework(fw))["warnings"]]
    assert warnings == ["nhánh 'thì': 'Có' cho 15 điểm, lớn hơn điểm tối đa 10 (khi chấm sẽ tính tối đa 10)"]


def test_if_branch_reading_an_undeclared_field_is_an_error():
    fw = framework([leaf("1", {"kind": "if", "value": "co", "when": "== 1",
                               "then": {"kind": "yes_no", "field": "khac"}}, INPUTS)])
    report = validate_framework(load_framework(fw))
    assert [e["message"] for e in report["errors"]] == ["quy tắc dùng biến 'khac' chưa khai báo trong inputs"]


def test_if_condition_must_be_an_operator_and_a_number():
    with pytest.raises(ValueError, match="phải có dạng"):
        load_framework(framework([leaf("1", {"kind": "if", "value": "co", "when": "là có",
                                             "then": ARTICLES}, INPUTS)]))


GATED = framework([leaf("1", {"kind": "if", "value": "a", "when": ">= 5", "then": {"kind": "ratio", "value": "a / b"},
                              "else": {"kind": "count", "value": "b", "per_item": 2}}, AB),
                   leaf("2", {"kind": "ratio", "value": "a / b"}, AB),
                   leaf("3", {"kind": "count", "value": "b", "per_item": 2}, AB)])
NUMBER = st.one_of(st.none(), st.integers(0, 12))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(NUMBER, NUMBER), min_size=1, max_size=8))
def test_if_scores_as_the_branch_the_condition_chooses_within_zero_and_maximum(rows):
    data = {f"u{i}": {f"{code}.{var}": value for code in ("1", "2", "3") for var, value in zip("ab", row)
                      if value is not None} for i, row in enumerate(rows)}
    result = run(GATED, data)
    gated, then, other = scores(result, "1"), scores(result, "2"), scores(result, "3")
    for i, (a, _) in enumerate(rows):
        unit = f"u{i}"
        assert 0 <= gated[unit] <= 10
        if a is None:
            assert (gated[unit], statuses(result, "1")[unit]) == (0, "no_data")
        else:
            assert gated[unit] == (then if a >= 5 else other)[unit]
    assert not np.isnan(result.total).any()
