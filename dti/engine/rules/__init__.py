"""Rule kinds, one module each (model, compilation, validation, scoring, explanation).

Every module of this package is imported here; a module that defines a kind registers it
(``register(Ratio())``), and ``Rule`` is the union of the registered models that the file
format reads, told apart by ``kind``.  Adding a kind is adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Annotated, Union

from pydantic import BaseModel, Field

from .base import Award, Measured, Nested, RuleKind, RuleModel, Step, Strict, parse_when
from .registry import KINDS, kind_of, register

_modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)
            if info.name not in {"base", "registry"}]

if TYPE_CHECKING:
    Rule = RuleModel
else:
    Rule = Annotated[Union[tuple(KINDS[name].model for name in sorted(KINDS))], Field(discriminator="kind")]


def _rebuild() -> None:
    """Models that hold rules (a part, a branch) name ``Rule``: resolved now that it is known."""
    for module in _modules:
        setattr(module, "Rule", Rule)  # noqa: B010 (a name the module only knows when type checking)
    for module in _modules:
        for value in list(vars(module).values()):
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                value.model_rebuild(force=True)


_rebuild()


def rule_models() -> dict[str, type[RuleModel]]:
    return {name: kind.model for name, kind in KINDS.items()}


__all__ = ["KINDS", "Award", "Measured", "Nested", "Rule", "RuleKind", "RuleModel", "Step", "Strict", "kind_of",
           "parse_when", "register", "rule_models"]
