"""Due dates for a morning's dossiers at a ward one-stop desk (bộ phận một cửa).

Run: python examples/calendar_due_dates.py
"""

from __future__ import annotations

import datetime as dt
import warnings

import tthc

VN = tthc.VN_TZ

# (dossier, received at, time limit as published)
DOSSIERS = [
    ("Đăng ký khai sinh", dt.datetime(2024, 2, 7, 10, 0, tzinfo=VN), "Trong ngày"),
    ("Chứng thực bản sao", dt.datetime(2024, 2, 7, 15, 30, tzinfo=VN), "Trong ngày"),
    ("Đăng ký kết hôn", dt.datetime(2024, 2, 7, 10, 0, tzinfo=VN), "02 ngày làm việc"),
    ("Xác nhận tình trạng hôn nhân", dt.datetime(2024, 2, 7, 16, 0, tzinfo=VN), "03 ngày làm việc"),
    ("Cấp bản sao trích lục", dt.datetime(2024, 2, 7, 9, 0, tzinfo=VN), "04 giờ làm việc"),
    ("Đăng ký biến động đất đai", dt.datetime(2024, 2, 7, 9, 0, tzinfo=VN), "10 ngày"),
    ("Giải quyết khiếu nại", dt.datetime(2024, 1, 31, 9, 0, tzinfo=VN), "01 tháng"),
]


def main() -> None:
    warnings.simplefilter("default", tthc.ProvisionalCalendarWarning)
    calendar = tthc.WorkingCalendar.vietnam()
    print(f"Calendar {calendar.name}, fingerprint {calendar.fingerprint}")
    for name, received, limit in DOSSIERS:
        due = tthc.compute_due(received, limit, calendar)
        print(
            f"{name:<30} {received:%d/%m %H:%M}  {limit:<18} → {due.due_at:%a %d/%m/%Y %H:%M}  ({due.rule.value})"
        )

    # The alternative hours mode of existing software: one day = 8 working hours.
    hours_mode = tthc.calendar.DeadlinePolicy(working_days_mode="hours")
    received = dt.datetime(2024, 2, 7, 10, 0, tzinfo=VN)
    print(
        "Hours mode, 02 ngày làm việc:",
        tthc.due_at(received, "02 ngày làm việc", policy=hours_mode),
    )

    # A pause (waiting for the applicant) moves the due date by the working time paused.
    due = tthc.compute_due(dt.datetime(2024, 3, 1, 9, 0, tzinfo=VN), "03 ngày làm việc")
    paused = due.extended_for_pause(
        dt.datetime(2024, 3, 4, 13, 0, tzinfo=VN), dt.datetime(2024, 3, 5, 13, 0, tzinfo=VN)
    )
    print(f"Paused one working day: {due.due_at:%d/%m %H:%M} → {paused.due_at:%d/%m %H:%M}")


if __name__ == "__main__":
    main()
