"""dti/methodologies/yaml_lines.py: every problem of a framework's YAML in Vietnamese, on its line."""

from dti.methodologies.yaml_lines import check_lines

from .conftest import FRAMEWORK_YAML


def line_of(text, fragment):
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_syntax_error_is_vietnamese_with_line_and_column():
    [problem] = check_lines("code: x\nname: a: b\n").problems
    assert (problem.line, problem.column) == (2, 8)
    assert "dấu hai chấm" in problem.message and "mapping values" not in problem.message


def test_tab_indentation_is_named():
    [problem] = check_lines("code: x\nindicators:\n\t- a\n").problems
    assert problem.line == 3 and "Tab" in problem.message


def test_unknown_syntax_problem_is_still_vietnamese():
    [problem] = check_lines('a: "\\q"').problems
    assert problem.line == 1 and "Sai cú pháp YAML" in problem.message and "escape" not in problem.message


def test_wrong_number_points_at_the_key_of_the_nested_indicator():
    text = FRAMEWORK_YAML.replace('max_points: 10\n        method: "Tỷ lệ', 'max_points: mười\n        method: "Tỷ lệ')
    [problem] = check_lines(text).problems  # float | dict: said once
    assert problem.line == line_of(text, "max_points: mười")
    assert problem.message.startswith("indicators[0].children[1].max_points: cần một số")


def test_misspelt_and_missing_keys_inside_a_rule():
    text = FRAMEWORK_YAML.replace('rule: {kind: ratio, value: "a / b"}', 'rule: {kind: ratio, valu: "a / b"}')
    problems = check_lines(text).problems
    line = line_of(text, "valu:")
    assert {p.line for p in problems} == {line}
    assert any("thiếu khóa bắt buộc “value”" in p.message for p in problems)
    assert any("khóa “valu” không có trong định dạng" in p.message for p in problems)


def test_unknown_rule_kind_lists_the_kinds():
    text = FRAMEWORK_YAML.replace("rule: {kind: yes_no, field: co}", "rule: {kind: yesno, field: co}")
    [problem] = check_lines(text).problems
    assert problem.line == line_of(text, "kind: yesno") and "loại “yesno” không có" in problem.message


def test_validator_issue_is_placed_on_the_indicator_code_line():
    text = FRAMEWORK_YAML.replace('value: "a / b"', 'value: "a / c"')
    problems = [p for p in check_lines(text).problems if p.severity == "error"]
    assert [p.line for p in problems] == [line_of(text, 'code: "1.2"')]
    assert "'c'" in problems[0].message


def test_good_framework_has_no_errors():
    assert check_lines(FRAMEWORK_YAML).ok
