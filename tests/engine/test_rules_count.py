"""`count`: points per item capped at max, or a minimum count for full points."""

import pytest

from .helpers import field, framework, leaf, run, single, why


def count(max_points=10, **rule):
    return framework([leaf("1", {"kind": "count", "value": "a", **rule}, [field("a", label="Số hoạt động")],
                           max_points=max_points)])


@pytest.mark.parametrize(("items", "points"), [(0, 0.0), (1, 1.0), (3, 3.0), (5, 5.0), (9, 5.0)])
def test_count_per_item_is_capped_at_max(items, points):
    # 922 §6.21-like: "mỗi hoạt động: 1 điểm, tối đa 5 điểm"
    assert single(count(max_points=5, per_item=1), {"1.a": items}) == (points, "ok")


def test_count_per_item_fractional_points():
    assert single(count(per_item=0.5), {"1.a": 7})[0] == 3.5


def test_count_minimum_gives_full_points_from_the_minimum_on():
    # Huế I.5: "tối thiểu 24 tin bài"
    fw = count(minimum=24)
    assert single(fw, {"1.a": 24})[0] == 10.0
    assert single(fw, {"1.a": 30})[0] == 10.0


def test_count_below_minimum_is_zero_by_default():
    assert single(count(minimum=24), {"1.a": 23})[0] == 0.0


def test_count_below_minimum_proportional():
    assert single(count(minimum=24, below_minimum="proportional"), {"1.a": 12})[0] == pytest.approx(5.0)


def test_count_rejects_non_integer():
    result = run(count(per_item=1), {"u": {"1.a": "2,5"}})
    assert result.problems[0].message == "Số hoạt động: '2,5' phải là số nguyên"


def test_count_rejects_negative_with_message():
    result = run(count(per_item=1), {"u": {"1.a": -2}})
    assert result.problems[0].message == "Số hoạt động: giá trị -2 nhỏ hơn mức tối thiểu 0"
    assert result.indicators["1"].status.tolist() == [5]  # invalid


def test_count_needs_exactly_one_of_per_item_or_minimum():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="per_item"):
        run(count(), {})
    with pytest.raises(ValidationError, match="per_item"):
        run(count(per_item=1, minimum=3), {})


def test_count_explanations():
    result = run(count(max_points=5, per_item=1), {"u": {"1.a": 7}})
    assert why(result, "1", "u") == "a = 7, giá trị = 7 × 1 điểm/mục → 5/5 điểm"
    result = run(count(minimum=24), {"u": {"1.a": 20}})
    assert why(result, "1", "u") == "a = 20, giá trị = 20 (cần tối thiểu 24) → 0/10 điểm"
