"""Two people on one form: a save carries what the page showed; nothing is overwritten silently."""

from django.urls import reverse

from dti.audit.models import AuditEvent
from dti.submissions.models import IndicatorNote, Value

from .conftest import GOOD


def entry_url(campaign, code="so-a"):
    return reverse("submissions:entry", args=[campaign.pk, code])


def form_of(client, campaign, code="so-a") -> dict:
    """Every field, status and note as the page shows it, with its hidden 'what I saw' twin."""
    from html.parser import HTMLParser

    data: dict[str, str] = {}

    class Form(HTMLParser):
        textarea = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "option":
                if "selected" in a and getattr(self, "select", None):
                    data[self.select] = a.get("value", "")
                return
            name = a.get("name") or ""
            if not name.startswith(("f:", "o:", "st:", "note:", "ans:")) or "disabled" in a:
                return
            if tag == "input" and a.get("type") == "radio":
                if "checked" in a:
                    data[name] = a.get("value", "")
            elif tag == "input":
                data[name] = a.get("value", "")
            elif tag == "select":
                self.select = name
                data.setdefault(name, "")
            elif tag == "textarea":
                self.textarea = name
                data[name] = ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, text):
            if self.textarea:
                data[self.textarea] += text

    Form().feed(client.get(entry_url(campaign, code)).content.decode())
    return data


def test_save_of_another_field_keeps_what_a_colleague_saved(client, users, campaign, submission, fill):
    """The reported lost update: A changes 1.2.a, B (page loaded before) changes 1.3 — 1.2.a stays A's."""
    fill(submission, {**GOOD, "1.2.a": "3"})
    client.force_login(users["leader"])
    page_b = form_of(client, campaign)
    client.force_login(users["reporter"])
    page_a = form_of(client, campaign)
    client.post(entry_url(campaign), {**page_a, "f:1.2.a": "2"})
    client.force_login(users["leader"])
    response = client.post(entry_url(campaign), {**page_b, "f:1.3.co": "0"})
    assert response.status_code == 302
    values = {v.field: v.raw for v in Value.objects.filter(submission=submission)}
    assert values == {**GOOD, "1.2.a": "2", "1.3.co": "0"}  # nothing else moved
    leader_events = AuditEvent.objects.filter(action="value.change", user=users["leader"])
    assert [(e.field, e.old, e.new) for e in leader_events] == [("1.3.co", "1", "0")]


