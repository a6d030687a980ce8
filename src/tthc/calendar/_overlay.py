"""Calendar overlays: official notices and local decisions applied on top of ``holidays.VN``.

An overlay is a list of dated entries, each a day off, a working day, or a working day with its
own office hours (a half day), each naming the document that decided it. Overlays load from
code, from a TOML file or from a JSON file::

    name = "Phường Nghi Hương"
    source = "Quyết định 15/QĐ-UBND"

    [[days]]
    date = 2026-03-10
    kind = "day_off"
    note = "Local festival"

    [[days]]
    date = 2026-03-14
    kind = "working_day"
    sessions = ["07:30-11:30"]
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tthc.calendar._hours import Session, check_sessions
from tthc.errors import OverlayError

__all__ = ["CALENDAR_YEARS", "CalendarOverlay", "DayKind", "OverlayEntry"]

CALENDAR_YEARS: Final = (1901, 2100)
"""The years the working calendar can compute, both included: those of the lunar tables
behind ``holidays``' Vietnam calendar (its ``start_year``–``end_year``; a test checks they
agree). Overlay dates and ``official_through`` must fall in them.

>>> CALENDAR_YEARS
(1901, 2100)
"""


def _check_year(year: int, what: str) -> None:
    if not CALENDAR_YEARS[0] <= year <= CALENDAR_YEARS[1]:
        raise ValueError(
            f"{what} is outside the years {CALENDAR_YEARS[0]}–{CALENDAR_YEARS[1]} the "
            "working calendar can compute"
        )


class DayKind(StrEnum):
    """What an overlay entry makes of its date."""

    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


class OverlayEntry(BaseModel):
    """One dated decision: a day off, or a working day (optionally with its own sessions).

    >>> OverlayEntry(date="2026-01-02", kind="day_off", source="Công văn 12729/VPCP-KGVX").kind
    <DayKind.DAY_OFF: 'day_off'>
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    kind: DayKind
    source: str | None = Field(default=None, description="The announcing document.")
    note: str | None = None
    sessions: tuple[Session, ...] | None = Field(
        default=None, description="Working day only: its office hours (e.g. a half day)."
    )

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_year(self.date.year, f"date {self.date.isoformat()}")
        if self.sessions is not None:
            if self.kind is not DayKind.WORKING_DAY:
                raise ValueError("only a working_day entry can carry sessions")
            check_sessions(self.sessions, f"entry {self.date}")
        return self

    def key(self) -> list[Any]:
        """A plain list for the calendar fingerprint."""
        sessions = None if self.sessions is None else [str(s) for s in self.sessions]
        return [self.date.isoformat(), self.kind.value, self.source, sessions]


