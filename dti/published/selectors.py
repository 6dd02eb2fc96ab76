"""Reading published results: beside the method (reconciliation), beside our own scores, and
where the points are (the engine's gains on the unit's verified figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from dti.engine.gains import find_gains
from dti.engine.reconcile import reconcile
from dti.methodologies.selectors import compiled_for
from dti.results.selectors import campaign_scores, campaign_version

from .models import PublishedResult


def published_for(campaign, unit) -> PublishedResult | None:
    return PublishedResult.objects.filter(campaign=campaign, unit=unit).first()


def published_totals(campaign) -> dict[str, float | None]:
    """Unit code → published total, for the ranking."""
    return dict(PublishedResult.objects.filter(campaign=campaign).values_list("unit__code", "total"))


def published_stamp(campaign) -> str:
    """Changes whenever a published result of the campaign is imported (part of cache keys)."""
    latest = PublishedResult.objects.filter(campaign=campaign).order_by("-imported_at").values_list(
        "imported_at", flat=True).first()
    return latest.isoformat() if latest else "0"


def _level(compiled, unit) -> str | None:
    return unit.level_id if unit.level_id in compiled.framework.level_codes else None


def reconciliation(result: PublishedResult) -> dict[str, Any]:
    campaign = result.campaign
    compiled = compiled_for(campaign.framework, campaign.readings)
    return reconcile(compiled, result.scores, _level(compiled, result.unit))


@dataclass
class Row:
    code: str
    name: str
    depth: int
    max: float | None
    published: float | None
    verified: float | None
    lost: float | None
    problems: list[dict] = field(default_factory=list)


def comparison(result: PublishedResult) -> tuple[list[Row], dict[str, Any]]:
    """Every indicator: its maximum, the published score, our verified score, points lost (as
    published); and the reconciliation report."""
    campaign = result.campaign
    report = reconciliation(result)
    scores = campaign_scores(campaign)
    compiled = scores.compiled
    position = scores.index.get(result.unit.code)
    level = _level(compiled, result.unit) or compiled.framework.level_codes[0]
    by_code: dict[str, list[dict]] = {}
    for problem in report["problems"]:
        by_code.setdefault(problem["code"], []).append(problem)
    rows = []
    for node, _parent in compiled.framework.walk():
        compiled_node = compiled.nodes[node.code]
        if level not in compiled_node.levels:
            continue
        maximum = compiled_node.max_by_level.get(level)
        published = result.scores.get(node.code)
        verified = None
        if position is not None:
            value = float(scores.verified.indicators[node.code].score[position])
            verified = value if value == value else None  # NaN: excluded
        lost = None
        if maximum is not None and published is not None:
            lost = max(maximum - min(published, maximum), 0.0)
        rows.append(Row(node.code, node.name, compiled_node.depth, maximum, published, verified, lost,
                        by_code.get(node.code, [])))
    return rows, report


def unit_gains(campaign, unit_code: str, top: int | None = None) -> dict[str, Any] | None:
    """The engine's gains for the unit on its verified figures (cached per scores version)."""
    version = campaign_version(campaign)
    key = f"gains:{campaign.pk}:{version}:{unit_code}"
    found = cache.get(key)
    if found is None:
        scores = campaign_scores(campaign, version)
        if unit_code not in scores.index:
            return None
        found = find_gains(scores.compiled, scores.verified.data, unit_code, previous=scores.previous_data,
                           year=campaign.year)
        cache.set(key, found, 3600)
    if top is not None:
        return {**found, "gains": found["gains"][:top]}
    return found
