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
_MODIFIERS = "\u0306\u0302\u031b"  # breve, circumflex, horn: part of the letter
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_SEPARATOR, _DIGITS, _LETTERS = 0xE001, 0xE010, 0xE100  # private-use code points: after any text left as is

Key = tuple[str, str, str, str]


def _tables() -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """Per precomposed character: its letter's place, its tone, its case, as one character each,
    so that a key is three ``str.translate`` calls (C speed) instead of a loop per character."""
    primary: dict[int, str] = {ord(c): chr(_SEPARATOR) for c in " \t\n,.;:-–—()/&'\"_"}
    primary.update({ord(c): chr(_DIGITS + int(c)) for c in "0123456789"})
    tone: dict[int, str] = {}
    case: dict[int, str] = {}
    ranges = [range(0x41, 0x5B), range(0x61, 0x7B), range(0xC0, 0x250), range(0x1E00, 0x1F00)]
    for char in (chr(code) for block in ranges for code in block):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0].lower(), decomposed[1:]
        letter = base + "".join(m for m in marks if m in _MODIFIERS)
        letter = unicodedata.normalize("NFC", letter)
        rest = [m for m in marks if m not in _MODIFIERS]
        if letter not in _LETTER or len(rest) > 1 or (rest and rest[0] not in _TONES):
            continue
        primary[ord(char)] = chr(_LETTERS + _LETTER[letter])
        tone[ord(char)] = chr(0x30 + (_TONES[rest[0]] if rest else 0))
        case[ord(char)] = "1" if char.isupper() else "0"
    # every other character of these blocks maps too: a character missing from a table costs a
    # failed lookup (an exception inside translate), five times a found one
    for code in range(0x2000):
        primary.setdefault(code, chr(code))
        tone.setdefault(code, "0")
        case.setdefault(code, "0")
    return primary, tone, case


_PRIMARY, _TONE, _CASE = _tables()


@lru_cache(maxsize=65536)  # the same unit names are sorted again on every page and recompute
def vietnamese_key(text: str | None) -> Key:
    """A sort key: letters (alphabet order), then tones, then case, then the text itself."""
    nfc = unicodedata.normalize("NFC", text or "")
    return nfc.translate(_PRIMARY), nfc.translate(_TONE), nfc.translate(_CASE), text or ""


def sort_vietnamese(items: Iterable[T], key: Callable[[T], str | None] = str) -> list[T]:  # type: ignore[assignment]
    """``items`` sorted by Vietnamese order of ``key(item)`` (the item itself by default)."""
    return sorted(items, key=lambda item: vietnamese_key(key(item)))
