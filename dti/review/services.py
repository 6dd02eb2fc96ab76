"""The lead agency's workflow: per-indicator accept / adjust / return, approval, publication.

Each action locks the submission's row and re-reads its state there (``workflow.lock``), so
a reviewer's page loaded before an approval cannot reopen the file; an item action carries
the item as the page showed it (``seen``), so two reviewers never overwrite each other
unknowingly.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dti.audit.services import event, record, record_many
from dti.campaigns.services import bump_scores_version, mark_published
from dti.methodologies.selectors import compiled_for, form_layout
from dti.site.text import NOTE_MAX, text_error
from dti.submissions import workflow
from dti.submissions.models import REVIEWABLE_STATES, State, Submission, Value
from dti.submissions.services import WorkflowError, clean_raw, validate_raw

from .models import ItemStatus, ReviewItem


def item_token(item: ReviewItem | None) -> str:
    """What a page shows of an item, as a token it sends back with an action ('' = never reviewed)."""
    if item is None or item.pk is None:
        return ""
    return f"{item.status}:{int(item.updated_at.timestamp() * 1_000_000)}"


def _leaf(submission: Submission, code: str):
    layout = form_layout(submission.campaign.framework, submission.unit.level_id)
    leaf = layout.leaf_by_code.get(code)
    if leaf is None:
        raise WorkflowError(_("Chỉ số %(code)s không áp dụng cho đơn vị này") % {"code": code})
    return leaf


def _text(value: str, field: str, errors: dict) -> str:
    text = clean_raw(value)
    problem = text_error(text, max_length=NOTE_MAX)
    if problem:
        errors[field] = problem
    return text


def _open(submission: Submission, user, expected_state: str | None) -> Submission:
    """Lock the row; refuse unless the file is waiting for review (starting the review when needed)."""
    locked = workflow.lock(submission)
    if expected_state and expected_state != locked.state and not (
        expected_state in (State.SUBMITTED, State.RESUBMITTED) and locked.state == State.UNDER_REVIEW
    ):  # another reviewer having started the review is no reason to refuse an item
        workflow.check_expected(locked, expected_state)
    if locked.state not in REVIEWABLE_STATES:
        raise workflow.refusal(locked, workflow.TRANSITIONS["start_review"])
    if locked.state != State.UNDER_REVIEW:
        workflow.run(submission, "start_review", user=user)
        locked.state = State.UNDER_REVIEW
    return locked


def _item(submission: Submission, code: str, seen: str | None) -> ReviewItem:
    item = ReviewItem.objects.filter(submission=submission, indicator=code).select_related("reviewer").first()
    if seen is not None and item_token(item) != seen:
        who = (item.reviewer.get_full_name() or item.reviewer.get_username()) if item and item.reviewer else ""
        raise workflow.StaleState(
            _("Chỉ số %(code)s vừa được %(who)s thẩm định (“%(status)s”, %(when)s) sau khi bạn mở trang; "
              "thao tác của bạn chưa được lưu. Hãy xem lại chỉ số này.")
            % {"code": code, "who": who or _("người khác"), "status": item.get_status_display() if item else "",
               "when": date_format(timezone.localtime(item.updated_at), "H:i d/m/Y") if item else ""}
        )
    if item is None:
        item = ReviewItem.objects.create(submission=submission, indicator=code)
    # What the unit and the reviewer see of this submission changed: pages cached on updated_at refresh.
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
    return item


def start_review(submission: Submission, *, user, **kwargs) -> None:
    workflow.run(submission, "start_review", user=user, **kwargs)


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


def _accept(locked: Submission, leaf, item: ReviewItem, *, user, comment: str, events: list, why: str = "") -> bool:
    """Accept one item under the submission's lock; True when verified values were cleared."""
    cleared = _clear_verified(locked, leaf, user, _("chấp nhận số liệu đơn vị báo cáo"), events)
    old = item.status
    item.status, item.comment, item.reason, item.reviewer = ItemStatus.ACCEPTED, comment, "", user
    item.save()
    events.append(event(user, "review.accept", item, submission=locked, indicator=leaf.code, field="status",
                        old=old, new=item.status, reason=item.comment or why))
    return cleared


