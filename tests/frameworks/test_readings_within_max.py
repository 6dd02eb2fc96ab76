"""Property: every reading of every indicator of every bundled framework scores within [0, max]."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti.engine import compile_framework, load_framework
from dti.engine.data import Unit, build_dataset
from dti.engine.readings import declared_readings
from dti.engine.scoring import score

FRAMEWORKS = sorted((Path(__file__).resolve().parents[2] / "dti" / "frameworks").glob("*.yaml"))


@cache
def _framework(path: Path):
    return load_framework(path)


@cache
def _compiled(path: Path, code: str, reading: str):
    return compile_framework(_framework(path), {code: reading})


CASES = [(path, code, r.name) for path in FRAMEWORKS
         for code, readings in declared_readings(_framework(path)).items() for r in readings]


def test_the_bundled_frameworks_declare_the_readings_of_issue_9():
    names = {(p.name, code): [] for p, code, _ in CASES}
    for path, code, name in CASES:
        names[(path.name, code)].append(name)
    assert names == {
        ("hcm-79-huyen.yaml", "3.3"): ["cap_at_max", "so_annex"],
        ("hcm-79-huyen.yaml", "6.13"): ["literal", "growth"],
        ("hcm-79-so.yaml", "6.13"): ["literal", "growth"],
        ("national-922-2022.yaml", "6.4"): ["halves", "literal"],
        ("national-922-2022.yaml", "8.6"): ["min_max", "ratio_to_best"],
        ("national-922-2022.yaml", "8.7"): ["min_max", "ratio_to_best"],
    }


def _raw(spec):
    if spec.type == "yes_no":
        return st.sampled_from(["có", "không"])
    if spec.type == "date":
        return st.dates().map(lambda d: d.strftime("%d/%m/%Y"))
    if spec.type == "choice":
        return st.sampled_from([o.value for o in spec.options])
    if spec.type == "percent":
        return st.floats(0, 100, allow_nan=False).map(lambda v: f"{v:.4f}")
    return st.floats(0, 1e6, allow_nan=False).map(lambda v: f"{v:.3f}")


@pytest.mark.parametrize("path, code, reading", CASES, ids=[f"{p.stem}:{c}={r}" for p, c, r in CASES])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_reading_scores_within_zero_and_the_maximum(path, code, reading, data):
    compiled = _compiled(path, code, reading)
    node = compiled.nodes[code]
    level = node.levels[0]
    units = [Unit(f"u{i}", f"u{i}", level) for i in range(data.draw(st.integers(1, 5)))]
    records = []
    for unit in units:
        for spec in node.indicator.inputs:
            value = data.draw(st.one_of(st.none(), _raw(spec)))
            if value is not None:
                records.append((unit.id, f"{code}.{spec.var}", value))
    result = score(compiled, build_dataset(compiled, units, records)).indicators[code]
    scored = np.isfinite(result.score)
    assert (result.score[scored] >= 0).all()
    assert (result.score[scored] <= result.max[scored] + 1e-9).all()
    assert (result.max <= node.max_by_level[level] + 1e-9).all()
