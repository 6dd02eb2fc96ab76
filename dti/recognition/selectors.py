"""Reads for the recognition process: deadlines, registrations by level and district, council
files a person may open, what a decision lists, the recognised levels and the year's report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Max, Q

from dti.accounts.models import Role
from dti.campaigns.models import Campaign
from dti.campaigns.selectors import step_due
from dti.methodologies.selectors import compiled_for
from dti.organisations.models import Unit

from .models import (
    Council,
    CouncilFile,
    CouncilMember,
    Decision,
    DecisionLine,
    DecisionState,
    FileState,
    MemberRole,
    Registration,
    RegistrationExtension,
    RegistrationState,
)


def is_maturity_campaign(campaign: Campaign) -> bool:
    return bool(compiled_for(campaign.framework).framework.maturity_levels)


def level_names(campaign: Campaign) -> dict[int, str]:
    return {m.level: m.name for m in compiled_for(campaign.framework).framework.maturity_levels or ()}


def max_level(campaign: Campaign) -> int:
    return max(level_names(campaign) or {0: ""})


def level_label(campaign: Campaign, level: int | None) -> str:
    if level is None:
        return ""
    name = level_names(campaign).get(level)
    return f"Mức {level} - {name}" if name else ("Chưa đạt mức 1" if level == 0 else f"Mức {level}")


# ----------------------------------------------------------------- registration


def registration_deadline(campaign: Campaign, unit) -> dt.date | None:
    """The campaign's registration step, or the latest extension granted to the unit (None: no deadline)."""
    due = step_due(campaign, "registration")
    latest = RegistrationExtension.objects.filter(campaign=campaign, unit=unit).aggregate(m=Max("new_deadline"))["m"]
    if due is None:
        return latest
    return max(due, latest) if latest else due


def overdue(campaign: Campaign, step: str, today: dt.date | None = None) -> dt.date | None:
    """The step's date when it has passed (the council's and the recognition's dates are the
    document's targets: a late step is said, not refused), else None."""
    from dti.campaigns.selectors import today as local_today

    due = step_due(campaign, step)
    return due if due is not None and (today or local_today()) > due else None


def registration_for(campaign: Campaign, unit) -> Registration | None:
    return Registration.objects.filter(campaign=campaign, unit=unit).first()


def registrations_by(campaign: Campaign) -> dict:
    """Registered units counted by target level and by district (a commune counts under its district)."""
    units = list(Unit.objects.filter(submissions__campaign=campaign).select_related("parent").order_by("path"))
    regs = {r.unit_id: r for r in Registration.objects.filter(campaign=campaign)}
    names = level_names(campaign)
    levels = sorted(names)
    districts: dict[int, dict] = {}
    by_level: Counter[int] = Counter()
    rows = []
    for unit in units:
        district = unit if unit.level_id == "huyen" or unit.parent is None else unit.parent
        entry = districts.setdefault(district.pk, {"unit": district, "counts": Counter(), "units": 0,
                                                   "registered": 0})
        entry["units"] += 1
        reg = regs.get(unit.pk)
        registered = reg is not None and reg.state == RegistrationState.REGISTERED
        if registered:
            assert reg is not None
            by_level[reg.target_level] += 1
            entry["counts"][reg.target_level] += 1
            entry["registered"] += 1
        rows.append({"unit": unit, "district": district, "registration": reg, "registered": registered})
    table = [{"unit": d["unit"], "units": d["units"], "registered": d["registered"],
              "counts": [d["counts"].get(level, 0) for level in levels]} for d in districts.values()]
    return {"levels": [(level, names[level]) for level in levels], "by_level": [by_level.get(lv, 0) for lv in levels],
            "districts": table, "rows": rows, "registered": sum(by_level.values()), "units": len(units)}


# ----------------------------------------------------------------- council


def seats(user, campaign: Campaign) -> dict[int, str]:
    """Council id → the person's role in it, for the campaign's councils they sit on."""
    return dict(CouncilMember.objects.filter(user=user, council__campaign=campaign)
                .values_list("council_id", "role"))


