"""Review by the lead agency: per indicator accept / adjust / return; approval and publication."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dti.accounts.models import Role
from dti.accounts.selectors import access_for
from dti.connectors.selectors import origins
from dti.methodologies.selectors import form_layout
from dti.results.selectors import PEERS_HIDDEN, scorecard
from dti.site.shortcuts import ADMINS, REVIEWERS, peers_hidden, require, submission_or_404, workflow_action
from dti.site.text import query_param
from dti.submissions.models import REVIEWABLE_STATES, State
from dti.submissions.presenters import entry_view
from dti.submissions.selectors import completeness, evidence_map, notes_map, values_map
from dti.submissions.services import WorkflowError

from . import services
from .models import ItemStatus
from .selectors import QUEUE_SORTS, QUEUE_STATES, items_map, queue_rows, review_queue, status_counts


class _Silent:
    def success(self, *args, **kwargs):
        pass

    error = success


STATUS_FILTERS = [status.value for status in ItemStatus]


def _status_of(section) -> str:
    return section.review.status if section.review is not None else ItemStatus.PENDING


def _only_status(sections, status: str):
    """The items in ``status``, with the headings above them (a heading with none left goes too)."""
    kept = [s for s in sections if s.is_heading or _status_of(s) == status]
    result = []
    for i, s in enumerate(kept):
        if s.is_heading:
            following = next((t for t in kept[i + 1:] if not t.is_heading or t.depth <= s.depth), None)
            if following is None or following.is_heading:
                continue
        result.append(s)
    return result


def _context(submission, roles, *, only: str | None = None, errors=None, posted=None, posted_for: str | None = None,
             status: str = "", peers_hidden: set[str] | frozenset[str] = frozenset()):
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
        row = rows.get(s.code)
        if row is not None and s.code in peers_hidden and row.explain:
            row = dataclasses.replace(row, explain=str(PEERS_HIDDEN), self_explain=None)
        s.row = row
        s.seen = services.item_token(s.review)
        s.review_errors = (errors or {}) if s.code == posted_for else {}  # beside the item acted on only
        if posted is not None and s.code == posted_for:
            # A refused action keeps what the reviewer typed (values, reason, comment).
            s.posted_reason, s.posted_comment = posted.get("reason", ""), posted.get("comment", "")
            s.kept_input = True  # the form starts "unsaved": leaving the page warns
            for f in s.fields:
                if f"v:{f.name}" in posted:
                    f.posted_value = posted[f"v:{f.name}"]
        leaves.append(s)
    counts = status_counts(submission)
    reviewable = sum(1 for s in sections if not s.is_heading and not s.computed)
    pending = max(0, reviewable - sum(n for st, n in counts.items() if st != "pending"))
    # "Accept all remaining": the undecided items as this page shows them (checked again on the server).
    remaining = [(s.code, services.item_token(s.review)) for s in sections
                 if not s.is_heading and not s.computed and _status_of(s) == ItemStatus.PENDING]
    tally = {st.value: 0 for st in ItemStatus}
    for s in sections:
        if not s.is_heading:
            tally[_status_of(s)] += 1
    shown = [s for s in sections if not only or (not s.is_heading and s.code == only)]
    if status and not only:
        shown = _only_status(shown, status)
    return {
        "submission": submission,
        "campaign": campaign,
        "unit": submission.unit,
        "general": _general,
        "sections": shown,
        "remaining": remaining,
        "status": status,
        "status_filters": [(st.value, st.label, tally[st.value]) for st in ItemStatus],
        "total_items": sum(tally.values()),
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


def _status_param(request) -> tuple[str, str]:
    """The item-status filter from the query string (validated: an unknown value is ignored, with a message)."""
    value, error = query_param(request, "status", max_length=20)
    if value and value not in STATUS_FILTERS:
        return "", _("Không có trạng thái “%(s)s”; đang hiện tất cả chỉ số.") % {"s": value}
    return value, error


def _back(campaign_id, unit_code, status: str = "", anchor: str = "") -> str:
    url = reverse("review:detail", args=[campaign_id, unit_code])
    return url + (f"?{urlencode({'status': status})}" if status in STATUS_FILTERS else "") + anchor


@login_required
def detail(request, campaign_id: int, unit_code: str):
    submission, roles = submission_or_404(request, campaign_id, unit_code)
    require(roles, REVIEWERS)
    status, problem = _status_param(request)
    context = _context(submission, roles, status=status, peers_hidden=peers_hidden(request, submission.campaign))
    context["filter_error"] = problem
    return render(request, "review/detail.html", context)


@login_required
@require_POST
def accept_remaining(request, campaign_id: int, unit_code: str):
    """Every item the page showed as not yet decided becomes accepted; items changed since are skipped."""
    submission, roles = submission_or_404(request, campaign_id, unit_code)
    require(roles, REVIEWERS)
    codes = request.POST.getlist("item")[:2000]
    seen = {code: request.POST.get(f"seen:{code}", "") for code in codes}
    status = request.POST.get("filter", "")
    if not seen:
        messages.info(request, _("Không còn chỉ số nào chưa thẩm định."))
        return redirect(_back(campaign_id, unit_code, status))
    try:
        accepted, skipped = services.accept_remaining(submission, seen, user=request.user,
                                                      expected_state=request.POST.get("state") or None)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(_back(campaign_id, unit_code, status))
    if accepted:
        messages.success(request, ngettext("Đã chấp nhận %(n)d chỉ số còn lại.", "Đã chấp nhận %(n)d chỉ số còn lại.",
                                           len(accepted)) % {"n": len(accepted)})
    if skipped:
        not_applicable = _("không áp dụng cho đơn vị")
        names = "; ".join(f"{s.code} ({s.status}{', ' + s.who if s.who else ''})" if s.status else
                          f"{s.code} ({not_applicable})" for s in skipped)
        messages.warning(request, ngettext(
            "Bỏ qua %(n)d chỉ số vì đã có người thẩm định sau khi bạn mở trang: %(list)s. Hãy xem lại các chỉ số này.",
            "Bỏ qua %(n)d chỉ số vì đã có người thẩm định sau khi bạn mở trang: %(list)s. Hãy xem lại các chỉ số này.",
            len(skipped)) % {"n": len(skipped), "list": names})
    return redirect(_back(campaign_id, unit_code, status))


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
    status = request.POST.get("filter", "")
    status = status if status in STATUS_FILTERS else ""
    if request.htmx:
        context = _context(submission, roles, only=indicator, errors=errors, posted=posted, posted_for=indicator,
                           status=status, peers_hidden=peers_hidden(request, submission.campaign))
        context["oob"] = True
        return render(request, "review/_items.html", context)
    if errors:
        # Refused: the page again with what the reviewer typed (409 when the file moved on meanwhile).
        context = _context(submission, roles, errors=errors, posted=posted, posted_for=indicator, status=status,
                           peers_hidden=peers_hidden(request, submission.campaign))
        context["error_indicator"] = indicator
        return render(request, "review/detail.html", context, status=409 if "workflow" in errors else 200)
    return redirect(_back(campaign_id, unit_code, status, f"#r-{indicator.replace('.', '-')}"))


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


QUEUE_PAGE_SIZE = 50


@login_required
def queue(request):
    """Hồ sơ chờ thẩm định: one list across campaigns, sorted and filtered on the server."""
    access = access_for(request)
    if not (access.has_role(Role.REVIEWER) or access.is_admin):
        raise PermissionDenied
    problems = []

    def param(name: str, allowed=None) -> str:
        value, error = query_param(request, name)
        if error:
            problems.append(error)
        elif value and allowed is not None and value not in allowed:
            problems.append(_("Bộ lọc “%(name)s” không nhận giá trị “%(value)s”; đã bỏ qua.") % {"name": name, "value": value})
            return ""
        return value

    sort = param("sort", set(QUEUE_SORTS) | {f"-{k}" for k in QUEUE_SORTS}) or "deadline"
    state = param("state", set(QUEUE_STATES))
    search = param("q")
    overdue = param("overdue", {"1"}) == "1"
    campaign_raw = param("campaign")
    campaign_id = None
    if campaign_raw:
        if campaign_raw.isdigit() and len(campaign_raw) < 10:
            campaign_id = int(campaign_raw)
        else:
            problems.append(_("Bộ lọc “%(name)s” không nhận giá trị “%(value)s”; đã bỏ qua.")
                            % {"name": "campaign", "value": campaign_raw})
    qs, campaigns, on = review_queue(access, campaign_id=campaign_id, states=[state] if state else None,
                                     search=search, overdue=overdue, sort=sort.lstrip("-"),
                                     descending=sort.startswith("-"))
    if campaign_id is not None and campaign_id not in {c.pk for c in campaigns}:
        problems.append(_("Không có đợt đánh giá này trong danh sách của bạn; đang hiện mọi đợt."))
        campaign_id = None
        qs, campaigns, on = review_queue(access, states=[state] if state else None, search=search, overdue=overdue,
                                         sort=sort.lstrip("-"), descending=sort.startswith("-"))
    page_raw = param("page")
    page = Paginator(qs, QUEUE_PAGE_SIZE).get_page(page_raw if page_raw.isdigit() else 1)
    filters = {"campaign": campaign_id or "", "state": state, "q": search, "overdue": "1" if overdue else ""}
    kept = {k: v for k, v in filters.items() if v}

    def sort_link(key: str) -> str:
        target = f"-{key}" if sort == key else key
        return "?" + urlencode({**kept, "sort": target})

    columns = [(key, label, sort_link(key), "ascending" if sort == key else "descending" if sort == f"-{key}" else "")
               for key, label in (("campaign", _("Đợt đánh giá")), ("unit", _("Đơn vị")), ("state", _("Trạng thái")),
                                  ("submitted", _("Gửi lúc")), ("deadline", _("Hạn thẩm định")))]
    return render(request, "review/queue.html", {
        "page": page,
        "rows": queue_rows(page.object_list, on),
        "campaigns": campaigns,
        "states": [(value, label) for value, label in State.choices if value in QUEUE_STATES],
        "filters": filters,
        "sort": sort,
        "columns": columns,
        "problems": problems,
        "page_query": urlencode({**kept, "sort": sort}),
    })
