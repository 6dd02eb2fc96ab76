"""Framework validation: structural errors, and the document's own inconsistencies as warnings."""

from __future__ import annotations

from typing import Any

from .compiled import CompiledFramework, Issue, Node, compile_framework
from .data import format_number as _n
from .model import Declared, Framework, Level
from .readings import alternatives
from .rules import kind_of, parse_when


def _warning(code: str, message: str, id: str | None = None) -> Issue:
    """``code``: the indicator or level it concerns; ``id``: stable across runs and wording, so that
    docs/frameworks.md can name the warning (kind/place[@where])."""
    return {"code": code, "severity": "warning", "message": message, "id": id or code}


def validate_framework(framework: Framework | CompiledFramework) -> dict[str, Any]:
    """The report `dti validate --json` prints."""
    compiled = framework if isinstance(framework, CompiledFramework) else compile_framework(framework)
    fw = compiled.framework
    errors = [dict(i) for i in compiled.issues]
    warnings: list[Issue] = []
    levels: dict[str, dict[str, Any]] = {}
    scored = fw.scored
    for level in fw.levels:
        leaves = [n for n in compiled.leaves if level.code in n.levels]
        if scored:
            leaves = [n for n in leaves if n.max_by_level.get(level.code) is not None
                      and not (n.indicator.rule is not None and not kind_of(n.indicator.rule).points)]
        total = sum(float(_node_max(compiled, r.code, level.code)) for r in compiled.roots if level.code in r.levels)
        pillars = sum(1 for r in compiled.roots if level.code in r.levels)
        levels[level.code] = {
            "max_total": round(total, 4) if scored else None,
            "indicators": len(leaves),
            "pillars": pillars,
        }
        computed = {"total": total if scored else None, "indicators": len(leaves), "pillars": pillars}
        for figure in _declared_of_level(level):
            _check_declared(figure, computed, f"cấp '{level.code}'", f"declared/{level.code}", warnings,
                            code=f"level:{level.code}")
    for node in compiled.nodes.values():
        for figure in node.indicator.declared:
            for code in ([figure.level] if figure.level else node.levels):
                if code not in node.levels:
                    continue
                computed = {
                    "total": _node_max(compiled, node.code, code) if scored else None,
                    "indicators": _leaf_count(compiled, node.code, code),
                    "pillars": sum(1 for c in node.children if code in compiled.nodes[c].levels),
                }
                suffix = f" (cấp {code})" if len(fw.levels) > 1 else ""
                _check_declared(figure, computed, f"chỉ số {node.code}{suffix}",
                                f"declared/{node.code}/{code}", warnings, code=node.code)
    if scored:
        _check_parents(compiled, warnings)
        _check_rules(compiled, warnings)
    _check_maturity(compiled, warnings)
    if not errors:
        _check_readings(compiled, errors, warnings)
    return {"framework": fw.code, "levels": levels, "errors": errors, "warnings": warnings}


def _declared_of_level(level: Level) -> list[Declared]:
    """The level's declared figures; the short fields count as figures whose place is not given."""
    figures = list(level.declared)
    for figure, value in (("total", level.declared_total), ("indicators", level.declared_indicators),
                          ("pillars", level.declared_pillars)):
        if value is not None:
            figures.append(Declared(figure=figure, value=value, where="declared_" + figure))
    return figures


def _check_declared(figure: Declared, computed: dict[str, float | None], subject: str, prefix: str,
                    warnings: list[Issue],
                    code: str) -> None:
    actual = computed[figure.figure]
    if actual is None or abs(figure.value - actual) <= 1e-6:
        return
    quoted = f': "{figure.text}"' if figure.text else ""
    place = f" ({figure.where}{quoted})" if not figure.where.startswith("declared_") else ""
    value, got = _n(figure.value), _n(actual)
    if figure.figure == "total":
        message = f"tổng điểm tối đa {subject} theo văn bản là {value}{place} nhưng các chỉ số cộng lại được {got}"
    else:
        what = "chỉ số thành phần" if figure.figure == "indicators" else "chỉ số chính"
        message = f"văn bản ghi {value} {what} cho {subject}{place} nhưng bảng có {got}"
    warnings.append(_warning(code, message, f"{prefix}/{figure.figure}@{figure.where}"))


def _leaf_count(compiled: CompiledFramework, code: str, level: str) -> int:
    node = compiled.nodes[code]
    if level not in node.levels:
        return 0
    if node.is_leaf:
        return 1
    return sum(_leaf_count(compiled, c, level) for c in node.children)


