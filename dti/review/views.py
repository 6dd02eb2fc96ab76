"""Review by the lead agency: per indicator accept / adjust / return; approval and publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.connectors.selectors import origins
from dti.methodologies.selectors import form_layout
from dti.results.selectors import scorecard
from dti.site.shortcuts import ADMINS, REVIEWERS, require, submission_or_404, workflow_action
from dti.submissions.models import REVIEWABLE_STATES
from dti.submissions.presenters import entry_view
from dti.submissions.selectors import completeness, evidence_map, notes_map, values_map
from dti.submissions.services import WorkflowError

from . import services
from .models import ItemStatus
from .selectors import items_map, status_counts


class _Silent:
    def success(self, *args, **kwargs):
        pass

    error = success


def _context(submission, roles, *, only: str | None = None, errors=None, posted=None, posted_for: str | None = None):
    campaign = submission.campaign
    layout = form_layout(campaign.framework, submission.unit.level_id)
    values = values_map(submission)
    evidence = evidence_map(submission)
    card = scorecard(campaign, submission.unit.code, with_previous=False)
    _general, sections = entry_view(layout, values, notes_map(submission), evidence, items_map(submission), set(),
                                    scorecard=card, origins=origins(submission))
    rows = {r.code: r for r in card.rows} if card else {}
    leaves = []
    for s in sections:
        if s.is_heading or (only and s.code != only):
            continue
        s.row = rows.get(s.code)
        s.seen = services.item_token(s.review)
        if posted is not None and s.code == posted_for:
            # A refused action keeps what the reviewer typed (values, reason, comment).
            s.posted_reason, s.posted_comment = posted.get("reason", ""), posted.get("comment", "")
            for f in s.fields:
                if f"v:{f.name}" in posted:
                    f.posted_value = posted[f"v:{f.name}"]
        leaves.append(s)
    counts = status_counts(submission)
    reviewable = sum(1 for s in sections if not s.is_heading and not s.computed)
    pending = max(0, reviewable - sum(n for st, n in counts.items() if st != "pending"))
    return {
        "submission": submission,
        "campaign": campaign,
        "unit": submission.unit,
        "general": _general,
        "sections": [s for s in sections if not only or (not s.is_heading and s.code == only)],
        "card": card,
        "completeness": completeness(layout, values, evidence),
        "counts": [(st.value, st.label, n) for st in ItemStatus if (n := counts.get(st.value))],
        "pending": pending,
        "can_review": bool(roles & REVIEWERS) and submission.state in REVIEWABLE_STATES,
        "is_admin": bool(roles & ADMINS),
        "errors": errors or {},
        "posted": posted or {},
        "scored": card.scored if card else True,
    }


@login_required
def detail(request, campaign_id: int, unit_code: str):
    submission, roles = submission_or_404(request, campaign_id, unit_code)
    require(roles, REVIEWERS)
    return render(request, "review/detail.html", _context(submission, roles))


@login_required
@require_POST
def item_action(request, campaign_id: int, unit_code: str, indicator: str):
    submission, roles = submission_or_404(request, campaign_id, unit_code)
    require(roles, REVIEWERS)
    action = request.POST.get("action")
    errors = {}
    # An htmx swap shows the outcome in place; full-page posts get a flash message.
    notify = messages if not request.htmx else _Silent()
    # What the page showed: the item (None from an older page: not checked) and the file's state.
    check = {"seen": request.POST.get("seen"), "expected_state": request.POST.get("state") or None}
    try:
        if action == "accept":
            services.accept_item(submission, indicator, user=request.user, comment=request.POST.get("comment", ""),
                                 **check)
            notify.success(request, _("Chỉ số %(c)s: đã chấp nhận.") % {"c": indicator})
        elif action == "adjust":
            verified = {k[2:]: v for k, v in request.POST.items() if k.startswith("v:")}
            services.adjust_item(submission, indicator, user=request.user, verified=verified,
                                 reason=request.POST.get("reason", ""), **check)
            notify.success(request, _("Chỉ số %(c)s: đã điều chỉnh.") % {"c": indicator})
        elif action == "return":
            services.return_item(submission, indicator, user=request.user, comment=request.POST.get("comment", ""),
                                 **check)
            notify.success(request, _("Chỉ số %(c)s: đánh dấu trả lại.") % {"c": indicator})
        else:
            raise Http404
    except WorkflowError as exc:
        notify.error(request, str(exc))
        errors = {"workflow": [str(exc)]}
    except ValidationError as exc:
        errors = exc.message_dict
        notify.error(request, _("Chỉ số %(c)s: chưa lưu, xem lỗi bên dưới.") % {"c": indicator})
    submission.refresh_from_db()
    posted = request.POST if errors else None
    if request.htmx:
        context = _context(submission, roles, only=indicator, errors=errors, posted=posted, posted_for=indicator)
        context["oob"] = True
        return render(request, "review/_items.html", context)
    if errors:
        # Refused: the page again with what the reviewer typed (409 when the file moved on meanwhile).
        context = _context(submission, roles, errors=errors, posted=posted, posted_for=indicator)
        context["error_indicator"] = indicator
        return render(request, "review/detail.html", context, status=409 if "workflow" in errors else 200)
    return redirect(redirect("review:detail", campaign_id, unit_code).url + f"#r-{indicator.replace('.', '-')}")


def _action(request, campaign_id, unit_code, transition):
    return workflow_action(request, campaign_id, unit_code, transition, "review:detail")


@login_required
@require_POST
def start(request, campaign_id: int, unit_code: str):
    return _action(request, campaign_id, unit_code, "start_review")


@login_required
@require_POST
def send_back(request, campaign_id: int, unit_code: str):
    return _action(request, campaign_id, unit_code, "send_back")


@login_required
@require_POST
def approve(request, campaign_id: int, unit_code: str):
    return _action(request, campaign_id, unit_code, "approve")


@login_required
@require_POST
def publish(request, campaign_id: int, unit_code: str):
    return _action(request, campaign_id, unit_code, "publish")
