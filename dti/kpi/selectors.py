"""Reading KPI programmes: series across the period campaigns, statuses, late reports.

A programme's series are computed in one pass over its period campaigns' values (numpy per
KPI) and kept per process under a key made of the programme's version and the sum of its
campaigns' ``scores_version`` (bumped by every save, transition and review), so a changed
figure is never served stale and an unchanged programme is never recomputed.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import caches
from django.db.models import Max, Q

from dti.campaigns.models import Campaign, Extension
from dti.engine import kpi as engine
from dti.engine.expr import compile_expression
from dti.methodologies.selectors import compiled_for
from dti.submissions.models import State, Submission, Value

from .models import KpiSetting, Programme, ProgrammePeriod, Target

# Figures count once the agency has sent them (a returned report is being corrected).
SENT_STATES = [State.SUBMITTED, State.UNDER_REVIEW, State.RESUBMITTED, State.APPROVED, State.PUBLISHED]
OPEN_STATES = [State.DRAFT, State.APPROVED_BY_LEADER, State.RETURNED]


def programmes_visible(access):
    # The framework's YAML is never needed on a page (compiled frameworks are cached by hash).
    qs = Programme.objects.select_related("owner", "framework").defer("framework__yaml_text").order_by("-first_year", "name")
    owner = access.unit_filter("owner__")
    if owner is None:
        return qs
    agencies = access.unit_filter("settings__agencies__")
    return qs.filter(owner | agencies).distinct()


def get_programme(access, pk: int) -> Programme | None:
    return programmes_visible(access).filter(pk=pk).first()


@dataclass
class AgencyRow:
    unit_id: int
    code: str
    name: str
    inputs: dict[str, float | None]
    value: float | None
    invalid: str = ""


@dataclass
class KpiSeries:
    code: str
    name: str
    unit: str
    method: str
    groups: list[tuple[str, str]]  # (code, name) of lớp, nhóm, phân nhóm
    setting_id: int
    frequency: str
    direction: str
    agencies: list[tuple[int, str, str]]
    named_agencies: str  # as the document names them
    targets: dict[int, float]
    baseline: float | None
    baseline_year: int | None
    percent: bool
    points: list[engine.Point] = field(default_factory=list)
    # The agencies' figures as grids (agency × period), read into rows only when a page asks.
    _grid: dict = field(default_factory=dict, repr=False)

    def sent(self, period: str) -> int:
        """How many agencies reported something for the period."""
        position = self._grid.get("position", {}).get(period)
        return 0 if position is None else int(self._grid["reported"][:, position].sum())

    def agency_rows(self, period: str) -> list[AgencyRow]:
        grid = self._grid
        i = grid.get("position", {}).get(period)
        if i is None:
            return []
        found = []
        for a, (unit_id, code, name) in enumerate(self.agencies):
            if not grid["reported"][a, i]:
                continue
            inputs = {var: (None if np.isnan(column[a, i]) else float(column[a, i])) for var, column in grid["columns"].items()}
            value = grid["values"][a, i]
            found.append(AgencyRow(unit_id, code, name, inputs, None if np.isnan(value) else float(value),
                                   grid["messages"][a, i] or ""))
        return found

    @property
    def by_agency(self) -> dict[str, list[AgencyRow]]:
        """period → the agencies' rows, for every period with figures (exports)."""
        return {period: rows for period in self._grid.get("position", {}) if (rows := self.agency_rows(period))}

    @property
    def frequency_label(self) -> str:
        return engine.FREQUENCY_LABELS[self.frequency]

    @property
    def direction_label(self) -> str:
        return "Càng cao càng tốt" if self.direction == engine.HIGHER else "Càng thấp càng tốt"

    @property
    def last(self) -> engine.Point | None:
        return engine.last_with_data(self.points)

    @property
    def trend(self) -> str:
        return engine.trend(self.points, direction=self.direction)

    @property
    def status(self) -> str:
        last = self.last
        return last.status if last is not None else engine.NO_DATA


