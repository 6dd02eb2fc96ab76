from django.urls import reverse

from dti.review.services import adjust_item, approve, publish_campaign

from .conftest import sub


def test_ranking_shows_self_assessment_and_verified_result(client, users, campaign, submitted):
    adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "1"}, reason="Thiếu biên bản")
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("results:ranking", args=[campaign.pk])).content.decode()
    assert "Tự đánh giá" in html and "Kết quả đánh giá" in html
    assert "47,5" in html and "42,5" in html
    assert html.index("Sở Alpha") < html.index("Sở Gamma")


def test_scorecard_lists_indicators_with_points_lost(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-a"])).content.decode()
    assert "Điểm bị mất" in html and "−2,5" in html
    assert "Số cuộc họp có Giám đốc chủ trì = 3, Tổng số cuộc họp = 4, tỷ lệ = 75%" in html
    assert 'media="print"' in html


def test_ranking_csv_export(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    response = client.get(reverse("results:ranking_csv", args=[campaign.pk]))
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("nhom,hang,ma")
    assert "so-a" in text


def test_ranking_public_after_publication(client, users, campaign, submitted):
    client.force_login(users["viewer"])
    assert client.get(reverse("results:ranking", args=[campaign.pk])).status_code == 403
    for code in ("so-a", "so-b"):
        approve(sub(campaign, code), user=users["assessment_admin"])
    publish_campaign(campaign, user=users["assessment_admin"])
    assert client.get(reverse("results:ranking", args=[campaign.pk])).status_code == 200


def test_ranking_paginates_and_filters_by_group(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    assert client.get(reverse("results:ranking", args=[campaign.pk]) + "?group=Sở&page=1").status_code == 200
    assert client.get(reverse("results:ranking", args=[campaign.pk]) + "?group=khong-co").status_code == 404
