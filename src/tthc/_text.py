"""Quoting values in messages, shared by every module (no imports: the errors use it)."""

from __future__ import annotations

from typing import Final

__all__ = ["QUOTED_CHARS", "quoted", "vietnamese_sort_key"]

QUOTED_CHARS: Final = 120
"""How much of a value a message quotes: a longer value (a 10 MB cell, a 5,000-digit number)
is cut there, with its length, so that a message stays one readable line."""


def quoted(text: str) -> str:
    """``repr(text)``, cut at :data:`QUOTED_CHARS` characters with the full length said.

    >>> quoted("Hộ tịch")
    "'Hộ tịch'"
    >>> quoted("9" * 5000)[-21:]
    "'… (5,000 characters)"
    """
    if len(text) <= QUOTED_CHARS:
        return repr(text)
    return f"{text[:QUOTED_CHARS]!r}… ({len(text):,} characters)"


_LETTERS: Final = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_MODIFIED: Final = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES: Final = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""Dictionary order of the tones after the unmarked one: huyền, hỏi, ngã, sắc, nặng."""
_RANK: Final = {letter: i for i, letter in enumerate(_LETTERS)}


def vietnamese_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """A key that sorts labels in Vietnamese dictionary order: the letters of the Vietnamese
    alphabet (a ă â b c d đ e ê … ơ … ư …) first, case ignored, then the tones (none, huyền,
    hỏi, ngã, sắc, nặng). Other characters sort by code point, after the letters.

    >>> sorted(["Tư pháp – Hộ tịch", "Đất đai", "Chính sách", "Dân tộc"], key=vietnamese_sort_key)
    ['Chính sách', 'Dân tộc', 'Đất đai', 'Tư pháp – Hộ tịch']
    """
    import unicodedata

    letters: list[int] = []
    tones: list[int] = []
    base = ""
    for char in unicodedata.normalize("NFD", text.casefold()) + "\0":
        if unicodedata.combining(char):
            if char in _TONES:
                tones.append(_TONES[char])
            else:
                base = _MODIFIED.get((base, char), base)
            continue
        if base:
            rank = _RANK.get(base)
            letters.append(rank if rank is not None else len(_RANK) + ord(base))
            if len(tones) < len(letters):
                tones.append(0)
        base = char if char != "\0" else ""
    return tuple(letters), tuple(tones), text
