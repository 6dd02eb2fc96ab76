"""Date: a deadline in the assessment year ('ban hành trong tháng 1: tối đa; sau đó 50%')."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field, field_validator

from ..arrays import Array, IndicatorResult, format_number
from .base import (
    Award,
    Nested,
    RuleKind,
    RuleModel,
    best_award,
    field_type_error,
    field_values,
    first_hits,
    select,
)
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


def _ddmm(value: str) -> str:
    if not re.match(r"^\d{1,2}/\d{1,2}$", value):
        raise ValueError(f"hạn '{value}' phải có dạng dd/mm, vd. '31/01'")
    day, month = (int(x) for x in value.split("/"))
    dt.date(2024, month, day)  # raises on an impossible date
    return value


class DateStep(Award):
    by: str = Field(description="Deadline 'dd/mm' in the assessment year, inclusive")

    @field_validator("by")
    @classmethod
    def _ddmm(cls, value: str) -> str:
        return _ddmm(value)


class DateRule(RuleModel):
    """A date condition: 'ban hành trong tháng 1: tối đa; sau đó 50%'."""

    kind: Literal["date"]
    field: str
    since: str = Field("01/01", description="Dates before this day of the assessment year are out of period")
    early: Award = Field(default_factory=lambda: Award(points=0), description="Award for an out-of-period date")
    steps: list[DateStep] = Field(min_length=1)

    @field_validator("since")
    @classmethod
    def _since(cls, value: str) -> str:
        return _ddmm(value)
    otherwise: Award = Field(default_factory=lambda: Award(points=0))


class Date(RuleKind[DateRule]):
    model = DateRule
    example = {
        "inputs": [{"var": "d", "label": "Ngày ban hành kế hoạch", "type": "date"}],
        "rule": {"kind": "date", "field": "d", "early": {"share": 1}, "steps": [{"by": "31/01", "share": 1}],
                 "otherwise": {"share": 0.5}},
    }

    def fields(self, rule: DateRule) -> list[str]:
        return [rule.field]

    def expressions(self, rule: DateRule, path: str) -> list[tuple[str, str]]:
        return []

    def nested(self, rule: DateRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: DateRule, inputs: Mapping[str, InputField]) -> list[str]:
        return field_type_error(rule, rule.field, inputs, ("date",))

    def awards(self, rule: DateRule, maximum: float) -> list[tuple[str, float]]:
        return [(f"hạn '{step.by}'", step.value(maximum)) for step in rule.steps] + [
            ("sau hạn", rule.otherwise.value(maximum))]

    def best(self, rule: DateRule, maximum: float) -> float:
        return best_award([*self.awards(rule, maximum), ("trước kỳ", rule.early.value(maximum))], maximum)

    def reading_warnings(self, rule: DateRule, maximum: float) -> list[tuple[str, str]]:
        early, late = rule.early.value(maximum), rule.otherwise.value(maximum)
        if early < late - 1e-9:  # Huế II.1 read so: 15/12 of the year before scored 0, 01/02 scored 5
            return [("date_early_below_late", f"ngày trước {rule.since} được {format_number(early)} điểm, ít hơn "
                     f"ngày sau hạn ({format_number(late)} điểm): làm sớm bị điểm thấp hơn làm muộn")]
        return []

    def score(self, run: Run, rule: DateRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = field_values(env, rule.field)
        with np.errstate(invalid="ignore"):
            early = values < _deadline(run.year, rule.since)  # before the assessment period: no step applies
            hits = [values <= _deadline(run.year, step.by) for step in rule.steps]
        for hit in hits:
            hit &= ~early
        matched = first_hits(run.size, hits)
        matched -= early.view(np.int8)  # -2: early, -1: after every deadline
        score = select(run.size, matched, [*rule.steps, rule.early, rule.otherwise], maximum)
        return IndicatorResult(score, maximum, status, values, {"matched": matched})

    def describe(self, ex: Explaining, rule: DateRule) -> str:
        text = ex.inputs([rule.field])
        if "matched" in ex.outcome.detail and np.isfinite(ex.value):
            index = ex.detail("matched")
            if index == -2:
                text += ex.say("date.before_since", since=rule.since)
            elif index >= 0:
                text += ex.say("date.before", by=rule.steps[index].by)
            else:
                text += ex.say("date.after", by=rule.steps[-1].by)
        return text


def _deadline(year: int, ddmm: str) -> float:
    day, month = (int(x) for x in ddmm.split("/"))
    return float(dt.date(year, month, day).toordinal())


register(Date())
