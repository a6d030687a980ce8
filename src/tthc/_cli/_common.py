"""Helpers shared by the sub-command modules."""

from __future__ import annotations

import datetime as dt
import os

from tthc._time import assume_vn, read_iso
from tthc.errors import InvalidInputError

__all__ = ["check_directory", "parse_instant"]


def parse_instant(text: str, error: str, param: str = "instant") -> dt.datetime:
    """An ISO 8601 instant from the command line, aware in UTC+7 when written without an offset
    (as on a receipt). ``error`` is the message of the :class:`~tthc.InvalidInputError` raised
    when ``text`` is not ISO 8601. ``text`` is taken as given (strip it first if need be).

    >>> parse_instant("2024-02-07 10:00", "bad").isoformat()
    '2024-02-07T10:00:00+07:00'
    >>> parse_instant("7/2/2024", "RECEIVED is not ISO 8601")
    Traceback (most recent call last):
    tthc.errors.InvalidInputError: RECEIVED is not ISO 8601
    >>> parse_instant("9999-12-31T23:00+00:00", "bad", "--as-of")
    Traceback (most recent call last):
    tthc.errors.InvalidInputError: --as-of=9999-12-31T23:00:00+00:00 is past year 9999 in UTC+7; no date can hold it
    """
    try:
        value, _ = read_iso(text)
    except ValueError:
        raise InvalidInputError(error) from None
    return assume_vn(value, param)


def check_directory(option: str, path: str | os.PathLike[str]) -> None:
    """Refuse, before anything is read, a folder option (``--spill-dir``) naming no folder:
    the error would otherwise come late, when the first temporary file is made, or never.

    Raises:
        InvalidInputError: naming the option and the path.
    """
    if not os.path.exists(path):
        raise InvalidInputError(f"{option} {path}: no such folder; create it or give another")
    if not os.path.isdir(path):
        raise InvalidInputError(f"{option} {path} is not a folder; give a folder")
    if not os.access(path, os.W_OK | os.X_OK):
        raise InvalidInputError(f"{option} {path}: the folder is not writable; give another")
