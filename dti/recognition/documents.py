"""The recognition decision and the year's report as documents, on the shared ``dti.documents``
layout (Nghị định 30): the same blocks give the DOCX and the PDF; the report also as XLSX."""

from __future__ import annotations

import io
import re

from dti.documents.blocks import Block, Heading, Paragraph, Table
from dti.documents.docx import render_docx
from dti.documents.meta import DocumentMeta
from dti.documents.pdf import render_official_pdf
from dti.methodologies.selectors import compiled_for

from .models import Decision
from .selectors import decision_lines

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _level_words(decision: Decision) -> str:
    if not decision.level:
        return "cấp huyện, cấp xã"
    names = {lv.code: lv.name for lv in compiled_for(decision.campaign.framework).framework.levels}
    return names.get(decision.level, decision.level).lower()


def decision_meta(decision: Decision) -> DocumentMeta:
    campaign = decision.campaign
    # "Ủy ban nhân dân huyện Đăk Sao" → "Đăk Sao" (địa danh of the date line)
    place = re.sub(r"^(Ủy ban nhân dân|UBND)\s*(tỉnh|huyện|thành phố|thị xã|quận|xã|phường|thị trấn)?\s*", "",
                   decision.issuer.strip(), flags=re.IGNORECASE)
    return DocumentMeta(
        issuer=decision.issuer.upper(), title="QUYẾT ĐỊNH",
        summary=f"Về việc công nhận mức độ chuyển đổi số {_level_words(decision)} năm {campaign.year}",
        number=decision.number, symbol="" if "/" in decision.number else "QĐ-UBND", place=place,
        date=decision.signed_on, recipients=["Như Điều 3", "Lưu: VT"],
        signer_authority="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH", signer_name=decision.signer,
    )


def decision_blocks(decision: Decision) -> list[Block]:
    campaign = decision.campaign
    source = compiled_for(campaign.framework).framework.source
    basis = f"Quyết định số {source.document}"
    if source.date:
        basis += f" ngày {source.date:%d/%m/%Y}"
    if source.issuer:
        basis += f" của {source.issuer}"
    lines = decision_lines(decision)
    title = re.sub(r"^ban hành\s+", "", source.title or "Bộ tiêu chí đánh giá mức độ chuyển đổi số", flags=re.IGNORECASE)
    return [
        Paragraph(f"{decision.issuer.upper()}", bold=True, center=True),
        Paragraph(f"Căn cứ {basis} ban hành {title};",
                  italic=True),
        Paragraph("Căn cứ kết quả thẩm định của Hội đồng thẩm định mức độ chuyển đổi số năm "
                  f"{campaign.year};", italic=True),
        Paragraph("QUYẾT ĐỊNH:", bold=True, center=True),
        Paragraph(f"Điều 1. Công nhận mức độ chuyển đổi số năm {campaign.year} đối với {len(lines)} đơn vị "
                  "(danh sách kèm theo)."),
        Table(["STT", "Đơn vị", "Mức độ chuyển đổi số được công nhận"],
              [[str(i), line.unit.name, line.level_label] for i, line in enumerate(lines, 1)],
              numeric={0}, widths=[1, 6, 4]),
        Paragraph("Điều 2. Quyết định này có hiệu lực kể từ ngày ký."),
        Paragraph("Điều 3. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan và các đơn vị có tên tại "
                  "Điều 1 chịu trách nhiệm thi hành Quyết định này./."),
    ]


def decision_docx(decision: Decision) -> bytes:
    return render_docx(decision_meta(decision), decision_blocks(decision))


def decision_pdf(decision: Decision) -> bytes:
    return render_official_pdf(decision_meta(decision), decision_blocks(decision))


# ----------------------------------------------------------------- report


def _lv(value) -> str:
    return "" if value is None else str(value)


