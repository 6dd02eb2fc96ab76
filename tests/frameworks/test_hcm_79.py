"""TP. Hồ Chí Minh — QĐ 79/QĐ-UBND ngày 10/01/2023 (HCM DTI).

Phụ lục I (Sở, ban, ngành: 6 chỉ số chính, 32 thành phần, 330 điểm) and Phụ lục II
(quận, huyện, TP Thủ Đức: 9 chỉ số chính, 51 thành phần, 660 điểm — the document also
prints 690).  The document's inconsistencies are kept in the files; these tests pin them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dti.engine import compile_framework, load_framework
from dti.engine.data import Unit, build_dataset, read_long_csv, read_units_csv
from dti.engine.scoring import score
from dti.engine.validate import validate_framework

ROOT = Path(__file__).resolve().parents[2]
SO_FILE = ROOT / "dti" / "frameworks" / "hcm-79-so.yaml"
HUYEN_FILE = ROOT / "dti" / "frameworks" / "hcm-79-huyen.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "hcm-79"


@pytest.fixture(scope="module")
def so():
    return load_framework(SO_FILE)


@pytest.fixture(scope="module")
def huyen():
    return load_framework(HUYEN_FILE)


@pytest.fixture(scope="module")
def so_compiled(so):
    return compile_framework(so)


@pytest.fixture(scope="module")
def huyen_compiled(huyen):
    return compile_framework(huyen)


@pytest.fixture(scope="module")
def so_report(so_compiled):
    return validate_framework(so_compiled)


@pytest.fixture(scope="module")
def huyen_report(huyen_compiled):
    return validate_framework(huyen_compiled)


def _indicator(framework, code):
    return next(node for node, _ in framework.walk() if node.code == code)


def _run(compiled, level, rows):
    """rows: {unit: {field: raw}} → {unit: {code: indicator result}} plus totals."""
    units = [Unit(u, u, level) for u in rows]
    records = [(u, f, v) for u, fields in rows.items() for f, v in fields.items()]
    result = score(compiled, build_dataset(compiled, units, records)).to_dict()
    return {u["unit"]: u for u in result["units"]}, result["problems"]


def _points(compiled, level, rows, code):
    units, _ = _run(compiled, level, rows)
    return {u: round(units[u]["indicators"][code]["score"], 4) for u in rows}


# --------------------------------------------------------------------------- structure: Sở


def test_so_level_max_total_is_330_with_32_indicators_and_6_pillars(so_report):
    assert so_report["levels"]["so"] == {"max_total": 330.0, "indicators": 32, "pillars": 6}


def test_so_framework_has_no_errors(so_report):
    assert so_report["errors"] == []


def test_so_printed_numbers_agree_so_only_the_80_percent_gaps_are_warned(so_report):
    # Phụ lục I adds up: 40 + 25 + 70 + 30 + 35 + 130 = 330, 4+3+4+3+4+14 = 32; "Trên 80%" / "<80%"
    # leave exactly 80% out in 3.1 and 3.2.
    assert [w["id"] for w in so_report["warnings"]] == ["steps_gap/3.1@80", "steps_gap/3.2@80"]


def test_so_pillar_maxima_are_as_printed(so):
    assert [(p.code, p.name, p.max_points) for p in so.indicators] == [
        ("1", "Nhận thức số", 40),
        ("2", "Thể chế số", 25),
        ("3", "Hạ tầng số", 70),
        ("4", "Nhân lực số", 30),
        ("5", "An toàn thông tin mạng", 35),
        ("6", "Hoạt động chuyển đổi số", 130),
    ]


def test_so_general_info_has_ten_fields_and_two_contact_blocks(so):
    stts = [g.stt for g in so.general_info]
    assert stts[:10] == [f"1.{i}" for i in range(1, 11)]
    assert stts.count("2.1") == 5 and stts.count("2.2") == 5
    labels = [g.label for g in so.general_info if g.stt == "2.2"]
    assert labels == ["Họ tên", "Đơn vị công tác", "Chức vụ", "Điện thoại liên hệ", "Email"]


def test_so_policies_follow_section_2c(so, huyen):
    for framework in (so, huyen):
        assert framework.policies.missing_data == "zero"
        assert framework.policies.no_content == "full"


# --------------------------------------------------------------------------- structure: huyện


def test_huyen_level_max_total_is_660_with_51_indicators_and_9_pillars(huyen_report):
    assert huyen_report["levels"]["huyen"] == {"max_total": 660.0, "indicators": 51, "pillars": 9}


def test_huyen_framework_has_no_errors(huyen_report):
    assert huyen_report["errors"] == []


def test_huyen_general_info_has_twenty_fields_and_two_contact_blocks(huyen):
    stts = [g.stt for g in huyen.general_info]
    assert stts[:20] == [f"1.{i}" for i in range(1, 21)]
    assert stts.count("2.1") == 5 and stts.count("2.2") == 5


# --------------------------------------------------------------------------- inconsistencies


def test_huyen_3_3_prints_150_points_on_a_30_point_indicator_and_is_warned(huyen, huyen_report):
    """Phụ lục II §3.3: 'Từ 50% - 80%: 150 điểm' (Phụ lục I prints 15) — kept as printed."""
    assert _indicator(huyen, "3.3").max_points == 30
    assert [s.points for s in _indicator(huyen, "3.3").reading("cap_at_max").rule.steps] == [30, 150, 0]
    assert [s.points for s in _indicator(huyen, "3.3").reading("so_annex").rule.steps] == [30, 15, 0]
    warned = [w for w in huyen_report["warnings"] if w["code"] == "3.3"]
    assert len(warned) == 1
    assert "150 điểm" in warned[0]["message"] and "điểm tối đa 30" in warned[0]["message"]


def test_huyen_warnings_are_690_the_80_percent_gaps_and_3_3(huyen_report):
    assert [w["id"] for w in huyen_report["warnings"]] == [
        "declared/huyen/total@§II.1.b", "steps_gap/3.1@80", "steps_gap/3.2@80", "award_above_max/3.3~cap_at_max"]


def test_so_3_3_prints_15_points_for_50_to_80_percent(so):
    assert [s.points for s in _indicator(so, "3.3").rule.steps] == [30, 15]


def test_huyen_declared_total_is_660_although_the_text_also_prints_690(huyen):
    """§II.1.b: 'thang điểm 690' vs 'Tổng điểm (660)', Phụ lục II 660, §II.3.b 660."""
    totals = [(d.value, d.where) for d in huyen.levels[0].declared if d.figure == "total"]
    assert totals == [(690, "§II.1.b"), (660, "bảng §II.1.b"), (660, "Phụ lục II"), (660, "§II.3.b")]
    assert "690" in huyen.description


def test_huyen_other_printed_total_690_would_be_reported_against_the_sum_660():
    data = yaml.safe_load(HUYEN_FILE.read_text(encoding="utf-8"))
    data["levels"][0]["declared_total"] = 690
    messages = [w["message"] for w in validate_framework(load_framework(data))["warnings"]]
    assert "tổng điểm tối đa cấp 'huyen' theo văn bản là 690 nhưng các chỉ số cộng lại được 660" in messages


def test_so_6_14_keeps_the_district_wording_printed_in_the_so_table(so):
    assert "tại Quận/Huyện/Thành phố" in _indicator(so, "6.14").name


@pytest.mark.parametrize("which", ["so", "huyen"])
def test_6_13_is_read_literally_as_a_over_b_with_target_10_by_default(which, so, huyen):
    indicator = _indicator({"so": so, "huyen": huyen}[which], "6.13")
    rule = indicator.default_reading.rule
    assert indicator.default_reading.name == "literal"
    assert (rule.kind, rule.value, rule.target, rule.percent) == ("ratio", "a / b", 10, True)
    growth = indicator.reading("growth").rule
    assert (growth.kind, growth.value, growth.target) == ("ratio", "(a - b) / b", 10)


def test_huyen_pillar_maxima_are_as_printed(huyen):
    assert [(p.code, p.max_points) for p in huyen.indicators] == [
        ("1", 60),
        ("2", 50),
        ("3", 70),
        ("4", 60),
        ("5", 35),
        ("6", 185),
        ("7", 90),
        ("8", 90),
        ("9", 20),
    ]


@pytest.mark.parametrize("which", ["so", "huyen"])
def test_pillar_2_is_spelled_the_che_so_in_the_summary_table(which, so, huyen):
    pillar = _indicator({"so": so, "huyen": huyen}[which], "2")
    assert pillar.name == "Thể chế số"
    assert pillar.meta["name_in_summary_table"] == "Thế chế số"


@pytest.mark.parametrize("which", ["so", "huyen"])
def test_3_4_keeps_the_document_list_and_notes_the_missing_part_1_heading(which, so, huyen):
    indicator = _indicator({"so": so, "huyen": huyen}[which], "3.4")
    assert "2. Mô hình triển khai" in indicator.method and "1. " not in indicator.method.split("2. Mô")[0]
    assert "Nền tảng hợp trực tuyến" in indicator.method
    assert "thiếu tiêu đề phần 1" in indicator.meta["note"]


@pytest.mark.parametrize("which", ["so", "huyen"])
def test_3_1_gap_at_exactly_80_percent_is_read_as_zero(which, so, huyen):
    rule = _indicator({"so": so, "huyen": huyen}[which], "3.1").rule
    assert [s.when for s in rule.steps] == ["> 80", "< 80"]
    assert rule.otherwise.points == 0


def test_huyen_6_1_keeps_the_printed_typo_cong_thong_tin(huyen):
    assert _indicator(huyen, "6.1").name.startswith("Công thông tin điện tử")


# --------------------------------------------------------------------------- scoring: Sở


def test_so_1_4_scores_the_four_printed_cases(so_compiled):
    rows = {
        "tu_20": {"1.4.co_chuyen_muc": "có", "1.4.so_tin_bai": "20"},
        "tu_10": {"1.4.co_chuyen_muc": "có", "1.4.so_tin_bai": "19"},
        "duoi_10": {"1.4.co_chuyen_muc": "có", "1.4.so_tin_bai": "9"},
        "chua_co": {"1.4.co_chuyen_muc": "không", "1.4.so_tin_bai": "30"},
    }
    assert _points(so_compiled, "so", rows, "1.4") == {"tu_20": 10, "tu_10": 5, "duoi_10": 2.5, "chua_co": 0}


@pytest.mark.parametrize("annex", ["so", "huyen"])
def test_1_4_articles_count_only_once_the_section_exists(request, annex):
    # "Đã có chuyên mục và số lượng tin, bài về Chuyển đổi số trong năm đạt: … Chưa có chuyên mục: 0 điểm"
    compiled = request.getfixturevalue(f"{annex}_compiled")
    rows = {
        "chua_co_khong_dem": {"1.4.co_chuyen_muc": "không"},
        "co_chua_dem": {"1.4.co_chuyen_muc": "có"},
        "co_20": {"1.4.co_chuyen_muc": "có", "1.4.so_tin_bai": "20"},
    }
    units, _ = _run(compiled, annex, rows)
    got = {u: (units[u]["indicators"]["1.4"]["score"], units[u]["indicators"]["1.4"]["status"]) for u in rows}
    assert got == {"chua_co_khong_dem": (0, "ok"), "co_chua_dem": (0, "no_data"), "co_20": (10, "ok")}
    assert units["co_20"]["indicators"]["1.4"]["explain"].startswith('Điều kiện "Đã có chuyên mục" đúng')
    assert 'theo nhánh "thì": so_tin_bai = 20' in units["co_20"]["indicators"]["1.4"]["explain"]


def test_so_1_1_deputy_director_gets_half(so_compiled):
    rows = {
        "gd": {"1.1.truong_ban": "giam_doc"},
        "pgd": {"1.1.truong_ban": "pho_giam_doc"},
        "khac": {"1.1.truong_ban": "khac"},
    }
    assert _points(so_compiled, "so", rows, "1.1") == {"gd": 10, "pgd": 5, "khac": 0}


def test_so_3_1_exactly_80_percent_is_not_above_80_and_scores_0(so_compiled):
    rows = {"u80": {"3.1.a": "80", "3.1.b": "100"}, "u81": {"3.1.a": "81", "3.1.b": "100"}}
    assert _points(so_compiled, "so", rows, "3.1") == {"u80": 0, "u81": 5}


def test_so_3_3_bands(so_compiled):
    rows = {
        "u90": {"3.3.a": "9", "3.3.b": "10"},
        "u80": {"3.3.a": "8", "3.3.b": "10"},
        "u50": {"3.3.a": "5", "3.3.b": "10"},
        "u40": {"3.3.a": "4", "3.3.b": "10"},
    }
    assert _points(so_compiled, "so", rows, "3.3") == {"u90": 30, "u80": 15, "u50": 15, "u40": 0}


def test_so_3_4_two_ratio_parts_each_half_of_max(so_compiled):
    rows = {"u": {"3.4.a": "7", "3.4.b": "7", "3.4.c": "5", "3.4.d": "7"}}
    assert _points(so_compiled, "so", rows, "3.4") == {"u": round(15 + 5 / 7 * 15, 4)}


def test_so_4_1_min_max_across_peers(so_compiled):
    rows = {
        "best": {"4.1.a": "3", "4.1.b": "6", "4.1.c": "4", "4.1.d": "12", "4.1.e": "120", "4.1.f": "380"},  # 5%
        "mid": {"4.1.a": "1", "4.1.b": "2", "4.1.c": "0", "4.1.d": "1", "4.1.e": "60", "4.1.f": "40"},  # 4%
        "low": {"4.1.a": "1", "4.1.b": "4", "4.1.c": "2", "4.1.d": "8", "4.1.e": "200", "4.1.f": "1800"},  # 0,75%
    }
    assert _points(so_compiled, "so", rows, "4.1") == {
        "best": 10,
        "mid": round((4 - 0.75) / (5 - 0.75) * 10, 4),
        "low": 0,
    }


def test_so_5_1_min_max_on_a_count(so_compiled):
    rows = {"a": {"5.1.a": "12"}, "b": {"5.1.a": "5"}, "c": {"5.1.a": "2"}}
    assert _points(so_compiled, "so", rows, "5.1") == {"a": 10, "b": 3, "c": 0}


def test_so_6_1_four_fifths_for_requirements_one_fifth_for_ipv6(so_compiled):
    rows = {
        "ca_hai": {"6.1.dap_ung": "có", "6.1.ipv6": "có"},
        "dap_ung": {"6.1.dap_ung": "có", "6.1.ipv6": "không"},
        "ipv6": {"6.1.dap_ung": "không", "6.1.ipv6": "có"},
    }
    assert _points(so_compiled, "so", rows, "6.1") == {"ca_hai": 10, "dap_ung": 8, "ipv6": 2}


def test_so_6_4_full_from_90_percent_of_respondents_satisfied(so_compiled):
    rows = {"u94": {"6.4.a": "1200", "6.4.b": "1130"}, "u70": {"6.4.a": "300", "6.4.b": "210"}}
    assert _points(so_compiled, "so", rows, "6.4") == {"u94": 5, "u70": round(70 / 90 * 5, 4)}


def test_so_6_13_literal_reading_gives_full_points_even_when_the_rate_fell(so_compiled):
    """a = 30% this year, b = 40% last year: a/b = 75% ≥ 10% → full, as printed."""
    rows = {"fell": {"6.13.a": "30", "6.13.b": "40"}, "low": {"6.13.a": "4", "6.13.b": "50"}}
    assert _points(so_compiled, "so", rows, "6.13") == {"fell": 10, "low": 8}


def test_so_6_14_full_from_80_percent(so_compiled):
    rows = {"u70": {"6.14.a": "700", "6.14.b": "1000"}, "u80": {"6.14.a": "800", "6.14.b": "1000"}}
    assert _points(so_compiled, "so", rows, "6.14") == {"u70": 8.75, "u80": 10}


def test_so_no_content_gets_full_points_and_missing_data_gets_zero(so_compiled):
    units, _ = _run(so_compiled, "so", {"u": {"6.3.status": "no_content"}})
    assert units["u"]["indicators"]["6.3"]["score"] == 10
    assert units["u"]["indicators"]["6.3"]["status"] == "no_content"
    assert units["u"]["indicators"]["6.4"]["score"] == 0
    assert units["u"]["indicators"]["6.4"]["status"] == "no_data"


def test_so_part_larger_than_whole_is_a_problem(so_compiled):
    units, problems = _run(so_compiled, "so", {"u": {"1.2.a": "5", "1.2.b": "4"}})
    assert units["u"]["indicators"]["1.2"]["status"] == "invalid"
    assert any(p["indicator"] == "1.2" for p in problems)


# --------------------------------------------------------------------------- scoring: huyện


def test_huyen_3_3_band_50_to_80_is_capped_at_the_maximum_30(huyen_compiled):
    rows = {"u60": {"3.3.a": "6", "3.3.b": "10"}, "u40": {"3.3.a": "4", "3.3.b": "10"}}
    assert _points(huyen_compiled, "huyen", rows, "3.3") == {"u60": 30, "u40": 0}


def test_huyen_1_5_broadcast_frequency(huyen_compiled):
    rows = {
        "tuan": {"1.5.tan_suat": "hang_tuan"},
        "thang": {"1.5.tan_suat": "hang_thang"},
        "it": {"1.5.tan_suat": "duoi_hang_thang"},
    }
    assert _points(huyen_compiled, "huyen", rows, "1.5") == {"tuan": 20, "thang": 10, "it": 0}


def test_huyen_4_3_is_a_plain_ratio_not_min_max(huyen_compiled):
    rows = {"u": {"4.3.a": "5", "4.3.b": "10", "4.3.c": "5", "4.3.d": "20", "4.3.e": "100", "4.3.f": "100"}}
    assert _points(huyen_compiled, "huyen", rows, "4.3") == {"u": 2}


def test_huyen_8_5_one_point_per_effective_activity_capped_at_20(huyen_compiled):
    rows = {"u7": {"8.5.so_hoat_dong_hieu_qua": "7"}, "u25": {"8.5.so_hoat_dong_hieu_qua": "25"}}
    assert _points(huyen_compiled, "huyen", rows, "8.5") == {"u7": 7, "u25": 20}


def test_huyen_9_1_in_progress_gets_half(huyen_compiled):
    rows = {"da": {"9.1.trien_khai": "da_trien_khai"}, "dang": {"9.1.trien_khai": "dang_trien_khai"}}
    assert _points(huyen_compiled, "huyen", rows, "9.1") == {"da": 20, "dang": 10}


def test_huyen_7_2_full_from_80_percent(huyen_compiled):
    rows = {"u40": {"7.2.a": "40", "7.2.b": "100"}}
    assert _points(huyen_compiled, "huyen", rows, "7.2") == {"u40": 15}


# --------------------------------------------------------------------------- worked example


def test_example_result_json_is_what_dti_score_prints():
    command = [
        sys.executable,
        "-m",
        "dti.cli",
        "score",
        str(SO_FILE),
        "--data",
        str(EXAMPLE / "data.csv"),
        "--units",
        str(EXAMPLE / "units.csv"),
        "--format",
        "json",
    ]
    printed = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""}
    ).stdout
    assert json.loads(printed) == json.loads((EXAMPLE / "result.json").read_text(encoding="utf-8"))


def test_example_ranks_three_so_and_shows_min_max(so_compiled):
    units = read_units_csv(EXAMPLE / "units.csv")
    result = score(so_compiled, build_dataset(so_compiled, units, read_long_csv(EXAMPLE / "data.csv"))).to_dict()
    assert [(u["unit"], u["rank"]) for u in result["units"]] == [("so-a", 1), ("so-b", 2), ("so-c", 3)]
    assert "Min-Max" in result["units"][1]["indicators"]["4.1"]["explain"]
    assert result["problems"] == []
