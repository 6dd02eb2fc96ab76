"""Writing the unit tree: create, move, and import from CSV or Excel (.xlsx)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import uuid
from dataclasses import dataclass, field
from typing import Literal

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.audit.services import record
from dti.site.text import normalise, text_error

from .models import Level, Unit, code_validator


def _path(code: str, parent: Unit | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def create_unit(*, code: str, name: str, level: str, parent: Unit | None = None, ranking_group: str = "", user=None) -> Unit:
    unit = Unit(code=code, name=name, level_id=level, parent=parent, ranking_group=ranking_group)
    unit.path = _path(code, parent)
    unit.full_clean()
    unit.save()
    record(user, "unit.create", unit, new=f"{code} · {name}")
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, name: str | None = None, parent: Unit | None | Literal[False] = False, ranking_group: str | None = None,
                level: str | None = None, user=None) -> Unit:
    old = f"{unit.name} · {unit.level_id} · {unit.parent.code if unit.parent else ''} · {unit.ranking_group}"
    if name is not None:
        unit.name = name
    if level is not None:
        unit.level_id = level
    if ranking_group is not None:
        unit.ranking_group = ranking_group
    if parent is not False:
        if parent is not None and parent.path.startswith(unit.path):
            raise ValidationError(_("Không thể đặt đơn vị cấp trên là chính đơn vị hoặc đơn vị trực thuộc của nó"))
        old_path = unit.path
        unit.parent = parent
        unit.path = _path(unit.code, parent)
        if old_path != unit.path:
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
                child.path = unit.path + child.path[len(old_path):]
                child.save(update_fields=["path"])
    unit.full_clean()
    unit.save()
    new = f"{unit.name} · {unit.level_id} · {unit.parent.code if unit.parent else ''} · {unit.ranking_group}"
    if new != old:
        record(user, "unit.update", unit, old=old, new=new)
        _rescore(unit)
    return unit


def _rescore(unit: Unit) -> None:
    """Rankings and scorecards show the unit's name and rank it in its group: cached score
    runs and rendered pages are keyed by each campaign's scores_version, so bump it (and
    stamp the unit's submissions, which the incremental re-score re-reads) in every
    campaign the unit takes part in.  Without it a rename or a new ranking group showed
    only after the next data change."""
    from dti.campaigns.services import bump_scores_version
    from dti.submissions.models import Submission

    for campaign_id, submission_id in Submission.objects.filter(unit=unit).values_list("campaign_id", "pk"):
        bump_scores_version(campaign_id, [submission_id])


# --------------------------------------------------------------------------- import

HEADERS = {
    "code": {"code", "ma", "mã", "ma_don_vi", "mã đơn vị", "unit"},
    "name": {"name", "ten", "tên", "ten_don_vi", "tên đơn vị"},
    "level": {"level", "cap", "cấp", "ma_cap", "mã cấp"},
    "parent": {"parent", "cap_tren", "cấp trên", "ma_cap_tren", "mã cấp trên", "don_vi_cap_tren", "đơn vị cấp trên"},
    "group": {"group", "ranking_group", "nhom", "nhóm", "nhom_xep_hang", "nhóm xếp hạng"},
}
HEADER_NAMES = {"code": "ma", "name": "ten", "level": "cap", "parent": "ma_cap_tren", "group": "nhom_xep_hang"}


FIELD_LABELS = {"name": _("tên"), "level": _("cấp"), "parent": _("đơn vị cấp trên"), "group": _("nhóm xếp hạng")}
# Column sizes (Unit) and what each cell may hold.
CELL_MAX = {"code": 50, "name": 255, "level": 20, "parent": 50, "group": 100}


@dataclass
class PlannedRow:
    """One row of the file and what it would do: create a unit, change some of its fields, or nothing."""

    row: int
    code: str
    name: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


@dataclass
class ImportPlan:
    """The preview of an import: nothing has been written when this exists."""

    added: list[PlannedRow] = field(default_factory=list)
    changed: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)  # optional columns left as they are

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def digest(self) -> str:
        """What the import would write: confirming checks that it is still what was previewed."""
        what = [("+", r.code, r.changes) for r in self.added] + [("~", r.code, r.changes) for r in self.changed]
        return hashlib.sha256(repr(what).encode("utf-8")).hexdigest()


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(content: bytes, filename: str) -> list[list[str]]:
    """Rows of cells as text from a .csv (UTF-8, ',' or ';') or .xlsx file."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise ValidationError(_("Không đọc được tệp Excel (.xlsx)")) from None
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if c is None else (str(int(c)) if isinstance(c, float) and c.is_integer() else str(c)) for c in row])
        book.close()
        return rows
    if lower.endswith(".csv") or lower.endswith(".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Tệp CSV phải được lưu với mã UTF-8")) from None
        dialect: type[csv.Dialect] = csv.excel
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            pass
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    raise ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx"))


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(header):
        word = cell.strip().lower()
        for key, names in HEADERS.items():
            if word in names and key not in found:
                found[key] = index
    return found


