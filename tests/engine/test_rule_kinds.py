"""The registry of rule kinds: every kind is one module that implements every part.

Each kind's own ``example`` (an indicator's inputs and rule) is compiled, validated, scored on
random data and explained here, so a new kind is exercised the moment its module exists.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dti.engine.rules as rules_package
from dti.engine import load_framework
from dti.engine.data import Unit, build_dataset
from dti.engine.explain import explain
from dti.engine.rules import KINDS, RuleKind, kind_of
from dti.engine.scoring import STATUS_CODES, score
from dti.engine.validate import validate_framework

from .helpers import compiled_of, framework

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = sorted(KINDS)
KIND_MODULES = [info.name for info in pkgutil.iter_modules(rules_package.__path__)
                if info.name not in {"base", "registry"}]


def example_framework(name: str) -> dict:
    example = KINDS[name].example
    indicator = {"code": "1", "name": f"Chỉ số {name}", "max_points": 10, **example}
    return framework([indicator])


def test_each_module_of_the_package_registers_one_kind():
    registered = {type(kind).__module__ for kind in KINDS.values()}
    assert registered == {f"dti.engine.rules.{name}" for name in KIND_MODULES}
    for name in KIND_MODULES:
        module = importlib.import_module(f"dti.engine.rules.{name}")
        kinds = [value for value in vars(module).values()
                 if inspect.isclass(value) and issubclass(value, RuleKind) and value.__module__ == module.__name__]
        assert len(kinds) == 1, f"{name}: one RuleKind per module"


@pytest.mark.parametrize("name", NAMES)
def test_kind_implements_every_part_itself(name):
    kind = KINDS[name]
    cls = type(kind)
    assert not inspect.isabstract(cls)
    for part in RuleKind.__abstractmethods__:
        assert part in vars(cls), f"{name} does not implement {part}"
    assert kind.model.model_fields["kind"].annotation.__args__ == (name,)
    assert set(kind.example) <= {"inputs", "constraints", "rule"}


@pytest.mark.parametrize("name", NAMES)
def test_kind_example_is_read_as_its_own_model_and_compiles_cleanly(name):
    fw = load_framework(example_framework(name))
    rule = fw.indicators[0].rule
    assert type(rule) is KINDS[name].model
    assert kind_of(rule) is KINDS[name]
    report = validate_framework(fw)
    assert report["errors"] == [] and report["warnings"] == []


def _values(spec: dict):
    kind = spec["type"]
    if kind == "yes_no":
        return st.sampled_from([None, "có", "không"])
    if kind == "choice":
        return st.sampled_from([None, "sai"] + [o["value"] for o in spec["options"]])
    if kind == "date":
        return st.sampled_from([None, "15/12/2023", "15/01/2024", "31/01/2024", "01/02/2024"])
    if kind == "count":
        return st.one_of(st.none(), st.integers(0, 40))
    return st.one_of(st.none(), st.floats(-5, 50, allow_nan=False).map(lambda x: round(x, 2)))


def _rows(name: str):
    inputs = KINDS[name].example["inputs"]
    unit = st.fixed_dictionaries({f"1.{spec['var']}": _values(spec) for spec in inputs})
    return st.lists(unit, min_size=1, max_size=6)


def _dataset(compiled, rows):
    units = [Unit(id=f"u{i}", name=f"u{i}", level="so") for i in range(len(rows))]
    records = [(f"u{i}", field, value) for i, row in enumerate(rows) for field, value in row.items()
               if value is not None]
    return build_dataset(compiled, units, records)


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_kind_scores_within_zero_and_maximum_and_explains_every_unit(name, data):
    compiled = compiled_of(example_framework(name))
    now, before = data.draw(_rows(name)), data.draw(_rows(name))
    before = (before * len(now))[: len(now)]
    result = score(compiled, _dataset(compiled, now), _dataset(compiled, before))
    outcome = result.indicators["1"]
    points = KINDS[name].points
    for position in range(len(now)):
        status = STATUS_CODES[outcome.status[position]]
        value = outcome.score[position]
        if points:
            assert 0 <= value <= 10 or (np.isnan(value) and status != "ok")
        else:
            assert np.isnan(value) and status in ("value_only", "no_data", "invalid", "not_applicable")
        assert explain(result, "1", position).strip()
        english = explain(result, "1", position, "en")
        assert english.strip() and "điểm" not in english and "chưa nhập" not in english