@transaction.atomic
def accept_item(submission: Submission, code: str, *, user, comment: str = "", seen: str | None = None,
                expected_state: str | None = None) -> ReviewItem:
    leaf = _leaf(submission, code)
    errors: dict[str, str] = {}
    comment = _text(comment, "comment", errors)
    if errors:
        raise ValidationError(errors)
    locked = _open(submission, user, expected_state)
    item = _item(locked, code, seen)
    events: list = []
    if _accept(locked, leaf, item, user=user, comment=comment, events=events):
        bump_scores_version(locked.campaign_id, [locked.pk])
    record_many(events)
    return item


@dataclass
class Skipped:
    """An item "accept all remaining" left alone, and why (someone changed it since the page was loaded)."""

    code: str
    status: str = ""  # its status now, in words ('' when it does not apply to the unit)
    who: str = ""


@transaction.atomic
def accept_remaining(submission: Submission, seen: dict[str, str], *, user,
                     expected_state: str | None = None) -> tuple[list[str], list[Skipped]]:
    """Chấp nhận tất cả chỉ số còn lại: the items the page listed as not yet decided, in one transaction.

    ``seen``: indicator code -> the item as the page showed it (``item_token``). An item changed
    since (decided by another reviewer, or decided and reopened) is skipped, never overwritten;
    the person is told which and by whom. Returns (accepted codes, skipped items).
    """
    layout = form_layout(submission.campaign.framework, submission.unit.level_id)
    locked = _open(submission, user, expected_state)
    items = {i.indicator: i for i in ReviewItem.objects.filter(submission=locked, indicator__in=list(seen))
             .select_related("reviewer")}
    accepted: list[str] = []
    skipped: list[Skipped] = []
    events: list = []
    cleared = False
    why = _("chấp nhận tất cả chỉ số còn lại")
    for code, token in seen.items():
        leaf = layout.leaf_by_code.get(code)
        if leaf is None or leaf.computed:
            skipped.append(Skipped(code))
            continue
        item = items.get(code)
        if item_token(item) != token or (item is not None and item.status != ItemStatus.PENDING):
            who = (item.reviewer.get_full_name() or item.reviewer.get_username()) if item and item.reviewer else ""
            skipped.append(Skipped(code, item.get_status_display() if item else "", who))
            continue
        if item is None:
            item = ReviewItem.objects.create(submission=locked, indicator=code)
        cleared |= _accept(locked, leaf, item, user=user, comment="", events=events, why=why)
        accepted.append(code)
    if accepted:
        Submission.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        record_many(events)
    if cleared:
        bump_scores_version(locked.campaign_id, [locked.pk])
    return accepted, skipped


@transaction.atomic
def adjust_item(submission: Submission, code: str, *, user, verified: dict[str, str], reason: str,
                seen: str | None = None, expected_state: str | None = None) -> ReviewItem:
    """Điều chỉnh: verified values kept beside the reported ones (which never change); reason required."""
    leaf = _leaf(submission, code)
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", errors)
    if not reason and "reason" not in errors:
        errors["reason"] = _("Cần ghi lý do điều chỉnh")
    compiled = compiled_for(submission.campaign.framework)
    parsed = {}
    for spec in leaf.fields:
        if spec.name not in verified:
            continue
        raw = _text(verified[spec.name], spec.name, errors)
        if spec.name in errors:
            continue
        number, error = validate_raw(compiled.fields[spec.name], raw)
        if error:
            errors[spec.name] = error
        parsed[spec.name] = (raw, number)
    if errors:
        raise ValidationError(errors)
    locked = _open(submission, user, expected_state)
    item = _item(locked, code, seen)
    current = {v.field: v for v in Value.objects.filter(submission=locked, field__in=list(parsed))}
    events: list = []
    changed = False
    now = timezone.now()
    for name, (raw, number) in parsed.items():
        value = current.get(name)
        if value is None:
            if not raw:
                continue
            value = Value(submission=locked, field=name, raw="")
        target = None if raw == value.raw else raw
        if target == value.verified_raw:
            continue
        events.append(event(user, "value.verify", submission=locked, indicator=code, field=name,
                            old=value.effective_raw, new=raw, reason=reason))
        value.verified_raw = target
        value.verified_number = number if target is not None else None
        value.verified_by = user if target is not None else None
        value.verified_at = now if target is not None else None
        value.save()
        changed = True
    old = item.status
    item.status, item.reason, item.reviewer = ItemStatus.ADJUSTED, reason, user
    item.save()
    events.append(event(user, "review.adjust", item, submission=locked, indicator=code, field="status",
                        old=old, new=item.status, reason=reason))
    record_many(events)
    if changed:
        bump_scores_version(locked.campaign_id, [locked.pk])
    return item


