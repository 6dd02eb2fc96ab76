"""The Ministry's published result of a unit, per indicator: a third result beside the
self-assessed and the verified one, never mixed into either."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedResult(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="published_results",
                                 verbose_name=_("đợt đánh giá"))
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="published_results",
                             verbose_name=_("đơn vị"))
    source = models.CharField(_("nguồn công bố"), max_length=300, blank=True)
    scores = models.JSONField(_("điểm công bố theo chỉ số"), default=dict)  # code → score (None: not published)
    total = models.FloatField(_("tổng điểm công bố"), null=True, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="published_one_per_unit")]
        verbose_name = _("kết quả Bộ công bố")
        verbose_name_plural = _("kết quả Bộ công bố")

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign}"
