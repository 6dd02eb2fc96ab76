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


# ----------------------------------------------------------------- what the reviewer typed, on every refused path


def detail_url(campaign, code="so-a", query=""):
    return reverse("review:detail", args=[campaign.pk, code]) + query


def test_adjust_without_reason_keeps_value_and_comment_over_htmx(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.post(item_url(campaign, "1.2"), {"action": "adjust", "v:1.2.a": "1", "v:1.2.b": "4", "reason": "",
                                                   "comment": "Xem lại biên bản"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="v:1.2.a" value="1"' in html and "Xem lại biên bản</textarea>" in html
    assert "Cần ghi lý do điều chỉnh" in html
    assert "data-unsaved data-dirty" in html  # leaving the page now warns


def test_return_without_comment_keeps_the_typed_reason_and_choice(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.post(item_url(campaign, "1.1"), {"action": "return", "v:1.1.truong_ban": "khac",
                                                   "reason": "Quyết định ký bởi Phó Giám đốc"}).content.decode()
    assert '<option value="khac" selected>' in html
    assert "Quyết định ký bởi Phó Giám đốc</textarea>" in html


def test_invalid_adjusted_value_is_kept_with_its_message(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.post(item_url(campaign, "1.2"), {"action": "adjust", "v:1.2.a": "hai", "v:1.2.b": "4",
                                                   "reason": "Chỉ có 2 biên bản"}).content.decode()
    assert 'name="v:1.2.a" value="hai"' in html and "Chỉ có 2 biên bản</textarea>" in html


def test_refused_action_on_an_approved_file_lists_the_typed_values(client, users, campaign, submitted):
    from dti.review.services import approve

    approve(submitted, user=users["assessment_admin"])
    client.force_login(users["reviewer"])
    response = client.post(item_url(campaign, "1.2"), {"action": "adjust", "v:1.2.a": "1", "reason": "Chỉ 1 biên bản",
                                                       "state": "under_review"})
    assert response.status_code == 409
    assert "Số cuộc họp có Giám đốc chủ trì: 1;" in response.content.decode()


# ----------------------------------------------------------------- status filter and "accept all remaining"


def test_status_filter_shows_only_items_in_that_state(client, users, campaign, submitted):
    from dti.review.services import accept_item

    accept_item(submitted, "1.1", user=users["reviewer"])
    client.force_login(users["reviewer"])
    html = client.get(detail_url(campaign, query="?status=accepted")).content.decode()
    assert 'id="r-1-1"' in html and 'id="r-1-2"' not in html and 'id="r-2-1"' not in html
    assert "Dịch vụ công trực tuyến" not in html.split('class="review-tools"')[1]  # its heading has no item left
    html = client.get(detail_url(campaign, query="?status=pending")).content.decode()
    assert 'id="r-1-1"' not in html and 'id="r-1-2"' in html and 'id="r-2-1"' in html
    assert "Chấp nhận (1)" in html and "Chưa thẩm định (3)" in html


def test_unknown_status_filter_shows_everything_with_a_message(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.get(detail_url(campaign, query="?status=xyz")).content.decode()
    assert "Không có trạng thái “xyz”" in html and 'id="r-1-1"' in html and 'id="r-2-1"' in html


def remaining_form(html: str) -> dict:
    import re

    form = html[html.index('name="filter"', html.index("accept-remaining")) - 200:]
    form = form[:form.index("</form>")]
    data = {"state": re.search(r'name="state" value="([^"]*)"', form).group(1), "item": []}
    for code in re.findall(r'name="item" value="([^"]*)"', form):
        data["item"].append(code)
        data[f"seen:{code}"] = re.search(rf'name="seen:{re.escape(code)}" value="([^"]*)"', form).group(1)
    return data


def test_accept_remaining_accepts_the_undecided_items_and_says_how_many(client, users, campaign, submitted):
    from dti.review.services import return_item

    return_item(submitted, "1.2", user=users["reviewer"], comment="Bổ sung")
    client.force_login(users["reviewer"])
    html = client.get(detail_url(campaign)).content.decode()
    assert "Chấp nhận 3 chỉ số còn lại" in html and "data-confirm=" in html
    response = client.post(reverse("review:accept_remaining", args=[campaign.pk, "so-a"]), remaining_form(html),
                           follow=True)
    statuses = dict(ReviewItem.objects.filter(submission=submitted).values_list("indicator", "status"))
    assert statuses == {"1.1": "accepted", "1.2": "returned", "1.3": "accepted", "2.1": "accepted"}
    assert "Đã chấp nhận 3 chỉ số còn lại." in response.content.decode()


def test_accept_remaining_skips_items_another_reviewer_decided_meanwhile(client, users, campaign, submitted,
                                                                          make_user):
    from dti.review.services import adjust_item

    client.force_login(users["reviewer"])
    data = remaining_form(client.get(detail_url(campaign)).content.decode())
    adjust_item(submitted, "1.2", user=make_user("thamdinh2", "reviewer", campaign=campaign), verified={"1.2.a": "2"},
                reason="2 biên bản")
    html = client.post(reverse("review:accept_remaining", args=[campaign.pk, "so-a"]), data,
                       follow=True).content.decode()
    assert "Đã chấp nhận 3 chỉ số còn lại." in html
    assert "Bỏ qua 1 chỉ số" in html and "1.2 (Điều chỉnh, thamdinh2)" in html
    item = ReviewItem.objects.get(submission=submitted, indicator="1.2")
    assert item.status == ItemStatus.ADJUSTED
    assert Value.objects.get(submission=submitted, field="1.2.a").verified_raw == "2"


def test_accept_remaining_from_a_stale_page_changes_nothing(client, users, campaign, submitted):
    from dti.review.services import accept_item, approve

    client.force_login(users["reviewer"])
    data = remaining_form(client.get(detail_url(campaign)).content.decode())
    accept_item(submitted, "1.1", user=users["reviewer"])
    approve(submitted, user=users["assessment_admin"])
    before = dict(ReviewItem.objects.filter(submission=submitted).values_list("indicator", "status"))
    html = client.post(reverse("review:accept_remaining", args=[campaign.pk, "so-a"]), data,
                       follow=True).content.decode()
    assert "Đã chấp nhận" not in html
    assert dict(ReviewItem.objects.filter(submission=submitted).values_list("indicator", "status")) == before


def test_accept_remaining_needs_a_reviewer(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    response = client.post(reverse("review:accept_remaining", args=[campaign.pk, "so-a"]),
                           {"item": ["1.1"], "seen:1.1": ""})
    assert response.status_code == 403
    assert not ReviewItem.objects.filter(submission=submitted).exists()


def test_accept_remaining_is_audited_per_item(client, users, campaign, submitted):
    from dti.audit.models import AuditEvent

    client.force_login(users["reviewer"])
    data = remaining_form(client.get(detail_url(campaign)).content.decode())
    client.post(reverse("review:accept_remaining", args=[campaign.pk, "so-a"]), data)
    events = AuditEvent.objects.filter(submission_id=submitted.pk, action="review.accept")
    assert sorted(events.values_list("indicator", flat=True)) == ["1.1", "1.2", "1.3", "2.1"]
    assert set(events.values_list("reason", flat=True)) == {"chấp nhận tất cả chỉ số còn lại"}


def test_refused_action_shows_its_message_beside_that_item_only(client, users, campaign, submitted):
    client.force_login(users["reviewer"])
    html = client.post(item_url(campaign, "1.2"), {"action": "adjust", "v:1.2.a": "2", "reason": ""}).content.decode()
    assert html.count("Cần ghi lý do điều chỉnh") == 1
    assert 'aria-describedby="reason-i-1-2-err"' in html and 'id="reason-i-1-2-err"' in html


def test_a_reviewer_of_one_unit_does_not_see_other_units_figures_in_explanations(client, make_user, units, users,
                                                                                  campaign, submitted):
    """2.1 is scored against the group's best: so-a's 100. A reviewer of so-b alone is told how it is
    scored, not so-a's figure; the campaign's reviewer (lead agency) sees the comparison."""
    def item_21(user):
        client.force_login(user)
        html = client.get(reverse("review:detail", args=[campaign.pk, "so-b"])).content.decode()
        return html.split('id="r-2-1"')[1].split("</article>")[0]

    scoped = make_user("thamdinh.so-b", "reviewer", campaign=campaign, units=[units["so-b"]])
    shown = item_21(scoped)
    assert "Chấm so với các đơn vị cùng nhóm" in shown and "100" not in shown
    assert "100" in item_21(users["reviewer"])
