"""The assessment workflow as one table: from which states, to which state, by whom, checking what.

Every transition runs inside a transaction on the submission row locked with
``SELECT … FOR UPDATE`` and re-read there, so whatever the number of parallel requests
(a double click, two leaders, a reviewer and an administrator) a transition happens once
and never from a state it was not meant for.  A page loaded before somebody else moved
the file on sends the state it showed (``expected_state``); a mismatch is refused with
the current state, who moved it and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dti.accounts.models import ADMINS, REVIEWERS, UNIT_EDITORS, Role
from dti.audit.services import record

from .models import REVIEWABLE_STATES, State, Submission

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class WorkflowError(Exception):
    """An action refused by the rules (deadline, state, missing data); the message is shown to the user."""


class StaleState(WorkflowError):
    """The page showed another state than the file is in now."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    done: StrOrPromise  # what the person is told afterwards
    check: Callable[[Submission, object, dt.date | None], None] | None = None
    stamp: Callable[[object, dt.datetime], dict] = field(default=lambda user, now: {})
    before: Callable[[Submission, object], None] | None = None
    after: Callable[[Submission, object], None] | None = None


# ----------------------------------------------------------------- checks and side effects


def _values(submission: Submission):
    from .models import Value

    return Value.objects.filter(submission=submission)


def _check_leader_approval(submission: Submission, user, today) -> None:
    errors = _values(submission).exclude(error="").count()
    if errors:
        raise WorkflowError(_("Còn %(n)d trường có lỗi; cần sửa trước khi duyệt.") % {"n": errors})
    if not _values(submission).exclude(raw="").exists():
        raise WorkflowError(_("Hồ sơ chưa có số liệu."))


def _check_deadline(submission: Submission, user, today) -> None:
    from dti.campaigns.selectors import entry_deadline, entry_open

    if not entry_open(submission.campaign, submission.unit, today):
        deadline = entry_deadline(submission.campaign, submission.unit)
        raise WorkflowError(_("Đã quá hạn gửi hồ sơ (%(d)s).") % {"d": deadline.strftime("%d/%m/%Y")})


def _check_has_returned(submission: Submission, user, today) -> None:
    from dti.review.models import ItemStatus, ReviewItem

    if not ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED).exists():
        raise WorkflowError(_("Chưa có chỉ số nào được đánh dấu trả lại."))


def _check_resubmit(submission: Submission, user, today) -> None:
    from dti.review.models import ItemStatus, ReviewItem

    unanswered = list(ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED, answer="")
                      .values_list("indicator", flat=True))
    if unanswered:
        raise WorkflowError(_("Cần giải trình cho các chỉ số bị trả lại: %(codes)s") % {"codes": ", ".join(unanswered)})
    errors = _values(submission).exclude(error="").count()
    if errors:
        raise WorkflowError(_("Còn %(n)d trường có lỗi; cần sửa trước khi gửi lại.") % {"n": errors})


def _check_nothing_returned(submission: Submission, user, today) -> None:
    from dti.review.models import ItemStatus, ReviewItem

    if ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED).exists():
        raise WorkflowError(_("Còn chỉ số đang trả lại đơn vị; chưa phê duyệt được."))


def _accept_unreviewed(submission: Submission, user) -> None:
    """Approval: indicators nobody reviewed count as accepted (recorded as such)."""
    from dti.methodologies.selectors import form_layout
    from dti.review.models import ItemStatus, ReviewItem

    layout = form_layout(submission.campaign.framework, submission.unit.level_id)
    have = set(ReviewItem.objects.filter(submission=submission).values_list("indicator", flat=True))
    ReviewItem.objects.bulk_create(
        [ReviewItem(submission=submission, indicator=leaf.code, status=ItemStatus.ACCEPTED, reviewer=user)
         for leaf in layout.leaves if leaf.code not in have]
    )
    ReviewItem.objects.filter(submission=submission, status=ItemStatus.PENDING).update(status=ItemStatus.ACCEPTED)


