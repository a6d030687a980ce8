"""Streaming report benchmark: time and memory of ``tthc.build_report`` on a big CSV.

Targets (issue 5): on a generated 1,000,000-row interchange CSV the streaming report takes at
most 3× the time of merely parsing that CSV with ``csv.reader``, measured in the same run; and
the report's peak RSS stays under 150 MB, flat in the row count (100k, 1M and 3M rows, with the
duplicate-code check on, as by default), each measured in a fresh subprocess. It also times the
report with the duplicate check's on-disk tier forced (``codes_in_memory`` well below the row
count) against the default, in the same run.

    .venv/bin/python benchmarks/bench_report_stream.py            # 1M rows (and 3M for memory)
    .venv/bin/python benchmarks/bench_report_stream.py --rows 200000 --huge-rows 600000

Data are generated (seeded) into ``benchmarks/_data/`` (git-ignored) and reused when present.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import tthc

DATA_DIR = Path(__file__).resolve().parent / "_data"
SEED = 5
PERIOD = "2024-Q1"
DOMAINS = (
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
PROCEDURES = (
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
STATUSES_OPEN = ("received", "processing", "supplement_requested", "paused")
STATUSES_DONE = ("completed", "returned", "returned", "returned", "refused", "withdrawn")
MB = 1024 * 1024


def generate(path: Path, rows: int) -> None:
    """Write a seeded interchange CSV of ``rows`` dossiers (Oct 2023 – Apr 2024)."""
    rng = random.Random(SEED)
    base = dt.datetime(2023, 10, 1, 7, 30)
    span_minutes = 200 * 24 * 60
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(tthc.report.DossierRecord._fields[:-1])
        for i in range(rows):
            received = base + dt.timedelta(minutes=rng.randrange(span_minutes))
            code, name, limit, days = rng.choice(PROCEDURES)
            due = received.replace(hour=17, minute=0, second=0) + dt.timedelta(
                days=days + days // 5 * 2
            )
            if due < received:
                due += dt.timedelta(days=1)
            finished = ""
            status = rng.choice(STATUSES_OPEN) if rng.random() < 0.15 else rng.choice(STATUSES_DONE)
            if status in STATUSES_DONE:
                spent = dt.timedelta(hours=rng.randrange(1, 24 * (days + 3)))
                finished = (received + spent).isoformat(timespec="seconds")
            extended = ""
            if finished and finished > due.isoformat() and rng.random() < 0.5:
                extended = (due + dt.timedelta(days=3)).isoformat(timespec="seconds")
            writer.writerow(
                (
                    f"000.00.{i % 97:02d}.H40-{received:%y%m%d}-{i:07d}",
                    rng.choice(DOMAINS),
                    "online"
                    if rng.random() < 0.4
                    else rng.choice(("direct", "postal", "trực tiếp")),
                    received.isoformat(timespec="seconds"),
                    status,
                    due.isoformat(timespec="seconds"),
                    finished,
                    f"UBND xã {i % 50:02d}",
                    code,
                    name,
                    "commune",
                    limit,
                    extended,
                    "0" if rng.random() < 0.9 else "1",
                )
            )
    tmp.replace(path)


def data_file(rows: int) -> Path:
    """The generated file for ``rows`` rows (generated on first use)."""
    DATA_DIR.mkdir(exist_ok=True)
    path = DATA_DIR / f"dossiers_{rows}.csv"
    if not path.exists():
        print(f"generating {path} …", file=sys.stderr)
        generate(path, rows)
    return path


def time_csv_reader(path: Path) -> float:
    """CPU seconds to merely parse the file with ``csv.reader``."""
    start = time.process_time()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for _row in csv.reader(handle):
            pass
    return time.process_time() - start


def time_report(path: Path, codes_in_memory: int | None = None) -> tuple[float, tthc.Report]:
    """CPU seconds to build the streaming report of the file, and the report (``codes_in_memory``
    set: the duplicate check keeps only that many codes in memory, the rest on disk)."""
    check: bool | tthc.report.DuplicateCheck = True
    if codes_in_memory is not None:
        check = tthc.report.DuplicateCheck(codes_in_memory=codes_in_memory)
    start = time.process_time()
    report = tthc.build_report(path, PERIOD, group_by=("domain",), check_duplicates=check)
    return time.process_time() - start, report


_CHILD = """
import json, resource, sys
import tthc
if sys.argv[1] != "-":
    check = tthc.report.DuplicateCheck(codes_in_memory=int(sys.argv[2]))
    report = tthc.build_report(sys.argv[1], "{period}", check_duplicates=check)
    rows = report.rows_read
