"""A unit's entry workbook: download, fill with openpyxl, upload, preview, confirm — the form's
checks, its conflicts and its permissions, with every bad workbook named at its cell."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dti.submissions.models import Value
from tests.engine.workbook_helpers import cell_of, with_rows
from tests.engine.workbook_helpers import fill as type_in

from .conftest import GOOD, sub

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page(campaign, code="so-a"):
    return reverse("excel:unit", args=[campaign.pk, code])


def download(client, campaign, code="so-a") -> bytes:
    response = client.get(reverse("excel:unit_template", args=[campaign.pk, code]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return response.content


def upload(client, campaign, content, code="so-a", name="mau.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(page(campaign, code), {"file": file})


def confirm(client, campaign, preview_response, code="so-a"):
    context = preview_response.context
    return client.post(page(campaign, code), {"token": context["token"], "digest": context["preview"].digest})


def stored(submission) -> dict[str, str]:
    return dict(Value.objects.filter(submission=submission).values_list("field", "raw"))


@pytest.fixture
def reporter(client, users):
    client.force_login(users["reporter"])
    return client


def typed_good(unit="so-a"):
    """GOOD as a person types it into the workbook: numbers as numbers, choices by their label."""
    return {(unit, "info.so_cong_chuc"): 1234, (unit, "1.1.truong_ban"): "Giám đốc", (unit, "1.2.a"): 3,
            (unit, "1.2.b"): 4, (unit, "1.3.co"): "Có", (unit, "2.1.a"): 100}


def test_round_trip_gives_the_same_values_and_scores_as_the_form(reporter, users, campaign):
    from dti.results.selectors import scorecard
    from dti.submissions.services import save_entry

    preview = upload(reporter, campaign, type_in(download(reporter, campaign), typed_good()))
    assert preview.status_code == 200 and preview.context["preview"].change_count == 6
    done = confirm(reporter, campaign, preview)
    assert done.status_code == 200 and done.context["outcomes"][0].changed == 6
    # the same data through the form's service, for so-b
    save_entry(sub(campaign, "so-b"), user=users["reporter_b"], values=GOOD)
    a, b = (Value.objects.filter(submission=sub(campaign, code)) for code in ("so-a", "so-b"))
    assert {v.field: v.number for v in a} == {v.field: v.number for v in b}
    assert not Value.objects.exclude(error="").exists()
    assert scorecard(campaign, "so-a").self_total == scorecard(campaign, "so-b").self_total == 47.5


def test_preview_names_each_change_and_saves_nothing_before_confirmation(reporter, campaign, submission, fill):
    fill(submission, {"1.2.a": "2", "1.2.b": "4"})
    content = type_in(download(reporter, campaign), {("so-a", "1.2.a"): 3, ("so-a", "1.1.truong_ban"): "Phó Giám đốc"})
    response = upload(reporter, campaign, content)
    html = response.content.decode()
    changes = {c.label: (c.old, c.new, c.ref) for c in response.context["preview"].units[0].changes}
    assert changes == {"Số cuộc họp có Giám đốc chủ trì": ("2", "3", "Trụ cột 1!F6"),
                       "Trưởng ban Ban chỉ đạo": ("", "Phó Giám đốc", "Trụ cột 1!F4")}
    assert "Trụ cột 1!F6" in html and "Phó Giám đốc" in html
    assert stored(submission) == {"1.2.a": "2", "1.2.b": "4"}


def test_unchanged_cells_do_not_count_as_changes(reporter, campaign, submission, fill):
    fill(submission, {**GOOD})  # '1.234' stored, shown as the number 1234
    response = upload(reporter, campaign, download(reporter, campaign))
    assert response.context["preview"].change_count == 0
    assert "không có thay đổi" in response.content.decode()


@pytest.mark.parametrize(("value", "name", "words"), [
    ("nhiều", "1.2.a", "không phải là số"),
    ("Chủ tịch", "1.1.truong_ban", "không thuộc các lựa chọn"),
    ("=1+2", "1.2.a", "công thức"),
    (2.5, "1.2.a", "số nguyên"),
    (-3, "2.1.a", "nhỏ hơn mức tối thiểu"),
    ("Có lẽ", "1.3.co", "không phải Có/Không"),
])
def test_bad_cells_are_named_and_nothing_is_saved(reporter, campaign, submission, value, name, words):
    content = download(reporter, campaign)
    ref = cell_of(content, "so-a", name)
    response = upload(reporter, campaign, type_in(content, {("so-a", name): value, ("so-a", "2.1.a"): 7}
                                               if name != "2.1.a" else {("so-a", name): value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert ref in html and words in html and "chưa lưu gì" in html
    assert "token" not in response.context or not response.context["token"]
    assert stored(submission) == {}


@pytest.mark.parametrize(("spoil", "words"), [
    (lambda c: type_in(c, {}, change=lambda book: book.create_sheet("Nháp")), "Trang “Nháp” không có trong mẫu"),
    (lambda c: type_in(c, {}, change=lambda book: book.remove(book["Trụ cột 2"])), "Thiếu trang “Trụ cột 2”"),
    (lambda c: type_in(c, {("so-a", "1.2.a"): 3}, change=lambda book: book["Trụ cột 1"].merge_cells("F6:F7")),
     "Trụ cột 1!F6:F7"),
    (lambda c: with_rows(c, "Trụ cột 1", 50_000), "ngoài mẫu"),
])
def test_spoiled_workbooks_are_refused_with_a_precise_message(reporter, campaign, submission, spoil, words):
    response = upload(reporter, campaign, spoil(download(reporter, campaign)))
    assert response.status_code == 400 and words in response.content.decode()
    assert stored(submission) == {}


@pytest.mark.parametrize(("content", "name", "words"), [
    (b"%PDF-1.7\n...", "mau.xlsx", "không phải tệp Excel"),
    (None, "mau.xlsx", "không phải tệp Excel"),  # truncated
    (b"unit,field,value\n", "mau.csv", "Chỉ nhận tệp Excel .xlsx"),
])
def test_files_that_are_not_workbooks_get_a_message_not_a_500(reporter, campaign, submission, content, name, words):
    if content is None:
        whole = download(reporter, campaign)
        content = whole[: len(whole) * 2 // 3]
    response = upload(reporter, campaign, content, name=name)
    assert response.status_code == 400 and words in response.context["file_error"]
    assert stored(submission) == {}


def test_a_workbook_of_another_campaign_is_refused(reporter, campaign, submission):
    content = download(reporter, campaign)

    def other(book):
        book["_dti"]["F1"].value = "campaign:999999"  # the campaign the workbook was made for

    response = upload(reporter, campaign, type_in(content, {}, change=other))
    assert response.status_code == 400 and "đợt đánh giá khác" in response.context["file_error"]


def test_value_changed_by_somebody_else_since_download_is_a_conflict_not_overwritten(
        client, users, campaign, submission, fill):
    client.force_login(users["reporter"])
    fill(submission, {"1.2.a": "2"})
    content = download(client, campaign)
    fill(submission, {"1.2.a": "5", "1.2.b": "9"}, user=users["leader"], originals={"f:1.2.a": "2", "f:1.2.b": ""})
    response = upload(client, campaign, type_in(content, {("so-a", "1.2.a"): 3, ("so-a", "1.3.co"): "Có"}))
    change = next(c for c in response.context["preview"].units[0].changes if c.ref == "Trụ cột 1!F6")
    assert change.has_conflict and change.conflict == "5"
    done = confirm(client, campaign, response)
    assert done.status_code == 409
    outcome = done.context["outcomes"][0]
    assert outcome.changed == 1 and outcome.conflicts[0][:3] == ("Số cuộc họp có Giám đốc chủ trì", "3", "5")
    # the leader's values stay; the cell nobody touched in the workbook (1.2.b) is not blanked
    assert stored(submission) == {"1.2.a": "5", "1.2.b": "9", "1.3.co": "Có"}


def test_confirmation_after_the_leader_approved_saves_nothing(client, users, campaign, submission, fill):
    from dti.submissions.services import approve_by_leader

    client.force_login(users["reporter"])
    response = upload(client, campaign, type_in(download(client, campaign), {("so-a", "1.2.a"): 3}))
    fill(submission, {"1.2.b": "4"})
    approve_by_leader(submission, user=users["leader"])
    done = confirm(client, campaign, response)
    assert done.status_code == 403 and "lãnh đạo duyệt" in done.content.decode()
    assert stored(submission) == {"1.2.b": "4"}


def test_another_units_workbook_answers_404(client, users, campaign):
    client.force_login(users["reporter_b"])
    assert client.get(reverse("excel:unit_template", args=[campaign.pk, "so-a"])).status_code == 404
    assert client.get(page(campaign, "so-a")).status_code == 404
    assert client.post(page(campaign, "so-a"), {}).status_code == 404


def test_a_viewer_may_not_enter_data_from_excel(client, users, campaign):
    client.force_login(users["viewer"])
    assert client.get(reverse("excel:unit_template", args=[campaign.pk, "so-a"])).status_code == 403


def test_a_submitted_file_cannot_be_downloaded_for_entry_or_uploaded(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    response = client.get(reverse("excel:unit_template", args=[campaign.pk, "so-a"]))
    assert response.status_code == 302
    response = client.get(page(campaign))
    assert response.status_code == 403 and "khóa" in response.content.decode()


def test_entry_page_links_to_excel_when_the_unit_may_edit(reporter, campaign):
    html = reporter.get(reverse("submissions:entry", args=[campaign.pk, "so-a"])).content.decode()
    assert page(campaign) in html


def test_downloaded_workbook_shows_the_values_as_stored(reporter, campaign, submission, fill):
    fill(submission)
    book = load_workbook(io.BytesIO(download(reporter, campaign)))
    sheet = book["Trụ cột 1"]
    assert sheet["F4"].value == "Giám đốc" and sheet["F6"].value == 3 and sheet["F7"].value == 4
    assert book["Thông tin chung"]["F4"].value == 1234 and book["Thông tin chung"]["F4"].number_format == "#,##0"
    assert sheet["C6"].value == "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa"
    assert sheet["G4"].value == "Quyết định thành lập Ban chỉ đạo"


DATED = """
code: co-ngay
name: Bộ chỉ số có ngày
source: {document: "02/QĐ-TEST"}
year: 2024
levels: [{code: so, name: "Sở, ban, ngành"}]
indicators:
  - code: "1"
    name: Thể chế số
    max_points: 10
    children:
      - code: "1.1"
        name: Ban hành kế hoạch đúng hạn
        max_points: 10
        inputs: [{var: ngay, label: Ngày ban hành kế hoạch, type: date}]
        rule: {kind: date, field: ngay, steps: [{by: "31/03", share: 1}]}
