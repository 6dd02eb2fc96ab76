"""Short Vietnamese explanations of each score: 'a = 1, b = 3, tỷ lệ = 33,33% → 3,33/10 điểm'.

Built on demand for one unit and one indicator, from the arrays a run kept.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .data import format_date, format_number
from .model import (
    ChoiceRule,
    CountRule,
    DateRule,
    GrowthRule,
    KpiRule,
    ManualRule,
    PartsRule,
    RatioRule,
    RelativeRule,
    StepsRule,
    YesNoRule,
)

if TYPE_CHECKING:
    from .scoring import ScoreResult

_STATUS_TEXT = {
    "no_data": "không có dữ liệu",
    "invalid": "dữ liệu không hợp lệ",
    "no_content": "không có nội dung này",
    "exempt": "được miễn đánh giá",
    "not_applicable": "không áp dụng",
}


_DECLARED_TEXT = {"no_content": "Đơn vị không có nội dung này", "exempt": "Đơn vị được miễn đánh giá"}


def _n(value: float) -> str:
    return format_number(value)


def _points(score: float, maximum: float) -> str:
    return f"{_n(score)}/{_n(maximum)} điểm"


def _inputs(result: ScoreResult, code: str, position: int, names) -> str:
    node = result.compiled.nodes[code]
    parts = []
    for name in names:
        field = result.compiled.fields.get(node.field_name(name))
        values = result.data.values.get(node.field_name(name))
        value = values[position] if values is not None else np.nan
        if field is not None and field.type == "date" and np.isfinite(value):
            shown = format_date(value)
        elif field is not None and field.type == "yes_no" and np.isfinite(value):
            shown = "Có" if value == 1 else "Không"
        elif field is not None and field.type == "choice" and np.isfinite(value):
            shown = field.spec.options[int(value)].label
        else:
            # as entered: rounding 1,999 to "2" would contradict a '>= 2' band
            shown = format_number(value, decimals=6) if np.isfinite(value) else "chưa nhập"
        if field is not None and field.type in ("yes_no", "choice", "date") and len(names) == 1:
            parts.append(f"{field.label}: {shown}")  # a lone non-numeric input reads better by its label
        else:
            parts.append(f"{name} = {shown}")
    return ", ".join(parts)


def _as_compared(value: float, conditions: list[tuple[str, float]]) -> tuple[float, int]:
    """The value and decimals to show so that it compares with every threshold as the exact value
    does: 2 decimals when that is enough, up to 6, else cut towards the exact value."""
    from .scoring import _OPS

    for decimals in range(2, 7):
        if all(_OPS[op](round(value, decimals), t) == _OPS[op](value, t) for op, t in conditions):
            return value, decimals
    cut = math.floor(value * 1e6) if round(value, 6) > value else math.ceil(value * 1e6)
    return cut / 1e6, 6


def _value(rule, value: float, unit: str | None = None, decimals: int = 2) -> str:
    if getattr(rule, "percent", False):
        return f"{format_number(value, decimals)}%"
    return f"{format_number(value, decimals)}{' ' + unit if unit and unit != '%' else '%' if unit == '%' else ''}"


def explain(result: ScoreResult, code: str, position: int) -> str:
    from .scoring import STATUS_CODES

    node = result.compiled.nodes[code]
    outcome = result.indicators[code]
    status = STATUS_CODES[outcome.status[position]]
    score, maximum = outcome.score[position], outcome.max[position]
    scored = result.compiled.framework.scored
    if not node.is_leaf:
        if status == "not_applicable":
            return "Không áp dụng cho cấp này"
        if not scored:
            return "Nhóm chỉ tiêu"
        if not np.isfinite(score):
            return f"Tổng các chỉ số thành phần: {_STATUS_TEXT.get(status, status)}"
        return f"Tổng các chỉ số thành phần → {_points(score, maximum)}"
    if status == "not_applicable" and not _level_has_indicator(result, code, position):
        return "Không áp dụng cho cấp này"
    indicator = node.indicator
    if indicator.maturity is not None:
        return _explain_criterion(result, code, position, status)
    rule = indicator.rule
    detail = _describe(result, code, position, rule, outcome, node, status)
    if isinstance(rule, KpiRule) or not scored:
        return detail
    policies = result.compiled.framework.policies
    if status in ("no_data", "invalid"):
        tail = "không tính vào tổng" if policies.missing_data == "exclude" else f"mặc định {_points(0, maximum)}"
        return f"{detail} → {_STATUS_TEXT[status]}, {tail}"
    if status in ("no_content", "exempt"):
        if np.isfinite(score):
            return f"{_DECLARED_TEXT[status]} → {_points(score, maximum)}"
        return f"{_DECLARED_TEXT[status]} → không tính vào tổng điểm tối đa"
    if status == "not_applicable":
        return f"{detail} → không áp dụng, không tính vào tổng"
    capped = ""
    raw = outcome.detail.get("sum")
    if raw is not None and raw[position] > maximum + 1e-9:
        capped = f" (tổng các phần {_n(raw[position])} vượt tối đa, tính {_n(maximum)})"
    return f"{detail} → {_points(score, maximum)}{capped}"


def _level_has_indicator(result: ScoreResult, code: str, position: int) -> bool:
    """False when the unit's level lacks the indicator; True means not_applicable came from its data."""
    node = result.compiled.nodes[code]
    level = result.data.units[position].level
    return level in node.levels


