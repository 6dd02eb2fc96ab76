"""Recording audit events.  Every service that changes data calls ``record``."""

from __future__ import annotations

from django.db import models

from .models import AuditEvent


def _event(user, action: str, obj=None, *, submission=None, indicator: str = "", field: str = "", old="", new="",
           reason: str = "", campaign_id=None, unit_code: str = "") -> AuditEvent:
    object_type = object_id = ""
    if obj is not None and isinstance(obj, models.Model):
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    if submission is not None:
        campaign_id = campaign_id or submission.campaign_id
        unit_code = unit_code or submission.unit.code
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        campaign_id=campaign_id,
        submission_id=submission.pk if submission is not None else None,
        unit_code=unit_code,
        indicator=indicator or "",
        field=field or "",
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        reason=reason or "",
    )


def record(user, action: str, obj=None, **kwargs) -> AuditEvent:
    event = _event(user, action, obj, **kwargs)
    event.save()
    return event


def record_many(events: list[AuditEvent]) -> None:
    if events:
        AuditEvent.objects.bulk_create(events)


event = _event