def _node_max(compiled: CompiledFramework, code: str, level: str) -> float:
    node = compiled.nodes[code]
    if level not in node.levels:
        return 0.0
    if node.is_leaf:
        if node.indicator.rule is not None and not kind_of(node.indicator.rule).points:
            return 0.0
        return float(node.max_by_level.get(level) or 0.0)
    return sum(_node_max(compiled, c, level) for c in node.children)


def _check_parents(compiled: CompiledFramework, warnings: list[Issue]) -> None:
    for code in compiled.order:
        node = compiled.nodes[code]
        if node.is_leaf:
            continue
        for level in node.levels:
            printed = node.max_by_level.get(level)
            if printed is None:
                continue
            total = _node_max(compiled, code, level)
            if abs(total - printed) > 1e-6:
                suffix = f" (cấp {level})" if len(compiled.framework.levels) > 1 else ""
                warnings.append(_warning(
                    code,
                    f"điểm tối đa ghi {_n(printed)} nhưng các chỉ số con cộng lại được {_n(total)}{suffix}",
                    f"parent_sum/{code}/{level}",
                ))


def _check_rules(compiled: CompiledFramework, warnings: list[Issue], nodes: list[Node] | None = None,
                 reading: str | None = None) -> None:
    """Awards beyond the indicator's maximum (each kind names its awards), nested rules included;
    what a rule as written cannot mean (a gap between steps…); a maximum no data can reach."""
    for node in nodes if nodes is not None else compiled.leaves:
        rule = node.indicator.rule
        if rule is None or not kind_of(rule).points:
            continue
        name = reading or compiled.readings.get(node.code)
        said = f"cách đọc '{name}': " if name else ""
        tail = f"~{name}" if name else ""
        maxima = {m for m in node.max_by_level.values() if m is not None}
        for maximum in sorted(maxima):
            seen = set()
            rules = [(rule, maximum, "")]
            while rules:
                current, limit, where = rules.pop()
                kind = kind_of(current)
                warnings.extend(_warning(node.code, f"{said}{message}", f"parts_above_max/{node.code}{tail}")
                                for message in kind.limit_warnings(current, limit))
                for label, points in kind.awards(current, limit):
                    if points > limit + 1e-9 and (label, points) not in seen:
                        seen.add((label, points))
                        warnings.append(_warning(
                            node.code,
                            f"{said}{where}{label} cho {_n(points)} điểm, lớn hơn điểm tối đa {_n(limit)} "
                            f"(khi chấm sẽ tính tối đa {_n(limit)})",
                            f"award_above_max/{node.code}{tail}",
                        ))
                for what, message in kind.reading_warnings(current, limit):
                    kind_id, _, where_id = what.partition("@")
                    at = f"@{where_id}" if where_id else ""
                    warnings.append(_warning(node.code, f"{said}{where}{message}", f"{kind_id}/{node.code}{at}{tail}"))
                rules.extend((sub.rule, sub.maximum, sub.label) for sub in kind.nested(current, "", limit))
            best = kind_of(rule).best(rule, maximum)
            if maximum > 0 and best < maximum - 1e-9:
                warnings.append(_warning(
                    node.code,
                    f"{said}cao nhất chỉ đạt {_n(best)} trên điểm tối đa {_n(maximum)}: không đơn vị nào đạt tối đa",
                    f"max_unreachable/{node.code}{tail}",
                ))


def _check_readings(compiled: CompiledFramework, errors: list[Issue], warnings: list[Issue]) -> None:
    """Every reading that is not in use is compiled and checked as if chosen."""
    source = compiled.written
    for code, reading in alternatives(source):
        if compiled.readings.get(code) == reading.name:
            continue
        other = compile_framework(source, {**compiled.readings, code: reading.name})
        for issue in other.issues:
            if issue["code"] == code:
                errors.append({**issue, "message": f"cách đọc '{reading.name}': {issue['message']}"})
        if compiled.framework.scored:
            _check_rules(other, warnings, [other.nodes[code]], reading.name)


def _check_maturity(compiled: CompiledFramework, warnings: list[Issue]) -> None:
    for node in compiled.leaves:
        maturity = node.indicator.maturity
        if maturity is None or maturity.levels is None:
            continue
        previous = None
        for index, condition in enumerate(maturity.levels):
            if condition is None or condition.when is None:
                continue  # not applicable at this level, or a 'hoặc' of several conditions
            op, threshold = parse_when(condition.when)
            if previous is not None:
                prev_level, prev_threshold, prev_op = previous
                if op == prev_op and op in (">=", ">") and threshold < prev_threshold:
                    warnings.append(_warning(
                        node.code,
                        f"ngưỡng mức {index + 1} ({_n(threshold)}) thấp hơn ngưỡng mức {prev_level} "
                        f"({_n(prev_threshold)})",
                        f"maturity_falls/{node.code}/{index + 1}",
                    ))
            previous = (index + 1, threshold, op)
