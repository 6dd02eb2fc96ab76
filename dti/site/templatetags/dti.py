"""Template helpers: locale-aware numbers ('1.234,5' in Vietnamese), dict lookups."""

from __future__ import annotations

import math

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def num(value, decimals: int = 2):
    """A number rounded to ``decimals`` places, trailing zeros dropped, localised; '—' when absent."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if not math.isfinite(number):
        return "—"
    number = round(number, int(decimals))
    places = 0
    for places in range(int(decimals) + 1):
        if abs(round(number, places) - number) < 1e-9:
            break
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


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
