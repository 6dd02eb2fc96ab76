"""KPI programmes: periods as campaigns of the source agencies, targets with their decision, series."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from dti.audit.models import AuditEvent
from dti.campaigns.models import Campaign
from dti.kpi import selectors, services
from dti.kpi.models import ProgrammePeriod

from .kpi_fixtures import *  # noqa: F403
from .kpi_fixtures import kpi_submission, send


def test_each_period_is_a_campaign_of_its_frequency_agencies(programme):
    periods = dict(ProgrammePeriod.objects.filter(programme=programme).values_list("period", "frequency"))
    assert sum(1 for f in periods.values() if f == "month") == 12
    assert sum(1 for f in periods.values() if f == "quarter") == 4
    assert periods["2024"] == "year"
    july = Campaign.objects.get(kpi_period__programme=programme, kpi_period__period="2024-07")
    assert [s.unit.code for s in july.submissions.all()] == ["vp-ubnd"]
    q3 = Campaign.objects.get(kpi_period__programme=programme, kpi_period__period="2024-Q3")
    assert sorted(s.unit.code for s in q3.submissions.all()) == ["h-a", "h-b", "so-gddt", "so-tttt"]
    assert (q3.period_start, q3.period_end, q3.entry_deadline) == (dt.date(2024, 7, 1), dt.date(2024, 9, 30),
                                                                     dt.date(2024, 10, 15))


def test_opening_periods_twice_creates_nothing_new(programme):
    before = Campaign.objects.count()
    services.open_due_periods(programme, today=dt.date(2024, 12, 31))
    assert Campaign.objects.count() == before


def test_framework_is_derived_with_the_agencies_levels(programme, kpi_framework):
    assert programme.framework.derived_from_id == kpi_framework.pk
    assert "huyen" in programme.framework.yaml_text and "so" in programme.framework.yaml_text


def test_unknown_kpi_or_frequency_is_refused(kpi_units, kpi_framework):
    with pytest.raises(ValidationError) as info:
        services.create_programme(name="X", framework=kpi_framework, owner=kpi_units["bd"], first_year=2024,
                                  kpis={"99": {"frequency": "month", "agencies": [kpi_units["vp-ubnd"]]},
                                        "7": {"frequency": "week", "agencies": [kpi_units["vp-ubnd"]]},
                                        "8": {"frequency": "month", "agencies": []}})
    text = " ".join(info.value.messages)
    assert "99" in text and "tháng, quý hoặc năm" in text and "cơ quan cung cấp" in text


def test_target_needs_its_decision_and_is_audited(programme, kpi_users):
    setting = programme.settings.get(code="7")
    with pytest.raises(ValidationError, match="văn bản"):
        services.set_target(setting, year=2024, value=90, decision="  ", user=kpi_users["admin"])
    services.set_target(setting, year=2024, value=90, decision="KH 44/KH-UBND ngày 10/3/2023", user=kpi_users["admin"])
    services.set_target(setting, year=2024, value=95, decision="KH 50/KH-UBND", user=kpi_users["admin"])
    event = AuditEvent.objects.filter(action="kpi.target").order_by("-id").first()
    assert "90" in event.old and "95 (KH 50/KH-UBND)" == event.new
    assert setting.targets.get(year=2024).value == 95


def test_monthly_series_status_and_changes(programme, kpi_users):
    services.set_target(programme.settings.get(code="7"), year=2024, value=80, decision="KH 44/KH-UBND")
    for month, (a, b) in {"2024-01": (70, 100), "2024-02": (85, 100), "2024-04": (90, 100)}.items():
        send(programme, month, "vp-ubnd", {"7.a": str(a), "7.b": str(b)}, reporter=kpi_users["vp"],
             leader=kpi_users["vp_leader"])
    data = selectors.programme_data(programme)
    points = {str(p.period): p for p in data.kpi("7").points}
    assert len(points) == 12
    assert (points["2024-01"].value, points["2024-01"].status) == (70.0, "not_met")
    assert (points["2024-02"].status, points["2024-02"].change_previous) == ("met", 15.0)
    assert points["2024-03"].status == "no_data" and points["2024-04"].change_previous is None
    assert data.kpi("7").last.period.label == "Tháng 04/2024"


def test_draft_figures_do_not_count_until_sent(programme, kpi_users):
    from dti.submissions.services import save_entry

    submission = kpi_submission(programme, "2024-05", "vp-ubnd")
    save_entry(submission, user=kpi_users["vp"], values={"7.a": "5", "7.b": "10"}, today=dt.date(2024, 5, 31))
    assert selectors.programme_data(programme).kpi("7").last is None


def test_two_districts_pool_numerators_and_denominators(programme, kpi_users, make_user, kpi_units):
    hb = make_user("bientap.hb", "reporter", kpi_units["h-b"])
    send(programme, "2024-Q2", "h-a", {"1.a": "10", "1.b": "20"}, reporter=kpi_users["ha"], leader=kpi_users["ha_leader"])
    send(programme, "2024-Q2", "h-b", {"1.a": "70", "1.b": "80"}, reporter=hb, leader=hb)
    item = selectors.programme_data(programme).kpi("1")
    assert item.last.value == 80.0  # (10 + 70) / (20 + 80), not the mean of 50 % and 87,5 %
    assert sorted(r.value for r in item.by_agency["2024-Q2"]) == [50.0, 87.5]


def test_zero_denominator_and_broken_constraint_are_no_data(programme, kpi_users):
    send(programme, "2024-Q1", "so-gddt", {"12.a": "0", "12.b": "0"}, reporter=kpi_users["gd"], leader=kpi_users["gd_leader"])
    send(programme, "2024-Q2", "so-gddt", {"12.a": "700", "12.b": "600"}, reporter=kpi_users["gd"],
         leader=kpi_users["gd_leader"])
    item = selectors.programme_data(programme).kpi("12")
    points = {str(p.period): p for p in item.points}
    assert points["2024-Q1"].status == points["2024-Q2"].status == "no_data"
    assert "không thể lớn hơn" in item.by_agency["2024-Q2"][0].invalid


def test_lower_is_better_kpi(programme, make_user, kpi_units):
    tt = make_user("bientap.tt", "leader", kpi_units["so-tttt"])
    services.set_target(programme.settings.get(code="26"), year=2024, value=20, decision="QĐ thử")
    send(programme, "2024-Q1", "so-tttt", {"26.a": "3", "26.b": "10"}, reporter=tt, leader=tt)
    send(programme, "2024-Q2", "so-tttt", {"26.a": "1", "26.b": "10"}, reporter=tt, leader=tt)
    item = selectors.programme_data(programme).kpi("26")
    assert [p.status for p in item.points[:2]] == ["not_met", "met"]
    assert item.trend == "up"


def test_a_save_after_the_dashboard_is_seen_is_not_served_stale(programme, kpi_users):
    send(programme, "2024-01", "vp-ubnd", {"7.a": "1", "7.b": "2"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    assert selectors.programme_data(programme).kpi("7").last.value == 50.0
    send(programme, "2024-02", "vp-ubnd", {"7.a": "3", "7.b": "4"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    assert selectors.programme_data(programme).kpi("7").last.value == 75.0


def test_late_agencies_are_those_not_sent_by_the_deadline(programme, kpi_users):
    send(programme, "2024-Q1", "so-gddt", {"12.a": "1", "12.b": "2"}, reporter=kpi_users["gd"], leader=kpi_users["gd_leader"])
    late = {a.code: a for a in selectors.late_agencies(programme, today=dt.date(2024, 10, 20))}
    assert late["so-gddt"].count == 2  # Q2 and Q3; Q1 sent, Q4 not yet due
    assert late["vp-ubnd"].count == 9  # January to September
    assert str(late["vp-ubnd"].oldest) == "2024-01"


def test_a_save_patches_the_cached_series_to_what_a_full_computation_gives(programme, kpi_users, make_user, kpi_units):
    from dti.kpi.selectors import _compute

    send(programme, "2024-01", "vp-ubnd", {"7.a": "1", "7.b": "2"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    send(programme, "2024-Q1", "h-a", {"1.a": "3", "1.b": "4"}, reporter=kpi_users["ha"], leader=kpi_users["ha_leader"])
    selectors.programme_data(programme)  # cached; the next saves patch it
    hb = make_user("bientap.hb", "reporter", kpi_units["h-b"])
    send(programme, "2024-Q1", "h-b", {"1.a": "5", "1.b": "10"}, reporter=hb, leader=hb)
    send(programme, "2024-03", "vp-ubnd", {"7.a": "2", "7.b": "3"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    patched, full = selectors.programme_data(programme), _compute(programme)
    assert [(k.code, k.points) for k in patched.kpis] == [(k.code, k.points) for k in full.kpis]
    assert patched.kpi("1").last.value == pytest.approx(800 / 14)
    assert {r.code for r in patched.kpi("1").agency_rows("2024-Q1")} == {"h-a", "h-b"}


def test_daily_command_opens_the_periods_up_to_today(programme):
    from django.core.management import call_command
    from django.utils import timezone

    from dti.engine.kpi import MONTH, period_containing

    call_command("kpi_open_periods", stdout=io.StringIO())
    current = str(period_containing(MONTH, timezone.localdate()))
    assert ProgrammePeriod.objects.filter(programme=programme, period=current).exists()
    before = ProgrammePeriod.objects.count()
    call_command("kpi_open_periods", stdout=io.StringIO())
    assert ProgrammePeriod.objects.count() == before
