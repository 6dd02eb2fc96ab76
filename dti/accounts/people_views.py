"""People management for assessment administrators (no Django admin needed).

Policy (dti/site/shortcuts.py): a person who is not an administrator gets 403 on every page; a
person outside the units the administrator manages answers 404, as if they did not exist.
Irreversible steps (removing a role, deactivating, resetting a password) ask first on a page of
their own; a set-password link is shown once, on the response to the step that made it.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.collation import sort_vietnamese
from dti.organisations.models import Unit
from dti.organisations.services import discard_pending_import, keep_pending_import, pending_import
from dti.site.text import query_param

from . import selectors, services
from .forms import PeopleImportForm, PersonForm, RoleForm
from .models import Role, RoleAssignment
from .selectors import access_for

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_SALT = "dti.accounts.people-import"
IMPORT_DIR = "people-imports"


def _admin(request):
    access = access_for(request)
    if not access.is_admin:
        raise PermissionDenied
    return access


def _person(access, pk: int):
    person = selectors.person_or_none(access, pk)
    if person is None:
        raise Http404
    return person


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _link(request, path: str) -> str:
    return request.build_absolute_uri(path)


@login_required
def people_list(request):
    access = _admin(request)
    query, query_error = query_param(request, "q")
    role, _role_error = query_param(request, "role", max_length=30)  # selects: a bad value means "all"
    unit_code, _unit_error = query_param(request, "unit", max_length=50)
    state, _state_error = query_param(request, "state", max_length=10)
    role = role if role in Role.values else ""
    unit = selectors.manageable_units(access).filter(code=unit_code).first() if unit_code else None
    active = {"active": True, "inactive": False}.get(state)
    people = selectors.people_visible(access, query=query, unit=unit, role=role, active=active)
    # In Vietnamese alphabetical order of full names (the database's collation puts "Đ" after "Z"):
    # ids sorted in Python, then only the page's people loaded with their roles.
    names = sort_vietnamese(people.values_list("pk", "first_name", "username"), key=lambda p: p[1] or p[2])
    page = Paginator([pk for pk, _name, _login in names], 100).get_page(request.GET.get("page"))
    shown = people.model.objects.prefetch_related("roles__unit").in_bulk(list(page.object_list))
    page.object_list = [shown[pk] for pk in page.object_list]
    return render(request, "accounts/people/list.html", {
        "page": page, "q": query, "q_error": query_error, "role": role, "unit_code": unit.code if unit else "",
        "state": state, "roles": Role.choices, "units": selectors.manageable_units(access),
    })


@login_required
def person_create(request):
    access = _admin(request)
    person_form = PersonForm(request.POST or None, prefix="p")
    role_form = RoleForm(request.POST or None, access=access, prefix="r")
    if request.method == "POST" and person_form.is_valid() and role_form.is_valid():
        data, grant = person_form.cleaned_data, role_form.cleaned_data
        try:
            person = services.create_person(access, full_name=data["full_name"], email=data["email"],
                                            username=data["username"], role=grant["role"], unit=grant["unit"],
                                            include_subtree=grant["include_subtree"], campaign=grant["campaign"])
        except ValidationError as exc:
            for form in (person_form, role_form):
                if hasattr(exc, "error_dict"):
                    _errors_to_form(form, ValidationError({k: v for k, v in exc.error_dict.items() if k in form.fields}))
            if not hasattr(exc, "error_dict"):
                _errors_to_form(person_form, exc)
        else:
            return render(request, "accounts/people/link.html", {
                "person": person, "link": _link(request, services.set_password_link(person)), "created": True,
            })
    return render(request, "accounts/people/create.html", {"person_form": person_form, "role_form": role_form})


@login_required
def person_detail(request, pk: int):
    access = _admin(request)
    person = _person(access, pk)
    person_form = PersonForm(request.POST if request.POST.get("form") == "person" else None, with_username=False,
                             initial={"full_name": person.first_name, "email": person.email}, prefix="p")
    role_form = RoleForm(request.POST if request.POST.get("form") == "role" else None, access=access, prefix="r")
    if request.method == "POST":
        try:
            if request.POST.get("form") == "person" and person_form.is_valid():
                services.update_person(access, person, full_name=person_form.cleaned_data["full_name"],
                                       email=person_form.cleaned_data["email"])
                messages.success(request, _("Đã lưu thông tin của %(name)s.") % {"name": person.first_name})
                return redirect("accounts:person", person.pk)
            if request.POST.get("form") == "role" and role_form.is_valid():
                grant = role_form.cleaned_data
                services.grant_role(access, person, role=grant["role"], unit=grant["unit"],
                                    include_subtree=grant["include_subtree"], campaign=grant["campaign"])
                messages.success(request, _("Đã cấp vai trò."))
                return redirect("accounts:person", person.pk)
        except ValidationError as exc:
            _errors_to_form(person_form if request.POST.get("form") == "person" else role_form, exc)
    grants = selectors.roles_of(person)
    return render(request, "accounts/people/detail.html", {
        "person": person, "grants": grants, "person_form": person_form, "role_form": role_form,
        "is_self": person.pk == request.user.pk,
    })


def _grant(person, grant_id: int) -> RoleAssignment:
    grant = RoleAssignment.objects.select_related("unit", "campaign").filter(pk=grant_id, user=person).first()
    if grant is None:
        raise Http404
    return grant


@login_required
def role_remove(request, pk: int, grant_id: int):
    access = _admin(request)
    person = _person(access, pk)
    grant = _grant(person, grant_id)
    if request.method == "POST":
        try:
            services.remove_role(access, person, grant.pk)
            messages.success(request, _("Đã bỏ vai trò %(role)s của %(name)s.")
                             % {"role": grant.get_role_display(), "name": person.first_name or person.username})
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("accounts:person", person.pk)
    return render(request, "accounts/people/confirm.html", {
        "person": person, "step": "remove", "grant": grant,
    })


@login_required
def person_deactivate(request, pk: int):
    access = _admin(request)
    person = _person(access, pk)
    if request.method == "POST":
        try:
            if services.set_active(access, person, False):
                messages.success(request, _("Đã khóa tài khoản %(login)s.") % {"login": person.username})
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("accounts:person", person.pk)
    return render(request, "accounts/people/confirm.html", {"person": person, "step": "deactivate"})


@login_required
@require_POST
def person_activate(request, pk: int):
    access = _admin(request)
    person = _person(access, pk)
    if services.set_active(access, person, True):
        messages.success(request, _("Đã mở khóa tài khoản %(login)s.") % {"login": person.username})
    return redirect("accounts:person", person.pk)


@login_required
def person_password(request, pk: int):
    access = _admin(request)
    person = _person(access, pk)
    if request.method == "POST":
        try:
            path = services.reset_password(access, person)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("accounts:person", person.pk)
        return render(request, "accounts/people/link.html", {"person": person, "link": _link(request, path)})
    return render(request, "accounts/people/confirm.html", {"person": person, "step": "password"})


# --------------------------------------------------------------------------- import

def _preview(request, content: bytes, filename: str, access):
    plan = services.plan_people_import(access, content, filename)
    token = ""
    if plan.ok and (plan.added or plan.granted):
        token = keep_pending_import(content, filename, plan, user=request.user, salt=IMPORT_SALT, directory=IMPORT_DIR)
    return render(request, "accounts/people/import.html", {
        "form": PeopleImportForm(), "plan": plan, "token": token, "filename": filename,
    })


@login_required
def people_import(request):
    """Upload → preview (new people, new roles, unchanged, errors) → confirm: all or nothing."""
    access = _admin(request)
    if request.method == "POST" and "token" in request.POST:
        try:
            content, filename, digest, path = pending_import(request.POST["token"], user=request.user, salt=IMPORT_SALT)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("accounts:people_import")
        plan, created = services.apply_people_import(access, content, filename, expected_digest=digest)
        if not plan.ok:
            for row, message in plan.errors:
                if not row:
                    messages.warning(request, message)
            return _preview(request, content, filename, access)
        discard_pending_import(path)
        for item in created:
            item.link = _link(request, item.link)
        return render(request, "accounts/people/imported.html", {"plan": plan, "created": created})
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", _("Tệp quá lớn (tối đa 5 MB)"))
        else:
            return _preview(request, upload.read(), upload.name, access)
    return render(request, "accounts/people/import.html", {"form": form})


@login_required
def people_import_sample(request):
    from openpyxl import Workbook

    access = _admin(request)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ho_ten", "email", "ten_dang_nhap", "vai_tro", "ma_don_vi"])
    unit = selectors.manageable_units(access).first() or Unit(code="so-tttt")
    sheet.append(["Nguyễn Văn A", "nguyenvana@example.vn", f"bientap.{unit.code}", "reporter", unit.code])
    sheet.append(["Trần Thị B", "tranthib@example.vn", f"lanhdao.{unit.code}", "Lãnh đạo đơn vị", unit.code])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-nguoi-dung.xlsx"'
    return response
