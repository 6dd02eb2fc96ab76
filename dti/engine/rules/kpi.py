"""KPI: a monitored value without points (Bình Định's smart-city KPIs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np

from ..arrays import Array, IndicatorResult
from .base import Measured, Nested, RuleKind, measured_result
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class KpiRule(Measured):
    """A monitored value without points (Bình Định KPIs): value only."""

    kind: Literal["kpi"]


class Kpi(RuleKind[KpiRule]):
    model = KpiRule
    points = False
    example = {
        "inputs": [{"var": "a", "label": "Số được tính", "type": "count"},
                   {"var": "b", "label": "Tổng số", "type": "count"}],
        "rule": {"kind": "kpi", "value": "a / b", "percent": True},
    }

    def fields(self, rule: KpiRule) -> list[str]:
        return []

    def expressions(self, rule: KpiRule, path: str) -> list[tuple[str, str]]:
        return [(path, rule.value)]

    def nested(self, rule: KpiRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: KpiRule, inputs: Mapping[str, InputField]) -> list[str]:
        return []

    def awards(self, rule: KpiRule, maximum: float) -> list[tuple[str, float]]:
        return []

    def score(self, run: Run, rule: KpiRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = run.measure(rule, env, node, path)
        return measured_result(run, rule, np.full(run.size, np.nan), values, status, maximum, {})

    def describe(self, ex: Explaining, rule: KpiRule) -> str:
        said = ex.measured(rule)
        return said.final if said.final is not None else said.shown


register(Kpi())
