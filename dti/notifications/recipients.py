"""Who is told: a unit's reporters and leaders, the reviewers of a unit in a campaign."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from dti.accounts.models import Role, RoleAssignment
from dti.accounts.selectors import Access


def unit_people(unit, roles=(Role.REPORTER, Role.LEADER)) -> list:
    """Active users holding ``roles`` on ``unit`` (directly, or on an ancestor with its subtree)."""
    ancestors = [code for code in unit.path.strip("/").split("/") if code]
    grants = RoleAssignment.objects.filter(role__in=list(roles), unit__code__in=ancestors).select_related("unit")
    ids = {g.user_id for g in grants if g.unit_id == unit.pk or g.include_subtree}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def reviewers_of(campaign_id: int, unit) -> list:
    """Active reviewers whose grant covers ``unit`` in this campaign."""
    candidates = (get_user_model().objects.filter(roles__role=Role.REVIEWER, is_active=True).distinct().order_by("pk"))
    return [user for user in candidates if Role.REVIEWER in Access(user).unit_roles(campaign_id, unit)]
