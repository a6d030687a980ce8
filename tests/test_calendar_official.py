"""The calendar against every date of the official table 2019–2026 (official-days-off.md)."""

from __future__ import annotations

import datetime as dt
import warnings

import holidays
import pytest

import tthc
from tthc.calendar._official import OFFICIAL_NOTICES

D = dt.date

# Days off per year, as ranges (inclusive, weekends included), copied from the table.
OFF_RANGES: dict[int, list[tuple[dt.date, dt.date]]] = {
    2019: [
        (D(2018, 12, 29), D(2019, 1, 1)),
        (D(2019, 2, 2), D(2019, 2, 10)),
        (D(2019, 4, 13), D(2019, 4, 15)),
        (D(2019, 4, 27), D(2019, 5, 1)),
        (D(2019, 8, 31), D(2019, 9, 2)),
    ],
    2020: [
        (D(2020, 1, 1), D(2020, 1, 1)),
        (D(2020, 1, 23), D(2020, 1, 29)),
        (D(2020, 4, 2), D(2020, 4, 2)),
        (D(2020, 4, 30), D(2020, 5, 3)),
        (D(2020, 9, 2), D(2020, 9, 2)),
    ],
    2021: [
        (D(2021, 1, 1), D(2021, 1, 3)),
        (D(2021, 2, 10), D(2021, 2, 16)),
        (D(2021, 4, 21), D(2021, 4, 21)),
        (D(2021, 4, 30), D(2021, 5, 3)),
        (D(2021, 9, 2), D(2021, 9, 5)),
    ],
    2022: [
        (D(2022, 1, 1), D(2022, 1, 3)),
        (D(2022, 1, 29), D(2022, 2, 6)),
        (D(2022, 4, 9), D(2022, 4, 11)),
        (D(2022, 4, 30), D(2022, 5, 3)),
        (D(2022, 9, 1), D(2022, 9, 4)),
    ],
    2023: [
        (D(2022, 12, 31), D(2023, 1, 2)),
        (D(2023, 1, 20), D(2023, 1, 26)),
        (D(2023, 4, 29), D(2023, 5, 3)),  # Hùng Kings 29/4 (comp 2/5) inside 29/4–3/5
        (D(2023, 9, 1), D(2023, 9, 4)),
    ],
    2024: [
        (D(2023, 12, 30), D(2024, 1, 1)),
        (D(2024, 2, 8), D(2024, 2, 14)),
        (D(2024, 4, 18), D(2024, 4, 18)),
        (D(2024, 4, 27), D(2024, 5, 1)),
        (D(2024, 8, 31), D(2024, 9, 3)),
    ],
    2025: [
        (D(2025, 1, 1), D(2025, 1, 1)),
        (D(2025, 1, 25), D(2025, 2, 2)),
        (D(2025, 4, 5), D(2025, 4, 7)),
        (D(2025, 4, 30), D(2025, 5, 4)),
        (D(2025, 8, 30), D(2025, 9, 2)),
    ],
    2026: [
        (D(2026, 1, 1), D(2026, 1, 4)),
        (D(2026, 2, 14), D(2026, 2, 22)),
        (D(2026, 4, 25), D(2026, 4, 27)),
        (D(2026, 4, 30), D(2026, 5, 3)),
        (D(2026, 8, 29), D(2026, 9, 2)),
        (D(2026, 11, 24), D(2026, 11, 24)),
    ],
}
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
WORKING_DAYS_PER_YEAR = {
    2019: 252,
    2020: 252,
    2021: 250,
    2022: 249,
    2023: 249,
    2024: 251,
    2025: 250,
    2026: 249,
}


