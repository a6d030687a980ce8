"""The bundled Nghi Hương Q1 2024 dataset: reproducible, realistic, and the founding numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import runpy
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

import tthc

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "examples" / "generate_demo_data.py"
BUNDLED = resources.files("tthc.report").joinpath("data", "nghi_huong_2024q1.csv")


def bundled_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(BUNDLED.read_bytes().decode("utf-8-sig"))))


def test_generator_reproduces_the_bundled_file_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(GENERATOR)])
    runpy.run_path(str(GENERATOR), run_name="__main__")
    assert "403 dossiers" in capsys.readouterr().out
    assert (tmp_path / "nghi_huong_2024q1.csv").read_bytes() == BUNDLED.read_bytes()


def test_founding_numbers() -> None:
    report = tthc.demo_report()
    assert report.rows_rejected == 0
    by_domain = {key[0]: c for key, c in report.rows()}
    assert {k: c.received_total for k, c in by_domain.items()} == {
        "Đất đai – Xây dựng – Đô thị": 107,
        "Tư pháp – Hộ tịch": 286,
        "Chính sách xã hội": 10,
    }
    t = report.totals
    assert (t.received_total, t.resolved_total, t.carried_over) == (403, 403, 0)
    assert (t.resolved_late, t.pending_total, t.pending_overdue) == (0, 0, 0)
    assert t.on_time_rate == 1.0


def test_due_dates_come_from_the_deadline_engine() -> None:
    rows = bundled_rows()
    assert all(r["due_at"] == "" and r["time_limit"] for r in rows)
    records = list(tthc.report.read_csv(io.StringIO(BUNDLED.read_bytes().decode("utf-8-sig"))))
    for r in records:
        assert isinstance(r, tthc.report.DossierRecord)
        assert r.time_limit is not None
        assert r.due_at == tthc.due_at(r.received_at, r.time_limit)
        assert r.finished_at is not None
        assert r.finished_at <= r.due_at


def test_realistic_shape() -> None:
    calendar = tthc.WorkingCalendar.vietnam()
    rows = bundled_rows()
    received = [dt.datetime.fromisoformat(r["received_at"]) for r in rows]
    channels = Counter(r["channel"] for r in rows)
    assert set(channels) == {"direct", "online", "postal"}
    tet = {dt.date(2024, 2, d) for d in range(8, 15)}
    saturdays = 0
    for r, at in zip(rows, received, strict=True):
        assert dt.date(2024, 1, 1) <= at.date() <= dt.date(2024, 3, 31)
        if r["channel"] == "online":
            continue
        assert at.date() not in tet  # the office is closed for Tết
        if calendar.is_working_day(at.date()):
            assert dt.time(7, 30) <= at.time() < dt.time(17, 0)
            assert not dt.time(11, 30) <= at.time() < dt.time(13, 0)
        else:
            assert at.weekday() == 5  # Saturday reception ("Ngày thứ 7 vì dân")
            assert at.time() < dt.time(11, 30)
            saturdays += 1
    assert saturdays > 10
    assert len({r["code"] for r in rows}) == len(rows) == 403
    assert all(r["code"].startswith("000.23.32.H40-24") for r in rows)
