"""Missing data and applicability: no data → 0, no_content → full, exempt → excluded (+ rescale)."""

import pytest

from dti.engine.data import Unit

from .helpers import AB, field, framework, leaf, maxima, run, scores, statuses, why

TWO = [
    leaf("1", {"kind": "ratio", "value": "a / b"}, AB),
    leaf("2", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")]),
]


def two(**policies):
    return framework(TWO, policies=policies)


def totals(result):
    return {u.id: (round(float(result.total[i]), 4), round(float(result.max[i]), 4))
            for i, u in enumerate(result.data.units)}


def test_policy_no_data_scores_zero_and_keeps_the_max():
    result = run(two(), {"u": {"2.c": "có"}})
    assert statuses(result, "1") == {"u": "no_data"}
    assert totals(result) == {"u": (10.0, 20.0)}
    assert why(result, "1", "u") == "a = chưa nhập, b = chưa nhập → không có dữ liệu, mặc định 0/10 điểm"


def test_policy_no_data_excluded_when_configured():
    result = run(two(missing_data="exclude"), {"u": {"2.c": "có"}})
    assert scores(result, "1") == {"u": None}
    assert totals(result) == {"u": (10.0, 10.0)}
    assert why(result, "1", "u").endswith("không có dữ liệu, không tính vào tổng")


@pytest.mark.parametrize("word", ["no_content", "không có nội dung", "Không có nội dung", "khong_co_noi_dung"])
def test_policy_no_content_scores_full(word):
    result = run(two(), {"u": {"1.status": word, "2.c": "không"}})
    assert statuses(result, "1") == {"u": "no_content"}
    assert scores(result, "1") == {"u": 10.0}
    assert why(result, "1", "u") == "Đơn vị không có nội dung này → 10/10 điểm"


def test_policy_no_content_overrides_entered_data():
    result = run(two(), {"u": {"1.status": "no_content", "1.a": 0, "1.b": 5}})
    assert scores(result, "1") == {"u": 10.0}


def test_policy_no_content_excluded_or_zero_when_configured():
    excluded = run(two(no_content="exclude"), {"u": {"1.status": "no_content", "2.c": "có"}})
    assert totals(excluded) == {"u": (10.0, 10.0)}
    zero = run(two(no_content="zero"), {"u": {"1.status": "no_content", "2.c": "có"}})
    assert totals(zero) == {"u": (10.0, 20.0)}


@pytest.mark.parametrize("word", ["exempt", "miễn", "Miễn đánh giá"])
def test_policy_exempt_is_excluded_from_the_max(word):
    result = run(two(), {"u": {"1.status": word, "2.c": "có"}})
    assert statuses(result, "1") == {"u": "exempt"}
    assert scores(result, "1") == {"u": None}
    assert maxima(result, "1") == {"u": 0.0}
    assert totals(result) == {"u": (10.0, 10.0)}
    assert why(result, "1", "u") == "Đơn vị được miễn đánh giá → không tính vào tổng điểm tối đa"


def test_policy_exempt_full_when_configured():
    result = run(two(exempt="full"), {"u": {"1.status": "exempt", "2.c": "không"}})
    assert totals(result) == {"u": (10.0, 20.0)}


def test_policy_rescale_is_percent_of_the_applicable_max_and_ranks_by_it():
    # QĐ 931 §II.3.c: A is exempt from 1 and has 9/10 (90%); B has 15/20 (75%)
    rows = {"A": {"1.status": "exempt", "2.c": "có"}, "B": {"1.a": 1, "1.b": 2, "2.c": "có"}}
    rows["A"]["2.c"] = "có"
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b"}, AB),
                    leaf("2", {"kind": "yes_no", "field": "c", "yes": {"points": 9}}, [field("c", "yes_no")])],
                   policies={"rescale": True})
    result = run(fw, rows)
    assert totals(result) == {"A": (9.0, 10.0), "B": (14.0, 20.0)}
    assert result.percent.tolist() == [90.0, 70.0]
    assert result.rank.tolist() == [1, 2]
    plain = fw | {"policies": {"rescale": False}}
    assert run(plain, rows).rank.tolist() == [2, 1]


