"""Framework versions: the YAML text is the methodology; frozen once a campaign uses it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkVersion(models.Model):
    code = models.CharField(_("mã bộ chỉ số"), max_length=100)
    revision = models.PositiveIntegerField(_("bản số"), default=1)
    version = models.CharField(_("phiên bản (theo tệp)"), max_length=50, blank=True)
    name = models.CharField(_("tên"), max_length=500)
    year = models.PositiveIntegerField(_("năm"))
    document = models.CharField(_("văn bản"), max_length=200, blank=True)
    yaml_text = models.TextField(_("nội dung YAML"))
    sha256 = models.CharField(max_length=64, editable=False)
    frozen = models.BooleanField(_("đã khóa"), default=False, help_text=_("Đã dùng trong một đợt đánh giá: không sửa được"))
    derived_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["code", "-revision"]
        constraints = [models.UniqueConstraint(fields=["code", "revision"], name="framework_code_revision")]
        verbose_name = _("phiên bản bộ chỉ số")
        verbose_name_plural = _("phiên bản bộ chỉ số")

    def __str__(self) -> str:
        return f"{self.code} v{self.version} ({self.revision})"
