"""Merge ward reports into a district report, and check it equals the report of all rows.

Reports are mergeable counters: the report of ward A plus the report of ward B is the report of
A∪B, whatever the split. Ratios (on-time rate, online share, average processing time) are derived
after the merge, never averaged.
"""

from __future__ import annotations

import datetime as dt
import random

import tthc

DOMAINS = ("Tư pháp – Hộ tịch", "Đất đai – Xây dựng – Đô thị", "Chính sách xã hội")


def ward_rows(ward: str, n: int, rng: random.Random) -> list[dict[str, object]]:
    """Synthetic dossiers of one ward in the first quarter of 2024."""
    rows: list[dict[str, object]] = []
    for i in range(n):
        received = dt.datetime(2024, 1, 2, 8, tzinfo=tthc.VN_TZ) + dt.timedelta(
            hours=rng.randrange(0, 85 * 24)
        )
        due = received + dt.timedelta(days=rng.choice((1, 3, 5, 10)))
        done = rng.random() < 0.85
        finished = received + dt.timedelta(hours=rng.randrange(1, 12 * 24)) if done else None
        rows.append(
            {
                "code": f"{ward}-{i:05d}",
                "domain": rng.choice(DOMAINS),
                "channel": rng.choice(("direct", "online", "postal")),
                "received_at": received,
                "status": "returned" if done else "processing",
                "due_at": due,
                "finished_at": finished,
                "agency": f"UBND phường {ward}",
            }
        )
    return rows


def main() -> tthc.Report:
    """Build three ward reports, merge them, compare with the whole; print the district table."""
    rng = random.Random(7)
    wards = {name: ward_rows(name, 300, rng) for name in ("Nghi Hương", "Nghi Thu", "Thu Thủy")}
    reports = [tthc.build_report(rows, "2024-Q1") for rows in wards.values()]
    district = reports[0] + reports[1] + reports[2]
    whole = tthc.build_report([r for rows in wards.values() for r in rows], "2024-Q1")
    assert district.groups == whole.groups
    assert district.totals.on_time_rate == whole.totals.on_time_rate
    print(tthc.report.render(district, "md"))
    return district


if __name__ == "__main__":
    main()
