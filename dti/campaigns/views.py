from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.selectors import access_for
from dti.methodologies.selectors import compiled_for
from dti.organisations.models import Unit
from dti.organisations.selectors import page_in_name_order
from dti.site.shortcuts import ADMINS, campaign_or_404, campaign_roles, may_see_ranking
from dti.site.text import query_param
from dti.submissions.models import State
from dti.submissions.selectors import submissions_visible

from . import selectors, services
from .forms import AddUnitsForm, CalendarForm, CampaignForm, ExtensionForm


def _require_admin(request, campaign=None):
    access = access_for(request)
    if not (access.is_global_admin if campaign is None else access.is_admin):
        raise PermissionDenied
    if campaign is not None and not campaign_roles(request, campaign) & ADMINS:
        raise PermissionDenied


@login_required
def campaign_list(request):
    campaigns = selectors.campaigns_visible(access_for(request))
    return render(request, "campaigns/list.html", {"campaigns": campaigns})


@login_required
def detail(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    access = access_for(request)
    roles = campaign_roles(request, campaign)
    subs = submissions_visible(access, campaign)
    state = request.GET.get("state")
    if state in State.values:
        subs = subs.filter(state=state)
    query, query_error = query_param(request, "q")
    if query:
        subs = subs.filter(unit__name__icontains=query) | subs.filter(unit__code__icontains=query)
    page = page_in_name_order(subs, request.GET.get("page"), 100, prefix="unit__")
    # Counts over what the person may see (a district's reviewer: its communes only).
    counts = selectors.state_counts(campaign, submissions_visible(access, campaign)) if roles else {}
    kept = request.session.pop(_extension_key(campaign), None) or {"data": {}, "errors": {}}
    maturity = bool(compiled_for(campaign.framework).framework.maturity_levels)  # recognition process (QĐ 121)
    return render(request, "campaigns/detail.html", {
        "maturity": maturity,
        "campaign": campaign,
        "calendar": selectors.calendar(campaign),
        "page": page,
        "roles": roles,
        "is_admin": bool(roles & ADMINS),
        "counts": [(st.value, st.label, counts[st.value]) for st in State if counts.get(st.value)],
        "extensions": selectors.extensions(campaign)[:50] if roles & ADMINS else [],
        "extension_form": ExtensionForm(campaign=campaign, initial=kept["data"]) if roles & ADMINS else None,
        "extension_errors": kept["errors"],
        "state": state,
        "q": query,
        "q_error": query_error,
        "can_see_ranking": may_see_ranking(request, campaign),
        "states": list(State),
        "readings": selectors.readings(campaign)["indicators"],
    })


@login_required
def create(request):
    _require_admin(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        framework = data["framework"]
        levels = set(data["levels"]) & set(compiled_for(framework).framework.level_codes)
        units = list(Unit.objects.filter(level_id__in=levels, active=True)) if levels else []
        try:
            campaign = services.create_campaign(
                name=data["name"], framework=framework, year=data["year"], period_start=data["period_start"],
                period_end=data["period_end"], entry_deadline=data["entry_deadline"],
                review_deadline=data["review_deadline"], approval_date=data["approval_date"],
                publication_date=data["publication_date"], lead_unit=data["lead_unit"], previous=data["previous"],
                units=units, user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Đã tạo đợt đánh giá với %(n)d đơn vị.") % {"n": len(units)})
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "title": _("Tạo đợt đánh giá")})


@login_required
def calendar_edit(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    _require_admin(request, campaign)
    initial = {f: getattr(campaign, f) for f in CalendarForm.base_fields}
    form = CalendarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_calendar(campaign, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Đã cập nhật lịch đánh giá."))
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "title": _("Lịch đánh giá"), "campaign": campaign})


@login_required
@require_POST
def extension(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    _require_admin(request, campaign)
    form = ExtensionForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            services.grant_extension(campaign, form.cleaned_data["unit"], new_deadline=form.cleaned_data["new_deadline"],
                                     reason=form.cleaned_data["reason"], user=request.user)
            messages.success(request, _("Đã gia hạn cho %(u)s.") % {"u": form.cleaned_data["unit"].name})
            return redirect("campaigns:detail", campaign.pk)
        except ValidationError as exc:
            for field, errors in (exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]):
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
    # The form lives on the campaign page, and the answer stays a redirect there: what was
    # typed and each field's message wait in the session for that page to show them.
    request.session[_extension_key(campaign)] = {
        "data": {name: form.data.get(name, "") for name in form.fields},
        "errors": {field: list(errors) for field, errors in form.errors.items()},
    }
    messages.error(request, _("Chưa gia hạn: xem lỗi ở mục Gia hạn nhập liệu."))
    return redirect("campaigns:detail", campaign.pk)


def _extension_key(campaign) -> str:
    return f"dti:extension-form:{campaign.pk}"


@login_required
def add_units_view(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    _require_admin(request, campaign)
    levels = compiled_for(campaign.framework).framework.level_codes
    form = AddUnitsForm(request.POST or None, campaign=campaign, levels=levels)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.add_units(campaign, list(form.cleaned_data["units"]), user=request.user)
            messages.success(request, _("Đã thêm %(n)d đơn vị.") % {"n": n})
            return redirect("campaigns:detail", campaign.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "campaigns/form.html", {"form": form, "title": _("Thêm đơn vị tham gia"), "campaign": campaign})


@login_required
def publish(request, campaign_id: int):
    """Công bố kết quả: first a page listing what will be published and which units are not ready;
    publishing happens only on its confirmation, and only if the list is still what it showed."""
    from dti.review.services import publication_preview, publish_campaign
    from dti.submissions.workflow import WorkflowError

    campaign = campaign_or_404(request, campaign_id)
    _require_admin(request, campaign)
    if request.method == "POST":
        listed = {int(x) for x in request.POST.getlist("ids") if x.isdigit()}
        if request.POST.get("confirm") != "1":
            messages.error(request, _("Cần xác nhận trước khi công bố."))
        else:
            try:
                n = publish_campaign(campaign, user=request.user, expected=listed)
            except WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Đã công bố kết quả (%(n)d đơn vị mới được công bố).") % {"n": n})
                return redirect("campaigns:detail", campaign.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "campaigns/publish.html", {"campaign": campaign, **publication_preview(campaign)})


@login_required
def readings_edit(request, campaign_id: int):
    """An administrator picks one reading per indicator whose document reads two ways."""
    campaign = campaign_or_404(request, campaign_id)
    _require_admin(request, campaign)
    info = selectors.readings(campaign)
    if request.method == "POST":
        choices = {item["code"]: request.POST.get(f"reading-{item['code']}", item["chosen"])
                   for item in info["indicators"]}
        try:
            services.choose_readings(campaign, choices, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã lưu cách đọc."))
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/readings.html", {"campaign": campaign, **info})
