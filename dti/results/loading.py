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

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from django.db import connection, connections

from dti.engine.data import Dataset, Problem, _normalise, add_records, empty_dataset
from dti.engine.data import Unit as EngineUnit
from dti.submissions.models import Submission, Value

_VALUE = Value._meta.db_table
_SUBMISSION = Submission._meta.db_table


def _where(campaign_id: int | None, submission_ids: list[int] | None) -> tuple[str, list]:
    if submission_ids is not None:
        marks = ", ".join(["%s"] * len(submission_ids)) or "NULL"
        return f"v.submission_id IN ({marks})", list(submission_ids)
    return f"v.submission_id IN (SELECT id FROM {_SUBMISSION} WHERE campaign_id = %s)", [campaign_id]


def _columns(campaign_id, submission_ids):
    """Per field: (field, ids, numbers, verified numbers, verified? flags, (ids, texts), (ids, verified texts)).

    The arrays are numpy (NaN where nothing is stored); the texts are those the numbers do not
    cover: text fields, statuses, what does not parse, and verified texts likewise.
    """
    where, params = _where(campaign_id, submission_ids)
    text = "v.number IS NULL AND v.raw <> ''"
    verified_text = "v.verified_raw IS NOT NULL AND v.verified_number IS NULL AND v.verified_raw <> ''"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Numbers as packed big-endian binary (float8send): numpy reads them without a Python object each.
            # The aggregates of one group consume its rows in one and the same order, so the i-th id, number
            # and flag belong together (sorting each aggregate would cost more than the whole read).
            order = ""
            cursor.execute(
                f"SELECT v.field, string_agg(int8send(v.submission_id), ''::bytea {order}), "
                f"string_agg(float8send(coalesce(v.number, 'NaN')), ''::bytea {order}), "
                f"string_agg(float8send(coalesce(v.verified_number, 'NaN')), ''::bytea {order}), "
                f"string_agg(CASE WHEN v.verified_raw IS NOT NULL THEN '\\x01'::bytea ELSE '\\x00'::bytea END, "
                f"''::bytea {order}), "
                f"array_agg(v.submission_id {order}) FILTER (WHERE {text}), array_agg(v.raw {order}) FILTER (WHERE {text}), "
                f"array_agg(v.submission_id {order}) FILTER (WHERE {verified_text}), "
                f"array_agg(v.verified_raw {order}) FILTER (WHERE {verified_text}) "
                f"FROM {_VALUE} v WHERE {where} GROUP BY v.field", params)
            for field, ids, numbers, verified, flags, text_ids, texts, vtext_ids, vtexts in cursor.fetchall():
                yield (field, np.frombuffer(ids, ">i8").astype(np.int64), np.frombuffer(numbers, ">f8").astype(float),
                       np.frombuffer(verified, ">f8").astype(float), np.frombuffer(flags, np.uint8).astype(bool),
                       (text_ids or [], texts or []), (vtext_ids or [], vtexts or []))
            return
        cursor.execute(f"SELECT v.field, v.submission_id, v.number, v.verified_number, v.verified_raw IS NOT NULL, "
                       f"CASE WHEN {text} THEN v.raw END, CASE WHEN {verified_text} THEN v.verified_raw END "
                       f"FROM {_VALUE} v WHERE {where}", params)
        grouped: dict[str, tuple[list, ...]] = {}
        for field, sid, number, verified, flag, raw, verified_raw in cursor.fetchall():
            g = grouped.get(field)
            if g is None:
                g = grouped[field] = ([], [], [], [], [], [], [], [])
            g[0].append(sid)
            g[1].append(number)
            g[2].append(verified)
            g[3].append(bool(flag))
            if raw is not None:
                g[4].append(sid)
                g[5].append(raw)
            if verified_raw is not None:
                g[6].append(sid)
                g[7].append(verified_raw)
        for field, g in grouped.items():
            yield (field, np.array(g[0], dtype=np.int64), np.array(g[1], dtype=float), np.array(g[2], dtype=float),
                   np.array(g[3], dtype=bool), (g[4], g[5]), (g[6], g[7]))


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
    to_parse: list[tuple[str, str, object]] = []  # (unit, field, raw) the parser reads, as build_dataset would
    to_parse_verified: list[tuple[str, str, object]] = []
    adjusted_ids: set[int] = set()
    for field, ids, numbers, verified_numbers, flags, (text_ids, texts), (vtext_ids, vtexts) in _columns(*source):
        positions = position_of(ids)
        flagged: set[int] = set()
        if flags.any():
            flagged = set(ids[flags].tolist())
            adjusted_ids.update(ids[flags & (positions >= 0)].tolist())
        spec = compiled.fields.get(field)
        if spec is None and not (field.endswith(".status") and field[:-7] in compiled.nodes):
            continue  # not the engine's
        text_positions: np.ndarray | list = position_of(text_ids) if text_ids else []
        vtext_positions: np.ndarray | list = position_of(vtext_ids) if vtext_ids else []
        if spec is None or spec.type != "text":
            if spec is not None:
                known = positions >= 0
                applies = np.isin(levels[np.where(known, positions, 0)], spec.levels) & known
                if not applies.all():  # as build_dataset says of a field given for a level it does not apply to
                    for position in positions[known & ~applies]:
                        unit = units[int(position)]
                        for data in (reported, checked):
                            if data is not None:
                                data.problems.append(Problem(
                                    unit.id, field, f"trường '{field}' không áp dụng cho cấp '{unit.level}'",
                                    indicator=spec.indicator, severity="warning"))
                at = positions[applies]
                reported.values[field][at] = numbers[applies]
                if checked is not None:
                    checked.values[field][at] = np.where(flags, verified_numbers, numbers)[applies]
            else:
                applies = positions >= 0
            fits = set(positions[applies].tolist())
            # Statuses, and what did not parse at save time: the parser gives what build_dataset would.
            for sid, position, raw in zip(text_ids, text_positions, texts, strict=True):
                if position in fits:
                    code = units[int(position)].id
                    to_parse.append((code, field, raw))
                    if sid not in flagged:
                        to_parse_verified.append((code, field, raw))
            for position, raw in zip(vtext_positions, vtexts, strict=True):
                if position in fits:
                    to_parse_verified.append((units[int(position)].id, field, raw))
            continue
        known = positions >= 0
        applies = np.isin(levels[np.where(known, positions, 0)], spec.levels) & known
        if not applies.all():  # the parser says it of a field given for a level it does not apply to
            for position in positions[known & ~applies]:
                unit = units[int(position)]
                to_parse.append((unit.id, field, "?"))
                to_parse_verified.append((unit.id, field, "?"))
        fits = set(positions[applies].tolist())
        # A text field: the text itself, normalised as the parser does.
        for sid, position, raw in zip(text_ids, text_positions, texts, strict=True):
            if position in fits and raw.strip():
                reported.texts[field][position] = text = _normalise(raw)
                if checked is not None and sid not in flagged:
                    checked.texts[field][position] = text
        if checked is not None:
            for position, raw in zip(vtext_positions, vtexts, strict=True):
                if position in fits and raw.strip():
                    checked.texts[field][position] = _normalise(raw)
    if to_parse:
        add_records(reported, compiled, to_parse, vietnamese=True)
    if checked is not None and to_parse_verified:
        add_records(checked, compiled, to_parse_verified, vietnamese=True)
    adjusted = {units[int(p)].id for p in position_of(sorted(adjusted_ids)) if p >= 0} if adjusted_ids else set()
    return reported, checked, adjusted


def verified_records(campaign_id: int, codes: dict[int, str]) -> list[tuple[str, str, str]]:
    """(unit, field, raw) of the final values (verified where adjusted), for tools that re-parse under
    another reading of the framework (the sensitivity page); not the scoring path."""
    rows = Value.objects.filter(submission__campaign_id=campaign_id).values_list("submission_id", "field", "raw",
                                                                                "verified_raw")
    return [(codes[sid], name, raw if verified_raw is None else verified_raw)
            for sid, name, raw, verified_raw in rows if sid in codes]


def side_by_side(*calls: Callable[[], Any]) -> list[Any]:
    """Run independent reads at the same time, each on its own database connection (two campaigns
    read in parallel: PostgreSQL aggregates each on its own core).  Inside a transaction (tests,
    a service) other connections would not see its rows, so there they run one after the other."""
    if len(calls) < 2 or connection.in_atomic_block or connection.vendor != "postgresql":
        return [call() for call in calls]

    def own_connection(call):
        try:
            return call()
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(len(calls) - 1) as pool:
        others = [pool.submit(own_connection, call) for call in calls[1:]]
        first = calls[0]()
        return [first, *(future.result() for future in others)]
