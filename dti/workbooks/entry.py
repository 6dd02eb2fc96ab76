"""The entry workbook: a framework's inputs for one level, one value column per unit, and back.

Layout (one sheet per pillar, so a cell is named the way people say it: ``Trụ cột 3!F12``):

- ``Hướng dẫn``: how to fill and upload, in Vietnamese;
- ``Thông tin chung``: the general-information fields, when the framework has any;
- one sheet per pillar (top-level indicator): row 1 the pillar, row 2 the unit codes above
  their value columns, row 3 the headers, then one row per input in document order, with a
  heading row for each sub-indicator. Columns: A code as printed, B indicator, C the
  document's method text, D the input's label, E its unit, F… one value column per unit,
  then the evidence the document asks for, then the field's name (hidden: how the row is
  read back);
- ``_dti`` (very hidden, protected): the framework, level, units, each unit's revision and
  every value as it was at download — the ``originals`` an upload is compared with;
- ``_ds`` (very hidden): the lists the drop-downs read.

Reading back checks the structure (the workbook is ours, sheets and rows where they were,
no formulas, no merged cells, nothing beyond the template) and returns every value cell as
the text the entry form would have received, with its cell reference; the values themselves
are checked by the caller with the form's own validation.  Plain Python + openpyxl (no
Django): the ``dti`` command uses it directly.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from dti.engine.compiled import CompiledFramework, FieldSpec
from dti.engine.data import ValueError_, parse_value

from .cells import (
    BOLD,
    DATE_FORMAT,
    GROUP_FILL,
    HEADER_FILL,
    INPUT_FILL,
    INTEGER_FORMAT,
    NUMBER_FORMAT,
    TITLE,
    UNLOCKED,
    WRAP,
    cell,
    column_letter,
    landscape,
    sheet_title,
    text_cell,
)

MARKER = "dti-entry"
FORMAT = "1"
HELP_SHEET = "Hướng dẫn"
INFO_SHEET = "Thông tin chung"
META_SHEET = "_dti"
LISTS_SHEET = "_ds"
UNITS_ROW, HEADER_ROW, FIRST_ROW = 2, 3, 4
FIRST_VALUE_COLUMN = 6  # F
DESCRIPTIVE = ["Mã", "Chỉ số", "Cách tính (theo văn bản)", "Nội dung cần nhập", "Đơn vị tính"]
YES, NO = "Có", "Không"
# A leaf's status row (the form's "Tình trạng" select): blank = the unit reports figures.
STATUS_LABELS = {"no_content": "Không có nội dung", "exempt": "Miễn đánh giá"}
STATUS_SUFFIX = ".status"

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, before anything is parsed
EXTRA_ROWS = 200  # rows below the template read before giving up on a sheet
MAX_UNITS = 5000
CHUNK = 30000  # characters of the hidden JSON per cell (Excel holds 32,767)


class WorkbookError(ValueError):
    """The file as a whole cannot be read as an entry workbook; the message says why (Vietnamese)."""


@dataclass
class UnitColumn:
    """One unit's value column: its values as stored (raw text), the revision they were read at,
    and which indicators may be edited (None: all; a returned file: only the returned ones)."""

    code: str
    name: str
    values: dict[str, str] = field(default_factory=dict)
    revision: str = ""
    editable: set[str] | None = None


@dataclass
class Line:
    """One row of a pillar sheet."""

    kind: str  # 'group' (a sub-indicator heading), 'field', or 'status' (the leaf's "Tình trạng")
    code: str
    name: str = ""
    method: str = ""
    label: str = ""
    unit: str = ""
    evidence: str = ""
    spec: FieldSpec | None = None

    @property
    def key(self) -> str:
        return self.spec.name if self.spec is not None else f"{self.code}{STATUS_SUFFIX}"


@dataclass
class Page:
    title: str
    heading: str
    lines: list[Line]


def pages(compiled: CompiledFramework, level: str) -> list[Page]:
    """The sheets of the template for ``level``: general information, then one per pillar."""
    taken = {HELP_SHEET, META_SHEET, LISTS_SHEET}
    found: list[Page] = []
    general = [spec for spec in compiled.fields.values() if spec.indicator is None and level in spec.levels]
    if general:
        lines = []
        for spec in general:
            extra = getattr(spec.spec, "stt", None) or ""
            lines.append(Line("field", extra, getattr(spec.spec, "group", None) or "", spec.spec.help or "",
                              spec.label, _unit(spec), "", spec))
        found.append(Page(sheet_title(INFO_SHEET, taken), "Thông tin chung", lines))
    for root in compiled.framework.indicators:
        node = compiled.nodes[root.code]
        if level not in node.levels:
            continue
        lines = []
        stack = [root]
        while stack:
            indicator = stack.pop()
            here = compiled.nodes[indicator.code]
            if level not in here.levels:
                continue
            if indicator.children:
                if indicator is not root:
                    lines.append(Line("group", indicator.code, indicator.name))
                stack.extend(reversed(indicator.children))
                continue
            for position, spec_in in enumerate(indicator.inputs):
                spec = compiled.fields[f"{indicator.code}.{spec_in.var}"]
                first = position == 0
                method = " ".join(t for t in (indicator.method, indicator.conditions) if t) if first else ""
                lines.append(Line("field", indicator.code, indicator.name if first else "", method,
                                  spec.label + (f" ({spec.spec.help})" if spec.spec.help else ""), _unit(spec),
                                  (indicator.evidence or "") if first else "", spec))
            if indicator.inputs:
                lines.append(Line("status", indicator.code, label="Tình trạng chỉ số (để trống nếu có số liệu)",
                                  unit="Chọn trong danh sách"))
        if not any(line.kind == "field" for line in lines):
            continue
        maximum = node.max_by_level.get(level)
        points = f" ({_points(maximum)} điểm)" if maximum is not None and compiled.framework.scored else ""
        found.append(Page(sheet_title(f"Trụ cột {root.code}", taken), f"{root.code}. {root.name}{points}", lines))
    return found


def _points(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _unit(spec: FieldSpec) -> str:
    if spec.type in ("choice", "yes_no"):
        return "Chọn trong danh sách"
    if spec.type == "date":
        return "Ngày (dd/mm/yyyy)"
    return spec.spec.unit or ("%" if spec.type == "percent" else "")


def _native(spec: FieldSpec, raw: str) -> Any:
    """A stored raw value as the cell shows it: a number, a date, an option's label, or the text as typed."""
    if not raw:
        return None
    try:
        parsed = parse_value(spec, raw, vietnamese=True)
    except ValueError_:
        return raw  # kept as typed, with its error, exactly as the form shows it
    if isinstance(parsed, str):
        return parsed
    if spec.type == "date":
        return dt.date.fromordinal(int(parsed))
    if spec.type == "yes_no":
        return YES if parsed else NO
    if spec.type == "choice":
        return (spec.spec.options or [])[int(parsed)].label
    return int(parsed) if parsed == int(parsed) and abs(parsed) < 1e15 else parsed


