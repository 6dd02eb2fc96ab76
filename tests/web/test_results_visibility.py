"""Who sees which results: the lead agency everything; others the units they review and, after
publication, the published units with official ranks among published units only."""

import pytest
from django.urls import reverse

from dti.submissions.models import State

from .conftest import sub

NAMES = ("Sở Alpha", "Sở Bêta", "Sở Gamma")


@pytest.fixture
def district_reviewer(make_user, units, campaign):
    return make_user("thamdinh.so-a", "reviewer", campaign=campaign, units=[units["so-a"]])


@pytest.fixture
def b_published(users, campaign, submitted):
    """so-b approved and published mid-cycle; so-a submitted; so-c still in draft."""
    from dti.review.services import approve, publish_campaign

    approve(sub(campaign, "so-b"), user=users["assessment_admin"])
    publish_campaign(campaign, user=users["assessment_admin"])


def shown(html: str) -> set[str]:
    return {name for name in NAMES if name in html}


def ranking(client, campaign) -> str:
    return client.get(reverse("results:ranking", args=[campaign.pk])).content.decode()


def test_scoped_reviewer_sees_only_their_units_in_ranking_csv_and_counts(client, district_reviewer, campaign, submitted):
    client.force_login(district_reviewer)
    assert shown(ranking(client, campaign)) == {"Sở Alpha"}
    csv = client.get(reverse("results:ranking_csv", args=[campaign.pk])).content.decode()
    assert "Sở Alpha" in csv and "Sở Bêta" not in csv and "Sở Gamma" not in csv
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Sở Bêta" not in detail
    assert "Đã gửi: 1</a>" in detail  # so-a only; so-b (also submitted) is not theirs to count


def test_lead_agency_sees_every_unit_with_working_ranks(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    assert shown(ranking(client, campaign)) == set(NAMES)


def test_after_partial_publication_units_see_only_published_results(client, users, campaign, b_published):
    client.force_login(users["reporter"])  # so-a: submitted, not published
    html = ranking(client, campaign)
    assert shown(html) == {"Sở Bêta"}
    assert "Hạng chính thức" in html
    csv = client.get(reverse("results:ranking_csv", args=[campaign.pk])).content.decode()
    assert "Sở Bêta" in csv and "Sở Alpha" not in csv and "Sở Gamma" not in csv


def test_official_rank_counts_only_published_units(client, users, campaign, b_published):
    """so-b scores below so-a; among published units it is first."""
    client.force_login(users["reporter_b"])
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-b"])).content.decode()
    assert "Hạng <strong>1</strong> / 1" in html


def test_own_unpublished_scorecard_has_no_rank(client, users, campaign, b_published):
    client.force_login(users["reporter"])
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-a"])).content.decode()
    assert "Hạng" not in html


def test_unpublished_unit_of_another_is_not_reachable(client, users, campaign, b_published):
    client.force_login(users["reporter_b"])
    assert client.get(reverse("results:scorecard", args=[campaign.pk, "so-a"])).status_code == 404


def test_scoped_reviewer_after_publication_sees_own_and_published(client, district_reviewer, campaign, b_published):
    client.force_login(district_reviewer)
    assert shown(ranking(client, campaign)) == {"Sở Alpha", "Sở Bêta"}


def test_publish_page_lists_units_not_yet_approved(client, users, campaign, submitted):
    from dti.review.services import approve

    approve(sub(campaign, "so-b"), user=users["assessment_admin"])
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("campaigns:publish", args=[campaign.pk])).content.decode()
    assert "2 đơn vị chưa được phê duyệt" in html
    assert "Sở Alpha" in html and "Sở Gamma" in html


def test_publishing_without_confirmation_publishes_nothing(client, users, campaign, submitted):
    from dti.review.services import approve

    approve(sub(campaign, "so-b"), user=users["assessment_admin"])
    client.force_login(users["assessment_admin"])
    response = client.post(reverse("campaigns:publish", args=[campaign.pk]), {"ids": [sub(campaign, "so-b").pk]})
    assert "Cần xác nhận" in response.content.decode()
    assert sub(campaign, "so-b").state == State.APPROVED
    campaign.refresh_from_db()
    assert not campaign.is_published


def test_publishing_with_confirmation_publishes_the_listed_units(client, users, campaign, submitted):
    from dti.review.services import approve

    approve(sub(campaign, "so-b"), user=users["assessment_admin"])
    client.force_login(users["assessment_admin"])
    response = client.post(reverse("campaigns:publish", args=[campaign.pk]),
                           {"ids": [sub(campaign, "so-b").pk], "confirm": "1"})
    assert response.status_code == 302
    assert sub(campaign, "so-b").state == State.PUBLISHED
    assert sub(campaign, "so-a").state == State.SUBMITTED


def test_publishing_refused_when_the_approved_list_changed_since_the_page(client, users, campaign, submitted):
    from dti.review.services import approve

    approve(sub(campaign, "so-b"), user=users["assessment_admin"])
    client.force_login(users["assessment_admin"])
    listed = [sub(campaign, "so-b").pk]
    approve(sub(campaign, "so-a"), user=users["assessment_admin"])
    response = client.post(reverse("campaigns:publish", args=[campaign.pk]), {"ids": listed, "confirm": "1"})
    assert "vừa thay đổi" in response.content.decode()
    assert sub(campaign, "so-b").state == State.APPROVED


def test_published_scorecard_does_not_show_another_units_unpublished_figure(client, users, campaign, b_published):
    """2.1 is scored against the group's best: so-a's 100, submitted but not published."""
    client.force_login(users["reporter_b"])
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-b"])).content.decode()
    assert "Chấm so với các đơn vị cùng nhóm" in html
    assert "100" not in html.split("2.1")[-1].split("</tr>")[0]


def test_lead_agency_sees_the_peer_values_in_the_explanation(client, users, campaign, b_published):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-b"])).content.decode()
    assert "Chấm so với các đơn vị cùng nhóm" not in html
    assert "100" in html.split("2.1")[-1].split("</tr>")[0]


def test_scorecard_workbook_hides_the_peer_values_as_the_page_does(client, users, campaign, b_published):
    import io

    from openpyxl import load_workbook

    client.force_login(users["reporter_b"])
    response = client.get(reverse("excel:scorecard", args=[campaign.pk, "so-b"]))
    cells = [str(c) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
             for c in row if c is not None]
    row_21 = next(c for c in cells if "Chấm so với các đơn vị cùng nhóm" in c)
    assert "100" not in row_21
