"""The year's report: counts by level and district, registered against recognised, last year."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from dti.recognition import documents, selectors, services
from dti.recognition.models import Decision, DecisionLine, DecisionState

from .recognition_fixtures import *  # noqa: F403
from .recognition_fixtures import msub


@pytest.fixture
def year(send, council, mcampaign, people):
    for code, level in (("x1", 2), ("x2", 2), ("h1", 2)):
        send(code, level)
    files = services.assign_files(council, [msub(mcampaign, c).unit for c in ("x1", "x2")], user=people["admin"])
    services.conclude(files[0], user=people["r2"], level=2, reasons="Đạt")
    services.conclude(files[1], user=people["r2"], level=1, reasons="Chưa đạt tiêu chí 2")
    return mcampaign


def test_counts_follow_the_conclusions_until_a_decision_is_issued(year):
    r = selectors.report(year)
    assert r["basis"] == "concluded"
    assert [(row["level"], row["registered"], row["recognised"]) for row in r["by_level"]] == [
        (1, 0, 1), (2, 3, 1), (3, 0, 0)]
    assert (r["registered"], r["recognised"], r["reached"]) == (3, 2, 1)
    h1 = next(d for d in r["districts"] if d["unit"].code == "h1")
    assert (h1["units"], h1["registered"], h1["recognised"], h1["counts"]) == (3, 3, 2, [1, 1, 0])


def test_issued_decisions_are_the_basis_once_there(year, people):
    decision = services.create_decision(year, issuer="UBND huyện Một", level="xa", user=people["admin"])
    services.fill_decision(decision, user=people["admin"], number="1", signed_on=dt.date(2026, 12, 18),
                           signed_pdf=SimpleUploadedFile("q.pdf", b"%PDF-1.4", "application/pdf"))
    services.issue(decision, user=people["admin"], roles={"assessment_admin"})
    assert selectors.report(year)["basis"] == "published"


def test_comparison_with_last_year(year, mfw, munits, people):
    from dti.campaigns.services import create_campaign

    last = create_campaign(name="Năm trước", framework=mfw, year=year.year - 1, units=[munits["x1"], munits["x2"]])
    old = Decision.objects.create(campaign=last, issuer="UBND huyện Một", state=DecisionState.ISSUED)
    DecisionLine.objects.create(decision=old, unit=munits["x1"], level=1)
    DecisionLine.objects.create(decision=old, unit=munits["x2"], level=1)
    year.previous = last
    year.save()
    r = selectors.report(year)
    assert r["has_previous"] and [row["previous"] for row in r["by_level"]] == [2, 0, 0]
    assert {row["unit"].code: row["previous"] for row in r["rows"]}["x1"] == 1


def test_xlsx_and_docx_carry_the_same_figures(year):
    r = selectors.report(year)
    book = load_workbook(io.BytesIO(documents.report_xlsx(r)))
    assert book.sheetnames == ["Theo mức độ", "Theo huyện", "Đơn vị"]
    levels = list(book["Theo mức độ"].iter_rows(min_row=3, max_row=5, values_only=True))
    assert levels[1][:3] == ("2 - Kết nối", 3, 1)
    units = {row[0]: row for row in book["Đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert units["x2"][3:6] == (2, 1, "không")
    doc = Document(io.BytesIO(documents.report_docx(r)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "2 - Kết nối" in cells and "UBND huyện Một" in cells
