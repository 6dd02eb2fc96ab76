from django.urls import reverse

from dti.review.models import ItemStatus, ReviewItem
from dti.submissions.models import State, Value


def item_url(campaign, indicator, code="so-a"):
    return reverse("review:item", args=[campaign.pk, code, indicator])


def test_review_page_shows_reported_values_and_evidence_request(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.get(reverse("review:detail", args=[campaign.pk, "so-a"])).content.decode()
    assert "Đơn vị báo cáo" in html and "Giá trị thẩm định" in html
    assert "Quyết định thành lập Ban chỉ đạo" in html


def test_reviewer_adjusts_value_with_reason(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    response = client.post(item_url(campaign, "1.2"), {"action": "adjust", "v:1.2.a": "2", "v:1.2.b": "4",
                                                       "reason": "Chỉ có 2 biên bản"})
    assert response.status_code == 302
    value = Value.objects.get(submission=submitted, field="1.2.a")
    assert (value.raw, value.verified_raw) == ("3", "2")


def test_adjust_without_reason_shows_message_and_saves_nothing(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.post(item_url(campaign, "1.2"), {"action": "adjust", "v:1.2.a": "2", "reason": ""}).content.decode()
    assert "Cần ghi lý do điều chỉnh" in html
    assert Value.objects.get(submission=submitted, field="1.2.a").verified_raw is None


def test_htmx_action_returns_the_indicator_fragment(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    response = client.post(item_url(campaign, "1.1"), {"action": "accept"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="r-1-1"' in html and "Chấp nhận" in html


def test_return_and_send_back(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    client.post(item_url(campaign, "1.2"), {"action": "return", "comment": "Bổ sung biên bản họp"})
    client.post(reverse("review:send_back", args=[campaign.pk, "so-a"]))
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED
    assert ReviewItem.objects.get(submission=submitted, indicator="1.2").status == ItemStatus.RETURNED
    client.force_login(users["reporter"])
    html = client.get(reverse("submissions:entry", args=[campaign.pk, "so-a"])).content.decode()
    assert "Bổ sung biên bản họp" in html and 'name="ans:1.2"' in html


def test_reviewer_cannot_approve_but_admin_can(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    assert client.post(reverse("review:approve", args=[campaign.pk, "so-a"])).status_code == 403
    client.force_login(users["assessment_admin"])
    client.post(reverse("review:approve", args=[campaign.pk, "so-a"]))
    submitted.refresh_from_db()
    assert submitted.state == State.APPROVED
