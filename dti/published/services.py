"""Importing the Ministry's published scores (CSV or XLSX: code, score[, unit])."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from dti.audit.services import record
from dti.engine.data import ValueError_
from dti.engine.reconcile import TOTAL_CODES, published_from_rows, unknown_codes
from dti.methodologies.selectors import compiled_for
from dti.organisations.models import Unit
from dti.submissions.models import Submission

from .models import PublishedResult


class ImportRefused(ValueError):
    """A file that cannot be imported; the message says why, in Vietnamese."""


def _rows(upload) -> tuple[list[str], list[dict]]:
    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:  # a damaged or renamed file
            raise ImportRefused(_("Không đọc được tệp Excel '%(name)s'.") % {"name": upload.name}) from None
        lines = [list(r) for r in sheet.iter_rows(values_only=True)]
        if not lines:
            raise ImportRefused(_("Tệp '%(name)s' không có dòng nào.") % {"name": upload.name})
        columns = [str(c or "").strip() for c in lines[0]]
        return columns, [dict(zip(columns, line, strict=False)) for line in lines[1:]]
    if not name.endswith(".csv"):
        raise ImportRefused(_("Chỉ nhận tệp CSV hoặc XLSX (cột code, score)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("Tệp CSV phải mã hóa UTF-8.")) from None
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def import_published(campaign, upload, *, user, unit: Unit | None = None, source: str = "") -> list[PublishedResult]:
    """One PublishedResult per unit of the file (a ``unit`` column) or for ``unit``; replaces what
    was imported before for those units.  All or nothing."""
    columns, rows = _rows(upload)
    lowered = [c.strip().lower() for c in columns]
    by_unit: dict[str, list[dict]] = {}
    if "unit" in lowered:
        key = columns[lowered.index("unit")]
        for row in rows:
            by_unit.setdefault(str(row.get(key) or "").strip(), []).append(row)
        by_unit.pop("", None)
    elif unit is not None:
        by_unit[unit.code] = rows
    else:
        raise ImportRefused(_("Chọn đơn vị, hoặc thêm cột unit (mã đơn vị) vào tệp."))
    if not by_unit:
        raise ImportRefused(_("Tệp không có điểm nào."))
    compiled = compiled_for(campaign.framework, campaign.readings)
    participants = dict(Submission.objects.filter(campaign=campaign, unit__code__in=list(by_unit))
                        .values_list("unit__code", "unit_id"))
    parsed = {}
    for code, unit_rows in by_unit.items():
        if code not in participants:
            raise ImportRefused(_("Đơn vị '%(code)s' không tham gia đợt đánh giá này.") % {"code": code})
        try:
            scores = published_from_rows(columns, unit_rows, upload.name)
        except ValueError_ as exc:
            raise ImportRefused(str(exc)) from None
        unknown = unknown_codes(compiled, scores)
        if unknown:
            raise ImportRefused(_("Các mã chỉ số không có trong bộ chỉ số: %(codes)s") % {"codes": ", ".join(unknown[:10])})
        parsed[code] = scores
    results = []
    with transaction.atomic():
        for code, scores in parsed.items():
            total = next((scores[c] for c in TOTAL_CODES if scores.get(c) is not None), None)
            if total is None:
                pillars = [scores.get(r.code) for r in compiled.roots]
                total = sum(v for v in pillars if v is not None) if any(v is not None for v in pillars) else None
            result, _created = PublishedResult.objects.update_or_create(
                campaign=campaign, unit_id=participants[code],
                defaults={"scores": scores, "total": total, "source": source[:300], "imported_by": user,
                          "original_name": (upload.name or "")[:255]})
            record(user, "published.import", result, new=f"{len(scores)} chỉ số, tổng {total}")
            results.append(result)
    return results
