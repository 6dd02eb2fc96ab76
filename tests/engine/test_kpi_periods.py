"""KPI reporting periods: '2024', '2024-Q3', '2024-07', their order, neighbours and dates."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dti.engine.kpi import MONTH, QUARTER, YEAR, Period, PeriodError, parse_period, period_containing, periods_between

periods = st.builds(
    lambda year, freq, n: Period(year, freq, n % {MONTH: 12, QUARTER: 4, YEAR: 1}[freq] + 1),
    st.integers(1990, 2100), st.sampled_from([MONTH, QUARTER, YEAR]), st.integers(0, 11),
)


def test_three_spellings_read_as_year_quarter_month():
    assert parse_period("2024") == Period(2024, YEAR, 1)
    assert parse_period("2024-Q3") == Period(2024, QUARTER, 3)
    assert parse_period("2024-q3") == Period(2024, QUARTER, 3)
    assert parse_period("2024-07") == Period(2024, MONTH, 7)


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "24-07", "2024/07", "", "Quý 3"])
def test_unreadable_period_says_what_is_expected(text):
    with pytest.raises(PeriodError, match="2024-Q3"if "13" not in text else "01 đến 12"):
        parse_period(text)


def test_previous_crosses_the_year_boundary():
    assert str(parse_period("2024-01").previous()) == "2023-12"
    assert str(parse_period("2024-Q1").previous()) == "2023-Q4"
    assert str(parse_period("2024").previous()) == "2023"


def test_quarter_dates_and_labels():
    q = parse_period("2024-Q3")
    assert (q.start, q.end) == (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert q.label == "Quý III/2024"
    assert parse_period("2024-02").end == dt.date(2024, 2, 29)
    assert parse_period("2024-07").label == "Tháng 07/2024"


def test_period_containing_a_day():
    day = dt.date(2025, 8, 15)
    assert str(period_containing(MONTH, day)) == "2025-08"
    assert str(period_containing(QUARTER, day)) == "2025-Q3"
    assert str(period_containing(YEAR, day)) == "2025"


def test_periods_between_counts_three_years_of_months():
    assert len(periods_between(parse_period("2024-01"), parse_period("2026-12"))) == 36
    with pytest.raises(PeriodError):
        periods_between(parse_period("2024-01"), parse_period("2024-Q4"))


@given(periods)
def test_written_form_reads_back(period):
    assert parse_period(str(period)) == period


@given(periods, st.integers(-300, 300))
def test_shift_is_reversible_and_keeps_frequency(period, steps):
    moved = period.shift(steps)
    assert moved.frequency == period.frequency
    assert moved.shift(-steps) == period


@given(periods)
def test_period_contains_its_own_start_and_end(period):
    assert period.start <= period.end
    assert period_containing(period.frequency, period.start) == period
    assert period_containing(period.frequency, period.end) == period
    assert period.shift(1).start == period.end + dt.timedelta(days=1)


@given(periods)
def test_year_before_is_as_many_steps_as_periods_in_a_year(period):
    steps = {MONTH: 12, QUARTER: 4, YEAR: 1}[period.frequency]
    assert period.year_before() == period.shift(-steps)
