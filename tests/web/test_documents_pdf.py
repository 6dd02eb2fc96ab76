"""dti.documents: the administrative layout as PDF, read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import subprocess

from dti.documents.blocks import Figure, Heading, Paragraph, Table
from dti.documents.meta import DocumentMeta
from dti.documents.pdf import render_official_pdf
from dti.documents.svg import bar_chart


def pdf_text(data: bytes) -> str:
    """The PDF's text, pages separated by form feeds, each page's whitespace collapsed (names may wrap)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return "\f".join(" ".join(page.split()) for page in out.split("\f"))


def meta(**kw) -> DocumentMeta:
    values = dict(parent_issuer="UBND tỉnh Minh Hòa", issuer="Sở Thông tin và Truyền thông", title="Quyết định",
                  summary="Về việc công bố kết quả đánh giá", number="12", symbol="QĐ-STTTT", place="Minh Hòa",
                  date=dt.date(2026, 11, 29), recipients=["UBND tỉnh", "Lưu: VT"], signer_authority="KT. Giám đốc",
                  signer_title="Phó Giám đốc", signer_name="Nguyễn Văn Ánh")
    values.update(kw)
    return DocumentMeta(**values)


def test_pdf_has_national_header_number_date_and_signature():
    text = pdf_text(render_official_pdf(meta(), [Heading("Điều 1."), Paragraph("Công bố kết quả.")]))
    for expected in ("UBND TỈNH MINH HÒA", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 12/QĐ-STTTT", "Minh Hòa, ngày 29 tháng 11 năm 2026",
                     "QUYẾT ĐỊNH", "Về việc công bố kết quả đánh giá", "Điều 1.", "Công bố kết quả.",
                     "Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                     "(Ký, ghi rõ họ tên)", "Nguyễn Văn Ánh"):
        assert expected in text, expected


def test_empty_number_and_date_are_blanks_to_fill():
    text = pdf_text(render_official_pdf(meta(number="", date=None), []))
    assert "Số:" in text and "/QĐ-STTTT" in text and "Số: 12" not in text
    assert "Minh Hòa, ngày … tháng … năm …" in text


def test_date_has_leading_zeros_for_small_days_and_january_february():
    assert meta(date=dt.date(2026, 2, 5)).date_line == "Minh Hòa, ngày 05 tháng 02 năm 2026"
    assert meta(date=dt.date(2026, 3, 15)).date_line == "Minh Hòa, ngày 15 tháng 3 năm 2026"


def test_long_table_repeats_header_and_numbers_pages():
    rows = [[str(i), f"Đơn vị số {i}", "12,50"] for i in range(1, 80)]
    data = render_official_pdf(meta(), [Table(["STT", "Đơn vị", "Tổng điểm"], rows, numeric={2})])
    text = pdf_text(data)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert all("Tổng điểm" in p for p in pages if "Đơn vị số" in p)
    assert "Đơn vị số 79" in text


def test_figure_draws_svg_and_prints_its_data_table():
    svg = bar_chart(["Nhận thức số", "Thể chế số"], [("Kết quả đánh giá", [80.0, None])], title="Trụ cột")
    table = Table(["Trụ cột", "Tỷ lệ"], [["Nhận thức số", "80,00%"], ["Thể chế số", "—"]])
    text = pdf_text(render_official_pdf(meta(), [Figure(svg, "Biểu đồ trụ cột", table)]))
    assert "Biểu đồ trụ cột" in text and "80,0%" in text and "80,00%" in text


def test_markup_typed_by_users_is_text_and_fetches_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("BI MAT")
    evil = f'<img src="file://{secret}"><b>x</b>'
    text = pdf_text(render_official_pdf(meta(signer_name=evil), [Paragraph(evil)]))
    assert "<b>x</b>" in text and "BI MAT" not in text
