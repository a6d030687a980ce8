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

import datetime as dt
import json
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tthc.calendar._hours import Session, check_sessions
from tthc.errors import OverlayError

__all__ = ["CalendarOverlay", "DayKind", "OverlayEntry"]


class DayKind(StrEnum):
    """What an overlay entry makes of its date."""

    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


class OverlayEntry(BaseModel):
    """One dated decision: a day off, or a working day (optionally with its own sessions).

    >>> OverlayEntry(date="2026-01-02", kind="day_off", source="Công văn 12729/VPCP-KGVX").kind
    <DayKind.DAY_OFF: 'day_off'>
    """

    model_config = ConfigDict(frozen=True)

    date: dt.date
    kind: DayKind
    source: str | None = Field(default=None, description="The announcing document.")
    note: str | None = None
    sessions: tuple[Session, ...] | None = Field(
        default=None, description="Working day only: its office hours (e.g. a half day)."
    )

    @model_validator(mode="after")
    def _check(self) -> Self:
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

    model_config = ConfigDict(frozen=True)

    name: str
    source: str | None = Field(default=None, description="Default document for every entry.")
    official_through: int | None = None
    days: tuple[OverlayEntry, ...] = ()

    @model_validator(mode="after")
    def _no_duplicates(self) -> Self:
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
    def parse_obj_checked(cls, data: Any, where: str) -> CalendarOverlay:
        """Validate ``data``, turning validation errors into :class:`~tthc.OverlayError`.

        ``where`` names the overlay in the message; the overlay's ``source`` becomes the
        source of every entry that has none.

        >>> CalendarOverlay.parse_obj_checked(
        ...     {"name": "x", "days": [{"date": "2026-02-30", "kind": "day_off"}]}, "x")
        Traceback (most recent call last):
        ...
        tthc.errors.OverlayError: invalid calendar overlay x: days.0.date: ...
        """
        try:
            overlay = cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
                for err in exc.errors()
            )
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
            OverlayError: the file is not valid TOML/JSON or an entry is invalid.
            OSError: the file cannot be read.
        """
        p = Path(path)
        text = p.read_text(encoding="utf-8")
        try:
            if p.suffix.lower() == ".toml":
                data: Any = tomllib.loads(text)
            elif p.suffix.lower() == ".json":
                data = json.loads(text)
            else:
                raise OverlayError(f"overlay file {p}: expected a .toml or .json file")
        except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
            raise OverlayError(f"overlay file {p} cannot be read: {exc}") from None
        if not isinstance(data, dict):
            raise OverlayError(f"overlay file {p}: expected a table/object at the top level")
        data.setdefault("name", p.stem)
        return cls.parse_obj_checked(data, f"file {p}")
