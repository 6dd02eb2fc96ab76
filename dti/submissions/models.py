"""What a unit reports in a campaign: values (raw text as typed), notes, evidence files."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    APPROVED_BY_LEADER = "approved_by_leader", _("Lãnh đạo đã duyệt")
    SUBMITTED = "submitted", _("Đã gửi")
    UNDER_REVIEW = "under_review", _("Đang thẩm định")
    RETURNED = "returned", _("Trả lại để bổ sung")
    RESUBMITTED = "resubmitted", _("Đã gửi lại")
    APPROVED = "approved", _("Đã phê duyệt")
    PUBLISHED = "published", _("Đã công bố")


LOCKED_STATES = {State.SUBMITTED, State.UNDER_REVIEW, State.RESUBMITTED, State.APPROVED, State.PUBLISHED}
REVIEWABLE_STATES = {State.SUBMITTED, State.UNDER_REVIEW, State.RESUBMITTED}


class Submission(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(_("trạng thái"), max_length=30, choices=State.choices, default=State.DRAFT, db_index=True)
    leader_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    leader_approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The campaign's scores_version at this submission's last change: a process holding an
    # older score run re-reads only the submissions changed since (results.selectors).
    changed_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["campaign", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="submission_campaign_unit")]
        verbose_name = _("hồ sơ đánh giá")
        verbose_name_plural = _("hồ sơ đánh giá")

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.unit_id}"

    @property
    def is_locked(self) -> bool:
        return self.state in LOCKED_STATES


class Value(models.Model):
    """One field of one submission: the raw text as typed, what it parses to, and the verified value."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    field = models.CharField(max_length=200)  # '1.2.a', 'info.so_cong_chuc', '1.2.status'
    raw = models.TextField(blank=True, default="")
    number = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")
    verified_raw = models.TextField(null=True, blank=True)
    verified_number = models.FloatField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "field"], name="value_submission_field")]

    def __str__(self) -> str:
        return f"{self.field}={self.raw}"

    @property
    def effective_raw(self) -> str:
        return self.raw if self.verified_raw is None else self.verified_raw


class IndicatorNote(models.Model):
    """The unit's explanation for one indicator (ghi chú, thuyết minh)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="notes")
    indicator = models.CharField(max_length=100)
    text = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "indicator"], name="note_submission_indicator")]


def evidence_path(instance: Evidence, filename: str) -> str:
    # Unguessable, and never derived from the uploaded name.
    return f"evidence/{instance.submission.campaign_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        IMAGE = "image", _("Ảnh")
        OFFICE = "office", _("Văn bản Office")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.CharField(max_length=100)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Digital signatures of a PDF, read at upload (dti/submissions/signatures.py): "" = not read
    # (not a PDF), unsigned, intact, modified, unreadable; one summary dict per signature.
    signature_state = models.CharField(_("chữ ký số"), max_length=12, blank=True, default="")
    signatures = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["indicator", "uploaded_at"]
        indexes = [models.Index(fields=["submission", "indicator"])]
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")

    def __str__(self) -> str:
        return self.original_name

    def signature_lines(self, signed_asked: bool = False) -> list[tuple[str, str]]:
        from .signatures import signature_lines

        return signature_lines(self, signed_asked=signed_asked)
