"""Thừa Thiên Huế QĐ 931/QĐ-UBND (04/4/2024): Bộ chỉ số đánh giá, xếp hạng chuyển đổi số các cấp.

One table, three levels (Sở, ban, ngành / UBND cấp huyện / UBND cấp xã) marked by x in the
"Cấp áp dụng" columns.  The document declares 391 điểm / 34 chỉ số thành phần for the Sở
level but the x marks give 401 / 35; huyện (675 / 53) and xã (645 / 50) add up.
Exempted criteria are excluded and the result is rescaled to 100 (§II.2.c, §II.3.c).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from dti.engine import compile_framework, load_framework
from dti.engine.data import Unit, build_dataset, read_long_csv, read_units_csv
from dti.engine.scoring import score
from dti.engine.validate import validate_framework

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = ROOT / "dti" / "frameworks" / "hue-931-2024.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "hue-931"


@pytest.fixture(scope="module")
def compiled():
    return compile_framework(load_framework(FRAMEWORK))


@pytest.fixture(scope="module")
def report(compiled):
    return validate_framework(compiled)


# --------------------------------------------------------------------------- helpers


def full_records(compiled, unit: str, level: str, **override) -> list[tuple[str, str, str]]:
    """Data that earns the maximum of every indicator applicable at ``level``.

    ``override`` maps a field name with '.' written as '__' (``I__4__a``) to the value to use
    instead; the value None drops the field (no data).
    """
    records: dict[str, str | None] = {}
    for node in compiled.leaves:
        if level not in node.levels:
            continue
        rule = node.indicator.rule
        for spec in node.indicator.inputs:
            name = f"{node.code}.{spec.var}"
            if spec.type == "yes_no":
                value = "Có"
            elif spec.type == "date":
                value = "15/01/2024"
            elif rule.kind == "ratio" and rule.direction == "lower" and spec.var == "a":
                value = "0"
            elif spec.max is not None:
                value = str(int(spec.max))
            else:
                value = "24"
            records[name] = value
    for key, value in override.items():
        records[key.replace("__", ".")] = value
    return [(unit, name, value) for name, value in records.items() if value is not None]


def run(compiled, units: list[Unit], records):
    data = build_dataset(compiled, units, records)
    assert not data.problems, [p.as_dict() for p in data.problems]
    return score(compiled, data).to_dict(with_explain=False)


def one(compiled, level: str, **override) -> dict:
    result = run(compiled, [Unit("u", "Đơn vị", level)], full_records(compiled, "u", level, **override))
    assert not result["problems"], result["problems"]
    return result["units"][0]


def warnings_for(report, code: str) -> list[str]:
    return [w["message"] for w in report["warnings"] if w["code"] == code]


# --------------------------------------------------------------------------- structure


def test_framework_has_no_errors(report):
    assert report["errors"] == []


def test_so_level_max_total_is_401_with_35_indicators(report):
    assert report["levels"]["so"]["max_total"] == 401
    assert report["levels"]["so"]["indicators"] == 35
    assert report["levels"]["so"]["pillars"] == 9


def test_huyen_level_max_total_is_675_with_53_indicators(report):
    assert report["levels"]["huyen"]["max_total"] == 675
    assert report["levels"]["huyen"]["indicators"] == 53
    assert report["levels"]["huyen"]["pillars"] == 9


def test_xa_level_max_total_is_645_with_50_indicators(report):
    assert report["levels"]["xa"]["max_total"] == 645
    assert report["levels"]["xa"]["indicators"] == 50
    assert report["levels"]["xa"]["pillars"] == 9


def test_declared_figures_are_kept_as_printed(compiled):
    declared = {lv.code: [(d.figure, d.value, d.where) for d in lv.declared] for lv in compiled.framework.levels}
    for level, (total, count) in {"so": (391, 34), "huyen": (675, 53), "xa": (645, 50)}.items():
        assert declared[level] == [("total", total, "§II.1.a"), ("indicators", count, "§II.1.a"),
                                   ("pillars", 9, "§II.1.a"), ("total", total, "§II.3.b")]


# --------------------------------------------------------------------------- the document's inconsistencies


def test_so_declared_total_391_disagrees_with_table_401(report):
    messages = warnings_for(report, "level:so")
    assert any("391" in m and "401" in m for m in messages), messages


def test_so_declared_34_indicators_disagrees_with_table_35(report):
    messages = warnings_for(report, "level:so")
    assert any("34 chỉ số thành phần" in m and "35" in m for m in messages), messages


def test_huyen_and_xa_declared_figures_agree_with_the_table(report):
    assert warnings_for(report, "level:huyen") == []
    assert warnings_for(report, "level:xa") == []


def test_the_two_so_level_disagreements_are_the_only_warnings(report):
    # 391 is printed twice (§II.1.a "thang điểm 391", §II.3.b "Cấp sở, ban, ngành là 391 điểm.")
    assert [w["id"] for w in report["warnings"]] == [
        "declared/so/total@§II.1.a", "declared/so/indicators@§II.1.a", "declared/so/total@§II.3.b"]


# --------------------------------------------------------------------------- applicability (x marks)


@pytest.mark.parametrize(
    "code, levels",
    [
        ("I.1", ("so", "huyen", "xa")),
        ("I.8", ("huyen", "xa")),
        ("I.9", ("huyen", "xa")),
        ("II.3", ("huyen",)),
        ("III.2", ("huyen", "xa")),
        ("VI.7", ("huyen",)),
        ("VIII.4", ("so", "huyen", "xa")),
        ("IX.1", ("so", "huyen")),
        ("IX.6", ("huyen", "xa")),
    ],
)
def test_applicability_follows_the_x_marks(compiled, code, levels):
    assert compiled.nodes[code].levels == levels


def test_policies_exclude_exempt_and_rescale(compiled):
    policies = compiled.framework.policies
    assert policies.exempt == "exclude"
    assert policies.no_content == "exclude"
    assert policies.missing_data == "zero"
    assert policies.rescale is True


# --------------------------------------------------------------------------- scoring


@pytest.mark.parametrize("level, maximum", [("so", 401), ("huyen", 675), ("xa", 645)])
def test_full_data_reaches_the_level_maximum_and_100_percent(compiled, level, maximum):
    unit = one(compiled, level)
    assert unit["total"] == maximum
    assert unit["max"] == maximum
    assert unit["percent"] == 100


def test_exempted_indicator_is_excluded_and_percent_uses_applicable_maximum(compiled):
    # Same performance for both Sở: I.4 below its minimum (0/24); VI.1 and IX.1 not scored.
    # "thanh-tra" is exempted from VI.1 and IX.1 in writing; "so-b" simply has no data there.
    exempt = full_records(compiled, "thanh-tra", "so", I__4__a="11", VI__1__a=None, VI__1__b=None,
                          IX__1__a=None)
    exempt += [("thanh-tra", "VI.1.status", "exempt"), ("thanh-tra", "IX.1.status", "exempt")]
    missing = full_records(compiled, "so-b", "so", I__4__a="11", VI__1__a=None, VI__1__b=None, IX__1__a=None)
    units = [Unit("thanh-tra", "Thanh tra tỉnh", "so"), Unit("so-b", "Sở B", "so")]
    result = {u["unit"]: u for u in run(compiled, units, exempt + missing)["units"]}

    a, b = result["thanh-tra"], result["so-b"]
    assert a["indicators"]["VI.1"]["status"] == "exempt"
    assert a["indicators"]["VI.1"]["max"] == 0
    assert a["indicators"]["IX.1"]["status"] == "exempt"
    assert a["total"] == 401 - 24 - 5 - 10 == 362
    assert a["max"] == 401 - 5 - 10 == 386
    assert math.isclose(a["percent"], 362 * 100 / 386, abs_tol=1e-4)
    # Missing data counts 0 and stays in the maximum.
    assert b["indicators"]["VI.1"]["status"] == "no_data"
    assert b["indicators"]["VI.1"]["score"] == 0
    assert b["total"] == 362 and b["max"] == 401
    assert math.isclose(b["percent"], 362 * 100 / 401, abs_tol=1e-4)
    # Ranking is on the rescaled percentage (§II.3.c, §II.3.d).
    assert (a["rank"], b["rank"]) == (1, 2)


@pytest.mark.parametrize("count, points", [(11, 0), (12, 24), (30, 24)])
def test_i4_needs_at_least_12_news_items_else_zero(compiled, count, points):
    unit = one(compiled, "so", I__4__a=str(count))
    assert unit["indicators"]["I.4"]["score"] == points


@pytest.mark.parametrize("count, points", [(23, 0), (24, 24)])
def test_i5_needs_at_least_24_news_items_else_zero(compiled, count, points):
    unit = one(compiled, "huyen", I__5__a=str(count))
    assert unit["indicators"]["I.5"]["score"] == points


@pytest.mark.parametrize("meetings, points", [(0, 0), (1, 5), (2, 10), (4, 10)])
def test_i2_one_meeting_gives_half_two_give_full(compiled, meetings, points):
    unit = one(compiled, "xa", I__2__a=str(meetings))
    assert unit["indicators"]["I.2"]["score"] == points


@pytest.mark.parametrize("date, points", [("31/01/2024", 10), ("01/02/2024", 5), (None, 0)])
def test_ii1_plan_issued_in_january_full_later_half_none_zero(compiled, date, points):
    unit = one(compiled, "so", II__1__ngay_ban_hanh=date)
    assert unit["indicators"]["II.1"]["score"] == points


@pytest.mark.parametrize("date, points", [("14/11/2024", 5), ("15/11/2024", 0)])
def test_i3_update_must_be_before_15_november(compiled, date, points):
    unit = one(compiled, "huyen", I__3__ngay=date)
    assert unit["indicators"]["I.3"]["score"] == points


def test_v3_higher_infection_rate_gives_fewer_points(compiled):
    unit = one(compiled, "so", V__3__a="10", V__3__b="100")
    assert math.isclose(unit["indicators"]["V.3"]["score"], 9.0)
    unit = one(compiled, "so", V__3__a="0", V__3__b="100")
    assert unit["indicators"]["V.3"]["score"] == 10


def test_i9_scores_the_read_ratio_only_from_5_bulletins(compiled):
    unit = one(compiled, "xa", I__9__a="4", I__9__b="500", I__9__c="1000")
    assert unit["indicators"]["I.9"]["score"] == 0
    unit = one(compiled, "xa", I__9__a="5", I__9__b="500", I__9__c="1000")
    assert math.isclose(unit["indicators"]["I.9"]["score"], 10.0)


def test_ix3_unit_without_interactions_is_not_assessed(compiled):
    unit = one(compiled, "so", IX__3__a="0", IX__3__b="0")
    assert unit["indicators"]["IX.3"]["status"] == "not_applicable"
    assert unit["max"] == 391
    assert unit["percent"] == 100


def test_iii6_unit_without_own_platforms_keeps_full_points(compiled):
    unit = one(compiled, "xa", III__6__a="0", III__6__b="0")
    assert unit["indicators"]["III.6"]["score"] == 10
    assert unit["max"] == 645


def test_example_result_matches_a_fresh_run(compiled):
    units = read_units_csv(EXAMPLE / "units.csv")
    data = build_dataset(compiled, units, read_long_csv(EXAMPLE / "data.csv"))
    fresh = json.loads(json.dumps(score(compiled, data).to_dict(), ensure_ascii=False))
    stored = json.loads((EXAMPLE / "result.json").read_text(encoding="utf-8"))
    assert fresh == stored
    by_unit = {u["unit"]: u for u in stored["units"]}
    assert {u["level"] for u in stored["units"]} == {"so", "huyen", "xa"}
    assert by_unit["thanh-tra"]["indicators"]["VI.1"]["status"] == "exempt"
    assert by_unit["thanh-tra"]["max"] < 401