else:
    rows = 0
# VmHWM (Linux) is the peak RSS of this program; ru_maxrss would also count the parent's
# pages shared between fork and exec.
peak = None
try:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
except OSError:
    pass
if peak is None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"rows": rows, "maxrss_kb": peak}}))
"""


def peak_rss_mb(
    path: Path | None, codes_in_memory: int = tthc.report.DuplicateCheck().codes_in_memory
) -> float:
    """Peak RSS (MB) of a fresh interpreter that builds the report (``None``: import only)."""
    code = _CHILD.format(period=PERIOD)
    out = subprocess.run(
        [sys.executable, "-c", code, str(path) if path else "-", str(codes_in_memory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(json.loads(out.stdout)["maxrss_kb"]) / 1024


def main() -> None:
    """Run the benchmark and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small-rows", type=int, default=100_000)
    parser.add_argument(
        "--huge-rows", type=int, default=3_000_000, help="rows of the memory-only check"
    )
    parser.add_argument(
        "--spill-codes",
        type=int,
        default=100_000,
        help="codes_in_memory of the run that forces the duplicate check's on-disk tier",
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    big = data_file(args.rows)
    small = data_file(args.small_rows)
    huge = data_file(args.huge_rows)
    print(f"file: {big.name}, {big.stat().st_size / MB:.0f} MB, {args.rows:,} rows")
    parse_times, report_times, spill_times = [], [], []
    report = spilled = None
    for _ in range(args.repeat):
        parse_times.append(time_csv_reader(big))
        seconds, report = time_report(big)
        report_times.append(seconds)
        seconds, spilled = time_report(big, args.spill_codes)
        spill_times.append(seconds)
    assert report is not None
    assert spilled is not None
    assert spilled == report, "the on-disk duplicate tier changed the report"
    parse, build, spill = min(parse_times), min(report_times), min(spill_times)
    print("CPU time (time.process_time), best of", args.repeat, "interleaved runs:")
    print(f"csv.reader parse only : {parse:6.2f} s  ({parse / args.rows * 1e6:.2f} µs/row)")
    print(f"tthc.build_report     : {build:6.2f} s  ({build / args.rows * 1e6:.2f} µs/row)")
    print(f"ratio report/parse    : {build / parse:6.2f}×  (target ≤ 3×)")
    print(
        f"same, codes on disk after {args.spill_codes:,}: {spill:6.2f} s  "
        f"({spill / build:.2f}× the default; same report)"
    )
    t = report.totals
    print(
        f"rows read {report.rows_read:,}, counted {report.rows_counted:,}, outside "
        f"{report.rows_outside_period:,}, rejected {report.rows_rejected:,}; "
        f"received {t.received_total:,}, resolved {t.resolved_total:,}, pending {t.pending_total:,}"
    )
    base = peak_rss_mb(None)
    print("peak RSS (VmHWM) of a fresh process, duplicate check on (the default):")
    print(f"  import tthc only        : {base:6.1f} MB")
    peaks = {}
    for rows, path in ((args.small_rows, small), (args.rows, big), (args.huge_rows, huge)):
        peaks[rows] = peak_rss_mb(path)
        print(f"  report {rows:>11,} rows: {peaks[rows]:6.1f} MB  (target < 150 MB)")
    low = peak_rss_mb(huge, args.spill_codes)
    print(
        f"  report {args.huge_rows:>11,} rows, codes_in_memory={args.spill_codes:,}: {low:6.1f} MB"
    )
    print(
        f"growth {args.rows:,} → {args.huge_rows:,} rows: "
        f"{peaks[args.huge_rows] - peaks[args.rows]:+.1f} MB"
    )


if __name__ == "__main__":
    main()
