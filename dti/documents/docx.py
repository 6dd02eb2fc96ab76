"""The same administrative document as an editable Word file (python-docx).

python-docx rather than docxtpl: our bodies are built from data (a ranking of any number of units,
pillars that differ per framework), and a .docx template would be a binary file nobody can review
in a diff. ``OfficialDocx`` gives the pieces (header table, title, paragraphs, a data table,
recipients and signature); ``render_docx`` assembles a whole document from ``blocks``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .blocks import Block, Figure, Heading, Paragraph, Table
from .meta import DocumentMeta

FONT = "Times New Roman"


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


class OfficialDocx:
    def __init__(self, meta: DocumentMeta, *, landscape: bool = False):
        self.meta = meta
        self.document = Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        style = self.document.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(13)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        style.paragraph_format.space_after = Pt(0)

    @property
    def width(self):
        section = self.document.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def _line(self, cell_or_doc, text: str, *, bold=False, italic=False, size: float | None = None,
              align=WD_ALIGN_PARAGRAPH.CENTER, first=False):
        paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    def header(self) -> None:
        """Issuing body and number (left), Quốc hiệu, tiêu ngữ, place and date (right)."""
        m = self.meta
        table = self.document.add_table(rows=1, cols=2)
        _no_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        left, right = table.rows[0].cells
        left.width, right.width = int(self.width * 0.4), int(self.width * 0.6)
        first = True
        if m.parent_issuer:
            self._line(left, m.parent_issuer.upper(), size=12, first=True)
            first = False
        self._line(left, m.issuer.upper(), bold=True, size=12, first=first)
        self._line(left, "―――――", size=8)
        self._line(left, m.number_line)
        self._line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, first=True)
        self._line(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
        self._line(right, "――――――――――", size=8)
        self._line(right, m.date_line, italic=True)

    def title(self) -> None:
        paragraph = self._line(self.document, self.meta.title.upper(), bold=True, size=14)
        paragraph.paragraph_format.space_before = Pt(18)
        if self.meta.summary:
            summary = self._line(self.document, self.meta.summary, bold=True)
            summary.paragraph_format.space_after = Pt(12)

    def heading(self, text: str) -> None:
        paragraph = self._line(self.document, text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.space_before = Pt(12)
        paragraph.paragraph_format.space_after = Pt(4)
        paragraph.paragraph_format.keep_with_next = True

    def paragraph(self, text: str, *, bold=False, italic=False, center=False) -> None:
        paragraph = self._line(self.document, text, bold=bold, italic=italic,
                               align=WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY)
        if not center:
            paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)

    def table(self, data: Table) -> None:
        if data.caption:
            self.heading(data.caption)
        table = self.document.add_table(rows=1, cols=len(data.headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, data.headers, strict=True):
            self._line(cell, text, bold=True, size=11, first=True)
        _repeat_header(table.rows[0])
        for index, row in enumerate(data.rows):
            cells = table.add_row().cells
            for column, (cell, text) in enumerate(zip(cells, row, strict=True)):
                align = WD_ALIGN_PARAGRAPH.RIGHT if column in data.numeric else WD_ALIGN_PARAGRAPH.LEFT
                self._line(cell, str(text), bold=index in data.strong, size=11, align=align, first=True)
        if data.widths:
            total = sum(data.widths) or 1
            for column, w in zip(table.columns, data.widths, strict=True):
                for cell in column.cells:
                    cell.width = int(self.width * w / total)
        self.document.add_paragraph().paragraph_format.space_after = Pt(6)

    def closing(self) -> None:
        """'Nơi nhận:' and its list (left), the signature block (right)."""
        m = self.meta
        table = self.document.add_table(rows=1, cols=2)
        _no_borders(table)
        left, right = table.rows[0].cells
        left.width, right.width = int(self.width * 0.45), int(self.width * 0.55)
        if m.recipients:
            self._line(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
            for i, r in enumerate(m.recipients):
                end = "." if i == len(m.recipients) - 1 else ";"
                self._line(left, f"- {r}{end}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
        first = True
        if m.signer_authority:
            self._line(right, m.signer_authority.upper(), bold=True, first=True)
            first = False
        self._line(right, m.signer_title.upper(), bold=True, first=first)
        self._line(right, "(Ký, ghi rõ họ tên)", italic=True)
        for _ in range(4):
            self._line(right, "")
        self._line(right, m.signer_name, bold=True)

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(block.text)
        elif isinstance(block, Paragraph):
            self.paragraph(block.text, bold=block.bold, italic=block.italic, center=block.center)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):  # Word gets the figure's data table (the drawing is in the PDF)
            if block.table is not None:
                self.table(Table(**{**block.table.__dict__, "caption": block.table.caption or block.caption}))

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def render_docx(meta: DocumentMeta, blocks: Sequence[Block] = (), *, landscape: bool = False,
                body: Callable[[OfficialDocx], None] | None = None) -> bytes:
    """A whole document: header, title, ``blocks`` (or ``body(doc)`` for custom pieces), closing."""
    doc = OfficialDocx(meta, landscape=landscape)
    doc.header()
    doc.title()
    for block in blocks:
        doc.block(block)
    if body is not None:
        body(doc)
    doc.closing()
    return doc.to_bytes()


render_official_docx = render_docx
