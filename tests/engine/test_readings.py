"""Readings: an indicator declares the ways its document can be read; a run picks one."""

import pytest
from pydantic import ValidationError

from dti.engine import compile_framework, load_framework
from dti.engine.data import build_dataset
from dti.engine.readings import ReadingError, parse_choices
from dti.engine.scoring import score
from dti.engine.validate import validate_framework

from .helpers import AB, framework, records, units_of

LITERAL = {"kind": "ratio", "value": "a / b", "target": 10}
GROWTH = {"kind": "ratio", "value": "(a - b) / b", "target": 10}


def with_readings(readings: list[dict]) -> dict:
    return framework([{"code": "6.13", "name": "Tỷ lệ hồ sơ trực tuyến", "max_points": 10,
                       "inputs": [dict(f, type="percent") for f in AB], "readings": readings}])


TWO = with_readings([
    {"name": "literal", "label": "Đúng chữ", "text": "Tỷ lệ = (a/b) × 100%", "default": True, "rule": LITERAL},
    {"name": "growth", "label": "Mức tăng", "rule": GROWTH},
])


def points(fw: dict, rows: dict, choices: dict | None = None) -> dict:
    compiled = compile_framework(load_framework(fw), choices)
    result = score(compiled, build_dataset(compiled, units_of(rows), records(rows)))
    return {u["unit"]: (u["indicators"]["6.13"]["score"], u["indicators"]["6.13"].get("reading"))
            for u in result.to_dict()["units"]}


def test_default_reading_scores_when_none_is_chosen():
    # a = 60%, b = 55%: a/b = 109% ≥ 10% → full; growth (60 − 55)/55 = 9,09% → 9,09 points
    assert points(TWO, {"u": {"6.13.a": "60", "6.13.b": "55"}}) == {"u": (10.0, "literal")}


def test_chosen_reading_scores_and_is_named_in_the_result():
    got = points(TWO, {"u": {"6.13.a": "60", "6.13.b": "55"}}, {"6.13": "growth"})
    assert got == {"u": (9.0909, "growth")}


def test_result_lists_the_reading_of_every_indicator_that_has_readings():
    compiled = compile_framework(load_framework(TWO), {"6.13": "growth"})
    rows = {"u": {"6.13.a": "1", "6.13.b": "1"}}
    result = score(compiled, build_dataset(compiled, units_of(rows), records(rows))).to_dict()
    assert result["readings"] == {"6.13": "growth"}


def test_unknown_reading_is_refused_with_the_names_there_are():
    with pytest.raises(ReadingError, match="không có cách đọc 'tang_truong' \\(có: literal, growth\\)"):
        compile_framework(load_framework(TWO), {"6.13": "tang_truong"})


def test_reading_for_an_indicator_without_readings_is_refused():
    with pytest.raises(ReadingError, match="chỉ số '9.9' không có cách đọc nào"):
        compile_framework(load_framework(TWO), {"9.9": "growth"})


def test_choices_are_parsed_from_code_equals_name():
    assert parse_choices(["6.13=growth", " 3.3 = so_annex "]) == {"6.13": "growth", "3.3": "so_annex"}
    with pytest.raises(ReadingError, match="MÃ_CHỈ_SỐ=TÊN_CÁCH_ĐỌC"):
        parse_choices(["6.13"])


@pytest.mark.parametrize("readings, message", [
    ([{"name": "x", "label": "x", "rule": LITERAL}], "ít nhất hai"),
    ([{"name": "x", "label": "x", "rule": LITERAL}, {"name": "y", "label": "y", "rule": GROWTH}], "đúng một"),
    ([{"name": "x", "label": "x", "default": True, "rule": LITERAL},
      {"name": "x", "label": "y", "rule": GROWTH}], "trùng"),
])
def test_readings_need_two_distinct_names_and_one_default(readings, message):
    with pytest.raises(ValidationError, match=message):
        load_framework(with_readings(readings))


def test_an_indicator_with_readings_has_no_rule_of_its_own():
    fw = with_readings(TWO["indicators"][0]["readings"])
    fw["indicators"][0]["rule"] = LITERAL
    with pytest.raises(ValidationError, match="không ghi 'rule'"):
        load_framework(fw)


def test_validator_checks_every_reading_not_only_the_default():
    fw = with_readings([
        {"name": "literal", "label": "Đúng chữ", "default": True, "rule": LITERAL},
        {"name": "half", "label": "Một nửa", "rule": {
            "kind": "steps", "value": "a / b", "steps": [{"when": ">= 1", "share": 0.5}]}},
        {"name": "broken", "label": "Sai biến", "rule": {"kind": "ratio", "value": "a / c"}},
    ])
    report = validate_framework(load_framework(fw))
    assert [e["message"] for e in report["errors"]] == [
        "cách đọc 'broken': biểu thức 'a / c' dùng biến 'c' chưa khai báo trong inputs"]
    compiled = compile_framework(load_framework(fw), {"6.13": "literal"})
    assert compiled.readings == {"6.13": "literal"}


def test_validator_warns_of_a_reading_that_never_reaches_the_maximum():
    fw = with_readings([
        {"name": "literal", "label": "Đúng chữ", "default": True, "rule": LITERAL},
        {"name": "half", "label": "Một nửa", "rule": {
            "kind": "steps", "value": "a / b", "steps": [{"when": ">= 1", "share": 0.5}]}},
    ])
    warnings = validate_framework(load_framework(fw))["warnings"]
    assert [(w["id"], w["message"]) for w in warnings] == [(
        "max_unreachable/6.13~half",
        "cách đọc 'half': cao nhất chỉ đạt 5 trên điểm tối đa 10: không đơn vị nào đạt tối đa")]
