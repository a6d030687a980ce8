"""Fast working-time measurement for the streaming report.

``WorkingCalendar.working_time_between`` is exact but too slow to call once per row of a
million-row report. :class:`WorkClock` gives the same answer by decomposition: the working time
between ``a`` and ``b`` is ``W(b) − W(a)`` where ``W(t)`` = working time from a fixed anchor to
``t``'s midnight (one calendar call per distinct date, cached) + working time from that midnight
to ``t`` (an intraday profile per distinct list of office sessions, sampled once per minute and
interpolated within the minute: exact, since sessions start and end on whole minutes).
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any, ClassVar

__all__ = ["WorkClock"]

MINUTES_PER_DAY = 24 * 60
"""Minutes in a day: an intraday profile has one value per minute and one more (the midnight
after), which the columnar path indexes the same way."""


def _default_calendar() -> Any:
    module = importlib.import_module("tthc.calendar")
    return module.WorkingCalendar.vietnam()


class WorkClock:
    """Working seconds between two aware instants on one calendar, cached for speed.

    >>> import datetime as dt
    >>> from tthc import VN_TZ
    >>> clock = WorkClock.for_calendar(None)
    >>> clock.seconds_between(dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ),
    ...                       dt.datetime(2024, 3, 5, 8, tzinfo=VN_TZ)) // 3600
    8
    """

    _instances: ClassVar[dict[int, WorkClock]] = {}

    def __init__(self, calendar: Any) -> None:
        self.calendar = calendar
        self._between = calendar.working_time_between
        self._anchor: dt.date | None = None
        self._profiles: dict[tuple[Any, ...], list[int]] = {}
        self._days: dict[dt.date, tuple[int, list[int] | None]] = {}

    @classmethod
    def for_calendar(cls, calendar: Any) -> WorkClock:
        """The shared clock of ``calendar`` (``None`` = ``WorkingCalendar.vietnam()``)."""
        if calendar is None:
            calendar = _default_calendar()
        key = id(calendar)
        clock = cls._instances.get(key)
        if clock is None or clock.calendar is not calendar:
            if len(cls._instances) > 32:
                cls._instances.clear()
            clock = cls._instances[key] = cls(calendar)
        return clock

    def _midnight(self, day: dt.date, tz: dt.tzinfo | None) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tz)

    def _seconds(self, a: dt.datetime, b: dt.datetime) -> int:
        return int(self._between(a, b).total_seconds())

    def _day(self, day: dt.date, tz: dt.tzinfo | None) -> tuple[int, list[int] | None]:
        """``(working seconds from the anchor to the day's midnight, intraday profile)``; the
        profile is ``None`` on a day without office sessions. Profiles are shared by the days
        with the same sessions (``WorkingCalendar.sessions``)."""
        info = self._days.get(day)
        if info is None:
            if self._anchor is None:
                self._anchor = day
            anchor = self._midnight(self._anchor, tz)
            here = self._midnight(day, tz)
            if day >= self._anchor:
                cumulative = self._seconds(anchor, here)
            else:
                cumulative = -self._seconds(here, anchor)
            sessions = tuple(self.calendar.sessions(day))
            profile = None
            if sessions:
                profile = self._profiles.get(sessions)
                if profile is None:
                    profile = [
                        self._seconds(here, here + dt.timedelta(minutes=m))
                        for m in range(MINUTES_PER_DAY + 1)
                    ]
                    self._profiles[sessions] = profile
            info = self._days[day] = (cumulative, profile)
        return info

    def seconds_between(self, a: dt.datetime, b: dt.datetime) -> int:
        """Working seconds from ``a`` to ``b`` (whole seconds; 0 if ``b`` is not after ``a``).

        Both must be aware and in the same UTC offset as each other (the interchange readers
        give UTC+7).
        """
        if b <= a:
            return 0
        days = self._days
        info = days.get(a.date()) or self._day(a.date(), a.tzinfo)
        w_a = info[0]
        profile = info[1]
        if profile is not None:
            minute = a.hour * 60 + a.minute
            low = profile[minute]
            w_a += low + a.second if a.second and profile[minute + 1] != low else low
        info = days.get(b.date()) or self._day(b.date(), b.tzinfo)
        w_b = info[0]
        profile = info[1]
        if profile is not None:
            minute = b.hour * 60 + b.minute
            low = profile[minute]
            w_b += low + b.second if b.second and profile[minute + 1] != low else low
        return w_b - w_a if w_b > w_a else 0
