"""Writing what a platform provides: through the form's save, marked with its origin."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dti.site.text import normalise
from dti.submissions.models import Submission
from dti.submissions.services import save_entry
from dti.submissions.workflow import WorkflowError

from .client import FetchFailed, fetch_rows
from .models import Fetch, PlatformValue, Source


def mark_from_platform(submission, fields, *, platform: str, source: Source | None = None,
                       when: dt.datetime | None = None) -> None:
    """Record that these fields' values came from ``platform`` (shown as "Tự động từ …")."""
    when = when or timezone.now()
    for name in fields:
        PlatformValue.objects.update_or_create(submission=submission, field=name,
                                               defaults={"platform": platform, "source": source, "updated_at": when})


def _tell_failure(source: Source, fetch: Fetch) -> None:
    """The administrator who declared the source is told (once per failed pull)."""
    from dti.notifications.models import Kind
    from dti.notifications.services import notify

    if source.created_by_id is None:
        return
    notify(source.created_by, kind=Kind.CONNECTOR, key=f"fetch:{fetch.pk}",
           title=f"Không lấy được dữ liệu từ {source.platform}",
           body=f"Đợt “{source.campaign}”: {fetch.error} Số liệu đã có được giữ nguyên.",
           url=f"/admin/connectors/source/{source.pk}/change/")


def _values_by_unit(source: Source, rows: list[dict]) -> dict[str, dict[str, str]]:
    """{unit code: {field: text}}; an absent or empty cell is left out (never read as zero)."""
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        code = normalise(row.get(source.unit_key, ""))
        if not code:
            continue
        values = found.setdefault(code, {})
        for field, column in source.mapping.items():
            cell = row.get(column)
            if cell is None or isinstance(cell, (dict, list)):
                continue
            text = normalise("1" if cell is True else "0" if cell is False else cell)
            if text:
                values[field] = text
    return found


def pull(source: Source, *, user=None) -> Fetch:
    """Fetch the source once and write its values as drafts; the outcome is recorded either way."""
    fetch = Fetch.objects.create(source=source, started_at=timezone.now())
    Source.objects.filter(pk=source.pk).update(last_fetch_at=fetch.started_at)
    try:
        rows = fetch_rows(source.url, fmt=source.format, timeout=source.timeout_seconds)
    except FetchFailed as exc:
        fetch.error = str(exc)
        fetch.finished_at = timezone.now()
        fetch.save(update_fields=["error", "finished_at"])
        _tell_failure(source, fetch)
        return fetch
    by_unit = _values_by_unit(source, rows)
    submissions = {s.unit.code: s for s in Submission.objects.filter(campaign=source.campaign_id,
                                                                      unit__code__in=list(by_unit))
                   .select_related("unit", "campaign__framework")}
    changed, skipped = 0, {}
    for code, values in by_unit.items():
        submission = submissions.get(code)
        if submission is None:
            skipped[code] = "Đơn vị không tham gia đợt đánh giá."
            continue
        if not values:
            skipped[code] = "Không có giá trị nào."
            continue
        try:
            with transaction.atomic():
                outcome = save_entry(submission, user=user, values=values, from_platform=True)
                mark_from_platform(submission, values, platform=source.platform, source=source,
                                   when=fetch.started_at)
        except WorkflowError as exc:  # locked, past the deadline: the unit's record stays as it is
            skipped[code] = str(exc)
            continue
        changed += outcome.changed
    fetch.ok, fetch.rows, fetch.changed, fetch.skipped = True, len(rows), changed, skipped
    fetch.finished_at = timezone.now()
    fetch.save(update_fields=["ok", "rows", "changed", "skipped", "finished_at"])
    return fetch
