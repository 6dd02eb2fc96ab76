"""The engine's own words in Vietnamese and English: message id → {language: template}.

Templates take named placeholders; a number given to ``say`` or kept in a ``Message`` is written
in the language's format ('92,86' / '92.86'), a nested ``Message`` in the same language, a list
joined with ', '.  Vietnamese is the default and the reference: the English templates carry the
same placeholders (tests/engine/test_messages.py checks it).  Framework texts (indicator names,
labels, the document's conditions) are not here: they stay as the document wrote them.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from typing import Any

from .arrays import format_number

LANGUAGES = ("vi", "en")
DEFAULT = "vi"

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ explanations: shared pieces
    "points": {"vi": "{score}/{maximum} điểm", "en": "{score}/{maximum} points"},
    "yes": {"vi": "Có", "en": "Yes"},
    "no": {"vi": "Không", "en": "No"},
    "not_entered": {"vi": "chưa nhập", "en": "not entered"},
    "ratio": {"vi": "tỷ lệ", "en": "ratio"},
    "value": {"vi": "giá trị", "en": "value"},
    "status.no_data": {"vi": "không có dữ liệu", "en": "no data"},
    "status.invalid": {"vi": "dữ liệu không hợp lệ", "en": "invalid data"},
    "status.no_content": {"vi": "không có nội dung này", "en": "no such content"},
    "status.exempt": {"vi": "được miễn đánh giá", "en": "exempt from assessment"},
    "status.not_applicable": {"vi": "không áp dụng", "en": "not applicable"},
    "declared.no_content": {"vi": "Đơn vị không có nội dung này", "en": "The unit has no such content"},
    "declared.exempt": {"vi": "Đơn vị được miễn đánh giá", "en": "The unit is exempt from assessment"},
    "zero.undefined": {"vi": "{inputs}: mẫu số bằng 0, không tính được giá trị",
                       "en": "{inputs}: the denominator is 0, no value can be computed"},
    "zero.full": {"vi": "{inputs}: mẫu số bằng 0, theo phương pháp tính điểm tối đa",
                  "en": "{inputs}: the denominator is 0, the method gives full points"},
    "zero.nothing": {"vi": "{inputs}: mẫu số bằng 0, theo phương pháp tính 0 điểm",
                     "en": "{inputs}: the denominator is 0, the method gives 0 points"},
    # ------------------------------------------------------------ explanations: the whole sentence
    "group.not_applicable": {"vi": "Không áp dụng cho cấp này", "en": "Not applicable at this level"},
    "group.unscored": {"vi": "Nhóm chỉ tiêu", "en": "Group of criteria"},
    "group.status": {"vi": "Tổng các chỉ số thành phần: {status}", "en": "Sum of the component indicators: {status}"},
    "group.sum": {"vi": "Tổng các chỉ số thành phần → {points}", "en": "Sum of the component indicators → {points}"},
    "tail.excluded": {"vi": "không tính vào tổng", "en": "not counted in the total"},
    "tail.default": {"vi": "mặc định {points}", "en": "{points} by default"},
    "missing": {"vi": "{detail} → {status}, {tail}", "en": "{detail} → {status}, {tail}"},
    "declared.points": {"vi": "{declared} → {points}", "en": "{declared} → {points}"},
    "declared.excluded": {"vi": "{declared} → không tính vào tổng điểm tối đa",
                          "en": "{declared} → not counted in the maximum total"},
    "not_applicable": {"vi": "{detail} → không áp dụng, không tính vào tổng",
                       "en": "{detail} → not applicable, not counted in the total"},
    "capped": {"vi": " (tổng các phần {total} vượt tối đa, tính {maximum})",
               "en": " (the parts add up to {total}, above the maximum; {maximum} counted)"},
    "scored": {"vi": "{detail} → {points}{capped}", "en": "{detail} → {points}{capped}"},
    # ------------------------------------------------------------ maturity criteria
    "criterion.no_children": {
        "vi": "Không có đơn vị cấp xã trực thuộc trong đợt đánh giá → không xác định được",
        "en": "No commune-level unit under it in the campaign → cannot be determined"},
    # A district's general criterion: its communes at their recognised levels once the appraisal
    # council has concluded (dti.recognition), else at the levels scored from their data.
    "criterion.children_recognised": {
        "vi": "{count} đơn vị trực thuộc, tính theo mức độ được công nhận (kết luận của Hội đồng thẩm định)",
        "en": "{count} units under it, counted at their recognised levels (the appraisal council's conclusion)"},
    "criterion.children_mixed": {
        "vi": "{count} đơn vị trực thuộc: {recognised} tính theo mức độ được công nhận, {computed} theo mức chấm từ số liệu",
        "en": "{count} units under it: {recognised} counted at their recognised levels, {computed} at the levels "
              "scored from their data"},
    "criterion.children_computed": {"vi": "{count} đơn vị trực thuộc, tính theo mức chấm từ số liệu",
                                    "en": "{count} units under it, counted at the levels scored from their data"},
    "criterion.missing": {"vi": "{status} → không đạt mức nào", "en": "{status} → no level reached"},
    "criterion.value": {"vi": "{inputs}, giá trị = {value}", "en": "{inputs}, value = {value}"},
    "criterion.none": {"vi": "{prefix} → chưa đạt ngưỡng mức nào", "en": "{prefix} → below the threshold of every level"},
    "criterion.level": {"vi": "{prefix} → đạt ngưỡng mức {level} ({name}){held}",
                        "en": "{prefix} → meets the threshold of level {level} ({name}){held}"},
    "criterion.held": {"vi": ', theo điều kiện "{words}"', "en": ', by the condition "{words}"'},
    "criterion.blocking": {"vi": "chưa đạt mức {level} ({name})", "en": "below level {level} ({name})"},
    # ------------------------------------------------------------ rule kinds
    "count.per_item": {"vi": "{shown} × {per_item} điểm/mục", "en": "{shown} × {per_item} points/item"},
    "count.minimum": {"vi": "{shown} (cần tối thiểu {minimum})", "en": "{shown} (at least {minimum} needed)"},
    "date.before_since": {"vi": " (trước ngày {since} của năm đánh giá)",
                          "en": " (before {since} of the assessment year)"},
    "date.before": {"vi": " (trước hạn {by})", "en": " (before the deadline {by})"},
    "date.after": {"vi": " (sau hạn {by})", "en": " (after the deadline {by})"},
    "growth.no_previous": {"vi": "{inputs}, kỳ này = {current}, không có số liệu kỳ trước",
                           "en": "{inputs}, this period = {current}, no figures for the previous period"},
    "growth.previous_zero": {"vi": "{inputs}, kỳ trước = 0: không tính được tăng trưởng",
                             "en": "{inputs}, previous period = 0: growth cannot be computed"},
    "growth.value": {"vi": "{inputs}, kỳ này = {current}, kỳ trước = {previous}, tăng trưởng = {growth}%",
                     "en": "{inputs}, this period = {current}, previous period = {previous}, growth = {growth}%"},
    "manual": {"vi": "điểm thẩm định: {inputs}", "en": "reviewer's points: {inputs}"},
    "ratio.lower": {"vi": "{shown} (càng thấp càng tốt; tối đa khi ≤ {target}%)",
                    "en": "{shown} (lower is better; full points at ≤ {target}%)"},
    "ratio.target": {"vi": "{shown} (đạt tối đa khi ≥ {target}{percent})",
                     "en": "{shown} (full points at ≥ {target}{percent})"},
    "relative.min_max": {"vi": "Min-Max", "en": "Min-Max"},
    "relative.top": {"vi": "so với đơn vị cao nhất", "en": "against the best unit"},
    "relative": {"vi": "{shown}; tốt nhất nhóm = {best}, kém nhất = {worst} ({how})",
                 "en": "{shown}; best of the group = {best}, worst = {worst} ({how})"},
    "steps.matched": {"vi": "{shown}, mức {when}", "en": "{shown}, band {when}"},
    "steps.none": {"vi": "{shown}, không đạt mức nào", "en": "{shown}, no band reached"},
    "if.condition": {"vi": 'Điều kiện "{condition}"', "en": 'Condition "{condition}"'},
    "if.unknown": {"vi": "{name} chưa xét được ({given})", "en": "{name} cannot be decided yet ({given})"},
    "if.then": {"vi": '{name} đúng ({given}), theo nhánh "thì": {said}',
                "en": '{name} holds ({given}), "then" branch: {said}'},
    "if.no_else": {"vi": '{name} không đúng ({given}), không có nhánh "nếu không"',
                   "en": '{name} does not hold ({given}), no "else" branch'},
    "if.else": {"vi": '{name} không đúng ({given}), theo nhánh "nếu không": {said}',
                "en": '{name} does not hold ({given}), "else" branch: {said}'},
    # ------------------------------------------------------------ problems with the data
    "value.empty": {"vi": "chưa nhập giá trị", "en": "no value entered"},
    "value.not_number": {"vi": "'{text}' không phải là số", "en": "'{text}' is not a number"},
    "value.not_date": {"vi": "'{text}' không phải ngày hợp lệ (dd/mm/yyyy)",
                       "en": "'{text}' is not a valid date (dd/mm/yyyy)"},
    "value.bool": {"vi": "giá trị đúng/sai chỉ dùng cho trường Có/Không",
                   "en": "a true/false value is only for Yes/No fields"},
    "value.not_yes_no": {"vi": "'{text}' không phải Có/Không", "en": "'{text}' is not Yes/No"},
    "value.not_option": {"vi": "'{text}' không thuộc các lựa chọn: {allowed}",
                         "en": "'{text}' is not one of the options: {allowed}"},
    "value.not_finite": {"vi": "'{text}' không phải là số hữu hạn", "en": "'{text}' is not a finite number"},
    "value.not_integer": {"vi": "'{text}' phải là số nguyên", "en": "'{text}' must be a whole number"},
    "range.below": {"vi": "giá trị {value} nhỏ hơn mức tối thiểu {low}",
                    "en": "the value {value} is below the minimum {low}"},
    "range.above": {"vi": "giá trị {value} lớn hơn mức tối đa {high}",
                    "en": "the value {value} is above the maximum {high}"},
    "problem.labelled": {"vi": "{label}: {message}", "en": "{label}: {message}"},
    "problem.broken": {"vi": "{message} ({values})", "en": "{message} ({values})"},
    "problem.named": {"vi": "{name} = {value}", "en": "{name} = {value}"},
    "problem.unknown_unit": {"vi": "đơn vị '{unit}' không có trong danh sách đơn vị",
                             "en": "unit '{unit}' is not in the list of units"},
    "problem.bad_status": {"vi": "trạng thái '{raw}' không hợp lệ (dùng: no_content, exempt)",
                           "en": "status '{raw}' is not valid (use: no_content, exempt)"},
    "problem.unknown_field": {"vi": "trường '{field}' không có trong bộ chỉ số",
                              "en": "field '{field}' is not in the framework"},
    "problem.field_level": {"vi": "trường '{field}' không áp dụng cho cấp '{level}'",
                            "en": "field '{field}' does not apply to level '{level}'"},
    "problem.unknown_level": {"vi": "cấp '{level}' không có trong bộ chỉ số ({levels})",
                              "en": "level '{level}' is not in the framework ({levels})"},
}


def language(lang: str | None) -> str:
    """A supported language code from a Django one ('en-us' → 'en'); Vietnamese otherwise."""
    code = (lang or DEFAULT).lower().split("-")[0].split("_")[0]
    return code if code in LANGUAGES else DEFAULT


def number(value: float, lang: str = DEFAULT, decimals: int = 2) -> str:
    return format_number(value, decimals, lang=lang)


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Message):
        return value(lang)
    if isinstance(value, bool):
        return say(lang, "yes" if value else "no")
    if isinstance(value, (int, float)):
        return format_number(float(value), lang=lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v, lang) for v in value)
    return str(value)


def say(lang: str, key: str, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` (Vietnamese when it has no such language)."""
    templates = MESSAGES[key]
    template = templates.get(lang) or templates[DEFAULT]
    if not params:
        return template
    return template.format_map({name: _shown(value, lang) for name, value in params.items()})


class Message:
    """A message kept unrendered (a Problem's text, read by few), rendered in any language."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: Any):
        self.key, self.params = key, params

    def __call__(self, lang: str = DEFAULT) -> str:
        return say(lang, self.key, **self.params)

    def __str__(self) -> str:
        return self(DEFAULT)

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.params!r})"


Text = str | Message | Callable[[], str]


def render(text: Text, lang: str = DEFAULT) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, Message):
        return text(lang)
    return text()


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_catalogue(messages: dict[str, dict[str, str]] = MESSAGES, languages: Sequence[str] = LANGUAGES) -> list[str]:
    """What is wrong with the catalogue: a language missing, or placeholders that differ."""
    wrong = []
    for key, templates in messages.items():
        for lang in languages:
            if not templates.get(lang):
                wrong.append(f"{key}: no {lang}")
        names = {lang: placeholders(t) for lang, t in templates.items()}
        if len({frozenset(n) for n in names.values()}) > 1:
            wrong.append(f"{key}: placeholders differ {names}")
    return wrong
