"""The recognition decision: a draft listing the concluded units, issued with number, date and signed PDF."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from dti.recognition import documents, selectors, services, workflow
from dti.recognition.models import DecisionLine, DecisionState
from dti.recognition.workflow import RecognitionError, StaleState

from .recognition_fixtures import *  # noqa: F403
from .recognition_fixtures import msub

PDF = b"%PDF-1.4\n%signed\n"


@pytest.fixture
def concluded(send, council, mcampaign, people):
    for code, level in (("x1", 2), ("x2", 1)):
        send(code, level)
    files = services.assign_files(council, [msub(mcampaign, c).unit for c in ("x1", "x2")], user=people["admin"])
    services.conclude(files[0], user=people["r2"], level=2, reasons="Đạt đủ tiêu chí mức 2")
    return files


@pytest.fixture
def decision(mcampaign, people):
    return services.create_decision(mcampaign, issuer="Ủy ban nhân dân huyện Một", level="xa", signer="Nguyễn Văn A",
                                    user=people["admin"])


def _fill(decision, people):
    return services.fill_decision(decision, user=people["admin"], number="15/QĐ-UBND", signed_on=dt.date(2026, 12, 18),
                                  signed_pdf=SimpleUploadedFile("qd.pdf", PDF, "application/pdf"))


def test_the_draft_lists_concluded_units_and_names_the_others(concluded, decision):
    assert [(line.unit.code, line.level) for line in selectors.decision_lines(decision)] == [("x1", 2)]
    assert [u.code for u in selectors.units_without_conclusion(decision)] == ["x2", "x3"]


def test_the_draft_docx_lists_units_and_levels(concluded, decision):
    doc = Document(io.BytesIO(documents.decision_docx(decision)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "QUYẾT ĐỊNH" in text and "công nhận mức độ chuyển đổi số" in text
    assert "UBND xã Một" in cells and "Mức 2 - Kết nối" in cells
    assert "UBND xã Hai" not in cells


def test_the_draft_pdf_is_a_pdf(concluded, decision):
    assert documents.decision_pdf(decision).startswith(b"%PDF-")


@pytest.mark.parametrize("missing", ["number", "signed_on", "signed_pdf"])
def test_issue_needs_number_date_and_signed_pdf(concluded, decision, people, missing):
    given = {"number": "15/QĐ-UBND", "signed_on": dt.date(2026, 12, 18),
             "signed_pdf": SimpleUploadedFile("qd.pdf", PDF, "application/pdf")}
    given.pop(missing)
    services.fill_decision(decision, user=people["admin"], **given)
    with pytest.raises(RecognitionError, match="còn thiếu"):
        services.issue(decision, user=people["admin"], roles={"assessment_admin"})
    decision.refresh_from_db()
    assert decision.state == DecisionState.DRAFT


def test_the_signed_copy_must_be_a_pdf(decision, people):
    with pytest.raises(Exception, match="PDF"):
        services.fill_decision(decision, user=people["admin"], signed_pdf=SimpleUploadedFile("qd.pdf", b"MZ..."))


def test_issuing_freezes_the_lines_and_publishes_the_levels(concluded, decision, people, mcampaign):
    _fill(decision, people)
    assert selectors.published_levels(mcampaign) == {}
    services.issue(decision, user=people["admin"], roles={"assessment_admin"}, expected_state="draft")
    decision.refresh_from_db()
    assert decision.state == DecisionState.ISSUED and decision.signed_pdf.storage.exists(decision.signed_pdf.name)
    assert selectors.published_levels(mcampaign) == {"x1": 2}
    # a later conclusion does not change the issued decision
    services.conclude(concluded[1], user=people["r2"], level=1, reasons="Đạt mức 1")
    assert list(DecisionLine.objects.values_list("unit__code", "level")) == [("x1", 2)]
    assert [line.unit.code for line in selectors.decision_lines(decision)] == ["x1"]


def test_an_issued_decision_is_final(concluded, decision, people):
    _fill(decision, people)
    services.issue(decision, user=people["admin"], roles={"assessment_admin"})
    with pytest.raises(RecognitionError, match="đã ban hành"):
        services.fill_decision(decision, user=people["admin"], number="16")
    with pytest.raises(StaleState):
        services.issue(decision, user=people["admin"], roles={"assessment_admin"}, expected_state="draft")
    with pytest.raises(RecognitionError, match="không mở lại"):
        workflow.run(concluded[0], "reopen", user=people["admin"], roles={"assessment_admin"})


def test_only_administrators_issue(concluded, decision, people):
    _fill(decision, people)
    with pytest.raises(RecognitionError, match="không có quyền"):
        services.issue(decision, user=people["r1"], roles={"reviewer"})


def test_nothing_to_recognise_is_refused(decision, people):
    _fill(decision, people)
    with pytest.raises(RecognitionError, match="Chưa có đơn vị"):
        services.issue(decision, user=people["admin"], roles={"assessment_admin"})


def test_a_district_decision_lists_only_its_communes(send, council, mcampaign, munits, people):
    send("x1", 2)
    send("x3", 1)
    files = services.assign_files(council, [msub(mcampaign, c).unit for c in ("x1", "x3")], user=people["admin"])
    for file in files:
        services.conclude(file, user=people["r2"], level=1, reasons="Đạt")
    decision = services.create_decision(mcampaign, issuer="UBND huyện Một", level="xa", within=munits["h1"],
                                        user=people["admin"])
    assert [line.unit.code for line in selectors.decision_lines(decision)] == ["x1"]
    assert [u.code for u in selectors.units_without_conclusion(decision)] == ["x2"]
