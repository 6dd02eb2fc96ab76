from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dti.accounts.selectors import access_for
from dti.site.text import query_param

from . import selectors, services


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp danh sách đơn vị (.csv hoặc .xlsx)"))


def _require_admin(request):
    if not access_for(request).is_admin:
        raise PermissionDenied


@login_required
def unit_list(request):
    _require_admin(request)
    level, _level_error = query_param(request, "level", max_length=20)  # a select: a bad value just means "all"
    query, query_error = query_param(request, "q")
    units = selectors.units_visible(access_for(request), level=level or None)
    if query:
        units = units.filter(name__icontains=query) | units.filter(code__icontains=query)
    page = selectors.page_in_name_order(units, request.GET.get("page"), 200)
    return render(request, "organisations/list.html", {
        "page": page, "levels": selectors.level_names(), "level": level, "q": query, "q_error": query_error,
    })


IMPORT_MAX_BYTES = 10 * 1024 * 1024


def _preview(request, form, content: bytes, filename: str):
    plan = services.plan_import(content, filename)
    token = ""
    if plan.ok and (plan.added or plan.changed):
        token = services.keep_pending_import(content, filename, plan, user=request.user)
    return render(request, "organisations/import.html", {
        "form": form, "plan": plan, "token": token, "filename": filename, "levels": selectors.level_names(),
        "labels": services.FIELD_LABELS,
    })


@login_required
def import_view(request):
    """Upload → preview (added / changed / unchanged / errors) → confirm: all or nothing."""
    if not access_for(request).is_global_admin:  # an import may touch any unit
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            form.add_error("file", _("Tệp quá lớn (tối đa 10 MB)"))
        else:
            return _preview(request, ImportForm(), upload.read(), upload.name)
    return render(request, "organisations/import.html", {"form": form, "levels": selectors.level_names()})


def _confirm(request):
    try:
        content, filename, digest, path = services.pending_import(request.POST["token"], user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("organisations:import")
    plan = services.apply_import(content, filename, user=request.user, expected_digest=digest)
    services.discard_pending_import(path)
    if plan.ok:
        messages.success(request, _("Đã nhập: %(a)d đơn vị mới, %(c)d đơn vị thay đổi, %(u)d giữ nguyên.")
                         % {"a": len(plan.added), "c": len(plan.changed), "u": len(plan.unchanged)})
        return redirect("organisations:list")
    # The units changed since the preview (or the file no longer applies): show what it would do now.
    for row, message in plan.errors:
        if not row:  # whole-file messages; row errors show again in the new preview
            messages.warning(request, message)
    return _preview(request, ImportForm(), content, filename)


@login_required
def sample_csv(request):
    _require_admin(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-don-vi.csv"'
    response.write("\ufeffma,ten,cap,ma_cap_tren,nhom_xep_hang\n")
    response.write("tinh,UBND tỉnh,tinh,,\n")
    response.write("so-tttt,Sở Thông tin và Truyền thông,so,tinh,Sở\n")
    response.write("huyen-a,UBND huyện A,huyen,tinh,\n")
    response.write("xa-a1,UBND xã A1,xa,huyen-a,\n")
    return response
