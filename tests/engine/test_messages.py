"""The engine's words in Vietnamese and English (dti/engine/messages.py), each with its number format."""

import json

import pytest

from dti.cli import main
from dti.engine.arrays import format_number
from dti.engine.data import Unit, build_dataset, parse_number
from dti.engine.data import ValueError_ as ValueErrorVi
from dti.engine.explain import explain
from dti.engine.messages import LANGUAGES, MESSAGES, Message, check_catalogue, language, placeholders, say
from dti.engine.scoring import score

from .helpers import AB, compiled_of, field, framework, leaf, run, why
from .test_cli import GOOD, write


def test_every_message_has_every_language_with_the_same_placeholders():
    assert check_catalogue() == []
    for key, templates in MESSAGES.items():
        assert set(templates) == set(LANGUAGES), key
        assert placeholders(templates["vi"]) == placeholders(templates["en"]), key


def test_catalogue_check_finds_a_missing_language_and_a_different_placeholder():
    wrong = check_catalogue({"a": {"vi": "{x} điểm"}, "b": {"vi": "{x}", "en": "{y}"}})
    assert wrong[0] == "a: no en" and wrong[1].startswith("b: placeholders differ")


def test_numbers_in_each_languages_format():
    assert format_number(1234.5) == "1.234,5" and format_number(1234.5, lang="en") == "1,234.5"
    assert format_number(20, fixed=True) == "20,00" and format_number(20, lang="en", fixed=True) == "20.00"
    assert format_number(92.857, lang="en") == "92.86" and format_number(92.857) == "92,86"


def test_message_renders_numbers_and_nested_messages_per_language():
    inner = Message("range.below", value=1.5, low=2)
    message = Message("problem.labelled", label="Số văn bản", message=inner)
    assert str(message) == "Số văn bản: giá trị 1,5 nhỏ hơn mức tối thiểu 2"
    assert message("en") == "Số văn bản: the value 1.5 is below the minimum 2"


def test_django_language_codes_are_read():
    assert (language("en-us"), language("vi"), language("fr"), language(None)) == ("en", "vi", "vi", "vi")


def test_unknown_language_falls_back_to_vietnamese():
    assert say("fr", "points", score="1", maximum="2") == "1/2 điểm"


def test_english_explanation_of_a_ratio():
    fw = framework([leaf("1.2", {"kind": "ratio", "value": "a / b"}, AB)])
    result = run(fw, {"so-a": {"1.2.a": 13, "1.2.b": 14}})
    assert why(result, "1.2", "so-a") == "a = 13, b = 14, tỷ lệ = 92,86% → 9,29/10 điểm"
    assert explain(result, "1.2", 0, "en") == "a = 13, b = 14, ratio = 92.86% → 9.29/10 points"


def test_explanation_with_labels_names_the_inputs():
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / b"},
                         [field("a", label="Số hồ sơ trực tuyến"), field("b", label="Tổng số hồ sơ")])])
    result = run(fw, {"u": {"1.a": 1, "1.b": 4}})
    assert explain(result, "1", 0, labels=True) == "Số hồ sơ trực tuyến = 1, Tổng số hồ sơ = 4, tỷ lệ = 25% → 2,5/10 điểm"


def test_english_explanations_of_steps_missing_data_and_yes_no():
    fw = framework([leaf("1", {"kind": "steps", "value": "a / b", "percent": True, "steps": [
        {"when": ">= 80", "share": 1}, {"when": ">= 50", "share": 0.5}], "otherwise": {"points": 0}}, AB),
        leaf("2", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no", label="Đã ban hành")]),
        leaf("3", {"kind": "ratio", "value": "a / b"}, AB)])
    result = run(fw, {"u": {"1.a": 3, "1.b": 5, "2.c": "có"}})
    assert explain(result, "1", 0, "en") == "a = 3, b = 5, ratio = 60%, band >= 50 → 5/10 points"
    assert explain(result, "2", 0, "en") == "Đã ban hành: Yes → 10/10 points"
    assert explain(result, "3", 0, "en") == "a = not entered, b = not entered → no data, 0/10 points by default"


def test_problems_render_in_english_and_stay_vietnamese_by_default():
    compiled = compiled_of(GOOD)
    data = build_dataset(compiled, [Unit("so-a", "so-a", "so")],
                         [("so-a", "1.2.a", "abc"), ("so-x", "1.2.a", "1"), ("so-a", "1.2.z", "1")])
    assert [p.message for p in data.problems] == [
        "Trường a: 'abc' không phải là số", "đơn vị 'so-x' không có trong danh sách đơn vị",
        "trường '1.2.z' không có trong bộ chỉ số"]
    assert [p.text("en") for p in data.problems] == [
        "Trường a: 'abc' is not a number", "unit 'so-x' is not in the list of units",
        "field '1.2.z' is not in the framework"]


def test_broken_constraint_keeps_the_documents_words_and_formats_the_values():
    compiled = compiled_of(GOOD)
    result = score(compiled, build_dataset(compiled, [Unit("u", "u", "so")], [("u", "1.2.a", "5000"), ("u", "1.2.b", "4000")]))
    problem = next(p for p in result.problems if p.indicator == "1.2")
    assert problem.message == "a không thể lớn hơn b (a = 5.000, b = 4.000)"
    assert problem.text("en") == "a không thể lớn hơn b (a = 5,000, b = 4,000)"


def test_value_error_carries_both_languages():
    with pytest.raises(ValueErrorVi) as caught:
        parse_number("x1")
    assert str(caught.value) == "'x1' không phải là số" and caught.value.text("en") == "'x1' is not a number"


def test_cli_score_lang_en_json(tmp_path, capsys):
    data = write(tmp_path, "data.csv", "unit,field,value\nso-a,1.2.a,13\nso-a,1.2.b,14\nso-b,1.2.a,5\nso-b,1.2.b,4\n")
    code = main(["score", write(tmp_path, "f.yaml", GOOD), "--data", data, "--lang", "en"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["units"][0]["indicators"]["1.2"]["explain"] == "a = 13, b = 14, ratio = 92.86% → 9.29/10 points"
    assert result["problems"][0]["message"] == "a không thể lớn hơn b (a = 5, b = 4)"
    assert result["units"][1]["indicators"]["1.2"]["explain"] == (
        "a = 5, b = 4, ratio = 125% → invalid data, 0/10 points by default")


def test_a_pickled_problem_still_renders_in_both_languages():
    import pickle

    compiled = compiled_of(GOOD)
    data = build_dataset(compiled, [Unit("so-a", "so-a", "so")], [("so-a", "1.2.a", "abc")])
    problem = pickle.loads(pickle.dumps(data.problems[0]))
    assert problem.message == "Trường a: 'abc' không phải là số"
    assert problem.text("en") == "Trường a: 'abc' is not a number"
    assert problem == data.problems[0]
