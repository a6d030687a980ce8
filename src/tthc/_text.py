"""Quoting values in messages and making invisible characters visible in outputs, shared by
every module (no imports of the package: the errors use it)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

__all__ = ["QUOTED_CHARS", "clean_label", "quoted", "vietnamese_sort_key", "visible_text"]

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


_SPACES: Final = "\t\n\r \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
"""The white space a label's words may be separated by: tab, line breaks (Alt+Enter in a
spreadsheet cell), the space and the Unicode space separators (no-break space, thin space, …).
Control characters are not among them: they stay, shown by :func:`visible_text`."""
_SPACE_RUNS: Final = re.compile(f"[{_SPACES}]+")


def clean_label(text: str) -> str:
    """A label (domain, agency, procedure name) as every reader of ``tthc`` keeps it: Unicode
    NFC, no white space at either end (as :meth:`str.strip` removes it), each run of white
    space between words (:data:`_SPACES`) as one space. Two cells that print alike are then
    one label, one group of the report.

    >>> clean_label(" Ho\u0323\u0302  ti\u0323ch\u00a0") == "Hộ tịch"
    True
    >>> clean_label("Hộ\u00a0tịch") == clean_label("Hộ\ttịch") == "Hộ tịch"
    True
    """
    return _SPACE_RUNS.sub(" ", unicodedata.normalize("NFC", text).strip())


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


_CONTROL_PICTURE_BASE: Final = 0x2400
"""U+2400 SYMBOL FOR NULL: U+2400 + n pictures the C0 control n (Unicode "Control Pictures")."""
_DELETE_PICTURE: Final = "\u2421"


@functools.cache  # built on first use: the errors import this module, every command loads it
def _visible_table() -> dict[int, str]:
    table: dict[int, str] = {c: chr(_CONTROL_PICTURE_BASE + c) for c in range(0x20)}
    table[0x7F] = _DELETE_PICTURE
    marked = [
        *range(0x80, 0xA0),  # C1 controls (include NEL, CSI)
        *range(0xD800, 0xE000),  # surrogates: only lone ones can be in a str
        *range(0x202A, 0x202F),  # bidirectional embeddings and overrides
        *range(0x2066, 0x206A),  # bidirectional isolates
        0x2028,  # line separator
        0x2029,  # paragraph separator
        # Invisible format characters: two labels that print alike ("Hộ tịch" and
        # "Hộ\u200b tịch") must not look like one group, nor a code like an earlier one.
        0x00AD,  # soft hyphen
        0x061C,  # Arabic letter mark
        0x180E,  # Mongolian vowel separator
        *range(0x200B, 0x2010),  # zero-width space, non-joiner, joiner; LRM, RLM
        *range(0x2060, 0x2065),  # word joiner, invisible operators
        0xFEFF,  # zero-width no-break space (a byte-order mark inside text)
        0xFFFE,  # not XML characters (XLSX is XML)
        0xFFFF,
    ]
    table.update({c: f"⟨U+{c:04X}⟩" for c in marked})
    return table


def visible_text(text: str) -> str:
    """``text`` with every character that could corrupt or disguise an output made visible.

    C0 control characters (U+0000–U+001F: NUL, tab, line feed, ESC …) become their Unicode
    control pictures (␀ ␉ ␊ ␛ …) and DEL becomes ␡, one character each so tables stay aligned;
    C1 controls (U+0080–U+009F), lone surrogates, the bidirectional embedding, override and
    isolate controls (U+202A–U+202E, U+2066–U+2069), the line and paragraph separators, the
    invisible format characters (soft hyphen, zero-width spaces and joiners, word joiner, a
    byte-order mark inside text …) and the non-characters U+FFFE/U+FFFF become ``⟨U+XXXX⟩``. Nothing else changes. An escape sequence
    thus prints as ``␛[31m`` instead of colouring a terminal, and an XLSX cell never holds a
    character XML forbids.

    >>> visible_text("Hộ\\ttịch\\x1b[31m\\x85\\ud800")
    'Hộ␉tịch␛[31m⟨U+0085⟩⟨U+D800⟩'
    >>> visible_text("Tư pháp – Hộ tịch"), visible_text("Hộ\u200b tịch")
    ('Tư pháp – Hộ tịch', 'Hộ⟨U+200B⟩ tịch')
    """
    return text.translate(_visible_table())