"""


def test_a_bad_date_is_named_at_its_cell_and_a_good_one_saved(users, units, today):
    import datetime as dt

    from dti.campaigns.services import create_campaign
    from dti.excel import services
    from dti.methodologies.services import create_version

    dated = create_campaign(name="Đợt có ngày", framework=create_version(DATED), year=2024,
                            period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
                            entry_deadline=today + dt.timedelta(days=5), review_deadline=today + dt.timedelta(days=9),
                            units=[units["so-a"]])
    submission = sub(dated, "so-a")
    content = services.workbook(dated, "so", [submission], title="Mẫu")
    bad = services.preview(type_in(content, {("so-a", "1.1.ngay"): "31/02/2024"}), dated, {"so-a": submission})
    assert bad.units[0].errors == [("Trụ cột 1!F4", "Ngày ban hành kế hoạch: '31/02/2024' không phải ngày hợp lệ "
                                                    "(dd/mm/yyyy)")]
    good = services.preview(type_in(content, {("so-a", "1.1.ngay"): dt.datetime(2024, 3, 15)}), dated,
                            {"so-a": submission})
    assert good.can_confirm and good.units[0].values == {"1.1.ngay": "15/03/2024"}
    services.apply(good, user=users["reporter"])
    assert stored(submission) == {"1.1.ngay": "15/03/2024"}


def test_an_indicators_status_is_entered_like_the_forms_select(reporter, campaign, submission):
    response = upload(reporter, campaign, type_in(download(reporter, campaign),
                                                  {("so-a", "2.1.status"): "Không có nội dung"}))
    change = response.context["preview"].units[0].changes[0]
    assert (change.code, change.label, change.old, change.new) == ("2.1", "Tình trạng chỉ số", "", "Không có nội dung")
    confirm(reporter, campaign, response)
    assert stored(submission) == {"2.1.status": "no_content"}


def test_a_returned_file_opens_only_its_returned_indicators(client, users, campaign, submitted):
    from dti.review.services import return_item, send_back

    return_item(submitted, "1.2", user=users["reviewer"], comment="Bổ sung biên bản họp")
    send_back(submitted, user=users["reviewer"])
    client.force_login(users["reporter"])
    content = download(client, campaign)
    sheet = load_workbook(io.BytesIO(content))["Trụ cột 1"]
    assert sheet["F6"].protection.locked is False and sheet["F4"].protection.locked is True  # 1.2.a open, 1.1 not
    response = upload(client, campaign, type_in(content, {("so-a", "1.2.a"): 2, ("so-a", "1.1.truong_ban"): "Khác"}))
    errors = response.context["preview"].units[0].errors
    assert response.status_code == 400 and [ref for ref, _m in errors] == ["Trụ cột 1!F4"]
    assert "không nằm trong các chỉ số được trả lại" in errors[0][1]
    response = upload(client, campaign, type_in(content, {("so-a", "1.2.a"): 2}))
    confirm(client, campaign, response)
    assert stored(submitted)["1.2.a"] == "2" and stored(submitted)["1.1.truong_ban"] == "giam_doc"
