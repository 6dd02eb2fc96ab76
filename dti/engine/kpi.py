"""KPI monitoring over time: reporting periods, the value of a KPI, its status against a target,
and its change from the previous period and from the same period a year before.

Pure Python (no Django): the web (dti.kpi) and the ``dti kpi`` command both call it.

Periods are written ``2024`` (a year), ``2024-Q3`` (a quarter) or ``2024-07`` (a month).
A target is set per year; a monthly or quarterly value is compared with its year's target.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .compiled import CompiledFramework
from .expr import Expression, compile_expression

MONTH, QUARTER, YEAR = "month", "quarter", "year"
FREQUENCIES = (MONTH, QUARTER, YEAR)
HIGHER, LOWER = "higher", "lower"
DIRECTIONS = (HIGHER, LOWER)
MET, NOT_MET, NO_DATA, NO_TARGET = "met", "not_met", "no_data", "no_target"
STATUS_LABELS = {MET: "Đạt", NOT_MET: "Chưa đạt", NO_DATA: "Chưa có số liệu", NO_TARGET: "Chưa có chỉ tiêu"}
FREQUENCY_LABELS = {MONTH: "Hằng tháng", QUARTER: "Hằng quý", YEAR: "Hằng năm"}
_STEPS = {MONTH: 12, QUARTER: 4, YEAR: 1}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^\s*(\d{4})(?:-(?:([Qq])([1-4])|(\d{1,2})))?\s*$")


class PeriodError(ValueError):
    """A period written in a way we do not read; the message says what is expected."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    frequency: str  # month, quarter, year
    index: int  # 1–12, 1–4, 1

    def __post_init__(self) -> None:
        if self.frequency not in _STEPS or not 1 <= self.index <= _STEPS[self.frequency]:
            raise PeriodError(f"kỳ không hợp lệ: {self.year} {self.frequency} {self.index}")

    def __str__(self) -> str:
        if self.frequency == MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.frequency == QUARTER:
            return f"{self.year}-Q{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.frequency == MONTH:
            return f"Tháng {self.index:02d}/{self.year}"
        if self.frequency == QUARTER:
            return f"Quý {_ROMAN[self.index]}/{self.year}"
        return f"Năm {self.year}"

    @property
    def short(self) -> str:
        if self.frequency == MONTH:
            return f"{self.index:02d}/{self.year % 100:02d}"
        if self.frequency == QUARTER:
            return f"Q{self.index}/{self.year % 100:02d}"
        return str(self.year)

    def shift(self, steps: int) -> Period:
        per_year = _STEPS[self.frequency]
        position = self.year * per_year + (self.index - 1) + steps
        return Period(position // per_year, self.frequency, position % per_year + 1)

    def previous(self) -> Period:
        return self.shift(-1)

    def year_before(self) -> Period:
        return Period(self.year - 1, self.frequency, self.index)

    @property
    def start(self) -> dt.date:
        months = 12 // _STEPS[self.frequency]
        return dt.date(self.year, (self.index - 1) * months + 1, 1)

    @property
    def end(self) -> dt.date:
        following = self.shift(1).start
        return following - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    """'2024' → the year, '2024-Q3' → the third quarter, '2024-07' → July."""
    match = _PATTERN.match(str(text))
    if not match:
        raise PeriodError(f"kỳ '{text}' không đọc được: ghi 2024 (năm), 2024-Q3 (quý) hoặc 2024-07 (tháng)")
    year, _q, quarter, month = match.groups()
    if quarter:
        return Period(int(year), QUARTER, int(quarter))
    if month:
        if not 1 <= int(month) <= 12:
            raise PeriodError(f"kỳ '{text}': tháng phải từ 01 đến 12")
        return Period(int(year), MONTH, int(month))
    return Period(int(year), YEAR, 1)


def period_containing(frequency: str, day: dt.date) -> Period:
    if frequency == MONTH:
        return Period(day.year, MONTH, day.month)
    if frequency == QUARTER:
        return Period(day.year, QUARTER, (day.month - 1) // 3 + 1)
    return Period(day.year, YEAR, 1)


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from ``first`` to ``last`` (same frequency), both included."""
    if first.frequency != last.frequency:
        raise PeriodError("hai kỳ phải cùng tần suất")
    found, current = [], first
    while current <= last:
        found.append(current)
        current = current.shift(1)
    return found


# --------------------------------------------------------------------------- values and status


@lru_cache(maxsize=256)
def _formula(source: str) -> Expression:
    return compile_expression(source)


def kpi_values(formula: str, columns: Mapping[str, np.ndarray], *, percent: bool = True) -> np.ndarray:
    """Vectorised over periods (or units): NaN where an input is missing or a denominator is zero."""
    expression = _formula(formula)
    size = len(next(iter(columns.values()))) if columns else 0
    env = {}
    for name in expression.variables:
        column = columns.get(name)
        env[name] = np.full(size, np.nan) if column is None else np.asarray(column, dtype=float)
    values, zero = expression.evaluate(env, size)
    values = np.array(values, dtype=float)
    values[zero | ~np.isfinite(values)] = np.nan
    return values * 100 if percent else values


def kpi_value(formula: str, inputs: Mapping[str, float | None], *, percent: bool = True) -> float | None:
    """The KPI's value from its inputs: None when one is missing or a denominator is zero."""
    columns = {k: np.array([np.nan if v is None else float(v)]) for k, v in inputs.items()}
    value = float(kpi_values(formula, columns, percent=percent)[0]) if columns else math.nan
    return None if math.isnan(value) else value


def status(value: float | None, target: float | None, direction: str = HIGHER) -> str:
    """đạt / chưa đạt / chưa có số liệu (and 'chưa có chỉ tiêu' when no target was set)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"chiều chỉ tiêu '{direction}' không hợp lệ (higher hoặc lower)")
    if value is None:
        return NO_DATA
    if target is None:
        return NO_TARGET
    met = value >= target if direction == HIGHER else value <= target
    return MET if met else NOT_MET


@dataclass(frozen=True)
class Point:
    period: Period
    value: float | None
    target: float | None
    status: str
    change_previous: float | None
    change_year: float | None


def _difference(value: float | None, other: float | None) -> float | None:
    if value is None or other is None:
        return None
    return round(value - other, 10)


def series(values: Mapping[Period, float | None], targets: Mapping[int, float], *, direction: str = HIGHER,
           periods: Iterable[Period] | None = None) -> list[Point]:
    """One KPI over time: each period's value, target (its year's), status and changes
    (percentage points for a rate) from the previous period and from a year before."""
    chosen = sorted(set(periods) if periods is not None else {p for p in values})
    frequencies = {p.frequency for p in chosen}
    if len(frequencies) > 1:
        raise PeriodError("một chỉ số chỉ có một tần suất báo cáo; số liệu trộn " + ", ".join(sorted(frequencies)))
    points = []
    for period in chosen:
        value = values.get(period)
        target = targets.get(period.year)
        points.append(Point(period, value, target, status(value, target, direction),
                            _difference(value, values.get(period.previous())),
                            _difference(value, values.get(period.year_before()))))
    return points


def last_with_data(points: list[Point]) -> Point | None:
    return next((p for p in reversed(points) if p.value is not None), None)


def trend(points: list[Point], *, direction: str = HIGHER, window: int = 3) -> str:
    """'up' / 'down' / 'flat' / '' for the last values with data, read in the KPI's direction
    ('up' = better): the mean of the last ``window`` values against the ``window`` before."""
    values = [p.value for p in points if p.value is not None]
    if len(values) < 2:
        return ""
    size = min(window, len(values) // 2)
    recent = sum(values[-size:]) / size
    before = sum(values[-2 * size:-size]) / size
    delta = recent - before if direction == HIGHER else before - recent
    if abs(delta) < 1e-9:
        return "flat"
    return "up" if delta > 0 else "down"


# --------------------------------------------------------------------------- a framework's series


@dataclass
class Problem:
    where: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "message": self.message}


def _constraints_broken(node: Any, inputs: Mapping[str, float]) -> str | None:
    env = {k: np.array([v]) for k, v in inputs.items()}
    for expression, message in node.constraints:
        if any(name not in env for name in expression.variables):
            continue
        if bool(np.asarray(expression.violated(env, 1))[0]):
            return message or f"vi phạm ràng buộc {expression.source}"
    return None


def monitor(compiled: CompiledFramework, records: Iterable[tuple[str, str, str, object]],
            targets: Mapping[str, Mapping[int, float]] | None = None,
            directions: Mapping[str, str] | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Series of every KPI of ``compiled`` reported in ``records`` (unit, period, field, value).

    Each (KPI, unit) is read over every period from its first to its last report, so a gap is
    a row 'chưa có số liệu'.  Values breaking the KPI's constraints (a ≤ b) or not parsing are
    left out with a problem, never guessed.
    """
    from .data import ValueError_, parse_value

    targets = targets or {}
    directions = directions or {}
    inputs: dict[tuple[str, str, Period], dict[str, float]] = {}
    problems: list[Problem] = []
    for line, (unit, period_text, field_name, raw) in enumerate(records, start=2):
        where = f"dòng {line}"
        spec = compiled.fields.get(str(field_name).strip())
        if spec is None or spec.indicator is None:
            problems.append(Problem(where, f"trường '{field_name}' không có trong bộ chỉ số"))
            continue
        try:
            period = parse_period(period_text)
        except PeriodError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        if raw is None or str(raw).strip() == "":
            continue
        try:
            number = parse_value(spec, raw)
        except ValueError_ as exc:
            problems.append(Problem(where, f"{field_name}: {exc}"))
            continue
        var = spec.name.rsplit(".", 1)[1]
        inputs.setdefault((spec.indicator, str(unit).strip(), period), {})[var] = float(number)
    observed: dict[tuple[str, str], dict[Period, float | None]] = {}
    for (code, unit, period), given in inputs.items():
        node = compiled.nodes[code]
        rule = node.indicator.rule
        broken = _constraints_broken(node, given)
        value = None
        if broken:
            problems.append(Problem(f"{code} · {unit} · {period}", broken))
        elif (formula := getattr(rule, "value", None)):
            value = kpi_value(formula, given, percent=bool(getattr(rule, "percent", False)))
        observed.setdefault((code, unit), {})[period] = value
    order = {leaf.code: i for i, leaf in enumerate(compiled.leaves)}
    rows = []
    for (code, unit), values in sorted(observed.items(), key=lambda item: (order.get(item[0][0], 0), item[0][1])):
        frequencies = {p.frequency for p in values}
        if len(frequencies) > 1:
            problems.append(Problem(f"{code} · {unit}", "số liệu trộn nhiều tần suất (tháng, quý, năm); mỗi chỉ số chỉ có một"))
            continue
        span = periods_between(min(values), max(values))
        for point in series(values, targets.get(code, {}), direction=directions.get(code, HIGHER), periods=span):
            rows.append({
                "code": code, "unit": unit, "period": str(point.period), "value": _round(point.value),
                "target": point.target, "status": point.status,
                "change_previous": _round(point.change_previous), "change_year": _round(point.change_year),
            })
    return rows, problems


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
