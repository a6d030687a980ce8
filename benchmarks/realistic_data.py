"""Seeded benchmark data shaped like real one-stop exports (the default of every benchmark).

Every benchmark in this folder reads its dossiers from here. Two shapes:

* ``realistic`` (the default): what a provincial one-stop system exports for a quarter, with
  the irregularities real exports have — see :data:`SHAPE` and ``docs/benchmarks.md``.
* ``repetitive``: the generated file of the earlier benchmarks (receipts at whole minutes,
  every due date at 17:00:00, one spelling per value, no bad rows). Kept only as a labelled
  best case: the parser's caches hit on almost every row.

Files are written (seeded, reproducible) into ``benchmarks/_data/`` (git-ignored) on first use
and reused; the name carries the shape, the bad-row share and :data:`VERSION`.

    .venv/bin/python benchmarks/realistic_data.py --rows 1000 --print   # look at a sample
    .venv/bin/python benchmarks/realistic_data.py --rows 1000000        # write the CSV
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import tthc

VERSION = 1
"""Bumped whenever the generated rows change (old files are then not reused)."""
DATA_DIR = Path(__file__).resolve().parent / "_data"
PERIOD = "2024-Q1"
SHAPES = ("realistic", "repetitive")
DEFAULT_BAD_SHARE = 0.03
COLUMNS = (
    "code",
    "domain",
    "channel",
    "received_at",
    "status",
    "due_at",
    "finished_at",
    "agency",
    "procedure_code",
    "procedure_name",
    "level",
    "time_limit",
    "extended_due_at",
    "supplement_requests",
)

SHAPE = """\
realistic shape (benchmarks/realistic_data.py, version {version}):
- receipts over 2023-07-01 .. 2024-04-05: ~22 % before 2024-Q1 (carried over or finished
  before it), ~73 % in the quarter, ~5 % after it; instants with seconds, mostly distinct;
  counter (direct, postal) receipts in office hours on working days, online ones at any hour
  of any day; finish instants from each procedure's real time limit (early, near the due,
  late, or still open at the export date 2024-04-05);
- instants written with mixed offsets (measured on 100,000 rows: 52 % '+07:00', 24 % naive
  = UTC+7 wall clock, 12 % 'Z', 11 % other offsets '+00:00', '+08:00', '-05:00'); 78 % 'T'
  and 22 % space separators; 1.5 % with microseconds; each agency's system has its habit
  and ~30 % of the cells are written another way; 99 % of the receipt cells distinct;
- ~1/3 of the rows carry time_limit with an empty due_at (the due date is computed); every
  row carries its procedure's time_limit wording ('05 ngày làm việc', 'Trong ngày',
  '03 ngày', '01 tháng', '04 giờ làm việc', '15 ngày', unaccented '05 ngay lam viec', …);
  due_at, when given, is the engine's due date (17:00) for ~40 %, the due day at the
  receipt's time of day for ~35 %, a rounded appointment (08:00, 14:00, 16:30) for ~15 %,
  a date alone for ~10 %;
- 18 real procedures in 13 Vietnamese domains, 60 agencies ('UBND phường …', 'Sở Tư pháp'…),
  levels as values, labels or aliases; channel: ~45 % counter, ~45 % online, ~10 % postal,
  written as values ('online'), labels ('Trực tuyến', 'trực tiếp') or aliases
  ('Dịch vụ công trực tuyến', 'bưu chính công ích'); status: returned, completed, refused,
  withdrawn, processing, received, supplement requested, likewise ('Đã trả kết quả',
  'Đang xử lý', 'Chờ bổ sung', 'Hoàn thành', 'Dừng xử lý' …);
- ~11 % of the rows with supplement_requests (1 or 2; others empty or '0'), ~15 % of the late
  finished rows that carry due_at (2.6 % of all rows) with extended_due_at (an apology and
  re-appointment);
