"""Fixtures for the KPI monitoring tests: Bình Định's framework, agencies, a programme.

Imported by the KPI test modules (``from .kpi_fixtures import *``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

FRAMEWORK = Path(__file__).resolve().parents[2] / "dti" / "frameworks" / "binhdinh-kpi-2023.yaml"
D2024 = dt.date(2024, 12, 31)


@pytest.fixture
def kpi_units(db):
    from dti.organisations.services import create_unit

    province = create_unit(code="bd", name="UBND tỉnh Bình Định", level="tinh")
    so = {code: create_unit(code=code, name=name, level="so", parent=province) for code, name in [
        ("vp-ubnd", "Văn phòng UBND tỉnh"), ("so-gddt", "Sở Giáo dục và Đào tạo"), ("so-tttt", "Sở Thông tin và Truyền thông")]}
    huyen = {code: create_unit(code=code, name=name, level="huyen", parent=province) for code, name in [
        ("h-a", "UBND huyện A"), ("h-b", "UBND huyện B")]}
    return {"bd": province, **so, **huyen}


@pytest.fixture
def kpi_framework(db):
    from dti.methodologies.services import create_version

    return create_version(FRAMEWORK.read_text(encoding="utf-8"))


@pytest.fixture
def programme(kpi_units, kpi_framework):
    """KPI 7 monthly (Văn phòng), 12 quarterly (Sở GD&ĐT), 1 quarterly (two districts),
    26 quarterly lower-is-better and 27 yearly (Sở TT&TT); all periods of 2024 opened."""
    from dti.kpi import services

    u = kpi_units
    programme = services.create_programme(
        name="Giám sát KPI đô thị thông minh", framework=kpi_framework, owner=u["so-tttt"], first_year=2024,
        kpis={"1": {"frequency": "quarter", "agencies": [u["h-a"], u["h-b"]]},
              "7": {"frequency": "month", "agencies": [u["vp-ubnd"]]},
              "12": {"frequency": "quarter", "agencies": [u["so-gddt"]]},
              "26": {"frequency": "quarter", "direction": "lower", "agencies": [u["so-tttt"]]},
              "27": {"frequency": "year", "agencies": [u["so-tttt"]]}},
    )
    services.open_due_periods(programme, today=D2024)
    return programme


@pytest.fixture
def kpi_users(make_user, kpi_units):
    u = kpi_units
    return {
        "admin": make_user("quantri.kpi", "assessment_admin"),
        "vp": make_user("bientap.vp", "reporter", u["vp-ubnd"]),
        "vp_leader": make_user("lanhdao.vp", "leader", u["vp-ubnd"]),
        "gd": make_user("bientap.gd", "reporter", u["so-gddt"]),
        "gd_leader": make_user("lanhdao.gd", "leader", u["so-gddt"]),
        "ha": make_user("bientap.ha", "reporter", u["h-a"]),
        "ha_leader": make_user("lanhdao.ha", "leader", u["h-a"]),
        "tinh": make_user("lanhdao.tinh", "viewer", u["bd"], subtree=True),
        "reviewer": make_user("thamdinh.kpi", "reviewer"),
        "nobody": make_user("khach.kpi"),
    }


def kpi_submission(programme, period, unit_code):
    from dti.submissions.models import Submission

    return Submission.objects.select_related("unit", "campaign__framework").get(
        campaign__kpi_period__programme=programme, campaign__kpi_period__period=period, unit__code=unit_code)


def send(programme, period, unit_code, values, *, reporter, leader):
    """The agency enters its figures, its leader approves, it submits (on the period's last day)."""
    from dti.engine.kpi import parse_period
    from dti.submissions import services

    submission = kpi_submission(programme, period, unit_code)
    day = parse_period(period).end
    outcome = services.save_entry(submission, user=reporter, values=values, today=day)
    services.approve_by_leader(submission, user=leader)
    services.submit(submission, user=reporter, today=day)
    return outcome


__all__ = ["D2024", "kpi_units", "kpi_framework", "programme", "kpi_users", "kpi_submission", "send"]