def test_same_field_changed_by_both_is_a_conflict_shown_with_both_values(client, users, campaign, submission, fill):
    fill(submission, {**GOOD, "1.2.a": "3"})
    client.force_login(users["leader"])
    page_b = form_of(client, campaign)
    client.force_login(users["reporter"])
    client.post(entry_url(campaign), {**form_of(client, campaign), "f:1.2.a": "2"})
    client.force_login(users["leader"])
    response = client.post(entry_url(campaign), {**page_b, "f:1.2.a": "1", "f:1.2.b": "5"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "xung đột" in html and "bientap.so-a" in html and "“2”" in html
    assert 'name="f:1.2.a" value="1"' in html  # what the leader typed is still in the box
    assert 'name="o:f:1.2.a" value="2"' in html  # saving again keeps the leader's value, knowingly
    values = {v.field: v.raw for v in Value.objects.filter(submission=submission)}
    assert values["1.2.a"] == "2"  # not overwritten
    assert values["1.2.b"] == "5"  # the rest of the save went through


def test_saving_again_after_a_conflict_keeps_the_persons_choice(client, users, campaign, submission, fill):
    fill(submission, {**GOOD, "1.2.a": "3"})
    client.force_login(users["leader"])
    page_b = form_of(client, campaign)
    client.force_login(users["reporter"])
    client.post(entry_url(campaign), {**form_of(client, campaign), "f:1.2.a": "2"})
    client.force_login(users["leader"])
    client.post(entry_url(campaign), {**page_b, "f:1.2.a": "1"})
    response = client.post(entry_url(campaign), {**page_b, "f:1.2.a": "1", "o:f:1.2.a": "2"})
    assert response.status_code == 302
    assert Value.objects.get(submission=submission, field="1.2.a").raw == "1"


def test_both_typing_the_same_value_is_no_conflict(client, users, campaign, submission, fill):
    fill(submission, {**GOOD, "1.2.a": "3"})
    client.force_login(users["leader"])
    page_b = form_of(client, campaign)
    client.force_login(users["reporter"])
    client.post(entry_url(campaign), {**form_of(client, campaign), "f:1.2.a": "2"})
    client.force_login(users["leader"])
    assert client.post(entry_url(campaign), {**page_b, "f:1.2.a": "2"}).status_code == 302


def test_yes_no_shown_as_label_is_not_a_change(client, users, campaign, submission, fill):
    """'Có' imported and shown as the 'Có' radio posts '1': the same answer, no audit event."""
    fill(submission, {"1.3.co": "Có"})
    client.force_login(users["leader"])
    client.post(entry_url(campaign), form_of(client, campaign))
    assert Value.objects.get(submission=submission, field="1.3.co").raw == "Có"
    assert not AuditEvent.objects.filter(action="value.change", user=users["leader"]).exists()


def test_note_conflict_keeps_both_texts(client, users, campaign, submission):
    client.force_login(users["leader"])
    page_b = form_of(client, campaign)
    client.force_login(users["reporter"])
    client.post(entry_url(campaign), {**form_of(client, campaign), "note:1.1": "Theo Quyết định 12"})
    client.force_login(users["leader"])
    response = client.post(entry_url(campaign), {**page_b, "note:1.1": "Theo Quyết định 15"})
    assert response.status_code == 409
    assert "Theo Quyết định 15" in response.content.decode()
    assert IndicatorNote.objects.get(submission=submission, indicator="1.1").text == "Theo Quyết định 12"


def test_text_with_nul_byte_is_refused_beside_the_field_and_the_rest_saved(client, users, campaign, submission):
    client.force_login(users["reporter"])
    response = client.post(entry_url(campaign), {**form_of(client, campaign), "f:1.2.a": "1\x002",
                                                  "f:1.2.b": "4", "note:1.2": "ghi chú\x00"})
    assert response.status_code == 200
    html = response.content.decode()
    # Beside each field, and again in the error summary, which links to the field.
    assert html.count('class="error" id="f-1-2-a-err">Nội dung có ký tự rỗng (NUL)') == 1
    assert html.count('class="error" id="note-i-1-2-err">Nội dung có ký tự rỗng (NUL)') == 1
    assert html.count("ký tự rỗng (NUL)") == 4
    assert Value.objects.get(submission=submission, field="1.2.b").raw == "4"
    assert not Value.objects.filter(submission=submission, field="1.2.a").exists()
    assert 'name="f:1.2.a" value="12"' in html  # what was typed, minus the byte no one can see


def test_over_length_text_is_refused_with_its_length(client, users, campaign, submission):
    client.force_login(users["reporter"])
    response = client.post(entry_url(campaign), {**form_of(client, campaign), "note:1.2": "x" * 20000,
                                                  "f:1.2.b": "4"})
    assert "vượt quá giới hạn 10.000 ký tự" in response.content.decode()
    assert Value.objects.get(submission=submission, field="1.2.b").raw == "4"
    assert not IndicatorNote.objects.filter(submission=submission, indicator="1.2").exists()


def test_control_characters_in_a_value_are_refused(client, users, campaign, submission):
    client.force_login(users["reporter"])
    html = client.post(entry_url(campaign), {**form_of(client, campaign), "f:1.2.a": "3\x1b[0m"}).content.decode()
    assert "ký tự điều khiển" in html


def test_save_after_the_leader_approved_stores_nothing_and_says_so(client, users, campaign, submission, fill):
    from dti.submissions.services import approve_by_leader

    fill(submission)
    client.force_login(users["reporter"])
    page = form_of(client, campaign)
    approve_by_leader(submission, user=users["leader"])
    response = client.post(entry_url(campaign), {**page, "f:1.2.a": "1"}, follow=True)
    html = response.content.decode()
    assert "lãnh đạo cần hủy duyệt" in html
    assert "Giá trị bạn đã nhập (chưa lưu): Số cuộc họp có Giám đốc chủ trì: 1" in html
    assert Value.objects.get(submission=submission, field="1.2.a").raw == "3"


def test_leader_cannot_approve_figures_saved_after_the_page_was_loaded(client, users, campaign, submission, fill):
    from dti.submissions import workflow

    fill(submission)
    submission.refresh_from_db()
    seen = workflow.revision(submission)
    fill(submission, {**GOOD, "1.2.a": "1"})
    client.force_login(users["leader"])
    response = client.post(reverse("submissions:approve", args=[campaign.pk, "so-a"]),
                           {"state": "draft", "revision": seen}, follow=True)
    assert "đã được lưu lại sau khi bạn mở trang" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == "draft"
