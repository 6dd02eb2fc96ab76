import datetime as dt

import pytest

from dti.audit.models import AuditEvent
from dti.campaigns.models import Campaign
from dti.submissions import services
from dti.submissions.models import State, Value

from .conftest import GOOD


def test_save_keeps_raw_text_and_parses_vietnamese_numbers(submission, fill):
    fill(submission)
    value = Value.objects.get(submission=submission, field="info.so_cong_chuc")
    assert value.raw == "1.234"
    assert value.number == 1234
    assert value.error == ""


def test_invalid_value_is_kept_with_vietnamese_message_and_others_saved(submission, fill):
    outcome = fill(submission, {"1.2.a": "ba", "1.2.b": "4"})
    bad = Value.objects.get(submission=submission, field="1.2.a")
    assert bad.raw == "ba" and bad.number is None
    assert "không phải là số" in bad.error
    assert Value.objects.get(submission=submission, field="1.2.b").number == 4
    assert outcome.errors == {"1.2.a": bad.error}


def test_out_of_range_value_gets_message(submission, fill):
    fill(submission, {"1.2.a": "-3"})
    assert "nhỏ hơn mức tối thiểu" in Value.objects.get(submission=submission, field="1.2.a").error


def test_unknown_fields_are_ignored(submission, fill):
    fill(submission, {"9.9.z": "1", "1.3.co": "1"})
    assert set(Value.objects.filter(submission=submission).values_list("field", flat=True)) == {"1.3.co"}


def test_each_change_is_audited_with_old_and_new(submission, fill):
    fill(submission, {"1.2.a": "3"})
    fill(submission, {"1.2.a": "5"})
    events = list(AuditEvent.objects.filter(submission_id=submission.pk, field="1.2.a").order_by("id"))
    assert [(e.old, e.new) for e in events] == [("", "3"), ("3", "5")]
    assert events[0].indicator == "1.2" and events[0].username == "bientap.so-a"


def test_unchanged_value_writes_nothing(submission, fill):
    fill(submission)
    before = AuditEvent.objects.count()
    version = Campaign.objects.get(pk=submission.campaign_id).scores_version
    outcome = fill(submission)
    assert outcome.changed == 0
    assert AuditEvent.objects.count() == before
    assert Campaign.objects.get(pk=submission.campaign_id).scores_version == version


def test_save_bumps_scores_version(submission, fill):
    version = Campaign.objects.get(pk=submission.campaign_id).scores_version
    fill(submission, {"1.3.co": "0"})
    assert Campaign.objects.get(pk=submission.campaign_id).scores_version > version


def test_status_and_note_are_saved(submission, fill):
    fill(submission, {}, statuses={"2.1": "no_content"}, notes={"1.1": "Theo Quyết định 12/QĐ"})
    assert Value.objects.get(submission=submission, field="2.1.status").raw == "no_content"
    assert submission.notes.get(indicator="1.1").text == "Theo Quyết định 12/QĐ"


def test_entry_after_deadline_is_refused(submission, fill, today):
    with pytest.raises(services.WorkflowError, match="quá hạn"):
        fill(submission, today=today + dt.timedelta(days=11))


def test_extension_reopens_entry_for_that_unit(submission, fill, today, users):
    from dti.campaigns.services import grant_extension

    grant_extension(submission.campaign, submission.unit, new_deadline=today + dt.timedelta(days=15),
                    reason="Đơn vị có văn bản xin gia hạn", user=users["assessment_admin"])
    outcome = fill(submission, {"1.3.co": "1"}, today=today + dt.timedelta(days=12))
    assert outcome.changed == 1


def test_leader_approval_refused_while_errors(submission, fill, users):
    fill(submission, {"1.2.a": "x"})
    with pytest.raises(services.WorkflowError, match="lỗi"):
        services.approve_by_leader(submission, user=users["leader"])


def test_submit_requires_leader_approval(submission, fill, users):
    fill(submission)
    with pytest.raises(services.WorkflowError, match="lãnh đạo"):
        services.submit(submission, user=users["reporter"])


def test_submitted_submission_is_locked(submitted, fill):
    assert submitted.state == State.SUBMITTED
    with pytest.raises(services.WorkflowError, match="khóa"):
        fill(submitted, {"1.3.co": "0"})


def test_approved_by_leader_cannot_be_edited_until_withdrawn(submission, fill, users):
    fill(submission)
    services.approve_by_leader(submission, user=users["leader"])
    with pytest.raises(services.WorkflowError):
        fill(submission, {"1.3.co": "0"})
    services.withdraw_leader_approval(submission, user=users["leader"])
    assert fill(submission, {"1.3.co": "0"}).changed == 1


def test_state_changes_are_audited(submission, fill, users):
    fill(submission)
    services.approve_by_leader(submission, user=users["leader"])
    event = AuditEvent.objects.get(submission_id=submission.pk, action="submission.state")
    assert (event.old, event.new, event.username) == ("draft", "approved_by_leader", "lanhdao.so-a")


def test_returned_submission_only_accepts_returned_indicators(submitted, users, fill):
    from dti.review.services import return_item, send_back

    return_item(submitted, "1.2", user=users["reviewer"], comment="Bổ sung biên bản họp")
    send_back(submitted, user=users["reviewer"])
    submitted.refresh_from_db()
    fill(submitted, {"1.2.a": "4", "1.3.co": "0"})
    values = {v.field: v.raw for v in Value.objects.filter(submission=submitted)}
    assert values["1.2.a"] == "4"
    assert values["1.3.co"] == GOOD["1.3.co"]


def test_resubmit_requires_an_answer_for_each_returned_item(submitted, users, fill):
    from dti.review.services import return_item, send_back

    return_item(submitted, "1.2", user=users["reviewer"], comment="Bổ sung biên bản họp")
    send_back(submitted, user=users["reviewer"])
    submitted.refresh_from_db()
    with pytest.raises(services.WorkflowError, match="1.2"):
        services.resubmit(submitted, user=users["reporter"])
    fill(submitted, {}, answers={"1.2": "Đã bổ sung biên bản"})
    services.resubmit(submitted, user=users["reporter"])
    assert submitted.state == State.RESUBMITTED
