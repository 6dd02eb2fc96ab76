"""A task's status as one transition table (the shape of dti/submissions/workflow.py).

Every transition runs in one transaction on the task's row locked with ``SELECT … FOR UPDATE``
and re-read there; the page sends the status it showed (``expected``) and a stale page is
refused with the current status, who set it and when.  "Quá hạn" is not a status: it is
computed from the deadline (Task.is_overdue)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dti.audit.services import record

from .models import Status, Task

LEAD, OWNER = "lead", "owner"  # the lead agency's editors; the plan's owner (assessment administrator)


class TaskError(Exception):
    """A refused transition; the message is shown to the person."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: object
    done: object


_T = Transition
TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    _T("start", frozenset({Status.NOT_STARTED}), Status.IN_PROGRESS, frozenset({LEAD, OWNER}),
       gettext_lazy("Bắt đầu thực hiện"), gettext_lazy("Nhiệm vụ đang được thực hiện.")),
    _T("finish", frozenset({Status.NOT_STARTED, Status.IN_PROGRESS}), Status.DONE, frozenset({LEAD, OWNER}),
       gettext_lazy("Đánh dấu hoàn thành"), gettext_lazy("Đã đánh dấu nhiệm vụ hoàn thành.")),
    _T("reopen", frozenset({Status.DONE}), Status.IN_PROGRESS, frozenset({OWNER}),
       gettext_lazy("Mở lại"), gettext_lazy("Đã mở lại nhiệm vụ.")),
)}


def available(task: Task, roles: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if task.status in t.sources and t.roles & roles]


def run(task: Task, name: str, *, user, roles: set[str], expected: str | None) -> Task:
    transition = TRANSITIONS[name]
    if not transition.roles & roles:
        raise TaskError(_("Bạn không có quyền thực hiện việc này."))
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if expected is not None and locked.status != expected:
            who = ""
            if locked.status_changed_by is not None and locked.status_changed_at is not None:
                name = locked.status_changed_by.get_full_name() or locked.status_changed_by.get_username()
                who = f" ({name}, {date_format(timezone.localtime(locked.status_changed_at), 'H:i d/m/Y')})"
            raise TaskError(_("Trang đã cũ: nhiệm vụ đang ở trạng thái “%(state)s”%(who)s. Không có gì thay đổi.")
                            % {"state": locked.get_status_display(), "who": who})
        if locked.status not in transition.sources:
            raise TaskError(_("Không thể “%(action)s” khi nhiệm vụ đang ở trạng thái “%(state)s”.")
                            % {"action": transition.label, "state": locked.get_status_display()})
        old = locked.status
        locked.status = transition.target
        locked.status_changed_at = timezone.now()
        locked.status_changed_by = user
        locked.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        record(user, "plan_task.status", locked, field="status", old=old, new=locked.status)
    task.status, task.status_changed_at, task.status_changed_by = (locked.status, locked.status_changed_at,
                                                                   locked.status_changed_by)
    return locked
