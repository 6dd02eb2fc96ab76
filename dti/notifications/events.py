"""Notices that follow a workflow step: reviewers when a file arrives, the unit when items are returned.

``workflow.run`` calls ``after_transition`` inside its transaction; the notices are built after
commit (in a worker when Redis is configured), keyed by the step's audit event so they go out once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dti.site.jobs import enqueue

from .models import Kind
from .recipients import reviewers_of, unit_people
from .services import notify

NOTIFIED = {"submit", "resubmit", "send_back"}


def after_transition(submission, name: str, event_id: int) -> None:
    if name in NOTIFIED:
        transaction.on_commit(lambda: enqueue(transition_notices, submission.pk, name, event_id))


def transition_notices(submission_id: int, name: str, event_id: int) -> int:
    from dti.submissions.models import Submission

    submission = Submission.objects.select_related("unit", "campaign").filter(pk=submission_id).first()
    if submission is None:
        return 0
    unit, campaign = submission.unit, submission.campaign
    key = f"{name}:{event_id}"
    if name == "send_back":
        people, kind, url = unit_people(unit), Kind.RETURNED, f"/campaigns/{campaign.pk}/units/{unit.code}/"
        title = _("Hồ sơ bị trả lại để bổ sung: %(unit)s") % {"unit": unit.name}
        body = _("Cơ quan thẩm định đã trả lại hồ sơ của %(unit)s trong đợt “%(campaign)s”; hãy bổ sung các chỉ số "
                 "được đánh dấu và gửi lại.") % {"unit": unit.name, "campaign": campaign.name}
    else:
        people, kind = reviewers_of(campaign.pk, unit), Kind.ARRIVED
        url = f"/campaigns/{campaign.pk}/units/{unit.code}/review/"
        title = (_("Hồ sơ gửi lại: %(unit)s") if name == "resubmit" else _("Hồ sơ mới gửi đến: %(unit)s")) % {
            "unit": unit.name}
        body = _("%(unit)s đã gửi hồ sơ trong đợt “%(campaign)s”; hồ sơ chờ thẩm định.") % {
            "unit": unit.name, "campaign": campaign.name}
    return sum(1 for person in people if notify(person, kind=kind, key=key, title=title, body=body, url=url))
