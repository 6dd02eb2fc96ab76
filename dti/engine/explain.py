"""Short Vietnamese explanations of each score: 'a = 1, b = 3, tỷ lệ = 33,33% → 3,33/10 điểm'.

Built on demand for one unit and one indicator, from the arrays a run kept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .arrays import STATUS_CODES, IndicatorResult, compare, format_date, format_number
from .rules import kind_of
from .rules.base import parse_when

if TYPE_CHECKING:
    from .compiled import Node
    from .rules.base import RuleModel
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


def _inputs(result: ScoreResult, code: str, position: int, names: Sequence[str]) -> str:
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
            shown = (field.spec.options or [])[int(value)].label
        else:
            # as entered: rounding 1,999 to "2" would contradict a '>= 2' band
            shown = format_number(value, decimals=6) if np.isfinite(value) else "chưa nhập"
        if field is not None and field.type in ("yes_no", "choice", "date") and len(names) == 1:
            parts.append(f"{field.label}: {shown}")  # a lone non-numeric input reads better by its label
        else:
            parts.append(f"{name} = {shown}")
    return ", ".join(parts)


def _as_compared(value: float, conditions: Sequence[tuple[str, float]]) -> tuple[float, int]:
    """The value and decimals to show so that it compares with every threshold as the exact value
    does: 2 decimals when that is enough, up to 6, else cut towards the exact value."""
    for decimals in range(2, 7):
        shown, exact = np.array([round(value, decimals)]), np.array([value])
        if all(compare(op, shown, t)[0] == compare(op, exact, t)[0] for op, t in conditions):
            return value, decimals
    cut = math.floor(value * 1e6) if round(value, 6) > value else math.ceil(value * 1e6)
    return cut / 1e6, 6


def _value(rule: object, value: float, unit: str | None = None, thresholds: Sequence[tuple[str, float]] = ()) -> str:
    """The value as shown; near a threshold with the decimals its comparison needs (2,9999% is not
    '3%' beside 'không đạt mức nào')."""
    value, decimals = _as_compared(value, thresholds) if np.isfinite(value) else (value, 2)
    if getattr(rule, "percent", False):
        return f"{format_number(value, decimals)}%"
    return f"{format_number(value, decimals)}{' ' + unit if unit and unit != '%' else '%' if unit == '%' else ''}"


class Said(NamedTuple):
    """The shared start of a measured rule's explanation: ``final`` when nothing more is to be said."""

    final: str | None
    text: str  # the inputs as given: 'a = 1, b = 3'
    shown: str  # with the value: 'a = 1, b = 3, tỷ lệ = 33,33%'


@dataclass
class Explaining:
    """One unit's result for one rule: what a rule kind's ``describe`` reads."""

    result: ScoreResult
    code: str
    position: int
    outcome: IndicatorResult
    status: str
    path: str = "rule"  # where the rule's expressions are kept in the node

    @cached_property
    def node(self) -> Node:
        return self.result.compiled.nodes[self.code]

    @property
    def value(self) -> float:
        return float(self.outcome.value[self.position])

    def detail(self, key: str) -> Any:
        """The unit's element of a detail array the rule kept ('matched', 'best'…)."""
        return self.outcome.detail[key][self.position]

    def number(self, value: float) -> str:
        return _n(value)

    def inputs(self, names: Sequence[str]) -> str:
        return _inputs(self.result, self.code, self.position, names)

    def value_text(self, rule: RuleModel, value: float, thresholds: Sequence[tuple[str, float]] = ()) -> str:
        return _value(rule, value, self.node.indicator.unit, thresholds)

    def within(self, outcome: IndicatorResult, path: str) -> Explaining:
        """The same unit seen through a rule inside this one (a branch, a part)."""
        return Explaining(self.result, self.code, self.position, outcome,
                          STATUS_CODES[outcome.status[self.position]], path)

    def measured(self, rule: Any, *, needs_value: bool = True, thresholds: Sequence[tuple[str, float]] = ()) -> Said:
        """What every measured rule says first: the inputs, a zero denominator, the value."""
        result, position, node = self.result, self.position, self.node
        expression = node.expressions.get(self.path)
        names = expression.variables if expression is not None else []
        text = self.inputs(names)
        zero = bool(expression is not None and expression.has_division
                    and self.status in ("no_data", "not_applicable")
                    and all(np.isfinite(result.data.values.get(node.field_name(n), [np.nan] * (position + 1))[position])
                            for n in names))
        if zero:
            return Said(f"{text}: mẫu số bằng 0, không tính được giá trị", text, text)
        zero_scored = self.outcome.detail.get("zero")
        if zero_scored is not None and zero_scored[position]:
            how = "tính điểm tối đa" if rule.when_zero_denominator == "full" else "tính 0 điểm"
            return Said(f"{text}: mẫu số bằng 0, theo phương pháp {how}", text, text)
        value = self.value
        if not np.isfinite(value) and needs_value:
            return Said(text or "chưa nhập", text, text)
        if expression is not None and len(names) == 1 and expression.source.strip() == names[0]:
            field = result.compiled.fields.get(node.field_name(names[0]))
            if field is not None and field.type in ("yes_no", "choice", "date"):
                return Said(text, text, text)  # the value is the answer itself: 'Có', a date, an option
        label = "tỷ lệ" if getattr(rule, "percent", False) else "giá trị"
        shown = self.value_text(rule, value, thresholds)
        return Said(None, text, f"{text}, {label} = {shown}" if text else f"{label} = {shown}")


