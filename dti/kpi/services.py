"""Writing KPI programmes: settings, baselines and targets, reporting periods, imports.

A reporting period is opened as a Campaign of the programme's framework whose units are the
source agencies of the KPIs reported at that frequency; every figure is then written by
``dti.submissions.services.save_entry`` (validation, concurrency, audit) and moved by the one
workflow table (leader approval, submission, review).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dti.audit.services import record
from dti.campaigns.services import create_campaign
from dti.engine.kpi import DIRECTIONS, FREQUENCIES, Period, period_containing, periods_between
from dti.methodologies.models import FrameworkVersion
from dti.methodologies.selectors import compiled_for
from dti.methodologies.services import create_version
from dti.organisations.models import Level
from dti.site.text import check_text

from .models import KpiSetting, Programme, ProgrammePeriod, Target


def bump(programme: Programme) -> None:
    Programme.objects.filter(pk=programme.pk).update(version=F("version") + 1)


def programme_framework(base: FrameworkVersion, levels: set[str], *, user=None) -> FrameworkVersion:
    """The framework the periods' campaigns use: ``base`` itself when its levels include the
    source agencies' levels, else a version derived from it with those levels added (the
    KPIs carry no levels of their own, so each applies at every level)."""
    have = set(compiled_for(base).framework.level_codes)
    missing = sorted(levels - have, key=lambda code: (Level.objects.filter(code=code).values_list("order", flat=True).first() or 0))
    if not missing:
        return base
    data = yaml.safe_load(base.yaml_text)
    names = dict(Level.objects.filter(code__in=missing).values_list("code", "name"))
    data["levels"] = list(data["levels"]) + [{"code": code, "name": names.get(code, code)} for code in missing]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    found = FrameworkVersion.objects.filter(sha256=hashlib.sha256(text.encode("utf-8")).hexdigest()).first()
    return found or create_version(text, user=user, derived_from=base)


@transaction.atomic
def create_programme(*, name: str, framework: FrameworkVersion, owner, first_year: int, kpis: dict[str, dict],
                     entry_days: int = 15, review_days: int = 15, user=None) -> Programme:
    """``kpis``: code → {'frequency', 'direction' (default higher), 'agencies': [Unit, …]}."""
    name = check_text(name, max_length=300, multiline=False, field="name")
    compiled = compiled_for(framework)
    leaves = {leaf.code for leaf in compiled.leaves}
    errors = []
    for code, plan in kpis.items():
        if code not in leaves:
            errors.append(_("Chỉ số %(code)s không có trong bộ chỉ số") % {"code": code})
        elif plan.get("frequency") not in FREQUENCIES:
            errors.append(_("Chỉ số %(code)s: tần suất phải là tháng, quý hoặc năm") % {"code": code})
        elif plan.get("direction", "higher") not in DIRECTIONS:
            errors.append(_("Chỉ số %(code)s: chiều tốt phải là 'càng cao' hoặc 'càng thấp'") % {"code": code})
        elif not plan.get("agencies"):
            errors.append(_("Chỉ số %(code)s chưa có cơ quan cung cấp số liệu") % {"code": code})
    if not name:
        errors.append(_("Cần tên chương trình"))
    if errors:
        raise ValidationError(errors)
    levels = {unit.level_id for plan in kpis.values() for unit in plan["agencies"]}
    version = programme_framework(framework, levels, user=user)
    programme = Programme.objects.create(name=name, framework=version, owner=owner, first_year=first_year,
                                         entry_days=entry_days, review_days=review_days,
                                         created_by=user if user is not None and user.is_authenticated else None)
    for code in [leaf.code for leaf in compiled.leaves if leaf.code in kpis]:
        plan = kpis[code]
        setting = KpiSetting.objects.create(programme=programme, code=code, frequency=plan["frequency"],
                                            direction=plan.get("direction", "higher"))
        setting.agencies.set(plan["agencies"])
    record(user, "kpi.programme.create", programme, new=name, reason=f"{len(kpis)} KPI")
    return programme


def _decision(decision: str) -> str:
    text = check_text(decision, max_length=300, multiline=False, field="decision")
    if not text:
        raise ValidationError({"decision": _("Cần ghi văn bản giao chỉ tiêu (số, ngày của quyết định, kế hoạch…)")})
    return text


@transaction.atomic
def set_target(setting: KpiSetting, *, year: int, value: float, decision: str, user=None) -> Target:
    decision = _decision(decision)
    target = Target.objects.filter(setting=setting, year=year).first()
    old = "" if target is None else f"{target.value:g} ({target.decision})"
    if target is None:
        target = Target(setting=setting, year=year)
    target.value, target.decision = float(value), decision
    target.entered_by = user if user is not None and user.is_authenticated else None
    target.save()
    record(user, "kpi.target", target, indicator=setting.code, field=str(year), old=old, new=f"{value:g} ({decision})")
    bump(setting.programme)
    return target


@transaction.atomic
def set_baseline(setting: KpiSetting, *, value: float, year: int, decision: str, user=None) -> KpiSetting:
    decision = _decision(decision)
    old = "" if setting.baseline is None else f"{setting.baseline:g} ({setting.baseline_year}, {setting.baseline_decision})"
    setting.baseline, setting.baseline_year, setting.baseline_decision = float(value), year, decision
    setting.save(update_fields=["baseline", "baseline_year", "baseline_decision"])
    record(user, "kpi.baseline", setting, indicator=setting.code, field="baseline", old=old,
           new=f"{value:g} ({year}, {decision})")
    bump(setting.programme)
    return setting


@transaction.atomic
def set_direction(setting: KpiSetting, direction: str, *, user=None) -> None:
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": _("Chiều tốt phải là 'càng cao' hoặc 'càng thấp'")})
    if direction != setting.direction:
        record(user, "kpi.direction", setting, indicator=setting.code, field="direction", old=setting.direction, new=direction)
        setting.direction = direction
        setting.save(update_fields=["direction"])
        bump(setting.programme)


def open_period(programme: Programme, period: Period, *, user=None, today: dt.date | None = None) -> ProgrammePeriod:
    """The campaign of one reporting period (created once; its agencies are those of the KPIs
    reported at the period's frequency)."""
    found = ProgrammePeriod.objects.filter(programme=programme, period=str(period)).first()
    if found is not None:
        return found
    from dti.organisations.models import Unit

    agencies = list(Unit.objects.filter(kpi_settings__programme=programme, kpi_settings__frequency=period.frequency)
                    .distinct().order_by("path"))
    if not agencies:
        raise ValidationError(_("Không có chỉ số nào báo cáo %(f)s") % {"f": period.frequency})
    entry = period.end + dt.timedelta(days=programme.entry_days)
    with transaction.atomic():
        campaign = create_campaign(
            name=f"{programme.name} — {period.label}", framework=programme.framework, year=period.year,
            period_start=period.start, period_end=period.end, entry_deadline=entry,
            review_deadline=entry + dt.timedelta(days=programme.review_days), lead_unit=programme.owner,
            units=agencies, user=user,
        )
        return ProgrammePeriod.objects.create(programme=programme, period=str(period), frequency=period.frequency,
                                              campaign=campaign)


def open_due_periods(programme: Programme, *, today: dt.date, user=None) -> list[ProgrammePeriod]:
    """Every period from the programme's first year up to the one containing ``today``."""
    frequencies = set(programme.settings.values_list("frequency", flat=True))
    opened = []
    for frequency in sorted(frequencies):
        first = period_containing(frequency, dt.date(programme.first_year, 1, 1))
        for period in periods_between(first, period_containing(frequency, today)):
            opened.append(open_period(programme, period, user=user))
    return opened


# --------------------------------------------------------------------------- import


@dataclass
class ImportRow:
    line: int
    kpi: str
    period: str
    unit: str
    values: dict[str, str] = field(default_factory=dict)  # field → raw
    shown: dict[str, str] = field(default_factory=dict)  # field → what is stored now (the preview's originals)
    submission_id: int | None = None
    action: str = ""  # new, change, same, error
    message: str = ""

    def to_dict(self) -> dict:
        return self.__dict__.copy()


@transaction.atomic
def apply_import(programme: Programme, rows: list[dict], *, user) -> dict[str, int]:
    """Write the previewed rows through ``save_entry`` with what the preview showed as originals:
    a figure somebody changed since the preview is a conflict, not overwritten."""
    from dti.submissions.models import Submission
    from dti.submissions.services import WorkflowError, save_entry

    by_submission: dict[int, tuple[dict, dict]] = {}
    for row in rows:
        if row["action"] not in ("new", "change"):
            continue
        values, originals = by_submission.setdefault(row["submission_id"], ({}, {}))
        values.update(row["values"])
        originals.update({f"f:{name}": shown for name, shown in row["shown"].items()})
    summary = {"saved": 0, "conflicts": 0, "refused": 0, "errors": 0}
    for submission in Submission.objects.filter(pk__in=list(by_submission), campaign__kpi_period__programme=programme) \
            .select_related("unit", "campaign__framework"):
        values, originals = by_submission[submission.pk]
        try:
            outcome = save_entry(submission, user=user, values=values, originals=originals)
        except WorkflowError:
            summary["refused"] += len(values)
            continue
        summary["saved"] += outcome.changed
        summary["conflicts"] += len(outcome.conflicts)
        summary["errors"] += len(outcome.errors)
    return summary
