"""One vectorised scoring run: every unit of every level at once.

Each leaf indicator is evaluated over arrays (one element per unit); peer-relative
rules look at the peers of the same level in the same run; parents are sums of
their children; totals, percentages, maturity levels and ranks follow.  Explanations
are produced lazily (``explain``), so a national run stays a few array passes.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field

import numpy as np

from .compiled import CompiledFramework, Node
from .data import EXEMPT, NO_CONTENT, Dataset, Problem, check_range, format_number
from .model import (
    Award,
    ChoiceRule,
    CountRule,
    DateRule,
    GrowthRule,
    KpiRule,
    ManualRule,
    PartsRule,
    RatioRule,
    RelativeRule,
    Rule,
    StepsRule,
    YesNoRule,
)

OK, NO_DATA, NO_CONTENT_S, EXEMPT_S, NOT_APPLICABLE, INVALID, VALUE_ONLY = range(7)
_UNSET = object()  # "not given" where None is a meaningful value
_ZERO_DIVISION = 99  # transient, resolved by the rule's when_zero_denominator
STATUS_CODES = ["ok", "no_data", "no_content", "exempt", "not_applicable", "invalid", "value_only"]
STATUS_LABELS = {
    "ok": "Đã chấm",
    "no_data": "Không có dữ liệu",
    "no_content": "Không có nội dung",
    "exempt": "Miễn đánh giá",
    "not_applicable": "Không áp dụng",
    "invalid": "Dữ liệu không hợp lệ",
    "value_only": "Chỉ theo dõi",
}
_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq}


@dataclass
class IndicatorResult:
    score: np.ndarray  # NaN where excluded or not scored
    max: np.ndarray  # the maximum the unit is assessed on; 0 where excluded
    status: np.ndarray  # int8 index into STATUS_CODES
    value: np.ndarray  # the measured value (ratio %, count, growth…), NaN if none
    detail: dict = field(default_factory=dict)


@dataclass
class ScoreResult:
    compiled: CompiledFramework
    data: Dataset
    indicators: dict[str, IndicatorResult]
    total: np.ndarray
    max: np.ndarray
    percent: np.ndarray
    rank: np.ndarray  # 0 = not ranked
    maturity: np.ndarray | None
    problems: list[Problem]
    previous: dict[str, np.ndarray] | None = None
    year: int = 0

    # ------------------------------------------------------------------ output

    def unit_result(self, position: int, *, with_explain: bool = True) -> dict:
        unit = self.data.units[position]
        scored = self.compiled.framework.scored
        indicators = {}
        for code in self._output_order:
            result = self.indicators[code]
            status = STATUS_CODES[result.status[position]]
            entry = {
                "score": _round(result.score[position]) if scored else None,
                "max": _round(result.max[position]) if scored else None,
                "status": status,
                "value": _round(result.value[position]),
            }
            if self.maturity is not None and "level" in result.detail:
                entry["level"] = int(result.detail["level"][position])
            if with_explain:
                from .explain import explain

                entry["explain"] = explain(self, code, position)
            indicators[code] = entry
        return {
            "unit": unit.id,
            "name": unit.name,
            "level": unit.level,
            "total": _round(self.total[position]) if scored else None,
            "max": _round(self.max[position]) if scored else None,
            "percent": _round(self.percent[position]) if scored else None,
            "rank": int(self.rank[position]) or None,
            "maturity": int(self.maturity[position]) if self.maturity is not None else None,
            "indicators": indicators,
        }

    @property
    def _output_order(self) -> list[str]:
        return [node.code for node, _ in self.compiled.framework.walk()]

    def to_dict(self, *, with_explain: bool = True) -> dict:
        return {
            "framework": self.compiled.framework.code,
            "units": [self.unit_result(i, with_explain=with_explain) for i in range(len(self.data.units))],
            "problems": [p.as_dict() for p in self.problems],
        }


def _round(value: float) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), 4)


def score(
    compiled: CompiledFramework,
    data: Dataset,
    previous: Dataset | None = None,
    *,
    year: int | None = None,
) -> ScoreResult:
    """Score every unit of ``data``; ``previous`` feeds growth rules (aligned by unit id)."""
    return _Run(compiled, data, previous, year or compiled.framework.year).run()


class _Run:
    def __init__(self, compiled: CompiledFramework, data: Dataset, previous: Dataset | None, year: int):
        self.compiled = compiled
        self.framework = compiled.framework
        self.data = data
        self.size = len(data.units)  # elements per array; n × k while a batch is evaluated
        self.units_n = self.size
        self._batch: list[Node] | None = None
        self.year = year
        self.problems: list[Problem] = list(data.problems)
        level_codes = self.framework.level_codes
        self.level_idx = np.full(self.size, -1, dtype=np.int64)
        for i, code in enumerate(level_codes):
            self.level_idx[data.unit_levels == code] = i
        for position in np.flatnonzero(self.level_idx < 0):
            unit = data.units[position]
            self.problems.append(
                Problem(unit.id, None, f"cấp '{unit.level}' không có trong bộ chỉ số ({', '.join(level_codes)})")
            )
        self.level_masks = {code: self.level_idx == i for i, code in enumerate(level_codes)}
        self.previous = self._align_previous(previous) if previous is not None else None
        self.results: dict[str, IndicatorResult] = {}
        self._not_peer = np.zeros(self.size, dtype=bool)
        self._level_cache: dict[tuple, np.ndarray] = {}
        self.info = self._check_general()

    def _check_general(self) -> dict[str, np.ndarray]:
        """Range checks on Thông tin chung: an out-of-range value is reported and not used."""
        checked = {}
        for general in self.framework.general_info:
            name = f"info.{general.var}"
            column = self.data.values.get(name)
            if column is None or (general.min is None and general.max is None):
                continue
            bad = np.zeros(self.size, dtype=bool)
            if general.min is not None:
                bad |= column < general.min
            if general.max is not None:
                bad |= column > general.max
            if bad.any():
                spec = self.compiled.fields[name]
                for position in np.flatnonzero(bad):
                    message = check_range(spec, float(column[position]))
                    self.problems.append(Problem(self.data.units[position].id, name, f"{general.label}: {message}"))
                checked[name] = np.where(bad, np.nan, column)
        return checked

    def _align_previous(self, previous: Dataset) -> dict[str, np.ndarray]:
        if len(previous.units) == self.size and np.array_equal(previous.unit_ids, self.data.unit_ids):
            # same units in the same order: nothing to move (arrays are only read)
            return dict(previous.values)
        where = previous.index
        take = np.array([where.get(u.id, -1) for u in self.data.units], dtype=np.int64)
        present = take >= 0
        aligned = {}
        for name, values in previous.values.items():
            column = np.full(self.size, np.nan)
            column[present] = values[take[present]]
            aligned[name] = column
        return aligned

    # ------------------------------------------------------------------ run

    def run(self) -> ScoreResult:
        children_criteria = []
        leaves = []
        for code in self.compiled.order:
            node = self.compiled.nodes[code]
            if node.is_leaf:
                if node.indicator.maturity is not None and node.indicator.maturity.children is not None:
                    children_criteria.append(node)
                else:
                    leaves.append(node)
        for batch in _batches(leaves):
            for node, result in zip(batch, self._leaf_batch(batch)):
                self.results[node.code] = result
        maturity = None
        if self.framework.maturity_levels:
            maturity = self._maturity()
            for node in children_criteria:
                self.results[node.code] = self._children_criterion(node, maturity)
            if children_criteria:
                maturity = self._maturity()
        for code in self.compiled.order:
            node = self.compiled.nodes[code]
            if not node.is_leaf:
                self.results[code] = self._parent(node)
        total, maximum = np.zeros(self.size), np.zeros(self.size)
        for root in self.compiled.roots:
            result = self.results[root.code]
            total += np.nan_to_num(result.score)
            maximum += result.max
        with np.errstate(divide="ignore", invalid="ignore"):
            percent = np.where(maximum > 0, total * 100.0 / np.where(maximum > 0, maximum, 1), np.nan)
        if self.framework.scored:
            key = percent if self.framework.policies.rescale else total
        elif maturity is not None:
            key = maturity.astype(float)
        else:
            key = None
        rank = self._rank(key) if key is not None else np.zeros(self.size, dtype=np.int64)
        return ScoreResult(
            self.compiled,
            self.data,
            self.results,
            total,
            maximum,
            percent,
            rank,
            maturity,
            self.problems,
            self.previous,
            self.year,
        )

    def _rank(self, key: np.ndarray) -> np.ndarray:
        """Competition ranking per level: highest first, ties share a rank (1, 2, 2, 4)."""
        rank = np.zeros(self.size, dtype=np.int64)
        rounded = np.round(np.nan_to_num(key, nan=-np.inf), 9)
        for mask in self.level_masks.values():
            positions = np.flatnonzero(mask)
            if positions.size == 0:
                continue
            values = -rounded[positions]
            ordered = np.sort(values)
            rank[positions] = np.searchsorted(ordered, values, side="left") + 1
        return rank

    # ------------------------------------------------------------------ leaves

    def _env(self, node: Node, source: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """The inputs of ``node`` (or, inside a batch, of every batch indicator laid end to end)."""
        if self._batch is None:
            return self._unit_env(node, source)
        singles = [self._unit_env(member, source) for member in self._batch]
        return {name: np.concatenate([env[name] for env in singles]) for name in singles[0]}

    def _unit_env(self, node: Node, source: dict[str, np.ndarray] | None) -> dict[str, np.ndarray]:
        values = self.data.values if source is None else source
        nan = np.full(self.units_n, np.nan)
        env = {}
        for spec in node.indicator.inputs:
            env[spec.var] = values.get(f"{node.code}.{spec.var}", nan)
        for expression in node.expressions.values():
            for name in expression.variables:
                if name.startswith("info."):
                    checked = self.info.get(name) if source is None else None
                    env[name] = checked if checked is not None else values.get(name, nan)
        return env

    def _leaf_batch(self, batch: list[Node]) -> list[IndicatorResult]:
        """Score indicators of the same shape together: one pass over n × k elements instead of k passes."""
        if len(batch) == 1:
            return [self._leaf(batch[0])]
        n, k = self.units_n, len(batch)
        applicable = np.concatenate([self._applicable(node) for node in batch])
        maximum = np.concatenate([self._max_array(node) for node in batch])
        declared = [self._declared(node) for node in batch]
        if all(d is None for d in declared):
            joined = None
        else:
            joined = np.concatenate([np.zeros(n, dtype=np.int8) if d is None else d for d in declared])
        self._batch, self.size = batch, n * k
        try:
            result = self._leaf(batch[0], applicable=applicable, maximum=maximum, declared=joined)
        finally:
            self._batch, self.size = None, n
        return [_rows(result, slice(i * n, (i + 1) * n)) for i in range(k)]

    def _max_array(self, node: Node) -> np.ndarray:
        key = tuple(
            np.nan if node.max_by_level.get(code) is None else float(node.max_by_level[code])
            for code in self.framework.level_codes
        )
        return self._per_level(key, np.nan)

    def _applicable(self, node: Node) -> np.ndarray:
        return self._per_level(tuple(code in node.levels for code in self.framework.level_codes), False)

    def _per_level(self, key: tuple, unknown) -> np.ndarray:
        """One value per level spread over the units; shared between indicators, so read-only."""
        cached = self._level_cache.get(key)
        if cached is None:
            cached = np.array(list(key) + [unknown])[self.level_idx]
            cached.flags.writeable = False
            self._level_cache[key] = cached
        return cached

    def _validate_inputs(self, node: Node, env: dict[str, np.ndarray], applicable: np.ndarray) -> np.ndarray:
        """Range and cross-field checks; returns the units whose data for ``node`` is invalid."""
        invalid = np.zeros(self.size, dtype=bool)
        for spec in node.indicator.inputs:
            column = env[spec.var]
            low, high = spec.min, spec.max
            if low is None and high is None or column.size == 0:
                continue
            # one pass each to see whether any value is out of range (fmin/fmax skip NaN)
            if (low is None or not np.fmin.reduce(column) < low) and (
                high is None or not np.fmax.reduce(column) > high
            ):
                continue
            if low is not None and high is not None:
                bad = (column < low) | (column > high)
            else:
                bad = column < low if low is not None else column > high
            bad &= applicable
            if bad.any():
                for position in np.flatnonzero(bad):
                    owner, unit = self._owner(node, position)
                    field_spec = self.compiled.fields[f"{owner.code}.{spec.var}"]
                    message = check_range(field_spec, float(column[position]))
                    self.problems.append(Problem(unit.id, field_spec.name, f"{spec.label}: {message}", owner.code))
                invalid |= bad
        for expression, message in node.constraints:
            holds, _ = expression.evaluate(env, self.size)
            present = np.ones(self.size, dtype=bool)
            for name in expression.variables:
                present &= ~np.isnan(env[name])
            broken = present & ~holds.astype(bool) & applicable & ~invalid
            for position in np.flatnonzero(broken):
                owner, unit = self._owner(node, position)
                values = ", ".join(f"{n} = {format_number(env[n][position])}" for n in expression.variables)
                self.problems.append(
                    Problem(unit.id, f"{owner.code}.{expression.variables[0]}", f"{message} ({values})", owner.code)
                )
            invalid |= broken
        return invalid

    def _owner(self, node: Node, position: int) -> tuple[Node, object]:
        """The indicator and unit an array position belongs to (batches lay indicators end to end)."""
        row, unit = divmod(int(position), self.units_n)
        return (self._batch[row] if self._batch else node), self.data.units[unit]

    def _leaf(self, node: Node, *, applicable=None, maximum=None, declared=_UNSET) -> IndicatorResult:
        indicator = node.indicator
        env = self._env(node)
        if applicable is None:
            applicable = self._applicable(node)
        invalid = self._validate_inputs(node, env, applicable)
        if declared is _UNSET:
            declared = self._declared(node)
        # units whose data must not count: invalid, or declared without content / exempt
        self._not_peer = invalid if declared is None else invalid | (declared != 0)
        if indicator.maturity is not None:
            result = self._criterion(node, env)
        else:
            if maximum is None:
                maximum = self._max_array(node)
            result = self._rule(indicator.rule, env, maximum, node, "rule")
            if isinstance(indicator.rule, KpiRule) or not self.framework.scored:
                result.status = np.where(result.status == OK, VALUE_ONLY, result.status).astype(np.int8)
        status = result.status
        status[invalid] = INVALID
        if declared is not None:
            status[declared == NO_CONTENT] = NO_CONTENT_S
            status[declared == EXEMPT] = EXEMPT_S
        status[~applicable] = NOT_APPLICABLE
        if "met" in result.detail and invalid.any():
            # Invalid data meets no level where the criterion is required.
            for index, condition in enumerate(indicator.maturity.levels or []):
                if condition is not None and condition.when is not None:
                    result.detail["met"][index, invalid] = False
            result.detail["level"][invalid] = 0
        if indicator.maturity is None and self.framework.scored and not isinstance(indicator.rule, KpiRule):
            self._apply_policies(result, maximum)
        else:
            result.score = np.full(self.size, np.nan)
            result.max = np.zeros(self.size)
        return result

    def _declared(self, node: Node) -> np.ndarray | None:
        """Declared no_content / exempt: the indicator's own, else its nearest ancestor's
        ('2.status = exempt' exempts every indicator of pillar 2)."""
        declared = None
        code: str | None = node.code
        while code is not None and self.data.statuses:
            own = self.data.statuses.get(code)
            if own is not None:
                declared = own if declared is None else np.where(declared != 0, declared, own)
            code = self.compiled.nodes[code].parent
        return declared

    def _apply_policies(self, result: IndicatorResult, maximum: np.ndarray) -> None:
        policies = self.framework.policies
        # Scores are NaN only where the status is not OK, and the maximum only where the level lacks
        # the indicator (not OK either): clip in place, then fix the few other units.
        score = result.score if result.score.flags.writeable and result.score is not maximum else result.score.copy()
        np.minimum(score, maximum, out=score)
        np.maximum(score, 0.0, out=score)
        positions = np.flatnonzero(result.status != OK)
        if positions.size == 0:
            result.score, result.max = score, maximum
            return
        effective = maximum.copy()
        effective[positions] = np.nan_to_num(effective[positions])
        # the same steps on the units that are not OK only
        status = result.status[positions]
        full_score, full_effective = score, effective
        score, effective = score[positions], effective[positions]
        excluded = status == NOT_APPLICABLE
        missing = (status == NO_DATA) | (status == INVALID)
        score[missing] = 0
        if policies.missing_data == "exclude":
            excluded |= missing
        no_content = status == NO_CONTENT_S
        if policies.no_content == "full":
            score[no_content] = effective[no_content]
        elif policies.no_content == "zero":
            score[no_content] = 0
        else:
            excluded |= no_content
        exempt = status == EXEMPT_S
        if policies.exempt == "full":
            score[exempt] = effective[exempt]
        else:
            excluded |= exempt
        score[excluded] = np.nan
        effective[excluded] = 0
        full_score[positions], full_effective[positions] = score, effective
        result.score, result.max = full_score, full_effective

    # ------------------------------------------------------------------ rules

    def _measure(self, rule, env, node: Node, path: str) -> tuple[np.ndarray, np.ndarray]:
        expression = node.expressions[path]
        values, zero = expression.evaluate(env, self.size)
        if getattr(rule, "percent", False):
            values = values * 100.0
        # A missing input makes the value NaN; so does a zero denominator, which is told apart here.
        status = np.zeros(self.size, dtype=np.int8)
        status[np.isnan(values)] = NO_DATA
        if zero.any():
            positions = np.flatnonzero(zero)
            given = np.ones(positions.size, dtype=bool)
            for name in expression.variables:
                given &= ~np.isnan(env[name][positions])
            status[positions[given]] = _ZERO_DIVISION
        return values, status

    def _resolve_zero(self, rule, score: np.ndarray, status: np.ndarray, maximum: np.ndarray) -> None:
        zero = status == _ZERO_DIVISION
        if not zero.any():
            return
        how = rule.when_zero_denominator
        if how == "full":
            score[zero], status[zero] = maximum[zero], OK
        elif how == "zero":
            score[zero], status[zero] = 0, OK
        else:
            status[zero] = NO_DATA if how == "no_data" else NOT_APPLICABLE

    def _award(self, award: Award, maximum: np.ndarray) -> np.ndarray:
        if award.points is not None:
            return np.full(self.size, float(award.points))
        return award.share * maximum

    def _steps(self, steps, otherwise: Award, values: np.ndarray, maximum: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        score = self._award(otherwise, maximum).copy()
        matched = np.full(self.size, -1, dtype=np.int64)
        for index, step in enumerate(steps):
            hit = _compare(step.op, values, step.threshold) & (matched < 0)
            score[hit] = self._award(step, maximum)[hit]
            matched[hit] = index
        return score, matched

    def _rule(self, rule: Rule, env, maximum: np.ndarray, node: Node, path: str) -> IndicatorResult:
        detail: dict = {}
        if isinstance(rule, (ChoiceRule, YesNoRule, DateRule, ManualRule)):
            values = env[rule.field]
            status = np.where(np.isnan(values), NO_DATA, OK).astype(np.int8)
            if isinstance(rule, ChoiceRule):
                spec = next(f for f in node.indicator.inputs if f.var == rule.field)
                table = np.zeros((len(spec.options or []) + 1, self.size))
                for choice in rule.scores:
                    position = [o.value for o in spec.options].index(choice.option)
                    table[position] = self._award(choice, maximum)
                index = np.where(np.isnan(values), len(spec.options), values).astype(np.int64)
                score = table[index, np.arange(self.size)]
            elif isinstance(rule, YesNoRule):
                score = np.where(values == 1, self._award(rule.yes, maximum), self._award(rule.no, maximum))
            elif isinstance(rule, DateRule):
                deadlines = [self._deadline(step.by) for step in rule.steps]
                score = self._award(rule.otherwise, maximum).copy()
                matched = np.full(self.size, -1, dtype=np.int64)
                with np.errstate(invalid="ignore"):
                    early = values < self._deadline(rule.since)
                matched[early] = -2  # before the assessment period: no step applies
                score[early] = self._award(rule.early, maximum)[early]
                for index, (step, deadline) in enumerate(zip(rule.steps, deadlines)):
                    with np.errstate(invalid="ignore"):
                        hit = (values <= deadline) & (matched == -1)
                    score[hit] = self._award(step, maximum)[hit]
                    matched[hit] = index
                detail["matched"] = matched
            else:
                score = values.copy()
            # A choice's stored number is an option index, not a measured value.
            shown = np.full(self.size, np.nan) if isinstance(rule, ChoiceRule) else values
            return IndicatorResult(score, maximum, status, shown, detail)
        if isinstance(rule, PartsRule):
            return self._parts(rule, env, maximum, node, path)
        if isinstance(rule, GrowthRule):
            return self._growth(rule, env, maximum, node, path)
        values, status = self._measure(rule, env, node, path)
        if isinstance(rule, RatioRule):
            target = rule.effective_target
            if rule.direction == "higher":
                share = np.clip(values / target, 0, 1)
            else:
                share = np.clip((100.0 - values) / (100.0 - target), 0, 1)
            score = share * maximum
        elif isinstance(rule, StepsRule):
            score, matched = self._steps(rule.steps, rule.otherwise, values, maximum)
            detail["matched"] = matched
        elif isinstance(rule, CountRule):
            if rule.per_item is not None:
                score = np.minimum(values * rule.per_item, maximum)
            else:
                full = _compare(">=", values, rule.minimum)
                partial = values / rule.minimum * maximum if rule.below_minimum == "proportional" else 0 * maximum
                score = np.where(full, maximum, partial)
        elif isinstance(rule, RelativeRule):
            score = self._relative(rule, values, status, maximum, detail)
        elif isinstance(rule, KpiRule):
            score = np.full(self.size, np.nan)
        else:  # pragma: no cover - the model's union is exhaustive
            raise TypeError(rule)
        detail["zero"] = status == _ZERO_DIVISION
        self._resolve_zero(rule, score, status, maximum)
        score = np.where(status == OK, score, np.nan)
        return IndicatorResult(score, maximum, status, values, detail)

    def _deadline(self, ddmm: str) -> float:
        day, month = (int(x) for x in ddmm.split("/"))
        return float(dt.date(self.year, month, day).toordinal())

    def _relative(self, rule: RelativeRule, values, status, maximum, detail) -> np.ndarray:
        score = np.zeros(self.size)
        best = np.full(self.size, np.nan)
        worst = np.full(self.size, np.nan)
        higher = rule.direction == "higher"
        n = self.units_n
        eligible = (status == OK) & ~self._not_peer
        for start in range(0, self.size, n):  # each indicator of a batch has its own peers
            rows = slice(start, start + n)
            self._relative_row(rule, higher, values[rows], eligible[rows], maximum[rows],
                               score[rows], best[rows], worst[rows])
        detail["best"], detail["worst"] = best, worst
        return score

    def _relative_row(self, rule, higher, values, eligible, maximum, score, best, worst) -> None:
        for mask in self.level_masks.values():
            peers = mask & eligible
            if not peers.any():
                continue
            v = values[peers]
            hi, lo = float(v.max()), float(v.min())
            best[mask], worst[mask] = (hi, lo) if higher else (lo, hi)
            if rule.method == "min_max":
                if hi == lo:
                    share = np.full(v.shape, 0.0 if (higher and hi == 0) else 1.0)
                else:
                    share = (v - lo) / (hi - lo) if higher else (hi - v) / (hi - lo)
            elif higher:
                share = v / hi if hi > 0 else np.zeros(v.shape)
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    share = np.where(v > 0, lo / np.where(v > 0, v, 1), 1.0)
            score[peers] = np.clip(share, 0, 1) * maximum[peers]

    def _growth(self, rule: GrowthRule, env, maximum, node: Node, path: str) -> IndicatorResult:
        current, status = self._measure(rule, env, node, path)
        if self.previous is None:
            previous = np.full(self.size, np.nan)
        else:
            previous, _ = node.expressions[path].evaluate(self._env(node, self.previous), self.size)
            if rule.percent:
                previous = previous * 100.0
        detail = {"current": current, "previous": previous}
        no_previous = np.isnan(previous) & (status == OK)
        status[no_previous] = NO_DATA
        detail["no_previous"] = no_previous
        zero_previous = (previous == 0) & (status == OK)
        status[zero_previous] = _ZERO_DIVISION
        with np.errstate(invalid="ignore", divide="ignore"):
            growth = (current - previous) / np.abs(previous) * 100.0
        if rule.target is not None:
            score = np.clip(growth / rule.target, 0, 1) * maximum
        else:
            score, matched = self._steps(rule.steps, rule.otherwise, growth, maximum)
            detail["matched"] = matched
        self._resolve_zero(rule, score, status, maximum)
        score = np.where(status == OK, score, np.nan)
        return IndicatorResult(score, maximum, status, growth, detail)

    def _parts(self, rule: PartsRule, env, maximum, node: Node, path: str) -> IndicatorResult:
        total = np.zeros(self.size)
        any_data = np.zeros(self.size, dtype=bool)
        parts = []
        for index, part in enumerate(rule.parts):
            part_max = np.full(self.size, float(part.points)) if part.points is not None else part.share * maximum
            sub = self._rule(part.rule, env, part_max, node, f"{path}.parts[{index}]")
            sub.score = np.clip(np.nan_to_num(sub.score), 0, part_max)
            sub.score[sub.status != OK] = 0
            total += sub.score
            any_data |= sub.status == OK
            sub.max = part_max
            parts.append(sub)
        status = np.where(any_data, OK, NO_DATA).astype(np.int8)
        score = np.where(any_data, np.minimum(total, maximum), np.nan)
        return IndicatorResult(score, maximum, status, np.full(self.size, np.nan), {"parts": parts, "sum": total})

    # ------------------------------------------------------------------ maturity

    def _criterion(self, node: Node, env) -> IndicatorResult:
        maturity = node.indicator.maturity
        if maturity.value is not None:
            values, status = self._measure(maturity, env, node, "maturity")
            status[status == _ZERO_DIVISION] = NO_DATA
        else:
            values = env[maturity.field]
            status = np.where(np.isnan(values), NO_DATA, OK).astype(np.int8)
        met = np.ones((len(maturity.levels), self.size), dtype=bool)
        for index, condition in enumerate(maturity.levels):
            if condition is None or condition.when is None:
                continue  # Không áp dụng at this level
            step = _when(condition.when)
            met[index] = _compare(step.op, values, step.threshold) & (status == OK)
        return self._criterion_result(values, status, met, maturity.levels)

    def _criterion_result(self, values, status, met, conditions) -> IndicatorResult:
        # The criterion's own level: highest level it meets where it is required.
        level = np.zeros(self.size, dtype=np.int64)
        for index, condition in enumerate(conditions):
            if condition is not None and getattr(condition, "when", True) is not None:
                level[met[index]] = index + 1
        status = status.copy()
        return IndicatorResult(np.full(self.size, np.nan), np.zeros(self.size), status, values,
                               {"met": met, "level": level})

    def _children_criterion(self, node: Node, maturity_now: np.ndarray) -> IndicatorResult:
        spec = node.indicator.maturity
        index = self.data.index
        parent = np.array([index.get(u.parent, -1) if u.parent else -1 for u in self.data.units], dtype=np.int64)
        is_child = (parent >= 0) & self.level_masks.get(spec.child_level, np.zeros(self.size, dtype=bool))
        counts = np.bincount(parent[is_child], minlength=self.size).astype(float)
        met = np.ones((len(spec.children), self.size), dtype=bool)
        has_children = counts > 0
        shares = {}
        for i, condition in enumerate(spec.children):
            reach_all = np.bincount(
                parent[is_child], weights=(maturity_now[is_child] >= condition.all_at_least), minlength=self.size
            )
            ok = has_children & (reach_all == counts)
            if condition.share_at_least is not None:
                reach = np.bincount(
                    parent[is_child], weights=(maturity_now[is_child] >= condition.share_at_least), minlength=self.size
                )
                with np.errstate(invalid="ignore", divide="ignore"):
                    share = np.where(has_children, reach * 100.0 / np.where(has_children, counts, 1), 0)
                shares[i] = share
                ok &= share >= condition.min_share
            met[i] = ok
        status = np.where(has_children, OK, NO_DATA).astype(np.int8)
        status[~self._applicable(node)] = NOT_APPLICABLE
        result = self._criterion_result(counts, status, met, spec.children)
        result.detail["children"] = counts
        result.detail["shares"] = shares
        result.value = counts
        return result

    def _maturity(self) -> np.ndarray:
        levels = len(self.framework.maturity_levels)
        all_met = np.ones((levels, self.size), dtype=bool)
        for node in self.compiled.leaves:
            result = self.results.get(node.code)
            if result is None or "met" not in result.detail:
                continue
            applicable = self._applicable(node)
            exempt = (result.status == EXEMPT_S) | (result.status == NOT_APPLICABLE)
            counts = applicable & ~exempt
            all_met &= result.detail["met"] | ~counts
        reached = np.zeros(self.size, dtype=np.int64)
        for index in range(levels):
            reached[all_met[index]] = index + 1
        reached[self.level_idx < 0] = 0
        return reached

    # ------------------------------------------------------------------ parents

    def _parent(self, node: Node) -> IndicatorResult:
        children = [self.results[c] for c in node.children]
        score = np.zeros(self.size)
        maximum = np.zeros(self.size)
        included = np.zeros(self.size, dtype=bool)
        for child in children:
            has = ~np.isnan(child.score)
            score += np.where(has, child.score, 0)
            maximum += child.max
            included |= has
        status = np.where(included, OK, children[0].status).astype(np.int8)
        if not self.framework.scored:
            status = np.where(self._applicable(node), VALUE_ONLY, NOT_APPLICABLE).astype(np.int8)
        status[~self._applicable(node)] = NOT_APPLICABLE
        score = np.where(included, score, np.nan)
        return IndicatorResult(score, maximum, status, np.full(self.size, np.nan))


def _when(when: str):
    from .model import Step

    return Step(when=when, points=0)


def _batches(leaves: list[Node]) -> list[list[Node]]:
    """Indicators with the same rule, inputs and constraints are scored as one batch."""
    groups: dict[object, list[Node]] = {}
    for node in leaves:
        groups.setdefault(node.batch_key or id(node), []).append(node)
    return list(groups.values())


def _rows(value, rows: slice):
    """One indicator's share of a batch result (views, no copies)."""
    if isinstance(value, IndicatorResult):
        return IndicatorResult(_rows(value.score, rows), _rows(value.max, rows), _rows(value.status, rows),
                               _rows(value.value, rows), _rows(value.detail, rows))
    if isinstance(value, np.ndarray):
        return value[..., rows]
    if isinstance(value, dict):
        return {key: _rows(item, rows) for key, item in value.items()}
    if isinstance(value, list):
        return [_rows(item, rows) for item in value]
    return value


def _parse_when(when: str):
    step = _when(when)
    return _OPS[step.op], step.threshold


def _compare(op: str, values: np.ndarray, threshold: float) -> np.ndarray:
    """``values <op> threshold`` read as the document means it: 7/100 × 100 is 7%, not
    7.000000000000001%, so values within a relative 1e-9 of the threshold count as equal to it."""
    eps = 1e-9 * max(1.0, abs(threshold))
    with np.errstate(invalid="ignore"):
        if op == ">":
            return values > threshold + eps
        if op == ">=":
            return values >= threshold - eps
        if op == "<":
            return values < threshold - eps
        if op == "<=":
            return values <= threshold + eps
        return np.abs(values - threshold) <= eps
