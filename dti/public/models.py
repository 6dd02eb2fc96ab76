"""Which published campaigns an administrator has made public (readable at /public/ without signing in)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicCampaign(models.Model):
    """A campaign shown on the public results page.  Withdrawing deletes the row; the audit trail
    keeps who made it public or withdrew it, when and why."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="public",
                                    verbose_name=_("đợt đánh giá"))
    made_public_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("người công khai"))
    made_public_at = models.DateTimeField(_("công khai lúc"))

    class Meta:
        ordering = ["-made_public_at"]
        verbose_name = _("đợt đánh giá công khai")
        verbose_name_plural = _("đợt đánh giá công khai")

    def __str__(self) -> str:
        return str(self.campaign)
