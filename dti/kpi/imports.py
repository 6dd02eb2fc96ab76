"""Series in and out as CSV or XLSX: kpi, period, numerator, denominator (and the agency's code).

An import is read into a preview first (what is new, what changes, what cannot be written and
why); nothing is stored until the person confirms, and then through ``save_entry``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dti.engine.kpi import PeriodError, parse_period
from dti.methodologies.selectors import compiled_for
from dti.site.text import normalise, text_error
from dti.submissions.models import Submission, Value
from dti.submissions.services import canonical, check_can_edit, validate_raw
from dti.submissions.workflow import WorkflowError

from . import selectors
from .models import KpiSetting
from .services import ImportRow

COLUMNS = ["kpi", "period", "unit", "numerator", "denominator"]
MAX_ROWS = 20000
MAX_BYTES = 5 * 1024 * 1024


class ImportProblem(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class Preview:
    rows: list[ImportRow]
    token: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text.replace(".", ",")  # the forms read numbers Vietnamese style
    return normalise(value)


def _read(upload) -> list[dict[str, str]]:
    if upload.size > MAX_BYTES:
        raise ImportProblem(_("Tệp lớn hơn 5 MB."))
    name = (upload.name or "").lower()
    content = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception:  # a damaged or renamed file: say so rather than fail
            raise ImportProblem(_("Không đọc được tệp XLSX (tệp hỏng hoặc không phải Excel).")) from None
        lines = [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblem(_("Tệp CSV phải mã hóa UTF-8.")) from None
        dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        lines = [[normalise(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=dialect)]
    else:
        raise ImportProblem(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    if not lines:
        raise ImportProblem(_("Tệp trống."))
    header = [h.lower() for h in lines[0]]
    missing = [c for c in ("kpi", "period", "numerator", "denominator") if c not in header]
    if missing:
        raise ImportProblem(_("Thiếu cột: %(c)s (cần kpi, period, numerator, denominator; unit khi chỉ số có nhiều "
                              "cơ quan cung cấp số liệu).") % {"c": ", ".join(missing)})
    if len(lines) > MAX_ROWS + 1:
        raise ImportProblem(_("Tệp có hơn %(n)d dòng.") % {"n": MAX_ROWS})
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in lines[1:]
            if any(cell for cell in row)]


def preview(programme, upload) -> Preview:
    compiled = compiled_for(programme.framework)
    settings = {s.code: s for s in KpiSetting.objects.filter(programme=programme).prefetch_related("agencies")}
    periods = {p.period: p for p in programme.periods.all()}
    submissions = {(s.campaign_id, s.unit.code): s for s in Submission.objects.filter(
        campaign__kpi_period__programme=programme).select_related("unit", "campaign")}
    stored = {(v.submission_id, v.field): v.raw for v in Value.objects.filter(
        submission__campaign__kpi_period__programme=programme)}
    rows = []
    for line, raw in enumerate(_read(upload), start=2):
        row = ImportRow(line=line, kpi=raw.get("kpi", ""), period=raw.get("period", ""), unit=raw.get("unit", ""))
        rows.append(row)
        setting = settings.get(row.kpi)
        if setting is None:
            row.action, row.message = "error", _("Chỉ số '%(k)s' không có trong chương trình") % {"k": row.kpi}
            continue
        try:
            period = parse_period(row.period)
        except PeriodError as exc:
            row.action, row.message = "error", str(exc)
            continue
        if period.frequency != setting.frequency:
            row.action, row.message = "error", _("Chỉ số %(k)s báo cáo %(f)s, không theo kỳ %(p)s") % {
                "k": row.kpi, "f": setting.get_frequency_display().lower(), "p": row.period}
            continue
        agencies = list(setting.agencies.all())
        if not row.unit and len(agencies) == 1:
            row.unit = agencies[0].code
        if row.unit not in {a.code for a in agencies}:
            row.action = "error"
            row.message = (_("Cần cột unit: chỉ số %(k)s có nhiều cơ quan cung cấp số liệu") if not row.unit else
                           _("Đơn vị '%(u)s' không cung cấp số liệu chỉ số %(k)s")) % {"k": row.kpi, "u": row.unit}
            continue
        found = periods.get(str(period))
        submission = submissions.get((found.campaign_id, row.unit)) if found else None
        if submission is None:
            row.action, row.message = "error", _("Kỳ %(p)s chưa mở") % {"p": period.label}
            continue
        row.submission_id = submission.pk
        inputs = compiled.nodes[row.kpi].indicator.inputs
        given = [raw.get("numerator", ""), raw.get("denominator", "")]
        if len(inputs) == 1:
            pairs = [(inputs[0].var, given[0])]
        elif len(inputs) == 2:
            pairs = [(inputs[0].var, given[0]), (inputs[1].var, given[1])]
        else:
            row.action = "error"
            row.message = _("Chỉ số %(k)s có %(n)d trường (%(v)s), không nhập được bằng tử số / mẫu số; nhập trên trang báo cáo") % {
                "k": row.kpi, "n": len(inputs), "v": ", ".join(i.var for i in inputs)}
            continue
        problems = []
        for var, text in pairs:
            name = f"{row.kpi}.{var}"
            text = normalise(text)
            problem = text_error(text, max_length=200, multiline=False)
            spec = compiled.fields[name]
            if not problem and text:
                problem = validate_raw(spec, text)[1]
            if problem:
                problems.append(f"{var}: {problem}")
            row.values[name] = text
            row.shown[name] = stored.get((submission.pk, name), "")
        if problems:
            row.action, row.message = "error", "; ".join(problems)
            continue
        try:
            check_can_edit(submission)
        except WorkflowError as exc:
            row.action, row.message = "error", str(exc)
            continue
        specs = {name: compiled.fields[name] for name in row.values}
        if all(canonical(specs[n], row.values[n]) == canonical(specs[n], row.shown[n]) for n in row.values):
            row.action = "same"
        elif any(row.shown.values()):
            row.action = "change"
        else:
            row.action = "new"
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.action] = counts.get(row.action, 0) + 1
    return Preview(rows, counts=counts)


def export(programme, *, kind: str = "csv") -> tuple[bytes, str, str]:
    """Every figure the agencies sent, with the value computed and its status."""
    data = selectors.programme_data(programme)
    header = ["kpi", "period", "unit", "numerator", "denominator", "value", "target", "status"]
    lines = []
    for item in data.kpis:
        points = {str(p.period): p for p in item.points}
        for period, rows in item.by_agency.items():
            point = points.get(period)
            for row in rows:
                inputs = list(row.inputs.values())
                lines.append([item.code, period, row.code, inputs[0] if inputs else None,
                              inputs[1] if len(inputs) > 1 else None, row.value,
                              point.target if point else None, point.status if point else ""])
    lines.sort(key=lambda r: (int(str(r[0])) if str(r[0]).isdigit() else 0, str(r[0]), str(r[1]), str(r[2])))
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("KPI")
        sheet.append(header)
        for line in lines:
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for line in lines:
        writer.writerow(["" if v is None else (f"{v:.10g}".replace(".", ",") if isinstance(v, float) else v) for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", "csv"
