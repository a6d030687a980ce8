"""Input and output helpers shared by the readers and the command line."""

from __future__ import annotations

import io
import os
from typing import IO, Any, cast

__all__ = ["Source", "open_text"]

Source = str | os.PathLike[str] | IO[str] | IO[bytes]
"""A path, or an open text or binary file (``-`` handling is the CLI's job)."""


def open_text(source: Source) -> tuple[IO[str], bool]:
    """``source`` as a text file (UTF-8, a BOM removed) and whether the caller owns it (opened
    here, so to be closed by the caller)."""
    if isinstance(source, str | os.PathLike):
        return open(source, encoding="utf-8-sig", newline=""), True
    handle: Any = source
    if isinstance(handle, io.TextIOBase):
        return cast("IO[str]", handle), False
    if hasattr(handle, "mode") and "b" not in getattr(handle, "mode", ""):
        return cast("IO[str]", handle), False
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline=""), False
