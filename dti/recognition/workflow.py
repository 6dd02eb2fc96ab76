"""The lifecycles of registrations, council files and decisions: one transition table each.

Same shape as ``dti/submissions/workflow.py``: a transition runs in one transaction on the
object's row locked with ``SELECT … FOR UPDATE`` and re-read there; the page sends the state
it showed (``expected_state``) and a stale page is refused with the current state, nothing
changed.  Who may act is given by the caller as role names (a unit's ``leader``, a council's
``secretary``, the campaign's administrators)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dti.accounts.models import ADMINS, Role
from dti.audit.services import record

from .models import CouncilFile, Decision, DecisionState, FileState, MemberRole, Registration, RegistrationState

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RecognitionError(Exception):
    """An action refused by the rules; the message is shown to the person."""


class StaleState(RecognitionError):
    """The page showed another state than the object is in now."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    done: StrOrPromise
    check: Callable[[Any, Any, dt.date, dict], None] | None = None
    stamp: Callable[[Any, dt.datetime, dict], dict] = field(default=lambda user, now, params: {})
    after: Callable[[Any, Any, dict], None] | None = None


SECRETARY = frozenset({MemberRole.SECRETARY.value})


# ----------------------------------------------------------------- registrations


def _check_registration_open(registration: Registration, user, today: dt.date, params: dict) -> None:
    from .selectors import registration_deadline

    deadline = registration_deadline(registration.campaign, registration.unit)
    if deadline is not None and today > deadline:
        raise RecognitionError(_("Đã quá hạn đăng ký mức độ (%(d)s). Đăng ký muộn cần được cơ quan chủ trì gia hạn.")
                               % {"d": deadline.strftime("%d/%m/%Y")})


REGISTRATION_TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition("register", frozenset({RegistrationState.DRAFT}), RegistrationState.REGISTERED,
               frozenset({Role.LEADER}), gettext_lazy("Lãnh đạo đã duyệt; đơn vị đã đăng ký mức độ."),
               check=_check_registration_open,
               stamp=lambda user, now, params: {"approved_by": user, "approved_at": now}),
    Transition("withdraw", frozenset({RegistrationState.REGISTERED}), RegistrationState.DRAFT,
               frozenset({Role.LEADER}), gettext_lazy("Đã rút đăng ký về dự thảo."),
               check=_check_registration_open,
               stamp=lambda user, now, params: {"approved_by": None, "approved_at": None}),
)}


# ----------------------------------------------------------------- council files


def _check_conclusion(file: CouncilFile, user, today: dt.date, params: dict) -> None:
    from .selectors import max_level

    level = params.get("level")
    top = max_level(file.campaign)
    if level is None or not 0 <= level <= top:
        raise RecognitionError(_("Chọn mức độ hội đồng công nhận (0 đến %(n)d).") % {"n": top})
    if not (params.get("reasons") or "").strip():
        raise RecognitionError(_("Cần ghi lý do kết luận như trong biên bản họp hội đồng."))


def _check_reopen(file: CouncilFile, user, today: dt.date, params: dict) -> None:
    from .models import DecisionLine

    if DecisionLine.objects.filter(decision__state=DecisionState.ISSUED, decision__campaign_id=file.campaign_id,
                                   unit_id=file.unit_id).exists():
        raise RecognitionError(_("Mức độ của đơn vị đã được công nhận bằng quyết định đã ban hành; "
                                 "không mở lại được."))


def _scores_changed(file: CouncilFile, user, params: dict) -> None:
    # The district's general criterion reads its communes' recognised levels.
    from dti.campaigns.services import bump_scores_version

    bump_scores_version(file.campaign_id)


FILE_TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition("conclude", frozenset({FileState.ASSIGNED}), FileState.CONCLUDED, SECRETARY,
               gettext_lazy("Đã ghi kết luận của hội đồng."), check=_check_conclusion,
               stamp=lambda user, now, params: {"recognised_level": params["level"],
                                                "reasons": params["reasons"].strip(),
                                                "concluded_by": user, "concluded_at": now},
               after=_scores_changed),
    Transition("reopen", frozenset({FileState.CONCLUDED}), FileState.ASSIGNED, ADMINS,
               gettext_lazy("Đã mở lại hồ sơ để hội đồng xem xét lại."), check=_check_reopen,
               stamp=lambda user, now, params: {"recognised_level": None, "concluded_by": None,
                                                "concluded_at": None},
               after=_scores_changed),
)}


