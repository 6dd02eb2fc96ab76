"""Template helpers: locale-aware numbers ('1.234,5' in Vietnamese), dict lookups."""

from __future__ import annotations

import math

from django import template
from django.utils import formats, translation

register = template.Library()

_separators: dict[str, tuple[str, str]] = {}


def separators() -> tuple[str, str]:
    """(decimal mark, thousands separator) of the active language, looked up once per language."""
    language = translation.get_language() or "vi"
    found = _separators.get(language)
    if found is None:
        found = (formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR"))
        _separators[language] = found
    return found


def format_num(value, decimals: int = 2, *, fixed: bool = False) -> str:
    """The number in the active language's format; ``fixed`` keeps ``decimals`` places (a column
    reads 20,00 / 24,17), otherwise trailing zeros are dropped (20 / 24,17)."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return "—"
    text = f"{number:,.{int(decimals)}f}"
    if "." in text and not fixed:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0.,"):  # -0, -0.00: no sign on zero
        text = text[1:]
    decimal, thousands = separators()
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


@register.filter
def num(value, decimals: int = 2):
    """A number rounded to ``decimals`` places, trailing zeros dropped, localised; '—' when absent."""
    return format_num(value, decimals)


@register.filter
def num_fixed(value, decimals: int = 2):
    """A number with exactly ``decimals`` places, localised, for a column of figures: '20,00' above
    '24,17' ('20.00' in English); '—' when absent."""
    return format_num(value, decimals, fixed=True)


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def plain(value):
    """An integer without thousands separators (years, ids)."""
    return "" if value is None else str(value)


@register.filter
def said(problem):
    """An engine Problem's message in the active language (engine messages carry vi and en)."""
    text = getattr(problem, "text", None)
    return text(translation.get_language() or "vi") if callable(text) else str(problem)


_PILLAR_PREFIXES = ("Hoạt động ",)


@register.filter
def pillar_short(name) -> str:
    """A pillar's name short enough for a narrow column header ('Hoạt động chính quyền số' →
    'Chính quyền số'); the full name goes in the header's title."""
    text = str(name or "").strip()
    for prefix in _PILLAR_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            rest = text[len(prefix):]
            text = rest[0].upper() + rest[1:]
            break
    return text
