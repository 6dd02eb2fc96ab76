"""The ranking and the scorecard as official documents: the form, the files, who sees what."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from .conftest import sub

META = {"parent_issuer": "UBND tỉnh Thử Nghiệm", "issuer": "Sở Thông tin và Truyền thông", "number": "",
        "symbol": "QĐ-STTTT", "place": "Thử Nghiệm", "date": "05/01/2026", "title": "Quyết định",
        "summary": "Về việc công bố kết quả", "intro": "Công bố kết quả đánh giá.",
        "recipients": "UBND tỉnh;\n- Lưu: VT.", "signer_authority": "", "signer_title": "Giám đốc",
        "signer_name": "Lê Văn Cường"}


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


@pytest.fixture
def b_published(users, campaign, submitted):
    """so-b approved and published; so-a submitted (not published); so-c in draft."""
    from dti.review.services import approve, publish_campaign

    approve(sub(campaign, "so-b"), user=users["assessment_admin"])
    publish_campaign(campaign, user=users["assessment_admin"])


def post(client, url, fmt="pdf", **changes):
    return client.post(url, {**META, **changes, "format": fmt})


def test_admin_gets_ranking_pdf_with_pillars_totals_ranks_and_layout(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    response = post(client, reverse("documents:ranking", args=[campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="ket-qua-xep-hang-danh-gia-thu-nghiem-2024.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "/QĐ-STTTT",
                     "Thử Nghiệm, ngày 05 tháng 01 năm 2026", "STT Đơn vị Nhận thức số Dịch vụ công trực tuyến",
                     "Tổng điểm Xếp hạng", "1 Sở Alpha 27,50 20,00 47,50 1", "2 Sở Bêta 22,50 10,00 32,50 2",
                     "Sở Gamma", "Dự thảo", "- UBND tỉnh;", "- Lưu: VT.", "Lê Văn Cường"):
        assert expected in text, expected


def test_unit_sees_only_published_units_in_ranking_document(client, users, campaign, b_published):
    client.force_login(users["reporter"])  # so-a: submitted, not published
    text = pdf_text(post(client, reverse("documents:ranking", args=[campaign.pk])).content)
    assert "Sở Bêta" in text and "Sở Alpha" not in text and "Sở Gamma" not in text
    assert "Dự thảo" not in text


def test_lead_agency_document_after_partial_publication_says_it_is_a_draft(client, users, campaign, b_published):
    client.force_login(users["assessment_admin"])
    text = pdf_text(post(client, reverse("documents:ranking", args=[campaign.pk])).content)
    assert "Sở Alpha" in text and "bảng gồm cả đơn vị chưa được công bố kết quả" in text


def test_ranking_docx_has_the_decision_table(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    response = post(client, reverse("documents:ranking", args=[campaign.pk]), fmt="docx")
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells] == ["STT", "Đơn vị", "Nhận thức số", "Dịch vụ công trực tuyến",
                                                     "Tổng điểm", "Xếp hạng"]
    assert [c.text for c in table.rows[1].cells] == ["1", "Sở Alpha", "27,50", "20,00", "47,50", "1"]


def test_form_shows_defaults_from_campaign(client, users, campaign, units):
    campaign.lead_unit = units["so-a"]
    campaign.save(update_fields=["lead_unit"])
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("documents:ranking", args=[campaign.pk])).content.decode()
    assert 'value="Sở Alpha"' in html and 'value="UBND tỉnh Thử Nghiệm"' in html and 'value="QĐ-SA"' in html
    assert 'value="Thử Nghiệm"' in html and "Lưu: VT" in html


def test_missing_issuer_is_refused_and_keeps_what_was_typed(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    response = post(client, reverse("documents:ranking", args=[campaign.pk]), issuer="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy ghi cơ quan ban hành văn bản." in html and "Lê Văn Cường" in html


def test_unknown_format_is_refused(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    response = post(client, reverse("documents:ranking", args=[campaign.pk]), fmt="exe")
    assert response.status_code == 400 and "Hãy chọn tải PDF hoặc Word (DOCX)." in response.content.decode()


def test_own_scorecard_pdf_has_chart_indicators_and_fixed_decimals(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    url = reverse("documents:scorecard", args=[campaign.pk, "so-a"])
    assert 'value="Sở Alpha"' in client.get(url).content.decode()  # the unit reports its own result
    response = post(client, url, title="Báo cáo", symbol="BC-SA")
    assert 'filename="phieu-diem-so-a-2024.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in ("BÁO CÁO", "Biểu đồ: tỷ lệ điểm đạt theo trụ cột", "Nhận thức số 30,00 91,67 91,67",
                     "1.2 Người đứng đầu chủ trì các cuộc họp về chuyển đổi số 10,00 7,50 7,50",
                     "Tổng điểm tự đánh giá: 47,50"):
        assert expected in text, expected


def test_scorecard_docx_reads_back(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    response = post(client, reverse("documents:scorecard", args=[campaign.pk, "so-a"]), fmt="docx")
    document = Document(io.BytesIO(response.content))
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert ["1.3", "Ban hành kế hoạch chuyển đổi số", "10,00", "10,00", "10,00"] in rows
    assert ["Nhận thức số", "30,00", "91,67", "91,67"] in rows


def test_other_units_unpublished_scorecard_document_is_not_found(client, users, campaign, b_published):
    client.force_login(users["reporter_b"])
    url = reverse("documents:scorecard", args=[campaign.pk, "so-a"])
    assert client.get(url).status_code == 404
    assert post(client, url).status_code == 404
    assert client.get(reverse("documents:scorecard", args=[campaign.pk, "so-b"])).status_code == 200


def test_stranger_cannot_reach_documents(client, users, campaign, submitted):
    client.force_login(users["nobody"])
    assert client.get(reverse("documents:ranking", args=[campaign.pk])).status_code == 404
