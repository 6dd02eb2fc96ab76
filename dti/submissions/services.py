"""Writing a unit's data: draft saves (raw text kept, parsed, validated), evidence, workflow steps.

Nothing typed is ever lost: the raw text is stored even when it does not parse, with the
Vietnamese message beside it; the engine sees only what parses.  A save carries what the
page showed (``originals``) beside what the person typed: only what the person changed is
written, and a field somebody else saved in between is not overwritten but returned as a
conflict (their value, who, when) for the person to decide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.audit.services import event, record_many
from dti.campaigns.selectors import entry_deadline, entry_open
from dti.campaigns.services import bump_scores_version
from dti.engine.data import ValueError_, check_range, parse_value
from dti.methodologies.selectors import compiled_for, form_layout
from dti.site.text import NOTE_MAX, VALUE_MAX, normalise, text_error

from . import workflow
from .evidence import EvidenceRejected, check_upload
from .models import Evidence, IndicatorNote, State, Submission, Value
from .signatures import read_signatures
from .workflow import StaleState, WorkflowError

__all__ = ["StaleState", "WorkflowError", "save_entry", "approve_by_leader", "withdraw_leader_approval", "submit",
           "resubmit", "add_evidence", "clean_raw", "validate_raw"]

STATUS_VALUES = {"": "", "no_content": "no_content", "exempt": "exempt"}
YES_WORDS = {"1", "có", "co", "yes", "true", "x", "đã", "da"}
NO_WORDS = {"0", "không", "khong", "no", "false", "chưa", "chua"}
ERROR_MAX = 500  # Value.error's column

clean_raw = normalise


def validate_raw(spec, raw: str, lang: str = "vi") -> tuple[float | None, str]:
    """(number the engine will see, error or '') for one raw value; the error in Vietnamese (what is
    stored) unless ``lang`` asks for another language (a live preview)."""
    if not raw:
        return None, ""
    try:
        parsed = parse_value(spec, raw, vietnamese=True)
    except ValueError_ as exc:
        return None, exc.text(lang)[:ERROR_MAX]
    if isinstance(parsed, str):
        return None, ""
    message = check_range(spec, parsed, lang) if spec.type not in ("choice", "yes_no", "date") else None
    return parsed, (message or "")[:ERROR_MAX]


def canonical(spec, raw: str) -> str:
    """A value as the form shows it: an option by its value, yes/no as 1/0 (so 'Có' and '1' are the same)."""
    word = normalise(raw)
    if spec is None:
        return word
    lower = word.lower()
    if spec.type == "yes_no":
        return "1" if lower in YES_WORDS else "0" if lower in NO_WORDS else word
    if spec.type == "choice":
        for option in spec.spec.options or []:
            if lower in (option.value.lower(), option.label.lower()):
                return option.value
    return word


@dataclass
class Conflict:
    """A field this person changed that somebody else saved differently since the page was loaded."""

    key: str  # the form's name: 'f:1.2.a', 'st:1.2', 'note:1.2', 'ans:1.2'
    indicator: str
    mine: str
    theirs: str
    who: str
    when: dt.datetime | None


@dataclass
class SaveOutcome:
    changed: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    file_errors: dict[str, list[str]] = field(default_factory=dict)
    uploaded: int = 0
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    rejected: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (what was typed, why not stored)

    @property
    def kept_back(self) -> dict[str, str]:
        """What the person typed that was not stored (conflicts, rejected text): shown again in the form."""
        kept = {key: typed for key, (typed, _m) in self.rejected.items()}
        kept.update({key: c.mine for key, c in self.conflicts.items()})
        return kept


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
        raise WorkflowError(_("Hồ sơ đã được lãnh đạo duyệt%(who)s; lãnh đạo cần hủy duyệt trước khi sửa. "
                              "Những gì bạn vừa nhập chưa được lưu.") % {"who": workflow.last_move(submission)})
    raise WorkflowError(_("Hồ sơ đã gửi và bị khóa%(who)s, không sửa được. Những gì bạn vừa nhập chưa được lưu.")
                        % {"who": workflow.last_move(submission)})


def _last_change(submission: Submission, *, field_name: str, indicator: str = "", actions=()) -> tuple[str, dt.datetime | None]:
    """Who saved a field last and when, from the audit trail."""
    from dti.audit.models import AuditEvent

    events = AuditEvent.objects.filter(submission_id=submission.pk, field=field_name, action__in=list(actions))
    if indicator:
        events = events.filter(indicator=indicator)
    found = events.select_related("user").order_by("-at", "-id").first()
    if found is None:
        return "", None
    who = (found.user.get_full_name() or found.user.get_username()) if found.user else found.username
    return who, found.at


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
    originals: dict[str, str] | None = None,
    today=None,
    from_platform: bool = False,
) -> SaveOutcome:
    """Save what the unit typed (a draft, or answers to returned items), under the submission's row lock.

    ``originals`` maps the form's names ('f:<field>', 'st:<code>', 'note:<code>', 'ans:<code>') to what
    the page showed.  With it, a field whose typed value equals what was shown is not the person's
    change and is left alone; a field changed both by the person and, since, by somebody else is a
    conflict and is not written.  Without it (scripts, imports) every given value is written.

    A value a platform provided (``dti.connectors``) is locked for manual editing: only a save
    ``from_platform`` changes it; a reviewer overrides it by verification, with a reason.
    """
    with transaction.atomic():
        locked = workflow.lock(submission)
        check_can_edit(locked, today=today)
        return _save(locked, user=user, values=values, statuses=statuses, notes=notes, answers=answers, files=files,
                     delete_evidence=delete_evidence, originals=originals, from_platform=from_platform)


def _platform_fields(submission) -> dict[str, str]:
    from dti.connectors.models import PlatformValue

    return dict(PlatformValue.objects.filter(submission=submission).values_list("field", "platform"))


def _save(submission, *, user, values, statuses, notes, answers, files, delete_evidence, originals,
          from_platform=False) -> SaveOutcome:
    scope = editable_indicators(submission)
    compiled = compiled_for(submission.campaign.framework)
    layout = form_layout(submission.campaign.framework, submission.unit.level_id)
    outcome = SaveOutcome()
    existing = {v.field: v for v in Value.objects.filter(submission=submission)}
    to_create, to_update, events = [], [], []
    now = timezone.now()

    def allowed(indicator: str | None) -> bool:
        return scope is None or (indicator is not None and indicator in scope)

    def decide(key: str, typed: str, current: str, spec, indicator: str, *, field_name: str,
               check_indicator: str = "", actions=("value.change",)) -> bool:
        """Whether to write ``typed``: False when the person did not change it or it conflicts."""
        if originals is None or key not in originals:
            return True
        shown = canonical(spec, originals[key])
        mine, theirs = canonical(spec, typed), canonical(spec, current)
        if mine == shown:
            return False  # not this person's change: whatever is saved now stays
        if theirs != shown and theirs != mine:
            who, when = _last_change(submission, field_name=field_name, indicator=check_indicator, actions=actions)
            outcome.conflicts[key] = Conflict(key, indicator, typed, current, who, when)
            return False
        return True

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

    platform = {} if from_platform or not values else _platform_fields(submission)
    for name, text in (values or {}).items():
        spec = compiled.fields.get(name)
        if spec is None or name not in layout.field_names or not allowed(spec.indicator):
            continue
        key, raw = f"f:{name}", normalise(text)
        problem = text_error(raw, max_length=VALUE_MAX)
        if problem:
            outcome.rejected[key] = (raw.replace("\x00", ""), problem)
            continue
        current = existing.get(name)
        if name in platform and canonical(spec, raw) != canonical(spec, current.raw if current else ""):
            outcome.rejected[key] = (raw, _("Giá trị này lấy tự động từ %(p)s, không sửa tay được; cán bộ thẩm định "
                                            "có thể điều chỉnh kèm lý do.") % {"p": platform[name]})
            continue
        if not decide(key, raw, current.raw if current else "", spec, spec.indicator or "", field_name=name):
            continue
        number, error = validate_raw(spec, raw)
        put(name, raw, number, error, spec.indicator)
    for code, text in (statuses or {}).items():
        if code not in layout.leaf_by_code or not allowed(code):
            continue
        key, raw = f"st:{code}", STATUS_VALUES.get(normalise(text), "")
        current = existing.get(f"{code}.status")
        if not decide(key, raw, current.raw if current else "", None, code, field_name=f"{code}.status"):
            continue
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
            key, text = f"note:{code}", normalise(text)
            problem = text_error(text, max_length=NOTE_MAX)
            if problem:
                outcome.rejected[key] = (text.replace("\x00", ""), problem)
                continue
            note = current_notes.get(code)
            if not decide(key, text, note.text if note else "", None, code, field_name="note", check_indicator=code,
                          actions=("note.change",)):
                continue
            if (note.text if note else "") == text:
                continue
            events.append(event(user, "note.change", submission=submission, indicator=code, field="note",
                                old=note.text if note else "", new=text))
            if note is None:
                IndicatorNote.objects.create(submission=submission, indicator=code, text=text)
            else:
                note.text = text
                note.save(update_fields=["text", "updated_at"])
            outcome.changed += 1
    if answers and submission.state == State.RETURNED:
        _save_answers(submission, answers, allowed, decide, outcome, user)
    for evidence_id in delete_evidence or []:
        item = Evidence.objects.filter(submission=submission, pk=evidence_id).first()
        if item is None or not allowed(item.indicator):
            continue  # already deleted by somebody else: nothing to do
        events.append(event(user, "evidence.delete", submission=submission, indicator=item.indicator,
                            field="evidence", old=item.original_name))
        storage, name = item.file.storage, item.file.name or ""
        item.delete()
        # The file goes only once the row is gone for good: a rollback keeps both.
        transaction.on_commit(partial(storage.delete, name))
        outcome.changed += 1
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


def _save_answers(submission, answers, allowed, decide, outcome, user) -> None:
    """The unit's explanations for returned items."""
    from dti.review.models import ItemStatus, ReviewItem
    from dti.review.services import answer_items

    items = {i.indicator: i for i in ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED)}
    accepted = {}
    for code, text in answers.items():
        if not allowed(code) or code not in items:
            continue
        key, text = f"ans:{code}", normalise(text)
        problem = text_error(text, max_length=NOTE_MAX)
        if problem:
            outcome.rejected[key] = (text.replace("\x00", ""), problem)
            continue
        if decide(key, text, items[code].answer, None, code, field_name="answer", check_indicator=code,
                  actions=("review.answer",)) and text != items[code].answer:
            accepted[code] = text
            outcome.changed += 1
    if accepted:
        answer_items(submission, accepted, user=user)


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
    name = "".join(ch for ch in clean_raw(upload.name) if ch.isprintable())[-255:] or "tep"
    item = Evidence(
        submission=submission, indicator=indicator, original_name=name, content_type=content_type, kind=kind,
        size=upload.size, sha256=digest.hexdigest(), uploaded_by=user if user.is_authenticated else None,
    )
    if kind == "pdf":  # signer, time, intact since signing: shown to the reviewer beside the file
        report = read_signatures(b"".join(upload.chunks()))
        upload.seek(0)
        item.signature_state, item.signatures = report.state, report.signatures
    item.file.save(name, upload, save=False)
    item.save()
    audit = event(user, "evidence.add", item, submission=submission, indicator=indicator, field="evidence", new=name)
    if _events is not None:
        _events.append(audit)
    else:
        audit.save()
    return item


# --------------------------------------------------------------------------- workflow
# Thin names for the transitions of ``workflow.TRANSITIONS`` (the one table), as scripts call them.


def approve_by_leader(submission: Submission, *, user, **kwargs) -> None:
    """Lãnh đạo đơn vị duyệt số liệu: refused while some field has an error."""
    workflow.run(submission, "leader_approve", user=user, **kwargs)


def withdraw_leader_approval(submission: Submission, *, user, reason: str = "", **kwargs) -> None:
    workflow.run(submission, "leader_withdraw", user=user, reason=reason, **kwargs)


def submit(submission: Submission, *, user, today=None, **kwargs) -> None:
    """Gửi hồ sơ: only after the leader's approval, before the deadline (or an extension); then locked."""
    workflow.run(submission, "submit", user=user, today=today, **kwargs)


def resubmit(submission: Submission, *, user, **kwargs) -> None:
    """Gửi lại sau khi bổ sung: every returned item needs the unit's answer."""
    workflow.run(submission, "resubmit", user=user, **kwargs)
