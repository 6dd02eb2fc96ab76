"""Reading submissions: values as typed, notes, evidence, completeness."""

from __future__ import annotations

from dataclasses import dataclass

from .models import REVIEWABLE_STATES, Evidence, IndicatorNote, State, Submission, Value


def get_submission(campaign_id: int, unit_code: str) -> Submission | None:
    return (
        Submission.objects.select_related("unit", "campaign", "campaign__framework")
        .defer("campaign__framework__yaml_text")  # compiled frameworks are cached by hash
        .filter(campaign_id=campaign_id, unit__code=unit_code)
        .first()
    )


def values_map(submission: Submission) -> dict[str, Value]:
    return {v.field: v for v in Value.objects.filter(submission=submission)}


def notes_map(submission: Submission) -> dict[str, str]:
    return dict(IndicatorNote.objects.filter(submission=submission).values_list("indicator", "text"))


def evidence_map(submission: Submission) -> dict[str, list[Evidence]]:
    found: dict[str, list[Evidence]] = {}
    for item in Evidence.objects.filter(submission=submission).order_by("uploaded_at", "id"):
        found.setdefault(item.indicator, []).append(item)
    return found


@dataclass
class Completeness:
    filled: int
    total: int
    evidence_attached: int
    evidence_required: int
    errors: int

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.total) if self.total else 100

    @property
    def evidence_percent(self) -> int:
        return round(self.evidence_attached * 100 / self.evidence_required) if self.evidence_required else 100


def leaf_filled(leaf, values: dict[str, Value]) -> bool:
    status = values.get(f"{leaf.code}.status")
    if status is not None and status.raw:
        return True
    required = [f for f in leaf.fields if f.spec.required]
    if not required:
        required = leaf.fields
    return all((v := values.get(f.name)) is not None and v.raw and not v.error for f in required)


def completeness(layout, values: dict[str, Value], evidence: dict[str, list]) -> Completeness:
    leaves = [leaf for leaf in layout.leaves if not leaf.computed]
    filled = sum(1 for leaf in leaves if leaf_filled(leaf, values))
    needs = [leaf for leaf in leaves if leaf.indicator.evidence] or leaves
    attached = sum(1 for leaf in needs if evidence.get(leaf.code))
    errors = sum(1 for v in values.values() if v.error)
    return Completeness(filled, len(leaves), attached, len(needs), errors)


def submissions_visible(access, campaign, *, states=None):
    qs = Submission.objects.filter(campaign=campaign).select_related("unit", "unit__level")
    q = access.unit_filter("unit__", campaign_id=campaign.pk)
    if q is not None:
        qs = qs.filter(q)
    if states:
        qs = qs.filter(state__in=states)
    return qs.order_by("unit__path")


def awaiting_review(access, campaign):
    from dti.accounts.models import Role

    q = access.unit_filter("unit__", campaign_id=campaign.pk, roles={Role.REVIEWER, Role.SYSTEM_ADMIN, Role.ASSESSMENT_ADMIN})
    qs = Submission.objects.filter(campaign=campaign, state__in=REVIEWABLE_STATES).select_related("unit")
    if q is not None:
        qs = qs.filter(q)
    return qs.order_by("submitted_at")


STATE_ORDER = [s.value for s in State]
