"""Choice: one option among several, each awarding points or a share ('Phó giám đốc: 1/2 × tối đa')."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from ..arrays import Array, IndicatorResult
from .base import Award, Nested, RuleKind, RuleModel, best_award, field_values, select
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class ChoiceScore(Award):
    option: str


class ChoiceRule(RuleModel):
    """One choice field; each option awards points or a share ('Phó giám đốc: 1/2 × tối đa')."""

    kind: Literal["choice"]
    field: str
    scores: list[ChoiceScore] = Field(min_length=1)


class Choice(RuleKind[ChoiceRule]):
    model = ChoiceRule
    example = {
        "inputs": [{"var": "c", "label": "Trưởng ban", "type": "choice",
                    "options": [{"value": "giam_doc", "label": "Giám đốc"},
                                {"value": "pho_giam_doc", "label": "Phó Giám đốc"},
                                {"value": "khac", "label": "Khác"}]}],
        "rule": {"kind": "choice", "field": "c",
                 "scores": [{"option": "giam_doc", "share": 1}, {"option": "pho_giam_doc", "share": 0.5}]},
    }

    def fields(self, rule: ChoiceRule) -> list[str]:
        return [rule.field]

    def expressions(self, rule: ChoiceRule, path: str) -> list[tuple[str, str]]:
        return []

    def nested(self, rule: ChoiceRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: ChoiceRule, inputs: Mapping[str, InputField]) -> list[str]:
        spec = inputs.get(rule.field)
        if spec is None:
            return []
        if spec.type != "choice":
            return [f"quy tắc choice cần trường '{rule.field}' kiểu choice"]
        known = {o.value for o in spec.options or []}
        return [f"lựa chọn '{score.option}' không có trong options" for score in rule.scores
                if score.option not in known]

    def awards(self, rule: ChoiceRule, maximum: float) -> list[tuple[str, float]]:
        return [(f"lựa chọn '{choice.option}'", choice.value(maximum)) for choice in rule.scores]

    def best(self, rule: ChoiceRule, maximum: float) -> float:
        return best_award(self.awards(rule, maximum), maximum)

    def score(self, run: Run, rule: ChoiceRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = field_values(env, rule.field)
        spec = next(f for f in node.indicator.inputs if f.var == rule.field)
        options = [o.value for o in spec.options or []]
        awards: list[Award] = [Award(share=0.0)] * (len(options) + 1)  # the last one: not given
        for choice in rule.scores:
            awards[options.index(choice.option)] = choice
        index = np.fmax(values, -1.0).astype(np.int8 if len(awards) < 127 else np.int64)  # NaN → -1
        score = select(run.size, index, awards, maximum)
        # A choice's stored number is an option index, not a measured value.
        return IndicatorResult(score, maximum, status, np.full(run.size, np.nan), {})

    def describe(self, ex: Explaining, rule: ChoiceRule) -> str:
        return ex.inputs([rule.field])


register(Choice())
