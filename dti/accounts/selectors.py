"""Who may see and do what: roles scoped to units, computed once per request.

Policy: a unit (or submission) the user has no role over answers 404 — it does
not exist for them; a visible object with a forbidden action answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from dti.organisations.models import Unit

from .models import Role, RoleAssignment

ADMIN_ROLES = {Role.SYSTEM_ADMIN, Role.ASSESSMENT_ADMIN}


@dataclass
class _Grant:
    role: str
    unit_id: int | None
    unit_path: str | None
    subtree: bool
    campaign_id: int | None
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    def covers_unit(self, unit: Unit) -> bool:
        if self.role == Role.SYSTEM_ADMIN:
            return True
        if self.role in (Role.ASSESSMENT_ADMIN, Role.REVIEWER):
            if self.unit_id is None and not self.unit_ids:
                return True  # every unit
            if unit.id in self.unit_ids:
                return True
            if self.unit_id is None:
                return False
            return unit.id == self.unit_id or unit.path.startswith(self.unit_path or "\x00")
        if self.unit_id is None:
            return False
        if unit.id == self.unit_id:
            return True
        return self.subtree and unit.path.startswith(self.unit_path or "\x00")

    def covers(self, campaign_id: int, unit: Unit) -> bool:
        if self.role == Role.REVIEWER and self.campaign_id is not None and self.campaign_id != campaign_id:
            return False
        return self.covers_unit(unit)


class Access:
    """The roles of one user, with the questions views ask."""

    def __init__(self, user):
        self.user = user
        self.grants: list[_Grant] = []
        if user is None or not user.is_authenticated:
            return
        rows = list(
            RoleAssignment.objects.filter(user=user).values_list("id", "role", "unit_id", "unit__path", "include_subtree",
                                                                 "campaign_id")
        )
        reviewer_ids = [r[0] for r in rows if r[1] == Role.REVIEWER]
        units: dict[int, set[int]] = {}
        if reviewer_ids:  # only reviewers are scoped to explicit unit sets
            through = RoleAssignment.units.through
            for grant_id, unit_id in through.objects.filter(roleassignment_id__in=reviewer_ids).values_list(
                "roleassignment_id", "unit_id"
            ):
                units.setdefault(grant_id, set()).add(unit_id)
        for grant_id, role, unit_id, path, subtree, campaign_id in rows:
            self.grants.append(_Grant(role, unit_id, path, subtree, campaign_id, frozenset(units.get(grant_id, ()))))
        if user.is_superuser and not any(g.role == Role.SYSTEM_ADMIN for g in self.grants):
            self.grants.append(_Grant(Role.SYSTEM_ADMIN, None, None, True, None))

    # ------------------------------------------------------------------ roles
    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def has_role(self, *roles: str) -> bool:
        return any(g.role in roles for g in self.grants)

    @property
    def is_system_admin(self) -> bool:
        return self.has_role(Role.SYSTEM_ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.SYSTEM_ADMIN, Role.ASSESSMENT_ADMIN)

    @property
    def is_global_admin(self) -> bool:
        """System admin, or an assessment admin not restricted to a subtree."""
        return any(g.role == Role.SYSTEM_ADMIN or (g.role == Role.ASSESSMENT_ADMIN and g.unit_id is None
                                                   and not g.unit_ids) for g in self.grants)

    def unit_roles(self, campaign_id: int | None, unit: Unit) -> set[str]:
        """Roles the user holds over ``unit`` (within ``campaign_id`` for reviewers)."""
        roles = set()
        for g in self.grants:
            if g.role == Role.REVIEWER and campaign_id is None:
                continue
            if g.covers(campaign_id, unit) if campaign_id is not None else g.covers_unit(unit):
                roles.add(g.role)
        return roles

    def can_manage_unit(self, unit: Unit) -> bool:
        return bool(self.unit_roles(None, unit) & ADMIN_ROLES)

    # ------------------------------------------------------------------ querysets
    def unit_filter(self, prefix: str = "", campaign_id: int | None = None, roles=None) -> Q | None:
        """A Q over units (``prefix`` e.g. 'unit__') the user holds a role on; None = everything."""
        q = Q(pk__in=[])
        for g in self.grants:
            if roles is not None and g.role not in roles:
                continue
            if g.role == Role.REVIEWER and g.campaign_id is not None and g.campaign_id != campaign_id:
                continue
            if g.role == Role.SYSTEM_ADMIN:
                return None
            if g.role in (Role.ASSESSMENT_ADMIN, Role.REVIEWER) and g.unit_id is None and not g.unit_ids:
                return None
            if g.unit_ids:
                q |= Q(**{f"{prefix}pk__in": list(g.unit_ids)})
            if g.unit_id is not None:
                q |= Q(**{f"{prefix}pk": g.unit_id})
                if g.subtree or g.role in (Role.ASSESSMENT_ADMIN, Role.REVIEWER):
                    q |= Q(**{f"{prefix}path__startswith": g.unit_path})
        return q

    def reviewer_campaign_ids(self) -> set[int | None]:
        return {g.campaign_id for g in self.grants if g.role == Role.REVIEWER}


def access_for(request) -> Access:
    """The request's Access, computed once."""
    access = getattr(request, "_dti_access", None)
    if access is None or access.user is not request.user:
        access = Access(request.user)
        request._dti_access = access
    return access


