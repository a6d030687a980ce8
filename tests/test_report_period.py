"""Reporting periods: every named form, ranges and the official data cut-off."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc import VN_TZ, NaiveDatetimeError, Period, PeriodError

D = dt.date


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2024-03", D(2024, 3, 1), D(2024, 3, 31), "Tháng 3 năm 2024 (March 2024)"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "Tháng 2 năm 2024 (February 2024)"),
        ("2024-12", D(2024, 12, 1), D(2024, 12, 31), "Tháng 12 năm 2024 (December 2024)"),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), "Quý I năm 2024 (Q1 2024)"),
        ("2024-Q4", D(2024, 10, 1), D(2024, 12, 31), "Quý IV năm 2024 (Q4 2024)"),
        ("2024-H1", D(2024, 1, 1), D(2024, 6, 30), "6 tháng đầu năm 2024 (H1 2024)"),
        ("2024-H2", D(2024, 7, 1), D(2024, 12, 31), "6 tháng cuối năm 2024 (H2 2024)"),
        ("2024-9M", D(2024, 1, 1), D(2024, 9, 30), "9 tháng năm 2024 (9 months 2024)"),
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "Năm 2024 (Year 2024)"),
        ("2024q2", D(2024, 4, 1), D(2024, 6, 30), "Quý II năm 2024 (Q2 2024)"),
    ],
)
def test_calendar_periods(text: str, first: dt.date, last: dt.date, label: str) -> None:
    p = Period.parse(text)
    assert (p.first_day, p.last_day, p.label) == (first, last, label)
    assert p.start == dt.datetime.combine(first, dt.time(), VN_TZ)
    assert p.end == dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), VN_TZ)
    assert Period.parse(p.code) == p


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024-Q1", D(2023, 12, 15), D(2024, 3, 14)),  # quarter 15/12–14/3
        ("2024-Q3", D(2024, 6, 15), D(2024, 9, 14)),
        ("2024-H1", D(2023, 12, 15), D(2024, 6, 14)),  # six months 15/12–14/6
        ("2024-9M", D(2023, 12, 15), D(2024, 9, 14)),  # nine months 15/12–14/9
        ("2024", D(2023, 12, 15), D(2024, 12, 14)),  # year 15/12–14/12
        ("2024-03", D(2024, 2, 15), D(2024, 3, 14)),  # month
        ("2024-01", D(2023, 12, 15), D(2024, 1, 14)),
    ],
)
def test_official_cutoff(text: str, first: dt.date, last: dt.date) -> None:
    p = Period.parse(text, official=True)
    assert (p.first_day, p.last_day, p.official) == (first, last, True)
    assert "official cut-off" in p.label_en
    assert f"số liệu từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}" in p.label_vi


def test_range_and_instants() -> None:
    p = Period.between("2024-01-15", D(2024, 2, 14))
    assert (p.kind, p.first_day, p.last_day) == ("range", D(2024, 1, 15), D(2024, 2, 14))
    assert p.code == "2024-01-15..2024-02-14"
    assert p.contains(dt.datetime(2024, 2, 14, 23, 59, 59, tzinfo=VN_TZ))
    assert not p.contains(dt.datetime(2024, 2, 15, tzinfo=VN_TZ))
    # 17:30 UTC on 14/2 is 00:30 on 15/2 in UTC+7
    assert not p.contains(dt.datetime(2024, 2, 14, 17, 30, tzinfo=dt.UTC))
    assert Period.between("2024-01-01", "2024-01-01").last_day == D(2024, 1, 1)


@pytest.mark.parametrize(
    "text", ["2024-13", "2024-Q5", "2024-H3", "Q1 2024", "", "24-Q1", "2024-00"]
)
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_non_text_period_is_a_period_error() -> None:
    with pytest.raises(PeriodError, match="cannot read period 2024"):
        Period.parse(2024)  # type: ignore[arg-type]


def test_range_from_datetimes_uses_the_date_in_utc7() -> None:
    # 17:30 UTC on 14/2 is 00:30 on 15/2 at the office
    p = Period.between(dt.datetime(2024, 1, 14, 17, 30, tzinfo=dt.UTC), dt.datetime(2024, 2, 14, 8))
    assert (p.first_day, p.last_day) == (D(2024, 1, 15), D(2024, 2, 14))


def test_contains_refuses_a_naive_instant() -> None:
    with pytest.raises(NaiveDatetimeError):
        Period.parse("2024-03").contains(dt.datetime(2024, 3, 5, 8))


def test_bad_ranges() -> None:
    with pytest.raises(PeriodError, match="not a date"):
        Period.between(20240101, "2024-01-31")  # type: ignore[arg-type]
    with pytest.raises(PeriodError, match="before it starts"):
        Period.between("2024-02-01", "2024-01-31")
    with pytest.raises(PeriodError, match="not a date"):
        Period.between("2024-02-30", "2024-03-01")


def test_period_errors_carry_what_was_given_and_name_the_argument() -> None:
    """``Period.between`` named only the command line's ``--from`` to a Python caller; its
    errors now name the argument (and the option), and carry ``text`` and ``param``."""
    with pytest.raises(PeriodError, match=r"first_day \(--from\) '31/03/2024' is not a date") as e:
        Period.between("31/03/2024", "2024-04-01")
    assert (e.value.text, e.value.param) == ("31/03/2024", "first_day")
    with pytest.raises(PeriodError) as e:
        Period.parse("Q5/2024")
    assert (e.value.text, e.value.param) == ("Q5/2024", "period")
