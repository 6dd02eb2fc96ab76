"""Where the points are, for one province among the 63: `find_gains` on QĐ 922 (114 scored leaves).

    PYTHONPATH=. .venv/bin/python bench/gains.py [--units 63] [--repeat 3]

The units are Gia Lai's 2022 figures (docs/examples/gialai-2022) for the first unit and, for the
others, the same figures scaled by a random factor in [0.3, 3] per number (yes/no and choices
drawn at random), so the Min-Max indicators have real peers.  We time ``find_gains`` for the first
unit (best of ``--repeat`` after a warm-up) and count the scoring runs it makes.  The last line
printed is JSON: {"units", "leaves", "gains", "seconds", "score_runs"}.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dti.engine import compile_framework, load_framework  # noqa: E402
from dti.engine import gains as gains_module  # noqa: E402
from dti.engine.data import Unit, build_dataset, parse_number, read_long_csv  # noqa: E402
from dti.memory import keep_freed_memory  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=63)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    keep_freed_memory()
    compiled = compile_framework(load_framework(ROOT / "dti" / "frameworks" / "national-922-2022.yaml"))
    example = [r for r in read_long_csv(ROOT / "docs" / "examples" / "gialai-2022" / "data.csv") if r[0] == "gialai"]
    rng = random.Random(922)
    units = [Unit(f"t{i:02d}", f"Tỉnh {i}", "tinh") for i in range(args.units)]
    records = []
    for i, unit in enumerate(units):
        for _, name, raw in example:
            value: object = raw
            spec = compiled.fields[name]
            if i and spec.type in ("number", "integer", "count", "money", "percent"):
                number = parse_number(str(raw)) * rng.uniform(0.3, 3)
                value = round(number) if spec.type in ("integer", "count") else round(number, 2)
            elif i and spec.type == "yes_no":
                value = rng.choice(["có", "không"])
            records.append((unit.id, name, value))
    data = build_dataset(compiled, units, records)
    runs = 0
    real_score = vars(gains_module)["score"]

    def counting(*a, **k):
        nonlocal runs
        runs += 1
        return real_score(*a, **k)

    vars(gains_module)["score"] = counting  # count the engine runs the heuristic makes
    report = gains_module.find_gains(compiled, data, units[0].id)  # warm-up
    runs_per_call = runs
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        gains_module.find_gains(compiled, data, units[0].id)
        best = min(best, time.perf_counter() - start)
    print(f"find_gains, {args.units} units, {len(compiled.leaves)} leaves: {best:.2f} s, "
          f"{len(report['gains'])} gains, {runs_per_call} scoring runs")
    print(json.dumps({"units": args.units, "leaves": len(compiled.leaves), "gains": len(report["gains"]),
                      "seconds": round(best, 3), "score_runs": runs_per_call}))


if __name__ == "__main__":
    main()
