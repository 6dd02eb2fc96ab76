"""The metadata of an administrative document, and its header lines as Nghị định 30/2020 writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Blanks the agency fills by hand when number or date are left empty (the clerk numbers at issue).
NUMBER_BLANK = "\u00a0" * 6
DATE_BLANK = "…"


@dataclass
class DocumentMeta:
    issuer: str                      # cơ quan ban hành, e.g. "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    title: str                       # tên loại văn bản, e.g. "QUYẾT ĐỊNH", "BÁO CÁO"
    summary: str = ""                # trích yếu: "Về việc công bố kết quả …"
    parent_issuer: str = ""          # cơ quan chủ quản, e.g. "UBND TỈNH MINH HÒA"
    number: str = ""                 # số, empty = left blank
    symbol: str = ""                 # ký hiệu, e.g. "QĐ-UBND"
    place: str = ""                  # địa danh, e.g. "Minh Hòa"
    date: dt.date | None = None      # empty = "ngày … tháng … năm …"
    recipients: list[str] = field(default_factory=list)
    signer_authority: str = ""       # quyền hạn ký: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"
    signer_title: str = ""           # chức vụ: "PHÓ GIÁM ĐỐC"
    signer_name: str = ""

    @property
    def number_line(self) -> str:
        """'Số: 12/QĐ-UBND', or 'Số:      /QĐ-UBND' to be filled at issue."""
        number = self.number.strip() or NUMBER_BLANK
        return f"Số: {number}/{self.symbol}" if self.symbol else f"Số: {number}"

    @property
    def date_line(self) -> str:
        """'Minh Hòa, ngày 05 tháng 01 năm 2026' (a zero before days < 10 and months 1, 2, as NĐ 30 asks)."""
        if self.date is None:
            text = f"ngày {DATE_BLANK} tháng {DATE_BLANK} năm {DATE_BLANK}"
        else:
            day = f"{self.date.day:02d}"
            month = f"{self.date.month:02d}" if self.date.month < 3 else str(self.date.month)
            text = f"ngày {day} tháng {month} năm {self.date.year}"
        return f"{self.place}, {text}" if self.place else text.capitalize()
