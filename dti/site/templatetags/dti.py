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


def format_num(value, decimals: int = 2) -> str:
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return "—"
    text = f"{number:,.{int(decimals)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0."):
        text = "0"
    decimal, thousands = separators()
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


@register.filter
def num(value, decimals: int = 2):
    """A number rounded to ``decimals`` places, trailing zeros dropped, localised; '—' when absent."""
    return format_num(value, decimals)


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
