
from django.urls import reverse

from dti.submissions.models import State, Value

from .conftest import GOOD


def entry_url(campaign, code="so-a"):
    return reverse("submissions:entry", args=[campaign.pk, code])


def post_values(values):
    return {f"f:{k}": v for k, v in values.items()}


def test_form_shows_general_info_then_indicators_with_method_and_units(client, users, campaign):
    client.force_login(users["reporter"])
    html = client.get(entry_url(campaign)).content.decode()
    assert "Thông tin chung" in html
    assert html.index("Thông tin chung") < html.index("Người đứng đầu là Trưởng ban")
    assert "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa" in html
    assert "cuộc họp" in html and "Quyết định thành lập Ban chỉ đạo" in html
    assert 'name="f:1.2.a"' in html and 'name="ev:1.1"' in html


def test_reporter_saves_draft(client, users, campaign, submission):
    client.force_login(users["reporter"])
    response = client.post(entry_url(campaign), post_values(GOOD))
    assert response.status_code == 302
    assert Value.objects.get(submission=submission, field="1.2.b").number == 4


def test_invalid_input_is_rerendered_with_message_beside_field(client, users, campaign, submission):
    client.force_login(users["reporter"])
    client.post(entry_url(campaign), post_values({"1.2.a": "ba cuộc", "1.2.b": "4"}))
    html = client.get(entry_url(campaign)).content.decode()
    assert 'value="ba cuộc"' in html
    assert "không phải là số" in html
    assert 'aria-invalid="true"' in html
    assert Value.objects.get(submission=submission, field="1.2.b").raw == "4"


def test_viewer_cannot_save(client, users, campaign):
    client.force_login(users["viewer"])
    assert client.get(entry_url(campaign)).status_code == 200
    assert client.post(entry_url(campaign), post_values(GOOD)).status_code == 403


def test_reporter_cannot_edit_other_unit(client, users, campaign):
    client.force_login(users["reporter"])
    assert client.get(entry_url(campaign, "so-b")).status_code == 404
    assert client.post(entry_url(campaign, "so-b"), post_values(GOOD)).status_code == 404


def test_entry_after_deadline_refused_by_server(client, users, campaign, submission):
    campaign.entry_deadline = campaign.period_start
    campaign.save()
    client.force_login(users["reporter"])
    response = client.post(entry_url(campaign), post_values(GOOD), follow=True)
    assert "quá hạn" in response.content.decode()
    assert not Value.objects.filter(submission=submission).exists()


def test_preview_returns_indicator_score_and_explanation(client, users, campaign):
    client.force_login(users["reporter"])
    url = reverse("submissions:preview", args=[campaign.pk, "so-a", "1.2"])
    html = client.post(url, {"f:1.2.a": "1", "f:1.2.b": "4"}, HTTP_HX_REQUEST="true").content.decode()
    assert "2,5 / 10" in html
    assert "Số cuộc họp có Giám đốc chủ trì = 1, Tổng số cuộc họp = 4" in html


def test_preview_reports_constraint_problem(client, users, campaign):
    client.force_login(users["reporter"])
    url = reverse("submissions:preview", args=[campaign.pk, "so-a", "1.2"])
    html = client.post(url, {"f:1.2.a": "5", "f:1.2.b": "4"}).content.decode()
    assert "không thể lớn hơn tổng số cuộc họp" in html


def test_preview_relative_rule_uses_other_units_saved_data(client, users, campaign, fill):
    from .conftest import sub

    fill(sub(campaign, "so-b"), {"2.1.a": "200"}, user=users["reporter_b"])
    client.force_login(users["reporter"])
    url = reverse("submissions:preview", args=[campaign.pk, "so-a", "2.1"])
    html = client.post(url, {"f:2.1.a": "100"}).content.decode()
    assert "10 / 20" in html


def test_preview_of_a_relative_rule_does_not_name_another_units_figure(client, users, campaign, fill):
    """so-b's unpublished 200 decides so-a's points; the unit sees the points, not the 200."""
    from .conftest import sub

    fill(sub(campaign, "so-b"), {"2.1.a": "200"}, user=users["reporter_b"])
    client.force_login(users["reporter"])
    url = reverse("submissions:preview", args=[campaign.pk, "so-a", "2.1"])
    html = client.post(url, {"f:2.1.a": "100"}).content.decode()
    assert "Chấm so với các đơn vị cùng nhóm" in html and "200" not in html


def test_entry_form_explanation_of_a_relative_rule_names_no_other_unit(client, users, campaign, fill):
    from .conftest import sub

    fill(sub(campaign, "so-b"), {"2.1.a": "200"}, user=users["reporter_b"])
    fill(sub(campaign, "so-a"), {"2.1.a": "100"})
    client.force_login(users["reporter"])
    html = client.get(reverse("submissions:entry", args=[campaign.pk, "so-a"])).content.decode()
    row = html.split('id="pv-i-2-1"')[1].split("</div>")[0]  # the indicator's preview box
    assert "Chấm so với các đơn vị cùng nhóm" in row and "200" not in row
    client.force_login(users["assessment_admin"])  # the lead agency sees the comparison
    html = client.get(reverse("submissions:entry", args=[campaign.pk, "so-a"])).content.decode()
    assert "Chấm so với các đơn vị cùng nhóm" not in html


def test_leader_approves_and_reporter_submits(client, users, campaign, submission, fill):
    fill(submission)
    client.force_login(users["leader"])
    client.post(reverse("submissions:approve", args=[campaign.pk, "so-a"]))
    submission.refresh_from_db()
    assert submission.state == State.APPROVED_BY_LEADER
    client.force_login(users["reporter"])
    client.post(reverse("submissions:submit", args=[campaign.pk, "so-a"]))
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED


def test_reporter_cannot_approve_as_leader(client, users, campaign, submission, fill):
    fill(submission)
    client.force_login(users["reporter"])
    assert client.post(reverse("submissions:approve", args=[campaign.pk, "so-a"])).status_code == 403


def test_locked_form_has_no_save_button(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    html = client.get(entry_url(campaign)).content.decode()
    assert "Lưu nháp" not in html
    assert "disabled" in html


def test_completeness_bar_counts_filled_indicators(client, users, campaign, submission, fill):
    fill(submission, {"1.3.co": "1", "1.2.a": "1"})
    client.force_login(users["reporter"])
    html = client.get(entry_url(campaign)).content.decode()
    assert "Đã nhập 1/4 chỉ số" in html


def test_saved_draft_redirects_to_the_indicator_anchor(client, users, campaign):
    client.force_login(users["reporter"])
    response = client.post(entry_url(campaign), {**post_values(GOOD), "anchor": "i-1-2"})
    assert response["Location"].endswith("#i-1-2")


def test_english_form_says_value_errors_in_english(client, users, campaign, submission, fill):
    from django.conf import settings

    fill(submission, {"1.2.a": "abc", "1.2.b": "4"})
    client.force_login(users["reporter"])
    url = reverse("submissions:entry", args=[campaign.pk, "so-a"])
    assert "&#x27;abc&#x27; không phải là số" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert "&#x27;abc&#x27; is not a number" in html and "không phải là số" not in html
