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
    """The decision's table as an editable Word document in the administrative layout (dti.documents),
    landscape for its ten columns; number, date and signer are left to fill."""
    from dti.documents.blocks import Paragraph, Table
    from dti.documents.docx import render_docx
    from dti.documents.meta import DocumentMeta
    from dti.documents.numbers import points

    owner = plan.owner
    meta = DocumentMeta(issuer=owner.name.upper(), parent_issuer=owner.parent.name.upper() if owner.parent else "",
                        title="KẾ HOẠCH", summary=plan.name)
    subtitle = f"{plan.unit.name} · {plan.campaign.framework.name}" + (f" · {plan.decision}" if plan.decision else "")
    money = (3, 4, 5)
    rows = [[points(value) if index in money else str(value if value is not None else "")
             for index, value in enumerate(_row(number, task))] for number, task in enumerate(tasks, 1)]
    table = Table(_columns(), rows, numeric=set(money), widths=[4, 7, 30, 8, 8, 8, 15, 20, 10, 10])
    return render_docx(meta, [Paragraph(subtitle, center=True), table], landscape=True)
