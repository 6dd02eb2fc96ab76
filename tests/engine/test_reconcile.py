"""Reconciliation of a published result with the method (dti.engine.reconcile, `dti reconcile`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dti.cli import main
from dti.engine import compile_framework, load_framework
from dti.engine.reconcile import published_from_rows, read_published_csv, reconcile, tolerance

from .helpers import compiled_of, field, framework, leaf

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "dti" / "frameworks" / "national-922-2022.yaml"
GIALAI = ROOT / "dti" / "frameworks" / "reference" / "gialai-2022.csv"


@pytest.fixture(scope="module")
def national():
    return compile_framework(load_framework(NATIONAL))


@pytest.fixture(scope="module")
def gialai_report(national):
    return reconcile(national, read_published_csv(GIALAI))


def test_gialai_finds_4_2_over_max_6_4_literal_reading_and_pillar_7(gialai_report):
    found = {(p["code"], p["kind"]) for p in gialai_report["problems"]}
    assert found == {("4.2", "over_max"), ("6.4", "over_reachable"), ("7", "sum_mismatch")}


def test_gialai_rounding_in_pillars_3_and_8_is_not_reported(gialai_report):
    assert not {"3", "8"} & {p["code"] for p in gialai_report["problems"]}


def test_gialai_problems_carry_published_and_expected(gialai_report):
    by_code = {p["code"]: p for p in gialai_report["problems"]}
    assert (by_code["4.2"]["published"], by_code["4.2"]["expected"]) == (100, 10)
    assert (by_code["6.4"]["published"], by_code["6.4"]["expected"]) == (5, 2.5)
    assert by_code["7"]["expected"] == pytest.approx(64.97)
    assert "literal" in by_code["6.4"]["message"]


def test_pillar_counts_a_component_above_max_at_its_max(gialai_report):
    # 4.2 published 100 on 10 points; pillar 4's 35,74 counts it as 10, so pillar 4 agrees
    assert "4" not in {p["code"] for p in gialai_report["problems"]}


FW = framework([
    {"code": "1", "name": "Trụ cột", "children": [
        leaf("1.1", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")]),
        leaf("1.2", {"kind": "steps", "value": "a", "steps": [{"when": ">= 5", "share": 0.5}]}, [field("a")]),
    ]},
    leaf("2", {"kind": "ratio", "value": "a / b"}, [field("a"), field("b")], max_points=20),
])


def test_steps_rule_that_never_gives_its_maximum_is_over_reachable():
    report = reconcile(compiled_of(FW), {"1.2": 7, "1.1": 10, "1": 17})
    assert [(p["code"], p["kind"], p["expected"]) for p in report["problems"]] == [("1.2", "over_reachable", 5)]


def test_grand_total_row_is_checked_against_the_pillars():
    report = reconcile(compiled_of(FW), {"1": 10, "2": 20, "total": 35})
    assert [(p["code"], p["kind"], p["expected"]) for p in report["problems"]] == [("total", "sum_mismatch", 30)]


def test_difference_within_rounding_of_the_components_is_not_reported():
    assert tolerance(2) == pytest.approx(0.015)
    assert reconcile(compiled_of(FW), {"1.1": 3.33, "1.2": 3.33, "1": 6.67})["problems"] == []


def test_published_rows_read_decimal_commas_blanks_and_refuse_text():
    rows = [{"code": "1.1", "score": "3,33"}, {"code": "1.2", "score": ""}]
    assert published_from_rows(["code", "score"], rows, "x.csv") == {"1.1": 3.33, "1.2": None}
    with pytest.raises(ValueError, match="dòng 2"):
        published_from_rows(["code", "score"], [{"code": "1.1", "score": "mười"}], "x.csv")
    with pytest.raises(ValueError, match="code và score"):
        published_from_rows(["ma", "diemso"], [], "x.csv")


def test_cli_reconcile_json_and_exit_0(capsys):
    code = main(["reconcile", str(NATIONAL), "--published", str(GIALAI), "--level", "tinh", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["framework"] == "national-922-2022"
    assert set(out["problems"][0]) == {"code", "kind", "published", "expected", "message"}
    assert {p["code"] for p in out["problems"]} == {"4.2", "6.4", "7"}


def test_cli_reconcile_unknown_level_is_bad_usage(capsys):
    assert main(["reconcile", str(NATIONAL), "--published", str(GIALAI), "--level", "xa"]) == 2
    assert "cấp 'xa'" in capsys.readouterr().err
