"""KPI programmes: a KPI framework watched over time against yearly targets.

Each reporting period of a programme is a Campaign of the programme's framework whose
participating units are the source agencies of the KPIs reported at that frequency, so
data entry, concurrency, leader approval, review and audit are the campaigns' own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTH = "month", _("Hằng tháng")
    QUARTER = "quarter", _("Hằng quý")
    YEAR = "year", _("Hằng năm")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class Programme(models.Model):
    name = models.CharField(_("tên chương trình"), max_length=300)
    framework = models.ForeignKey("methodologies.FrameworkVersion", on_delete=models.PROTECT, related_name="kpi_programmes",
                                  verbose_name=_("bộ chỉ số"))
    owner = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="kpi_programmes",
                              verbose_name=_("cơ quan chủ trì"))
    first_year = models.PositiveIntegerField(_("theo dõi từ năm"))
    entry_days = models.PositiveSmallIntegerField(_("số ngày báo cáo sau khi hết kỳ"), default=15)
    review_days = models.PositiveSmallIntegerField(_("số ngày thẩm định sau hạn báo cáo"), default=15)
    # Bumped when targets, baselines or settings change: dashboards are cached by it and the
    # periods' scores_version.
    version = models.PositiveBigIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-first_year", "name"]
        verbose_name = _("chương trình giám sát KPI")
        verbose_name_plural = _("chương trình giám sát KPI")

    def __str__(self) -> str:
        return self.name


class KpiSetting(models.Model):
    """How one KPI of the framework is watched: how often, by whom, which way is better."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="settings")
    code = models.CharField(_("mã chỉ số"), max_length=100)
    frequency = models.CharField(_("tần suất báo cáo"), max_length=10, choices=Frequency.choices)
    direction = models.CharField(_("chiều tốt"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    agencies = models.ManyToManyField("organisations.Unit", related_name="kpi_settings", verbose_name=_("cơ quan cung cấp số liệu"))
    baseline = models.FloatField(_("giá trị cơ sở"), null=True, blank=True)
    baseline_year = models.PositiveIntegerField(_("năm cơ sở"), null=True, blank=True)
    baseline_decision = models.CharField(_("văn bản (giá trị cơ sở)"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="kpi_setting_programme_code")]
        verbose_name = _("thiết lập chỉ số")
        verbose_name_plural = _("thiết lập chỉ số")

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.code}"


class Target(models.Model):
    """A yearly target, with the decision it comes from."""

    setting = models.ForeignKey(KpiSetting, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("năm"))
    value = models.FloatField(_("chỉ tiêu"))
    decision = models.CharField(_("theo văn bản"), max_length=300)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["setting", "year"], name="kpi_target_setting_year")]
        verbose_name = _("chỉ tiêu năm")
        verbose_name_plural = _("chỉ tiêu năm")


class ProgrammePeriod(models.Model):
    """One reporting period ('2024-07', '2024-Q3', '2024') and the campaign collecting it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="periods")
    period = models.CharField(_("kỳ"), max_length=10)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="kpi_period")

    class Meta:
        ordering = ["programme", "period"]
        constraints = [models.UniqueConstraint(fields=["programme", "period"], name="kpi_period_programme_period")]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.period}"
