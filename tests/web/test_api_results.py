"""Rankings and scorecards through the API: published only, unless the caller may see more."""

from __future__ import annotations

from django.utils import timezone

from dti.submissions import workflow

from .api_helpers import api_as
from .conftest import sub


def publish_so_a(campaign, users):
    a = sub(campaign, "so-a")
    for step in ("start_review", "approve", "publish"):
        workflow.run(a, step, user=users["assessment_admin"])
    campaign.results_published_at = timezone.now()
    campaign.save(update_fields=["results_published_at"])


def test_lead_agency_sees_every_unit_with_working_ranks(users, campaign, submitted):
    body = api_as(users["system_admin"]).get(f"/campaigns/{campaign.pk}/ranking").json()
    assert body["full"] is True
    rows = body["groups"][0]["rows"]
    assert {r["unit"] for r in rows} == {"so-a", "so-b", "so-c"}
    assert rows[0]["rank"] == 1 and rows[0]["self_total"] is not None


def test_unit_people_get_403_before_publication(users, campaign, submitted):
    answer = api_as(users["reporter"]).get(f"/campaigns/{campaign.pk}/ranking")
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


def test_after_publication_others_see_published_units_only(users, campaign, submitted):
    publish_so_a(campaign, users)
    body = api_as(users["reporter_b"]).get(f"/campaigns/{campaign.pk}/ranking").json()
    assert body["full"] is False
    rows = body["groups"][0]["rows"]
    assert [r["unit"] for r in rows] == ["so-a"]
    assert rows[0]["rank"] == 1 and rows[0]["self_total"] is None


def test_scorecard_of_an_unpublished_other_unit_answers_404(users, campaign, submitted):
    api = api_as(users["reporter"])
    assert api.get(f"/campaigns/{campaign.pk}/units/so-b/scorecard").status_code == 404
    own = api.get(f"/campaigns/{campaign.pk}/units/so-a/scorecard")
    assert own.status_code == 200 and own.json()["total"] is not None
    assert own.json()["rank"] is None  # no working rank outside the lead agency


def test_published_scorecard_is_visible_to_other_units(users, campaign, submitted):
    publish_so_a(campaign, users)
    body = api_as(users["reporter_b"]).get(f"/campaigns/{campaign.pk}/units/so-a/scorecard").json()
    assert body["rank"] == 1 and [r["code"] for r in body["rows"]][:2] == ["1", "1.1"]


def test_unknown_group_answers_404(users, campaign, submitted):
    assert api_as(users["system_admin"]).get(f"/campaigns/{campaign.pk}/ranking", group="khong").status_code == 404


def test_framework_detail_reuses_the_engine_model_and_validate_reports_errors(users, framework):
    api = api_as(users["reporter"])
    body = api.get(f"/frameworks/{framework.pk}").json()
    assert body["code"] == "test-so" and body["definition"]["indicators"][0]["code"] == "1"
    report = api.post("/frameworks/validate", {"yaml": "code: x\nname: y\n"}).json()
    assert report["valid"] is False and report["errors"]
