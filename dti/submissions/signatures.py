"""Digital signatures of uploaded PDF evidence, read with pyHanko at upload.

What is stored (``Evidence.signatures``, one dict per signature) are facts: who signed (common
name, organisation), when, whether the signed bytes are intact, whether the signature covers the
whole file and what changed after it, and — only when trust anchors are configured
(``DTI_TRUST_ROOTS``) — whether the certificate chains to one of them. Whether a certificate chains
to a trusted authority cannot be checked offline otherwise, so nothing here ever says "hợp lệ".
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _quiet_path_errors(record: logging.LogRecord) -> bool:
    """pyHanko logs a warning with a traceback whenever a certificate does not chain to a trust
    anchor — with none configured, that is every upload; the outcome is stored and shown instead."""
    exc = record.exc_info[1] if record.exc_info else None
    return not (exc is not None and type(exc).__module__.startswith("pyhanko_certvalidator"))


logging.getLogger("pyhanko.sign.validation.generic_cms").addFilter(_quiet_path_errors)


class SignatureState:
    NOT_CHECKED = ""       # not a PDF
    UNSIGNED = "unsigned"
    INTACT = "intact"
    MODIFIED = "modified"  # some signature no longer matches, or the file was changed after signing
    UNREADABLE = "unreadable"


TRUST_UNCHECKED, TRUST_CHAINS, TRUST_DOES_NOT_CHAIN = "unchecked", "chains", "does_not_chain"


@dataclass
class SignatureReport:
    state: str
    signatures: list[dict] = field(default_factory=list)


def _paths(setting) -> list[Path]:
    if not setting:
        return []
    items = setting.split(":") if isinstance(setting, str) else list(setting)
    paths: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            paths.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".pem", ".crt", ".cer")))
        elif str(item):
            paths.append(path)
    return paths


@lru_cache(maxsize=4)
def _load_roots(paths: tuple[Path, ...]) -> tuple:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1x509

    roots = []
    for path in paths:
        data = path.read_bytes()
        for _type, _headers, der in (pem.unarmor(data, multiple=True) if pem.detect(data) else [(None, None, data)]):
            roots.append(asn1x509.Certificate.load(der))
    return tuple(roots)


def trust_roots() -> tuple:
    """The configured trust anchors (``DTI_TRUST_ROOTS``: PEM files or folders of them), or ()."""
    return _load_roots(tuple(_paths(getattr(settings, "DTI_TRUST_ROOTS", None))))


def _name_part(cert, key: str) -> str:
    value = cert.subject.native.get(key, "") if cert is not None else ""
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _summary(embedded, roots: tuple) -> dict:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # Offline: no fetching of certificates, CRLs or OCSP; with no anchors the path check just fails.
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
    status = validate_pdf_signature(embedded, context)
    cert = status.signing_cert
    when: dt.datetime | None = None
    source = "signer"
    if status.timestamp_validity is not None and status.timestamp_validity.intact:
        when, source = status.timestamp_validity.timestamp, "timestamp"
    elif status.signer_reported_dt is not None:
        when = status.signer_reported_dt
    level = status.modification_level
    covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # Later signatures, timestamps (LTA) and form filling are what a signed file may carry afterwards.
    changed = level is not None and level not in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES,
                                                  ModificationLevel.FORM_FILLING)
    return {
        "field": embedded.field_name or "",
        "signer": _name_part(cert, "common_name"),
        "organisation": _name_part(cert, "organization_name"),
        "signed_at": when.isoformat() if when else None,
        "time_source": source,
        "intact": bool(status.intact and status.valid),
        "covers_whole_file": covers,
        "changed_after": bool(changed),
        "modification": level.name.lower() if level is not None else "",
        "trust": (TRUST_CHAINS if status.trusted else TRUST_DOES_NOT_CHAIN) if roots else TRUST_UNCHECKED,
    }


def read_signatures(data: bytes) -> SignatureReport:
    """The signatures of a PDF; never raises (a damaged or encrypted file reads as UNREADABLE)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    roots = trust_roots()  # a bad DTI_TRUST_ROOTS is the operator's error: it surfaces, not hidden here
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
        if not embedded:
            return SignatureReport(SignatureState.UNSIGNED)
        signatures = [_summary(sig, roots) for sig in embedded]
    except Exception:  # pyHanko raises many kinds on hostile or broken files; the upload itself stays
        logger.warning("could not read the signatures of an uploaded PDF", exc_info=True)
        return SignatureReport(SignatureState.UNREADABLE)
    bad = any(not s["intact"] or s["changed_after"] for s in signatures)
    return SignatureReport(SignatureState.MODIFIED if bad else SignatureState.INTACT, signatures)


