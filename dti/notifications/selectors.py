from __future__ import annotations

from .models import Notification, Preference


def notifications_for(user, *, limit: int = 100):
    return list(Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_enabled(user) -> bool:
    return Preference.objects.filter(user=user).values_list("email", flat=True).first() is not False
