"""User overlays (code, TOML, JSON), per-date office hours, reception hours, fingerprints."""

from __future__ import annotations

import datetime as dt
import json
import threading
import warnings
from pathlib import Path

import holidays
import pytest

import tthc

D = dt.date
VN = tthc.VN_TZ


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


LOCAL = tthc.calendar.CalendarOverlay.from_days(
    "Phường Nghi Hương",
    days_off=[D(2024, 3, 8)],
    working_days=["2024-03-09"],
    hours={D(2024, 3, 11): ["07:30-11:30"]},
    source="Quyết định 15/QĐ-UBND",
)


def test_overlay_from_code_changes_days_and_hours() -> None:
    cal = tthc.WorkingCalendar.vietnam(overlays=[LOCAL])
    assert not cal.is_working_day(D(2024, 3, 8))
    assert cal.is_working_day(D(2024, 3, 9))  # a Saturday
    assert cal.closing_time(D(2024, 3, 11)) == at(2024, 3, 11, 11, 30)  # half day
    assert cal.working_time_between(at(2024, 3, 11), at(2024, 3, 12)) == dt.timedelta(hours=4)
    # Deadlines follow: Thursday 7/3 + 1 working day → Saturday 9/3.
    assert tthc.due_at(at(2024, 3, 7, 9), "01 ngày làm việc", cal) == at(2024, 3, 9, 17)
    # ... and a deadline falling on the half day ends at its close.
    assert tthc.due_at(at(2024, 3, 9, 9), "01 ngày làm việc", cal) == at(2024, 3, 11, 11, 30)
    assert tthc.due_at(at(2024, 3, 11, 10), "02 giờ làm việc", cal) == at(2024, 3, 12, 8, 0)
    sources = {d.date: d.source for d in cal.notable_days(2024)}
    assert sources[D(2024, 3, 8)] == "Quyết định 15/QĐ-UBND"


def test_calendars_never_share_state() -> None:
    default = tthc.WorkingCalendar.vietnam()
    local = tthc.WorkingCalendar.vietnam(overlays=[LOCAL])
    other = tthc.WorkingCalendar.vietnam(
        overlays=[tthc.calendar.CalendarOverlay.from_days("other", days_off=["2024-03-12"])]
    )
    assert local.is_working_day(D(2024, 3, 12))
    assert not other.is_working_day(D(2024, 3, 12))
    assert default.is_working_day(D(2024, 3, 8))
    assert not local.is_working_day(D(2024, 3, 8))
    assert len({default.fingerprint, local.fingerprint, other.fingerprint}) == 3
    assert tthc.WorkingCalendar.vietnam() is default


def test_fingerprint_is_stable_and_data_based() -> None:
    a = tthc.WorkingCalendar.vietnam(overlays=[LOCAL])
    b = tthc.WorkingCalendar("another name", overlays=[LOCAL.model_copy(update={"name": "x"})])
    assert a.fingerprint == b.fingerprint  # same data, different names
    c = tthc.WorkingCalendar.vietnam(
        office_hours=tthc.calendar.OfficeHours(sessions=["07:00-11:00", "13:30-17:30"])
    )
    assert c.fingerprint != tthc.WorkingCalendar.vietnam().fingerprint
    # Reception hours change no deadline, so not the fingerprint either.
    d = tthc.WorkingCalendar.vietnam(
        reception_hours=tthc.calendar.ReceptionHours(on_weekend={5: ["07:30-11:30"]})
    )
    assert d.fingerprint == tthc.WorkingCalendar.vietnam().fingerprint
    # The value is pinned so that an accidental change of the data shows up in review. The
    # fingerprint covers the ``holidays`` version on purpose, so the pin holds for 0.109 only.
    if holidays.__version__ == "0.109":  # type: ignore[attr-defined]
        assert tthc.WorkingCalendar.vietnam().fingerprint == "76b5ed2fa0c1fef3"


def test_later_overlay_wins() -> None:
    first = tthc.calendar.CalendarOverlay.from_days("a", days_off=["2024-03-12"])
    second = tthc.calendar.CalendarOverlay.from_days("b", working_days=["2024-03-12"])
    assert tthc.WorkingCalendar.vietnam(overlays=[first, second]).is_working_day(D(2024, 3, 12))
    assert not tthc.WorkingCalendar.vietnam(overlays=[second, first]).is_working_day(D(2024, 3, 12))


