"""Maturity levels (Kon Tum QĐ 121): highest level where every applicable criterion is met;
the district's general criterion comes from its communes' levels in the same run."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dti.engine.data import Unit

from .helpers import AB, field, framework, run, statuses, why

LEVEL_NAMES = ["Khởi động", "Kết nối", "Cơ bản", "Nâng cao", "Toàn diện"]


def criterion(code, maturity, inputs, **extra):
    return {"code": code, "name": f"Tiêu chí {code}", "inputs": inputs, "maturity": maturity, **extra}


def steps(*whens):
    return [None if w is None else {"when": w, "text": w} for w in whens]


KONTUM = framework(
    [
        {"code": "xa.I", "name": "Chính quyền số", "levels": ["xa"], "children": [
            # xa.I.1: tỷ lệ TTHC DVC trực tuyến toàn trình 50/60/70/100/100 %
            criterion("xa.I.1", {"field": "ty_le", "levels": steps(">= 50", ">= 60", ">= 70", ">= 100", ">= 100")},
                      [field("ty_le", "percent", label="Tỷ lệ TTHC DVCTT toàn trình")]),
            # xa.I.4: có sử dụng hệ thống báo cáo — không áp dụng ở mức 1, 2
            criterion("xa.I.4", {"field": "co", "levels": steps(None, None, "== 1", "== 1", "== 1")},
                      [field("co", "yes_no", label="Có sử dụng hệ thống báo cáo")]),
            # xa.I.3: tỷ lệ văn bản xử lý trên môi trường mạng 60/70/80/90/100 %
            criterion("xa.I.3", {"value": "a / b", "percent": True,
                                 "levels": steps(">= 60", ">= 70", ">= 80", ">= 90", ">= 100")}, AB,
                      constraints=[{"check": "a <= b", "message": "Số được tính (a) không thể lớn hơn tổng số (b)"}]),
        ]},
        {"code": "huyen.I", "name": "Chỉ tiêu chung", "levels": ["huyen"], "children": [
            criterion("huyen.I.1", {"child_level": "xa", "children": [
                {"all_at_least": 1, "text": "100% xã đạt mức khởi động"},
                {"all_at_least": 1, "share_at_least": 2, "min_share": 50},
                {"all_at_least": 2, "share_at_least": 3, "min_share": 50},
                {"all_at_least": 3, "share_at_least": 4, "min_share": 50},
                {"all_at_least": 4, "share_at_least": 5, "min_share": 50},
            ]}, []),
            criterion("huyen.I.2", {"field": "ty_le", "levels": steps(">= 50", ">= 60", ">= 70", ">= 80", ">= 90")},
                      [field("ty_le", "percent")]),
        ]},
    ],
    levels=[{"code": "xa", "name": "Cấp xã"}, {"code": "huyen", "name": "Cấp huyện"}],
    scored=False,
    maturity_levels=[{"level": i + 1, "name": n} for i, n in enumerate(LEVEL_NAMES)],
)


def commune(ty_le=None, co=None, a=None, b=None, **extra):
    row = {"xa.I.1.ty_le": ty_le, "xa.I.4.co": co, "xa.I.3.a": a, "xa.I.3.b": b, **extra}
    return {k: v for k, v in row.items() if v is not None}


def levels_of(rows, units=None):
    result = run(KONTUM, rows, units=units or [Unit(u, u, "xa") for u in rows])
    return {u.id: int(result.maturity[i]) for i, u in enumerate(result.data.units)}, result


@pytest.mark.parametrize(("row", "level"), [
    (commune(65, "không", 75, 100), 2),   # "Không" only matters from level 3
    (commune(100, "có", 100, 100), 5),
    (commune(100, "có", 85, 100), 3),     # xa.I.3 stops at 80%
    (commune(72, "có", 100, 100), 3),     # xa.I.1 stops at 70%
    (commune(40, "có", 100, 100), 0),     # below level 1 on xa.I.1: chưa đạt mức 1
    (commune(100, None, 100, 100), 2),    # no data on a criterion that applies only from level 3
    (commune(100, "có"), 0),              # no data on a criterion that applies at every level
    (commune(50, "có", 3, 5), 1),         # boundaries inclusive: 50% and 60%
])
def test_maturity_highest_level_where_every_applicable_criterion_is_met(row, level):
    assert levels_of({"x": row})[0] == {"x": level}


def test_maturity_exempt_criterion_is_left_out():
    assert levels_of({"x": commune(100, "có", **{"xa.I.3.status": "exempt"})})[0] == {"x": 5}


def test_maturity_criterion_with_invalid_data_is_not_met():
    # a > b breaks the constraint: the 200% must not count as meeting every threshold
    levels, result = levels_of({"x": commune(100, "có", 10, 5)})
    assert statuses(result, "xa.I.3") == {"x": "invalid"}
    assert levels == {"x": 0}
    assert result.problems[0].message == "Số được tính (a) không thể lớn hơn tổng số (b) (a = 10, b = 5)"


def test_maturity_criterion_out_of_range_is_not_met():
    assert levels_of({"x": commune(130, "có", 100, 100)})[0] == {"x": 0}


def test_maturity_district_criterion_from_communes_levels():
    units = [Unit("h", "Huyện", "huyen"),
             Unit("x1", "", "xa", "h"), Unit("x2", "", "xa", "h"), Unit("x3", "", "xa", "h")]
    rows = {
        "h": {"huyen.I.2.ty_le": 95},
        "x1": commune(65, "có", 75, 100),   # level 2
        "x2": commune(55, "có", 65, 100),   # level 1
        "x3": commune(100, "có", 85, 100),  # level 3
    }
    levels, result = levels_of(rows, units)
    assert levels == {"h": 2, "x1": 2, "x2": 1, "x3": 3}
    # 100% ≥ mức 1 and 2/3 ≥ mức 2 → mức 2; not mức 3 (x2 is below mức 2)
    h = result.data.index["h"]
    assert int(result.indicators["huyen.I.1"].detail["level"][h]) == 2
    assert why(result, "huyen.I.1", "h") == "3 đơn vị trực thuộc, tính theo mức chấm từ số liệu → đạt ngưỡng mức 2 (Kết nối)"


def test_maturity_district_needs_half_of_communes_at_the_level():
    units = [Unit("h", "", "huyen"), Unit("x1", "", "xa", "h"), Unit("x2", "", "xa", "h"), Unit("x3", "", "xa", "h")]
    rows = {"h": {"huyen.I.2.ty_le": 95},
            "x1": commune(65, "có", 75, 100), "x2": commune(55, "có", 65, 100), "x3": commune(55, "có", 65, 100)}
    assert levels_of(rows, units)[0]["h"] == 1  # 1/3 at mức 2 < 50%


def test_maturity_district_limited_by_its_own_criteria():
    units = [Unit("h", "", "huyen"), Unit("x1", "", "xa", "h")]
    rows = {"h": {"huyen.I.2.ty_le": 55}, "x1": commune(100, "có", 100, 100)}
    assert levels_of(rows, units)[0] == {"h": 1, "x1": 5}


def test_maturity_district_without_communes_reaches_no_level():
    levels, result = levels_of({"h": {"huyen.I.2.ty_le": 95}}, [Unit("h", "", "huyen")])
    assert levels == {"h": 0}
    assert why(result, "huyen.I.1", "h").startswith("Không có đơn vị cấp xã trực thuộc")


def test_maturity_communes_of_another_district_do_not_count():
    units = [Unit("h1", "", "huyen"), Unit("h2", "", "huyen"),
             Unit("x1", "", "xa", "h1"), Unit("x2", "", "xa", "h2")]
    rows = {"h1": {"huyen.I.2.ty_le": 95}, "h2": {"huyen.I.2.ty_le": 95},
            "x1": commune(100, "có", 100, 100), "x2": commune(40)}
    levels = levels_of(rows, units)[0]
    assert levels["h1"] == 5
    assert levels["h2"] == 0


def test_maturity_criteria_of_another_level_do_not_apply():
    levels, result = levels_of({"x": commune(100, "có", 100, 100)})
    assert statuses(result, "huyen.I.2") == {"x": "not_applicable"}
    assert levels == {"x": 5}


def test_maturity_ranks_by_level_within_the_same_level():
    levels, result = levels_of({"a": commune(65, "có", 75, 100), "b": commune(100, "có", 100, 100),
                                "c": commune(65, "có", 75, 100)})
    assert result.rank.tolist() == [2, 1, 2]


def test_maturity_output_has_no_points():
    _, result = levels_of({"x": commune(65, "không", 75, 100)})
    unit = result.unit_result(0)
    assert unit["maturity"] == 2
    assert unit["total"] is None and unit["percent"] is None
    assert unit["indicators"]["xa.I.1"]["level"] == 5 - 3  # its own threshold level: 60% ≤ 65% < 70%
    assert unit["indicators"]["xa.I.1"]["score"] is None


def test_maturity_criterion_explanation():
    _, result = levels_of({"x": commune(65, "không", 75, 100)})
    assert why(result, "xa.I.3", "x") == "a = 75, b = 100, giá trị = 75% → đạt ngưỡng mức 2 (Kết nối)"
    assert why(result, "xa.I.4", "x") == "Có sử dụng hệ thống báo cáo: Không → chưa đạt ngưỡng mức nào"
    _, result = levels_of({"x": commune(65)})
    assert why(result, "xa.I.3", "x") == "không có dữ liệu → không đạt mức nào"


def test_maturity_threshold_count_must_match_the_levels():
    from .helpers import compile_framework, load_framework

    fw = framework([criterion("1", {"field": "c", "levels": steps(">= 1", ">= 2")}, [field("c")])],
                   scored=False, maturity_levels=[{"level": i + 1, "name": n} for i, n in enumerate(LEVEL_NAMES)])
    issues = compile_framework(load_framework(fw)).issues
    assert issues[0]["message"] == "có 2 ngưỡng nhưng bộ tiêu chí có 5 mức độ"


# Kon Tum xã II.4, mức 5: "Có 3 doanh nghiệp, hợp tác xã trở lên hoặc 100% doanh nghiệp, hợp tác xã trên địa bàn"
BUSINESSES = framework(
    [criterion("II.4", {"value": "a", "levels": [
        None, None, {"when": ">= 1"}, {"when": ">= 2"},
        {"text": "Có 3 doanh nghiệp, hợp tác xã trở lên hoặc 100% doanh nghiệp, hợp tác xã trên địa bàn", "any": [
            {"when": ">= 3", "text": "Có 3 doanh nghiệp, hợp tác xã trở lên"},
            {"value": "a / b", "percent": True, "when": ">= 100", "text": "100% doanh nghiệp, hợp tác xã trên địa bàn"},
        ]}]}, AB, constraints=[{"check": "a <= b"}])],
    levels=[{"code": "xa", "name": "Cấp xã"}], scored=False,
    maturity_levels=[{"level": i + 1, "name": n} for i, n in enumerate(LEVEL_NAMES)],
)


def _met(result, code: str, unit: str) -> list[int]:
    position = result.data.index[unit]
    return [level + 1 for level in range(5) if result.indicators[code].detail["met"][level][position]]


@pytest.mark.parametrize(("a", "b", "met"), [
    (3, 10, [1, 2, 3, 4, 5]),  # "Có 3 … trở lên"
    (2, 2, [1, 2, 3, 4, 5]),  # "… hoặc 100%"
    (1, 1, [1, 2, 3, 5]),  # 100% of one business: level 5 by its second condition, level 4 needs 2
    (2, 5, [1, 2, 3, 4]),
    (0, 0, [1, 2]),  # no business: 0/0 is not 100%
])
def test_maturity_or_cell_is_met_by_either_condition(a, b, met):
    result = run(BUSINESSES, {"x": {"II.4.a": a, "II.4.b": b}}, units=[Unit("x", "Xã", "xa")])
    assert _met(result, "II.4", "x") == met
    assert statuses(result, "II.4") == {"x": "ok"}


def test_maturity_or_cell_explanation_names_the_condition_that_held():
    result = run(BUSINESSES, {"hai": {"II.4.a": 2, "II.4.b": 2}, "bon": {"II.4.a": 4, "II.4.b": 9}},
                 units=[Unit("hai", "Xã", "xa"), Unit("bon", "Xã", "xa")])
    assert why(result, "II.4", "hai") == ('a = 2, b = 2, giá trị = 2 → đạt ngưỡng mức 5 (Toàn diện), theo điều kiện '
                                          '"100% doanh nghiệp, hợp tác xã trên địa bàn"')
    assert why(result, "II.4", "bon").endswith('theo điều kiện "Có 3 doanh nghiệp, hợp tác xã trở lên"')


def test_maturity_or_cell_with_invalid_data_is_not_met():
    result = run(BUSINESSES, {"x": {"II.4.a": 5, "II.4.b": 4}}, units=[Unit("x", "Xã", "xa")])
    assert statuses(result, "II.4") == {"x": "invalid"}
    assert _met(result, "II.4", "x") == [1, 2]


def test_maturity_or_cell_without_its_own_total_is_decided_by_the_count():
    result = run(BUSINESSES, {"x": {"II.4.a": 3}}, units=[Unit("x", "Xã", "xa")])
    assert _met(result, "II.4", "x") == [1, 2, 3, 4, 5]


def test_maturity_cell_cannot_have_both_when_and_any():
    from dti.engine import load_framework

    fw = framework([criterion("1", {"value": "a", "levels": [{"when": ">= 1", "any": [
        {"when": ">= 3"}, {"when": ">= 4"}]}] + [None] * 4}, AB)], scored=False,
        maturity_levels=[{"level": i + 1, "name": n} for i, n in enumerate(LEVEL_NAMES)])
    with pytest.raises(ValueError, match="không ghi cả hai"):
        load_framework(fw)


# the "hoặc" cell against each of its conditions written as a criterion of its own
SPLIT = framework(
    [criterion("or", {"value": "a", "levels": [{"any": [{"when": ">= 3"}, {"value": "a / b", "percent": True,
                                                                        "when": ">= 100"}]}] + [None] * 4},
               AB),
     criterion("count", {"value": "a", "levels": [{"when": ">= 3"}] + [None] * 4}, AB),
     criterion("share", {"value": "a / b", "percent": True, "levels": [{"when": ">= 100"}] + [None] * 4}, AB)],
    levels=[{"code": "xa", "name": "Cấp xã"}], scored=False,
    maturity_levels=[{"level": i + 1, "name": n} for i, n in enumerate(LEVEL_NAMES)],
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 6)), st.one_of(st.none(), st.integers(0, 6))),
                     min_size=1, max_size=8))
def test_maturity_or_cell_is_met_exactly_where_one_of_its_conditions_alone_is(rows):
    data = {f"x{i}": {f"{code}.{var}": value for code in ("or", "count", "share") for var, value in zip("ab", row)
                      if value is not None} for i, row in enumerate(rows)}
    result = run(SPLIT, data, units=[Unit(f"x{i}", "Xã", "xa") for i in range(len(rows))])
    met = {code: result.indicators[code].detail["met"][0] for code in ("or", "count", "share")}
    known = result.indicators["count"].status == 0  # the criterion's own value (a) is given
    assert (met["or"] == ((met["count"] | met["share"]) & known)).all()


def test_maturity_district_uses_communes_recognised_levels():
    from dti.engine.data import build_dataset
    from dti.engine.scoring import score

    from .helpers import compiled_of, records

    units = [Unit("h", "Huyện", "huyen"),
             Unit("x1", "", "xa", "h"), Unit("x2", "", "xa", "h"), Unit("x3", "", "xa", "h")]
    rows = {"h": {"huyen.I.2.ty_le": 95},
            "x1": commune(65, "có", 75, 100), "x2": commune(55, "có", 65, 100), "x3": commune(100, "có", 85, 100)}
    compiled = compiled_of(KONTUM)
    data = build_dataset(compiled, units, records(rows))
    # the council recognised x2 at mức 2 (its data says mức 1) and x1 at mức 1
    result = score(compiled, data, recognised={"x1": 1, "x2": 2})
    h = result.data.index["h"]
    assert int(result.indicators["huyen.I.1"].detail["level"][h]) == 2  # 3/3 ≥ 1, 2/3 ≥ 2
    assert int(result.indicators["huyen.I.1"].detail["recognised_children"][h]) == 2
    assert why(result, "huyen.I.1", "h").startswith("3 đơn vị trực thuộc: 2 tính theo mức độ được công nhận, 1 theo")
    every = score(compiled, data, recognised={"x1": 1, "x2": 1, "x3": 1})
    assert int(every.maturity[h]) == 1
    assert "tính theo mức độ được công nhận" in why(every, "huyen.I.1", "h")
    # the council's level is the commune's result; its criteria still show what the data reach
    x3 = every.data.index["x3"]
    assert int(every.maturity[x3]) == 1
    assert int(every.indicators["xa.I.1"].detail["level"][x3]) == 5
