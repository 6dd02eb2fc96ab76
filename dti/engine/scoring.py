"""One vectorised scoring run: every unit of every level at once.

Each leaf indicator is evaluated over arrays (one element per unit); peer-relative
rules look at the peers of the same level in the same run; parents are sums of
their children; totals, percentages, maturity levels and ranks follow.  Explanations
are produced lazily (``explain``), so a national run stays a few array passes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import (
    EXEMPT_S,
    INVALID,
    NO_CONTENT_S,
    NO_DATA,
    NOT_APPLICABLE,
    OK,
    STATUS_CODES,
    STATUS_LABELS,
    VALUE_ONLY,
    ZERO_DIVISION,
    IndicatorResult,
    compare,
)
from .compiled import CompiledFramework, FieldSpec, Node
from .data import EXEMPT, NO_CONTENT, Columns, Dataset, Problem, range_message
from .messages import Message
from .model import ChildrenLevelCondition, LevelCondition
from .rules import Rule, kind_of, parse_when
from .rules.base import Measured, Valued, first_hits

Env = dict[str, np.ndarray]  # an indicator's inputs by variable name

__all__ = ["STATUS_CODES", "STATUS_LABELS", "IndicatorResult", "ScoreResult", "score"]
_UNSET = object()  # "not given" where None is a meaningful value


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

    def unit_result(self, position: int, *, with_explain: bool = True, lang: str = "vi") -> dict[str, Any]:
        unit = self.data.units[position]
        scored = self.compiled.framework.scored
        indicators: dict[str, dict[str, Any]] = {}
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

                entry["explain"] = explain(self, code, position, lang)
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

    def to_dict(self, *, with_explain: bool = True, lang: str = "vi") -> dict[str, Any]:
        return {
            "framework": self.compiled.framework.code,
            **({"readings": dict(self.compiled.readings)} if self.compiled.readings else {}),
            "units": [self.unit_result(i, with_explain=with_explain, lang=lang) for i in range(len(self.data.units))],
            "problems": [p.as_dict(lang) for p in self.problems],
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
    recognised: Mapping[str, int] | None = None,
) -> ScoreResult:
    """Score every unit of ``data``; ``previous`` feeds growth rules (aligned by unit id).

    ``recognised``: unit id → the maturity level an appraisal council concluded for it.  That
    level is the unit's result (its criteria still show what the data reach), and a criterion
    computed from children's levels (a district's general criterion) counts the child at it.

    One thread: two threads gained 13% at best on 10,000 units × 100 indicators on two cores
    (bench/engine.py), too little for the machinery.  The process's allocator is left alone
    (``dti.memory`` is for the programs that own their process)."""
    run = Run(compiled, data, previous, year or compiled.framework.year)
    run.recognised = dict(recognised or {})
    return run.run()


class Run:
    """One scoring run; the rule kinds (``rules/``) read its arrays and call its helpers."""

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
        self.level_idx = data.level_positions(tuple(level_codes))
        for position in np.flatnonzero(self.level_idx < 0):
            unit = data.units[position]
            self.problems.append(
                Problem(unit.id, None, Message("problem.unknown_level", level=unit.level, levels=", ".join(level_codes)))
            )
        self.level_masks = {code: self.level_idx == i for i, code in enumerate(level_codes)}
        self.previous = self._align_previous(previous) if previous is not None else None
        self.results: dict[str, IndicatorResult] = {}
        self.recognised: dict[str, int] = {}
        self.not_peer: np.ndarray | None = None
        self._level_cache: dict[tuple[type, tuple[Any, ...]], np.ndarray] = {}
        self._level_key_of: dict[int, tuple[Any, ...]] = {}  # id of a cached per-level array → its values per level
        self._nan = np.full(self.size, np.nan)
        self._nan.flags.writeable = False
        self.level_selectors = [_selector(mask) for mask in self.level_masks.values() if mask.any()]
        self.every_unit_levelled = bool((self.level_idx >= 0).all())
        self.info = self._check_general()

    def _check_general(self) -> dict[str, np.ndarray]:
        """Range checks on Thông tin chung: an out-of-range value is reported and not used."""
        checked = {}
        for general in self.framework.general_info:
            name = f"info.{general.var}"
            column = self.data.values.get(name)
            if column is None or (general.min is None and general.max is None):
                continue
            bad = np.zeros(self.size, dtype=np.bool_)
            if general.min is not None:
                bad |= column < general.min
            if general.max is not None:
                bad |= column > general.max
            if bad.any():
                spec = self.compiled.fields[name]
                for position in np.flatnonzero(bad):
                    message = range_message(spec, float(column[position]))
                    self.problems.append(Problem(self.data.units[position].id, name,
                                                 Message("problem.labelled", label=general.label, message=message)))
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
            if self.recognised:
                maturity = self._apply_recognised(maturity)
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
        """Every batch of leaves, in the order of the tree."""
        for batch in self.compiled.batches:
            for node, result in zip(batch, self._leaf_batch(batch)):
                self.results[node.code] = result

    def _rank(self, key: np.ndarray) -> np.ndarray:
        """Competition ranking per level: highest first, ties share a rank (1, 2, 2, 4)."""
        rank = np.zeros(self.size, dtype=np.int64)
        rounded = np.round(np.nan_to_num(key, nan=-np.inf), 9)
        for level in self.level_selectors:
            positions = np.arange(self.size)[level]
            values = -rounded[level]
            order = np.argsort(values)  # stability is not needed: equal values get equal ranks
            ordered = values[order]
            # a new rank starts where the value changes; equal values keep the first one's rank
            starts = np.empty(ordered.size, dtype=np.bool_)
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

    def _per_level(self, key: tuple[Any, ...], unknown: float | bool) -> np.ndarray:
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
                                                 _range_message(field_spec, spec.label, value), owner.code))
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
            fields: dict[str, str] = {}  # one field name per indicator of the batch
            for (owner, unit_id, _), values in zip(self._located(node, positions), given):
                code = owner.code
                name = fields.get(code) or fields.setdefault(code, f"{code}.{names[0]}")
                self.problems.append(Problem(unit_id, name, _broken_message(message, names, values), code))
            if invalid is None:
                invalid = np.zeros(self.size, dtype=np.bool_)
            invalid[positions] = True
        return invalid

    def _located(self, node: Node, positions: np.ndarray,
                 column: np.ndarray | None = None) -> list[tuple[Node, str, float | None]]:
        """(indicator, unit id, value) for array positions (batches lay indicators end to end)."""
        rows, units = np.divmod(positions, self.units_n)
        owners = self._batch or [node]
        values = column[positions].tolist() if column is not None else [None] * positions.size
        ids = self.data.unit_ids[units].tolist()
        return [(owners[row], unit_id, value) for row, unit_id, value in zip(rows.tolist(), ids, values)]

    def _leaf(self, node: Node, *, applicable: np.ndarray | None = None, maximum: np.ndarray | None = None,
              declared: Any = _UNSET) -> IndicatorResult:
        indicator = node.indicator
        env = self._env(node)
        if applicable is None:
            applicable = self._applicable(node)
        invalid = self._validate_inputs(node, env, applicable)
        if declared is _UNSET:
            declared = self._declared(node)
        # units whose data must not count among peers: invalid, or declared without content / exempt
        if declared is None:
            self.not_peer = invalid
        else:
            self.not_peer = declared != 0 if invalid is None else invalid | (declared != 0)
        points = False
        if maximum is None:
            maximum = self._max_array(node)
        if indicator.maturity is not None or indicator.rule is None:
            result = self._criterion(node, env)
        else:
            result = self.rule(indicator.rule, env, maximum, node, "rule")
            points = kind_of(indicator.rule).points
            if not points or not self.framework.scored:
                result.status = np.where(result.status == OK, VALUE_ONLY, result.status).astype(np.int8)
        status = result.status
        if invalid is not None:
            status[invalid] = INVALID
        if declared is not None:
            status[declared == NO_CONTENT] = NO_CONTENT_S
            status[declared == EXEMPT] = EXEMPT_S
        if not applicable.all():
            status[~applicable] = NOT_APPLICABLE
        if "met" in result.detail and invalid is not None and indicator.maturity is not None:
            # Invalid data meets no level where the criterion is required.
            for index, condition in enumerate(indicator.maturity.levels or []):
                if condition is not None and condition.required:
                    result.detail["met"][index, invalid] = False
            result.detail["level"][invalid] = 0
        if points and self.framework.scored:
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
            full = np.zeros(self.size, dtype=np.bool_)
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

    def rule(self, rule: Rule, env: Env, maximum: np.ndarray, node: Node, path: str) -> IndicatorResult:
        """The rule's score where the status is OK; elsewhere the score is left for the policies."""
        return kind_of(rule).score(self, rule, env, maximum, node, path)

    def measure(self, rule: Valued, env: Env, node: Node, path: str) -> tuple[np.ndarray, np.ndarray]:
        """The value of a rule's expression (× 100 when in %) and its status: NO_DATA where an
        input is missing, ZERO_DIVISION where a denominator is 0 (for ``resolve_zero``)."""
        expression = node.expressions[path]
        values, zero = expression.evaluate(env, self.size)
        if rule.percent:
            values = values * 100.0
        # A missing input makes the value NaN; so does a zero denominator, which is told apart here.
        status = np.isnan(values).view(np.int8)  # NO_DATA is 1, OK is 0
        if zero.any():
            positions = np.flatnonzero(zero)
            given = np.ones(positions.size, dtype=np.bool_)
            for name in expression.variables:
                given &= ~np.isnan(env[name][positions])
            status[positions[given]] = ZERO_DIVISION
        return values, status

    def resolve_zero(self, rule: Measured, score: np.ndarray, status: np.ndarray, maximum: np.ndarray,
                     zero: np.ndarray | None = None) -> None:
        """A zero denominator as the rule says: full points, zero, no data or not applicable."""
        if zero is None:
            zero = status == ZERO_DIVISION
        if not zero.any():
            return
        how = rule.when_zero_denominator
        if how == "full":
            score[zero], status[zero] = maximum[zero], OK
        elif how == "zero":
            score[zero], status[zero] = 0, OK
        else:  # int8 arithmetic: a masked assignment would branch on every unit
            status -= zero.view(np.int8) * np.int8(ZERO_DIVISION - (NO_DATA if how == "no_data" else NOT_APPLICABLE))

    def previous_env(self, node: Node) -> dict[str, np.ndarray] | None:
        """The inputs of ``node`` in the previous period (growth rules), None without one."""
        return None if self.previous is None else self._env(node, self.previous)

    # ------------------------------------------------------------------ maturity

    def _criterion(self, node: Node, env: Env) -> IndicatorResult:
        maturity = node.indicator.maturity
        assert maturity is not None and maturity.levels is not None  # checked when compiled
        if maturity.value is not None:
            values, status = self.measure(maturity, env, node, "maturity")
            status[status == ZERO_DIVISION] = NO_DATA
        else:
            values = env[maturity.field or ""]
            status = np.where(np.isnan(values), NO_DATA, OK).astype(np.int8)
        met = np.ones((len(maturity.levels), self.size), dtype=np.bool_)
        known = status == OK
        alternatives: dict[int, np.ndarray] = {}  # level index → which alternative of its 'hoặc' held first (-1: none)
        for index, condition in enumerate(maturity.levels):
            if condition is None or not condition.required:
                continue  # Không áp dụng at this level
            if condition.any is None:
                op, threshold = parse_when(condition.when or "")
                met[index] = compare(op, values, threshold) & known
                continue
            hits = []
            for alternative, choice in enumerate(condition.any):
                own, own_status = values, status
                if choice.value is not None:
                    own, own_status = self.measure(choice, env, node, f"maturity.levels[{index}].any[{alternative}]")
                op, threshold = parse_when(choice.when)
                hits.append(compare(op, own, threshold) & known & (own_status == OK))
            alternatives[index] = first_hits(self.size, hits)
            met[index] = alternatives[index] >= 0
        result = self._criterion_result(values, status, met, maturity.levels)
        result.detail["alternatives"] = alternatives
        return result

    def _criterion_result(self, values: np.ndarray, status: np.ndarray, met: np.ndarray,
                          conditions: Sequence[LevelCondition | ChildrenLevelCondition | None]) -> IndicatorResult:
        # The criterion's own level: highest level it meets where it is required.
        level = np.zeros(self.size, dtype=np.int64)
        for index, condition in enumerate(conditions):
            if condition is not None and condition.required:
                level[met[index]] = index + 1
        status = status.copy()
        return IndicatorResult(np.full(self.size, np.nan), np.zeros(self.size), status, values,
                               {"met": met, "level": level})

    def _children_criterion(self, node: Node, maturity_now: np.ndarray) -> IndicatorResult:
        spec = node.indicator.maturity
        assert spec is not None and spec.children is not None and spec.child_level is not None
        index = self.data.index
        parent = np.array([index.get(u.parent, -1) if u.parent else -1 for u in self.data.units], dtype=np.int64)
        is_child = (parent >= 0) & self.level_masks.get(spec.child_level, np.zeros(self.size, dtype=np.bool_))
        counts = np.bincount(parent[is_child], minlength=self.size).astype(float)
        recognised = np.zeros(self.size, dtype=np.bool_)
        if self.recognised:
            maturity_now = maturity_now.copy()
            for position, unit in enumerate(self.data.units):
                level = self.recognised.get(unit.id)
                if level is not None and is_child[position]:
                    maturity_now[position] = level
                    recognised[position] = True
        from_recognised = np.bincount(parent[is_child], weights=recognised[is_child], minlength=self.size)
        met = np.ones((len(spec.children), self.size), dtype=np.bool_)
        has_children = counts > 0
        shares: dict[int, np.ndarray] = {}
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
        result.detail["recognised_children"] = from_recognised  # children counted at their recognised level
        result.detail["shares"] = shares
        result.value = counts
        return result

    def _apply_recognised(self, maturity: np.ndarray) -> np.ndarray:
        """A council's conclusion is the unit's level, whatever its data reach."""
        maturity = maturity.copy()
        for position, unit in enumerate(self.data.units):
            level = self.recognised.get(unit.id)
            if level is not None and self.level_idx[position] >= 0:
                maturity[position] = level
        return maturity

    def _maturity(self) -> np.ndarray:
        levels = len(self.framework.maturity_levels or [])
        all_met = np.ones((levels, self.size), dtype=np.bool_)
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
        keys = [key for child in children if (key := self._level_key_of.get(id(child.max))) is not None]
        if len(keys) == len(children):
            # every child's maximum is its level's: add them up per level, not per unit
            total = keys[0]
            for key in keys[1:]:
                total = tuple(a + b for a, b in zip(total, key))
            maximum = self._per_level(total, 0.0)
            anyone_at_zero = 0.0 in total or not self.every_unit_levelled
        else:
            maximum = children[0].max.copy()
            for child in children[1:]:
                maximum += child.max
            anyone_at_zero = True
        # Where every child is excluded the parent is too.  An excluded child's maximum is 0,
        # so only the units with a parent maximum of 0 need looking at.
        status = np.zeros(self.size, dtype=np.int8)
        candidates = np.flatnonzero(maximum == 0) if anyone_at_zero else np.empty(0, dtype=np.intp)
        if len(candidates):
            excluded = np.ones(candidates.size, dtype=np.bool_)
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


