"""Deadline reminders: the nearest threshold, once per occasion, e-mailed only to those who want it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from dti.campaigns.models import Extension
from dti.notifications.models import Notification
from dti.notifications.reminders import send_deadline_reminders
from dti.notifications.services import set_email_preference

from .conftest import sub


def reminders(user):
    return list(Notification.objects.filter(user=user, kind="deadline").values_list("key", flat=True))


def test_reminder_goes_to_reporters_and_leaders_of_open_units(users, campaign, today):
    sent = send_deadline_reminders(today=campaign.entry_deadline - dt.timedelta(days=5), days=[7, 1])
    assert sent == 3  # so-a: reporter and leader; so-b: its reporter; so-c: nobody holds a role there
    assert len(reminders(users["reporter"])) == 1 and len(reminders(users["leader"])) == 1
    assert reminders(users["viewer"]) == [] and reminders(users["reviewer"]) == []


def test_reminder_goes_out_once_when_the_job_runs_twice(users, campaign):
    day = campaign.entry_deadline - dt.timedelta(days=5)
    first = send_deadline_reminders(today=day, days=[7, 1])
    assert first > 0
    assert send_deadline_reminders(today=day, days=[7, 1]) == 0
    assert send_deadline_reminders(today=day + dt.timedelta(days=1), days=[7, 1]) == 0  # still the 7-day occasion
    assert len(reminders(users["reporter"])) == 1


def test_each_threshold_is_its_own_occasion(users, campaign):
    send_deadline_reminders(today=campaign.entry_deadline - dt.timedelta(days=6), days=[7, 1])
    send_deadline_reminders(today=campaign.entry_deadline - dt.timedelta(days=1), days=[7, 1])
    send_deadline_reminders(today=campaign.entry_deadline, days=[7, 1])
    keys = reminders(users["reporter"])
    assert len(keys) == 2 and {k.rsplit(":", 1)[1] for k in keys} == {"7", "1"}


def test_nothing_before_the_first_threshold_or_after_the_deadline(users, campaign):
    assert send_deadline_reminders(today=campaign.entry_deadline - dt.timedelta(days=9), days=[7, 1]) == 0
    assert send_deadline_reminders(today=campaign.entry_deadline + dt.timedelta(days=1), days=[7, 1]) == 0


def test_submitted_units_are_not_reminded(users, campaign, submitted):
    send_deadline_reminders(today=campaign.entry_deadline - dt.timedelta(days=1), days=[7, 1])
    assert reminders(users["reporter"]) == [] and reminders(users["reporter_b"]) == []


def test_an_extension_is_a_new_occasion_on_the_new_date(users, campaign, units):
    send_deadline_reminders(today=campaign.entry_deadline - dt.timedelta(days=1), days=[7, 1])
    Extension.objects.create(campaign=campaign, unit=units["so-a"], reason="ốm",
                             new_deadline=campaign.entry_deadline + dt.timedelta(days=10))
    send_deadline_reminders(today=campaign.entry_deadline + dt.timedelta(days=9), days=[7, 1])
    keys = reminders(users["reporter"])
    assert len(keys) == 2
    assert (campaign.entry_deadline + dt.timedelta(days=10)).isoformat() in keys[0]


def test_email_only_to_people_with_an_address_who_want_it(users, campaign, django_capture_on_commit_callbacks):
    users["reporter"].email = "bientap@so-a.gov.vn"
    users["reporter"].save()
    users["leader"].email = "lanhdao@so-a.gov.vn"
    users["leader"].save()
    set_email_preference(users["leader"], False)
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(today=campaign.entry_deadline - dt.timedelta(days=1), days=[7, 1])
    assert [m.to for m in mail.outbox] == [["bientap@so-a.gov.vn"]]
    assert "hạn nhập liệu" in mail.outbox[0].subject and "Sở Alpha" in mail.outbox[0].subject
    assert len(reminders(users["leader"])) == 1  # still in the app


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_one_reminder_each(users, campaign):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    day = campaign.entry_deadline - dt.timedelta(days=1)
    barrier, results = threading.Barrier(2), []

    def run():
        barrier.wait()
        try:
            results.append(send_deadline_reminders(today=day, days=[7, 1]))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 3
    assert Notification.objects.filter(kind="deadline").count() == 3
    assert sub(campaign, "so-a").state == "draft"
