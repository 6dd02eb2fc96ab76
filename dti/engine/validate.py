"""Framework validation: structural errors, and the document's own inconsistencies as warnings."""

from __future__ import annotations

from .compiled import CompiledFramework, compile_framework
from .data import format_number as _n
from .model import (
    ChoiceRule,
    CountRule,
    DateRule,
    Declared,
    Framework,
    GrowthRule,
    PartsRule,
    StepsRule,
    YesNoRule,
)
from .readings import alternatives


def _warning(code: str, message: str, id: str | None = None) -> dict:
    """``code``: the indicator or level it concerns; ``id``: stable across runs and wording, so that
    docs/frameworks.md can name the warning (kind/place[@where])."""
    return {"code": code, "severity": "warning", "message": message, "id": id or code}


def validate_framework(framework: Framework | CompiledFramework) -> dict:
    """The report `dti validate --json` prints."""
    compiled = framework if isinstance(framework, CompiledFramework) else compile_framework(framework)
    fw = compiled.framework
    errors = [dict(i) for i in compiled.issues]
    warnings: list[dict] = []
    levels: dict[str, dict] = {}
    scored = fw.scored
    for level in fw.levels:
        leaves = [n for n in compiled.leaves if level.code in n.levels]
        if scored:
            leaves = [n for n in leaves if n.max_by_level.get(level.code) is not None
                      and not (n.indicator.rule is not None and n.indicator.rule.kind == "kpi")]
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
            for level in ([figure.level] if figure.level else node.levels):
                if level not in node.levels:
                    continue
                computed = {
                    "total": _node_max(compiled, node.code, level) if scored else None,
                    "indicators": _leaf_count(compiled, node.code, level),
                    "pillars": sum(1 for c in node.children if level in compiled.nodes[c].levels),
                }
                suffix = f" (cấp {level})" if len(fw.levels) > 1 else ""
                _check_declared(figure, computed, f"chỉ số {node.code}{suffix}",
                                f"declared/{node.code}/{level}", warnings, code=node.code)
    if scored:
        _check_parents(compiled, warnings)
        _check_rules(compiled, warnings)
    _check_maturity(compiled, warnings)
    if not errors:
        _check_readings(compiled, errors, warnings)
    return {"framework": fw.code, "levels": levels, "errors": errors, "warnings": warnings}


def _check_readings(compiled: CompiledFramework, errors: list[dict], warnings: list[dict]) -> None:
    """Every reading that is not in use is compiled and checked as if chosen."""
    source = compiled.source or compiled.framework
    for code, reading in alternatives(source):
        if compiled.readings.get(code) == reading.name:
            continue
        other = compile_framework(source, {**compiled.readings, code: reading.name})
        for issue in other.issues:
            if issue["code"] == code:
                errors.append({**issue, "message": f"cách đọc '{reading.name}': {issue['message']}"})
        if compiled.framework.scored:
            _check_rules(other, warnings, [other.nodes[code]], reading.name)


def _declared_of_level(level) -> list[Declared]:
    """The level's declared figures; the short fields count as figures whose place is not given."""
    figures = list(level.declared)
    for figure, value in (("total", level.declared_total), ("indicators", level.declared_indicators),
                          ("pillars", level.declared_pillars)):
        if value is not None:
            figures.append(Declared(figure=figure, value=value, where="declared_" + figure))
    return figures


def _check_declared(figure: Declared, computed: dict, subject: str, prefix: str, warnings: list[dict],
                    code: str) -> None:
    actual = computed[figure.figure]
    if actual is None or abs(figure.value - actual) <= 1e-6:
        return
    place = f" ({figure.where}{': ' + chr(34) + figure.text + chr(34) if figure.text else ''})" \
        if not figure.where.startswith("declared_") else ""
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
        if node.indicator.rule is not None and node.indicator.rule.kind == "kpi":
            return 0.0
        return float(node.max_by_level.get(level) or 0.0)
    return sum(_node_max(compiled, c, level) for c in node.children)


def _check_parents(compiled: CompiledFramework, warnings: list[dict]) -> None:
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


def _awards(rule, maximum: float):
    """(label, points) of every award a rule can give, for a given maximum."""
    def value(award):
        return award.points if award.points is not None else award.share * maximum

    if isinstance(rule, (StepsRule, GrowthRule)):
        for step in rule.steps or []:
            yield f"mức '{step.when}'", value(step)
        yield "mức còn lại", value(rule.otherwise)
    elif isinstance(rule, ChoiceRule):
        for choice in rule.scores:
            yield f"lựa chọn '{choice.option}'", value(choice)
    elif isinstance(rule, YesNoRule):
        yield "'Có'", value(rule.yes)
        yield "'Không'", value(rule.no)
    elif isinstance(rule, DateRule):
        for step in rule.steps:
            yield f"hạn '{step.by}'", value(step)
        yield "sau hạn", value(rule.otherwise)
    elif isinstance(rule, CountRule) and rule.per_item is not None and rule.per_item > maximum:
        yield "mỗi mục", rule.per_item


