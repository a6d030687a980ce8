"""Index arithmetic against a brute-force, day-by-day reference (hypothesis)."""

from __future__ import annotations

import datetime as dt
import functools

import holidays
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tthc
from tthc.calendar._official import OFFICIAL_NOTICES

pytestmark = pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")

CAL = tthc.WorkingCalendar.vietnam()
_OVERLAY = {d: kind == "working_day" for d, kind, _doc, _note in OFFICIAL_NOTICES}
_HOL = holidays.country_holidays("VN", years=range(2010, 2036))
_HOL_WORKDAYS = set(_HOL.weekend_workdays)

# Sessions of the default office hours, in minutes since midnight.
SESSIONS = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60, 17 * 60))


@functools.cache
def ref_is_working(d: dt.date) -> bool:
    """The day rule written out plainly: overlay, then holidays' swaps and holidays, then weekdays."""
    if d in _OVERLAY:
        return _OVERLAY[d]
    if d in _HOL_WORKDAYS:
        return True
    if d in _HOL:
        return False
    return d.weekday() < 5


def ref_add(d: dt.date, n: int) -> dt.date:
    step = 1 if n >= 0 else -1
    for _ in range(abs(n) or 1):
        if n:
            d += dt.timedelta(days=step)
        while not ref_is_working(d):
            d += dt.timedelta(days=step)
    return d


def ref_between(a: dt.date, b: dt.date) -> int:
    if b < a:
        return -ref_between(b, a)
    return sum(ref_is_working(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))


