"""Request and response bodies of the API (pydantic, as the engine's models)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from dti.engine.model import Framework
from dti.site.text import NOTE_MAX, VALUE_MAX

# Path and query limits, so that generated input (schemathesis) and real clients get a 422
# with a message, never a database error.
ID = {"ge": 1, "le": 2**31 - 1}
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
PLAIN = r"^[^\x00-\x1f\x7f]*$"  # one line, no control characters


class Error(Schema):
    code: str = Field(description="Mã lỗi cho máy (tiếng Anh, ổn định)")
    message: str = Field(description="Thông báo tiếng Việt cho người đọc")
    details: dict | list | None = None


def errors(*codes: int) -> dict:
    return {code: Error for code in codes}


COMMON = (400, 401, 404, 422, 429)


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150, pattern=PLAIN)
    password: str = Field(min_length=1, max_length=200)
    name: str = Field("", max_length=100, pattern=PLAIN, description="Tên gợi nhớ của mã")
    write: bool = Field(False, description="Cho phép ghi số liệu và chuyển trạng thái hồ sơ")


class TokenOut(Schema):
    token: str = Field(description="Chỉ hiện một lần; lưu lại ngay")
    id: int
    name: str
    write: bool


class Me(Schema):
    username: str
    full_name: str
    roles: list[str]
    token_kind: str
    write: bool
    fields: list[str] = []
    units: list[str] = []


class FrameworkOut(Schema):
    id: int
    code: str
    revision: int
    version: str
    name: str
    year: int
    document: str
    frozen: bool


class FrameworkDetail(FrameworkOut):
    definition: Framework = Field(description="Bộ chỉ số theo định dạng của bộ máy tính điểm (docs/framework-format.md)")


class ValidateIn(Schema):
    yaml: str = Field(min_length=1, max_length=2_000_000, description="Nội dung YAML (hoặc JSON) của bộ chỉ số")


class ValidateOut(Schema):
    valid: bool
    errors: list[str]
    warnings: list[str]


class UnitOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    group: str


class CampaignOut(Schema):
    id: int
    name: str
    year: int
    framework_id: int
    framework_code: str
    lead_unit: str | None
    period_start: dt.date
    period_end: dt.date
    entry_deadline: dt.date
    review_deadline: dt.date
    published_at: dt.datetime | None


class SubmissionOut(Schema):
    unit: str
    name: str
    state: str
    state_label: str
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class ValueOut(Schema):
    value: str
    error: str = ""
    verified: str | None = None
    origin: str | None = Field(None, description="“Tự động từ Hue-S, cập nhật …” khi giá trị do nền tảng cung cấp")


class ValuesOut(Schema):
    campaign_id: int
    unit: str
    state: str
    revision: str = Field(description="Gửi lại khi chuyển trạng thái (expected_revision)")
    editable: bool
    values: dict[str, ValueOut]
    notes: dict[str, str]


class ValueIn(Schema):
    value: str = Field(max_length=VALUE_MAX)
    base: str | None = Field(None, max_length=VALUE_MAX,
                             description="Giá trị máy khách đọc được lần trước; bỏ trống = ghi đè")


class NoteIn(Schema):
    text: str = Field(max_length=NOTE_MAX)
    base: str | None = Field(None, max_length=NOTE_MAX)


class ValuesIn(Schema):
    values: dict[str, ValueIn] = Field(default_factory=dict, max_length=5000)
    notes: dict[str, NoteIn] = Field(default_factory=dict, max_length=1000)


class SaveOut(Schema):
    changed: int
    state: str
    revision: str
    errors: dict[str, str] = Field(description="Trường đã lưu nhưng có lỗi (giá trị giữ nguyên như đã gõ)")


class ConflictItem(Schema):
    mine: str
    theirs: str
    who: str
    when: dt.datetime | None


class ConflictOut(Error):
    """409: a conflict (with both values) or a refusal of the workflow (``refused``, ``stale_state``)."""

    changed: int = 0
    conflicts: dict[str, ConflictItem] = {}


class TransitionIn(Schema):
    expected_state: str | None = Field(None, max_length=30, pattern=PLAIN)
    expected_revision: str | None = Field(None, max_length=40, pattern=PLAIN)
    reason: str = Field("", max_length=2000)


class TransitionOut(Schema):
    state: str
    state_label: str
    message: str


class RankRowOut(Schema):
    rank: int | None
    unit: str
    name: str
    state: str
    total: float | None
    max: float | None
    percent: float | None
    maturity: int | None
    self_total: float | None = Field(None, description="Tự đánh giá (chỉ cơ quan chủ trì)")


class RankGroupOut(Schema):
    key: str
    label: str
    rows: list[RankRowOut]


class RankingOut(Schema):
    campaign_id: int
    published: bool
    full: bool = Field(description="Người gọi thấy mọi đơn vị (cơ quan chủ trì)")
    groups: list[RankGroupOut]


class CardRowOut(Schema):
    code: str
    name: str
    depth: int
    max: float | None
    score: float | None
    self_score: float | None
    status: str
    explain: str


class ScorecardOut(Schema):
    campaign_id: int
    unit: str
    name: str
    state: str
    total: float | None
    max: float | None
    percent: float | None
    rank: int | None
    maturity: int | None
    rows: list[CardRowOut]
