"""A plan for so-a's result in the small campaign: tasks led by so-a and so-b, owned by so-c."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def plan(db, campaign, units, users, today):
    from dti.plans.models import Plan, Status, Task

    plan = Plan.objects.create(name="Kế hoạch thử nghiệm", campaign=campaign, unit=units["so-a"], owner=units["so-c"],
                               created_by=users["assessment_admin"], baseline_total=20)
    a = Task.objects.create(plan=plan, code="1.2", title="Giám đốc chủ trì các cuộc họp", lead=units["so-a"],
                            deadline=today + dt.timedelta(days=30), points_now=5, max_points=10, target_score=10)
    b = Task.objects.create(plan=plan, code="1.3", title="Ban hành kế hoạch", lead=units["so-b"],
                            deadline=today - dt.timedelta(days=1), points_now=0, max_points=10, target_score=10,
                            position=1)
    c = Task.objects.create(plan=plan, code="2", title="Dịch vụ công trực tuyến", lead=units["so-b"],
                            status=Status.DONE, points_now=10, max_points=20, target_score=20, position=2)
    c.partners.set([units["so-a"]])
    return {"plan": plan, "a": a, "b": b, "c": c}


def task_url(name, plan, task, *extra):
    from django.urls import reverse

    return reverse(f"plans:{name}", args=[plan.pk, task.pk, *extra])


__all__ = ["plan", "task_url"]