def ref_minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Working minutes, walking minute by minute through the sessions (start <= end)."""
    total = 0
    day = start.date()
    while day <= end.date():
        if ref_is_working(day):
            for s, e in SESSIONS:
                lo = dt.datetime.combine(day, dt.time(s // 60, s % 60), tzinfo=tthc.VN_TZ)
                hi = dt.datetime.combine(day, dt.time(e // 60, e % 60), tzinfo=tthc.VN_TZ)
                lo, hi = max(lo, start), min(hi, end)
                if hi > lo:
                    total += int((hi - lo).total_seconds() // 60)
        day += dt.timedelta(days=1)
    return total


dates = st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2033, 12, 31))
offsets = st.integers(min_value=-300, max_value=300)
instants = st.builds(
    lambda d, minute: (
        dt.datetime.combine(d, dt.time(), tzinfo=tthc.VN_TZ) + dt.timedelta(minutes=minute)
    ),
    st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 6, 30)),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)


@given(dates)
def test_is_working_day_matches_reference(d: dt.date) -> None:
    assert CAL.is_working_day(d) is ref_is_working(d)


@given(dates, offsets)
def test_add_matches_reference(d: dt.date, n: int) -> None:
    assert CAL.add_working_days(d, n) == ref_add(d, n)


@given(dates, dates)
def test_between_matches_reference(a: dt.date, b: dt.date) -> None:
    assume(abs((b - a).days) < 2000)
    assert CAL.working_days_between(a, b) == ref_between(a, b)


@given(dates, st.integers(min_value=1, max_value=300))
def test_add_then_subtract_is_inverse_on_working_days(d: dt.date, n: int) -> None:
    w = CAL.add_working_days(d, 0)  # a working day
    assert CAL.add_working_days(CAL.add_working_days(w, n), -n) == w
    assert CAL.add_working_days(CAL.add_working_days(w, -n), n) == w


@given(dates, dates, st.integers(min_value=-300, max_value=300))
def test_add_is_monotone_in_the_date(a: dt.date, b: dt.date, n: int) -> None:
    a, b = min(a, b), max(a, b)
    assert CAL.add_working_days(a, n) <= CAL.add_working_days(b, n)


@given(dates, st.integers(min_value=-300, max_value=299))
def test_add_is_strictly_monotone_in_n(d: dt.date, n: int) -> None:
    a, b = CAL.add_working_days(d, n), CAL.add_working_days(d, n + 1)
    if n == 0 and not CAL.is_working_day(d):
        assert a == b  # both are the first working day after d
    else:
        assert a < b


@given(dates, st.integers(min_value=1, max_value=300))
def test_count_is_consistent_with_add(d: dt.date, n: int) -> None:
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n
    w = CAL.add_working_days(d, 0)
    assert CAL.working_days_between(w, CAL.add_working_days(w, -n)) == -n


@given(st.lists(dates, max_size=30), offsets)
def test_batch_equals_single(ds: list[dt.date], n: int) -> None:
    assert CAL.add_working_days_many(ds, n) == [CAL.add_working_days(d, n) for d in ds]


@given(st.lists(st.tuples(dates, offsets), max_size=30))
def test_batch_with_one_offset_per_date(pairs: list[tuple[dt.date, int]]) -> None:
    ds = [d for d, _ in pairs]
    ns = [n for _, n in pairs]
    assert CAL.add_working_days_many(ds, ns) == [CAL.add_working_days(d, n) for d, n in pairs]
    assert CAL.is_working_day_many(ds) == [CAL.is_working_day(d) for d in ds]


@given(instants, st.integers(min_value=-40 * 24 * 60, max_value=40 * 24 * 60))
def test_working_time_between_matches_minute_reference(a: dt.datetime, minutes: int) -> None:
    b = a + dt.timedelta(minutes=minutes)
    lo, hi = min(a, b), max(a, b)
    expected = dt.timedelta(minutes=ref_minutes_between(lo, hi))
    assert CAL.working_time_between(lo, hi) == expected
    assert CAL.working_time_between(hi, lo) == -expected


@given(instants, st.integers(min_value=1, max_value=8 * 60 * 20))
def test_add_working_time_adds_exactly_and_is_earliest(start: dt.datetime, minutes: int) -> None:
    delta = dt.timedelta(minutes=minutes)
    end = CAL.add_working_time(start, delta)
    assert ref_minutes_between(start, end) == minutes
    # Earliest such instant: one minute less of the result is one minute less of work.
    assert ref_minutes_between(start, end - dt.timedelta(minutes=1)) == minutes - 1
    # Results are inside office hours (a session end counts).
    t = end.hour * 60 + end.minute
    assert CAL.is_working_day(end.date())
    assert any(s < t <= e for s, e in SESSIONS)


@given(instants, st.integers(min_value=1, max_value=8 * 60 * 20))
def test_add_working_time_backwards(start: dt.datetime, minutes: int) -> None:
    end = CAL.add_working_time(start, -dt.timedelta(minutes=minutes))
    assert end < start
    assert CAL.working_time_between(end, start) == dt.timedelta(minutes=minutes)


@given(instants, st.integers(min_value=0, max_value=2000), st.integers(min_value=0, max_value=2000))
def test_add_working_time_is_additive(start: dt.datetime, m1: int, m2: int) -> None:
    d1, d2 = dt.timedelta(minutes=m1), dt.timedelta(minutes=m2)
    once = CAL.add_working_time(start, d1 + d2)
    twice = CAL.add_working_time(CAL.add_working_time(start, d1), d2)
    assert once == twice


def test_hours_across_lunch_and_weekend() -> None:
    fri = dt.datetime(2024, 3, 1, 11, 0, tzinfo=tthc.VN_TZ)
    assert CAL.add_working_time(fri, dt.timedelta(hours=1)) == fri.replace(hour=13, minute=30)
    assert CAL.add_working_time(fri, dt.timedelta(hours=5)) == dt.datetime(
        2024, 3, 4, 8, 0, tzinfo=tthc.VN_TZ
    )
    assert CAL.add_working_time(fri, dt.timedelta(minutes=30)) == fri.replace(minute=30)
    assert CAL.add_working_time(
        dt.datetime(2024, 3, 4, 7, 30, tzinfo=tthc.VN_TZ), dt.timedelta(hours=8)
    ) == dt.datetime(2024, 3, 4, 17, 0, tzinfo=tthc.VN_TZ)


# Equality with holidays' own get_nth_working_day, in years without any overlay entry.
_PLAIN_HOL = holidays.VN()  # the exact object the issue names
plain_dates = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2017, 6, 30))


@given(plain_dates, st.integers(min_value=-120, max_value=120))
def test_equals_holidays_get_nth_working_day(d: dt.date, n: int) -> None:
    assert CAL.add_working_days(d, n) == _PLAIN_HOL.get_nth_working_day(d, n)


later_dates = st.dates(min_value=dt.date(2028, 1, 1), max_value=dt.date(2049, 6, 30))


@given(later_dates, st.integers(min_value=-120, max_value=120))
def test_equals_holidays_in_provisional_years(d: dt.date, n: int) -> None:
    assert CAL.add_working_days(d, n) == _PLAIN_HOL.get_nth_working_day(d, n)


# The same properties on a calendar with local overlays: half days, a working Sunday with its
# own hours, extra days off, and Friday afternoons ending at 16:00.
_LOCAL_HOURS = {
    dt.date(2024, 3, 11): ((7 * 60 + 30, 11 * 60 + 30),),
    dt.date(2024, 3, 17): ((8 * 60, 12 * 60),),  # a Sunday
    dt.date(2024, 3, 20): ((13 * 60, 17 * 60),),
}
_LOCAL_OFF = {dt.date(2024, 3, 8), dt.date(2024, 3, 13), dt.date(2024, 3, 14)}
_FRIDAY = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60, 16 * 60))
LOCAL = tthc.WorkingCalendar.vietnam(
    overlays=[
        tthc.calendar.CalendarOverlay.from_days(
            "local",
            days_off=sorted(_LOCAL_OFF),
            hours={
                d: [f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in sessions]
                for d, sessions in _LOCAL_HOURS.items()
            },
        )
    ],
    office_hours=tthc.calendar.OfficeHours(by_weekday={4: ["07:30-11:30", "13:00-16:00"]}),
)


def local_sessions(d: dt.date) -> tuple[tuple[int, int], ...]:
    if d in _LOCAL_HOURS:
        return _LOCAL_HOURS[d]
    if d in _LOCAL_OFF or not ref_is_working(d):
        return ()
    return _FRIDAY if d.weekday() == 4 else SESSIONS


def local_minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    total = 0
    day = start.date()
    while day <= end.date():
        for s, e in local_sessions(day):
            lo = dt.datetime.combine(day, dt.time(s // 60, s % 60), tzinfo=tthc.VN_TZ)
            hi = dt.datetime.combine(day, dt.time(e // 60, e % 60), tzinfo=tthc.VN_TZ)
            lo, hi = max(lo, start), min(hi, end)
            if hi > lo:
                total += int((hi - lo).total_seconds() // 60)
        day += dt.timedelta(days=1)
    return total


local_instants = st.builds(
    lambda d, minute: (
        dt.datetime.combine(d, dt.time(), tzinfo=tthc.VN_TZ) + dt.timedelta(minutes=minute)
    ),
    st.dates(min_value=dt.date(2024, 2, 25), max_value=dt.date(2024, 3, 25)),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)


@given(local_instants, st.integers(min_value=0, max_value=20 * 24 * 60))
def test_local_working_time_matches_reference(a: dt.datetime, minutes: int) -> None:
    b = a + dt.timedelta(minutes=minutes)
    assert LOCAL.working_time_between(a, b) == dt.timedelta(minutes=local_minutes_between(a, b))


@given(local_instants, st.integers(min_value=1, max_value=8 * 60 * 8))
def test_local_add_working_time_matches_reference(start: dt.datetime, minutes: int) -> None:
    end = LOCAL.add_working_time(start, dt.timedelta(minutes=minutes))
    assert local_minutes_between(start, end) == minutes
    assert local_minutes_between(start, end - dt.timedelta(minutes=1)) == minutes - 1


@given(st.dates(min_value=dt.date(2024, 2, 20), max_value=dt.date(2024, 3, 31)))
def test_local_days_and_closing_times(d: dt.date) -> None:
    sessions = local_sessions(d)
    assert LOCAL.is_working_day(d) is bool(sessions)
    if sessions:
        close = sessions[-1][1]
        assert LOCAL.closing_time(d) == dt.datetime.combine(
            d, dt.time(close // 60, close % 60), tzinfo=tthc.VN_TZ
        )


@given(
    st.lists(st.tuples(dates, dates), max_size=20),
)
def test_between_batch_equals_single(pairs: list[tuple[dt.date, dt.date]]) -> None:
    starts = [a for a, _ in pairs]
    ends = [b for _, b in pairs]
    assert CAL.working_days_between_many(starts, ends) == [
        CAL.working_days_between(a, b) for a, b in pairs
    ]


PREBUILT = tthc.WorkingCalendar("prebuilt")
PREBUILT.build(1960, 2090)


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
    st.integers(min_value=-6000, max_value=6000),
)
def test_lazy_growth_gives_the_same_answers_as_a_prebuilt_table(d: dt.date, n: int) -> None:
    fresh = tthc.WorkingCalendar("fresh")  # builds a few years around d, then grows
    assert fresh.add_working_days(d, n) == PREBUILT.add_working_days(d, n)
    start = dt.datetime.combine(d, dt.time(9, 0), tzinfo=tthc.VN_TZ)
    delta = dt.timedelta(hours=n)
    assert fresh.add_working_time(start, delta) == PREBUILT.add_working_time(start, delta)
