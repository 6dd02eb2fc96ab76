"""Codes as the document prints them (compiled.printed) and what holds a unit at its maturity level."""

from pathlib import Path

import yaml

from dti.engine.data import Unit, build_dataset
from dti.engine.explain import holding_back
from dti.engine.scoring import score

from .helpers import AB, compiled_of, framework, leaf

ROOT = Path(__file__).resolve().parents[2]


def _kontum():
    return compiled_of(yaml.safe_load((ROOT / "dti/frameworks/kontum-121-2025.yaml").read_text(encoding="utf-8")))


def test_level_prefixed_codes_print_as_the_document_numbers_them():
    compiled = _kontum()
    assert (compiled.printed("xa.I.1"), compiled.printed("huyen.II.3"), compiled.printed("xa.III")) == ("I.1", "II.3", "III")
    assert not any(code.startswith(("xa.", "huyen.")) for code in compiled.printed_codes.values())


def test_codes_without_stt_print_as_they_are():
    compiled = compiled_of(framework([{"code": "1", "name": "Nhóm", "children": [
        leaf("1.2", {"kind": "ratio", "value": "a / b"}, AB)]}]))
    assert compiled.printed_codes == {"1": "1", "1.2": "1.2"}


def test_holding_back_names_the_criteria_unmet_at_the_next_level():
    compiled = _kontum()
    result = score(compiled, build_dataset(compiled, [Unit("x", "x", "xa")], [("x", "xa.I.1.ty_le", "100")]))
    level, codes = holding_back(result, 0)
    assert int(result.maturity[0]) == 0 and level == 1
    assert "xa.I.2" in codes and "xa.I.1" not in codes
    assert "xa.I.4" not in codes  # not required at level 1 (null in the document)


def test_holding_back_is_empty_without_maturity_levels():
    compiled = compiled_of(framework([leaf("1", {"kind": "ratio", "value": "a / b"}, AB)]))
    result = score(compiled, build_dataset(compiled, [Unit("u", "u", "so")], []))
    assert holding_back(result, 0) == (None, [])
