"""What the caller may reach: the web's rules (404 for what is not theirs), narrowed for service tokens."""

from __future__ import annotations

from django.http import Http404

from dti.accounts.selectors import access_for
from dti.campaigns.selectors import campaigns_visible
from dti.site.shortcuts import submission_or_404


def campaigns(request):
    qs = campaigns_visible(access_for(request))
    principal = request.auth
    if principal.is_service:
        qs = qs.filter(submissions__unit__code__in=principal.unit_codes).distinct()
        if principal.token.campaign_id:
            qs = qs.filter(pk=principal.token.campaign_id)
    return qs


def campaign(request, campaign_id: int):
    found = campaigns(request).filter(pk=campaign_id).first()
    if found is None:
        raise Http404
    return found


def submission(request, campaign_id: int, unit_code: str):
    """(submission, the caller's roles over its unit); 404 when the caller has none, as in the web."""
    principal = request.auth
    if principal.is_service:
        campaign(request, campaign_id)
        if unit_code not in principal.unit_codes:
            raise Http404
    return submission_or_404(request, campaign_id, unit_code)
