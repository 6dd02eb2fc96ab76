"""Sending notifications: once per person and occasion, e-mailed after commit if the person wants it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, Preference


def wants_email(user) -> bool:
    preference = Preference.objects.filter(user=user).values_list("email", flat=True).first()
    return bool(user.email) and preference is not False


def notify(user, *, kind: str, key: str, title: str, body: str = "", url: str = "") -> Notification | None:
    """The notification for this occasion, or None when the person already has it (a job ran twice,
    or two workers at once: the unique (user, key) decides, not a read before the write)."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(user=user, kind=kind, key=key[:200], title=title[:300], body=body,
                                               url=url[:500])
    except IntegrityError:
        return None
    if wants_email(user):
        transaction.on_commit(lambda: _email(note.pk))
    return note


def _email(notification_id: int) -> None:
    note = Notification.objects.select_related("user").filter(pk=notification_id, emailed_at__isnull=True).first()
    if note is None:
        return
    link = f"\n\n{settings.DTI_SITE_URL}{note.url}" if note.url else ""
    send_mail(f"[DTI] {note.title}", f"{note.body}{link}", None, [note.user.email])
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())


def mark_read(user, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all unread when ``ids`` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def set_email_preference(user, email: bool) -> None:
    Preference.objects.update_or_create(user=user, defaults={"email": email})
