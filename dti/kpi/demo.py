"""Demo KPI programme: Bình Định's 27 smart-city KPIs watched since the year before last.

Frequencies and reporting agencies come from ``plans/binhdinh-kpi-2023.yaml`` (the programme
owner's choices, the document gives none); the agencies are the demo province's units.  The
figures and targets are invented for the demonstration and say so.  Every figure goes through
``save_entry`` and every step through the workflow table, so the audit trail is a real one.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from dti.accounts.models import Role, RoleAssignment
from dti.engine.kpi import parse_period
from dti.methodologies.models import FrameworkVersion
from dti.methodologies.selectors import compiled_for
from dti.organisations.models import Unit
from dti.organisations.services import create_unit
from dti.submissions import services as entry

from . import services
from .models import Programme

PLAN = Path(__file__).resolve().parent / "plans" / "binhdinh-kpi-2023.yaml"
NAME = "Giám sát Bộ chỉ số KPI đô thị thông minh (phiên bản 1.0)"
DEMO_DECISION = "Số liệu minh họa (demo), không phải chỉ tiêu chính thức"
# Names the plan uses → demo units (codes); 'UBND cấp huyện' is every district.
AGENCIES = {
    "Sở Thông tin và Truyền thông": ["so-tttt"], "Văn phòng UBND tỉnh": ["vp-ubnd"],
    "Sở Giao thông vận tải": ["so-gtvt"], "Sở Y tế": ["so-yte"], "Sở Giáo dục và Đào tạo": ["so-gddt"],
    "Sở Lao động, Thương binh và Xã hội": ["so-ldtbxh"], "Sở Tài chính": ["so-tc"], "Công an tỉnh": ["ca-tinh"],
    "Sở Tài nguyên và Môi trường": ["so-tnmt"], "UBND thị xã, thành phố": ["tp-minhhoa"],
}
EXTRA_UNITS = [("vp-ubnd", "Văn phòng UBND tỉnh"), ("ca-tinh", "Công an tỉnh")]
# Agencies that have stopped reporting lately (periods before the deadline passed): late on the overview.
LATE = {"so-gtvt": 2, "huyen-binhson": 3, "so-tnmt": 1, "vp-ubnd": 2}
# KPIs whose target is set above what the agencies reach: not on target.
BEHIND = {"2", "5", "9", "11", "14", "18", "19", "21", "26"}
# KPIs whose figures fall back over the last year (a trend going the wrong way).
FALLING = {"4", "9", "13", "19", "23"}


def _units(province) -> dict[str, list[Unit]]:
    for code, name in EXTRA_UNITS:
        if not Unit.objects.filter(code=code).exists():
            create_unit(code=code, name=name, level="so", parent=province, ranking_group="Sở, ban, ngành")
    found = {name: list(Unit.objects.filter(code__in=codes).order_by("path")) for name, codes in AGENCIES.items()}
    found["UBND cấp huyện"] = list(Unit.objects.filter(level_id="huyen").order_by("path"))
    return found


def _users(units) -> None:
    hashed = make_password("demo")
    User = get_user_model()
    for unit in units:
        for prefix, role, label in (("bientap", Role.REPORTER, "Cán bộ nhập liệu"), ("lanhdao", Role.LEADER, "Lãnh đạo")):
            user, created = User.objects.get_or_create(username=f"{prefix}.{unit.code}",
                                                       defaults={"first_name": f"{label} {unit.name}"})
            if created:
                user.password = hashed
                user.save()
            RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)


def _rate(code: str, agency: str, step: int, steps: int) -> float:
    """A share (0–1) rising over time, with a little noise; fixed by its seed."""
    rng = random.Random(f"{code}:{agency}:{step}")
    start = 0.35 + 0.4 * random.Random(f"{code}:{agency}").random()
    end = min(0.98, start + 0.15 + 0.25 * random.Random(f"{code}").random())
    share = start + (end - start) * step / max(steps - 1, 1)
    if code in FALLING and step > steps * 2 // 3:
        share -= 0.09 * (step - steps * 2 // 3)
    return max(0.0, min(1.0, share + rng.uniform(-0.03, 0.03)))


def _values(node, code: str, agency: str, step: int, steps: int) -> dict[str, str]:
    variables = [i.var for i in node.indicator.inputs]
    if variables == ["a"]:  # KPI 27: Có / Chưa
        return {f"{code}.a": "Có" if step >= steps // 3 else "Chưa"}
    base = 40 + random.Random(f"b:{code}:{agency}").randrange(400)
    rate = _rate(code, agency, step, steps)
    if variables == ["a1", "a2", "b"]:  # KPI 14: electricity and water paid online, per household
        return {f"{code}.a1": str(math.floor(base * rate)), f"{code}.a2": str(math.floor(base * rate * 0.6)),
                f"{code}.b": str(base)}
    return {f"{code}.a": str(math.floor(base * rate)), f"{code}.b": str(base)}


def load(admin, *, today, say=print) -> Programme | None:
    existing = Programme.objects.filter(name=NAME).first()
    if existing is not None:
        say(f"  chương trình {NAME}: đã có")
        return existing
    framework = FrameworkVersion.objects.filter(code="binhdinh-kpi-2023", derived_from__isnull=True).order_by("-revision").first()
    province = Unit.objects.filter(level_id="tinh").order_by("path").first()
    owner = Unit.objects.filter(code="so-tttt").first()
    if framework is None or province is None or owner is None:
        return None
    plan = yaml.safe_load(PLAN.read_text(encoding="utf-8"))["kpis"]
    with transaction.atomic():
        agencies = _units(province)
        kpis = {}
        for code, item in plan.items():
            units = [u for name in item["reports"] for u in agencies.get(name, [])]
            if units:
                kpis[code] = {"frequency": item["frequency"], "direction": "higher", "agencies": units}
        _users({u for item in kpis.values() for u in item["agencies"]})
        programme = services.create_programme(name=NAME, framework=framework, owner=owner, first_year=today.year - 2,
                                              kpis=kpis, user=admin)
        periods = services.open_due_periods(programme, today=today, user=admin)
        compiled = compiled_for(programme.framework)
        for setting in programme.settings.all():
            final = 0.6 + 0.35 * random.Random(setting.code).random()
            for offset, year in enumerate(range(programme.first_year, today.year + 1)):
                share = final - 0.1 * (2 - offset) + (0.2 if setting.code in BEHIND else -0.1)
                services.set_target(setting, year=year, value=round(min(share, 1.0) * 100, 0), decision=DEMO_DECISION,
                                    user=admin)
            if setting.code == "27":
                services.set_target(setting, year=today.year, value=1, decision=DEMO_DECISION, user=admin)
        User = get_user_model()
        people = {u.username: u for u in User.objects.filter(username__regex=r"^(bientap|lanhdao)\.")}
        by_frequency: dict[str, list] = {}
        for found in periods:
            by_frequency.setdefault(found.frequency, []).append(found)
        settings = list(programme.settings.prefetch_related("agencies"))
        for frequency, items in by_frequency.items():
            items.sort(key=lambda p: parse_period(p.period))
            steps = len(items)
            due_count = sum(1 for p in items if p.campaign.entry_deadline < today)
            for step, found in enumerate(items):
                period = parse_period(found.period)
                due = found.campaign.entry_deadline < today
                for submission in found.campaign.submissions.select_related("unit", "campaign__framework"):
                    code = submission.unit.code
                    if due and frequency != "year" and step >= due_count - LATE.get(code, 0):
                        continue  # late: nothing sent for its last periods
                    values = {}
                    for setting in settings:
                        if setting.frequency == frequency and submission.unit in setting.agencies.all():
                            values.update(_values(compiled.nodes[setting.code], setting.code, code, step, steps))
                    reporter = people.get(f"bientap.{code}", admin)
                    leader = people.get(f"lanhdao.{code}", admin)
                    day = min(period.end, today)
                    if not due:  # the current period: some agencies have started, none has sent
                        if step % 2 == 0 or code == "so-tttt":
                            entry.save_entry(submission, user=reporter, values=values, today=day)
                        continue
                    entry.save_entry(submission, user=reporter, values=values, today=day)
                    entry.approve_by_leader(submission, user=leader)
                    entry.submit(submission, user=reporter, today=day)
    say(f"  chương trình {NAME}: đã tạo ({len(kpis)} chỉ số, {len(periods)} kỳ báo cáo)")
    return programme
