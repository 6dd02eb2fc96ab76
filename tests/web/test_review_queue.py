"""The reviewer's queue: every campaign in one list, with deadline and days left, sorted and filtered on the server."""

import datetime as dt

import pytest
from django.urls import reverse

URL = reverse("review_queue:list")


@pytest.fixture
def older(framework, units, today, users, fill):
    """A second campaign whose review deadline has passed, with so-c submitted in it."""
    from dti.campaigns.services import create_campaign
    from dti.submissions.models import Submission
    from dti.submissions.services import approve_by_leader, submit

    campaign = create_campaign(
        name="Đợt bổ sung", framework=framework, year=2023, period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31), entry_deadline=today, review_deadline=today, units=[units["so-c"]],
    )
    s = Submission.objects.select_related("unit", "campaign__framework").get(campaign=campaign, unit=units["so-c"])
    fill(s, user=users["system_admin"])
    approve_by_leader(s, user=users["system_admin"])
    submit(s, user=users["system_admin"])
    # Time passed: the review deadline is three days behind us.
    type(campaign).objects.filter(pk=campaign.pk).update(review_deadline=today - dt.timedelta(days=3))
    return campaign


def rows(html: str) -> list[str]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [r for r in body.split("<tr")[1:]]


def test_admin_sees_every_campaign_with_deadline_and_days_left(client, users, campaign, submitted, older):
    client.force_login(users["assessment_admin"])
    html = client.get(URL).content.decode()
    found = rows(html)
    assert len(found) == 3
    # Sorted by review deadline: the overdue campaign first.
    assert "Đợt bổ sung" in found[0] and "Sở Gamma" in found[0] and "quá hạn 3 ngày" in found[0]
    assert 'class="overdue"' in found[0]
    assert all("còn 20 ngày" in r and "Đánh giá thử nghiệm" in r for r in found[1:])
    assert "Hạn thẩm định" in html and "Gửi lúc" in html


def test_campaign_scoped_reviewer_sees_only_that_campaign(client, users, campaign, submitted, older):
    client.force_login(users["reviewer"])
    html = client.get(URL).content.decode()
    assert len(rows(html)) == 2 and "Đợt bổ sung" not in html.split("<tbody>")[1]
    assert "Sở Gamma" not in html


def test_unit_scoped_reviewer_sees_only_their_units(client, make_user, units, campaign, submitted):
    client.force_login(make_user("thamdinh.b", "reviewer", units=[units["so-b"]]))
    found = rows(client.get(URL).content.decode())
    assert len(found) == 1 and "Sở Bêta" in found[0]


def test_reporter_has_no_queue(client, users, campaign):
    client.force_login(users["reporter"])
    assert client.get(URL).status_code == 403


def test_filter_by_campaign_state_unit_and_overdue(client, users, campaign, submitted, older):
    from dti.review.services import accept_item

    accept_item(submitted, "1.1", user=users["reviewer"])  # so-a: under review
    client.force_login(users["assessment_admin"])
    assert len(rows(client.get(URL, {"campaign": campaign.pk}).content.decode())) == 2
    found = rows(client.get(URL, {"state": "under_review"}).content.decode())
    assert len(found) == 1 and "Sở Alpha" in found[0]
    found = rows(client.get(URL, {"q": "bêta"}).content.decode())
    assert len(found) == 1 and "Sở Bêta" in found[0]
    found = rows(client.get(URL, {"overdue": "1"}).content.decode())
    assert len(found) == 1 and "Sở Gamma" in found[0]


def test_sort_by_unit_both_ways(client, users, campaign, submitted, older):
    client.force_login(users["assessment_admin"])
    names = ["Sở Alpha", "Sở Bêta", "Sở Gamma"]

    def order(sort):
        html = client.get(URL, {"sort": sort}).content.decode()
        return [next(n for n in names if n in r) for r in rows(html)]

    assert order("unit") == names
    assert order("-unit") == names[::-1]
    html = client.get(URL, {"sort": "unit"}).content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-unit" in html  # the header now sorts the other way


def test_bad_query_parameters_are_refused_with_a_message_and_ignored(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    response = client.get(URL, {"sort": "password", "state": "draft", "campaign": "1;drop", "q": "a\x00b",
                                "page": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "không nhận giá trị “password”" in html and "không nhận giá trị “draft”" in html
    assert "ký tự rỗng (NUL)" in html
    assert len(rows(html)) == 2


def test_campaign_the_person_does_not_review_is_not_offered(client, users, campaign, submitted, older):
    client.force_login(users["reviewer"])
    html = client.get(URL, {"campaign": older.pk}).content.decode()
    assert "Không có đợt đánh giá này trong danh sách của bạn" in html
    assert "Sở Gamma" not in html and len(rows(html)) == 2
