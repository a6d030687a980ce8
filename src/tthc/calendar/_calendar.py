"""The working calendar of Vietnamese civil servants, precomputed into arrays.

A :class:`WorkingCalendar` answers every query by index arithmetic on a table built lazily for
a range of years (and rebuilt, larger, when a query leaves it):

* ``working`` – one byte per day, 1 for a working day;
* ``after`` / ``before`` – date -> working days on or before it / strictly before it;
* ``wd_dates`` – the working days, sorted (so the *k*-th working day is ``wd_dates[k]``);
* ``cum_us`` – working microseconds before each day, for working-time arithmetic.

Day rules, in order of precedence (later wins):

1. Saturday and Sunday are weekly days off (40-hour week of civil servants,
   Decision 188/1999/QĐ-TTg);
2. ``holidays.VN``: public holidays (Labor Code 2019 Art. 112), compensatory days
   (Art. 111(3)) and the swaps it knows (its ``weekend_workdays`` are working Saturdays);
3. the bundled official notices 2019–2026 (:mod:`tthc.calendar._official`);
4. user overlays, in the order given.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import json
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Final, NamedTuple, NoReturn

import holidays
from holidays.version import __version__ as _holidays_version
from pydantic import BaseModel, ConfigDict

from tthc._time import VN_TZ, require_aware
from tthc.calendar._hours import (
    HOURS_PER_WORKING_DAY,
    WEEKEND,
    OfficeHours,
    ReceptionHours,
    Session,
)
from tthc.calendar._official import OfficialNotice, notices_as_of
from tthc.calendar._overlay import CALENDAR_YEARS, CalendarOverlay, DayKind
from tthc.errors import CalendarError, CalendarMembershipError, DateOutOfBounds, InvalidInputError
from tthc.errors import ProvisionalCalendarWarning as ProvisionalCalendarWarning

__all__ = [
    "LOCAL_EPOCH",
    "CalendarDay",
    "DayOff",
    "DaysOff",
    "WorkingCalendar",
    "from_local_us",
    "local_us",
]

_US_PER_WORKING_DAY_ESTIMATE: Final = HOURS_PER_WORKING_DAY * 3600 * 1_000_000
"""Working microseconds of a default day, to estimate how far the table must grow."""
_MIN_WORKING_DAYS_PER_YEAR: Final = 240
"""Fewer working days than any year has (official counts 2019–2026: 249–252), so ``n``
working days never span more than ``n // 240 + 1`` years when the table grows."""
_MINUTES_PER_DAY: Final = 24 * 60
_YEAR_MARGIN: Final = 2
"""Years added on each side when the table grows, so nearby queries do not rebuild it."""

_Sessions = tuple[tuple[int, int], ...]


class CalendarDay(BaseModel):
    """A date that differs from the plain Monday–Friday rule, with why.

    ``working`` is True for a working weekend day (a swap); ``source`` names the document
    (official notice, overlay) or the ``holidays`` rule that decided it.
    """

    model_config = ConfigDict(frozen=True)

    date: dt.date
    working: bool
    name: str
    source: str


class _Table:
    """An immutable snapshot of the calendar for the years ``lo``–``hi`` (never mutated)."""

    __slots__ = (
        "after",
        "base",
        "before",
        "cum_us",
        "dates",
        "hi",
        "lo",
        "n_wd",
        "sessions",
        "special",
        "wd_dates",
        "working",
    )

    def __init__(
        self,
        lo: int,
        hi: int,
        base: int,
        working: bytes,
        wd_dates: list[dt.date],
        after: dict[dt.date, int],
        before: dict[dt.date, int],
        sessions: list[_Sessions],
        cum_us: list[int],
        dates: list[dt.date],
        special: dict[int, bool],
    ) -> None:
        self.lo = lo
        self.hi = hi
        self.base = base  # ordinal of 1 January of ``lo``
        self.working = working  # one byte per day
        self.wd_dates = wd_dates  # the working days, sorted
        self.n_wd = len(wd_dates)
        self.after = after  # date -> number of working days on or before it
        self.before = before  # date -> number of working days strictly before it
        self.sessions = sessions  # per day: ((start_us, end_us), ...)
        self.cum_us = cum_us  # cum_us[i] = working microseconds before day i
        self.dates = dates  # dates[i] = the i-th day of the range
        self.special = special  # ordinal -> working?, for dates departing from the weekly rule


