"""The registry of rule kinds: each kind's module calls ``register`` once."""

from __future__ import annotations

from typing import Any

from .base import RuleKind, RuleModel

KINDS: dict[str, RuleKind[Any]] = {}


def register(kind: RuleKind[Any]) -> RuleKind[Any]:
    if kind.name in KINDS:
        raise ValueError(f"rule kind '{kind.name}' is registered twice")
    KINDS[kind.name] = kind
    return kind


def kind_of(rule: RuleModel) -> RuleKind[Any]:
    """The kind that scores, checks and explains ``rule``."""
    return KINDS[rule.kind]