@dataclass
class ProgrammeData:
    kpis: list[KpiSeries]
    periods: dict[str, list[engine.Period]]  # frequency → opened periods in order
    contexts: dict = field(default_factory=dict, repr=False)
    campaign_period: dict = field(default_factory=dict, repr=False)

    def kpi(self, code: str) -> KpiSeries | None:
        return next((k for k in self.kpis if k.code == code), None)

    def counts(self) -> dict[str, int]:
        found = {engine.MET: 0, engine.NOT_MET: 0, engine.NO_DATA: 0, engine.NO_TARGET: 0}
        for item in self.kpis:
            found[item.status] += 1
        return found

    def trends(self) -> dict[str, int]:
        found = {"up": 0, "down": 0, "flat": 0, "": 0}
        for item in self.kpis:
            found[item.trend] += 1
        return found


def programme_version(programme: Programme, *, extensions: bool = False) -> tuple:
    """Changes with every figure, transition, review, target or setting (and, with ``extensions``,
    every deadline extension: what decides who is late).  One round trip: it runs on every page."""
    from django.db import connection

    q = connection.ops.quote_name
    periods, campaigns, extension = (q(m._meta.db_table) for m in (ProgrammePeriod, Campaign, Extension))
    sql = (f"SELECT p.{q('version')}, "
           f"(SELECT COALESCE(SUM(c.{q('scores_version')}), 0) FROM {campaigns} c JOIN {periods} pp "
           f"ON pp.{q('campaign_id')} = c.{q('id')} WHERE pp.{q('programme_id')} = p.{q('id')}), "
           f"(SELECT COUNT(*) FROM {periods} pp WHERE pp.{q('programme_id')} = p.{q('id')})")
    if extensions:
        sql += (f", (SELECT COALESCE(MAX(e.{q('id')}), 0) FROM {extension} e JOIN {periods} pp "
                f"ON pp.{q('campaign_id')} = e.{q('campaign_id')} WHERE pp.{q('programme_id')} = p.{q('id')}), "
                f"(SELECT COUNT(*) FROM {extension} e JOIN {periods} pp "
                f"ON pp.{q('campaign_id')} = e.{q('campaign_id')} WHERE pp.{q('programme_id')} = p.{q('id')})")
    sql += f" FROM {q(Programme._meta.db_table)} p WHERE p.{q('id')} = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [programme.pk])
        row = cursor.fetchone()
    return tuple(int(v) for v in row) if row else (0, 0, 0)


def programme_data(programme: Programme, version: tuple | None = None) -> ProgrammeData:
    """The programme's series for its current version, computed at most once per process.

    After a save only the changed period campaigns are re-read and their column of each
    affected KPI's grid patched (like the campaigns' score runs); a changed target or setting
    recomputes everything."""
    version = version if version is not None else programme_version(programme)
    key = f"kpi:{programme.pk}:" + ":".join(str(p) for p in version[:3])
    cache = caches["scores"]
    found = cache.get(key)
    if found is None:
        with _lock_for(programme.pk):  # the threads of a process compute a new version once
            found = cache.get(key)
            if found is None:
                versions = dict(Campaign.objects.filter(kpi_period__programme=programme).values_list("id", "scores_version"))
                last = cache.get(f"kpi-last:{programme.pk}")
                if last is not None and last[0] == version[0] and set(last[1]) == set(versions):
                    changed = [c for c, v in versions.items() if last[1][c] != v]
                    found = _patch(programme, last[2], changed) if changed else last[2]
                else:
                    found = _compute(programme)
                cache.set(key, found, 3600)
                cache.set(f"kpi-last:{programme.pk}", (version[0], versions, found), 3600)
    return found


_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(pk: int) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(pk, threading.Lock())


def _tree(compiled) -> dict[str, list[tuple[str, str]]]:
    parents: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for indicator, parent in compiled.framework.walk():
        parents[indicator.code] = parent.code if parent is not None else None
        names[indicator.code] = indicator.name
    groups = {}
    for leaf in compiled.leaves:
        chain, code = [], parents.get(leaf.code)
        while code is not None:
            chain.append((code, names[code]))
            code = parents.get(code)
        groups[leaf.code] = list(reversed(chain))
    return groups


@dataclass
class _Context:
    """What a KPI's grid is made of: reused to patch it after a save."""

    node: object
    formula: str
    percent: bool
    agency_index: dict[int, int]
    var_index: dict[str, int]
    position: dict[int, int]  # campaign id → column


