"""Quoting values in messages, shared by every module (no imports: the errors use it)."""

from __future__ import annotations

from typing import Final

__all__ = ["QUOTED_CHARS", "quoted"]

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
