"""Jobs run on Redis (RQ) when configured, in process otherwise — the same work either way.

The Redis tests use database 3 of the local Redis and are skipped when it does not answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from dti.notifications.models import Notification
from dti.notifications.reminders import send_deadline_reminders
from dti.site import jobs

REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def redis_queue(settings):
    import django_rq
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError:
        pytest.skip("Redis not reachable at 127.0.0.1:6379")
    settings.DTI_REDIS_URL = REDIS_URL
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def test_without_redis_a_job_runs_in_process(settings, users, campaign):
    settings.DTI_REDIS_URL = ""
    sent = jobs.enqueue(send_deadline_reminders, today=campaign.entry_deadline, days=[1])
    assert sent == 3 and Notification.objects.count() == 3


def test_with_redis_the_job_waits_for_a_worker(redis_queue, users, campaign):
    from rq import SimpleWorker

    job = jobs.enqueue(send_deadline_reminders, today=campaign.entry_deadline, days=[1])
    assert job.get_status() == "queued" and not Notification.objects.exists()
    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    job.refresh()
    assert job.get_status() == "finished" and job.return_value() == 3
    assert Notification.objects.count() == 3


def test_job_enqueued_twice_sends_once(redis_queue, users, campaign):
    from rq import SimpleWorker

    for _ in range(2):
        jobs.enqueue(send_deadline_reminders, today=campaign.entry_deadline, days=[1])
    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    assert Notification.objects.count() == 3


def test_unreachable_redis_runs_the_job_in_process(settings, users, campaign):
    settings.DTI_REDIS_URL = "redis://127.0.0.1:1/3"
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/3"}}
    assert jobs.enqueue(send_deadline_reminders, today=campaign.entry_deadline, days=[1]) == 3


def test_run_jobs_command_sends_due_reminders(settings, users, campaign, capsys):
    settings.DTI_REMINDER_DAYS = [30]
    call_command("run_jobs")
    assert "3 lời nhắc" in capsys.readouterr().out
    call_command("run_jobs")
    assert "0 lời nhắc" in capsys.readouterr().out
    assert Notification.objects.count() == 3


def test_cron_module_registers_the_schedule():
    from rq import cron

    import dti.site.cron  # noqa: F401

    names = {job["name"] for job in cron._job_data_registry}
    assert "nhac-han-nhap-lieu" in names
    assert dt.date.today()  # the module imports cleanly outside a worker
