"""Rank robustness: how much each unit's rank depends on the readings a run chose.

The same data is scored under the default readings, under each alternative reading alone,
and under every alternative together; each unit gets its default rank, its best and worst
rank over those runs, and the reading that moves it most.
"""

from __future__ import annotations

from collections.abc import Sequence

from .compiled import compile_framework
from .data import Unit, build_dataset
from .model import Framework
from .readings import alternatives, declared_readings
from .scoring import score

ALL_ALTERNATIVES = "*"  # the run with every indicator on its first non-default reading


def scenarios(framework: Framework) -> list[tuple[str, dict[str, str]]]:
    """(name, choices) of every run besides the defaults: 'CODE=NAME' for one alternative reading,
    '*' for all alternatives together (when there is more than one)."""
    runs = [(f"{code}={reading.name}", {code: reading.name}) for code, reading in alternatives(framework)]
    together: dict[str, str] = {}
    for code, reading in alternatives(framework):
        together.setdefault(code, reading.name)
    if len(runs) > 1:
        runs.append((ALL_ALTERNATIVES, together))
    return runs


def sensitivity(
    framework: Framework,
    units: Sequence[Unit],
    records: Sequence[tuple[str, str, object]],
    *,
    previous: Sequence[tuple[str, str, object]] | None = None,
    year: int | None = None,
) -> dict:
    """``{"framework", "readings": [...], "units": [{"unit", "rank", "best_rank", "worst_rank",
    "most_sensitive_to"}]}``.  Ranks are per level as in a scoring run (None for a unit that is
    not ranked); ``most_sensitive_to`` is the run ('CODE=NAME' or '*') that moves the unit's rank
    furthest from its default rank, None when no reading moves it."""

    def ranks(choices: dict[str, str]) -> list[int]:
        compiled = compile_framework(framework, choices)
        data = build_dataset(compiled, units, records)
        before = build_dataset(compiled, units, previous) if previous is not None else None
        return [int(r) for r in score(compiled, data, before, year=year).rank]

    default = ranks({})
    runs = [(name, ranks(choices)) for name, choices in scenarios(framework)]
    out = []
    for position, unit in enumerate(units):
        rank = default[position]
        if not rank:
            out.append({"unit": unit.id, "level": unit.level, "rank": None, "best_rank": None,
                        "worst_rank": None, "most_sensitive_to": None})
            continue
        seen = [rank] + [r[position] for _, r in runs if r[position]]
        moved = max(runs, key=lambda run: abs(run[1][position] - rank), default=None)
        out.append({
            "unit": unit.id,
            "level": unit.level,
            "rank": rank,
            "best_rank": min(seen),
            "worst_rank": max(seen),
            "most_sensitive_to": moved[0] if moved and moved[1][position] != rank else None,
        })
    readings = [
        {"indicator": code, "reading": r.name, "default": r.default, "label": r.label, "text": r.text}
        for code, items in declared_readings(framework).items() for r in items
    ]
    return {
        "framework": framework.code,
        "readings": readings,
        "runs": [name for name, _ in scenarios(framework)],
        "units": out,
    }