# ----------------------------------------------------------------- decisions


def _check_issue(decision: Decision, user, today: dt.date, params: dict) -> None:
    from .selectors import decision_lines

    missing = []
    if not decision.number.strip():
        missing.append(_("số quyết định"))
    if decision.signed_on is None:
        missing.append(_("ngày ký"))
    if not decision.signed_pdf:
        missing.append(_("bản có chữ ký (PDF)"))
    if missing:
        raise RecognitionError(_("Chưa ban hành được: còn thiếu %(what)s.") % {"what": ", ".join(missing)})
    if not decision_lines(decision):
        raise RecognitionError(_("Chưa có đơn vị nào được hội đồng kết luận để đưa vào quyết định."))


def _freeze_lines(decision: Decision, user, params: dict) -> None:
    from dti.campaigns.services import bump_scores_version

    from .models import DecisionLine
    from .selectors import pending_lines

    DecisionLine.objects.bulk_create([DecisionLine(decision=decision, unit_id=line.unit_id, level=line.level)
                                      for line in pending_lines(decision)])
    bump_scores_version(decision.campaign_id)  # scorecards say the level is recognised


DECISION_TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition("issue", frozenset({DecisionState.DRAFT}), DecisionState.ISSUED, ADMINS,
               gettext_lazy("Đã ban hành quyết định; mức độ được công nhận đã công bố."), check=_check_issue,
               stamp=lambda user, now, params: {"issued_by": user, "issued_at": now}, after=_freeze_lines),
)}

TABLES: dict[type[models.Model], dict[str, Transition]] = {
    Registration: REGISTRATION_TRANSITIONS, CouncilFile: FILE_TRANSITIONS, Decision: DECISION_TRANSITIONS,
}


# ----------------------------------------------------------------- running one


def lock(obj: models.Model) -> Any:
    """The object's row, locked until the end of the transaction and read afresh."""
    model = type(obj)
    related = [name for name in ("campaign", "unit") if hasattr(model, name)]
    return model._default_manager.select_for_update(of=("self",)).select_related(*related).get(pk=obj.pk)


def check_expected(obj: Any, expected_state: str | None) -> None:
    if expected_state and expected_state != obj.state:
        label = type(obj)._meta.get_field("state").choices
        names = dict(label or ())
        raise StaleState(_("Trạng thái đã chuyển từ “%(shown)s” sang “%(now)s” sau khi bạn mở trang; chưa thực hiện "
                           "thao tác của bạn. Hãy xem lại.")
                         % {"shown": names.get(expected_state, expected_state), "now": names.get(obj.state, obj.state)})


def available(obj: Any, roles) -> list[Transition]:
    return [t for t in TABLES[type(obj)].values() if obj.state in t.sources and t.roles & set(roles)]


def run(obj: Any, name: str, *, user, roles, expected_state: str | None = None, today: dt.date | None = None,
        **params) -> Transition:
    """Move ``obj`` (a Registration, CouncilFile or Decision) along ``name`` once, or refuse."""
    from dti.campaigns.selectors import today as local_today

    transition = TABLES[type(obj)][name]
    if not transition.roles & set(roles):
        raise RecognitionError(_("Bạn không có quyền thực hiện việc này."))
    with transaction.atomic():
        locked = lock(obj)
        check_expected(locked, expected_state)
        if locked.state not in transition.sources:
            if locked.state == transition.target:
                raise RecognitionError(_("Việc này đã được thực hiện."))
            raise RecognitionError(_("Không thực hiện được ở trạng thái hiện tại."))
        if transition.check is not None:
            transition.check(locked, user, today or local_today(), params)
        old = locked.state
        now = timezone.now()
        changes = {"state": transition.target, "updated_at": now, **transition.stamp(user, now, params)}
        type(obj)._default_manager.filter(pk=locked.pk).update(**changes)
        for key, value in changes.items():
            setattr(obj, key, value)
            setattr(locked, key, value)
        if transition.after is not None:
            transition.after(locked, user, params)
        record(user, f"recognition.{type(obj).__name__.lower()}.{name}", locked,
               campaign_id=locked.campaign_id, unit_code=getattr(getattr(locked, "unit", None), "code", ""), field="state", old=old, new=transition.target,
               reason=str(params.get("reasons") or ""))
    return transition
