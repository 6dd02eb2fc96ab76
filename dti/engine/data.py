"""Unit data: parsing what people type (Vietnamese style) into arrays, with precise problems.

A ``Dataset`` holds one float array per input field (NaN = not given), aligned with
the list of units.  Yes/no is 1/0, a date is its ordinal day, a choice the index of
its option.  Anything that cannot be read becomes a ``Problem`` and stays NaN, so
the other fields of that unit are still scored.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .arrays import format_number as format_number  # re-exported: the web app formats with it
from .compiled import CompiledFramework, FieldSpec
from .messages import DEFAULT, Message, language, render

NO_STATUS, NO_CONTENT, EXEMPT = 0, 1, 2
STATUS_WORDS = {
    "no_content": NO_CONTENT,
    "khong_co_noi_dung": NO_CONTENT,
    "không có nội dung": NO_CONTENT,
    "exempt": EXEMPT,
    "mien": EXEMPT,
    "miễn": EXEMPT,
    "miễn đánh giá": EXEMPT,
    "khong_danh_gia": EXEMPT,
    "không đánh giá": EXEMPT,
    "": NO_STATUS,
}
_YES = {"có", "co", "yes", "y", "1", "true", "x", "đã", "da", "đạt", "dat", "đã ban hành", "có sử dụng"}
_NO = {"không", "khong", "no", "n", "0", "false", "chưa", "chua", "chưa ban hành", "chưa sử dụng"}


class Problem:
    """One problem with a unit's data (or the framework).  ``message`` may be given as a
    callable or a ``Message`` (rendered in any language by ``text``): a national run can find
    thousands of problems, and most are never read."""

    __slots__ = ("unit", "field", "_message", "_source", "indicator", "severity")

    def __init__(self, unit: str | None, field: str | None, message: str | Message | Callable[[], str],
                 indicator: str | None = None, severity: str = "error"):
        self.unit, self.field, self._message = unit, field, message
        self._source: Message | None = message if isinstance(message, Message) else None
        self.indicator, self.severity = indicator, severity

    def __reduce__(self) -> tuple[Any, ...]:
        # A lazy message may be a closure, which cannot be pickled: a pickled problem carries its
        # text, or its Message (an id and parameters, picklable) so that it still speaks English.
        message = self._source if self._source is not None else self.message
        return (Problem, (self.unit, self.field, message, self.indicator, self.severity))

    @property
    def message(self) -> str:
        """In Vietnamese."""
        if not isinstance(self._message, str):
            self._message = render(self._message)
        return self._message

    @message.setter
    def message(self, text: str) -> None:
        self._message, self._source = text, None

    def text(self, lang: str = DEFAULT) -> str:
        """The message in ``lang`` when it was given as a ``Message``, else as given."""
        lang = language(lang)
        if self._source is not None and lang != DEFAULT:
            return self._source(lang)
        return self.message

    def as_dict(self, lang: str = DEFAULT) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "field": self.field,
            "indicator": self.indicator,
            "severity": self.severity,
            "message": self.text(lang),
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self.as_dict() == other.as_dict()

    def __repr__(self) -> str:
        return f"Problem({self.unit!r}, {self.field!r}, {self.message!r}, indicator={self.indicator!r})"


@dataclass
class Unit:
    id: str
    name: str = ""
    level: str = ""
    parent: str | None = None


@dataclass
class Dataset:
    units: list[Unit]
    values: dict[str, np.ndarray] = field(default_factory=dict)
    statuses: dict[str, np.ndarray] = field(default_factory=dict)  # indicator code -> NO_CONTENT/EXEMPT
    texts: dict[str, list[str | None]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.units)

    @property
    def index(self) -> dict[str, int]:
        return {u.id: i for i, u in enumerate(self.units)}

    # The unit list as arrays, made once: part of parsing, so a scoring run never loops over units.
    # Treat ``units`` as fixed once a Dataset has been scored.
    @cached_property
    def unit_ids(self) -> np.ndarray:
        """The unit ids as fixed-width text: compared in one vectorised pass (objects compare one by one)."""
        return np.array([u.id for u in self.units], dtype=str) if self.units else np.array([], dtype=str)

    @cached_property
    def unit_levels(self) -> np.ndarray:
        return np.array([u.level for u in self.units], dtype=object)

    def level_positions(self, level_codes: tuple[str, ...]) -> np.ndarray:
        """Each unit's level as its position in ``level_codes`` (-1: not among them); read-only."""
        cache: dict[tuple[str, ...], np.ndarray] = self.__dict__.setdefault("_level_positions", {})
        if level_codes not in cache:
            where = {code: i for i, code in enumerate(level_codes)}
            positions = np.array([where.get(level, -1) for level in self.unit_levels.tolist()], dtype=np.int64)
            positions.flags.writeable = False
            cache[level_codes] = positions
        return cache[level_codes]


