"""Progress reports with evidence (stored through the storage API, served after a permission check) and comments."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dti.site.demo import tiny_pdf

from .plan_fixtures import *  # noqa: F403
from .plan_fixtures import task_url


def test_lead_agency_reports_progress_with_evidence(client, plan, users):
    client.force_login(users["reporter"])
    response = client.post(task_url("progress", plan["plan"], plan["a"]), {
        "text": "Đã họp 4 lần", "files": [SimpleUploadedFile("bien-ban.pdf", tiny_pdf(), content_type="application/pdf")]})
    assert response.status_code == 302
    report = plan["a"].reports.get()
    item = report.evidence.get()
    assert item.original_name == "bien-ban.pdf" and item.size == len(tiny_pdf())
    download = client.get(task_url("evidence", plan["plan"], plan["a"], item.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_evidence_of_another_agencys_task_is_404(client, plan, users):
    client.force_login(users["reporter"])
    client.post(task_url("progress", plan["plan"], plan["a"]), {
        "text": "x", "files": [SimpleUploadedFile("a.pdf", tiny_pdf())]})
    item = plan["a"].reports.get().evidence.get()
    client.force_login(users["reporter_b"])
    assert client.get(task_url("evidence", plan["plan"], plan["a"], item.pk)).status_code == 404


def test_a_renamed_file_is_refused_and_the_text_stays(client, plan, users):
    client.force_login(users["reporter"])
    response = client.post(task_url("progress", plan["plan"], plan["a"]), {
        "text": "Báo cáo quý", "files": [SimpleUploadedFile("gia.pdf", b"not a pdf at all")]})
    page = response.content.decode()
    assert response.status_code == 400 and "không đúng định dạng" in page and "Báo cáo quý" in page
    assert not plan["a"].reports.exists()


def test_empty_comment_gets_a_message_and_a_comment_is_kept(client, plan, users):
    client.force_login(users["reporter"])
    assert "Cần nhập nội dung" in client.post(task_url("comment", plan["plan"], plan["a"]), {"comment": " "}).content.decode()
    client.post(task_url("comment", plan["plan"], plan["a"]), {"comment": "Cần thêm số liệu"})
    assert plan["a"].comments.get().text == "Cần thêm số liệu"
