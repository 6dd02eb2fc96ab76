"""Where the points are (dti.engine.gains, `dti gains`): the smallest change that wins points."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti.cli import main
from dti.engine import compile_framework, load_framework
from dti.engine.data import build_dataset, read_long_csv, read_units_csv
from dti.engine.gains import find_gains
from dti.engine.scoring import score

from .helpers import compiled_of, field, framework, leaf, units_of

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "dti" / "frameworks" / "national-922-2022.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "gialai-2022"
OPTIONS = [{"value": "giam_doc", "label": "Giám đốc"}, {"value": "pho", "label": "Phó giám đốc"},
           {"value": "khac", "label": "Khác"}]
AB = [field("a"), field("b")]
FW = framework([
    {"code": "1", "name": "Tỷ lệ", "children": [
        leaf("1.1", {"kind": "ratio", "value": "a / b", "target": 80}, AB, constraints=[{"check": "a <= b"}]),
        leaf("1.2", {"kind": "steps", "value": "a / b", "percent": True,
                     "steps": [{"when": "> 80", "points": 20}, {"when": ">= 50", "points": 10}]}, AB, max_points=20),
        leaf("1.3", {"kind": "steps", "value": "a", "steps": [
            {"when": ">= 2", "share": 1}, {"when": ">= 1", "share": 0.7}]}, [field("a", "money")]),
    ]},
    {"code": "2", "name": "Khác", "children": [
        leaf("2.1", {"kind": "count", "value": "a", "per_item": 1.5}, [field("a")]),
        leaf("2.2", {"kind": "choice", "field": "c", "scores": [
            {"option": "giam_doc", "share": 1}, {"option": "pho", "share": 0.5}]},
            [field("c", "choice", options=OPTIONS)]),
        leaf("2.3", {"kind": "parts", "parts": [
            {"label": "x", "share": 0.5, "rule": {"kind": "yes_no", "field": "x"}},
            {"label": "y", "share": 0.5, "rule": {"kind": "yes_no", "field": "y"}}]},
            [field("x", "yes_no"), field("y", "yes_no")]),
        leaf("2.4", {"kind": "relative", "method": "max_ratio", "value": "a"}, [field("a")]),
        leaf("2.5", {"kind": "date", "field": "d", "early": {"share": 1}, "steps": [{"by": "31/01", "share": 1},
                                                                                 {"by": "30/06", "share": 0.5}],
                     "otherwise": {"share": 0}}, [field("d", "date")]),
    ]},
])
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def compiled():
    return compiled_of(FW)


def _rows(draw_values):
    return {unit: {k: v for k, v in fields.items() if v is not None} for unit, fields in draw_values.items()}


counts = st.one_of(st.none(), st.integers(0, 500))
unit_data = st.fixed_dictionaries({
    "1.1.a": counts, "1.1.b": st.integers(1, 500), "1.2.a": counts, "1.2.b": st.integers(1, 500),
    "1.3.a": st.one_of(st.none(), st.floats(0, 3, allow_nan=False).map(lambda v: round(v, 2))),
    "2.1.a": counts, "2.2.c": st.sampled_from([None, "giam_doc", "pho", "khac"]),
    "2.3.x": st.sampled_from([None, "có", "không"]), "2.3.y": st.sampled_from([None, "có", "không"]),
    "2.4.a": counts,
    "2.5.d": st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y"))),
})


def _score(compiled, rows):
    data = build_dataset(compiled, units_of(rows), [(u, f, v) for u, fs in rows.items() for f, v in fs.items()])
    return data, score(compiled, data)


@SETTINGS
@given(st.lists(unit_data, min_size=1, max_size=3))
def test_applying_a_listed_change_raises_the_total_by_its_gain_never_above_max(compiled, units):
    rows = _rows({f"u{i}": u for i, u in enumerate(units)})
    data, before = _score(compiled, rows)
    report = find_gains(compiled, data, "u0")
    assert report["total"] == pytest.approx(float(before.total[0]), abs=1e-4)
    for gain in report["gains"]:
        assert gain["gain"] > 0 and gain["points_now"] + gain["gain"] <= gain["points_max"] + 0.01
        if gain["depends_on_peers"]:
            continue
        changed = {u: dict(fields) for u, fields in rows.items()}
        for name, (_, new) in gain["change"].items():
            changed["u0"][name] = new
        _, after = _score(compiled, changed)
        assert float(after.total[0]) - float(before.total[0]) == pytest.approx(gain["gain"], abs=0.01), gain
        assert float(after.total[0]) <= float(after.max[0]) + 1e-9


def test_gains_are_ranked_by_gain(compiled):
    data, _ = _score(compiled, {"u0": {"1.1.a": 10, "1.1.b": 100, "2.1.a": 2}})
    gains = [g["gain"] for g in find_gains(compiled, data, "u0")["gains"]]
    assert gains == sorted(gains, reverse=True)


def test_ratio_numerator_is_raised_not_the_denominator_lowered(compiled):
    data, _ = _score(compiled, {"u0": {"1.1.a": 40, "1.1.b": 100}})
    gain = next(g for g in find_gains(compiled, data, "u0")["gains"] if g["code"] == "1.1")
    assert gain["change"] == {"1.1.a": [40, 80]}
    assert gain["gain"] == pytest.approx(5)


def test_a_checklist_changes_every_missing_item(compiled):
    data, _ = _score(compiled, {"u0": {"2.3.x": "không", "2.3.y": "không"}})
    gain = next(g for g in find_gains(compiled, data, "u0")["gains"] if g["code"] == "2.3")
    assert gain["change"] == {"2.3.x": ["không", "có"], "2.3.y": ["không", "có"]}
    assert gain["gain"] == 10


def test_relative_indicator_says_it_depends_on_peers(compiled):
    data, _ = _score(compiled, {"u0": {"2.4.a": 10}, "u1": {"2.4.a": 50}})
    gain = next(g for g in find_gains(compiled, data, "u0")["gains"] if g["code"] == "2.4")
    assert gain["depends_on_peers"] is True and "đơn vị khác" in gain["explain"]
    assert gain["change"] == {"2.4.a": [10, 50]}


def test_a_late_date_is_moved_earlier_to_the_step_it_needs(compiled):
    data, _ = _score(compiled, {"u0": {"2.5.d": "15/08/2024"}})
    gain = next(g for g in find_gains(compiled, data, "u0")["gains"] if g["code"] == "2.5")
    assert gain["change"] == {"2.5.d": ["2024-08-15", "2024-01-31"]} and gain["gain"] == 10
    assert "từ 15/08/2024 thành 31/01/2024" in gain["explain"]


def test_top_keeps_the_biggest(compiled):
    data, _ = _score(compiled, {"u0": {"1.1.a": 10, "1.1.b": 100}})
    assert len(find_gains(compiled, data, "u0", top=2)["gains"]) == 2


def test_gialai_3_1_smartphones_up_to_adults_gains_0_87():
    compiled = compile_framework(load_framework(NATIONAL))
    data = build_dataset(compiled, read_units_csv(EXAMPLE / "units.csv"), read_long_csv(EXAMPLE / "data.csv"))
    report = find_gains(compiled, data, "gialai")
    gain = next(g for g in report["gains"] if g["code"] == "3.1")
    assert gain["change"] == {"3.1.a": [1451034, 1590000]}
    assert gain["gain"] == pytest.approx(0.87, abs=0.01)
    assert gain["explain"].startswith("3.1: ") and "+0,87 điểm" in gain["explain"]


def test_cli_gains_json_shape(capsys, tmp_path):
    code = main(["gains", str(NATIONAL), "--data", str(EXAMPLE / "data.csv"), "--units", str(EXAMPLE / "units.csv"),
                 "--unit", "gialai", "--top", "3", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) == {"unit", "total", "max", "gains"} and out["unit"] == "gialai"
    assert len(out["gains"]) == 3
    assert {"code", "points_now", "points_max", "gain", "change", "explain"} <= set(out["gains"][0])


def test_cli_gains_unknown_unit_is_bad_usage(capsys):
    assert main(["gains", str(NATIONAL), "--data", str(EXAMPLE / "data.csv"), "--unit", "kontum"]) == 2
    assert "kontum" in capsys.readouterr().err


@SETTINGS
@given(st.lists(st.integers(0, 500), min_size=2, max_size=5))
def test_peer_relative_gain_is_what_the_unit_alone_would_get(compiled, values):
    """Min-Max and best-ratio gains are scored as if only this unit changed: its old figure is no peer."""
    rows = {f"u{i}": {"2.4.a": v} for i, v in enumerate(values)}
    data, before = _score(compiled, rows)
    gain = next((g for g in find_gains(compiled, data, "u0")["gains"] if g["code"] == "2.4"), None)
    if gain is None:
        return
    changed = {u: dict(f) for u, f in rows.items()}
    changed["u0"]["2.4.a"] = gain["change"]["2.4.a"][1]
    _, after = _score(compiled, changed)
    assert float(after.total[0]) - float(before.total[0]) == pytest.approx(gain["gain"], abs=0.01)


def test_min_max_lowest_unit_gain_counts_without_its_old_figure():
    fw = framework([leaf("1", {"kind": "relative", "method": "min_max", "value": "a"}, [field("a")])])
    compiled = compiled_of(fw)
    data, _ = _score(compiled, {"u0": {"1.a": 0}, "u1": {"1.a": 20}, "u2": {"1.a": 40}})
    [gain] = find_gains(compiled, data, "u0")["gains"]
    assert gain["change"] == {"1.a": [0, 40]} and gain["gain"] == 10
