"""Issue #9's spot check of the transcriptions against the documents: each finding, quoted.

Every test quotes the passage of the decision (shared/seeds) it holds the file to.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from dti.engine import compile_framework, load_framework
from dti.engine.data import Unit, build_dataset
from dti.engine.explain import explain
from dti.engine.scoring import score
from dti.engine.validate import validate_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "dti" / "frameworks"


@cache
def _framework(name: str):
    return load_framework(FRAMEWORKS / name)


def _indicator(framework, code: str):
    return next(node for node, _ in framework.walk() if node.code == code)


def _one(compiled, level: str, fields: dict[str, str], code: str) -> tuple[dict, str]:
    data = build_dataset(compiled, [Unit("u", "Đơn vị", level)], [("u", f, v) for f, v in fields.items()])
    result = score(compiled, data)
    return result.to_dict()["units"][0]["indicators"][code], explain(result, code, 0)


# --------------------------------------------------------------------------- Huế II.1

HUE_II_1 = "Văn bản điện tử được ban hành trong tháng 1 hằng năm sẽ đạt tối đa điểm, sau thời gian trên sẽ đạt 50% số điểm"


@pytest.fixture(scope="module")
def hue():
    return compile_framework(_framework("hue-931-2024.yaml"))


def test_hue_ii1_keeps_the_document_words(hue):
    assert hue.nodes["II.1"].indicator.conditions == HUE_II_1


@pytest.mark.parametrize("date, points", [
    ("15/12/2023", 10),  # a 2024 plan issued before January: not after "tháng 1", so full points
    ("02/01/2024", 10),
    ("31/01/2024", 10),
    ("01/02/2024", 5),   # "sau thời gian trên sẽ đạt 50% số điểm"
])
def test_hue_ii1_plan_issued_by_january_earns_full_points_later_half(hue, date, points):
    item, _ = _one(hue, "so", {"II.1.ngay_ban_hanh": date}, "II.1")
    assert item["score"] == points


def test_hue_ii1_an_early_plan_never_earns_less_than_a_late_one(hue):
    early, _ = _one(hue, "so", {"II.1.ngay_ban_hanh": "15/12/2023"}, "II.1")
    late, _ = _one(hue, "so", {"II.1.ngay_ban_hanh": "01/02/2024"}, "II.1")
    assert early["score"] >= late["score"]


def test_a_date_rule_that_rewards_lateness_is_a_warning():
    raw = yaml.safe_load((FRAMEWORKS / "hue-931-2024.yaml").read_text(encoding="utf-8"))
    ii = next(p for p in raw["indicators"] if p["code"] == "II")
    ii1 = next(c for c in ii["children"] if c["code"] == "II.1")
    del ii1["rule"]["early"]  # the transcription before issue #9: 15/12/2023 scored 0, 01/02/2024 scored 5
    ids = [w["id"] for w in validate_framework(load_framework(raw))["warnings"]]
    assert "date_early_below_late/II.1" in ids


# --------------------------------------------------------------------------- Bình Định

BINHDINH_HEADER = "(Kèm theo Quyết định số     /QĐ-UBND ngày     /    /2023 của Ủy ban nhân dân tỉnh Bình Định)"


@pytest.fixture(scope="module")
def binhdinh():
    return _framework("binhdinh-kpi-2023.yaml")


def test_binhdinh_decision_number_and_date_are_blank_as_printed(binhdinh):
    # BINHDINH_HEADER: neither a number nor a date; 2268/QĐ-UBND of 22/06/2023 is not in the document
    assert "2268" not in binhdinh.source.document and binhdinh.source.date is None
    assert "để trống" in binhdinh.source.document
    assert "2268" not in (FRAMEWORKS / "binhdinh-kpi-2023.yaml").read_text(encoding="utf-8")


def test_binhdinh_lop_nhom_phan_nhom_codes_are_marked_inferred(binhdinh):
    # "5.1. Cấu trúc Bộ chỉ số … gồm 27 chỉ số và được phân bổ vào các “Lớp” và các “Nhóm chỉ số”.
    # Các “Nhóm chỉ số” lại được chia thành các “Phân nhóm”": only the 27 KPIs have a number (TT 1.–27.)
    for node, _ in binhdinh.walk():
        if node.children:
            assert node.code_origin is not None and node.code_origin.inferred, node.code
            assert "Văn bản không đánh mã" in node.code_origin.reason
        else:
            assert node.code_origin is None and node.code.isdigit()


def test_binhdinh_every_constraint_is_an_inference_with_its_reason(binhdinh):
    constraints = [c for node, _ in binhdinh.walk() for c in node.constraints]
    assert constraints and all(c.inferred and c.reason for c in constraints)


def test_binhdinh_kpi_9_numerator_is_not_part_of_its_denominator():
    # "Tỷ lệ % số bến đỗ và nhà ga có cung cấp thông tin giao thông theo thời gian thực/Tổng số bến xe
    # và nhà ga công cộng của tỉnh": bến đỗ are not bến xe, so a can exceed b
    framework = _framework("binhdinh-kpi-2023.yaml")
    kpi = _indicator(framework, "9")
    assert "số bến đỗ và nhà ga" in kpi.method and "Tổng số bến xe và nhà ga" in kpi.method
    assert kpi.constraints == []
    item, _ = _one(compile_framework(framework), "tinh", {"9.a": "120", "9.b": "10"}, "9")
    assert item["status"] == "value_only" and item["value"] == 1200


# --------------------------------------------------------------------------- 922 §5.12.1


def test_922_5121_explanation_does_not_round_across_the_3_percent_band():
    # "- Tỷ lệ = (a+b)/c … Mức 3 ≥ 3% (30% điểm) Mức 4 < 3% (0 điểm)"
    compiled = compile_framework(_framework("national-922-2022.yaml"))
    assert "Mức 3 ≥ 3% (30% điểm)" in compiled.nodes["5.12.1"].indicator.method
    item, text = _one(compiled, "tinh", {"5.12.1.a": "2.9999", "5.12.1.b": "0", "5.12.1.c": "100"}, "5.12.1")
    assert item["score"] == 0
    assert "tỷ lệ = 2,9999%" in text and "= 3%" not in text and "không đạt mức nào" in text
    item, text = _one(compiled, "tinh", {"5.12.1.a": "3", "5.12.1.b": "0", "5.12.1.c": "100"}, "5.12.1")
    assert item["score"] == 1.5 and "tỷ lệ = 3%, mức >= 3" in text


# --------------------------------------------------------------------------- Kon Tum notes


def test_kontum_notes_no_longer_say_invalid_data_counts_as_met():
    notes = (FRAMEWORKS.parents[1] / "docs" / "frameworks" / "kontum-121.md").read_text(encoding="utf-8")
    assert "still counts as met" not in notes and "xfail" not in notes
    assert "met at no level" in notes


# --------------------------------------------------------------------------- inconsistencies docs/frameworks.md missed

DOC = (FRAMEWORKS.parents[1] / "docs" / "frameworks.md").read_text(encoding="utf-8")


def _row(key: str) -> str:
    return next(line for line in DOC.splitlines() if line.startswith(f"| {key} |"))


@pytest.mark.parametrize("code, quote", [
    ("IV.2", "Các huyện, thị xã, thành phố tổ chức chỉ đạo thành lập tổ công nghệ số cộng đồng"),
    ("IV.3", "Hàng năm các huyện thị xã, thành phố chỉ đạo rà soát kiện toàn Tổ công nghệ số cộng đồng"),
    ("IV.7", "các huyện, thị xã, thành phố triển khai các giải pháp nòng cốt là Tổ công nghệ số cộng đồng"),
    ("VII.5", "Các huyện, thị xã, thành phố triển khai giải pháp số hóa địa chỉ số"),
    ("VIII.1", "Các huyện, thị xã, thành phố tổ chức các giải pháp phổ cập việc cung cấp mã QR"),
    ("VIII.2", "Các huyện, thị xã, thành phố tổ chức các giải pháp nhằm khuyến khích các doanh nghiệp"),
    ("VIII.3", "Các huyện, thị xã, thành phố tổ chức truyền thông, khuyến khích tăng trưởng thương mại điện tử"),
    ("IX.6", "Các huyện, thị xã, thành phố triển khai giải pháp số hóa các điểm du lịch"),
])
def test_hue_rows_worded_for_districts_are_marked_for_communes_too(code, quote):
    node = _indicator(_framework("hue-931-2024.yaml"), code)
    assert quote in " ".join(node.guidance.split())
    assert node.levels == ["huyen", "xa"]  # the x marks: Huyện and Xã
    assert code in _row("hue-931 #14")


@pytest.mark.parametrize("file, codes, row", [
    ("hcm-79-so.yaml", ["5.2", "5.3", "5.4"], "hcm-79 #21"),
    ("hcm-79-huyen.yaml", ["5.2", "5.3", "5.4"], "hcm-79 #21"),
    ("national-922-2022.yaml", ["5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "8.1", "8.2", "8.3", "8.4", "8.5"],
     "national-922 #13"),
])
def test_names_saying_so_luong_are_scored_as_rates(file, codes, row):
    # e.g. 922 "5.5 | Số lượng IP botnet được phát hiện, cảnh báo và xử lý, loại bỏ mã độc | … - Tỷ lệ = a/b"
    framework = _framework(file)
    for code in codes:
        node = _indicator(framework, code)
        assert node.name.startswith("Số lượng"), code
        assert "Tỷ lệ" in node.method and node.rule.kind == "ratio" and "/" in node.rule.value, code
    assert "Số lượng" in _row(row)


@pytest.mark.parametrize("file", ["hcm-79-so.yaml", "hcm-79-huyen.yaml"])
def test_hcm_6_4_counts_only_nguoi_dan_although_named_for_doanh_nghiep(file):
    # "Mức độ hài lòng của người dân, doanh nghiệp khi sử dụng DVCTT | a= Tổng số người dân tham gia đánh giá
    # mức độ hài lòng; b= Số lượng người dân đánh giá là hài lòng khi sử dụng DVCTT; - Tỷ lệ =b/a"
    node = _indicator(_framework(file), "6.4")
    assert "người dân, doanh nghiệp" in node.name
    assert [i.var for i in node.inputs] == ["a", "b"] and "doanh nghiệp" not in node.method
    national = _indicator(_framework("national-922-2022.yaml"), "6.14")  # "c = Tổng số doanh nghiệp …"
    assert [i.var for i in national.inputs] == ["a", "b", "c", "d"]
    assert "6.4" in _row("hcm-79 #22")


def test_kontum_adult_population_is_15_in_iii1_and_18_in_iii3():
    framework = _framework("kontum-121-2025.yaml")
    assert _indicator(framework, "xa.III.1").name == "Tỷ lệ dân số trưởng thành từ 15 tuổi trở lên có điện thoại thông minh"
    assert _indicator(framework, "xa.III.3").name == (
        "Tỷ lệ dân số trưởng thành từ 18 tuổi trở lên có chữ ký số hoặc chữ ký điện tử cá nhân")
    assert all("15 tuổi" in i.label for i in _indicator(framework, "xa.III.1").inputs)
    assert all("18 tuổi" in i.label for i in _indicator(framework, "xa.III.3").inputs)
    assert "15+" in _row("kontum-121 #12") and "18+" in _row("kontum-121 #12")


# --------------------------------------------------------------------------- Huế I.9


def test_hue_i9_explanation_keeps_the_rate_and_says_the_bulletins_are_too_few(hue):
    # "Số lượng bản tin tối thiểu là 5 tin trên 1 năm được xem đủ cơ sở để tính điểm. Điểm được tính trên
    # tỷ lệ người dân trên địa phương đã đọc thông tin"
    assert "Số lượng bản tin tối thiểu là 5 tin trên 1 năm" in hue.nodes["I.9"].indicator.conditions
    fields = {"I.9.a": "4", "I.9.b": "50", "I.9.c": "100"}
    item, text = _one(hue, "huyen", fields, "I.9")
    assert item["score"] == 0
    assert "tỷ lệ = 0%" not in text and "a = 4" in text and "tối thiểu là 5 tin" in text
    item, text = _one(hue, "huyen", {**fields, "I.9.a": "5"}, "I.9")
    assert item["score"] == 10 and "tỷ lệ = 50%" in text
