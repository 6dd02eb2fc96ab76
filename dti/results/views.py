"""Ranking per group and a unit's scorecard, with "Tự đánh giá" and "Kết quả đánh giá" side by side."""

from __future__ import annotations

import csv
import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from dti.accounts.selectors import access_for
from dti.campaigns.models import Campaign
from dti.connectors.selectors import indicator_origins
from dti.engine.csvcells import safe_row
from dti.published.selectors import published_for, published_stamp, published_totals
from dti.site.shortcuts import (
    ADMINS,
    campaign_or_404,
    campaign_roles,
    peers_hidden,
    results_scope,
    scorecard_submission_or_404,
)
from dti.site.templatetags.dti import format_num
from dti.site.text import query_param
from dti.submissions.models import State

from .charts import RankChange, rank_changes, ranking_charts, scorecard_charts
from .selectors import (
    PEERS_HIDDEN,
    campaign_scores,
    campaign_sensitivity,
    campaign_version,
    readings_used,
    scorecard,
)

PAGE_SIZE = 50


def _scope_or_403(request, campaign):
    scope = results_scope(request, campaign)
    if not scope.may_open_ranking():
        raise PermissionDenied
    return scope


def _scope_key(scope) -> str:
    """Part of a cache key: pages differ by what the person may see, not by who they are."""
    if scope.full:
        return "full"
    # A digest of the units themselves: stable across processes (a shared cache) and never two scopes in one key.
    digest = hashlib.sha256("\n".join(sorted(scope.reviewing)).encode()).hexdigest()[:32]
    return f"seen{digest}:{int(scope.campaign_published)}"


