"""Reading the audit trail, and saying each event in words people read.

Events keep plain columns (``1.3.a``, ``approved``, ``giam_doc``, a login name) so that the
trail outlives what it describes; the words — the person's full name, the input's label, the
indicator's code as printed, a state's or a status's name, a choice's option label — are
looked up when the trail is shown, in the language of the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .models import AuditEvent

TRAIL_LIMIT = 500


def submission_trail(submission, indicator: str | None = None, limit: int = 200):
    qs = AuditEvent.objects.filter(submission_id=submission.pk)
    if indicator:
        qs = qs.filter(indicator=indicator)
    return list(qs.order_by("-at", "-id")[:limit])


def campaign_trail(campaign, limit: int = 300):
    return list(AuditEvent.objects.filter(campaign_id=campaign.pk).order_by("-at", "-id")[:limit])


@dataclass(frozen=True)
class TrailFilter:
    """What the trail is narrowed to (already validated): indicator code, person, days (inclusive)."""

    indicator: str = ""
    user_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def filtered_trail(submission, flt: TrailFilter, limit: int = TRAIL_LIMIT) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(submission_id=submission.pk).select_related("user")
    if flt.indicator:
        qs = qs.filter(indicator=flt.indicator)
    if flt.user_id is not None:
        qs = qs.filter(user_id=flt.user_id)
    zone = timezone.get_current_timezone()
    if flt.since is not None:
        qs = qs.filter(at__gte=dt.datetime.combine(flt.since, dt.time.min, tzinfo=zone))
    if flt.until is not None:
        qs = qs.filter(at__lt=dt.datetime.combine(flt.until + dt.timedelta(days=1), dt.time.min, tzinfo=zone))
    return list(qs.order_by("-at", "-id")[:limit])


def trail_people(submission) -> list[tuple[int, str]]:
    """(user id, full name) of everybody who appears in the submission's trail, by name."""
    ids = set(AuditEvent.objects.filter(submission_id=submission.pk).exclude(user=None)
              .values_list("user_id", flat=True).distinct())
    people = [(u.pk, person_name(u)) for u in get_user_model().objects.filter(pk__in=ids)]
    return sorted(people, key=lambda p: p[1].lower())


def trail_indicators(submission) -> list[str]:
    return sorted(set(AuditEvent.objects.filter(submission_id=submission.pk).exclude(indicator="")
                      .values_list("indicator", flat=True).distinct()), key=_code_key)


