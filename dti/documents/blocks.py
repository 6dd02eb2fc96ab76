"""The body of a document as plain data, rendered the same way into PDF (HTML) and DOCX.

A feature builds ``[Heading(...), Paragraph(...), Table(...), Figure(...)]`` once and hands it to
``render_official_pdf`` and ``render_official_docx``; the two files then say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Heading:
    text: str


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    center: bool = False


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)    # column indexes aligned right
    strong: set[int] = field(default_factory=set)     # row indexes in bold (a pillar among its indicators)
    widths: list[float] | None = None                 # relative column widths
    caption: str = ""


@dataclass
class Figure:
    """A drawing (inline SVG, PDF only) followed by its data table, which both formats carry."""

    svg: str
    caption: str
    table: Table | None = None


Block = Heading | Paragraph | Table | Figure
