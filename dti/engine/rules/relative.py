"""Relative: a unit's value against its peers of the same level in the same run."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..arrays import Array, IndicatorResult, clip_share
from .base import Measured, Nested, RuleKind, measured_result
from .registry import register

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class RelativeRule(Measured):
    """Relative to peers of the same level in the same run.

    ``min_max``: (value − lowest) / (highest − lowest) × max — the unit with the highest value
    gets full points and the lowest 0.  ``max_ratio``: value / highest × max (922 §7.10).
    """

    kind: Literal["relative"]
    method: Literal["min_max", "max_ratio"]
    direction: Literal["higher", "lower"] = "higher"


class Relative(RuleKind[RelativeRule]):
    model = RelativeRule
    example = {
        "inputs": [{"var": "a", "label": "Số được tính", "type": "count"},
                   {"var": "b", "label": "Tổng số", "type": "count"}],
        "constraints": [{"check": "a <= b"}],
        "rule": {"kind": "relative", "method": "min_max", "value": "a / b", "percent": True},
    }

    def fields(self, rule: RelativeRule) -> list[str]:
        return []

    def expressions(self, rule: RelativeRule, path: str) -> list[tuple[str, str]]:
        return [(path, rule.value)]

    def nested(self, rule: RelativeRule, path: str, maximum: float) -> list[Nested]:
        return []

    def check(self, rule: RelativeRule, inputs: Mapping[str, InputField]) -> list[str]:
        return []

    def awards(self, rule: RelativeRule, maximum: float) -> list[tuple[str, float]]:
        return []

    def score(self, run: Run, rule: RelativeRule, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        values, status = run.measure(rule, env, node, path)
        detail: dict[str, Any] = {}
        score = _against_peers(run, rule, values, maximum, detail)
        # a share of the maximum kept within [0, 1], NaN wherever the value is (no data, zero denominator)
        return measured_result(run, rule, score, values, status, maximum, detail, clean=True)

    def describe(self, ex: Explaining, rule: RelativeRule) -> str:
        said = ex.measured(rule)
        if said.final is not None:
            return said.final
        best, worst = ex.detail("best"), ex.detail("worst")
        how = ex.say("relative.min_max" if rule.method == "min_max" else "relative.top")
        return ex.say("relative", shown=said.shown, best=ex.value_text(rule, best), worst=ex.value_text(rule, worst),
                      how=how)


def _against_peers(run: Run, rule: RelativeRule, values: Array, maximum: Array, detail: dict[str, Any]) -> Array:
    """Against the peers of the same level; each indicator of a batch (a row) has its own peers.
    Peers are the units with a value (NaN marks no data and zero denominators) whose data counts."""
    n = run.units_n
    rows = run.size // n
    higher = rule.direction == "higher"
    peers = values
    if run.not_peer is not None and run.not_peer.any():
        peers = values.copy()
        peers[run.not_peer] = np.nan
    peers = peers.reshape(rows, n)
    shape = (rows, n)
    fill = np.empty if run.every_unit_levelled else partial(np.full, fill_value=np.nan)
    score, best, worst = fill(shape), fill(shape), fill(shape)
    for level in run.level_selectors:
        v = peers[:, level]
        # NaN for a row without peers
        hi, lo = np.fmax.reduce(v, axis=1, keepdims=True), np.fmin.reduce(v, axis=1, keepdims=True)
        best[:, level], worst[:, level] = (hi, lo) if higher else (lo, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            if rule.method == "min_max":
                span = hi - lo
                flat = span == 0
                share = (v - lo) / span if higher else (hi - v) / span
                if flat.any():  # everyone equal: full marks, unless everyone has 0 of a 'higher' value
                    same = np.where(higher & (hi == 0), 0.0, 1.0)
                    share = np.where(flat & ~np.isnan(v), same, share)
            elif higher:
                share = v / np.where(hi > 0, hi, np.inf)  # best value 0: nobody earns points
            else:
                share = lo / v
                share[v <= 0] = 1.0
        score[:, level] = clip_share(share, maximum.reshape(shape)[:, level])
    detail["best"], detail["worst"] = best.reshape(-1), worst.reshape(-1)
    return score.reshape(-1)


register(Relative())
