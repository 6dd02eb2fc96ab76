"""Who reaches what through the API: another unit's data answers 404 as in the web; service tokens stay in their fields and units."""

from __future__ import annotations

import pytest

from dti.api.services import create_service_token
from dti.submissions.models import Value

from .api_helpers import ApiClient, api_as
from .conftest import sub


def test_reporter_gets_404_for_another_units_values(users, campaign, submission):
    api = api_as(users["reporter"])
    answer = api.get(f"/campaigns/{campaign.pk}/units/so-b/values")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    assert api.put(f"/campaigns/{campaign.pk}/units/so-b/values",
                   {"values": {"1.2.a": {"value": "1"}}}).status_code == 404
    assert not Value.objects.filter(submission=sub(campaign, "so-b")).exists()


def test_unknown_and_other_units_look_the_same(users, campaign, submission):
    api = api_as(users["reporter"])
    other = api.get(f"/campaigns/{campaign.pk}/units/so-b/values").json()
    missing = api.get(f"/campaigns/{campaign.pk}/units/khong-co/values").json()
    assert other == missing


def test_person_without_roles_sees_no_campaign(users, campaign):
    api = api_as(users["nobody"])
    assert api.get("/campaigns").json() == []
    assert api.get(f"/campaigns/{campaign.pk}").status_code == 404
    assert api.get("/units").json() == []


def test_reporter_lists_only_own_submissions(users, campaign):
    rows = api_as(users["reporter"]).get(f"/campaigns/{campaign.pk}/submissions").json()
    assert [r["unit"] for r in rows] == ["so-a"]


def test_reviewer_lists_every_submission(users, campaign):
    rows = api_as(users["reviewer"]).get(f"/campaigns/{campaign.pk}/submissions").json()
    assert [r["unit"] for r in rows] == ["so-a", "so-b", "so-c"]


@pytest.fixture
def platform(users, units, campaign):
    _token, secret = create_service_token(users["assessment_admin"], name="Hue-S", platform="Hue-S",
                                          fields=["2.1.a"], units=[units["so-a"]])
    return ApiClient(secret)


def test_service_token_writes_its_field(platform, campaign, submission):
    answer = platform.put(f"/campaigns/{campaign.pk}/units/so-a/values", {"values": {"2.1.a": {"value": "120"}}})
    assert answer.status_code == 200, answer.content
    assert Value.objects.get(submission=submission, field="2.1.a").raw == "120"


def test_service_token_cannot_write_other_fields(platform, campaign, submission):
    answer = platform.put(f"/campaigns/{campaign.pk}/units/so-a/values",
                          {"values": {"2.1.a": {"value": "120"}, "1.2.a": {"value": "1"}}})
    assert answer.status_code == 403
    assert answer.json()["code"] == "token_scope" and "1.2.a" in answer.json()["message"]
    assert not Value.objects.filter(submission=submission).exists()


def test_service_token_cannot_reach_other_units(platform, campaign):
    answer = platform.put(f"/campaigns/{campaign.pk}/units/so-b/values", {"values": {"2.1.a": {"value": "1"}}})
    assert answer.status_code == 404
    assert [r["unit"] for r in platform.get(f"/campaigns/{campaign.pk}/submissions").json()] == ["so-a"]


def test_service_token_reads_only_its_fields(platform, campaign, submission, fill):
    fill(submission)
    body = platform.get(f"/campaigns/{campaign.pk}/units/so-a/values").json()
    assert set(body["values"]) == {"2.1.a"} and body["notes"] == {}


def test_service_token_cannot_run_transitions_or_read_results(platform, campaign):
    answer = platform.post(f"/campaigns/{campaign.pk}/units/so-a/transitions/submit", {})
    assert answer.status_code == 403 and answer.json()["code"] == "token_scope"
    assert platform.get(f"/campaigns/{campaign.pk}/ranking").status_code == 403
    assert platform.get("/frameworks").status_code == 403


def test_service_token_needs_an_admin_of_the_units(users, units):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create_service_token(users["reporter"], name="x", platform="IOC", fields=["2.1.a"], units=[units["so-a"]])


def test_pushed_values_are_marked_and_locked_for_people(platform, users, campaign, submission):
    from dti.connectors.models import PlatformValue

    platform.put(f"/campaigns/{campaign.pk}/units/so-a/values", {"values": {"2.1.a": {"value": "120"}}})
    assert PlatformValue.objects.get(submission=submission, field="2.1.a").platform == "Hue-S"
    answer = api_as(users["reporter"]).put(f"/campaigns/{campaign.pk}/units/so-a/values",
                                           {"values": {"2.1.a": {"value": "1"}}})
    assert answer.status_code == 422 and "Hue-S" in answer.json()["details"]["rejected"]["2.1.a"]
    assert Value.objects.get(submission=submission, field="2.1.a").raw == "120"