def _format(spec: FieldSpec) -> str:
    if spec.type == "date":
        return DATE_FORMAT
    if spec.type in ("count", "integer"):
        return INTEGER_FORMAT
    if spec.type in ("number", "money", "percent"):
        return NUMBER_FORMAT
    return "@"


# --------------------------------------------------------------------------- writing


def _validation(spec: FieldSpec, lists: dict[tuple[str, ...], str]) -> DataValidation | None:
    message: dict[str, Any] = {"showErrorMessage": True, "errorTitle": "Giá trị không hợp lệ", "showInputMessage": True}
    low = spec.spec.min if spec.spec.min is not None else -1e15
    high = spec.spec.max if spec.spec.max is not None else 1e15
    if spec.type in ("choice", "yes_no"):
        labels = (YES, NO) if spec.type == "yes_no" else tuple(o.label for o in spec.spec.options or [])
        return DataValidation(type="list", formula1=lists[labels], allow_blank=True,
                              error="Hãy chọn một giá trị trong danh sách.", **message)
    if spec.type == "date":
        return DataValidation(type="date", operator="between", formula1="1", formula2="109575", allow_blank=True,
                              error="Hãy nhập ngày dạng dd/mm/yyyy.", **message)
    if spec.type in ("count", "integer"):
        return DataValidation(type="whole", operator="between", formula1=repr(int(low)), formula2=repr(int(high)),
                              allow_blank=True, error=f"Hãy nhập số nguyên từ {_points(low)} đến {_points(high)}.",
                              **message)
    if spec.type in ("number", "money", "percent"):
        return DataValidation(type="decimal", operator="between", formula1=repr(float(low)),
                              formula2=repr(float(high)), allow_blank=True,
                              error=f"Hãy nhập số từ {_points(low)} đến {_points(high)}.", **message)
    return None


