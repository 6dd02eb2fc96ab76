"""The framework file format: pydantic models for a methodology written as data.

A framework is what an official decision publishes: levels of units, general
information that is collected but never scored, and a tree of indicators with
maximum points, input fields and a scoring rule.  The models only check shape;
semantic checks that compare numbers live in ``validate.py`` so that the
documents' own inconsistencies are reported instead of refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .rules import Award, Rule, RuleModel, Step, Strict, parse_when

__all__ = ["Award", "Rule", "RuleModel", "Step", "Strict"]  # a rule's own model lives with its kind, in rules/


# --------------------------------------------------------------------------- #
# Framework header


class Source(Strict):
    """The legal source of the methodology."""

    document: str = Field(description="Số hiệu văn bản, e.g. '79/QĐ-UBND'")
    date: dt.date | None = Field(None, description="Ngày ban hành")
    issuer: str | None = Field(None, description="Cơ quan ban hành")
    annex: str | None = Field(None, description="Phụ lục, e.g. 'Phụ lục I'")
    title: str | None = None


class Inference(Strict):
    """A fact the document does not state, added by whoever transcribed it, and why."""

    inferred: Literal[True] = Field(description="Always true: the value is not printed in the document")
    reason: str = Field(min_length=1, description="Why the value was inferred, in Vietnamese")


class Declared(Strict):
    """A figure the document declares (a total, a count), where it is written and how.

    Checked against the table by the validator, never used for scoring.  A document may declare
    the same figure twice, differently ("thang điểm 690" in the text, "Tổng điểm (660)" in the
    table): each is one entry."""

    figure: Literal["total", "indicators", "pillars"] = Field(
        description="total: tổng điểm tối đa; indicators: số chỉ số thành phần; pillars: số chỉ số chính"
    )
    value: float
    where: str = Field(min_length=1, description="Where the document writes it, e.g. '§II.1.b', 'bảng §II.1.b'")
    text: str | None = Field(None, description="The document's words, verbatim: 'thang điểm 690'")
    level: str | None = Field(None, description="On an indicator: the level the figure is for (default: every level)")


class Level(Strict):
    """A level of units the framework applies to (so, huyen, xa, tinh…)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    declared_total: float | None = Field(
        None, description="Tổng điểm the document states for this level (checked, never used)"
    )
    declared_indicators: int | None = Field(
        None, description="Number of scored indicators the document states (checked)"
    )
    declared_pillars: int | None = Field(None, description="Number of chỉ số chính the document states")
    declared: list[Declared] = Field(
        default_factory=list, description="Every total and count the document declares for this level, with where"
    )


class MaturityLevel(Strict):
    level: int = Field(ge=1)
    name: str
    description: str | None = None


class Policies(Strict):
    """What happens when a unit gives no data, has no such content, or is exempted."""

    missing_data: Literal["zero", "exclude"] = Field(
        "zero", description="No data for an indicator: 0 points (QĐ 79 §II.2.c) or excluded"
    )
    no_content: Literal["full", "exclude", "zero"] = Field(
        "full", description="Unit has no such content (e.g. no TTHC): full points (QĐ 79) or excluded"
    )
    exempt: Literal["exclude", "full"] = Field(
        "exclude", description="Exempted by a competent authority in writing: excluded (QĐ 931 §II.3.c)"
    )
    rescale: bool = Field(
        False,
        description="Result = scored points × 100 / applicable maximum (QĐ 931 §II.3.c); rank by it",
    )


# --------------------------------------------------------------------------- #
# Calendar: the process's steps and their yearly dates (QĐ 121 mục II.3, QĐ 931 mục III.1)

StepKind = Literal["registration", "data_period", "self_assessment", "review", "recognition", "approval", "report",
                   "publication"]
STEP_KINDS: tuple[str, ...] = ("registration", "data_period", "self_assessment", "review", "recognition", "approval",
                               "report", "publication")
_DAY_MONTH = r"^\d{2}/\d{2}$"


def _day_month(text: str, year: int) -> dt.date:
    day, month = (int(part) for part in text.split("/"))
    return dt.date(year, month, day)


