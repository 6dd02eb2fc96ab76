"""Manual: points typed by the assessor (qualitative criteria), capped at the maximum."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from ..arrays import Array, IndicatorResult
from .base import Nested, RuleKind, RuleModel, field_type_error, field_values
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class ManualRule(RuleModel):
    """Points typed by the assessor (qualitative criteria), capped at max."""

    kind: Literal["manual"]
    field: str


class Manual(RuleKind[ManualRule]):
    model = ManualRule
    example = {
        "inputs": [{"var": "diem", "label": "Điểm thẩm định", "type": "number", "min": 0}],
        "rule": {"kind": "manual", "field": "diem"},
    }

    def fields(self, rule: ManualRule) -> list[str]:
        return [rule.field]

    def expressions(self, rule: ManualRule, path: str) -> list[tuple[str, str]]:
        return []

    def nested(self, rule: ManualRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: ManualRule, inputs: Mapping[str, InputField]) -> list[str]:
        return field_type_error(rule, rule.field, inputs, ("number", "integer", "count", "money", "percent"))

    def awards(self, rule: ManualRule, maximum: float) -> list[tuple[str, float]]:
        return []

    def score(self, run: Run, rule: ManualRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = field_values(env, rule.field)
        return IndicatorResult(values.copy(), maximum, status, values, {})

    def describe(self, ex: Explaining, rule: ManualRule) -> str:
        return ex.say("manual", inputs=ex.inputs([rule.field]))


register(Manual())
