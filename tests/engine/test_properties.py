"""Property tests over random data for a framework that mixes every rule kind."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti.engine.data import Unit, build_dataset
from dti.engine.explain import explain
from dti.engine.scoring import STATUS_CODES, score

from .helpers import AB, compiled_of, field, framework, leaf

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LEVELS = [{"code": "so", "name": "Sở"}, {"code": "huyen", "name": "Huyện"}]
OPTIONS = [{"value": "giam_doc", "label": "Giám đốc"}, {"value": "pho_giam_doc", "label": "Phó giám đốc"},
           {"value": "khac", "label": "Khác"}]
A = [field("a")]


def build(policies: dict, max_points: int) -> dict:
    per_level = {"so": max_points, "huyen": max_points * 2}
    check = [{"check": "a <= b"}]
    return framework([
        {"code": "1", "name": "Tỷ lệ", "children": [
            leaf("1.1", {"kind": "ratio", "value": "a / b", "target": 80}, AB, constraints=check, max_points=per_level),
            leaf("1.2", {"kind": "steps", "value": "a / b", "percent": True,
                         "steps": [{"when": "> 80", "points": 30}, {"when": ">= 50", "points": 15}]}, AB, max_points=30),
            leaf("1.3", {"kind": "ratio", "value": "a / b", "direction": "lower",
                         "when_zero_denominator": "not_applicable"}, AB),
            leaf("1.4", {"kind": "steps", "value": "a", "steps": [
                {"when": ">= 2", "share": 1}, {"when": ">= 1", "share": 0.7}, {"when": ">= 0.5", "share": 0.3}]},
                [field("a", "money")]),
        ]},
        {"code": "2", "name": "Đếm và so sánh", "children": [
            leaf("2.1", {"kind": "count", "value": "a", "per_item": 1.5}, A, max_points=max_points),
            leaf("2.2", {"kind": "count", "value": "a", "minimum": 5, "below_minimum": "proportional"}, A),
            leaf("2.3", {"kind": "relative", "method": "min_max", "value": "a / b", "percent": True}, AB),
            leaf("2.4", {"kind": "relative", "method": "max_ratio", "direction": "lower", "value": "a"}, A),
            leaf("2.5", {"kind": "relative", "method": "max_ratio", "value": "a"}, A, levels=["so"]),
        ]},
        {"code": "3", "name": "Lựa chọn", "children": [
            leaf("3.1", {"kind": "choice", "field": "c", "scores": [
                {"option": "giam_doc", "share": 1}, {"option": "pho_giam_doc", "share": 0.5}]},
                [field("c", "choice", options=OPTIONS)]),
            leaf("3.2", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")], max_points=per_level),
            leaf("3.3", {"kind": "parts", "parts": [
                {"label": "Có", "share": 0.8, "rule": {"kind": "yes_no", "field": "c"}},
                {"label": "Tỷ lệ", "points": 4, "rule": {"kind": "ratio", "value": "a / b"}}]},
                [field("c", "yes_no"), *AB]),
            leaf("3.4", {"kind": "growth", "value": "a", "target": 10}, A),
            leaf("3.5", {"kind": "date", "field": "d", "steps": [{"by": "31/01", "share": 1}],
                         "otherwise": {"share": 0.5}}, [field("d", "date")]),
            leaf("3.6", {"kind": "manual", "field": "p"}, [field("p", "number")]),
            leaf("3.7", {"kind": "kpi", "value": "a"}, A, max_points=None),
        ]},
    ], levels=LEVELS, policies=policies)


POLICIES = st.fixed_dictionaries({
    "missing_data": st.sampled_from(["zero", "exclude"]),
    "no_content": st.sampled_from(["full", "exclude", "zero"]),
    "exempt": st.sampled_from(["exclude", "full"]),
    "rescale": st.booleans(),
})
SMALL = [None, 0, 0, 1, 2, 3, 4, 5, 8, 10, 12]
CHOICES = {
    "1.4.a": [None, "0", "0,49", "0,5", "1", "1,99", "2", "5"],
    "3.1.c": [None, "giam_doc", "pho_giam_doc", "khac", "sai"],
    "3.2.c": [None, "có", "không"],
    "3.3.c": [None, "có", "không"],
    "3.5.d": [None, "15/01/2024", "31/01/2024", "01/02/2024"],
    "3.6.p": [None, -5, 0, 2.5, 7, 50],
}
NUMBERS = ["1.1.a", "1.1.b", "1.2.a", "1.2.b", "1.3.a", "1.3.b", "2.1.a", "2.2.a", "2.3.a", "2.3.b", "2.4.a",
           "2.5.a", "3.3.a", "3.3.b", "3.4.a", "3.7.a"]
STATUSES = [None] * 12 + ["no_content", "exempt"]
LEAVES = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]


def units_from(count: int, seed: int) -> list[dict]:
    """Random units drawn from edge-heavy palettes (cheap to generate; hypothesis varies the seed)."""
    rnd = random.Random(seed)
    units = []
    for _ in range(count):
        values = {name: rnd.choice(SMALL) for name in NUMBERS}
        values.update({name: rnd.choice(options) for name, options in CHOICES.items()})
        units.append({
            "level": rnd.choice(["so", "huyen"]),
            "values": values,
            "statuses": {code: rnd.choice(STATUSES) for code in LEAVES},
            "previous": rnd.choice(SMALL),
        })
    return units


CASE = st.builds(lambda policies, max_points, count, seed: (policies, max_points, units_from(count, seed)),
                 POLICIES, st.integers(1, 20), st.integers(1, 12), st.integers(0, 2**32 - 1))

_COMPILED: dict = {}


def compiled_for(policies, max_points):
    key = (tuple(sorted(policies.items())), max_points)
    if key not in _COMPILED:
        _COMPILED[key] = compiled_of(build(policies, max_points))
    return _COMPILED[key]


def run_case(case, order=None):
    return score(*build_case(case, order))


def build_case(case, order=None):
    policies, max_points, units = case
    compiled = compiled_for(policies, max_points)
    order = list(range(len(units))) if order is None else order
    unit_list = [Unit(f"u{i}", f"u{i}", units[i]["level"]) for i in order]
    current, previous = [], []
    for i in order:
        spec = units[i]
        current += [(f"u{i}", k, v) for k, v in spec["values"].items() if v is not None]
        current += [(f"u{i}", f"{k}.status", v) for k, v in spec["statuses"].items() if v is not None]
        if spec["previous"] is not None:
            previous.append((f"u{i}", "3.4.a", spec["previous"]))
    return compiled, build_dataset(compiled, unit_list, current), build_dataset(compiled, unit_list, previous)


def per_unit(result) -> dict[str, dict]:
    out = {}
    for position, unit in enumerate(result.data.units):
        out[unit.id] = {
            "total": float(result.total[position]), "max": float(result.max[position]),
            "rank": int(result.rank[position]),
            "indicators": {code: (float(r.score[position]), float(r.max[position]), int(r.status[position]),
                                  float(r.value[position])) for code, r in result.indicators.items()},
        }
    return out


def same(a, b) -> bool:
    return np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True)


@SETTINGS
@given(CASE)
def test_every_leaf_score_is_within_zero_and_its_max(case):
    result = run_case(case)
    for node in result.compiled.leaves:
        outcome = result.indicators[node.code]
        scored = ~np.isnan(outcome.score)
        assert (outcome.score[scored] >= 0).all(), node.code
        assert (outcome.score[scored] <= outcome.max[scored] + 1e-9).all(), node.code
        nominal = np.array([node.max_by_level.get(u.level) or 0 for u in result.data.units], dtype=float)
        assert (outcome.max <= nominal + 1e-9).all(), node.code


@SETTINGS
@given(CASE)
def test_parents_equal_the_sum_of_their_children(case):
    result = run_case(case)
    for code in result.compiled.order:
        node = result.compiled.nodes[code]
        if node.is_leaf:
            continue
        children = [result.indicators[c] for c in node.children]
        expected = sum(np.nan_to_num(c.score) for c in children)
        assert np.allclose(np.nan_to_num(result.indicators[code].score), expected), code
        assert np.allclose(result.indicators[code].max, sum(c.max for c in children)), code


@SETTINGS
@given(CASE)
def test_totals_equal_the_sum_of_pillars(case):
    result = run_case(case)
    roots = [result.indicators[r.code] for r in result.compiled.roots]
    assert np.allclose(result.total, sum(np.nan_to_num(r.score) for r in roots))
    assert np.allclose(result.max, sum(r.max for r in roots))


@SETTINGS
@given(CASE, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_units(case, rnd):
    order = list(range(len(case[2])))
    rnd.shuffle(order)
    straight, shuffled = per_unit(run_case(case)), per_unit(run_case(case, order))
    assert straight.keys() == shuffled.keys()
    for unit, expected in straight.items():
        got = shuffled[unit]
        assert same(got["total"], expected["total"]) and same(got["max"], expected["max"]), unit
        assert got["rank"] == expected["rank"], unit
        for code, values in expected["indicators"].items():
            assert same(got["indicators"][code], values), (unit, code)


@SETTINGS
@given(CASE)
def test_scoring_is_deterministic(case):
    first, second = run_case(case), run_case(case)
    for code, outcome in first.indicators.items():
        again = second.indicators[code]
        assert same(outcome.score, again.score) and same(outcome.max, again.max), code
        assert same(outcome.value, again.value) and outcome.status.tolist() == again.status.tolist(), code
    assert same(first.total, second.total) and same(first.percent, second.percent)
    assert first.rank.tolist() == second.rank.tolist()
    assert [p.as_dict() for p in first.problems] == [p.as_dict() for p in second.problems]


@SETTINGS
@given(CASE)
def test_percent_is_between_0_and_100(case):
    result = run_case(case)
    has_max = result.max > 0
    assert (result.percent[has_max] >= 0).all() and (result.percent[has_max] <= 100 + 1e-9).all()
    assert np.isnan(result.percent[~has_max]).all()
    assert (result.total <= result.max + 1e-9).all()


@SETTINGS
@given(CASE)
def test_no_nan_in_scores_of_scored_statuses(case):
    result = run_case(case)
    policies = result.compiled.framework.policies
    scored = {"ok"}
    if policies.missing_data == "zero":
        scored |= {"no_data", "invalid"}
    if policies.no_content != "exclude":
        scored.add("no_content")
    if policies.exempt == "full":
        scored.add("exempt")
    for node in result.compiled.leaves:
        if node.code == "3.7":
            continue
        outcome = result.indicators[node.code]
        for position, status in enumerate(outcome.status):
            name = STATUS_CODES[status]
            assert name in {"ok", "no_data", "invalid", "no_content", "exempt", "not_applicable"}, name
            if name in scored:
                assert np.isfinite(outcome.score[position]), (node.code, name)
            else:
                assert np.isnan(outcome.score[position]) and outcome.max[position] == 0, (node.code, name)
    assert np.isfinite(result.total).all() and np.isfinite(result.max).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASE)
def test_every_explanation_is_text_without_nan(case):
    result = run_case(case)
    for position in range(len(result.data.units)):
        for code in result.indicators:
            text = explain(result, code, position)
            assert text and "nan" not in text.lower() and "inf" not in text.lower(), (code, text)


def _twinned(fw: dict) -> dict:
    """The framework with every pillar copied (1 → 4, 2 → 5, 3 → 6): each indicator and its copy
    have the same shape, so the engine scores them in one batch."""
    import copy

    def renamed(item: dict) -> dict:
        item = copy.deepcopy(item)
        head, _, rest = item["code"].partition(".")
        item["code"] = str(int(head) + 3) + (f".{rest}" if rest else "")
        item["children"] = [renamed(child) for child in item.get("children", [])] or item.pop("children", None)
        if item["children"] is None:
            del item["children"]
        return item

    return {**fw, "indicators": fw["indicators"] + [renamed(p) for p in fw["indicators"]]}


def _moved(name: str, shift: int) -> str:
    head, _, rest = name.partition(".")
    return f"{int(head) + shift}.{rest}"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASE, st.integers(0, 2**32 - 1))
def test_an_indicator_scored_in_a_batch_equals_it_scored_alone(case, seed):
    policies, max_points, units = case
    twins = units_from(len(units), seed)
    for unit, twin in zip(units, twins):
        twin["level"] = unit["level"]
    alone, copies = run_case(case), run_case((policies, max_points, twins))
    compiled = compiled_of(_twinned(build(policies, max_points)))
    unit_list = [Unit(f"u{i}", f"u{i}", u["level"]) for i, u in enumerate(units)]
    current, previous = [], []
    for i, (unit, twin) in enumerate(zip(units, twins)):
        for spec, shift in ((unit, 0), (twin, 3)):
            current += [(f"u{i}", _moved(k, shift), v) for k, v in spec["values"].items() if v is not None]
            current += [(f"u{i}", f"{_moved(k, shift)}.status", v)
                        for k, v in spec["statuses"].items() if v is not None]
            if spec["previous"] is not None:
                previous.append((f"u{i}", _moved("3.4.a", shift), spec["previous"]))
    together = score(compiled, build_dataset(compiled, unit_list, current),
                     build_dataset(compiled, unit_list, previous))
    for node in alone.compiled.leaves:
        head, _, rest = node.code.partition(".")
        for expected, code in ((alone, node.code), (copies, f"{int(head) + 3}.{rest}")):
            got, want = together.indicators[code], expected.indicators[node.code]
            assert same(got.score, want.score) and same(got.max, want.max), code
            assert got.status.tolist() == want.status.tolist() and same(got.value, want.value), code


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASE)
def test_scoring_leaves_the_data_untouched(case):
    """Indicators scored together read their inputs in place, as one array: nothing may write to it."""
    compiled, data, previous = build_case(case)
    kept = {name: array.copy() for name, array in data.values.items()}
    kept_previous = {name: array.copy() for name, array in previous.values.items()}
    score(compiled, data, previous)
    for name, array in data.values.items():
        assert same(array, kept[name]), name
    for name, array in previous.values.items():
        assert same(array, kept_previous[name]), name
