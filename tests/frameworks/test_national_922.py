"""Bộ chỉ số DTI cấp tỉnh — QĐ 922/QĐ-BTTTT, bản đánh giá năm 2022.

Transcribed from the Phụ lục of Gia Lai's Kế hoạch nâng cao Chỉ số chuyển đổi số năm 2023
(9 chỉ số chính, 98 chỉ số thành phần, 1000 điểm) with QĐ 79 Phụ lục III's HCM agencies.
Gia Lai's published 2022 scores live in dti/frameworks/reference/gialai-2022.csv (never in
the framework); docs/examples/gialai-2022 holds inputs that reproduce them.  These tests pin
the structure, the document's own inconsistencies, the rules, and the reproduction.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dti.engine import compile_framework, load_framework
from dti.engine.data import Unit, build_dataset, read_long_csv, read_units_csv
from dti.engine.scoring import score
from dti.engine.validate import validate_framework

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "dti" / "frameworks" / "national-922-2022.yaml"
REFERENCE = ROOT / "dti" / "frameworks" / "reference" / "gialai-2022.csv"
EXAMPLE = ROOT / "docs" / "examples" / "gialai-2022"

PILLARS = {"1": 100, "2": 100, "3": 100, "4": 100, "5": 100, "6": 200, "7": 150, "8": 150, "9": 0}
# Published values the method cannot produce from any data (see docs/frameworks/national-922.md).
IMPOSSIBLE = {
    "4.2": "published_above_max",  # 100 điểm on a 10-point yes/no indicator
    "7": "published_not_sum_of_components",  # 64,74 printed; its components add up to 64,97
}


@pytest.fixture(scope="module")
def framework():
    return load_framework(FILE)


@pytest.fixture(scope="module")
def compiled(framework):
    return compile_framework(framework)


@pytest.fixture(scope="module")
def report(compiled):
    return validate_framework(compiled)


@pytest.fixture(scope="module")
def reference():
    with open(REFERENCE, newline="", encoding="utf-8") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def gialai_run(compiled):
    units = read_units_csv(EXAMPLE / "units.csv")
    data = build_dataset(compiled, units, read_long_csv(EXAMPLE / "data.csv"))
    result = score(compiled, data).to_dict()
    return {u["unit"]: u for u in result["units"]}, result["problems"]


def _indicator(framework, code):
    return next(node for node, _ in framework.walk() if node.code == code)


def _run(compiled, rows):
    """rows: {unit: {field: raw}} → {unit: unit result} for units of level tinh."""
    units = [Unit(u, u, "tinh") for u in rows]
    records = [(u, f, v) for u, fields in rows.items() for f, v in fields.items()]
    result = score(compiled, build_dataset(compiled, units, records)).to_dict()
    return {u["unit"]: u for u in result["units"]}


def _points(compiled, code, rows):
    units = _run(compiled, rows)
    return {u: round(units[u]["indicators"][code]["score"], 4) for u in rows}


def _published(reference, code):
    raw = reference[code]["published_score"]
    return None if raw == "" else float(raw)


def reference_check(unit_result, reference, compiled, tolerance=0.01):
    """Compare a unit's scores with the published ones; returns {code: reason} for mismatches.

    ``published_above_max``: the published score exceeds the framework's maximum (no data can
    reproduce it).  ``published_not_sum_of_components``: a parent's published score differs
    from the sum of its children's published scores.  ``differs``: anything else.
    """
    flags = {}
    for code in reference:
        published = _published(reference, code)
        if published is None:
            continue
        got = unit_result["indicators"][code]["score"]
        maximum = compiled.nodes[code].max_by_level["tinh"]
        if published > maximum + 1e-9:
            flags[code] = "published_above_max"
        elif abs(got - published) > tolerance:
            children = compiled.nodes[code].children
            parts = [_published(reference, c) for c in children]
            if children and None not in parts and abs(sum(parts) - published) > tolerance:
                flags[code] = "published_not_sum_of_components"
            else:
                flags[code] = "differs"
    return flags


# --------------------------------------------------------------------------- structure


def test_tinh_level_max_total_is_1000_with_114_scored_leaves_and_9_pillars(report):
    assert report["levels"]["tinh"] == {"max_total": 1000.0, "indicators": 114, "pillars": 9}


def test_framework_has_no_errors(report):
    assert report["errors"] == []


def test_pillar_maxima_are_as_printed(compiled):
    assert {r.code: r.max_by_level["tinh"] for r in compiled.roots} == PILLARS


def test_98_thanh_phan_are_the_direct_children_of_the_pillars(compiled):
    assert sum(len(r.children) for r in compiled.roots) == 98
    assert [len(r.children) for r in compiled.roots] == [10, 11, 7, 13, 12, 22, 12, 8, 3]


def test_declared_98_indicators_against_114_leaves_is_a_warning(report):
    # 98 counts 5.12 and 8.8 once; their printed sub-parts (6 and 3 × 4) are the scored leaves.
    assert any(
        w["code"] == "level:tinh" and "98 chỉ số thành phần" in w["message"] and "114" in w["message"]
        for w in report["warnings"]
    )


def test_only_the_indicator_count_and_6_4_read_literally_are_warned(report):
    assert [w["id"] for w in report["warnings"]] == [
        "declared/tinh/indicators@mục I (Kế hoạch)", "max_unreachable/6.4~literal"]


def test_5_12_and_8_8_sub_parts_have_real_depth(compiled):
    assert compiled.nodes["5.12"].children == [f"5.12.{i}" for i in range(1, 7)]
    assert compiled.nodes["8.8"].children == ["8.8.1", "8.8.2", "8.8.3"]
    assert compiled.nodes["8.8.2.4"].parent == "8.8.2"
    assert compiled.nodes["8.8.2.4"].depth == 3
    for code, total in {"5.12": 15, "8.8": 20, "8.8.1": 4, "8.8.2": 8, "8.8.3": 8}.items():
        children = compiled.nodes[code].children
        assert sum(compiled.nodes[c].max_by_level["tinh"] for c in children) == total


def test_smart_city_pillar_is_kept_with_zero_points(framework):
    pillar = _indicator(framework, "9")
    assert pillar.max_points == 0 and pillar.meta["note"] == "Bộ TT&TT chưa chấm điểm"
    assert [c.code for c in pillar.children] == ["9.1", "9.2", "9.3"]


def test_plan_columns_are_in_meta(framework):
    item = _indicator(framework, "1.3")
    assert item.meta["lead_agency"] == "Sở TT &TT; Văn phòng UBND tỉnh"
    assert item.meta["deadline"] == "Thường xuyên"
    assert item.meta["hcm_agency"] == "Sở Thông tin và Truyền thông"
    assert _indicator(framework, "7.7").meta["hcm_agency"] == "Cục Thuế Thành phố Hồ Chí Minh"
    assert (
        _indicator(framework, "5.1").meta["deadline"] == "Trong vòng 02 tháng kể từ ngày hoàn thành xây dựng hệ thống"
    )


def test_input_rows_a_b_c_become_inputs_with_units_and_agencies(framework):
    fund = _indicator(framework, "5.12.1")
    assert [(f.var, f.type, f.unit) for f in fund.inputs] == [
        ("a", "money", "tỷ đồng"),
        ("b", "money", "tỷ đồng"),
        ("c", "money", "tỷ đồng"),
    ]
    assert fund.meta["input_agencies"]["a"]["partner_agencies"] == "Sở Kế hoạch và Đầu tư; UBND cấp huyện"
    budget = _indicator(framework, "6.22")
    assert budget.meta["input_agencies"]["a"]["lead_agency"] == "Sở Kế hoạch và Đầu tư"
    assert "Sở Tài chính" in budget.inputs[2].help


def test_published_scores_are_not_in_the_framework():
    assert "published" not in FILE.read_text(encoding="utf-8")


def test_every_printed_indicator_has_a_published_row(compiled, reference):
    assert set(reference) == set(compiled.nodes)


# --------------------------------------------------------------------------- rules


def test_1_1_chairman_full_vice_half(compiled):
    rows = {u: {"1.1.truong_ban": u} for u in ("bi_thu_chu_tich", "pho_bi_thu_pho_chu_tich", "khac")}
    assert _points(compiled, "1.1", rows) == {"bi_thu_chu_tich": 10, "pho_bi_thu_pho_chu_tich": 5, "khac": 0}


def test_1_2_two_halves(compiled):
    rows = {
        "ca_hai": {"1.2.tham_gia_ubqg": "có", "1.2.chu_tri_hop": "có"},
        "mot": {"1.2.tham_gia_ubqg": "không", "1.2.chu_tri_hop": "có"},
        "khong": {"1.2.tham_gia_ubqg": "không", "1.2.chu_tri_hop": "không"},
    }
    assert _points(compiled, "1.2", rows) == {"ca_hai": 10, "mot": 5, "khong": 0}


def test_1_5_articles_steps_and_no_section_is_zero(compiled):
    rows = {
        "t20": {"1.5.a": "có", "1.5.b": 20},
        "t19": {"1.5.a": "có", "1.5.b": 19},
        "t10": {"1.5.a": "có", "1.5.b": 10},
        "t0": {"1.5.a": "có", "1.5.b": 0},
        "chua_co": {"1.5.a": "không", "1.5.b": 30},
    }
    assert _points(compiled, "1.5", rows) == {"t20": 10, "t19": 5, "t10": 5, "t0": 2.5, "chua_co": 0}


def test_1_5_without_a_section_the_article_count_is_not_needed(compiled):
    # "Chưa có : 0 điểm" — b is only read once the chuyên mục exists (a = Có)
    units = _run(compiled, {"chua_co": {"1.5.a": "không"}})
    indicator = units["chua_co"]["indicators"]["1.5"]
    assert (indicator["score"], indicator["status"]) == (0, "ok")
    assert indicator["explain"] == ('Điều kiện "Đã có chuyên mục" không đúng (Cổng thông tin điện tử đã có chuyên mục '
                                    'riêng về chuyển đổi số: Không), không có nhánh "nếu không" → 0/10 điểm')


def test_5_12_1_steps_on_security_share_of_dx_spending(compiled):
    rows = {
        "p10": {"5.12.1.a": 1, "5.12.1.b": 0, "5.12.1.c": 10},
        "p7": {"5.12.1.a": "0,5", "5.12.1.b": "0,2", "5.12.1.c": 10},
        "p3": {"5.12.1.a": "0,3", "5.12.1.b": 0, "5.12.1.c": 10},
        "p2": {"5.12.1.a": "0,2", "5.12.1.b": "0,09", "5.12.1.c": 10},
    }
    assert _points(compiled, "5.12.1", rows) == {"p10": 5, "p7": 3.5, "p3": 1.5, "p2": 0}


def test_5_12_2_money_steps(compiled):
    rows = {u: {"5.12.2.a": v} for u, v in {"t2": 2, "t1": 1, "t05": "0,5", "t04": "0,49"}.items()}
    assert _points(compiled, "5.12.2", rows) == {"t2": 2, "t1": 1.4, "t05": 0.6, "t04": 0}


def test_6_12_ratio_with_80_percent_target(compiled):
    rows = {
        "r80": {"6.12.a": 100, "6.12.b": 30, "6.12.c": 50},
        "r40": {"6.12.a": 100, "6.12.b": 10, "6.12.c": 30},
    }
    assert _points(compiled, "6.12", rows) == {"r80": 20, "r40": 10}


def test_6_21_one_point_per_ai_activity_capped_at_10(compiled):
    rows = {"ba": {"6.21.a": 3}, "muoi_hai": {"6.21.a": 12}}
    assert _points(compiled, "6.21", rows) == {"ba": 3, "muoi_hai": 10}


def test_7_10_ratio_to_the_best_province(compiled):
    rows = {
        "cao": {"7.10.a": 500, "7.10.b": 1000},
        "thap": {"7.10.a": 100, "7.10.b": 1000},
    }
    assert _points(compiled, "7.10", rows) == {"cao": 10, "thap": 2}


def test_min_max_alone_a_province_is_its_own_best(compiled):
    rows = {"mot_tinh": {"5.1.a": 3, "4.11.a": 10, "4.11.b": 1000}}
    units = _run(compiled, rows)
    assert units["mot_tinh"]["indicators"]["5.1"]["score"] == 10
    assert units["mot_tinh"]["indicators"]["4.11"]["score"] == 5


def test_6_4_information_and_public_services_are_halves(compiled):
    rows = {
        "ca_hai": {"6.4.thong_tin": "có", "6.4.dvctt": "có"},
        "thong_tin": {"6.4.thong_tin": "có", "6.4.dvctt": "không"},
    }
    assert _points(compiled, "6.4", rows) == {"ca_hai": 5, "thong_tin": 2.5}


# --------------------------------------------------------------------------- Gia Lai 2022


def test_gialai_example_scores_without_problems(gialai_run):
    _, problems = gialai_run
    assert problems == []


def test_gialai_indicator_scores_equal_published_where_reproducible(gialai_run, reference):
    units, _ = gialai_run
    gialai = units["gialai"]["indicators"]
    for code in reference:
        published = _published(reference, code)
        if published is None or code in IMPOSSIBLE or code in PILLARS:
            continue
        assert round(gialai[code]["score"], 2) == pytest.approx(published), code


def test_gialai_pillar_totals_equal_published_within_a_hundredth(gialai_run, reference):
    units, _ = gialai_run
    gialai = units["gialai"]["indicators"]
    for code in PILLARS:
        published = _published(reference, code)
        if published is None or code in IMPOSSIBLE:
            continue
        assert abs(gialai[code]["score"] - published) <= 0.01 + 1e-9, code
    assert gialai["3"]["score"] == pytest.approx(61.99, abs=0.01)
    assert gialai["8"]["score"] == pytest.approx(18.91, abs=0.01)


def test_gialai_total_is_sum_of_reproduced_pillars(gialai_run):
    units, _ = gialai_run
    assert units["gialai"]["total"] == pytest.approx(407.1012, abs=1e-4)
    assert units["gialai"]["max"] == 1000


def test_gialai_impossible_published_scores_are_flagged(gialai_run, reference, compiled):
    units, _ = gialai_run
    assert reference_check(units["gialai"], reference, compiled) == IMPOSSIBLE


def test_gialai_4_2_published_100_is_above_its_maximum(gialai_run, reference, compiled):
    units, _ = gialai_run
    assert _published(reference, "4.2") == 100
    assert compiled.nodes["4.2"].max_by_level["tinh"] == 10
    assert units["gialai"]["indicators"]["4.2"]["score"] == 10
    # the published pillar total 35,74 counts 4.2 as 10
    assert units["gialai"]["indicators"]["4"]["score"] == pytest.approx(35.74)


def test_gialai_pillar_7_published_total_is_not_the_sum_of_its_published_components(reference, gialai_run):
    components = [f"7.{i}" for i in range(1, 13)]
    assert sum(_published(reference, c) for c in components) == pytest.approx(64.97)
    assert _published(reference, "7") == 64.74
    units, _ = gialai_run
    assert units["gialai"]["indicators"]["7"]["score"] == pytest.approx(64.97, abs=0.001)


def test_gialai_blank_published_4_12_scores_zero_as_no_data(gialai_run, reference):
    units, _ = gialai_run
    assert _published(reference, "4.12") is None
    assert units["gialai"]["indicators"]["4.12"] | {"explain": None} == {
        "score": 0.0,
        "max": 5.0,
        "status": "no_data",
        "value": None,
        "explain": None,
    }


def test_gialai_relative_scores_come_from_the_synthetic_peers(gialai_run):
    units, _ = gialai_run
    gialai = units["gialai"]["indicators"]
    assert {c: gialai[c]["score"] for c in ("4.5", "4.6", "4.11", "5.1", "5.9", "5.10", "7.10", "8.6", "8.7")} == {
        "4.5": 0.14,
        "4.6": 0.0,
        "4.11": 0.26,
        "5.1": 2.0,
        "5.9": 0.0,
        "5.10": 0.5,
        "7.10": 2.72,
        "8.6": 0.0,
        "8.7": 0.0,
    }
