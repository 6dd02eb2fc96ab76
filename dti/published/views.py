"""Published results: import (campaign administrators), and a unit's published result beside the
method and our own scores (whoever may see the unit's scorecard)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from dti.accounts.selectors import access_for
from dti.organisations.models import Unit
from dti.site.shortcuts import ADMINS, REVIEWERS, campaign_or_404, campaign_roles
from dti.site.text import normalise
from dti.submissions.models import State, Submission

from .models import PublishedResult
from .selectors import comparison, unit_gains
from .services import ImportRefused, import_published


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp điểm công bố (CSV hoặc XLSX: cột code, score; thêm cột unit cho nhiều đơn vị)"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị (khi tệp không có cột unit)"))
    source = forms.CharField(max_length=300, required=False, label=_("Nguồn công bố"),
                             help_text=_("Ví dụ: Báo cáo DTI năm 2022 của Bộ Thông tin và Truyền thông"))

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(submissions__campaign=campaign).order_by("name")


@login_required
def import_view(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    if not campaign_roles(request, campaign) & ADMINS:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            results = import_published(campaign, form.cleaned_data["file"], user=request.user,
                                       unit=form.cleaned_data["unit"], source=normalise(form.cleaned_data["source"]))
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("Đã nhập kết quả công bố của %(n)d đơn vị.") % {"n": len(results)})
            if len(results) == 1:
                return redirect("published:detail", campaign.pk, results[0].unit.code)
            return redirect("published:list", campaign.pk)
    return render(request, "published/import.html", {"campaign": campaign, "form": form})


def _visible(request, campaign, unit) -> bool:
    if campaign_roles(request, campaign) & (ADMINS | REVIEWERS):
        return True
    if access_for(request).unit_roles(campaign.pk, unit):
        return True
    return campaign.is_published and Submission.objects.filter(campaign=campaign, unit=unit,
                                                               state=State.PUBLISHED).exists()


@login_required
def list_view(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    results = [r for r in PublishedResult.objects.filter(campaign=campaign).select_related("unit", "campaign")
               if _visible(request, campaign, r.unit)]
    return render(request, "published/list.html", {
        "campaign": campaign, "results": results, "can_import": bool(campaign_roles(request, campaign) & ADMINS)})


@login_required
def detail_view(request, campaign_id: int, unit_code: str):
    campaign = campaign_or_404(request, campaign_id)
    result = (PublishedResult.objects.select_related("unit", "campaign__framework", "imported_by")
              .filter(campaign=campaign, unit__code=unit_code).first())
    if result is None or not _visible(request, campaign, result.unit):
        raise Http404
    rows, report = comparison(result)
    is_admin = bool(campaign_roles(request, campaign) & ADMINS)
    gains = unit_gains(campaign, unit_code, top=15)
    pillars = [r for r in rows if r.depth == 0]
    return render(request, "published/detail.html", {
        "campaign": campaign, "result": result, "rows": rows, "report": report, "pillars": pillars,
        "gains": gains, "is_admin": is_admin,
        "lost_total": sum(r.lost or 0 for r in pillars),
    })
