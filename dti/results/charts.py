"""Chart data for the results pages: plain dicts, handed to the page with ``json_script`` and drawn by
``dti/site/static/dti/charts.js`` (Apache ECharts).  Every chart also carries the rows of its data
table, so what the chart shows is readable without it (screen readers, print).

Visibility is the ranking's: a chart shows a unit's values only where ``ResultsScope`` lets the viewer
see that unit, and peers only as ``RankGroup.seen_by`` would list them (official ranks among published
units for everybody outside the lead agency).  The caller passes the scopes: a signed-in person's
(``results_scope``) or the public page's (published units of public campaigns only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from dti.campaigns.models import Campaign

from .selectors import CampaignScores, RankGroup, ResultsScope, campaign_scores

ScopeFor = Callable[[Campaign], "ResultsScope | None"]  # None: the viewer may not see that campaign at all

# The scope of an anonymous visitor to a public campaign: published units, official ranks.
PUBLIC_SCOPE = ResultsScope(full=False, reviewing=frozenset(), own=frozenset(), campaign_published=True)


def _f(value) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def sees_working(scope: ResultsScope, code: str) -> bool:
    """Whether the viewer sees this unit's working figures (its self-assessment), not only the published result."""
    return scope.full or code in scope.reviewing or code in scope.own


# --------------------------------------------------------------------------- change of rank


@dataclass(frozen=True)
class RankChange:
    previous: int | None  # the previous campaign's rank as the viewer may see it
    new: bool  # the unit did not take part in the previous campaign

    def label(self, current: int | None) -> str:
        """"↑2", "↓1", "=", "mới", or "" (no rank now, or none shown last time)."""
        if current is None:
            return ""
        if self.new:
            return "mới"
        if self.previous is None:
            return ""
        moved = self.previous - current
        return f"↑{moved}" if moved > 0 else (f"↓{-moved}" if moved < 0 else "=")

    def direction(self, current: int | None) -> str:
        text = self.label(current)
        return {"": "", "mới": "new", "=": "same"}.get(text, "up" if text.startswith("↑") else "down")


def rank_changes(campaign: Campaign, group_key: str, codes: list[str], previous_scope: ResultsScope | None
                 ) -> dict[str, RankChange]:
    """The previous campaign's rank of each of ``codes`` in the group of the same key.

    ``previous_scope``: what the viewer may see of the previous campaign (None = nothing: no changes
    are shown).  Outside the lead agency that is the official rank among published units; a unit that
    was there but is not visible gets no arrow; a unit that was not there at all is "mới".
    """
    if not campaign.previous_id or previous_scope is None:
        return {}
    previous_campaign = (Campaign.objects.filter(pk=campaign.previous_id).select_related("framework")
                         .defer("framework__yaml_text").first())
    if previous_campaign is None:
        return {}
    previous = campaign_scores(previous_campaign)
    group = previous.group(group_key)
    seen = group.seen_by(previous_scope) if group is not None else None
    changes = {}
    for code in codes:
        position = previous.index.get(code)
        if position is None:
            changes[code] = RankChange(previous=None, new=True)
            continue
        row = seen.row_for(code) if seen is not None else None
        changes[code] = RankChange(previous=row.rank if row else None, new=False)
    return changes


# --------------------------------------------------------------------------- a unit's scorecard


def pillar_chart(campaign: Campaign, unit_code: str, scope: ResultsScope, previous_scope: ResultsScope | None,
                 ) -> dict | None:
    """Bars and radar of a unit's pillars: verified ("Kết quả đánh giá"), self-assessed (only for
    those who see the unit's working figures) and the previous campaign's result (where the viewer
    may see that unit there).  None when the framework has no points or the unit is not visible."""
    scores = campaign_scores(campaign)
    position = scores.index.get(unit_code)
    if position is None or not scores.framework.scored:
        return None
    info = scores.units[position]
    if not scope.sees_unit(unit_code, info.state):
        return None
    with_self = sees_working(scope, unit_code)
    previous, prev_position = _previous_of(campaign, unit_code, previous_scope)
    v, r = scores.verified, scores.reported
    pillars = []
    for root in scores.compiled.roots:
        if info.level not in root.levels:
            continue
        mx = _f(v.indicators[root.code].max[position])
        row: dict[str, str | float | None] = {"code": root.code, "name": root.indicator.name, "max": _round(mx),
               "verified": _round(_f(v.indicators[root.code].score[position])),
               "self": _round(_f(r.indicators[root.code].score[position])) if with_self else None,
               "previous": None}
        if previous is not None and prev_position is not None and root.code in previous.verified.indicators:
            row["previous"] = _round(_f(previous.verified.indicators[root.code].score[prev_position]))
        for name in ("verified", "self", "previous"):  # the radar's axes are shares of each pillar's maximum
            value = row[name]
            row[f"{name}_share"] = _round(value / mx * 100, 1) if isinstance(value, float) and mx else None
        pillars.append(row)
    return {"unit": info.name, "with_self": with_self,
            "with_previous": any(p["previous"] is not None for p in pillars), "pillars": pillars}


