"""One vectorised scoring run: every unit of every level at once.

Each leaf indicator is evaluated over arrays (one element per unit); peer-relative
rules look at the peers of the same level in the same run; parents are sums of
their children; totals, percentages, maturity levels and ranks follow.  Explanations
are produced lazily (``explain``), so a national run stays a few array passes.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import operator
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from .compiled import CompiledFramework, Node
from .data import EXEMPT, NO_CONTENT, Columns, Dataset, Problem, check_range, format_number
from .memory import keep_freed_memory
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
    # set by rules whose score is within [0, max] where the status is OK and NaN where the data
    # is missing: the policies then have less to do
    clean: bool = field(default=False, repr=False, compare=False)


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
            if code in self.compiled.readings:
                entry["reading"] = self.compiled.readings[code]
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
            **({"readings": dict(self.compiled.readings)} if self.compiled.readings else {}),
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
    threads: int | None = None,
) -> ScoreResult:
    """Score every unit of ``data``; ``previous`` feeds growth rules (aligned by unit id).

    ``threads``: how many threads score the batches of indicators; by default one per core
    (``DTI_THREADS`` overrides it) for runs of at least ``PARALLEL_MIN_CELLS`` units × indicators.
    numpy releases the interpreter lock inside its array loops, so two threads overlap;
    the result is the same whatever the number of threads."""
    keep_freed_memory()
    run = _Run(compiled, data, previous, year or compiled.framework.year)
    if threads is None:
        cells = len(data.units) * len(compiled.leaves)
        threads = default_threads() if cells >= PARALLEL_MIN_CELLS else 1
    run.threads = max(1, threads)
    return run.run()


# Measured break-even on the 2-core machine: about 6,000 units × 100 indicators.  Below it the
# threads wait on the interpreter lock more than they overlap.
PARALLEL_MIN_CELLS = 800_000
_pool: ThreadPoolExecutor | None = None


def default_threads() -> int:
    """Threads a large run uses: ``DTI_THREADS``, else one per core (at most 4)."""
    try:
        return max(1, int(os.environ.get("DTI_THREADS", "")))
    except ValueError:
        return min(os.cpu_count() or 1, 4)


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="dti-score")
    return _pool


def _forget_pool() -> None:  # a forked child does not inherit the parent's threads
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


class _Run:
    def __init__(self, compiled: CompiledFramework, data: Dataset, previous: Dataset | None, year: int):
        self.compiled = compiled
        self.framework = compiled.framework
        self.data = data
        self.size = len(data.units)  # elements per array; n × k while a batch is evaluated
        self.units_n = self.size
        self.threads = 1
        self._batch: list[Node] | None = None
        self.year = year
        self.problems: list[Problem] = list(data.problems)
        level_codes = self.framework.level_codes
        self.level_idx = data.level_positions(tuple(level_codes))
        for position in np.flatnonzero(self.level_idx < 0):
            unit = data.units[position]
            self.problems.append(
                Problem(unit.id, None, f"cấp '{unit.level}' không có trong bộ chỉ số ({', '.join(level_codes)})")
            )
        self.level_masks = {code: self.level_idx == i for i, code in enumerate(level_codes)}
        self.previous = self._align_previous(previous) if previous is not None else None
        self.results: dict[str, IndicatorResult] = {}
        self._not_peer: np.ndarray | None = None
        self._level_cache: dict[tuple, np.ndarray] = {}
        self._level_key_of: dict[int, tuple] = {}  # id of a cached per-level array → its values per level
        self._nan = np.full(self.size, np.nan)
        self._nan.flags.writeable = False
        self._level_selectors = [_selector(mask) for mask in self.level_masks.values() if mask.any()]
        self._every_unit_levelled = bool((self.level_idx >= 0).all())
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
            return previous.values
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
        children_criteria = [node for node in self.compiled.leaves
                             if node.indicator.maturity is not None and node.indicator.maturity.children is not None]
        self._score_batches()
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
            total += np.fmax(result.score, 0.0)  # scores are never negative; fmax turns NaN into 0
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

    def _score_batches(self) -> None:
        """Every batch of leaves; with threads, each takes the next batch not yet taken.  Each
        thread works on a shallow copy of the run (the batch state is per copy; the caches are
        shared) and the results and problems are put back in batch order."""
        batches = self.compiled.batches
        outcomes: list = [None] * len(batches)
        taken = itertools.count()  # next() on it is atomic

        def work() -> None:
            worker = copy.copy(self)
            while (index := next(taken)) < len(batches):
                worker.problems = []
                outcomes[index] = (worker._leaf_batch(batches[index]), worker.problems)

        helpers = [_thread_pool().submit(work) for _ in range(min(self.threads, len(batches)) - 1)]  # none: one thread
        work()
        for helper in helpers:
            helper.result()
        for batch, (results, problems) in zip(batches, outcomes):
            for node, result in zip(batch, results):
                self.results[node.code] = result
            self.problems += problems

    def _rank(self, key: np.ndarray) -> np.ndarray:
        """Competition ranking per level: highest first, ties share a rank (1, 2, 2, 4)."""
        rank = np.zeros(self.size, dtype=np.int64)
        rounded = np.round(np.nan_to_num(key, nan=-np.inf), 9)
        for level in self._level_selectors:
            positions = np.arange(self.size)[level]
            values = -rounded[level]
            order = np.argsort(values)  # stability is not needed: equal values get equal ranks
            ordered = values[order]
            # a new rank starts where the value changes; equal values keep the first one's rank
            starts = np.empty(ordered.size, dtype=bool)
            starts[0], starts[1:] = True, ordered[1:] != ordered[:-1]
            ranks = np.maximum.accumulate(np.where(starts, np.arange(1, ordered.size + 1), 0))
            rank[positions[order]] = ranks
        return rank

    # ------------------------------------------------------------------ leaves

    def _env(self, node: Node, source: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """The inputs of ``node`` (or, inside a batch, of every batch indicator laid end to end)."""
        if self._batch is None:
            return self._unit_env(node, source)
        values = self.data.values if source is None else source
        env, singles = {}, None
        for position, (var, _) in enumerate(node.input_fields):
            stacked = None
            if isinstance(values, Columns):
                stacked = values.stacked([member.input_fields[position][1] for member in self._batch])
            if stacked is None:
                singles = singles or [self._unit_env(member, source) for member in self._batch]
                stacked = np.concatenate([single[var] for single in singles])
            env[var] = stacked
        if node.info_fields:
            singles = singles or [self._unit_env(member, source) for member in self._batch]
            for name in node.info_fields:
                env[name] = np.concatenate([single[name] for single in singles])
        return env

    def _unit_env(self, node: Node, source: dict[str, np.ndarray] | None) -> dict[str, np.ndarray]:
        values = self.data.values if source is None else source
        nan = self._nan
        env = {var: values.get(name, nan) for var, name in node.input_fields}
        for name in node.info_fields:
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
        rows = [_rows(result, slice(i * n, (i + 1) * n)) for i in range(k)]
        if result.max is maximum:  # no unit excluded by its data: each maximum is its level's
            for node, row in zip(batch, rows):
                row.max = self._max_array(node)
        return rows

    def _max_array(self, node: Node) -> np.ndarray:
        """The maximum per unit; 0 where the unit's level lacks the indicator (it is not applicable there)."""
        return self._per_level(node.level_max, 0.0)

    def _applicable(self, node: Node) -> np.ndarray:
        return self._per_level(node.level_applicable, False)

    def _per_level(self, key: tuple, unknown) -> np.ndarray:
        """One value per level spread over the units; shared between indicators, so read-only."""
        tag = (type(unknown), key)  # (True, False) and (1.0, 0.0) are equal as dict keys
        cached = self._level_cache.get(tag)
        if cached is None:
            cached = np.array(list(key) + [unknown])[self.level_idx]
            cached.flags.writeable = False
            self._level_cache[tag] = cached
            self._level_key_of[id(cached)] = key
        return cached

    def _validate_inputs(self, node: Node, env: dict[str, np.ndarray], applicable: np.ndarray) -> np.ndarray | None:
        """Range and cross-field checks; returns where the data for ``node`` is invalid (None: nowhere)."""
        invalid = None
        for spec in node.indicator.inputs:
            column = env[spec.var]
            low, high = spec.min, spec.max
            if low is None and high is None or column.size == 0:
                continue
            # one read-only pass each to see whether any value is out of range (fmin/fmax skip NaN)
            if (low is None or not np.fmin.reduce(column) < low) and (
                high is None or not np.fmax.reduce(column) > high
            ):
                continue
            if low is not None and high is not None:
                bad = (column < low) | (column > high)
            else:
                bad = column < low if low is not None else column > high
            bad &= applicable
            positions = np.flatnonzero(bad)
            if positions.size:
                for owner, unit_id, value in self._located(node, positions, column):
                    field_spec = self.compiled.fields[f"{owner.code}.{spec.var}"]
                    self.problems.append(Problem(unit_id, field_spec.name,
                                                 partial(_range_message, field_spec, spec.label, value), owner.code))
                invalid = bad if invalid is None else invalid | bad
        for expression, message in node.constraints:
            broken = expression.violated(env, self.size)
            if not broken.any():
                continue
            positions = np.flatnonzero(broken)
            keep = applicable[positions]
            if invalid is not None:
                keep &= ~invalid[positions]
            positions = positions[keep]
            if positions.size == 0:
                continue
            names = expression.variables
            given = zip(*(env[name][positions].tolist() for name in names))
            fields = {}  # one field name per indicator of the batch
            for (owner, unit_id, _), values in zip(self._located(node, positions), given):
                code = owner.code
                name = fields.get(code) or fields.setdefault(code, f"{code}.{names[0]}")
                self.problems.append(Problem(unit_id, name, partial(_broken_message, message, names, values), code))
            if invalid is None:
                invalid = np.zeros(self.size, dtype=bool)
            invalid[positions] = True
        return invalid

    def _located(self, node: Node, positions: np.ndarray, column: np.ndarray | None = None):
        """(indicator, unit id, value) for array positions (batches lay indicators end to end)."""
        rows, units = np.divmod(positions, self.units_n)
        owners = self._batch or [node]
        values = column[positions].tolist() if column is not None else [None] * positions.size
        ids = self.data.unit_ids[units].tolist()
        return [(owners[row], unit_id, value) for row, unit_id, value in zip(rows.tolist(), ids, values)]

    def _leaf(self, node: Node, *, applicable=None, maximum=None, declared=_UNSET) -> IndicatorResult:
        indicator = node.indicator
        env = self._env(node)
        if applicable is None:
            applicable = self._applicable(node)
        invalid = self._validate_inputs(node, env, applicable)
        if declared is _UNSET:
            declared = self._declared(node)
        # units whose data must not count among peers: invalid, or declared without content / exempt
        if declared is None:
            self._not_peer = invalid
        else:
            self._not_peer = declared != 0 if invalid is None else invalid | (declared != 0)
        if indicator.maturity is not None:
            result = self._criterion(node, env)
        else:
            if maximum is None:
                maximum = self._max_array(node)
            result = self._rule(indicator.rule, env, maximum, node, "rule")
            if isinstance(indicator.rule, KpiRule) or not self.framework.scored:
                result.status = np.where(result.status == OK, VALUE_ONLY, result.status).astype(np.int8)
        status = result.status
        if invalid is not None:
            status[invalid] = INVALID
        if declared is not None:
            status[declared == NO_CONTENT] = NO_CONTENT_S
            status[declared == EXEMPT] = EXEMPT_S
        if not applicable.all():
            status[~applicable] = NOT_APPLICABLE
        if "met" in result.detail and invalid is not None:
            # Invalid data meets no level where the criterion is required.
            for index, condition in enumerate(indicator.maturity.levels or []):
                if condition is not None and condition.when is not None:
                    result.detail["met"][index, invalid] = False
            result.detail["level"][invalid] = 0
        if indicator.maturity is None and self.framework.scored and not isinstance(indicator.rule, KpiRule):
            self._apply_policies(result, maximum, applicable, declared is not None)
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

    def _apply_policies(self, result: IndicatorResult, maximum: np.ndarray, applicable: np.ndarray,
                        declared: bool) -> None:
        """The rule's score kept within [0, max] where the status is OK; the framework's policies
        elsewhere.  Written as whole-array arithmetic: masks that are neither all nor nothing make
        numpy's masked assignments branch unpredictably, several times slower than a multiply."""
        policies = self.framework.policies
        status = result.status
        score = result.score
        if not score.flags.writeable or score is result.value or score is maximum:
            score = score.copy()
        if result.clean and not declared:
            np.fmax(score, 0.0, out=score)  # NaN (missing data) → 0
            invalid = status == INVALID
            if invalid.any():
                score[invalid] = 0
        else:
            np.minimum(score, maximum, out=score)
            np.fmax(score, 0.0, out=score)  # also NaN → 0
            ok = status == OK
            if ok.all():
                result.score, result.max = score, maximum
                return
            np.multiply(score, ok, out=score)  # not OK → 0 points: the default for missing and invalid data
        excluded = status == NOT_APPLICABLE
        if policies.missing_data == "exclude":
            excluded |= (status == NO_DATA) | (status == INVALID)
        if declared:
            full = np.zeros(self.size, dtype=bool)
            no_content, exempt = status == NO_CONTENT_S, status == EXEMPT_S
            if policies.no_content == "full":
                full |= no_content
            elif policies.no_content == "exclude":
                excluded |= no_content
            if policies.exempt == "full":
                full |= exempt
            else:
                excluded |= exempt
            np.copyto(score, maximum, where=full)
        if excluded.any():
            score[excluded] = np.nan
            # the maximum is already 0 where the level lacks the indicator; the data excluded the rest
            by_data = excluded & applicable
            if by_data.any():
                maximum = np.where(by_data, 0.0, maximum)
        result.score, result.max = score, maximum

    # ------------------------------------------------------------------ rules

    def _measure(self, rule, env, node: Node, path: str) -> tuple[np.ndarray, np.ndarray]:
        expression = node.expressions[path]
        values, zero = expression.evaluate(env, self.size)
        if getattr(rule, "percent", False):
            values = values * 100.0
        # A missing input makes the value NaN; so does a zero denominator, which is told apart here.
        status = np.isnan(values).view(np.int8)  # NO_DATA is 1, OK is 0
        if zero.any():
            positions = np.flatnonzero(zero)
            given = np.ones(positions.size, dtype=bool)
            for name in expression.variables:
                given &= ~np.isnan(env[name][positions])
            status[positions[given]] = _ZERO_DIVISION
        return values, status

    def _resolve_zero(self, rule, score: np.ndarray, status: np.ndarray, maximum: np.ndarray,
                      zero: np.ndarray | None = None) -> None:
        if zero is None:
            zero = status == _ZERO_DIVISION
        if not zero.any():
            return
        how = rule.when_zero_denominator
        if how == "full":
            score[zero], status[zero] = maximum[zero], OK
        elif how == "zero":
            score[zero], status[zero] = 0, OK
        else:  # int8 arithmetic: a masked assignment would branch on every unit
            status -= zero.view(np.int8) * np.int8(_ZERO_DIVISION - (NO_DATA if how == "no_data" else NOT_APPLICABLE))

    def _award(self, award: Award, maximum: np.ndarray) -> np.ndarray:
        if award.points is not None:
            return np.full(self.size, float(award.points))
        return award.share * maximum

    def _select(self, matched: np.ndarray, awards: list[Award], maximum: np.ndarray) -> np.ndarray:
        """The points of the award each unit matched (``matched`` indexes ``awards``, negative
        from the end): a lookup in a small table, then one multiply by the maximum."""
        earning = [i for i, a in enumerate(awards) if a.share or a.points]
        if len(earning) == 1:  # yes/no and the like: one multiply by the hit mask, no lookup
            index = earning[0]
            hit = (matched == index) | (matched == index - len(awards))  # counted from either end
            award = awards[index]
            points = np.full(self.size, float(award.points)) if award.points else award.share * maximum
            return np.multiply(points, hit, out=points)
        matched = matched.astype(np.intp)  # numpy's lookup is faster with native indices
        shares = np.array([a.share or 0.0 for a in awards])
        if not any(a.points for a in awards):  # 0 points is a share of 0
            return shares[matched] * maximum
        points = np.array([a.points or 0.0 for a in awards])
        if not any(a.share for a in awards):
            return points[matched]
        return shares[matched] * maximum + points[matched]  # one of the two terms is exactly 0

    def _first_hits(self, hits) -> np.ndarray:
        """Index of the first true condition per unit, -1 where none is: integer arithmetic on
        one byte per unit instead of masked assignments."""
        hits = list(hits)
        kind = np.int8 if len(hits) < 120 else np.int32
        matched = np.full(self.size, -1, dtype=kind)
        for index, hit in enumerate(hits):
            hit &= matched == -1
            matched += hit.view(np.int8).astype(kind, copy=False) * kind(index + 1)
        return matched

    def _steps(self, steps, otherwise: Award, values: np.ndarray, maximum: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        matched = self._first_hits(_compare(step.op, values, step.threshold) for step in steps)
        return self._select(matched, [*steps, otherwise], maximum), matched

    def _rule(self, rule: Rule, env, maximum: np.ndarray, node: Node, path: str) -> IndicatorResult:
        """The rule's score where the status is OK; elsewhere the score is left for the policies."""
        detail: dict = {}
        if isinstance(rule, (ChoiceRule, YesNoRule, DateRule, ManualRule)):
            values = env[rule.field]
            status = np.isnan(values).view(np.int8)  # NO_DATA is 1, OK is 0
            if isinstance(rule, ChoiceRule):
                spec = next(f for f in node.indicator.inputs if f.var == rule.field)
                options = [o.value for o in spec.options or []]
                awards = [Award(share=0.0)] * (len(options) + 1)  # the last one: not given
                for choice in rule.scores:
                    awards[options.index(choice.option)] = choice
                index = np.fmax(values, -1.0).astype(np.int8 if len(awards) < 127 else np.int64)  # NaN → -1
                score = self._select(index, awards, maximum)
            elif isinstance(rule, YesNoRule):
                score = self._select((values == 1).view(np.int8), [rule.no, rule.yes], maximum)
            elif isinstance(rule, DateRule):
                with np.errstate(invalid="ignore"):
                    early = values < self._deadline(rule.since)  # before the assessment period: no step applies
                    hits = [values <= self._deadline(step.by) for step in rule.steps]
                for hit in hits:
                    hit &= ~early
                matched = self._first_hits(hits)
                matched -= early.view(np.int8)  # -2: early, -1: after every deadline
                score = self._select(matched, [*rule.steps, rule.early, rule.otherwise], maximum)
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
                share = values / target
            else:
                share = (100.0 - values) / (100.0 - target)
            score = _clip_share(share, maximum)
        elif isinstance(rule, StepsRule):
            score, matched = self._steps(rule.steps, rule.otherwise, values, maximum)
            detail["matched"] = matched
        elif isinstance(rule, CountRule):
            if rule.per_item is not None:
                score = np.minimum(values * rule.per_item, maximum)
            else:
                full = _compare(">=", values, rule.minimum)
                below = values / rule.minimum * maximum if rule.below_minimum == "proportional" else 0 * maximum
                score = np.where(full, maximum, below)
        elif isinstance(rule, RelativeRule):
            score = self._relative(rule, values, maximum, detail)
        elif isinstance(rule, KpiRule):
            score = np.full(self.size, np.nan)
        else:  # pragma: no cover - the model's union is exhaustive
            raise TypeError(rule)
        detail["zero"] = zero = status == _ZERO_DIVISION
        self._resolve_zero(rule, score, status, maximum, zero)
        # a share of the maximum kept within [0, 1], NaN wherever the value is (no data, zero denominator)
        clean = isinstance(rule, (RatioRule, RelativeRule))
        return IndicatorResult(score, maximum, status, values, detail, clean=clean)

    def _deadline(self, ddmm: str) -> float:
        day, month = (int(x) for x in ddmm.split("/"))
        return float(dt.date(self.year, month, day).toordinal())

    def _relative(self, rule: RelativeRule, values, maximum, detail) -> np.ndarray:
        """Against the peers of the same level; each indicator of a batch (a row) has its own peers.
        Peers are the units with a value (NaN marks no data and zero denominators) whose data counts."""
        n = self.units_n
        rows = self.size // n
        higher = rule.direction == "higher"
        peers = values
        if self._not_peer is not None and self._not_peer.any():
            peers = values.copy()
            peers[self._not_peer] = np.nan
        peers = peers.reshape(rows, n)
        shape = (rows, n)
        fill = np.empty if self._every_unit_levelled else partial(np.full, fill_value=np.nan)
        score, best, worst = fill(shape), fill(shape), fill(shape)
        for level in self._level_selectors:
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
            score[:, level] = _clip_share(share, maximum.reshape(shape)[:, level])
        detail["best"], detail["worst"] = best.reshape(-1), worst.reshape(-1)
        return score.reshape(-1)

    def _growth(self, rule: GrowthRule, env, maximum, node: Node, path: str) -> IndicatorResult:
        current, status = self._measure(rule, env, node, path)
        if self.previous is None:
            previous = np.full(self.size, np.nan)
        else:
            previous, _ = node.expressions[path].evaluate(self._env(node, self.previous), self.size)
            if rule.percent:
                previous = previous * 100.0
        detail = {"current": current, "previous": previous}
        ok = status == OK
        no_previous = np.isnan(previous) & ok
        status |= no_previous.view(np.int8)  # OK (0) → NO_DATA (1)
        detail["no_previous"] = no_previous
        zero_previous = (previous == 0) & ok
        status += zero_previous.view(np.int8) * np.int8(_ZERO_DIVISION)  # OK (0) → _ZERO_DIVISION
        with np.errstate(invalid="ignore", divide="ignore"):
            growth = current - previous
            growth /= np.abs(previous)
            growth *= 100.0
        if rule.target is not None:
            score = _clip_share(growth / rule.target, maximum)
        else:
            score, matched = self._steps(rule.steps, rule.otherwise, growth, maximum)
            detail["matched"] = matched
        self._resolve_zero(rule, score, status, maximum)
        return IndicatorResult(score, maximum, status, growth, detail)

    def _parts(self, rule: PartsRule, env, maximum, node: Node, path: str) -> IndicatorResult:
        total = np.zeros(self.size)
        any_data = np.zeros(self.size, dtype=bool)
        parts = []
        for index, part in enumerate(rule.parts):
            part_max = np.full(self.size, float(part.points)) if part.points is not None else part.share * maximum
            sub = self._rule(part.rule, env, part_max, node, f"{path}.parts[{index}]")
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
        score = np.fmax(children[0].score, 0.0)  # scores are never negative; fmax turns NaN into 0
        points = np.empty(self.size)
        for child in children[1:]:
            score += np.fmax(child.score, 0.0, out=points)
        keys = [self._level_key_of.get(id(child.max)) for child in children]
        if all(key is not None for key in keys):
            # every child's maximum is its level's: add them up per level, not per unit
            total = keys[0]
            for key in keys[1:]:
                total = tuple(a + b for a, b in zip(total, key))
            maximum = self._per_level(total, 0.0)
            anyone_at_zero = 0.0 in total or not self._every_unit_levelled
        else:
            maximum = children[0].max.copy()
            for child in children[1:]:
                maximum += child.max
            anyone_at_zero = True
        # Where every child is excluded the parent is too.  An excluded child's maximum is 0,
        # so only the units with a parent maximum of 0 need looking at.
        status = np.zeros(self.size, dtype=np.int8)
        candidates = np.flatnonzero(maximum == 0) if anyone_at_zero else ()
        if len(candidates):
            excluded = np.ones(candidates.size, dtype=bool)
            for child in children:
                excluded &= np.isnan(child.score[candidates])
            nothing = candidates[excluded]
            score[nothing] = np.nan
            status[nothing] = children[0].status[nothing]
        applicable = self._applicable(node)
        if not self.framework.scored:
            status = np.where(applicable, VALUE_ONLY, NOT_APPLICABLE).astype(np.int8)
        elif not applicable.all():
            status[~applicable] = NOT_APPLICABLE
        return IndicatorResult(score, maximum, status, self._nan)


def _broken_message(message: str, names: list[str], values: tuple[float, ...]) -> str:
    return f"{message} ({', '.join(f'{name} = {format_number(value)}' for name, value in zip(names, values))})"


def _range_message(field_spec, label: str, value: float) -> str:
    return f"{label}: {check_range(field_spec, value)}"


def _clip_share(share: np.ndarray, maximum: np.ndarray) -> np.ndarray:
    """share kept within [0, 1] (NaN stays NaN), times the maximum; in place, ``share`` is a temporary."""
    np.minimum(share, 1.0, out=share)
    np.maximum(share, 0.0, out=share)
    return np.multiply(share, maximum, out=share)


def _selector(mask: np.ndarray) -> slice | np.ndarray:
    """The positions of a level: a slice when they are contiguous (units listed level by level),
    so that per-level work reads views instead of gathering copies."""
    positions = np.flatnonzero(mask)
    if positions[-1] - positions[0] + 1 == positions.size:
        return slice(int(positions[0]), int(positions[-1]) + 1)
    return positions


def _when(when: str):
    from .model import Step

    return Step(when=when, points=0)


def _rows(value, rows: slice):
    """One indicator's share of a batch result (views, no copies)."""
    if isinstance(value, IndicatorResult):
        return IndicatorResult(value.score[rows], value.max[rows], value.status[rows], value.value[rows],
                               _RowDetail(value.detail, rows) if value.detail else {})
    if isinstance(value, np.ndarray):
        return value[..., rows]
    if isinstance(value, dict):
        return _RowDetail(value, rows)
    if isinstance(value, list):
        return [_rows(item, rows) for item in value]
    return value


class _RowDetail(Mapping):
    """A batch result's detail seen for one indicator: sliced when read (explanations are rare)."""

    __slots__ = ("_detail", "_rows")

    def __init__(self, detail: dict, rows: slice):
        self._detail, self._rows = detail, rows

    def __getitem__(self, key):
        return _rows(self._detail[key], self._rows)

    def __iter__(self):
        return iter(self._detail)

    def __len__(self) -> int:
        return len(self._detail)


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
