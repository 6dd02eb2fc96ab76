"""The campaign's result table as the decision prints it: STT, Đơn vị, each pillar, Tổng điểm, Xếp hạng.

Numbers are stored as numbers with the format ``#,##0.00`` (a Vietnamese-locale Excel shows
1.234,50); text cells are stored as text, never as formulas.  Plain Python + openpyxl.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl import Workbook

from .cells import (
    BOLD,
    HEADER_FILL,
    INTEGER_FORMAT,
    NUMBER_FORMAT,
    TITLE,
    WRAP,
    cell,
    column_letter,
    landscape,
    sheet_title,
    text_cell,
)


@dataclass
class Table:
    """One ranking group: its rows already in rank order, as the person may see them."""

    label: str
    pillars: list[str]  # pillar names, in the document's order
    rows: list[tuple[str, list[float | None], float | None, int | None]] = field(default_factory=list)
    # (unit name, pillar scores, total, rank); for a framework without points: total = maturity level
    scored: bool = True


def build(title: str, subtitle: str, tables: list[Table], *, note: str = "") -> Workbook:
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_title(table.label or "Xếp hạng", taken))
        widths = [6, 42, *([16] * len(table.pillars)), 14, 10]
        for index, size in enumerate(widths, start=1):
            sheet.column_dimensions[column_letter(index)].width = size
        sheet.append([text_cell(sheet, title, font=TITLE)])
        sheet.append([text_cell(sheet, f"{subtitle} — {table.label}" if table.label else subtitle)])
        sheet.append([])
        total_label = "Tổng điểm" if table.scored else "Mức độ"
        header = ["STT", "Đơn vị", *table.pillars, total_label, "Xếp hạng"]
        sheet.append([text_cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=WRAP) for h in header])
        for number, (name, pillars, total, rank) in enumerate(table.rows, start=1):
            sheet.append([
                cell(sheet, number, number_format=INTEGER_FORMAT), text_cell(sheet, name),
                *(cell(sheet, value, number_format=NUMBER_FORMAT) for value in pillars),
                cell(sheet, total, number_format=NUMBER_FORMAT if table.scored else INTEGER_FORMAT),
                cell(sheet, rank, number_format=INTEGER_FORMAT),
            ])
        if note:
            sheet.append([])
            sheet.append([text_cell(sheet, note)])
        sheet.freeze_panes = "C5"
        landscape(sheet)
        sheet.print_title_rows = "4:4"
    if not tables:
        sheet = book.create_sheet("Xếp hạng")
        sheet.append([text_cell(sheet, title, font=TITLE)])
        sheet.append([text_cell(sheet, "Chưa có kết quả nào bạn được xem.")])
    return book