def build(compiled: CompiledFramework, level: str, units: list[UnitColumn], *, title: str = "",
          reference: str = "") -> Workbook:
    """The entry workbook for ``units`` (all of ``level``), in write-only mode (thousands of units fit)."""
    if not units:
        raise WorkbookError("Chưa có đơn vị nào để lập mẫu.")
    book = Workbook(write_only=True)
    book.security = WorkbookProtection(lockStructure=True)  # no sheet added, removed, renamed or unhidden
    layout = pages(compiled, level)
    _help(book, compiled, level, units, layout, title)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "veryHidden"
    list_ranges: dict[tuple[str, ...], str] = {}
    choices = [(YES, NO), tuple(STATUS_LABELS.values())] + [tuple(o.label for o in spec.spec.options or []) for spec in compiled.fields.values()
                             if spec.type == "choice"]
    for labels in choices:
        if labels in list_ranges:
            continue
        column = column_letter(len(list_ranges) + 1)
        list_ranges[labels] = f"'{LISTS_SHEET}'!${column}$1:${column}${len(labels)}"
    width = max(len(labels) for labels in list_ranges)
    for row in range(width):
        lists.append([text_cell(lists, labels[row]) if row < len(labels) else None for labels in list_ranges])
    lists.protection.sheet = True
    value_end = FIRST_VALUE_COLUMN + len(units) - 1
    evidence_column, key_column = value_end + 1, value_end + 2
    where: list[tuple[str, str, int]] = []  # (field, sheet, row)
    for page in layout:
        sheet = book.create_sheet(page.title)
        sheet.freeze_panes = f"{column_letter(FIRST_VALUE_COLUMN)}{FIRST_ROW}"
        for column, size in zip("ABCDE", (9, 40, 45, 32, 12)):
            sheet.column_dimensions[column].width = size
        for offset in range(len(units)):
            sheet.column_dimensions[column_letter(FIRST_VALUE_COLUMN + offset)].width = 16
        sheet.column_dimensions[column_letter(evidence_column)].width = 40
        sheet.column_dimensions[column_letter(key_column)].hidden = True
        sheet.append([text_cell(sheet, page.heading, font=TITLE)])
        codes = [None] * (FIRST_VALUE_COLUMN - 2)
        sheet.append([text_cell(sheet, "Mã đơn vị:"), *codes, *(text_cell(sheet, u.code, font=BOLD) for u in units)])
        header = [*DESCRIPTIVE, *(u.name for u in units), "Tài liệu kiểm chứng", "Mã trường (không sửa)"]
        sheet.append([text_cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=WRAP) for h in header])
        validations: dict[str, tuple[DataValidation, list[str]]] = {}
        row_number = FIRST_ROW - 1
        for line in page.lines:
            row_number += 1
            if line.kind == "group":
                sheet.append([text_cell(sheet, line.code, font=BOLD, fill=GROUP_FILL),
                              text_cell(sheet, line.name, font=BOLD, fill=GROUP_FILL, alignment=WRAP)])
                continue
            spec = line.spec
            number_format = _format(spec) if spec is not None else "@"
            indicator = spec.indicator if spec is not None else line.code
            values = []
            for unit in units:
                editable = unit.editable is None or (indicator is not None and indicator in unit.editable)
                raw = unit.values.get(line.key, "")
                shown = _native(spec, raw) if spec is not None else STATUS_LABELS.get(raw, raw or None)
                style: dict[str, Any] = {"number_format": number_format}
                if editable:
                    style.update(protection=UNLOCKED, fill=INPUT_FILL)
                values.append(cell(sheet, shown, **style))
            sheet.append([
                text_cell(sheet, line.code, alignment=WRAP), text_cell(sheet, line.name, alignment=WRAP),
                text_cell(sheet, line.method, alignment=WRAP), text_cell(sheet, line.label, alignment=WRAP),
                text_cell(sheet, line.unit, alignment=WRAP), *values,
                text_cell(sheet, line.evidence, alignment=WRAP), text_cell(sheet, line.key),
            ])
            where.append((line.key, page.title, row_number))
            validation = (_validation(spec, list_ranges) if spec is not None else
                          DataValidation(type="list", formula1=list_ranges[tuple(STATUS_LABELS.values())],
                                         allow_blank=True, showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                         error="Để trống, hoặc chọn “Không có nội dung” / “Miễn đánh giá”."))
            if validation is not None:
                key = repr((validation.type, validation.formula1, validation.formula2))
                found = validations.setdefault(key, (validation, []))
                found[1].append(f"{column_letter(FIRST_VALUE_COLUMN)}{row_number}:{column_letter(value_end)}{row_number}")
        for validation, ranges in validations.values():
            validation.sqref = " ".join(ranges)  # type: ignore[assignment]  # openpyxl accepts the text
            sheet.data_validations.append(validation)
        landscape(sheet)
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False  # people may widen columns and rows to read
        sheet.protection.formatRows = False
    _meta(book, compiled, level, units, where, reference)
    return book


