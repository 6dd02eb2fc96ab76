"""Rank robustness: ranks under the default readings, each alternative, and all of them together."""

from dti.engine import load_framework
from dti.engine.sensitivity import sensitivity

from .helpers import AB, field, framework, leaf, records, units_of

# 1: "Min-Max" (default) or ratio to the best; 2: a yes/no worth full points, or half when read literally
FW = framework([
    {"code": "1", "name": "Kinh phí", "max_points": 20, "inputs": [field("a", "money")], "readings": [
        {"name": "min_max", "label": "Min-Max", "default": True,
         "rule": {"kind": "relative", "method": "min_max", "value": "a"}},
        {"name": "ratio_to_best", "label": "So với cao nhất",
         "rule": {"kind": "relative", "method": "max_ratio", "value": "a"}},
    ]},
    {"code": "2", "name": "Kênh số", "max_points": 10, "inputs": [field("c", "yes_no")], "readings": [
        {"name": "full", "label": "Tối đa", "default": True, "rule": {"kind": "yes_no", "field": "c"}},
        {"name": "half", "label": "1/2", "rule": {"kind": "yes_no", "field": "c", "yes": {"share": 0.5}}},
    ]},
    leaf("3", {"kind": "ratio", "value": "a / b"}, AB, max_points=10),
])

ROWS = {
    # min-max: high 20, mid 4, low 0; ratio to best: high 20, mid 12, low 10
    "high": {"1.a": "10", "2.c": "Không", "3.a": "0", "3.b": "1"},
    "mid": {"1.a": "6", "2.c": "Có", "3.a": "0", "3.b": "10"},
    "low": {"1.a": "5", "2.c": "Có", "3.a": "5", "3.b": "10"},
}


def report(rows=ROWS, fw=FW):
    return sensitivity(load_framework(fw), units_of(rows), records(rows))


def by_unit(result):
    return {u["unit"]: u for u in result["units"]}


def test_default_ranks_and_the_runs_that_were_made():
    result = report()
    # defaults: high 20 + 0 + 0 = 20, mid 4 + 10 + 0 = 14, low 0 + 10 + 5 = 15
    assert {u: r["rank"] for u, r in by_unit(result).items()} == {"high": 1, "mid": 3, "low": 2}
    assert result["runs"] == ["1=ratio_to_best", "2=half", "*"]
    assert [(r["indicator"], r["reading"], r["default"]) for r in result["readings"]] == [
        ("1", "min_max", True), ("1", "ratio_to_best", False), ("2", "full", True), ("2", "half", False)]


def test_best_and_worst_rank_over_every_run():
    # 1=ratio_to_best: high 20, mid 12 + 10 + 0 = 22, low 10 + 10 + 5 = 25 → high 3, mid 2, low 1
    # 2=half: high 20, mid 4 + 5 + 0 = 9, low 0 + 5 + 5 = 10 → high 1, low 2, mid 3
    # *: high 20, mid 12 + 5 + 0 = 17, low 10 + 5 + 5 = 20 → high 1, low 1 (shared), mid 3
    units = by_unit(report())
    assert (units["high"]["best_rank"], units["high"]["worst_rank"]) == (1, 3)
    assert (units["mid"]["best_rank"], units["mid"]["worst_rank"]) == (2, 3)
    assert (units["low"]["best_rank"], units["low"]["worst_rank"]) == (1, 2)


def test_most_sensitive_to_names_the_run_that_moves_the_rank_furthest():
    units = by_unit(report())
    assert units["high"]["most_sensitive_to"] == "1=ratio_to_best"  # 1 → 3
    assert units["mid"]["most_sensitive_to"] == "1=ratio_to_best"  # 3 → 2
    assert units["low"]["most_sensitive_to"] == "1=ratio_to_best"  # 2 → 1 (so does '*'; the first run wins)


def test_a_unit_no_reading_moves_has_no_most_sensitive_reading():
    rows = {"a": {"1.a": "10", "2.c": "Có", "3.a": "1", "3.b": "1"},
            "b": {"1.a": "1", "2.c": "Không", "3.a": "0", "3.b": "1"}}
    units = by_unit(report(rows))
    assert units["a"] == {"unit": "a", "level": "so", "rank": 1, "best_rank": 1, "worst_rank": 1,
                          "most_sensitive_to": None}


def test_framework_without_readings_reports_default_ranks_only():
    fw = framework([leaf("3", {"kind": "ratio", "value": "a / b"}, AB)])
    rows = {"x": {"3.a": "1", "3.b": "2"}, "y": {"3.a": "2", "3.b": "2"}}
    result = report(rows, fw)
    assert result["readings"] == [] and result["runs"] == []
    assert [(u["unit"], u["rank"], u["best_rank"], u["worst_rank"]) for u in result["units"]] == [
        ("x", 2, 2, 2), ("y", 1, 1, 1)]
