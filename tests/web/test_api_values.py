"""PUT/GET /api/campaigns/{id}/units/{code}/values: the form's save, through the API."""

from __future__ import annotations

from dti.audit.models import AuditEvent
from dti.submissions.models import Value

from .api_helpers import api_as
from .conftest import GOOD, sub


def url(campaign, code="so-a"):
    return f"/campaigns/{campaign.pk}/units/{code}/values"


def test_reporter_writes_a_draft_value_with_audit(users, campaign, submission):
    api = api_as(users["reporter"])
    answer = api.put(url(campaign), {"values": {"1.2.a": {"value": "5"}, "1.2.b": {"value": "8"}}})
    assert answer.status_code == 200, answer.content
    assert answer.json()["changed"] == 2
    assert Value.objects.get(submission=submission, field="1.2.a").number == 5
    event = AuditEvent.objects.get(submission_id=submission.pk, field="1.2.a")
    assert event.username == users["reporter"].username and event.new == "5"


def test_read_values_shows_raw_errors_and_revision(users, campaign, submission, fill):
    fill(submission, {**GOOD, "1.2.a": "mười"})
    body = api_as(users["viewer"], write=False).get(url(campaign)).json()
    assert body["values"]["1.2.a"]["value"] == "mười"
    assert body["values"]["1.2.a"]["error"]
    assert body["state"] == "draft" and body["revision"]
    assert body["editable"] is False  # a viewer reads only


def test_conflict_answers_409_with_both_values_and_keeps_theirs(users, campaign, submission, fill):
    fill(submission, {"1.2.a": "3"})
    fill(submission, {"1.2.a": "4"}, user=users["leader"])  # saved by somebody else after the client read "3"
    answer = api_as(users["reporter"]).put(url(campaign), {"values": {"1.2.a": {"value": "5", "base": "3"},
                                                                      "1.2.b": {"value": "9", "base": ""}}})
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "conflict"
    assert body["conflicts"]["1.2.a"]["mine"] == "5" and body["conflicts"]["1.2.a"]["theirs"] == "4"
    assert body["conflicts"]["1.2.a"]["who"] == users["leader"].username
    assert body["changed"] == 1  # the field without conflict was written
    assert Value.objects.get(submission=submission, field="1.2.a").raw == "4"
    assert Value.objects.get(submission=submission, field="1.2.b").raw == "9"


def test_same_base_as_current_value_writes(users, campaign, submission, fill):
    fill(submission, {"1.2.a": "3"})
    answer = api_as(users["reporter"]).put(url(campaign), {"values": {"1.2.a": {"value": "5", "base": "3"}}})
    assert answer.status_code == 200
    assert Value.objects.get(submission=submission, field="1.2.a").raw == "5"


def test_unknown_field_is_refused_and_nothing_written(users, campaign, submission):
    answer = api_as(users["reporter"]).put(url(campaign), {"values": {"1.2.a": {"value": "5"}, "9.9.z": {"value": "1"}}})
    assert answer.status_code == 422
    assert answer.json()["code"] == "unknown_field"
    assert answer.json()["details"]["fields"] == ["9.9.z"]
    assert not Value.objects.filter(submission=submission).exists()


def test_control_characters_are_rejected_with_vietnamese_message(users, campaign, submission):
    answer = api_as(users["reporter"]).put(url(campaign), {"values": {"1.2.a": {"value": "5\x00"},
                                                                      "1.2.b": {"value": "7"}}})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "rejected_text" and "NUL" in body["details"]["rejected"]["1.2.a"]
    assert Value.objects.get(submission=submission, field="1.2.b").raw == "7"


def test_submitted_file_is_locked_409_refused(users, campaign, submitted):
    answer = api_as(users["reporter"]).put(url(campaign), {"values": {"1.2.a": {"value": "1"}}})
    assert answer.status_code == 409
    assert answer.json()["code"] == "refused"
    assert "khóa" in answer.json()["message"]


def test_read_only_token_cannot_write(users, campaign, submission):
    answer = api_as(users["reporter"], write=False).put(url(campaign), {"values": {"1.2.a": {"value": "5"}}})
    assert answer.status_code == 403
    assert answer.json()["code"] == "read_only_token"


def test_viewer_cannot_write_even_with_write_token(users, campaign, submission):
    answer = api_as(users["viewer"]).put(url(campaign), {"values": {"1.2.a": {"value": "5"}}})
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


def test_transition_runs_through_the_workflow_table(users, campaign, submission, fill):
    fill(submission)
    api = api_as(users["leader"])
    answer = api.post(f"/campaigns/{campaign.pk}/units/so-a/transitions/leader_approve", {"expected_state": "draft"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "approved_by_leader"
    again = api.post(f"/campaigns/{campaign.pk}/units/so-a/transitions/leader_approve", {"expected_state": "draft"})
    assert again.status_code == 409 and again.json()["code"] == "stale_state"
    assert sub(campaign, "so-a").state == "approved_by_leader"


def test_reporter_cannot_run_a_reviewers_transition(users, campaign, submitted):
    answer = api_as(users["reporter"]).post(f"/campaigns/{campaign.pk}/units/so-a/transitions/approve", {})
    assert answer.status_code == 403
