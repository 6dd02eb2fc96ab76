"""Readings: where a document reads two ways, the framework declares both and a run picks one.

An indicator with ``readings`` has no ``rule`` of its own; before compiling, every such
indicator gets the rule of the chosen reading (by default the one marked ``default``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .model import Framework, Indicator, Reading


class ReadingError(ValueError):
    """A chosen reading that the framework does not declare."""


def declared_readings(framework: Framework) -> dict[str, list[Reading]]:
    """Indicator code → its readings, in document order, for every indicator that has them."""
    return {node.code: list(node.readings) for node, _ in framework.walk() if node.readings}


def alternatives(framework: Framework) -> list[tuple[str, Reading]]:
    """(indicator code, reading) of every reading that is not its indicator's default."""
    return [(code, r) for code, readings in declared_readings(framework).items() for r in readings if not r.default]


def parse_choices(items: Iterable[str]) -> dict[str, str]:
    """``["6.13=growth", "3.3=so_annex"]`` → ``{"6.13": "growth", "3.3": "so_annex"}``."""
    choices: dict[str, str] = {}
    for item in items:
        code, sep, name = item.partition("=")
        if not sep or not code.strip() or not name.strip():
            raise ReadingError(f"cách đọc '{item}' phải có dạng MÃ_CHỈ_SỐ=TÊN_CÁCH_ĐỌC, vd. 6.13=growth")
        if code.strip() in choices:
            raise ReadingError(f"chỉ số '{code.strip()}' được chọn cách đọc hai lần")
        choices[code.strip()] = name.strip()
    return choices


def check_choices(framework: Framework, choices: Mapping[str, str]) -> None:
    """Raise a clear message for a code without readings or a reading that does not exist."""
    declared = declared_readings(framework)
    for code, name in choices.items():
        if code not in declared:
            with_readings = ", ".join(declared) or "không có"
            raise ReadingError(f"chỉ số '{code}' không có cách đọc nào để chọn (chỉ số có cách đọc: {with_readings})")
        names = [r.name for r in declared[code]]
        if name not in names:
            raise ReadingError(f"chỉ số '{code}' không có cách đọc '{name}' (có: {', '.join(names)})")


def resolve(framework: Framework, choices: Mapping[str, str] | None = None) -> tuple[Framework, dict[str, str]]:
    """The framework with each indicator's readings replaced by the chosen (or default) reading's
    rule, and which reading each such indicator uses.  Unchanged when no indicator has readings."""
    choices = dict(choices or {})
    check_choices(framework, choices)
    if not any(node.readings for node, _ in framework.walk()):
        return framework, {}
    used: dict[str, str] = {}

    def copy(indicator: Indicator) -> Indicator:
        if indicator.readings:
            reading = indicator.reading(choices[indicator.code]) if indicator.code in choices \
                else indicator.default_reading
            assert reading is not None  # check_choices and the model's validator saw to it
            used[indicator.code] = reading.name
            return indicator.model_copy(update={"rule": reading.rule, "readings": []})
        if indicator.children:
            return indicator.model_copy(update={"children": [copy(c) for c in indicator.children]})
        return indicator

    resolved = framework.model_copy(update={"indicators": [copy(i) for i in framework.indicators]})
    return resolved, used
