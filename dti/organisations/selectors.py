from __future__ import annotations

from django.core.paginator import Paginator

from dti.collation import vietnamese_key

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


def in_name_order(qs, *, prefix: str = "") -> list[int]:
    """The primary keys of ``qs`` (units, or rows with a unit at ``prefix``: 'unit__') in tree order
    with each level's units in Vietnamese alphabetical order of their names: 'Sở Thông tin…'
    before 'Sở Tư pháp' (their codes, or code points, would put them the other way round)."""
    rows = list(qs.values_list("pk", f"{prefix}path", f"{prefix}code", f"{prefix}name"))
    names = {code: name for _pk, _path, code, name in rows}
    missing = {seg for _pk, path, _code, _name in rows for seg in path.strip("/").split("/") if seg not in names}
    if missing:
        names.update(Unit.objects.filter(code__in=missing).values_list("code", "name"))

    def key(row):
        return tuple((vietnamese_key(names.get(seg, seg)), seg) for seg in row[1].strip("/").split("/"))

    return [row[0] for row in sorted(rows, key=key)]


def page_in_name_order(qs, number, per_page: int, *, prefix: str = ""):
    """A Paginator page of ``qs`` in ``in_name_order``: the order is found on (pk, path, code, name)
    rows, and only the page's objects are loaded."""
    page = Paginator(in_name_order(qs, prefix=prefix), per_page).get_page(number)
    objects = qs.in_bulk(list(page.object_list))
    page.object_list = [objects[pk] for pk in page.object_list if pk in objects]
    return page


def choices_in_name_order(field) -> None:
    """A model choice field's options (units) in ``in_name_order``; its queryset still validates."""
    qs = field.queryset
    objects = qs.in_bulk()
    choices: list[tuple[object, str]] = [("", field.empty_label)] if getattr(field, "empty_label", None) is not None else []
    choices += [(pk, field.label_from_instance(objects[pk])) for pk in in_name_order(qs) if pk in objects]
    field.choices = choices
