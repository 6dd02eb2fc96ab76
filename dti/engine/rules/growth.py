"""Growth: the value against the previous period's, (current − previous) / previous in %."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field, model_validator

from ..arrays import OK, ZERO_DIVISION, Array, IndicatorResult, clip_share
from .base import Award, Measured, Nested, RuleKind, Step, best_award, score_steps, step_awards
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class GrowthRule(Measured):
    """Growth against the previous period: (current − previous) / previous in %."""

    kind: Literal["growth"]
    target: float | None = Field(None, gt=0, description="Growth (%) for full points; below: growth/target × max")
    steps: list[Step] | None = None
    otherwise: Award = Field(default_factory=lambda: Award(points=0))

    @model_validator(mode="after")
    def _one_of(self) -> GrowthRule:
        if (self.target is None) == (self.steps is None):
            raise ValueError("quy tắc growth cần đúng một trong hai: 'target' hoặc 'steps'")
        return self


class Growth(RuleKind[GrowthRule]):
    model = GrowthRule
    example = {
        "inputs": [{"var": "a", "label": "Doanh thu", "type": "money"}],
        "rule": {"kind": "growth", "value": "a", "target": 10},
    }

    def fields(self, rule: GrowthRule) -> list[str]:
        return []

    def expressions(self, rule: GrowthRule, path: str) -> list[tuple[str, str]]:
        return [(path, rule.value)]

    def nested(self, rule: GrowthRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: GrowthRule, inputs: Mapping[str, InputField]) -> list[str]:
        return []

    def awards(self, rule: GrowthRule, maximum: float) -> list[tuple[str, float]]:
        return step_awards(rule.steps or [], rule.otherwise, maximum)

    def best(self, rule: GrowthRule, maximum: float) -> float:
        return maximum if rule.steps is None else best_award(self.awards(rule, maximum), maximum)

    def score(self, run: Run, rule: GrowthRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        current, status = run.measure(rule, env, node, path)
        before = run.previous_env(node)
        if before is None:
            previous = np.full(run.size, np.nan)
        else:
            previous, _ = node.expressions[path].evaluate(before, run.size)
            if rule.percent:
                previous = previous * 100.0
        detail: dict[str, Any] = {"current": current, "previous": previous}
        ok = status == OK
        no_previous = np.isnan(previous) & ok
        status |= no_previous.view(np.int8)  # OK (0) → NO_DATA (1)
        detail["no_previous"] = no_previous
        zero_previous = (previous == 0) & ok
        status += zero_previous.view(np.int8) * np.int8(ZERO_DIVISION)  # OK (0) → ZERO_DIVISION
        with np.errstate(invalid="ignore", divide="ignore"):
            growth = current - previous
            growth /= np.abs(previous)
            growth *= 100.0
        if rule.target is not None:
            score = clip_share(growth / rule.target, maximum)
        else:
            score, matched = score_steps(run.size, rule.steps or [], rule.otherwise, growth, maximum)
            detail["matched"] = matched
        run.resolve_zero(rule, score, status, maximum)
        return IndicatorResult(score, maximum, status, growth, detail)

    def describe(self, ex: Explaining, rule: GrowthRule) -> str:
        said = ex.measured(rule, needs_value=False)
        if said.final is not None:
            return said.final
        text = said.text
        current, previous = ex.detail("current"), ex.detail("previous")
        if ex.detail("no_previous"):
            return ex.say("growth.no_previous", inputs=text, current=ex.value_text(rule, current))
        if not np.isfinite(ex.value):
            return ex.say("growth.previous_zero", inputs=text)
        return ex.say("growth.value", inputs=text, current=ex.value_text(rule, current),
                      previous=ex.value_text(rule, previous), growth=ex.number(ex.value))


register(Growth())
