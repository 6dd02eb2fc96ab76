"""CSV cells a spreadsheet would run as formulas are written as text; numbers stay numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dti.engine.csvcells import FORMULA_STARTS, safe_cell, safe_row


@pytest.mark.parametrize("text", ["=1+1", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1",
                                  "=HYPERLINK(\"http://x\",\"Sở A\")", "-Sở Tài chính", "-", "+", "-inf", "-1e5x"])
def test_text_starting_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "+2.5", "-0,75", "-1e-3", ".5", "12", "Sở A", "", "50%", "a=b", "so-a"])
def test_numbers_and_ordinary_text_are_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [-3, -2.5, 0, None, 1.0])
def test_non_text_values_are_unchanged(value):
    assert safe_cell(value) is value


def test_safe_row_keeps_order_and_length():
    assert safe_row(["=x", -1, "-1", "ok"]) == ["'=x", -1, "-1", "ok"]


@given(st.text())
def test_no_written_cell_starts_with_a_formula_character_unless_it_is_a_number(text):
    written = safe_cell(text)
    if written.startswith(FORMULA_STARTS):
        float(written.replace(",", "."))  # only the text of a number may keep its sign
    else:
        assert written == text or written == "'" + text