def _previous_of(campaign: Campaign, unit_code: str, previous_scope: ResultsScope | None
                 ) -> tuple[CampaignScores | None, int | None]:
    if not campaign.previous_id or previous_scope is None:
        return None, None
    previous_campaign = (Campaign.objects.filter(pk=campaign.previous_id).select_related("framework")
                         .defer("framework__yaml_text").first())
    if previous_campaign is None:
        return None, None
    previous = campaign_scores(previous_campaign)
    position = previous.index.get(unit_code)
    if position is None or not previous_scope.sees_unit(unit_code, previous.units[position].state):
        return previous, None
    return previous, position


# --------------------------------------------------------------------------- a campaign's group

BINS = 10  # histogram of the share of maximum points: 0–10 %, …, 90–100 %


def distribution(group: RankGroup) -> dict | None:
    """How many units of the (already scope-filtered) group fall in each tenth of the maximum points,
    or at each maturity level for a framework of levels."""
    scores = group.scores
    positions = group.order
    if scores.framework.scored:
        percent = scores.verified.percent[positions]
        percent = percent[np.isfinite(percent)]
        counts = np.histogram(np.clip(percent, 0, 100), bins=BINS, range=(0, 100))[0]
        labels = [f"{i * 10}–{(i + 1) * 10}%" for i in range(BINS)]
        return {"axis": "percent", "labels": labels, "counts": [int(c) for c in counts], "units": int(len(percent)),
                "pairs": list(zip(labels, [int(c) for c in counts], strict=True))}
    if scores.verified.maturity is not None:
        levels = scores.verified.maturity[positions].astype(int)
        top = max([m.level for m in scores.framework.maturity_levels or []] + [int(levels.max()) if len(levels) else 0])
        counts = np.bincount(levels, minlength=top + 1) if len(levels) else np.zeros(top + 1, dtype=int)
        labels = [str(i) for i in range(top + 1)]
        return {"axis": "maturity", "labels": labels, "counts": [int(c) for c in counts], "units": int(len(levels)),
                "pairs": list(zip(labels, [int(c) for c in counts], strict=True))}
    return None


def heatmap(group: RankGroup, positions) -> dict | None:
    """Units × pillars for the units of ``positions`` (the ranking page's rows, already scope-filtered):
    the share of each pillar's maximum (colour) and the points (label)."""
    scores = group.scores
    if not scores.framework.scored or not group.pillars:
        return None
    v = scores.verified
    units, cells, rows = [], [], []
    for y, p in enumerate(int(p) for p in positions):
        units.append(scores.units[p].name)
        row = []
        for x, (code, _name) in enumerate(group.pillars):
            score, mx = _f(v.indicators[code].score[p]), _f(v.indicators[code].max[p])
            share = _round(score / mx * 100, 1) if score is not None and mx else None
            cells.append([x, y, share, _round(score)])
            row.append((_round(score), share))
        rows.append({"unit": scores.units[p].name, "cells": row})
    return {"pillars": [{"code": c, "name": n} for c, n in group.pillars], "units": units, "cells": cells,
            "rows": rows}


# --------------------------------------------------------------------------- year over year


def _earlier_campaigns(campaign: Campaign) -> list[Campaign]:
    """The campaigns of the same framework code up to this one's year, oldest first (one per year:
    the latest-created when several share a year; this campaign for its own year)."""
    found = (Campaign.objects.filter(framework__code=campaign.framework.code, year__lte=campaign.year)
             .select_related("framework").defer("framework__yaml_text").order_by("year", "id"))
    by_year: dict[int, Campaign] = {}
    for c in found:
        if c.year == campaign.year and c.pk != campaign.pk:
            continue
        by_year[c.year] = c
    return [by_year[y] for y in sorted(by_year)]


