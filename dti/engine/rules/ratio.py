"""Ratio: Điểm = Tỷ lệ × Điểm tối đa; with a target, at or above it full points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from ..arrays import Array, IndicatorResult, clip_share
from .base import Measured, Nested, RuleKind, measured_result
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class RatioRule(Measured):
    """Điểm = Tỷ lệ × Điểm tối đa; with a target: ≥ target → max, else Tỷ lệ/target × max."""

    kind: Literal["ratio"]
    percent: bool = True
    target: float | None = Field(
        None, ge=0, description="Value for full points (in % if percent); default 100, or 0 when lower"
    )
    direction: Literal["higher", "lower"] = Field(
        "higher",
        description="'lower': the smaller the better — at or below target full points, "
        "linearly down to 0 points at 100%",
    )

    @property
    def effective_target(self) -> float:
        if self.target is not None:
            return self.target
        return 100.0 if self.direction == "higher" else 0.0

    @model_validator(mode="after")
    def _target(self) -> RatioRule:
        if self.direction == "higher" and self.target == 0:
            raise ValueError("mục tiêu (target) của tỷ lệ phải lớn hơn 0")
        if self.direction == "lower" and self.effective_target >= 100:
            raise ValueError("với direction: lower, target phải nhỏ hơn 100")
        return self


class Ratio(RuleKind[RatioRule]):
    model = RatioRule
    example = {
        "inputs": [{"var": "a", "label": "Số được tính", "type": "count"},
                   {"var": "b", "label": "Tổng số", "type": "count"}],
        "constraints": [{"check": "a <= b"}],
        "rule": {"kind": "ratio", "value": "a / b", "target": 80},
    }

    def fields(self, rule: RatioRule) -> list[str]:
        return []

    def expressions(self, rule: RatioRule, path: str) -> list[tuple[str, str]]:
        return [(path, rule.value)]

    def nested(self, rule: RatioRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: RatioRule, inputs: Mapping[str, InputField]) -> list[str]:
        return []

    def awards(self, rule: RatioRule, maximum: float) -> list[tuple[str, float]]:
        return []

    def score(self, run: Run, rule: RatioRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = run.measure(rule, env, node, path)
        target = rule.effective_target
        if rule.direction == "higher":
            share = values / target
        else:
            share = (100.0 - values) / (100.0 - target)
        score = clip_share(share, maximum)
        # a share of the maximum kept within [0, 1], NaN wherever the value is (no data, zero denominator)
        return measured_result(run, rule, score, values, status, maximum, {}, clean=True)

    def describe(self, ex: Explaining, rule: RatioRule) -> str:
        said = ex.measured(rule)
        if said.final is not None:
            return said.final
        target = rule.effective_target
        if rule.direction == "lower":
            return ex.say("ratio.lower", shown=said.shown, target=ex.number(target))
        if target != 100:
            return ex.say("ratio.target", shown=said.shown, target=ex.number(target),
                          percent="%" if rule.percent else "")
        return said.shown


register(Ratio())
