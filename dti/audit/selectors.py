from __future__ import annotations

from .models import AuditEvent


def submission_trail(submission, indicator: str | None = None, limit: int = 200):
    qs = AuditEvent.objects.filter(submission_id=submission.pk)
    if indicator:
        qs = qs.filter(indicator=indicator)
    return list(qs.order_by("-at", "-id")[:limit])


def campaign_trail(campaign, limit: int = 300):
    return list(AuditEvent.objects.filter(campaign_id=campaign.pk).order_by("-at", "-id")[:limit])
