"""The public results page (no sign-in): public campaigns, their ranking of published units, each
published unit's scorecard, charts and downloads.  Anything else answers 404.  An administrator makes a
published campaign public, or withdraws it, on a confirmation page (``manage``)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dti.engine.csvcells import safe_row
from dti.results.charts import PUBLIC_SCOPE, rank_changes, ranking_charts, scorecard_charts
from dti.results.selectors import campaign_scores, campaign_version, peer_relative_codes, scorecard
from dti.results.views import PAGE_SIZE, _card_rows, _display_rows, page_links
from dti.site.shortcuts import ADMINS, campaign_or_404, campaign_roles
from dti.site.text import normalise, query_param
from dti.submissions.models import State, Submission

from . import selectors, services
from .models import PublicCampaign

CACHE_SECONDS = 600


def index(request):
    return render(request, "public/index.html", {"campaigns": selectors.public_campaigns()})


def _campaign_or_404(campaign_id: int):
    campaign = selectors.public_campaign(campaign_id)
    if campaign is None:
        raise Http404
    return campaign


def _groups(campaign):
    scores = campaign_scores(campaign, campaign_version(campaign))
    return scores, [g for g in (g.seen_by(PUBLIC_SCOPE) for g in scores.groups) if len(g)]


def campaign_view(request, campaign_id: int):
    campaign = _campaign_or_404(campaign_id)
    scores, groups = _groups(campaign)
    key, _error = query_param(request, "group")
    key = key or (groups[0].key if groups else "")
    group = next((g for g in groups if g.key == key), None)
    if group is None and groups:
        raise Http404
    page = Paginator(group.rows if group else [], PAGE_SIZE).get_page(request.GET.get("page"))
    # The same for every visitor: shared cache, keyed by every version the page reads.
    cache_key = (f"public:campaign:{campaign.pk}:{selectors.versions_key(campaign)}:"
                 f"{groups.index(group) if group else 0}:{page.number}:{get_language()}")
    body = cache.get(cache_key)
    if body is None:
        previous = selectors.previous_public(campaign)
        codes = [r.info.code for r in page]
        changes = rank_changes(campaign, group.key, codes, PUBLIC_SCOPE) if group and previous else {}
        names = {m.level: m.name for m in (scores.framework.maturity_levels or [])}
        body = render_to_string("public/_campaign_body.html", {
            "campaign": campaign, "group": group, "page": page, "links": page_links(page),
            "ranked_by": scores.ranked_by, "scored": scores.framework.scored,
            "rows": _display_rows(campaign, page, names, changes,
                                  base=reverse("public:campaign", args=[campaign.pk])),
            "has_changes": bool(changes),
            "charts": ranking_charts(campaign, group, [r.info.position for r in page], selectors.public_scope_for()),
        })
        cache.set(cache_key, body, CACHE_SECONDS)
    return render(request, "public/campaign.html", {
        "campaign": campaign, "groups": groups, "group": group, "body": mark_safe(body),  # our own template, escaped there
    })


def campaign_xlsx(request, campaign_id: int):
    """The decision's result table of the published units (official ranks), as on the page."""
    from dti.excel.views import ranking_workbook, xlsx_response

    return xlsx_response(*ranking_workbook(_campaign_or_404(campaign_id), PUBLIC_SCOPE))


def campaign_csv(request, campaign_id: int):
    """Published units only, official ranks; UTF-8 with BOM (opens in Excel), dot decimals (for machines)."""
    campaign = _campaign_or_404(campaign_id)
    _scores, groups = _groups(campaign)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-cong-khai-{campaign.pk}-{campaign.year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["nhom", "hang", "ma", "don_vi", "ket_qua_danh_gia", "toi_da", "ty_le_phan_tram", "muc_do"])
    for group in groups:
        for row in group.rows:
            writer.writerow(safe_row([group.label, row.rank or "", row.info.code, row.info.name,
                                      "" if row.total is None else round(row.total, 2),
                                      "" if row.max is None else round(row.max, 2),
                                      "" if row.percent is None else round(row.percent, 2),
                                      "" if row.maturity is None else row.maturity]))
    return response


def scorecard_view(request, campaign_id: int, unit_code: str):
    campaign = _campaign_or_404(campaign_id)
    submission = (Submission.objects.select_related("unit")
                  .filter(campaign=campaign, unit__code=unit_code, state=State.PUBLISHED).first())
    if submission is None:
        raise Http404
    cache_key = f"public:scorecard:{campaign.pk}:{selectors.versions_key(campaign)}:{unit_code}:{get_language()}"
    cached = cache.get(cache_key)
    if cached is None:
        # The previous campaign's result only where it is public too and the unit's result there published.
        previous = selectors.previous_public(campaign)
        with_previous = previous is not None and Submission.objects.filter(
            campaign=previous, unit__code=unit_code, state=State.PUBLISHED).exists()
        card = scorecard(campaign, unit_code, with_previous=with_previous, full=False)
        if card is None:
            raise Http404
        body = render_to_string("public/_scorecard_body.html", {
            "campaign": campaign, "card": card, "scored": card.scored, "rows": _public_rows(campaign, card),
            "group_size": len(card.group.rows) if card.group else 0,
            "charts": scorecard_charts(campaign, unit_code, PUBLIC_SCOPE, selectors.public_scope_for()),
        })
        cached = (body, card.info.group)
        cache.set(cache_key, cached, CACHE_SECONDS)
    body, group_key = cached
    return render(request, "public/scorecard.html", {
        "campaign": campaign, "unit": submission.unit, "body": mark_safe(body), "group_key": group_key,
    })


def _public_rows(campaign, card) -> list[dict]:
    return _card_rows(card, peers_hidden=peer_relative_codes(campaign))


@login_required
def manage(request, campaign_id: int):
    """Công khai / thôi công khai: an administrator of the campaign confirms on this page."""
    campaign = campaign_or_404(request, campaign_id)
    if not campaign_roles(request, campaign) & ADMINS:
        raise PermissionDenied
    if request.method == "POST":
        transition = request.POST.get("action", "")
        if transition not in services.TRANSITIONS:
            messages.error(request, _("Thao tác không hợp lệ."))
        elif request.POST.get("confirm") != "1":
            messages.error(request, _("Cần đánh dấu ô xác nhận trước khi thực hiện."))
        else:
            try:
                step = services.run(campaign, transition, user=request.user,
                                    expected_public=request.POST.get("shown") == "1",
                                    reason=normalise(request.POST.get("reason", ""))[:2000])
            except services.PublicError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, str(step.done))
                return redirect("public:manage", campaign.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    record = PublicCampaign.objects.filter(campaign=campaign).select_related("made_public_by").first()
    public = record is not None
    return render(request, "public/manage.html", {
        "campaign": campaign, "public": public, "record": record,
        "published_units": Submission.objects.filter(campaign=campaign, state=State.PUBLISHED).count(),
        "unpublished_units": Submission.objects.filter(campaign=campaign).exclude(state=State.PUBLISHED).count(),
    })
