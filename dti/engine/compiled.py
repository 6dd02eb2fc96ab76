"""A framework prepared for scoring: flattened tree, compiled expressions, field catalogue.

Compiling is done once per framework; a scoring run then only does array work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .expr import Expression, ExpressionError, compile_expression
from .model import Framework, GeneralField, Indicator, InputField, Rule
from .readings import resolve
from .rules import kind_of

Issue = dict[str, str]  # {"code", "severity", "message"}: what `dti validate --json` lists


@dataclass
class FieldSpec:
    """An input a unit fills: the global name is '<indicator code>.<var>' or 'info.<var>'."""

    name: str
    spec: InputField
    indicator: str | None  # None for general information
    levels: tuple[str, ...]

    @property
    def type(self) -> str:
        return self.spec.type

    @property
    def label(self) -> str:
        return self.spec.label


@dataclass
class Node:
    """One indicator of the tree with everything resolved for scoring."""

    indicator: Indicator
    parent: str | None
    depth: int
    levels: tuple[str, ...]  # levels where it applies
    max_by_level: dict[str, float | None]
    children: list[str] = field(default_factory=list)
    expressions: dict[str, Expression] = field(default_factory=dict)  # rule path -> expression
    constraints: list[tuple[Expression, str]] = field(default_factory=list)
    batch_key: str | None = None  # same key = same rule, inputs and constraints: scored together
    level_max: tuple[float, ...] = ()  # the maximum per framework level (0 where it does not apply)
    level_applicable: tuple[bool, ...] = ()

    @cached_property
    def input_fields(self) -> list[tuple[str, str]]:
        """(var, field name) of each input."""
        return [(spec.var, f"{self.code}.{spec.var}") for spec in self.indicator.inputs]

    @cached_property
    def info_fields(self) -> list[str]:
        """The general-information fields (info.x) its expressions read."""
        return list(dict.fromkeys(name for expression in self.expressions.values()
                                  for name in expression.variables if name.startswith("info.")))

    def __post_init__(self) -> None:
        indicator = self.indicator
        if indicator.rule is not None and indicator.maturity is None and not indicator.children:
            parts = [indicator.rule.model_dump_json()]
            parts += [spec.model_dump_json() for spec in indicator.inputs]
            parts += [constraint.model_dump_json() for constraint in indicator.constraints]
            self.batch_key = "\x1f".join(parts)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def field_name(self, var: str) -> str:
        return var if var.startswith("info.") else f"{self.code}.{var}"


class CompileError(ValueError):
    """Raised when a framework cannot be scored at all; carries validation issues."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(f"{i['code']}: {i['message']}" for i in issues))


@dataclass
class CompiledFramework:
    framework: Framework
    nodes: dict[str, Node]
    order: list[str]  # post-order: children before parents
    fields: dict[str, FieldSpec]
    issues: list[Issue]  # structural errors found while compiling
    readings: dict[str, str] = field(default_factory=dict)  # indicator code -> the reading it is scored by
    source: Framework | None = None  # the framework as written, readings and all (``framework`` has them resolved)

    @property
    def written(self) -> Framework:
        """The framework as written, readings and all (``framework`` has each resolved to one rule)."""
        return self.source if self.source is not None else self.framework

    @cached_property
    def leaves(self) -> list[Node]:
        return [self.nodes[c] for c in self.order if self.nodes[c].is_leaf]

    @cached_property
    def printed_codes(self) -> dict[str, str]:
        """Indicator code → the code as the document prints it.  A framework whose codes carry a
        level prefix ('xa.I.1', kept unique across its annexes) gives each item's printed number in
        ``meta.stt``: the printed code joins them down the tree ('I.1'); otherwise the code is printed."""
        printed: dict[str, str] = {}
        for code in reversed(self.order):  # parents first
            node = self.nodes[code]
            stt = node.indicator.meta.get("stt") if isinstance(node.indicator.meta, dict) else None
            if stt is None or str(stt).strip() == "":
                printed[code] = code
                continue
            parent = printed.get(node.parent) if node.parent is not None else None
            parent_stt = self.nodes[node.parent].indicator.meta.get("stt") if node.parent is not None else None
            printed[code] = f"{parent}.{stt}" if parent is not None and parent_stt is not None else str(stt)
        return printed

    def printed(self, code: str) -> str:
        return self.printed_codes.get(code, code)

    @cached_property
    def roots(self) -> list[Node]:
        return [self.nodes[c] for c in self.order if self.nodes[c].parent is None]

    @cached_property
    def batches(self) -> list[list[Node]]:
        """Leaves scored together (same rule, inputs and constraints), in the order of the tree.
        A district criterion computed from its communes' levels is scored on its own, later."""
        groups: dict[object, list[Node]] = {}
        for node in self.leaves:
            maturity = node.indicator.maturity
            if maturity is None or maturity.children is None:
                groups.setdefault(node.batch_key or id(node), []).append(node)
        return list(groups.values())

    @cached_property
    def value_layout(self) -> list[str]:
        """The numeric fields in the order a Dataset stores them: the fields a batch reads for
        one variable sit next to each other, so scoring reads them as one array, without a copy."""
        layout: list[str] = []
        for batch in self.batches:
            for var, _ in batch[0].input_fields:
                layout += [name for name in (f"{node.code}.{var}" for node in batch) if name in self.fields]
        placed = set(layout)
        layout += [name for name, spec in self.fields.items() if name not in placed]
        return [name for name in layout if self.fields[name].type != "text"]

    @property
    def maturity_levels(self) -> int:
        return len(self.framework.maturity_levels or [])

    def fields_for_level(self, level: str | None) -> list[FieldSpec]:
        return [f for f in self.fields.values() if level is None or level in f.levels]


