"""What is wrong with a framework's YAML, in Vietnamese, at the line it concerns.

Three kinds of problem, each placed on a line of the text the person typed:

- YAML syntax (PyYAML's ``MarkedYAMLError``): its mark gives line and column; its English
  problem is replaced by a Vietnamese sentence (known problems by their wording, others by a
  general one — never PyYAML's English);
- the file format (pydantic): an error's ``loc`` (``indicators, 3, children, 1, max_points``)
  is followed through the YAML node tree (``yaml.compose`` keeps each node's position); parts
  of ``loc`` that name a union member (``float``, ``ratio``) are not keys and are skipped; a
  missing key points at the mapping that lacks it;
- the validator (``validate_framework``): its issues name an indicator code, placed on that
  indicator's ``code:`` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails


@dataclass(frozen=True)
class LineProblem:
    line: int  # 1-based; 0 = the whole file
    column: int  # 1-based; 0 = unknown
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        if not self.line:
            return self.message
        if self.column:
            return _("Dòng %(line)d, cột %(col)d: %(msg)s") % {"line": self.line, "col": self.column, "msg": self.message}
        return _("Dòng %(line)d: %(msg)s") % {"line": self.line, "msg": self.message}


# --------------------------------------------------------------------------- YAML syntax

def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    context = exc.context or ""
    if "mapping values are not allowed" in problem:
        return _("dấu hai chấm “:” không được đặt ở đây (giá trị có dấu “:” cần đặt trong ngoặc kép)")
    if "cannot start any token" in problem and "\\t" in problem:
        return _("YAML không cho dùng phím Tab để thụt lề; hãy dùng dấu cách")
    if "cannot start any token" in problem:
        return _("ký tự không được bắt đầu một giá trị ở đây (hãy đặt giá trị trong ngoặc kép)")
    if "unexpected end of stream" in problem and "quoted" in context:
        return _("thiếu dấu ngoặc kép đóng")
    if "unknown escape character" in problem:
        return _("ký tự thoát “\\” không hợp lệ trong chuỗi ngoặc kép (dùng ngoặc đơn, hoặc viết “\\\\”)")
    if "undefined alias" in problem:
        return _("tham chiếu “*” tới một neo “&” chưa khai báo")
    if "flow sequence" in context:
        return _("danh sách trong ngoặc vuông “[ ]” chưa đóng hoặc thiếu dấu phẩy")
    if "flow mapping" in context:
        return _("bảng trong ngoặc nhọn “{ }” chưa đóng hoặc thiếu dấu phẩy")
    if "<block end>" in problem or "block mapping" in context or "block collection" in context:
        return _("thụt lề không khớp với các dòng phía trên")
    if "could not find expected ':'" in problem:
        return _("thiếu dấu hai chấm “:” sau tên khóa")
    if "duplicate anchor" in problem:
        return _("neo “&” bị khai báo hai lần")
    return _("cú pháp YAML không hợp lệ ở đây")


def syntax_problem(text: str) -> LineProblem | None:
    try:
        yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        return LineProblem(line, column, _("Sai cú pháp YAML: %(what)s") % {"what": _syntax_message(exc)})
    except yaml.YAMLError:
        return LineProblem(0, 0, _("Sai cú pháp YAML"))
    return None


# --------------------------------------------------------------------------- the node tree

def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def _key_node(node: yaml.Node, part: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, _value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return key
    return None


def locate(root: yaml.Node | None, loc: tuple) -> tuple[int, int, str]:
    """(line, column, the path as written) of ``loc`` in the tree; the deepest node reached."""
    if root is None:
        return 0, 0, ""
    node, mark, shown = root, root.start_mark, []
    for part in loc:
        child = _child(node, part)
        if child is None:
            key = _key_node(node, part) if isinstance(part, str) else None
            if key is not None:  # "extra_forbidden": the key itself
                mark = key.start_mark
                shown.append(str(part))
            continue  # a union member's name (float, ratio) or a key that is missing
        if isinstance(part, str):
            key = _key_node(node, part)
            mark = key.start_mark if key is not None else child.start_mark
            shown.append(part)
        else:
            mark = child.start_mark
            shown[-1:] = [f"{shown[-1]}[{part}]"] if shown else [f"[{part}]"]
        node = child
    return mark.line + 1, mark.column + 1, ".".join(shown)


def indicator_lines(root: yaml.Node | None) -> dict[str, int]:
    """Indicator code → the line of its ``code:`` key, walking ``indicators`` and ``children``."""
    found: dict[str, int] = {}

    def walk(sequence: yaml.Node | None) -> None:
        if not isinstance(sequence, yaml.SequenceNode):
            return
        for item in sequence.value:
            code = _child(item, "code")
            if isinstance(code, yaml.ScalarNode):
                key = _key_node(item, "code")
                found.setdefault(code.value, (key or code).start_mark.line + 1)
            walk(_child(item, "children"))

    if root is not None:
        walk(_child(root, "indicators"))
        for key in ("general_info", "levels"):
            sequence = _child(root, key)
            if isinstance(sequence, yaml.SequenceNode):
                found.setdefault("info" if key == "general_info" else "levels", sequence.start_mark.line + 1)
    return found


# --------------------------------------------------------------------------- pydantic's errors in Vietnamese

def _format_message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    last = next((p for p in reversed(error["loc"]) if isinstance(p, str)), "")
    if kind == "missing":
        return _("thiếu khóa bắt buộc “%(key)s”") % {"key": last}
    if kind == "extra_forbidden":
        return _("khóa “%(key)s” không có trong định dạng (gõ sai tên?)") % {"key": last}
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return _("cần một số (dấu chấm thập phân, ví dụ 2.5)")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("cần một số nguyên")
    if kind in ("string_type",):
        return _("cần một chuỗi văn bản (đặt trong ngoặc kép nếu là số)")
    if kind in ("bool_parsing", "bool_type"):
        return _("cần true hoặc false")
    if kind in ("list_type", "tuple_type"):
        return _("cần một danh sách (các dòng bắt đầu bằng “- ”)")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("cần một bảng (các dòng “khóa: giá trị”)")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("cần một ngày dạng yyyy-mm-dd")
    if kind == "literal_error":
        return _("giá trị phải là một trong: %(expected)s") % {"expected": ctx.get("expected", "")}
    if kind == "enum":
        return _("giá trị phải là một trong: %(expected)s") % {"expected": ctx.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("giá trị không đúng dạng (chỉ chữ thường không dấu, số và _ - .; mẫu %(pattern)s)") % {
            "pattern": ctx.get("pattern", "")}
    if kind == "union_tag_invalid":
        return _("loại “%(tag)s” không có; các loại: %(tags)s") % {"tag": ctx.get("tag", ""),
                                                                   "tags": ctx.get("expected_tags", "")}
    if kind == "union_tag_not_found":
        return _("thiếu khóa %(key)s") % {"key": ctx.get("discriminator", "")}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        words = {"greater_than": _("phải lớn hơn %(n)s"), "greater_than_equal": _("phải lớn hơn hoặc bằng %(n)s"),
                 "less_than": _("phải nhỏ hơn %(n)s"), "less_than_equal": _("phải nhỏ hơn hoặc bằng %(n)s")}
        return words[kind] % {"n": bound}
    if kind in ("too_short", "too_long"):
        return _("số phần tử không hợp lệ")
    if kind in ("value_error", "assertion_error"):
        # Our models' own checks: their message is ours (after pydantic's "Value error, " prefix).
        return re.sub(r"^(Value error|Assertion failed), ", "", error["msg"])
    return _("giá trị không hợp lệ")


def format_problems(root: yaml.Node | None, exc: PydanticError, limit: int = 50) -> list[LineProblem]:
    problems: list[LineProblem] = []
    seen: set[tuple[int, str]] = set()
    for error in exc.errors():
        line, column, path = locate(root, tuple(error["loc"]))
        if (line, path) in seen:  # a union (number or table) fails once per member: say it once
            continue
        seen.add((line, path))
        message = _format_message(error)
        problems.append(LineProblem(line, column, f"{path}: {message}" if path else message))
        if len(problems) >= limit:
            break
    return problems


# --------------------------------------------------------------------------- everything at once

@dataclass
class Checked:
    problems: list[LineProblem]
    framework: Any = None  # the loaded Framework when the format is right
    report: dict | None = None  # the validator's report when it compiled

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def check_lines(text: str) -> Checked:
    """Every problem of ``text`` with its line, errors first, Vietnamese throughout."""
    from dti.engine import compile_framework, load_framework
    from dti.engine.validate import validate_framework

    problem = syntax_problem(text)
    if problem is not None:
        return Checked([problem])
    data = yaml.safe_load(text)
    root = yaml.compose(text)
    if not isinstance(data, dict):
        return Checked([LineProblem(1, 0, _("Nội dung không phải một bộ chỉ số (cần một bảng YAML có code, name, "
                                             "indicators…)"))])
    try:
        framework = load_framework(data)
    except PydanticError as exc:
        return Checked(format_problems(root, exc))
    report = validate_framework(compile_framework(framework))
    lines = indicator_lines(root)
    problems = []
    for severity, issues in (("error", report["errors"]), ("warning", report.get("warnings", []))):
        for issue in issues:
            code = str(issue.get("code", ""))
            line = lines.get(code, 0)
            where = "" if line else (_("chỉ số %(code)s: ") % {"code": code} if code else "")
            problems.append(LineProblem(line, 0, where + str(issue["message"]), severity))
    return Checked(problems, framework, report)
