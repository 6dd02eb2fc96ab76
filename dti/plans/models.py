"""An improvement plan (Kế hoạch nâng cao Chỉ số chuyển đổi số): tasks per indicator or pillar,
each with a lead agency, coordinating agencies, a deadline and a target score, followed up by
the agencies' progress reports (with evidence) and comments."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    name = models.CharField(_("tên kế hoạch"), max_length=300)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="plans",
                                 verbose_name=_("đợt đánh giá"))
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="plans_for",
                             verbose_name=_("đơn vị được đánh giá"))
    owner = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="plans_owned",
                              verbose_name=_("cơ quan theo dõi kế hoạch"))
    decision = models.CharField(_("số quyết định / kế hoạch"), max_length=200, blank=True)
    baseline_total = models.FloatField(_("tổng điểm khi lập kế hoạch"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kế hoạch nâng cao chỉ số")
        verbose_name_plural = _("kế hoạch nâng cao chỉ số")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")


OVERDUE = "overdue"
OVERDUE_LABEL = _("Quá hạn")


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("chỉ số"), max_length=50)  # an indicator or a pillar, as printed
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    lead = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="plan_tasks_led",
                             verbose_name=_("cơ quan chủ trì"))
    partners = models.ManyToManyField("organisations.Unit", blank=True, related_name="plan_tasks_joined",
                                      verbose_name=_("cơ quan phối hợp"))
    agencies_text = models.CharField(_("cơ quan theo văn bản"), max_length=500, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    deadline_text = models.CharField(_("thời hạn theo văn bản"), max_length=200, blank=True)
    points_now = models.FloatField(_("điểm hiện tại"), null=True, blank=True)
    max_points = models.FloatField(_("điểm tối đa"), null=True, blank=True)
    target_score = models.FloatField(_("điểm mục tiêu"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)  # what an edit page showed: a stale edit is refused

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Computed, never stored: past its deadline and not done."""
        today = today or timezone.localdate()
        return self.status != Status.DONE and self.deadline is not None and self.deadline < today

    @property
    def shown_status(self) -> str:
        return OVERDUE if self.is_overdue() else self.status

    @property
    def shown_status_label(self) -> str:
        return str(OVERDUE_LABEL) if self.is_overdue() else self.get_status_display()


class Progress(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey("organisations.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("kết quả thực hiện"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


def evidence_path(instance: ProgressEvidence, filename: str) -> str:
    # Unguessable, and never derived from the uploaded name.
    return f"plans/{instance.progress.task.plan_id}/{uuid.uuid4().hex}"


class ProgressEvidence(models.Model):
    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=150)
    kind = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Comment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("ý kiến"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
