"""What every rule kind is made of, and the pieces several kinds share.

A rule kind is one module of this package holding the kind's model (the YAML it reads),
its compilation and validation (the fields and expressions it reads, its awards), its
scoring (whole-array arithmetic over every unit) and its Vietnamese explanation.  The
module registers one ``RuleKind`` with ``register``; the package finds every module, so
adding a kind is adding one file.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, NamedTuple, Protocol, TypeVar, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..arrays import ZERO_DIVISION, Array, IndicatorResult, compare, format_number

if TYPE_CHECKING:
    from ..compiled import Node
    from ..explain import Explaining
    from ..model import InputField
    from ..scoring import Run


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Award(Strict):
    """Points awarded by a step: either absolute points or a share of the indicator's maximum."""

    points: float | None = None
    share: float | None = Field(None, description="Fraction of max points, e.g. 0.5 for '1/2 × Điểm tối đa'")

    @model_validator(mode="after")
    def _one_of(self) -> Award:
        if (self.points is None) == (self.share is None):
            raise ValueError("ghi đúng một trong hai: 'points' hoặc 'share'")
        return self

    def value(self, maximum: float) -> float:
        """The points this award gives on an indicator of ``maximum`` points."""
        return self.points if self.points is not None else (self.share or 0.0) * maximum


_WHEN = re.compile(r"^\s*(>=|<=|>|<|==|=|≥|≤)\s*(-?[0-9]+(?:[.,][0-9]+)?)\s*$")


def parse_when(value: str) -> tuple[str, float]:
    """'>= 80' → ('>=', 80.0); raises ValueError with a Vietnamese message otherwise."""
    match = _WHEN.match(value)
    if not match:
        raise ValueError(f"điều kiện '{value}' phải có dạng '>= 80', '> 50', '< 10' hoặc '== 1'")
    op = {"≥": ">=", "≤": "<=", "=": "=="}.get(match.group(1), match.group(1))
    return op, float(match.group(2).replace(",", "."))


class Step(Award):
    """A threshold: ``when: '>= 80'`` — the first step whose condition holds wins."""

    when: str = Field(description="Operator and number: '> 80', '>= 50', '< 0.5', '== 1'")
    label: str | None = None

    @field_validator("when")
    @classmethod
    def _parse_when(cls, value: str) -> str:
        parse_when(value)
        return value

    @property
    def op(self) -> str:
        return parse_when(self.when)[0]

    @property
    def threshold(self) -> float:
        return parse_when(self.when)[1]


class Valued(Protocol):
    """What has a value in % or not: a measured rule, a condition, a maturity criterion."""

    percent: bool


class RuleModel(Strict):
    """The model of a rule: ``kind`` tells the kinds apart in a file."""

    kind: str


class Measured(RuleModel):
    """A rule that scores the value of an expression over the indicator's inputs."""

    value: str = Field(description="Arithmetic expression over the indicator's variables, e.g. 'a / b'")
    percent: bool = Field(False, description="Value = expression × 100, shown and compared in %")
    when_zero_denominator: Literal["no_data", "not_applicable", "full", "zero"] = Field(
        "no_data", description="What a division by zero means for this indicator"
    )


class Nested(NamedTuple):
    """A rule inside a rule (a part of a checklist, a branch of a condition)."""

    rule: RuleModel
    path: str  # where its expressions are kept in the node ("rule.parts[0]")
    maximum: float  # the points it is scored against
    label: str  # how the validator names it: "phần 'IPv6': "


R = TypeVar("R", bound=RuleModel)


class RuleKind(ABC, Generic[R]):
    """Everything about one kind of rule; ``tests/engine/test_rule_kinds.py`` checks each part."""

    model: ClassVar[type[RuleModel]]
    points: ClassVar[bool] = True  # False: a monitored value without points (kpi)
    # one indicator's inputs and rule written with this kind: the registry's tests score it
    example: ClassVar[dict[str, Any]]

    @property
    def name(self) -> str:
        """The kind as written in a file: the model's ``kind: Literal[...]``."""
        return str(get_args(self.model.model_fields["kind"].annotation)[0])

    # ---------------------------------------------------------------- compilation

    @abstractmethod
    def fields(self, rule: R) -> list[str]:
        """The variables the rule reads directly, not through an expression."""

    @abstractmethod
    def expressions(self, rule: R, path: str) -> list[tuple[str, str]]:
        """(path, source) of the expressions the rule itself evaluates (nested rules not included)."""

    @abstractmethod
    def nested(self, rule: R, path: str, maximum: float) -> list[Nested]:
        """The rules inside this one, each with its path and its maximum."""

    # ---------------------------------------------------------------- validation

    @abstractmethod
    def check(self, rule: R, inputs: Mapping[str, InputField]) -> list[str]:
        """Errors in how the rule uses the indicator's inputs (a field of the wrong type…)."""

    @abstractmethod
    def awards(self, rule: R, maximum: float) -> list[tuple[str, float]]:
        """(label, points) of every fixed award, which the validator compares with the maximum."""

    def limit_warnings(self, rule: R, maximum: float) -> list[str]:
        """Other warnings about points beyond the maximum (parts adding up to more than it)."""
        return []

    def best(self, rule: R, maximum: float) -> float:
        """The most points the rule can give on an indicator of ``maximum`` points (at most it);
        a rule that scores in proportion, or typed points, can reach the maximum."""
        return maximum

    def reading_warnings(self, rule: R, maximum: float) -> list[tuple[str, str]]:
        """(id, message) of what the rule as written says that no reader can mean: a value no written
        step covers, an early date earning less than a late one.  ``id`` names it in docs/frameworks.md."""
        return []

    # ---------------------------------------------------------------- scoring

    @abstractmethod
    def score(self, run: Run, rule: R, env: dict[str, Array], maximum: Array, node: Node,
              path: str) -> IndicatorResult:
        """The rule's score where the status is OK; elsewhere it is left for the policies."""

    # ---------------------------------------------------------------- explanation

    @abstractmethod
    def describe(self, ex: Explaining, rule: R) -> str:
        """What the unit gave and what the rule made of it (before '→ points'), in ``ex.lang``:
        the words through ``ex.say`` (dti/engine/messages.py), numbers through ``ex.number``."""


