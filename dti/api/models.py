"""Access tokens for the REST API: only a digest is stored; the secret is shown once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal token acts with its owner's roles (read only unless ``write``).

    A service token belongs to a platform (Hue-S, the IOC…): it reads and writes only the
    named ``fields`` of the named ``units`` (in ``campaign`` when given) and nothing else.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Cá nhân")
        SERVICE = "service", _("Nền tảng (dịch vụ)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    write = models.BooleanField(_("được ghi số liệu"), default=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)  # sha256 of the secret
    prefix = models.CharField(max_length=16, editable=False)  # shown in lists to tell tokens apart
    platform = models.CharField(_("nền tảng"), max_length=100, blank=True)
    fields = models.JSONField(_("các trường được phép"), default=list, blank=True)
    units = models.ManyToManyField("organisations.Unit", blank=True, related_name="+", verbose_name=_("các đơn vị"))
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("đợt đánh giá"))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_service(self) -> bool:
        return self.kind == self.Kind.SERVICE

    @property
    def active(self) -> bool:
        return self.revoked_at is None