def _help(book: Workbook, compiled: CompiledFramework, level: str, units: list[UnitColumn], layout: list[Page],
          title: str) -> None:
    sheet = book.create_sheet(HELP_SHEET)
    sheet.column_dimensions["A"].width = 110
    level_name = next((lv.name for lv in compiled.framework.levels if lv.code == level), level)
    source = compiled.framework.source
    who = units[0].name if len(units) == 1 else f"{len(units)} đơn vị (mỗi đơn vị một cột giá trị)"
    lines: list[tuple[str, Font | None]] = [
        (title or "Mẫu nhập liệu đánh giá chuyển đổi số", TITLE),
        (f"Bộ chỉ số: {compiled.framework.name} ({source.document}) — cấp {level_name}", None),
        (f"Đơn vị: {who}", None),
        ("", None),
        ("Cách điền", BOLD),
        ("1. Mỗi trụ cột một trang (Trụ cột 1, Trụ cột 2…); thông tin chung ở trang “Thông tin chung” nếu có.", None),
        ("2. Chỉ nhập vào các ô nền vàng ở cột giá trị của đơn vị; các ô khác bị khóa.", None),
        ("3. Lựa chọn và Có/Không: chọn trong danh sách thả xuống của ô.", None),
        ("4. Số: gõ số như thường lệ trong Excel (ví dụ 1.234,5 khi Excel dùng định dạng Việt Nam); tỷ lệ % gõ "
         "phần trăm, ví dụ 85 cho 85%.", None),
        ("5. Ngày: gõ theo dạng dd/mm/yyyy, ví dụ 15/03/2026.", None),
        ("6. Ô để trống nghĩa là chưa nhập; xóa giá trị trong ô để xóa giá trị đã lưu.", None),
        ("", None),
        ("Không được", BOLD),
        ("- dùng công thức (=…) trong ô giá trị: hãy dán giá trị (Paste Special → Values);", None),
        ("- gộp ô, chèn hay xóa dòng, cột, trang, đổi tên trang;", None),
        ("- sửa trang ẩn: hệ thống dùng nó để biết bạn đã tải mẫu lúc nào.", None),
        ("", None),
        ("Tải lên", BOLD),
        ("Tải tệp lên ở trang nhập liệu (“Tải lên từ Excel”). Hệ thống kiểm tra từng ô như khi nhập trên web, "
         "cho xem trước các thay đổi (giá trị cũ → giá trị mới) và từng lỗi kèm địa chỉ ô (ví dụ Trụ cột 3!F12); "
         "chưa lưu gì cho đến khi bạn xác nhận.", None),
        ("Giá trị mà người khác đã sửa trên hệ thống sau khi bạn tải mẫu không bị ghi đè: hệ thống báo xung đột "
         "để bạn xem lại.", None),
        ("Tài liệu kiểm chứng (tệp PDF, ảnh…) tải lên trên trang nhập liệu, không qua tệp Excel.", None),
        ("", None),
        ("Các trang", BOLD),
        *((f"- {page.title}: {page.heading}", None) for page in layout),
    ]
    for text, font in lines:
        sheet.append([text_cell(sheet, text, font=font, alignment=WRAP) if font else text_cell(sheet, text,
                                                                                               alignment=WRAP)])
    sheet.protection.sheet = True