class WorkingCalendar:
    """A working calendar: days off, working days and office hours.

    Build the national civil-service calendar with :meth:`vietnam`; add local decisions with
    overlays. Instances are immutable from outside and never share state, so they are safe to
    share between threads; the table behind the queries is built lazily and extended when a
    query needs more years.

    Dates are ``datetime.date`` (an aware ``datetime`` counts as its UTC+7 date; a naive one
    raises :class:`~tthc.NaiveDatetimeError`, anything else :class:`~tthc.InvalidInputError`);
    instants are aware ``datetime`` objects, converted to UTC+7.

    Args:
        name: a human-readable name (not part of the fingerprint).
        overlays: local decisions applied on top, later ones winning.
        office_hours: the sessions of a working day (default 07:30–11:30, 13:00–17:00).
        reception_hours: when dossiers are received (default: the office hours).
        official_notices: apply the bundled official notices 2019–2026 (default True; False
            gives the plain ``holidays.VN`` calendar, with every year provisional).
        last_official_year: override the last year covered by official notices (default: 2026,
            or the largest ``official_through`` of the overlays).
        as_of: apply only the bundled notices announced on or before this date (their
            announcement dates: :data:`tthc.calendar.OFFICIAL_DOCUMENTS`), to recompute a due
            date or report as it was computed then; later years are provisional. ``None``
            (default): every notice. ``holidays``' own data has no announcement dates and is
            applied whole (its version is in the fingerprint); user overlays always apply.

    >>> cal = WorkingCalendar.vietnam()
    >>> cal.is_working_day(dt.date(2024, 2, 8))  # Tết 2024
    False
    >>> cal.add_working_days(dt.date(2024, 2, 7), 2)
    datetime.date(2024, 2, 16)
    """

    def __init__(
        self,
        name: str = "Vietnam civil service",
        *,
        overlays: Iterable[CalendarOverlay] = (),
        office_hours: OfficeHours | None = None,
        reception_hours: ReceptionHours | None = None,
        official_notices: bool = True,
        last_official_year: int | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        self._name = name
        self._overlays = tuple(overlays)
        for overlay in self._overlays:
            if not isinstance(overlay, CalendarOverlay):
                raise InvalidInputError(
                    f"overlays must be CalendarOverlay objects, got {type(overlay).__name__}"
                )
        self._office_hours = office_hours or OfficeHours()
        self._reception_hours = reception_hours or ReceptionHours()
        self._official_notices = official_notices
        self._as_of = _as_of_date(as_of)
        notice_set = notices_as_of(self._as_of)
        self._notices: tuple[OfficialNotice, ...] = notice_set.notices if official_notices else ()
        self._latest_announcement = notice_set.latest_announcement if official_notices else None
        if last_official_year is None:
            last_official_year = notice_set.last_official_year if official_notices else dt.MINYEAR
            for overlay in self._overlays:
                if overlay.official_through is not None:
                    last_official_year = max(last_official_year, overlay.official_through)
        self._last_official_year = last_official_year
        self._official_last = dt.date(last_official_year, 12, 31)
        self._official_end = self._official_last.toordinal()
        self._bounds = CALENDAR_YEARS
        # Overlay entries, later wins: ordinal -> (working, sessions or None, source, note).
        entries: dict[int, tuple[bool, _Sessions | None, str, str]] = {}
        if official_notices:
            for date, kind, document, note in self._notices:
                entries[date.toordinal()] = (
                    kind is DayKind.WORKING_DAY,
                    None,
                    document,
                    note,
                )
        for overlay in self._overlays:
            for e in overlay.days:
                sessions = (
                    None
                    if e.sessions is None
                    else tuple((s.start_us, s.end_us) for s in e.sessions)
                )
                entries[e.date.toordinal()] = (
                    e.kind is DayKind.WORKING_DAY,
                    sessions,
                    e.source or overlay.name,
                    e.note or "",
                )
        self._entries = entries
        self._weekday_sessions: tuple[_Sessions, ...] = tuple(
            tuple((s.start_us, s.end_us) for s in self._office_hours.sessions_on(w))
            for w in range(7)
        )
        self._lock = threading.Lock()
        self._table: _Table | None = None
        self._fingerprint = self._compute_fingerprint()

    def __reduce__(self) -> tuple[Callable[..., WorkingCalendar], tuple[object, ...]]:
        """Pickled (and copied) as what it is made of — the tables and their lock are rebuilt
        on first use — so that a calendar with a province's overlay travels to worker
        processes (Dask, Spark); the shared national calendar comes back as itself.

        >>> import pickle
        >>> cal = WorkingCalendar.vietnam(overlays=[CalendarOverlay.from_days(
        ...     "Nghệ An", days_off=["2024-01-05"])])
        >>> copy = pickle.loads(pickle.dumps(cal))
        >>> copy.fingerprint == cal.fingerprint, copy.is_working_day(dt.date(2024, 1, 5))
        (True, False)
        >>> pickle.loads(pickle.dumps(WorkingCalendar.vietnam())) is WorkingCalendar.vietnam()
        True
        """
        if self is _default_calendar():
            return (_default_calendar, ())
        return (
            _restore,
            (
                self._name,
                self._overlays,
                self._office_hours,
                self._reception_hours,
                self._official_notices,
                self._last_official_year,
                self._as_of,
            ),
        )

    # ------------------------------------------------------------------ construction

    @classmethod
    def vietnam(
        cls,
        *,
        overlays: Iterable[CalendarOverlay] = (),
        office_hours: OfficeHours | None = None,
        reception_hours: ReceptionHours | None = None,
        as_of: dt.date | None = None,
    ) -> WorkingCalendar:
        """The national civil-service calendar: ``holidays.VN`` plus the official notices.

        Without arguments this returns a shared, cached instance (immutable, so safe to share).
        ``as_of`` gives the calendar as the official notices stood on that date: a notice
        announced later is left out, and years after the last notice announced by then are
        provisional (see the class's ``as_of`` argument). Calendars with the same notices are
        equal in :attr:`fingerprint` whatever the ``as_of`` date.

        >>> WorkingCalendar.vietnam() is WorkingCalendar.vietnam()
        True
        >>> WorkingCalendar.vietnam().is_working_day(dt.date(2026, 1, 10))  # swap, Công văn 12729
        True
        >>> before = WorkingCalendar.vietnam(as_of=dt.date(2025, 12, 20))  # before that notice
        >>> before.is_working_day(dt.date(2026, 1, 2)), before.notice_set
        (True, 'official notices announced by 2025-10-16')
        """
        overlays = tuple(overlays)
        if not overlays and office_hours is None and reception_hours is None:
            if as_of is None:
                return _default_calendar()
            return _calendar_as_of(_as_of_date(as_of))
        return cls(
            overlays=overlays,
            office_hours=office_hours,
            reception_hours=reception_hours,
            as_of=as_of,
        )

    def __repr__(self) -> str:
        return f"WorkingCalendar({self._name!r}, fingerprint={self._fingerprint!r})"

    # ------------------------------------------------------------------ properties

    @property
    def name(self) -> str:
        """A human-readable name."""
        return self._name

    @property
    def fingerprint(self) -> str:
        """A stable hash of everything that decides working days and hours.

        It covers the ``holidays`` version, the weekend rule, the official notices, the
        overlay entries, the office hours and the last official year (not names or reception
        hours, which change no deadline). Store it with a due date to know which calendar
        produced it, and recompute open dossiers when it changes.

        >>> len(WorkingCalendar.vietnam().fingerprint)
        16
        """
        return self._fingerprint

    @property
    def last_official_year(self) -> int:
        """The last year covered by official notices; later years are provisional."""
        return self._last_official_year

    @property
    def as_of(self) -> dt.date | None:
        """The date the bundled notices were taken as of (``None``: all notices)."""
        return self._as_of

    @property
    def notices(self) -> tuple[OfficialNotice, ...]:
        """The bundled official notices this calendar applies (all of them, or those announced
        by :attr:`as_of`; none with ``official_notices=False``)."""
        return self._notices

    @property
    def notice_set(self) -> str:
        """A short description of the notices behind this calendar, for reports and audits.

        ``"official notices announced by <date>"`` (the latest announcement applied: two
        ``as_of`` dates with the same notices say the same), ``"no official notices"``, plus
        ``"; overlays: <names>"`` when there are overlays. Together with :attr:`fingerprint` it
        says which calendar a result was computed on; recompute with
        ``WorkingCalendar.vietnam(as_of=<date>)``.

        >>> WorkingCalendar.vietnam().notice_set
        'official notices announced by 2026-01-07'
        """
        if not self._official_notices:
            text = "no official notices"
        elif self._latest_announcement is None:
            text = "official notices: statutes only"
        else:
            text = f"official notices announced by {self._latest_announcement.isoformat()}"
        if self._overlays:
            text += "; overlays: " + ", ".join(o.name for o in self._overlays)
        return text

    @property
    def office_hours(self) -> OfficeHours:
        """The weekly office hours."""
        return self._office_hours

    @property
    def reception_hours(self) -> ReceptionHours:
        """When dossiers are received (separate from working time)."""
        return self._reception_hours

    @property
    def overlays(self) -> tuple[CalendarOverlay, ...]:
        """The user overlays, in order of application."""
        return self._overlays

    @property
    def bounds(self) -> tuple[int, int]:
        """First and last year this calendar can compute (those of ``holidays.VN``)."""
        return self._bounds

    def _compute_fingerprint(self) -> str:
        data = {
            "holidays": ["VN", _holidays_version],
            "weekend": list(WEEKEND),
            "official": [[d.isoformat(), k, doc] for d, k, doc, _n in self._notices],
            "overlays": [[o.official_through, [e.key() for e in o.days]] for o in self._overlays],
            "office_hours": self._office_hours.key(),
            "last_official_year": self._last_official_year,
        }
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    # ------------------------------------------------------------------ the table

    def _check_year(self, year: int, value: dt.date | int, param: str) -> None:
        """Raise :class:`~tthc.DateOutOfBounds` naming ``param`` unless ``year`` is one this
        calendar computes (``value``, a date or the year itself, is what the message quotes)."""
        if not isinstance(year, int) or isinstance(year, bool):
            raise InvalidInputError(f"{param}={year!r} must be an integer year, e.g. 2026")
        if not self._bounds[0] <= year <= self._bounds[1]:
            raise DateOutOfBounds(self._name, value, param, self._bounds)

    def _ensure(self, lo: int, hi: int) -> _Table:
        """The table, covering at least the years ``lo``–``hi`` (already bounds-checked)."""
        table = self._table
        if table is not None and table.lo <= lo and hi <= table.hi:
            return table
        with self._lock:
            table = self._table
            if table is not None and table.lo <= lo and hi <= table.hi:
                return table
            new_lo = max(self._bounds[0], min(lo - _YEAR_MARGIN, table.lo if table else lo))
            new_hi = min(self._bounds[1], max(hi + _YEAR_MARGIN, table.hi if table else hi))
            table = self._build(new_lo, new_hi)
            self._table = table
            return table

    def _table_for(self, d: dt.date, param: str) -> _Table:
        y = d.year
        table = self._table
        if table is not None and table.lo <= y <= table.hi:
            return table
        self._check_year(y, d, param)
        return self._ensure(y, y)

    def build(self, first_year: int, last_year: int) -> None:
        """Precompute the table for ``first_year``–``last_year`` (queries do it lazily).

        >>> WorkingCalendar.vietnam().build(2000, 2050)

        Raises:
            DateOutOfBounds: a year ``holidays`` cannot compute.
        """
        self._check_year(first_year, first_year, "first_year")
        self._check_year(last_year, last_year, "last_year")
        self._ensure(first_year, last_year)

    def _day_off_map(self, lo: int, hi: int) -> dict[int, bool]:
        """Ordinal -> working? for every date that departs from the weekly rule."""
        hol = holidays.country_holidays("VN", years=range(lo, hi + 1))
        special: dict[int, bool] = {}
        for day in hol:
            special[day.toordinal()] = False
        for day in hol.weekend_workdays:
            special[day.toordinal()] = True
        for o, (working, _s, _src, _note) in self._entries.items():
            special[o] = working
        return special

    def _build(self, lo: int, hi: int) -> _Table:
        base = dt.date(lo, 1, 1).toordinal()
        end = dt.date(hi, 12, 31).toordinal()
        n = end - base + 1
        special = self._day_off_map(lo, hi)
        # Weekly rule, vectorised by slicing: Monday of ordinal o is o % 7 == 1.
        first_weekday = dt.date(lo, 1, 1).weekday()
        week = bytes(1 if (first_weekday + k) % 7 not in WEEKEND else 0 for k in range(7))
        working = bytearray((week * (n // 7 + 1))[:n])
        for o, is_working in special.items():
            i = o - base
            if 0 <= i < n:
                working[i] = 1 if is_working else 0
        all_dates = [dt.date.fromordinal(base + i) for i in range(n)]
        wd_dates = [d for d, w in zip(all_dates, working, strict=True) if w]
        after: dict[dt.date, int] = {}
        before: dict[dt.date, int] = {}
        total = 0
        for d, w in zip(all_dates, working, strict=True):
            before[d] = total
            total += w
            after[d] = total
        weekday_sessions = self._weekday_sessions
        entries = self._entries
        sessions: list[_Sessions] = []
        cum_us = [0] * (n + 1)
        acc = 0
        for i in range(n):
            if working[i]:
                entry = entries.get(base + i)
                day = (
                    entry[1]
                    if entry is not None and entry[1] is not None
                    else weekday_sessions[(first_weekday + i) % 7]
                )
                acc += sum(e - s for s, e in day)
            else:
                day = ()
            sessions.append(day)
            cum_us[i + 1] = acc
        return _Table(
            lo,
            hi,
            base,
            bytes(working),
            wd_dates,
            after,
            before,
            sessions,
            cum_us,
            all_dates,
            special,
        )

    def is_provisional(self, d: dt.date) -> bool:
        """True if ``d`` is after the last year covered by official notices.

        >>> WorkingCalendar.vietnam().is_provisional(dt.date(2027, 1, 4))
        True
        """
        return _as_date(d, "d").toordinal() > self._official_end

    # ------------------------------------------------------------------ day queries

    def is_working_day(self, d: dt.date) -> bool:
        """True if ``d`` is a working day.

        >>> WorkingCalendar.vietnam().is_working_day(dt.date(2024, 5, 4))  # working Saturday
        True

        Raises:
            DateOutOfBounds: ``d`` is in a year ``holidays`` cannot compute.
        """
        t = self._table
        if t is not None:
            k = t.after.get(d)
            if k is not None and d <= self._official_last:
                return k != t.before[d]
        d = _as_date(d, "d")
        table = self._table_for(d, "d")
        o = d.toordinal()
        if o > self._official_end:
            _warn_provisional(self, d)
        return bool(table.working[o - table.base])

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d`` (before it if ``n`` < 0).

        ``n`` = 0 returns ``d`` if it is a working day, else the next working day: the contract
        of ``holidays``' ``get_nth_working_day``. ``d`` itself is never counted, so for
        ``n`` > 0 this is the Civil Code 2015 Art. 147 count (a limit starts the day after).

        >>> cal = WorkingCalendar.vietnam()
        >>> cal.add_working_days(dt.date(2024, 2, 15), -1)  # first day after Tết → Wednesday 7/2
        datetime.date(2024, 2, 7)
        >>> cal.add_working_days(dt.date(2024, 2, 10), 0)
        datetime.date(2024, 2, 15)

        Raises:
            DateOutOfBounds: ``d`` or the result is outside the years the calendar can compute.
        """
        # Fast path: two lookups in the current table, no allocation.
        t = self._table
        if t is not None and n.__class__ is int:
            k = t.after.get(d) if n > 0 else t.before.get(d)
            if k is not None:
                k += n - 1 if n > 0 else n
                if 0 <= k < t.n_wd:
                    r = t.wd_dates[k]
                    if r <= self._official_last and d <= self._official_last:
                        return r
        return self._add_working_days(d, n)

    def _add_working_days(self, d: dt.date, n: int) -> dt.date:
        if not isinstance(n, int) or isinstance(n, bool):
            raise InvalidInputError(f"n={n!r} must be an integer number of working days")
        d = _as_date(d, "d")
        table = self._table_for(d, "d")
        while True:
            k = table.after[d] + n - 1 if n > 0 else table.before[d] + n
            if 0 <= k < table.n_wd:
                result = table.wd_dates[k]
                break
            table = self._grow(table, d, k < 0, abs(n))
        latest = max(result, d)
        if latest > self._official_last:
            _warn_provisional(self, latest)
        return result

    def _beyond(self, d: dt.date, n: int, side: str) -> DateOutOfBounds:
        """The error of a count of working days that runs past the calendar's years."""
        return DateOutOfBounds(
            self._name,
            d,
            "n",
            self._bounds,
            result_of=f"the date {n:,} working day(s) {side} {d.isoformat()} falls",
        )

    def _grow(self, table: _Table, d: dt.date, backward: bool, n: int) -> _Table:
        """Extend ``table`` in one direction by about ``n`` working days, or raise."""
        years = n // _MIN_WORKING_DAYS_PER_YEAR + 1
        if backward:
            if table.lo <= self._bounds[0]:
                raise self._beyond(d, n, "before")
            return self._ensure(max(self._bounds[0], table.lo - years), table.hi)
        if table.hi >= self._bounds[1]:
            raise self._beyond(d, n, "after")
        return self._ensure(table.lo, min(self._bounds[1], table.hi + years))

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``.

        >>> WorkingCalendar.vietnam().next_working_day(dt.date(2026, 1, 1))  # 2/1 is a swap
        datetime.date(2026, 1, 5)
        """
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: dt.date) -> dt.date:
        """The last working day strictly before ``d``.

        >>> WorkingCalendar.vietnam().previous_working_day(dt.date(2024, 2, 15))
        datetime.date(2024, 2, 7)
        """
        return self.add_working_days(d, -1)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days ``d`` with ``a < d <= b``: the start excluded, the end included.

        This is the Civil Code 2015 Art. 147 count, so ``working_days_between(d,
        add_working_days(d, n)) == n`` for ``n`` > 0. If ``b < a`` the result is minus the
        count for ``(b, a]``.

        >>> cal = WorkingCalendar.vietnam()
        >>> cal.working_days_between(dt.date(2024, 2, 7), dt.date(2024, 2, 16))
        2
        >>> cal.working_days_between(dt.date(2024, 12, 31), dt.date(2025, 12, 31))
        250
        """
        a, b = _as_date(a, "a"), _as_date(b, "b")
        self._check_year(a.year, a, "a")
        self._check_year(b.year, b, "b")
        table = self._ensure(min(a.year, b.year), max(a.year, b.year))
        latest = max(a, b)
        if latest > self._official_last:
            _warn_provisional(self, latest)
        return table.after[b] - table.after[a]

    def working_days_in_year(self, year: int) -> int:
        """Number of working days in ``year``.

        >>> WorkingCalendar.vietnam().working_days_in_year(2024)
        251
        """
        self._check_year(year, year, "year")
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)  # both counted: the year alone
        table = self._ensure(year, year)
        if last > self._official_last:
            _warn_provisional(self, last)
        return table.after[last] - table.before[first]

    # ------------------------------------------------------------------ batch forms

    def is_working_day_many(self, dates: Sequence[dt.date]) -> list[bool]:
        """:meth:`is_working_day` for each date.

        >>> WorkingCalendar.vietnam().is_working_day_many([dt.date(2024, 2, 8), dt.date(2024, 2, 15)])
        [False, True]
        """
        if not dates:
            return []
        table, _first, last = self._table_for_many(dates)
        if last.toordinal() > self._official_end:
            _warn_provisional(self, last)
        before, after = table.before, table.after
        return [after[d] != before[d] for d in dates]

    def add_working_days_many(
        self, dates: Sequence[dt.date], n: int | Sequence[int]
    ) -> list[dt.date]:
        """:meth:`add_working_days` for each date; ``n`` is one offset or one per date.

        Plain-Python index arithmetic on the precomputed table (a dictionary lookup and a list
        index per date; figures in ``docs/benchmarks.md``).

        >>> cal = WorkingCalendar.vietnam()
        >>> cal.add_working_days_many([dt.date(2024, 2, 7), dt.date(2024, 2, 16)], 2)
        [datetime.date(2024, 2, 16), datetime.date(2024, 2, 20)]
        >>> cal.add_working_days_many([dt.date(2024, 2, 7), dt.date(2024, 2, 7)], [1, -1])
        [datetime.date(2024, 2, 15), datetime.date(2024, 2, 6)]

        Raises:
            DateOutOfBounds: a date or a result outside the years the calendar can compute.
        """
        if not dates:
            return []
        table, first, last = self._table_for_many(dates)
        if isinstance(n, int):
            ns: Sequence[int] | None = None
            lo_n = hi_n = n
        else:
            ns = n
            if len(ns) != len(dates):
                raise InvalidInputError(
                    f"n has {len(ns)} offsets for {len(dates)} dates; give one per date"
                )
            lo_n, hi_n = (min(ns), max(ns)) if ns else (0, 0)
        # Make sure the extreme results stay inside the table (grow it if needed).
        while True:
            k_lo = table.before[first] + lo_n if lo_n <= 0 else table.after[first] + lo_n - 1
            k_hi = table.after[last] + hi_n - 1 if hi_n > 0 else table.before[last] + hi_n
            if k_lo < 0:
                table = self._grow(table, first, True, -lo_n)
            elif k_hi >= table.n_wd:
                table = self._grow(table, last, False, hi_n)
            else:
                break
        wdd, after, before = table.wd_dates, table.after, table.before
        if ns is None:
            assert isinstance(n, int)
            if n > 0:
                shift = n - 1
                out = [wdd[after[d] + shift] for d in dates]
            else:
                out = [wdd[before[d] + n] for d in dates]
        else:
            out = [
                wdd[after[d] + k - 1] if k > 0 else wdd[before[d] + k]
                for d, k in zip(dates, ns, strict=True)
            ]
        # add_working_days is monotone in the date, so with one offset the latest result is
        # that of the latest date.
        latest = max(wdd[k_hi], last) if ns is None else max(max(out), last)
        if latest.toordinal() > self._official_end:
            _warn_provisional(self, latest)
        return out

    def working_days_between_many(
        self, starts: Sequence[dt.date], ends: Sequence[dt.date]
    ) -> list[int]:
        """:meth:`working_days_between` for each pair.

        >>> WorkingCalendar.vietnam().working_days_between_many(
        ...     [dt.date(2024, 2, 7)], [dt.date(2024, 2, 16)])
        [2]
        """
        if len(starts) != len(ends):
            raise InvalidInputError(f"{len(starts)} starts but {len(ends)} ends")
        if not starts:
            return []
        table, _first, last = self._table_for_many([*starts, *ends])
        if last.toordinal() > self._official_end:
            _warn_provisional(self, last)
        after = table.after
        return [after[b] - after[a] for a, b in zip(starts, ends, strict=True)]

    def _table_for_many(self, dates: Sequence[dt.date]) -> tuple[_Table, dt.date, dt.date]:
        """(table covering every date, earliest date, latest date); checks the element type."""
        try:
            first, last = min(dates), max(dates)
        except TypeError:
            first = last = None  # type: ignore[assignment]
        if type(first) is not dt.date or type(last) is not dt.date:
            bad = next(d for d in dates if type(d) is not dt.date)
            raise InvalidInputError(
                f"batch queries take datetime.date values, got {type(bad).__name__} {bad!r}"
            )
        self._check_year(first.year, first, "dates")
        self._check_year(last.year, last, "dates")
        return self._ensure(first.year, last.year), first, last

    # ------------------------------------------------------------------ working time

    def sessions(self, d: dt.date) -> tuple[Session, ...]:
        """The office sessions of ``d``; empty on a day off.

        >>> [str(s) for s in WorkingCalendar.vietnam().sessions(dt.date(2024, 5, 4))]
        ['07:30-11:30', '13:00-17:00']
        """
        d = _as_date(d, "d")
        table = self._table_for(d, "d")
        return tuple(
            Session(start=_us_to_time(s), end=_us_to_time(e))
            for s, e in table.sessions[d.toordinal() - table.base]
        )

    def closing_time(self, d: dt.date) -> dt.datetime:
        """The office's closing time on working day ``d`` (aware, UTC+7).

        >>> WorkingCalendar.vietnam().closing_time(dt.date(2024, 2, 16))
        datetime.datetime(2024, 2, 16, 17, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=25200), 'ICT'))

        Raises:
            CalendarError: ``d`` is not a working day.
        """
        d = _as_date(d, "d")
        table = self._table_for(d, "d")
        o = d.toordinal()
        day = table.sessions[o - table.base]
        if not day:
            raise CalendarError(f"{d.isoformat()} is not a working day in calendar {self._name!r}")
        if o > self._official_end:
            _warn_provisional(self, d)
        return _at_date(d, day[-1][1])

    def _cum_at(self, x: dt.datetime, param: str) -> tuple[_Table, int]:
        """(table, working microseconds from the table's start to UTC+7 instant ``x``)."""
        table = self._table_for(x.date(), param)
        return table, _cum_in(table, x)

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time from ``start`` to ``end`` (negative if ``end`` is earlier).

        Only office sessions of working days count: lunch breaks, evenings, weekends and
        days off do not.

        >>> cal = WorkingCalendar.vietnam()
        >>> start = dt.datetime(2024, 3, 1, 10, 0, tzinfo=VN_TZ)  # Friday
        >>> cal.working_time_between(start, dt.datetime(2024, 3, 4, 9, 0, tzinfo=VN_TZ))
        datetime.timedelta(seconds=25200)

        Raises:
            NaiveDatetimeError: ``start`` or ``end`` has no UTC offset.
        """
        start_vn = require_aware(start, "start")
        end_vn = require_aware(end, "end")
        self._check_year(start_vn.year, start_vn.date(), "start")
        self._check_year(end_vn.year, end_vn.date(), "end")
        table = self._ensure(min(start_vn.year, end_vn.year), max(start_vn.year, end_vn.year))
        a, b = _cum_in(table, start_vn), _cum_in(table, end_vn)
        late = max(start_vn, end_vn)
        if late.date().toordinal() > self._official_end:
            _warn_provisional(self, late.date())
        return dt.timedelta(microseconds=b - a)

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working seconds from ``start`` to ``end`` (0 when ``end`` is not after
        ``start``), both taken to the second: the fast path of :meth:`working_time_between`
        for loops over millions of rows (the report's processing time).

        Index arithmetic on the precomputed table, like every query, with the argument checks
        reduced to what is cheap: instants already in :data:`tthc.VN_TZ` (as the readers give
        them) skip the conversion; anything else goes through the same checks as
        :meth:`working_time_between`. The test-suite checks it against that method on random
        instants.

        >>> cal = WorkingCalendar.vietnam()
        >>> cal.working_seconds(dt.datetime(2024, 3, 1, 10, 0, 30, tzinfo=VN_TZ),
        ...                     dt.datetime(2024, 3, 4, 9, 0, tzinfo=VN_TZ)) // 60
        419

        Raises:
            NaiveDatetimeError: ``start`` or ``end`` has no UTC offset.
            DateOutOfBounds: an instant in a year ``holidays`` cannot compute.
        """
        if start.tzinfo is not VN_TZ:
            start = require_aware(start, "start")
        if end.tzinfo is not VN_TZ:
            end = require_aware(end, "end")
        if end <= start:
            return 0
        table = self._table
        o_end = end.toordinal()
        if table is None or start.year < table.lo or end.year > table.hi:
            self._check_year(start.year, start.date(), "start")
            self._check_year(end.year, end.date(), "end")
            table = self._ensure(start.year, end.year)
        if o_end > self._official_end:
            _warn_provisional(self, end.date())
        return (_cum_in(table, end, False) - _cum_in(table, start, False)) // 1_000_000

    def working_seconds_local(self, start_us: int, end_us: int) -> int:
        """:meth:`working_seconds` on UTC+7 wall-clock instants written as integers —
        microseconds since 1970-01-01 00:00 (:data:`LOCAL_EPOCH`), the form the report's
        readers keep instants in: no ``datetime`` is built. Index arithmetic on the same table,
        to the whole second; the test-suite checks it against :meth:`working_time_between`.

        >>> cal = WorkingCalendar.vietnam()
        >>> a = local_us(dt.datetime(2024, 3, 1, 10, 0, 30))
        >>> cal.working_seconds_local(a, local_us(dt.datetime(2024, 3, 4, 9, 0))) // 60
        419

        Raises:
            DateOutOfBounds: an instant in a year ``holidays`` cannot compute.
        """
        if end_us <= start_us:
            return 0
        table = self._table
        # One division each (instants are two-digit integers: Python divides them slowly).
        first, start_time = divmod(start_us, _US_PER_DAY)
        last, end_time = divmod(end_us, _US_PER_DAY)
        first += _EPOCH_ORDINAL
        last += _EPOCH_ORDINAL
        if table is None or first < table.base or last - table.base >= len(table.sessions):
            d1, d2 = dt.date.fromordinal(max(1, first)), dt.date.fromordinal(max(1, last))
            self._check_year(d1.year, d1, "start")
            self._check_year(d2.year, d2, "end")
            table = self._ensure(d1.year, d2.year)
        if last > self._official_end:
            _warn_provisional(self, dt.date.fromordinal(last))
        base = table.base
        return (
            _cum_local(table, last - base, end_time) - _cum_local(table, first - base, start_time)
        ) // 1_000_000

    def working_second_tables(
        self, first: dt.date, last: dt.date
    ) -> tuple[list[int], list[int], list[list[int]]]:
        """The table behind :meth:`working_seconds`, day by day from ``first`` to ``last``, for
        engines that cannot call Python per row (the report's SQL path):

        * working seconds from midnight of ``first`` to midnight of each day;
        * each day's profile number;
        * the profiles: for each distinct list of office sessions, the working seconds from
          midnight to each minute of the day (1,441 values, the last one for the midnight
          after). The working seconds to an instant of day ``i`` are then
          ``cumulative[i] + profile[minute] + (its seconds, when that minute is worked)``.

        Exact when every session starts and ends on a whole minute (the case of every office
        schedule; :meth:`sessions_on_whole_minutes` says so).

        >>> cum, kinds, profiles = WorkingCalendar.vietnam().working_second_tables(
        ...     dt.date(2024, 3, 1), dt.date(2024, 3, 4))
        >>> cum, kinds, [p[24 * 60] for p in profiles]
        ([0, 28800, 28800, 28800], [0, 1, 1, 0], [28800, 0])

        Raises:
            DateOutOfBounds: a date in a year ``holidays`` cannot compute.
        """
        first, last = _as_date(first, "first"), _as_date(last, "last")
        self._check_year(first.year, first, "first")
        self._check_year(last.year, last, "last")
        table = self._ensure(first.year, last.year)
        i0 = first.toordinal() - table.base
        ids: dict[_Sessions, int] = {}
        profiles: list[list[int]] = []
        cumulative: list[int] = []
        kinds: list[int] = []
        for i in range(i0, last.toordinal() - table.base + 1):
            day = table.sessions[i]
            kind = ids.get(day)
            if kind is None:
                kind = ids[day] = len(profiles)
                profiles.append(
                    [
                        sum(max(0, min(e, m * 60_000_000) - s) for s, e in day) // 1_000_000
                        for m in range(_MINUTES_PER_DAY + 1)
                    ]
                )
            cumulative.append((table.cum_us[i] - table.cum_us[i0]) // 1_000_000)
            kinds.append(kind)
        return cumulative, kinds, profiles

    @property
    def sessions_on_whole_minutes(self) -> bool:
        """True when every office session (weekly hours and overlays) starts and ends on a
        whole minute, so that :meth:`working_second_tables` is exact.

        >>> WorkingCalendar.vietnam().sessions_on_whole_minutes
        True
        """
        days = [*self._weekday_sessions]
        days += [entry[1] for entry in self._entries.values() if entry[1] is not None]
        return all(s % 60_000_000 == 0 and e % 60_000_000 == 0 for day in days for s, e in day)

    def add_working_time(self, start: dt.datetime, delta: dt.timedelta) -> dt.datetime:
        """The instant ``delta`` of working time after ``start`` (before it if negative).

        A ``start`` outside office hours counts from the next working instant. The result is
        the earliest instant that completes ``delta``: four hours from 07:30 end at 11:30,
        not at 13:00, and eight hours end at 17:00, not at 07:30 the next day.

        >>> cal = WorkingCalendar.vietnam()
        >>> cal.add_working_time(dt.datetime(2024, 3, 1, 15, 0, tzinfo=VN_TZ), dt.timedelta(hours=4))
        datetime.datetime(2024, 3, 4, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(seconds=25200), 'ICT'))

        Raises:
            NaiveDatetimeError: ``start`` has no UTC offset.
            InvalidInputError: ``delta`` is not a ``timedelta``.
            DateOutOfBounds: the result is outside the years the calendar can compute.
        """
        x = require_aware(start, "start")
        if not isinstance(delta, dt.timedelta):
            raise InvalidInputError(
                f"delta={delta!r} must be a datetime.timedelta (got {type(delta).__name__})"
            )
        if not delta:
            return x
        table, c = self._cum_at(x, "start")
        delta_us = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        while True:
            target = c + delta_us
            j = bisect.bisect_left(table.cum_us, target)
            if target > 0 and j < len(table.cum_us):
                break
            days = abs(delta_us) // _US_PER_WORKING_DAY_ESTIMATE
            self._grow(table, x.date(), target <= 0, days)
            table, c = self._cum_at(x, "start")  # re-based on the grown table
        i = j - 1
        r = target - table.cum_us[i]
        for s, e in table.sessions[i]:
            if r <= e - s:
                day = table.dates[i]
                if day > self._official_last:
                    _warn_provisional(self, day)
                return _at_date(day, s + r)
            r -= e - s
        raise AssertionError("unreachable: cumulative working time out of step")  # pragma: no cover

    # ------------------------------------------------------------------ reception

    def reception_sessions(self, d: dt.date) -> tuple[Session, ...]:
        """When the desk receives dossiers on ``d`` (may be non-empty on a Saturday).

        >>> from tthc.calendar._hours import ReceptionHours
        >>> cal = WorkingCalendar.vietnam(reception_hours=ReceptionHours(on_weekend={5: ["07:30-11:30"]}))
        >>> [str(s) for s in cal.reception_sessions(dt.date(2024, 3, 2))], cal.is_working_day(dt.date(2024, 3, 2))
        (['07:30-11:30'], False)
        """
        d = _as_date(d, "d")
        table = self._table_for(d, "d")
        i = d.toordinal() - table.base
        if table.working[i]:
            if self._reception_hours.on_working_days is not None:
                return self._reception_hours.on_working_days
            return self.sessions(d)
        weekend = self._reception_hours.on_weekend.get(d.weekday())
        # A day off here is a plain weekend day (no entry in ``special``) or a declared day
        # off (a holiday or an overlay/notice day off: ``False``); only the former receives.
        if weekend is None or table.special.get(d.toordinal()) is False:
            return ()
        return weekend

    def is_receiving(self, at: dt.datetime) -> bool:
        """True if the one-stop desk receives dossiers at instant ``at``.

        >>> WorkingCalendar.vietnam().is_receiving(dt.datetime(2024, 3, 4, 12, 0, tzinfo=VN_TZ))
        False
        """
        x = require_aware(at, "at")
        t = x.time().replace(tzinfo=None)
        return any(s.start <= t < s.end for s in self.reception_sessions(x.date()))

    # ------------------------------------------------------------------ listing

    def notable_days(self, year: int) -> list[CalendarDay]:
        """Every date of ``year`` that departs from the plain Monday–Friday rule, with its source.

        Public holidays falling on a weekend are listed too (as days off).

        >>> [d.date.isoformat() for d in WorkingCalendar.vietnam().notable_days(2026) if d.working]
        ['2026-01-10', '2026-08-22']
        """
        self._check_year(year, year, "year")
        hol = holidays.country_holidays("VN", years=year)
        version = f"holidays {_holidays_version} (VN)"
        days: dict[dt.date, CalendarDay] = {}
        for day, label in hol.items():
            if day.year == year:
                days[day] = CalendarDay(
                    date=day,
                    working=False,
                    name=str(label),
                    source=f"{version}, Labor Code 2019 Art. 112",
                )
        for day in hol.weekend_workdays:
            if day.year == year:
                days[day] = CalendarDay(
                    date=day, working=True, name="Working Saturday (swap)", source=version
                )
        for o, (working, sessions, source, note) in self._entries.items():
            day = dt.date.fromordinal(o)
            if day.year != year:
                continue
            old = days.get(day)
            name = note or (old.name if old else ("Working day" if working else "Day off"))
            if sessions is not None:
                name += (
                    " (hours "
                    + ", ".join(
                        f"{_us_to_time(s):%H:%M}-{_us_to_time(e):%H:%M}" for s, e in sessions
                    )
                    + ")"
                )
            days[day] = CalendarDay(date=day, working=working, name=name, source=source)
        return [days[d] for d in sorted(days)]

    # ------------------------------------------------------------------ habits of `holidays`
    # Kept apart from the query methods above (and on the precomputed table) so that changes
    # to the fast paths and to these conveniences merge independently.

    def is_day_off(self, d: dt.date) -> bool:
        """True if ``d`` is not a working day: a weekly day off, a holiday, a compensatory or
        swapped day off, or an overlay's day off. The opposite of :meth:`is_working_day`.

        >>> cal = WorkingCalendar.vietnam()
        >>> cal.is_day_off(dt.date(2026, 1, 2)), cal.is_day_off(dt.date(2026, 1, 10))
        (True, False)

        Raises:
            DateOutOfBounds: ``d`` is in a year ``holidays`` cannot compute.
        """
        return not self.is_working_day(d)

    def days_off(self, year: int) -> DaysOff:
        """The declared days off of ``year``, as ``holidays`` gives its holidays: an ordered,
        read-only mapping ``date -> DayOff(name, source)``.

        Listed: public holidays (also those falling on a weekend), compensatory days, swapped
        weekdays off and overlay days off, each with the document or rule that decided it.
        Ordinary Saturdays and Sundays are not listed (ask :meth:`is_day_off`), and a day an
        overlay turns into a working day is left out. So ``d in cal.days_off(2026)`` and
        ``cal.days_off(2026).get(d)`` work as on a ``holidays`` object.

        >>> off = WorkingCalendar.vietnam().days_off(2026)
        >>> dt.date(2026, 1, 2) in off, dt.date(2026, 1, 3) in off
        (True, False)
        >>> off[dt.date(2026, 1, 2)].source
        'Công văn 12729/VPCP-KGVX (25/12/2025)'

        Raises:
            DateOutOfBounds: a year ``holidays`` cannot compute.
        """
        if not isinstance(year, int) or isinstance(year, bool):
            raise InvalidInputError(f"year={year!r} must be an integer year, e.g. 2026")
        return DaysOff(
            year,
            {
                day.date: DayOff(day.name, day.source)
                for day in self.notable_days(year)
                if not day.working
            },
        )

    def working_saturdays(self, year: int) -> list[dt.date]:
        """The weekend days of ``year`` that are working days (Saturdays worked in exchange for
        a swapped weekday off), in date order; read from the precomputed table.

        >>> WorkingCalendar.vietnam().working_saturdays(2026)
        [datetime.date(2026, 1, 10), datetime.date(2026, 8, 22)]

        Raises:
            DateOutOfBounds: a year ``holidays`` cannot compute.
        """
        self._check_year(year, year, "year")
        first = dt.date(year, 1, 1)
        table = self._ensure(year, year)
        if year > self._last_official_year:
            _warn_provisional(self, first)
        lo = first.toordinal()
        hi = dt.date(year, 12, 31).toordinal()
        return [
            dt.date.fromordinal(o)
            for o, working in sorted(table.special.items())
            if working and lo <= o <= hi and (o - 1) % 7 in _WEEKEND_ORDINAL_DAYS
        ]

    def __contains__(self, item: object) -> NoReturn:
        """``date in calendar`` is refused: it could mean "is a working day" or "is a day off",
        and a silent wrong answer is worse than an error.

        >>> dt.date(2026, 1, 2) in WorkingCalendar.vietnam()
        Traceback (most recent call last):
        ...
        tthc.errors.CalendarMembershipError: 'date in calendar' is ambiguous: use cal.is_working_day(d), cal.is_day_off(d), or d in cal.days_off(2026)
        """
        year = item.year if isinstance(item, dt.date) else "YEAR"
        raise CalendarMembershipError(
            "'date in calendar' is ambiguous: use cal.is_working_day(d), cal.is_day_off(d), "
            f"or d in cal.days_off({year})"
        )


def _as_date(value: object, param: str) -> dt.date:
    """A date from a date, or from an aware datetime (its UTC+7 date); a naive datetime is
    refused like everywhere in the engine (its date would be a guess)."""
    if isinstance(value, dt.datetime):
        return require_aware(value, param).date()
    if isinstance(value, dt.date):
        return value
    raise InvalidInputError(
        f"{param}={value!r} must be a datetime.date (got {type(value).__name__})"
    )


def _cum_in(table: _Table, x: dt.datetime, microseconds: bool = True) -> int:
    """Working microseconds from the start of ``table`` to the UTC+7 instant ``x`` (to its
    whole second when ``microseconds`` is false)."""
    i = x.toordinal() - table.base
    us = ((x.hour * 60 + x.minute) * 60 + x.second) * 1_000_000
    if microseconds:
        us += x.microsecond
    c = table.cum_us[i]
    for s, e in table.sessions[i]:
        if us <= s:
            break
        c += (e if us > e else us) - s
    return c


def _cum_local(table: _Table, i: int, time_us: int) -> int:
    """:func:`_cum_in` for a UTC+7 wall-clock instant given as its day's index in ``table``
    and its time of day in microseconds, to its whole second."""
    t = time_us - time_us % 1_000_000
    c = table.cum_us[i]
    for s, e in table.sessions[i]:
        if t <= s:
            break
        c += (e if t > e else t) - s
    return c


LOCAL_EPOCH: Final = dt.datetime(1970, 1, 1)
"""The origin of local microseconds: 1970-01-01 00:00 UTC+7 wall clock (an instant written as
an integer is microseconds of UTC+7 wall-clock time since then)."""
_EPOCH_ORDINAL: Final = LOCAL_EPOCH.toordinal()
_US_PER_DAY: Final = 86_400_000_000


def _restore(
    name: str,
    overlays: tuple[CalendarOverlay, ...],
    office_hours: OfficeHours,
    reception_hours: ReceptionHours,
    official_notices: bool,
    last_official_year: int,
    as_of: dt.date | None,
) -> WorkingCalendar:
    """A calendar from what :meth:`WorkingCalendar.__reduce__` kept (unpickling)."""
    return WorkingCalendar(
        name,
        overlays=overlays,
        office_hours=office_hours,
        reception_hours=reception_hours,
        official_notices=official_notices,
        last_official_year=last_official_year,
        as_of=as_of,
    )


def local_us(value: dt.datetime) -> int:
    """An instant as local microseconds (see :data:`LOCAL_EPOCH`): UTC+7 wall-clock time;
    a naive value is read as UTC+7 wall-clock time, an aware one converted.

    >>> local_us(dt.datetime(1970, 1, 2, tzinfo=VN_TZ)), local_us(dt.datetime(1970, 1, 1, 17))
    (86400000000, 61200000000)
    """
    if value.tzinfo is not None and value.tzinfo is not VN_TZ:
        value = value.astimezone(VN_TZ)
    return (
        (value.toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY
        + ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000
        + value.microsecond
    )


def from_local_us(us: int) -> dt.datetime:
    """The aware UTC+7 datetime of local microseconds (the inverse of :func:`local_us`).

    >>> from_local_us(86400000000).isoformat()
    '1970-01-02T00:00:00+07:00'
    """
    days, rest = divmod(us, _US_PER_DAY)
    seconds, micro = divmod(rest, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    d = dt.date.fromordinal(days + _EPOCH_ORDINAL)
    return dt.datetime(d.year, d.month, d.day, hour, minute, second, micro, VN_TZ)


def _us_to_time(us: int) -> dt.time:
    seconds, micro = divmod(us, 1_000_000)
    minutes, sec = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return dt.time(hour, minute, sec, micro)


def _at_date(d: dt.date, us: int) -> dt.datetime:
    """The UTC+7 instant ``us`` microseconds after midnight of ``d`` (``us`` < one day)."""
    return dt.datetime.combine(d, _us_to_time(us), tzinfo=VN_TZ)


def _warn_provisional(calendar: WorkingCalendar, d: dt.date) -> None:
    # The message names the year, not the date, so the default warning filter shows it once.
    covered = (
        "has no official notices"
        if calendar.last_official_year == dt.MINYEAR
        else f"has official notices up to {calendar.last_official_year}"
    )
    warnings.warn(
        f"a computation reached {d.year}, which is provisional: calendar {calendar.name!r} "
        f"{covered}; statutory holidays are known but swapped days may not be announced yet, "
        "so the result may change",
        ProvisionalCalendarWarning,
        stacklevel=3,
    )


@functools.cache
def _default_calendar() -> WorkingCalendar:
    return WorkingCalendar()


_WEEKEND_ORDINAL_DAYS: Final = frozenset(WEEKEND)
"""Weekday numbers (Monday = 0) of the weekly days off; ``(ordinal - 1) % 7`` is the weekday."""


class DayOff(NamedTuple):
    """A declared day off: its name and the document or rule that decided it."""

    name: str
    source: str


class DaysOff(Mapping[dt.date, DayOff]):
    """The declared days off of one year: an ordered, read-only mapping ``date -> DayOff``.

    Behaves like a ``holidays`` object for lookups: ``d in days``, ``days.get(d)``,
    ``days[d].name``; iterating gives the dates in order. For ``in``, an aware datetime counts
    as its UTC+7 date and a naive one raises :class:`~tthc.NaiveDatetimeError`, as everywhere
    in the engine.

    >>> from tthc.calendar import WorkingCalendar
    >>> days = WorkingCalendar.vietnam().days_off(2024)
    >>> days.year, len(days) > 10, next(iter(days))
    (2024, True, datetime.date(2024, 1, 1))
    """

    __slots__ = ("_days", "year")

    def __init__(self, year: int, days: Mapping[dt.date, DayOff]) -> None:
        self.year = year
        self._days = dict(sorted(days.items()))

    def __getitem__(self, key: dt.date) -> DayOff:
        return self._days[key]

    def __iter__(self) -> Iterator[dt.date]:
        return iter(self._days)

    def __len__(self) -> int:
        return len(self._days)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, dt.datetime):
            key = require_aware(key, "date").date()
        return key in self._days

    def __repr__(self) -> str:
        return f"DaysOff(year={self.year}, days={len(self._days)})"


def _as_of_date(value: object) -> dt.date | None:
    """``as_of`` as a date: a date, an aware datetime (its UTC+7 date) or ``None``."""
    if value is None:
        return None
    return _as_date(value, "as_of")


@functools.lru_cache(maxsize=32)
def _calendar_as_of(as_of: dt.date | None) -> WorkingCalendar:
    # One shared (immutable) calendar per as_of date, so that repeated calls do not rebuild
    # the table; calendars of two dates with the same notices have the same fingerprint.
    return WorkingCalendar(as_of=as_of)
