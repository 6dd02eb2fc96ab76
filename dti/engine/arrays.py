"""What every part of a scoring run shares: the statuses, an indicator's result, comparisons.

A leaf module (numpy only), so that the rule kinds, the run and the explanations can all use it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]

OK, NO_DATA, NO_CONTENT_S, EXEMPT_S, NOT_APPLICABLE, INVALID, VALUE_ONLY = range(7)
ZERO_DIVISION = 99  # transient, resolved by the rule's when_zero_denominator
STATUS_CODES = ["ok", "no_data", "no_content", "exempt", "not_applicable", "invalid", "value_only"]
STATUS_LABELS = {
    "ok": "Đã chấm",
    "no_data": "Không có dữ liệu",
    "no_content": "Không có nội dung",
    "exempt": "Miễn đánh giá",
    "not_applicable": "Không áp dụng",
    "invalid": "Dữ liệu không hợp lệ",
    "value_only": "Chỉ theo dõi",
}


@dataclass
class IndicatorResult:
    score: Array  # NaN where excluded or not scored
    max: Array  # the maximum the unit is assessed on; 0 where excluded
    status: Array  # int8 index into STATUS_CODES
    value: Array  # the measured value (ratio %, count, growth…), NaN if none
    detail: Any = field(default_factory=dict)  # a dict, or a batch's rows of one (a Mapping)
    # set by rules whose score is within [0, max] where the status is OK and NaN where the data
    # is missing: the policies then have less to do
    clean: bool = field(default=False, repr=False, compare=False)


def compare(op: str, values: Array, threshold: float) -> Array:
    """``values <op> threshold`` read as the document means it: 7/100 × 100 is 7%, not
    7.000000000000001%, so values within a relative 1e-9 of the threshold count as equal to it."""
    eps = 1e-9 * max(1.0, abs(threshold))
    with np.errstate(invalid="ignore"):
        if op == ">":
            return values > threshold + eps
        if op == ">=":
            return values >= threshold - eps
        if op == "<":
            return values < threshold - eps
        if op == "<=":
            return values <= threshold + eps
        return np.abs(values - threshold) <= eps


def clip_share(share: Array, maximum: Array) -> Array:
    """share kept within [0, 1] (NaN stays NaN), times the maximum; in place, ``share`` is a temporary."""
    np.minimum(share, 1.0, out=share)
    np.maximum(share, 0.0, out=share)
    return np.multiply(share, maximum, out=share)


def format_number(value: float, decimals: int = 2, *, lang: str = "vi", fixed: bool = False) -> str:
    """Vietnamese number format '1.234,5' (English with ``lang="en"``: '1,234.5'); trailing zeros
    dropped unless ``fixed`` (a column: '20,00' beside '24,17')."""
    if value is None or not np.isfinite(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    if "." in text and not fixed:
        text = text.rstrip("0").rstrip(".")
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_date(ordinal: float) -> str:
    return dt.date.fromordinal(int(ordinal)).strftime("%d/%m/%Y")