- ~3 % bad rows (--bad-share), each rejected by the reader: impossible or non-ISO dates,
  unknown channel, missing code/domain/status/received_at, a repeated code, finished before
  received, due before received, a finished status without finished_at, an unreadable
  time_limit with no due_at, extended_due_at before due_at."""

# (code, name, domain, level, time-limit wording, weight)
PROCEDURES = (
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", "commune", "Trong ngày", 14),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", "commune", "Trong ngày", 5),
    (
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Hộ tịch",
        "commune",
        "03 ngày làm việc",
        8,
    ),
    ("1.004884", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", "commune", "04 giờ làm việc", 6),
    ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", "commune", "Trong ngày", 16),
    (
        "2.001035",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực",
        "commune",
        "02 ngày làm việc",
        5,
    ),
    (
        "1.004227",
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Đất đai",
        "province",
        "10 ngày làm việc",
        6,
    ),
    (
        "1.013978",
        "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu",
        "Đất đai",
        "province",
        "20 ngày làm việc",
        3,
    ),
    (
        "1.009994",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "Hoạt động xây dựng",
        "commune",
        "15 ngày",
        3,
    ),
    (
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng",
        "Bảo trợ xã hội",
        "commune",
        "10 ngay lam viec",
        4,
    ),
    (
        "1.010805",
        "Đăng ký thành lập hộ kinh doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        "commune",
        "03 ngày làm việc",
        5,
    ),
    ("2.002165", "Cấp Phiếu lý lịch tư pháp", "Lý lịch tư pháp", "province", "10 ngày", 4),
    (
        "1.003608",
        "Giải quyết chế độ trợ cấp một lần đối với người có công",
        "Người có công",
        "province",
        "05 ngày làm việc",
        3,
    ),
    ("1.002809", "Cấp đổi giấy phép lái xe", "Đường bộ", "province", "05 ngày làm việc", 6),
    (
        "2.002481",
        "Giải quyết khiếu nại lần đầu",
        "Giải quyết khiếu nại",
        "province",
        "01 tháng",
        1,
    ),
    ("1.006391", "Đăng ký thường trú", "Đăng ký, quản lý cư trú", "commune", "07 ngày", 6),
    (
        "2.001159",
        "Cấp giấy phép lao động cho người nước ngoài",
        "Việc làm",
        "province",
        "05 ngày làm việc",
        2,
    ),
    ("1.001009", "Xét tặng Giấy khen", "Thi đua – Khen thưởng", "commune", "20 ngay lam viec", 1),
)
PROCEDURE_WEIGHTS = [p[5] for p in PROCEDURES]
LEVEL_SPELLINGS = {
    "commune": ("commune", "Cấp Xã", "Cấp Xã", "xã"),
    "province": ("province", "Cấp Tỉnh", "Cấp Tỉnh", "tỉnh"),
}
WORDING_VARIANTS = {
    "05 ngày làm việc": ("05 ngay lam viec", "5 ngày làm việc"),
    "03 ngày làm việc": ("03 ngay lam viec", "3 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"),
    "Trong ngày": ("trong ngay", "Trong ngày làm việc"),
    "10 ngày làm việc": ("10 ngay lam viec",),
    "02 ngày làm việc": ("02 ngay lam viec",),
    "04 giờ làm việc": ("04 gio lam viec",),
    "20 ngày làm việc": ("20 ngay lam viec",),
    "03 ngày": ("03 ngay",),
    "01 tháng": ("01 thang",),
}
COMMUNES = (
    "Phường Bến Nghé",
    "Phường Hải Châu",
    "Xã Tân Thới Nhì",
    "Phường Đống Đa",
    "Xã Yên Thường",
    "Phường Thanh Khê",
    "Xã Bình Chánh",
    "Phường Hòa Cường",
    "Xã Quảng Phú",
    "Phường Vĩnh Hưng",
)
AGENCIES = tuple(
    [f"UBND {c}" for c in COMMUNES]
    + [f"UBND xã số {i:02d}" for i in range(1, 41)]
    + [
        "Sở Tư pháp",
        "Sở Nông nghiệp và Môi trường",
        "Văn phòng Đăng ký đất đai",
        "Sở Xây dựng",
        "Sở Nội vụ",
        "Công an tỉnh",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "Sở Y tế",
        "Sở Công Thương",
        "Sở Tài chính",
    ]
)
STATUS_SPELLINGS = {
    "returned": ("returned", "Đã trả kết quả", "Đã trả kết quả", "đã trả kết quả"),
    "completed": ("completed", "Đã giải quyết", "Hoàn thành"),
    "refused": ("refused", "Từ chối", "Từ chối giải quyết"),
    "withdrawn": ("withdrawn", "Rút hồ sơ", "Dừng xử lý"),
    "processing": ("processing", "Đang xử lý", "Đang xử lý", "đang giải quyết"),
    "received": ("received", "Mới tiếp nhận", "Đã tiếp nhận"),
    "supplement_requested": ("supplement_requested", "Chờ bổ sung", "Yêu cầu bổ sung"),
}
CHANNEL_SPELLINGS = {
    "direct": ("direct", "Trực tiếp", "trực tiếp", "Trực tiếp"),
    "online": ("online", "Trực tuyến", "trực tuyến", "Trực tuyến", "Dịch vụ công trực tuyến"),
    "postal": ("postal", "Bưu chính", "bưu chính công ích"),
}
# (offset minutes or None for naive, "Z" for UTC, weight)
OFFSETS = ((420, 55), (None, 25), ("Z", 12), (0, 3), (480, 4), (-300, 1))
UTC7 = dt.timedelta(hours=7)

PERIOD_START = dt.datetime(2024, 1, 1)
PERIOD_END = dt.datetime(2024, 4, 1)
EXPORT_AT = dt.datetime(2024, 4, 5, 18, 0)
FIRST_RECEIPT = dt.datetime(2023, 7, 1)


def _calendar() -> tthc.WorkingCalendar:
    cal = tthc.WorkingCalendar.vietnam()
    return cal


class _Writer:
    """Writes instants in one of the export habits."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        offsets = [o for o, _ in OFFSETS]
        weights = [w for _, w in OFFSETS]
        self.habits = {
            agency: (rng.choices(offsets, weights)[0], "T" if rng.random() < 0.7 else " ")
            for agency in AGENCIES
        }
        self.offsets, self.weights = offsets, weights

    def instant(self, local: dt.datetime, agency: str) -> str:
        rng = self.rng
        offset, sep = self.habits[agency]
        if rng.random() < 0.3:
            offset = rng.choices(self.offsets, self.weights)[0]
            sep = "T" if rng.random() < 0.7 else " "
        if offset is None:
            when, suffix = local, ""
        elif offset == "Z":
            when, suffix = local - UTC7, "Z"
        else:
            assert isinstance(offset, int)
            when = local - UTC7 + dt.timedelta(minutes=offset)
            sign = "+" if offset >= 0 else "-"
            suffix = f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
        text = (
            f"{when.year:04d}-{when.month:02d}-{when.day:02d}{sep}"
            f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"
        )
        if when.microsecond:
            text += f".{when.microsecond:06d}"
        return text + suffix


