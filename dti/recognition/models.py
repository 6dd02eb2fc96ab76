"""Recognition of maturity levels (Kon Tum QĐ 121 mục II.3): each unit registers a target level,
an appraisal council (Hội đồng thẩm định) examines the files and concludes a level, a decision
(Quyết định công nhận) publishes the levels.  Each object with a lifecycle has one transition
table in ``workflow.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    REGISTERED = "registered", _("Đã đăng ký (lãnh đạo đã duyệt)")


class Registration(models.Model):
    """A unit's target level for the year, registered once its leader approves it."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="registrations",
                             verbose_name=_("đơn vị"))
    target_level = models.PositiveSmallIntegerField(_("mức độ đăng ký"))
    note = models.TextField(_("ghi chú"), blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=RegistrationState.choices,
                             default=RegistrationState.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="registration_once")]
        ordering = ["unit__path"]
        verbose_name = _("đăng ký mức độ")
        verbose_name_plural = _("đăng ký mức độ")


class RegistrationExtension(models.Model):
    """Late registration allowed for one unit until a new date, recorded with who and why."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    new_deadline = models.DateField(_("hạn đăng ký mới"))
    reason = models.TextField(_("lý do"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("gia hạn đăng ký")
        verbose_name_plural = _("gia hạn đăng ký")


class Council(models.Model):
    """Hội đồng thẩm định: formed by the administrator, examines the files assigned to it."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="councils")
    name = models.CharField(_("tên hội đồng"), max_length=300)
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    formed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("hội đồng thẩm định")
        verbose_name_plural = _("hội đồng thẩm định")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch hội đồng")
    SECRETARY = "secretary", _("Thư ký")
    MEMBER = "member", _("Thành viên")


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_seats")
    role = models.CharField(_("vai trò"), max_length=20, choices=MemberRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="council_member_once")]
        ordering = ["council", "role", "id"]


class FileState(models.TextChoices):
    ASSIGNED = "assigned", _("Đang thẩm định")
    CONCLUDED = "concluded", _("Hội đồng đã kết luận")


class CouncilFile(models.Model):
    """One unit's file before a council; the secretary's conclusion is the verified result."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="files")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    claimed_level = models.PositiveSmallIntegerField(_("mức độ đề nghị"))
    state = models.CharField(max_length=20, choices=FileState.choices, default=FileState.ASSIGNED)
    recognised_level = models.PositiveSmallIntegerField(_("mức độ hội đồng kết luận"), null=True, blank=True)
    reasons = models.TextField(_("lý do (theo biên bản)"), blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    concluded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="council_file_once")]
        ordering = ["unit__path"]


class Opinion(models.Model):
    """A member's view of one criterion at the claimed level: met or not, with a comment."""

    file = models.ForeignKey(CouncilFile, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    criterion = models.CharField(max_length=50)
    met = models.BooleanField()
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["file", "member", "criterion"], name="opinion_once")]


class DecisionState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class Decision(models.Model):
    """Quyết định công nhận mức độ chuyển đổi số: units and recognised levels; issued with
    number, date and the signed PDF, after which the levels are published."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="decisions")
    level = models.CharField(_("cấp đơn vị"), max_length=30, blank=True, help_text=_("trống: mọi cấp"))
    within = models.ForeignKey("organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("đơn vị trực thuộc"),
                               help_text=_("trống: mọi đơn vị; một huyện: các xã của huyện (UBND huyện công nhận)"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=300)
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    signed_pdf = models.FileField(_("bản có chữ ký (PDF)"), upload_to="decisions/", blank=True)
    state = models.CharField(max_length=20, choices=DecisionState.choices, default=DecisionState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")


class DecisionLine(models.Model):
    """A unit and its level as the issued decision states them (frozen at issue)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "unit"], name="decision_line_once")]
        ordering = ["unit__path"]
