"""Where a value came from, and how the sources are doing."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Fetch, PlatformValue, Source


def origins(submission) -> dict[str, str]:
    """{field: "Tự động từ Hue-S, cập nhật 10:42 29/11/2026"} for the values a platform provided."""
    return {pv.field: _("Tự động từ %(platform)s, cập nhật %(when)s") % {
        "platform": pv.platform, "when": date_format(timezone.localtime(pv.updated_at), "H:i d/m/Y")}
        for pv in PlatformValue.objects.filter(submission=submission)}


def indicator_origins(submission) -> dict[str, str]:
    """{indicator code: "Tự động từ Hue-S, cập nhật …"} for indicators with an input from a platform."""
    marks: dict[str, str] = {}
    for field, text in sorted(origins(submission).items()):
        if not field.startswith("info."):
            marks.setdefault(field.rsplit(".", 1)[0], text)
    return marks


def due_sources(now=None) -> list[Source]:
    now = now or timezone.now()
    return [s for s in Source.objects.filter(mode=Source.Mode.PULL, active=True).exclude(url="")
            if s.last_fetch_at is None or (now - s.last_fetch_at).total_seconds() >= s.every_minutes * 60]


def last_fetch(source: Source) -> Fetch | None:
    return source.fetches.order_by("-started_at", "-id").first()
