"""A task's status: one transition table, row lock, the status the page showed; overdue is computed."""

import datetime as dt

import pytest

from dti.plans import workflow
from dti.plans.models import Status

from .plan_fixtures import *  # noqa: F403
from .plan_fixtures import task_url


def test_lead_agency_starts_and_finishes_its_task(client, plan, users):
    client.force_login(users["reporter"])
    client.post(task_url("transition", plan["plan"], plan["a"], "start"), {"status": "not_started"})
    client.post(task_url("transition", plan["plan"], plan["a"], "finish"), {"status": "in_progress"})
    plan["a"].refresh_from_db()
    assert plan["a"].status == Status.DONE and plan["a"].status_changed_by == users["reporter"]


def test_stale_page_is_refused_and_nothing_changes(client, plan, users):
    client.force_login(users["reporter"])
    client.post(task_url("transition", plan["plan"], plan["a"], "finish"), {"status": "not_started"})
    response = client.post(task_url("transition", plan["plan"], plan["a"], "start"), {"status": "not_started"},
                           follow=True)
    assert "Trang đã cũ" in response.content.decode()
    plan["a"].refresh_from_db()
    assert plan["a"].status == Status.DONE


def test_only_the_owner_reopens(plan, users):
    with pytest.raises(workflow.TaskError):
        workflow.run(plan["c"], "reopen", user=users["reporter_b"], roles={workflow.LEAD}, expected="done")
    workflow.run(plan["c"], "reopen", user=users["assessment_admin"], roles={workflow.OWNER}, expected="done")
    plan["c"].refresh_from_db()
    assert plan["c"].status == Status.IN_PROGRESS


def test_overdue_is_computed_from_the_deadline_not_stored(plan, today):
    b = plan["b"]
    assert b.status == Status.NOT_STARTED and b.is_overdue() and b.shown_status == "overdue"
    assert not b.is_overdue(today - dt.timedelta(days=2))
    assert not plan["c"].is_overdue()  # done is never overdue


def test_a_done_task_cannot_be_finished_twice(plan, users):
    with pytest.raises(workflow.TaskError, match="Hoàn thành"):
        workflow.run(plan["c"], "finish", user=users["reporter_b"], roles={workflow.LEAD}, expected=None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_finishes_at_once_make_one_transition(plan, users):
    """Two requests that both saw 'in progress': the row lock lets one through, the other is stale."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from dti.audit.models import AuditEvent

    a = plan["a"]
    workflow.run(a, "start", user=users["reporter"], roles={workflow.LEAD}, expected="not_started")

    def finish(_):
        from django.db import connections

        try:
            workflow.run(a, "finish", user=users["reporter"], roles={workflow.LEAD}, expected="in_progress")
            return "ok"
        except workflow.TaskError:
            return "stale"
        finally:
            connections.close_all()

    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(finish, range(2)))
    assert outcomes == ["ok", "stale"]
    assert AuditEvent.objects.filter(action="plan_task.status", new="done").count() == 1
