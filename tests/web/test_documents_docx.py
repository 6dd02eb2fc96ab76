"""dti.documents: the same layout as an editable Word file, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from dti.documents.blocks import Figure, Heading, Paragraph, Table
from dti.documents.docx import render_docx
from dti.documents.meta import DocumentMeta


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_docx_has_header_title_table_recipients_and_signature():
    meta = DocumentMeta(parent_issuer="UBND tỉnh Minh Hòa", issuer="Sở Thông tin và Truyền thông", title="Báo cáo",
                        summary="Kết quả đánh giá", symbol="BC-STTTT", place="Minh Hòa", date=dt.date(2026, 11, 29),
                        recipients=["UBND tỉnh", "Lưu: VT"], signer_title="Giám đốc", signer_name="Trần Thị Bình")
    table = Table(["STT", "Đơn vị", "Tổng điểm"], [["1", "Sở Y tế", "1.234,50"]], numeric={2})
    data = render_docx(meta, [Heading("I. Kết quả"), Paragraph("Nội dung."), table,
                              Figure("<svg/>", "Biểu đồ", Table(["Trụ cột", "Tỷ lệ"], [["Nhận thức số", "80,00%"]]))])
    document = Document(io.BytesIO(data))
    text = all_text(document)
    for expected in ("UBND TỈNH MINH HÒA", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số:", "/BC-STTTT",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Minh Hòa, ngày 29 tháng 11 năm 2026", "BÁO CÁO", "I. Kết quả", "Nội dung.", "Nơi nhận:",
                     "- UBND tỉnh;", "- Lưu: VT.", "GIÁM ĐỐC", "(Ký, ghi rõ họ tên)", "Trần Thị Bình", "Biểu đồ"):
        assert expected in text, expected
    ranking = document.tables[1]
    assert [c.text for c in ranking.rows[0].cells] == ["STT", "Đơn vị", "Tổng điểm"]
    assert [c.text for c in ranking.rows[1].cells] == ["1", "Sở Y tế", "1.234,50"]
    assert [c.text for c in document.tables[2].rows[1].cells] == ["Nhận thức số", "80,00%"]
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
