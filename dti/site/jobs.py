"""Background jobs: on Redis (RQ) when ``DTI_REDIS_URL`` is set, in process otherwise.

``make run`` needs no Redis: a job then runs at once in the request or command that asked for
it.  With Redis, ``make worker`` runs the jobs and ``make cron`` enqueues the scheduled ones
(``dti/site/cron.py``).  A Redis that cannot be reached falls back to running in process and
logs a warning: a reminder or a pull is never lost for want of a queue.
"""

from __future__ import annotations

import logging

from django.conf import settings

log = logging.getLogger("dti.jobs")
QUEUE = "default"


def uses_redis() -> bool:
    return bool(settings.DTI_REDIS_URL)


def enqueue(func, *args, **kwargs):
    """Run ``func(*args, **kwargs)`` in a worker (an rq Job is returned) or here (its result)."""
    if uses_redis():
        import django_rq
        from redis.exceptions import RedisError

        try:
            # Enqueued at once: callers that depend on a commit already enqueue from on_commit.
            return django_rq.get_queue(QUEUE, commit_mode="auto").enqueue(func, *args, **kwargs)
        except RedisError as exc:
            log.warning("Redis không truy cập được (%s); chạy việc %s ngay trong tiến trình", exc, func.__name__)
    return func(*args, **kwargs)