def page_links(page, around: int = 2) -> list[int | None]:
    """Page numbers to show: first, last, and a window around the current one (None = gap)."""
    last = page.paginator.num_pages
    wanted = {1, last} | set(range(page.number - around, page.number + around + 1))
    links: list[int | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous > 1:
            links.append(None)
        links.append(number)
        previous = number
    return links


def scope_for(request):
    """The viewer's results scope of any campaign (None where the campaign is not visible to them):
    what the charts may show of earlier campaigns."""
    from dti.campaigns.selectors import campaigns_visible

    visible = set(campaigns_visible(access_for(request)).values_list("pk", flat=True))
    return lambda c: results_scope(request, c) if c.pk in visible else None


def _display_rows(campaign, page, maturity_names, changes: dict[str, RankChange] | None = None,
                  base: str | None = None, published: dict[str, float | None] | None = None) -> list[dict]:
    """The page's rows as ready-made strings (numbers localised once here, not in the template)."""
    base = base or reverse("results:ranking", args=[campaign.pk])
    changes = changes or {}
    no_change = RankChange(previous=None, new=False)
    labels = {state.value: str(state.label) for state in State}

    def level(value):
        if value is None:
            return "—"
        name = maturity_names.get(value) or (gettext("chưa đạt mức 1") if value == 0 else None)
        return f"{value} ({name})" if name else str(value)

    rows = []
    for r in page:
        rows.append({
            "rank": r.rank or "—",
            "self_rank": r.self_rank if r.self_rank and r.self_rank != r.rank else None,
            "url": f"{base}{r.info.code}/",
            "name": r.info.name,
            # columns of figures: fixed decimals, so that 20,00 stands above 24,17
            "self_total": format_num(r.self_total, fixed=True), "total": format_num(r.total, fixed=True),
            "max": format_num(r.max, fixed=True), "percent": format_num(r.percent, 1, fixed=True),
            "pillars": [(format_num(v, fixed=True), format_num(s, fixed=True)) for v, s, _m in r.pillars],
            "maturity": level(r.maturity), "self_maturity": level(r.self_maturity),
            "state": r.info.state, "state_label": labels[r.info.state],
            "change": changes.get(r.info.code, no_change).label(r.rank),
            "change_dir": changes.get(r.info.code, no_change).direction(r.rank),
            "previous_rank": changes.get(r.info.code, no_change).previous,
            "published": format_num((published or {}).get(r.info.code), fixed=True),
        })
    return rows


def _card_rows(card, origins=None, published=None, *, peers_hidden: set[str] | None = None) -> list[dict]:
    """The scorecard's rows as ready-made strings; ``peers_hidden``: indicators whose explanation
    says how they are scored instead of the other units' values (viewers outside the lead agency)."""
    origins = origins or {}
    published = published or {}
    peers_hidden = peers_hidden or set()
    rows = []
    for r in card.rows:
        lost = r.lost or 0
        hidden = r.is_leaf and r.code in peers_hidden
        rows.append({
            "depth": r.depth, "code": r.code, "printed": r.printed or r.code, "name": r.name,
            "max": format_num(r.max, fixed=True), "self_score": format_num(r.self_score, fixed=True),
            "score": format_num(r.score, fixed=True),
            "lost": f"−{format_num(lost, fixed=True)}" if lost > 1e-9 else format_num(r.lost, fixed=True),
            "lost_flag": lost > 1e-9, "previous": format_num(r.previous_score, fixed=True),
            "holds_back": r.holds_back,
            "level": "" if r.level is None else r.level,
            "self_level": r.self_level if r.self_level is not None and r.self_level != r.level else None,
            "explain": PEERS_HIDDEN if hidden and r.explain else (r.explain if r.is_leaf else ""),
            "self_explain": None if hidden else (r.self_explain if r.is_leaf else None),
            "status_label": r.status_label if r.is_leaf and r.status != "ok" else "",
            "origin": origins.get(r.code, "") if r.is_leaf else "",
            "published": format_num(published.get(r.code), fixed=True),
        })
    return rows


def _previous_campaign(campaign):
    if not campaign.previous_id:
        return None
    return (Campaign.objects.filter(pk=campaign.previous_id).select_related("framework", "lead_unit")
            .defer("framework__yaml_text").first())


@login_required
def ranking(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    scope = _scope_or_403(request, campaign)
    version = campaign_version(campaign)
    scores = campaign_scores(campaign, version)
    groups = [g.seen_by(scope) for g in scores.groups]
    if not scope.full:  # a group with nothing to show is not offered
        groups = [g for g in groups if len(g)]
    key, _error = query_param(request, "group")
    key = key or (groups[0].key if groups else "")
    group = next((g for g in groups if g.key == key), None)
    if group is None and groups:
        raise Http404
    page = Paginator(group.rows if group else [], PAGE_SIZE).get_page(request.GET.get("page"))
    previous = _previous_campaign(campaign)
    previous_version = previous.scores_version if previous else 0
    cache_key = (f"ranking:{campaign.pk}:{version}:{previous_version}:{groups.index(group) if group else 0}:"
                 f"{page.number}:{get_language()}:{_scope_key(scope)}:{published_stamp(campaign)}")
    table = cache.get(cache_key)
    if table is None:
        names = {m.level: m.name for m in (scores.framework.maturity_levels or [])}
        changes = (rank_changes(campaign, group.key, [r.info.code for r in page], results_scope(request, previous))
                   if group is not None and previous is not None else {})
        published = published_totals(campaign)
        table = render_to_string("results/_ranking_table.html", {
            "group": group, "page": page, "links": page_links(page), "ranked_by": scores.ranked_by,
            "scored": scores.framework.scored, "full": scope.full, "has_changes": bool(changes),
            "rows": _display_rows(campaign, page, names, changes, published=published),
            "has_published": bool(published),
        })
        cache.set(cache_key, table, 600)
    return render(request, "results/ranking.html", {
        "campaign": campaign,
        "groups": groups,
        "group": group,
        "ranked_by": scores.ranked_by,
        "table": mark_safe(table),  # rendered from our own template, escaped there
        "scope": scope,
        "has_readings": bool(campaign_roles(request, campaign) & ADMINS) and bool(readings_used(campaign)),
        "charts": ranking_charts(campaign, group, [r.info.position for r in page], scope_for(request)),
    })


@login_required
def ranking_csv(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    scope = _scope_or_403(request, campaign)
    scores = campaign_scores(campaign)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="xep-hang-{campaign.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["nhom", "hang", "ma", "don_vi", "trang_thai", "tu_danh_gia", "ket_qua_danh_gia", "toi_da",
                     "ty_le_phan_tram", "muc_do"])
    for group in (g.seen_by(scope) for g in scores.groups):
        for row in group.rows:
            writer.writerow(safe_row([group.label, row.rank or "", row.info.code, row.info.name, row.info.state_label,
                                      "" if row.self_total is None else round(row.self_total, 2),
                                      "" if row.total is None else round(row.total, 2),
                                      "" if row.max is None else round(row.max, 2),
                                      "" if row.percent is None else round(row.percent, 2),
                                      "" if row.maturity is None else row.maturity]))
    return response


@login_required
def scorecard_view(request, campaign_id: int, unit_code: str):
    campaign = campaign_or_404(request, campaign_id)
    submission = scorecard_submission_or_404(request, campaign, unit_code)
    scope = results_scope(request, campaign)
    version = campaign_version(campaign)
    previous = (Campaign.objects.filter(pk=campaign.previous_id).values_list("scores_version", flat=True).first()
                if campaign.previous_id else 0)
    published = published_for(campaign, submission.unit)
    cache_key = (f"scorecard:{campaign.pk}:{version}:{previous}:{unit_code}:{get_language()}:{int(scope.full)}:"
                 f"{published.imported_at.isoformat() if published else 0}")
    cached = cache.get(cache_key)
    if cached is None:
        card = scorecard(campaign, unit_code, full=scope.full)
        if card is None:
            raise Http404
        body = render_to_string("results/_scorecard_body.html", {
            "card": card, "scored": card.scored, "published": published,
            "rows": _card_rows(card, indicator_origins(submission), published.scores if published else None,
                               peers_hidden=peers_hidden(request, campaign)),
            "group_size": len(card.group.rows) if card.group else 0, "readings": readings_used(campaign),
        })
        cached = (body, card.info.group)
        cache.set(cache_key, cached, 600)
    body, group_key = cached
    charts = scorecard_charts(campaign, unit_code, scope, scope_for(request))
    # The charts differ by viewer (self-assessment or not): drawn between the cached summary and table.
    body_head, _marker, body = body.partition("<!-- charts -->")
    return render(request, "results/scorecard.html", {
        "charts": charts, "body_head": mark_safe(body_head),  # rendered from our own template
        "campaign": campaign,
        "submission": submission,
        "unit": submission.unit,
        "body": mark_safe(body),  # rendered from our own template, escaped there
        "group_key": group_key,
        "can_see_ranking": scope.may_open_ranking(),
    })


@login_required
def sensitivity_view(request, campaign_id: int):
    """For an administrator: how far each unit's rank depends on how the document is read."""
    campaign = campaign_or_404(request, campaign_id)
    if not campaign_roles(request, campaign) & ADMINS:
        raise PermissionDenied
    report = campaign_sensitivity(campaign)
    labels = {(r["indicator"], r["reading"]): r["label"] for r in report["readings"]}
    moved = [u for u in report["units"] if u["rank"] is not None and u["best_rank"] != u["worst_rank"]]
    for unit in report["units"]:
        code, _sep, name = (unit["most_sensitive_to"] or "").partition("=")
        unit["moved_by"] = labels.get((code, name), gettext("mọi cách đọc khác cùng lúc") if code == "*" else "")
    return render(request, "results/sensitivity.html", {
        "campaign": campaign, "report": report, "moved": len(moved),
    })
