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
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


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
# Scoring rules


class Award(Strict):
    """Points awarded by a step: either absolute points or a share of the indicator's maximum."""

    points: float | None = None
    share: float | None = Field(None, description="Fraction of max points, e.g. 0.5 for '1/2 × Điểm tối đa'")

    @model_validator(mode="after")
    def _one_of(self) -> Award:
        if (self.points is None) == (self.share is None):
            raise ValueError("ghi đúng một trong hai: 'points' hoặc 'share'")
        return self


_WHEN = re.compile(r"^\s*(>=|<=|>|<|==|=|≥|≤)\s*(-?[0-9]+(?:[.,][0-9]+)?)\s*$")


class Step(Award):
    """A threshold: ``when: '>= 80'`` — the first step whose condition holds wins."""

    when: str = Field(description="Operator and number: '> 80', '>= 50', '< 0.5', '== 1'")
    label: str | None = None

    @field_validator("when")
    @classmethod
    def _parse_when(cls, value: str) -> str:
        if not _WHEN.match(value):
            raise ValueError(f"điều kiện '{value}' phải có dạng '>= 80', '> 50', '< 10' hoặc '== 1'")
        return value

    @property
    def op(self) -> str:
        op = _WHEN.match(self.when).group(1)  # type: ignore[union-attr]
        return {"≥": ">=", "≤": "<=", "=": "=="}.get(op, op)

    @property
    def threshold(self) -> float:
        return float(_WHEN.match(self.when).group(2).replace(",", "."))  # type: ignore[union-attr]


class _Measured(Strict):
    value: str = Field(description="Arithmetic expression over the indicator's variables, e.g. 'a / b'")
    percent: bool = Field(False, description="Value = expression × 100, shown and compared in %")
    when_zero_denominator: Literal["no_data", "not_applicable", "full", "zero"] = Field(
        "no_data", description="What a division by zero means for this indicator"
    )


class RatioRule(_Measured):
    """Điểm = Tỷ lệ × Điểm tối đa; with a target: ≥ target → max, else Tỷ lệ/target × max."""

    kind: Literal["ratio"]
    percent: bool = True
    target: float | None = Field(
        None, ge=0, description="Value for full points (in % if percent); default 100, or 0 when lower"
    )
    direction: Literal["higher", "lower"] = Field(
        "higher",
        description="'lower': the smaller the better — at or below target full points, "
        "linearly down to 0 points at 100%",
    )

    @property
    def effective_target(self) -> float:
        if self.target is not None:
            return self.target
        return 100.0 if self.direction == "higher" else 0.0

    @model_validator(mode="after")
    def _target(self) -> RatioRule:
        if self.direction == "higher" and self.target == 0:
            raise ValueError("mục tiêu (target) của tỷ lệ phải lớn hơn 0")
        if self.direction == "lower" and self.effective_target >= 100:
            raise ValueError("với direction: lower, target phải nhỏ hơn 100")
        return self


class StepsRule(_Measured):
    """Thresholds: the first matching step awards its points; otherwise ``otherwise``."""

    kind: Literal["steps"]
    steps: list[Step] = Field(min_length=1)
    otherwise: Award = Field(default_factory=lambda: Award(points=0))


class CountRule(_Measured):
    """Counts: ``per_item`` points each capped at max, or a ``minimum`` count for full points."""

    kind: Literal["count"]
    per_item: float | None = Field(None, gt=0, description="Points per counted item ('mỗi hoạt động: 1 điểm')")
    minimum: float | None = Field(None, gt=0, description="Count needed for full points ('tối thiểu 24 tin bài')")
    below_minimum: Literal["zero", "proportional"] = "zero"

    @model_validator(mode="after")
    def _one_of(self) -> CountRule:
        if (self.per_item is None) == (self.minimum is None):
            raise ValueError("quy tắc count cần đúng một trong hai: 'per_item' hoặc 'minimum'")
        return self


class RelativeRule(_Measured):
    """Relative to peers of the same level in the same run.

    ``min_max``: (value − lowest) / (highest − lowest) × max — the unit with the highest value
    gets full points and the lowest 0.  ``max_ratio``: value / highest × max (922 §7.10).
    """

    kind: Literal["relative"]
    method: Literal["min_max", "max_ratio"]
    direction: Literal["higher", "lower"] = "higher"


class GrowthRule(_Measured):
    """Growth against the previous period: (current − previous) / previous in %."""

    kind: Literal["growth"]
    target: float | None = Field(None, gt=0, description="Growth (%) for full points; below: growth/target × max")
    steps: list[Step] | None = None
    otherwise: Award = Field(default_factory=lambda: Award(points=0))

    @model_validator(mode="after")
    def _one_of(self) -> GrowthRule:
        if (self.target is None) == (self.steps is None):
            raise ValueError("quy tắc growth cần đúng một trong hai: 'target' hoặc 'steps'")
        return self


class ChoiceScore(Award):
    option: str


