"""Inputs that come from a platform (Hue-S, the IOC, the public-service portal) rather than from people.

A ``Source`` declares, for a campaign, which fields a platform provides: by push (the platform
writes through the API with a service token) or by pull (dti fetches an HTTP endpoint returning
JSON or CSV on a schedule, with a field mapping).  Each pull is recorded as a ``Fetch`` — a
failure too, with its reason, and a failure never writes anything (never a zero).
``PlatformValue`` marks which stored values came from a platform and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    class Mode(models.TextChoices):
        PUSH = "push", _("Nền tảng gửi vào (API)")
        PULL = "pull", _("Hệ thống lấy về (HTTP)")

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        CSV = "csv", "CSV"

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="sources",
                                 verbose_name=_("đợt đánh giá"))
    platform = models.CharField(_("nền tảng"), max_length=100, help_text=_("Ví dụ: Hue-S"))
    mode = models.CharField(_("cách nhận"), max_length=10, choices=Mode.choices, default=Mode.PULL)
    url = models.URLField(_("địa chỉ lấy dữ liệu"), max_length=500, blank=True)
    format = models.CharField(_("định dạng"), max_length=10, choices=Format.choices, default=Format.JSON)
    unit_key = models.CharField(_("cột mã đơn vị"), max_length=100, default="unit",
                                help_text=_("Tên cột (CSV) hoặc khóa (JSON) chứa mã đơn vị"))
    mapping = models.JSONField(_("ánh xạ trường"), default=dict,
                               help_text=_('{"mã trường": "tên cột"}, ví dụ {"2.1.a": "so_ho_so_truc_tuyen"}'))
    every_minutes = models.PositiveIntegerField(_("lấy lại sau (phút)"), default=60)
    timeout_seconds = models.FloatField(_("chờ tối đa (giây)"), default=10)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    last_fetch_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["campaign", "platform"]
        verbose_name = _("nguồn dữ liệu nền tảng")
        verbose_name_plural = _("nguồn dữ liệu nền tảng")

    def __str__(self) -> str:
        return f"{self.platform} · {self.campaign}"

    @property
    def fields(self) -> list[str]:
        return sorted(self.mapping)


class Fetch(models.Model):
    """One pull: when, whether it worked, why not, what it changed."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetches")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    rows = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, blank=True)  # unit code -> why nothing was written

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("lần lấy dữ liệu")
        verbose_name_plural = _("lần lấy dữ liệu")


class PlatformValue(models.Model):
    """The stored value of ``field`` came from ``platform`` at ``updated_at``."""

    submission = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="platform_values")
    field = models.CharField(max_length=200)
    platform = models.CharField(max_length=100)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "field"], name="platform_value_once")]