@transaction.atomic
def return_item(submission: Submission, code: str, *, user, comment: str, seen: str | None = None,
                expected_state: str | None = None) -> ReviewItem:
    _leaf(submission, code)
    errors: dict[str, str] = {}
    comment = _text(comment, "comment", errors)
    if not comment and "comment" not in errors:
        errors["comment"] = _("Cần ghi ý kiến: đơn vị cần bổ sung, giải trình gì")
    if errors:
        raise ValidationError(errors)
    locked = _open(submission, user, expected_state)
    item = _item(locked, code, seen)
    old = item.status
    item.status, item.comment, item.answer, item.reviewer = ItemStatus.RETURNED, comment, "", user
    item.save()
    record(user, "review.return", item, submission=locked, indicator=code, field="status", old=old,
           new=item.status, reason=comment)
    return item


def send_back(submission: Submission, *, user, **kwargs) -> None:
    """Trả hồ sơ cho đơn vị: the returned items become editable for the unit."""
    workflow.run(submission, "send_back", user=user, **kwargs)


def answer_items(submission: Submission, answers: dict[str, str], *, user) -> None:
    """The unit's explanations (called by the entry save, under its row lock)."""
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
    for item in ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED, indicator__in=list(answers)):
        text = answers[item.indicator]
        if text != item.answer:
            record(user, "review.answer", item, submission=submission, indicator=item.indicator, field="answer",
                   old=item.answer, new=text)
            item.answer = text
            item.save(update_fields=["answer", "updated_at"])


def approve(submission: Submission, *, user, **kwargs) -> None:
    """Phê duyệt kết quả thẩm định (quản trị đánh giá); indicators not reviewed count as accepted."""
    workflow.run(submission, "approve", user=user, **kwargs)


def publish(submission: Submission, *, user, **kwargs) -> None:
    workflow.run(submission, "publish", user=user, **kwargs)


def publication_preview(campaign) -> dict:
    """What publishing would do now: the approved units it publishes and the units it leaves out."""
    rows = list(Submission.objects.filter(campaign=campaign).select_related("unit").order_by("unit__path"))
    return {
        "to_publish": [s for s in rows if s.state == State.APPROVED],
        "published": [s for s in rows if s.state == State.PUBLISHED],
        "not_ready": [s for s in rows if s.state not in (State.APPROVED, State.PUBLISHED)],
    }


@transaction.atomic
def publish_campaign(campaign, *, user, expected: set[int] | None = None) -> int:
    """Công bố kết quả: every approved submission is published and the ranking becomes public.

    ``expected``: the submission ids the confirmation page listed as to be published; when the
    approved set changed since, nothing is published and the person sees the new list.
    """
    from dti.campaigns.models import Campaign

    # Rows first, in id order, then the campaign: the same order as every save (no deadlock).
    approved = list(Submission.objects.select_for_update().filter(campaign=campaign, state=State.APPROVED)
                    .order_by("pk"))
    if expected is not None and {s.pk for s in approved} != set(expected):
        raise workflow.StaleState(_("Danh sách đơn vị đã phê duyệt vừa thay đổi; hãy xem lại trước khi công bố."))
    for submission in approved:
        workflow.run(submission, "publish", user=user)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    mark_published(campaign, user=user)
    return len(approved)
