"""If: one rule when a condition holds, another (or nothing) when it does not.

'Đã có chuyên mục và số lượng tin, bài đạt: từ 20 trở lên tối đa …; chưa có chuyên mục: 0 điểm'
is ``if: co_chuyen_muc == 1, then: steps on so_tin_bai``; with no ``else``, 0 points.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field, field_validator

from ..arrays import NO_DATA, OK, Array, IndicatorResult, compare
from .base import Nested, RuleKind, RuleModel, parse_when
from .registry import kind_of, register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run
    from .base import RuleModel as Rule

THEN, ELSE, UNKNOWN = 1, 0, -1  # the branch each unit took


class IfRule(RuleModel):
    """``value`` compared by ``when`` chooses the rule: ``then`` where it holds, else ``else``."""

    kind: Literal["if"]
    value: str = Field(description="Expression the condition is about, e.g. 'co_chuyen_muc' or 'a / b'")
    percent: bool = Field(False, description="Value = expression × 100, compared in %")
    when: str = Field(description="The condition on the value: '== 1', '>= 50'")
    label: str | None = Field(None, description="The document's words for the condition: 'Đã có chuyên mục'")
    then: Rule = Field(description="The rule where the condition holds")
    else_: Rule | None = Field(None, alias="else", description="The rule where it does not; none: 0 points")

    @field_validator("when")
    @classmethod
    def _parse_when(cls, value: str) -> str:
        parse_when(value)
        return value

    @property
    def condition(self) -> str:
        return self.label or f"{self.value} {self.when}"


class If(RuleKind[IfRule]):
    model = IfRule
    example = {
        "inputs": [{"var": "co", "label": "Đã có chuyên mục", "type": "yes_no"},
                   {"var": "n", "label": "Số tin, bài", "type": "count"}],
        "rule": {"kind": "if", "value": "co", "when": "== 1", "label": "Đã có chuyên mục",
                 "then": {"kind": "steps", "value": "n", "steps": [{"when": ">= 20", "share": 1},
                                                                   {"when": ">= 10", "share": 0.5}],
                          "otherwise": {"share": 0.25}}},
    }

    def fields(self, rule: IfRule) -> list[str]:
        return []

    def expressions(self, rule: IfRule, path: str) -> list[tuple[str, str]]:
        return [(path, rule.value)]

    def nested(self, rule: IfRule, path: str, maximum: float) -> list[Nested]:
        branches = [Nested(rule.then, f"{path}.then", maximum, "nhánh 'thì': ")]
        if rule.else_ is not None:
            branches.append(Nested(rule.else_, f"{path}.else", maximum, "nhánh 'nếu không': "))
        return branches

    def best(self, rule: IfRule, maximum: float) -> float:
        return max([kind_of(sub.rule).best(sub.rule, sub.maximum) for sub in self.nested(rule, "", maximum)] + [0.0])

    def check(self, rule: IfRule, inputs: Mapping[str, InputField]) -> list[str]:
        return []

    def awards(self, rule: IfRule, maximum: float) -> list[tuple[str, float]]:
        return []

    def score(self, run: Run, rule: IfRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = run.measure(rule, env, node, path)
        known = status == OK  # a missing input or a zero denominator: the branch is not known
        op, threshold = parse_when(rule.when)
        holds = compare(op, values, threshold) & known
        then = run.rule(rule.then, env, maximum, node, f"{path}.then")
        if rule.else_ is not None:
            other = run.rule(rule.else_, env, maximum, node, f"{path}.else")
        else:
            other = IndicatorResult(np.zeros(run.size), maximum, np.zeros(run.size, dtype=np.int8),
                                    np.full(run.size, np.nan))
        score = np.where(holds, then.score, other.score)
        status = np.where(known, np.where(holds, then.status, other.status), NO_DATA).astype(np.int8)
        value = np.where(holds, then.value, other.value)
        branch = np.where(known, holds.view(np.int8), np.int8(UNKNOWN)).astype(np.int8)
        return IndicatorResult(score, maximum, status, value, {"branch": branch, "then": then, "else": other})

    def describe(self, ex: Explaining, rule: IfRule) -> str:
        expression = ex.node.expressions.get(ex.path)
        given = ex.inputs(expression.variables) if expression is not None else ""
        branch = int(ex.detail("branch"))
        name = ex.say("if.condition", condition=rule.condition)
        if branch == UNKNOWN:
            return ex.say("if.unknown", name=name, given=given)
        if branch == THEN:
            said = kind_of(rule.then).describe(ex.within(ex.outcome.detail["then"], f"{ex.path}.then"), rule.then)
            return ex.say("if.then", name=name, given=given, said=said)
        if rule.else_ is None:
            return ex.say("if.no_else", name=name, given=given)
        inner = ex.within(ex.outcome.detail["else"], f"{ex.path}.else")
        said = kind_of(rule.else_).describe(inner, rule.else_)
        return ex.say("if.else", name=name, given=given, said=said)


register(If())