def _receipt(rng: random.Random, cal: tthc.WorkingCalendar, channel: str) -> dt.datetime:
    """A receipt instant (UTC+7 wall clock, naive) with seconds."""
    r = rng.random()
    if r < 0.22:
        first, days = FIRST_RECEIPT, (PERIOD_START - FIRST_RECEIPT).days
    elif r < 0.95:
        first, days = PERIOD_START, (PERIOD_END - PERIOD_START).days
    else:
        first, days = PERIOD_END, (EXPORT_AT - PERIOD_END).days
    day = first + dt.timedelta(days=rng.randrange(days))
    if channel == "online":
        seconds = rng.randrange(86_400)
    else:
        for _ in range(10):  # counter receipts fall on working days
            if cal.is_working_day(day.date()):
                break
            day += dt.timedelta(days=1)
        seconds = (7 * 3600 + 30 * 60) + rng.randrange(9 * 3600 + 30 * 60)
    when = day + dt.timedelta(seconds=seconds)
    if rng.random() < 0.03:
        when += dt.timedelta(microseconds=rng.randrange(1, 1_000_000))
    return when


def receipt_instants(n: int, seed: int = 14) -> list[dt.datetime]:
    """``n`` receipt instants of the realistic shape (UTC+7, aware, with seconds): the same
    spread over and before the period and the same channel mix (counter receipts in office
    hours on working days, online ones at any hour), without building whole rows."""
    rng = random.Random(seed)
    cal = _calendar()
    out = []
    for _ in range(n):
        r = rng.random()
        channel = "direct" if r < 0.45 else ("online" if r < 0.9 else "postal")
        out.append(_receipt(rng, cal, channel).replace(tzinfo=tthc.VN_TZ))
    return out


def working_day_limits() -> list[int]:
    """The working-day counts of the realistic procedures' time limits (weighted)."""
    out = []
    for p in PROCEDURES:
        limit = tthc.TimeLimit.parse(p[4])
        if limit.unit.value == "working_days":
            out += [limit.value] * p[5]
    return out


