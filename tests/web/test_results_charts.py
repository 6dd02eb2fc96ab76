"""Chart data (dti/results/charts.py): what each chart shows, and only what the viewer may see."""

import pytest

from dti.results.charts import (
    PUBLIC_SCOPE,
    RankChange,
    distribution,
    heatmap,
    pillar_chart,
    rank_changes,
    scorecard_charts,
    trends,
)
from dti.results.selectors import ResultsScope, campaign_scores

from .charts_fixtures import *  # noqa: F403

FULL = ResultsScope(full=True, reviewing=frozenset(), own=frozenset(), campaign_published=True)


def own(code):
    return ResultsScope(full=False, reviewing=frozenset(), own=frozenset({code}), campaign_published=True)


def test_rank_change_labels():
    assert RankChange(previous=3, new=False).label(1) == "↑2"
    assert RankChange(previous=1, new=False).label(2) == "↓1"
    assert RankChange(previous=2, new=False).label(2) == "="
    assert RankChange(previous=None, new=True).label(4) == "mới"
    assert RankChange(previous=None, new=False).label(4) == ""  # there last time, but no visible rank
    assert RankChange(previous=2, new=False).label(None) == ""  # no rank now
    assert RankChange(previous=3, new=False).direction(1) == "up"


def test_official_rank_change_counts_only_published_units(two_years):
    current = two_years["current"]
    changes = rank_changes(current, "Sở", ["so-a", "so-b"], PUBLIC_SCOPE)
    group = campaign_scores(current).group("Sở").seen_by(PUBLIC_SCOPE)
    assert changes["so-b"].label(group.row_for("so-b").rank) == "↑1"
    assert changes["so-a"].label(group.row_for("so-a").rank) == "↓1"


def test_lead_agency_sees_working_rank_changes(two_years):
    current = two_years["current"]
    changes = rank_changes(current, "Sở", ["so-a", "so-b", "so-c"], FULL)
    group = campaign_scores(current).group("Sở")
    assert {c: changes[c].label(group.row_for(c).rank) for c in changes} == {"so-a": "↓1", "so-b": "↑1", "so-c": "="}


def test_unpublished_previous_unit_gets_no_arrow_and_a_newcomer_is_new(two_years, units):
    from dti.campaigns.services import add_units
    from dti.organisations.services import create_unit

    current = two_years["current"]
    assert rank_changes(current, "Sở", ["so-c"], PUBLIC_SCOPE)["so-c"] == RankChange(previous=None, new=False)
    newcomer = create_unit(code="so-d", name="Sở Delta", level="so", parent=units["tn"], ranking_group="Sở")
    add_units(current, [newcomer])
    assert rank_changes(current, "Sở", ["so-d"], PUBLIC_SCOPE)["so-d"].new


def test_no_changes_without_a_visible_previous_campaign(two_years):
    assert rank_changes(two_years["current"], "Sở", ["so-a"], None) == {}
    assert rank_changes(two_years["previous"], "Sở", ["so-a"], FULL) == {}


def test_pillar_bars_show_self_assessment_only_to_those_who_see_working_figures(two_years):
    current = two_years["current"]
    mine = pillar_chart(current, "so-a", own("so-a"), own("so-a"))
    assert mine["with_self"] and [p["code"] for p in mine["pillars"]] == ["1", "2"]
    assert mine["pillars"][0]["max"] == 30 and mine["pillars"][0]["self"] is not None
    assert mine["with_previous"] and mine["pillars"][1]["previous"] is not None
    public = pillar_chart(current, "so-a", PUBLIC_SCOPE, PUBLIC_SCOPE)
    assert not public["with_self"] and all(p["self"] is None for p in public["pillars"])
    assert public["pillars"][0]["verified"] == mine["pillars"][0]["verified"]
    assert public["pillars"][0]["verified_share"] == pytest.approx(
        public["pillars"][0]["verified"] / 30 * 100, abs=0.05)


def test_unpublished_unit_has_no_chart_for_others(two_years):
    current = two_years["current"]
    assert pillar_chart(current, "so-c", PUBLIC_SCOPE, PUBLIC_SCOPE) is None
    assert pillar_chart(current, "so-c", own("so-a"), None) is None
    assert pillar_chart(current, "so-c", own("so-c"), None)["with_self"]


def test_previous_bars_only_where_the_previous_result_is_visible(two_years):
    """so-c's 2024 result was never published: its own people see it, the public does not."""
    current = two_years["current"]
    assert pillar_chart(current, "so-c", own("so-c"), own("so-c"))["with_previous"]
    assert not pillar_chart(current, "so-c", own("so-c"), PUBLIC_SCOPE)["with_previous"]


def test_distribution_counts_only_units_the_ranking_shows(two_years):
    group = campaign_scores(two_years["current"]).group("Sở")
    assert sum(distribution(group)["counts"]) == 3
    public = distribution(group.seen_by(PUBLIC_SCOPE))
    assert sum(public["counts"]) == 2 and public["units"] == 2 and len(public["labels"]) == 10
    assert public["pairs"][0] == ("0–10%", public["counts"][0])


def test_heatmap_is_units_by_pillars_of_the_given_rows(two_years):
    group = campaign_scores(two_years["current"]).group("Sở").seen_by(PUBLIC_SCOPE)
    found = heatmap(group, group.order)
    assert found["units"] == ["Sở Bêta", "Sở Alpha"]  # rank order
    assert [p["code"] for p in found["pillars"]] == ["1", "2"] and len(found["cells"]) == 4
    x, y, share, score = found["cells"][2]  # Sở Alpha, pillar 1: 10 + 7,5 + 10 of 30
    assert (x, y, score, share) == (0, 1, 27.5, pytest.approx(91.7))
    assert "Sở Gamma" not in found["units"]


def test_trends_follow_visible_campaigns_of_the_same_framework(two_years):
    current = two_years["current"]
    found = trends(current, "Sở", lambda c: PUBLIC_SCOPE, unit_code="so-a")
    assert found["years"] == [2024, 2025] and found["units"] == [2, 2]
    assert found["unit"][0] == pytest.approx(found["max"][0])  # so-a led the published units in 2024
    lead = trends(current, "Sở", lambda c: FULL)
    assert lead["units"] == [3, 3] and "unit" not in lead
    # A viewer who may not see the earlier campaign gets no year-over-year chart.
    assert trends(current, "Sở", lambda c: PUBLIC_SCOPE if c.pk == current.pk else None) is None


def test_scorecard_charts_for_the_public(two_years):
    charts = scorecard_charts(two_years["current"], "so-b", PUBLIC_SCOPE, lambda c: PUBLIC_SCOPE)
    assert charts["pillars"]["unit"] == "Sở Bêta" and not charts["pillars"]["with_self"]
    assert charts["radar"] is False  # two pillars: bars only
    assert charts["trend"]["years"] == [2024, 2025] and charts["labels"]["unit"] == "Sở Bêta"
