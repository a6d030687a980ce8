"""A province's local decisions as an overlay file, and the year's calendar with sources.

Run: python examples/calendar_local_overlay.py   (writes ward-2024.toml in the current directory)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tthc

OVERLAY = """\
name = "Phường Nghi Hương"
source = "Quyết định 15/QĐ-UBND"

[[days]]
date = 2024-03-08
kind = "day_off"
note = "Local festival (lễ hội địa phương)"

[[days]]
date = 2024-03-11
kind = "working_day"
sessions = ["07:30-11:30"]
note = "Half day: staff training in the afternoon"
"""


def main() -> None:
    path = Path("ward-2024.toml")
    path.write_text(OVERLAY, encoding="utf-8")
    overlay = tthc.calendar.CalendarOverlay.from_file(path)
    national = tthc.WorkingCalendar.vietnam()
    ward = tthc.WorkingCalendar.vietnam(
        overlays=[overlay],
        reception_hours=tthc.calendar.ReceptionHours(
            on_weekend={5: ["07:30-11:30"]}
        ),  # Saturday desk
    )
    print(f"national {national.fingerprint}, ward {ward.fingerprint}")
    for day in ward.notable_days(2024):
        kind = "working" if day.working else "day off"
        print(f"{day.date:%d/%m/%Y} {kind:<8} {day.name} [{day.source}]")
    print(
        "working days 2024:",
        national.working_days_in_year(2024),
        "national,",
        ward.working_days_in_year(2024),
        "ward",
    )

    received = dt.datetime(2024, 3, 7, 9, 0, tzinfo=tthc.VN_TZ)
    for calendar in (national, ward):
        print(calendar.fingerprint, tthc.due_at(received, "02 ngày làm việc", calendar))
    saturday = dt.datetime(2024, 3, 2, 9, 0, tzinfo=tthc.VN_TZ)
    print(
        "Saturday desk open:",
        ward.is_receiving(saturday),
        "- working day:",
        ward.is_working_day(saturday.date()),
    )


if __name__ == "__main__":
    main()