class CalendarStep(Strict):
    """One step of the yearly process and the date the document gives it ("trước ngày 20 tháng 01 hằng năm").

    Dates are day/month as printed; the year is the campaign's (plus ``year_offset``).  ``before``
    reads "trước ngày …": the last day allowed is the day before the printed date."""

    step: StepKind = Field(description="registration: đăng ký mức độ; data_period: niên hạn số liệu; self_assessment: "
                                       "tự đánh giá, gửi hồ sơ; review: thẩm định; recognition: công nhận; "
                                       "approval: phê duyệt kết quả; report: báo cáo; publication: công bố")
    name: str = Field(min_length=1, description="The step in Vietnamese, e.g. 'Đăng ký mức độ chuyển đổi số'")
    date: str = Field(pattern=_DAY_MONTH, description="Day/month as printed: '20/01' (the period's end for data_period)")
    start: str | None = Field(None, pattern=_DAY_MONTH, description="data_period only: the first day, '01/01'")
    before: bool = Field(True, description="'trước ngày …': the last day allowed is the day before 'date'")
    year_offset: int = Field(0, ge=-1, le=1, description="+1 when the step falls in the year after the assessed one")
    levels: list[str] | None = Field(None, description="Levels the step is for (default: every level)")
    who: str | None = Field(None, description="Who receives or acts, e.g. 'Sở Khoa học và Công nghệ'")
    text: str | None = Field(None, description="The document's words, verbatim")
    where: str | None = Field(None, description="Where the document says it, e.g. 'mục II.3'")

    @model_validator(mode="after")
    def _valid_dates(self) -> CalendarStep:
        for text in (self.date, self.start):
            if text is None:
                continue
            try:
                _day_month(text, 2023)  # not a leap year: a yearly date must exist every year
            except ValueError:
                raise ValueError(f"ngày '{text}' không có trong năm (dd/mm)") from None
        if self.start is not None and self.step != "data_period":
            raise ValueError("chỉ bước 'data_period' (niên hạn số liệu) có ngày bắt đầu 'start'")
        if self.start is not None and _day_month(self.start, 2023) > _day_month(self.date, 2023):
            raise ValueError(f"niên hạn số liệu: ngày bắt đầu {self.start} sau ngày kết thúc {self.date}")
        return self

    def due(self, year: int) -> dt.date:
        """The last day allowed in the campaign of ``year``."""
        printed = _day_month(self.date, year + self.year_offset)
        return printed - dt.timedelta(days=1) if self.before else printed

    def first_day(self, year: int) -> dt.date | None:
        return _day_month(self.start, year + self.year_offset) if self.start is not None else None


# --------------------------------------------------------------------------- #
# Inputs

FieldType = Literal["number", "integer", "money", "percent", "yes_no", "choice", "date", "count", "text"]
_VAR = re.compile(r"^[a-z][a-z0-9_]*$")


class Option(Strict):
    value: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str


class InputField(Strict):
    """One of the document's a, b, c… for an indicator (or a general-information field)."""

    var: str = Field(description="Variable name used in expressions, e.g. 'a'")
    label: str
    type: FieldType = "number"
    unit: str | None = Field(None, description="Đơn vị: 'người', 'tỷ đồng', '%'…")
    min: float | None = None
    max: float | None = None
    options: list[Option] | None = Field(None, description="For type 'choice'")
    required: bool = True
    help: str | None = None

    @field_validator("var")
    @classmethod
    def _var_name(cls, value: str) -> str:
        if not _VAR.match(value):
            raise ValueError("tên biến chỉ gồm chữ thường không dấu, số và '_' (vd. 'a', 'so_can_bo')")
        return value

    @model_validator(mode="after")
    def _choice_has_options(self) -> InputField:
        if self.type == "choice" and not self.options:
            raise ValueError(f"trường '{self.var}' kiểu choice phải có danh sách options")
        if self.type in {"percent", "count", "money", "integer"} and self.min is None:
            self.min = 0.0
        if self.type == "percent" and self.max is None:
            self.max = 100.0
        return self


class Constraint(Strict):
    """A cross-field constraint such as ``a <= b``, checked on every unit's data."""

    check: str = Field(description="Comparison between expressions, e.g. 'a <= b'")
    message: str | None = Field(None, description="Vietnamese message shown when violated")
    inferred: bool = Field(False, description="True when the document does not state the constraint")
    reason: str | None = Field(None, description="Why an inferred constraint holds (required when inferred)")

    @model_validator(mode="after")
    def _reasoned(self) -> Constraint:
        if self.inferred and not self.reason:
            raise ValueError(f"ràng buộc '{self.check}' là suy luận (inferred) nên phải ghi lý do (reason)")
        return self


