"""Entry workbooks on the web: build one for a unit (or many), preview an upload, save it.

The workbook itself is made and read by ``dti.workbooks.entry`` (no Django).  Here: which
values and revisions go in, every cell checked with the entry form's own validation
(``validate_raw``, ``text_error``), and the save through ``save_entry`` with what the
workbook showed at download time as ``originals`` — a value somebody else changed since
comes back as a conflict, never overwritten.  Nothing is saved while any cell has an error.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from dti.methodologies.selectors import compiled_for, form_layout
from dti.site.text import VALUE_MAX, text_error
from dti.submissions.models import State, Submission, Value
from dti.submissions.services import canonical, check_can_edit, editable_indicators, save_entry, validate_raw
from dti.submissions.workflow import WorkflowError, revision
from dti.workbooks import entry

PENDING_DIR = "workbook-uploads"
SHOWN = 200
PENDING_MAX_AGE = 2 * 3600
_SALT = "dti.excel.pending"


def reference(campaign) -> str:
    """What ties a workbook to its campaign (kept in the hidden sheet)."""
    return f"campaign:{campaign.pk}"


def workbook(campaign, level: str, submissions: list[Submission], *, title: str) -> bytes:
    """The entry workbook of ``submissions`` (all of ``level``), with their values as stored now."""
    compiled = compiled_for(campaign.framework)
    raws: dict[int, dict[str, str]] = defaultdict(dict)
    for submission_id, name, raw in Value.objects.filter(submission__in=[s.pk for s in submissions]).values_list(
            "submission_id", "field", "raw"):
        raws[submission_id][name] = raw
    columns = [entry.UnitColumn(s.unit.code, s.unit.name, raws[s.pk], revision(s), _editable(s)) for s in submissions]
    return entry.to_bytes(entry.build(compiled, level, columns, title=title, reference=reference(campaign)))


def _editable(submission: Submission) -> set[str] | None:
    try:
        check_can_edit(submission)
    except WorkflowError:
        return set()
    return editable_indicators(submission)


def file_name(campaign, unit_code: str | None, level: str) -> str:
    from dti.workbooks.cells import slug

    who = slug(unit_code) if unit_code else f"{slug(level)}-nhieu-don-vi"
    return f"mau-nhap-lieu-{who}-{campaign.year}.xlsx"


# --------------------------------------------------------------------------- preview


@dataclass
class Change:
    ref: str
    code: str  # indicator code as printed ('' for general information)
    label: str
    old: str
    new: str
    conflict: str = ""  # the value somebody else saved since the download ('' when none)
    has_conflict: bool = False


@dataclass
class UnitPreview:
    code: str
    name: str
    state: str
    submission_id: int
    revision: str  # at download
    changed_since: bool  # saved by anybody since the download
    changes: list[Change] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    refused: str = ""  # why this unit's file cannot be changed now (locked, past the deadline)
    values: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    # A preview of thousands of units lists at most this many rows of each kind per unit (the counts say the rest).
    @property
    def shown_changes(self) -> list[Change]:
        return self.changes[:SHOWN]

    @property
    def more_changes(self) -> int:
        return max(0, len(self.changes) - SHOWN)

    @property
    def shown_errors(self) -> list[tuple[str, str]]:
        return self.errors[:SHOWN]

    @property
    def more_errors(self) -> int:
        return max(0, len(self.errors) - SHOWN)


@dataclass
class Preview:
    level: str
    errors: list[tuple[str, str]]
    units: list[UnitPreview]

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(u.errors) for u in self.units)

    @property
    def to_save(self) -> list[UnitPreview]:
        return [u for u in self.units if (u.values or u.statuses) and not u.refused]

    @property
    def locked(self) -> list[UnitPreview]:
        """Units whose file cannot be changed now, with nothing changed in the workbook."""
        return [u for u in self.units if u.refused and not u.changes]

    @property
    def change_count(self) -> int:
        return sum(len(u.changes) for u in self.to_save)

    @property
    def can_confirm(self) -> bool:
        return not self.error_count and bool(self.to_save)

    @property
    def digest(self) -> str:
        """What a confirmation would write: the page's confirmation carries it back."""
        shape = [(u.code, sorted(u.values.items()), sorted(u.statuses.items()), sorted(u.originals.items()),
                  bool(u.refused)) for u in self.units]
        return hashlib.sha256(json.dumps([self.level, shape], ensure_ascii=False).encode()).hexdigest()


