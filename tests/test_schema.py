"""The published JSON Schema is generated from the pydantic models and must not drift."""

import json
from pathlib import Path

from dti.engine.model import Framework

ROOT = Path(__file__).resolve().parent.parent


def test_docs_schema_matches_models():
    published = json.loads((ROOT / "docs" / "framework.schema.json").read_text(encoding="utf-8"))
    assert published == Framework.model_json_schema(), "run `make schema` and commit docs/framework.schema.json"


def test_readme_example_validates_and_scores():
    from dti.cli import main

    assert main(["validate", str(ROOT / "docs/examples/vidu/framework.yaml")]) == 0
