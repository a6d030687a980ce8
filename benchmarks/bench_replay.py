"""Benchmark: ``tthc dossier replay`` as a whole process, on realistic stored timelines.

Targets (issue 14, "Bounded memory"): at 1,000,000 events (250,000 dossiers) the command's
peak RSS is at most 250 MB and it replays at least 100,000 events per second *through the
process* (start-up, reading, JSON parsing, validation, replay, timeliness and writing the
output all included), on three orders of the same lines: grouped by dossier (the usual export),
interleaved in time order (an event log: each dossier waits in memory until its last line), and
scattered (each dossier's lines spread at random over the whole file, in their order: the worst
case, where most of the file goes through the external sort).

In the same run, for comparison: a bare Python process that only reads the file and
``json.loads`` every line (what any JSON-lines reader pays), a process that only imports
``tthc``, and two floors of a replay on the grouped file: one reads every line, keeps each
dossier's (kind, instant) pairs converted to UTC+7 and writes one JSON line per dossier, with
no rules, deadlines or timeliness; the other does the same and validates every event with the
event model (``tthc.models.DossierEvent``), as a replay must. What a replay may spend on its
rules, deadlines and timeliness within the target is the target's time minus the second floor.

The data look like real exports: distinct second-resolution instants over 2024-2025, mixed
offsets (``+07:00``, ``Z``, ``+00:00``) and naive values (with ``T`` or a space), the event mix
of a one-stop office (receipt; inter-agency transfers; supplement requests and restarts; pauses;
re-appointments; completion and return; refusals; withdrawals; dossiers still open),
Vietnamese names, agencies, notes and reasons, a header line per dossier with its time limit,
and a few percent of dossiers with a bad event (events out of time order, a forbidden event, an
unknown kind, an impossible date, a truncated line, a re-appointment without its new date, an
instant beyond year 9999). The script checks that the command rejects exactly those dossiers
and replays all the others.

    .venv/bin/python benchmarks/bench_replay.py                    # 1,000,000 events
    .venv/bin/python benchmarks/bench_replay.py --events 200000    # quicker

Data are generated (seeded) into ``benchmarks/_data/`` (git-ignored) and reused when present.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import itertools
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "_data"
SEED = 14
MB = 1024 * 1024
AS_OF = "2026-01-01T00:00:00+07:00"

RSS_TARGET_MB = 250.0
RATE_TARGET = 100_000.0

AGENCY_IDS = ("000.17.22.H56", "000.00.17.H40", "000.20.31.H29", "000.04.15.H01", "H56.22")
LIMITS = (
    "Trong ngày",
    "01 ngày làm việc",
    "03 ngày làm việc",
    "05 ngày làm việc",
    "10 ngày làm việc",
    "15 ngày làm việc",
    "27 ngày làm việc",
    "04 giờ làm việc",
    "10 ngày",
    "30 ngày",
)
ACTORS = (
    "Nguyễn Thị Hương",
    "Trần Văn Đức",
    "Lê Thị Thu Hà",
    "Phạm Quốc Khánh",
    "Hoàng Minh Tuấn",
    "Võ Thị Ngọc Ánh",
    "Đặng Văn Lợi",
    "Bùi Thị Phượng",
)
AGENCIES = (
    "Bộ phận Một cửa UBND phường Nghi Hương",
    "Công chức Tư pháp - Hộ tịch",
    "Công chức Địa chính - Xây dựng",
    "Phòng Tài nguyên và Môi trường",
    "Văn phòng Đăng ký đất đai chi nhánh Cửa Lò",
    "Chi cục Thuế khu vực Cửa Lò - Nghi Lộc",
    "Lãnh đạo UBND phường",
    "Phòng Lao động - Thương binh và Xã hội",
)
SUPPLEMENT_REASONS = (
    "Thiếu bản sao Giấy khai sinh có chứng thực",
    "Tờ khai chưa ghi đủ thông tin người yêu cầu",
    "Chữ ký trên đơn không khớp với CCCD",
    "Thiếu sơ đồ thửa đất, trích đo địa chính",
    "Bản vẽ thiết kế chưa có chữ ký của chủ đầu tư",
)
REFUSAL_REASONS = (
    "Hồ sơ không thuộc thẩm quyền giải quyết của UBND phường",
    "Thửa đất đang có tranh chấp, chưa đủ điều kiện cấp Giấy chứng nhận",
    "Người yêu cầu không đủ điều kiện hưởng trợ cấp theo quy định",
)
NOTES = (
    "Chờ thực hiện nghĩa vụ tài chính",
    "Cần xác minh thêm thông tin tại địa phương",
    "Tạm dừng theo đề nghị của người nộp hồ sơ",
    "Đã liên hệ qua điện thoại",
)
# (weight, shape); "T" is one or more transfers, "T?" at most one. Average ≈ 4 events.
SHAPES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (34, ("received", "completed", "result_returned")),
    (18, ("received", "T", "completed", "result_returned")),
    (9, ("received", "supplement_requested", "supplement_received", "T?", "completed", "result_returned")),
    (2, ("received", "supplement_requested", "supplement_received", "supplement_requested",
         "supplement_received", "completed", "result_returned")),
    (3, ("received", "supplement_requested")),
    (5, ("received", "T", "paused", "resumed", "completed", "result_returned")),
    (4, ("received", "T", "reappointed", "completed", "result_returned")),
    (4, ("received", "T?", "refused")),
    (3, ("received", "supplement_requested", "withdrawn")),
    (2, ("received", "T?", "withdrawn")),
    (10, ("received", "T")),
    (3, ("received", "T", "completed")),
    (3, ("received",)),
)  # fmt: skip
SHAPE_WEIGHTS = [w for w, _ in SHAPES]
BAD_SHARE = 0.03
BAD_KINDS = (
    "out_of_order",
    "forbidden",
    "unknown_kind",
    "impossible_date",
    "truncated",
    "reappointed_without_date",
    "beyond_9999",
)


def _instant_text(at: dt.datetime, rng: random.Random) -> str:
    """``at`` (UTC+7 wall clock, naive) as an export would write it: mixed shapes."""
    r = rng.random()
    if r < 0.40:
        return at.strftime("%Y-%m-%dT%H:%M:%S")
    if r < 0.50:
        return at.strftime("%Y-%m-%d %H:%M:%S")
    if r < 0.80:
        return at.strftime("%Y-%m-%dT%H:%M:%S+07:00")
    utc = at - dt.timedelta(hours=7)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ" if r < 0.92 else "%Y-%m-%dT%H:%M:%S+00:00")


def _next_instant(at: dt.datetime, rng: random.Random) -> dt.datetime:
    """A later instant in office hours (07:30-17:00, Monday-Saturday), whole seconds."""
    step = dt.timedelta(seconds=rng.randrange(20 * 60, 3 * 24 * 3600))
    t = at + step
    if t.weekday() == 6:
        t += dt.timedelta(days=1)
    if not dt.time(7, 30) <= t.time() <= dt.time(17, 0):
        t = t.replace(hour=rng.randrange(8, 16), minute=rng.randrange(60), second=rng.randrange(60))
        if t <= at:
            t += dt.timedelta(days=1)
    return t


def _timeline(
    i: int, rng: random.Random
) -> tuple[str, str, list[tuple[dt.datetime, dict[str, object]]]]:
    """One dossier: code, time limit, events as (instant, JSON object)."""
    day = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(700))
    if day.weekday() == 6:
        day += dt.timedelta(days=1)
    at = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(seconds=rng.randrange(34200))
    # Decree 118/2025 codes (agency-yymmdd-sequence), unique: the sequence is the dossier's number.
    code = f"{AGENCY_IDS[i % len(AGENCY_IDS)]}-{day:%y%m%d}-{i:07d}"
    limit = rng.choice(LIMITS)
    (shape,) = rng.choices([s for _, s in SHAPES], SHAPE_WEIGHTS)
    kinds: list[str] = []
    for k in shape:
        if k == "T":
            kinds.extend(["transferred"] * rng.randint(1, 3))
        elif k == "T?":
            kinds.extend(["transferred"] * rng.randint(0, 1))
        else:
            kinds.append(k)
    events: list[tuple[dt.datetime, dict[str, object]]] = []
    for kind in kinds:
        ev: dict[str, object] = {"dossier": code, "kind": kind}
        if kind == "reappointed":
            # well after any limit of the data (30 days): the new date is after the due date
            ev["new_due_at"] = _instant_text(at + dt.timedelta(days=rng.randint(45, 60)), rng)
            ev["note"] = rng.choice(NOTES)
        elif kind == "transferred":
            ev["agency"] = rng.choice(AGENCIES)
        elif kind == "supplement_requested":
            ev["reasons"] = rng.sample(SUPPLEMENT_REASONS, rng.randint(1, 2))
        elif kind == "refused":
            ev["reasons"] = [rng.choice(REFUSAL_REASONS)]
        elif kind == "paused":
            ev["note"] = rng.choice(NOTES)
        if rng.random() < 0.6:
            ev["actor"] = rng.choice(ACTORS)
        if kind == "received":
            ev["agency"] = AGENCIES[0]
        events.append((at, ev))
        at = _next_instant(at, rng)
    for when, ev in events:
        ev["at"] = _instant_text(when, rng)
    return code, limit, events


def _spoil(
    events: list[tuple[dt.datetime, dict[str, object]]], rng: random.Random
) -> tuple[str, int]:
    """Make one event of the timeline bad; return the kind of damage and the event index
    (a truncated line is marked with ``"__truncate__"``)."""
    kind = rng.choice(BAD_KINDS)
    i = rng.randrange(len(events))
    at, ev = events[i]
    if kind == "out_of_order" and len(events) > 1:
        i = max(i, 1)
        at, ev = events[i]
        ev["at"] = _instant_text(events[0][0] - dt.timedelta(hours=rng.randint(1, 48)), rng)
    elif kind in ("out_of_order", "forbidden"):
        kind = "forbidden"
        # a second receipt is never allowed; a first event other than the receipt neither
        ev["kind"] = "received" if i else "completed"
        ev.pop("new_due_at", None)
    elif kind == "unknown_kind":
        ev["kind"] = "da_tra_ket_qua"
    elif kind == "impossible_date":
        ev["at"] = f"{at:%Y}-02-30T{at:%H:%M:%S}"
    elif kind == "truncated":
        ev["__truncate__"] = True
    elif kind == "reappointed_without_date":
        ev["kind"] = "reappointed"
        ev.pop("new_due_at", None)
    else:  # beyond_9999
        ev["at"] = "9999-12-31T23:00:00+00:00"
    return kind, i


def _line(ev: dict[str, object]) -> str:
    if ev.pop("__truncate__", False):
        text = json.dumps(ev, ensure_ascii=False)
        return text[: len(text) // 2]
    return json.dumps(ev, ensure_ascii=False)


def generate(n_events: int, grouped: Path, interleaved: Path, expected: Path) -> None:
    """Write the grouped file, the time-ordered interleaved file (same lines, each dossier's
    events in the same relative order, its header just before its first event) and the
    expected counts (JSON: events, dossiers, bad dossiers, by kind of damage)."""
    rng = random.Random(SEED)
    runs: list[list[tuple[dt.datetime, int, str]]] = []  # one sorted run per chunk of dossiers
    chunk: list[tuple[dt.datetime, int, str]] = []
    seq = 0
    total = 0
    dossiers = 0
    bad: dict[str, int] = {}
    with grouped.open("w", encoding="utf-8") as out:
        i = 0
        while total < n_events:
            code, limit, events = _timeline(i, rng)
            events = events[: n_events - total]
            i += 1
            dossiers += 1
            if rng.random() < BAD_SHARE:
                damage, _ = _spoil(events, rng)
                bad[damage] = bad.get(damage, 0) + 1
            header = json.dumps({"dossier": code, "time_limit": limit}, ensure_ascii=False)
            out.write(header + "\n")
            first = events[0][0]
            chunk.append((first, seq, header))
            seq += 1
            for when, ev in events:
                line = _line(ev)
                out.write(line + "\n")
                chunk.append((when, seq, line))
                seq += 1
            total += len(events)
            if len(chunk) >= 200_000:
                chunk.sort()
                runs.append(chunk)
                chunk = []
    chunk.sort()
    runs.append(chunk)
    with interleaved.open("w", encoding="utf-8") as out:
        for _, _, line in heapq.merge(*runs):
            out.write(line + "\n")
    expected.write_text(
        json.dumps({"events": total, "dossiers": dossiers, "bad": bad}, indent=1), "utf-8"
    )


def scatter(grouped: Path, scattered: Path) -> None:
    """Write the lines of ``grouped`` with each dossier's lines spread at random over the whole
    file (each dossier's lines keep their relative order): the worst order for streaming, which
    sends most of the file through the external sort."""
    code = re.compile(r'"dossier": "([^"]*)"')
    rng = random.Random(SEED + 1)
    keyed: list[tuple[float, str]] = []
    with grouped.open(encoding="utf-8") as f:
        for _, lines in itertools.groupby(f, lambda line: code.search(line)[1]):  # type: ignore[index]
            group = list(lines)
            keys = sorted(rng.random() for _ in group)
            keyed.extend(zip(keys, group, strict=True))
    keyed.sort()
    with scattered.open("w", encoding="utf-8") as out:
        out.writelines(line for _, line in keyed)


def data_files(n_events: int) -> tuple[dict[str, Path], dict[str, object]]:
    """The grouped, interleaved and scattered files for ``n_events`` (generated on first use)."""
    DATA_DIR.mkdir(exist_ok=True)
    files = {
        order: DATA_DIR / f"events_{n_events}_{order}.jsonl"
        for order in ("grouped", "interleaved", "scattered")
    }
    expected = DATA_DIR / f"events_{n_events}_expected.json"
    if not (files["grouped"].exists() and files["interleaved"].exists() and expected.exists()):
        print(f"generating {files['grouped'].name}, {files['interleaved'].name} …", file=sys.stderr)
        generate(n_events, files["grouped"], files["interleaved"], expected)
    if not files["scattered"].exists():
        print(f"generating {files['scattered'].name} …", file=sys.stderr)
        scatter(files["grouped"], files["scattered"])
    return files, json.loads(expected.read_text("utf-8"))


# The child runs the command line exactly as the ``tthc`` script does, then reports its own
# peak RSS (VmHWM: the peak of this process's memory; ru_maxrss seen from the parent would also
# count the parent's pages shared between fork and exec).
_CHILD = r"""
import sys
status = 0
if sys.argv[1] == "tthc":
    from tthc.cli import main
    status = main(sys.argv[2:])
elif sys.argv[1] == "json":
    import json
    loads = json.loads
    n = 0
    with open(sys.argv[2], "rb") as f:
        for line in f:
            try:
                loads(line)
            except ValueError:
                pass
            n += 1
elif sys.argv[1] == "import":
    import tthc
elif sys.argv[1] == "floor":
    # The floor of a replay: read every line, keep each dossier's (kind, instant) pairs with the
    # instant in UTC+7, write one JSON line per dossier. No validation, rules, deadlines or
    # timeliness; a line that cannot be read is skipped, not reported.
    import datetime as dt, json
    loads, dumps, fromiso = json.loads, json.dumps, dt.datetime.fromisoformat
    vn = dt.timezone(dt.timedelta(hours=7))
    timelines = {}
    with open(sys.argv[2], "rb") as f:
        for line in f:
            try:
                record = loads(line)
                events = timelines.setdefault(record["dossier"], [])
                if "kind" in record:
                    at = fromiso(record["at"])
                    at = at.replace(tzinfo=vn) if at.tzinfo is None else at.astimezone(vn)
                    events.append((record["kind"], at))
            except Exception:
                continue
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        for code, events in timelines.items():
            kind, at = events[-1] if events else ("", None)
            out.write(dumps({"code": code, "events": len(events), "state": kind,
                             "at": at and at.isoformat()}, ensure_ascii=False) + "\n")
elif sys.argv[1] == "floor+validation":
    # The same floor, each event validated from its JSON by the event model as tthc does it
    # (the "dossier" pair cut out of the line, then DossierEvent.model_validate_json, which
    # also puts the instant in UTC+7); header lines read with json.loads.
    import json, re
    from tthc.models import DossierEvent
    loads, dumps, validate = json.loads, json.dumps, DossierEvent.model_validate_json
    pair = re.compile(rb'"dossier": "([^"]*)", ').search
    timelines = {}
    with open(sys.argv[2], "rb") as f:
        for line in f:
            try:
                m = pair(line)
                if b'"kind":' in line:
                    event = validate(line[: m.start()] + line[m.end() :])
                    timelines.setdefault(m[1], []).append((event.kind, event.at))
                else:
                    timelines.setdefault(loads(line)["dossier"].encode(), [])
            except Exception:
                continue
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        for code, events in timelines.items():
            kind, at = events[-1] if events else ("", None)
            out.write(dumps({"code": code.decode(), "events": len(events), "state": str(kind),
                             "at": at and at.isoformat()}, ensure_ascii=False) + "\n")
import resource
peak = 0
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1])
usage = resource.getrusage(resource.RUSAGE_SELF)
sys.stderr.write(f"\nVmHWM_KB={peak}\nCPU_S={usage.ru_utime + usage.ru_stime}\n")
sys.exit(status)
"""


def run_child(args: list[str]) -> tuple[float, float, float, int, str]:
    """Wall seconds, CPU seconds, peak RSS (MB), exit status and standard error of one fresh
    process."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t0
    peak = cpu = 0.0
    for line in proc.stderr.splitlines():
        if line.startswith("VmHWM_KB="):
            peak = int(line.split("=")[1]) / 1024
        if line.startswith("CPU_S="):
            cpu = float(line.split("=")[1])
    return wall, cpu, peak, proc.returncode, proc.stderr


