"""The calendar as data: a process's steps and their yearly dates."""

import datetime as dt

import pytest
from pydantic import ValidationError

from dti.engine.model import CalendarStep, Framework


def step(**kw):
    return CalendarStep(**{"step": "registration", "name": "Đăng ký", "date": "20/01", **kw})


def test_before_means_the_day_before():
    assert step().due(2026) == dt.date(2026, 1, 19)
    assert step(before=False).due(2026) == dt.date(2026, 1, 20)


def test_year_offset_moves_the_step_to_next_year():
    assert step(date="15/01", year_offset=1).due(2026) == dt.date(2027, 1, 14)


@pytest.mark.parametrize("date", ["29/02", "31/04", "00/01", "1/1", "20-01"])
def test_impossible_or_misprinted_dates_are_refused(date):
    with pytest.raises(ValidationError):
        step(date=date)


def test_only_the_data_period_has_a_start():
    with pytest.raises(ValidationError):
        step(start="01/01")
    period = CalendarStep(step="data_period", name="Niên hạn", start="01/01", date="15/11", before=False)
    assert (period.first_day(2026), period.due(2026)) == (dt.date(2026, 1, 1), dt.date(2026, 11, 15))


def _framework(calendar):
    return {"code": "t", "name": "t", "source": {"document": "1"}, "year": 2025,
            "levels": [{"code": "xa", "name": "Xã"}], "calendar": calendar,
            "indicators": [{"code": "1", "name": "a", "max_points": 1, "inputs": [{"var": "a", "label": "a"}],
                            "rule": {"kind": "manual", "field": "a"}}]}


def test_a_step_kind_is_written_once_and_for_known_levels():
    with pytest.raises(ValidationError, match="một lần"):
        Framework.model_validate(_framework([step().model_dump(), step().model_dump()]))
    with pytest.raises(ValidationError, match="huyen"):
        Framework.model_validate(_framework([step(levels=["huyen"]).model_dump()]))
    assert Framework.model_validate(_framework([step(levels=["xa"]).model_dump()])).calendar_step("registration")


def test_kontum_and_hue_carry_their_calendars():
    from dti.engine import load_framework

    kontum = load_framework("dti/frameworks/kontum-121-2025.yaml")
    assert [s.step for s in kontum.calendar or ()] == ["registration", "self_assessment", "review", "recognition",
                                                      "report"]
    assert kontum.calendar_step("report").due(2025) == dt.date(2025, 12, 24)
    hue = load_framework("dti/frameworks/hue-931-2024.yaml")
    assert hue.calendar_step("data_period").first_day(2024) == dt.date(2024, 1, 1)
    assert "30/11" not in (hue.description or "")
