"""Random interchange rows with the service-index columns, for the index tests.

Valid rows only (the readers' rules are respected: supplement instants between receipt and
finish, a resubmission only after its request, an open pause only for a paused, refused or
withdrawn dossier), dense in the rules' edge cases: the period's bounds, office hours, a due
instant met to the second, supplements pending at the period's end, more than one request.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from tthc.report import COLUMNS

PERIOD = "2024-Q1"
VN = dt.timezone(dt.timedelta(hours=7))
DAYS = [
    dt.date(2023, 12, 28),
    dt.date(2023, 12, 31),
    dt.date(2024, 1, 1),
    dt.date(2024, 1, 2),
    dt.date(2024, 2, 8),
    dt.date(2024, 2, 19),
    dt.date(2024, 3, 29),
    dt.date(2024, 3, 31),
    dt.date(2024, 4, 1),
]
TIMES = [
    dt.time(0, 0),
    dt.time(7, 30),
    dt.time(8, 15, 30),
    dt.time(11, 30),
    dt.time(16, 59, 59),
    dt.time(17, 0),
    dt.time(23, 59, 59),
]
DOMAINS = ["Hộ tịch", "Chứng thực", "Đất đai"]
PROCEDURES = ["", "1.001193", "2.000635", "2.000815", "9.999999"]
STATUSES = [
    "received",
    "processing",
    "supplement_requested",
    "completed",
    "returned",
    "refused",
    "withdrawn",
    "paused",
]
FINISHED = {"completed", "returned", "refused", "withdrawn"}
FLAG = ["", "0", "1", "1"]


def _instant(rng: random.Random) -> dt.datetime:
    if rng.random() < 0.5:
        return dt.datetime.combine(rng.choice(DAYS), rng.choice(TIMES))
    day = dt.date(2023, 12, 1) + dt.timedelta(days=rng.randrange(140))
    return dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)))


def _text(value: dt.datetime, rng: random.Random, clean: bool) -> str:
    if clean or rng.random() < 0.7:
        return value.isoformat(sep=rng.choice("T "))
    return value.replace(tzinfo=VN).isoformat()


def make_rows(
    rng: random.Random, n: int, *, clean: bool = True, service: bool = True
) -> list[dict[str, str]]:
    """``n`` valid rows; ``clean`` keeps to the spellings the columnar fast path takes (no open
    pause, plain service cells)."""
    rows: list[dict[str, str]] = []
    statuses = [s for s in STATUSES if s != "paused"] if clean else STATUSES
    for i in range(n):
        received = _instant(rng)
        status = rng.choice(statuses)
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            code=f"H40-{i:06d}",
            domain=rng.choice(DOMAINS),
            channel=rng.choice(["direct", "online", "online", "postal"]),
            received_at=_text(received, rng, clean),
            status=status,
            agency=rng.choice(["", "UBND phường"]),
            procedure_code=rng.choice(PROCEDURES),
        )
        if rng.random() < 0.15:
            row["time_limit"] = rng.choice(["03 ngày làm việc", "Trong ngày", "10 ngày"])
            due = None
        else:
            due = received + dt.timedelta(
                days=rng.choice([0, 1, 3, 10, 40]), hours=rng.choice([0, 5])
            )
            row["due_at"] = _text(due, rng, clean)
        finished = None
        if status in FINISHED:
            if due is not None and rng.random() < 0.3:
                finished = max(
                    received,
                    due
                    + rng.choice(
                        [
                            dt.timedelta(0),
                            dt.timedelta(seconds=1),
                            -dt.timedelta(seconds=1),
                            dt.timedelta(days=2),
                        ]
                    ),
                )
            else:
                finished = received + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 40))
            row["finished_at"] = _text(finished, rng, clean)
        # supplements
        if rng.random() < 0.35:
            top = finished if finished is not None else received + dt.timedelta(days=60)
            span = max(0, int((top - received).total_seconds()))
            asked = received + dt.timedelta(seconds=rng.randrange(span + 1))
            row["supplement_requested_at"] = _text(asked, rng, clean)
            row["supplement_requests"] = rng.choice(["1", "1", "2", "3"])
            if status != "supplement_requested" and rng.random() < 0.7:
                gap = max(0, int((top - asked).total_seconds()))
                back = asked + dt.timedelta(seconds=rng.randrange(gap + 1))
                if finished is None and rng.random() < 0.3:
                    back = asked + dt.timedelta(days=rng.randrange(1, 90))
                row["supplement_received_at"] = _text(back, rng, clean)
        elif rng.random() < 0.1:
            row["supplement_requests"] = rng.choice(["0", "2"])
        if not clean and status in ("paused", "refused", "withdrawn") and rng.random() < 0.5:
            top = finished if finished is not None else received + dt.timedelta(days=30)
            span = max(0, int((top - received).total_seconds()))
            row["paused_at"] = _text(
                received + dt.timedelta(seconds=rng.randrange(span + 1)), rng, clean
            )
        if rng.random() < 0.1 and due is not None:
            row["extended_due_at"] = _text(due + dt.timedelta(days=3), rng, clean)
        if service:
            row.update(
                synced=rng.choice(FLAG),
                paid_online=rng.choice(["", "0", "1", "2"]),
                fee=rng.choice(["", "", "0", "8000", "50000"] + ([] if clean else ["50.000"])),
                paper_result=rng.choice(FLAG),
                e_result=rng.choice(FLAG),
                digitised=rng.choice(FLAG),
                reused_data=rng.choice(FLAG),
                from_citizen_store=rng.choice(FLAG),
                vneid=rng.choice(FLAG),
                complaint=rng.choice(["", "0", "0", "1"]),
            )
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path
