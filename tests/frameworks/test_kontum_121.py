"""Kon Tum QĐ 121/QĐ-UBND (10/3/2025): maturity levels 1–5 for communes and districts.

Phụ lục 01 (cấp xã, 38 tiêu chí) and Phụ lục 02 (cấp huyện, 33 tiêu chí) are one framework
because the district's general criterion (huyen.I.1) is computed from its communes' levels.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from dti.engine import compile_framework, load_framework
from dti.engine.data import Unit, build_dataset, read_long_csv, read_units_csv
from dti.engine.model import Step
from dti.engine.scoring import score
from dti.engine.validate import validate_framework

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = ROOT / "dti" / "frameworks" / "kontum-121-2025.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "kontum-121"


@pytest.fixture(scope="module")
def compiled():
    return compile_framework(load_framework(FRAMEWORK))


@pytest.fixture(scope="module")
def report(compiled):
    return validate_framework(compiled)


# --------------------------------------------------------------------------- helpers


def records_at(compiled, unit: str, level: str, target: int, **override) -> list[tuple[str, str, str]]:
    """Data meeting exactly the threshold of maturity level ``target`` in every criterion.

    Criteria "Không áp dụng" at ``target`` get the weakest answer (Không / 0).  ``override``
    maps a field name (``xa.I.12.co_he_thong``) to the value to use instead.
    """
    records = []
    for node in compiled.leaves:
        maturity = node.indicator.maturity
        if level not in node.levels or maturity.levels is None:
            continue
        condition = maturity.levels[target - 1]
        # a '… hoặc …' cell: its first alternative is the criterion's own value
        when = None if condition is None else condition.any[0].when if condition.any else condition.when
        threshold = None if when is None else Step(when=when, points=0).threshold
        if maturity.field:
            spec = next(i for i in node.indicator.inputs if i.var == maturity.field)
            if spec.type == "yes_no":
                value = "Có" if threshold is not None else "Không"
            else:
                value = str(threshold if threshold is not None else 0)
            records.append((f"{node.code}.{maturity.field}", value))
        else:
            total = 100 if maturity.value == "a / b" else 10
            records.append((f"{node.code}.a", str(math.ceil(threshold or 0))))
            records.append((f"{node.code}.b", str(total)))
    fields = dict(records)
    fields.update(override)
    return [(unit, name, value) for name, value in fields.items()]


def run(compiled, units: list[Unit], records):
    data = build_dataset(compiled, units, records)
    result = score(compiled, data)
    return result, {u.id: int(result.maturity[i]) for i, u in enumerate(units)}


def district_with_communes(compiled, commune_levels: list[int], district_level: int = 5):
    """A district whose own criteria all meet ``district_level`` and communes at the given levels."""
    units = [Unit("h", "Huyện", "huyen")]
    records = records_at(compiled, "h", "huyen", district_level)
    for i, level in enumerate(commune_levels):
        units.append(Unit(f"x{i}", f"Xã {i}", "xa", "h"))
        if level == 0:  # below level 1: the first criterion misses its level-1 threshold
            records += records_at(compiled, f"x{i}", "xa", 1, **{"xa.I.1.ty_le": "49"})
        else:
            records += records_at(compiled, f"x{i}", "xa", level)
    return run(compiled, units, records)


def general_levels_met(result) -> list[int]:
    """Maturity levels at which the district's general criterion huyen.I.1 is met."""
    met = result.indicators["huyen.I.1"].detail["met"]
    return [level + 1 for level in range(met.shape[0]) if met[level][0]]


# --------------------------------------------------------------------------- structure


def test_xa_level_has_38_criteria_in_3_groups(report):
    assert report["levels"]["xa"]["indicators"] == 38
    assert report["levels"]["xa"]["pillars"] == 3
    assert report["levels"]["xa"]["max_total"] is None  # not scored


def test_huyen_level_has_33_criteria_in_4_groups(report):
    assert report["levels"]["huyen"]["indicators"] == 33
    assert report["levels"]["huyen"]["pillars"] == 4
    assert report["levels"]["huyen"]["max_total"] is None


