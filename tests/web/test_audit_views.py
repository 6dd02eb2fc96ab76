"""The audit trail of a submission: in words, filterable by indicator, person and date, exportable as XLSX."""

import datetime as dt
import io

from django.urls import reverse


def _named(user, full_name):
    user.first_name = full_name  # the whole name, as load_demo and the people pages keep it
    user.save()
    return user


def _trail(client, campaign, **params):
    return client.get(reverse("audit:trail", args=[campaign.pk, "so-a"]), params)


def test_value_change_reads_as_a_sentence_with_full_name_and_label(client, users, campaign, submission, fill):
    _named(users["reporter"], "Nguyễn Văn A")
    fill(submission, {"1.2.a": "7"})
    fill(submission, {"1.2.a": "5"})
    client.force_login(users["viewer"])
    html = _trail(client, campaign).content.decode()
    assert "Nguyễn Văn A đổi <em>Số cuộc họp có Giám đốc chủ trì (a)</em> của chỉ số 1.2 từ 7 thành 5 lúc" in html
    assert "bientap.so-a" not in html


def test_choice_values_show_their_option_labels(client, users, campaign, submission, fill):
    fill(submission, {"1.1.truong_ban": "giam_doc"})
    client.force_login(users["reporter"])
    html = _trail(client, campaign).content.decode()
    assert "Giám đốc" in html and "giam_doc" not in html


def test_states_and_statuses_in_words(client, users, campaign, submitted):
    from dti.review.services import return_item

    from .conftest import sub

    return_item(sub(campaign, "so-a"), "1.2", user=users["reviewer"], comment="Thiếu biên bản họp")
    client.force_login(users["assessment_admin"])
    html = _trail(client, campaign).content.decode()
    assert "«Lãnh đạo đã duyệt» sang «Đã gửi»" in html
    assert "trả lại chỉ số 1.2 để bổ sung" in html and "lý do: Thiếu biên bản họp" in html
    assert "approved_by_leader" not in html and "pending" not in html and "returned" not in html.replace(
        'data-action="review.return"', "")


def test_english_page_says_it_in_english(client, users, campaign, submission, fill):
    fill(submission, {"1.2.a": "7"})
    fill(submission, {"1.2.a": "5"})
    client.force_login(users["reporter"])
    client.cookies["django_language"] = "en"
    html = _trail(client, campaign).content.decode()
    assert "changed <em>Số cuộc họp có Giám đốc chủ trì (a)</em> of indicator 1.2 from 7 to 5 at" in html


def test_filter_by_indicator(client, users, campaign, submission, fill):
    fill(submission, {"1.2.a": "3", "1.3.co": "1"})
    client.force_login(users["viewer"])
    html = _trail(client, campaign, indicator="1.2").content.decode()
    assert "chỉ số 1.2" in html and "chỉ số 1.3:" not in html


def test_htmx_partial_for_one_indicator(client, users, campaign, submission, fill):
    fill(submission, {"1.2.a": "3", "1.3.co": "1"})
    client.force_login(users["viewer"])
    url = reverse("audit:trail", args=[campaign.pk, "so-a"]) + "?indicator=1.2"
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "chỉ số 1.2: 3" in html and "1.3" not in html


def test_filter_by_person(client, users, campaign, submission, fill):
    _named(users["leader"], "Trần Thị B")
    fill(submission, {"1.2.a": "3"})
    fill(submission, {"1.2.b": "4"}, user=users["leader"])
    client.force_login(users["viewer"])
    html = _trail(client, campaign, person=str(users["leader"].pk)).content.decode()
    assert "Trần Thị B nhập" in html and "bientap.so-a nhập" not in html


def test_person_outside_the_trail_gets_a_message_and_no_filter(client, users, campaign, submission, fill):
    fill(submission, {"1.2.a": "3"})
    client.force_login(users["viewer"])
    response = _trail(client, campaign, person=str(users["reporter_b"].pk))
    html = response.content.decode()
    assert response.status_code == 200 and "Không có người này trong nhật ký" in html and "nhập" in html


