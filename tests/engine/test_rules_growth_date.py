"""`growth` against the previous period, and `date` deadlines."""

import datetime as dt

import pytest

from .helpers import AB, field, framework, leaf, run, scores, single, statuses, why


def growth(**rule):
    rule.setdefault("value", "a")
    return framework([leaf("6.13", {"kind": "growth", **rule}, [field("a", "number", label="Số hồ sơ trực tuyến")])])


def test_growth_at_target_is_full():
    result = run(growth(target=10), {"u": {"6.13.a": 110}}, previous={"u": {"6.13.a": 100}})
    assert scores(result, "6.13") == {"u": 10.0}


def test_growth_below_target_is_proportional():
    result = run(growth(target=10), {"u": {"6.13.a": 105}}, previous={"u": {"6.13.a": 100}})
    assert scores(result, "6.13") == {"u": 5.0}


def test_growth_decline_is_zero():
    result = run(growth(target=10), {"u": {"6.13.a": 90}}, previous={"u": {"6.13.a": 100}})
    assert scores(result, "6.13") == {"u": 0.0}
    assert result.indicators["6.13"].value.tolist() == [-10.0]


def test_growth_with_steps():
    fw = growth(steps=[{"when": ">= 20", "share": 1}, {"when": ">= 10", "share": 0.5}])
    current = {"a": {"6.13.a": 120}, "b": {"6.13.a": 115}, "c": {"6.13.a": 109}}
    previous = {u: {"6.13.a": 100} for u in current}
    assert scores(run(fw, current, previous=previous), "6.13") == {"a": 10.0, "b": 5.0, "c": 0.0}


def test_growth_of_a_ratio_compares_the_same_ratio_last_period():
    fw = framework([leaf("1", {"kind": "growth", "value": "a / b", "percent": True, "target": 50}, AB)])
    result = run(fw, {"u": {"1.a": 30, "1.b": 100}}, previous={"u": {"1.a": 20, "1.b": 100}})
    # 30% vs 20% → +50% growth → full
    assert scores(result, "1") == {"u": 10.0}


def test_growth_without_previous_period_is_no_data():
    result = run(growth(target=10), {"u": {"6.13.a": 110}})
    assert statuses(result, "6.13") == {"u": "no_data"}
    assert why(result, "6.13", "u") == (
        "a = 110, kỳ này = 110, không có số liệu kỳ trước → không có dữ liệu, mặc định 0/10 điểm"
    )


def test_growth_unit_missing_from_previous_is_no_data():
    result = run(growth(target=10), {"u": {"6.13.a": 110}, "v": {"6.13.a": 110}}, previous={"u": {"6.13.a": 100}})
    assert statuses(result, "6.13") == {"u": "ok", "v": "no_data"}


def test_growth_from_zero_is_a_zero_division_status():
    result = run(growth(target=10), {"u": {"6.13.a": 5}}, previous={"u": {"6.13.a": 0}})
    assert statuses(result, "6.13") == {"u": "no_data"}
    assert "kỳ trước = 0" in why(result, "6.13", "u")
    full = run(growth(target=10, when_zero_denominator="full"), {"u": {"6.13.a": 5}}, previous={"u": {"6.13.a": 0}})
    assert scores(full, "6.13") == {"u": 10.0}


def test_growth_explanation():
    result = run(growth(target=10), {"u": {"6.13.a": 105}}, previous={"u": {"6.13.a": 100}})
    assert why(result, "6.13", "u") == "a = 105, kỳ này = 105, kỳ trước = 100, tăng trưởng = 5% → 5/10 điểm"


def test_growth_needs_exactly_one_of_target_or_steps():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="target"):
        run(growth(), {})


# Huế II.1: "ban hành trong tháng 1: tối đa; sau đó 50%"
HUE_II_1 = framework([leaf("II.1", {
    "kind": "date", "field": "ngay",
    "steps": [{"by": "31/01", "share": 1}], "otherwise": {"share": 0.5},
}, [field("ngay", "date", label="Ngày ban hành kế hoạch")])])


@pytest.mark.parametrize(("issued", "points"), [
    ("05/01/2024", 10.0), ("31/01/2024", 10.0), ("2024-01-31", 10.0), ("01/02/2024", 5.0), ("15/12/2024", 5.0),
    (dt.date(2024, 1, 2), 10.0),
])
def test_date_issued_in_january_full_after_half_hue_ii_1(issued, points):
    assert single(HUE_II_1, {"II.1.ngay": issued}, code="II.1") == (points, "ok")


def test_date_deadline_is_in_the_framework_year():
    # 20/01/2025 is after 31/01/2024
    assert single(HUE_II_1, {"II.1.ngay": "20/01/2025"}, code="II.1")[0] == 5.0


def test_date_year_can_be_overridden_for_the_run():
    assert single(HUE_II_1, {"II.1.ngay": "20/01/2025"}, code="II.1", year=2025)[0] == 10.0


def test_date_several_deadlines_first_met_wins():
    fw = framework([leaf("1", {"kind": "date", "field": "d", "steps": [
        {"by": "31/03", "share": 1}, {"by": "30/06", "share": 0.5}]}, [field("d", "date")])])
    assert single(fw, {"1.d": "31/03/2024"})[0] == 10.0
    assert single(fw, {"1.d": "01/04/2024"})[0] == 5.0
    assert single(fw, {"1.d": "01/07/2024"})[0] == 0.0


def test_date_unreadable_is_a_problem():
    result = run(HUE_II_1, {"u": {"II.1.ngay": "31/02/2024"}})
    assert statuses(result, "II.1") == {"u": "no_data"}
    assert result.problems[0].message == "Ngày ban hành kế hoạch: '31/02/2024' không phải ngày hợp lệ (dd/mm/yyyy)"


def test_date_explanation():
    result = run(HUE_II_1, {"u": {"II.1.ngay": "15/01/2024"}, "v": {"II.1.ngay": "15/02/2024"}})
    assert why(result, "II.1", "u") == "Ngày ban hành kế hoạch: 15/01/2024 (trước hạn 31/01) → 10/10 điểm"
    assert why(result, "II.1", "v") == "Ngày ban hành kế hoạch: 15/02/2024 (sau hạn 31/01) → 5/10 điểm"


def test_date_rejects_impossible_deadline():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        run(framework([leaf("1", {"kind": "date", "field": "d", "steps": [{"by": "31/02", "share": 1}]},
                            [field("d", "date")])]), {})


def test_growth_previous_period_is_matched_by_unit_not_by_position():
    from dti.engine.data import Unit, build_dataset
    from dti.engine.scoring import score

    from .helpers import compiled_of, records

    compiled = compiled_of(growth(target=10))
    current = build_dataset(compiled, [Unit("u", "", "so"), Unit("v", "", "so"), Unit("w", "", "so")],
                            records({"u": {"6.13.a": 110}, "v": {"6.13.a": 200}, "w": {"6.13.a": 50}}))
    previous = build_dataset(compiled, [Unit("x", "", "so"), Unit("v", "", "so"), Unit("u", "", "so")],
                             records({"x": {"6.13.a": 1}, "v": {"6.13.a": 100}, "u": {"6.13.a": 100}}))
    result = score(compiled, current, previous)
    assert scores(result, "6.13") == {"u": 10.0, "v": 10.0, "w": 0.0}
    assert result.indicators["6.13"].detail["previous"][:2].tolist() == [100.0, 100.0]
    assert statuses(result, "6.13")["w"] == "no_data"
