"""Vietnamese explanations: 'a = 1, b = 3, tỷ lệ = 33,33% → 3,33/10 điểm'."""

from pathlib import Path

import yaml

from dti.engine.data import Unit, build_dataset, read_long_csv

from .helpers import AB, compiled_of, field, framework, leaf, run, why

ROOT = Path(__file__).resolve().parents[2]


def test_explain_ratio_document_example():
    fw = framework([leaf("1.2", {"kind": "ratio", "value": "a / b"}, AB)])
    assert why(run(fw, {"so-a": {"1.2.a": 1, "1.2.b": 3}}), "1.2", "so-a") == "a = 1, b = 3, tỷ lệ = 33,33% → 3,33/10 điểm"


def test_explain_readme_example_framework():
    # docs/framework-format.md: so-a gets 13,33 points, 1.2 explained as above
    compiled = compiled_of(yaml.safe_load((ROOT / "docs/examples/vidu/framework.yaml").read_text(encoding="utf-8")))
    data = build_dataset(compiled, [Unit("so-a", "so-a", "so")],
                         [("so-a", "1.1.truong_ban", "giam_doc"), ("so-a", "1.2.a", "1"), ("so-a", "1.2.b", "3")])
    from dti.engine.scoring import score

    result = score(compiled, data)
    unit = result.unit_result(0)
    assert unit["total"] == 13.3333
    assert unit["indicators"]["1.2"]["explain"] == "a = 1, b = 3, tỷ lệ = 33,33% → 3,33/10 điểm"


def test_explain_ratio_with_target_and_lower_direction():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b", "target": 80}, AB),
                    leaf("2", {"kind": "ratio", "value": "a / b", "direction": "lower", "target": 20}, AB)])
    result = run(fw, {"u": {"1.a": 40, "1.b": 100, "2.a": 60, "2.b": 100}})
    assert why(result, "1", "u") == "a = 40, b = 100, tỷ lệ = 40% (đạt tối đa khi ≥ 80%) → 5/10 điểm"
    assert why(result, "2", "u") == "a = 60, b = 100, tỷ lệ = 60% (càng thấp càng tốt; tối đa khi ≤ 20%) → 5/10 điểm"


def test_explain_parent_is_sum_of_children():
    fw = framework([{"code": "1", "name": "Nhận thức số", "children": [
        leaf("1.1", {"kind": "ratio", "value": "a / b"}, AB), leaf("1.2", {"kind": "ratio", "value": "a / b"}, AB)]}])
    result = run(fw, {"u": {"1.1.a": 1, "1.1.b": 2, "1.2.a": 1, "1.2.b": 1}})
    assert why(result, "1", "u") == "Tổng các chỉ số thành phần → 15/20 điểm"


def test_explain_zero_denominator():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b", "when_zero_denominator": "not_applicable"}, AB),
                    leaf("2", {"kind": "ratio", "value": "a / b"}, AB)])
    result = run(fw, {"u": {"1.a": 1, "1.b": 0, "2.a": 0, "2.b": 0}})
    assert why(result, "1", "u") == (
        "a = 1, b = 0: mẫu số bằng 0, không tính được giá trị → không áp dụng, không tính vào tổng")
    assert why(result, "2", "u") == (
        "a = 0, b = 0: mẫu số bằng 0, không tính được giá trị → không có dữ liệu, mặc định 0/10 điểm")


def test_explain_invalid_data():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b"}, AB, constraints=[{"check": "a <= b"}])])
    assert why(run(fw, {"u": {"1.a": 5, "1.b": 4}}), "1", "u") == (
        "a = 5, b = 4, tỷ lệ = 125% → dữ liệu không hợp lệ, mặc định 0/10 điểm")


def test_explain_kpi_has_no_points():
    fw = framework([leaf("1", {"kind": "kpi", "value": "a / b", "percent": True}, AB, max_points=None),
                    leaf("2", {"kind": "kpi", "value": "a"}, [field("a", "number")], max_points=None, unit="tỷ đồng")],
                   scored=False)
    result = run(fw, {"u": {"1.a": 1, "1.b": 4, "2.a": "1234,5"}})
    assert why(result, "1", "u") == "a = 1, b = 4, tỷ lệ = 25%"
    assert why(result, "2", "u") == "a = 1.234,5, giá trị = 1.234,5 tỷ đồng"
    unit = result.unit_result(0)
    assert unit["indicators"]["1"] == {"score": None, "max": None, "status": "value_only", "value": 25.0,
                                       "explain": "a = 1, b = 4, tỷ lệ = 25%"}
    assert unit["rank"] is None and unit["total"] is None


def test_explain_numbers_use_vietnamese_separators():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b"}, AB, max_points=1000)])
    assert why(run(fw, {"u": {"1.a": 2000, "1.b": 3000}}), "1", "u") == (
        "a = 2.000, b = 3.000, tỷ lệ = 66,67% → 666,67/1.000 điểm")


def test_explain_every_status_of_the_readme_data(tmp_path):
    fw = yaml.safe_load((ROOT / "docs/examples/vidu/framework.yaml").read_text(encoding="utf-8"))
    compiled = compiled_of(fw)
    records = read_long_csv(ROOT / "docs/examples/vidu/data.csv")
    units = [Unit(u, u, "so") for u in dict.fromkeys(r[0] for r in records)]
    from dti.engine.scoring import score

    result = score(compiled, build_dataset(compiled, units, records))
    for position in range(len(units)):
        for code, entry in result.unit_result(position)["indicators"].items():
            assert entry["explain"], (code, position)
            assert "nan" not in entry["explain"].lower()
