"""Parts: a checklist whose parts add up (capped at the maximum), each scored by its own rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field, model_validator

from ..arrays import OK, Array, IndicatorResult, format_number
from .base import Nested, RuleKind, RuleModel, Strict
from .registry import kind_of, register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run
    from .base import RuleModel as Rule


class Part(Strict):
    """A part of a checklist; its sub-rule is scored against ``points`` as its own maximum."""

    label: str
    points: float | None = None
    share: float | None = None
    rule: Rule

    @model_validator(mode="after")
    def _one_of(self) -> Part:
        if (self.points is None) == (self.share is None):
            raise ValueError(f"phần '{self.label}': ghi đúng một trong hai 'points' hoặc 'share'")
        return self

    def maximum(self, of: float) -> float:
        return self.points if self.points is not None else (self.share or 0.0) * of


class PartsRule(RuleModel):
    """Parts that add up (capped at max): '4/5 × tối đa khi đáp ứng; 1/5 × tối đa khi có IPv6'."""

    kind: Literal["parts"]
    parts: list[Part] = Field(min_length=1)


class Parts(RuleKind[PartsRule]):
    model = PartsRule
    example = {
        "inputs": [{"var": "c", "label": "Đáp ứng yêu cầu", "type": "yes_no"},
                   {"var": "d", "label": "Hỗ trợ IPv6", "type": "yes_no"}],
        "rule": {"kind": "parts", "parts": [
            {"label": "Đáp ứng", "share": 0.8, "rule": {"kind": "yes_no", "field": "c"}},
            {"label": "IPv6", "share": 0.2, "rule": {"kind": "yes_no", "field": "d"}}]},
    }

    def fields(self, rule: PartsRule) -> list[str]:
        return []

    def expressions(self, rule: PartsRule, path: str) -> list[tuple[str, str]]:
        return []

    def nested(self, rule: PartsRule, path: str, maximum: float) -> list[Nested]:
        return [Nested(part.rule, f"{path}.parts[{index}]", part.maximum(maximum), f"phần '{part.label}': ")
                for index, part in enumerate(rule.parts)]

    def check(self, rule: PartsRule, inputs: Mapping[str, InputField]) -> list[str]:
        return []

    def awards(self, rule: PartsRule, maximum: float) -> list[tuple[str, float]]:
        return []

    def best(self, rule: PartsRule, maximum: float) -> float:
        return min(sum(min(kind_of(sub.rule).best(sub.rule, sub.maximum), sub.maximum)
                       for sub in self.nested(rule, "", maximum)), maximum)

    def limit_warnings(self, rule: PartsRule, maximum: float) -> list[str]:
        total = sum(part.maximum(maximum) for part in rule.parts)
        if total > maximum + 1e-9:
            return [f"các phần cộng lại {format_number(total)} điểm, vượt điểm tối đa {format_number(maximum)}"]
        return []

    def score(self, run: Run, rule: PartsRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        total = np.zeros(run.size)
        any_data = np.zeros(run.size, dtype=bool)
        parts = []
        for index, part in enumerate(rule.parts):
            if part.points is not None:
                part_max = np.full(run.size, float(part.points))
            else:
                part_max = (part.share or 0.0) * maximum
            sub = run.rule(part.rule, env, part_max, node, f"{path}.parts[{index}]")
            ok = sub.status == OK
            score = np.minimum(sub.score, part_max)
            np.fmax(score, 0.0, out=score)  # NaN → 0
            np.multiply(score, ok, out=score)  # a part without data earns nothing
            sub.score = score
            total += score
            any_data |= ok
            sub.max = part_max
            parts.append(sub)
        status = (~any_data).view(np.int8)  # NO_DATA where no part has data
        score = np.minimum(total, maximum)
        return IndicatorResult(score, maximum, status, np.full(run.size, np.nan), {"parts": parts, "sum": total})

    def describe(self, ex: Explaining, rule: PartsRule) -> str:
        pieces = []
        for part, sub in zip(rule.parts, ex.outcome.detail.get("parts", [])):
            pieces.append(f"{part.label}: {ex.number(sub.score[ex.position])}/{ex.number(sub.max[ex.position])}")
        return "; ".join(pieces)


register(Parts())