def _error(code: str, message: str) -> Issue:
    return {"code": code, "severity": "error", "message": message}


def rule_fields(rule: Rule) -> list[str]:
    """Variables a rule reads directly (not through an expression), nested rules included."""
    kind = kind_of(rule)
    return kind.fields(rule) + [v for sub in kind.nested(rule, "", 0.0) for v in rule_fields(sub.rule)]


def rule_expressions(rule: Rule, path: str = "rule") -> list[tuple[str, str]]:
    """(path, source) of every expression of a rule, nested rules included, in the file's order."""
    kind = kind_of(rule)
    found = kind.expressions(rule, path)
    for sub in kind.nested(rule, path, 0.0):
        found += rule_expressions(sub.rule, sub.path)
    return found


def compile_framework(framework: Framework, readings: Mapping[str, str] | None = None) -> CompiledFramework:
    """``readings``: indicator code → reading name for indicators that declare readings (the
    default reading elsewhere); an unknown code or name raises ``ReadingError``."""
    source = framework
    framework, used = resolve(framework, readings)
    nodes: dict[str, Node] = {}
    order: list[str] = []
    fields: dict[str, FieldSpec] = {}
    issues: list[Issue] = []
    all_levels = tuple(framework.level_codes)

    for general in framework.general_info:
        _add_field(fields, issues, f"info.{general.var}", general, None, all_levels)

    def visit(indicator: Indicator, parent: Node | None, inherited: tuple[str, ...], depth: int) -> None:
        levels = tuple(indicator.levels) if indicator.levels is not None else inherited
        for level in levels:
            if level not in all_levels:
                issues.append(_error(indicator.code, f"cấp '{level}' không có trong danh sách cấp của bộ chỉ số"))
        if isinstance(indicator.max_points, dict):
            for level in indicator.max_points:
                if level not in all_levels:
                    issues.append(_error(indicator.code, f"điểm tối đa ghi cho cấp '{level}' không tồn tại"))
            levels = tuple(lv for lv in levels if lv in indicator.max_points)
        for figure in indicator.declared:
            if figure.level is not None and figure.level not in all_levels:
                issues.append(_error(indicator.code, f"số liệu văn bản ghi ({figure.where}) cho cấp '{figure.level}' "
                                                     "không tồn tại"))
        max_by_level = {lv: indicator.max_for(lv) for lv in levels}
        node = Node(indicator, parent.code if parent else None, depth, levels, max_by_level)
        # per level of the framework, in its order: what a scoring run spreads over the units
        node.level_max = tuple(float(max_by_level.get(lv) or 0.0) for lv in all_levels)
        node.level_applicable = tuple(lv in levels for lv in all_levels)
        if indicator.code in nodes:
            issues.append(_error(indicator.code, "mã chỉ số bị trùng"))
        else:
            nodes[indicator.code] = node
        if parent is not None:
            parent.children.append(indicator.code)
        for child in indicator.children:
            visit(child, node, levels, depth + 1)
        if indicator.children:
            if indicator.inputs:
                issues.append(_error(indicator.code, "chỉ số cha không nhập liệu; đặt trường nhập ở chỉ số con"))
            order.append(indicator.code)
            return
        _compile_leaf(framework, node, fields, issues)
        order.append(indicator.code)

    for top in framework.indicators:
        visit(top, None, all_levels, 0)
    return CompiledFramework(framework, nodes, order, fields, issues, used, source)