def _office(rng: random.Random, when: dt.datetime) -> dt.datetime:
    """Move a finish instant into office hours on its day (most finishes are done at work)."""
    if 7 <= when.hour < 17 or rng.random() < 0.15:
        return when
    return when.replace(hour=rng.randrange(8, 17), minute=rng.randrange(60))


def realistic_rows(
    rows: int, seed: int = 14, bad_share: float = DEFAULT_BAD_SHARE
) -> Iterator[dict[str, str]]:
    """``rows`` dossiers of the realistic shape, as interchange cells (``""`` = empty)."""
    rng = random.Random(seed)
    cal = _calendar()
    writer = _Writer(rng)
    limits = {p[4]: tthc.TimeLimit.parse(p[4]) for p in PROCEDURES}
    vn = tthc.VN_TZ
    sequence: dict[tuple[str, dt.date], int] = {}
    agency_codes = {
        a: f"000.{i // 10:02d}.{i % 100:02d}.H{40 + i % 20}" for i, a in enumerate(AGENCIES)
    }
    recent_codes: list[str] = []
    choices, random_ = rng.choices, rng.random
    for _ in range(rows):
        proc_code, proc_name, domain, level, wording, _w = choices(PROCEDURES, PROCEDURE_WEIGHTS)[0]
        agency = rng.choice(AGENCIES[:50] if level == "commune" else AGENCIES[50:])
        r = random_()
        channel = "direct" if r < 0.45 else ("online" if r < 0.9 else "postal")
        received = _receipt(rng, cal, channel)
        due = tthc.due_at(received.replace(tzinfo=vn), limits[wording]).replace(tzinfo=None)
        # processing: early, near the due date, late, or still open at the export date
        r = random_()
        span = max(due - received, dt.timedelta(minutes=30))
        if r < 0.62:
            finished: dt.datetime | None = received + span * rng.uniform(0.02, 0.9)
        elif r < 0.77:
            finished = received + span * rng.uniform(0.9, 1.0)
        elif r < 0.92:
            finished = (
                due + span * rng.uniform(0.01, 1.5) + dt.timedelta(hours=rng.randrange(1, 48))
            )
        else:
            finished = None
        if finished is not None:
            finished = _office(rng, finished.replace(microsecond=0))
            if finished <= received:
                finished = received + dt.timedelta(seconds=rng.randrange(60, 3600))
            if finished > EXPORT_AT:
                finished = None
        if finished is None:
            r = random_()
            status = (
                "processing" if r < 0.7 else ("received" if r < 0.85 else "supplement_requested")
            )
        else:
            r = random_()
            status = (
                "returned"
                if r < 0.78
                else ("completed" if r < 0.9 else ("refused" if r < 0.95 else "withdrawn"))
            )
        day = received.date()
        n = sequence.get((agency, day), 0) + 1
        sequence[(agency, day)] = n
        code = f"{agency_codes[agency]}-{received:%y%m%d}-{n:04d}"
        # the due cell: empty (time_limit carries it) for ~1/3 of the rows
        r = random_()
        if r < 1 / 3:
            due_text = ""
        else:
            r = random_()
            if r < 0.4:
                due_cell = due
            elif r < 0.75:
                due_cell = dt.datetime.combine(due.date(), received.time())
            elif r < 0.9:
                due_cell = due.replace(hour=rng.choice((8, 14, 16)), minute=0, second=0)
                if due_cell.hour == 16:
                    due_cell = due_cell.replace(minute=30)
            else:
                due_cell = None
            if due_cell is not None and due_cell < received:
                due_cell = due
            due_text = (
                f"{due.date().isoformat()}"
                if due_cell is None
                else writer.instant(due_cell, agency)
            )
            if due_cell is not None:
                due = due_cell
            else:
                due = dt.datetime.combine(due.date(), dt.time(23, 59, 59, 999999))
        wording_text = wording
        variants = WORDING_VARIANTS.get(wording)
        if variants and random_() < 0.2:
            wording_text = rng.choice(variants)
        extended = ""
        if finished is not None and finished > due and due_text and random_() < 0.15:
            extended = writer.instant(
                (due + dt.timedelta(days=rng.randrange(2, 10))).replace(microsecond=0), agency
            )
        r = random_()
        if status == "supplement_requested":
            supplements = "1" if r < 0.8 else "2"
        elif r < 0.08:
            supplements = "1"
        elif r < 0.1:
            supplements = "2"
        else:
            supplements = "" if r < 0.6 else "0"
        row = {
            "code": code,
            "domain": domain,
            "channel": rng.choice(CHANNEL_SPELLINGS[channel]),
            "received_at": writer.instant(received, agency),
            "status": rng.choice(STATUS_SPELLINGS[status]),
            "due_at": due_text,
            "finished_at": writer.instant(finished, agency) if finished else "",
            "agency": agency,
            "procedure_code": proc_code,
            "procedure_name": proc_name,
            "level": rng.choice(LEVEL_SPELLINGS[level]),
            "time_limit": wording_text,
            "extended_due_at": extended,
            "supplement_requests": supplements,
        }
        if random_() < bad_share and recent_codes:
            _spoil(rng, row, recent_codes)
        if len(recent_codes) < 1000:
            recent_codes.append(code)
        else:
            recent_codes[rng.randrange(1000)] = code
        yield row