def _reopen_returned(submission: Submission, user) -> None:
    """After the unit resubmits, its returned items wait for the reviewer again."""
    from dti.review.models import ItemStatus, ReviewItem

    ReviewItem.objects.filter(submission=submission, status=ItemStatus.RETURNED).update(
        status=ItemStatus.PENDING, updated_at=timezone.now()
    )


# ----------------------------------------------------------------- the table

_T = Transition
TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    _T("leader_approve", frozenset({State.DRAFT}), State.APPROVED_BY_LEADER, frozenset({Role.LEADER}),
       gettext_lazy("Lãnh đạo đã duyệt số liệu."), check=_check_leader_approval,
       stamp=lambda user, now: {"leader_approved_by": user, "leader_approved_at": now}),
    _T("leader_withdraw", frozenset({State.APPROVED_BY_LEADER}), State.DRAFT, frozenset({Role.LEADER}),
       gettext_lazy("Đã hủy duyệt; hồ sơ trở về trạng thái đang nhập."),
       stamp=lambda user, now: {"leader_approved_by": None, "leader_approved_at": None}),
    _T("submit", frozenset({State.APPROVED_BY_LEADER}), State.SUBMITTED, UNIT_EDITORS,
       gettext_lazy("Đã gửi hồ sơ tới cơ quan thẩm định. Hồ sơ đã khóa."), check=_check_deadline,
       stamp=lambda user, now: {"submitted_at": now}),
    _T("start_review", frozenset({State.SUBMITTED, State.RESUBMITTED}), State.UNDER_REVIEW, REVIEWERS,
       gettext_lazy("Đã bắt đầu thẩm định.")),
    _T("send_back", frozenset({State.UNDER_REVIEW}), State.RETURNED, REVIEWERS,
       gettext_lazy("Đã trả hồ sơ cho đơn vị bổ sung các chỉ số được đánh dấu."), check=_check_has_returned),
    _T("resubmit", frozenset({State.RETURNED}), State.RESUBMITTED, UNIT_EDITORS,
       gettext_lazy("Đã gửi lại hồ sơ."), check=_check_resubmit,
       stamp=lambda user, now: {"submitted_at": now}, after=_reopen_returned),
    _T("approve", frozenset(REVIEWABLE_STATES), State.APPROVED, ADMINS,
       gettext_lazy("Đã phê duyệt kết quả đánh giá của đơn vị."), check=_check_nothing_returned,
       stamp=lambda user, now: {"approved_at": now}, before=_accept_unreviewed),
    _T("publish", frozenset({State.APPROVED}), State.PUBLISHED, ADMINS,
       gettext_lazy("Đã công bố kết quả của đơn vị."), stamp=lambda user, now: {"published_at": now}),
)}


def available(submission: Submission, roles) -> list[Transition]:
    """Transitions the page may offer: from the current state, for one of the person's roles."""
    return [t for t in TRANSITIONS.values() if submission.state in t.sources and t.roles & set(roles)]


# ----------------------------------------------------------------- running one


def lock(submission: Submission) -> Submission:
    """The submission's row, locked until the end of the transaction and read afresh."""
    locked = (Submission.objects.select_for_update(of=("self",))
              .select_related("unit", "campaign__framework")
              .defer("campaign__framework__yaml_text")  # compiled frameworks are cached by hash
              .get(pk=submission.pk))
    # The caller's object follows: later code (and the view) sees the row as it is now.
    for column in Submission._meta.concrete_fields:
        setattr(submission, column.attname, getattr(locked, column.attname))
    return locked


def last_move(submission: Submission) -> str:
    """'(Nguyễn Văn A, 10:42 29/11/2026)' for the latest state change, or ''."""
    from dti.audit.models import AuditEvent

    event = (AuditEvent.objects.filter(submission_id=submission.pk, action="submission.state")
             .select_related("user").order_by("-at", "-id").first())
    if event is None:
        return ""
    who = (event.user.get_full_name() or event.user.get_username()) if event.user else event.username or _("hệ thống")
    when = date_format(timezone.localtime(event.at), "H:i d/m/Y")
    return f" ({who}, {when})"


