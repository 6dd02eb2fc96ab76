"""The dashboard: what each role has to do now."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from dti.accounts.models import Role
from dti.accounts.selectors import access_for
from dti.campaigns.selectors import campaigns_visible, entry_deadline, state_counts
from dti.submissions.models import REVIEWABLE_STATES, State, Submission
from dti.submissions.selectors import submissions_visible


@login_required
def dashboard(request):
    access = access_for(request)
    campaigns = list(campaigns_visible(access)[:20])
    context = {"campaigns": campaigns, "roles": access.roles}
    if access.is_admin:
        rows = []
        for c in campaigns:
            counts = state_counts(c, submissions_visible(access, c))
            rows.append((c, [(st.value, st.label, counts[st.value]) for st in State if counts.get(st.value)]))
        context["admin_campaigns"] = rows
    if access.has_role(Role.REVIEWER) or access.is_admin:
        todo = []
        for campaign in campaigns:
            q = access.unit_filter("unit__", campaign_id=campaign.pk,
                                   roles={Role.REVIEWER, Role.ASSESSMENT_ADMIN, Role.SYSTEM_ADMIN})
            subs = Submission.objects.filter(campaign=campaign, state__in=REVIEWABLE_STATES).select_related("unit")
            if q is not None:
                subs = subs.filter(q)
            todo.extend(subs.order_by("submitted_at")[:50])
        context["review_todo"] = todo
    if access.has_role(Role.REPORTER, Role.LEADER, Role.VIEWER):
        q = access.unit_filter("unit__", roles={Role.REPORTER, Role.LEADER, Role.VIEWER})
        subs = Submission.objects.select_related("unit", "campaign").order_by("-campaign__year", "unit__path")
        if q is not None:
            subs = subs.filter(q)
        own = []
        for s in subs[:100]:
            own.append((s, entry_deadline(s.campaign, s.unit)))
        context["own"] = own
        context["leader_todo"] = [s for s, _d in own if s.state == State.DRAFT] if access.has_role(Role.LEADER) else []
    return render(request, "dashboard.html", context)


_FAVICON = Path(__file__).resolve().parent / "static" / "dti" / "favicon.ico"


@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico: browsers ask for it at the root whatever the page links (always served, even when a
    proxy serves /static/)."""
    return HttpResponse(_FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")
