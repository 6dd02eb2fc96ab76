from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from .models import ItemStatus, ReviewItem


def items_map(submission) -> dict[str, ReviewItem]:
    return {i.indicator: i for i in ReviewItem.objects.filter(submission=submission).select_related("reviewer")}


def returned_indicators(submission) -> set[str]:
    return set(
        ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED).values_list("indicator", flat=True)
    )


def status_counts(submission) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in ReviewItem.objects.filter(submission=submission).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


# ----------------------------------------------------------------- the reviewer's queue across campaigns

QUEUE_STATES = ("submitted", "under_review", "resubmitted", "returned")
QUEUE_SORTS = {
    "deadline": ("campaign__review_deadline", "submitted_at", "unit__name"),
    "submitted": ("submitted_at", "unit__name"),
    "unit": ("unit__name", "campaign__name"),
    "campaign": ("campaign__name", "unit__name"),
    "state": ("state", "campaign__review_deadline", "unit__name"),
}


@dataclass
class QueueRow:
    submission: object
    days_left: int  # < 0: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def review_queue(access, *, campaign_id: int | None = None, states=None, search: str = "", overdue: bool = False,
                 sort: str = "deadline", descending: bool = False, on: dt.date | None = None):
    """The files waiting for this person's review, every campaign in one list.

    Only units their reviewer / administrator roles cover, campaign by campaign (a reviewer
    scoped to one campaign sees that campaign's files only). Returns (rows, campaigns offered
    in the filter).
    """
    from dti.accounts.models import Role
    from dti.campaigns.selectors import campaigns_visible, today
    from dti.submissions.models import Submission

    on = on or today()
    roles = {Role.REVIEWER, Role.ASSESSMENT_ADMIN, Role.SYSTEM_ADMIN}
    campaigns = list(campaigns_visible(access))
    scope = Q(pk__in=[])
    offered = []
    for campaign in campaigns:
        units = access.unit_filter("unit__", campaign_id=campaign.pk, roles=roles)
        if units is not None and units == Q(pk__in=[]):
            continue  # no reviewing role in this campaign
        offered.append(campaign)
        scope |= Q(campaign_id=campaign.pk) & (units if units is not None else Q())
    qs = (Submission.objects.filter(scope, state__in=states or QUEUE_STATES[:3])
          .select_related("campaign", "unit"))
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    if search:
        qs = qs.filter(Q(unit__name__icontains=search) | Q(unit__code__icontains=search))
    if overdue:
        qs = qs.filter(campaign__review_deadline__lt=on)
    order = QUEUE_SORTS.get(sort, QUEUE_SORTS["deadline"])
    qs = qs.order_by(*[(f"-{f}" if descending and i == 0 else f) for i, f in enumerate(order)], "pk")
    return qs, offered, on


def queue_rows(submissions, on: dt.date) -> list[QueueRow]:
    return [QueueRow(s, (s.campaign.review_deadline - on).days) for s in submissions]