def eligible_members(campaign: Campaign):
    """People who may sit on a council: holders of the reviewer role (for every campaign or this one)."""
    from django.contrib.auth import get_user_model

    # one filter(): the same role assignment must be a reviewer's and for this campaign (or every one)
    return (get_user_model().objects.filter(Q(roles__role=Role.REVIEWER)
                                            & (Q(roles__campaign__isnull=True) | Q(roles__campaign=campaign)))
            .distinct().order_by("username"))


def files_for(user, campaign: Campaign, *, admin: bool):
    """Council files the person may open: every file for the administrator, otherwise only their councils'."""
    qs = CouncilFile.objects.filter(campaign=campaign).select_related("unit", "council")
    return qs if admin else qs.filter(council__members__user=user)


def file_or_none(user, file_id: int, *, admin_campaigns) -> CouncilFile | None:
    """The file when the person sits on its council or administers its campaign (else None → 404)."""
    file = CouncilFile.objects.select_related("unit", "council", "campaign__framework").filter(pk=file_id).first()
    if file is None:
        return None
    if file.campaign_id in admin_campaigns or CouncilMember.objects.filter(council=file.council, user=user).exists():
        return file
    return None


@dataclass
class CriterionView:
    code: str
    name: str
    requirement: str
    self_met: bool | None
    opinions: list  # (member name, met, comment) per member who gave one
    mine: object | None
    disagree: bool


def criteria_at(campaign: Campaign, unit, level: int) -> list[tuple[str, str, str]]:
    """(code, name, the document's requirement at ``level``) for the unit's criteria applying there."""
    compiled = compiled_for(campaign.framework)
    out = []
    for node in compiled.leaves:
        if unit.level_id not in node.levels or node.indicator.maturity is None:
            continue
        spec = node.indicator.maturity
        conditions = spec.levels if spec.levels is not None else spec.children
        if not level or conditions is None or level > len(conditions):
            continue
        condition = conditions[level - 1]
        if condition is None or not condition.required:
            continue
        out.append((node.code, node.indicator.name, condition.text or ""))
    return out


def file_view(file: CouncilFile, user) -> dict:
    """Each criterion at the claimed level: the data's verdict, every member's opinion, disagreement."""
    from dti.results.selectors import campaign_scores

    members = list(CouncilMember.objects.filter(council=file.council).select_related("user"))
    opinions: dict[str, list] = {}
    for op in file.opinions.select_related("member"):
        opinions.setdefault(op.criterion, []).append(op)
    scores = campaign_scores(file.campaign)
    position = scores.index.get(file.unit.code)
    rows = []
    for code, name, requirement in criteria_at(file.campaign, file.unit, file.claimed_level):
        self_met = None
        if position is not None and code in scores.verified.indicators:
            detail = scores.verified.indicators[code].detail
            if "met" in detail:
                self_met = bool(detail["met"][file.claimed_level - 1][position])
        given = opinions.get(code, [])
        mine = next((op for op in given if op.member_id == user.pk), None)
        verdicts = {op.met for op in given}
        rows.append(CriterionView(code, name, requirement, self_met,
                                  [(op.member.get_full_name() or op.member.get_username(), op.met, op.comment)
                                   for op in given], mine, len(verdicts) > 1))
    missing = []
    codes = {row.code for row in rows}
    for member in members:
        have = {op.criterion for ops in opinions.values() for op in ops if op.member_id == member.user_id}
        left = len(codes - have)
        if left:
            missing.append((member.user.get_full_name() or member.user.get_username(), left))
    return {"rows": rows, "members": members, "missing": missing,
            "disagreements": sum(1 for row in rows if row.disagree)}


def recognised_levels(campaign_id: int) -> dict[str, int]:
    """Unit code → the level its council concluded (the verified result), for concluded files."""
    rows = (CouncilFile.objects.filter(campaign_id=campaign_id, state=FileState.CONCLUDED)
            .values_list("unit__code", "recognised_level"))
    return {code: level for code, level in rows if level is not None}


def published_levels(campaign: Campaign) -> dict[str, int]:
    """Unit code → level, from issued decisions only (what is public)."""
    return dict(DecisionLine.objects.filter(decision__campaign=campaign, decision__state=DecisionState.ISSUED)
                .values_list("unit__code", "level"))


# ----------------------------------------------------------------- decision


@dataclass
class Line:
    unit_id: int
    unit: Unit
    level: int
    level_label: str
    reasons: str


