"""Rankings and scorecards: published only, unless the caller may see more (``results_scope``)."""

from __future__ import annotations

from django.http import Http404
from ninja import Path, Query, Router

from dti.accounts.selectors import access_for
from dti.api import scope
from dti.api.errors import forbidden
from dti.api.schemas import CODE_PATTERN, COMMON, ID, PLAIN, RankingOut, ScorecardOut, errors
from dti.results.selectors import campaign_scores, scorecard
from dti.site.shortcuts import results_scope
from dti.submissions.models import State, Submission

router = Router(tags=["results"])


@router.get("/campaigns/{campaign_id}/ranking", response={200: RankingOut, **errors(403, *COMMON)},
            summary="Xếp hạng theo nhóm (chỉ kết quả đã công bố, trừ cơ quan chủ trì và thẩm định)")
def ranking(request, campaign_id: int = Path(..., **ID),
            group: str | None = Query(None, max_length=100, pattern=PLAIN)):
    request.auth.require_personal()
    campaign = scope.campaign(request, campaign_id)
    seen = results_scope(request, campaign)
    if not seen.may_open_ranking():
        raise forbidden()
    scores = campaign_scores(campaign)
    groups = [g.seen_by(seen) for g in scores.groups]
    groups = [g for g in groups if len(g) and (group is None or g.key == group)]
    if group is not None and not groups:
        raise Http404
    out = []
    for g in groups:
        rows = [{"rank": r.rank, "unit": r.info.code, "name": r.info.name, "state": r.info.state, "total": r.total,
                 "max": r.max, "percent": r.percent, "maturity": r.maturity,
                 "self_total": r.self_total if seen.full else None} for r in g.rows]
        out.append({"key": g.key, "label": g.label, "rows": rows})
    return {"campaign_id": campaign.pk, "published": campaign.is_published, "full": seen.full, "groups": out}


@router.get("/campaigns/{campaign_id}/units/{unit_code}/scorecard", response={200: ScorecardOut, **errors(*COMMON)},
            summary="Phiếu điểm của một đơn vị (của mình, hoặc đã công bố)")
def unit_scorecard(request, campaign_id: int = Path(..., **ID),
                   unit_code: str = Path(..., max_length=50, pattern=CODE_PATTERN)):
    request.auth.require_personal()
    campaign = scope.campaign(request, campaign_id)
    submission = Submission.objects.select_related("unit").filter(campaign=campaign, unit__code=unit_code).first()
    if submission is None:
        raise Http404
    own = bool(access_for(request).unit_roles(campaign.pk, submission.unit))
    if not own and not (campaign.is_published and submission.state == State.PUBLISHED):
        raise Http404  # as the web: a unit not yours and not published does not exist for you
    card = scorecard(campaign, unit_code, with_previous=False, full=results_scope(request, campaign).full)
    if card is None:
        raise Http404
    rows = [{"code": r.code, "name": r.name, "depth": r.depth, "max": r.max, "score": r.score,
             "self_score": r.self_score, "status": r.status, "explain": r.explain} for r in card.rows]
    return {"campaign_id": campaign.pk, "unit": unit_code, "name": card.info.name, "state": card.info.state,
            "total": card.total, "max": card.max, "percent": card.percent, "rank": card.rank,
            "maturity": card.maturity, "rows": rows}
