"""Streaming report benchmark: time and memory of ``tthc report`` / ``tthc.build_report``.

Targets (issue 14), on the realistic data of ``benchmarks/realistic_data.py`` (the default;
``--shape repetitive`` gives the earlier best-case file):

* **whole process**: ``tthc report FILE --period … --format json -o /dev/null`` takes at most
  3× a whole process doing a bare ``csv.reader`` pass over the same file, at 300,000 and
  1,000,000 rows — the two processes interleaved, median of ``--process-repeat`` runs each;
* **memory**: the streaming report's peak RSS at 3,000,000 rows, duplicate check on (the
  default), at most 150 MB, measured in a fresh process (``build_report``, and the whole
  ``tthc report`` CLI process).

Also printed, for context: the in-process CPU time of ``build_report`` against ``csv.reader``
(the issue 5 comparison), the report with the duplicate check's on-disk tier forced
(``--spill-codes``; asserted to give the same report), and peak RSS at 100k and 1M rows.

    .venv/bin/python benchmarks/bench_report_stream.py                    # everything
    .venv/bin/python benchmarks/bench_report_stream.py --skip inprocess,memory
    .venv/bin/python benchmarks/bench_report_stream.py --shape repetitive # best case

Data are generated (seeded) into ``benchmarks/_data/`` (git-ignored) and reused when present.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import realistic_data
from realistic_data import DEFAULT_BAD_SHARE, PERIOD

import tthc

MB = 1024 * 1024


def data_file(rows: int, shape: str = "realistic", bad_share: float = DEFAULT_BAD_SHARE) -> Path:
    """The generated CSV of ``rows`` rows (``benchmarks/realistic_data.py``)."""
    return realistic_data.data_file(rows, shape, "csv", bad_share)


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


# --------------------------------------------------------------------- whole processes

_CSV_PASS = """
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    for _row in csv.reader(handle):
        pass
"""
"""The baseline process: a bare ``csv.reader`` pass over the file."""

_FLOOR_PASS = """
import csv, datetime as dt, sys
# Tables of the ISO spellings the realistic data use (a day with its separator, HH:MM, :SS,
# the offset); the calendar's own tables play this part in tthc.
days = {}
for n in range(1200):
    day = dt.date(2023, 6, 1) + dt.timedelta(n)
    for sep in "T ":
        days[day.isoformat() + sep] = n * 86400
    days[day.isoformat()] = n * 86400 + 86399  # a date alone: the end of that day
minutes = {f"{h:02d}:{m:02d}": (h * 60 + m) * 60 for h in range(24) for m in range(60)}
seconds = {f":{s:02d}": s for s in range(60)}
minutes[""] = seconds[""] = 0
offsets = {"": 0, "Z": 25200}
for q in range(-48, 57):
    sign, h, m = "-" if q < 0 else "+", abs(q) // 4, abs(q) % 4 * 15
    offsets[f"{sign}{h:02d}:{m:02d}"] = 25200 - q * 900
dg, mg, sg, og = days.get, minutes.get, seconds.get, offsets.get
start, end = days["2024-01-01T"], days["2024-04-01T"]
seen, counts, skipped = set(), {}, 0
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    rows = csv.reader(handle)
    next(rows)
    for row in rows:
        try:
            code, domain, channel, received, status, due, finished, *_ = row
            if code in seen:
                skipped += 1
                continue
            seen.add(code)
            r = dg(received[:11]) + mg(received[11:16]) + sg(received[16:19]) + og(received[19:])
            if not start <= r < end:
                continue
            d = dg(due[:11]) + mg(due[11:16]) + sg(due[16:19]) + og(due[19:]) if due else r + 432000
            if finished:
                f = dg(finished[:11]) + mg(finished[11:16]) + sg(finished[16:19]) + og(finished[19:])
                key = (domain, channel, status, f <= d)
            else:
                key = (domain, channel, status, None)
            counts[key] = counts.get(key, 0) + 1
        except (TypeError, ValueError):
            skipped += 1
print(sum(counts.values()), skipped)
"""
"""The floor: the fewest operations a Python row loop over this file can do and still count
something like Biểu 06, with no ``tthc`` at all. Per row it unpacks the cells, checks the code
against a set, reads up to three instants through day, minute, second and offset tables (a
row with any other spelling, such as fractional seconds or dd/mm/yyyy, about 4 % of these
rows, is skipped, not read), checks the period and adds one to a count. It leaves out
everything else a report must do: due dates from ``time_limit`` (it adds five days), working
time, labels in other spellings, the checks and messages of a rejected row, the other
columns, and the import of ``tthc`` and its calendar. Its time is a lower bound for any
pure-Python streaming report of these rows."""


def cli_arguments(path: Path) -> list[str]:
    """``report FILE --period … --format json -o /dev/null``."""
    return ["report", str(path), "--period", PERIOD, "--format", "json", "-o", os.devnull]


def cli_command(path: Path) -> list[str]:
    """``tthc report FILE --period … --format json -o /dev/null`` (the installed script)."""
    script = Path(sys.executable).with_name("tthc")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "tthc"]
    return [*head, *cli_arguments(path)]


CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The children's environment: with bytecode caches, as an installed package runs (with
``PYTHONDONTWRITEBYTECODE`` set, every ``tthc`` start-up would compile its sources again, about
0.08 s, while the standard library and the dependencies ship compiled)."""


