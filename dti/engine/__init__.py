"""The scoring engine: pure Python + numpy, no web framework.

    from dti.engine import load_framework, validate_framework, score
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .compiled import CompiledFramework, compile_framework
from .model import Framework


def load_framework(source: str | Path | dict[str, Any]) -> Framework:
    """Read a framework from a YAML path, YAML text or an already-parsed mapping."""
    if isinstance(source, dict):
        return Framework.model_validate(source)
    path = Path(source)
    if isinstance(source, Path) or (len(str(source)) < 4096 and path.suffix in {".yaml", ".yml"}):
        text = path.read_text(encoding="utf-8")
    else:
        text = str(source)
    return Framework.model_validate(yaml.safe_load(text))


__all__ = ["CompiledFramework", "Framework", "compile_framework", "load_framework"]
