"""Short explanations of each score: 'a = 1, b = 3, tỷ lệ = 33,33% → 3,33/10 điểm', in Vietnamese
(the default) or English ('… ratio = 33.33% → 3.33/10 points'), the words from ``messages``.

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
from .messages import DEFAULT, language, say
from .rules import kind_of
from .rules.base import parse_when

if TYPE_CHECKING:
    from .compiled import Node
    from .rules.base import RuleModel
    from .scoring import ScoreResult

_STATUSES = ("no_data", "invalid", "no_content", "exempt", "not_applicable")


def _status(status: str, lang: str) -> str:
    return say(lang, f"status.{status}") if status in _STATUSES else status


def _n(value: float, lang: str = DEFAULT) -> str:
    return format_number(value, lang=lang)


def _points(score: float, maximum: float, lang: str = DEFAULT) -> str:
    return say(lang, "points", score=_n(score, lang), maximum=_n(maximum, lang))


def _inputs(result: ScoreResult, code: str, position: int, names: Sequence[str], lang: str = DEFAULT,
            labels: bool = False) -> str:
    """'a = 1, b = 3'; with ``labels`` each input by its label as the form shows it."""
    node = result.compiled.nodes[code]
    parts = []
    for name in names:
        field = result.compiled.fields.get(node.field_name(name))
        values = result.data.values.get(node.field_name(name))
        value = values[position] if values is not None else np.nan
        if field is not None and field.type == "date" and np.isfinite(value):
            shown = format_date(value)
        elif field is not None and field.type == "yes_no" and np.isfinite(value):
            shown = say(lang, "yes" if value == 1 else "no")
        elif field is not None and field.type == "choice" and np.isfinite(value):
            shown = (field.spec.options or [])[int(value)].label
        else:
            # as entered: rounding 1,999 to "2" would contradict a '>= 2' band
            shown = format_number(value, decimals=6, lang=lang) if np.isfinite(value) else say(lang, "not_entered")
        if field is not None and field.type in ("yes_no", "choice", "date") and len(names) == 1:
            parts.append(f"{field.label}: {shown}")  # a lone non-numeric input reads better by its label
        elif labels and field is not None and field.label:
            parts.append(f"{field.label} = {shown}")
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


def _value(rule: object, value: float, unit: str | None = None, thresholds: Sequence[tuple[str, float]] = (),
           lang: str = DEFAULT) -> str:
    """The value as shown; near a threshold with the decimals its comparison needs (2,9999% is not
    '3%' beside 'không đạt mức nào')."""
    value, decimals = _as_compared(value, thresholds) if np.isfinite(value) else (value, 2)
    shown = format_number(value, decimals, lang=lang)
    if getattr(rule, "percent", False):
        return f"{shown}%"
    return f"{shown}{' ' + unit if unit and unit != '%' else '%' if unit == '%' else ''}"


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
    lang: str = DEFAULT
    labels: bool = False  # inputs by their labels instead of their variable names

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
        return _n(value, self.lang)

    def say(self, key: str, /, **params: Any) -> str:
        """The message ``key`` of ``messages`` in the language asked for."""
        return say(self.lang, key, **params)

    def inputs(self, names: Sequence[str]) -> str:
        return _inputs(self.result, self.code, self.position, names, self.lang, self.labels)

    def value_text(self, rule: RuleModel, value: float, thresholds: Sequence[tuple[str, float]] = ()) -> str:
        return _value(rule, value, self.node.indicator.unit, thresholds, self.lang)

    def within(self, outcome: IndicatorResult, path: str) -> Explaining:
        """The same unit seen through a rule inside this one (a branch, a part)."""
        return Explaining(self.result, self.code, self.position, outcome,
                          STATUS_CODES[outcome.status[self.position]], path, self.lang, self.labels)

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
            return Said(self.say("zero.undefined", inputs=text), text, text)
        zero_scored = self.outcome.detail.get("zero")
        if zero_scored is not None and zero_scored[position]:
            how = "zero.full" if rule.when_zero_denominator == "full" else "zero.nothing"
            return Said(self.say(how, inputs=text), text, text)
        value = self.value
        if not np.isfinite(value) and needs_value:
            return Said(text or self.say("not_entered"), text, text)
        if expression is not None and len(names) == 1 and expression.source.strip() == names[0]:
            field = result.compiled.fields.get(node.field_name(names[0]))
            if field is not None and field.type in ("yes_no", "choice", "date"):
                return Said(text, text, text)  # the value is the answer itself: 'Có', a date, an option
        label = self.say("ratio" if getattr(rule, "percent", False) else "value")
        shown = self.value_text(rule, value, thresholds)
        return Said(None, text, f"{text}, {label} = {shown}" if text else f"{label} = {shown}")


def explain(result: ScoreResult, code: str, position: int, lang: str = DEFAULT, *, labels: bool = False) -> str:
    """Why the unit scored what it did on ``code``, in ``lang`` ('vi', 'en'; a Django language code
    such as 'en-us' is accepted); with ``labels`` the inputs are named by their labels."""
    lang = language(lang)
    node = result.compiled.nodes[code]
    outcome = result.indicators[code]
    status = STATUS_CODES[outcome.status[position]]
    score, maximum = outcome.score[position], outcome.max[position]
    scored = result.compiled.framework.scored
    if not node.is_leaf:
        if status == "not_applicable":
            return say(lang, "group.not_applicable")
        if not scored:
            return say(lang, "group.unscored")
        if not np.isfinite(score):
            return say(lang, "group.status", status=_status(status, lang))
        return say(lang, "group.sum", points=_points(score, maximum, lang))
    if status == "not_applicable" and not _level_has_indicator(result, code, position):
        return say(lang, "group.not_applicable")
    indicator = node.indicator
    if indicator.maturity is not None or indicator.rule is None:
        return _explain_criterion(result, code, position, status, lang, labels)
    rule = indicator.rule
    kind = kind_of(rule)
    detail = kind.describe(Explaining(result, code, position, outcome, status, lang=lang, labels=labels), rule)
    if not kind.points or not scored:
        return detail
    policies = result.compiled.framework.policies
    if status in ("no_data", "invalid"):
        tail = (say(lang, "tail.excluded") if policies.missing_data == "exclude"
                else say(lang, "tail.default", points=_points(0, maximum, lang)))
        return say(lang, "missing", detail=detail, status=_status(status, lang), tail=tail)
    if status in ("no_content", "exempt"):
        declared = say(lang, f"declared.{status}")
        if np.isfinite(score):
            return say(lang, "declared.points", declared=declared, points=_points(score, maximum, lang))
        return say(lang, "declared.excluded", declared=declared)
    if status == "not_applicable":
        return say(lang, "not_applicable", detail=detail)
    capped = ""
    raw = outcome.detail.get("sum")
    if raw is not None and raw[position] > maximum + 1e-9:
        capped = say(lang, "capped", total=_n(raw[position], lang), maximum=_n(maximum, lang))
    return say(lang, "scored", detail=detail, points=_points(score, maximum, lang), capped=capped)


def _level_has_indicator(result: ScoreResult, code: str, position: int) -> bool:
    """False when the unit's level lacks the indicator; True means not_applicable came from its data."""
    node = result.compiled.nodes[code]
    level = result.data.units[position].level
    return level in node.levels