def _display(spec, raw: str) -> str:
    if not raw:
        return ""
    if spec is None:
        return entry.STATUS_LABELS.get(raw, raw)
    word = canonical(spec, raw)
    if spec.type == "yes_no":
        return {"1": entry.YES, "0": entry.NO}.get(word, raw)
    if spec.type == "choice":
        return next((o.label for o in spec.spec.options or [] if o.value == word), raw)
    return raw


def preview(content: bytes, campaign, submissions: dict[str, Submission], *, level: str | None = None) -> Preview:
    """What saving the workbook would change, unit by unit, with every error at its cell.

    ``submissions``: the units the person may enter data for (code → submission); a unit of the
    workbook outside it is an error.  ``level``: the level the workbook must be of (a unit's).
    Raises ``entry.WorkbookError`` when the file cannot be read as an entry workbook at all.
    """
    upload = entry.read(content)
    if upload.reference != reference(campaign) or upload.framework != campaign.framework.code:
        raise entry.WorkbookError(_("Tệp này là mẫu của đợt đánh giá khác (hoặc của bộ chỉ số khác); hãy tải mẫu "
                                    "của đợt “%(c)s” rồi điền lại.") % {"c": campaign.name})
    if level is not None and upload.level != level:
        raise entry.WorkbookError(_("Tệp này là mẫu cấp “%(got)s”, không phải cấp của đơn vị (“%(want)s”); hãy tải "
                                    "mẫu của đơn vị.") % {"got": upload.level, "want": level})
    compiled = compiled_for(campaign.framework)
    layout = form_layout(campaign.framework, upload.level)
    result = Preview(upload.level, list(upload.errors), [])
    chosen = [submissions[u.code] for u in upload.units if u.code in submissions]
    stored: dict[tuple[int, str], str] = {
        (sid, name): raw for sid, name, raw in
        Value.objects.filter(submission__in=[s.pk for s in chosen]).values_list("submission_id", "field", "raw")}
    seen: set[str] = set()
    for uv in upload.units:
        if uv.code in seen:
            result.errors.append((uv.code, _("Đơn vị “%(u)s” có hai cột trong tệp; hãy tải mẫu mới.") % {"u": uv.code}))
            continue
        seen.add(uv.code)
        submission = submissions.get(uv.code)
        if submission is None:
            result.errors.append((uv.code, _("Đơn vị “%(u)s” không thuộc đợt đánh giá này hoặc bạn không được nhập "
                                             "liệu cho đơn vị này; hãy xóa cột của đơn vị này khỏi tệp hoặc tải mẫu "
                                             "mới.") % {"u": uv.code}))
            continue
        if submission.unit.level_id != upload.level:
            result.errors.append((uv.code, _("Đơn vị “%(u)s” không thuộc cấp của mẫu.") % {"u": uv.code}))
            continue
        unit = UnitPreview(uv.code, submission.unit.name, submission.state, submission.pk, uv.revision,
                           changed_since=bool(uv.revision) and uv.revision != revision(submission))
        result.units.append(unit)
        try:
            check_can_edit(submission)
        except WorkflowError as exc:
            unit.refused = str(exc)
        scope = editable_indicators(submission)
        _compare(uv, unit, submission, compiled, layout, scope, stored)
        if unit.refused:
            unit.errors = []  # a file that will not be changed does not hold the others back
    return result


def _compare(uv, unit: UnitPreview, submission, compiled, layout, scope, stored) -> None:
    """Fill ``unit`` with what the workbook changes for one unit, and each cell's error."""
    for name, cell in uv.values.items():
        original = uv.originals.get(name, "")
        if name.endswith(entry.STATUS_SUFFIX):
            code = name[: -len(entry.STATUS_SUFFIX)]
            if code not in layout.leaf_by_code:
                continue
            chosen_status = entry.status_value(cell.text)
            if chosen_status is None:
                unit.errors.append((cell.ref, _("“%(v)s” không phải tình trạng hợp lệ: để trống, hoặc chọn “Không "
                                                "có nội dung” / “Miễn đánh giá”.") % {"v": cell.text[:100]}))
                continue
            if chosen_status == (original or ""):
                continue
            if not unit.refused and scope is not None and code not in scope:
                unit.errors.append((cell.ref, _("Chỉ số %(c)s không nằm trong các chỉ số được trả lại; không sửa "
                                                "được.") % {"c": code}))
                continue
            current = stored.get((submission.pk, name), "")
            unit.statuses[code] = chosen_status
            unit.originals[f"st:{code}"] = original
            unit.changes.append(Change(cell.ref, code, _("Tình trạng chỉ số"), _display(None, current),
                                       _display(None, chosen_status), _display(None, current),
                                       has_conflict=current != original))
            continue
        spec = compiled.fields.get(name)
        if spec is None or name not in layout.field_names:
            continue
        if entry.same_value(spec, cell.text, original):
            continue  # what the workbook showed: not this person's change
        problem = text_error(cell.text, max_length=VALUE_MAX, multiline=spec.type == "text")
        if not problem and spec.type != "text":
            problem = validate_raw(spec, cell.text)[1]
        if problem:
            unit.errors.append((cell.ref, f"{spec.label}: {problem}"))
            continue
        if not unit.refused and scope is not None and spec.indicator not in scope:
            unit.errors.append((cell.ref, _("Chỉ số %(c)s không nằm trong các chỉ số được trả lại; không sửa "
                                            "được.") % {"c": spec.indicator or spec.label}))
            continue
        current = stored.get((submission.pk, name), "")
        unit.values[name] = cell.text
        unit.originals[f"f:{name}"] = original
        conflict = not entry.same_value(spec, current, original)
        unit.changes.append(Change(cell.ref, spec.indicator or "", spec.label, _display(spec, current),
                                   _display(spec, cell.text), _display(spec, current) if conflict else "",
                                   has_conflict=conflict))


