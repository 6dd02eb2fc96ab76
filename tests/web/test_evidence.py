import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.site.demo import tiny_pdf
from dti.submissions.models import Evidence


def upload(client, campaign, name, content, code="so-a", indicator="1.1"):
    return client.post(reverse("submissions:entry", args=[campaign.pk, code]),
                       {f"ev:{indicator}": SimpleUploadedFile(name, content)}, follow=True)


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_pdf_is_stored_through_storage_with_unguessable_name(client, users, campaign, submission):
    client.force_login(users["reporter"])
    upload(client, campaign, "quyet-dinh.pdf", tiny_pdf())
    item = Evidence.objects.get(submission=submission)
    assert item.original_name == "quyet-dinh.pdf" and item.kind == "pdf" and item.content_type == "application/pdf"
    assert "quyet-dinh" not in item.file.name
    assert item.size == len(tiny_pdf())


def test_office_document_is_accepted(client, users, campaign, submission):
    client.force_login(users["reporter"])
    upload(client, campaign, "ke-hoach.docx", docx_bytes())
    assert Evidence.objects.get(submission=submission).kind == "office"


def test_renamed_executable_is_rejected_by_content(client, users, campaign, submission):
    client.force_login(users["reporter"])
    response = upload(client, campaign, "quyet-dinh.pdf", b"MZ\x90\x00 this is not a pdf")
    assert "không đúng định dạng" in response.content.decode()
    assert not Evidence.objects.exists()


def test_unsupported_extension_is_rejected(client, users, campaign):
    client.force_login(users["reporter"])
    response = upload(client, campaign, "script.html", b"<script>alert(1)</script>")
    assert "không được nhận" in response.content.decode()
    assert not Evidence.objects.exists()


def test_file_over_the_size_limit_is_rejected(client, users, campaign, settings):
    settings.DTI_EVIDENCE_MAX_BYTES = 1000
    client.force_login(users["reporter"])
    response = upload(client, campaign, "lon.pdf", tiny_pdf() + b"0" * 2000)
    assert "quá lớn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_served_to_own_unit_only(client, users, campaign, submission):
    client.force_login(users["reporter"])
    upload(client, campaign, "qd.pdf", tiny_pdf())
    item = Evidence.objects.get()
    url = reverse("submissions:evidence", args=[campaign.pk, "so-a", item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(users["reporter_b"])
    assert client.get(url).status_code == 404
    client.force_login(users["reviewer"])
    assert client.get(url).status_code == 200


def test_media_files_have_no_public_url(client, users, campaign, submission):
    client.force_login(users["reporter"])
    upload(client, campaign, "qd.pdf", tiny_pdf())
    item = Evidence.objects.get()
    assert client.get("/media/" + item.file.name).status_code == 404
    assert client.get("/media-not-served/" + item.file.name).status_code == 404


def test_evidence_can_be_deleted_while_draft(client, users, campaign, submission):
    client.force_login(users["reporter"])
    upload(client, campaign, "qd.pdf", tiny_pdf())
    item = Evidence.objects.get()
    client.post(reverse("submissions:entry", args=[campaign.pk, "so-a"]), {"del_ev": str(item.pk)})
    assert not Evidence.objects.exists()


def test_deleting_evidence_keeps_the_file_until_the_transaction_commits(client, users, campaign, submission,
                                                                         django_capture_on_commit_callbacks):
    from dti.submissions.services import save_entry

    client.force_login(users["reporter"])
    upload(client, campaign, "quyet-dinh.pdf", tiny_pdf())
    item = Evidence.objects.get(submission=submission)
    storage, name = item.file.storage, item.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_entry(submission, user=users["reporter"], delete_evidence=[item.pk])
    assert not Evidence.objects.filter(pk=item.pk).exists()
    assert storage.exists(name)  # not yet committed: a crash here leaves row-less file, never a file-less row
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


def test_evidence_whose_file_is_missing_answers_404(client, users, campaign, submission):
    client.force_login(users["reporter"])
    upload(client, campaign, "quyet-dinh.pdf", tiny_pdf())
    item = Evidence.objects.get(submission=submission)
    item.file.storage.delete(item.file.name)
    response = client.get(reverse("submissions:evidence", args=[campaign.pk, "so-a", item.pk]))
    assert response.status_code == 404