def refusal(submission: Submission, transition: Transition) -> WorkflowError:
    """Why a transition cannot run from the submission's current state, in words."""
    state = State(submission.state).label
    if submission.state == transition.target:
        return WorkflowError(_("Việc này đã được thực hiện: hồ sơ đang ở trạng thái “%(state)s”%(who)s.")
                             % {"state": state, "who": last_move(submission)})
    if transition.name == "submit" and submission.state == State.DRAFT:
        return WorkflowError(_("Hồ sơ cần được lãnh đạo đơn vị duyệt trước khi gửi."))
    if transition.name == "start_review" or (transition.sources == frozenset(REVIEWABLE_STATES)
                                             and submission.state not in REVIEWABLE_STATES):
        return WorkflowError(_("Hồ sơ không ở trạng thái chờ thẩm định (hiện: “%(state)s”%(who)s).")
                             % {"state": state, "who": last_move(submission)})
    return WorkflowError(_("Không thực hiện được ở trạng thái “%(state)s”%(who)s.")
                         % {"state": state, "who": last_move(submission)})


def check_expected(submission: Submission, expected_state: str | None) -> None:
    """Refuse when the page showed another state than the (locked) row has now."""
    if expected_state and expected_state != submission.state:
        shown = State(expected_state).label if expected_state in State.values else expected_state
        raise StaleState(
            _("Hồ sơ đã chuyển từ “%(shown)s” sang “%(state)s”%(who)s sau khi bạn mở trang; "
              "chưa thực hiện thao tác của bạn. Hãy xem lại hồ sơ.")
            % {"shown": shown, "state": State(submission.state).label, "who": last_move(submission)}
        )


def revision(submission: Submission) -> str:
    """A token for the submission's data as a page shows it (changes with every save)."""
    return str(int(submission.updated_at.timestamp() * 1_000_000)) if submission.updated_at else ""


def run(submission: Submission, name: str, *, user, roles=None, expected_state: str | None = None,
        expected_revision: str | None = None, reason: str = "", today: dt.date | None = None) -> Transition:
    """Move ``submission`` along the transition ``name``, once; WorkflowError when the table refuses.

    ``roles``: the person's roles over the unit, when the caller has not checked them itself.
    ``expected_state`` / ``expected_revision``: the state and data the person's page showed
    (a leader approves the figures they read, not figures saved since).
    """
    from dti.campaigns.services import bump_scores_version

    transition = TRANSITIONS[name]
    if roles is not None and not transition.roles & set(roles):
        raise WorkflowError(_("Bạn không có quyền thực hiện việc này."))
    with transaction.atomic():
        locked = lock(submission)
        check_expected(locked, expected_state)
        if expected_revision and expected_revision != revision(locked):
            raise StaleState(_("Số liệu của hồ sơ đã được lưu lại sau khi bạn mở trang; chưa thực hiện thao tác. "
                               "Hãy xem lại số liệu mới rồi thực hiện lại."))
        if locked.state not in transition.sources:
            raise refusal(locked, transition)
        if transition.check is not None:
            transition.check(locked, user, today)
        if transition.before is not None:
            transition.before(locked, user)
        old = locked.state
        now = timezone.now()
        changes = {"state": transition.target, "updated_at": now, **transition.stamp(user, now)}
        Submission.objects.filter(pk=locked.pk).update(**changes)
        for key, value in changes.items():
            setattr(submission, key, value)
            setattr(locked, key, value)
        if transition.after is not None:
            transition.after(locked, user)
        bump_scores_version(locked.campaign_id, [locked.pk])  # the state is shown in the ranking
        audit = record(user, "submission.state", locked, submission=locked, field="state", old=old,
                       new=transition.target, reason=reason)
        from dti.notifications.events import after_transition

        after_transition(locked, transition.name, audit.pk)  # reviewers or the unit are told, after commit
    return transition