def _meta(book: Workbook, compiled: CompiledFramework, level: str, units: list[UnitColumn],
          where: list[tuple[str, str, int]], reference: str) -> None:
    """The hidden record of the download: one row per field (where it is), one row per unit
    (its revision and its values as stored, as JSON split into cells of at most 30,000 characters)."""
    sheet = book.create_sheet(META_SHEET)
    sheet.sheet_state = "veryHidden"
    framework = compiled.framework

    def row(*items: object) -> None:
        sheet.append([text_cell(sheet, item) if item is not None else None for item in items])

    row(MARKER, FORMAT, framework.code, framework.version, level, reference)
    for name, page, line in where:
        row("field", name, page, str(line))
    names = [name for name, _page, _line in where]
    for unit in units:
        shown = json.dumps({n: unit.values[n] for n in names if unit.values.get(n)}, ensure_ascii=False)
        row("unit", unit.code, unit.revision, *(shown[i:i + CHUNK] for i in range(0, len(shown), CHUNK)))
    sheet.protection.sheet = True


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading


@dataclass
class CellValue:
    ref: str  # 'Trụ cột 3!F12'
    text: str  # what the entry form would have received
    native: Any  # the cell's own value (a number stays a float), for the command line


@dataclass
class UnitValues:
    code: str
    revision: str
    values: dict[str, CellValue] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)  # field -> raw value at download


@dataclass
class Upload:
    framework: str
    version: str
    level: str
    reference: str
    units: list[UnitValues]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (cell or sheet, Vietnamese message)


_MERGE = re.compile(rb"<(?:[A-Za-z0-9_]+:)?mergeCell\s[^>]*?ref=\"([A-Z0-9:$]+)\"")