def _parse(content: bytes, filename: str) -> tuple[ImportPlan, dict[str, int], list[tuple[int, dict]]]:
    """The file's rows checked on their own and against the units in the database."""
    plan = ImportPlan()
    try:
        rows = read_rows(content, filename)
    except ValidationError as exc:
        plan.errors.append((0, exc.messages[0]))
        return plan, {}, []
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        plan.errors.append((0, _("Tệp không có dữ liệu")))
        return plan, {}, []
    columns = _columns(rows[0])
    missing = [k for k in ("code", "name", "level") if k not in columns]
    if missing:
        names = {"code": "ma", "name": "ten", "level": "cap"}
        plan.errors.append((1, _("Thiếu cột: %(cols)s (cần ma, ten, cap; tùy chọn ma_cap_tren, nhom_xep_hang)")
                            % {"cols": ", ".join(names[m] for m in missing)}))
        return plan, columns, []
    plan.missing_columns = [k for k in ("parent", "group") if k not in columns]
    levels = set(Level.objects.values_list("code", flat=True))
    existing = set(Unit.objects.values_list("code", flat=True))
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}

    def cell(row, key):
        index = columns.get(key)
        return normalise(row[index]) if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        item = {k: cell(row, k) for k in HEADERS if k in columns}
        errors = []
        bad = set()
        for key, value in item.items():
            problem = text_error(value, max_length=CELL_MAX[key], multiline=False)
            if problem:
                errors.append(f"{HEADER_NAMES[key]}: {problem}")
                bad.add(key)
        if not item["code"] and "code" not in bad:
            errors.append(_("thiếu mã đơn vị"))
        elif "code" not in bad:
            try:
                code_validator(item["code"])
            except ValidationError:
                errors.append(_("mã '%(code)s' chỉ được gồm chữ không dấu, số, '.', '-', '_'") % {"code": item["code"]})
            if item["code"] in seen:
                errors.append(_("mã '%(code)s' trùng với dòng %(row)d") % {"code": item["code"], "row": seen[item["code"]]})
            seen.setdefault(item["code"], number)
        if not item["name"] and "name" not in bad:
            errors.append(_("thiếu tên đơn vị"))
        if not item["level"] and "level" not in bad:
            errors.append(_("thiếu cấp"))
        elif item["level"] and "level" not in bad and item["level"] not in levels:
            errors.append(_("cấp '%(level)s' không tồn tại (các cấp: %(levels)s)")
                          % {"level": item["level"], "levels": ", ".join(sorted(levels))})
        for message in errors:
            plan.errors.append((number, message))
        parsed.append((number, item))
    codes_in_file = {item["code"] for _, item in parsed}
    for number, item in parsed:
        parent = item.get("parent", "")
        if parent and parent not in codes_in_file and parent not in existing:
            plan.errors.append((number, _("đơn vị cấp trên '%(parent)s' không có trong tệp và chưa có trong hệ thống")
                                % {"parent": parent}))
        if parent and parent == item["code"]:
            plan.errors.append((number, _("đơn vị không thể là cấp trên của chính nó")))
    return plan, columns, parsed


