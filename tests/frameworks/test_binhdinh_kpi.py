"""Bình Định — Bộ chỉ số (KPI) đô thị thông minh, phiên bản 1.0 (QĐ 2268/QĐ-UBND, 2023).

27 KPIs without points: each is a value (a / b in %), never a score.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml

from dti.engine import compile_framework, load_framework
from dti.engine.data import Unit, build_dataset
from dti.engine.scoring import score
from dti.engine.validate import validate_framework

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = ROOT / "dti" / "frameworks" / "binhdinh-kpi-2023.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "binhdinh-kpi"
KPI_CODES = [str(n) for n in range(1, 28)]


@pytest.fixture(scope="module")
def framework():
    return load_framework(FRAMEWORK)


@pytest.fixture(scope="module")
def compiled(framework):
    return compile_framework(framework)


@pytest.fixture(scope="module")
def report(compiled):
    return validate_framework(compiled)


def _kpi(framework, code):
    return next(node for node, _ in framework.walk() if node.code == code)


def _run(compiled, records, unit_id="bd"):
    units = [Unit(unit_id, "Tỉnh Bình Định", "tinh")]
    data = build_dataset(compiled, units, [(unit_id, f, v) for f, v in records])
    return score(compiled, data).to_dict()


# --------------------------------------------------------------------------- structure


def test_framework_is_unscored_with_one_province_level(framework):
    assert framework.scored is False
    assert framework.level_codes == ["tinh"]
    assert [(d.figure, d.value, d.where) for d in framework.levels[0].declared] == [("indicators", 27, "§5.1")]


def test_tinh_level_has_27_kpis_and_no_maximum(report):
    assert report["levels"]["tinh"]["indicators"] == 27
    assert report["levels"]["tinh"]["max_total"] is None


def test_three_lop_nine_nhom_eighteen_phan_nhom(compiled):
    depth = {}
    for node in compiled.nodes.values():
        if not node.is_leaf:
            depth.setdefault(node.depth, []).append(node.code)
    assert len(depth[0]) == 3
    assert len(depth[1]) == 9
    assert len(depth[2]) == 18


def test_no_errors_and_no_warnings(report):
    assert report["errors"] == []
    # The document's 27 agrees with both of its tables; its other inconsistencies are
    # textual (names, order, formula wording) and are pinned below, not validator warnings.
    assert report["warnings"] == []


def test_leaf_codes_are_the_printed_stt_1_to_27(compiled):
    assert [node.code for node in compiled.leaves] == KPI_CODES


def test_dropping_a_kpi_is_reported_against_the_declared_27():
    raw = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    broken["indicators"][2]["children"].pop()  # Lớp 3 → Đổi mới sáng tạo (KPI 27)
    warnings = validate_framework(load_framework(broken))["warnings"]
    assert any(w["code"] == "level:tinh" and "27 chỉ số" in w["message"] and "26" in w["message"] for w in warnings)


def test_every_kpi_carries_method_meaning_data_requirement_and_agency(framework):
    for code in KPI_CODES:
        kpi = _kpi(framework, code)
        assert kpi.unit, code
        assert kpi.method and kpi.guidance, code
        assert kpi.meta["data_requirement"], code
        assert kpi.responsible == kpi.meta["source_agency"], code
        assert kpi.rule.kind == "kpi", code


def test_ratio_kpis_are_a_over_b_in_percent_with_an_inferred_a_not_above_b(framework):
    for code in KPI_CODES:
        if code in {"14", "27"}:
            continue
        kpi = _kpi(framework, code)
        assert kpi.rule.value == "a / b" and kpi.rule.percent, code
        assert [i.var for i in kpi.inputs] == ["a", "b"], code
        if code == "9":  # "số bến đỗ và nhà ga…/Tổng số bến xe và nhà ga": not a part of the whole
            assert kpi.constraints == [], code
            continue
        assert [c.check for c in kpi.constraints] == ["a <= b"], code
        assert all(c.inferred and c.reason for c in kpi.constraints), code


def test_kpi_14_follows_the_printed_formula_electricity_plus_water(framework):
    kpi = _kpi(framework, "14")
    assert kpi.rule.value == "(a1 + a2) / b"
    assert [c.check for c in kpi.constraints] == ["a1 <= b", "a2 <= b"]
    assert "Công thức: (Số hộ thanh toán điện trực tuyến + số hộ thanh toán nước trực tuyến)" in kpi.method


def test_kpi_27_is_a_yes_no_question_not_a_ratio(framework):
    kpi = _kpi(framework, "27")
    assert kpi.unit == "Có/ Chưa"
    assert kpi.inputs[0].type == "yes_no"
    assert kpi.rule.value == "a" and kpi.rule.percent is False


# --------------------------------------------------------------------------- document inconsistencies
# None of these can be seen by the validator (no points, counts agree); the file keeps the
# detailed table (5.2) and records the structure table's (5.1) variant so it is not lost.


def test_kpi_20_and_21_are_swapped_between_the_two_tables(framework):
    assert _kpi(framework, "20").name.startswith("Mức độ công khai các thông tin về bảo vệ môi trường")
    assert _kpi(framework, "20").meta["stt_in_structure_table"] == 21
    assert _kpi(framework, "21").name == "Tình hình ứng dụng ICT giám sát xử lý nước thải"
    assert _kpi(framework, "21").meta["stt_in_structure_table"] == 20


def test_kpi_18_name_differs_between_the_two_tables(framework):
    kpi = _kpi(framework, "18")
    assert kpi.name == "Tình hình ứng dụng ICT theo dõi ô nhiễm môi trường nước"
    assert kpi.meta["name_in_structure_table"] == "Tình hình ứng dụng ICT theo dõi ô nhiễm nguồn nước"


def test_lop_3_and_kpi_27_subgroup_names_differ_between_the_two_tables(framework):
    assert _kpi(framework, "L3").name == "Định hướng và thúc đẩy phát triển"
    assert _kpi(framework, "L3").meta["name_in_structure_table"] == "Định hướng và thúc đẩy"
    sub = _kpi(framework, "L3.N3.P1")
    assert sub.meta["name_in_structure_table"].endswith("ĐTTM")


def test_kpi_13_unit_is_blank_in_the_document(framework):
    kpi = _kpi(framework, "13")
    assert kpi.meta["unit_printed"] == ""
    assert kpi.unit == "%"
    assert "Intemet" in kpi.method  # printed typo kept verbatim


def test_kpi_4_group_comes_from_the_structure_table(framework):
    group = _kpi(framework, "L1.N2")
    assert group.name == "Tạo điều kiện cho người dân tham gia xây dựng đô thị"
    assert "để trống" in group.meta["note"]


# --------------------------------------------------------------------------- values


def test_kpi_value_is_numerator_over_denominator_in_percent(compiled):
    result = _run(compiled, [("1.a", "45"), ("1.b", "60")])
    kpi = result["units"][0]["indicators"]["1"]
    assert kpi["value"] == 75.0
    assert kpi["status"] == "value_only"
    assert kpi["score"] is None and kpi["max"] is None
    assert "75%" in kpi["explain"]


def test_zero_denominator_is_no_data_not_nan(compiled):
    result = _run(compiled, [("9.a", "0"), ("9.b", "0")])
    kpi = result["units"][0]["indicators"]["9"]
    assert kpi["status"] == "no_data"
    assert kpi["value"] is None
    assert not any(isinstance(v, float) and math.isnan(v) for v in kpi.values() if v is not None)


def test_missing_inputs_are_no_data(compiled):
    result = _run(compiled, [("10.a", "300000")])
    assert result["units"][0]["indicators"]["10"]["status"] == "no_data"


def test_numerator_above_denominator_is_invalid_with_a_problem(compiled):
    result = _run(compiled, [("12.a", "610"), ("12.b", "600")])
    assert result["units"][0]["indicators"]["12"]["status"] == "invalid"
    assert any(p["indicator"] == "12" for p in result["problems"])


def test_kpi_14_counts_a_household_paying_both_twice_and_can_exceed_100(compiled):
    result = _run(compiled, [("14.a1", "300"), ("14.a2", "300"), ("14.b", "400")])
    kpi = result["units"][0]["indicators"]["14"]
    assert kpi["value"] == 150.0
    assert kpi["status"] == "value_only"


def test_kpi_27_yes_is_1_and_no_is_0(compiled):
    assert _run(compiled, [("27.a", "Có")])["units"][0]["indicators"]["27"]["value"] == 1.0
    assert _run(compiled, [("27.a", "Chưa")])["units"][0]["indicators"]["27"]["value"] == 0.0


def test_unscored_framework_has_no_total_and_no_rank(compiled):
    unit = _run(compiled, [("1.a", "45"), ("1.b", "60")])["units"][0]
    assert unit["total"] is None and unit["max"] is None and unit["rank"] is None


def test_worked_example_values_match_its_result_json(compiled):
    import json

    from dti.engine.data import read_long_csv, read_units_csv

    units = read_units_csv(EXAMPLE / "units.csv")
    data = build_dataset(compiled, units, read_long_csv(EXAMPLE / "data.csv"))
    expected = json.loads((EXAMPLE / "result.json").read_text(encoding="utf-8"))
    actual = score(compiled, data).to_dict(with_explain=False)
    assert actual["problems"] == expected["problems"] == []
    for got, want in zip(actual["units"], expected["units"], strict=True):
        assert got["unit"] == want["unit"]
        for code, item in got["indicators"].items():
            assert (item["status"], item["value"]) == (
                want["indicators"][code]["status"],
                want["indicators"][code]["value"],
            ), (got["unit"], code)
