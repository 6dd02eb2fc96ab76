"""Writing the unit tree: create, move, and import from CSV or Excel (.xlsx)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dti.audit.services import record

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
    return unit


# --------------------------------------------------------------------------- import

HEADERS = {
    "code": {"code", "ma", "mã", "ma_don_vi", "mã đơn vị", "unit"},
    "name": {"name", "ten", "tên", "ten_don_vi", "tên đơn vị"},
    "level": {"level", "cap", "cấp", "ma_cap", "mã cấp"},
    "parent": {"parent", "cap_tren", "cấp trên", "ma_cap_tren", "mã cấp trên", "don_vi_cap_tren", "đơn vị cấp trên"},
    "group": {"group", "ranking_group", "nhom", "nhóm", "nhom_xep_hang", "nhóm xếp hạng"},
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
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


@transaction.atomic
def import_units(content: bytes, filename: str, *, user=None, dry_run: bool = False) -> ImportReport:
    """Create or update units from a table; all or nothing — any row error and nothing is saved.

    Columns (Vietnamese or English headers): ma/code, ten/name, cap/level,
    ma_cap_tren/parent (optional), nhom_xep_hang/group (optional).
    """
    report = ImportReport()
    try:
        rows = read_rows(content, filename)
    except ValidationError as exc:
        report.errors.append((0, exc.messages[0]))
        return report
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        report.errors.append((0, _("Tệp không có dữ liệu")))
        return report
    columns = _columns(rows[0])
    missing = [k for k in ("code", "name", "level") if k not in columns]
    if missing:
        names = {"code": "ma", "name": "ten", "level": "cap"}
        report.errors.append((1, _("Thiếu cột: %(cols)s (cần ma, ten, cap; tùy chọn ma_cap_tren, nhom_xep_hang)")
                              % {"cols": ", ".join(names[m] for m in missing)}))
        return report
    levels = set(Level.objects.values_list("code", flat=True))
    existing = {u.code: u for u in Unit.objects.all()}
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}

    def cell(row, key):
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        item = {k: cell(row, k) for k in HEADERS}
        errors = []
        if not item["code"]:
            errors.append(_("thiếu mã đơn vị"))
        else:
            try:
                code_validator(item["code"])
            except ValidationError:
                errors.append(_("mã '%(code)s' chỉ được gồm chữ không dấu, số, '.', '-', '_'") % {"code": item["code"]})
            if item["code"] in seen:
                errors.append(_("mã '%(code)s' trùng với dòng %(row)d") % {"code": item["code"], "row": seen[item["code"]]})
            seen.setdefault(item["code"], number)
        if not item["name"]:
            errors.append(_("thiếu tên đơn vị"))
        if not item["level"]:
            errors.append(_("thiếu cấp"))
        elif item["level"] not in levels:
            errors.append(_("cấp '%(level)s' không tồn tại (các cấp: %(levels)s)")
                          % {"level": item["level"], "levels": ", ".join(sorted(levels))})
        for message in errors:
            report.errors.append((number, message))
        parsed.append((number, item))
    codes_in_file = {item["code"] for _, item in parsed}
    for number, item in parsed:
        parent = item["parent"]
        if parent and parent not in codes_in_file and parent not in existing:
            report.errors.append((number, _("đơn vị cấp trên '%(parent)s' không có trong tệp và chưa có trong hệ thống")
                                  % {"parent": parent}))
        if parent and parent == item["code"]:
            report.errors.append((number, _("đơn vị không thể là cấp trên của chính nó")))
    if report.errors:
        report.errors.sort()
        return report
    # Order rows so that parents come first; detect cycles.
    pending = {item["code"]: (number, item) for number, item in parsed}
    ordered: list[tuple[int, dict]] = []
    placed: set[str] = set()
    while pending:
        progress = False
        for code, (number, item) in list(pending.items()):
            parent = item["parent"]
            if not parent or parent in placed or (parent not in pending and parent in existing):
                ordered.append((number, item))
                placed.add(code)
                del pending[code]
                progress = True
        if not progress:
            for code, (number, _item) in sorted(pending.items(), key=lambda kv: kv[1][0]):
                report.errors.append((number, _("vòng lặp đơn vị cấp trên ở mã '%(code)s'") % {"code": code}))
            return report
    sid = transaction.savepoint()
    for number, item in ordered:
        parent = Unit.objects.get(code=item["parent"]) if item["parent"] else None
        unit = Unit.objects.filter(code=item["code"]).first()
        try:
            if unit is None:
                create_unit(code=item["code"], name=item["name"], level=item["level"], parent=parent,
                            ranking_group=item["group"], user=user)
                report.created += 1
            else:
                update_unit(unit, name=item["name"], level=item["level"], parent=parent,
                            ranking_group=item["group"], user=user)
                report.updated += 1
        except ValidationError as exc:
            report.errors.append((number, "; ".join(exc.messages)))
    if report.errors or dry_run:
        transaction.savepoint_rollback(sid)
        if report.errors:
            report.created = report.updated = 0
    return report
