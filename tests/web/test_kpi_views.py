"""KPI pages: the programme's dashboard, a KPI's series, the agency's report form, targets, import/export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.audit.models import AuditEvent
from dti.engine.kpi import MONTH, period_containing
from dti.kpi import services
from dti.submissions.models import State

from .kpi_fixtures import *  # noqa: F403
from .kpi_fixtures import kpi_submission, send


@pytest.fixture
def current(programme, today):
    """This month's period, open for entry."""
    return str(services.open_period(programme, period_containing(MONTH, today)).period)


def login(client, user):
    client.force_login(user)
    return client


def test_dashboard_shows_cards_by_layer_and_overview(client, programme, kpi_users):
    services.set_target(programme.settings.get(code="7"), year=2024, value=60, decision="KH 44/KH-UBND")
    send(programme, "2024-03", "vp-ubnd", {"7.a": "70", "7.b": "100"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    page = login(client, kpi_users["tinh"]).get(reverse("kpi:dashboard", args=[programme.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lấy người dân làm trung tâm" in text and "Hiệu quả hoạt động của bộ máy Chính quyền" in text
    assert 'data-kpi="7"' in text and "<svg class=\"spark\"" in text
    assert "70%" in text and "Tháng 03/2024" in text
    assert 'data-testid="on-target">1/5<' in text
    assert "Văn phòng UBND tỉnh" in text  # late for the other months of 2024


def test_numbers_are_vietnamese(client, programme, kpi_users):
    send(programme, "2024-03", "vp-ubnd", {"7.a": "1", "7.b": "3"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    text = login(client, kpi_users["tinh"]).get(reverse("kpi:indicator", args=[programme.pk, "7"])).content.decode()
    assert "33,33" in text


def test_kpi_page_has_chart_table_and_history(client, programme, kpi_users):
    services.set_target(programme.settings.get(code="7"), year=2024, value=60, decision="KH 44/KH-UBND", user=kpi_users["admin"])
    send(programme, "2024-02", "vp-ubnd", {"7.a": "50", "7.b": "100"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    send(programme, "2024-03", "vp-ubnd", {"7.a": "70", "7.b": "100"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    text = login(client, kpi_users["tinh"]).get(reverse("kpi:indicator", args=[programme.pk, "7"])).content.decode()
    assert 'class="chart"' in text and "stroke-dasharray" in text
    assert "+20" in text  # March against February
    assert "KH 44/KH-UBND" in text and "kpi.target" in text and "value.change" in text


def test_agency_enters_and_submits_through_its_report(client, programme, kpi_users, current):
    url = reverse("kpi:report", args=[programme.pk, "vp-ubnd", current])
    login(client, kpi_users["vp"])
    page = client.get(url)
    assert page.status_code == 200 and 'name="f:7.a"' in page.content.decode()
    assert 'name="f:12.a"' not in page.content.decode()  # another agency's KPI
    response = client.post(url, {"f:7.a": "45", "f:7.b": "60", "o:f:7.a": "", "o:f:7.b": ""})
    assert response.status_code == 302
    assert 'data-testid="value-7">75%' in client.get(url).content.decode()
    login(client, kpi_users["vp_leader"])
    submission = kpi_submission(programme, current, "vp-ubnd")
    client.post(reverse("kpi:report_action", args=[programme.pk, "vp-ubnd", current, "leader_approve"]),
                {"state": State.DRAFT})
    login(client, kpi_users["vp"])
    client.post(reverse("kpi:report_action", args=[programme.pk, "vp-ubnd", current, "submit"]),
                {"state": State.APPROVED_BY_LEADER})
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED
    assert AuditEvent.objects.filter(submission_id=submission.pk, action="submission.state").count() == 2


def test_bad_number_is_kept_with_its_message(client, programme, kpi_users, current):
    url = reverse("kpi:report", args=[programme.pk, "vp-ubnd", current])
    login(client, kpi_users["vp"]).post(url, {"f:7.a": "bốn mươi", "f:7.b": "60", "o:f:7.a": "", "o:f:7.b": ""})
    text = client.get(url).content.decode()
    assert 'value="bốn mươi"' in text and "không phải là số" in text


def test_a_figure_changed_by_someone_else_is_a_conflict_not_overwritten(client, programme, kpi_users, current):
    from dti.submissions.services import save_entry

    url = reverse("kpi:report", args=[programme.pk, "vp-ubnd", current])
    submission = kpi_submission(programme, current, "vp-ubnd")
    save_entry(submission, user=kpi_users["vp_leader"], values={"7.a": "50"})
    response = login(client, kpi_users["vp"]).post(url, {"f:7.a": "40", "o:f:7.a": ""})
    assert response.status_code == 409
    assert "vừa lưu giá trị “50”" in response.content.decode()
    assert submission.values.get(field="7.a").raw == "50"


def test_leader_cannot_approve_figures_with_errors(client, programme, kpi_users, current):
    login(client, kpi_users["vp"]).post(reverse("kpi:report", args=[programme.pk, "vp-ubnd", current]),
                                        {"f:7.a": "x", "o:f:7.a": ""})
    login(client, kpi_users["vp_leader"])
    response = client.post(reverse("kpi:report_action", args=[programme.pk, "vp-ubnd", current, "leader_approve"]),
                           {"state": State.DRAFT}, follow=True)
    assert "có lỗi" in response.content.decode()
    assert kpi_submission(programme, current, "vp-ubnd").state == State.DRAFT


def test_owner_sets_a_target_with_its_decision(client, programme, kpi_users):
    url = reverse("kpi:set_target", args=[programme.pk, "7"])
    login(client, kpi_users["admin"])
    response = client.post(url, {"kind": "target", "year": "2025", "value": "92,5", "decision": ""}, follow=True)
    assert "Cần ghi văn bản" in response.content.decode()
    client.post(url, {"kind": "target", "year": "2025", "value": "92,5", "decision": "QĐ 123/QĐ-UBND ngày 1/2/2025"})
    assert programme.settings.get(code="7").targets.get(year=2025).value == 92.5


def test_reporter_cannot_set_targets(client, programme, kpi_users):
    response = login(client, kpi_users["vp"]).post(reverse("kpi:set_target", args=[programme.pk, "7"]),
                                                   {"kind": "target", "year": "2025", "value": "1", "decision": "x"})
    assert response.status_code == 403


def test_export_csv_then_import_preview_and_confirm(client, programme, kpi_users, current):
    send(programme, "2024-03", "vp-ubnd", {"7.a": "70", "7.b": "100"}, reporter=kpi_users["vp"], leader=kpi_users["vp_leader"])
    login(client, kpi_users["admin"])
    exported = client.get(reverse("kpi:export", args=[programme.pk]) + "?format=csv").content.decode("utf-8-sig")
    assert exported.splitlines()[0] == "kpi,period,unit,numerator,denominator,value,target,status"
    assert "7,2024-03,vp-ubnd,70,100,70,,no_target" in exported
    body = ("kpi,period,numerator,denominator\n"
            f"7,{current},40,80\n"
            "7,2024-03,71,100\n"  # sent and locked
            "12,2024-07,1,2\n"  # quarterly KPI, monthly period
            "1,2024-Q1,1,2\n")  # two agencies: needs the unit
    upload = SimpleUploadedFile("series.csv", body.encode("utf-8"), content_type="text/csv")
    page = client.post(reverse("kpi:import", args=[programme.pk]), {"file": upload})
    text = page.content.decode()
    assert "Mới" in text and "khóa" in text and "hằng quý" in text and "Cần cột unit" in text
    assert kpi_submission(programme, current, "vp-ubnd").values.count() == 0  # nothing stored before confirming
    token = client.session[f"kpi-import-{programme.pk}"]["token"]
    client.post(reverse("kpi:import", args=[programme.pk]), {"confirm": "1", "token": token})
    values = dict(kpi_submission(programme, current, "vp-ubnd").values.values_list("field", "raw"))
    assert values == {"7.a": "40", "7.b": "80"}


def test_import_reads_xlsx(client, programme, kpi_users, current):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["kpi", "period", "numerator", "denominator"])
    book.active.append([7, current, 25.0, 50])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("series.xlsx", buffer.getvalue())
    text = login(client, kpi_users["admin"]).post(reverse("kpi:import", args=[programme.pk]), {"file": upload}).content.decode()
    assert "7.a = 25<" in text and "7.b = 50<" in text and "Mới" in text


def test_import_file_without_the_columns_says_which(client, programme, kpi_users):
    upload = SimpleUploadedFile("x.csv", b"kpi,ky,tu\n7,2024,1\n")
    text = login(client, kpi_users["admin"]).post(reverse("kpi:import", args=[programme.pk]), {"file": upload},
                                                  follow=True).content.decode()
    assert "Thiếu cột: period, numerator, denominator" in text


def test_returned_kpi_is_answered_and_resubmitted_from_the_report(client, programme, kpi_users, current):
    from dti.review import services as review
    from dti.submissions.services import approve_by_leader, save_entry, submit

    submission = kpi_submission(programme, current, "vp-ubnd")
    save_entry(submission, user=kpi_users["vp"], values={"7.a": "45", "7.b": "60"})
    approve_by_leader(submission, user=kpi_users["vp_leader"])
    submit(submission, user=kpi_users["vp"])
    review.return_item(submission, "7", user=kpi_users["admin"], comment="Cần quyết định công bố danh mục")
    review.send_back(submission, user=kpi_users["admin"])
    url = reverse("kpi:report", args=[programme.pk, "vp-ubnd", current])
    text = login(client, kpi_users["vp"]).get(url).content.decode()
    assert "Cần quyết định công bố danh mục" in text and 'name="ans:7"' in text
    client.post(url, {"ans:7": "Đã bổ sung quyết định", "o:ans:7": "", "f:7.a": "44", "o:f:7.a": "45"})
    client.post(reverse("kpi:report_action", args=[programme.pk, "vp-ubnd", current, "resubmit"]),
                {"state": State.RETURNED})
    submission.refresh_from_db()
    assert submission.state == State.RESUBMITTED
    assert submission.values.get(field="7.a").raw == "44"