class CalendarOverlay(BaseModel):
    """A named set of dated entries applied on top of a calendar; later overlays win.

    ``official_through`` (optional) says that this overlay completes the official notices up to
    that year, so computations up to it are no longer provisional (e.g. when the notice for
    2027 is published and added as an overlay before a new release of ``tthc``).

    >>> overlay = CalendarOverlay.from_days(
    ...     "local", days_off=["2026-03-10"], working_days=["2026-03-14"], source="QĐ 15/QĐ-UBND"
    ... )
    >>> [(e.date.isoformat(), e.kind.value) for e in overlay.days]
    [('2026-03-10', 'day_off'), ('2026-03-14', 'working_day')]
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    source: str | None = Field(default=None, description="Default document for every entry.")
    official_through: int | None = None
    days: tuple[OverlayEntry, ...] = ()

    @model_validator(mode="after")
    def _no_duplicates(self) -> Self:
        if self.official_through is not None:
            _check_year(self.official_through, f"official_through {self.official_through}")
        seen: set[dt.date] = set()
        for entry in self.days:
            if entry.date in seen:
                raise ValueError(f"overlay {self.name!r} has two entries for {entry.date}")
            seen.add(entry.date)
        return self

    @classmethod
    def from_days(
        cls,
        name: str,
        *,
        days_off: Any = (),
        working_days: Any = (),
        hours: dict[Any, Any] | None = None,
        source: str | None = None,
    ) -> CalendarOverlay:
        """Build an overlay from plain lists of dates (``date`` objects or ISO strings).

        ``hours`` maps a date to its sessions (the date becomes a working day with them).

        >>> CalendarOverlay.from_days("x", hours={"2026-12-31": ["07:30-11:30"]}).days[0].sessions
        (Session(start=datetime.time(7, 30), end=datetime.time(11, 30)),)

        Raises:
            OverlayError: naming the overlay and what is wrong.
        """
        raw: list[dict[str, Any]] = [
            {"date": d, "kind": "day_off", "source": source} for d in days_off
        ]
        raw += [{"date": d, "kind": "working_day", "source": source} for d in working_days]
        raw += [
            {"date": d, "kind": "working_day", "sessions": s, "source": source}
            for d, s in (hours or {}).items()
        ]
        return cls.parse_obj_checked({"name": name, "source": source, "days": raw}, name)

    @classmethod
    def parse_obj_checked(cls, data: Any, where: str, text: str | None = None) -> CalendarOverlay:
        """Validate ``data``, turning validation errors into :class:`~tthc.OverlayError`.

        ``where`` names the overlay in the message; ``text`` (the file's text, if any) lets an
        unknown key be named with its line. The overlay's ``source`` becomes the source of
        every entry that has none. Unknown keys are refused (a misspelt ``sesions`` would
        otherwise be ignored, and deadlines silently wrong).

        >>> CalendarOverlay.parse_obj_checked(
        ...     {"name": "x", "days": [{"date": "2026-02-30", "kind": "day_off"}]}, "x")
        Traceback (most recent call last):
        ...
        tthc.errors.OverlayError: invalid calendar overlay x: days.0.date: ...
        """
        try:
            surrogate = _lone_surrogate_at(data)
        except RecursionError:
            raise OverlayError(f"invalid calendar overlay {where}: nested too deeply") from None
        if surrogate is not None:
            shown = surrogate.encode("utf-8", "backslashreplace").decode("utf-8")
            raise OverlayError(
                f"invalid calendar overlay {where}: {shown or '(root)'}: a lone surrogate "
                "(e.g. \\ud800 in JSON) is not text"
            )
        try:
            overlay = cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(_problem(err, text) for err in exc.errors())
            raise OverlayError(f"invalid calendar overlay {where}: {problems}") from None
        if overlay.source is not None:
            days = tuple(
                e if e.source else e.model_copy(update={"source": overlay.source})
                for e in overlay.days
            )
            overlay = overlay.model_copy(update={"days": days})
        return overlay

    @classmethod
    def from_file(cls, path: str | Path) -> CalendarOverlay:
        """Load an overlay from a ``.toml`` or ``.json`` file (see the module docstring).

        A file without a ``name`` is named after the file.

        >>> import json, pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp) / "ward.json"
        ...     _ = path.write_text(json.dumps({"days": [{"date": "2026-03-10", "kind": "day_off"}]}))
        ...     overlay = CalendarOverlay.from_file(path)
        >>> overlay.name, overlay.days[0].kind.value
        ('ward', 'day_off')

        Raises:
            OverlayError: the file cannot be read (missing, a folder, not readable), is not
                valid TOML/JSON, or an entry is invalid.
        """
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix not in (".toml", ".json"):
            raise OverlayError(f"overlay file {p}: expected a .toml or .json file")
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise OverlayError(f"overlay file {p} cannot be read: {exc.strerror or exc}") from None
        text = _decode(raw, p)
        try:
            if suffix == ".toml":
                data: Any = tomllib.loads(text)
            else:
                data = json.loads(text)
        except ValueError as exc:  # TOML/JSON syntax, or an integer of more than 4,300 digits
            reason = str(exc)
            if "integer string conversion" in reason:
                reason = "it holds a number of more than 4,300 digits"
            raise OverlayError(f"overlay file {p} cannot be read: {reason}") from None
        except RecursionError:
            raise OverlayError(f"overlay file {p} cannot be read: nested too deeply") from None
        if not isinstance(data, dict):
            raise OverlayError(f"overlay file {p}: expected a table/object at the top level")
        data.setdefault("name", p.stem)
        return cls.parse_obj_checked(data, f"file {p}", text)


def _decode(raw: bytes, path: Path) -> str:
    """The text of an overlay file: UTF-8 (a BOM allowed) or UTF-16 with its BOM; anything
    else is refused with the fix."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise OverlayError(
                f"overlay file {path}: not valid UTF-16 text: {exc.reason}"
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OverlayError(
            f"overlay file {path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); save it as UTF-8"
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate_at(data: object, where: str = "") -> str | None:
    """The location (``days.0.note``) of the first key or string value of ``data`` holding a
    lone surrogate — which JSON can write (``"\\ud800"``) but no output can encode — or
    ``None``."""
    if isinstance(data, str):
        return where if _SURROGATE.search(data) else None
    items: list[tuple[object, object]] = []
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list | tuple):
        items = list(enumerate(data))
    for key, value in items:
        here = f"{where}.{key}" if where else str(key)
        if isinstance(key, str) and _SURROGATE.search(key):
            return here
        found = _lone_surrogate_at(value, here)
        if found is not None:
            return found
    return None


def _problem(err: Any, text: str | None) -> str:
    """One validation problem: its location, message and, for an unknown key found in the
    file's text, the line it is on."""
    loc = ".".join(str(p) for p in err["loc"]) or "(root)"
    if err["type"] == "extra_forbidden":
        key = str(err["loc"][-1])
        line = _line_of(text, key) if text is not None else None
        at = f" (line {line})" if line is not None else ""
        return f"{loc}: unknown key {key!r}{at}; the keys are {_KNOWN_KEYS}"
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{loc}: {message}"


def _line_of(text: str, key: str) -> int | None:
    """The first line of ``text`` where ``key`` is written as a key (TOML ``key =`` or JSON
    ``"key":``)."""
    pattern = re.compile(rf"(?:^|[\s{{,]){re.escape(json.dumps(key))}\s*:|^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


_KNOWN_KEYS: Final = (
    ", ".join(CalendarOverlay.model_fields)
    + " (top level); "
    + ", ".join(OverlayEntry.model_fields)
    + " (each of days)"
)
