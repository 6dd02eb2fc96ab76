"""Reconciliation: a published result (the Ministry's scores per indicator) against the method.

Findings, not errors: a published score above its indicator's maximum (``over_max``), above what
its rule can award at all under the default reading or another declared reading (``over_reachable``),
a parent whose published score differs from the sum of its published components, or the grand
total from the sum of the pillars, beyond rounding (``sum_mismatch``).

Rounding: each published component is printed with two decimals, so each may be off by up to
0,005; a sum of n components may differ from its own rounded total by up to 0,005 × (n + 1).
Differences within that are rounding and are not reported (922, Gia Lai 2022: pillars 3 and 8).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .compiled import CompiledFramework
from .data import ValueError_, parse_number
from .data import format_number as _n
from .readings import declared_readings
from .rules import kind_of

ROUNDING = 0.005  # half of the last printed decimal (scores are published with two decimals)
TOTAL_CODES = ("total", "tong", "tổng", "TOTAL")  # a published grand total may come as a row of its own
EPSILON = 1e-9


def _problem(code: str, kind: str, published: float, expected: float, message: str) -> dict[str, Any]:
    return {"code": code, "kind": kind, "published": round(published, 4), "expected": round(expected, 4),
            "message": message}


def tolerance(parts: int) -> float:
    """How far a sum of ``parts`` rounded scores may be from its own rounded total."""
    return ROUNDING * (parts + 1) + EPSILON


def reconcile(compiled: CompiledFramework, published: Mapping[str, float | None],
              level: str | None = None) -> dict[str, Any]:
    """``{"framework", "problems": [{"code", "kind", "published", "expected", "message"}]}``.

    ``published``: code → published score (None: not published).  A component above its maximum
    counts at its maximum in its parent's sum (it is reported on its own)."""
    framework = compiled.framework
    level = level or framework.level_codes[0]
    if level not in framework.level_codes:
        raise ValueError_(f"cấp '{level}' không có trong bộ chỉ số ({', '.join(framework.level_codes)})")
    problems: list[dict[str, Any]] = []
    readings = declared_readings(compiled.written)
    for code in (node.code for node, _ in framework.walk()):
        node = compiled.nodes[code]
        value = published.get(code)
        if value is None or level not in node.levels:
            continue
        maximum = node.max_by_level.get(level)
        if maximum is not None and value > maximum + EPSILON:
            problems.append(_problem(code, "over_max", value, maximum,
                                     f"{code}: công bố {_n(value)} điểm, lớn hơn điểm tối đa {_n(maximum)}"))
            continue
        if node.is_leaf and maximum is not None:
            problems.extend(_over_reachable(node.indicator.rule, code, value, maximum, readings.get(code, [])))
        if not node.is_leaf:
            parts = [(c, published.get(c)) for c in node.children if level in compiled.nodes[c].levels]
            given = [(c, v) for c, v in parts if v is not None]
            if not given:
                continue
            expected = sum(_capped(compiled, c, v, level) for c, v in given)
            if abs(expected - value) > tolerance(len(given)):
                problems.append(_problem(
                    code, "sum_mismatch", value, expected,
                    f"{code}: công bố {_n(value)} điểm nhưng các chỉ số thành phần công bố cộng lại được "
                    f"{_n(expected)} (chênh {_n(value - expected)}, quá sai số làm tròn)"))
    total = next((published[c] for c in TOTAL_CODES if published.get(c) is not None), None)
    if total is not None:
        pillars = [(r.code, published.get(r.code)) for r in compiled.roots if level in r.levels]
        given = [(c, v) for c, v in pillars if v is not None]
        expected = sum(_capped(compiled, c, v, level) for c, v in given)
        if abs(expected - total) > tolerance(len(given)):
            problems.append(_problem("total", "sum_mismatch", total, expected,
                                     f"Tổng điểm công bố {_n(total)} nhưng các chỉ số chính cộng lại được "
                                     f"{_n(expected)} (chênh {_n(total - expected)})"))
    return {"framework": framework.code, "problems": problems}


def _capped(compiled: CompiledFramework, code: str, value: float | None, level: str) -> float:
    maximum = compiled.nodes[code].max_by_level.get(level)
    value = value or 0.0
    return min(value, maximum) if maximum is not None else value


def _over_reachable(rule: Any, code: str, value: float, maximum: float, readings: list[Any]) -> list[dict[str, Any]]:
    found = []
    if rule is not None and kind_of(rule).points:
        best = kind_of(rule).best(rule, maximum)
        if value > best + ROUNDING:
            found.append(_problem(code, "over_reachable", value, best,
                                  f"{code}: công bố {_n(value)} điểm nhưng quy tắc chấm chỉ cho tối đa {_n(best)}"))
    for reading in readings:
        if reading.default:
            continue  # the default reading is the rule above
        best = kind_of(reading.rule).best(reading.rule, maximum)
        if value > best + ROUNDING:
            found.append(_problem(code, "over_reachable", value, best,
                                  f"{code}: công bố {_n(value)} điểm nhưng đọc theo cách '{reading.name}' "
                                  f"({reading.label}) chỉ được tối đa {_n(best)}"))
    return found


def read_published_csv(path: str | Path) -> dict[str, float | None]:
    """A published result as CSV: ``code`` and ``score`` (or ``published_score``); blank = not published."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        return published_from_rows(list(reader.fieldnames or []), reader, str(path))


def published_from_rows(columns: list[str], rows: Any, where: str) -> dict[str, float | None]:
    """Rows of a CSV or a worksheet (mappings of column → text) → code → score; clear message on bad rows."""
    names = [str(c or "").strip().lower() for c in columns]
    column = next((c for c in ("score", "published_score", "điểm", "diem") if c in names), None)
    if "code" not in names or column is None:
        raise ValueError_(f"tệp '{where}' cần hai cột: code và score (hoặc published_score)")
    published: dict[str, float | None] = {}
    for line, row in enumerate(rows, 2):
        lowered = {str(k or "").strip().lower(): v for k, v in row.items()}
        code = str(lowered.get("code") or "").strip()
        if not code:
            continue
        raw = lowered.get(column)
        if raw is None or str(raw).strip() == "":
            published[code] = None
            continue
        try:
            published[code] = float(raw) if isinstance(raw, (int, float)) else parse_number(str(raw))
        except ValueError_:
            raise ValueError_(f"tệp '{where}' dòng {line}: điểm '{raw}' của chỉ số {code} không phải là số") from None
        if code in published and published[code] is not None and published[code] < 0:  # type: ignore[operator]
            raise ValueError_(f"tệp '{where}' dòng {line}: điểm của chỉ số {code} không được âm")
    return published


def unknown_codes(compiled: CompiledFramework, published: Mapping[str, float | None]) -> list[str]:
    """Codes of a published result that the framework does not have (the total row aside)."""
    return [c for c in published if c not in compiled.nodes and c not in TOTAL_CODES]
