"""Ranks per level, highest first; equal results share a rank (1, 2, 2, 4)."""

from dti.engine.data import Unit

from .helpers import field, framework, leaf, run

LEVELS = [{"code": "huyen", "name": "Huyện"}, {"code": "xa", "name": "Xã"}]
MANUAL = framework([leaf("1", {"kind": "manual", "field": "d"}, [field("d", "number")], max_points=100)],
                   levels=LEVELS)


def ranks(points: dict[str, float | None], levels: dict[str, str] | None = None, fw=MANUAL):
    units = [Unit(u, u, (levels or {}).get(u, "xa")) for u in points]
    rows = {u: ({} if p is None else {"1.d": p}) for u, p in points.items()}
    result = run(fw, rows, units=units)
    return {u.id: int(result.rank[i]) for i, u in enumerate(result.data.units)}


def test_rank_highest_first():
    assert ranks({"a": 10, "b": 30, "c": 20}) == {"a": 3, "b": 1, "c": 2}


def test_rank_ties_share_and_skip():
    assert ranks({"a": 90, "b": 80, "c": 80, "d": 70}) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_rank_all_equal_are_all_first():
    assert ranks({"a": 5, "b": 5, "c": 5}) == {"a": 1, "b": 1, "c": 1}


def test_rank_is_per_level():
    levels = {"h1": "huyen", "h2": "huyen", "x1": "xa", "x2": "xa", "x3": "xa"}
    assert ranks({"h1": 50, "h2": 60, "x1": 10, "x2": 30, "x3": 20}, levels) == {
        "h1": 2, "h2": 1, "x1": 3, "x2": 1, "x3": 2}


def test_rank_ties_survive_floating_point_noise():
    # 0.1 + 0.2 and 0.3 are the same result
    fw = framework([leaf("1", {"kind": "manual", "field": "d"}, [field("d", "number")]),
                    leaf("2", {"kind": "manual", "field": "d"}, [field("d", "number")])], levels=LEVELS)
    units = [Unit("a", "", "xa"), Unit("b", "", "xa")]
    result = run(fw, {"a": {"1.d": 0.1, "2.d": 0.2}, "b": {"1.d": 0.3, "2.d": 0}}, units=units)
    assert result.rank.tolist() == [1, 1]


def test_rank_unit_without_data_scores_zero_and_ranks_last():
    assert ranks({"a": 10, "b": None, "c": 0}) == {"a": 1, "b": 2, "c": 2}


def test_rank_is_in_unit_output():
    result = run(MANUAL, {"a": {"1.d": 10}, "b": {"1.d": 20}}, units=[Unit("a", "", "xa"), Unit("b", "", "xa")])
    assert [result.unit_result(i, with_explain=False)["rank"] for i in range(2)] == [2, 1]


def test_rank_unit_of_unknown_level_is_not_ranked():
    result = run(MANUAL, {"a": {"1.d": 10}, "z": {"1.d": 20}}, units=[Unit("a", "", "xa"), Unit("z", "", "tinh")])
    assert result.rank.tolist() == [1, 0]
    assert result.unit_result(1, with_explain=False)["rank"] is None


def test_batched_indicators_with_an_absent_input_array_are_no_data():
    """Two indicators of the same shape are scored as one batch; a Dataset may lack a field's array."""
    import numpy as np

    from dti.engine import compile_framework, load_framework
    from dti.engine.data import Dataset, Unit
    from dti.engine.scoring import score

    ratio = {"max_points": 10, "inputs": [{"var": "a", "label": "a", "type": "count"},
                                          {"var": "b", "label": "b", "type": "count"}],
             "rule": {"kind": "ratio", "value": "a / b"}}
    compiled = compile_framework(load_framework({
        "code": "lo", "name": "x", "source": {"document": "x"}, "year": 2024,
        "levels": [{"code": "so", "name": "Sở"}],
        "indicators": [{"code": "1", "name": "một", **ratio}, {"code": "2", "name": "hai", **ratio}],
    }))
    data = Dataset(units=[Unit("u1", level="so"), Unit("u2", level="so")],
                   values={"1.a": np.array([1.0, 2.0]), "1.b": np.array([2.0, 4.0])})
    result = score(compiled, data).to_dict()
    assert [u["indicators"]["1"]["score"] for u in result["units"]] == [5.0, 5.0]
    assert [u["indicators"]["2"]["status"] for u in result["units"]] == ["no_data", "no_data"]
