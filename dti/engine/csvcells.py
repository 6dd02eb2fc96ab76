"""Cells for CSV files that people open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets skip before reading one of those) is run as a formula when the
file is opened: a unit's name such as ``=HYPERLINK(...)`` would become a live link, or
worse (OWASP "CSV injection").  Such a cell is written with a leading apostrophe, which
spreadsheets show as plain text.  Numbers are never touched: ``-3`` stays a number,
whether it arrives as a number or as the text of one.  Shared by the web export and the
``dti`` command line, so plain Python (no Django).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The text of a plain decimal number ("-3", "+2.5", "-1e-3"): read as a number, never run.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """The value as it may be written to a CSV cell: text that a spreadsheet would run as a
    formula gets a leading apostrophe; numbers and other text are unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in row]
