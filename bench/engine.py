"""Synthetic national run: 10,000 units × 100 indicators, from parsed input to ranked result.

    PYTHONPATH=. .venv/bin/python bench/engine.py [--units N] [--indicators M] [--repeat R]

The framework is generated as a dict mixing every rule kind (ratio, target, lower direction,
steps, money bands, choice, yes_no, parts, count per item / minimum, relative min_max and
max_ratio, growth against a previous dataset, date) under parents.  The data is a
``Dataset`` of already parsed input (NaN = not given), filled into the arrays ``new_values``
gives, the arrays ``build_dataset`` parses text into.
We time ``score(compiled, data, previous)`` — best of ``--repeat`` runs after a warm-up;
explanations are lazy and not part of it.  Like the ``dti`` command and the web server, the
benchmark owns its process and asks glibc to keep freed memory (``dti.memory``).

``floor_seconds`` is one vectorised pass that only reads every input value once (summing
each input array), best of several runs: the cost of touching the data at all.  The last
line printed is JSON: {"units", "indicators", "seconds", "floor_seconds", "ratio"}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dti.engine import compile_framework, load_framework  # noqa: E402
from dti.engine.data import Dataset, Unit, new_values  # noqa: E402
from dti.engine.scoring import STATUS_CODES, score  # noqa: E402
from dti.memory import keep_freed_memory  # noqa: E402

LEVELS = ["tinh", "huyen", "xa"]
OPTIONS = [{"value": "giam_doc", "label": "Giám đốc"}, {"value": "pho_giam_doc", "label": "Phó giám đốc"},
           {"value": "khac", "label": "Khác"}]


def _count(var):
    return {"var": var, "label": f"Số liệu {var}", "type": "count"}


Flavour = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


def _rule(kind: int) -> Flavour:
    """(rule, inputs, constraints) for the kind-th flavour."""
    ab = [_count("a"), _count("b")]
    a_le_b: list[dict[str, Any]] = [{"check": "a <= b", "message": "a không thể lớn hơn b"}]
    flavours: list[Flavour] = [
        ({"kind": "ratio", "value": "a / b"}, ab, a_le_b),
        ({"kind": "ratio", "value": "a / b", "target": 80}, ab, a_le_b),
        ({"kind": "ratio", "value": "a / b", "direction": "lower", "target": 10}, ab, a_le_b),
        ({"kind": "steps", "value": "a / b", "percent": True,
          "steps": [{"when": "> 80", "share": 1}, {"when": ">= 50", "share": 0.5}]}, ab, a_le_b),
        ({"kind": "steps", "value": "a", "steps": [{"when": ">= 2", "share": 1}, {"when": ">= 1", "share": 0.7},
                                                   {"when": ">= 0.5", "share": 0.3}]},
         [{"var": "a", "label": "Kinh phí", "type": "money", "unit": "tỷ đồng"}], []),
        ({"kind": "choice", "field": "c", "scores": [{"option": "giam_doc", "share": 1},
                                                     {"option": "pho_giam_doc", "share": 0.5}]},
         [{"var": "c", "label": "Trưởng ban", "type": "choice", "options": OPTIONS}], []),
        ({"kind": "yes_no", "field": "c"}, [{"var": "c", "label": "Đã ban hành", "type": "yes_no"}], []),
        ({"kind": "parts", "parts": [
            {"label": "Đáp ứng", "share": 0.8, "rule": {"kind": "yes_no", "field": "c"}},
            {"label": "IPv6", "share": 0.2, "rule": {"kind": "yes_no", "field": "d"}}]},
         [{"var": "c", "label": "Đáp ứng", "type": "yes_no"}, {"var": "d", "label": "IPv6", "type": "yes_no"}], []),
        ({"kind": "count", "value": "a", "per_item": 1}, [_count("a")], []),
        ({"kind": "count", "value": "a", "minimum": 24, "below_minimum": "proportional"}, [_count("a")], []),
        ({"kind": "relative", "method": "min_max", "value": "(a + b) / (c + d)", "percent": True},
         [_count("a"), _count("b"), _count("c"), _count("d")], [{"check": "a + b <= c + d"}]),
        ({"kind": "relative", "method": "max_ratio", "value": "a / b", "percent": True}, ab, a_le_b),
        ({"kind": "relative", "method": "max_ratio", "direction": "lower", "value": "a"}, [_count("a")], []),
        ({"kind": "growth", "value": "a", "target": 10}, [_count("a")], []),
        ({"kind": "growth", "value": "a / b", "percent": True,
          "steps": [{"when": ">= 20", "share": 1}, {"when": ">= 10", "share": 0.5}]}, ab, a_le_b),
        ({"kind": "date", "field": "d", "steps": [{"by": "31/01", "share": 1}], "otherwise": {"share": 0.5}},
         [{"var": "d", "label": "Ngày ban hành", "type": "date"}], []),
    ]
    return flavours[kind % len(flavours)]


def make_framework(indicators: int, per_pillar: int = 10) -> dict:
    pillars = []
    for p in range(0, indicators, per_pillar):
        children = []
        for i in range(p, min(p + per_pillar, indicators)):
            rule, inputs, constraints = _rule(i)
            children.append({
                "code": f"{p // per_pillar + 1}.{i - p + 1}",
                "name": f"Chỉ số {i + 1}",
                "max_points": {"tinh": 10, "huyen": 10, "xa": 5} if i % 7 else {"tinh": 20, "huyen": 10},
                "inputs": inputs,
                "constraints": constraints,
                "rule": rule,
            })
        pillars.append({"code": str(p // per_pillar + 1), "name": f"Trụ cột {p // per_pillar + 1}",
                        "children": children})
    return {
        "code": "bench-national",
        "name": "Bộ chỉ số tổng hợp (đo hiệu năng)",
        "source": {"document": "bench"},
        "year": 2024,
        "levels": [{"code": code, "name": code} for code in LEVELS],
        "indicators": pillars,
    }


def make_dataset(compiled, units: int, rng: np.random.Generator) -> Dataset:
    """Parsed input as arrays: 5% of values not given, 1% zero denominators, 0.1% broken constraints."""
    unit_list = [Unit(id=f"u{i:05d}", name=f"Đơn vị {i}", level=LEVELS[0 if i < 63 else 1 if i < 800 else 2])
                 for i in range(units)]
    values = new_values(compiled, units)  # the arrays build_dataset parses into, filled in place
    jan = dt.date(2024, 1, 1).toordinal()
    for node in compiled.leaves:
        names = {spec.var: f"{node.code}.{spec.var}" for spec in node.indicator.inputs}
        for name in names.values():
            spec = compiled.fields[name]
            kind = spec.type
            if kind == "count":
                column = rng.integers(0, 100, units).astype(float)
            elif kind == "money":
                column = np.round(rng.uniform(0, 3, units), 2)
            elif kind == "choice":
                column = rng.integers(0, len(spec.spec.options), units).astype(float)
            elif kind == "yes_no":
                column = rng.integers(0, 2, units).astype(float)
            elif kind == "date":
                column = (jan + rng.integers(0, 90, units)).astype(float)
            else:
                column = rng.uniform(0, 100, units)
            values[name][:] = column
        # numerators within their denominators: a ≤ b, and a + b ≤ c + d
        if {"a", "b", "c", "d"} <= names.keys():
            pairs = [("a", "c"), ("b", "d")]
        elif {"a", "b"} <= names.keys():
            pairs = [("a", "b")]
        else:
            pairs = []
        for top, bottom in pairs:
            denominator = values[names[bottom]]
            denominator[rng.random(units) < 0.01] = 0
            numerator = np.floor(rng.random(units) * denominator)
            broken = rng.random(units) < 0.001
            numerator[broken] = denominator[broken] + 1
            values[names[top]][:] = numerator
        for name in names.values():
            values[name][rng.random(units) < 0.05] = np.nan  # not given
    return Dataset(units=unit_list, values=values)


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args(argv)
    keep_freed_memory()

    rng = np.random.default_rng(args.seed)
    compiled = compile_framework(load_framework(make_framework(args.indicators)))
    assert not compiled.issues, compiled.issues
    data = make_dataset(compiled, args.units, rng)
    previous = make_dataset(compiled, args.units, rng)

    arrays = list(data.values.values())

    def floor() -> float:
        total = 0.0
        for column in arrays:
            total += float(column.sum())
        return total

    result = score(compiled, data, previous)  # warm-up
    seconds = best_of(lambda: score(compiled, data, previous), args.repeat)
    floor()
    floor_seconds = best_of(floor, max(10 * args.repeat, 50))

    leaves = len(compiled.leaves)
    kinds: dict[str, int] = {}
    for node in compiled.leaves:
        kind = node.indicator.rule.kind if node.indicator.rule is not None else "maturity"
        kinds[kind] = kinds.get(kind, 0) + 1
    ranked = int((result.rank > 0).sum())
    statuses = np.concatenate([r.status for r in result.indicators.values()])
    print(f"Đơn vị: {args.units:,} · chỉ số: {leaves} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"Trường nhập: {len(arrays)} mảng, {sum(a.size for a in arrays):,} giá trị; "
          f"vấn đề dữ liệu: {len(result.problems):,}; đơn vị được xếp hạng: {ranked:,}")
    print("Trạng thái: " + ", ".join(f"{STATUS_CODES[i]} {int((statuses == i).sum()):,}" for i in np.unique(statuses)))
    print(f"Chấm điểm (tốt nhất trong {args.repeat} lần): {seconds * 1000:.1f} ms")
    print(f"Sàn (đọc mỗi giá trị một lần): {floor_seconds * 1000:.2f} ms → tỷ lệ {seconds / floor_seconds:.1f}×")
    print(json.dumps({
        "units": args.units,
        "indicators": leaves,
        "seconds": round(seconds, 4),
        "floor_seconds": round(floor_seconds, 5),
        "ratio": round(seconds / floor_seconds, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
