"""``tthc calendar`` and ``tthc due``."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pytest

from tthc.cli import main


def test_calendar_lists_days_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "2026"]) == 0
    out = capsys.readouterr().out
    assert "02/01/2026" in out
    assert "12729/VPCP-KGVX" in out
    assert "10/01/2026" in out
    assert "22/08/2026" in out
    assert "24/11/2026" in out
    assert "working days: 249" in out


def test_calendar_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "2024", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["working_days"] == 251
    assert doc["provisional"] is False
    saturdays = [d["date"] for d in doc["days"] if d["kind"] == "working_day"]
    assert saturdays == ["2024-05-04"]


def test_calendar_provisional_year(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "2027"]) == 0
    assert "PROVISIONAL" in capsys.readouterr().out


def test_calendar_with_overlay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay = tmp_path / "ward.toml"
    overlay.write_text(
        'name = "ward"\nsource = "QĐ 15/QĐ-UBND"\n'
        '[[days]]\ndate = 2024-03-08\nkind = "day_off"\nnote = "Local festival"\n',
        encoding="utf-8",
    )
    assert main(["calendar", "2024", "--overlay", str(overlay), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["working_days"] == 250
    assert {"date": "2024-03-08", "source": "QĐ 15/QĐ-UBND"}.items() <= next(
        d for d in doc["days"] if d["date"] == "2024-03-08"
    ).items()


def test_due_prints_instant_and_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "2024-02-07 10:00", "02 ngày làm việc"]) == 0
    out = capsys.readouterr().out
    assert "2024-02-16 17:00" in out
    assert "working_days" in out
    assert "Art. 147" in out


def test_due_json_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["due", "2024-02-07 10:00", "02 ngày làm việc", "--hours-mode", "--format", "json"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["due_at"] == "2024-02-16T10:00:00+07:00"
    assert doc["rule"] == "working_days_hours_mode"
    assert (
        main(
            [
                "due",
                "2024-03-04 16:00",
                "01 ngày làm việc",
                "--receipt-cutoff",
                "15:00",
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["due_at"] == "2024-03-06T17:00:00+07:00"


def test_due_provisional(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "2026-12-30T10:00:00+07:00", "05 ngày làm việc"]) == 0
    assert "PROVISIONAL" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["due", "yesterday", "02 ngày làm việc"],
        ["due", "2024-02-07 10:00", "0 ngày làm việc"],
        ["due", "2024-02-07 10:00", "5 tuần"],
        ["due", "2024-02-07 10:00", "1 ngày", "--receipt-cutoff", "late"],
        ["calendar", "1800"],
    ],
)
def test_bad_input_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_bad_overlay_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"days": [{"date": "2024-13-01", "kind": "day_off"}]}', encoding="utf-8")
    assert main(["calendar", "2024", "--overlay", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err


@pytest.mark.parametrize("word", ["now", "NOW", " now "])
def test_due_now_counts_from_the_current_instant(
    word: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import tthc

    before = tthc.now()
    assert main(["due", word, "05 ngày làm việc", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    received = dt.datetime.fromisoformat(doc["received_at"])
    assert before <= received <= tthc.now()
    assert received.utcoffset() == dt.timedelta(hours=7)


def test_due_refuses_other_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "nwo", "05 ngày làm việc"]) == 2
    assert "nor 'now'" in capsys.readouterr().err


@pytest.mark.parametrize("year", ["1901", "2100"])
def test_calendar_of_the_first_and_last_years(
    year: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc.calendar import WorkingCalendar
    from tthc.errors import ProvisionalCalendarWarning

    cal = WorkingCalendar.vietnam()
    days = [dt.date(int(year), 1, 1) + dt.timedelta(i) for i in range(366)]
    with warnings.catch_warnings():  # 2100 is after the last official notice
        warnings.simplefilter("ignore", ProvisionalCalendarWarning)
        expected = sum(cal.is_working_day(d) for d in days if d.year == int(year))
    assert main(["calendar", year, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["working_days"] == expected


@pytest.mark.parametrize(
    ("received", "limit", "date"),
    [
        ("2100-12-31 10:00", "1 ngày", "2101-01-01"),
        ("1900-12-31 23:00", "1 ngày làm việc", "1900-12-31"),
    ],
)
def test_due_outside_the_calendar_names_the_date(
    received: str, limit: str, date: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["due", received, limit]) == 2
    err = capsys.readouterr().err
    assert f"the date {date} is outside the years 1901–2100" in err
    assert "d=" not in err
