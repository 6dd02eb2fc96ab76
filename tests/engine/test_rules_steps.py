"""`steps`: thresholds with explicit inclusivity, first match wins; money bands."""

import pytest

from .helpers import AB, field, framework, leaf, run, scores, single, why

# QĐ 79 §3.3: "Trên 80%: 30 điểm; Từ 50% - 80%: 15 điểm; Dưới 50%: 0 điểm"
QD79_3_3 = framework([leaf("3.3", {
    "kind": "steps", "value": "a / b", "percent": True,
    "steps": [{"when": "> 80", "points": 30, "label": "Trên 80%"},
              {"when": ">= 50", "points": 15, "label": "Từ 50% - 80%"}],
    "otherwise": {"points": 0},
}, AB, max_points=30)])

# 922 §5.12.2: "≥ 2 tỷ: 100%, ≥ 1 tỷ: 70%, ≥ 0,5 tỷ: 30%"
MONEY = framework([leaf("5.12.2", {
    "kind": "steps", "value": "a",
    "steps": [{"when": ">= 2", "share": 1}, {"when": ">= 1", "share": 0.7}, {"when": "≥ 0,5", "share": 0.3}],
}, [field("a", "money", unit="tỷ đồng", label="Kinh phí chi cho chuyển đổi số")], max_points=10, unit="tỷ đồng")])


@pytest.mark.parametrize(("a", "b", "points"), [
    (81, 100, 30), (80, 100, 15), (4, 5, 15), (65, 100, 15), (50, 100, 15), (1, 2, 15), (49, 100, 0), (0, 7, 0),
])
def test_steps_qd79_3_3_boundaries(a, b, points):
    assert single(QD79_3_3, {"3.3.a": a, "3.3.b": b}, code="3.3") == (points, "ok")


def test_steps_exactly_80_percent_is_not_above_80():
    result = run(QD79_3_3, {"u": {"3.3.a": 8, "3.3.b": 10}})
    assert scores(result, "3.3") == {"u": 15.0}
    assert why(result, "3.3", "u") == "a = 8, b = 10, tỷ lệ = 80%, mức >= 50 → 15/30 điểm"


@pytest.mark.parametrize(("threshold", "a", "b"), [("> 7", 7, 100), ("> 57", 57, 100), ("> 14", 7, 50)])
def test_steps_strict_threshold_is_not_met_by_float_rounding(threshold, a, b):
    # 7/100 × 100 is 7.000000000000001 in floating point; exactly 7% is not "> 7"
    fw = framework([leaf("1", {"kind": "steps", "value": "a / b", "percent": True,
                               "steps": [{"when": threshold, "share": 1}]}, AB)])
    assert single(fw, {"1.a": a, "1.b": b})[0] == 0.0


@pytest.mark.parametrize(("threshold", "a", "b"), [(">= 29", 29, 100), (">= 58", 29, 50), (">= 56", 14, 25)])
def test_steps_inclusive_threshold_is_met_despite_float_rounding(threshold, a, b):
    # 29/100 × 100 is 28.999999999999996 in floating point; exactly 29% is ">= 29"
    fw = framework([leaf("1", {"kind": "steps", "value": "a / b", "percent": True,
                               "steps": [{"when": threshold, "share": 1}]}, AB)])
    assert single(fw, {"1.a": a, "1.b": b})[0] == 10.0


@pytest.mark.parametrize(("amount", "points"), [
    ("2", 10.0), ("2,5", 10.0), ("1,99", 7.0), ("1", 7.0), ("0,99", 3.0), ("0,5", 3.0), ("0,49", 0.0), ("0", 0.0),
])
def test_steps_money_bands_922_5_12_2(amount, points):
    assert single(MONEY, {"5.12.2.a": amount}, code="5.12.2")[0] == pytest.approx(points)


def test_steps_money_band_explanation_names_the_band():
    result = run(MONEY, {"u": {"5.12.2.a": "1"}})
    assert why(result, "5.12.2", "u") == "a = 1, giá trị = 1 tỷ đồng, mức >= 1 → 7/10 điểm"


def test_steps_money_band_explanation_shows_the_amount_as_entered():
    # 1,999 tỷ is below the 2 tỷ band: the explanation must not round it to "2"
    result = run(MONEY, {"u": {"5.12.2.a": "1,999"}})
    assert scores(result, "5.12.2") == {"u": 7.0}
    assert why(result, "5.12.2", "u").startswith("a = 1,999, ")


def test_steps_first_match_wins():
    fw = framework([leaf("1", {"kind": "steps", "value": "a",
                               "steps": [{"when": ">= 1", "points": 2}, {"when": ">= 5", "points": 8}]}, [field("a")])])
    assert single(fw, {"1.a": 9})[0] == 2.0


@pytest.mark.parametrize(("when", "value", "hit"), [
    ("< 10", 9.99, True), ("< 10", 10, False), ("<= 10", 10, True), ("<= 10", 10.01, False),
    ("== 3", 3, True), ("== 3", 3.5, False), ("= 3", 3, True), ("≤ 10", 10, True), ("≥ 10", 10, True),
])
def test_steps_every_operator_has_explicit_inclusivity(when, value, hit):
    fw = framework([leaf("1", {"kind": "steps", "value": "a", "steps": [{"when": when, "share": 1}]},
                         [field("a", "number")])])
    assert single(fw, {"1.a": value})[0] == (10.0 if hit else 0.0)


def test_steps_otherwise_award_as_share():
    fw = framework([leaf("1", {"kind": "steps", "value": "a", "steps": [{"when": ">= 5", "share": 1}],
                               "otherwise": {"share": 0.5}}, [field("a")])])
    assert single(fw, {"1.a": 2})[0] == 5.0


def test_steps_award_above_max_is_capped():
    fw = framework([leaf("1", {"kind": "steps", "value": "a", "steps": [{"when": ">= 1", "points": 15}]},
                         [field("a")])])
    assert single(fw, {"1.a": 1}) == (10.0, "ok")


def test_steps_no_step_matched_explained():
    result = run(QD79_3_3, {"u": {"3.3.a": 1, "3.3.b": 4}})
    assert why(result, "3.3", "u") == "a = 1, b = 4, tỷ lệ = 25%, không đạt mức nào → 0/30 điểm"


def test_steps_rejects_a_condition_without_operator():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="phải có dạng"):
        run(framework([leaf("1", {"kind": "steps", "value": "a", "steps": [{"when": "80", "share": 1}]},
                            [field("a")])]), {})
