"""Parsing what people type (Vietnamese style) into arrays, with per-unit, per-field messages."""

import datetime as dt

import numpy as np
import pytest

from dti.engine.data import (
    Unit,
    ValueError_,
    build_dataset,
    format_number,
    parse_date,
    parse_number,
    read_long_csv,
    read_units_csv,
)

from .helpers import AB, compiled_of, field, framework, leaf, records, run, statuses


@pytest.mark.parametrize(("text", "number"), [
    ("1234.5", 1234.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("33,33", 33.33), ("0,5", 0.5),
    ("80%", 80.0), ("80 %", 80.0), (" 12 ", 12.0), ("1 234", 1234.0), ("1\u00a0234,5", 1234.5),
    ("1.234.567", 1234567.0), ("1,234,567", 1234567.0), ("-5", -5.0), ("+7", 7.0), ("12.345.678,9", 12345678.9),
])
def test_parse_number_vietnamese_and_international(text, number):
    assert parse_number(text) == pytest.approx(number)


def test_parse_number_lone_dot_is_decimal_except_in_vietnamese_forms():
    assert parse_number("1.234") == pytest.approx(1.234)
    assert parse_number("1.234", vietnamese=True) == 1234.0
    assert parse_number("2.000.000", vietnamese=True) == 2_000_000.0


@pytest.mark.parametrize(("text", "message"), [
    ("", "chưa nhập giá trị"), ("abc", "'abc' không phải là số"), ("1,2,3", "'1,2,3' không phải là số"),
    ("12a", "'12a' không phải là số"),
])
def test_parse_number_errors_are_vietnamese(text, message):
    with pytest.raises(ValueError_, match=message):
        parse_number(text)


@pytest.mark.parametrize("text", ["31/01/2024", "2024-01-31", "31-01-2024", "31.01.2024", " 31/01/2024 "])
def test_parse_date_formats(text):
    assert parse_date(text) == dt.date(2024, 1, 31)


@pytest.mark.parametrize(("value", "text"), [
    (1234.5, "1.234,5"), (33.3333, "33,33"), (100.0, "100"), (0.5, "0,5"), (1_000_000, "1.000.000"), (np.nan, "—"),
])
def test_format_number_vietnamese(value, text):
    assert format_number(value) == text


FW = framework(
    [leaf("1", {"kind": "ratio", "value": "a / b"}, [field("a", label="Số hồ sơ trực tuyến"), field("b", label="Tổng số hồ sơ")]),
     leaf("2", {"kind": "steps", "value": "p", "steps": [{"when": ">= 50", "share": 1}]},
          [field("p", "percent", label="Tỷ lệ cán bộ")]),
     leaf("3", {"kind": "steps", "value": "m", "steps": [{"when": ">= 2", "share": 1}]},
          [field("m", "money", label="Kinh phí", unit="tỷ đồng")]),
     leaf("4", {"kind": "kpi", "value": "t"}, [field("t", "text", label="Ghi chú")])],
    general_info=[{"var": "so_cong_chuc", "label": "Số lượng công chức hiện có", "type": "integer"}],
)


def dataset(rows, units=None):
    compiled = compiled_of(FW)
    return build_dataset(compiled, units or [Unit(u, u, "so") for u in rows], records(rows))


def test_dataset_values_are_arrays_aligned_with_units_nan_when_missing():
    data = dataset({"u": {"1.a": "3"}, "v": {"1.a": "1.234,0", "1.b": "2.000"}})
    assert np.array_equal(data.values["1.a"], [3.0, 1234.0], equal_nan=True)
    assert np.isnan(data.values["1.b"][0]) and data.values["1.b"][1] == 2.0
    assert data.texts["4.t"] == [None, None]


def test_dataset_text_field_kept_as_text():
    assert dataset({"u": {"4.t": "  Đã triển khai  "}}).texts["4.t"] == ["Đã triển khai"]


def test_dataset_percent_with_sign():
    assert dataset({"u": {"2.p": "75,5%"}}).values["2.p"].tolist() == [75.5]


def test_dataset_blank_values_are_missing_not_errors():
    data = dataset({"u": {"1.a": "", "1.b": "   ", "2.p": None}})
    assert data.problems == []
    assert np.isnan(data.values["1.a"][0])


def test_dataset_unreadable_number_names_unit_field_and_label():
    problem = dataset({"u": {"1.a": "mười"}}).problems[0]
    assert (problem.unit, problem.field, problem.indicator) == ("u", "1.a", "1")
    assert problem.message == "Số hồ sơ trực tuyến: 'mười' không phải là số"


def test_dataset_non_integer_count_is_a_problem():
    assert dataset({"u": {"1.a": "2,5"}}).problems[0].message == "Số hồ sơ trực tuyến: '2,5' phải là số nguyên"


def test_dataset_infinite_number_is_a_problem():
    assert "không phải là số hữu hạn" in dataset({"u": {"1.a": float("inf")}}).problems[0].message


def test_dataset_bool_for_a_number_is_a_problem():
    assert dataset({"u": {"1.a": True}}).problems[0].message.endswith("chỉ dùng cho trường Có/Không")


def test_dataset_unknown_unit_and_field_are_problems():
    compiled = compiled_of(FW)
    data = build_dataset(compiled, [Unit("u", "", "so")], [("x", "1.a", "1"), ("u", "9.z", "1")])
    assert [(p.unit, p.field, p.message) for p in data.problems] == [
        ("x", "1.a", "đơn vị 'x' không có trong danh sách đơn vị"),
        ("u", "9.z", "trường '9.z' không có trong bộ chỉ số"),
    ]


def test_dataset_unit_and_field_names_are_trimmed():
    compiled = compiled_of(FW)
    data = build_dataset(compiled, [Unit("u", "", "so")], [(" u ", " 1.a ", "4")])
    assert data.values["1.a"].tolist() == [4.0]


def test_scoring_reports_percent_above_100_per_unit_and_field():
    result = run(FW, {"u": {"2.p": "120"}, "v": {"2.p": "60"}})
    assert statuses(result, "2") == {"u": "invalid", "v": "ok"}
    assert [(p.unit, p.field, p.message) for p in result.problems] == [
        ("u", "2.p", "Tỷ lệ cán bộ: giá trị 120 lớn hơn mức tối đa 100")]


def test_scoring_reports_negative_money():
    result = run(FW, {"u": {"3.m": "-0,5"}})
    assert result.problems[0].message == "Kinh phí: giá trị -0,5 nhỏ hơn mức tối thiểu 0"


def test_scoring_reports_every_broken_constraint_with_values():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b"}, AB,
                         constraints=[{"check": "a <= b", "message": "a không thể lớn hơn b"}])])
    result = run(fw, {"u": {"1.a": 5, "1.b": 4}, "v": {"1.a": 3, "1.b": 4}, "w": {"1.a": 9, "1.b": 1}})
    assert [(p.unit, p.message) for p in result.problems] == [
        ("u", "a không thể lớn hơn b (a = 5, b = 4)"), ("w", "a không thể lớn hơn b (a = 9, b = 1)")]
    assert statuses(result, "1") == {"u": "invalid", "v": "ok", "w": "invalid"}


