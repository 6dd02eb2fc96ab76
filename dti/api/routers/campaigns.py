"""Campaigns, their participating units and where each submission stands."""

from __future__ import annotations

from ninja import Path, Router

from dti.accounts.selectors import access_for
from dti.api import scope
from dti.api.schemas import COMMON, ID, CampaignOut, SubmissionOut, UnitOut, errors
from dti.organisations.models import Unit
from dti.submissions.models import State
from dti.submissions.selectors import submissions_visible

router = Router(tags=["campaigns"])


def _campaign(c) -> dict:
    return {"id": c.pk, "name": c.name, "year": c.year, "framework_id": c.framework_id,
            "framework_code": c.framework.code, "lead_unit": c.lead_unit.code if c.lead_unit_id else None,
            "period_start": c.period_start, "period_end": c.period_end, "entry_deadline": c.entry_deadline,
            "review_deadline": c.review_deadline, "published_at": c.results_published_at}


def _unit(u) -> dict:
    return {"code": u.code, "name": u.name, "level": u.level_id, "parent": u.parent.code if u.parent_id else None,
            "group": u.group}


@router.get("/campaigns", response={200: list[CampaignOut], **errors(*COMMON)}, summary="Các đợt đánh giá người gọi tham gia")
def campaign_list(request):
    return [_campaign(c) for c in scope.campaigns(request)]


@router.get("/campaigns/{campaign_id}", response={200: CampaignOut, **errors(*COMMON)}, summary="Một đợt đánh giá")
def campaign_detail(request, campaign_id: int = Path(..., **ID)):
    return _campaign(scope.campaign(request, campaign_id))


@router.get("/campaigns/{campaign_id}/submissions", response={200: list[SubmissionOut], **errors(*COMMON)},
            summary="Hồ sơ các đơn vị người gọi được xem trong đợt")
def submission_list(request, campaign_id: int = Path(..., **ID)):
    campaign = scope.campaign(request, campaign_id)
    qs = submissions_visible(access_for(request), campaign)
    if request.auth.is_service:
        qs = qs.filter(unit__code__in=request.auth.unit_codes)
    return [{"unit": s.unit.code, "name": s.unit.name, "state": s.state, "state_label": str(State(s.state).label),
             "submitted_at": s.submitted_at, "updated_at": s.updated_at} for s in qs]


@router.get("/units", response={200: list[UnitOut], **errors(*COMMON)}, summary="Các đơn vị người gọi có vai trò")
def unit_list(request):
    qs = Unit.objects.select_related("parent").filter(active=True)
    if request.auth.is_service:
        qs = qs.filter(code__in=request.auth.unit_codes)
    else:
        q = access_for(request).unit_filter()
        if q is not None:
            qs = qs.filter(q)
    return [_unit(u) for u in qs.order_by("path")]