def _open(content: bytes) -> tuple[zipfile.ZipFile, Any]:
    if len(content) > MAX_UPLOAD_BYTES:
        raise WorkbookError(f"Tệp lớn hơn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; hãy tải mẫu mới chỉ cho các "
                            "đơn vị cần nhập.")
    if not content:
        raise WorkbookError("Tệp rỗng.")
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE container: Excel 97-2003, or a workbook with a password
        raise WorkbookError("Tệp là Excel cũ (.xls) hoặc có đặt mật khẩu mở tệp; hãy lưu lại dưới dạng “Excel "
                            "Workbook (*.xlsx)”, không đặt mật khẩu, rồi tải lên lại.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # noqa: BLE001 — BadZipFile, LargeZipFile, OSError… all mean the same to the person
        raise WorkbookError("Tệp không phải tệp Excel .xlsx (hoặc bị hỏng, tải lên chưa hết). Hãy lưu lại bằng "
                            "Excel dưới dạng “Excel Workbook (*.xlsx)” rồi tải lên lại.") from None
    if "xl/workbook.xml" not in names:
        raise WorkbookError("Tệp không phải tệp Excel .xlsx (không có phần workbook). Tệp .xls cũ, .ods hay .csv "
                            "cần lưu lại dưới dạng .xlsx.")
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError("Tệp giải nén ra quá lớn; không đọc.")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception:  # XML errors, a damaged part: openpyxl raises many kinds
        raise WorkbookError("Tệp Excel bị hỏng, không đọc được (có thể tải lên chưa hết). Hãy mở bằng Excel, lưu "
                            "lại rồi tải lên lại.") from None
    return archive, book


def _merged(archive: zipfile.ZipFile, sheet: Any) -> list[str]:
    """The merged ranges of a sheet, read from its XML in chunks (read-only mode does not keep them)."""
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return []
    found: list[str] = []
    tail = b""
    try:
        with archive.open(path) as stream:
            while chunk := stream.read(1 << 20):
                window = tail + chunk
                found += [m.decode() for m in _MERGE.findall(window)]
                tail = window[-512:]  # a tag cut in two is found whole in the next window
    except Exception:  # noqa: BLE001 — a damaged part: the message, whatever zipfile or zlib raise
        raise WorkbookError("Tệp Excel bị hỏng, không đọc được (có thể tải lên chưa hết).") from None
    return list(dict.fromkeys(found))


def _text(value: Any) -> str:
    """A cell's value as the text the entry form would receive."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            return value.strftime("%d/%m/%Y %H:%M")
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}".replace(".", ",")  # a decimal comma: the form reads '1.234' as thousands
    return str(value).strip()


def _native_in(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


def read(content: bytes) -> Upload:
    """Read an uploaded entry workbook; WorkbookError when it cannot be read at all, otherwise the
    values with their cells and every structural problem (``errors``), nothing validated yet."""
    archive, book = _open(content)
    try:
        return _read(archive, book)
    except WorkbookError:
        raise
    except Exception:  # noqa: BLE001 — damage inside a valid zip surfaces while streaming, as any of a dozen
        # exceptions (BadZipFile, zlib.error, NotImplementedError for an unknown compression, XML
        # ParseError, KeyError…): whatever it is, the person gets the message, not a server error
        raise WorkbookError("Tệp Excel bị hỏng, không đọc được (có thể tải lên chưa hết). Hãy mở bằng Excel, lưu "
                            "lại rồi tải lên lại.") from None
    finally:
        book.close()
        archive.close()


def _read(archive: zipfile.ZipFile, book: Any) -> Upload:
    if META_SHEET not in book.sheetnames:
        raise WorkbookError("Tệp không phải mẫu nhập liệu của hệ thống (thiếu trang ẩn “_dti”). Hãy tải mẫu Excel "
                            "từ hệ thống, điền vào đó rồi tải lên.")
    meta_rows = book[META_SHEET].iter_rows(values_only=True)
    head = list(next(meta_rows, ()) or ())
    if len(head) < 5 or head[0] != MARKER:
        raise WorkbookError("Trang ẩn “_dti” của tệp đã bị sửa; hãy tải mẫu mới từ hệ thống.")
    if str(head[1]) != FORMAT:
        raise WorkbookError("Mẫu Excel này thuộc phiên bản cũ; hãy tải mẫu mới từ hệ thống.")
    tampered = WorkbookError("Trang ẩn “_dti” của tệp đã bị sửa; hãy tải mẫu mới từ hệ thống.")
    upload = Upload(str(head[2]), str(head[3] or ""), str(head[4]), str(head[5] or "") if len(head) > 5 else "", [])
    expected: dict[str, dict[int, str]] = {}  # sheet -> row -> field
    for line in meta_rows:
        if not line or line[0] in (None, ""):
            continue
        if line[0] == "field" and len(line) >= 4:
            name, page, row = str(line[1]), str(line[2] or ""), str(line[3] or "")
            if not row.isdigit():
                raise tampered
            expected.setdefault(page, {})[int(row)] = name
        elif line[0] == "unit" and len(line) >= 3 and line[1]:
            if len(upload.units) >= MAX_UNITS:
                raise WorkbookError(f"Tệp có hơn {MAX_UNITS:,} đơn vị; hãy chia thành nhiều tệp.".replace(",", "."))
            try:
                shown = json.loads("".join(str(c) for c in line[3:] if c is not None) or "{}")
            except ValueError:
                raise tampered from None
            if not isinstance(shown, dict):
                raise tampered
            upload.units.append(UnitValues(str(line[1]), "" if line[2] is None else str(line[2]),
                                           originals={str(k): str(v) for k, v in shown.items()}))
        else:
            raise tampered
    if not upload.units or not expected:
        raise tampered
    allowed = set(expected) | {HELP_SHEET, META_SHEET, LISTS_SHEET}
    for title in book.sheetnames:
        if title not in allowed:
            upload.errors.append((title, f"Trang “{title}” không có trong mẫu; hãy xóa trang này (hoặc chép dữ liệu "
                                         "vào đúng trang của mẫu) rồi tải lên lại."))
    for title in expected:
        if title not in book.sheetnames:
            upload.errors.append((title, f"Thiếu trang “{title}” của mẫu (trang bị xóa hoặc đổi tên); hãy tải mẫu "
                                         "mới hoặc khôi phục trang."))
    for title, rows in expected.items():
        if title in book.sheetnames:
            _read_sheet(archive, book[title], title, rows, upload)
    return upload


def _read_sheet(archive: zipfile.ZipFile, sheet: Any, title: str, rows: dict[int, str], upload: Upload) -> None:
    for ref in _merged(archive, sheet):
        upload.errors.append((f"{title}!{ref}", f"Ô gộp {title}!{ref}: hãy bỏ gộp ô (Merge & Center) rồi tải lên "
                                                "lại; mỗi giá trị cần ô riêng."))
    units = upload.units
    last_value = FIRST_VALUE_COLUMN + len(units) - 1
    key_column = last_value + 2
    last_row = max(rows)
    limit = last_row + EXTRA_ROWS
    letters = [column_letter(FIRST_VALUE_COLUMN + offset) for offset in range(len(units))]
    # Columns past the field's name are never read: a cell typed at XFD1 would otherwise make
    # every row 16,384 cells long.
    for cells in sheet.iter_rows(min_row=UNITS_ROW, max_col=key_column):
        cells = [c for c in cells if getattr(c, "row", None) is not None]
        if not cells:
            continue
        number = cells[0].row
        if number > limit:
            upload.errors.append((title, f"Trang “{title}” có dữ liệu đến dòng {number:,} trở đi, ngoài mẫu (mẫu kết "
                                         f"thúc ở dòng {last_row}); hãy xóa các dòng thừa rồi tải lên lại."
                                  .replace(",", ".")))
            return
        by_column = {c.column: c for c in cells}
        if number == UNITS_ROW:
            shown = [_text(by_column[col].value) if col in by_column else "" for col in
                     range(FIRST_VALUE_COLUMN, last_value + 1)]
            if shown != [u.code for u in units]:
                upload.errors.append((f"{title}!{column_letter(FIRST_VALUE_COLUMN)}{UNITS_ROW}",
                                      f"Dòng mã đơn vị của trang “{title}” không khớp mẫu (cột đơn vị bị chèn, xóa "
                                      "hoặc sửa); hãy tải mẫu mới."))
                return
            continue
        name = rows.get(number)
        key = by_column.get(key_column)
        key_text = _text(key.value) if key is not None else ""
        if name is None:
            if number > last_row and any(c.value not in (None, "") for c in cells):
                ref = next(c.coordinate for c in cells if c.value not in (None, ""))
                upload.errors.append((f"{title}!{ref}", f"Ô {title}!{ref} nằm ngoài bảng của mẫu; hãy xóa nội "
                                                        "dung này (không thêm dòng vào mẫu)."))
            continue
        if key_text != name:
            upload.errors.append((f"{title}!{column_letter(key_column)}{number}",
                                  f"Dòng {number} của trang “{title}” không khớp mẫu (dòng bị chèn, xóa hoặc sắp "
                                  "xếp lại); hãy tải mẫu mới và điền lại."))
            return
        for offset, unit in enumerate(units):
            found = by_column.get(FIRST_VALUE_COLUMN + offset)
            ref = f"{title}!{letters[offset]}{number}"
            if found is None or found.value is None:
                unit.values[name] = CellValue(ref, "", None)
                continue
            if found.data_type == "f" or (isinstance(found.value, str) and found.value.startswith("=")
                                          and found.data_type != "s"):
                upload.errors.append((ref, f"Ô {ref} chứa công thức ({str(found.value)[:60]}); hãy nhập hoặc dán "
                                           "giá trị (Paste Special → Values)."))
                continue
            if isinstance(found.value, str) and found.value.startswith("#") and found.data_type == "e":
                upload.errors.append((ref, f"Ô {ref} chứa lỗi Excel {found.value}; hãy nhập giá trị."))
                continue
            value = found.value
            if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (found.number_format or ""):
                # '85%' typed into a cell Excel formatted as a percentage is stored as 0.85: read
                # what the person sees, as the form reads '85%' (85)
                value = round(value * 100, 10)
            unit.values[name] = CellValue(ref, _text(value), _native_in(value))
    seen = {n for u in units[:1] for n in u.values}
    missing = [n for row, n in sorted(rows.items()) if n not in seen]
    if missing and not any(e[0].startswith(title) for e in upload.errors):
        upload.errors.append((title, f"Trang “{title}” thiếu {len(missing)} dòng của mẫu (từ dòng "
                                     f"{min(r for r, n in rows.items() if n in missing)}); hãy tải mẫu mới."))


# --------------------------------------------------------------------------- helpers for callers


def same_value(spec: FieldSpec | None, typed: str, shown: str) -> bool:
    """Whether a cell still holds what the workbook showed: '1234' read back from a number cell
    is the '1.234' stored, 'Giám đốc' is 'giam_doc', 15/03/2026 is '2026-03-15'."""
    if typed == shown:
        return True
    if spec is None or not typed or not shown:
        return False
    try:
        return parse_value(spec, typed, vietnamese=True) == parse_value(spec, shown, vietnamese=True)
    except ValueError_:
        return False


def status_value(text: str) -> str | None:
    """A status cell's text → 'no_content', 'exempt' or '' (blank); None when it is neither."""
    word = " ".join(text.split()).lower()
    if not word:
        return ""
    for value, label in STATUS_LABELS.items():
        if word in (value, label.lower()):
            return value
    return None


def records(upload: Upload) -> Iterable[tuple[str, str, object]]:
    """(unit, field, value) records as the engine's ``build_dataset`` reads them (a CSV's long format)."""
    for unit in upload.units:
        for name, value in unit.values.items():
            if value.native in (None, ""):
                continue
            if name.endswith(STATUS_SUFFIX):
                yield unit.code, name, status_value(value.text) or value.text
            else:
                yield unit.code, name, value.native
