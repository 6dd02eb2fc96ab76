"""Data entry by the unit: the form generated from the framework, live preview, evidence, leader approval."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.models import Role
from dti.campaigns.selectors import entry_deadline, today
from dti.connectors.selectors import origins
from dti.methodologies.selectors import form_layout
from dti.results.selectors import PEERS_HIDDEN, campaign_version, preview_indicator, scorecard
from dti.review.selectors import items_map
from dti.site.shortcuts import REVIEWERS, UNIT_EDITORS, peers_hidden, require, submission_or_404, workflow_action

from . import services, workflow
from .models import Evidence, State
from .presenters import EVIDENCE_ACCEPT, contents, entry_view, error_summary
from .selectors import completeness, evidence_map, notes_map, values_map


def _can_edit(submission, roles, deadline) -> bool:
    if not roles & UNIT_EDITORS:
        return False
    if submission.state == State.DRAFT:
        return today() <= deadline
    return submission.state == State.RETURNED


def _post_dicts(request):
    values, statuses, notes, answers, files, originals = {}, {}, {}, {}, {}, {}
    for key, value in request.POST.items():
        if key.startswith("o:"):
            originals[key[2:]] = value
        elif key.startswith("f:"):
            values[key[2:]] = value
        elif key.startswith("st:"):
            statuses[key[3:]] = value
        elif key.startswith("note:"):
            notes[key[5:]] = value
        elif key.startswith("ans:"):
            answers[key[4:]] = value
    for key in request.FILES:
        if key.startswith("ev:"):
            files[key[3:]] = request.FILES.getlist(key)
    delete = [int(x) for x in request.POST.getlist("del_ev") if x.isdigit()]
    return values, statuses, notes, answers, files, delete, originals


@login_required
def entry(request, campaign_id: int, unit_code: str):
    submission, roles = submission_or_404(request, campaign_id, unit_code)
    outcome = None
    if request.method == "POST":
        require(roles, UNIT_EDITORS)
        values, statuses, notes, answers, files, delete, originals = _post_dicts(request)
        try:
            outcome = services.save_entry(submission, user=request.user, values=values, statuses=statuses, notes=notes,
                                          answers=answers, files=files, delete_evidence=delete, originals=originals)
        except services.WorkflowError as exc:
            # Nothing was stored: the page as it is now, with the reason and what the person typed.
            messages.error(request, str(exc))
            unsaved = _unsaved(submission, values, originals)
            if unsaved:
                messages.warning(request, _("Giá trị bạn đã nhập (chưa lưu): %(list)s") % {"list": unsaved})
            return redirect("submissions:entry", campaign_id, unit_code)
        _report(request, outcome)
        if not (outcome.file_errors or outcome.conflicts or outcome.rejected):
            anchor = request.POST.get("anchor", "")
            url = redirect("submissions:entry", campaign_id, unit_code).url
            return redirect(url + (f"#{anchor}" if anchor.startswith("i-") else ""))
        submission.refresh_from_db()
    file_errors = outcome.file_errors if outcome else None
    kept_back = bool(outcome and (outcome.file_errors or outcome.conflicts or outcome.rejected))
    campaign = submission.campaign
    layout = form_layout(campaign.framework, submission.unit.level_id)
    deadline = entry_deadline(campaign, submission.unit)
    can_edit = _can_edit(submission, roles, deadline)
    scope = services.editable_indicators(submission) if can_edit else set()
    version = campaign_version(campaign)
    hidden = peers_hidden(request, campaign)  # outside the lead agency: no other unit's figures
    key = ":".join(str(p) for p in (
        "entry", submission.pk, submission.updated_at.timestamp(), version, get_language(), can_edit,
        ",".join(sorted(scope)) if scope else scope is None, bool(hidden),
    ))
    cached = None if kept_back else cache.get(key)
    if cached is None:
        values = values_map(submission)
        evidence = evidence_map(submission)
        card = scorecard(campaign, unit_code, with_previous=False)
        entry_url = reverse("submissions:entry", args=[campaign.pk, unit_code])
        general, sections = entry_view(
            layout, values, notes_map(submission), evidence, items_map(submission), scope, scorecard=card,
            file_errors=file_errors, entry_url=entry_url, audit_url=reverse("audit:trail", args=[campaign.pk, unit_code]),
            outcome=outcome, origins=origins(submission), peers_hidden=hidden,
        )
        body = render_to_string("submissions/_body.html", {
            "general": general, "sections": sections, "general_editable": can_edit and scope is None,
            "scored": card.scored if card else True, "accept": EVIDENCE_ACCEPT,
        })
        summary = {
            "completeness": completeness(layout, values, evidence),
            "self_total": card.self_total if card else None, "total": card.total if card else None,
            "max": card.max if card else None, "self_maturity": card.self_maturity if card else None,
            "scored": card.scored if card else True,
            "contents": contents(sections),
            "error_rows": error_summary(general, sections),
            "returned_items": [(s.code, s.name, s.anchor) for s in sections if not s.is_heading and s.returned],
        }
        cached = (body, summary)
        if not kept_back:
            cache.set(key, cached, 600)
    body, summary = cached
    context = {
        "submission": submission,
        "campaign": campaign,
        "unit": submission.unit,
        "roles": roles,
        "body": mark_safe(body),  # rendered from our own template, escaped there
        "can_edit": can_edit,
        "deadline": deadline,
        "entry_open": today() <= deadline,
        "is_leader": Role.LEADER in roles,
        "is_editor": bool(roles & UNIT_EDITORS),
        "is_reviewer": bool(roles & REVIEWERS),
        "revision": workflow.revision(submission),
        "kept_back": kept_back,
        **summary,
    }
    return render(request, "submissions/entry.html", context, status=409 if outcome and outcome.conflicts else 200)


def _unsaved(submission, values: dict[str, str], originals: dict[str, str], limit: int = 30) -> str:
    """'Label: typed; …' for the values the person changed, when the save was refused as a whole."""
    from dti.methodologies.selectors import compiled_for

    fields = compiled_for(submission.campaign.framework).fields
    parts = []
    for name, typed in values.items():
        spec = fields.get(name)
        if spec is None or services.canonical(spec, typed) == services.canonical(spec, originals.get(f"f:{name}", "")):
            continue
        parts.append(f"{spec.label}: {services.normalise(typed)[:100]}")
    return "; ".join(parts[:limit]) + ("; …" if len(parts) > limit else "")


def _report(request, outcome) -> None:
    """The save's outcome in words: what was stored, what has an error, what was kept back and why."""
    if outcome.conflicts:
        messages.error(request, ngettext(
            "%(n)d trường chưa lưu vì người khác vừa lưu giá trị khác; xem bên cạnh trường để chọn giá trị giữ lại.",
            "%(n)d trường chưa lưu vì người khác vừa lưu giá trị khác; xem bên cạnh trường để chọn giá trị giữ lại.",
            len(outcome.conflicts)) % {"n": len(outcome.conflicts)})
    if outcome.rejected:
        messages.error(request, ngettext(
            "%(n)d trường chưa lưu vì nội dung không hợp lệ (xem thông báo bên cạnh trường); giá trị bạn nhập vẫn ở trong ô.",
            "%(n)d trường chưa lưu vì nội dung không hợp lệ (xem thông báo bên cạnh trường); giá trị bạn nhập vẫn ở trong ô.",
            len(outcome.rejected)) % {"n": len(outcome.rejected)})
    if outcome.errors:
        messages.warning(request, ngettext(
            "Đã lưu. %(n)d trường có lỗi, xem thông báo bên cạnh trường; giá trị đã nhập vẫn được giữ.",
            "Đã lưu. %(n)d trường có lỗi, xem thông báo bên cạnh trường; giá trị đã nhập vẫn được giữ.",
            len(outcome.errors)) % {"n": len(outcome.errors)})
    elif outcome.changed + outcome.uploaded or not (outcome.conflicts or outcome.rejected):
        messages.success(request, _("Đã lưu (%(n)d thay đổi).") % {"n": outcome.changed + outcome.uploaded})
    for code, errors in outcome.file_errors.items():
        for error in errors:
            messages.error(request, f"{code}: {error}")