def _broken_message(message: str, names: list[str], values: tuple[float, ...]) -> Message:
    """The constraint's own words (the framework's, as written), then the values in the language read."""
    return Message("problem.broken", message=message,
                   values=[Message("problem.named", name=name, value=float(value)) for name, value in zip(names, values)])


def _range_message(field_spec: FieldSpec, label: str, value: Any) -> Message:
    return Message("problem.labelled", label=label, message=range_message(field_spec, float(value)))


def _selector(mask: np.ndarray) -> slice | np.ndarray:
    """The positions of a level: a slice when they are contiguous (units listed level by level),
    so that per-level work reads views instead of gathering copies."""
    positions = np.flatnonzero(mask)
    if positions[-1] - positions[0] + 1 == positions.size:
        return slice(int(positions[0]), int(positions[-1]) + 1)
    return positions


def _rows(value: Any, rows: slice) -> Any:
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


class _RowDetail(Mapping[str, Any]):
    """A batch result's detail seen for one indicator: sliced when read (explanations are rare)."""

    __slots__ = ("_detail", "_rows")

    def __init__(self, detail: Mapping[str, Any], rows: slice):
        self._detail, self._rows = detail, rows

    def __getitem__(self, key: str) -> Any:
        return _rows(self._detail[key], self._rows)

    def __iter__(self) -> Iterator[str]:
        return iter(self._detail)

    def __len__(self) -> int:
        return len(self._detail)