def test_policy_indicator_not_for_this_level_is_always_excluded():
    fw = framework([leaf("1", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")], levels=["huyen"]),
                    leaf("2", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")])],
                   levels=[{"code": "huyen", "name": "Huyện"}, {"code": "xa", "name": "Xã"}])
    result = run(fw, {"x": {"2.c": "có"}}, units=[Unit("x", "", "xa")])
    assert statuses(result, "1") == {"x": "not_applicable"}
    assert totals(result) == {"x": (10.0, 10.0)}
    assert why(result, "1", "x") == "Không áp dụng cho cấp này"


def test_policy_max_points_missing_for_a_level_means_not_applicable():
    fw = framework([leaf("1", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")], max_points={"huyen": 20}),
                    leaf("2", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")], max_points={"huyen": 5, "xa": 10})],
                   levels=[{"code": "huyen", "name": "Huyện"}, {"code": "xa", "name": "Xã"}])
    result = run(fw, {"h": {"1.c": "có", "2.c": "có"}, "x": {"2.c": "có"}},
                 units=[Unit("h", "", "huyen"), Unit("x", "", "xa")])
    assert totals(result) == {"h": (25.0, 25.0), "x": (10.0, 10.0)}


def test_policy_data_for_a_level_without_the_indicator_is_a_warning():
    fw = framework([leaf("1", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")], levels=["huyen"])],
                   levels=[{"code": "huyen", "name": "Huyện"}, {"code": "xa", "name": "Xã"}])
    result = run(fw, {"x": {"1.c": "có"}}, units=[Unit("x", "", "xa")])
    assert [(p.severity, p.message) for p in result.problems] == [
        ("warning", "trường '1.c' không áp dụng cho cấp 'xa'")]


def test_policy_unknown_status_word_is_a_problem():
    result = run(two(), {"u": {"1.status": "bỏ qua"}})
    assert result.problems[0].message == "trạng thái 'bỏ qua' không hợp lệ (dùng: no_content, exempt)"
    assert statuses(result, "1") == {"u": "no_data"}


def test_policy_status_on_a_parent_applies_to_its_indicators():
    # "2.status = exempt" exempts the whole pillar 2 — it must not be silently ignored
    fw = framework([
        {"code": "1", "name": "Trụ cột 1", "children": [leaf("1.1", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")])]},
        {"code": "2", "name": "Trụ cột 2", "children": [
            leaf("2.1", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")]),
            leaf("2.2", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")]),
        ]},
    ])
    result = run(fw, {"u": {"1.1.c": "có", "2.status": "exempt", "2.1.c": "không"}})
    assert statuses(result, "2.1") == {"u": "exempt"}
    assert statuses(result, "2.2") == {"u": "exempt"}
    assert totals(result) == {"u": (10.0, 10.0)}


def test_policy_leaf_status_wins_over_its_parent():
    fw = framework([{"code": "2", "name": "Trụ cột 2", "children": [
        leaf("2.1", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")]),
        leaf("2.2", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no")]),
    ]}])
    result = run(fw, {"u": {"2.status": "exempt", "2.1.status": "no_content"}})
    assert statuses(result, "2.1") == {"u": "no_content"}
    assert statuses(result, "2.2") == {"u": "exempt"}
    assert totals(result) == {"u": (10.0, 10.0)}


def test_policy_everything_exempt_gives_no_percent():
    result = run(two(rescale=True), {"u": {"1.status": "exempt", "2.status": "exempt"}, "v": {"2.c": "có"}})
    assert totals(result)["u"] == (0.0, 0.0)
    assert result.unit_result(0, with_explain=False)["percent"] is None