# --------------------------------------------------------------------------- saving


@dataclass
class UnitOutcome:
    code: str
    name: str
    changed: int = 0
    refused: str = ""
    conflicts: list[tuple[str, str, str, str]] = field(default_factory=list)  # (label, mine, theirs, who)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (label, why)
    errors: int = 0


def apply(result: Preview, *, user) -> list[UnitOutcome]:
    """Save every unit of a previewed workbook through ``save_entry`` (one transaction per unit).
    Units whose file cannot be changed are reported, not changed."""
    outcomes = []
    for unit in result.units:
        if not (unit.values or unit.statuses):
            continue
        outcome = UnitOutcome(unit.code, unit.name)
        outcomes.append(outcome)
        if unit.refused:
            outcome.refused = unit.refused
            continue
        submission = Submission.objects.select_related("unit", "campaign__framework").get(pk=unit.submission_id)
        try:
            saved = save_entry(submission, user=user, values=unit.values, statuses=unit.statuses,
                               originals=unit.originals)
        except WorkflowError as exc:
            outcome.refused = str(exc)
            continue
        compiled = compiled_for(submission.campaign.framework)
        outcome.changed, outcome.errors = saved.changed, len(saved.errors)
        for key, conflict in saved.conflicts.items():
            name = key.split(":", 1)[1]
            spec = compiled.fields.get(name) if key.startswith("f:") else None
            label = spec.label if spec else f"{conflict.indicator} — {_('Tình trạng chỉ số')}"
            outcome.conflicts.append((label, _display(spec, conflict.mine), _display(spec, conflict.theirs),
                                      conflict.who))
        for key, (_typed, why) in saved.rejected.items():
            name = key.split(":", 1)[1]
            spec = compiled.fields.get(name)
            outcome.rejected.append((spec.label if spec else name, why))
    return outcomes


# --------------------------------------------------------------------------- the file between preview and confirmation


def keep_pending(content: bytes, *, user, scope: str) -> str:
    """Keep the previewed file until it is confirmed; the signed token names it, its SHA-256, the
    person and what it is for (a unit's page or the campaign's), so a confirmation applies the
    very bytes that were previewed, by the person who previewed them, where they were previewed."""
    _discard_stale()
    name = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}.xlsx", ContentFile(content))
    return signing.dumps({"path": name, "sha256": hashlib.sha256(content).hexdigest(), "user": user.pk,
                          "scope": scope}, salt=_SALT, compress=True)


class Expired(Exception):
    pass


def pending(token: str, *, user, scope: str) -> tuple[bytes, str]:
    """(content, storage path) of a previewed upload, or Expired."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        raise Expired from None
    if data.get("user") != user.pk or data.get("scope") != scope:
        raise Expired
    try:
        with default_storage.open(data["path"], "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        raise Expired from None
    if hashlib.sha256(content).hexdigest() != data["sha256"]:
        raise Expired
    return content, data["path"]


def discard_pending(path: str) -> None:
    try:
        default_storage.delete(path)
    except OSError:
        pass


def _discard_stale() -> None:
    """Previews never confirmed: their files go once they can no longer be confirmed."""
    import datetime as dt

    from django.utils import timezone

    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except (FileNotFoundError, NotADirectoryError, OSError):
        return
    limit = timezone.now() - dt.timedelta(seconds=PENDING_MAX_AGE)
    for name in files[:200]:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError, OSError):
            continue