def _code_key(code: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


# --------------------------------------------------------------------------- words


@dataclass
class TrailLine:
    """One event as people read it."""

    event: AuditEvent
    who: str
    action: str  # "Sửa số liệu"
    indicator: str  # the code as printed, '' when the event is about the whole submission
    field: str  # the input's label ("Số cuộc họp có Giám đốc chủ trì (a)"), "thuyết minh", "trạng thái"…
    old: str
    new: str
    reason: str
    html: SafeString  # the sentence, the field's label emphasised
    text: str  # the same sentence without markup (XLSX)

    @property
    def at(self) -> dt.datetime:
        return self.event.at


def action_labels() -> dict[str, str]:
    return {
        "value.change": _("Sửa số liệu"),
        "value.verify": _("Thẩm định số liệu"),
        "note.change": _("Sửa thuyết minh"),
        "evidence.add": _("Thêm tài liệu"),
        "evidence.delete": _("Xóa tài liệu"),
        "submission.state": _("Chuyển trạng thái"),
        "review.accept": _("Chấp nhận"),
        "review.adjust": _("Điều chỉnh"),
        "review.return": _("Trả lại"),
        "review.answer": _("Giải trình"),
    }


class Words:
    """Labels of one submission's framework: field names → input labels, values → option labels."""

    def __init__(self, submission):
        from dti.methodologies.selectors import compiled_for

        self.compiled = compiled_for(submission.campaign.framework)
        self.actions = action_labels()
        self._printed: dict[str, str] = {}

    def printed_code(self, code: str) -> str:
        """The indicator's number as the document prints it: its ``meta.stt`` and its parents'
        (Kon Tum's ``xa.I.1`` is "I.1"); the code itself where the file gives no ``stt``."""
        if code not in self._printed:
            parts, current = [], code
            while current and current in self.compiled.nodes:
                node = self.compiled.nodes[current]
                stt = (node.indicator.meta or {}).get("stt")
                if stt is None:
                    break
                parts.append(str(stt))
                current = node.parent or ""
            self._printed[code] = ".".join(reversed(parts)) if parts and not current else code
        return self._printed[code]

    def field_label(self, event: AuditEvent) -> str:
        if event.field == "state":
            return _("trạng thái hồ sơ")
        if event.field == "status":
            return _("kết quả thẩm định")
        if event.field == "note":
            return _("thuyết minh")
        if event.field == "evidence":
            return _("tài liệu kiểm chứng")
        if event.field == "answer":
            return _("giải trình")
        spec = self.compiled.fields.get(event.field)
        if spec is None:
            return event.field
        return f"{spec.label} ({spec.spec.var})"

    def value(self, event: AuditEvent, raw: str) -> str:
        from dti.review.models import ItemStatus
        from dti.submissions.models import State
        from dti.submissions.services import NO_WORDS, YES_WORDS

        if raw == "":
            return ""
        if event.field == "state":
            return str(State(raw).label) if raw in State.values else raw
        if event.field == "status":
            return str(ItemStatus(raw).label) if raw in ItemStatus.values else raw
        spec = self.compiled.fields.get(event.field)
        if spec is None:
            return raw
        word = raw.strip().lower()
        if spec.type == "choice":
            for option in spec.spec.options or []:
                if word in (option.value, option.label.lower()):
                    return option.label
        if spec.type == "yes_no":
            if word in YES_WORDS:
                return _("Có")
            if word in NO_WORDS:
                return _("Không")
        return raw

    def line(self, event: AuditEvent) -> TrailLine:
        who = person_name(event.user) or event.username or _("(hệ thống)")
        field = self.field_label(event)
        old, new = self.value(event, event.old), self.value(event, event.new)
        code = self.printed_code(event.indicator) if event.indicator else ""
        template = self._template(event, old, new)
        parts = {"who": who, "field": field, "code": code, "old": old, "new": new}
        when = formats.date_format(timezone.localtime(event.at), "H:i d/m/Y")
        tail = _(" lúc %(when)s") % {"when": when}
        if event.reason:
            tail += _(" — lý do: %(reason)s") % {"reason": event.reason}
        text = template % parts + tail
        html_parts = {k: format_html("<em>{}</em>", v) if k == "field" else format_html("{}", v) for k, v in parts.items()}
        html = format_html("{}{}", SafeString(template % html_parts), tail)
        return TrailLine(event, who, self.actions.get(event.action, event.action), code, field, old, new,
                         event.reason, html, text)

    def _template(self, event: AuditEvent, old: str, new: str) -> str:
        action = event.action
        if action == "value.change":
            if not old:
                return _("%(who)s nhập %(field)s của chỉ số %(code)s: %(new)s")
            if not new:
                return _("%(who)s xóa %(field)s của chỉ số %(code)s (trước đó %(old)s)")
            return _("%(who)s đổi %(field)s của chỉ số %(code)s từ %(old)s thành %(new)s")
        if action == "value.verify":
            return _("%(who)s thẩm định %(field)s của chỉ số %(code)s: từ %(old)s thành %(new)s")
        if action == "note.change":
            return _("%(who)s sửa thuyết minh của chỉ số %(code)s")
        if action == "evidence.add":
            return _("%(who)s thêm tài liệu «%(new)s» vào chỉ số %(code)s")
        if action == "evidence.delete":
            return _("%(who)s xóa tài liệu «%(old)s» của chỉ số %(code)s")
        if action == "submission.state":
            return _("%(who)s chuyển hồ sơ từ «%(old)s» sang «%(new)s»")
        if action == "review.accept":
            return _("%(who)s chấp nhận số liệu chỉ số %(code)s")
        if action == "review.adjust":
            return _("%(who)s điều chỉnh số liệu chỉ số %(code)s")
        if action == "review.return":
            return _("%(who)s trả lại chỉ số %(code)s để bổ sung")
        if action == "review.answer":
            return _("%(who)s giải trình chỉ số %(code)s: %(new)s")
        label = self.actions.get(action, action).replace("%", "%%")
        return "%(who)s: " + label


def trail_lines(submission, events: list[AuditEvent]) -> list[TrailLine]:
    words = Words(submission)
    return [words.line(e) for e in events]
