"""Count: points per counted item (capped at the maximum), or a minimum count for full points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field, model_validator

from ..arrays import Array, IndicatorResult, compare
from .base import Measured, Nested, RuleKind, measured_result
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class CountRule(Measured):
    """Counts: ``per_item`` points each capped at max, or a ``minimum`` count for full points."""

    kind: Literal["count"]
    per_item: float | None = Field(None, gt=0, description="Points per counted item ('mỗi hoạt động: 1 điểm')")
    minimum: float | None = Field(None, gt=0, description="Count needed for full points ('tối thiểu 24 tin bài')")
    below_minimum: Literal["zero", "proportional"] = "zero"

    @model_validator(mode="after")
    def _one_of(self) -> CountRule:
        if (self.per_item is None) == (self.minimum is None):
            raise ValueError("quy tắc count cần đúng một trong hai: 'per_item' hoặc 'minimum'")
        return self


class Count(RuleKind[CountRule]):
    model = CountRule
    example = {
        "inputs": [{"var": "a", "label": "Số tin, bài", "type": "count"}],
        "rule": {"kind": "count", "value": "a", "minimum": 24, "below_minimum": "proportional"},
    }

    def fields(self, rule: CountRule) -> list[str]:
        return []

    def expressions(self, rule: CountRule, path: str) -> list[tuple[str, str]]:
        return [(path, rule.value)]

    def nested(self, rule: CountRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: CountRule, inputs: Mapping[str, InputField]) -> list[str]:
        return []

    def awards(self, rule: CountRule, maximum: float) -> list[tuple[str, float]]:
        if rule.per_item is not None and rule.per_item > maximum:
            return [("mỗi mục", rule.per_item)]
        return []

    def score(self, run: Run, rule: CountRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = run.measure(rule, env, node, path)
        if rule.per_item is not None:
            score = np.minimum(values * rule.per_item, maximum)
        else:
            minimum = float(rule.minimum or 0.0)
            full = compare(">=", values, minimum)
            below = values / minimum * maximum if rule.below_minimum == "proportional" else 0 * maximum
            score = np.where(full, maximum, below)
        return measured_result(run, rule, score, values, status, maximum, {})

    def describe(self, ex: Explaining, rule: CountRule) -> str:
        said = ex.measured(rule)
        if said.final is not None:
            return said.final
        if rule.per_item is not None:
            return ex.say("count.per_item", shown=said.shown, per_item=ex.number(rule.per_item))
        return ex.say("count.minimum", shown=said.shown, minimum=ex.number(rule.minimum or 0.0))


register(Count())
