"""`relative`: Min-Max and ratio-to-best among peers of the same level in the same run."""

import pytest

from dti.engine.data import Unit

from .helpers import AB, field, framework, leaf, run, scores, statuses, why

LEVELS = [{"code": "so", "name": "Sở"}, {"code": "huyen", "name": "Huyện"}]


def relative(method, direction="higher", percent=False, value="a", inputs=None, **extra):
    rule = {"kind": "relative", "method": method, "direction": direction, "value": value, "percent": percent}
    return framework([leaf("1", rule, inputs or [field("a", "number")], **extra)])


def values(**by_unit):
    return {u: {"1.a": v} for u, v in by_unit.items()}


def test_relative_min_max_highest_full_lowest_zero():
    # QĐ 79 §4.1 "Min-Max": (x − min) / (max − min) × tối đa
    result = run(relative("min_max"), values(a=10, b=20, c=30))
    assert scores(result, "1") == {"a": 0.0, "b": 5.0, "c": 10.0}


def test_relative_min_max_lower_direction_lowest_full():
    result = run(relative("min_max", "lower"), values(a=10, b=20, c=30))
    assert scores(result, "1") == {"a": 10.0, "b": 5.0, "c": 0.0}


def test_relative_max_ratio_is_value_over_best():
    # 922 §7.10 "tỷ lệ / tỷ lệ cao nhất × tối đa"
    result = run(relative("max_ratio"), values(a=20, b=40, c=80))
    assert scores(result, "1") == {"a": 2.5, "b": 5.0, "c": 10.0}


def test_relative_max_ratio_lower_direction_is_best_over_value():
    result = run(relative("max_ratio", "lower"), values(a=20, b=40, c=80))
    assert scores(result, "1") == {"a": 10.0, "b": 5.0, "c": 2.5}


def test_relative_all_equal_get_full_points():
    assert set(scores(run(relative("min_max"), values(a=7, b=7)), "1").values()) == {10.0}
    assert set(scores(run(relative("max_ratio"), values(a=7, b=7)), "1").values()) == {10.0}


def test_relative_best_value_zero_gives_zero_when_higher_is_better():
    assert set(scores(run(relative("min_max"), values(a=0, b=0)), "1").values()) == {0.0}
    assert set(scores(run(relative("max_ratio"), values(a=0, b=0)), "1").values()) == {0.0}


def test_relative_all_zero_is_full_when_lower_is_better():
    assert set(scores(run(relative("min_max", "lower"), values(a=0, b=0)), "1").values()) == {10.0}


def test_relative_single_unit_gets_full_points():
    assert scores(run(relative("min_max"), values(a=3)), "1") == {"a": 10.0}


def test_relative_peers_are_the_same_level_only():
    fw = relative("max_ratio")
    fw["levels"] = LEVELS
    units = [Unit("s1", "", "so"), Unit("s2", "", "so"), Unit("h1", "", "huyen"), Unit("h2", "", "huyen")]
    result = run(fw, values(s1=10, s2=20, h1=100, h2=50), units=units)
    assert scores(result, "1") == {"s1": 5.0, "s2": 10.0, "h1": 10.0, "h2": 5.0}


def test_relative_units_without_data_are_not_peers():
    result = run(relative("min_max"), {"a": {"1.a": 10}, "b": {"1.a": 30}, "c": {}})
    assert scores(result, "1") == {"a": 0.0, "b": 10.0, "c": 0.0}
    assert statuses(result, "1")["c"] == "no_data"


def test_relative_zero_denominator_units_are_not_peers():
    fw = relative("max_ratio", value="a / b", inputs=AB, percent=True)
    result = run(fw, {"a": {"1.a": 1, "1.b": 2}, "b": {"1.a": 1, "1.b": 4}, "c": {"1.a": 5, "1.b": 0}})
    assert scores(result, "1") == {"a": 10.0, "b": 5.0, "c": 0.0}


def test_relative_units_with_invalid_data_are_not_peers():
    # b breaks "a <= b": its 500% must not become the best value the others are measured against
    fw = relative("max_ratio", value="a / b", inputs=AB, percent=True,
                  constraints=[{"check": "a <= b", "message": "a không thể lớn hơn b"}])
    result = run(fw, {"a": {"1.a": 5, "1.b": 10}, "b": {"1.a": 50, "1.b": 10}, "c": {"1.a": 1, "1.b": 10}})
    assert statuses(result, "1") == {"a": "ok", "b": "invalid", "c": "ok"}
    assert scores(result, "1") == {"a": 10.0, "b": 0.0, "c": 2.0}


def test_relative_units_out_of_range_are_not_peers():
    fw = relative("min_max", inputs=[field("a", "percent")])
    result = run(fw, values(a=20, b=60, c=140))
    assert scores(result, "1") == {"a": 0.0, "b": 10.0, "c": 0.0}


@pytest.mark.parametrize("status", ["no_content", "exempt"])
def test_relative_units_declared_without_content_or_exempt_are_not_peers(status):
    rows = values(a=20, b=40, c=400)
    rows["c"]["1.status"] = status
    result = run(relative("max_ratio"), rows)
    assert scores(result, "1")["a"] == 5.0
    assert scores(result, "1")["b"] == 10.0


def test_relative_explanation_names_best_and_worst():
    result = run(relative("min_max", percent=False, unit="%"), values(a=10, b=20, c=30))
    assert why(result, "1", "b") == (
        "a = 20, giá trị = 20%; tốt nhất nhóm = 30%, kém nhất = 10% (Min-Max) → 5/10 điểm"
    )
