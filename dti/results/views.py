"""Ranking per group and a unit's scorecard, with "Tự đánh giá" and "Kết quả đánh giá" side by side."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from dti.accounts.selectors import access_for
from dti.site.shortcuts import campaign_or_404, campaign_roles
from dti.submissions.models import State, Submission

from .selectors import campaign_scores, scorecard

PAGE_SIZE = 50


def _may_see_ranking(request, campaign) -> bool:
    return bool(campaign_roles(request, campaign)) or campaign.is_published


@login_required
def ranking(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    if not _may_see_ranking(request, campaign):
        raise PermissionDenied
    scores = campaign_scores(campaign)
    groups = scores.groups
    key = request.GET.get("group") or (groups[0].key if groups else "")
    group = scores.group(key)
    if group is None and groups:
        raise Http404
    page = Paginator(group.rows if group else [], PAGE_SIZE).get_page(request.GET.get("page"))
    names = {m.level: m.name for m in (scores.framework.maturity_levels or [])}
    return render(request, "results/ranking.html", {
        "campaign": campaign,
        "scores": scores,
        "groups": groups,
        "group": group,
        "page": page,
        "ranked_by": scores.ranked_by,
        "scored": scores.framework.scored,
        "maturity_names": names,
        "print": request.GET.get("print") == "1",
    })


@login_required
def ranking_csv(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    if not _may_see_ranking(request, campaign):
        raise PermissionDenied
    scores = campaign_scores(campaign)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="xep-hang-{campaign.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["nhom", "hang", "ma", "don_vi", "trang_thai", "tu_danh_gia", "ket_qua_danh_gia", "toi_da",
                     "ty_le_phan_tram", "muc_do"])
    for group in scores.groups:
        for row in group.rows:
            writer.writerow([group.label, row.rank or "", row.info.code, row.info.name, row.info.state_label,
                             "" if row.self_total is None else round(row.self_total, 2),
                             "" if row.total is None else round(row.total, 2),
                             "" if row.max is None else round(row.max, 2),
                             "" if row.percent is None else round(row.percent, 2),
                             "" if row.maturity is None else row.maturity])
    return response


@login_required
def scorecard_view(request, campaign_id: int, unit_code: str):
    campaign = campaign_or_404(request, campaign_id)
    submission = Submission.objects.select_related("unit").filter(campaign=campaign, unit__code=unit_code).first()
    if submission is None:
        raise Http404
    access = access_for(request)
    own = bool(access.unit_roles(campaign.pk, submission.unit))
    if not own and not (campaign.is_published and submission.state == State.PUBLISHED):
        raise Http404
    card = scorecard(campaign, unit_code)
    if card is None:
        raise Http404
    return render(request, "results/scorecard.html", {
        "campaign": campaign,
        "card": card,
        "submission": submission,
        "unit": submission.unit,
        "scored": card.scored,
        "print": request.GET.get("print") == "1",
        "can_see_ranking": _may_see_ranking(request, campaign),
    })