def test_scoring_constraint_not_checked_when_an_input_is_missing():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b"}, AB, constraints=[{"check": "a <= b"}])])
    result = run(fw, {"u": {"1.a": 5}})
    assert result.problems == []
    assert statuses(result, "1") == {"u": "no_data"}


def test_scoring_general_information_out_of_range_is_reported():
    result = run(FW, {"u": {"info.so_cong_chuc": "-3"}})
    assert [(p.unit, p.field, p.message) for p in result.problems] == [
        ("u", "info.so_cong_chuc", "Số lượng công chức hiện có: giá trị -3 nhỏ hơn mức tối thiểu 0")]


def test_scoring_unknown_unit_level_is_a_problem():
    result = run(FW, {"u": {"1.a": 1}}, units=[Unit("u", "", "phuong")])
    assert any(p.message == "cấp 'phuong' không có trong bộ chỉ số (so)" for p in result.problems)
    assert result.rank.tolist() == [0]


def test_read_csv_files(tmp_path):
    (tmp_path / "units.csv").write_text("unit,name,level,parent\nh,Huyện A,huyen,\nx,Xã B,xa,h\n", encoding="utf-8")
    (tmp_path / "data.csv").write_text("\ufeffunit,field,value\nx,1.a,\"1,5\"\n", encoding="utf-8")
    units = read_units_csv(tmp_path / "units.csv")
    assert [(u.id, u.name, u.level, u.parent) for u in units] == [("h", "Huyện A", "huyen", None), ("x", "Xã B", "xa", "h")]
    assert read_long_csv(tmp_path / "data.csv") == [("x", "1.a", "1,5")]


