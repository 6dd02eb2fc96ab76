"""A campaign picks one reading per indicator whose document reads two ways; frozen once data exists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from .conftest import FRAMEWORK_YAML, GOOD, sub

READINGS_YAML = FRAMEWORK_YAML.replace("test-so", "test-so-readings").replace(
    '''        rule: {kind: relative, method: max_ratio, value: "a"}''',
    '''        readings:
          - name: ratio_to_best
            default: true
            label: So với Sở cao nhất
            text: "Min-Max giữa các Sở"
            rule: {kind: relative, method: max_ratio, value: "a"}
          - name: min_max
            label: Min-Max (cao nhất tối đa, thấp nhất 0 điểm)
            text: "Min-Max giữa các Sở"
            rule: {kind: relative, method: min_max, value: "a"}''')


@pytest.fixture
def readings_campaign(db, units, today):
    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version

    return create_campaign(
        name="Đánh giá có cách đọc", framework=create_version(READINGS_YAML), year=2024,
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
        entry_deadline=today + dt.timedelta(days=10), review_deadline=today + dt.timedelta(days=20),
        units=[units["so-a"], units["so-b"], units["so-c"]],
    )


@pytest.fixture
def admin(make_user):
    return make_user("quantri-doc", "assessment_admin")


def _fill(campaign, make_user, units):
    from dti.submissions.services import save_entry

    # ratio to best: Alpha 30 + 20, Bêta 25 + 14 = 39, Gamma 30 + 10 = 40 → Alpha, Gamma, Bêta
    # min-max:       Alpha 30 + 20, Bêta 25 + 8 = 33,  Gamma 30 + 0 = 30  → Alpha, Bêta, Gamma
    for code, online, head in (("so-a", "100", "giam_doc"), ("so-b", "70", "pho_giam_doc"), ("so-c", "50", "giam_doc")):
        reporter = make_user(f"bientap-doc.{code}", "reporter", units[code])
        save_entry(sub(campaign, code), user=reporter, values={**GOOD, "2.1.a": online, "1.1.truong_ban": head})


def test_admin_chooses_a_reading_and_the_campaign_keeps_only_non_defaults(readings_campaign, admin):
    from dti.campaigns.services import choose_readings

    version = readings_campaign.scores_version
    choose_readings(readings_campaign, {"2.1": "min_max"}, user=admin)
    readings_campaign.refresh_from_db()
    assert readings_campaign.readings == {"2.1": "min_max"} and readings_campaign.scores_version > version
    choose_readings(readings_campaign, {"2.1": "ratio_to_best"}, user=admin)
    readings_campaign.refresh_from_db()
    assert readings_campaign.readings == {}


def test_unknown_reading_is_refused_with_the_names_there_are(readings_campaign, admin):
    from dti.campaigns.services import choose_readings

    with pytest.raises(ValidationError, match="không có cách đọc 'khac' \\(có: ratio_to_best, min_max\\)"):
        choose_readings(readings_campaign, {"2.1": "khac"}, user=admin)


def test_readings_are_frozen_once_data_is_entered(readings_campaign, admin, make_user, units):
    from dti.campaigns.services import choose_readings

    _fill(readings_campaign, make_user, units)
    with pytest.raises(ValidationError, match="cách đọc đã khóa"):
        choose_readings(readings_campaign, {"2.1": "min_max"}, user=admin)


def test_scores_follow_the_chosen_reading_and_the_scorecard_names_it(client, readings_campaign, admin, make_user, units):
    from dti.campaigns.services import choose_readings
    from dti.results.selectors import campaign_scores

    choose_readings(readings_campaign, {"2.1": "min_max"}, user=admin)
    _fill(readings_campaign, make_user, units)
    readings_campaign.refresh_from_db()
    scores = campaign_scores(readings_campaign)
    got = {u.code: float(scores.reported.indicators["2.1"].score[u.position]) for u in scores.units}
    assert got == {"so-a": 20.0, "so-b": 8.0, "so-c": 0.0}  # min-max; ratio to best would give 20, 14, 10
    client.force_login(make_user("bientap-xem.so-c", "reporter", units["so-c"]))
    html = client.get(reverse("results:scorecard", args=[readings_campaign.pk, "so-c"])).content.decode()
    assert "Chấm theo cách đọc văn bản" in html and "cách đọc: Min-Max (cao nhất tối đa, thấp nhất 0 điểm)" in html


def test_readings_page_lists_readings_and_saves_the_choice(client, readings_campaign, admin):
    client.force_login(admin)
    url = reverse("campaigns:readings", args=[readings_campaign.pk])
    html = client.get(url).content.decode()
    assert "So với Sở cao nhất" in html and "Min-Max giữa các Sở" in html
    assert client.post(url, {"reading-2.1": "min_max"}).status_code == 302
    readings_campaign.refresh_from_db()
    assert readings_campaign.readings == {"2.1": "min_max"}
    detail = client.get(reverse("campaigns:detail", args=[readings_campaign.pk])).content.decode()
    assert "2.1</span>=min_max" in detail


def test_sensitivity_page_shows_rank_ranges_to_an_administrator(client, readings_campaign, admin, make_user, units):
    _fill(readings_campaign, make_user, units)
    client.force_login(admin)
    html = client.get(reverse("results:sensitivity", args=[readings_campaign.pk])).content.decode()
    assert "Độ nhạy của thứ hạng theo cách đọc văn bản" in html and "Sở Alpha" in html
    # Gamma is 2nd by the campaign's reading (ratio to best) and 3rd by min-max
    assert "2.1=min_max" in html and "Thứ hạng của 2 đơn vị thay đổi" in html


def test_sensitivity_page_is_for_administrators_only(client, readings_campaign, make_user, units):
    client.force_login(make_user("bientap-cam.so-a", "reporter", units["so-a"]))
    assert client.get(reverse("results:sensitivity", args=[readings_campaign.pk])).status_code == 403
