"""View models for the data-entry form, built in Python (cheaper than template lookups)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils.translation import gettext as _

from .evidence import ACCEPT

_ID = re.compile(r"[^A-Za-z0-9_-]")

TYPE_HINTS = {
    "number": "", "integer": _("số nguyên"), "count": _("số nguyên ≥ 0"), "money": "", "percent": "%",
    "date": "dd/mm/yyyy",
}


def dom_id(prefix: str, name: str) -> str:
    return f"{prefix}-{_ID.sub('-', name)}"


@dataclass
class FieldView:
    name: str
    id: str
    label: str
    type: str
    unit: str | None
    help: str | None
    options: list[tuple[str, str]]
    raw: str
    error: str
    verified_raw: str | None
    placeholder: str

    @property
    def widget(self) -> str:
        if self.type == "choice":
            return "select"
        if self.type == "yes_no":
            return "yesno"
        if self.type == "text":
            return "text"
        return "number"

    @property
    def yes_no_value(self) -> str:
        word = (self.raw or "").strip().lower()
        if word in {"1", "có", "co", "yes", "true", "x", "đã", "da"}:
            return "1"
        if word in {"0", "không", "khong", "no", "false", "chưa", "chua"}:
            return "0"
        return ""

    def show(self, raw: str | None) -> str:
        """A raw value as a person reads it: the option's label, Có/Không."""
        if raw is None or raw == "":
            return "—"
        if self.type == "choice":
            word = raw.strip().lower()
            for value, label in self.options:
                if word in (value, label.lower()):
                    return label
        if self.type == "yes_no":
            word = raw.strip().lower()
            if word in {"1", "có", "co", "yes", "true", "x", "đã", "da"}:
                return _("Có")
            if word in {"0", "không", "khong", "no", "false", "chưa", "chua"}:
                return _("Không")
        return raw

    @property
    def display(self) -> str:
        return self.show(self.raw)

    @property
    def verified_display(self) -> str:
        return self.show(self.verified_raw)

    @property
    def review_value(self) -> str:
        """What the reviewer's input starts with: the verified value, else the reported one."""
        raw = self.verified_raw if self.verified_raw is not None else self.raw
        if self.type == "choice":
            word = (raw or "").strip().lower()
            for value, label in self.options:
                if word in (value, label.lower()):
                    return value
        if self.type == "yes_no":
            return {"có": "1", "co": "1", "yes": "1", "không": "0", "khong": "0", "no": "0"}.get((raw or "").lower(), raw)
        return raw

    @property
    def choice_value(self) -> str:
        word = (self.raw or "").strip().lower()
        for value, label in self.options:
            if word in (value, label.lower()):
                return value
        return self.raw


def field_view(spec, value) -> FieldView:
    options = [(o.value, o.label) for o in (spec.spec.options or [])]
    return FieldView(
        name=spec.name,
        id=dom_id("f", spec.name),
        label=spec.label,
        type=spec.type,
        unit=spec.spec.unit,
        help=spec.spec.help,
        options=options,
        raw=value.raw if value is not None else "",
        error=value.error if value is not None else "",
        verified_raw=value.verified_raw if value is not None else None,
        placeholder=TYPE_HINTS.get(spec.type, ""),
    )


@dataclass
class LeafView:
    is_heading = False
    code: str
    anchor: str
    name: str
    max: float | None
    indicator: object
    fields: list[FieldView]
    computed: bool
    status: str
    note: str
    evidence: list
    file_errors: list[str]
    review: object | None
    editable: bool
    score: float | None = None
    score_max: float | None = None
    explain: str = ""
    filled: bool = False
    problems: list[str] = field(default_factory=list)
    preview_url: str = ""
    audit_url: str = ""
    evidence_base: str = ""

    @property
    def params(self) -> str:
        return ",".join([f"f:{f.name}" for f in self.fields] + [f"st:{self.code}"])


@dataclass
class HeadingView:
    is_heading = True
    code: str
    name: str
    depth: int
    max: float | None


def entry_view(layout, values, notes, evidence, review_items, scope, *, scorecard=None, file_errors=None,
               entry_url: str = "", audit_url: str = ""):
    """(general groups, sections) with every field's raw text and message."""
    from .selectors import leaf_filled

    general = [(group, [field_view(s, values.get(s.name)) for s in specs]) for group, specs in layout.general]
    rows = {r.code: r for r in scorecard.rows} if scorecard is not None else {}
    problems: dict[str, list[str]] = {}
    if scorecard is not None:
        for p in scorecard.self_problems:
            if p.indicator and not (p.field and values.get(p.field) is not None and values[p.field].error):
                problems.setdefault(p.indicator, []).append(p.message)
    sections = []
    for section in layout.sections:
        if section.leaf is None:
            sections.append(HeadingView(section.node.code, section.node.indicator.name, section.depth, section.max_points))
            continue
        leaf = section.leaf
        status = values.get(f"{leaf.code}.status")
        row = rows.get(leaf.code)
        sections.append(LeafView(
            code=leaf.code,
            anchor=dom_id("i", leaf.code),
            name=leaf.indicator.name,
            max=leaf.max_points,
            indicator=leaf.indicator,
            fields=[field_view(s, values.get(s.name)) for s in leaf.fields],
            computed=leaf.computed,
            status=status.raw if status is not None else "",
            note=notes.get(leaf.code, ""),
            evidence=evidence.get(leaf.code, []),
            file_errors=(file_errors or {}).get(leaf.code, []),
            review=review_items.get(leaf.code),
            editable=scope is None or leaf.code in scope,
            score=row.self_score if row else None,
            score_max=row.max if row else None,
            explain=(row.self_explain or row.explain) if row else "",
            filled=leaf_filled(leaf, values),
            problems=problems.get(leaf.code, []),
            preview_url=f"{entry_url}preview/{leaf.code}/",
            audit_url=f"{audit_url}?indicator={quote(leaf.code)}",
            evidence_base=f"{entry_url}evidence/",
        ))
    return general, sections


EVIDENCE_ACCEPT = ACCEPT
