"""Builders shared by the engine tests: frameworks as plain dicts, data as long records.

Everything goes through the public path — ``load_framework(dict)``, ``compile_framework``,
``build_dataset`` (so raw values are parsed as a user would type them) and ``score``.
"""

from __future__ import annotations

import math

import numpy as np

from dti.engine import compile_framework, load_framework  # noqa: F401 (re-exported)
from dti.engine.data import Unit, build_dataset
from dti.engine.explain import explain
from dti.engine.scoring import STATUS_CODES, score

SO = {"code": "so", "name": "Sở, ban, ngành"}


def framework(indicators: list[dict], *, levels: list[dict] | None = None, **extra) -> dict:
    """A minimal valid framework around ``indicators``."""
    data = {
        "code": "thu-nghiem",
        "name": "Bộ chỉ số thử nghiệm",
        "source": {"document": "79/QĐ-UBND", "issuer": "UBND TP. Hồ Chí Minh"},
        "year": 2024,
        "levels": levels or [SO],
        "indicators": indicators,
    }
    data.update(extra)
    return data


def leaf(code: str, rule: dict, inputs: list[dict] | None = None, max_points=10, **extra) -> dict:
    item = {"code": code, "name": f"Chỉ số {code}", "max_points": max_points, "rule": rule, "inputs": inputs or []}
    item.update(extra)
    return item


def field(var: str, type: str = "count", **extra) -> dict:
    return {"var": var, "label": extra.pop("label", f"Trường {var}"), "type": type, **extra}


AB = [field("a"), field("b")]


def compiled_of(fw: dict):
    compiled = compile_framework(load_framework(fw))
    assert not compiled.issues, compiled.issues
    return compiled


def records(rows: dict[str, dict[str, object]]) -> list[tuple[str, str, object]]:
    return [(unit, name, value) for unit, fields in rows.items() for name, value in fields.items()]


def units_of(rows, level: str = "so") -> list[Unit]:
    return [Unit(id=u, name=u, level=level) for u in rows]


def run(fw: dict, rows: dict[str, dict[str, object]], *, units: list[Unit] | None = None,
        previous: dict[str, dict[str, object]] | None = None, year: int | None = None):
    """Score ``rows`` ({unit: {field: raw value}}); every unit defaults to level 'so'."""
    compiled = compiled_of(fw)
    units = units if units is not None else units_of(rows)
    data = build_dataset(compiled, units, records(rows))
    prev = build_dataset(compiled, units, records(previous)) if previous is not None else None
    return score(compiled, data, prev, year=year)


def scores(result, code: str) -> dict[str, float | None]:
    out = {}
    for position, unit in enumerate(result.data.units):
        value = result.indicators[code].score[position]
        out[unit.id] = None if math.isnan(value) else round(float(value), 6)
    return out


def statuses(result, code: str) -> dict[str, str]:
    return {u.id: STATUS_CODES[result.indicators[code].status[i]] for i, u in enumerate(result.data.units)}


def maxima(result, code: str) -> dict[str, float]:
    return {u.id: round(float(result.indicators[code].max[i]), 6) for i, u in enumerate(result.data.units)}


def why(result, code: str, unit: str) -> str:
    return explain(result, code, result.data.index[unit])


def messages(result_or_data) -> list[str]:
    return [p.message for p in result_or_data.problems]


def single(fw: dict, fields: dict[str, object], code: str = "1", **kwargs) -> tuple[float | None, str]:
    """Score one unit; returns (score, status) of ``code``."""
    result = run(fw, {"u": fields}, **kwargs)
    return scores(result, code)["u"], statuses(result, code)["u"]


def finite(array) -> np.ndarray:
    return np.asarray(array)[~np.isnan(array)]
