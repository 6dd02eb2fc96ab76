"""Free text from people: the one place that says what a text field may hold.

PostgreSQL refuses NUL bytes in text and a value longer than its column; both used to
surface as a 500 that lost the whole request.  Every service that stores free text, and
every view that reads a query string, runs it through ``check_text`` first, so the person
gets a message beside the field and keeps everything else they typed.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Column sizes for free text kept in TextFields: long enough for any real explanation,
# short enough that a pasted file does not become a "value".
VALUE_MAX = 2000
NOTE_MAX = 10000
QUERY_MAX = 200


def normalise(text) -> str:
    """NFC, trimmed: Vietnamese typed on different keyboards compares equal."""
    return unicodedata.normalize("NFC", str(text if text is not None else "")).strip()


def text_error(text: str, *, max_length: int | None = None, multiline: bool = True) -> str:
    """The Vietnamese message for a text a person may not store, or ''."""
    if "\x00" in text:
        return _("Nội dung có ký tự rỗng (NUL) không hợp lệ; hãy gõ lại hoặc dán dưới dạng văn bản thuần.")
    if _CONTROL.search(text) or (not multiline and ("\n" in text or "\r" in text)):
        return _("Nội dung có ký tự điều khiển không in được; hãy gõ lại hoặc dán dưới dạng văn bản thuần.")
    if max_length is not None and len(text) > max_length:
        return _("Nội dung dài %(n)s ký tự, vượt quá giới hạn %(max)s ký tự.") % {
            "n": f"{len(text):,}".replace(",", "."), "max": f"{max_length:,}".replace(",", "."),
        }
    return ""


def check_text(text, *, max_length: int | None = None, multiline: bool = True, field: str | None = None) -> str:
    """The normalised text, or ValidationError (keyed by ``field`` when given) with the reason."""
    cleaned = normalise(text)
    error = text_error(cleaned, max_length=max_length, multiline=multiline)
    if error:
        raise ValidationError({field: error} if field else error)
    return cleaned


def query_param(request, name: str, *, max_length: int = QUERY_MAX) -> tuple[str, str]:
    """(value, error) of a query-string parameter; a bad value reads as '' with its message."""
    value = normalise(request.GET.get(name, ""))
    error = text_error(value, max_length=max_length, multiline=False)
    return ("", error) if error else (value, "")