def _group_stats(scores: CampaignScores, group_key: str, scope: ResultsScope) -> dict | None:
    group = scores.group(group_key)
    if group is None or not scores.framework.scored:
        return None
    seen = group.seen_by(scope)
    percent = scores.verified.percent[seen.order]
    percent = percent[np.isfinite(percent)]
    if not len(percent):
        return None
    return {"mean": round(float(percent.mean()), 2), "min": round(float(percent.min()), 2),
            "max": round(float(percent.max()), 2), "units": int(len(percent))}


def trends(campaign: Campaign, group_key: str, scope_for: ScopeFor, unit_code: str | None = None) -> dict | None:
    """Year-over-year share of maximum points (%) across the campaigns of the same framework code:
    the group's mean, lowest and highest over the units the viewer may see in each campaign, and,
    with ``unit_code``, that unit's own result where visible.  None when there is only one year."""
    years, unit_values, stats = [], [], []
    for c in _earlier_campaigns(campaign):
        scope = scope_for(c)
        if scope is None or (not scope.may_open_ranking() and unit_code is None):
            continue
        scores = campaign_scores(c)
        if not scores.framework.scored:
            continue
        row = _group_stats(scores, group_key, scope) if scope.may_open_ranking() else None
        value = None
        if unit_code is not None:
            position = scores.index.get(unit_code)
            if position is not None and scope.sees_unit(unit_code, scores.units[position].state):
                value = _round(_f(scores.verified.percent[position]))
        if row is None and value is None:
            continue
        years.append(c.year)
        stats.append(row)
        unit_values.append(value)
    if len(years) < 2:
        return None
    out: dict = {"years": years,
                 "mean": [s["mean"] if s else None for s in stats],
                 "min": [s["min"] if s else None for s in stats],
                 "max": [s["max"] if s else None for s in stats],
                 "units": [s["units"] if s else 0 for s in stats]}
    if unit_code is not None:
        out["unit"] = unit_values
    out["rows"] = [{"year": y, "unit": unit_values[i], "mean": out["mean"][i], "min": out["min"][i],
                    "max": out["max"][i], "units": out["units"][i]} for i, y in enumerate(years)]
    return out


# --------------------------------------------------------------------------- what a page hands to charts.js

RADAR_MIN_PILLARS = 3  # a radar of two axes is a line: bars say it better


def labels() -> dict[str, str]:
    """The charts' words, translated on the server (charts.js has no catalogue)."""
    return {
        "self": _("Tự đánh giá"), "verified": _("Kết quả đánh giá"), "previous": _("Kỳ trước"),
        "max": _("Tối đa"), "points": _("Điểm"), "units": _("Số đơn vị"), "share": _("Tỷ lệ điểm (%)"),
        "mean": _("Trung bình nhóm"), "min": _("Thấp nhất"), "high": _("Cao nhất"), "year": _("Năm"),
        "level": _("Mức độ"),
    }


def ranking_charts(campaign: Campaign, group: RankGroup | None, positions, scope_for: ScopeFor) -> dict:
    """The ranking page's charts for one (scope-filtered) group: the distribution of results, the
    units × pillars heat map of the units on the page, and the group's results year over year."""
    out: dict = {"labels": labels()}
    if group is None or not len(group):
        return out
    found = distribution(group)
    if found and found["units"]:
        out["distribution"] = found
    found = heatmap(group, positions)
    if found and found["units"]:
        out["heatmap"] = found
    found = trends(campaign, group.key, scope_for)
    if found:
        out["trend"] = found
    return out


def scorecard_charts(campaign: Campaign, unit_code: str, scope: ResultsScope, scope_for: ScopeFor) -> dict:
    """A unit's scorecard charts: pillars as bars and radar, its result year over year beside its group's."""
    out: dict = {"labels": labels()}
    previous_scope = None
    if campaign.previous_id:
        previous = Campaign.objects.filter(pk=campaign.previous_id).select_related("framework").first()
        previous_scope = scope_for(previous) if previous is not None else None
    pillars = pillar_chart(campaign, unit_code, scope, previous_scope)
    if pillars:
        out["pillars"] = pillars
        out["radar"] = len(pillars["pillars"]) >= RADAR_MIN_PILLARS
    scores = campaign_scores(campaign)
    position = scores.index.get(unit_code)
    if position is not None:
        found = trends(campaign, scores.units[position].group, scope_for, unit_code)
        if found:
            out["trend"] = found
            out["labels"]["unit"] = scores.units[position].name
    return out
