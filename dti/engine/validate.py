"""Framework validation: structural errors, and the document's own inconsistencies as warnings."""

from __future__ import annotations

from typing import Any

from .compiled import CompiledFramework, Issue, compile_framework
from .data import format_number as _n
from .model import Framework
from .rules import kind_of, parse_when


def _warning(code: str, message: str) -> Issue:
    return {"code": code, "severity": "warning", "message": message}


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
        if scored and level.declared_total is not None and abs(level.declared_total - total) > 1e-6:
            warnings.append(_warning(
                f"level:{level.code}",
                f"tổng điểm tối đa cấp '{level.code}' theo văn bản là {_n(level.declared_total)} "
                f"nhưng các chỉ số cộng lại được {_n(total)}",
            ))
        if level.declared_indicators is not None and level.declared_indicators != len(leaves):
            warnings.append(_warning(
                f"level:{level.code}",
                f"văn bản ghi {level.declared_indicators} chỉ số thành phần cho cấp '{level.code}' "
                f"nhưng bảng có {len(leaves)}",
            ))
        if level.declared_pillars is not None and level.declared_pillars != pillars:
            warnings.append(_warning(
                f"level:{level.code}",
                f"văn bản ghi {level.declared_pillars} chỉ số chính cho cấp '{level.code}' nhưng bảng có {pillars}",
            ))
    if scored:
        _check_parents(compiled, warnings)
        _check_rules(compiled, warnings)
    _check_maturity(compiled, warnings)
    return {"framework": fw.code, "levels": levels, "errors": errors, "warnings": warnings}


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
                ))


def _check_rules(compiled: CompiledFramework, warnings: list[Issue]) -> None:
    """Awards beyond the indicator's maximum (each kind names its awards), nested rules included."""
    for node in compiled.leaves:
        rule = node.indicator.rule
        if rule is None:
            continue
        maxima = {m for m in node.max_by_level.values() if m is not None}
        for maximum in sorted(maxima):
            seen = set()
            rules = [(rule, maximum, "")]
            while rules:
                current, limit, where = rules.pop()
                kind = kind_of(current)
                warnings.extend(_warning(node.code, message) for message in kind.limit_warnings(current, limit))
                for label, points in kind.awards(current, limit):
                    if points > limit + 1e-9 and (label, points) not in seen:
                        seen.add((label, points))
                        warnings.append(_warning(
                            node.code,
                            f"{where}{label} cho {_n(points)} điểm, lớn hơn điểm tối đa {_n(limit)} "
                            f"(khi chấm sẽ tính tối đa {_n(limit)})",
                        ))
                rules.extend((sub.rule, sub.maximum, sub.label) for sub in kind.nested(current, "", limit))


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
                    ))
            previous = (index + 1, threshold, op)
