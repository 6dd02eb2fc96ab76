"""Yes/no: Có earns full points (or the ``yes`` award), Không the ``no`` award (default 0)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..arrays import Array, IndicatorResult
from .base import Award, Nested, RuleKind, RuleModel, best_award, field_type_error, field_values, select
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class YesNoRule(RuleModel):
    """Có: full points (or ``yes`` award); Không: ``no`` award (default 0)."""

    kind: Literal["yes_no"]
    field: str
    yes: Award = Field(default_factory=lambda: Award(share=1))
    no: Award = Field(default_factory=lambda: Award(points=0))


class YesNo(RuleKind[YesNoRule]):
    model = YesNoRule
    example = {
        "inputs": [{"var": "c", "label": "Đã ban hành kế hoạch", "type": "yes_no"}],
        "rule": {"kind": "yes_no", "field": "c"},
    }

    def fields(self, rule: YesNoRule) -> list[str]:
        return [rule.field]

    def expressions(self, rule: YesNoRule, path: str) -> list[tuple[str, str]]:
        return []

    def nested(self, rule: YesNoRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: YesNoRule, inputs: Mapping[str, InputField]) -> list[str]:
        return field_type_error(rule, rule.field, inputs, ("yes_no",))

    def awards(self, rule: YesNoRule, maximum: float) -> list[tuple[str, float]]:
        return [("'Có'", rule.yes.value(maximum)), ("'Không'", rule.no.value(maximum))]

    def best(self, rule: YesNoRule, maximum: float) -> float:
        return best_award(self.awards(rule, maximum), maximum)

    def score(self, run: Run, rule: YesNoRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = field_values(env, rule.field)
        score = select(run.size, (values == 1).view("int8"), [rule.no, rule.yes], maximum)
        return IndicatorResult(score, maximum, status, values, {})

    def describe(self, ex: Explaining, rule: YesNoRule) -> str:
        return ex.inputs([rule.field])


register(YesNo())