def _read(programme: Programme, wanted: dict, campaign_ids=None) -> dict[str, tuple]:
    """code → arrays (campaign id, unit id, input position, number) of the sent reports' figures
    (a reviewer's verified figure wins); read once, then mapped with numpy, not row by row."""
    subs = Submission.objects.filter(campaign__kpi_period__programme=programme, state__in=SENT_STATES)
    if campaign_ids is not None:
        subs = subs.filter(campaign_id__in=list(campaign_ids))
    sent = sorted(subs.values_list("id", "campaign_id", "unit_id"))
    if not sent:
        return {}
    # By submission id: no join on the 300,000-row side.
    rows = list(Value.objects.filter(submission_id__in=subs.values("id"), field__in=list(wanted)).values_list(
        "submission_id", "field", "number", "verified_number"))
    if not rows:
        return {}
    sub_ids, fields, stored, checked = zip(*rows, strict=True)
    numbers = np.array(stored, dtype=float)  # None → NaN
    verified = np.array(checked, dtype=float)
    values = np.where(np.isnan(verified), numbers, verified)
    known = np.array(sent, dtype=np.int64)
    at = np.searchsorted(known[:, 0], np.fromiter(sub_ids, dtype=np.int64, count=len(sub_ids)))
    campaigns, units = known[at, 1], known[at, 2]
    names = list(wanted)  # a dict lookup per row: sorting 300,000 strings is what costs
    index = {name: i for i, name in enumerate(names)}
    inverse = np.fromiter((index[name] for name in fields), dtype=np.int64, count=len(fields))
    by_code: dict[str, list[tuple[int, int]]] = {}
    for position, name in enumerate(names):
        code, _var, k = wanted[name]
        by_code.setdefault(code, []).append((position, k))
    raw = {}
    for code, pairs in by_code.items():
        field_k = np.full(len(names), -1, dtype=np.int64)
        for position, k in pairs:
            field_k[position] = k
        k = field_k[inverse]
        mask = k >= 0
        raw[code] = (campaigns[mask], units[mask], k[mask], values[mask])
    return raw


def _wanted(compiled, codes) -> dict[str, tuple[str, str, int]]:
    return {f"{code}.{i.var}": (code, i.var, k) for code in codes if code in compiled.nodes
            for k, i in enumerate(compiled.nodes[code].indicator.inputs)}


def _compute(programme: Programme) -> ProgrammeData:
    compiled = compiled_for(programme.framework)
    groups = _tree(compiled)
    settings = list(KpiSetting.objects.filter(programme=programme).prefetch_related("agencies", "targets"))
    period_rows = list(ProgrammePeriod.objects.filter(programme=programme).values_list("campaign_id", "period", "frequency"))
    periods: dict[str, list[engine.Period]] = {}
    campaign_period: dict[int, engine.Period] = {}
    for campaign_id, text, frequency in period_rows:
        period = engine.parse_period(text)
        periods.setdefault(frequency, []).append(period)
        campaign_period[campaign_id] = period
    for items in periods.values():
        items.sort()
    raw = _read(programme, _wanted(compiled, [s.code for s in settings]))
    order = {leaf.code: i for i, leaf in enumerate(compiled.leaves)}
    kpis, contexts = [], {}
    for setting in sorted(settings, key=lambda s: order.get(s.code, 0)):
        node = compiled.nodes.get(setting.code)
        if node is None:
            continue
        indicator = node.indicator
        rule = indicator.rule
        agencies = sorted(setting.agencies.all(), key=lambda u: u.path)
        own = periods.get(setting.frequency, [])
        column = {p: i for i, p in enumerate(own)}
        context = _Context(
            node=node, formula=getattr(rule, "value", None) or (indicator.inputs[0].var if indicator.inputs else "0"),
            percent=bool(getattr(rule, "percent", False)), agency_index={u.pk: i for i, u in enumerate(agencies)},
            var_index={i.var: k for k, i in enumerate(indicator.inputs)},
            position={c: column[p] for c, p in campaign_period.items() if p in column},
        )
        item = KpiSeries(
            code=setting.code, name=indicator.name, unit=indicator.unit or "", method=indicator.method or "",
            groups=groups.get(setting.code, []), setting_id=setting.pk, frequency=setting.frequency,
            direction=setting.direction, agencies=[(u.pk, u.code, u.name) for u in agencies],
            named_agencies=indicator.responsible or "", targets={t.year: t.value for t in setting.targets.all()},
            baseline=setting.baseline, baseline_year=setting.baseline_year, percent=context.percent,
        )
        cube = np.full((len(context.var_index), len(agencies), len(own)), np.nan)
        _put(cube, context, raw.get(setting.code))
        _derive(item, context, own, cube)
        kpis.append(item)
        contexts[setting.code] = context
    return ProgrammeData(kpis, periods, contexts, campaign_period)


