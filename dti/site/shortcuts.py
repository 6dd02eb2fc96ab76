"""Lookups shared by views: visibility answers 404, a forbidden action 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from dti.accounts.models import ADMINS, REVIEWERS, UNIT_EDITORS, Role
from dti.accounts.selectors import access_for
from dti.campaigns.selectors import campaigns_visible

__all__ = ["ADMINS", "REVIEWERS", "UNIT_EDITORS"]


def campaign_or_404(request, campaign_id: int):
    campaign = campaigns_visible(access_for(request)).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def submission_or_404(request, campaign_id: int, unit_code: str):
    """(submission, roles over its unit); 404 when the user holds no role over it."""
    from dti.submissions.selectors import get_submission

    submission = get_submission(campaign_id, unit_code)
    if submission is None:
        raise Http404
    roles = access_for(request).unit_roles(campaign_id, submission.unit)
    if not roles:
        raise Http404
    return submission, roles


def scorecard_submission_or_404(request, campaign, unit_code: str):
    """The submission whose scorecard (page, Excel, document) the person may see: their own unit's
    (any role over it) in every state; anybody else's only once published in a published campaign."""
    from dti.submissions.models import State, Submission

    submission = (Submission.objects.select_related("unit__parent")
                  .filter(campaign=campaign, unit__code=unit_code).first())
    if submission is None:
        raise Http404
    own = bool(access_for(request).unit_roles(campaign.pk, submission.unit))
    if not own and not (campaign.is_published and submission.state == State.PUBLISHED):
        raise Http404
    return submission


def require(roles: set[str], allowed: set[str] | frozenset[str]) -> None:
    if not roles & allowed:
        raise PermissionDenied


def workflow_action(request, campaign_id: int, unit_code: str, transition: str, back: str):
    """Run one transition of ``workflow.TRANSITIONS`` on a submission the user may act on.

    The page's form sends the state it showed (``state``) and, where the step approves figures,
    their revision; a refusal (rules, a stale page) becomes a message, never a second transition.
    """
    from django.contrib import messages
    from django.shortcuts import redirect

    from dti.site.text import normalise
    from dti.submissions import workflow

    submission, roles = submission_or_404(request, campaign_id, unit_code)
    step = workflow.TRANSITIONS[transition]
    require(roles, step.roles)
    reason = normalise(request.POST.get("reason", ""))[:2000]
    try:
        workflow.run(submission, transition, user=request.user, expected_state=request.POST.get("state") or None,
                     expected_revision=request.POST.get("revision") or None, reason=reason)
        messages.success(request, str(step.done))
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect(back, campaign_id, unit_code)


def campaign_roles(request, campaign) -> set[str]:
    """Roles that apply campaign-wide: admins (a subtree-scoped assessment admin only for a
    campaign led from inside its subtree) and reviewers of the campaign."""
    access = access_for(request)
    roles = set()
    lead_path = campaign.lead_unit.path if campaign.lead_unit_id else None
    for grant in access.grants:
        if grant.role == Role.SYSTEM_ADMIN:
            roles.add(grant.role)
        elif grant.role == Role.ASSESSMENT_ADMIN:
            if grant.unit_id is None or (lead_path and grant.unit_path and lead_path.startswith(grant.unit_path)):
                roles.add(grant.role)
        elif grant.role == Role.REVIEWER and grant.campaign_id in (None, campaign.pk):
            roles.add(grant.role)
    return roles


def results_scope(request, campaign):
    """Which units' results the person sees in this campaign (computed once per request)."""
    from dti.results.selectors import results_scope as scope_for

    cache = request.__dict__.setdefault("_dti_results_scope", {})
    if campaign.pk not in cache:
        cache[campaign.pk] = scope_for(access_for(request), campaign, campaign_roles(request, campaign))
    return cache[campaign.pk]


def peers_hidden(request, campaign) -> set[str]:
    """The peer-relative indicators whose explanation this person is not shown (it names the group's
    best and worst values, which may be other units' unpublished figures): none for the lead agency."""
    from dti.results.selectors import peer_relative_codes

    return set() if results_scope(request, campaign).full else peer_relative_codes(campaign)


def may_see_ranking(request, campaign) -> bool:
    """The lead agency, reviewers of some of its units, or anybody after publication (published units only)."""
    return results_scope(request, campaign).may_open_ranking()
