"""Filling and spoiling entry workbooks the way people (and their tools) do, with openpyxl."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

FIRST_VALUE_COLUMN = 6


def where(book) -> tuple[list[str], dict[str, tuple[str, int]]]:
    """(unit codes, field -> (sheet, row)) as the template's hidden sheet records them."""
    rows = list(book["_dti"].iter_rows(min_row=2, values_only=True))
    units = [r[1] for r in rows if r[0] == "unit"]
    found = {r[1]: (r[2], int(r[3])) for r in rows if r[0] == "field"}
    return units, found


def cell_of(content: bytes, unit: str, name: str) -> str:
    """'Trụ cột 1!F5': the cell of ``unit``'s value for field ``name``."""
    book = load_workbook(io.BytesIO(content))
    units, found = where(book)
    sheet, row = found[name]
    column = FIRST_VALUE_COLUMN + units.index(unit)
    return f"{sheet}!{book[sheet].cell(row, column).column_letter}{row}"


def fill(content: bytes, values: dict[tuple[str, str], object], *, change=None) -> bytes:
    """The workbook with ``values`` ((unit, field) → cell value) typed in; ``change(book)`` for more."""
    book = load_workbook(io.BytesIO(content))
    units, found = where(book)
    for (unit, name), value in values.items():
        sheet, row = found[name]
        book[sheet].cell(row, FIRST_VALUE_COLUMN + units.index(unit)).value = value
    if change is not None:
        change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_rows(content: bytes, sheet_name: str, extra: int) -> bytes:
    """The workbook rebuilt in write-only mode (cheap) with ``extra`` rows of text below ``sheet_name``'s table."""
    source = load_workbook(io.BytesIO(content))
    out = Workbook(write_only=True)
    for sheet in source.worksheets:
        copy = out.create_sheet(sheet.title)
        copy.sheet_state = sheet.sheet_state
        for row in sheet.iter_rows(values_only=True):
            copy.append(list(row))
        if sheet.title == sheet_name:
            for number in range(extra):
                copy.append([f"dòng thừa {number}"])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
