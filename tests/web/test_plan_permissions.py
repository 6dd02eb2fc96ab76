"""Who sees which task: an agency its own (led or coordinated), the owner all; another agency's task is 404."""

import pytest
from django.urls import reverse

from .plan_fixtures import *  # noqa: F403
from .plan_fixtures import task_url


@pytest.mark.parametrize("who,task,status", [
    ("reporter", "a", 200),      # so-a leads it
    ("reporter", "b", 404),      # another agency's task
    ("reporter", "c", 200),      # so-a coordinates it
    ("reporter_b", "a", 404),
    ("reporter_b", "b", 200),
    ("viewer", "a", 200),        # a viewer of so-a sees its task
    ("assessment_admin", "b", 200),
    ("nobody", "a", 404),
])
def test_task_visibility(client, plan, users, who, task, status):
    client.force_login(users[who])
    assert client.get(task_url("task", plan["plan"], plan[task])).status_code == status


def test_agency_sees_only_its_own_tasks_on_the_plan(client, plan, users):
    client.force_login(users["reporter_b"])
    page = client.get(reverse("plans:detail", args=[plan["plan"].pk])).content.decode()
    assert "Ban hành kế hoạch" in page and "Giám đốc chủ trì" not in page
    assert 'id="dashboard"' not in page  # the dashboard is the owner's


def test_somebody_without_a_task_gets_404_for_the_plan(client, plan, users):
    client.force_login(users["nobody"])
    assert client.get(reverse("plans:detail", args=[plan["plan"].pk])).status_code == 404
    assert client.get(reverse("plans:xlsx", args=[plan["plan"].pk])).status_code == 404


def test_reporter_cannot_mark_another_agencys_task_done(client, plan, users):
    client.force_login(users["reporter"])
    response = client.post(task_url("transition", plan["plan"], plan["b"], "finish"), {"status": "not_started"})
    assert response.status_code == 404
    plan["b"].refresh_from_db()
    assert plan["b"].status == "not_started"


def test_coordinating_agency_reports_progress_but_does_not_change_status(client, plan, users):
    client.force_login(users["reporter"])
    response = client.post(task_url("transition", plan["plan"], plan["c"], "reopen"), {"status": "done"})
    assert response.status_code == 403
    client.post(task_url("progress", plan["plan"], plan["c"]), {"text": "Đã phối hợp cung cấp số liệu"})
    assert plan["c"].reports.get().agency.code == "so-a"


def test_viewer_cannot_change_status(client, plan, users):
    client.force_login(users["viewer"])
    assert client.post(task_url("transition", plan["plan"], plan["a"], "start"),
                       {"status": "not_started"}).status_code == 403


def test_agency_person_sees_plans_list_with_their_plan(client, plan, users):
    client.force_login(users["reporter_b"])
    assert "Kế hoạch thử nghiệm" in client.get(reverse("plans:list")).content.decode()
    client.force_login(users["nobody"])
    assert "Kế hoạch thử nghiệm" not in client.get(reverse("plans:list")).content.decode()


def test_a_reviewer_is_not_one_of_an_agencys_people(client, plan, make_user, units):
    """A reviewer's role over so-a (every campaign) is over its assessment files: the plan and its
    tasks are not theirs (404; a task they could not open must not be listed either)."""
    client.force_login(make_user("thamdinh.so-a", "reviewer", units["so-a"]))
    assert client.get(reverse("plans:detail", args=[plan["plan"].pk])).status_code == 404
    assert client.get(task_url("task", plan["plan"], plan["a"])).status_code == 404