def _add_field(fields: dict[str, FieldSpec], issues: list[Issue], name: str, spec: InputField,
               indicator: str | None, levels: Iterable[str]) -> None:
    if name in fields:
        issues.append(_error(indicator or "info", f"trường '{name}' bị khai báo hai lần"))
        return
    fields[name] = FieldSpec(name, spec, indicator, tuple(levels))


def _compile_leaf(framework: Framework, node: Node, fields: dict[str, FieldSpec], issues: list[Issue]) -> None:
    indicator = node.indicator
    code = indicator.code
    if indicator.rule is None and indicator.maturity is None:
        issues.append(_error(code, "chỉ số lá phải có 'rule' (cách tính điểm) hoặc 'maturity' (ngưỡng mức độ)"))
    if framework.scored and indicator.rule is not None and kind_of(indicator.rule).points:
        if not node.levels:
            issues.append(_error(code, "không có cấp nào có điểm tối đa cho chỉ số này"))
        for level, points in node.max_by_level.items():
            if points is None:
                issues.append(_error(code, f"thiếu điểm tối đa (max_points) cho cấp '{level}'"))
    local_vars = {f.var for f in indicator.inputs}
    general_vars = {f"info.{g.var}" for g in framework.general_info}
    for spec in indicator.inputs:
        _add_field(fields, issues, f"{code}.{spec.var}", spec, code, node.levels)

    def check_names(names: Iterable[str], where: str) -> None:
        for name in names:
            if name not in local_vars and name not in general_vars:
                issues.append(_error(code, f"{where} dùng biến '{name}' chưa khai báo trong inputs"))

    expressions: list[tuple[str, str]] = []
    if indicator.rule is not None:
        expressions.extend(rule_expressions(indicator.rule))
        check_names(rule_fields(indicator.rule), "quy tắc")
        _check_rule(indicator, indicator.rule, issues)
    if indicator.maturity is not None:
        maturity = indicator.maturity
        if maturity.value:
            expressions.append(("maturity", maturity.value))
        for index, condition in enumerate(maturity.levels or []):
            for alternative, choice in enumerate(condition.any or [] if condition is not None else []):
                if choice.value is not None:
                    expressions.append((f"maturity.levels[{index}].any[{alternative}]", choice.value))
        if maturity.field:
            check_names([maturity.field], "tiêu chí mức độ")
        if maturity.levels is not None and framework.maturity_levels is not None:
            if len(maturity.levels) != len(framework.maturity_levels):
                issues.append(
                    _error(
                        code,
                        f"có {len(maturity.levels)} ngưỡng nhưng bộ tiêu chí có "
                        f"{len(framework.maturity_levels)} mức độ",
                    )
                )
        if maturity.children is not None and maturity.child_level not in framework.level_codes:
            issues.append(_error(code, f"cấp đơn vị con '{maturity.child_level}' không tồn tại"))
    for path, source in expressions:
        try:
            compiled = compile_expression(source)
        except ExpressionError as exc:
            issues.append(_error(code, str(exc)))
            continue
        check_names(compiled.variables, f"biểu thức '{source}'")
        node.expressions[path] = compiled
    for constraint in indicator.constraints:
        try:
            compiled = compile_expression(constraint.check, allow_compare=True)
        except ExpressionError as exc:
            issues.append(_error(code, str(exc)))
            continue
        check_names(compiled.variables, f"ràng buộc '{constraint.check}'")
        node.constraints.append((compiled, constraint.message or f"vi phạm ràng buộc {constraint.check}"))


def _check_rule(indicator: Indicator, rule: Rule, issues: list[Issue]) -> None:
    """Each rule's own checks of how it uses the indicator's inputs."""
    inputs = {spec.var: spec for spec in indicator.inputs}
    rules = [rule]
    while rules:
        current = rules.pop()
        kind = kind_of(current)
        rules.extend(sub.rule for sub in kind.nested(current, "", 0.0))
        issues.extend(_error(indicator.code, message) for message in kind.check(current, inputs))


def general_field(framework: Framework, var: str) -> GeneralField | None:
    return next((g for g in framework.general_info if g.var == var), None)
