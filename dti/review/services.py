"""The lead agency's workflow: per-indicator accept / adjust / return, approval, publication."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.audit.services import event, record, record_many
from dti.campaigns.services import bump_scores_version, mark_published
from dti.methodologies.selectors import compiled_for, form_layout
from dti.submissions.models import REVIEWABLE_STATES, State, Submission, Value
from dti.submissions.services import WorkflowError, _transition, clean_raw, validate_raw

from .models import ItemStatus, ReviewItem


def _leaf(submission: Submission, code: str):
    layout = form_layout(submission.campaign.framework, submission.unit.level_id)
    leaf = layout.leaf_by_code.get(code)
    if leaf is None:
        raise WorkflowError(_("Chỉ số %(code)s không áp dụng cho đơn vị này") % {"code": code})
    return leaf


def _start(submission: Submission, user) -> None:
    if submission.state not in REVIEWABLE_STATES:
        raise WorkflowError(_("Hồ sơ không ở trạng thái chờ thẩm định."))
    if submission.state != State.UNDER_REVIEW:
        _transition(submission, REVIEWABLE_STATES, State.UNDER_REVIEW, user)


def _item(submission: Submission, code: str) -> ReviewItem:
    item, _created = ReviewItem.objects.select_for_update().get_or_create(submission=submission, indicator=code)
    # What the unit and the reviewer see of this submission changed: pages cached on updated_at refresh.
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def start_review(submission: Submission, *, user) -> None:
    _start(submission, user)


def _clear_verified(submission, leaf, user, reason: str, events: list) -> bool:
    names = [f.name for f in leaf.fields]
    changed = False
    for value in Value.objects.filter(submission=submission, field__in=names).exclude(verified_raw=None):
        events.append(event(user, "value.verify", submission=submission, indicator=leaf.code, field=value.field,
                            old=value.verified_raw, new=value.raw, reason=reason))
        value.verified_raw = value.verified_number = value.verified_by = value.verified_at = None
        value.save(update_fields=["verified_raw", "verified_number", "verified_by", "verified_at"])
        changed = True
    return changed


@transaction.atomic
def accept_item(submission: Submission, code: str, *, user, comment: str = "") -> ReviewItem:
    leaf = _leaf(submission, code)
    _start(submission, user)
    item = _item(submission, code)
    events: list = []
    if _clear_verified(submission, leaf, user, _("chấp nhận số liệu đơn vị báo cáo"), events):
        bump_scores_version(submission.campaign_id, [submission.pk])
    old = item.status
    item.status, item.comment, item.reason, item.reviewer = ItemStatus.ACCEPTED, clean_raw(comment), "", user
    item.save()
    events.append(event(user, "review.accept", item, submission=submission, indicator=code, field="status",
                        old=old, new=item.status, reason=item.comment))
    record_many(events)
    return item


@transaction.atomic
def adjust_item(submission: Submission, code: str, *, user, verified: dict[str, str], reason: str) -> ReviewItem:
    """Điều chỉnh: verified values kept beside the reported ones (which never change); reason required."""
    leaf = _leaf(submission, code)
    reason = clean_raw(reason)
    errors = {}
    if not reason:
        errors["reason"] = _("Cần ghi lý do điều chỉnh")
    compiled = compiled_for(submission.campaign.framework)
    parsed = {}
    for spec in leaf.fields:
        if spec.name not in verified:
            continue
        raw = clean_raw(verified[spec.name])
        number, error = validate_raw(compiled.fields[spec.name], raw)
        if error:
            errors[spec.name] = error
        parsed[spec.name] = (raw, number)
    if errors:
        raise ValidationError(errors)
    _start(submission, user)
    current = {v.field: v for v in Value.objects.select_for_update().filter(submission=submission, field__in=list(parsed))}
    events: list = []
    changed = False
    now = timezone.now()
    for name, (raw, number) in parsed.items():
        value = current.get(name)
        if value is None:
            if not raw:
                continue
            value = Value(submission=submission, field=name, raw="")
        target = None if raw == value.raw else raw
        if target == value.verified_raw:
            continue
        events.append(event(user, "value.verify", submission=submission, indicator=code, field=name,
                            old=value.effective_raw, new=raw, reason=reason))
        value.verified_raw = target
        value.verified_number = number if target is not None else None
        value.verified_by = user if target is not None else None
        value.verified_at = now if target is not None else None
        value.save()
        changed = True
    item = _item(submission, code)
    old = item.status
    item.status, item.reason, item.reviewer = ItemStatus.ADJUSTED, reason, user
    item.save()
    events.append(event(user, "review.adjust", item, submission=submission, indicator=code, field="status",
                        old=old, new=item.status, reason=reason))
    record_many(events)
    if changed:
        bump_scores_version(submission.campaign_id, [submission.pk])
    return item


@transaction.atomic
def return_item(submission: Submission, code: str, *, user, comment: str) -> ReviewItem:
    _leaf(submission, code)
    comment = clean_raw(comment)
    if not comment:
        raise ValidationError({"comment": _("Cần ghi ý kiến: đơn vị cần bổ sung, giải trình gì")})
    _start(submission, user)
    item = _item(submission, code)
    old = item.status
    item.status, item.comment, item.answer, item.reviewer = ItemStatus.RETURNED, comment, "", user
    item.save()
    record(user, "review.return", item, submission=submission, indicator=code, field="status", old=old,
           new=item.status, reason=comment)
    return item


@transaction.atomic
def send_back(submission: Submission, *, user) -> None:
    """Trả hồ sơ cho đơn vị: the returned items become editable for the unit."""
    if not ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED).exists():
        raise WorkflowError(_("Chưa có chỉ số nào được đánh dấu trả lại."))
    _transition(submission, {State.UNDER_REVIEW}, State.RETURNED, user)


@transaction.atomic
def answer_items(submission: Submission, answers: dict[str, str], *, user) -> None:
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
    for item in ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED, indicator__in=list(answers)):
        text = answers[item.indicator]
        if text != item.answer:
            record(user, "review.answer", item, submission=submission, indicator=item.indicator, field="answer",
                   old=item.answer, new=text)
            item.answer = text
            item.save(update_fields=["answer", "updated_at"])


def reopen_returned(submission: Submission) -> None:
    """After the unit resubmits, its returned items wait for the reviewer again."""
    ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED).update(
        status=ItemStatus.PENDING, updated_at=timezone.now()
    )
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())


@transaction.atomic
def approve(submission: Submission, *, user) -> None:
    """Phê duyệt kết quả thẩm định (quản trị đánh giá); indicators not reviewed count as accepted."""
    if ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED).exists():
        raise WorkflowError(_("Còn chỉ số đang trả lại đơn vị; chưa phê duyệt được."))
    layout = form_layout(submission.campaign.framework, submission.unit.level_id)
    have = set(ReviewItem.objects.filter(submission=submission).values_list("indicator", flat=True))
    ReviewItem.objects.bulk_create(
        [ReviewItem(submission=submission, indicator=leaf.code, status=ItemStatus.ACCEPTED, reviewer=user)
         for leaf in layout.leaves if leaf.code not in have]
    )
    ReviewItem.objects.filter(submission=submission, status=ItemStatus.PENDING).update(status=ItemStatus.ACCEPTED)
    _transition(submission, REVIEWABLE_STATES, State.APPROVED, user, approved_at=timezone.now())


@transaction.atomic
def publish(submission: Submission, *, user) -> None:
    _transition(submission, {State.APPROVED}, State.PUBLISHED, user, published_at=timezone.now())


@transaction.atomic
def publish_campaign(campaign, *, user) -> int:
    """Công bố kết quả: every approved submission is published and the ranking becomes public."""
    count = 0
    for submission in Submission.objects.filter(campaign=campaign, state=State.APPROVED).select_related("unit"):
        publish(submission, user=user)
        count += 1
    mark_published(campaign, user=user)
    return count
