"""docs/frameworks.md and `dti validate` agree: every machine-checked row names a warning the
validator gives for a bundled framework, and every warning it gives is named by a row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dti.engine import load_framework
from dti.engine.validate import validate_framework

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "frameworks.md").read_text(encoding="utf-8")
ROWS = [line for line in DOC.splitlines() if re.match(r"^\| [a-z0-9-]+ #\d+ \|", line)]
NAMED = re.compile(r"`W:([a-z0-9.-]+):([^`]+)`")


@pytest.fixture(scope="module")
def validator_ids() -> set[tuple[str, str]]:
    found = set()
    for path in sorted((ROOT / "dti" / "frameworks").glob("*.yaml")):
        report = validate_framework(load_framework(path))
        assert report["errors"] == [], path.name
        found |= {(report["framework"], w["id"]) for w in report["warnings"]}
    return found


def _documented_ids() -> set[tuple[str, str]]:
    return {match for row in ROWS for match in NAMED.findall(row.rsplit(" | ", 1)[-1])}


def test_every_row_says_how_it_is_reported():
    assert len(ROWS) >= 78
    for row in ROWS:
        last = row.rsplit(" | ", 1)[-1]
        assert NAMED.search(last) or re.match(r"(no machine|not the framework's): \S", last), row[:80]


def test_every_documented_warning_is_given_by_the_validator(validator_ids):
    assert _documented_ids() - validator_ids == set()


def test_every_validator_warning_is_documented(validator_ids):
    assert validator_ids - _documented_ids() == set()