def _ordered(parsed: list[tuple[int, dict]], plan: ImportPlan) -> list[tuple[int, dict]]:
    """Rows with their parents first; a cycle is an error."""
    existing = set(Unit.objects.values_list("code", flat=True))
    pending = {item["code"]: (number, item) for number, item in parsed}
    ordered: list[tuple[int, dict]] = []
    placed: set[str] = set()
    while pending:
        progress = False
        for code, (number, item) in list(pending.items()):
            parent = item.get("parent", "")
            if not parent or parent in placed or (parent not in pending and parent in existing):
                ordered.append((number, item))
                placed.add(code)
                del pending[code]
                progress = True
        if not progress:
            for code, (number, _item) in sorted(pending.items(), key=lambda kv: kv[1][0]):
                plan.errors.append((number, _("vòng lặp đơn vị cấp trên ở mã '%(code)s'") % {"code": code}))
            return []
    return ordered


def _write(ordered: list[tuple[int, dict]], plan: ImportPlan, *, user) -> None:
    """Create or update the units, filling the plan's added / changed / unchanged lists.

    A cell that is empty, or a column the file does not have, leaves the unit's field as it
    is: an import never changes what the file does not mention."""
    for number, item in ordered:
        unit = Unit.objects.select_related("parent").filter(code=item["code"]).first()
        parent_code = item.get("parent", "")
        parent = Unit.objects.get(code=parent_code) if parent_code else None
        try:
            if unit is None:
                create_unit(code=item["code"], name=item["name"], level=item["level"], parent=parent,
                            ranking_group=item.get("group", ""), user=user)
                shown = [("name", "", item["name"]), ("level", "", item["level"])]
                shown += [(k, "", item[k]) for k in ("parent", "group") if item.get(k)]
                plan.added.append(PlannedRow(number, item["code"], item["name"], shown))
                continue
            changes = []
            if item["name"] != unit.name:
                changes.append(("name", unit.name, item["name"]))
            if item["level"] != unit.level_id:
                changes.append(("level", unit.level_id, item["level"]))
            old_parent = unit.parent.code if unit.parent is not None else ""
            move = bool(parent_code) and parent_code != old_parent
            if move:
                changes.append(("parent", old_parent, parent_code))
            group = item.get("group", "")
            if group and group != unit.ranking_group:
                changes.append(("group", unit.ranking_group, group))
            if not changes:
                plan.unchanged.append(PlannedRow(number, unit.code, unit.name))
                continue
            update_unit(unit, name=item["name"], level=item["level"], parent=parent if move else False,
                        ranking_group=group or None, user=user)
            plan.changed.append(PlannedRow(number, unit.code, item["name"], changes))
        except ValidationError as exc:
            plan.errors.append((number, "; ".join(exc.messages)))


def _classify(parsed: list[tuple[int, dict]], plan: ImportPlan) -> None:
    """The rows without errors sorted into added / changed / unchanged by comparison alone,
    so that a file with errors still shows what its other rows would do."""
    wrong = {row for row, _message in plan.errors}
    existing = {u.code: u for u in Unit.objects.select_related("parent").filter(
        code__in=[item["code"] for _n, item in parsed])}
    for number, item in parsed:
        if number in wrong:
            continue
        unit = existing.get(item["code"])
        if unit is None:
            shown = [("name", "", item["name"]), ("level", "", item["level"])]
            plan.added.append(PlannedRow(number, item["code"], item["name"],
                                         shown + [(k, "", item[k]) for k in ("parent", "group") if item.get(k)]))
            continue
        current = {"name": unit.name, "level": unit.level_id, "parent": unit.parent.code if unit.parent is not None else "",
                   "group": unit.ranking_group}
        changes = [(k, current[k], item[k]) for k in ("name", "level", "parent", "group")
                   if item.get(k) and item[k] != current[k]]
        (plan.changed if changes else plan.unchanged).append(PlannedRow(number, unit.code, item["name"], changes))


def plan_import(content: bytes, filename: str) -> ImportPlan:
    """What importing the file would do, computed by doing it and rolling back: nothing is kept."""
    plan, _columns_found, parsed = _parse(content, filename)
    if plan.errors:
        _classify(parsed, plan)
        plan.errors.sort()
        return plan
    with transaction.atomic():
        sid = transaction.savepoint()
        ordered = _ordered(parsed, plan)
        if not plan.errors:
            _write(ordered, plan, user=None)
        transaction.savepoint_rollback(sid)
    plan.errors.sort()
    return plan