def run_process(command: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, of the child) of one whole process."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CHILD_ENV
    )
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode not in ok:
        raise SystemExit(f"{command[:3]} … exited with {done.returncode}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def whole_process(path: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """``repeat`` interleaved runs of the ``tthc report`` process, of the bare ``csv.reader``
    process and of the floor (:data:`_FLOOR_PASS`; the order alternates every round). Exit
    status 1 (rows rejected, report written) is expected on data with bad rows."""
    runs: dict[str, list[tuple[float, float]]] = {"tthc report": [], "csv.reader": [], "floor": []}
    commands = {
        "tthc report": (cli_command(path), (0, 1)),
        "csv.reader": ([sys.executable, "-c", _CSV_PASS, str(path)], (0,)),
        "floor": ([sys.executable, "-c", _FLOOR_PASS, str(path)], (0,)),
    }
    names = list(commands)
    run_process(*commands["tthc report"])  # warm-up: bytecode caches written, file cached
    for round_ in range(repeat):
        for name in names if round_ % 2 == 0 else names[::-1]:
            command, ok = commands[name]
            runs[name].append(run_process(command, ok))
    return runs


def print_whole_process(rows: int, path: Path, repeat: int) -> float:
    """Run and print the whole-process comparison; return the ratio of the medians (wall)."""
    runs = whole_process(path, repeat)
    wall = {name: statistics.median(w for w, _ in r) for name, r in runs.items()}
    cpu = {name: statistics.median(c for _, c in r) for name, r in runs.items()}
    per_round = [t[0] / c[0] for t, c in zip(runs["tthc report"], runs["csv.reader"], strict=True)]
    ratio = wall["tthc report"] / wall["csv.reader"]
    print(
        f"  {rows:>9,} rows ({path.stat().st_size / MB:.0f} MB): tthc report "
        f"{wall['tthc report']:6.2f} s wall / {cpu['tthc report']:6.2f} s CPU; csv.reader "
        f"{wall['csv.reader']:5.2f} s / {cpu['csv.reader']:5.2f} s; ratio of medians "
        f"{ratio:5.2f}× wall, {cpu['tthc report'] / cpu['csv.reader']:5.2f}× CPU "
        f"(per round {min(per_round):.2f}–{max(per_round):.2f}×; target ≤ 3×: "
        f"{'met' if ratio <= 3 else 'NOT met'})"
    )
    floor = wall["floor"] / wall["csv.reader"]
    print(
        f"  {'':>9}       floor (no tthc, fewest operations a row can take) "
        f"{wall['floor']:5.2f} s wall / {cpu['floor']:5.2f} s CPU: {floor:4.2f}× csv.reader, "
        f"leaving {max(3 - floor, 0):4.2f}× of the 3× for everything else; tthc report = "
        f"{wall['tthc report'] / wall['floor']:4.2f}× the floor"
    )
    return ratio


# --------------------------------------------------------------------- memory

_CHILD = """
import json, resource, sys
import tthc
if sys.argv[1] != "-":
    check = tthc.report.DuplicateCheck(codes_in_memory=int(sys.argv[2]))
    report = tthc.build_report(sys.argv[1], "{period}", check_duplicates=check)
    rows = report.rows_read
else:
    import tthc.report  # what a report imports, without building one
    rows = 0
print(json.dumps({{"rows": rows, "maxrss_kb": {peak}}}))
"""

_CLI_CHILD = """
import json, sys
from tthc.cli import main
status = main(sys.argv[1:])
print(json.dumps({{"status": status, "maxrss_kb": {peak}}}), file=sys.__stderr__)
"""

_PEAK = """(lambda: next((int(l.split()[1]) for l in open("/proc/self/status")
    if l.startswith("VmHWM:")), None) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)()"""
"""VmHWM (Linux) is the peak RSS of this program; ``ru_maxrss`` would also count the parent's
pages shared between fork and exec (used only where ``/proc`` has no VmHWM)."""


def peak_rss_mb(
    path: Path | None, codes_in_memory: int = tthc.report.DuplicateCheck().codes_in_memory
) -> float:
    """Peak RSS (MB) of a fresh interpreter that builds the report (``None``: import only)."""
    code = _CHILD.format(period=PERIOD, peak=_PEAK)
    out = subprocess.run(
        [sys.executable, "-c", code, str(path) if path else "-", str(codes_in_memory)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(json.loads(out.stdout)["maxrss_kb"]) / 1024


def cli_peak_rss_mb(path: Path) -> float:
    """Peak RSS (MB) of a fresh ``tthc report`` process (the CLI, JSON to /dev/null)."""
    code = "import resource\n" + _CLI_CHILD.format(peak=_PEAK)
    out = subprocess.run(
        [sys.executable, "-c", code, *cli_arguments(path)],
        capture_output=True,
        text=True,
    )
    last = out.stderr.strip().splitlines()[-1]
    result = json.loads(last)
    if result["status"] not in (0, 1):
        raise SystemExit(f"tthc report exited with {result['status']}: {out.stderr[-500:]}")
    return float(result["maxrss_kb"]) / 1024


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
    parser.add_argument("--repeat", type=int, default=3, help="in-process rounds")
    parser.add_argument(
        "--process-rows",
        default="300000,1000000",
        help="row counts of the whole-process comparison (comma-separated)",
    )
    parser.add_argument("--process-repeat", type=int, default=5, help="whole-process rounds")
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to skip: inprocess, process, memory",
    )
    realistic_data.add_shape_arguments(parser)
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    print(realistic_data.describe(args.shape, args.bad_share))
    print(f"load average before: {realistic_data.loadavg()}")
    if "process" not in skip:
        print(
            f"whole processes, median of {args.process_repeat} interleaved runs: "
            "`tthc report FILE --period … --format json -o /dev/null` vs "
            "`python -c <bare csv.reader pass>`"
        )
        for rows in (int(r) for r in args.process_rows.split(",")):
            print_whole_process(
                rows, data_file(rows, args.shape, args.bad_share), args.process_repeat
            )
    if "inprocess" not in skip:
        big = data_file(args.rows, args.shape, args.bad_share)
        print(f"in-process: {big.name}, {big.stat().st_size / MB:.0f} MB, {args.rows:,} rows")
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
        parse, build = statistics.median(parse_times), statistics.median(report_times)
        spill = statistics.median(spill_times)
        print(f"CPU time (time.process_time), median of {args.repeat} interleaved runs:")
        print(f"csv.reader parse only : {parse:6.2f} s  ({parse / args.rows * 1e6:.2f} µs/row)")
        print(f"tthc.build_report     : {build:6.2f} s  ({build / args.rows * 1e6:.2f} µs/row)")
        print(
            f"ratio report/parse    : {build / parse:6.2f}×  (best runs: "
            f"{min(report_times) / min(parse_times):.2f}×)"
        )
        print(
            f"same, codes on disk after {args.spill_codes:,}: {spill:6.2f} s  "
            f"({spill / build:.2f}× the default; same report)"
        )
        t = report.totals
        print(
            f"rows read {report.rows_read:,}, counted {report.rows_counted:,}, outside "
            f"{report.rows_outside_period:,}, rejected {report.rows_rejected:,}; "
            f"received {t.received_total:,}, resolved {t.resolved_total:,}, "
            f"pending {t.pending_total:,}"
        )
    if "memory" not in skip:
        small = data_file(args.small_rows, args.shape, args.bad_share)
        big = data_file(args.rows, args.shape, args.bad_share)
        huge = data_file(args.huge_rows, args.shape, args.bad_share)
        base = peak_rss_mb(None)
        print("peak RSS (VmHWM) of a fresh process, duplicate check on (the default):")
        print(f"  import tthc.report only : {base:6.1f} MB")
        peaks = {}
        for rows, path in ((args.small_rows, small), (args.rows, big), (args.huge_rows, huge)):
            peaks[rows] = peak_rss_mb(path)
            print(f"  build_report {rows:>11,} rows: {peaks[rows]:6.1f} MB")
        low = peak_rss_mb(huge, args.spill_codes)
        print(
            f"  build_report {args.huge_rows:>11,} rows, codes_in_memory={args.spill_codes:,}: "
            f"{low:6.1f} MB"
        )
        cli = cli_peak_rss_mb(huge)
        print(
            f"  tthc report  {args.huge_rows:>11,} rows (whole CLI process): {cli:6.1f} MB  "
            f"(target ≤ 150 MB: {'met' if max(cli, peaks[args.huge_rows]) <= 150 else 'NOT met'})"
        )
        print(
            f"growth {args.rows:,} → {args.huge_rows:,} rows: "
            f"{peaks[args.huge_rows] - peaks[args.rows]:+.1f} MB"
        )
    print(f"load average after: {realistic_data.loadavg()}")


if __name__ == "__main__":
    main()
