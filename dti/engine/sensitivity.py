"""Rank robustness: how much each unit's rank depends on the readings a run chose.

The same data is scored under the default readings, under each alternative reading alone,
and under every alternative together; each unit gets its default rank, its best and worst
rank over those runs, and the reading that moves it most.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .compiled import compile_framework
from .data import Unit, build_dataset
from .model import Framework
from .readings import declared_readings
from .scoring import score

ALL_ALTERNATIVES = "*"  # the run with every indicator on its first non-default reading


def scenarios(framework: Framework, base: dict[str, str] | None = None) -> list[tuple[str, dict[str, str]]]:
    """(name, choices) of every run besides the baseline (the defaults, or ``base``): 'CODE=NAME'
    for each other reading alone, '*' for all of them together (when there is more than one)."""
    base = base or {}
    others = [(code, reading) for code, readings in declared_readings(framework).items() for reading in readings
              if reading.name != base.get(code, next(r.name for r in readings if r.default))]
    runs = [(f"{code}={reading.name}", {code: reading.name}) for code, reading in others]
    together: dict[str, str] = {}
    for code, reading in others:
        together.setdefault(code, reading.name)
    if len(runs) > 1:
        runs.append((ALL_ALTERNATIVES, together))
    return runs


def sensitivity(
    framework: Framework,
    units: list[Unit],
    records: Sequence[tuple[str, str, object]],
    *,
    previous: Sequence[tuple[str, str, object]] | None = None,
    year: int | None = None,
    choices: dict[str, str] | None = None,
    vietnamese: bool = False,
) -> dict[str, Any]:
    """``{"framework", "readings": [...], "units": [{"unit", "rank", "best_rank", "worst_rank",
    "most_sensitive_to"}]}``.  Ranks are per level as in a scoring run (None for a unit that is
    not ranked); ``most_sensitive_to`` is the run ('CODE=NAME' or '*') that moves the unit's rank
    furthest from its default rank, None when no reading moves it.  ``choices``: the readings the
    baseline uses instead of the defaults (a campaign's); ``vietnamese``: raw values as typed in
    the web forms ('1.234,5')."""

    base = dict(choices or {})

    def ranks(chosen: dict[str, str]) -> list[int]:
        compiled = compile_framework(framework, {**base, **chosen})
        data = build_dataset(compiled, units, records, vietnamese=vietnamese)
        before = build_dataset(compiled, units, previous, vietnamese=vietnamese) if previous is not None else None
        return [int(r) for r in score(compiled, data, before, year=year).rank]

    default = ranks({})
    runs = [(name, ranks(chosen)) for name, chosen in scenarios(framework, base)]
    out: list[dict[str, Any]] = []
    for position, unit in enumerate(units):
        rank = default[position]
        if not rank:
            out.append({"unit": unit.id, "level": unit.level, "rank": None, "best_rank": None,
                        "worst_rank": None, "most_sensitive_to": None})
            continue
        ranked = [(name, r[position]) for name, r in runs if r[position]]
        seen = [rank] + [r for _, r in ranked]
        moved = max(ranked, key=lambda run: abs(run[1] - rank), default=None)
        out.append({
            "unit": unit.id,
            "level": unit.level,
            "rank": rank,
            "best_rank": min(seen),
            "worst_rank": max(seen),
            "most_sensitive_to": moved[0] if moved and moved[1] != rank else None,
        })
    readings = [
        {"indicator": code, "reading": r.name, "default": r.default, "label": r.label, "text": r.text,
         "used": r.name == base.get(code, next(x.name for x in items if x.default))}
        for code, items in declared_readings(framework).items() for r in items
    ]
    return {
        "framework": framework.code,
        "readings": readings,
        "runs": [name for name, _ in scenarios(framework, base)],
        "units": out,
    }