# --------------------------------------------------------------------------- wording


def _when(value: str | None) -> str:
    if not value:
        return _("không rõ thời điểm")
    moment = timezone.localtime(dt.datetime.fromisoformat(value))
    return moment.strftime("%d/%m/%Y %H:%M")


def _who(s: dict) -> str:
    who = s["signer"] or _("không rõ tên")
    return f"{who} ({s['organisation']})" if s["organisation"] else who


def describe(s: dict) -> tuple[str, str]:
    """(css class, sentence) for one stored signature summary."""
    when = _when(s.get("signed_at"))
    if s.get("time_source") == "timestamp":
        when = _("%(when)s (theo dấu thời gian)") % {"when": when}
    if not s["intact"]:
        return "bad", _("Tài liệu đã bị sửa sau khi ký: nội dung không còn khớp với chữ ký của %(who)s.") % {
            "who": _who(s)}
    if s["changed_after"]:
        return "bad", _("Tài liệu đã bị sửa sau khi ký: phần do %(who)s ký lúc %(when)s còn nguyên, nhưng tệp có "
                        "nội dung thêm hoặc sửa sau chữ ký.") % {"who": _who(s), "when": when}
    text = _("Chữ ký còn nguyên vẹn, người ký %(who)s, ký lúc %(when)s.") % {"who": _who(s), "when": when}
    if s["covers_whole_file"]:
        text += " " + _("Chữ ký bao trùm toàn bộ tệp.")
    else:
        text += " " + _("Sau chữ ký, tệp có thêm dữ liệu không sửa nội dung đã ký (như chữ ký hoặc dấu thời gian khác).")
    return "ok", text


def trust_sentence(s: dict) -> str:
    if s.get("trust") == TRUST_CHAINS:
        return _("Chứng thư số của người ký dẫn tới chứng thư gốc tin cậy đã cấu hình.")
    if s.get("trust") == TRUST_DOES_NOT_CHAIN:
        return _("Chứng thư số của người ký không dẫn tới chứng thư gốc tin cậy nào đã cấu hình.")
    return _("Chưa kiểm tra được chứng thư số có do tổ chức chứng thực tin cậy cấp hay không "
             "(cần danh sách chứng thư gốc; không kiểm tra trực tuyến).")


def signature_lines(evidence, *, signed_asked: bool = False) -> list[tuple[str, str]]:
    """What to show beside a file: one line per signature (and its trust), or why there is none."""
    state = evidence.signature_state
    lines: list[tuple[str, str]] = []
    if state == SignatureState.UNSIGNED:
        lines.append(("bad" if signed_asked else "muted", _("Tệp không có chữ ký số.")))
    elif state == SignatureState.UNREADABLE:
        lines.append(("bad" if signed_asked else "muted",
                      _("Không đọc được chữ ký số của tệp (tệp hỏng hoặc được mã hóa).")))
    elif state == SignatureState.NOT_CHECKED and evidence.kind == "pdf":
        lines.append(("muted", _("Chữ ký số của tệp chưa được đọc.")))
    elif state == SignatureState.NOT_CHECKED and signed_asked:
        lines.append(("bad", _("Không phải tệp PDF: không có chữ ký số để kiểm tra.")))
    for s in evidence.signatures or []:
        lines.append(describe(s))
        lines.append(("muted", trust_sentence(s)))
    if signed_asked and state != SignatureState.INTACT:
        lines.append(("bad", _("Chỉ số này yêu cầu tệp điện tử có ký số.")))
    return lines