class GeneralField(InputField):
    """General information (Thông tin chung): collected, never scored."""

    group: str | None = None
    stt: str | None = Field(None, description="Số thứ tự as printed, e.g. '1.4'")


# --------------------------------------------------------------------------- #
# Maturity levels (Kon Tum QĐ 121)


class Alternative(Strict):
    """One side of a cell's 'hoặc': a condition on the criterion's value, or on a value of its own."""

    when: str = Field(description="'>= 3' on the criterion's value (or on ``value``)")
    value: str | None = Field(None, description="Expression of its own, e.g. 'a / b'; default: the criterion's")
    percent: bool = Field(False, description="Own value = expression × 100, compared in %")
    text: str | None = Field(None, description="The document's words for this alternative")

    @field_validator("when")
    @classmethod
    def _parse_when(cls, value: str) -> str:
        parse_when(value)
        return value


class LevelCondition(Strict):
    """What a criterion needs at one maturity level; ``null`` in the file = Không áp dụng."""

    when: str | None = Field(None, description="'>= 50' on the criterion's value")
    text: str | None = Field(None, description="The document's wording for this level, verbatim")
    any: list[Alternative] | None = Field(
        None, min_length=2, description="'… hoặc …': the level is met when one of these holds (instead of 'when')"
    )

    @field_validator("when")
    @classmethod
    def _parse_when(cls, value: str | None) -> str | None:
        if value is not None:
            parse_when(value)
        return value

    @model_validator(mode="after")
    def _when_or_any(self) -> LevelCondition:
        if self.when is not None and self.any is not None:
            raise ValueError("một mức ghi 'when' hoặc 'any' (các điều kiện 'hoặc'), không ghi cả hai")
        return self

    @property
    def required(self) -> bool:
        """False for a level the criterion does not apply at (no condition)."""
        return self.when is not None or self.any is not None


class ChildrenLevelCondition(Strict):
    """'100% xã đạt mức L−1 trở lên, tối thiểu 50% đạt mức L' (district general criterion)."""

    all_at_least: int = Field(ge=0, description="Every child unit reaches at least this level")
    share_at_least: int | None = Field(None, ge=1, description="Level that a share of children must reach")
    min_share: float = Field(0, ge=0, le=100, description="That share, in %")
    text: str | None = None

    @property
    def required(self) -> bool:
        return True


class Maturity(Strict):
    """Per-level conditions of a criterion; list index 0 is level 1."""

    value: str | None = Field(None, description="Expression for the criterion's value, e.g. 'a / b'")
    percent: bool = False
    field: str | None = Field(None, description="Yes/no or count field compared directly")
    levels: list[LevelCondition | None] | None = None
    children: list[ChildrenLevelCondition] | None = Field(
        None, description="District criterion computed from its communes' levels"
    )
    child_level: str | None = Field(None, description="Level code of the children, e.g. 'xa'")

    @model_validator(mode="after")
    def _shape(self) -> Maturity:
        if (self.levels is None) == (self.children is None):
            raise ValueError("tiêu chí mức độ cần đúng một trong hai: 'levels' hoặc 'children'")
        if self.levels is not None and (self.value is None) == (self.field is None):
            raise ValueError("tiêu chí mức độ cần đúng một trong hai: 'value' hoặc 'field'")
        return self


# --------------------------------------------------------------------------- #
# Indicators


class Reading(Strict):
    """One way to read a passage the document leaves open; an indicator with readings has no ``rule``."""

    name: str = Field(pattern=r"^[a-z0-9_]+$", description="Short name used to choose it: 'literal', 'growth'")
    label: str = Field(description="What this reading does, in Vietnamese")
    text: str | None = Field(None, description="The document's words being read, verbatim")
    reason: str | None = Field(None, description="Why this reading is possible (or why it is the default)")
    default: bool = False
    rule: Rule


