import pytest
from django.core.exceptions import ValidationError

from dti.audit.models import AuditEvent
from dti.review import services
from dti.review.models import ItemStatus, ReviewItem
from dti.submissions.models import State, Value
from dti.submissions.services import WorkflowError


def test_adjust_keeps_reported_value_and_records_verified_beside_it(submitted, users):
    services.adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "1"},
                         reason="Biên bản chỉ chứng minh 1 cuộc họp")
    value = Value.objects.get(submission=submitted, field="1.2.a")
    assert (value.raw, value.number) == ("3", 3)
    assert (value.verified_raw, value.verified_number) == ("1", 1)
    item = ReviewItem.objects.get(submission=submitted, indicator="1.2")
    assert item.status == ItemStatus.ADJUSTED and item.reason.startswith("Biên bản")


def test_adjust_requires_a_reason(submitted, users):
    with pytest.raises(ValidationError) as exc:
        services.adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "1"}, reason=" ")
    assert "reason" in exc.value.message_dict


def test_adjust_rejects_invalid_verified_value(submitted, users):
    with pytest.raises(ValidationError) as exc:
        services.adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "mot"}, reason="sai")
    assert "không phải là số" in exc.value.message_dict["1.2.a"][0]


def test_adjustment_is_audited_with_reason(submitted, users):
    services.adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "1"}, reason="Thiếu biên bản")
    event = AuditEvent.objects.get(submission_id=submitted.pk, action="value.verify")
    assert (event.field, event.old, event.new, event.reason) == ("1.2.a", "3", "1", "Thiếu biên bản")


def test_accept_clears_a_previous_adjustment(submitted, users):
    services.adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "1"}, reason="Thiếu")
    services.accept_item(submitted, "1.2", user=users["reviewer"])
    assert Value.objects.get(submission=submitted, field="1.2.a").verified_raw is None


def test_first_review_action_starts_review(submitted, users):
    services.accept_item(submitted, "1.1", user=users["reviewer"])
    submitted.refresh_from_db()
    assert submitted.state == State.UNDER_REVIEW


def test_return_requires_a_comment(submitted, users):
    with pytest.raises(ValidationError):
        services.return_item(submitted, "1.2", user=users["reviewer"], comment="")


def test_send_back_needs_a_returned_item(submitted, users):
    services.accept_item(submitted, "1.1", user=users["reviewer"])
    submitted.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.send_back(submitted, user=users["reviewer"])


def test_full_cycle_to_published(submitted, users, fill, campaign):
    from dti.submissions.services import resubmit

    reviewer, admin = users["reviewer"], users["assessment_admin"]
    services.return_item(submitted, "1.2", user=reviewer, comment="Bổ sung")
    services.send_back(submitted, user=reviewer)
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED
    fill(submitted, {"1.2.a": "4"}, answers={"1.2": "Đã bổ sung"})
    resubmit(submitted, user=users["reporter"])
    assert ReviewItem.objects.get(submission=submitted, indicator="1.2").status == ItemStatus.PENDING
    services.accept_item(submitted, "1.2", user=reviewer)
    submitted.refresh_from_db()
    services.approve(submitted, user=admin)
    assert submitted.state == State.APPROVED
    assert not ReviewItem.objects.filter(submission=submitted, status=ItemStatus.PENDING).exists()
    services.publish_campaign(campaign, user=admin)
    submitted.refresh_from_db()
    campaign.refresh_from_db()
    assert submitted.state == State.PUBLISHED and campaign.is_published


def test_approve_refused_while_items_returned(submitted, users):
    services.return_item(submitted, "1.2", user=users["reviewer"], comment="Bổ sung")
    submitted.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.approve(submitted, user=users["assessment_admin"])


def test_review_of_a_draft_is_refused(submission, users):
    with pytest.raises(WorkflowError):
        services.accept_item(submission, "1.1", user=users["reviewer"])


def test_accept_remaining_accepts_only_items_still_as_the_page_showed(submitted, users):
    from dti.review.services import accept_remaining, adjust_item, item_token, return_item

    returned = return_item(submitted, "1.3", user=users["reviewer"], comment="Bổ sung")
    adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "2"}, reason="2 biên bản")
    seen = {"1.1": "", "1.2": "", "1.3": item_token(returned), "2.1": "", "9.9": ""}
    accepted, skipped = accept_remaining(submitted, seen, user=users["reviewer"])
    assert accepted == ["1.1", "2.1"]
    assert [(s.code, s.status) for s in skipped] == [("1.2", "Điều chỉnh"), ("1.3", "Trả lại"), ("9.9", "")]
    statuses = dict(ReviewItem.objects.filter(submission=submitted).values_list("indicator", "status"))
    assert statuses == {"1.1": "accepted", "1.2": "adjusted", "1.3": "returned", "2.1": "accepted"}


def test_accept_remaining_starts_the_review(submitted, users):
    from dti.review.services import accept_remaining

    accept_remaining(submitted, {"1.1": ""}, user=users["reviewer"], expected_state="submitted")
    submitted.refresh_from_db()
    assert submitted.state == State.UNDER_REVIEW