def _spoil(rng: random.Random, row: dict[str, str], codes: list[str]) -> None:
    """Make ``row`` one of the bad rows real exports carry (the reader rejects it)."""
    kind = rng.randrange(10)
    if kind == 0:
        row["received_at"] = rng.choice(
            ("2024-02-30 09:12:44", "15/02/2024 08:12", "2024-01-15T25:10:00", "2024-13-01")
        )
    elif kind == 1:
        row["channel"] = rng.choice(("fax", "Zalo", "Cổng DVC", "email"))
    elif kind == 2:
        row[rng.choice(("code", "domain", "status", "received_at"))] = ""
    elif kind == 3:
        row["code"] = rng.choice(codes)
    elif kind == 4:
        row["finished_at"] = "2023-06-01T08:00:00+07:00"
        row["status"] = "returned"
    elif kind == 5:
        row["due_at"] = "2023-06-01"
    elif kind == 6:
        row["status"] = "Đã trả kết quả"
        row["finished_at"] = ""
    elif kind == 7:
        row["due_at"] = ""
        row["time_limit"] = rng.choice(("Theo quy định", "không quy định", "05"))
    elif kind == 8:
        row["due_at"] = "2024-03-29T17:00:00+07:00"
        row["extended_due_at"] = "2024-03-20T17:00:00+07:00"
        row["received_at"] = "2024-03-01T08:00:00+07:00"
    else:
        row["received_at"] = rng.choice(("2024/02/15 08:00", "hôm qua", "0000-00-00 00:00:00"))


def repetitive_rows(rows: int, seed: int = 5) -> Iterator[dict[str, str]]:
    """The earlier benchmarks' shape (best case): receipts at whole minutes, every due date at
    17:00:00, one spelling per value, every row with ``due_at``, no bad rows."""
    domains = (
        "Tư pháp – Hộ tịch",
        "Chứng thực",
        "Đất đai",
        "Xây dựng",
        "Bảo trợ xã hội",
        "Người có công",
        "Giáo dục và Đào tạo",
        "Văn hóa",
        "Nội vụ",
        "Thi đua – Khen thưởng",
    )
    procedures = (
        ("1.001193", "Đăng ký khai sinh", "Trong ngày", 0),
        ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "03 ngày làm việc", 3),
        (
            "2.001035",
            "Chứng thực giao dịch liên quan đến quyền sử dụng đất, nhà ở",
            "02 ngày làm việc",
            2,
        ),
        ("1.013978", "Đăng ký đất đai, cấp Giấy chứng nhận lần đầu", "27 ngày làm việc", 27),
        (
            "1.001776",
            "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng",
            "10 ngày làm việc",
            10,
        ),
    )
    statuses_open = ("received", "processing", "supplement_requested", "paused")
    statuses_done = ("completed", "returned", "returned", "returned", "refused", "withdrawn")
    rng = random.Random(seed)
    base = dt.datetime(2023, 10, 1, 7, 30)
    span_minutes = 200 * 24 * 60
    for i in range(rows):
        received = base + dt.timedelta(minutes=rng.randrange(span_minutes))
        code, name, limit, days = rng.choice(procedures)
        due = received.replace(hour=17, minute=0, second=0) + dt.timedelta(
            days=days + days // 5 * 2
        )
        if due < received:
            due += dt.timedelta(days=1)
        finished = ""
        status = rng.choice(statuses_open) if rng.random() < 0.15 else rng.choice(statuses_done)
        if status in statuses_done:
            spent = dt.timedelta(hours=rng.randrange(1, 24 * (days + 3)))
            finished = (received + spent).isoformat(timespec="seconds")
        extended = ""
        if finished and finished > due.isoformat() and rng.random() < 0.5:
            extended = (due + dt.timedelta(days=3)).isoformat(timespec="seconds")
        yield {
            "code": f"000.00.{i % 97:02d}.H40-{received:%y%m%d}-{i:07d}",
            "domain": rng.choice(domains),
            "channel": "online"
            if rng.random() < 0.4
            else rng.choice(("direct", "postal", "trực tiếp")),
            "received_at": received.isoformat(timespec="seconds"),
            "status": status,
            "due_at": due.isoformat(timespec="seconds"),
            "finished_at": finished,
            "agency": f"UBND xã {i % 50:02d}",
            "procedure_code": code,
            "procedure_name": name,
            "level": "commune",
            "time_limit": limit,
            "extended_due_at": extended,
            "supplement_requests": "0" if rng.random() < 0.9 else "1",
        }


