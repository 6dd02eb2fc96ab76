"""A campaign's values as engine datasets, read from the numbers stored at save time.

Every save keeps the raw text as typed (the record) and, beside it, the number the engine
parses it to (``Value.number``, ``Value.verified_number``: the same ``parse_value`` with
Vietnamese input).  Reading a campaign therefore needs no parsing: the numbers come out of
the database in one query, grouped by field into arrays (``array_agg`` on PostgreSQL), and
are put into the dataset's matrix with numpy.  Only what has no stored number goes through
the parser as before: statuses, text fields, values that do not parse (their problem
message comes from the parser, as in ``build_dataset``) and verified texts.

The result is the same Dataset ``build_dataset`` would build from the raw texts (tested in
tests/web/test_loading.py); it takes a fraction of the time (bench/recompute.py).
"""

from __future__ import annotations

import numpy as np
from django.db import connection

from dti.engine.data import Dataset, Problem, add_records, empty_dataset
from dti.engine.data import Unit as EngineUnit
from dti.submissions.models import Value

_VALUE = Value._meta.db_table
_SUBMISSION = "submissions_submission"


def _where(campaign_id: int | None, submission_ids: list[int] | None) -> tuple[str, list]:
    if submission_ids is not None:
        marks = ", ".join(["%s"] * len(submission_ids)) or "NULL"
        return f"v.submission_id IN ({marks})", list(submission_ids)
    return f"v.submission_id IN (SELECT id FROM {_SUBMISSION} WHERE campaign_id = %s)", [campaign_id]


def _number_columns(campaign_id, submission_ids):
    """(field, submission ids, numbers, verified numbers, verified?) per field, for rows with a stored number."""
    where, params = _where(campaign_id, submission_ids)
    condition = f"{where} AND (v.number IS NOT NULL OR v.verified_number IS NOT NULL)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT v.field, array_agg(v.submission_id), array_agg(v.number), array_agg(v.verified_number), "
                f"array_agg(v.verified_raw IS NOT NULL) FROM {_VALUE} v WHERE {condition} GROUP BY v.field", params)
            for field, ids, numbers, verified, flags in cursor.fetchall():
                yield field, ids, numbers, verified, flags
            return
        cursor.execute(f"SELECT v.field, v.submission_id, v.number, v.verified_number, v.verified_raw IS NOT NULL "
                       f"FROM {_VALUE} v WHERE {condition} ORDER BY v.field", params)
        columns: dict[str, tuple[list, list, list, list]] = {}
        for field, sid, number, verified, flag in cursor.fetchall():
            column = columns.get(field)
            if column is None:
                column = columns[field] = ([], [], [], [])
            column[0].append(sid)
            column[1].append(number)
            column[2].append(verified)
            column[3].append(flag)
        for field, (ids, numbers, verified, flags) in columns.items():
            yield field, ids, numbers, verified, flags


def _rows_to_parse(campaign_id, submission_ids, text_fields: list[str]):
    """Rows the stored numbers do not cover: statuses, text fields, unparsable values, verified texts."""
    where, params = _where(campaign_id, submission_ids)
    texts = ", ".join(["%s"] * len(text_fields)) or "NULL"
    sql = (f"SELECT v.submission_id, v.field, v.raw, v.verified_raw FROM {_VALUE} v WHERE {where} AND ("
           f"v.field LIKE %s OR v.field IN ({texts}) OR (v.number IS NULL AND v.raw <> '') "
           f"OR (v.verified_raw IS NOT NULL AND v.verified_number IS NULL AND v.verified_raw <> ''))")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, "%.status", *text_fields])
        return cursor.fetchall()


def _adjusted(campaign_id, submission_ids) -> set[int]:
    where, params = _where(campaign_id, submission_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT v.submission_id FROM {_VALUE} v WHERE {where} AND v.verified_raw IS NOT NULL",
                       params)
        return {row[0] for row in cursor.fetchall()}


class _Positions:
    """Submission ids → positions in the datasets, as one numpy lookup (-1: not one of these units)."""

    def __init__(self, submission_ids: list[int]):
        ids = np.asarray(submission_ids, dtype=np.int64)
        self.low = int(ids.min()) if len(ids) else 0
        high = int(ids.max()) if len(ids) else -1
        self.table = np.full(high - self.low + 2, -1, dtype=np.int64)  # last slot: out of range
        self.table[ids - self.low] = np.arange(len(ids))

    def __call__(self, ids) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64) - self.low
        ids[(ids < 0) | (ids >= len(self.table) - 1)] = len(self.table) - 1
        return self.table[ids]


def load_datasets(compiled, units: list[EngineUnit], submission_ids: list[int], *, campaign_id: int | None = None,
                  only_these: bool = False, verified: bool = True) -> tuple[Dataset, Dataset | None, set[str]]:
    """(reported, verified, codes of units with adjusted values) for ``units`` (position i = submission_ids[i]).

    ``campaign_id``: read every value of the campaign; ``only_these``: read only these submissions.
    """
    source = (None, list(submission_ids)) if only_these or campaign_id is None else (campaign_id, None)
    reported = empty_dataset(compiled, units)
    checked = empty_dataset(compiled, units) if verified else None
    position_of = _Positions(submission_ids)
    levels = np.array([u.level for u in units], dtype=object)
    for field, ids, numbers, verified_numbers, flags in _number_columns(*source):
        spec = compiled.fields.get(field)
        if spec is None or spec.type == "text":
            continue  # unknown fields are not the engine's; texts are parsed below
        positions = position_of(ids)
        known = positions >= 0
        applies = np.isin(levels[np.where(known, positions, 0)], spec.levels) & known
        if not applies.all():  # as build_dataset says of a field given for a level it does not apply to
            for position in positions[known & ~applies]:
                unit = units[int(position)]
                for data in (reported, checked):
                    if data is not None:
                        data.problems.append(Problem(unit.id, field,
                                                     f"trường '{field}' không áp dụng cho cấp '{unit.level}'",
                                                     indicator=spec.indicator, severity="warning"))
        numbers = np.array(numbers, dtype=float)
        at = positions[applies]
        reported.values[field][at] = numbers[applies]
        if checked is not None:
            chosen = np.where(np.array(flags, dtype=bool), np.array(verified_numbers, dtype=float), numbers)
            checked.values[field][at] = chosen[applies]
    text_fields = [name for name, spec in compiled.fields.items() if spec.type == "text"]
    rows = _rows_to_parse(*source, text_fields)
    if rows:
        positions = position_of([r[0] for r in rows])
        records, verified_records = [], []
        for (_sid, field, raw, verified_raw), position in zip(rows, positions, strict=True):
            if position < 0:
                continue
            code = units[int(position)].id
            records.append((code, field, raw))
            verified_records.append((code, field, raw if verified_raw is None else verified_raw))
        add_records(reported, compiled, records, vietnamese=True)
        if checked is not None:
            add_records(checked, compiled, verified_records, vietnamese=True)
    adjusted_ids = _adjusted(*source) if verified else set()
    adjusted = {units[int(p)].id for p in position_of(list(adjusted_ids)) if p >= 0} if adjusted_ids else set()
    return reported, checked, adjusted
