"""The public results page: public campaigns only, their published units only, no sign-in; an
administrator makes a published campaign public (confirmation, audit) and can withdraw it."""

import json

import pytest
from django.urls import reverse

from dti.audit.models import AuditEvent
from dti.public import services
from dti.public.models import PublicCampaign

from .charts_fixtures import *  # noqa: F403


@pytest.fixture
def public(two_years, users):
    services.run(two_years["current"], "make_public", user=users["assessment_admin"])
    return two_years


def page(client, name, *args):
    return client.get(reverse(f"public:{name}", args=args))


def test_index_lists_only_public_campaigns_without_login(client, public):
    html = page(client, "index").content.decode()
    assert "Đánh giá thử nghiệm 2025" in html
    assert "Đánh giá thử nghiệm</strong>" not in html  # 2024: published, not made public


def test_campaign_page_shows_published_units_only_with_official_ranks(client, public):
    response = page(client, "campaign", public["current"].pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sở Alpha" in html and "Sở Bêta" in html and "Sở Gamma" not in html
    assert "Tự đánh giá" not in html.split('id="dti-charts"')[0]  # published (verified) values only
    charts = json.loads(html.split('id="dti-charts" type="application/json">')[1].split("</script>")[0])
    assert charts["heatmap"]["units"] == ["Sở Bêta", "Sở Alpha"] and sum(charts["distribution"]["counts"]) == 2
    assert "trend" not in charts  # 2024 is not public: no year-over-year from it
    assert "rank-change" not in html  # nor rank changes against it


def test_rank_changes_and_trend_once_the_previous_campaign_is_public_too(client, public, users):
    services.run(public["previous"], "make_public", user=users["assessment_admin"])
    html = page(client, "campaign", public["current"].pk).content.decode()
    assert '<span class="rank-change up"' in html and "↑1" in html and "↓1" in html
    charts = json.loads(html.split('id="dti-charts" type="application/json">')[1].split("</script>")[0])
    assert charts["trend"]["years"] == [2024, 2025] and charts["trend"]["units"] == [2, 2]


def test_published_unit_scorecard_is_public_without_self_assessment(client, public):
    response = page(client, "scorecard", public["current"].pk, "so-a")
    html = response.content.decode()
    assert response.status_code == 200 and "Sở Alpha" in html
    assert "Tự đánh giá" not in html and "Kỳ trước" not in html  # 2024 is not public
    charts = json.loads(html.split('id="dti-charts" type="application/json">')[1].split("</script>")[0])
    assert charts["pillars"]["with_self"] is False


def test_public_scorecard_does_not_name_peers_values(client, public):
    """2.1 is scored against the group's best value: so-c's 500, which is not published."""
    html = page(client, "scorecard", public["current"].pk, "so-a").content.decode()
    assert "500" not in html and "Chấm so với các đơn vị cùng nhóm" in html


def test_unpublished_unit_non_public_and_unknown_campaigns_answer_404(client, public, campaign):
    current = public["current"]
    assert page(client, "scorecard", current.pk, "so-c").status_code == 404  # draft
    assert page(client, "scorecard", current.pk, "nope").status_code == 404
    assert page(client, "campaign", campaign.pk).status_code == 404  # published, not public
    assert page(client, "scorecard", campaign.pk, "so-a").status_code == 404
    assert page(client, "csv", campaign.pk).status_code == 404
    assert page(client, "campaign", 999999).status_code == 404


def test_csv_has_published_units_only(client, public):
    response = page(client, "csv", public["current"].pk)
    text = response.content.decode("utf-8-sig")
    assert "Sở Alpha" in text and "Sở Bêta" in text and "Sở Gamma" not in text
    assert "tu_danh_gia" not in text.splitlines()[0]
    assert "ket-qua-cong-khai" in response["Content-Disposition"]


def test_workbook_has_published_units_only_without_login(client, public, campaign):
    import io

    from openpyxl import load_workbook

    response = page(client, "xlsx", public["current"].pk)
    cells = {str(c) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
             for c in row if c is not None}
    assert "Sở Alpha" in cells and "Sở Bêta" in cells and "Sở Gamma" not in cells
    assert response["Content-Disposition"].endswith('-2025.xlsx"')
    assert page(client, "xlsx", campaign.pk).status_code == 404  # published, not public


def test_withdrawing_takes_the_cached_page_down_at_once(client, public, users):
    current = public["current"]
    assert page(client, "campaign", current.pk).status_code == 200  # now cached
    services.run(current, "withdraw", user=users["assessment_admin"], reason="Rà soát lại")
    assert page(client, "campaign", current.pk).status_code == 404
    assert "Đánh giá thử nghiệm 2025" not in page(client, "index").content.decode()
    events = list(AuditEvent.objects.filter(campaign_id=current.pk, action__in=[
        "campaign.make_public", "campaign.withdraw_public"]).order_by("id").values_list("action", "new", "reason"))
    assert events == [("campaign.make_public", "1", ""), ("campaign.withdraw_public", "0", "Rà soát lại")]


def test_unpublished_campaign_cannot_be_made_public(campaign, users):
    with pytest.raises(services.PublicError, match="đã công bố kết quả"):
        services.run(campaign, "make_public", user=users["assessment_admin"])
    assert not PublicCampaign.objects.exists()


def test_stale_page_changes_nothing(public, users):
    current = public["current"]
    with pytest.raises(services.PublicError, match="đã thay đổi"):
        services.run(current, "make_public", user=users["assessment_admin"], expected_public=False)
    with pytest.raises(services.PublicError, match="đã thay đổi"):
        services.run(current, "withdraw", user=users["assessment_admin"], expected_public=False)
    assert PublicCampaign.objects.filter(campaign=current).exists()


def test_admin_makes_public_after_confirming(client, two_years, users):
    current = two_years["current"]
    url = reverse("public:manage", args=[current.pk])
    client.force_login(users["assessment_admin"])
    assert "Tôi xác nhận công khai" in client.get(url).content.decode()
    response = client.post(url, {"action": "make_public", "shown": "0"}, follow=True)
    assert "Cần đánh dấu ô xác nhận" in response.content.decode() and not PublicCampaign.objects.exists()
    response = client.post(url, {"action": "make_public", "shown": "0", "confirm": "1"}, follow=True)
    assert "Đã công khai kết quả" in response.content.decode()
    assert PublicCampaign.objects.get(campaign=current).made_public_by == users["assessment_admin"]
    # The same confirmation sent again (a second tab) is stale: a message, nothing changes.
    response = client.post(url, {"action": "make_public", "shown": "0", "confirm": "1"}, follow=True)
    assert "đã thay đổi từ khi bạn mở trang" in response.content.decode()
    response = client.post(url, {"action": "withdraw", "shown": "1", "confirm": "1"}, follow=True)
    assert "Đã thôi công khai" in response.content.decode() and not PublicCampaign.objects.exists()


def test_only_the_campaigns_administrators_may_make_it_public(client, two_years, users):
    url = reverse("public:manage", args=[two_years["current"].pk])
    client.force_login(users["reporter"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "make_public", "shown": "0", "confirm": "1"}).status_code == 403
    client.force_login(users["nobody"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    assert not PublicCampaign.objects.exists()


def test_manage_page_of_an_unpublished_campaign_says_publish_first(client, campaign, users):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("public:manage", args=[campaign.pk])).content.decode()
    assert "Hãy công bố kết quả trước" in html and 'name="action"' not in html
