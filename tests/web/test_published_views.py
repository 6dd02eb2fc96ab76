"""A published result on the scorecard, in the ranking and on its own page, for whom may see it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.published.services import import_published


@pytest.fixture
def published(campaign, units, users, submitted):
    text = "code,score\n1,27.5\n1.1,10\n1.2,7.5\n1.3,10\n2,15\n2.1,15\n"
    return import_published(campaign, SimpleUploadedFile("kq.csv", text.encode()), user=users["assessment_admin"],
                            unit=units["so-a"])[0]


def test_scorecard_shows_the_published_result_as_a_third_column(client, campaign, users, published):
    client.force_login(users["reporter"])
    page = client.get(reverse("results:scorecard", args=[campaign.pk, "so-a"])).content.decode()
    assert "Bộ công bố" in page and "Tự đánh giá" in page and "Kết quả đánh giá" in page
    assert '<div class="stat">42,5 <small>' in page
    assert '<td class="num lost">−2,50</td><td class="num">7,50</td>' in page  # 1.2: lost, then published


def test_ranking_shows_the_published_total(client, campaign, users, published):
    client.force_login(users["assessment_admin"])
    page = client.get(reverse("results:ranking", args=[campaign.pk])).content.decode()
    assert "Bộ công bố" in page and '<strong>47,50</strong></td><td class="num">42,50</td>' in page


def test_reconciliation_page_lists_no_problem_for_a_consistent_result(client, campaign, users, published):
    client.force_login(users["reporter"])
    page = client.get(reverse("published:detail", args=[campaign.pk, "so-a"])).content.decode()
    assert "khớp với phương pháp chấm" in page


def test_another_units_published_result_is_404_before_publication(client, campaign, users, published):
    client.force_login(users["reporter_b"])
    assert client.get(reverse("published:detail", args=[campaign.pk, "so-a"])).status_code == 404


def test_reconciliation_page_shows_where_points_are(client, campaign, users, published):
    client.force_login(users["assessment_admin"])
    page = client.get(reverse("published:detail", args=[campaign.pk, "so-a"])).content.decode()
    assert 'id="gains"' in page and "1.2: Số cuộc họp có Giám đốc chủ trì (a) từ 3 lên 4" in page
    assert reverse("plans:draft", args=[campaign.pk, "so-a"]) in page
