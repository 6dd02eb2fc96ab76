"""Where the points are: for one unit, the smallest change of inputs that wins each indicator's
remaining points, ranked by gain.  The heuristic (also in docs/gains.md):

1. Each scored leaf below the most its rule can give (``best``) is a candidate; its own inputs
   (not general information, not text) are the fields that may change.
2. For each field a coarse set of new values is tried: for yes/no and choices every other
   option; for numbers the other inputs of the indicator (``a`` up to ``b`` makes a ratio
   whole) and steps of 0,1 % … 10 000 % of the field's scale, upwards; for dates earlier and
   later by days to two years.  Lowering a value is tried only where no increase wins
   anything (lower is better there: a time, a cost).
3. The field and value winning the most points is kept (ties: the smaller relative change,
   then an increase, then the input printed first); then the smallest change in that
   direction that still wins as much is found by bisection, and rounded to a figure a person
   would write (whole numbers for counts) that still wins it.
4. While points remain, another field is changed the same way on top (at most three fields):
   a checklist of yes/no items needs each of them.
5. Every candidate is scored by the engine itself: copies of the unit, each with one change,
   are scored in one run with the other units, so the gain is exactly what scoring again
   would give.  Rules relative to peers (``relative``) cannot put two candidates of one
   indicator in one run (copies would be each other's peers): each run holds one candidate
   per such indicator.  They are flagged: their points also depend on the other units'
   figures, which may change by the next assessment.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .compiled import CompiledFramework, Node
from .data import Dataset, Unit, ValueError_, empty_dataset
from .data import format_number as _n
from .rules import kind_of
from .scoring import score

NUMERIC = {"number", "integer", "money", "percent", "count"}
STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 20, 100)
DAYS = (1, 2, 5, 10, 15, 30, 45, 60, 90, 120, 180, 270, 365, 730)
WORTH = 0.005  # a gain smaller than this is rounding, not points
MAX_FIELDS = 3
BISECTIONS = 3
SPLITS = 16


@dataclass
class Candidate:
    node: Node
    changes: dict[str, float]  # field → new value (engine's float form)
    peer: bool
    gain: float = 0.0


@dataclass
class Plan:
    node: Node
    peer: bool
    now: float
    best: float
    changes: dict[str, float] = field(default_factory=dict)
    gain: float = 0.0


def _is_peer(rule: Any) -> bool:
    """A rule whose points depend on the other units (relative to peers), nested ones included."""
    if rule is None:
        return False
    kind = kind_of(rule)
    if kind.name == "relative":
        return True
    return any(_is_peer(sub.rule) for sub in kind.nested(rule, "", 1.0))


def _copy_rows(compiled: CompiledFramework, data: Dataset, extra: list[tuple[int, dict[str, float]]]) -> Dataset:
    """``data`` with extra units appended: each a copy of unit ``position`` with ``changes`` applied."""
    size = len(data.units)
    units = list(data.units) + [Unit(f"\x00gain{i}", data.units[p].name, data.units[p].level, data.units[p].parent)
                                for i, (p, _) in enumerate(extra)]
    grown = empty_dataset(compiled, units)
    positions = np.array([p for p, _ in extra], dtype=np.intp)
    for name, values in data.values.items():
        target = grown.values[name]
        target[:size] = values
        target[size:] = values[positions]
    for name, texts in data.texts.items():
        grown.texts[name] = list(texts) + [texts[p] for p in positions]
    for code, statuses in data.statuses.items():
        grown.statuses[code] = np.concatenate([statuses, statuses[positions]])
    for offset, (_, changes) in enumerate(extra):
        for name, value in changes.items():
            grown.values[name][size + offset] = value
    grown.__dict__["_sources"] = [data.units[p].id for p, _ in extra]
    return grown


def _totals(compiled: CompiledFramework, data: Dataset, previous: Dataset | None, year: int | None,
            position: int, candidates: list[Candidate]) -> list[float]:
    """Each candidate's gain of the unit's total, scored by the engine."""
    gains = [0.0] * len(candidates)
    shared = [i for i, c in enumerate(candidates) if not c.peer]
    if shared:
        grown = _copy_rows(compiled, data, [(position, candidates[i].changes) for i in shared])
        result = score(compiled, grown, _grown_previous(compiled, previous, data, grown), year=year)
        base = float(result.total[position])
        size = len(data.units)
        for offset, i in enumerate(shared):
            gains[i] = float(result.total[size + offset]) - base
    peers = [i for i, c in enumerate(candidates) if c.peer]
    if peers:
        # A peer-relative candidate changes its peers' context, so two of one indicator cannot share
        # a run; candidates of different indicators can (each changes only its own indicator's
        # inputs, and a parent is the sum of its children): run k holds the k-th candidate of each
        # indicator, and its gain is its indicator's points against the indicator's points now.
        present = score(compiled, data, previous, year=year)
        queues: dict[str, list[int]] = {}
        for i in peers:
            queues.setdefault(candidates[i].node.code, []).append(i)
        rounds = max(len(q) for q in queues.values())
        size = len(data.units)
        for k in range(rounds):
            batch = [q[k] for q in queues.values() if k < len(q)]
            grown = _copy_rows(compiled, data, [(position, candidates[i].changes) for i in batch])
            # The unit as it is now is no peer of its changed self: its figures, and the copies'
            # figures for indicators other than their own, leave these indicators' peer groups.
            fields = {candidates[i].node.code: _fields(compiled, candidates[i].node) for i in batch}
            for code, names in fields.items():
                for name in names:
                    grown.values[name][position] = np.nan
                    for offset, i in enumerate(batch):
                        if candidates[i].node.code != code:
                            grown.values[name][size + offset] = np.nan
            result = score(compiled, grown, _grown_previous(compiled, previous, data, grown), year=year)
            for offset, i in enumerate(batch):
                code = candidates[i].node.code
                now = float(np.nan_to_num(present.indicators[code].score[position]))
                gains[i] = float(np.nan_to_num(result.indicators[code].score[size + offset])) - now
    return gains


def _grown_previous(compiled: CompiledFramework, previous: Dataset | None, data: Dataset,
                    grown: Dataset) -> Dataset | None:
    """The previous period with the copies' ids added (growth rules align by unit id): each
    copy's previous figures are its unit's."""
    if previous is None:
        return None
    index = previous.index
    copies = grown.units[len(data.units):]
    original = {u.id: u.id for u in data.units}
    rows: list[tuple[int, dict[str, float]]] = []
    ids = []
    for copy_unit, source in zip(copies, _sources(data, grown), strict=True):
        if original.get(source) in index:
            rows.append((index[source], {}))
            ids.append(copy_unit)
    if not rows:
        return previous
    aligned = _copy_rows(compiled, previous, rows)
    aligned.units[len(previous.units):] = ids
    return aligned


def _sources(data: Dataset, grown: Dataset) -> list[str]:
    """The unit id each copy was made from (kept in the copy's ``parent``-independent name slot)."""
    return [grown.__dict__["_sources"][i] for i in range(len(grown.units) - len(data.units))]


def _fields(compiled: CompiledFramework, node: Node) -> list[str]:
    return [name for _, name in node.input_fields
            if name in compiled.fields and compiled.fields[name].type != "text"]


def _scale(data: Dataset, position: int, names: Iterable[str]) -> float:
    values = [abs(float(data.values[n][position])) for n in names if np.isfinite(data.values[n][position])]
    return max(values + [1.0])


def _coarse(compiled: CompiledFramework, data: Dataset, position: int, node: Node, name: str,
            base: dict[str, float], year: int) -> tuple[list[float], list[float]]:
    """(values upwards, values downwards) to try for one field."""
    spec = compiled.fields[name]
    now = base.get(name, float(data.values[name][position]))
    kind = spec.type
    if kind == "yes_no":
        return [v for v in (1.0, 0.0) if v != now], []
    if kind == "choice":
        return [float(i) for i in range(len(spec.spec.options or [])) if float(i) != now], []
    if kind == "date":
        start = now if np.isfinite(now) else float(dt.date(year, 12, 31).toordinal())
        return [start + d for d in DAYS], [start - d for d in DAYS]
    if kind not in NUMERIC:
        return [], []
    start = now if np.isfinite(now) else 0.0
    scale = _scale(data, position, _fields(compiled, node))
    ups = [start + scale * s for s in STEPS]
    ups += [float(data.values[n][position]) for n in _fields(compiled, node) if n != name]
    if kind == "percent":
        ups.append(100.0)
    downs = [start - scale * s for s in STEPS if start - scale * s >= 0 or start < 0]
    if not np.isfinite(now):
        ups.append(0.0)
    ups = [v for v in ups if np.isfinite(v) and v > start] + ([0.0] if not np.isfinite(now) else [])
    if kind in ("integer", "count"):
        ups = [float(math.ceil(v)) for v in ups]
        downs = [float(math.floor(v)) for v in downs]
    if spec.spec.max is not None:
        ups = [min(v, float(spec.spec.max)) for v in ups]
    if spec.spec.min is not None:
        downs = [max(v, float(spec.spec.min)) for v in downs]
    return sorted(set(ups) - {now}), sorted(set(downs) - {now}, reverse=True)


def _size(now: float, new: float) -> float:
    """How big a change is, relative to the larger of the two values (a yes/no flip is 1)."""
    if not np.isfinite(now):
        return 1.0
    return abs(new - now) / max(abs(now), abs(new), 1e-9)


def _nice(kind: str, start: float, value: float) -> list[float]:
    """Figures a person would write near ``value`` (the nearest first, then on its far side from
    ``start``); each is checked to still win the gain, in this order."""
    up = value > start
    out = []
    for decimals in ((0,) if kind in ("integer", "count", "date") else (0, 1, 2, 4)):
        factor = 10 ** decimals
        out.append(round(value * factor) / factor)
        out.append((math.ceil(value * factor - 1e-9) if up else math.floor(value * factor + 1e-9)) / factor)
    return [float(v) for v in out] + ([] if kind in ("integer", "count", "date") else [value])


def find_gains(compiled: CompiledFramework, data: Dataset, unit: str, *, previous: Dataset | None = None,
               year: int | None = None, top: int | None = None) -> dict[str, Any]:
    """``{"unit", "total", "max", "gains": [{"code", "points_now", "points_max", "gain", "change",
    "explain", "depends_on_peers"}]}`` for the unit ``unit`` of ``data``, ranked by gain."""
    index = data.index
    if unit not in index:
        raise ValueError_(f"đơn vị '{unit}' không có trong dữ liệu")
    position = index[unit]
    year = year or compiled.framework.year
    result = score(compiled, data, previous, year=year)
    plans: list[Plan] = []
    for node in compiled.leaves:
        rule = node.indicator.rule
        item = result.indicators[node.code]
        maximum = float(item.max[position])
        if rule is None or not kind_of(rule).points or not np.isfinite(maximum) or maximum <= 0:
            continue
        now = float(np.nan_to_num(item.score[position]))
        best = min(kind_of(rule).best(rule, maximum), maximum)
        if best - now > WORTH and _fields(compiled, node):
            plans.append(Plan(node, _is_peer(rule), now, best))
    for _ in range(MAX_FIELDS):
        open_plans = [p for p in plans if p.best - p.now - p.gain > WORTH
                      and len(p.changes) < len(_fields(compiled, p.node))]
        if not open_plans:
            break
        progressed = _extend(compiled, data, previous, year, position, open_plans)
        if not progressed:
            break
    total, maximum = float(result.total[position]), float(result.max[position])
    gains = [_entry(compiled, data, position, p) for p in plans if p.gain > WORTH]
    gains.sort(key=lambda g: (-g["gain"], _order(compiled, g["code"])))
    if top is not None:
        gains = gains[:top]
    return {"unit": unit, "total": round(total, 4), "max": round(maximum, 4), "gains": gains}


def _order(compiled: CompiledFramework, code: str) -> int:
    return [n.code for n in compiled.leaves].index(code)


def _extend(compiled: CompiledFramework, data: Dataset, previous: Dataset | None, year: int, position: int,
            plans: list[Plan]) -> bool:
    """One more field for each open plan (steps 2–4 of the heuristic); True if any plan won points."""
    tried: list[tuple[Plan, str, float, bool]] = []  # plan, field, value, upwards
    candidates: list[Candidate] = []
    for plan in plans:
        for name in _fields(compiled, plan.node):
            if name in plan.changes:
                continue
            ups, downs = _coarse(compiled, data, position, plan.node, name, plan.changes, year)
            for values, upwards in ((ups, True), (downs, False)):
                for value in values:
                    tried.append((plan, name, value, upwards))
                    candidates.append(Candidate(plan.node, {**plan.changes, name: value}, plan.peer))
    if not candidates:
        return False
    gains = _totals(compiled, data, previous, year, position, candidates)
    chosen: dict[int, tuple[str, float, bool, float]] = {}
    for (plan, name, value, upwards), gain in zip(tried, gains, strict=True):
        if gain - plan.gain <= WORTH:
            continue
        now = float(data.values[name][position])
        key = (round(gain, 6), upwards, -_size(now, value), -_fields(compiled, plan.node).index(name))
        current = chosen.get(id(plan))
        if current is None:
            chosen[id(plan)] = (name, value, upwards, gain)
            continue
        c_name, c_value, c_up, c_gain = current
        c_key = (round(c_gain, 6), c_up, -_size(float(data.values[c_name][position]), c_value),
                 -_fields(compiled, plan.node).index(c_name))
        if _better(key, c_key):
            chosen[id(plan)] = (name, value, upwards, gain)
    if not chosen:
        return False
    by_id = {id(p): p for p in plans}
    refined = _refine(compiled, data, previous, year, position,
                      [(by_id[k], name, value, gain) for k, (name, value, _, gain) in chosen.items()])
    for plan, name, value, gain in refined:
        plan.changes[name] = value
        plan.gain = gain
    return True


def _better(key: tuple[float, bool, float, int], other: tuple[float, bool, float, int]) -> bool:
    """More points first; at equal points an increase before a decrease, then the smaller change."""
    gain, up, small, first = key
    o_gain, o_up, o_small, o_first = other
    if abs(gain - o_gain) > WORTH:
        return gain > o_gain
    return (up, small, first) > (o_up, o_small, o_first)


@dataclass
class Search:
    """One chosen field of one plan being narrowed to its smallest winning change."""

    plan: Plan
    name: str
    start: float  # the value now
    ok: float  # the smallest change known to win ``target``
    low: float  # the largest change known not to
    target: float
    discrete: bool

    def candidate(self, value: float) -> Candidate:
        return Candidate(self.plan.node, {**self.plan.changes, self.name: value}, self.plan.peer)


def _refine(compiled: CompiledFramework, data: Dataset, previous: Dataset | None, year: int, position: int,
            chosen: list[tuple[Plan, str, float, float]]) -> list[tuple[Plan, str, float, float]]:
    """The smallest change in the chosen direction that still wins the chosen gain, made round."""
    state = []
    for plan, name, value, gain in chosen:
        now = plan.changes.get(name, float(data.values[name][position]))
        start = now if np.isfinite(now) else 0.0
        discrete = compiled.fields[name].type in ("yes_no", "choice")
        state.append(Search(plan, name, start, value, start, gain, discrete))
    for _ in range(BISECTIONS):
        batch = [(s, s.low + (s.ok - s.low) * k / SPLITS) for s in state
                 if not s.discrete and abs(s.ok - s.low) > 1e-9 for k in range(1, SPLITS)]
        if not batch:
            break
        gains = _totals(compiled, data, previous, year, position, [s.candidate(v) for s, v in batch])
        wins: dict[int, list[tuple[float, bool]]] = {}
        for (search, value), gain in zip(batch, gains, strict=True):
            wins.setdefault(id(search), []).append((value, gain >= search.target - 1e-6))
        for search in state:
            for value, won in sorted(wins.get(id(search), []), key=lambda t: abs(t[0] - search.start)):
                if won:
                    search.ok = value
                    break
                search.low = value
    # round to a figure a person writes, keeping the gain
    rounded = [(s, v) for s in state if not s.discrete for v in _nice(compiled.fields[s.name].type, s.start, s.ok)]
    if rounded:
        done: set[int] = set()
        gains = _totals(compiled, data, previous, year, position, [s.candidate(v) for s, v in rounded])
        for (search, value), gain in zip(rounded, gains, strict=True):
            if id(search) not in done and gain >= search.target - 1e-6:
                search.ok, search.target = value, gain
                done.add(id(search))
    # the final gain of each change as it will be listed
    finals = _totals(compiled, data, previous, year, position, [s.candidate(s.ok) for s in state])
    return [(s.plan, s.name, s.ok, g) for s, g in zip(state, finals, strict=True)]


def display(compiled: CompiledFramework, name: str, value: float) -> Any:
    """A value as written in a data file: numbers as numbers, Có/Không, the option's value, ISO dates."""
    if value is None or not np.isfinite(value):
        return None
    spec = compiled.fields[name]
    if spec.type == "yes_no":
        return "có" if value >= 0.5 else "không"
    if spec.type == "choice":
        return (spec.spec.options or [])[int(value)].value
    if spec.type == "date":
        return dt.date.fromordinal(int(value)).isoformat()
    if float(value).is_integer():
        return int(value)
    return round(float(value), 4)


def _shown(compiled: CompiledFramework, name: str, value: float) -> str:
    if value is None or not np.isfinite(value):
        return "(chưa nhập)"
    spec = compiled.fields[name]
    if spec.type == "yes_no":
        return "Có" if value >= 0.5 else "Không"
    if spec.type == "choice":
        return (spec.spec.options or [])[int(value)].label
    if spec.type == "date":
        return dt.date.fromordinal(int(value)).strftime("%d/%m/%Y")
    return _n(value, 4)


def _entry(compiled: CompiledFramework, data: Dataset, position: int, plan: Plan) -> dict[str, Any]:
    change = {}
    said = []
    for name, value in plan.changes.items():
        now = float(data.values[name][position])
        change[name] = [display(compiled, name, now), display(compiled, name, value)]
        kind = compiled.fields[name].type
        word = "thành" if kind in ("yes_no", "choice", "date") else "lên" if not np.isfinite(now) or value >= now else "xuống"
        said.append(f"{compiled.fields[name].label} ({name.rsplit('.', 1)[-1]}) từ {_shown(compiled, name, now)} "
                    f"{word} {_shown(compiled, name, value)}")
    explain = f"{plan.node.code}: {'; '.join(said)} → +{_n(plan.gain)} điểm"
    if plan.peer:
        explain += " (chỉ số so sánh với các đơn vị khác: điểm còn phụ thuộc số liệu của họ)"
    return {
        "code": plan.node.code,
        "points_now": round(plan.now, 4),
        "points_max": round(plan.best, 4),
        "gain": round(plan.gain, 4),
        "change": change,
        "explain": explain,
        "depends_on_peers": plan.peer,
    }