def test_group_sizes_match_section_II_1(compiled):
    # "Nhóm Chính quyền số: 24 tiêu chí. Nhóm Kinh tế số: 05 tiêu chí. Nhóm Xã hội số: 09 tiêu chí."
    # "Nhóm tiêu chí chung: 01 tiêu chí. Nhóm Chính quyền số: 22 … Kinh tế số: 06 … Xã hội số: 04"
    sizes = {node.code: len(node.children) for node in compiled.roots}
    assert sizes == {
        "xa.I": 24, "xa.II": 5, "xa.III": 9,
        "huyen.I": 1, "huyen.II": 22, "huyen.III": 6, "huyen.IV": 4,
    }


def test_group_names_as_printed(compiled):
    names = {node.code: node.indicator.name for node in compiled.roots}
    assert names["xa.I"] == "Chính quyền số"
    assert names["xa.III"] == "Xã hội số"
    assert names["huyen.I"] == "Chỉ tiêu chung"
    assert names["huyen.III"] == "Kinh tế số"


def test_no_errors_and_no_warnings(report):
    # The document is consistent with itself on everything the validator checks: the
    # criteria counts per level (38 / 33) and per group agree with §II.1 and no threshold
    # falls from one level to the next.  Its oddities (docs/frameworks/kontum-121.md) are
    # of kinds no validator rule covers.
    assert report["errors"] == []
    assert report["warnings"] == []


def test_five_maturity_levels_named_as_in_section_II_2(compiled):
    levels = compiled.framework.maturity_levels
    assert [(m.level, m.name) for m in levels] == [
        (1, "Khởi động"), (2, "Kết nối"), (3, "Cơ bản"), (4, "Nâng cao"), (5, "Toàn diện"),
    ]
    assert levels[2].description == (
        "Chuyển đổi số bắt đầu có hiệu quả, các chỉ tiêu cơ bản về chuyển đổi số đã đạt được."
    )


# Every criterion's ladder as printed: a threshold in % (or a count), "Có" for a yes/no
# condition, "-" for "Không áp dụng".
LADDERS = {
    "xa.I.1": "50 60 70 100 100", "xa.I.2": "20 30 50 80 90", "xa.I.3": "60 70 80 90 100",
    "xa.I.4": "- - Có Có Có", "xa.I.5": "- - - Có Có", "xa.I.6": "50 60 80 100 100",
    "xa.I.7": "1 1 1 1 2", "xa.I.8": "50 60 70 80 90", "xa.I.9": "- - 100 100 100",
    "xa.I.10": "- - 50 70 100", "xa.I.11": "- 40 60 80 100", "xa.I.12": "- - Có Có Có",
    "xa.I.13": "- - Có Có Có", "xa.I.14": "- Có Có Có Có", "xa.I.15": "- - Có Có Có",
    "xa.I.16": "- - Có Có Có", "xa.I.17": "- - Có Có Có", "xa.I.18": "- - Có Có Có",
    "xa.I.19": "- - Có Có Có", "xa.I.20": "- - Có Có Có", "xa.I.21": "- - Có Có Có",
    "xa.I.22": "- - - Có Có", "xa.I.23": "- - - Có Có", "xa.I.24": "- - - Có Có",
    "xa.II.1": "20 30 40 50 70", "xa.II.2": "30 40 50 70 90", "xa.II.3": "- Có Có Có Có",
    "xa.II.4": "- - 1 2 3", "xa.II.5": "- - 50 70 100",
    "xa.III.1": "50 60 70 80 100", "xa.III.2": "50 60 70 80 100", "xa.III.3": "20 30 40 50 60",
    "xa.III.4": "40 50 60 70 80", "xa.III.5": "10 30 50 70 90", "xa.III.6": "60 70 80 90 100",
    "xa.III.7": "- 80 90 100 100", "xa.III.8": "- - Có Có Có", "xa.III.9": "- - Có Có Có",
    "huyen.II.1": "70 80 90 100 100", "huyen.II.2": "20 30 40 80 90",
    "huyen.II.3": "75 85 95 100 100", "huyen.II.4": "- - - Có Có", "huyen.II.5": "- - - Có Có",
    "huyen.II.6": "50 60 80 100 100", "huyen.II.7": "- - Có Có Có", "huyen.II.8": "50 60 70 80 90",
    "huyen.II.9": "50 70 90 100 100", "huyen.II.10": "10 20 30 50 70",
    "huyen.II.11": "20 40 60 80 100", "huyen.II.12": "Có Có Có Có Có", "huyen.II.13": "- - - 1 3",
    "huyen.II.14": "- - - 1 3", "huyen.II.15": "- - Có Có Có", "huyen.II.16": "- 50 60 70 80",
    "huyen.II.17": "- - Có Có Có", "huyen.II.18": "Có Có Có Có Có", "huyen.II.19": "- - Có Có Có",
    "huyen.II.20": "- - - Có Có", "huyen.II.21": "- - Có Có Có", "huyen.II.22": "- - Có Có Có",
    "huyen.III.1": "30 50 70 80 90", "huyen.III.2": "20 40 60 70 80", "huyen.III.3": "10 20 30 40 50",
    "huyen.III.4": "- 50 60 70 100", "huyen.III.5": "60 70 80 90 100", "huyen.III.6": "- - - Có Có",
    "huyen.IV.1": "70 80 90 100 100", "huyen.IV.2": "10 30 50 60 80", "huyen.IV.3": "- - 50 60 80",
    "huyen.IV.4": "- - 50 100 100",
}