def test_read_csv_missing_columns_is_a_vietnamese_error(tmp_path):
    (tmp_path / "data.csv").write_text("unit,value\nx,1\n", encoding="utf-8")
    with pytest.raises(ValueError_, match="tệp dữ liệu thiếu cột: field"):
        read_long_csv(tmp_path / "data.csv")
    (tmp_path / "units.csv").write_text("unit,level\nx,xa\n", encoding="utf-8")
    with pytest.raises(ValueError_, match="tệp đơn vị thiếu cột: name"):
        read_units_csv(tmp_path / "units.csv")


def test_scoring_does_not_use_general_information_out_of_range():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / info.so_cong_chuc"}, [field("a")])],
                   general_info=[{"var": "so_cong_chuc", "label": "Số lượng công chức hiện có", "type": "integer"}])
    result = run(fw, {"u": {"1.a": 3, "info.so_cong_chuc": -10}, "v": {"1.a": 3, "info.so_cong_chuc": 10}})
    assert statuses(result, "1") == {"u": "no_data", "v": "ok"}


def test_parsed_values_are_rows_of_one_matrix_in_batch_order():
    from dti.engine.data import build_dataset

    from .helpers import AB, compiled_of, framework, leaf

    ratio = {"kind": "ratio", "value": "a / b"}
    compiled = compiled_of(framework([leaf("1", ratio, AB), leaf("2", ratio, AB)]))
    data = build_dataset(compiled, [Unit("u", "u", "so")], [("u", "1.a", "1"), ("u", "2.b", "4")])
    matrix = data.values.matrix
    assert all(array.base is matrix for array in data.values.values())
    assert compiled.value_layout == ["1.a", "2.a", "1.b", "2.b"]
    assert matrix[:, 0].tolist()[0] == 1 and matrix[:, 0].tolist()[3] == 4
    assert np.array_equal(data.values.stacked(["1.a", "2.a"]), [1, np.nan], equal_nan=True)


def test_copied_values_stay_one_matrix_and_leave_the_original_alone():
    from dti.engine.data import Columns, copy_values

    matrix = np.arange(6.0).reshape(3, 2)
    values = Columns(matrix, ["y", "w", "x"])
    values["w"] = np.array([7.0, 8.0])  # replaced: no longer a row
    copied = copy_values(values)
    copied["x"][0] = 99
    assert matrix[2, 0] == 4 and copied["x"].tolist() == [99, 5] and copied["y"].tolist() == [0, 1]
    assert copied["x"].base is copied["y"].base is copied.matrix is not matrix
    assert copied["w"].tolist() == [7, 8] and copied.stacked(["y", "w"]) is None
    assert copied.stacked(["y"]).tolist() == [0, 1] and values.stacked(["w", "x"]) is None
    loose = copy_values({"z": np.ones(2)})
    assert loose["z"].tolist() == [1, 1]
