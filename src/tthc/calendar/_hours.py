"""Office hours (giờ làm việc) and reception hours (giờ tiếp nhận hồ sơ).

Office hours decide *working time*: how many working hours lie between two instants, and the
closing time at which a deadline in days falls due. Reception hours only say when a one-stop
desk accepts dossiers; a ward that receives on Saturday morning ("Ngày thứ 7 vì dân") does not
make Saturday a working day, so reception hours never change working time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Final, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "AFTERNOON_SESSION",
    "DEFAULT_SESSIONS",
    "HOURS_PER_WORKING_DAY",
    "MORNING_SESSION",
    "WEEKEND",
    "OfficeHours",
    "ReceptionHours",
    "Session",
]

_US_PER_SECOND: Final = 1_000_000

WEEKEND: Final = (5, 6)
"""Saturday and Sunday: weekly days off of the civil service's 40-hour week
(Decision 188/1999/QĐ-TTg)."""


class Session(BaseModel):
    """One office session, ``start`` to ``end`` on the same day (UTC+7 wall clock).

    Accepts ``Session(start=..., end=...)``, a pair ``("07:30", "11:30")`` or the text
    ``"07:30-11:30"`` wherever a session is expected (overlay files, :class:`OfficeHours`).

    >>> Session.model_validate("07:30-11:30").hours
    4.0
    """

    model_config = ConfigDict(frozen=True)

    start: dt.time
    end: dt.time

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, data: Any) -> Any:
        if isinstance(data, str):
            parts = data.replace("–", "-").split("-")
            if len(parts) != 2:
                raise ValueError(f"expected 'HH:MM-HH:MM', got {data!r}")
            return {"start": parts[0].strip(), "end": parts[1].strip()}
        if isinstance(data, list | tuple):
            if len(data) != 2:
                raise ValueError(f"expected a (start, end) pair, got {data!r}")
            return {"start": data[0], "end": data[1]}
        return data

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("session times are UTC+7 wall-clock times without a time zone")
        if self.end <= self.start:
            raise ValueError(f"session ends ({self.end}) before it starts ({self.start})")
        return self

    @property
    def hours(self) -> float:
        """Length of the session in hours."""
        return self.length_us / (3600 * _US_PER_SECOND)

    @property
    def start_us(self) -> int:
        """Start, in microseconds since midnight."""
        return _time_us(self.start)

    @property
    def end_us(self) -> int:
        """End, in microseconds since midnight."""
        return _time_us(self.end)

    @property
    def length_us(self) -> int:
        """Length in microseconds."""
        return self.end_us - self.start_us

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _time_us(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


def check_sessions(sessions: tuple[Session, ...], what: str) -> tuple[Session, ...]:
    """Sessions must be non-empty, in order and not overlap."""
    if not sessions:
        raise ValueError(f"{what}: a working day needs at least one session")
    for before, after in itertools.pairwise(sessions):
        if after.start < before.end:
            raise ValueError(f"{what}: sessions {before} and {after} overlap or are out of order")
    return sessions


MORNING_SESSION: Final = Session(start=dt.time(7, 30), end=dt.time(11, 30))
"""07:30–11:30: the morning session in the convention of existing one-stop software."""

AFTERNOON_SESSION: Final = Session(start=dt.time(13, 0), end=dt.time(17, 0))
"""13:00–17:00: the afternoon session in the convention of existing one-stop software."""

DEFAULT_SESSIONS: Final = (MORNING_SESSION, AFTERNOON_SESSION)
"""The default working day: 07:30–11:30 and 13:00–17:00, 8 working hours.