def report_blocks(r: dict) -> list[Block]:
    campaign = r["campaign"]
    levels = r["levels"]
    basis = ("theo các quyết định công nhận đã ban hành" if r["basis"] == "published"
             else "theo kết luận của Hội đồng thẩm định (chưa có quyết định công nhận)")
    blocks: list[Block] = [
        Paragraph(f"Năm {campaign.year}: {r['units']} đơn vị tham gia, {r['registered']} đơn vị đăng ký mức độ, "
                  f"{r['recognised']} đơn vị được công nhận ({basis}); {r['reached']} đơn vị đạt mức đã đăng ký."),
        Heading("1. Số đơn vị theo mức độ"),
        Table(["Mức độ", "Đăng ký", "Được công nhận"] + (["Năm trước"] if r["has_previous"] else []),
              [[f"{row['level']} - {row['name']}", str(row["registered"]), str(row["recognised"])]
               + ([str(row["previous"])] if r["has_previous"] else []) for row in r["by_level"]],
              numeric={1, 2, 3}),
        Heading("2. Số đơn vị được công nhận theo huyện"),
        Table(["Huyện", "Số đơn vị", "Đăng ký", "Được công nhận"] + [f"Mức {lv}" for lv, _n in levels],
              [[d["unit"].name, str(d["units"]), str(d["registered"]), str(d["recognised"])]
               + [str(c) for c in d["counts"]] for d in r["districts"]],
              numeric=set(range(1, 4 + len(levels)))),
        Heading("3. Danh sách đơn vị"),
        Table(["Đơn vị", "Huyện", "Mức đăng ký", "Mức được công nhận", "Năm trước"],
              [[row["unit"].name, row["district"].name, _lv(row["registered"]), _lv(row["recognised"]),
                _lv(row["previous"])] for row in r["rows"]], numeric={2, 3, 4}),
    ]
    return blocks


def report_meta(r: dict) -> DocumentMeta:
    campaign = r["campaign"]
    lead = campaign.lead_unit
    return DocumentMeta(issuer=(lead.name if lead else "").upper(), title="BÁO CÁO",
                        summary=f"Kết quả đánh giá, công nhận mức độ chuyển đổi số cấp huyện, cấp xã năm {campaign.year}",
                        recipients=["Bộ Khoa học và Công nghệ", "Lưu: VT"], signer_title="GIÁM ĐỐC")


def report_docx(r: dict) -> bytes:
    return render_docx(report_meta(r), report_blocks(r), landscape=True)


def report_xlsx(r: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Theo mức độ"
    bold = Font(bold=True)
    sheet.append([f"Kết quả công nhận mức độ chuyển đổi số năm {r['campaign'].year}"])
    sheet["A1"].font = bold
    header = ["Mức độ", "Đăng ký", "Được công nhận"] + (["Năm trước"] if r["has_previous"] else [])
    sheet.append(header)
    for row in r["by_level"]:
        sheet.append([f"{row['level']} - {row['name']}", row["registered"], row["recognised"]]
                     + ([row["previous"]] if r["has_previous"] else []))
    sheet.append(["Tổng", r["registered"], r["recognised"]])
    districts = book.create_sheet("Theo huyện")
    districts.append(["Huyện", "Số đơn vị", "Đăng ký", "Được công nhận"] + [f"Mức {lv}" for lv, _n in r["levels"]])
    for d in r["districts"]:
        districts.append([d["unit"].name, d["units"], d["registered"], d["recognised"], *d["counts"]])
    units = book.create_sheet("Đơn vị")
    units.append(["Mã", "Đơn vị", "Huyện", "Mức đăng ký", "Mức được công nhận", "Đạt mức đăng ký", "Năm trước"])
    for row in r["rows"]:
        units.append([row["unit"].code, row["unit"].name, row["district"].name, row["registered"], row["recognised"],
                      "có" if row["reached"] else "không", row["previous"]])
    for ws in (sheet, districts, units):
        for cell in ws[2 if ws is sheet else 1]:
            cell.font = bold
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 30 if ws is units else 12
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
