"""Deadline reminders: to a unit's reporters and leaders N days before its entry deadline.

``DTI_REMINDER_DAYS`` (default 7 and 1) are the thresholds; a run sends, per unit, the nearest
threshold not yet passed.  The notification's key names the campaign, unit, deadline and
threshold, so a reminder goes out once however often (or however concurrently) the job runs;
an extension (a new deadline) is a new occasion.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.campaigns.models import Extension
from dti.submissions.models import State, Submission

from .models import Kind
from .recipients import unit_people
from .services import notify

OPEN = (State.DRAFT, State.APPROVED_BY_LEADER)  # not yet sent: the deadline still matters


def send_deadline_reminders(*, today: dt.date | None = None, days=None) -> int:
    """Send what is due today; the number of notifications created."""
    today = today or timezone.localdate()
    days = sorted(set(days or settings.DTI_REMINDER_DAYS))
    subs = list(Submission.objects.filter(state__in=OPEN, campaign__results_published_at__isnull=True)
                .select_related("unit", "campaign"))
    extended = {(r["campaign_id"], r["unit_id"]): r["m"] for r in
                Extension.objects.filter(campaign_id__in={s.campaign_id for s in subs}).values("campaign_id", "unit_id")
                .annotate(m=Max("new_deadline"))}
    sent = 0
    for submission in subs:
        campaign, unit = submission.campaign, submission.unit
        deadline = max(campaign.entry_deadline, extended.get((campaign.pk, unit.pk)) or campaign.entry_deadline)
        left = (deadline - today).days
        due = [d for d in days if d >= left]
        if left < 0 or not due:
            continue
        threshold = min(due)
        title = (_("Còn %(n)d ngày đến hạn nhập liệu: %(unit)s") % {"n": left, "unit": unit.name} if left
                 else _("Hôm nay là hạn nhập liệu: %(unit)s") % {"unit": unit.name})
        body = _("Đợt “%(campaign)s”: hạn nhập liệu và gửi hồ sơ của %(unit)s là %(date)s. Hồ sơ đang ở trạng thái "
                 "“%(state)s”.") % {"campaign": campaign.name, "unit": unit.name, "date": deadline.strftime("%d/%m/%Y"),
                                    "state": State(submission.state).label}
        key = f"deadline:{campaign.pk}:{unit.code}:{deadline.isoformat()}:{threshold}"
        url = f"/campaigns/{campaign.pk}/units/{unit.code}/"
        for person in unit_people(unit):
            if notify(person, kind=Kind.DEADLINE, key=key, title=title, body=body, url=url):
                sent += 1
    return sent
