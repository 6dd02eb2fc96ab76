"""The plan as the decision's table: XLSX (numbers as numbers) and DOCX."""

import io

from django.urls import reverse

from .plan_fixtures import *  # noqa: F403


def test_xlsx_has_the_table_with_numbers_as_numbers(client, plan, users):
    from openpyxl import load_workbook

    client.force_login(users["assessment_admin"])
    response = client.get(reverse("plans:xlsx", args=[plan["plan"].pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Kế hoạch thử nghiệm"
    assert [c.value for c in sheet[4]][:3] == ["TT", "Chỉ số", "Nhiệm vụ"]
    row = [c for c in sheet[5]]
    assert row[1].value == "1.2" and row[3].value == 5 and row[3].number_format == "#,##0.00"
    assert row[6].value == "Sở Alpha"
    assert sheet.max_row == 7


def test_agency_export_has_only_its_tasks(client, plan, users):
    from openpyxl import load_workbook

    client.force_login(users["reporter_b"])
    sheet = load_workbook(io.BytesIO(client.get(reverse("plans:xlsx", args=[plan["plan"].pk])).content)).active
    assert [sheet.cell(row=r, column=2).value for r in range(5, sheet.max_row + 1)] == ["1.3", "2"]


def test_docx_has_the_national_header_and_the_table(client, plan, users):
    from docx import Document

    client.force_login(users["assessment_admin"])
    response = client.get(reverse("plans:docx", args=[plan["plan"].pk]))
    document = Document(io.BytesIO(response.content))
    header = document.tables[0].rows[0].cells[1].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    table = document.tables[1]
    assert table.rows[0].cells[1].text == "Chỉ số" and table.rows[1].cells[1].text == "1.2"
    assert table.rows[1].cells[3].text == "5,00"  # points: two decimals, as every official document