def _rejected(csv_path: Path) -> int:
    """Distinct dossier codes in a ``--rejections`` CSV."""
    import csv

    with csv_path.open(encoding="utf-8", newline="") as f:
        return len({row["code"] for row in csv.DictReader(f)})


def _count_outputs(path: Path, fmt: str) -> int:
    """Dossiers in the command's output."""
    with path.open(encoding="utf-8") as f:
        if fmt == "text":
            return sum(1 for line in f if line.startswith("Hồ sơ "))
        if fmt == "json":
            return len(json.load(f))
        return sum(1 for line in f if json.loads(line))


def main() -> None:
    """Run the benchmark and print the figures, the comparison and the verdicts."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case (best is kept)")
    parser.add_argument("--spill-dir", type=Path, default=None)
    parser.add_argument("--format", choices=("text", "json", "jsonl"), default="jsonl")
    args = parser.parse_args()

    files, expected = data_files(args.events)
    grouped = files["grouped"]
    n = int(expected["events"])  # type: ignore[call-overload]
    n_dossiers = int(expected["dossiers"])  # type: ignore[call-overload]
    n_bad = sum(expected["bad"].values())  # type: ignore[attr-defined]
    import tthc

    print(
        f"tthc {tthc.__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs; load average before: {Path('/proc/loadavg').read_text().strip()}"
    )
    print(
        f"{n:,} events, {n_dossiers:,} dossiers ({n_bad:,} with a bad event: {expected['bad']}); "
        f"{grouped.stat().st_size / MB:.0f} MB per file"
    )

    results: dict[str, list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("replayed" + {"text": ".txt"}.get(args.format, f".{args.format}"))
        rej = Path(tmp) / "rejections.csv"
        spill = ["--spill-dir", str(args.spill_dir)] if args.spill_dir else []
        cases: list[tuple[str, list[str]]] = [
            ("import tthc only", ["import"]),
            ("json.loads of every line", ["json", str(grouped)]),
            ("floor: read, group, write", ["floor", str(grouped), str(out)]),
            ("floor + event validation", ["floor+validation", str(grouped), str(out)]),
        ]
        for label, path in files.items():
            argv = ["tthc", "dossier", "replay", str(path), "--as-of", AS_OF]
            argv += ["--format", args.format, "-o", str(out), "--rejections", str(rej), *spill]
            cases.append((f"tthc dossier replay, {label}", argv))
        for _ in range(args.repeat):
            for label, argv in cases:
                wall, cpu, peak, status, err = run_child(argv)
                if argv[0] == "tthc":
                    if status != 1:
                        raise SystemExit(f"{label}: exit status {status}, expected 1\n{err}")
                    replayed = _count_outputs(out, args.format)
                    rejected = _rejected(rej)
                    if (replayed, rejected) != (n_dossiers - n_bad, n_bad):
                        raise SystemExit(
                            f"{label}: {replayed} replayed and {rejected} rejected, expected "
                            f"{n_dossiers - n_bad} and {n_bad}\n{err}"
                        )
                results.setdefault(label, []).append((wall, cpu, peak))
    print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
    print(
        f"\nbest of {args.repeat} (seconds of the whole process: wall clock and CPU; "
        f"peak RSS = VmHWM); --format {args.format}"
    )
    print(
        f"{'case':36} {'wall s':>7} {'CPU s':>7} {'events/s':>9} {'peak MB':>8}  all runs (wall s)"
    )
    floor = min(w for w, _, _ in results["json.loads of every line"])
    for label, runs in results.items():
        wall = min(w for w, _, _ in runs)
        cpu = min(c for _, c, _ in runs)
        peak = max(p for _, _, p in runs)
        rate = f"{n / wall:9,.0f}" if label != "import tthc only" else " " * 9
        every = ", ".join(f"{w:.2f}" for w, _, _ in runs)
        print(f"{label:36} {wall:7.2f} {cpu:7.2f} {rate} {peak:8.1f}  {every}")
    print()
    budget = n / RATE_TARGET
    for label in ("floor: read, group, write", "floor + event validation"):
        wall = min(w for w, _, _ in results[label])
        print(
            f"{label}: {n / wall:,.0f} events/s, {wall / budget:.0%} of the target's "
            f"{budget:.2f} s; left for everything else: {max(budget - wall, 0):.2f} s, "
            f"{max(budget - wall, 0) / n_dossiers * 1e6:.1f} µs a dossier"
        )
    for label in (k for k in results if k.startswith("tthc dossier replay")):
        wall = min(w for w, _, _ in results[label])
        cpu = min(c for _, c, _ in results[label])
        median = statistics.median(w for w, _, _ in results[label])
        peak = max(p for _, _, p in results[label])
        rate = n / wall
        print(
            f"{label}: {rate:,.0f} events/s (median run {n / median:,.0f}; by CPU time "
            f"{n / cpu:,.0f}), {wall / floor:.1f}x json.loads; "
            f"target >= {RATE_TARGET:,.0f}/s: {'met' if rate >= RATE_TARGET else 'MISSED'} "
            f"(margin {rate / RATE_TARGET - 1:+.0%}); peak {peak:.0f} MB, target <= "
            f"{RSS_TARGET_MB:.0f} MB: {'met' if peak <= RSS_TARGET_MB else 'MISSED'} "
            f"(margin {1 - peak / RSS_TARGET_MB:+.0%})"
        )


if __name__ == "__main__":
    main()
