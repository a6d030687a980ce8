"""Generate the demo dataset of ``tthc demo``: ward Nghi Hương (Cửa Lò, Nghệ An), Q1 2024.

The data are synthetic but shaped like a ward's one-stop register, and reproduce the project's
founding example: 403 dossiers received in the first quarter of 2024 — land, construction and
urban affairs 107, justice and civil status 286, social policy 10 — all resolved on time, none
overdue. Realistic details:

* procedures of the commune level with their published time limits (codes from the national
  database where the bundled catalogue has them; the land/construction wordings without a code
  are illustrative);
* channels: certification in person only; civil status partly online; a few postal dossiers;
* receipt times in office hours (07:30–11:30, 13:00–17:00) on working days; online dossiers at
  any hour, Tết included; Tết 2024 (8–14/2) closed;
* Saturday-morning reception ("Ngày thứ 7 vì dân") for civil status and certification, often
  returned on the spot;
* ``due_at`` left empty and ``time_limit`` given, so the report computes each due date with the
  deadline engine (:func:`tthc.due_at`) — and the results here are drawn before those dates.

Run with no arguments to write ``nghi_huong_2024q1.csv`` into the current directory, or give an
output path. Deterministic (seeded): the output equals the file bundled in the package, byte for
byte (a test checks it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

import tthc

SEED = 20240101
OUTPUT_NAME = "nghi_huong_2024q1.csv"
AGENCY = "UBND phường Nghi Hương"
AGENCY_ID = (
    "000.23.32.H40"  # illustrative identifier in the Decree 118 Art. 28 format (H40 = Nghệ An)
)
QUARTER_START = dt.date(2024, 1, 1)
QUARTER_END = dt.date(2024, 3, 31)
LAST_RESULT = dt.datetime(2024, 3, 29, 16, 30, tzinfo=tthc.VN_TZ)  # last Friday of March
SESSIONS = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0)))
SATURDAY_SESSION = (dt.time(7, 30), dt.time(11, 0))
PRE_TET_PEAK = (dt.date(2024, 1, 22), dt.date(2024, 2, 7))

SAME_DAY = (
    "Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả "
    "trong ngày làm việc tiếp theo"
)

LAND = "Đất đai – Xây dựng – Đô thị"
JUSTICE = "Tư pháp – Hộ tịch"
SOCIAL = "Chính sách xã hội"

# (domain, procedure code, name, time limit, count, channel weights (direct, online, postal),
#  share received at Saturday reception)
PROCEDURES: tuple[tuple[str, str, str, str, int, tuple[int, int, int], float], ...] = (
    (JUSTICE, "1.001193", "Đăng ký khai sinh", SAME_DAY, 48, (60, 38, 2), 0.15),
    (JUSTICE, "1.000656", "Đăng ký khai tử", SAME_DAY, 14, (80, 20, 0), 0.0),
    (JUSTICE, "1.000894", "Đăng ký kết hôn", SAME_DAY, 22, (75, 25, 0), 0.10),
    (
        JUSTICE,
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "03 ngày làm việc",
        34,
        (60, 36, 4),
        0.10,
    ),
    (
        JUSTICE,
        "2.000635",
        "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        SAME_DAY,
        18,
        (55, 40, 5),
        0.10,
    ),
    (
        JUSTICE,
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        SAME_DAY,
        110,
        (100, 0, 0),
        0.20,
    ),
    (
        JUSTICE,
        "2.000884",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        SAME_DAY,
        28,
        (100, 0, 0),
        0.15,
    ),
    (
        JUSTICE,
        "2.001035",
        "Chứng thực giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở",
        "02 ngày làm việc",
        12,
        (100, 0, 0),
        0.0,
    ),
    (
        LAND,
        "1.013978",
        "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        "27 ngày làm việc",
        12,
        (100, 0, 0),
        0.0,
    ),
    (
        LAND,
        "1.013225",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "15 ngày",
        20,
        (85, 15, 0),
        0.0,
    ),
    (
        LAND,
        "",
        "Xác nhận nguồn gốc, thời điểm sử dụng đất",
        "05 ngày làm việc",
        35,
        (90, 10, 0),
        0.0,
    ),
    (LAND, "", "Hòa giải tranh chấp đất đai", "45 ngày", 5, (100, 0, 0), 0.0),
    (LAND, "", "Cấp số nhà", "05 ngày làm việc", 35, (80, 20, 0), 0.0),
    (
        SOCIAL,
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng",
        "10 ngày làm việc",
        7,
        (100, 0, 0),
        0.0,
    ),
    (
        SOCIAL,
        "1.001731",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "03 ngày làm việc",
        3,
        (100, 0, 0),
        0.0,
    ),
)
CHANNELS = (tthc.Channel.DIRECT, tthc.Channel.ONLINE, tthc.Channel.POSTAL)


def _days(calendar: tthc.WorkingCalendar) -> tuple[list[dt.date], list[float], list[dt.date]]:
    """Working days of the quarter with weights, and the Saturdays (reception only)."""
    working, weights, saturdays = [], [], []
    day = QUARTER_START
    while day <= QUARTER_END:
        if calendar.is_working_day(day):
            working.append(day)
            weights.append(1.5 if PRE_TET_PEAK[0] <= day <= PRE_TET_PEAK[1] else 1.0)
        elif day.weekday() == 5 and not (dt.date(2024, 2, 8) <= day <= dt.date(2024, 2, 14)):
            saturdays.append(day)
        day += dt.timedelta(days=1)
    return working, weights, saturdays


def _at(rng: random.Random, day: dt.date, start: dt.time, end: dt.time) -> dt.datetime:
    lo = start.hour * 60 + start.minute
    hi = end.hour * 60 + end.minute
    minute = rng.randrange(lo, hi)
    return dt.datetime.combine(
        day, dt.time(minute // 60, minute % 60, rng.randrange(60)), tthc.VN_TZ
    )


def _office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    start, end = SESSIONS[rng.random() < 0.45]
    return _at(rng, day, start, end)


def _receipt(
    rng: random.Random,
    channel: tthc.Channel,
    saturday_share: float,
    days: tuple[list[dt.date], list[float], list[dt.date]],
) -> dt.datetime:
    working, weights, saturdays = days
    if channel is tthc.Channel.ONLINE:
        # Online dossiers arrive at any hour of any day, Tết included.
        day = QUARTER_START + dt.timedelta(days=rng.randrange((QUARTER_END - QUARTER_START).days))
        return _at(rng, day, dt.time(6, 0), dt.time(22, 30))
    if rng.random() < saturday_share:
        return _at(rng, rng.choice(saturdays), *SATURDAY_SESSION)
    return _office_time(rng, rng.choices(working, weights)[0])


def _result(
    rng: random.Random,
    calendar: tthc.WorkingCalendar,
    received: dt.datetime,
    due: dt.datetime,
    channel: tthc.Channel,
) -> dt.datetime:
    """A result instant after receipt and by the due instant, in office hours when possible."""
    # Saturday reception: most results are handed over on the spot.
    on_saturday = channel is not tthc.Channel.ONLINE and not calendar.is_working_day(
        received.date()
    )
    if on_saturday and rng.random() < 0.7:
        return received + dt.timedelta(minutes=rng.randrange(10, 40))
    candidates = []
    day = received.date()
    while day <= due.date():
        if calendar.is_working_day(day):
            candidates.append(day)
        day += dt.timedelta(days=1)
    for _ in range(50):
        # Most results come well before the deadline; some on its last day.
        index = min(int(rng.random() ** 1.6 * len(candidates)), len(candidates) - 1)
        finished = _office_time(rng, candidates[index])
        if received + dt.timedelta(minutes=10) <= finished <= min(due, LAST_RESULT):
            return finished
    return min(due, LAST_RESULT) - dt.timedelta(minutes=rng.randrange(5, 30))


def generate() -> str:
    """The dataset as CSV text (the caller writes it as UTF-8 with a BOM)."""
    rng = random.Random(SEED)
    calendar = tthc.WorkingCalendar.vietnam()
    days = _days(calendar)
    rows = []
    for domain, code, name, limit, count, weights, saturday_share in PROCEDURES:
        for _ in range(count):
            channel = rng.choices(CHANNELS, weights)[0]
            for _attempt in range(200):
                received = _receipt(rng, channel, saturday_share, days)
                due = tthc.due_at(received, limit, calendar)
                if due <= LAST_RESULT + dt.timedelta(hours=1) and received < LAST_RESULT:
                    break
            else:  # pragma: no cover - the limits above always fit the quarter
                raise RuntimeError(f"cannot place a {name} dossier in the quarter")
            finished = _result(rng, calendar, received, due, channel)
            rows.append((received, domain, code, name, limit, channel, finished))
    rows.sort(key=lambda r: (r[0], r[2], r[3]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # The interchange columns this dataset fills, in the format's canonical order (the optional
    # timeline columns are left out: every dossier here is resolved without a supplement).
    columns = tthc.report.COLUMNS[: tthc.report.COLUMNS.index("supplement_requests") + 1]
    writer.writerow(columns)
    sequence: dict[dt.date, int] = {}
    for received, domain, code, name, limit, channel, finished in rows:
        day = received.date()
        sequence[day] = sequence.get(day, 0) + 1
        dossier_code = f"{AGENCY_ID}-{day:%y%m%d}-{sequence[day]:04d}"
        writer.writerow(
            [
                dossier_code,
                domain,
                channel.value,
                received.isoformat(),
                "returned",
                "",  # due_at: computed by the report from time_limit
                finished.isoformat(),
                AGENCY,
                code,
                name,
                "commune",
                limit,
                "",
                "",
            ]
        )
    return out.getvalue()


def main(argv: list[str]) -> Path:
    """Write the dataset to ``argv[1]`` or ``./nghi_huong_2024q1.csv``; return the path."""
    target = Path(argv[1]) if len(argv) > 1 else Path(OUTPUT_NAME)
    target.write_text(generate(), encoding="utf-8-sig", newline="")
    return target


if __name__ == "__main__":
    path = main(sys.argv)
    report = tthc.build_report(path, "2024-Q1", unit=AGENCY)
    print(f"wrote {path}: {report.rows_read} dossiers")
    for key, counts in report.rows():
        print(f"  {key[0]}: {counts.received_total} received, {counts.on_time_rate:.0%} on time")
