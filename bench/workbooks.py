"""A bulk entry workbook of 2,000 units: generating it and reading it back (seconds, peak memory).

    PYTHONPATH=. .venv/bin/python bench/workbooks.py [--units N] [--framework PATH] [--level L]

What the assessment administrator's "one workbook for many units" costs: the HCM Sở framework
(QĐ 79, every input of the level), every unit with a value in every input cell, built by
``dti.workbooks.entry.build`` (openpyxl in write-only mode, as the web and ``dti template`` do)
and read back by ``entry.read`` (read-only mode, every structural check) followed by the
engine's parsing of the values (``build_dataset``, as ``dti score --data FILE.xlsx`` does).
Each phase runs in its own forked process so its peak resident memory (``ru_maxrss``) is its
own; CPU seconds are printed beside wall-clock seconds (on a shared machine they say more).
The last line printed is JSON: {"units", "fields", "cells", "bytes", "generate_seconds",
"generate_cpu_seconds", "generate_peak_mb", "read_seconds", "read_cpu_seconds", "read_peak_mb"}.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dti.engine import compile_framework, load_framework  # noqa: E402
from dti.engine.data import Unit, build_dataset  # noqa: E402
from dti.memory import keep_freed_memory  # noqa: E402
from dti.workbooks import entry  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _raw(spec, rng: random.Random) -> str:
    kind = spec.type
    if kind == "choice":
        return rng.choice(spec.spec.options).value
    if kind == "yes_no":
        return rng.choice(("1", "0"))
    if kind == "date":
        return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026"
    if kind == "text":
        return "Văn bản thuyết minh"
    if kind == "percent":
        return f"{rng.uniform(0, 100):.1f}".replace(".", ",")
    if kind in ("count", "integer"):
        return str(rng.randint(0, 500))
    return f"{rng.uniform(0, 1000):.2f}".replace(".", ",")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _generate(args, path: str, queue) -> None:
    compiled = compile_framework(load_framework(Path(args.framework)))
    fields = [s for s in compiled.fields_for_level(args.level)]
    rng = random.Random(7)
    columns = [entry.UnitColumn(f"dv-{n:05d}", f"Đơn vị số {n}", {s.name: _raw(s, rng) for s in fields},
                                str(1_700_000_000_000_000 + n)) for n in range(args.units)]
    start, cpu = time.perf_counter(), time.process_time()
    content = entry.to_bytes(entry.build(compiled, args.level, columns, title="Bench"))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    Path(path).write_bytes(content)
    queue.put({"seconds": seconds, "cpu": cpu, "peak": _peak_mb(), "bytes": len(content), "fields": len(fields)})


def _read(args, path: str, queue) -> None:
    compiled = compile_framework(load_framework(Path(args.framework)))
    content = Path(path).read_bytes()
    start, cpu = time.perf_counter(), time.process_time()
    upload = entry.read(content)
    data = build_dataset(compiled, [Unit(u.code, u.code, upload.level) for u in upload.units],
                         entry.records(upload), vietnamese=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    cells = sum(len(u.values) for u in upload.units)
    queue.put({"seconds": seconds, "cpu": cpu, "peak": _peak_mb(), "cells": cells, "errors": len(upload.errors),
               "problems": len(data.problems)})


def _run(target, *args) -> dict:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    found = queue.get()
    process.join()
    return found


def main() -> int:
    keep_freed_memory()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--framework", default=str(ROOT / "dti" / "frameworks" / "hcm-79-so.yaml"))
    parser.add_argument("--level", default="so")
    args = parser.parse_args()
    path = f"/tmp/dti-bench-workbook-{multiprocessing.current_process().pid}.xlsx"
    made = _run(_generate, args, path)
    read = _run(_read, args, path)
    Path(path).unlink(missing_ok=True)
    rows = read["cells"] // max(args.units, 1)
    print(f"Mẫu Excel nhiều đơn vị: {args.units:,} đơn vị × {rows} dòng ({made['fields']} trường, {rows - made['fields']} "
          f"dòng tình trạng) = {read['cells']:,} ô giá trị; tệp {made['bytes'] / 1024 / 1024:.1f} MB")
    print(f"Tạo tệp: {made['seconds']:.2f} s (CPU {made['cpu']:.2f} s), bộ nhớ đỉnh {made['peak']:.0f} MB")
    print(f"Đọc lại (kiểm tra cấu trúc + phân tích giá trị): {read['seconds']:.2f} s (CPU {read['cpu']:.2f} s), "
          f"bộ nhớ đỉnh {read['peak']:.0f} MB; "
          f"lỗi cấu trúc {read['errors']}, vấn đề dữ liệu {read['problems']}")
    print(json.dumps({
        "units": args.units, "fields": made["fields"], "cells": read["cells"], "bytes": made["bytes"],
        "generate_seconds": round(made["seconds"], 2), "generate_cpu_seconds": round(made["cpu"], 2),
        "generate_peak_mb": round(made["peak"]),
        "read_seconds": round(read["seconds"], 2), "read_cpu_seconds": round(read["cpu"], 2),
        "read_peak_mb": round(read["peak"]),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
