"""An assessment campaign: a framework version, a calendar, participating units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FRAMEWORK_LOCKED_MESSAGE = _(
    "Không thể đổi bộ chỉ số: đã có đơn vị nhập số liệu hoặc gửi hồ sơ trong đợt đánh giá này. "
    "Điểm của các đơn vị đã được tính theo bộ chỉ số hiện tại; hãy tạo đợt đánh giá mới nếu cần bộ chỉ số khác."
)


class Campaign(models.Model):
    name = models.CharField(_("tên đợt đánh giá"), max_length=300)
    framework = models.ForeignKey(
        "methodologies.FrameworkVersion", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("bộ chỉ số")
    )
    year = models.PositiveIntegerField(_("năm đánh giá"))
    lead_unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cơ quan chủ trì"),
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("đợt trước (so sánh)")
    )
    period_start = models.DateField(_("số liệu từ ngày"))
    period_end = models.DateField(_("số liệu đến ngày"))
    entry_deadline = models.DateField(_("hạn nhập liệu"))
    review_deadline = models.DateField(_("hạn thẩm định"))
    approval_date = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    publication_date = models.DateField(_("ngày công bố"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("đã công bố kết quả lúc"), null=True, blank=True)
    # Indicator code → reading name, for indicators whose document reads two ways (the default
    # reading elsewhere). Chosen before any data is entered, then frozen with the framework.
    readings = models.JSONField(_("cách đọc đã chọn"), default=dict, blank=True)
    # Bumped on every change of data, verification or participation: score caches are keyed by it.
    scores_version = models.PositiveBigIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.results_published_at is not None

    def save(self, *args, **kwargs):
        # An invariant, not a workflow step, so it holds here for every path (admin, shell,
        # scripts): the scores of units that entered data were computed on this framework.
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or "framework" in update_fields):
            from django.core.exceptions import ValidationError

            from .selectors import framework_locked

            stored = Campaign.objects.filter(pk=self.pk).values_list("framework_id", flat=True).first()
            if stored is not None and stored != self.framework_id and framework_locked(self.pk):
                raise ValidationError({"framework": FRAMEWORK_LOCKED_MESSAGE})
        super().save(*args, **kwargs)


class Extension(models.Model):
    """A deadline extension for one unit, recorded with who granted it and why."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="extensions", verbose_name=_("đơn vị"))
    new_deadline = models.DateField(_("hạn mới"))
    reason = models.TextField(_("lý do"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")


class CampaignStep(models.Model):
    """One step of the process's calendar (registration, council, recognition, report…), taken
    from the framework's ``calendar`` when the campaign is created; the date can be changed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("bước"), max_length=30)
    name = models.CharField(_("tên bước"), max_length=300)
    due = models.DateField(_("hạn"))
    start = models.DateField(_("từ ngày"), null=True, blank=True)
    who = models.CharField(_("cơ quan thực hiện"), max_length=300, blank=True)
    text = models.TextField(_("văn bản quy định"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "step"], name="campaign_step_once")]
        verbose_name = _("bước trong lịch")
        verbose_name_plural = _("các bước trong lịch")

    def __str__(self) -> str:
        return f"{self.name} ({self.due:%d/%m/%Y})"