Office hours vary by province (each People's Committee sets them within the 40-hour week of
Decision 188/1999/QĐ-TTg); this is the schedule of existing one-stop software.
"""

HOURS_PER_WORKING_DAY: Final = 8
"""One working day = 8 working hours: the convention of existing one-stop software and the
8-hour normal working day of Labor Code 2019 Art. 105(1)."""


class OfficeHours(BaseModel):
    """The sessions of a working day, optionally different per weekday.

    Which days are working days is the calendar's business (weekends, holidays, swaps); office
    hours give the sessions of each working day. ``by_weekday`` maps a weekday number
    (0 = Monday … 6 = Sunday) to its own sessions; a working Saturday of a swap uses
    ``by_weekday[5]`` if given, else ``sessions``. Per-date hours (a half day) come from
    overlays.

    >>> hours = OfficeHours()
    >>> [str(s) for s in hours.sessions_on(0)], hours.hours_on(0)
    (['07:30-11:30', '13:00-17:00'], 8.0)
    >>> OfficeHours(by_weekday={4: ["07:30-11:30"]}).hours_on(4)
    4.0
    """

    model_config = ConfigDict(frozen=True)

    sessions: tuple[Session, ...] = Field(
        default=DEFAULT_SESSIONS, description="Sessions of an ordinary working day."
    )
    by_weekday: dict[int, tuple[Session, ...]] = Field(
        default_factory=dict, description="Weekday (0 = Monday) → its own sessions."
    )

    @field_validator("sessions")
    @classmethod
    def _check_sessions(cls, value: tuple[Session, ...]) -> tuple[Session, ...]:
        return check_sessions(value, "office hours")

    @field_validator("by_weekday")
    @classmethod
    def _check_weekdays(
        cls, value: dict[int, tuple[Session, ...]]
    ) -> dict[int, tuple[Session, ...]]:
        for weekday, sessions in value.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday {weekday} is not 0 (Monday) … 6 (Sunday)")
            check_sessions(sessions, f"office hours of weekday {weekday}")
        return value

    def sessions_on(self, weekday: int) -> tuple[Session, ...]:
        """Sessions of a working day falling on ``weekday`` (0 = Monday)."""
        return self.by_weekday.get(weekday, self.sessions)

    def hours_on(self, weekday: int) -> float:
        """Working hours of a working day falling on ``weekday``."""
        return sum(s.hours for s in self.sessions_on(weekday))

    def key(self) -> dict[str, Any]:
        """A plain mapping of the schedule, for the calendar fingerprint."""
        return {
            "sessions": [str(s) for s in self.sessions],
            "by_weekday": {str(k): [str(s) for s in v] for k, v in sorted(self.by_weekday.items())},
        }


class ReceptionHours(BaseModel):
    """When the one-stop desk receives dossiers; separate from working time.

    On working days the desk receives during ``on_working_days`` (``None`` = the office
    hours). ``on_weekend`` maps a weekend weekday (5 = Saturday, 6 = Sunday) to reception
    sessions on that day when it is not a holiday, e.g. ``{5: ["07:30-11:30"]}`` for
    "Ngày thứ 7 vì dân". Receiving on a Saturday does not make it a working day: the time limit
    of a dossier received then counts from the next working day.

    >>> ReceptionHours(on_weekend={5: ["07:30-11:30"]}).on_weekend[5][0].hours
    4.0
    """

    model_config = ConfigDict(frozen=True)

    on_working_days: tuple[Session, ...] | None = None
    on_weekend: dict[int, tuple[Session, ...]] = Field(default_factory=dict)

    @field_validator("on_working_days")
    @classmethod
    def _check_working_days(cls, value: tuple[Session, ...] | None) -> tuple[Session, ...] | None:
        return None if value is None else check_sessions(value, "reception hours of working days")

    @field_validator("on_weekend")
    @classmethod
    def _check_weekend(
        cls, value: dict[int, tuple[Session, ...]]
    ) -> dict[int, tuple[Session, ...]]:
        for weekday, sessions in value.items():
            if weekday not in WEEKEND:
                raise ValueError(f"on_weekend keys are 5 (Saturday) or 6 (Sunday), not {weekday}")
            check_sessions(sessions, f"reception hours of weekday {weekday}")
        return value
