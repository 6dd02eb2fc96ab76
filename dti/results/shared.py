"""A campaign's parsed data shared between app processes through Redis (``DTI_REDIS_URL``).

Building a campaign's run reads every stored value (about 3 s for 10,000 units on
PostgreSQL); scoring parsed data takes milliseconds.  So the process that builds a run (or
brings one up to date) leaves its parsed data here, and a process that holds none — a new
worker, after a deploy or a restart — loads the latest, re-reads only the submissions
changed since (``Submission.changed_version``, as for its own older runs) and scores.

Nothing here is a source of truth.  A snapshot is keyed by everything that shapes the
parsed data — the framework version, the chosen readings, the previous campaign and a digest
of the code that parses and holds it — so a deploy or another reading never reads an older
shape; what is newer than the snapshot is read from the database.  Without Redis (no
``runs`` cache) or when Redis fails, each process builds its own run, as before.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches

from dti.engine.data import Dataset

log = logging.getLogger(__name__)

# After an incremental update, share the run at most this often per campaign and process:
# a save bumps the version each time, and a worker that loads a slightly older snapshot
# re-reads only the few submissions changed since.
SHARE_EVERY_SECONDS = 30.0
_shared_at: dict[int, float] = {}


@dataclass
class Snapshot:
    version: int
    units: list[Any]  # results.selectors.UnitInfo, in position order
    reported: Dataset
    verified: Dataset
    previous: Dataset | None
    previous_version: int
    adjusted: set[str] = field(default_factory=set)


@cache
def _code_digest() -> str:
    """The code that parses values and holds a run: another deploy, another key."""
    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "engine").rglob("*.py")) + [root / "results" / name
                                                       for name in ("loading.py", "selectors.py", "shared.py")]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(campaign) -> str:
    readings = ",".join(f"{k}={v}" for k, v in sorted((campaign.readings or {}).items()))
    shape = f"{campaign.framework_id}|{readings}|{campaign.previous_id or 0}|{_code_digest()}"
    return f"run:{campaign.pk}:{hashlib.sha256(shape.encode()).hexdigest()[:24]}"


def enabled() -> bool:
    return "runs" in settings.CACHES


def load(campaign) -> Snapshot | None:
    """The latest snapshot of this campaign's data in its current shape, or None."""
    if not enabled():
        return None
    try:
        found = caches["runs"].get(_key(campaign))
    except Exception:  # a shared cache is an optimisation: the database still answers
        log.warning("shared run of campaign %s could not be read", campaign.pk, exc_info=True)
        return None
    return found if isinstance(found, Snapshot) else None


def share(campaign, snapshot: Snapshot, *, rebuilt: bool) -> None:
    """Leave ``snapshot`` for other processes when it is newer than the one shared.

    Always after a full rebuild (the expensive case); after an incremental update at most
    every SHARE_EVERY_SECONDS per campaign in this process."""
    if not enabled():
        return
    now = time.monotonic()
    if not rebuilt and now - _shared_at.get(campaign.pk, float("-inf")) < SHARE_EVERY_SECONDS:
        return
    key = _key(campaign)
    store = caches["runs"]
    try:
        shared_version = store.get(key + ":version")
        if shared_version is not None and shared_version >= snapshot.version:
            return
        # The data first, then its version: a reader that sees the version finds the data.
        store.set(key, snapshot)
        store.set(key + ":version", snapshot.version)
        _shared_at[campaign.pk] = now
    except Exception:
        log.warning("shared run of campaign %s could not be written", campaign.pk, exc_info=True)
