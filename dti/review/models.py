"""Per-indicator review by the lead agency: accepted, adjusted (verified values), returned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Chưa thẩm định")
    ACCEPTED = "accepted", _("Chấp nhận")
    ADJUSTED = "adjusted", _("Điều chỉnh")
    RETURNED = "returned", _("Trả lại")


class ReviewItem(models.Model):
    submission = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="review_items")
    indicator = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    reason = models.TextField(_("lý do điều chỉnh"), blank=True, default="")
    comment = models.TextField(_("ý kiến thẩm định"), blank=True, default="")
    answer = models.TextField(_("giải trình của đơn vị"), blank=True, default="")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "indicator"], name="review_submission_indicator")]
        verbose_name = _("kết quả thẩm định chỉ số")
        verbose_name_plural = _("kết quả thẩm định chỉ số")