def rows_of(
    shape: str, rows: int, bad_share: float = DEFAULT_BAD_SHARE
) -> Iterator[dict[str, str]]:
    """The rows of ``shape`` (``realistic`` or ``repetitive``)."""
    if shape == "realistic":
        return realistic_rows(rows, bad_share=bad_share)
    if shape == "repetitive":
        return repetitive_rows(rows)
    raise ValueError(f"unknown shape {shape!r}; expected one of {SHAPES}")


def write_csv(path: Path, rows: Iterator[dict[str, str]]) -> None:
    """Write interchange CSV (atomically: a temporary file renamed at the end)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COLUMNS)
        for row in rows:
            out.writerow([row[c] for c in COLUMNS])
    tmp.replace(path)


def write_jsonl(path: Path, rows: Iterator[dict[str, str]]) -> None:
    """Write interchange JSON lines (``null`` for empty cells)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            obj = {c: (row[c] or None) for c in COLUMNS}
            handle.write(json.dumps(obj, ensure_ascii=False) + "\n")
    tmp.replace(path)


def data_file(
    rows: int,
    shape: str = "realistic",
    fmt: str = "csv",
    bad_share: float = DEFAULT_BAD_SHARE,
) -> Path:
    """The generated file of ``rows`` rows (generated on first use, then reused)."""
    DATA_DIR.mkdir(exist_ok=True)
    if shape == "repetitive":
        name = f"repetitive_{rows}.{fmt}"
    else:
        name = f"realistic-v{VERSION}_bad{bad_share * 100:g}_{rows}.{fmt}"
    path = DATA_DIR / name
    if not path.exists():
        print(f"generating {path} …", file=sys.stderr)
        data = rows_of(shape, rows, bad_share)
        (write_jsonl if fmt == "jsonl" else write_csv)(path, data)
    return path


def add_shape_arguments(parser: argparse.ArgumentParser) -> None:
    """``--shape`` and ``--bad-share``, common to every benchmark."""
    parser.add_argument(
        "--shape",
        choices=SHAPES,
        default="realistic",
        help="realistic (default) or repetitive (the earlier, best-case data)",
    )
    parser.add_argument(
        "--bad-share",
        type=float,
        default=DEFAULT_BAD_SHARE,
        help="share of bad rows in the realistic shape (default 0.03)",
    )


def describe(shape: str, bad_share: float) -> str:
    """One line naming the data shape, for the benchmarks' output."""
    if shape == "repetitive":
        return "data: repetitive shape (best case: minute receipts, 17:00 due dates, no bad rows)"
    return (
        f"data: realistic shape v{VERSION}, {bad_share:.0%} bad rows (benchmarks/realistic_data.py)"
    )


def loadavg() -> str:
    """The machine's load averages (1, 5, 15 min), as ``/proc/loadavg`` gives them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    """Write (or print) a sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--print", action="store_true", help="print rows instead of a file")
    add_shape_arguments(parser)
    args = parser.parse_args()
    if args.print:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(COLUMNS)
        for row in rows_of(args.shape, args.rows, args.bad_share):
            out.writerow([row[c] for c in COLUMNS])
        return
    print(data_file(args.rows, args.shape, args.format, args.bad_share))


if __name__ == "__main__":
    main()
