"""The report's fast working-time clock agrees with the calendar's exact computation."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

import tthc
from tthc import VN_TZ
from tthc.report._worktime import WorkClock

# Fridays open 30 minutes later than other days but have the same total and closing time:
# a per-day profile keyed by (total, closing time) used to mix the two up.
FRIDAY_LATE = tthc.WorkingCalendar.vietnam(
    office_hours=tthc.calendar.OfficeHours(by_weekday={4: ["08:00-12:00", "13:00-17:00"]})
)
CALENDARS = (tthc.WorkingCalendar.vietnam(), FRIDAY_LATE)

instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2024, 12, 31, 23, 59, 59)
).map(lambda t: t.replace(microsecond=0, tzinfo=VN_TZ))


def test_days_with_the_same_total_but_other_sessions_are_measured_apart() -> None:
    clock = WorkClock(FRIDAY_LATE)
    friday_7, friday_9 = (dt.datetime(2024, 3, 8, h, tzinfo=VN_TZ) for h in (7, 9))
    monday_7, monday_9 = (dt.datetime(2024, 3, 4, h, tzinfo=VN_TZ) for h in (7, 9))
    assert clock.seconds_between(monday_7, monday_9) == 90 * 60
    assert clock.seconds_between(friday_7, friday_9) == 60 * 60


@given(a=instants, b=instants, which=st.sampled_from(range(len(CALENDARS))))
def test_clock_equals_the_calendar(a: dt.datetime, b: dt.datetime, which: int) -> None:
    calendar = CALENDARS[which]
    exact = int(calendar.working_time_between(a, b).total_seconds()) if b > a else 0
    assert WorkClock.for_calendar(calendar).seconds_between(a, b) == exact
