"""Huế QĐ 931 asks for "File điện tử có ký số" in the evidence column of eleven criteria
(shared/seeds/003: I.1 "Quyết định bằng file điện tử có ký số", I.2 "Thông báo kết luận bằng file
điện tử có ký số", II.1 "File điện tử có ký số.", … IX.6 "Báo cáo bằng file điện tử có ký số theo
mẫu"); the framework marks exactly those with ``evidence_signed``."""

from __future__ import annotations

from pathlib import Path

from dti.engine import load_framework

FRAMEWORK = Path(__file__).resolve().parents[2] / "dti" / "frameworks" / "hue-931-2024.yaml"
SIGNED = {"I.1", "I.2", "II.1", "II.2", "IV.1", "IV.2", "IV.3", "IV.5", "VI.7", "VIII.1", "IX.6"}


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


def test_signed_evidence_is_asked_exactly_where_the_document_says_ky_so():
    indicators = list(_walk(load_framework(FRAMEWORK).indicators))
    assert {i.code for i in indicators if i.evidence_signed} == SIGNED
    assert {i.code for i in indicators if i.evidence and "có ký số" in i.evidence} == SIGNED


def test_evidence_signed_defaults_to_false():
    from dti.engine.model import Indicator

    assert Indicator(code="1", name="x").evidence_signed is False
