"""Argument checks at the API edge: a wrong object is refused where it enters, naming the
parameter, instead of failing deep inside with an ``AttributeError``."""

from __future__ import annotations

from tthc._text import quoted
from tthc.errors import InvalidInputError

__all__ = ["check_type", "quoted"]


def check_type(
    value: object,
    expected: type | tuple[type, ...],
    param: str,
    what: str,
    *,
    optional: bool = True,
) -> None:
    """Raise :class:`~tthc.InvalidInputError` unless ``value`` is an ``expected`` (or ``None``
    when ``optional``); the message names ``param`` and says ``what`` it must be.

    >>> check_type(None, int, "n", "a whole number")
    >>> check_type("3", int, "n", "a whole number")
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: n must be a whole number, got str '3'
    """
    if value is None and optional:
        return
    if not isinstance(value, expected):
        shown = repr(value)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        raise InvalidInputError(f"{param} must be {what}, got {type(value).__name__} {shown}")
