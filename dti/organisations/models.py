"""The unit tree: tỉnh → Sở, ban, ngành; huyện → xã."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Mã chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới"),
)


class Level(models.Model):
    """A level of units (tinh, so, huyen, xa…); codes match the frameworks' level codes."""

    code = models.CharField(_("mã cấp"), max_length=20, primary_key=True, validators=[code_validator])
    name = models.CharField(_("tên cấp"), max_length=100)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("cấp đơn vị")
        verbose_name_plural = _("cấp đơn vị")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=50, unique=True, validators=[code_validator])
    name = models.CharField(_("tên đơn vị"), max_length=255)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="units", verbose_name=_("cấp"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("đơn vị cấp trên")
    )
    ranking_group = models.CharField(_("nhóm xếp hạng"), max_length=100, blank=True)
    # "/<root code>/<child code>/": subtree lookups with path__startswith; kept by services.
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    @property
    def group(self) -> str:
        """The ranking group: explicit, else the level's name."""
        return self.ranking_group or self.level_id

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)