def _describe(result, code, position, rule, outcome, node, status) -> str:
    value = outcome.value[position]
    unit = node.indicator.unit
    if isinstance(rule, ChoiceRule):
        return _inputs(result, code, position, [rule.field])
    if isinstance(rule, YesNoRule):
        return _inputs(result, code, position, [rule.field])
    if isinstance(rule, ManualRule):
        return f"điểm thẩm định: {_inputs(result, code, position, [rule.field])}"
    if isinstance(rule, DateRule):
        text = _inputs(result, code, position, [rule.field])
        matched = outcome.detail.get("matched")
        if matched is not None and np.isfinite(value):
            index = matched[position]
            if index == -2:
                text += f" (trước ngày {rule.since} của năm đánh giá)"
            elif index >= 0:
                text += f" (trước hạn {rule.steps[index].by})"
            else:
                text += f" (sau hạn {rule.steps[-1].by})"
        return text
    if isinstance(rule, PartsRule):
        pieces = []
        for part, sub in zip(rule.parts, outcome.detail.get("parts", [])):
            pieces.append(f"{part.label}: {_n(sub.score[position])}/{_n(sub.max[position])}")
        return "; ".join(pieces)
    expression = node.expressions.get("rule")
    names = expression.variables if expression is not None else []
    text = _inputs(result, code, position, names)
    zero = bool(expression is not None and expression.has_division and status in ("no_data", "not_applicable")
                and all(np.isfinite(result.data.values.get(node.field_name(n), [np.nan] * (position + 1))[position])
                        for n in names))
    if zero:
        return f"{text}: mẫu số bằng 0, không tính được giá trị"
    zero_scored = outcome.detail.get("zero")
    if zero_scored is not None and zero_scored[position]:
        how = "tính điểm tối đa" if rule.when_zero_denominator == "full" else "tính 0 điểm"
        return f"{text}: mẫu số bằng 0, theo phương pháp {how}"
    if not np.isfinite(value) and not isinstance(rule, GrowthRule):
        return text or "chưa nhập"
    if len(names) == 1 and expression.source.strip() == names[0]:
        field = result.compiled.fields.get(node.field_name(names[0]))
        if field is not None and field.type in ("yes_no", "choice", "date"):
            return text  # the value is the answer itself: 'Có', a date, an option
    label = "tỷ lệ" if getattr(rule, "percent", False) else "giá trị"
    decimals = 2
    if isinstance(rule, StepsRule):  # 2,9999% must not read "3%" next to "không đạt mức nào"
        value, decimals = _as_compared(value, [(step.op, step.threshold) for step in rule.steps])
    said = _value(rule, value, unit, decimals)
    shown = f"{text}, {label} = {said}" if text else f"{label} = {said}"
    if isinstance(rule, RatioRule):
        target = rule.effective_target
        if rule.direction == "lower":
            return f"{shown} (càng thấp càng tốt; tối đa khi ≤ {_n(target)}%)"
        if target != 100:
            return f"{shown} (đạt tối đa khi ≥ {_n(target)}{'%' if rule.percent else ''})"
        return shown
    if isinstance(rule, StepsRule):
        matched = outcome.detail["matched"][position]
        return f"{shown}, mức {rule.steps[matched].when}" if matched >= 0 else f"{shown}, không đạt mức nào"
    if isinstance(rule, CountRule):
        if rule.per_item is not None:
            return f"{shown} × {_n(rule.per_item)} điểm/mục"
        return f"{shown} (cần tối thiểu {_n(rule.minimum)})"
    if isinstance(rule, RelativeRule):
        best = outcome.detail["best"][position]
        worst = outcome.detail["worst"][position]
        how = "Min-Max" if rule.method == "min_max" else "so với đơn vị cao nhất"
        return f"{shown}; tốt nhất nhóm = {_value(rule, best, unit)}, kém nhất = {_value(rule, worst, unit)} ({how})"
    if isinstance(rule, GrowthRule):
        current = outcome.detail["current"][position]
        previous = outcome.detail["previous"][position]
        if outcome.detail["no_previous"][position]:
            return f"{text}, kỳ này = {_value(rule, current, unit)}, không có số liệu kỳ trước"
        if not np.isfinite(value):
            return f"{text}, kỳ trước = 0: không tính được tăng trưởng"
        return (f"{text}, kỳ này = {_value(rule, current, unit)}, kỳ trước = {_value(rule, previous, unit)}, "
                f"tăng trưởng = {_n(value)}%")
    if isinstance(rule, KpiRule):
        return shown
    return shown


def _explain_criterion(result, code, position, status) -> str:
    node = result.compiled.nodes[code]
    outcome = result.indicators[code]
    names = result.compiled.framework.maturity_levels or []
    level = int(outcome.detail["level"][position])
    maturity = node.indicator.maturity
    if maturity.children is not None:
        count = int(outcome.detail["children"][position])
        if count == 0:
            return "Không có đơn vị cấp xã trực thuộc trong đợt đánh giá → không xác định được"
        prefix = f"{count} đơn vị trực thuộc"
    elif status in ("no_data", "invalid"):
        return f"{_STATUS_TEXT[status]} → không đạt mức nào"
    elif maturity.value is not None:
        expression = node.expressions["maturity"]
        from .scoring import _when

        steps = [_when(c.when) for c in maturity.levels or [] if c is not None and c.when]
        value, decimals = _as_compared(outcome.value[position], [(step.op, step.threshold) for step in steps])
        shown = _value(maturity, value, node.indicator.unit, decimals)
        prefix = f"{_inputs(result, code, position, expression.variables)}, giá trị = {shown}"
    else:
        prefix = _inputs(result, code, position, [maturity.field])
    if level == 0:
        return f"{prefix} → chưa đạt ngưỡng mức nào"
    name = next((m.name for m in names if m.level == level), "")
    return f"{prefix} → đạt ngưỡng mức {level} ({name})"