class ValueError_(ValueError):
    """A value that cannot be read; ``str()`` is the Vietnamese message shown to the user, ``text``
    renders it in another language when it was raised with a ``Message``."""

    def __init__(self, message: str | Message):
        super().__init__(str(message))
        self.said = message

    def text(self, lang: str = DEFAULT) -> str:
        return render(self.said, language(lang))


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_number(text: str, *, vietnamese: bool = False) -> float:
    """Read '1.234,5', '1,234.5', '33,33', '80%' and '1234.5'.

    With both separators the last one is the decimal mark.  A lone ',' is a decimal
    comma.  A lone '.' is a decimal point, except with ``vietnamese=True`` (form input)
    where '1.234' and '1.234.567' are thousands.
    """
    raw = _normalise(text).replace("\u00a0", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if not raw:
        raise ValueError_(Message("value.empty"))
    if _PLAIN.match(raw) and not (vietnamese and re.match(r"^[+-]?\d{1,3}(\.\d{3})+$", raw)):
        return float(raw)
    commas, dots = raw.count(","), raw.count(".")
    if commas and dots:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        raw = raw.replace(thousands, "").replace(decimal, ".")
    elif commas == 1:
        raw = raw.replace(",", ".")
    elif commas > 1 or dots > 1 or (vietnamese and dots == 1):
        if not re.match(r"^[+-]?\d{1,3}([.,]\d{3})+$", raw):
            raise ValueError_(Message("value.not_number", text=str(text)))
        raw = raw.replace(",", "").replace(".", "")
    try:
        return float(raw)
    except ValueError:
        raise ValueError_(Message("value.not_number", text=str(text))) from None


def parse_date(text: str) -> dt.date:
    raw = _normalise(text)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError_(Message("value.not_date", text=str(text)))


def parse_value(spec: FieldSpec, value: Any, *, vietnamese: bool = False) -> float | str:
    """One raw value → the float the engine stores (or text for text fields)."""
    kind = spec.type
    if kind == "text":
        return _normalise(value)
    if isinstance(value, bool):
        if kind == "yes_no":
            return 1.0 if value else 0.0
        raise ValueError_(Message("value.bool"))
    if kind == "date":
        if isinstance(value, dt.date):
            return float(value.toordinal())
        return float(parse_date(str(value)).toordinal())
    if kind == "yes_no":
        if isinstance(value, (int, float)):  # only 1 and 0: int(0.5) would read as 'Không', int(nan) raises
            word = str(int(value)) if value in (0, 1) else str(value)
        else:
            word = _normalise(value).lower()
        if word in _YES:
            return 1.0
        if word in _NO:
            return 0.0
        raise ValueError_(Message("value.not_yes_no", text=str(value)))
    if kind == "choice":
        word = _normalise(value).lower()
        for index, option in enumerate(spec.spec.options or []):
            if word in (option.value, _normalise(option.label).lower()):
                return float(index)
        allowed = ", ".join(o.label for o in spec.spec.options or [])
        raise ValueError_(Message("value.not_option", text=str(value), allowed=allowed))
    number = float(value) if isinstance(value, (int, float)) else parse_number(str(value), vietnamese=vietnamese)
    if not np.isfinite(number):
        raise ValueError_(Message("value.not_finite", text=str(value)))
    if kind in {"integer", "count"} and number != int(number):
        raise ValueError_(Message("value.not_integer", text=str(value)))
    return number


def range_message(spec: FieldSpec, number: float) -> Message | None:
    """The message for a value outside the field's bounds, or None."""
    low, high = spec.spec.min, spec.spec.max
    if low is not None and number < low:
        return Message("range.below", value=float(number), low=float(low))
    if high is not None and number > high:
        return Message("range.above", value=float(number), high=float(high))
    return None


def check_range(spec: FieldSpec, number: float, lang: str = DEFAULT) -> str | None:
    """The message (Vietnamese unless ``lang``) for a value outside the field's bounds, or None."""
    message = range_message(spec, number)
    return None if message is None else message(language(lang))


class Columns(dict[str, np.ndarray]):
    """A Dataset's numeric arrays as the rows of one matrix (field name → row).

    Indicators scored together read each variable as consecutive rows, one array without
    a copy (``stacked``).  An entry replaced afterwards is simply no longer a row."""

    def __init__(self, matrix: np.ndarray, names: list[str]):
        super().__init__((name, matrix[row]) for row, name in enumerate(names))
        self.matrix = matrix
        self._row = {name: row for row, name in enumerate(names)}
        self._made = dict(self)  # the row views as made

    def stacked(self, names: list[str]) -> np.ndarray | None:
        """The fields ``names`` laid end to end, when they are consecutive untouched rows."""
        first = self._row.get(names[0])
        if first is None:
            return None
        for offset, name in enumerate(names):
            if self._row.get(name) != first + offset or dict.get(self, name) is not self._made[name]:
                return None
        return self.matrix[first:first + len(names)].reshape(-1)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its matrix, so the rows come back as views of one matrix (not as copies
        # beside it), plus the entries replaced since.
        replaced = {name: array for name, array in self.items() if self._made.get(name) is not array}
        return (_columns_from, (self.matrix, list(self._row), replaced))

    def copy(self) -> Columns:
        """An independent copy, still one matrix (entries replaced since are copied as they are)."""
        names = list(self._row)
        copied = Columns(self.matrix.copy(), names)
        for name, array in self.items():
            if name not in self._made or array is not self._made[name]:
                dict.__setitem__(copied, name, array.copy())
        return copied


def _columns_from(matrix: np.ndarray, names: list[str], replaced: dict[str, np.ndarray]) -> Columns:
    columns = Columns(matrix, names)
    dict.update(columns, replaced)
    return columns


def new_values(compiled: CompiledFramework, size: int) -> Columns:
    """One array per numeric field, all NaN (not given), as rows of one matrix laid out in
    ``compiled.value_layout``: the indicators scored together then read their inputs in place."""
    layout = compiled.value_layout
    return Columns(np.full((len(layout), size), np.nan), layout)


def copy_values(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A copy of a Dataset's arrays, keeping them rows of one matrix when they were."""
    if isinstance(values, Columns):
        return values.copy()
    return {name: array.copy() for name, array in values.items()}


def build_dataset(
    compiled: CompiledFramework,
    units: list[Unit],
    records: Iterable[tuple[str, str, object]],
    *,
    vietnamese: bool = False,
) -> Dataset:
    """Long records (unit, field, raw value) → a Dataset; problems collected, never raised."""
    data = empty_dataset(compiled, units)
    add_records(data, compiled, records, vietnamese=vietnamese)
    return data


def empty_dataset(compiled: CompiledFramework, units: list[Unit]) -> Dataset:
    """A Dataset of ``units`` with every value missing (NaN) and every text empty."""
    data = Dataset(units=list(units))
    size = len(units)
    data.values = new_values(compiled, size)
    for name, field_spec in compiled.fields.items():
        if field_spec.type == "text":
            data.texts[name] = [None] * size
    return data


def add_records(
    data: Dataset,
    compiled: CompiledFramework,
    records: Iterable[tuple[str, str, object]],
    *,
    vietnamese: bool = False,
) -> None:
    """Parse long records (unit, field, raw value) into ``data``; problems collected, never raised."""
    size = len(data.units)
    index = data.index
    level_of = {u.id: u.level for u in data.units}
    for unit_id, field_name, raw in records:
        unit_id, field_name = _normalise(unit_id), _normalise(field_name)
        position = index.get(unit_id)
        if position is None:
            data.problems.append(Problem(unit_id, field_name, Message("problem.unknown_unit", unit=unit_id)))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if field_name.endswith(".status") and field_name[: -len(".status")] in compiled.nodes:
            code = field_name[: -len(".status")]
            word = _normalise(str(raw)).lower()
            if word not in STATUS_WORDS:
                data.problems.append(
                    Problem(
                        unit_id,
                        field_name,
                        Message("problem.bad_status", raw=str(raw)),
                        indicator=code,
                    )
                )
                continue
            data.statuses.setdefault(code, np.zeros(size, dtype=np.int8))[position] = STATUS_WORDS[word]
            continue
        spec = compiled.fields.get(field_name)
        if spec is None:
            data.problems.append(Problem(unit_id, field_name, Message("problem.unknown_field", field=field_name)))
            continue
        if level_of[unit_id] not in spec.levels:
            data.problems.append(
                Problem(
                    unit_id,
                    field_name,
                    Message("problem.field_level", field=field_name, level=level_of[unit_id]),
                    indicator=spec.indicator,
                    severity="warning",
                )
            )
            continue
        try:
            parsed = parse_value(spec, raw, vietnamese=vietnamese)
        except ValueError_ as exc:
            data.problems.append(Problem(unit_id, field_name, Message("problem.labelled", label=spec.label, message=exc.said),
                                         indicator=spec.indicator))
            continue
        if isinstance(parsed, str):
            data.texts[field_name][position] = parsed
        else:
            data.values[field_name][position] = parsed


def read_units_csv(path: str | Path) -> list[Unit]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"unit", "name", "level"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError_(f"tệp đơn vị thiếu cột: {', '.join(sorted(missing))} (cần unit,name,level[,parent])")
        return [
            Unit(
                id=_normalise(row["unit"]),
                name=_normalise(row.get("name") or ""),
                level=_normalise(row["level"]),
                parent=_normalise(row.get("parent") or "") or None,
            )
            for row in reader
        ]


def read_long_csv(path: str | Path) -> list[tuple[str, str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"unit", "field", "value"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError_(f"tệp dữ liệu thiếu cột: {', '.join(sorted(missing))} (cần unit,field,value)")
        return [(row["unit"], row["field"], row["value"]) for row in reader]