# --------------------------------------------------------------------------- #
# Pieces several kinds share


def field_type_error(rule: RuleModel, field: str, inputs: Mapping[str, InputField],
                     expected: Sequence[str]) -> list[str]:
    spec = inputs.get(field)
    if spec is not None and spec.type not in expected:
        return [f"quy tắc {rule.kind} cần trường '{field}' kiểu {' / '.join(expected)}, "
                f"nhưng trường có kiểu {spec.type}"]
    return []


def field_values(env: dict[str, Array], field: str) -> tuple[Array, Array]:
    """A field read as it is: its values and NO_DATA where none was given."""
    values = env[field]
    return values, np.isnan(values).view(np.int8)  # NO_DATA is 1, OK is 0


def award_points(size: int, award: Award, maximum: Array) -> Array:
    if award.points is not None:
        return np.full(size, float(award.points))
    return (award.share or 0.0) * maximum


def select(size: int, matched: Array, awards: Sequence[Award], maximum: Array) -> Array:
    """The points of the award each unit matched (``matched`` indexes ``awards``, negative
    from the end): a lookup in a small table, then one multiply by the maximum."""
    earning = [i for i, a in enumerate(awards) if a.share or a.points]
    if len(earning) == 1:  # yes/no and the like: one multiply by the hit mask, no lookup
        index = earning[0]
        hit = (matched == index) | (matched == index - len(awards))  # counted from either end
        award = awards[index]
        points = np.full(size, float(award.points)) if award.points else (award.share or 0.0) * maximum
        return np.multiply(points, hit, out=points)  # type: ignore[no-any-return]
    matched = matched.astype(np.intp)  # numpy's lookup is faster with native indices
    shares = np.array([a.share or 0.0 for a in awards])
    if not any(a.points for a in awards):  # 0 points is a share of 0
        return shares[matched] * maximum
    points = np.array([a.points or 0.0 for a in awards])
    if not any(a.share for a in awards):
        return points[matched]
    return shares[matched] * maximum + points[matched]  # type: ignore[no-any-return]  # one term is 0


def first_hits(size: int, hits: Iterable[Array]) -> Array:
    """Index of the first true condition per unit, -1 where none is: integer arithmetic on
    one byte per unit instead of masked assignments."""
    hit_list = list(hits)
    kind: type[np.signedinteger[Any]] = np.int8 if len(hit_list) < 120 else np.int32
    matched = np.full(size, -1, dtype=kind)
    for index, hit in enumerate(hit_list):
        hit &= matched == -1
        matched += hit.view(np.int8).astype(kind, copy=False) * kind(index + 1)
    return matched


def score_steps(size: int, steps: Sequence[Step], otherwise: Award, values: Array,
                maximum: Array) -> tuple[Array, Array]:
    """Thresholds: the first step that holds awards its points, else ``otherwise``; and which matched."""
    matched = first_hits(size, (compare(step.op, values, step.threshold) for step in steps))
    return select(size, matched, [*steps, otherwise], maximum), matched


def best_award(awards: Sequence[tuple[str, float]], maximum: float) -> float:
    return min(max(points for _, points in awards), maximum)


def step_gaps(steps: Sequence[Step]) -> list[tuple[str, str]]:
    """A threshold no written step covers while values on both sides of it are covered
    ("Trên 80%" / "<80%": exactly 80% is in neither)."""
    gaps = []
    for threshold in sorted({step.threshold for step in steps}):
        def covered(value: float) -> bool:
            return any(bool(compare(step.op, np.array([value]), step.threshold)[0]) for step in steps)

        epsilon = max(abs(threshold), 1.0) * 1e-6  # beyond compare()'s tolerance of 1e-9
        if not covered(threshold) and covered(threshold - epsilon) and covered(threshold + epsilon):
            gaps.append((f"@{format_number(threshold)}",
                         f"giá trị đúng bằng {format_number(threshold)} không thuộc mức nào văn bản ghi "
                         f"(khi chấm tính theo mức còn lại)"))
    return gaps


def step_awards(steps: Sequence[Step], otherwise: Award, maximum: float) -> list[tuple[str, float]]:
    return [(f"mức '{step.when}'", step.value(maximum)) for step in steps] + [
        ("mức còn lại", otherwise.value(maximum))]


def measured_result(run: Run, rule: Measured, score: Array, values: Array, status: Array, maximum: Array,
                    detail: dict[str, Any], *, clean: bool = False) -> IndicatorResult:
    """A measured rule's result, its zero denominators resolved as the rule says."""
    detail["zero"] = zero = status == ZERO_DIVISION
    run.resolve_zero(rule, score, status, maximum, zero)
    return IndicatorResult(score, maximum, status, values, detail, clean=clean)