def test_every_threshold_ladder_as_printed(compiled):
    ladders = {}
    for node in compiled.leaves:
        maturity = node.indicator.maturity
        if maturity.levels is None:
            continue
        cells = []
        for condition in maturity.levels:
            when = None if condition is None else condition.any[0].when if condition.any else condition.when
            if when is None:
                cells.append("-")
            elif when == "== 1":
                cells.append("Có")
            else:
                assert when.startswith(">= ")
                cells.append(when[3:])
        ladders[node.code] = " ".join(cells)
    assert ladders == LADDERS


def test_thresholds_never_fall_from_one_level_to_the_next():
    for code, ladder in LADDERS.items():
        numbers = [float(c) for c in ladder.split() if c not in {"-", "Có"}]
        assert numbers == sorted(numbers), code


def test_criterion_texts_are_verbatim(compiled):
    node = compiled.nodes["xa.II.4"].indicator
    assert [c.text if c else None for c in node.maturity.levels] == [
        None, None, "Có 1 doanh nghiệp, hợp tác xã", "Có 2 doanh nghiệp, hợp tác xã",
        "Có 3 doanh nghiệp, hợp tác xã trở lên hoặc 100% doanh nghiệp, hợp tác xã trên địa bàn",
    ]
    assert compiled.nodes["huyen.II.3"].indicator.legal_basis == (
        "- Quyết định số 942/QĐ-TTg ngày 15 tháng 6 năm 2021 của Thủ tướng Chính phủ\n"
        "- Nghị quyết số 01/NQ-CP ngày 05 tháng 01 năm 2024 của Chính phủ"
    )
    assert compiled.nodes["xa.I.7"].indicator.unit == "Nhân sự"
    assert compiled.nodes["huyen.I.1"].indicator.method is None  # the row prints no method
    assert compiled.nodes["xa.I.1"].indicator.meta == {"stt": "1"}


def test_platform_figures_are_percent_fields_and_counts_are_a_over_b(compiled):
    fields = {name: spec.type for name, spec in compiled.fields.items()}
    assert fields["xa.I.1.ty_le"] == "percent"
    assert fields["huyen.II.2.ty_le"] == "percent"
    assert fields["xa.I.3.a"] == fields["xa.I.3.b"] == "count"
    assert fields["xa.I.12.co_he_thong"] == "yes_no"
    assert fields["xa.I.7.so_nhan_su"] == "count"
    assert fields["huyen.II.13.so_he_thong"] == "count"


