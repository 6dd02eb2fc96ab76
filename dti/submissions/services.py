"""Writing a unit's data: draft saves (raw text kept, parsed, validated), evidence, workflow steps.

Nothing typed is ever lost: the raw text is stored even when it does not parse,
with the Vietnamese message beside it; the engine sees only what parses.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.audit.services import event, record, record_many
from dti.campaigns.selectors import entry_deadline, entry_open
from dti.campaigns.services import bump_scores_version
from dti.engine.data import ValueError_, check_range, parse_value
from dti.methodologies.selectors import compiled_for, form_layout

from .evidence import EvidenceRejected, check_upload
from .models import Evidence, IndicatorNote, State, Submission, Value

STATUS_VALUES = {"": "", "no_content": "no_content", "exempt": "exempt"}


class WorkflowError(Exception):
    """An action refused by the rules (deadline, state, missing data); the message is shown to the user."""


def clean_raw(text) -> str:
    return unicodedata.normalize("NFC", str(text if text is not None else "")).strip()


def validate_raw(spec, raw: str) -> tuple[float | None, str]:
    """(number the engine will see, Vietnamese error or '') for one raw value."""
    if not raw:
        return None, ""
    try:
        parsed = parse_value(spec, raw, vietnamese=True)
    except ValueError_ as exc:
        return None, str(exc)
    if isinstance(parsed, str):
        return None, ""
    message = check_range(spec, parsed) if spec.type not in ("choice", "yes_no", "date") else None
    return parsed, message or ""


@dataclass
class SaveOutcome:
    changed: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    file_errors: dict[str, list[str]] = field(default_factory=dict)
    uploaded: int = 0


def editable_indicators(submission: Submission) -> set[str] | None:
    """None = every field; a set = only these indicators (returned items); empty set = nothing."""
    if submission.state == State.DRAFT:
        return None
    if submission.state == State.RETURNED:
        from dti.review.selectors import returned_indicators

        return returned_indicators(submission)
    return set()


def check_can_edit(submission: Submission, *, today=None) -> None:
    if submission.state == State.DRAFT:
        if not entry_open(submission.campaign, submission.unit, today):
            deadline = entry_deadline(submission.campaign, submission.unit)
            raise WorkflowError(
                _("Đã quá hạn nhập liệu (%(d)s). Liên hệ cơ quan chủ trì để được gia hạn.") % {"d": deadline.strftime("%d/%m/%Y")}
            )
        return
    if submission.state == State.RETURNED:
        return
    if submission.state == State.APPROVED_BY_LEADER:
        raise WorkflowError(_("Hồ sơ đã được lãnh đạo duyệt; lãnh đạo cần hủy duyệt trước khi sửa."))
    raise WorkflowError(_("Hồ sơ đã gửi và bị khóa, không sửa được."))


@transaction.atomic
def save_entry(
    submission: Submission,
    *,
    user,
    values: dict[str, str] | None = None,
    statuses: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
    answers: dict[str, str] | None = None,
    files: dict[str, list] | None = None,
    delete_evidence: list[int] | None = None,
    today=None,
) -> SaveOutcome:
    """Save what the unit typed (a draft, or answers to returned items)."""
    check_can_edit(submission, today=today)
    scope = editable_indicators(submission)
    compiled = compiled_for(submission.campaign.framework)
    layout = form_layout(submission.campaign.framework, submission.unit.level_id)
    outcome = SaveOutcome()
    existing = {v.field: v for v in Value.objects.select_for_update().filter(submission=submission)}
    to_create, to_update, events = [], [], []
    now = timezone.now()

    def allowed(indicator: str | None) -> bool:
        return scope is None or (indicator is not None and indicator in scope)

    def put(name: str, raw: str, number, error: str, indicator: str | None) -> None:
        current = existing.get(name)
        if current is None:
            if not raw:
                return
            value = Value(submission=submission, field=name, raw=raw, number=number, error=error)
            to_create.append(value)
            existing[name] = value
            old = ""
        else:
            if current.raw == raw and current.error == error:
                return
            old = current.raw
            current.raw, current.number, current.error, current.updated_at = raw, number, error, now
            to_update.append(current)
        events.append(event(user, "value.change", submission=submission, indicator=indicator or "",
                            field=name, old=old, new=raw))
        outcome.changed += 1

    for name, text in (values or {}).items():
        spec = compiled.fields.get(name)
        if spec is None or name not in layout.field_names or not allowed(spec.indicator):
            continue
        raw = clean_raw(text)
        number, error = validate_raw(spec, raw)
        put(name, raw, number, error, spec.indicator)
    for code, text in (statuses or {}).items():
        if code not in layout.leaf_by_code or not allowed(code):
            continue
        raw = STATUS_VALUES.get(clean_raw(text), "")
        put(f"{code}.status", raw, None, "", code)
    if to_create:
        Value.objects.bulk_create(to_create)
    if to_update:
        _update_values(to_update)
    if notes:
        current_notes = {n.indicator: n for n in IndicatorNote.objects.filter(submission=submission)}
        for code, text in notes.items():
            if code not in layout.leaf_by_code or not allowed(code):
                continue
            text = clean_raw(text)
            note = current_notes.get(code)
            if note is None and not text:
                continue
            if note is not None and note.text == text:
                continue
            events.append(event(user, "note.change", submission=submission, indicator=code, field="note",
                                old=note.text if note else "", new=text))
            if note is None:
                IndicatorNote.objects.create(submission=submission, indicator=code, text=text)
            else:
                note.text = text
                note.save(update_fields=["text", "updated_at"])
    if answers and submission.state == State.RETURNED:
        from dti.review.services import answer_items

        answer_items(submission, {c: clean_raw(t) for c, t in answers.items() if allowed(c)}, user=user)
    for evidence_id in delete_evidence or []:
        item = Evidence.objects.filter(submission=submission, pk=evidence_id).first()
        if item is None or not allowed(item.indicator):
            continue
        events.append(event(user, "evidence.delete", submission=submission, indicator=item.indicator,
                            field="evidence", old=item.original_name))
        item.file.delete(save=False)
        item.delete()
    for code, uploads in (files or {}).items():
        if code not in layout.leaf_by_code or not allowed(code):
            continue
        for upload in uploads:
            try:
                add_evidence(submission, code, upload, user=user, _events=events)
                outcome.uploaded += 1
            except EvidenceRejected as exc:
                outcome.file_errors.setdefault(code, []).append(str(exc))
    record_many(events)
    if to_create or to_update or events:
        bump_scores_version(submission.campaign_id, [submission.pk])
    Submission.objects.filter(pk=submission.pk).update(updated_at=now)
    outcome.errors = {name: v.error for name, v in existing.items() if v.error}
    return outcome


def _update_values(values: list[Value]) -> None:
    """One prepared UPDATE executed for each row (much cheaper than bulk_update's CASE WHEN)."""
    table = connection.ops.quote_name(Value._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET raw = %s, number = %s, error = %s, updated_at = %s WHERE id = %s",
            [(v.raw, v.number, v.error, connection.ops.adapt_datetimefield_value(v.updated_at), v.pk) for v in values],
        )


def add_evidence(submission: Submission, indicator: str, upload, *, user, _events=None) -> Evidence:
    kind, content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = clean_raw(upload.name)[-255:]
    item = Evidence(
        submission=submission, indicator=indicator, original_name=name, content_type=content_type, kind=kind,
        size=upload.size, sha256=digest.hexdigest(), uploaded_by=user if user.is_authenticated else None,
    )
    item.file.save(name, upload, save=False)
    item.save()
    audit = event(user, "evidence.add", item, submission=submission, indicator=indicator, field="evidence", new=name)
    if _events is not None:
        _events.append(audit)
    else:
        audit.save()
    return item


# --------------------------------------------------------------------------- workflow


def _transition(submission: Submission, allowed: set[str], target: str, user, *, reason: str = "", **fields) -> None:
    if submission.state not in allowed:
        raise WorkflowError(
            _("Không thực hiện được ở trạng thái '%(state)s'") % {"state": State(submission.state).label}
        )
    old = submission.state
    submission.state = target
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.save()
    bump_scores_version(submission.campaign_id, [submission.pk])  # the state is shown in the ranking
    record(user, "submission.state", submission, submission=submission, field="state", old=old, new=target, reason=reason)


@transaction.atomic
def approve_by_leader(submission: Submission, *, user) -> None:
    """Lãnh đạo đơn vị duyệt số liệu: refused while some field has an error."""
    errors = Value.objects.filter(submission=submission).exclude(error="").count()
    if errors:
        raise WorkflowError(_("Còn %(n)d trường có lỗi; cần sửa trước khi duyệt.") % {"n": errors})
    if not Value.objects.filter(submission=submission).exclude(raw="").exists():
        raise WorkflowError(_("Hồ sơ chưa có số liệu."))
    _transition(submission, {State.DRAFT}, State.APPROVED_BY_LEADER, user,
                leader_approved_by=user, leader_approved_at=timezone.now())


@transaction.atomic
def withdraw_leader_approval(submission: Submission, *, user, reason: str = "") -> None:
    _transition(submission, {State.APPROVED_BY_LEADER}, State.DRAFT, user, reason=reason,
                leader_approved_by=None, leader_approved_at=None)


@transaction.atomic
def submit(submission: Submission, *, user, today=None) -> None:
    """Gửi hồ sơ: only after the leader's approval, before the deadline (or an extension); then locked."""
    if submission.state == State.APPROVED_BY_LEADER and not entry_open(submission.campaign, submission.unit, today):
        deadline = entry_deadline(submission.campaign, submission.unit)
        raise WorkflowError(_("Đã quá hạn gửi hồ sơ (%(d)s).") % {"d": deadline.strftime("%d/%m/%Y")})
    if submission.state == State.DRAFT:
        raise WorkflowError(_("Hồ sơ cần được lãnh đạo đơn vị duyệt trước khi gửi."))
    _transition(submission, {State.APPROVED_BY_LEADER}, State.SUBMITTED, user, submitted_at=timezone.now())


@transaction.atomic
def resubmit(submission: Submission, *, user) -> None:
    """Gửi lại sau khi bổ sung: every returned item needs the unit's answer."""
    from dti.review.models import ItemStatus, ReviewItem

    unanswered = list(
        ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED, answer="").values_list("indicator", flat=True)
    )
    if unanswered:
        raise WorkflowError(_("Cần giải trình cho các chỉ số bị trả lại: %(codes)s") % {"codes": ", ".join(unanswered)})
    errors = Value.objects.filter(submission=submission).exclude(error="").count()
    if errors:
        raise WorkflowError(_("Còn %(n)d trường có lỗi; cần sửa trước khi gửi lại.") % {"n": errors})
    from dti.review.services import reopen_returned

    _transition(submission, {State.RETURNED}, State.RESUBMITTED, user, submitted_at=timezone.now())
    reopen_returned(submission)
