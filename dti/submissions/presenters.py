"""View models for the data-entry form, built in Python (cheaper than template lookups)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dti.results.selectors import PEERS_HIDDEN

from .evidence import ACCEPT
from .services import NO_WORDS, YES_WORDS, Conflict

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
    original: str = ""  # what the database holds now: sent back with the save as "what I saw"
    conflict: Conflict | None = None  # somebody else saved this field differently meanwhile
    rejected: str = ""  # why what was typed could not be stored (shown, with the typed text kept)
    posted_value: str | None = None  # the reviewer's input as typed, after a refused action
    origin: str = ""  # "Tự động từ Hue-S, cập nhật …": provided by a platform, not edited by hand

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
        if word in YES_WORDS:
            return "1"
        if word in NO_WORDS:
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
            if word in YES_WORDS:
                return _("Có")
            if word in NO_WORDS:
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
    def conflict_value(self) -> str:
        """The other person's value as this field's input takes it (an option's value, 1/0)."""
        raw = self.conflict.theirs if self.conflict is not None else ""
        word = raw.strip().lower()
        if self.type == "yes_no":
            return "1" if word in YES_WORDS else "0" if word in NO_WORDS else raw
        for value, label in self.options:
            if word in (value, label.lower()):
                return value
        return raw

    @property
    def conflict_display(self) -> str:
        return self.show(self.conflict.theirs) if self.conflict is not None else ""

    @property
    def choice_value(self) -> str:
        word = (self.raw or "").strip().lower()
        for value, label in self.options:
            if word in (value, label.lower()):
                return value
        return self.raw


def _error_in_language(spec, value) -> str:
    """The stored error (Vietnamese, as saved) or, in another language, the same check said in it."""
    if value is None or not value.error:
        return ""
    lang = get_language() or "vi"
    if lang.startswith("vi"):
        return value.error
    from .services import validate_raw

    return validate_raw(spec, value.raw, lang)[1] or value.error


def field_view(spec, value, kept=None) -> FieldView:
    """``kept``: (typed text, Conflict or None, rejection message) when the last save did not store it."""
    options = [(o.value, o.label) for o in (spec.spec.options or [])]
    stored = value.raw if value is not None else ""
    if kept is not None:
        typed, conflict, rejected = kept
        return FieldView(
            name=spec.name, id=dom_id("f", spec.name), label=spec.label, type=spec.type, unit=spec.spec.unit,
            help=spec.spec.help, options=options, raw=typed, error=rejected, verified_raw=None,
            placeholder=TYPE_HINTS.get(spec.type, ""), original=stored, conflict=conflict, rejected=rejected,
        )
    return FieldView(
        name=spec.name,
        id=dom_id("f", spec.name),
        label=spec.label,
        type=spec.type,
        unit=spec.spec.unit,
        help=spec.spec.help,
        options=options,
        raw=stored,
        error=_error_in_language(spec, value),
        verified_raw=value.verified_raw if value is not None else None,
        placeholder=TYPE_HINTS.get(spec.type, ""),
        original=stored,
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
    status_original: str = ""
    note_original: str = ""
    answer: str | None = None  # the unit's explanation as typed (None: the saved one)
    kept: dict = field(default_factory=dict)  # 'st'/'note'/'ans' -> (typed, Conflict or None, rejection)
    seen: str = ""  # the review item as this page shows it (review.services.item_token)
    posted_reason: str = ""
    posted_comment: str = ""
    pillar: str = ""  # the top-level heading's code: the table of contents counts per pillar
    printed: str = ""  # the code as the document prints it ('I.1' for 'xa.I.1')

    @property
    def params(self) -> str:
        return ",".join([f"f:{f.name}" for f in self.fields] + [f"st:{self.code}"])

    @property
    def returned(self) -> bool:
        return getattr(self.review, "status", None) == "returned"

    @property
    def errors(self) -> list[tuple[str, str, str]]:
        """(element id, what, message) of every problem on this indicator, for the error summary."""
        found = []
        for f in self.fields:
            if f.error:
                found.append((f.id, f.label, f.error))
            elif f.conflict is not None:
                found.append((f.id, f.label, _("Chưa lưu — xung đột với giá trị người khác vừa lưu")))
        for part, element, what in (("st", "st", _("Tình trạng")), ("note", "note", _("Ghi chú, thuyết minh")),
                                    ("ans", "ans", _("Giải trình của đơn vị"))):
            kept = self.kept.get(part)
            if kept and (kept[2] or kept[1] is not None):
                found.append((f"{element}-{self.anchor}", what,
                               kept[2] or _("Chưa lưu — xung đột với giá trị người khác vừa lưu")))
        for message in self.file_errors:
            found.append((f"ev-{self.anchor}", _("Tài liệu kiểm chứng"), message))
        for message in self.problems:
            found.append((f"pv-{self.anchor}", _("Kiểm tra số liệu"), message))
        return found

    @property
    def filters(self) -> str:
        """Data attribute words for the form's filters (empty / returned / without evidence / with errors)."""
        words = []
        if not self.computed and not self.filled:
            words.append("empty")
        if self.returned:
            words.append("returned")
        if not self.computed and not self.evidence:
            words.append("noevidence")
        if self.errors:
            words.append("errors")
        return " ".join(words)


@dataclass
class HeadingView:
    is_heading = True
    code: str
    name: str
    depth: int
    max: float | None
    printed: str = ""  # the code as the document prints it

    @property
    def anchor(self) -> str:
        return dom_id("p", self.code)


def contents(sections) -> list[dict]:
    """The form's table of contents: each pillar with its indicators filled / to fill."""
    pillars: list[dict] = []
    for s in sections:
        if s.is_heading:
            if s.depth == 0:
                pillars.append({"code": s.printed or s.code, "name": s.name, "anchor": s.anchor, "filled": 0, "total": 0,
                                "errors": 0, "returned": 0})
            continue
        if not pillars or s.computed:
            continue
        pillar = pillars[-1]
        pillar["total"] += 1
        pillar["filled"] += s.filled
        pillar["errors"] += bool(s.errors)
        pillar["returned"] += s.returned
    return pillars


def error_summary(general, sections) -> list[dict]:
    """Every problem on the form, each linking to its field (general information first)."""
    rows = []
    for _group, fields in general:
        for f in fields:
            if f.error or f.conflict is not None:
                rows.append({"id": f.id, "code": "", "what": f.label,
                             "message": f.error or _("Chưa lưu — xung đột với giá trị người khác vừa lưu")})
    for s in sections:
        if not s.is_heading:
            rows.extend({"id": element, "code": s.printed or s.code, "what": what, "message": message}
                        for element, what, message in s.errors)
    return rows


def _kept(outcome) -> dict:
    """The form's names of what a save kept back -> (typed, Conflict or None, rejection message)."""
    if outcome is None:
        return {}
    kept = {key: (typed, None, message) for key, (typed, message) in outcome.rejected.items()}
    kept.update({key: (c.mine, c, "") for key, c in outcome.conflicts.items()})
    return kept


def entry_view(layout, values, notes, evidence, review_items, scope, *, scorecard=None, file_errors=None,
               entry_url: str = "", audit_url: str = "", outcome=None, origins=None, peers_hidden=frozenset()):
    """(general groups, sections) with every field's raw text and message.

    ``peers_hidden``: indicators whose explanation says how they are scored instead of naming other
    units' figures (viewers outside the lead agency).
    ``outcome``: the last save's SaveOutcome; what it did not store (conflicts, rejected text)
    is shown as typed, with the reason, so nothing the person typed is lost.
    """
    from .selectors import leaf_filled

    kept = _kept(outcome)
    origins = origins or {}

    def view(spec):
        field = field_view(spec, values.get(spec.name), kept.get(f"f:{spec.name}"))
        field.origin = origins.get(spec.name, "")
        return field

    general = [(group, [view(s) for s in specs]) for group, specs in layout.general]
    rows = {r.code: r for r in scorecard.rows} if scorecard is not None else {}
    problems: dict[str, list[str]] = {}
    if scorecard is not None:
        for p in scorecard.self_problems:
            if p.indicator and not (p.field and values.get(p.field) is not None and values[p.field].error):
                problems.setdefault(p.indicator, []).append(p.text(get_language()))
    sections: list[HeadingView | LeafView] = []
    pillar = ""
    for section in layout.sections:
        if section.leaf is None:
            sections.append(HeadingView(section.node.code, section.node.indicator.name, section.depth, section.max_points,
                                        section.printed or section.node.code))
            if section.depth == 0:
                pillar = section.node.code
            continue
        leaf = section.leaf
        status = values.get(f"{leaf.code}.status")
        row = rows.get(leaf.code)
        leaf_kept = {part: kept[f"{part}:{leaf.code}"] for part in ("st", "note", "ans") if f"{part}:{leaf.code}" in kept}
        stored_status = status.raw if status is not None else ""
        stored_note = notes.get(leaf.code, "")
        sections.append(LeafView(
            code=leaf.code,
            printed=leaf.printed or leaf.code,
            anchor=dom_id("i", leaf.code),
            name=leaf.indicator.name,
            max=leaf.max_points,
            indicator=leaf.indicator,
            fields=[view(s) for s in leaf.fields],
            computed=leaf.computed,
            status=leaf_kept["st"][0] if "st" in leaf_kept else stored_status,
            note=leaf_kept["note"][0] if "note" in leaf_kept else stored_note,
            evidence=evidence.get(leaf.code, []),
            file_errors=(file_errors or {}).get(leaf.code, []),
            review=review_items.get(leaf.code),
            editable=scope is None or leaf.code in scope,
            score=row.self_score if row else None,
            score_max=row.max if row else None,
            explain=(str(PEERS_HIDDEN) if leaf.code in peers_hidden and (row.self_explain or row.explain)
                     else (row.self_explain or row.explain)) if row else "",
            filled=leaf_filled(leaf, values),
            problems=problems.get(leaf.code, []),
            preview_url=f"{entry_url}preview/{leaf.code}/",
            audit_url=f"{audit_url}?indicator={quote(leaf.code)}",
            evidence_base=f"{entry_url}evidence/",
            status_original=stored_status,
            note_original=stored_note,
            answer=leaf_kept["ans"][0] if "ans" in leaf_kept else None,
            kept=leaf_kept,
            pillar=pillar,
        ))
    return general, sections


EVIDENCE_ACCEPT = ACCEPT