class ChoiceRule(Strict):
    """One choice field; each option awards points or a share ('Phó giám đốc: 1/2 × tối đa')."""

    kind: Literal["choice"]
    field: str
    scores: list[ChoiceScore] = Field(min_length=1)


class YesNoRule(Strict):
    """Có: full points (or ``yes`` award); Không: ``no`` award (default 0)."""

    kind: Literal["yes_no"]
    field: str
    yes: Award = Field(default_factory=lambda: Award(share=1))
    no: Award = Field(default_factory=lambda: Award(points=0))


class DateStep(Award):
    by: str = Field(description="Deadline 'dd/mm' in the assessment year, inclusive")

    @field_validator("by")
    @classmethod
    def _ddmm(cls, value: str) -> str:
        if not re.match(r"^\d{1,2}/\d{1,2}$", value):
            raise ValueError(f"hạn '{value}' phải có dạng dd/mm, vd. '31/01'")
        day, month = (int(x) for x in value.split("/"))
        dt.date(2024, month, day)  # raises on an impossible date
        return value


class DateRule(Strict):
    """A date condition: 'ban hành trong tháng 1: tối đa; sau đó 50%'."""

    kind: Literal["date"]
    field: str
    since: str = Field("01/01", description="Dates before this day of the assessment year are out of period")
    early: Award = Field(default_factory=lambda: Award(points=0), description="Award for an out-of-period date")
    steps: list[DateStep] = Field(min_length=1)

    @field_validator("since")
    @classmethod
    def _since(cls, value: str) -> str:
        return DateStep._ddmm(value)
    otherwise: Award = Field(default_factory=lambda: Award(points=0))


class ManualRule(Strict):
    """Points typed by the assessor (qualitative criteria), capped at max."""

    kind: Literal["manual"]
    field: str


class Part(Strict):
    """A part of a checklist; its sub-rule is scored against ``points`` as its own maximum."""

    label: str
    points: float | None = None
    share: float | None = None
    rule: Rule

    @model_validator(mode="after")
    def _one_of(self) -> Part:
        if (self.points is None) == (self.share is None):
            raise ValueError(f"phần '{self.label}': ghi đúng một trong hai 'points' hoặc 'share'")
        return self


class PartsRule(Strict):
    """Parts that add up (capped at max): '4/5 × tối đa khi đáp ứng; 1/5 × tối đa khi có IPv6'."""

    kind: Literal["parts"]
    parts: list[Part] = Field(min_length=1)


class KpiRule(_Measured):
    """A monitored value without points (Bình Định KPIs): value only."""

    kind: Literal["kpi"]


Rule = Annotated[
    Union[
        RatioRule,
        StepsRule,
        CountRule,
        RelativeRule,
        GrowthRule,
        ChoiceRule,
        YesNoRule,
        DateRule,
        ManualRule,
        PartsRule,
        KpiRule,
    ],
    Field(discriminator="kind"),
]
Part.model_rebuild()


class Reading(Strict):
    """One way to read a passage the document leaves open; an indicator with readings has no ``rule``."""

    name: str = Field(pattern=r"^[a-z0-9_]+$", description="Short name used to choose it: 'literal', 'growth'")
    label: str = Field(description="What this reading does, in Vietnamese")
    text: str | None = Field(None, description="The document's words being read, verbatim")
    reason: str | None = Field(None, description="Why this reading is possible (or why it is the default)")
    default: bool = False
    rule: Rule


# --------------------------------------------------------------------------- #
# Maturity levels (Kon Tum QĐ 121)


class LevelCondition(Strict):
    """What a criterion needs at one maturity level; ``null`` in the file = Không áp dụng."""

    when: str | None = Field(None, description="'>= 50' on the criterion's value")
    text: str | None = Field(None, description="The document's wording for this level, verbatim")

    @field_validator("when")
    @classmethod
    def _parse_when(cls, value: str | None) -> str | None:
        if value is not None:
            Step._parse_when(value)
        return value


class ChildrenLevelCondition(Strict):
    """'100% xã đạt mức L−1 trở lên, tối thiểu 50% đạt mức L' (district general criterion)."""

    all_at_least: int = Field(ge=0, description="Every child unit reaches at least this level")
    share_at_least: int | None = Field(None, ge=1, description="Level that a share of children must reach")
    min_share: float = Field(0, ge=0, le=100, description="That share, in %")
    text: str | None = None


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
    general_info: list[GeneralField] = Field(default_factory=list)
    indicators: list[Indicator] = Field(min_length=1)

    @property
    def level_codes(self) -> list[str]:
        return [level.code for level in self.levels]

    def walk(self):
        """Every indicator, depth first, with its parent (None at the top)."""
        stack: list[tuple[Indicator, Indicator | None]] = [(i, None) for i in reversed(self.indicators)]
        while stack:
            node, parent = stack.pop()
            yield node, parent
            stack.extend((c, node) for c in reversed(node.children))