def _patch(programme: Programme, old: ProgrammeData, changed: list[int]) -> ProgrammeData:
    """``old`` with the columns of the ``changed`` period campaigns re-read (a new object: other
    threads may be reading ``old``)."""
    frequencies = {old.campaign_period[c].frequency for c in changed if c in old.campaign_period}
    affected = [k for k in old.kpis if k.frequency in frequencies]
    raw = _read(programme, _wanted(compiled_for(programme.framework), [k.code for k in affected]), changed)
    kpis = []
    for item in old.kpis:
        if item.frequency not in frequencies:
            kpis.append(item)
            continue
        context = old.contexts[item.code]
        cube = item._grid["cube"].copy()
        for campaign_id in changed:
            if campaign_id in context.position:
                cube[:, :, context.position[campaign_id]] = np.nan
        _put(cube, context, raw.get(item.code))
        fresh = copy.copy(item)
        _derive(fresh, context, old.periods.get(item.frequency, []), cube)
        kpis.append(fresh)
    return ProgrammeData(kpis, old.periods, old.contexts, old.campaign_period)


def _lookup(mapping: dict[int, int]) -> np.ndarray:
    table = np.full(max(mapping, default=0) + 1, -1, dtype=np.int64)
    for key, value in mapping.items():
        table[key] = value
    return table


def _put(cube, context: _Context, arrays) -> None:
    if arrays is None or not len(arrays[0]):
        return
    campaigns, units, k, values = arrays
    positions, agencies = _lookup(context.position), _lookup(context.agency_index)
    p = np.where(campaigns < len(positions), positions[np.minimum(campaigns, len(positions) - 1)], -1)
    a = np.where(units < len(agencies), agencies[np.minimum(units, len(agencies) - 1)], -1)
    mask = (p >= 0) & (a >= 0) & ~np.isnan(values)
    cube[k[mask], a[mask], p[mask]] = values[mask]


def _derive(item: KpiSeries, context: _Context, own: list, cube) -> None:
    """From the grid (input × agency × period): each agency's value and constraint problems, then
    the pooled series (Σ numerators / Σ denominators of the agencies with valid figures)."""
    formula, percent = context.formula, context.percent
    shape = cube.shape[1:]
    columns = {var: cube[k] for var, k in context.var_index.items()}
    size = shape[0] * shape[1]
    flat = {var: column.reshape(size) for var, column in columns.items()}
    has_inputs = bool(context.var_index)
    reported = ~np.isnan(cube).all(axis=0) if has_inputs else np.zeros(shape, dtype=bool)
    complete = ~np.isnan(cube).any(axis=0).reshape(size) if has_inputs else np.zeros(size, dtype=bool)
    broken = np.zeros(size, dtype=bool)
    messages = np.full(size, "", dtype=object)
    node: Any = context.node
    for expression, message in node.constraints:
        if size and all(v in flat for v in expression.variables):
            hit = np.asarray(expression.violated(flat, size), dtype=bool) & complete
            messages[hit & ~broken] = message
            broken |= hit
    values = engine.kpi_values(formula, flat, percent=percent) if size else np.zeros(0)
    values[broken | ~complete] = np.nan
    good = (complete & ~broken).reshape(shape)
    if _formula(formula).has_division:
        pooled = {var: np.where(good, column, 0.0).sum(axis=0) for var, column in columns.items()}
        pooled = {var: np.where(good.any(axis=0), column, np.nan) for var, column in pooled.items()}
        series = engine.kpi_values(formula, pooled, percent=percent) if own else np.zeros(0)
    else:  # a yes/no or a plain figure: the mean of the agencies' values
        grid = values.reshape(shape)
        counted = good.sum(axis=0)
        series = np.where(counted > 0, np.where(good, grid, 0.0).sum(axis=0) / np.maximum(counted, 1), np.nan)
    by_period = {p: (None if np.isnan(series[i]) else float(series[i])) for i, p in enumerate(own)}
    item.points = engine.series(by_period, item.targets, direction=item.direction, periods=own) if own else []
    item._grid = {"position": {str(p): i for i, p in enumerate(own)}, "columns": columns, "reported": reported,
                  "values": values.reshape(shape), "messages": messages.reshape(shape), "cube": cube}


