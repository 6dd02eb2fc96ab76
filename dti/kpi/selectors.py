"""Reading KPI programmes: series across the period campaigns, statuses, late reports.

A programme's series are computed in one pass over its period campaigns' values (numpy per
KPI) and kept per process under a key made of the programme's version and the sum of its
campaigns' ``scores_version`` (bumped by every save, transition and review), so a changed
figure is never served stale and an unchanged programme is never recomputed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import caches
from django.db.models import Count, Max, Q, Sum

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
    qs = Programme.objects.select_related("owner").order_by("-first_year", "name")
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
    by_agency: dict[str, list[AgencyRow]] = field(default_factory=dict)  # period → rows

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
    every deadline extension: what decides who is late)."""
    row = Campaign.objects.filter(kpi_period__programme=programme).aggregate(s=Sum("scores_version"), n=Count("id"))
    version = Programme.objects.filter(pk=programme.pk).values_list("version", flat=True).first()
    found = (version, row["s"] or 0, row["n"])
    if extensions:
        ext = Extension.objects.filter(campaign__kpi_period__programme=programme).aggregate(m=Max("id"), n=Count("id"))
        found += (ext["m"] or 0, ext["n"])
    return found


def programme_data(programme: Programme, version: tuple | None = None) -> ProgrammeData:
    version = version if version is not None else programme_version(programme)
    key = f"kpi:{programme.pk}:" + ":".join(str(p) for p in version[:3])
    cache = caches["scores"]
    found = cache.get(key)
    if found is None:
        found = _compute(programme)
        cache.set(key, found, 3600)
    return found


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
    rows = Value.objects.filter(submission__campaign__kpi_period__programme=programme,
                                submission__state__in=SENT_STATES).values_list(
        "submission__campaign_id", "submission__unit_id", "field", "number", "verified_number")
    raw: dict[str, list] = {}
    for campaign_id, unit_id, name, number, verified in rows.iterator(chunk_size=5000):
        code, _dot, var = name.rpartition(".")
        raw.setdefault(code, []).append((campaign_id, unit_id, var, verified if verified is not None else number))
    kpis = []
    for setting in sorted(settings, key=lambda s: [leaf.code for leaf in compiled.leaves].index(s.code)
                          if s.code in compiled.nodes else 0):
        node = compiled.nodes.get(setting.code)
        if node is None:
            continue
        indicator = node.indicator
        rule = indicator.rule
        formula = getattr(rule, "value", None) or (indicator.inputs[0].var if indicator.inputs else "0")
        percent = bool(getattr(rule, "percent", False))
        agencies = sorted(setting.agencies.all(), key=lambda u: u.path)
        item = KpiSeries(
            code=setting.code, name=indicator.name, unit=indicator.unit or "", method=indicator.method or "",
            groups=groups.get(setting.code, []), setting_id=setting.pk, frequency=setting.frequency,
            direction=setting.direction, agencies=[(u.pk, u.code, u.name) for u in agencies],
            named_agencies=indicator.responsible or "", targets={t.year: t.value for t in setting.targets.all()},
            baseline=setting.baseline, baseline_year=setting.baseline_year, percent=percent,
        )
        own = periods.get(setting.frequency, [])
        _fill(item, node, formula, percent, own, agencies, campaign_period, raw.get(setting.code, []))
        kpis.append(item)
    return ProgrammeData(kpis, periods)


def _fill(item: KpiSeries, node, formula: str, percent: bool, own: list, agencies: list, campaign_period: dict,
          rows: list) -> None:
    """Per agency and period: inputs, value, constraint problems; then the pooled series."""
    position = {p: i for i, p in enumerate(own)}
    agency_index = {u.pk: i for i, u in enumerate(agencies)}
    variables = [i.var for i in node.indicator.inputs]
    shape = (len(agencies), len(own))
    columns = {var: np.full(shape, np.nan) for var in variables}
    for campaign_id, unit_id, var, number in rows:
        period = campaign_period.get(campaign_id)
        a, p = agency_index.get(unit_id), position.get(period)
        if a is None or p is None or var not in columns or number is None:
            continue
        columns[var][a, p] = number
    size = shape[0] * shape[1]
    flat = {var: column.reshape(size) for var, column in columns.items()}
    complete = np.ones(size, dtype=bool)
    for column in flat.values():
        complete &= ~np.isnan(column)
    broken = np.zeros(size, dtype=bool)
    messages = np.full(size, "", dtype=object)
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
    by_period = {p: (None if np.isnan(series[i]) else float(series[i])) for p, i in position.items()}
    item.points = engine.series(by_period, item.targets, direction=item.direction, periods=own) if own else []
    grid_values = values.reshape(shape)
    grid_messages = messages.reshape(shape)
    for p, i in position.items():
        found = []
        for a, unit in enumerate(agencies):
            inputs = {var: (None if np.isnan(columns[var][a, i]) else float(columns[var][a, i])) for var in variables}
            if all(v is None for v in inputs.values()):
                continue
            value = grid_values[a, i]
            found.append(AgencyRow(unit.pk, unit.code, unit.name, inputs, None if np.isnan(value) else float(value),
                                   grid_messages[a, i] or ""))
        if found:
            item.by_agency[str(p)] = found


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