# --------------------------------------------------------------------------- people management
#
# An assessment administrator manages the people whose every role lies on units they administer:
# a person who also holds a role elsewhere (another province, a role over every unit) belongs
# to somebody else too and answers 404, like a unit outside one's roles.  Hence a person is
# always created with a first role: without one nobody but a global administrator would see them.

# The everyday roles first: a form's default must never be an administrator.
GRANTABLE_BY_ADMIN = (Role.REPORTER, Role.LEADER, Role.VIEWER, Role.REVIEWER, Role.ASSESSMENT_ADMIN)
# Roles that may be held over every unit (no unit): the others need one.
ROLES_WITHOUT_UNIT = {Role.SYSTEM_ADMIN, Role.ASSESSMENT_ADMIN, Role.REVIEWER}


def admin_unit_filter(access: Access) -> Q | None:
    """The units the person administers (Q over Unit); None = every unit."""
    return access.unit_filter(roles=ADMIN_ROLES)


def manageable_units(access: Access):
    q = admin_unit_filter(access)
    qs = Unit.objects.select_related("level").order_by("path")
    return qs if q is None else qs.filter(q)


def grantable_roles(access: Access) -> list[tuple[str, str]]:
    """(role, label) the person may grant: a system administrator anything, an assessment administrator
    everything below system administration."""
    if not access.is_admin:
        return []
    allowed = list(GRANTABLE_BY_ADMIN) + ([Role.SYSTEM_ADMIN] if access.is_system_admin else [])
    return [(role.value, str(role.label)) for role in allowed]


def _outside_grants(access: Access) -> Q:
    """Role assignments (Q over RoleAssignment) that lie outside what ``access`` administers."""
    units = manageable_units(access).values("pk")
    outside = Q(unit=None) | ~Q(unit__in=units) | Q(units__in=Unit.objects.exclude(pk__in=units))
    if not access.is_system_admin:
        outside |= Q(role=Role.SYSTEM_ADMIN)
    return outside


def people_visible(access: Access, *, query: str = "", unit: Unit | None = None, role: str = "",
                   active: bool | None = None):
    """The people ``access`` may manage (none for a non-administrator), by name."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if not access.is_admin:
        return User.objects.none()
    qs = User.objects.all()
    if not access.is_system_admin:
        qs = qs.exclude(is_superuser=True)
    if admin_unit_filter(access) is not None:
        outside = RoleAssignment.objects.filter(_outside_grants(access)).values("user_id")
        qs = qs.filter(roles__isnull=False).exclude(pk__in=outside)
    elif not access.is_system_admin:
        qs = qs.exclude(pk__in=RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN).values("user_id"))
    if query:
        qs = qs.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(username__icontains=query)
                       | Q(email__icontains=query))
    if unit is not None:
        qs = qs.filter(roles__unit=unit)
    if role:
        qs = qs.filter(roles__role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.distinct().order_by("first_name", "username")


def person_or_none(access: Access, pk: int):
    return people_visible(access).filter(pk=pk).first()


def roles_of(person) -> list[RoleAssignment]:
    return list(RoleAssignment.objects.filter(user=person).select_related("unit", "campaign")
                .prefetch_related("units").order_by("role", "unit__path"))