def explain(result: ScoreResult, code: str, position: int) -> str:
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
    if indicator.maturity is not None or indicator.rule is None:
        return _explain_criterion(result, code, position, status)
    rule = indicator.rule
    kind = kind_of(rule)
    detail = kind.describe(Explaining(result, code, position, outcome, status), rule)
    if not kind.points or not scored:
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


def _explain_criterion(result: ScoreResult, code: str, position: int, status: str) -> str:
    node = result.compiled.nodes[code]
    outcome = result.indicators[code]
    names = result.compiled.framework.maturity_levels or []
    level = int(outcome.detail["level"][position])
    maturity = node.indicator.maturity
    assert maturity is not None  # a leaf without a rule has a maturity (checked when compiled)
    if maturity.children is not None:
        count = int(outcome.detail["children"][position])
        if count == 0:
            return "Không có đơn vị cấp xã trực thuộc trong đợt đánh giá → không xác định được"
        recognised = int(outcome.detail.get("recognised_children", [0] * (position + 1))[position])
        if recognised == count:
            prefix = f"{count} đơn vị trực thuộc, tính theo mức độ được công nhận (kết luận của Hội đồng thẩm định)"
        elif recognised:
            prefix = (f"{count} đơn vị trực thuộc: {recognised} tính theo mức độ được công nhận, "
                      f"{count - recognised} theo mức chấm từ số liệu")
        else:
            prefix = f"{count} đơn vị trực thuộc, tính theo mức chấm từ số liệu"
    elif status in ("no_data", "invalid"):
        return f"{_STATUS_TEXT[status]} → không đạt mức nào"
    elif maturity.value is not None:
        # the inputs of the criterion's value, then those only an alternative of a 'hoặc' reads
        variables = list(dict.fromkeys(name for path, expression in node.expressions.items()
                                       if path.startswith("maturity") for name in expression.variables))
        thresholds = [parse_when(c.when) for c in maturity.levels or [] if c is not None and c.when]
        shown = _value(maturity, outcome.value[position], node.indicator.unit, thresholds)
        prefix = f"{_inputs(result, code, position, variables)}, giá trị = {shown}"
    else:
        prefix = _inputs(result, code, position, [maturity.field or ""])
    if level == 0:
        return f"{prefix} → chưa đạt ngưỡng mức nào"
    name = next((m.name for m in names if m.level == level), "")
    held = ""
    alternatives = outcome.detail.get("alternatives") or {}
    cell = (maturity.levels or [None] * level)[level - 1]
    if level - 1 in alternatives and cell is not None and cell.any:  # met by one side of a 'hoặc': say which
        choice = cell.any[int(alternatives[level - 1][position])]
        words = choice.text or f"{choice.value or 'giá trị'} {choice.when}"
        held = f', theo điều kiện "{words}"'
    return f"{prefix} → đạt ngưỡng mức {level} ({name}){held}"