# --------------------------------------------------------------------------- communes


def test_commune_meeting_level_3_thresholds_everywhere_gets_maturity_3(compiled):
    _, levels = run(compiled, [Unit("x", "Xã", "xa")], records_at(compiled, "x", "xa", 3))
    assert levels == {"x": 3}


def test_commune_meeting_level_5_thresholds_everywhere_gets_maturity_5(compiled):
    _, levels = run(compiled, [Unit("x", "Xã", "xa")], records_at(compiled, "x", "xa", 5))
    assert levels == {"x": 5}


def test_commune_missing_one_level_3_criterion_gets_maturity_2(compiled):
    # No camera system (xa.I.12 "Có hệ thống" from level 3 on): everything else at level 3.
    records = records_at(compiled, "x", "xa", 3, **{"xa.I.12.co_he_thong": "Không"})
    result, levels = run(compiled, [Unit("x", "Xã", "xa")], records)
    assert levels == {"x": 2}
    assert result.to_dict()["units"][0]["indicators"]["xa.I.12"]["level"] == 0


def test_commune_just_below_a_level_3_percentage_gets_maturity_2(compiled):
    # xa.I.6 needs 80% at level 3 and 60% at level 2: 79 of 100 trained.
    records = records_at(compiled, "x", "xa", 3, **{"xa.I.6.a": "79"})
    _, levels = run(compiled, [Unit("x", "Xã", "xa")], records)
    assert levels == {"x": 2}


def test_thresholds_are_inclusive(compiled):
    # Exactly 50% of xa.I.1 is level 1 ("50%" read as "đạt tối thiểu 50%"); 49,9% is not.
    at = records_at(compiled, "a", "xa", 1, **{"xa.I.1.ty_le": "50"})
    below = records_at(compiled, "b", "xa", 1, **{"xa.I.1.ty_le": "49,9"})
    _, levels = run(compiled, [Unit("a", "A", "xa"), Unit("b", "B", "xa")], at + below)
    assert levels == {"a": 1, "b": 0}


def test_criterion_not_applicable_below_its_first_level_is_not_required(compiled):
    # Virtual assistant (xa.I.5) is only required from level 4: "Không" still allows level 3.
    records = records_at(compiled, "x", "xa", 3, **{"xa.I.5.co_nen_tang": "Không"})
    _, levels = run(compiled, [Unit("x", "Xã", "xa")], records)
    assert levels == {"x": 3}


def test_missing_data_meets_no_level(compiled):
    records = [r for r in records_at(compiled, "x", "xa", 5) if not r[1].startswith("xa.III.6.")]
    _, levels = run(compiled, [Unit("x", "Xã", "xa")], records)
    assert levels == {"x": 0}  # xa.III.6 applies from level 1


@pytest.mark.parametrize(
    ("applying", "total", "expected"),
    [
        (1, 10, [3]),  # "Có 1 doanh nghiệp, hợp tác xã"
        (2, 5, [3, 4]),  # "Có 2 …"
        (3, 10, [3, 4, 5]),  # "Có 3 … trở lên"
        (2, 2, [3, 4, 5]),  # "… hoặc 100% doanh nghiệp, hợp tác xã trên địa bàn"
        (1, 1, [3, 4, 5]),  # 100% of one: level 5 wording met; level 4 read as met too (see notes)
        (0, 0, []),
    ],
)
def test_commune_businesses_applying_digital_technology(compiled, applying, total, expected):
    records = records_at(compiled, "x", "xa", 5, **{"xa.II.4.a": str(applying), "xa.II.4.b": str(total)})
    result, _ = run(compiled, [Unit("x", "Xã", "xa")], records)
    met = result.indicators["xa.II.4"].detail["met"]
    assert [level + 1 for level in range(5) if met[level][0] and level >= 2] == expected



