"""KPI values and status against a target: đạt / chưa đạt / chưa có số liệu, changes over time."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dti.engine.kpi import (
    HIGHER,
    LOWER,
    MET,
    NO_DATA,
    NO_TARGET,
    NOT_MET,
    kpi_value,
    kpi_values,
    last_with_data,
    parse_period,
    periods_between,
    series,
    status,
    trend,
)

finite = st.floats(-1e6, 1e6, allow_nan=False)


def test_rate_is_numerator_over_denominator_in_percent():
    assert kpi_value("a / b", {"a": 45, "b": 60}) == 75.0
    assert kpi_value("(a1 + a2) / b", {"a1": 30, "a2": 20, "b": 100}) == 50.0
    assert kpi_value("a", {"a": 1}, percent=False) == 1.0


def test_zero_denominator_is_no_value_not_nan_or_infinity():
    assert kpi_value("a / b", {"a": 5, "b": 0}) is None
    assert kpi_value("a / b", {"a": 0, "b": 0}) is None


def test_missing_denominator_is_no_value():
    assert kpi_value("a / b", {"a": 5}) is None
    assert kpi_value("a / b", {"a": 5, "b": None}) is None


def test_vectorised_values_mark_each_gap():
    values = kpi_values("a / b", {"a": np.array([1.0, 2.0, np.nan]), "b": np.array([2.0, 0.0, 4.0])})
    assert values[0] == 50.0 and math.isnan(values[1]) and math.isnan(values[2])


def test_higher_is_better_meets_at_or_above_the_target():
    assert status(90, 90, HIGHER) == MET
    assert status(89.9, 90, HIGHER) == NOT_MET


def test_lower_is_better_meets_at_or_below_the_target():
    assert status(5, 10, LOWER) == MET
    assert status(10, 10, LOWER) == MET
    assert status(12, 10, LOWER) == NOT_MET


def test_no_value_is_no_data_whatever_the_target():
    assert status(None, 90) == NO_DATA
    assert status(None, None, LOWER) == NO_DATA


def test_value_without_target_says_so():
    assert status(50, None) == NO_TARGET


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="higher hoặc lower"):
        status(1, 2, "up")


@given(finite, finite)
def test_the_two_directions_agree_only_on_equality(value, target):
    up, down = status(value, target, HIGHER), status(value, target, LOWER)
    assert (up == down == MET) == (value == target)
    assert MET in (up, down)


def _months(first, last):
    return periods_between(parse_period(first), parse_period(last))


def test_monthly_and_quarterly_kpis_side_by_side_compare_with_their_own_neighbours():
    monthly = {p: 50.0 + i for i, p in enumerate(_months("2024-01", "2025-12"))}
    quarterly = {p: 60.0 + 5 * i for i, p in enumerate(periods_between(parse_period("2024-Q1"), parse_period("2025-Q4")))}
    targets = {2024: 55.0, 2025: 70.0}
    months = series(monthly, targets)
    quarters = series(quarterly, targets)
    assert len(months) == 24 and len(quarters) == 8
    may = next(p for p in months if str(p.period) == "2025-05")
    assert (may.value, may.target, may.status) == (66.0, 70.0, NOT_MET)
    assert may.change_previous == 1.0 and may.change_year == 12.0
    q3 = next(p for p in quarters if str(p.period) == "2025-Q3")
    assert (q3.value, q3.status) == (90.0, MET)
    assert q3.change_previous == 5.0 and q3.change_year == 20.0
    assert months[0].change_previous is None and quarters[0].change_year is None


def test_gap_in_a_series_has_no_data_and_breaks_both_changes():
    periods = _months("2024-01", "2024-04")
    values = {periods[0]: 40.0, periods[1]: None, periods[3]: 50.0}
    points = series(values, {2024: 45.0}, periods=periods)
    assert [p.status for p in points] == [NOT_MET, NO_DATA, NO_DATA, MET]
    assert points[3].change_previous is None
    assert last_with_data(points).period == periods[3]


def test_lower_is_better_series_and_its_trend():
    periods = periods_between(parse_period("2024-Q1"), parse_period("2024-Q4"))
    values = dict(zip(periods, [30.0, 25.0, 12.0, 8.0], strict=True))
    points = series(values, {2024: 10.0}, direction=LOWER)
    assert [p.status for p in points] == [NOT_MET, NOT_MET, NOT_MET, MET]
    assert trend(points, direction=LOWER) == "up"
    assert trend(points, direction=HIGHER) == "down"


def test_mixed_frequencies_in_one_series_are_refused():
    with pytest.raises(ValueError, match="một tần suất"):
        series({parse_period("2024-01"): 1.0, parse_period("2024-Q1"): 2.0}, {})


@given(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=1, max_size=30))
def test_change_previous_is_the_difference_of_consecutive_values(raw):
    periods = _months("2024-01", "2026-12")[: len(raw)]
    points = series(dict(zip(periods, raw, strict=True)), {})
    for before, after in zip(points, points[1:]):
        if before.value is None or after.value is None:
            assert after.change_previous is None
        else:
            assert after.change_previous == pytest.approx(after.value - before.value, abs=1e-10)  # changes are rounded to 10 places