@transaction.atomic
def apply_import(content: bytes, filename: str, *, user=None, expected_digest: str | None = None) -> ImportPlan:
    """Import the file, all or nothing: any row error and nothing is saved.

    With ``expected_digest`` (the previewed plan's), the import is refused when it would now
    write something else than what was shown (someone changed the units in between)."""
    plan, _columns_found, parsed = _parse(content, filename)
    if plan.errors:
        plan.errors.sort()
        return plan
    # One import at a time: two confirmations of overlapping files would interleave otherwise.
    list(Level.objects.select_for_update().order_by("code").values_list("code", flat=True)[:1])
    sid = transaction.savepoint()
    ordered = _ordered(parsed, plan)
    if not plan.errors:
        _write(ordered, plan, user=user)
    if not plan.errors and expected_digest is not None and plan.digest != expected_digest:
        plan.errors.append((0, _("Danh sách đơn vị đã thay đổi từ lúc xem trước; chưa lưu gì. Hãy xem lại bản xem "
                                 "trước mới rồi xác nhận.")))
    if plan.errors:
        transaction.savepoint_rollback(sid)
        plan.errors.sort()
        return plan
    record(user, "unit.import", None, new=_("%(a)d mới, %(c)d thay đổi, %(u)d giữ nguyên")
           % {"a": len(plan.added), "c": len(plan.changed), "u": len(plan.unchanged)}, reason=filename[:200])
    return plan


def import_units(content: bytes, filename: str, *, user=None, dry_run: bool = False) -> ImportReport:
    """Preview (``dry_run``) or apply in one call; see ``plan_import`` and ``apply_import``.

    Columns (Vietnamese or English headers): ma/code, ten/name, cap/level,
    ma_cap_tren/parent (optional), nhom_xep_hang/group (optional).
    """
    plan = plan_import(content, filename) if dry_run else apply_import(content, filename, user=user)
    if plan.errors:
        return ImportReport(errors=plan.errors)
    return ImportReport(created=len(plan.added), updated=len(plan.changed), unchanged=len(plan.unchanged))


# --------------------------------------------------------------------------- preview, then confirm

PENDING_DIR = "unit-imports"
PENDING_MAX_AGE = 6 * 60 * 60  # seconds a preview can be confirmed
_SALT = "dti.organisations.unit-import"


def keep_pending_import(content: bytes, filename: str, plan, *, user, salt: str = _SALT,
                        directory: str = PENDING_DIR) -> str:
    """Keep the previewed file until it is confirmed; the token names it, signed.

    The file goes to the default storage under a random name (any server process can read
    it back; nothing is held in memory), and the token carries its SHA-256, the previewed
    plan's digest and the user: a confirmation can only apply the very bytes that were
    previewed, by the person who previewed them, as they were previewed.  Other imports (people)
    use it with their own ``salt`` and ``directory``; ``plan`` is anything with a ``digest``."""
    _discard_stale(directory)
    name = default_storage.save(f"{directory}/{uuid.uuid4().hex}.upload", ContentFile(content))
    return signing.dumps({"path": name, "sha256": hashlib.sha256(content).hexdigest(), "filename": filename,
                          "digest": plan.digest, "user": user.pk}, salt=salt, compress=True)


def pending_import(token: str, *, user, salt: str = _SALT) -> tuple[bytes, str, str, str]:
    """(content, filename, plan digest, storage path) of a previewed import, or ValidationError."""
    expired = ValidationError(_("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."))
    try:
        data = signing.loads(token, salt=salt, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        raise expired from None
    if data.get("user") != user.pk:
        raise expired
    try:
        with default_storage.open(data["path"], "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        raise expired from None
    if hashlib.sha256(content).hexdigest() != data["sha256"]:
        raise expired
    return content, data["filename"], data["digest"], data["path"]


def discard_pending_import(path: str) -> None:
    transaction.on_commit(lambda: default_storage.delete(path))


def _discard_stale(directory: str = PENDING_DIR) -> None:
    """Previews never confirmed: their files go once they can no longer be confirmed."""
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    limit = timezone.now() - dt.timedelta(seconds=PENDING_MAX_AGE)
    for name in files:
        path = f"{directory}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except FileNotFoundError:
            continue  # another process removed it first