def test_filter_by_date_range(client, users, campaign, submission, fill):
    from dti.audit.models import AuditEvent

    fill(submission, {"1.2.a": "3"})
    fill(submission, {"1.2.b": "4"})
    old = AuditEvent.objects.get(field="1.2.a")
    AuditEvent.objects.filter(pk=old.pk).update(at=old.at - dt.timedelta(days=40))
    client.force_login(users["viewer"])
    since = (old.at - dt.timedelta(days=41)).date()  # old.at is as read, before it was moved back
    html = _trail(client, campaign, **{"from": since.strftime("%d/%m/%Y"),
                                       "to": (since + dt.timedelta(days=5)).isoformat()}).content.decode()
    assert "(a)</em>" in html and "(b)</em>" not in html


def test_bad_dates_get_messages_not_errors(client, users, campaign, submission, fill):
    fill(submission, {"1.2.a": "3"})
    client.force_login(users["viewer"])
    response = _trail(client, campaign, **{"from": "31/02/2026", "to": "x\x00"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "không phải một ngày" in html and "ký tự rỗng (NUL)" in html


def test_end_before_start_is_refused_with_a_message(client, users, campaign, submission):
    client.force_login(users["viewer"])
    html = _trail(client, campaign, **{"from": "2026-11-29", "to": "2026-11-01"}).content.decode()
    assert "Ngày kết thúc trước ngày bắt đầu" in html


def test_indicator_filter_with_nul_byte_gets_a_message_not_an_error(client, users, campaign, submission):
    client.force_login(users["reporter"])
    response = _trail(client, campaign, indicator="1.2\x00")
    assert response.status_code == 200
    assert "ký tự rỗng (NUL)" in response.content.decode()


def test_other_units_trail_is_404(client, users, campaign, submission):
    client.force_login(users["reporter_b"])
    assert _trail(client, campaign).status_code == 404
    assert client.get(reverse("audit:export", args=[campaign.pk, "so-a"])).status_code == 404


def test_export_is_an_xlsx_with_headers_and_real_dates(client, users, campaign, submission, fill):
    from openpyxl import load_workbook

    _named(users["reporter"], "Nguyễn Văn A")
    fill(submission, {"1.2.a": "=HYPERLINK(1)", "1.3.co": "1"})
    client.force_login(users["viewer"])
    response = client.get(reverse("audit:export", args=[campaign.pk, "so-a"]), {"indicator": "1.2"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == ("Thời gian", "Người thực hiện", "Thao tác", "Chỉ số", "Trường")
    assert len(rows) == 3  # title, headers, the one change of 1.2
    at, who, action, code, field, old, new = rows[2][:7]
    assert isinstance(at, dt.datetime) and sheet.cell(row=3, column=1).number_format == "dd/mm/yyyy hh:mm"
    assert (who, action, code, field, new) == ("Nguyễn Văn A", "Sửa số liệu", "1.2",
                                               "Số cuộc họp có Giám đốc chủ trì (a)", "=HYPERLINK(1)")
    assert sheet.cell(row=3, column=7).data_type == "s"  # text, never a formula


def test_ranking_group_with_nul_byte_is_not_a_server_error(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    response = client.get(reverse("results:ranking", args=[campaign.pk]), {"group": "Sở\x00"})
    assert response.status_code in (200, 404)


def test_indicator_numbers_as_the_document_prints_them(db):
    from types import SimpleNamespace

    from dti.audit.selectors import Words
    from dti.methodologies.services import create_version

    from .conftest import FRAMEWORK_YAML

    text = FRAMEWORK_YAML.replace('  - code: "1"\n    name: Nhận thức số\n',
                                  '  - code: "1"\n    name: Nhận thức số\n    meta: {stt: I}\n')
    text = text.replace('      - code: "1.2"\n', '      - code: "1.2"\n        meta: {stt: "2"}\n')
    words = Words(SimpleNamespace(campaign=SimpleNamespace(framework=create_version(text))))
    assert words.printed_code("1.2") == "I.2"
    assert words.printed_code("1.3") == "1.3"  # no stt: the code is what the document prints
