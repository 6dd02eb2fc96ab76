"""Cells for workbooks people open: text never runs as a formula, numbers stay numbers.

Plain Python + openpyxl (no Django): the ``dti`` command and the web application share it.
"""

from __future__ import annotations

import re
import unicodedata
from copy import copy
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection

# Excel stores format codes with ',' for thousands and '.' for decimals whatever the locale;
# a Vietnamese-locale Excel shows '#,##0.00' as 1.234,50.
NUMBER_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
PILLAR_FILL = PatternFill("solid", fgColor="C9D7EA")
GROUP_FILL = PatternFill("solid", fgColor="EEF2F7")
INPUT_FILL = PatternFill("solid", fgColor="FFF7CC")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def _style(sheet, made: Any, style: dict[str, Any]) -> None:
    """Give ``made`` the style ``style``, looked up once per workbook: a bulk workbook has
    hundreds of thousands of cells in a handful of looks, and each lookup hashes style objects."""
    if not style:
        return
    cache = sheet.parent.__dict__.setdefault("_dti_styles", {})
    # style objects are this module's constants (alive as long as the process); formats are text;
    # keyword order is fixed at each call site, so no sorting
    key = tuple((name, value if isinstance(value, str) else id(value)) for name, value in style.items())
    found = cache.get(key)
    if found is None:
        for name, value in style.items():
            setattr(made, name, value)
        cache[key] = copy(made._style)
    else:
        made._style = copy(found)


def text_cell(sheet, value: object, **style) -> Any:
    """A cell holding ``value`` as text: '=HYPERLINK(…)' typed into a unit's name or a value is
    stored as a string, so Excel shows it and never evaluates it (openpyxl would otherwise
    write any text starting with '=' as a formula)."""
    made = WriteOnlyCell(sheet, value=None if value is None else str(value))
    if value is not None:
        made.data_type = "s"
    _style(sheet, made, style)
    return made


def cell(sheet, value: Any, **style) -> Any:
    """A cell for a number or date (text goes through ``text_cell``)."""
    if isinstance(value, str):
        return text_cell(sheet, value, **style)
    made = WriteOnlyCell(sheet, value=value)
    _style(sheet, made, style)
    return made


def landscape(sheet) -> None:
    """Print across the page's width, landscape (a table as wide as a decision's annex)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def slug(text: str) -> str:
    """ASCII file-name part: 'Sở, ban, ngành' → 'so-ban-nganh'."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "bang"


_SHEET_BAD = re.compile(r"[\[\]:*?/\\']")


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet title (at most 31 characters, none of []:*?/\\')."""
    base = _SHEET_BAD.sub("-", text).strip() or "Trang"
    title, n = base[:31], 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def column_letter(index: int) -> str:
    """1 → 'A', 27 → 'AA'."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
