from __future__ import annotations

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