def test_user_overlay_beats_official_notice() -> None:
    undo = tthc.calendar.CalendarOverlay.from_days("undo", working_days=["2026-01-02"])
    assert tthc.WorkingCalendar.vietnam(overlays=[undo]).is_working_day(D(2026, 1, 2))


def test_toml_and_json_files(tmp_path: Path) -> None:
    toml = tmp_path / "ward.toml"
    toml.write_text(
        """
name = "ward"
source = "Quyết định 15/QĐ-UBND"

[[days]]
date = 2024-03-08
kind = "day_off"
note = "Local festival"

[[days]]
date = 2024-03-11
kind = "working_day"
sessions = [["07:30", "11:30"]]
source = "Công văn 3/UBND"
""",
        encoding="utf-8",
    )
    js = tmp_path / "ward.json"
    js.write_text(
        json.dumps(
            {
                "source": "Quyết định 15/QĐ-UBND",
                "days": [
                    {"date": "2024-03-08", "kind": "day_off", "note": "Local festival"},
                    {
                        "date": "2024-03-11",
                        "kind": "working_day",
                        "sessions": ["07:30-11:30"],
                        "source": "Công văn 3/UBND",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    a = tthc.calendar.CalendarOverlay.from_file(toml)
    b = tthc.calendar.CalendarOverlay.from_file(js)
    assert b.name == "ward"  # from the file name
    assert a.days == b.days
    assert a.days[0].source == "Quyết định 15/QĐ-UBND"
    assert a.days[1].source == "Công văn 3/UBND"
    cal = tthc.WorkingCalendar.vietnam(overlays=[a])
    assert cal.closing_time(D(2024, 3, 11)) == at(2024, 3, 11, 11, 30)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("x.toml", "days = [", "cannot be read"),
        ("x.json", "{", "cannot be read"),
        ("x.yaml", "days: []", ".toml or .json"),
        ("x.json", "[]", "top level"),
        ("x.json", '{"days": [{"date": "2024-02-30", "kind": "day_off"}]}', "days.0.date"),
        ("x.json", '{"days": [{"date": "2024-03-01", "kind": "holiday"}]}', "days.0.kind"),
        (
            "x.json",
            '{"days": [{"date": "2024-03-01", "kind": "day_off", "sessions": ["08:00-09:00"]}]}',
            "only a working_day",
        ),
        (
            "x.json",
            '{"days": [{"date": "2024-03-01", "kind": "working_day", "sessions": ["09:00-08:00"]}]}',
            "before it starts",
        ),
        (
            "x.json",
            '{"days": [{"date": "2024-03-01", "kind": "working_day", "sessions": ["08:00-10:00", "09:00-11:00"]}]}',
            "overlap",
        ),
        (
            "x.json",
            '{"days": [{"date": "2024-03-01", "kind": "day_off"}, {"date": "2024-03-01", "kind": "working_day"}]}',
            "two entries",
        ),
        ("x.json", '{"source": "\\ud800", "days": []}', "source: a lone surrogate"),
        (
            "x.json",
            '{"days": [{"date": "2024-03-01", "kind": "day_off", "note": "L\\udc80"}]}',
            "days.0.note: a lone surrogate",
        ),
        ("x.json", '{"days": [], "\\ud83d": 1}', r"\\ud83d: a lone surrogate"),
    ],
)
def test_invalid_overlays(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(tthc.OverlayError, match=message):
        tthc.calendar.CalendarOverlay.from_file(path)


def test_overlay_type_is_checked() -> None:
    with pytest.raises(tthc.InvalidInputError):
        tthc.WorkingCalendar.vietnam(overlays=[{"name": "x"}])  # type: ignore[list-item]


def test_official_through_ends_provisional_status() -> None:
    notice_2027 = tthc.calendar.CalendarOverlay(
        name="2027 notice", official_through=2027, source="Công văn .../VPCP-KGVX"
    )
    cal = tthc.WorkingCalendar.vietnam(overlays=[notice_2027])
    assert cal.last_official_year == 2027
    with warnings.catch_warnings():
        warnings.simplefilter("error", tthc.ProvisionalCalendarWarning)
        d = tthc.compute_due(at(2027, 3, 1, 9), "05 ngày làm việc", cal)
    assert d.provisional is False
    with pytest.warns(tthc.ProvisionalCalendarWarning):
        assert tthc.compute_due(at(2027, 3, 1, 9), "05 ngày làm việc").provisional


def test_office_hours_by_weekday() -> None:
    hours = tthc.calendar.OfficeHours(by_weekday={4: ["07:30-11:30", "13:00-16:00"]})
    cal = tthc.WorkingCalendar.vietnam(office_hours=hours)
    assert cal.closing_time(D(2024, 3, 8)) == at(2024, 3, 8, 16)  # Friday
    assert cal.closing_time(D(2024, 3, 7)) == at(2024, 3, 7, 17)
    assert tthc.due_at(at(2024, 3, 7, 9), "01 ngày làm việc", cal) == at(2024, 3, 8, 16)
    with pytest.raises(ValueError, match="weekday"):
        tthc.calendar.OfficeHours(by_weekday={7: ["07:30-11:30"]})
    with pytest.raises(ValueError, match="at least one session"):
        tthc.calendar.OfficeHours(sessions=[])


def test_reception_hours_are_not_working_time() -> None:
    reception = tthc.calendar.ReceptionHours(on_weekend={5: ["07:30-11:30"]})
    cal = tthc.WorkingCalendar.vietnam(reception_hours=reception)
    saturday = D(2024, 3, 2)
    assert cal.is_receiving(at(2024, 3, 2, 9))
    assert not cal.is_receiving(at(2024, 3, 2, 12))
    assert not cal.is_working_day(saturday)
    assert cal.working_time_between(at(2024, 3, 2, 7), at(2024, 3, 2, 12)) == dt.timedelta(0)
    # A dossier received on that Saturday counts from Monday (rule 1).
    assert tthc.due_at(at(2024, 3, 2, 9), "01 ngày làm việc", cal) == at(2024, 3, 4, 17)
    # No reception on a Saturday that is a holiday (Tết 2024).
    assert cal.reception_sessions(D(2024, 2, 10)) == ()
    # Working days: the office hours, or their own reception hours.
    assert cal.is_receiving(at(2024, 3, 4, 8))
    assert not cal.is_receiving(at(2024, 3, 4, 12))
    early = tthc.calendar.ReceptionHours(on_working_days=["07:00-11:00"])
    assert tthc.WorkingCalendar.vietnam(reception_hours=early).is_receiving(at(2024, 3, 4, 7, 10))
    with pytest.raises(ValueError, match="on_weekend"):
        tthc.calendar.ReceptionHours(on_weekend={2: ["07:30-11:30"]})


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ([], "reception hours of working days: a working day needs at least one session"),
        (["07:30-11:30", "11:00-12:00"], "reception hours of working days: .* overlap"),
        (["13:00-17:00", "07:30-11:30"], "overlap or are out of order"),
    ],
)
def test_reception_hours_of_working_days_are_checked(sessions: list[str], message: str) -> None:
    # Like every other session list: non-empty, in order, not overlapping.
    with pytest.raises(ValueError, match=message):
        tthc.calendar.ReceptionHours(on_working_days=sessions)
    # None still means "the office hours".
    assert tthc.calendar.ReceptionHours(on_working_days=None).on_working_days is None


def test_concurrent_lazy_building_is_consistent() -> None:
    cal = tthc.WorkingCalendar("threads")
    reference = tthc.WorkingCalendar.vietnam()
    years = list(range(1990, 2026, 3))
    results: dict[int, int] = {}

    def work(year: int) -> None:
        results[year] = cal.working_days_in_year(year)

    threads = [threading.Thread(target=work, args=(y,)) for y in years]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {y: reference.working_days_in_year(y) for y in years}


def test_session_forms() -> None:
    assert tthc.calendar.Session.model_validate(
        ["07:30", "11:30"]
    ) == tthc.calendar.Session.model_validate("07:30–11:30")
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        tthc.calendar.Session.model_validate("07:30")
    with pytest.raises(ValueError, match="pair"):
        tthc.calendar.Session.model_validate(["07:30"])
    assert str(tthc.calendar.DEFAULT_SESSIONS[1]) == "13:00-17:00"


def test_an_overlay_file_that_cannot_be_read_is_an_overlay_error(tmp_path: Path) -> None:
    # A missing file raised the raw FileNotFoundError, unlike every other input of the library.
    with pytest.raises(tthc.errors.OverlayError, match=r"nope\.toml cannot be read: No such file"):
        tthc.calendar.CalendarOverlay.from_file(tmp_path / "nope.toml")
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(tthc.errors.OverlayError, match=r"folder\.json cannot be read"):
        tthc.calendar.CalendarOverlay.from_file(tmp_path / "folder.json")
