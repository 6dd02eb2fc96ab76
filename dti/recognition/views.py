"""Pages of the recognition process: registration, council, decision, report.

Visibility: a unit's registration → 404 without a role over the unit; a council file → 404
unless the person sits on its council or administers the campaign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.models import ADMINS, Role
from dti.accounts.selectors import access_for
from dti.organisations.models import Unit
from dti.site.shortcuts import campaign_or_404, campaign_roles

from . import documents, selectors, services
from .forms import AssignForm, CouncilForm, DecisionForm, ExtensionForm, FillDecisionForm, RegistrationForm
from .models import Council, CouncilFile, CouncilMember, Decision, FileState, MemberRole
from .workflow import RecognitionError


def _campaign(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    if not selectors.is_maturity_campaign(campaign):
        raise Http404
    return campaign


def _is_admin(request, campaign) -> bool:
    return bool(campaign_roles(request, campaign) & ADMINS)


def _require_admin(request, campaign) -> None:
    if not _is_admin(request, campaign):
        raise PermissionDenied


def _errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
def home(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    access = access_for(request)
    admin = _is_admin(request, campaign)
    mine = []
    q = access.unit_filter("", campaign.pk, roles={Role.REPORTER, Role.LEADER})
    if q is not None and not admin:
        published = selectors.published_levels(campaign)
        for unit in Unit.objects.filter(q, submissions__campaign=campaign).order_by("path"):
            mine.append({"unit": unit, "registration": selectors.registration_for(campaign, unit),
                         "deadline": selectors.registration_deadline(campaign, unit),
                         "recognised": selectors.level_label(campaign, published.get(unit.code))})
    seats = selectors.seats(request.user, campaign)
    context = {
        "campaign": campaign, "admin": admin, "mine": mine,
        "registration_deadline": selectors.registration_deadline(campaign, None),
        "my_councils": [c for c in selectors.councils(campaign) if c.pk in seats],
        "my_files": selectors.files_for(request.user, campaign, admin=False) if seats else [],
    }
    if admin:
        context.update({
            "regs": selectors.registrations_by(campaign), "councils": selectors.councils(campaign),
            "files": selectors.files_for(request.user, campaign, admin=True), "decisions": selectors.decisions(campaign),
            "extension_form": ExtensionForm(campaign=campaign),
            "decision_form": DecisionForm(levels=_levels(campaign), campaign=campaign,
                                          initial={"issuer": _issuer(campaign)}),
        })
    return render(request, "recognition/home.html", context)


def _issuer(campaign) -> str:
    lead = campaign.lead_unit
    return lead.parent.name if lead is not None and lead.parent is not None else "Ủy ban nhân dân tỉnh"


def _levels(campaign):
    from dti.methodologies.selectors import compiled_for

    return [(lv.code, lv.name) for lv in compiled_for(campaign.framework).framework.levels]


@login_required
def register(request, campaign_id: int, unit_code: str):
    campaign = _campaign(request, campaign_id)
    unit = get_object_or_404(Unit, code=unit_code, submissions__campaign=campaign)
    roles = access_for(request).unit_roles(campaign.pk, unit) | (campaign_roles(request, campaign) & ADMINS)
    if not roles:
        raise Http404
    registration = selectors.registration_for(campaign, unit)
    levels = sorted(selectors.level_names(campaign).items())
    initial = {"target_level": registration.target_level, "note": registration.note} if registration else {}
    form = RegistrationForm(request.POST or None, levels=levels, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        state = request.POST.get("state") or None
        try:
            if action == "save":
                if not roles & {Role.REPORTER, Role.LEADER}:
                    raise PermissionDenied
                if form.is_valid():
                    services.save_registration(campaign, unit, target_level=form.cleaned_data["target_level"],
                                               note=form.cleaned_data["note"], user=request.user,
                                               expected_state=state)
                    messages.success(request, _("Đã lưu mức độ đăng ký."))
                    return redirect("recognition:register", campaign.pk, unit.code)
            elif action in ("register", "withdraw") and registration is not None:
                from . import workflow

                step = workflow.run(registration, action, user=request.user, roles=roles, expected_state=state)
                messages.success(request, str(step.done))
                return redirect("recognition:register", campaign.pk, unit.code)
            else:
                raise Http404
        except RecognitionError as exc:
            messages.error(request, str(exc))
            if action != "save":
                return redirect("recognition:register", campaign.pk, unit.code)
        except ValidationError as exc:
            _errors(form, exc)
    return render(request, "recognition/register.html", {
        "campaign": campaign, "unit": unit, "registration": selectors.registration_for(campaign, unit),
        "form": form, "deadline": selectors.registration_deadline(campaign, unit),
        "can_edit": bool(roles & {Role.REPORTER, Role.LEADER}), "is_leader": Role.LEADER in roles,
        "levels": dict(levels),
    })


@login_required
@require_POST
def extend(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require_admin(request, campaign)
    form = ExtensionForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            services.grant_registration_extension(campaign, form.cleaned_data["unit"], user=request.user,
                                                  new_deadline=form.cleaned_data["new_deadline"],
                                                  reason=form.cleaned_data["reason"])
            messages.success(request, _("Đã gia hạn đăng ký cho %(u)s.") % {"u": form.cleaned_data["unit"].name})
        except (ValidationError, RecognitionError) as exc:
            messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.error(request, "; ".join(f"{form.fields[k].label}: {' '.join(str(e) for e in v)}"
                                          if k in form.fields else " ".join(str(e) for e in v)
                                          for k, v in form.errors.items()))
    return redirect("recognition:home", campaign.pk)


@login_required
def council_new(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require_admin(request, campaign)
    form = CouncilForm(request.POST or None, people=selectors.eligible_members(campaign))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council = services.form_council(campaign, name=data["name"], chair=data["chair"],
                                            secretary=data["secretary"], members=list(data["members"]),
                                            user=request.user)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Đã thành lập hội đồng."))
            return redirect("recognition:council", council.pk)
    return render(request, "recognition/form.html", {"campaign": campaign, "form": form,
                                                     "title": _("Thành lập Hội đồng thẩm định")})


@login_required
def council(request, council_id: int):
    council = get_object_or_404(Council.objects.select_related("campaign__framework"), pk=council_id)
    campaign = council.campaign
    member = CouncilMember.objects.filter(council=council, user=request.user).first()
    visible = campaign_or_404_quiet(request, campaign.pk)
    admin = visible and _is_admin(request, campaign)
    if member is None and not admin:
        raise Http404
    assigned = CouncilFile.objects.filter(campaign=campaign).values_list("unit_id", flat=True)
    candidates = Unit.objects.filter(submissions__campaign=campaign, registrations__campaign=campaign,
                                     registrations__state="registered").exclude(pk__in=assigned).order_by("path")
    form = AssignForm(request.POST or None, units=candidates)
    if request.method == "POST":
        if not admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                made = services.assign_files(council, list(form.cleaned_data["units"]), user=request.user)
                messages.success(request, _("Đã giao %(n)d hồ sơ cho hội đồng.") % {"n": len(made)})
                return redirect("recognition:council", council.pk)
            except RecognitionError as exc:
                messages.error(request, str(exc))
    return render(request, "recognition/council.html", {
        "council": council, "campaign": campaign, "admin": admin, "member": member, "form": form,
        "members": council.members.select_related("user"),
        "files": council.files.select_related("unit"),
    })


def campaign_or_404_quiet(request, campaign_id: int) -> bool:
    try:
        campaign_or_404(request, campaign_id)
    except Http404:
        return False
    return True


def _file(request, file_id: int) -> tuple[CouncilFile, bool]:
    file = CouncilFile.objects.select_related("unit", "council", "campaign__framework", "campaign__lead_unit").filter(
        pk=file_id).first()
    if file is None:
        raise Http404
    admin = campaign_or_404_quiet(request, file.campaign_id) and _is_admin(request, file.campaign)
    if not admin and not CouncilMember.objects.filter(council_id=file.council_id, user=request.user).exists():
        raise Http404  # another council's file does not exist for this person
    return file, admin


@login_required
def file_detail(request, file_id: int):
    file, admin = _file(request, file_id)
    roles = services.member_roles(file, request.user)
    view = selectors.file_view(file, request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        state = request.POST.get("state") or None
        try:
            if action == "opinions":
                opinions = {}
                for row in view["rows"]:
                    verdict = request.POST.get(f"met:{row.code}", "")
                    if verdict in ("1", "0"):
                        opinions[row.code] = (verdict == "1", request.POST.get(f"comment:{row.code}", ""))
                n = services.record_opinions(file, user=request.user, opinions=opinions, expected_state=state)
                messages.success(request, _("Đã ghi ý kiến cho %(n)d tiêu chí.") % {"n": n})
            elif action == "conclude":
                raw = request.POST.get("level", "")
                step = services.conclude(file, user=request.user, level=int(raw) if raw.isdigit() else None,
                                         reasons=request.POST.get("reasons", ""), expected_state=state)
                messages.success(request, str(step.done))
            elif action == "reopen":
                from . import workflow

                step = workflow.run(file, "reopen", user=request.user,
                                    roles=campaign_roles(request, file.campaign) & ADMINS, expected_state=state)
                messages.success(request, str(step.done))
            else:
                raise Http404
        except RecognitionError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        return redirect("recognition:file", file.pk)
    campaign = file.campaign
    return render(request, "recognition/file.html", {
        "file": file, "campaign": campaign, "view": view, "admin": admin,
        "is_member": bool(roles), "is_secretary": MemberRole.SECRETARY in roles,
        "levels": sorted(selectors.level_names(campaign).items()),
        "claimed": selectors.level_label(campaign, file.claimed_level),
        "recognised": selectors.level_label(campaign, file.recognised_level),
        "concluded": file.state == FileState.CONCLUDED,
        "review_due": _step(campaign, "review"), "review_late": selectors.overdue(campaign, "review"),
    })


def _step(campaign, step):
    from dti.campaigns.selectors import step_due

    return step_due(campaign, step)


@login_required
@require_POST
def decision_new(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require_admin(request, campaign)
    form = DecisionForm(request.POST, levels=_levels(campaign), campaign=campaign)
    if not form.is_valid():
        messages.error(request, _("Cần ghi cơ quan ban hành."))
        return redirect("recognition:home", campaign.pk)
    decision = services.create_decision(campaign, user=request.user, **form.cleaned_data)
    return redirect("recognition:decision", decision.pk)


def _decision(request, decision_id: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("campaign__framework", "campaign__lead_unit"),
                                 pk=decision_id)
    campaign_or_404(request, decision.campaign_id)
    _require_admin(request, decision.campaign)
    return decision


@login_required
def decision(request, decision_id: int):
    decision = _decision(request, decision_id)
    campaign = decision.campaign
    form = FillDecisionForm(request.POST or None, request.FILES or None,
                            initial={"number": decision.number, "signed_on": decision.signed_on})
    if request.method == "POST":
        state = request.POST.get("state") or None
        try:
            if request.POST.get("action") == "issue":
                step = services.issue(decision, user=request.user, roles=campaign_roles(request, campaign),
                                      expected_state=state)
                messages.success(request, str(step.done))
                return redirect("recognition:decision", decision.pk)
            if form.is_valid():
                services.fill_decision(decision, user=request.user, number=form.cleaned_data["number"],
                                       signed_on=form.cleaned_data["signed_on"],
                                       signed_pdf=form.cleaned_data["signed_pdf"], expected_state=state)
                messages.success(request, _("Đã lưu."))
                return redirect("recognition:decision", decision.pk)
        except RecognitionError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            _errors(form, exc)
    missing = []
    if not decision.number:
        missing.append(_("số quyết định"))
    if not decision.signed_on:
        missing.append(_("ngày ký"))
    if not decision.signed_pdf:
        missing.append(_("bản có chữ ký (PDF)"))
    return render(request, "recognition/decision.html", {
        "decision": decision, "campaign": campaign, "form": form, "lines": selectors.decision_lines(decision),
        "without": selectors.units_without_conclusion(decision) if decision.state == "draft" else [],
        "missing": missing, "recognition_due": _step(campaign, "recognition"),
        "recognition_late": selectors.overdue(campaign, "recognition"),
    })


@login_required
def decision_docx(request, decision_id: int):
    decision = _decision(request, decision_id)
    return _download(documents.decision_docx(decision), f"quyet-dinh-cong-nhan-{decision.pk}.docx",
                     documents.DOCX)


@login_required
def decision_pdf(request, decision_id: int):
    decision = _decision(request, decision_id)
    return _download(documents.decision_pdf(decision), f"quyet-dinh-cong-nhan-{decision.pk}.pdf", "application/pdf")


@login_required
def signed_pdf(request, decision_id: int):
    decision = _decision(request, decision_id)
    if not decision.signed_pdf:
        raise Http404
    return FileResponse(decision.signed_pdf.open("rb"), as_attachment=True, filename=f"qd-{decision.pk}-da-ky.pdf",
                        content_type="application/pdf")


@login_required
def report(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require_admin(request, campaign)
    return render(request, "recognition/report.html", {"campaign": campaign, "r": selectors.report(campaign),
                                                       "report_due": _step(campaign, "report"),
                                                       "report_late": selectors.overdue(campaign, "report")})


@login_required
def report_xlsx(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require_admin(request, campaign)
    return _download(documents.report_xlsx(selectors.report(campaign)), f"bao-cao-muc-do-cds-{campaign.year}.xlsx",
                     documents.XLSX)


@login_required
def report_docx(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require_admin(request, campaign)
    return _download(documents.report_docx(selectors.report(campaign)), f"bao-cao-muc-do-cds-{campaign.year}.docx",
                     documents.DOCX)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
