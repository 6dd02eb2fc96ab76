"""Reading the digital signatures of PDF evidence (dti/submissions/signatures.py)."""

from __future__ import annotations

import io

from dti.site.demo import tiny_pdf
from dti.submissions.signatures import SignatureState, describe, read_signatures, trust_sentence

from .signing import altered_in_update, certificate, pem, signed_pdf, tampered


def test_intact_signature_names_signer_organisation_and_time():
    report = read_signatures(signed_pdf())
    assert report.state == SignatureState.INTACT
    [s] = report.signatures
    assert s["signer"] == "Nguyễn Văn Ánh" and s["organisation"] == "Sở Thông tin và Truyền thông"
    assert s["intact"] and s["covers_whole_file"] and not s["changed_after"] and s["signed_at"]
    css, text = describe(s)
    assert css == "ok" and text.startswith("Chữ ký còn nguyên vẹn, người ký Nguyễn Văn Ánh (Sở Thông tin và Truyền thông)")
    assert "bao trùm toàn bộ tệp" in text and "hợp lệ" not in text


def test_without_trust_roots_the_chain_is_said_to_be_unchecked():
    [s] = read_signatures(signed_pdf()).signatures
    assert s["trust"] == "unchecked"
    assert "Chưa kiểm tra được chứng thư số" in trust_sentence(s)


def test_change_in_an_incremental_update_after_signing_is_reported():
    report = read_signatures(altered_in_update(signed_pdf()))
    assert report.state == SignatureState.MODIFIED
    [s] = report.signatures
    assert s["intact"] and not s["covers_whole_file"] and s["changed_after"]
    assert describe(s) [1].startswith("Tài liệu đã bị sửa sau khi ký")


def test_modified_signed_bytes_are_reported():
    report = read_signatures(tampered(signed_pdf()))
    assert report.state == SignatureState.MODIFIED
    [s] = report.signatures
    assert not s["intact"]
    assert describe(s) == ("bad", "Tài liệu đã bị sửa sau khi ký: nội dung không còn khớp với chữ ký của "
                                  "Nguyễn Văn Ánh (Sở Thông tin và Truyền thông).")


def test_bytes_appended_after_signature_do_not_cover_but_do_not_change():
    report = read_signatures(signed_pdf() + b"\n%% them sau khi ky\n")
    [s] = report.signatures
    assert s["intact"] and not s["covers_whole_file"]


def test_unsigned_and_broken_pdfs():
    assert read_signatures(tiny_pdf()).state == SignatureState.UNSIGNED
    assert read_signatures(b"%PDF-1.4\n garbage").state == SignatureState.UNREADABLE


def test_configured_trust_root_says_whether_the_certificate_chains(settings, tmp_path):
    ca = certificate("CA thử nghiệm", "Tổ chức chứng thực", ca=True)
    other_ca = certificate("CA khác", "Tổ chức khác", ca=True)
    data = signed_pdf(issuer=ca)
    (tmp_path / "ca.pem").write_bytes(pem(ca[0]))
    (tmp_path / "other.pem").write_bytes(pem(other_ca[0]))
    settings.DTI_TRUST_ROOTS = [str(tmp_path / "ca.pem")]
    [s] = read_signatures(data).signatures
    assert s["trust"] == "chains" and "dẫn tới chứng thư gốc tin cậy đã cấu hình" in trust_sentence(s)
    settings.DTI_TRUST_ROOTS = [str(tmp_path / "other.pem")]
    [s] = read_signatures(data).signatures
    assert s["trust"] == "does_not_chain" and "không dẫn tới" in trust_sentence(s)


def test_command_reads_signatures_of_pdfs_stored_before(users, submission):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from dti.submissions.models import Evidence
    from dti.submissions.services import add_evidence

    item = add_evidence(submission, "1.1", SimpleUploadedFile("qd.pdf", signed_pdf()), user=users["reporter"])
    Evidence.objects.filter(pk=item.pk).update(signature_state="", signatures=[])  # as before this feature
    call_command("read_evidence_signatures", stdout=io.StringIO())
    item.refresh_from_db()
    assert item.signature_state == SignatureState.INTACT and item.signatures[0]["signer"] == "Nguyễn Văn Ánh"
