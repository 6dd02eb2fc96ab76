"""A unit's scorecard as a workbook: each indicator with its maximum, the self-assessed and the
verified score, and how the score was computed.  Plain Python + openpyxl."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment

from .cells import BOLD, HEADER_FILL, NUMBER_FORMAT, TITLE, WRAP, cell, landscape, text_cell

HEADER = ["Mã", "Chỉ số", "Điểm tối đa", "Tự đánh giá", "Kết quả đánh giá", "Cách tính điểm"]
_INDENTS = [Alignment(wrap_text=True, vertical="top", indent=level) for level in range(6)]


@dataclass
class Line:
    code: str
    name: str
    depth: int
    maximum: float | None
    self_score: float | None
    score: float | None
    explain: str


def build(title: str, subtitle: str, lines: list[Line], total: tuple[float | None, float | None, float | None],
          rank: int | None) -> Workbook:
    """``total``: (maximum, self-assessed, verified)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Phiếu điểm")
    for column, size in zip("ABCDEF", (10, 55, 12, 13, 13, 70)):
        sheet.column_dimensions[column].width = size
    sheet.append([text_cell(sheet, title, font=TITLE)])
    sheet.append([text_cell(sheet, subtitle)])
    sheet.append([])
    sheet.append([text_cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=WRAP) for h in HEADER])
    for line in lines:
        bold = {"font": BOLD} if line.depth == 0 else {}
        sheet.append([
            text_cell(sheet, line.code, **bold),
            text_cell(sheet, line.name, alignment=_INDENTS[min(line.depth, 5)], **bold),
            cell(sheet, line.maximum, number_format=NUMBER_FORMAT),
            cell(sheet, line.self_score, number_format=NUMBER_FORMAT),
            cell(sheet, line.score, number_format=NUMBER_FORMAT, **bold),
            text_cell(sheet, line.explain, alignment=WRAP),
        ])
    maximum, self_total, verified = total
    sheet.append([None, text_cell(sheet, "Tổng điểm", font=BOLD), cell(sheet, maximum, number_format=NUMBER_FORMAT),
                  cell(sheet, self_total, number_format=NUMBER_FORMAT),
                  cell(sheet, verified, number_format=NUMBER_FORMAT, font=BOLD)])
    if rank is not None:
        sheet.append([None, text_cell(sheet, "Xếp hạng", font=BOLD), None, None, cell(sheet, rank, font=BOLD)])
    sheet.freeze_panes = "C5"
    landscape(sheet)
    return book
