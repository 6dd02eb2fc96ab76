"""Vietnamese alphabetical order, as people expect a list of names: 'Sở Thông tin…' before 'Sở Tư pháp'.

The Vietnamese alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z, in
foreign names, take their Latin places); letters compare first, case and tone marks only when
the letters are equal, tones in the order of the Unicode CLDR Vietnamese collation (no mark,
huyền, hỏi, ngã, sắc, nặng).  Code points alone put 'ư' after 'z' and 'Đ' after every ASCII
letter, and Python's str order sorts by code.  A small pure function instead of PyICU: ICU is not
among the pinned packages and would need a system library build for this one ordering.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER = {letter: index for index, letter in enumerate(_ALPHABET)}
_MODIFIERS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng

Key = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]


def _primary(char: str) -> int:
    """Separators first, then digits, then letters in Vietnamese order, then anything else."""
    letter = _LETTER.get(char)
    if letter is not None:
        return 100 + letter
    if char.isdigit():
        return 10 + int(char) if char in "0123456789" else 20
    if char.isspace() or not char.isalnum():
        return 1
    return 1000 + ord(char)


@lru_cache(maxsize=65536)  # the same unit names are sorted again on every page and recompute
def vietnamese_key(text: str | None) -> Key:
    """A sort key: letters (alphabet order), then tones, then case, then the text itself."""
    letters: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    base = ""
    tone = 0
    upper = 0

    def flush() -> None:
        if base:
            letters.append(_primary(base))
            tones.append(tone)
            cases.append(upper)

    for char in unicodedata.normalize("NFD", text or ""):
        if char in _MODIFIERS and base:
            base = unicodedata.normalize("NFC", base + char)
        elif char in _TONES and base:
            tone = _TONES[char]
        elif unicodedata.combining(char) and base:
            continue
        else:
            flush()
            upper = int(char.isupper())
            base, tone = char.lower(), 0
            if base == "\u0111":  # đ has no decomposition; its capital lowers to it
                base = "đ"
    flush()
    return tuple(letters), tuple(tones), tuple(cases), text or ""


def sort_vietnamese(items: Iterable[T], key: Callable[[T], str | None] = str) -> list[T]:  # type: ignore[assignment]
    """``items`` sorted by Vietnamese order of ``key(item)`` (the item itself by default)."""
    return sorted(items, key=lambda item: vietnamese_key(key(item)))
