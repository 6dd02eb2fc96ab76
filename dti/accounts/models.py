"""Roles scoped to units (and, for reviewers, to a campaign)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    ASSESSMENT_ADMIN = "assessment_admin", _("Quản trị đánh giá")
    REVIEWER = "reviewer", _("Cán bộ thẩm định")
    REPORTER = "reporter", _("Cán bộ nhập liệu")
    LEADER = "leader", _("Lãnh đạo đơn vị")
    VIEWER = "viewer", _("Người xem")


UNIT_ROLES = {Role.REPORTER, Role.LEADER, Role.VIEWER}
# Who acts on a submission: the unit's people edit, the lead agency reviews, admins approve.
UNIT_EDITORS = frozenset({Role.REPORTER, Role.LEADER})
REVIEWERS = frozenset({Role.REVIEWER, Role.ASSESSMENT_ADMIN, Role.SYSTEM_ADMIN})
ADMINS = frozenset({Role.ASSESSMENT_ADMIN, Role.SYSTEM_ADMIN})


class RoleAssignment(models.Model):
    """One role of one user.

    - system_admin: everything (unit ignored).
    - assessment_admin: all units, or ``unit`` and its subtree (e.g. a district's
      Phòng VH-KH-TT administering its communes).
    - reviewer: the units of ``campaign`` (all campaigns if empty) restricted to
      ``units`` and/or the subtree of ``unit`` when given; all units otherwise.
    - reporter / leader / viewer: ``unit`` (and its subtree with ``include_subtree``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments",
        verbose_name=_("đơn vị"),
    )
    include_subtree = models.BooleanField(_("gồm các đơn vị trực thuộc"), default=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments",
        verbose_name=_("đợt đánh giá"),
    )
    units = models.ManyToManyField(
        "organisations.Unit", blank=True, related_name="reviewer_assignments", verbose_name=_("các đơn vị thẩm định")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        scope = self.unit.code if self.unit is not None else "*"
        return f"{self.user} · {self.get_role_display()} · {scope}"