@login_required
@require_POST
def preview(request, campaign_id: int, unit_code: str, indicator: str):
    submission, roles = submission_or_404(request, campaign_id, unit_code)
    raw = {k[2:]: v for k, v in request.POST.items() if k.startswith("f:")}
    result = preview_indicator(submission.campaign, unit_code, indicator, raw, request.POST.get(f"st:{indicator}", ""))
    if result is None:
        raise Http404
    if result.explain and indicator in peers_hidden(request, submission.campaign):
        result = dataclasses.replace(result, explain=str(PEERS_HIDDEN))
    return render(request, "submissions/_preview.html", {"p": result})


@login_required
def evidence_file(request, campaign_id: int, unit_code: str, pk: int):
    submission, _roles = submission_or_404(request, campaign_id, unit_code)
    item = Evidence.objects.filter(submission=submission, pk=pk).first()
    if item is None:
        raise Http404
    inline = item.kind in ("pdf", "image") and request.GET.get("download") != "1"
    # The row may outlive its file (a restore, a lost volume or bucket): the styled 404, not a 500.
    # An object store opens lazily, so ask first; a local disk answers either way.
    missing = Http404(_("Không tìm thấy tệp tài liệu kiểm chứng."))
    if not item.file.name or not item.file.storage.exists(item.file.name):
        raise missing
    try:
        handle = item.file.open("rb")
    except OSError:
        raise missing from None
    response = FileResponse(handle, content_type=item.content_type, as_attachment=not inline,
                            filename=item.original_name)
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


def _workflow(request, campaign_id, unit_code, transition):
    return workflow_action(request, campaign_id, unit_code, transition, "submissions:entry")


@login_required
@require_POST
def leader_approve(request, campaign_id: int, unit_code: str):
    return _workflow(request, campaign_id, unit_code, "leader_approve")


@login_required
@require_POST
def leader_withdraw(request, campaign_id: int, unit_code: str):
    return _workflow(request, campaign_id, unit_code, "leader_withdraw")


@login_required
@require_POST
def submit(request, campaign_id: int, unit_code: str):
    return _workflow(request, campaign_id, unit_code, "submit")


@login_required
@require_POST
def resubmit(request, campaign_id: int, unit_code: str):
    return _workflow(request, campaign_id, unit_code, "resubmit")
