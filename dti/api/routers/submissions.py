"""A unit's values: read them, write a draft (the form's service, conflicts and audit), move the file on."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from dti.accounts.models import UNIT_EDITORS
from dti.api import scope
from dti.api.errors import ApiError, forbidden, not_found
from dti.api.schemas import (
    CODE_PATTERN,
    COMMON,
    ID,
    ConflictOut,
    SaveOut,
    TransitionIn,
    TransitionOut,
    ValuesIn,
    ValuesOut,
    errors,
)
from dti.connectors.selectors import origins
from dti.methodologies.selectors import form_layout
from dti.site.text import NOTE_MAX, normalise, text_error
from dti.submissions import workflow
from dti.submissions.models import State
from dti.submissions.selectors import notes_map, values_map
from dti.submissions.services import editable_indicators, save_entry

router = Router(tags=["submissions"])
UNIT = {"max_length": 50, "pattern": CODE_PATTERN}


def _allowed_fields(principal) -> set[str] | None:
    return set(principal.token.fields) if principal.is_service else None


@router.get("/campaigns/{campaign_id}/units/{unit_code}/values", response={200: ValuesOut, **errors(*COMMON)},
            summary="Số liệu của một đơn vị (như đã nhập, lỗi, giá trị thẩm định)")
def read_values(request, campaign_id: int = Path(..., **ID), unit_code: str = Path(..., **UNIT)):
    submission, roles = scope.submission(request, campaign_id, unit_code)
    allowed = _allowed_fields(request.auth)
    marks = origins(submission)
    values = {name: {"value": v.raw, "error": v.error, "verified": v.verified_raw, "origin": marks.get(name)}
              for name, v in values_map(submission).items() if allowed is None or name in allowed}
    notes = {} if allowed is not None else notes_map(submission)
    editable = bool(roles & UNIT_EDITORS or request.auth.is_service) and editable_indicators(submission) != set()
    return {"campaign_id": campaign_id, "unit": unit_code, "state": submission.state,
            "revision": workflow.revision(submission), "editable": editable, "values": values, "notes": notes}


@router.put("/campaigns/{campaign_id}/units/{unit_code}/values",
            response={200: SaveOut, **errors(403, *COMMON), 409: ConflictOut},
            summary="Ghi số liệu nháp cho đơn vị của mình (như biểu mẫu: kiểm tra, xung đột, nhật ký)")
def write_values(request, body: ValuesIn, campaign_id: int = Path(..., **ID), unit_code: str = Path(..., **UNIT)):
    principal = request.auth
    submission, roles = scope.submission(request, campaign_id, unit_code)
    principal.require_write()
    if not principal.is_service and not roles & UNIT_EDITORS:
        raise forbidden(_("Chỉ cán bộ nhập liệu hoặc lãnh đạo của đơn vị mới ghi được số liệu."))
    layout = form_layout(submission.campaign.framework, submission.unit.level_id)
    allowed = _allowed_fields(principal)
    unknown = sorted(n for n in body.values if n not in layout.field_names)
    if unknown:
        raise ApiError(422, "unknown_field", _("Bộ chỉ số không có các trường: %(f)s.") % {"f": ", ".join(unknown[:20])},
                       {"fields": unknown[:100]})
    if allowed is not None:
        outside = sorted(set(body.values) - allowed)
        if outside or body.notes:
            raise forbidden(_("Mã của nền tảng không được ghi các trường: %(f)s.")
                            % {"f": ", ".join(outside[:20]) or _("ghi chú")}, "token_scope")
    bad_notes = {code: text_error(normalise(n.text), max_length=NOTE_MAX) for code, n in body.notes.items()}
    unknown_notes = sorted(c for c in body.notes if c not in layout.leaf_by_code)
    if unknown_notes:
        raise ApiError(422, "unknown_indicator", _("Bộ chỉ số không có các chỉ số: %(f)s.")
                       % {"f": ", ".join(unknown_notes[:20])}, {"indicators": unknown_notes[:100]})
    values = {name: v.value for name, v in body.values.items()}
    notes = {code: n.text for code, n in body.notes.items()}
    originals = {f"f:{name}": v.base for name, v in body.values.items() if v.base is not None}
    originals.update({f"note:{code}": n.base for code, n in body.notes.items() if n.base is not None})
    platform = principal.token.platform if principal.is_service else None
    outcome = save_entry(submission, user=principal.token.user, values=values, notes=notes, originals=originals,
                         from_platform=platform is not None)
    if platform:  # what the platform wrote is marked as coming from it
        from dti.connectors.services import mark_from_platform

        kept = {key.split(":", 1)[1] for key in [*outcome.conflicts, *outcome.rejected]}
        mark_from_platform(submission, [n for n in values if n not in kept], platform=platform)
    rejected = {key.split(":", 1)[1]: why for key, (_typed, why) in outcome.rejected.items()}
    rejected.update({code: why for code, why in bad_notes.items() if why})
    if rejected:
        raise ApiError(422, "rejected_text", _("Một số nội dung không lưu được; xem 'details'. Phần còn lại đã lưu."),
                       {"rejected": rejected, "changed": outcome.changed})
    if outcome.conflicts:
        conflicts = {key.split(":", 1)[1]: {"mine": c.mine, "theirs": c.theirs, "who": c.who, "when": c.when}
                     for key, c in outcome.conflicts.items()}
        return Status(409, {"code": "conflict", "changed": outcome.changed, "conflicts": conflicts,
                     "message": _("Người khác đã lưu giá trị khác cho %(n)d trường sau lần đọc của bạn; các trường "
                                  "đó chưa được ghi. Đọc lại rồi quyết định.") % {"n": len(conflicts)}})
    submission.refresh_from_db(fields=["state", "updated_at"])
    return {"changed": outcome.changed, "state": submission.state, "revision": workflow.revision(submission),
            "errors": outcome.errors}


@router.post("/campaigns/{campaign_id}/units/{unit_code}/transitions/{name}",
             response={200: TransitionOut, **errors(403, 409, *COMMON)},
             summary="Chuyển trạng thái hồ sơ (bảng chuyển trạng thái duy nhất của quy trình)")
def transition(request, body: TransitionIn, campaign_id: int = Path(..., **ID), unit_code: str = Path(..., **UNIT),
               name: str = Path(..., max_length=30, pattern=r"^[a-z_]+$")):
    principal = request.auth
    principal.require_personal()
    submission, roles = scope.submission(request, campaign_id, unit_code)
    step = workflow.TRANSITIONS.get(name)
    if step is None:
        raise not_found()
    principal.require_write()
    if not step.roles & roles:
        raise forbidden()
    reason = normalise(body.reason)
    problem = text_error(reason, max_length=2000)
    if problem:
        raise ApiError(422, "rejected_text", problem, {"reason": problem})
    workflow.run(submission, name, user=principal.token.user, expected_state=body.expected_state or None,
                 expected_revision=body.expected_revision or None, reason=reason)
    return {"state": submission.state, "state_label": str(State(submission.state).label), "message": str(step.done)}
