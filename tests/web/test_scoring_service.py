import datetime as dt

from dti.campaigns.models import Campaign
from dti.results.selectors import campaign_scores, preview_indicator, scorecard
from dti.review.services import adjust_item

from .conftest import GOOD, sub


def test_scores_every_unit_in_one_run(campaign, submitted):
    scores = campaign_scores(campaign)
    assert [u.code for u in scores.units] == ["so-a", "so-b", "so-c"]
    a = scores.index["so-a"]
    # 1.1 giam_doc 10 + 1.2 3/4 → 7,5 + 1.3 yes 10 + 2.1 100 vs best 100 → 20
    assert round(float(scores.reported.total[a]), 2) == 47.5


def test_relative_rule_sees_peers(campaign, submitted):
    scores = campaign_scores(campaign)
    b = scores.index["so-b"]
    assert float(scores.reported.indicators["2.1"].score[b]) == 10.0


def test_verified_values_feed_the_assessment_result_only(campaign, submitted, users):
    adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "1"}, reason="Thiếu biên bản")
    scores = campaign_scores(Campaign.objects.get(pk=campaign.pk))
    a = scores.index["so-a"]
    assert float(scores.reported.indicators["1.2"].score[a]) == 7.5
    assert float(scores.verified.indicators["1.2"].score[a]) == 2.5


def test_cache_is_reused_until_data_changes(campaign, submitted, fill):
    first = campaign_scores(campaign)
    assert campaign_scores(campaign) is first
    fill(sub(campaign, "so-c"), {"1.3.co": "1"})
    second = campaign_scores(campaign)
    assert second is not first
    assert float(second.reported.indicators["1.3"].score[second.index["so-c"]]) == 10


def test_ranking_per_group_with_both_columns(campaign, submitted):
    group = campaign_scores(campaign).groups[0]
    assert group.label == "Sở"
    assert [r.info.code for r in group.rows] == ["so-a", "so-b", "so-c"]
    top = group.rows[0]
    assert top.rank == 1 and top.self_rank == 1 and top.total == top.self_total == 47.5


def test_scorecard_rows_have_max_lost_and_explanation(campaign, submitted):
    card = scorecard(campaign, "so-a")
    row = next(r for r in card.rows if r.code == "1.2")
    assert (row.max, row.score, row.lost) == (10.0, 7.5, 2.5)
    # the inputs by their labels, as the form shows them
    assert "Số cuộc họp có Giám đốc chủ trì = 3, Tổng số cuộc họp = 4" in row.explain


def test_previous_campaign_is_compared(campaign, submitted, framework, units, today, users, fill):
    from dti.campaigns.services import create_campaign

    nxt = create_campaign(name="Năm sau", framework=framework, year=2025, period_start=today, period_end=today,
                          entry_deadline=today + dt.timedelta(days=5), review_deadline=today + dt.timedelta(days=6),
                          previous=campaign, units=[units["so-a"], units["so-b"]])
    fill(sub(nxt, "so-a"), {**GOOD, "1.3.co": "0"})
    card = scorecard(nxt, "so-a")
    assert card.previous_total == 47.5
    assert card.total == 37.5
    assert next(r for r in card.rows if r.code == "1.3").previous_score == 10


def test_preview_does_not_change_saved_data(campaign, submitted):
    result = preview_indicator(campaign, "so-a", "1.2", {"1.2.a": "4", "1.2.b": "4"})
    assert result.score == 10 and result.total == 50
    scores = campaign_scores(campaign)
    assert float(scores.reported.indicators["1.2"].score[scores.index["so-a"]]) == 7.5


def test_preview_reports_field_error(campaign, submitted):
    result = preview_indicator(campaign, "so-a", "1.2", {"1.2.a": "abc", "1.2.b": "4"})
    assert "không phải là số" in result.errors["1.2.a"]
    assert result.status == "no_data"


def test_incremental_update_matches_a_full_rebuild(campaign, submitted, users, fill):
    import numpy as np
    from django.core.cache import caches

    from dti.results import selectors

    before = campaign_scores(campaign)
    fill(sub(campaign, "so-c"), {"1.2.a": "9", "1.2.b": "3", "2.1.a": "400", "1.1.truong_ban": "khac"})
    adjust_item(submitted, "1.3", user=users["reviewer"], verified={"1.3.co": "0"}, reason="Chưa ký ban hành")
    fresh = Campaign.objects.get(pk=campaign.pk)
    patched = campaign_scores(fresh)
    assert patched.version > before.version
    caches["scores"].clear()
    rebuilt = selectors._compute(fresh, patched.version)
    for run in ("reported", "verified"):
        a, b = getattr(patched, run), getattr(rebuilt, run)
        assert np.allclose(a.total, b.total) and np.allclose(a.max, b.max)
        for code in a.indicators:
            assert (a.indicators[code].status == b.indicators[code].status).all()
        assert sorted(p.message for p in a.problems) == sorted(p.message for p in b.problems)
    assert patched.adjusted == rebuilt.adjusted == {"so-a"}
    assert [u.state for u in patched.units] == [u.state for u in rebuilt.units]


def test_state_change_is_visible_in_the_ranking(campaign, submitted, users):
    from dti.review.services import accept_item

    campaign_scores(campaign)
    accept_item(submitted, "1.1", user=users["reviewer"])
    scores = campaign_scores(Campaign.objects.get(pk=campaign.pk))
    assert scores.units[scores.index["so-a"]].state == "under_review"
