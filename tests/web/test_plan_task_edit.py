"""The owner corrects a task (agencies, deadline, target); a stale page is refused."""

from dti.plans.models import Task

from .plan_fixtures import *  # noqa: F403
from .plan_fixtures import task_url


def form(task, **changes):
    data = {"title": task.title, "lead": task.lead_id, "partners": [p.pk for p in task.partners.all()],
            "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "",
            "target_score": "" if task.target_score is None else str(task.target_score).replace(".", ","),
            "updated": task.updated_at.isoformat()}
    data.update(changes)
    return data


def test_owner_reassigns_the_lead_and_deadline(client, plan, units, users):
    client.force_login(users["assessment_admin"])
    task = plan["a"]
    response = client.post(task_url("edit", plan["plan"], task), form(task, lead=units["so-b"].pk,
                                                                       partners=[units["so-c"].pk],
                                                                       deadline="31/12/2026", target_score="9,5"))
    assert response.status_code == 302
    task = Task.objects.get(pk=task.pk)
    assert (task.lead.code, [p.code for p in task.partners.all()], task.deadline.isoformat(), task.target_score) == (
        "so-b", ["so-c"], "2026-12-31", 9.5)


def test_stale_edit_is_refused_and_nothing_is_saved(client, plan, units, users):
    client.force_login(users["assessment_admin"])
    task = plan["a"]
    stale = form(task, lead=units["so-b"].pk)
    Task.objects.filter(pk=task.pk).update(title="Đã sửa ở nơi khác")
    Task.objects.get(pk=task.pk).save()  # bumps updated_at
    response = client.post(task_url("edit", plan["plan"], task), stale)
    assert "chưa lưu gì" in response.content.decode()
    assert Task.objects.get(pk=task.pk).lead.code == "so-a"


def test_target_above_the_maximum_is_refused_and_the_form_keeps_the_input(client, plan, users):
    client.force_login(users["assessment_admin"])
    response = client.post(task_url("edit", plan["plan"], plan["a"]), form(plan["a"], target_score="12"))
    page = response.content.decode()
    assert "không thể lớn hơn điểm tối đa" in page and 'value="12"' in page


def test_lead_agency_cannot_edit_the_task(client, plan, users):
    client.force_login(users["reporter"])
    assert client.get(task_url("edit", plan["plan"], plan["a"])).status_code == 403


def test_owner_adds_a_task_for_a_whole_pillar(client, plan, units, users, submitted):
    from django.urls import reverse

    client.force_login(users["assessment_admin"])
    url = reverse("plans:new_task", args=[plan["plan"].pk])
    assert "2 Dịch vụ công trực tuyến" in client.get(url).content.decode()
    response = client.post(url, {"code": "1", "title": "Nâng nhận thức số", "lead": units["so-b"].pk,
                                 "deadline": "30/06/2026", "target_score": "30"})
    task = Task.objects.get(title="Nâng nhận thức số")
    assert response.status_code == 302 and (task.code, task.points_now, task.max_points) == ("1", 27.5, 30)


def test_target_above_a_pillars_maximum_is_refused(client, plan, units, users):
    from django.urls import reverse

    client.force_login(users["assessment_admin"])
    response = client.post(reverse("plans:new_task", args=[plan["plan"].pk]),
                           {"code": "1", "title": "x", "lead": units["so-b"].pk, "target_score": "31"})
    assert "không thể lớn hơn điểm tối đa" in response.content.decode()


def test_agency_cannot_add_tasks(client, plan, users):
    from django.urls import reverse

    client.force_login(users["reporter"])
    assert client.get(reverse("plans:new_task", args=[plan["plan"].pk])).status_code == 403