def test_commune_with_invalid_data_does_not_reach_the_level(compiled):
    records = records_at(compiled, "x", "xa", 5, **{"xa.I.3.a": "150", "xa.I.3.b": "100"})
    result, levels = run(compiled, [Unit("x", "Xã", "xa")], records)
    assert result.to_dict()["units"][0]["indicators"]["xa.I.3"]["status"] == "invalid"
    assert levels == {"x": 0}


# --------------------------------------------------------------------------- districts


def test_district_with_communes_3_3_2_meets_general_criterion_up_to_level_3(compiled):
    # Level 3: "100% xã … từ mức kết nối trở lên (2, 2, 2 ≥ 2), trong đó tối thiểu 50% đạt mức
    # cơ bản" (2 of 3 = 66,7% ≥ 50%) → met.  Level 4: "100% … từ mức cơ bản trở lên" fails (2 < 3).
    result, levels = district_with_communes(compiled, [3, 3, 2])
    assert general_levels_met(result) == [1, 2, 3]
    assert levels == {"h": 3, "x0": 3, "x1": 3, "x2": 2}


def test_district_with_communes_3_2_2_meets_general_criterion_up_to_level_2(compiled):
    # Level 3 needs ≥ 50% of communes at "cơ bản": 1 of 3 = 33,3% → not met.
    result, levels = district_with_communes(compiled, [3, 2, 2])
    assert general_levels_met(result) == [1, 2]
    assert levels["h"] == 2


def test_district_share_of_exactly_50_percent_is_enough(compiled):
    result, levels = district_with_communes(compiled, [3, 3, 2, 2])
    assert general_levels_met(result) == [1, 2, 3]
    assert levels["h"] == 3


def test_district_with_communes_4_4_3_reaches_level_4(compiled):
    result, levels = district_with_communes(compiled, [4, 4, 3])
    assert general_levels_met(result) == [1, 2, 3, 4]
    assert levels["h"] == 4


def test_district_own_criteria_cap_its_level(compiled):
    _, levels = district_with_communes(compiled, [5, 5, 5], district_level=3)
    assert levels["h"] == 3


def test_one_commune_below_level_1_keeps_the_district_at_0(compiled):
    # Level 1: "100% xã, phường, thị trấn đạt mức độ chuyển đổi số mức khởi động".
    result, levels = district_with_communes(compiled, [5, 5, 0])
    assert levels["x2"] == 0
    assert general_levels_met(result) == []
    assert levels["h"] == 0


def test_district_without_communes_has_no_data_for_the_general_criterion(compiled):
    units = [Unit("h", "Huyện", "huyen")]
    result, levels = run(compiled, units, records_at(compiled, "h", "huyen", 5))
    assert result.to_dict()["units"][0]["indicators"]["huyen.I.1"]["status"] == "no_data"
    assert levels == {"h": 0}


# --------------------------------------------------------------------------- worked example


def test_worked_example_levels(compiled):
    units = read_units_csv(EXAMPLE / "units.csv")
    data = build_dataset(compiled, units, read_long_csv(EXAMPLE / "data.csv"))
    result = score(compiled, data).to_dict()
    assert result["problems"] == []
    levels = {u["unit"]: u["maturity"] for u in result["units"]}
    assert levels == {"ngoc-hoi": 3, "plei-kan": 3, "dak-duc": 3, "dak-nong": 2}
    district = next(u for u in result["units"] if u["unit"] == "ngoc-hoi")
    assert district["indicators"]["huyen.I.1"]["level"] == 3
    own = [v["level"] for k, v in district["indicators"].items()
           if k.startswith("huyen.") and k != "huyen.I.1" and "level" in v]
    assert min(own) == 4  # its own criteria reach level 4; the communes hold it at 3
    saved = json.loads((EXAMPLE / "result.json").read_text(encoding="utf-8"))
    assert {u["unit"]: u["maturity"] for u in saved["units"]} == levels
