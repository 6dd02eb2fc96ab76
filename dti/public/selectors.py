"""What the public results page may show: published campaigns an administrator made public, and in
them only the published units, with official ranks among published units (``PUBLIC_SCOPE``)."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Q

from dti.campaigns.models import Campaign
from dti.results.charts import PUBLIC_SCOPE
from dti.results.selectors import ResultsScope
from dti.submissions.models import State


def public_campaigns():
    """Public campaigns, newest first, each with the number of its published units (``published_units``)."""
    return (Campaign.objects.filter(public__isnull=False, results_published_at__isnull=False)
            .select_related("framework", "public").defer("framework__yaml_text")
            .annotate(published_units=Count("submissions", filter=Q(submissions__state=State.PUBLISHED)))
            .order_by("-year", "-id"))


def public_campaign(campaign_id: int) -> Campaign | None:
    return (Campaign.objects.filter(pk=campaign_id, public__isnull=False, results_published_at__isnull=False)
            .select_related("framework", "lead_unit").defer("framework__yaml_text").first())


def public_scope_for():
    """The scope function for charts across campaigns: a public campaign's published units, nothing of the others."""
    public = set(Campaign.objects.filter(public__isnull=False, results_published_at__isnull=False)
                 .values_list("pk", flat=True))

    def scope(campaign: Campaign) -> ResultsScope | None:
        return PUBLIC_SCOPE if campaign.pk in public else None

    return scope


def previous_public(campaign: Campaign) -> Campaign | None:
    return public_campaign(campaign.previous_id) if campaign.previous_id else None


def versions_key(campaign: Campaign) -> str:
    """Part of the public pages' cache key: the scores version of this campaign and of every campaign its
    charts and rank changes read (same framework code up to its year, and its previous), and which of
    them are public.  Any change of data, publication or publicity gives a new key."""
    rows = (Campaign.objects.filter(Q(framework__code=campaign.framework.code, year__lte=campaign.year)
                                    | Q(pk=campaign.previous_id or 0))
            .order_by("pk").values_list("pk", "scores_version", "public__campaign_id", "results_published_at"))
    text = ";".join(f"{pk}:{version}:{int(public is not None)}:{published or ''}"
                    for pk, version, public, published in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
