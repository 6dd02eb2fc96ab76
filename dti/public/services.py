"""Making a published campaign public, and withdrawing it: one transition table, the campaign's row
locked, the state the page showed checked (a stale page changes nothing), an audit entry each time."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dti.audit.services import record
from dti.campaigns.models import Campaign

from .models import PublicCampaign


class PublicError(Exception):
    """A refused step, with the Vietnamese message to show."""


@dataclass(frozen=True)
class Step:
    before: bool  # public before the step
    after: bool
    action: str  # audit action
    done: Promise


TRANSITIONS = {
    "make_public": Step(before=False, after=True, action="campaign.make_public",
                        done=_("Đã công khai kết quả của đợt đánh giá tại trang kết quả công khai.")),
    "withdraw": Step(before=True, after=False, action="campaign.withdraw_public",
                     done=_("Đã thôi công khai: trang kết quả công khai không còn hiển thị đợt đánh giá này.")),
}

STALE = _("Trạng thái công khai của đợt đánh giá đã thay đổi từ khi bạn mở trang (có người vừa thao tác). "
          "Không có gì thay đổi; hãy xem lại trạng thái hiện tại.")
NOT_PUBLISHED = _("Chỉ công khai được đợt đánh giá đã công bố kết quả. Hãy công bố kết quả trước.")


def is_public(campaign: Campaign) -> bool:
    return PublicCampaign.objects.filter(campaign_id=campaign.pk).exists()


def run(campaign: Campaign, transition: str, *, user, expected_public: bool | None = None,
        reason: str = "") -> Step:
    """Make ``campaign`` public or withdraw it.  ``expected_public``: whether the page the person
    confirmed on showed it public (None: take the table's precondition as what they saw)."""
    step = TRANSITIONS[transition]
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        public = PublicCampaign.objects.filter(campaign_id=locked.pk).exists()
        shown = step.before if expected_public is None else expected_public
        if public != shown or public != step.before:
            raise PublicError(str(STALE))
        if step.after:
            if not locked.is_published:
                raise PublicError(str(NOT_PUBLISHED))
            PublicCampaign.objects.create(campaign=locked, made_public_by=user if getattr(user, "pk", None) else None,
                                          made_public_at=timezone.now())
        else:
            PublicCampaign.objects.filter(campaign_id=locked.pk).delete()
        record(user, step.action, locked, campaign_id=locked.pk, field="public",
               old="1" if step.before else "0", new="1" if step.after else "0", reason=reason)
    return step
