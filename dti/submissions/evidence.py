"""Checking uploaded evidence: size limit and content sniffed from magic bytes, not the name."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

PDF, IMAGE, OFFICE = "pdf", "image", "office"

# extension -> (kind, content type, sniffed signature key)
ALLOWED = {
    ".pdf": (PDF, "application/pdf", "pdf"),
    ".png": (IMAGE, "image/png", "png"),
    ".jpg": (IMAGE, "image/jpeg", "jpeg"),
    ".jpeg": (IMAGE, "image/jpeg", "jpeg"),
    ".gif": (IMAGE, "image/gif", "gif"),
    ".webp": (IMAGE, "image/webp", "webp"),
    ".docx": (OFFICE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ".xlsx": (OFFICE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ".pptx": (OFFICE, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    ".doc": (OFFICE, "application/msword", "ole"),
    ".xls": (OFFICE, "application/vnd.ms-excel", "ole"),
    ".ppt": (OFFICE, "application/vnd.ms-powerpoint", "ole"),
    ".odt": (OFFICE, "application/vnd.oasis.opendocument.text", "odt"),
    ".ods": (OFFICE, "application/vnd.oasis.opendocument.spreadsheet", "ods"),
    ".odp": (OFFICE, "application/vnd.oasis.opendocument.presentation", "odp"),
}
ACCEPT = ",".join(ALLOWED)


class EvidenceRejected(ValueError):
    pass


def _sniff(head: bytes, upload) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    for suffix, key in (("text", "odt"), ("spreadsheet", "ods"), ("presentation", "odp")):
                        if mimetype == f"application/vnd.oasis.opendocument.{suffix}":
                            return key
                if "[Content_Types].xml" in names:
                    for prefix, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
                        if any(n.startswith(prefix) for n in names):
                            return key
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        finally:
            upload.seek(0)
    return None


def check_upload(upload) -> tuple[str, str]:
    """(kind, content type) of an acceptable upload; EvidenceRejected with a Vietnamese message otherwise."""
    name = upload.name or ""
    limit = settings.DTI_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise EvidenceRejected(
            _("Tệp '%(name)s' quá lớn (%(size)s MB; tối đa %(limit)s MB)")
            % {"name": name, "size": f"{upload.size / 1048576:.1f}".replace(".", ","), "limit": limit // 1048576}
        )
    if upload.size == 0:
        raise EvidenceRejected(_("Tệp '%(name)s' rỗng") % {"name": name})
    dot = name.rfind(".")
    extension = name[dot:].lower() if dot >= 0 else ""
    if extension not in ALLOWED:
        raise EvidenceRejected(
            _("Tệp '%(name)s' không được nhận: chỉ nhận PDF, ảnh (PNG, JPEG, GIF, WebP) và văn bản Office (%(ext)s)")
            % {"name": name, "ext": ", ".join(ALLOWED)}
        )
    kind, content_type, signature = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    sniffed = _sniff(head, upload)
    if sniffed != signature:
        raise EvidenceRejected(
            _("Nội dung tệp '%(name)s' không đúng định dạng %(ext)s (kiểm tra theo nội dung tệp, không theo tên)")
            % {"name": name, "ext": extension}
        )
    return kind, content_type
