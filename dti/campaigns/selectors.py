from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max
from django.utils import timezone

from dti.accounts.models import Role

from .models import Campaign, Extension


def today() -> dt.date:
    return timezone.localdate()


def campaigns_visible(access):
    """Campaigns the user has a role in: everything for global admins and reviewers,
    a campaign-scoped reviewer's campaigns, and campaigns where the user's units take part."""
    qs = Campaign.objects.select_related("framework", "lead_unit").defer("framework__yaml_text").order_by("-year", "-id")
    q = access.unit_filter("unit__")
    if q is None:
        return qs
    from dti.submissions.models import Submission

    ids = {g.campaign_id for g in access.grants if g.role == Role.REVIEWER and g.campaign_id is not None}
    ids |= set(Submission.objects.filter(q).values_list("campaign_id", flat=True).distinct())
    return qs.filter(pk__in=ids)


def framework_locked(campaign_id: int) -> bool:
    """True once any unit has data in the campaign: a value typed, a note, a file, or a
    submission past draft.  From then on the framework version is fixed."""
    from dti.submissions.models import Evidence, IndicatorNote, State, Submission, Value

    return (
        Submission.objects.filter(campaign_id=campaign_id).exclude(state=State.DRAFT).exists()
        or Value.objects.filter(submission__campaign_id=campaign_id).exclude(raw="").exists()
        or IndicatorNote.objects.filter(submission__campaign_id=campaign_id).exclude(text="").exists()
        or Evidence.objects.filter(submission__campaign_id=campaign_id).exists()
    )


def get_campaign(pk: int) -> Campaign | None:
    return Campaign.objects.select_related("framework", "lead_unit").defer("framework__yaml_text").filter(pk=pk).first()


def entry_deadline(campaign: Campaign, unit) -> dt.date:
    """The campaign's entry deadline, or the latest extension granted to the unit."""
    latest = Extension.objects.filter(campaign=campaign, unit=unit).aggregate(m=Max("new_deadline"))["m"]
    return max(campaign.entry_deadline, latest) if latest else campaign.entry_deadline


def entry_open(campaign: Campaign, unit, on: dt.date | None = None) -> bool:
    return (on or today()) <= entry_deadline(campaign, unit)


def extensions(campaign: Campaign, unit=None):
    qs = Extension.objects.filter(campaign=campaign).select_related("unit", "granted_by")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return list(qs)


def state_counts(campaign: Campaign, submissions=None) -> dict[str, int]:
    """Submissions per state; ``submissions``: a queryset already restricted to what the person sees."""
    from dti.submissions.models import Submission

    if submissions is None:
        submissions = Submission.objects.filter(campaign=campaign)
    rows = submissions.order_by().values("state").annotate(n=Count("id"))
    return {r["state"]: r["n"] for r in rows}


def calendar(campaign: Campaign) -> list[tuple[str, dt.date | None, bool]]:
    """(label, date, passed) in order, for display."""
    from django.utils.translation import gettext as _

    now = today()
    items = [
        (_("Kỳ số liệu: từ"), campaign.period_start),
        (_("Kỳ số liệu: đến"), campaign.period_end),
        (_("Hạn nhập liệu, gửi hồ sơ"), campaign.entry_deadline),
        (_("Hạn thẩm định"), campaign.review_deadline),
        (_("Phê duyệt kết quả"), campaign.approval_date),
        (_("Công bố kết quả"), campaign.publication_date),
    ]
    shown = {"self_assessment", "review", "data_period"}  # already among the dates above
    items += [(step.name, step.due) for step in campaign.steps.all() if step.step not in shown]
    items.sort(key=lambda item: item[1] or dt.date.max)
    return [(label, date, date is not None and date < now) for label, date in items]


def step_due(campaign: Campaign, step: str) -> dt.date | None:
    """The date of one step of the campaign's calendar (registration, recognition, report…)."""
    from .models import CampaignStep

    return CampaignStep.objects.filter(campaign=campaign, step=step).values_list("due", flat=True).first()


def readings(campaign: Campaign) -> dict:
    """The indicators whose document reads two ways, each reading and which one the campaign uses;
    ``locked`` once data has been entered (the readings are frozen with the framework)."""
    from dti.engine.readings import declared_readings
    from dti.methodologies.selectors import compiled_for
    from dti.submissions.models import Value

    framework = compiled_for(campaign.framework).written
    items = []
    for node, _parent in framework.walk():
        if not node.readings:
            continue
        default = node.default_reading
        chosen = campaign.readings.get(node.code) or (default.name if default is not None else "")
        items.append({"code": node.code, "name": node.name, "chosen": chosen, "readings": [
            {"name": r.name, "label": r.label, "text": r.text, "reason": r.reason, "default": r.default,
             "chosen": r.name == chosen} for r in declared_readings(framework)[node.code]]})
    locked = bool(items) and Value.objects.filter(submission__campaign=campaign).exists()
    return {"indicators": items, "locked": locked}