def decision_lines(decision: Decision) -> list[Line]:
    """The units the decision lists: frozen lines once issued; in a draft, the concluded files of its
    scope not already recognised by an issued decision."""
    campaign = decision.campaign
    if decision.state == DecisionState.ISSUED:
        return [Line(line.unit_id, line.unit, line.level, level_label(campaign, line.level), "")
                for line in decision.lines.select_related("unit")]
    return pending_lines(decision)


def pending_lines(decision: Decision) -> list[Line]:
    """What the decision would list if issued now."""
    campaign = decision.campaign
    done = set(DecisionLine.objects.filter(decision__campaign=campaign, decision__state=DecisionState.ISSUED)
               .values_list("unit_id", flat=True))
    files = CouncilFile.objects.filter(campaign=campaign, state=FileState.CONCLUDED).select_related("unit")
    if decision.level:
        files = files.filter(unit__level_id=decision.level)
    if decision.within is not None:
        files = files.filter(unit__path__startswith=decision.within.path).exclude(unit_id=decision.within.pk)
    return [Line(f.unit_id, f.unit, f.recognised_level or 0, level_label(campaign, f.recognised_level), f.reasons)
            for f in files if f.unit_id not in done]


def units_without_conclusion(decision: Decision) -> list[Unit]:
    """Units of the decision's scope whose file the council has not concluded (left out of the decision)."""
    units = Unit.objects.filter(submissions__campaign=decision.campaign).order_by("path")
    if decision.level:
        units = units.filter(level_id=decision.level)
    if decision.within is not None:
        units = units.filter(path__startswith=decision.within.path).exclude(pk=decision.within.pk)
    concluded = set(CouncilFile.objects.filter(campaign=decision.campaign, state=FileState.CONCLUDED)
                    .values_list("unit_id", flat=True))
    return [u for u in units if u.pk not in concluded]


# ----------------------------------------------------------------- report


def report(campaign: Campaign) -> dict:
    """The year's figures: by level and by district, registered against recognised, and last year's."""
    names = level_names(campaign)
    levels = sorted(names)
    regs = registrations_by(campaign)
    recognised = published_levels(campaign)
    concluded = recognised_levels(campaign.pk)
    final = recognised or concluded
    basis = "published" if recognised else "concluded"
    previous = published_levels(campaign.previous) if campaign.previous_id and campaign.previous else {}
    by_level = Counter(final.values())
    prev_by_level = Counter(previous.values())
    rows = []
    units = {u["unit"].code: u for u in regs["rows"]}
    for code, item in units.items():
        reg = item["registration"]
        target = reg.target_level if reg is not None and item["registered"] else None
        got = final.get(code)
        rows.append({"unit": item["unit"], "district": item["district"], "registered": target, "recognised": got,
                     "previous": previous.get(code),
                     "reached": target is not None and got is not None and got >= target})
    districts: dict[str, dict] = {}
    for row in rows:
        d = districts.setdefault(row["district"].code, {"unit": row["district"], "counts": Counter(), "units": 0,
                                                         "registered": 0, "recognised": 0})
        d["units"] += 1
        d["registered"] += row["registered"] is not None
        if row["recognised"] is not None:
            d["recognised"] += 1
            d["counts"][row["recognised"]] += 1
    return {
        "campaign": campaign, "levels": [(lv, names[lv]) for lv in levels], "basis": basis,
        "by_level": [{"level": lv, "name": names[lv], "registered": regs["by_level"][i],
                      "recognised": by_level.get(lv, 0), "previous": prev_by_level.get(lv, 0)}
                     for i, lv in enumerate(levels)],
        "not_reached_1": sum(1 for v in final.values() if v == 0),
        "districts": [{**d, "counts": [d["counts"].get(lv, 0) for lv in levels]} for d in districts.values()],
        "rows": rows, "units": len(rows), "registered": regs["registered"], "recognised": len(final),
        "reached": sum(1 for r in rows if r["reached"]), "has_previous": bool(previous),
        "previous_campaign": campaign.previous if previous else None,
    }


def councils(campaign: Campaign):
    return Council.objects.filter(campaign=campaign).prefetch_related("members__user")


def decisions(campaign: Campaign):
    return Decision.objects.filter(campaign=campaign)


__all__ = ["MemberRole"]
