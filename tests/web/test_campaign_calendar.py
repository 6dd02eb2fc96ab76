"""A campaign created from a framework with a calendar takes its dates and keeps every step."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dti.campaigns.models import CampaignStep
from dti.campaigns.selectors import calendar, step_due
from dti.campaigns.services import calendar_defaults, create_campaign

from .recognition_fixtures import *  # noqa: F403


def test_campaign_takes_the_calendar_as_default_dates(mfw):
    campaign = create_campaign(name="Năm 2026", framework=mfw, year=2026)
    assert campaign.entry_deadline == dt.date(2026, 11, 29)  # "trước ngày 30/11"
    assert campaign.review_deadline == dt.date(2026, 12, 14)
    assert campaign.approval_date == dt.date(2026, 12, 19)
    assert (campaign.period_start, campaign.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 11, 29))
    assert list(CampaignStep.objects.filter(campaign=campaign).values_list("step", flat=True)) == [
        "registration", "self_assessment", "review", "recognition", "report"]
    assert step_due(campaign, "registration") == dt.date(2026, 1, 19)
    assert step_due(campaign, "report") == dt.date(2026, 12, 24)


def test_dates_given_win_over_the_calendar(mfw):
    campaign = create_campaign(name="x", framework=mfw, year=2026, entry_deadline=dt.date(2026, 12, 5),
                               review_deadline=dt.date(2026, 12, 10))
    assert (campaign.entry_deadline, campaign.approval_date) == (dt.date(2026, 12, 5), dt.date(2026, 12, 19))
    # a date given against the calendar's others is refused with the reason, not shifted silently
    with pytest.raises(ValidationError, match="phê duyệt"):
        create_campaign(name="x", framework=mfw, year=2026, review_deadline=dt.date(2026, 12, 31))


def test_framework_without_calendar_needs_the_dates(framework):
    assert calendar_defaults(framework, 2026) == {}
    with pytest.raises(ValidationError) as caught:
        create_campaign(name="x", framework=framework, year=2026)
    assert set(caught.value.message_dict) == {"period_start", "period_end", "entry_deadline", "review_deadline"}


def test_hue_calendar_gives_data_period_and_deadline(db):
    from pathlib import Path

    from dti.methodologies.services import create_version

    hue = create_version(Path("dti/frameworks/hue-931-2024.yaml").read_text(encoding="utf-8"))
    assert calendar_defaults(hue, 2024) == {"period_start": dt.date(2024, 1, 1), "period_end": dt.date(2024, 11, 15),
                                            "entry_deadline": dt.date(2024, 11, 29),
                                            "approval_date": dt.date(2024, 12, 31)}


def test_calendar_shows_every_step_in_order(mcampaign):
    labels = [label for label, _date, _passed in calendar(mcampaign)]
    assert "Đăng ký mức độ chuyển đổi số" in labels and "Báo cáo Bộ Khoa học và Công nghệ" in labels
    dates = [date for _label, date, _passed in calendar(mcampaign) if date]
    assert dates == sorted(dates)


def test_create_page_leaves_dates_to_the_calendar(client, mfw, framework, make_user):
    from django.urls import reverse

    from dti.campaigns.models import Campaign

    client.force_login(make_user("quantri", "assessment_admin"))
    url = reverse("campaigns:create")
    client.post(url, {"name": "Từ lịch", "framework": mfw.pk, "year": "2027"})
    assert Campaign.objects.get(name="Từ lịch").entry_deadline == dt.date(2027, 11, 29)
    response = client.post(url, {"name": "Không lịch", "framework": framework.pk, "year": "2027"})
    assert "bộ chỉ số không quy định ngày này" in response.content.decode()
    assert not Campaign.objects.filter(name="Không lịch").exists()