def _days(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


OFF_DATES = sorted({d for ranges in OFF_RANGES.values() for a, b in ranges for d in _days(a, b)})
SATURDAYS = sorted(d for days in WORKING_SATURDAYS.values() for d in days)


@pytest.fixture(scope="module")
def cal() -> tthc.WorkingCalendar:
    return tthc.WorkingCalendar.vietnam()


@pytest.mark.parametrize("day", OFF_DATES, ids=str)
def test_every_official_day_off(cal: tthc.WorkingCalendar, day: dt.date) -> None:
    assert not cal.is_working_day(day)


@pytest.mark.parametrize("day", SATURDAYS, ids=str)
def test_every_working_saturday(cal: tthc.WorkingCalendar, day: dt.date) -> None:
    assert day.weekday() == 5
    assert cal.is_working_day(day)
    # ... and it has the normal office hours, so deadlines can fall due on it.
    assert cal.closing_time(day) == dt.datetime(day.year, day.month, day.day, 17, tzinfo=tthc.VN_TZ)


@pytest.mark.parametrize("year", sorted(WORKING_DAYS_PER_YEAR))
def test_yearly_working_day_counts(cal: tthc.WorkingCalendar, year: int) -> None:
    assert cal.working_days_in_year(year) == WORKING_DAYS_PER_YEAR[year]


@pytest.mark.parametrize("year", sorted(WORKING_DAYS_PER_YEAR))
def test_no_other_day_differs_from_the_weekly_rule(cal: tthc.WorkingCalendar, year: int) -> None:
    # Exactly the table's days are off and exactly its Saturdays are worked: nothing else.
    off = set(OFF_DATES)
    for day in _days(D(year, 1, 1), D(year, 12, 31)):
        expected = day in WORKING_SATURDAYS[year] or (day.weekday() < 5 and day not in off)
        assert cal.is_working_day(day) is expected, day


def test_bundled_notices_cite_a_document_and_match_the_table() -> None:
    off = set(OFF_DATES)
    for day, kind, document, note in OFFICIAL_NOTICES:
        assert document
        assert note
        if kind == "day_off":
            assert day in off, day
            assert day.weekday() < 5, day
        else:
            assert day in SATURDAYS, day
    # Every weekday off and every working Saturday of the table has its notice.
    listed = {d for d, *_ in OFFICIAL_NOTICES}
    assert {d for d in off if d.weekday() < 5} | set(SATURDAYS) <= listed


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
def test_disagreements_with_holidays_are_exactly_the_2026_new_year_swap(
    cal: tthc.WorkingCalendar,
) -> None:
    # holidays 0.109 lacks Công văn 12729/VPCP-KGVX: Fri 2/1/2026 off, Sat 10/1/2026 worked.
    hol = holidays.country_holidays("VN", years=range(2018, 2028))
    differ = [
        day
        for day in _days(D(2018, 1, 1), D(2027, 12, 31))
        if hol.is_working_day(day) != cal.is_working_day(day)
    ]
    if holidays.__version__ == "0.109":  # type: ignore[attr-defined]
        assert differ == [D(2026, 1, 2), D(2026, 1, 10)]
        assert hol.is_working_day(D(2026, 1, 2))
        assert not cal.is_working_day(D(2026, 1, 2))
        assert not hol.is_working_day(D(2026, 1, 10))
        assert cal.is_working_day(D(2026, 1, 10))
    else:  # a newer holidays may have caught up; the overlay must still win where it differs
        assert set(differ) <= {D(2026, 1, 2), D(2026, 1, 10)}


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
def test_holidays_only_calendar_shows_the_gap() -> None:
    plain = tthc.WorkingCalendar("holidays only", official_notices=False)
    assert plain.is_working_day(D(2026, 1, 2))
    assert not plain.is_working_day(D(2026, 1, 10))
    # The yearly count hides the gap: the two errors cancel.
    assert plain.working_days_in_year(2026) == 249


def test_culture_day_2026_is_off(cal: tthc.WorkingCalendar) -> None:
    assert not cal.is_working_day(D(2026, 11, 24))
    assert D(2026, 11, 24) in holidays.country_holidays("VN", years=2026)


def test_notable_days_list_sources(cal: tthc.WorkingCalendar) -> None:
    days = {d.date: d for d in cal.notable_days(2026)}
    assert "12729/VPCP-KGVX" in days[D(2026, 1, 2)].source
    assert days[D(2026, 1, 10)].working
    assert not days[D(2026, 2, 17)].working
    assert all(d.source for d in days.values())


@pytest.mark.parametrize("year", tthc.calendar.CALENDAR_YEARS)
def test_the_first_and_last_years_count_their_working_days(
    cal: tthc.WorkingCalendar, year: int
) -> None:
    # The count of the first year must not reach back to 31 December of the year before it.
    days = [dt.date(year, 1, 1) + dt.timedelta(i) for i in range(366)]
    with warnings.catch_warnings():  # 2100 is after the last official notice
        warnings.simplefilter("ignore", tthc.errors.ProvisionalCalendarWarning)
        expected = sum(cal.is_working_day(d) for d in days if d.year == year)
        assert cal.working_days_in_year(year) == expected
