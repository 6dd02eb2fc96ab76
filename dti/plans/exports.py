"""The plan as the decision's table (Phụ lục: chỉ số, điểm, cơ quan chủ trì / phối hợp, thời hạn)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .models import Plan, Task

NUMBER = "#,##0.00"


def _columns() -> list[str]:
    return [_("TT"), _("Chỉ số"), _("Nhiệm vụ"), _("Điểm hiện tại"), _("Điểm tối đa"), _("Điểm mục tiêu"),
            _("Cơ quan chủ trì"), _("Cơ quan phối hợp"), _("Thời hạn"), _("Trạng thái")]


def _row(number: int, task: Task) -> list:
    deadline = task.deadline.strftime("%d/%m/%Y") if task.deadline else task.deadline_text
    return [number, task.code, task.title, task.points_now, task.max_points, task.target_score, task.lead.name,
            "; ".join(p.name for p in task.partners.all()), deadline, task.shown_status_label]


def plan_xlsx(plan: Plan, tasks: list[Task]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet(_("Kế hoạch")[:31])
    sheet.append([plan.name])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"{plan.unit.name} · {plan.campaign.framework.name}" + (f" · {plan.decision}" if plan.decision else "")])
    sheet.append([])
    sheet.append(_columns())
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, task in enumerate(tasks, 1):
        sheet.append(_row(number, task))
        for column in (4, 5, 6):
            sheet.cell(row=sheet.max_row, column=column).number_format = NUMBER
    for letter, width in zip("ABCDEFGHIJ", (5, 9, 60, 11, 11, 11, 30, 40, 16, 15), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_docx(plan: Plan, tasks: list[Task]) -> bytes:
    """A self-contained DOCX (python-docx): the national header, the title and the decision's table."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from dti.site.templatetags.dti import format_num

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = f"{plan.owner.name.upper()}"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(plan.name.upper())
    run.bold = True
    run.font.size = Pt(13)
    subtitle = document.add_paragraph(f"{plan.unit.name} · {plan.campaign.framework.name}"
                                      + (f" · {plan.decision}" if plan.decision else ""))
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=len(_columns()))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, _columns(), strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for number, task in enumerate(tasks, 1):
        cells = table.add_row().cells
        for index, value in enumerate(_row(number, task)):
            cells[index].text = format_num(value) if index in (3, 4, 5) else str(value if value is not None else "")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
