from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dti.accounts.selectors import access_for

from . import selectors, services


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp danh sách đơn vị (.csv hoặc .xlsx)"))


def _require_admin(request):
    if not access_for(request).is_admin:
        raise PermissionDenied


@login_required
def unit_list(request):
    _require_admin(request)
    units = selectors.units_visible(access_for(request), level=request.GET.get("level") or None)
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(name__icontains=query) | units.filter(code__icontains=query)
    page = Paginator(units, 200).get_page(request.GET.get("page"))
    return render(request, "organisations/list.html", {
        "page": page, "levels": selectors.level_names(), "level": request.GET.get("level", ""), "q": query,
    })


@login_required
def import_view(request):
    if not access_for(request).is_global_admin:  # an import may touch any unit
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            form.add_error("file", _("Tệp quá lớn (tối đa 10 MB)"))
        else:
            report = services.import_units(upload.read(), upload.name, user=request.user)
            if report.ok:
                messages.success(request, _("Đã nhập: %(c)d đơn vị mới, %(u)d đơn vị cập nhật.")
                                 % {"c": report.created, "u": report.updated})
                return redirect("organisations:list")
    return render(request, "organisations/import.html", {"form": form, "report": report,
                                                         "levels": selectors.level_names()})


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