def _reachable(rule, maximum: float) -> float:
    """The most points a rule can give for a given maximum (capped at it)."""
    if isinstance(rule, PartsRule):
        total = 0.0
        for part in rule.parts:
            points = part.points if part.points is not None else part.share * maximum
            total += min(_reachable(part.rule, points), points)
        return min(total, maximum)
    if isinstance(rule, (StepsRule, ChoiceRule, YesNoRule, DateRule)) or (
            isinstance(rule, GrowthRule) and rule.steps is not None):
        awards = [points for label, points in _awards(rule, maximum)]
        if isinstance(rule, DateRule):
            awards.append(rule.early.points if rule.early.points is not None else rule.early.share * maximum)
        return min(max(awards), maximum)
    return maximum  # proportional rules and typed points reach the maximum


def _check_rules(compiled: CompiledFramework, warnings: list[dict], nodes=None, reading: str | None = None) -> None:
    for node in nodes if nodes is not None else compiled.leaves:
        rule = node.indicator.rule
        if rule is None or rule.kind == "kpi":
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
                if isinstance(current, PartsRule):
                    part_total = 0.0
                    for part in current.parts:
                        points = part.points if part.points is not None else part.share * limit
                        part_total += points
                        rules.append((part.rule, points, f"phần '{part.label}': "))
                    if part_total > limit + 1e-9:
                        warnings.append(_warning(node.code, f"{said}các phần cộng lại {_n(part_total)} điểm, "
                                                            f"vượt điểm tối đa {_n(limit)}",
                                                 f"parts_above_max/{node.code}{tail}"))
                    continue
                for label, points in _awards(current, limit):
                    if points > limit + 1e-9 and (label, points) not in seen:
                        seen.add((label, points))
                        warnings.append(_warning(
                            node.code,
                            f"{said}{where}{label} cho {_n(points)} điểm, lớn hơn điểm tối đa {_n(limit)} "
                            f"(khi chấm sẽ tính tối đa {_n(limit)})",
                            f"award_above_max/{node.code}{tail}",
                        ))
                if isinstance(current, DateRule):
                    _check_date(node, current, limit, warnings, said, tail)
                if isinstance(current, StepsRule):
                    _check_gaps(node, current, warnings, said, tail)
            best = _reachable(rule, maximum)
            if maximum > 0 and best < maximum - 1e-9:
                warnings.append(_warning(
                    node.code,
                    f"{said}cao nhất chỉ đạt {_n(best)} trên điểm tối đa {_n(maximum)}: không đơn vị nào đạt tối đa",
                    f"max_unreachable/{node.code}{tail}",
                ))


def _check_date(node, rule: DateRule, maximum: float, warnings: list[dict], said: str, tail: str) -> None:
    def value(award):
        return award.points if award.points is not None else award.share * maximum

    late = value(rule.otherwise)
    if value(rule.early) < late - 1e-9:
        warnings.append(_warning(
            node.code,
            f"{said}ngày trước {rule.since} được {_n(value(rule.early))} điểm, ít hơn ngày sau hạn "
            f"({_n(late)} điểm): làm sớm bị điểm thấp hơn làm muộn",
            f"date_early_below_late/{node.code}{tail}",
        ))


def _check_gaps(node, rule: StepsRule, warnings: list[dict], said: str, tail: str) -> None:
    """A threshold value that no written step covers while values on both sides of it are covered
    ("Trên 80%" / "<80%": exactly 80% is in neither)."""
    from .scoring import _parse_when

    conditions = [_parse_when(step.when) for step in rule.steps]
    for threshold in sorted({t for _, t in conditions}):
        def covered(value: float) -> bool:
            return any(op(value, t) for op, t in conditions)

        epsilon = max(abs(threshold), 1.0) * 1e-9
        if not covered(threshold) and covered(threshold - epsilon) and covered(threshold + epsilon):
            warnings.append(_warning(
                node.code,
                f"{said}giá trị đúng bằng {_n(threshold)} không thuộc mức nào văn bản ghi "
                f"(khi chấm tính theo mức còn lại)",
                f"steps_gap/{node.code}@{_n(threshold)}{tail}",
            ))


def _check_maturity(compiled: CompiledFramework, warnings: list[dict]) -> None:
    from .scoring import _parse_when

    for node in compiled.leaves:
        maturity = node.indicator.maturity
        if maturity is None or maturity.levels is None:
            continue
        previous = None
        for index, condition in enumerate(maturity.levels):
            if condition is None or condition.when is None:
                continue
            op, threshold = _parse_when(condition.when)
            if previous is not None:
                prev_level, prev_threshold, prev_op = previous
                if op is prev_op and op.__name__ in ("ge", "gt") and threshold < prev_threshold:
                    warnings.append(_warning(
                        node.code,
                        f"ngưỡng mức {index + 1} ({_n(threshold)}) thấp hơn ngưỡng mức {prev_level} "
                        f"({_n(prev_threshold)})",
                        f"maturity_falls/{node.code}/{index + 1}",
                    ))
            previous = (index + 1, threshold, op)