def _explain_criterion(result: ScoreResult, code: str, position: int, status: str, lang: str = DEFAULT,
                       labels: bool = False) -> str:
    node = result.compiled.nodes[code]
    outcome = result.indicators[code]
    names = result.compiled.framework.maturity_levels or []
    level = int(outcome.detail["level"][position])
    maturity = node.indicator.maturity
    assert maturity is not None  # a leaf without a rule has a maturity (checked when compiled)
    if maturity.children is not None:
        count = int(outcome.detail["children"][position])
        if count == 0:
            return say(lang, "criterion.no_children")
        recognised = int(outcome.detail.get("recognised_children", [0] * (position + 1))[position])
        if recognised == count:
            prefix = say(lang, "criterion.children_recognised", count=str(count))
        elif recognised:
            prefix = say(lang, "criterion.children_mixed", count=str(count), recognised=str(recognised),
                         computed=str(count - recognised))
        else:
            prefix = say(lang, "criterion.children_computed", count=str(count))
    elif status in ("no_data", "invalid"):
        return say(lang, "criterion.missing", status=_status(status, lang))
    elif maturity.value is not None:
        # the inputs of the criterion's value, then those only an alternative of a 'hoặc' reads
        variables = list(dict.fromkeys(name for path, expression in node.expressions.items()
                                       if path.startswith("maturity") for name in expression.variables))
        thresholds = [parse_when(c.when) for c in maturity.levels or [] if c is not None and c.when]
        shown = _value(maturity, outcome.value[position], node.indicator.unit, thresholds, lang)
        prefix = say(lang, "criterion.value", inputs=_inputs(result, code, position, variables, lang, labels),
                     value=shown)
    else:
        prefix = _inputs(result, code, position, [maturity.field or ""], lang, labels)
    if level == 0:
        return say(lang, "criterion.none", prefix=prefix)
    name = next((m.name for m in names if m.level == level), "")
    held = ""
    alternatives = outcome.detail.get("alternatives") or {}
    cell = (maturity.levels or [None] * level)[level - 1]
    if level - 1 in alternatives and cell is not None and cell.any:  # met by one side of a 'hoặc': say which
        choice = cell.any[int(alternatives[level - 1][position])]
        words = choice.text or f"{choice.value or say(lang, 'value')} {choice.when}"
        held = say(lang, "criterion.held", words=words)
    return say(lang, "criterion.level", prefix=prefix, level=str(level), name=name, held=held)


def holding_back(result: ScoreResult, position: int) -> tuple[int | None, list[str]]:
    """(the next maturity level, the criteria the unit does not meet at it): what holds the unit at
    its level.  (None, []) when the framework has no maturity levels or the unit is at the top."""
    if result.maturity is None:
        return None, []
    levels = len(result.compiled.framework.maturity_levels or [])
    target = int(result.maturity[position]) + 1
    if target > levels:
        return None, []
    level = result.data.units[position].level
    missing = []
    for node in result.compiled.leaves:
        outcome = result.indicators.get(node.code)
        if outcome is None or "met" not in outcome.detail or level not in node.levels:
            continue
        if STATUS_CODES[outcome.status[position]] in ("exempt", "not_applicable"):
            continue
        if not outcome.detail["met"][target - 1][position]:
            missing.append(node.code)
    return target, missing