class Indicator(Strict):
    code: str = Field(description="Code as printed: '6.12', '8.8.2.1'")
    name: str
    max_points: float | dict[str, float] | None = Field(
        None, description="Điểm tối đa; a mapping level → points when it differs per level"
    )
    levels: list[str] | None = Field(None, description="Levels this applies to; inherited by children")
    unit: str | None = Field(None, description="Đơn vị tính")
    inputs: list[InputField] = Field(default_factory=list)
    constraints: list[Constraint] = Field(default_factory=list)
    method: str | None = Field(None, description="The document's method text, verbatim")
    conditions: str | None = Field(None, description="Điều kiện (Huế), verbatim")
    guidance: str | None = Field(None, description="Hướng dẫn thực hiện, verbatim")
    evidence: str | None = Field(None, description="Tài liệu kiểm chứng required")
    evidence_signed: bool = Field(
        False, description="The evidence must be an electronic file with a digital signature ('File điện tử có ký số')"
    )
    data_source: str | None = None
    automatic_source: str | None = Field(None, description="Platform the data is collected from (Hue-S, IOC)")
    responsible: str | None = Field(None, description="Cơ quan chịu trách nhiệm / cung cấp số liệu")
    legal_basis: str | None = Field(None, description="Căn cứ")
    meta: dict[str, Any] = Field(default_factory=dict, description="Free metadata (plan agencies, deadline…)")
    code_origin: Inference | None = Field(
        None, description="Set when the document prints no code for this item: the code is the transcriber's"
    )
    declared: list[Declared] = Field(
        default_factory=list, description="Totals and counts the document declares for this indicator elsewhere"
    )
    rule: Rule | None = None
    readings: list[Reading] = Field(
        default_factory=list, description="Alternative readings of a passage the document leaves open; one is default"
    )
    maturity: Maturity | None = None
    children: list[Indicator] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> Indicator:
        if self.children and (self.rule is not None or self.maturity is not None or self.readings):
            raise ValueError(f"chỉ số {self.code}: chỉ số cha là tổng các chỉ số con, không có 'rule' riêng")
        if self.readings:
            if self.rule is not None or self.maturity is not None:
                raise ValueError(f"chỉ số {self.code}: có 'readings' thì mỗi cách đọc mang 'rule' riêng, "
                                 "không ghi 'rule' ở chỉ số")
            if len(self.readings) < 2:
                raise ValueError(f"chỉ số {self.code}: 'readings' cần ít nhất hai cách đọc")
            names = [r.name for r in self.readings]
            if len(set(names)) != len(names):
                raise ValueError(f"chỉ số {self.code}: tên cách đọc bị trùng")
            if sum(r.default for r in self.readings) != 1:
                raise ValueError(f"chỉ số {self.code}: đúng một cách đọc có 'default: true'")
        return self

    @property
    def default_reading(self) -> Reading | None:
        return next((r for r in self.readings if r.default), None)

    def reading(self, name: str) -> Reading | None:
        return next((r for r in self.readings if r.name == name), None)

    def max_for(self, level: str) -> float | None:
        if isinstance(self.max_points, dict):
            return self.max_points.get(level)
        return self.max_points

    @property
    def is_leaf(self) -> bool:
        return not self.children


Indicator.model_rebuild()


class Framework(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: str
    source: Source
    year: int
    version: str = "1"
    description: str | None = None
    levels: list[Level] = Field(min_length=1)
    policies: Policies = Field(default_factory=Policies)
    scored: bool = Field(True, description="False for KPI sets that have no points")
    maturity_levels: list[MaturityLevel] | None = None
    calendar: list[CalendarStep] | None = Field(
        None, description="The yearly process's steps and dates; a campaign takes them as its default deadlines"
    )
    general_info: list[GeneralField] = Field(default_factory=list)
    indicators: list[Indicator] = Field(min_length=1)

    @model_validator(mode="after")
    def _calendar(self) -> Framework:
        if self.calendar is None:
            return self
        kinds = [step.step for step in self.calendar]
        if len(set(kinds)) != len(kinds):
            raise ValueError("lịch: mỗi bước (step) chỉ ghi một lần")
        codes = set(self.level_codes)
        for step in self.calendar:
            unknown = [code for code in step.levels or () if code not in codes]
            if unknown:
                raise ValueError(f"lịch, bước '{step.step}': cấp {', '.join(unknown)} không có trong bộ chỉ số")
        return self

    @property
    def level_codes(self) -> list[str]:
        return [level.code for level in self.levels]

    def calendar_step(self, step: str) -> CalendarStep | None:
        return next((s for s in self.calendar or () if s.step == step), None)

    def walk(self) -> Iterator[tuple[Indicator, Indicator | None]]:
        """Every indicator, depth first, with its parent (None at the top)."""
        stack: list[tuple[Indicator, Indicator | None]] = [(i, None) for i in reversed(self.indicators)]
        while stack:
            node, parent = stack.pop()
            yield node, parent
            stack.extend((c, node) for c in reversed(node.children))
