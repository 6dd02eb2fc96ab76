from __future__ import annotations

from .models import Level, Unit


def level_names() -> dict[str, str]:
    return dict(Level.objects.values_list("code", "name"))


def units_visible(access, *, level: str | None = None):
    qs = Unit.objects.select_related("level", "parent")
    q = access.unit_filter()
    if q is not None:
        qs = qs.filter(q)
    if level:
        qs = qs.filter(level_id=level)
    return qs.order_by("path")


def get_unit(code: str) -> Unit | None:
    return Unit.objects.select_related("level", "parent").filter(code=code).first()


def subtree(unit: Unit):
    return Unit.objects.filter(path__startswith=unit.path)
