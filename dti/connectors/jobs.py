"""Pull jobs: each due source fetched in a worker (or in process without Redis)."""

from __future__ import annotations

from dti.site.jobs import enqueue

from .models import Source
from .selectors import due_sources
from .services import pull


def pull_source(source_id: int) -> int | None:
    """One pull; the Fetch id (None when the source is gone or switched off)."""
    source = Source.objects.filter(pk=source_id, active=True).select_related("campaign").first()
    return pull(source).pk if source is not None else None


def pull_due() -> int:
    """Enqueue a pull for every source whose interval has passed; how many."""
    due = due_sources()
    for source in due:
        enqueue(pull_source, source.pk)
    return len(due)
