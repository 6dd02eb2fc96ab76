"""Steps: thresholds on a measured value; the first that holds awards its points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..arrays import Array, IndicatorResult
from .base import (
    Award,
    Measured,
    Nested,
    RuleKind,
    Step,
    best_award,
    measured_result,
    score_steps,
    step_awards,
    step_gaps,
)
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class StepsRule(Measured):
    """Thresholds: the first matching step awards its points; otherwise ``otherwise``."""

    kind: Literal["steps"]
    steps: list[Step] = Field(min_length=1)
    otherwise: Award = Field(default_factory=lambda: Award(points=0))


class Steps(RuleKind[StepsRule]):
    model = StepsRule
    example = {
        "inputs": [{"var": "a", "label": "Số được tính", "type": "count"},
                   {"var": "b", "label": "Tổng số", "type": "count"}],
        "rule": {"kind": "steps", "value": "a / b", "percent": True,
                 "steps": [{"when": "> 80", "share": 1}, {"when": ">= 50", "share": 0.5}]},
    }

    def fields(self, rule: StepsRule) -> list[str]:
        return []

    def expressions(self, rule: StepsRule, path: str) -> list[tuple[str, str]]:
        return [(path, rule.value)]

    def nested(self, rule: StepsRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: StepsRule, inputs: Mapping[str, InputField]) -> list[str]:
        return []

    def awards(self, rule: StepsRule, maximum: float) -> list[tuple[str, float]]:
        return step_awards(rule.steps, rule.otherwise, maximum)

    def best(self, rule: StepsRule, maximum: float) -> float:
        return best_award(self.awards(rule, maximum), maximum)

    def reading_warnings(self, rule: StepsRule, maximum: float) -> list[tuple[str, str]]:
        return [(f"steps_gap{where}", message) for where, message in step_gaps(rule.steps)]

    def score(self, run: Run, rule: StepsRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = run.measure(rule, env, node, path)
        score, matched = score_steps(run.size, rule.steps, rule.otherwise, values, maximum)
        return measured_result(run, rule, score, values, status, maximum, {"matched": matched})

    def describe(self, ex: Explaining, rule: StepsRule) -> str:
        said = ex.measured(rule, thresholds=[(step.op, step.threshold) for step in rule.steps])
        if said.final is not None:
            return said.final
        matched = ex.detail("matched")
        if matched >= 0:
            return ex.say("steps.matched", shown=said.shown, when=rule.steps[matched].when)
        return ex.say("steps.none", shown=said.shown)


register(Steps())
