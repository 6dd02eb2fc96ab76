"""The signature summary beside a file, for the unit (entry page) and the reviewer (review page),
and the flag where the framework asks for a signed file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.site.demo import tiny_pdf
from dti.submissions.models import Evidence
from dti.submissions.services import add_evidence

from .conftest import FRAMEWORK_YAML
from .signing import altered_in_update, signed_pdf
from .test_evidence import docx_bytes

ASKED = "Chỉ số này yêu cầu tệp điện tử có ký số."


@pytest.fixture
def framework(db):
    """1.1 asks for "Quyết định bằng file điện tử có ký số"; 1.3 asks for nothing in particular."""
    from dti.methodologies.services import create_version

    return create_version(FRAMEWORK_YAML.replace(
        "evidence: Quyết định thành lập Ban chỉ đạo",
        "evidence: Quyết định bằng file điện tử có ký số\n        evidence_signed: true"))


def upload(client, campaign, name, content, indicator="1.1"):
    return client.post(reverse("submissions:entry", args=[campaign.pk, "so-a"]),
                       {f"ev:{indicator}": SimpleUploadedFile(name, content)}, follow=True).content.decode()


def test_unit_sees_intact_signature_after_upload(client, users, campaign, submission):
    client.force_login(users["reporter"])
    html = upload(client, campaign, "quyet-dinh.pdf", signed_pdf())
    item = Evidence.objects.get(submission=submission)
    assert item.signature_state == "intact" and item.signatures[0]["signer"] == "Nguyễn Văn Ánh"
    assert "Chữ ký còn nguyên vẹn, người ký Nguyễn Văn Ánh (Sở Thông tin và Truyền thông), ký lúc" in html
    assert "Chưa kiểm tra được chứng thư số" in html
    assert ASKED not in html


def test_unsigned_pdf_is_flagged_where_a_signed_file_is_asked(client, users, campaign, submission):
    client.force_login(users["reporter"])
    html = upload(client, campaign, "quyet-dinh.pdf", tiny_pdf())
    assert "Yêu cầu tệp PDF có ký số" in html
    assert "Tệp không có chữ ký số." in html and ASKED in html


def test_unsigned_pdf_is_not_flagged_where_nothing_is_asked(client, users, campaign, submission):
    client.force_login(users["reporter"])
    html = upload(client, campaign, "ke-hoach.pdf", tiny_pdf(), indicator="1.3")
    assert "Tệp không có chữ ký số." in html and ASKED not in html


def test_office_file_is_flagged_where_a_signed_pdf_is_asked(client, users, campaign, submission):
    client.force_login(users["reporter"])
    html = upload(client, campaign, "quyet-dinh.docx", docx_bytes())
    assert Evidence.objects.get(submission=submission).signature_state == ""
    assert "Không phải tệp PDF" in html and ASKED in html


def test_reviewer_sees_file_changed_after_signing(client, users, campaign, submitted):
    add_evidence(submitted, "1.1", SimpleUploadedFile("qd.pdf", altered_in_update(signed_pdf())), user=users["reporter"])
    client.force_login(users["reviewer"])
    html = client.get(reverse("review:detail", args=[campaign.pk, "so-a"])).content.decode()
    assert "qd.pdf" in html
    assert "Tài liệu đã bị sửa sau khi ký: phần do Nguyễn Văn Ánh (Sở Thông tin và Truyền thông) ký lúc" in html
    assert ASKED in html
