"""Notices after workflow steps: reviewers when a file arrives, the unit when items are returned."""

from __future__ import annotations

import pytest

from dti.audit.models import AuditEvent
from dti.notifications.events import transition_notices
from dti.notifications.models import Notification
from dti.review.models import ItemStatus, ReviewItem
from dti.submissions import workflow

from .conftest import GOOD, sub


@pytest.fixture
def arrived(users, campaign, fill, django_capture_on_commit_callbacks):
    """so-a and so-b submitted, with what follows each commit run (as outside a test transaction)."""
    with django_capture_on_commit_callbacks(execute=True):
        for code, reporter, leader in (("so-a", users["reporter"], users["leader"]),
                                       ("so-b", users["reporter_b"], users["reporter_b"])):
            s = sub(campaign, code)
            fill(s, GOOD, user=reporter)
            workflow.run(s, "leader_approve", user=leader)
            workflow.run(s, "submit", user=reporter)
    return sub(campaign, "so-a")


def kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_reviewers_are_told_when_a_file_arrives(users, arrived):
    assert kinds(users["reviewer"]).count("arrived") == 2  # so-a and so-b
    assert "arrived" not in kinds(users["reporter"])
    note = Notification.objects.filter(user=users["reviewer"]).order_by("id").first()
    assert note.title.startswith("Hồ sơ mới gửi đến") and note.url.endswith("/units/so-a/review/")


def test_the_unit_is_told_when_items_are_returned(users, arrived, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.run(arrived, "start_review", user=users["reviewer"])
        ReviewItem.objects.create(submission=arrived, indicator="1.2", status=ItemStatus.RETURNED,
                                  reviewer=users["reviewer"])
        workflow.run(arrived, "send_back", user=users["reviewer"])
    assert kinds(users["reporter"]) == ["returned"] and kinds(users["leader"]) == ["returned"]
    assert kinds(users["reporter_b"]) == []


def test_notices_of_one_step_go_out_once(users, arrived):
    event = AuditEvent.objects.filter(submission_id=arrived.pk, action="submission.state", new="submitted").get()
    assert transition_notices(arrived.pk, "submit", event.pk) == 0  # already sent when the step committed
    assert kinds(users["reviewer"]).count("arrived") == 2


def test_a_refused_step_tells_nobody(users, campaign, submission, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.WorkflowError):
        workflow.run(submission, "submit", user=users["reporter"])
    assert not Notification.objects.exists()
