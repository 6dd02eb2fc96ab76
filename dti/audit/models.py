"""The audit trail: who changed what, when, from what to what, and why.

Plain columns (no foreign keys) so that the trail outlives what it describes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, blank=True, default="")
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True, default="")
    object_id = models.CharField(max_length=100, blank=True, default="")
    campaign_id = models.BigIntegerField(null=True, blank=True)
    submission_id = models.BigIntegerField(null=True, blank=True)
    unit_code = models.CharField(max_length=50, blank=True, default="")
    indicator = models.CharField(max_length=100, blank=True, default="")
    field = models.CharField(max_length=200, blank=True, default="")
    old = models.TextField(blank=True, default="")
    new = models.TextField(blank=True, default="")
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["submission_id", "indicator"]),
            models.Index(fields=["campaign_id", "at"]),
        ]
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.action}"
