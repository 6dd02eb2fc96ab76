"""The audit trail as an Excel workbook for people: Vietnamese headers, real dates."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .selectors import TrailLine


def trail_xlsx(lines: list[TrailLine], *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Nhật ký")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    headers = [_("Thời gian"), _("Người thực hiện"), _("Thao tác"), _("Chỉ số"), _("Trường"), _("Cũ"), _("Mới"),
               _("Lý do"), _("Diễn giải")]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in lines:
        # Naive local time: Excel has no time zones; the cell is a real date, shown dd/mm/yyyy hh:mm.
        at = timezone.localtime(line.at).replace(tzinfo=None, microsecond=0)
        sheet.append([at, line.who, line.action, line.indicator, line.field, line.old, line.new, line.reason, line.text])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # typed text starting with '=' stays text, never a formula
                cell.data_type = "s"
        sheet.cell(row=sheet.max_row, column=1).number_format = "dd/mm/yyyy hh:mm"
    for column, width in zip("ABCDEFGHI", (17, 24, 18, 9, 36, 16, 16, 30, 80)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3, min_col=9, max_col=9):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
