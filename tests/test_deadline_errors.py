"""Bad input to the deadline engine and the calendar gives clear tthc errors."""

from __future__ import annotations

import datetime as dt

import pytest

import tthc

VN = tthc.VN_TZ
RECEIVED = dt.datetime(2024, 3, 4, 9, 0, tzinfo=VN)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(tthc.NaiveDatetimeError, match="received_at"):
        tthc.due_at(dt.datetime(2024, 3, 4, 9, 0), "01 ngày làm việc")
    cal = tthc.WorkingCalendar.vietnam()
    with pytest.raises(tthc.NaiveDatetimeError, match="start"):
        cal.add_working_time(dt.datetime(2024, 3, 4, 9), dt.timedelta(hours=1))
    with pytest.raises(tthc.NaiveDatetimeError, match="end"):
        cal.working_time_between(RECEIVED, dt.datetime(2024, 3, 4, 10))
    with pytest.raises(tthc.NaiveDatetimeError, match="paused_at"):
        tthc.calendar.extend_for_pause(RECEIVED, dt.datetime(2024, 3, 4, 9), RECEIVED)


@pytest.mark.parametrize("text", ["0 ngày làm việc", "-3 ngày làm việc", "5 tuần", "5 giờ", ""])
def test_bad_limit_text(text: str) -> None:
    with pytest.raises(tthc.InvalidLimitError):
        tthc.due_at(RECEIVED, text)


def test_bad_limit_objects() -> None:
    with pytest.raises(tthc.InvalidLimitError, match="at least 1"):
        tthc.due_at(RECEIVED, tthc.TimeLimit.model_construct(value=0, unit="working_days"))
    with pytest.raises(tthc.InvalidLimitError, match="at least 1"):
        tthc.due_at(RECEIVED, tthc.TimeLimit.model_construct(value=-2, unit="working_days"))
    with pytest.raises(tthc.InvalidLimitError, match="unit"):
        tthc.due_at(RECEIVED, tthc.TimeLimit.model_construct(value=2, unit="weeks"))
    with pytest.raises(tthc.InvalidLimitError):
        tthc.due_at(RECEIVED, 5)  # type: ignore[arg-type]
    # InvalidLimitError is also a ValueError and a TthcError.
    with pytest.raises(ValueError, match="time limit"):
        tthc.due_at(RECEIVED, "0 ngày")


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
def test_out_of_range_dates() -> None:
    cal = tthc.WorkingCalendar.vietnam()
    with pytest.raises(tthc.DateOutOfBounds) as info:
        cal.is_working_day(dt.date(1850, 1, 1))
    assert info.value.param == "d"
    assert info.value.bounds == (1901, 2100)
    assert str(info.value).startswith("the date 1850-01-01 is outside the years 1901–2100")
    with pytest.raises(tthc.DateOutOfBounds, match=r"^the year 1850 is outside") as info:
        cal.working_days_in_year(1850)
    assert info.value.param == "year"
    with pytest.raises(tthc.DateOutOfBounds):
        cal.add_working_days(dt.date(2100, 12, 1), 100)
    with pytest.raises(tthc.DateOutOfBounds):
        cal.add_working_days(dt.date(1901, 1, 10), -100)
    with pytest.raises(tthc.DateOutOfBounds):
        tthc.due_at(dt.datetime(2150, 1, 1, 9, tzinfo=VN), "01 ngày làm việc")
    with pytest.raises(tthc.DateOutOfBounds):
        cal.add_working_days_many([dt.date(2024, 1, 1), dt.date(1800, 1, 1)], 1)
    with pytest.raises(tthc.DateOutOfBounds):
        cal.build(1890, 2000)


def test_bad_arguments() -> None:
    cal = tthc.WorkingCalendar.vietnam()
    with pytest.raises(tthc.InvalidInputError):
        cal.add_working_days(dt.date(2024, 1, 1), 1.5)  # type: ignore[arg-type]
    with pytest.raises(tthc.InvalidInputError, match="one per date"):
        cal.add_working_days_many([dt.date(2024, 1, 1)], [1, 2])
    with pytest.raises(tthc.InvalidInputError, match="date values"):
        cal.add_working_days_many([dt.date(2024, 1, 1), "2024-01-02"], 1)  # type: ignore[list-item]
    with pytest.raises(tthc.InvalidInputError, match="date values"):
        cal.add_working_days_many([dt.datetime(2024, 1, 1, tzinfo=VN)], 1)
    with pytest.raises(tthc.CalendarError, match="not a working day"):
        cal.closing_time(dt.date(2024, 2, 10))
    with pytest.raises(tthc.InvalidInputError, match="before paused_at"):
        tthc.calendar.extend_for_pause(RECEIVED, RECEIVED, RECEIVED - dt.timedelta(hours=1))
    with pytest.raises(tthc.InvalidInputError):
        tthc.due_at(RECEIVED, "01 ngày làm việc", calendar="VN")  # type: ignore[arg-type]


def test_date_arguments_are_checked_and_aware_datetimes_count_as_their_vietnam_date() -> None:
    cal = tthc.WorkingCalendar.vietnam()
    with pytest.raises(tthc.InvalidInputError, match=r"datetime\.date"):
        cal.is_working_day("2024-02-08")  # type: ignore[arg-type]
    with pytest.raises(tthc.InvalidInputError, match=r"datetime\.date"):
        cal.add_working_days("2024-02-08", 1)  # type: ignore[arg-type]
    # 2024-02-07 20:00 UTC is already Thursday 8/2 (Tết) in Vietnam.
    evening_utc = dt.datetime(2024, 2, 7, 20, 0, tzinfo=dt.UTC)
    assert not cal.is_working_day(evening_utc)
    with pytest.raises(tthc.NaiveDatetimeError, match="d=2024-02-07T20:00:00 is a naive"):
        cal.is_working_day(dt.datetime(2024, 2, 7, 20, 0))  # naive: refused, not guessed
    with pytest.raises(tthc.NaiveDatetimeError):
        cal.add_working_days(dt.datetime(2024, 2, 7, 20, 0), 1)
    assert cal.add_working_days(evening_utc, 0) == dt.date(2024, 2, 15)


def test_add_working_time_needs_a_timedelta() -> None:
    cal = tthc.WorkingCalendar.vietnam()
    with pytest.raises(tthc.InvalidInputError, match=r"delta=4 must be a datetime\.timedelta"):
        cal.add_working_time(RECEIVED, 4)  # type: ignore[arg-type]


@pytest.mark.parametrize("limit", ["05 ngày", "01 tháng", "05 ngày làm việc", "04 giờ làm việc"])
def test_a_receipt_past_the_calendars_years_is_out_of_bounds_not_an_overflow(limit: str) -> None:
    """A placeholder date such as 31/12/9999: adding calendar days or months overflowed
    Python's dates (OverflowError, ValueError) before the calendar's bounds were checked."""
    received = dt.datetime(9999, 12, 31, 8, tzinfo=tthc.VN_TZ)
    with pytest.raises(tthc.DateOutOfBounds, match="9999-12-31"):
        tthc.due_at(received, limit)
    state = tthc.replay([tthc.DossierEvent(kind="received", at=received)], code="X", limit=limit)
    with pytest.raises(tthc.DateOutOfBounds):
        _ = state.due_at
