"""Fast working-time measurement for the streaming report.

``WorkingCalendar.working_time_between`` is exact but too slow to call once per row of a
million-row report. :class:`WorkClock` gives the same answer by decomposition: the working time
between ``a`` and ``b`` is ``W(b) − W(a)`` where ``W(t)`` = working time from a fixed anchor to
``t``'s midnight (one calendar call per distinct date, cached) + working time from that midnight
to ``t`` (an intraday profile per kind of day, sampled once per minute and interpolated; exact
when office sessions start and end on whole minutes, which :meth:`WorkClock.seconds_between`
double-checks per kind of day by its total and closing time, falling back to the exact call).
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any, ClassVar

__all__ = ["WorkClock"]

_MINUTES_PER_DAY = 24 * 60
_ONE_DAY = dt.timedelta(days=1)


def _default_calendar() -> Any:
    module = importlib.import_module("tthc._calendar")
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
        self._cum: dict[dt.date, int] = {}
        self._kind: dict[dt.date, tuple[int, dt.time | None]] = {}
        self._profiles: dict[tuple[int, dt.time | None], list[int]] = {}
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

    def _cumulative(self, day: dt.date, tz: dt.tzinfo | None) -> int:
        cum = self._cum.get(day)
        if cum is not None:
            return cum
        if self._anchor is None:
            self._anchor = day
        anchor = self._midnight(self._anchor, tz)
        here = self._midnight(day, tz)
        cum = self._seconds(anchor, here) if day >= self._anchor else -self._seconds(here, anchor)
        self._cum[day] = cum
        return cum

    def _day_kind(self, day: dt.date, tz: dt.tzinfo | None) -> tuple[int, dt.time | None]:
        kind = self._kind.get(day)
        if kind is None:
            start = self._midnight(day, tz)
            total = self._seconds(start, start + _ONE_DAY)
            closing = self.calendar.closing_time(day).timetz() if total else None
            kind = self._kind[day] = (total, closing)
        return kind

    def _day(self, day: dt.date, tz: dt.tzinfo | None) -> tuple[int, list[int] | None]:
        """``(working seconds from the anchor to the day's midnight, intraday profile)``; the
        profile is ``None`` on a day without working time."""
        info = self._days.get(day)
        if info is None:
            kind = self._day_kind(day, tz)
            profile = None
            if kind[0]:
                profile = self._profiles.get(kind)
                if profile is None:
                    start = self._midnight(day, tz)
                    profile = [
                        self._seconds(start, start + dt.timedelta(minutes=m))
                        for m in range(_MINUTES_PER_DAY + 1)
                    ]
                    self._profiles[kind] = profile
            info = self._days[day] = (self._cumulative(day, tz), profile)
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
