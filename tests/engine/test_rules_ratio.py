"""`ratio`: Tỷ lệ × Điểm tối đa, with a target, and the 'lower is better' direction."""

import pytest

from .helpers import AB, field, framework, leaf, run, scores, single, statuses, why


def ratio(**rule):
    return framework([leaf("1", {"kind": "ratio", "value": "a / b", **rule}, AB)])


def test_ratio_is_share_of_max():
    assert single(ratio(), {"1.a": 1, "1.b": 3}) == (pytest.approx(10 / 3), "ok")


def test_ratio_full_ratio_gives_max():
    assert single(ratio(), {"1.a": 7, "1.b": 7}) == (10.0, "ok")


def test_ratio_below_target_is_proportional():
    # "≥ 80%: tối đa; < 80%: Tỷ lệ/80% × tối đa"
    assert single(ratio(target=80), {"1.a": 40, "1.b": 100})[0] == pytest.approx(5.0)


def test_ratio_at_or_above_target_is_full():
    fw = ratio(target=80)
    assert single(fw, {"1.a": 80, "1.b": 100})[0] == 10.0
    assert single(fw, {"1.a": 95, "1.b": 100})[0] == 10.0


def test_ratio_target_10_percent_qd79_6_13():
    # QĐ 79 §6.13 as printed: Tỷ lệ = a/b × 100%; ≥ 10%: tối đa; < 10%: Tỷ lệ/10% × tối đa
    fw = ratio(target=10)
    assert single(fw, {"1.a": 5, "1.b": 100})[0] == pytest.approx(5.0)
    assert single(fw, {"1.a": 10, "1.b": 100})[0] == 10.0


def test_ratio_above_100_percent_is_capped_at_max():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b"}, [field("a", "number"), field("b", "number")])])
    assert single(fw, {"1.a": 150, "1.b": 100})[0] == 10.0


def test_ratio_lower_direction_full_at_zero_and_falls_to_zero_at_100():
    fw = ratio(direction="lower")
    assert single(fw, {"1.a": 0, "1.b": 50})[0] == 10.0
    assert single(fw, {"1.a": 25, "1.b": 100})[0] == pytest.approx(7.5)
    assert single(fw, {"1.a": 100, "1.b": 100})[0] == 0.0


def test_ratio_lower_direction_full_at_or_below_target():
    fw = ratio(direction="lower", target=20)
    assert single(fw, {"1.a": 20, "1.b": 100})[0] == 10.0
    assert single(fw, {"1.a": 10, "1.b": 100})[0] == 10.0
    # linear from 20% (full) to 100% (zero): 60% → (100 − 60) / 80 = 0.5
    assert single(fw, {"1.a": 60, "1.b": 100})[0] == pytest.approx(5.0)


def test_ratio_scales_with_max_per_level():
    fw = framework(
        [leaf("1", {"kind": "ratio", "value": "a / b"}, AB, max_points={"huyen": 20, "xa": 10})],
        levels=[{"code": "huyen", "name": "Cấp huyện"}, {"code": "xa", "name": "Cấp xã"}],
    )
    from dti.engine.data import Unit

    result = run(fw, {"h": {"1.a": 1, "1.b": 2}, "x": {"1.a": 1, "1.b": 2}},
                 units=[Unit("h", "H", "huyen"), Unit("x", "X", "xa")])
    assert scores(result, "1") == {"h": 10.0, "x": 5.0}


def test_ratio_zero_denominator_is_no_data_by_default():
    result = run(ratio(), {"u": {"1.a": 0, "1.b": 0}})
    assert statuses(result, "1") == {"u": "no_data"}
    assert scores(result, "1") == {"u": 0.0}
    assert "mẫu số bằng 0" in why(result, "1", "u")


@pytest.mark.parametrize(
    ("how", "expected_score", "expected_status"),
    [("full", 10.0, "ok"), ("zero", 0.0, "ok"), ("not_applicable", None, "not_applicable"), ("no_data", 0.0, "no_data")],
)
def test_ratio_zero_denominator_follows_rule(how, expected_score, expected_status):
    assert single(ratio(when_zero_denominator=how), {"1.a": 0, "1.b": 0}) == (expected_score, expected_status)


def test_ratio_zero_denominator_not_applicable_shrinks_the_max():
    fw = framework([
        leaf("1", {"kind": "ratio", "value": "a / b", "when_zero_denominator": "not_applicable"}, AB),
        leaf("2", {"kind": "ratio", "value": "a / b"}, AB),
    ])
    result = run(fw, {"u": {"1.a": 0, "1.b": 0, "2.a": 1, "2.b": 1}})
    assert result.max.tolist() == [10.0]
    assert result.total.tolist() == [10.0]


def test_ratio_missing_input_is_no_data():
    assert single(ratio(), {"1.a": 3}) == (0.0, "no_data")


def test_ratio_with_sum_expression_qd79_4_1():
    # "Tỷ lệ = (a+b+c+d)/(e+f)"
    inputs = [{"var": v, "label": v, "type": "count"} for v in "abcdef"]
    fw = framework([leaf("1", {"kind": "ratio", "value": "(a + b + c + d) / (e + f)"}, inputs)])
    values = {"1.a": 1, "1.b": 1, "1.c": 1, "1.d": 1, "1.e": 4, "1.f": 4}
    assert single(fw, values)[0] == pytest.approx(5.0)


def test_ratio_uses_general_information():
    fw = framework(
        [leaf("1", {"kind": "ratio", "value": "a / info.so_cong_chuc"}, [field("a")])],
        general_info=[{"var": "so_cong_chuc", "label": "Số lượng công chức hiện có", "type": "integer"}],
    )
    assert single(fw, {"1.a": 30, "info.so_cong_chuc": 120})[0] == pytest.approx(2.5)
    assert single(fw, {"1.a": 30})[1] == "no_data"


def test_ratio_rejects_zero_target():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="lớn hơn 0"):
        run(ratio(target=0), {})


def test_ratio_lower_rejects_target_of_100():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="nhỏ hơn 100"):
        run(ratio(direction="lower", target=100), {})
