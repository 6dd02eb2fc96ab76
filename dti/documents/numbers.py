"""Points in official documents: always two decimals, Vietnamese separators (1.234,50)."""

from __future__ import annotations

import math


def points(value: float | None, decimals: int = 2) -> str:
    """'1.234,50'; '—' when absent. Fixed decimals (a table of results lines up), unlike the UI's ``num``."""
    if value is None:
        return "—"
    number = float(value)
    if not math.isfinite(number):
        return "—"
    text = f"{number:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