_formulas: dict[str, object] = {}


def _formula(source: str):
    found = _formulas.get(source)
    if found is None:
        found = _formulas[source] = compile_expression(source)
    return found


# --------------------------------------------------------------------------- reports and lateness


@dataclass
class Report:
    period: engine.Period
    campaign_id: int
    unit_code: str
    unit_name: str
    state: str
    state_label: str
    deadline: dt.date
    late: bool


def _deadlines(submissions) -> dict[tuple[int, int], dt.date]:
    ids = {s["campaign_id"] for s in submissions}
    found = {}
    for row in Extension.objects.filter(campaign_id__in=ids).values("campaign_id", "unit_id").annotate(m=Max("new_deadline")):
        found[(row["campaign_id"], row["unit_id"])] = row["m"]
    return found


def reports(programme: Programme, *, today: dt.date, unit_filter: Q | None = None, late_only: bool = False) -> list[Report]:
    """The agencies' reports (one per period and agency), newest first; late = not sent by the deadline."""
    qs = Submission.objects.filter(campaign__kpi_period__programme=programme)
    if unit_filter is not None:
        qs = qs.filter(unit_filter)
    if late_only:
        qs = qs.filter(state__in=OPEN_STATES, campaign__entry_deadline__lt=today)
    rows = list(qs.values("campaign_id", "unit_id", "unit__code", "unit__name", "state", "campaign__kpi_period__period",
                          "campaign__entry_deadline"))
    extended = _deadlines(rows)
    labels = dict(State.choices)
    found = []
    for row in rows:
        deadline = max(row["campaign__entry_deadline"], extended.get((row["campaign_id"], row["unit_id"]),
                                                                     row["campaign__entry_deadline"]))
        late = row["state"] in OPEN_STATES and deadline < today
        if late_only and not late:
            continue
        found.append(Report(engine.parse_period(row["campaign__kpi_period__period"]), row["campaign_id"], row["unit__code"],
                            row["unit__name"], row["state"], str(labels.get(row["state"], row["state"])), deadline, late))
    found.sort(key=lambda r: (r.period.end, r.unit_code), reverse=True)
    return found


@dataclass
class LateAgency:
    code: str
    name: str
    count: int
    oldest: engine.Period
    reports: list[Report]


def late_agencies(programme: Programme, *, today: dt.date) -> list[LateAgency]:
    by_unit: dict[str, list[Report]] = {}
    for report in reports(programme, today=today, late_only=True):
        by_unit.setdefault(report.unit_code, []).append(report)
    found = [LateAgency(code, items[0].unit_name, len(items), min(r.period for r in items), items)
             for code, items in by_unit.items()]
    found.sort(key=lambda a: (-a.count, a.code))
    return found


def period_of(programme: Programme, text: str) -> ProgrammePeriod | None:
    return ProgrammePeriod.objects.select_related("campaign", "campaign__framework").defer(
        "campaign__framework__yaml_text").filter(programme=programme, period=text).first()


def unit_kpis(programme: Programme, unit, frequency: str) -> list[KpiSetting]:
    return list(KpiSetting.objects.filter(programme=programme, agencies=unit, frequency=frequency))


def targets(setting_ids) -> list[Target]:
    return list(Target.objects.filter(setting_id__in=list(setting_ids)).select_related("setting", "entered_by"))
