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


def test_stale_review_page_cannot_return_an_approved_file(client, users, campaign, submitted):
    """The reviewer's page was loaded while the file was under review; the admin approved since."""
    from dti.review.services import accept_item, approve

    accept_item(submitted, "1.1", user=users["reviewer"])
    approve(submitted, user=users["assessment_admin"])
    client.force_login(users["reviewer"])
    response = client.post(item_url(campaign, "1.2"), {"action": "return", "comment": "Bổ sung",
                                                       "state": "under_review", "seen": ""})
    assert response.status_code == 409
    assert "Bổ sung" in response.content.decode()  # what the reviewer typed is still there
    client.post(reverse("review:send_back", args=[campaign.pk, "so-a"]), {"state": "under_review"})
    submitted.refresh_from_db()
    assert submitted.state == State.APPROVED
    assert ReviewItem.objects.get(submission=submitted, indicator="1.2").status == ItemStatus.ACCEPTED


def test_second_reviewer_on_the_same_item_is_told_instead_of_overwriting(client, users, campaign, submitted,
                                                                         make_user):
    from dti.review.services import adjust_item

    adjust_item(submitted, "1.2", user=users["reviewer"], verified={"1.2.a": "2"}, reason="2 biên bản")
    client.force_login(make_user("thamdinh2", "reviewer", campaign=campaign))
    response = client.post(item_url(campaign, "1.2"), {"action": "accept", "seen": "", "state": "under_review"})
    assert "vừa được thamdinh thẩm định" in response.content.decode()
    assert ReviewItem.objects.get(submission=submitted, indicator="1.2").status == ItemStatus.ADJUSTED
    assert Value.objects.get(submission=submitted, field="1.2.a").verified_raw == "2"


def test_reviewer_keeps_adjusted_values_when_the_reason_is_missing(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.post(item_url(campaign, "1.2"), {"action": "adjust", "v:1.2.a": "1", "reason": ""}).content.decode()
    assert 'name="v:1.2.a" value="1"' in html


def test_reason_with_nul_byte_is_refused_beside_the_field(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.post(item_url(campaign, "1.2"), {"action": "adjust", "v:1.2.a": "2",
                                                   "reason": "lý do\x00"}).content.decode()
    assert "ký tự rỗng (NUL)" in html
    assert Value.objects.get(submission=submitted, field="1.2.a").verified_raw is None


def test_double_click_on_send_back_sends_back_once(client, users, campaign, submitted):
    from dti.audit.models import AuditEvent

    client.force_login(users["reviewer"])
    client.post(item_url(campaign, "1.2"), {"action": "return", "comment": "Bổ sung biên bản"})
    for _ in range(2):
        client.post(reverse("review:send_back", args=[campaign.pk, "so-a"]), {"state": "under_review"})
    assert AuditEvent.objects.filter(submission_id=submitted.pk, action="submission.state", new="returned").count() == 1
