"""The demo's national DTI (dti/plans/demo.py, called by load_demo): Gia Lai's figures reproduce
407,10, the published result is reconciled, and the plan has tasks in every state."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(db, make_user):
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit
    from dti.plans.demo import load
    from dti.site.management.commands.load_demo import SO

    create_version((ROOT / "dti" / "frameworks" / "national-922-2022.yaml").read_text(encoding="utf-8"))
    province = create_unit(code="mh", name="UBND tỉnh Minh Hòa", level="tinh")
    for code, name in SO:
        create_unit(code=code, name=name, level="so", parent=province)
    from django.utils import timezone

    return load(make_user("admin", "system_admin"), today=timezone.localdate(), say=lambda text: None)


def test_demo_province_reproduces_gialai_its_published_result_is_reconciled_and_planned(demo):
    from dti.published.models import PublishedResult
    from dti.published.selectors import reconciliation
    from dti.results.selectors import campaign_scores

    scores = campaign_scores(demo)
    assert float(scores.verified.total[scores.index["mh"]]) == pytest.approx(407.10, abs=0.01)
    result = PublishedResult.objects.get(campaign=demo, unit__code="mh")
    assert result.total == 407.10
    found = {(p["code"], p["kind"]) for p in reconciliation(result)["problems"]}
    # the printed total 407,10 counts pillar 7 as its components' 64,97: the pillars as printed add up to 406,87
    assert found == {("4.2", "over_max"), ("6.4", "over_reachable"), ("7", "sum_mismatch"), ("total", "sum_mismatch")}
    # and the plan has tasks in every state (one test: the demo takes seconds to build)
    from dti.plans.models import Plan

    plan = Plan.objects.get()
    assert {t.shown_status for t in plan.tasks.all()} == {"not_started", "in_progress", "done", "overdue"}
    assert plan.tasks.filter(lead__code="so-tttt").exists() and plan.tasks.exclude(lead__code="so-tttt").exists()
    assert plan.tasks.filter(code="3.1").exists()  # smartphones: 9,13 of 10
