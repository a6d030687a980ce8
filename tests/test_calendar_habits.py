"""Calendar habits of the Python ecosystem (issue 15): ``is_day_off``, ``days_off(year)`` as
``holidays`` gives holidays, ``working_saturdays``, ``date in calendar``, and ``as_of``: the
calendar as the official notices stood on a date, recorded with every due date."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tthc
from tthc.calendar import (
    OFFICIAL_DOCUMENTS,
    OFFICIAL_NOTICES,
    CalendarOverlay,
    DayOff,
    DaysOff,
    WorkingCalendar,
)
from tthc.cli import main
from tthc.errors import CalendarMembershipError

D = dt.date
CAL = WorkingCalendar.vietnam()
NEW_YEAR_NOTICE = D(2025, 12, 25)  # Công văn 12729/VPCP-KGVX


@given(st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 12, 31)))
def test_is_day_off_is_the_opposite_of_is_working_day(day: dt.date) -> None:
    assert CAL.is_day_off(day) is (not CAL.is_working_day(day))


# The working Saturdays of official-days-off.md, 2019–2026.
WORKING_SATURDAYS = {
    2019: [D(2019, 1, 5), D(2019, 5, 4)],
    2020: [],
    2021: [],
    2022: [],
    2023: [],
    2024: [D(2024, 5, 4)],
    2025: [D(2025, 4, 26)],
    2026: [D(2026, 1, 10), D(2026, 8, 22)],
}


@pytest.mark.parametrize(("year", "expected"), sorted(WORKING_SATURDAYS.items()))
def test_working_saturdays_match_the_official_table(year: int, expected: list[dt.date]) -> None:
    assert CAL.working_saturdays(year) == expected


def test_working_saturdays_of_an_overlay() -> None:
    overlay = CalendarOverlay.from_days("ward", working_days=["2024-03-09"])
    cal = WorkingCalendar.vietnam(overlays=[overlay])
    assert cal.working_saturdays(2024) == [D(2024, 3, 9), D(2024, 5, 4)]


@pytest.mark.parametrize("year", [2019, 2024, 2026])
def test_days_off_behaves_like_a_holidays_object(year: int) -> None:
    off = CAL.days_off(year)
    assert isinstance(off, DaysOff)
    assert off.year == year
    assert list(off) == sorted(off)  # ordered by date
    for day, value in off.items():
        assert isinstance(value, DayOff)
        assert value.name
        assert value.source
        assert off.get(day) == value
        assert day in off
        assert not CAL.is_working_day(day)
    # Every public holiday `holidays` lists is a declared day off (none is overridden here).
    assert set(holidays.country_holidays("VN", years=year)) <= set(off)
    # Every weekday off is listed; plain weekends are not.
    for o in range(D(year, 1, 1).toordinal(), D(year, 12, 31).toordinal() + 1):
        day = D.fromordinal(o)
        if day.weekday() < 5 and CAL.is_day_off(day):
            assert day in off, day


def test_days_off_2026_new_year_swap() -> None:
    off = CAL.days_off(2026)
    assert D(2026, 1, 2) in off
    assert off[D(2026, 1, 2)].source == "Công văn 12729/VPCP-KGVX (25/12/2025)"
    assert D(2026, 1, 10) not in off  # worked
    assert D(2026, 1, 3) not in off  # an ordinary Saturday
    assert D(2026, 11, 24) in off  # Ngày Văn hóa Việt Nam
    aware = dt.datetime(2026, 1, 1, 20, 0, tzinfo=dt.UTC)  # 2/1 03:00 in UTC+7
    assert aware in off
    assert "2026-01-02" not in off


def test_days_off_leaves_out_a_holiday_an_overlay_works() -> None:
    overlay = CalendarOverlay.from_days("exceptional", working_days=["2026-01-02"])
    off = WorkingCalendar.vietnam(overlays=[overlay]).days_off(2026)
    assert D(2026, 1, 2) not in off
    assert D(2026, 1, 1) in off


@pytest.mark.parametrize("bad", ["2026", 2026.0, True])
def test_days_off_refuses_a_non_year(bad: object) -> None:
    with pytest.raises(tthc.InvalidInputError, match="integer year"):
        CAL.days_off(bad)  # type: ignore[arg-type]
    with pytest.raises(tthc.InvalidInputError, match="integer year"):
        CAL.working_saturdays(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("item", [D(2026, 1, 2), dt.datetime(2026, 1, 2, tzinfo=tthc.VN_TZ), "x"])
def test_date_in_calendar_is_refused_with_the_alternatives(item: object) -> None:
    with pytest.raises(CalendarMembershipError, match=r"is_working_day\(d\), cal.is_day_off"):
        item in CAL  # noqa: B015
    with pytest.raises(TypeError):  # also a TypeError, as `in` raises for unsupported types
        item in CAL  # noqa: B015
    assert issubclass(CalendarMembershipError, tthc.CalendarError)


# ---- as_of -----------------------------------------------------------------------------------


def test_every_notice_document_has_an_announcement_record() -> None:
    documents = {d.document for d in OFFICIAL_DOCUMENTS}
    assert {n[2] for n in OFFICIAL_NOTICES} <= documents
    for doc in OFFICIAL_DOCUMENTS:
        assert doc.evidence
        if doc.announced is not None:
            # Announced before the end of the year it sets (2022's came in January 2022).
            assert doc.announced <= D(doc.year, 12, 31)


def test_as_of_before_the_new_year_notice_reproduces_the_old_calendar() -> None:
    before = WorkingCalendar.vietnam(as_of=D(2025, 12, 24))
    after = WorkingCalendar.vietnam(as_of=NEW_YEAR_NOTICE)
    assert before.is_working_day(D(2026, 1, 2))  # as computed before Công văn 12729
    assert not before.is_working_day(D(2026, 1, 10))
    assert not after.is_working_day(D(2026, 1, 2))
    assert after.is_working_day(D(2026, 1, 10))
    received = dt.datetime(2025, 12, 31, 9, 0, tzinfo=tthc.VN_TZ)
    old = tthc.compute_due(received, "02 ngày làm việc", before)
    new = tthc.compute_due(received, "02 ngày làm việc", after)
    assert old.due_at == dt.datetime(2026, 1, 5, 17, 0, tzinfo=tthc.VN_TZ)
    assert new.due_at == dt.datetime(2026, 1, 6, 17, 0, tzinfo=tthc.VN_TZ)
    assert old.calendar_fingerprint != new.calendar_fingerprint
    assert (old.notice_set, old.calendar_as_of) == (
        "official notices announced by 2025-10-16",
        D(2025, 12, 24),
    )
    assert new.notice_set == "official notices announced by 2025-12-25"
    # Neither is provisional: 2026 had its yearly notice (16/10/2025) by both dates.
    assert not old.provisional
    assert not new.provisional


def test_same_notices_same_fingerprint() -> None:
    a = WorkingCalendar.vietnam(as_of=D(2025, 11, 1))
    b = WorkingCalendar.vietnam(as_of=D(2025, 12, 24))
    assert a is not b
    assert a.fingerprint == b.fingerprint
    assert a.notice_set == b.notice_set
    assert (a.as_of, b.as_of) == (D(2025, 11, 1), D(2025, 12, 24))
    assert WorkingCalendar.vietnam(as_of=D(2026, 6, 1)).fingerprint == CAL.fingerprint
    assert WorkingCalendar.vietnam(as_of=D(2025, 11, 1)) is a  # cached per date


def test_as_of_before_a_yearly_notice_makes_the_year_provisional() -> None:
    cal = WorkingCalendar.vietnam(as_of=D(2025, 10, 15))
    assert cal.last_official_year == 2025
    assert cal.is_provisional(D(2026, 2, 16))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        due = tthc.compute_due(
            dt.datetime(2026, 2, 12, 9, tzinfo=tthc.VN_TZ), "02 ngày làm việc", cal
        )
    assert due.provisional
    assert any(issubclass(w.category, tthc.ProvisionalCalendarWarning) for w in caught)
    # `holidays` still knows Tết (statutory): the notice layer is what as_of removes.
    with pytest.warns(tthc.ProvisionalCalendarWarning):
        assert not cal.is_working_day(D(2026, 2, 17))


def test_as_of_takes_an_aware_datetime_and_refuses_a_naive_one() -> None:
    aware = dt.datetime(2025, 12, 24, 20, 0, tzinfo=dt.UTC)  # 25/12 03:00 in UTC+7
    assert WorkingCalendar.vietnam(as_of=aware).as_of == NEW_YEAR_NOTICE
    with pytest.raises(tthc.NaiveDatetimeError):
        WorkingCalendar.vietnam(as_of=dt.datetime(2025, 12, 24))
    with pytest.raises(tthc.InvalidInputError):
        WorkingCalendar.vietnam(as_of="2025-12-24")  # type: ignore[arg-type]


def test_notice_set_names_overlays_and_plain_calendars() -> None:
    overlay = CalendarOverlay.from_days("Phường Nghi Hương", days_off=["2026-03-10"])
    assert WorkingCalendar.vietnam(overlays=[overlay]).notice_set == (
        "official notices announced by 2026-01-07; overlays: Phường Nghi Hương"
    )
    assert WorkingCalendar(official_notices=False).notice_set == "no official notices"
    assert WorkingCalendar(official_notices=False).notices == ()


def test_due_date_extended_for_pause_keeps_the_calendar_record() -> None:
    cal = WorkingCalendar.vietnam(as_of=D(2025, 12, 24))
    at = dt.datetime(2025, 12, 29, 9, tzinfo=tthc.VN_TZ)
    due = tthc.compute_due(at, "03 ngày làm việc", cal)
    later = due.extended_for_pause(at, at + dt.timedelta(hours=2), cal)
    assert (later.notice_set, later.calendar_as_of) == (due.notice_set, due.calendar_as_of)


def test_due_json_and_text_record_the_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["due", "2025-12-31 09:00", "02 ngày làm việc", "--as-of", "2025-12-24"]
    assert main([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["due_at"] == "2026-01-05T17:00:00+07:00"
    assert doc["notice_set"] == "official notices announced by 2025-10-16"
    assert doc["calendar_as_of"] == "2025-12-24"
    assert doc["calendar_fingerprint"] == WorkingCalendar.vietnam(as_of=D(2025, 12, 24)).fingerprint
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Calendar: official notices announced by 2025-10-16, as of 2025-12-24" in out


def test_calendar_cli_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "2026", "--as-of", "2025-12-24", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "2026-01-02" not in {d["date"] for d in doc["days"]}
    assert doc["calendar_as_of"] == "2025-12-24"
    assert main(["calendar", "2026", "--format", "json"]) == 0
    assert "2026-01-02" in {d["date"] for d in json.loads(capsys.readouterr().out)["days"]}


def test_bad_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "2025-12-31 09:00", "02 ngày làm việc", "--as-of", "24/12/2025"]) == 2
    assert "--as-of='24/12/2025' is not a date" in capsys.readouterr().err
