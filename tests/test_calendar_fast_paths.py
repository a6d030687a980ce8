"""The calendar's fast paths for hot loops agree with the plain engine (issue 14: working time
on integer instants, due dates from the precomputed tables)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc import VN_TZ, TimeLimit
from tthc.calendar import (
    CalendarOverlay,
    DeadlinePolicy,
    DueCache,
    OfficeHours,
    WorkingCalendar,
    due_at,
    from_local_us,
    local_us,
)

HALF_DAY = CalendarOverlay.from_days("local decision", hours={dt.date(2024, 3, 8): ["07:30-11:30"]})
CALENDARS = (
    WorkingCalendar.vietnam(),
    WorkingCalendar.vietnam(
        office_hours=OfficeHours(by_weekday={4: ["08:00-12:00", "13:00-17:00"]}),
        overlays=[HALF_DAY],
    ),
)
POLICIES = (
    DeadlinePolicy(),
    DeadlinePolicy(receipt_cutoff="15:00"),
    DeadlinePolicy(receipt_cutoff="office_close"),
    DeadlinePolicy(working_days_mode="hours"),
    DeadlinePolicy(same_day_cutoff=dt.time(11, 0)),
)
LIMITS = [
    TimeLimit.parse(t)
    for t in (
        "02 ngày làm việc",
        "05 ngày làm việc",
        "Trong ngày",
        "Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
        "03 ngày",
        "01 tháng",
        "04 giờ làm việc",
    )
]
instants = st.datetimes(
    min_value=dt.datetime(2023, 12, 20), max_value=dt.datetime(2026, 12, 20)
).map(lambda t: t.replace(tzinfo=VN_TZ))


@given(value=instants)
def test_local_microseconds_round_trip(value: dt.datetime) -> None:
    assert from_local_us(local_us(value)) == value
    assert local_us(value.astimezone(dt.UTC)) == local_us(value)


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
@given(a=instants, b=instants, which=st.sampled_from(range(len(CALENDARS))))
def test_working_seconds_on_integers_equal_the_plain_path(
    a: dt.datetime, b: dt.datetime, which: int
) -> None:
    calendar = CALENDARS[which]
    whole_a, whole_b = a.replace(microsecond=0), b.replace(microsecond=0)
    expected = (
        int(calendar.working_time_between(whole_a, whole_b).total_seconds())
        if whole_b > whole_a
        else 0
    )
    assert calendar.working_seconds_local(local_us(a), local_us(b)) == expected
    assert calendar.working_seconds(a, b) == expected


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
@given(
    receipts=st.lists(instants, min_size=1, max_size=8),
    which=st.sampled_from(range(len(CALENDARS))),
    policy=st.sampled_from(POLICIES),
    limit=st.sampled_from(LIMITS),
)
def test_the_due_cache_gives_what_due_at_gives(
    receipts: list[dt.datetime], which: int, policy: DeadlinePolicy, limit: TimeLimit
) -> None:
    calendar = CALENDARS[which]
    cache = DueCache(calendar, policy)
    # The same receipts twice (and the same day at other times): hits must equal misses.
    same_day = [r.replace(hour=h) for r in receipts[:2] for h in (7, 12, 15, 16, 18)]
    for received in [*receipts, *same_day, *receipts]:
        expected = due_at(received, limit, calendar, policy)
        assert from_local_us(cache.due(local_us(received), limit)) == expected, received
