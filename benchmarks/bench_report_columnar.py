"""Columnar report benchmark: the DuckDB fast path's speed against pandas, and its memory.

Targets: (issue 5) on a 1,000,000-row interchange CSV the columnar path
(``build_report_columnar``) is at least 3× faster than a straightforward pandas script computing
the same table, with identical numbers (asserted), measured in the same run; (issue 14) its
peak RSS at most 600 MB at 1,000,000 rows of any shape, time_limit rows included, with the
growth per extra million rows stated (``--memory-rows``, ``--memory-shapes``; each in a fresh
process). Also timed in the same run, for context: the streaming ``build_report``, the columnar
path on a file with bad rows (where it falls back to the streaming path) and the Dask path
(``build_report_dask``, processes scheduler) on the file cut into four files (one task each) and
on a Dask DataFrame of the file.

The data are the realistic shape of ``benchmarks/realistic_data.py`` without bad rows (the
fast path counts only files without bad rows; on any bad row it reads the file by the
streaming path, timed separately with ``--fallback-share``); ``--shape repetitive`` gives the
earlier best-case file.

    .venv/bin/python benchmarks/bench_report_columnar.py              # 1,000,000 rows
    .venv/bin/python benchmarks/bench_report_columnar.py --rows 200000 --no-dask --memory-rows ""
    .venv/bin/python benchmarks/bench_report_columnar.py --skip-timing   # memory only

Needs the ``benchmark`` extra (pandas) and the ``columnar`` and ``dask`` extras.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import realistic_data
from bench_report_stream import PERIOD, data_file

import tthc
from tthc.report._columnar import build_report_columnar

FORM_KEYS = (
    "received_online",
    "received_direct_postal",
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_late_with_apology",
    "pending_within_time",
    "pending_overdue",
)
"""The counters the pandas script computes (the form's columns and late-with-apology)."""


def pandas_table(path: Path, period: tthc.Period) -> dict[str, dict[str, int]]:
    """A straightforward pandas script: the form's counters per domain, default policy.

    It reads the CSV as strings, parses the ISO datetimes (naive = UTC+7; with an offset or
    ``Z``: converted; a date alone as due date = the end of that day), maps the channel and
    status spellings with the library's enums (once per distinct spelling), computes the
    missing due dates from ``time_limit`` with ``tthc.due_at`` (once per row that needs it, as
    a pandas user would with a list comprehension), and applies the domain guide's rules with
    boolean masks, then sums per domain. No validation and no processing time: it is only
    right on a file without bad rows."""
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip().lower() for c in df.columns]
    seven = pd.Timedelta(hours=7)

    def instants(column: str, end_of_day: bool = False) -> Any:
        """UTC+7 wall-clock timestamps (naive), NaT when empty."""
        text = df[column].str.strip()
        if end_of_day:
            text = text.where(text.str.len() != 10, text + "T23:59:59.999999")
        aware = text.str.contains(r"(?:Z|[+-]\d\d:\d\d)$", regex=True)
        text = text.where(aware | (text == ""), text + "+07:00")
        utc = pd.to_datetime(text.replace("", None), format="ISO8601", utc=True)
        return utc.dt.tz_localize(None) + seven

    received = instants("received_at")
    due = instants("due_at", end_of_day=True)
    need = due.isna() & (df["time_limit"].str.strip() != "")
    if need.any():
        limits = {w: tthc.TimeLimit.parse(w) for w in df.loc[need, "time_limit"].unique()}
        computed = [
            tthc.due_at(r.to_pydatetime().replace(tzinfo=tthc.VN_TZ), limits[w]).replace(
                tzinfo=None
            )
            for r, w in zip(received[need], df.loc[need, "time_limit"], strict=True)
        ]
        due = due.copy()
        due[need] = pd.to_datetime(computed)
    finished = instants("finished_at")
    extended = df["extended_due_at"].str.strip() != ""
    start = pd.Timestamp(period.start.replace(tzinfo=None))
    end = pd.Timestamp(period.end.replace(tzinfo=None))
    channels = {v: tthc.Channel.parse(v).value for v in df["channel"].unique()}
    statuses = {v: tthc.DossierStatus.parse(v).value for v in df["status"].unique()}
    online = df["channel"].map(channels) == "online"
    status = df["status"].map(statuses)

    in_table = (received < end) & (finished.isna() | (finished >= start))
    carried = received < start
    resolved = finished.notna() & (finished < end)
    withdrawn = resolved & (status == "withdrawn")
    early = resolved & ~withdrawn & (finished.dt.normalize() < due.dt.normalize())
    on_time = resolved & ~withdrawn & ~early & (finished <= due)
    late = resolved & ~withdrawn & (finished > due)
    pending = ~resolved
    within = pending & ((status == "supplement_requested") | (due >= end))
    table = pd.DataFrame(
        {
            "domain": df["domain"].str.strip(),
            "received_online": ~carried & online,
            "received_direct_postal": ~carried & ~online,
            "carried_over": carried,
            "resolved_early": early,
            "resolved_on_time": on_time | withdrawn,
            "resolved_late": late,
            "resolved_late_with_apology": late & extended,
            "pending_within_time": within,
            "pending_overdue": pending & ~within,
        }
    )[in_table]
    sums = table.groupby("domain").sum()
    return {
        domain: {k: int(v) for k, v in row.items()} for domain, row in sums.to_dict("index").items()
    }


def form_counters(report: tthc.Report) -> dict[str, dict[str, int]]:
    """The same counters from a report."""
    return {
        key[0]: {k: getattr(counts, k) for k in FORM_KEYS} for key, counts in report.groups.items()
    }


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds (all threads of this process) of one run, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def best_of(repeat: int, runs: dict[str, Callable[[], Any]]) -> dict[str, tuple[float, float, Any]]:
    """Run each function ``repeat`` times, alternating; the best wall and best CPU time of
    each (the machine is shared and noisy: the minimum is the least disturbed run). The order
    rotates every round, so no function always runs right after the same one: an order effect
    (say, a run just after pandas has freed its strings) cannot favour one side every time."""
    best: dict[str, tuple[float, float, Any]] = {}
    names = list(runs)
    for round_ in range(repeat):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            fn = runs[name]
            wall, cpu, result = timed(fn)
            old = best.get(name)
            best[name] = (
                (min(wall, old[0]), min(cpu, old[1]), result) if old else (wall, cpu, result)
            )
    return best


def dask_report(path: Path, workers: int) -> tthc.Report:
    """The Dask path on a Dask DataFrame of the file (16 MB partitions, processes)."""
    import dask.dataframe as dd

    from tthc.report._dask import build_report_dask

    frame = dd.read_csv(path, dtype=str, keep_default_na=False, blocksize="16MB")
    return build_report_dask(frame, PERIOD, scheduler="processes", num_workers=workers)


def split_file(path: Path, parts: int) -> list[Path]:
    """The data file cut into ``parts`` CSV files (header repeated), generated once."""
    outputs = [path.with_name(f"{path.stem}.part{i}of{parts}.csv") for i in range(parts)]
    if all(p.exists() for p in outputs):
        return outputs
    with path.open(encoding="utf-8", newline="") as source:
        header = source.readline()
        lines = source.readlines()
    size = -(-len(lines) // parts)
    for i, output in enumerate(outputs):
        with output.open("w", encoding="utf-8", newline="") as handle:
            handle.write(header)
            handle.writelines(lines[i * size : (i + 1) * size])
    return outputs


def dask_files_report(paths: list[Path], workers: int) -> tthc.Report:
    """The Dask path on files, one task per file (processes)."""
    from tthc.report._dask import build_report_dask

    return build_report_dask(paths, PERIOD, scheduler="processes", num_workers=workers)


_MEMORY_CHILD = """
import json, sys
from tthc.report import build_report_columnar
report = build_report_columnar(sys.argv[1], sys.argv[2], fallback=False)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"rows": report.rows_read, "maxrss_kb": peak}))
"""


def columnar_peak_rss_mb(path: Path) -> float:
    """Peak RSS (MB, ``VmHWM``) of a fresh process that builds the columnar report of ``path``
    (``fallback=False``: a fall-back to the streaming path would fail, not hide)."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(path), PERIOD],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["maxrss_kb"]) / 1024


def memory(rows_list: list[int], shapes: list[str]) -> None:
    """Print the columnar path's peak RSS per shape and row count, and its growth."""
    print("columnar peak RSS (VmHWM of a fresh process; target ≤ 600 MB at 1,000,000 rows):")
    for shape in shapes:
        peaks = []
        for rows in rows_list:
            path = data_file(rows, shape, 0.0)
            peaks.append(columnar_peak_rss_mb(path))
            print(f"  {shape:10s} {rows:>10,} rows: {peaks[-1]:7.1f} MB")
        if len(rows_list) > 1:
            per_million = (peaks[-1] - peaks[0]) / (rows_list[-1] - rows_list[0]) * 1e6
            print(f"  {shape:10s} growth: {per_million:+.1f} MB per extra million rows")


def main() -> None:
    """Run the comparison and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="Dask processes")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask timing")
    parser.add_argument(
        "--memory-rows",
        default="1000000,2000000,3000000",
        help="row counts of the peak-RSS measurement (comma-separated; empty: skip)",
    )
    parser.add_argument(
        "--memory-shapes",
        default="realistic,repetitive",
        help="data shapes of the peak-RSS measurement (comma-separated)",
    )
    parser.add_argument(
        "--bad-share",
        type=float,
        default=0.0,
        help="share of bad rows (default 0: the fast path falls back to streaming on any)",
    )
    parser.add_argument(
        "--fallback-share",
        type=float,
        default=realistic_data.DEFAULT_BAD_SHARE,
        help="bad-row share of the fall-back timing (0: skip it)",
    )
    parser.add_argument(
        "--shape",
        choices=realistic_data.SHAPES,
        default="realistic",
        help="realistic (default) or repetitive (the earlier, best-case data)",
    )
    parser.add_argument("--skip-timing", action="store_true", help="only measure memory")
    args = parser.parse_args()

    print(realistic_data.describe(args.shape, args.bad_share))
    print(f"load average before: {realistic_data.loadavg()}")
    if not args.skip_timing:
        timing(args)
    if args.memory_rows:
        memory(
            [int(r) for r in args.memory_rows.split(",")],
            [s for s in args.memory_shapes.split(",") if s],
        )
    print(f"load average after: {realistic_data.loadavg()}")


def timing(args: argparse.Namespace) -> None:
    """The speed comparison (columnar, pandas, streaming, Dask) and the fall-back timing."""
    path = data_file(args.rows, args.shape, args.bad_share)
    period = tthc.Period.parse(PERIOD)
    print(f"file: {path.name} ({path.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows)")
    no_time = tthc.ReportPolicy(measure_processing_time=False)
    best = best_of(
        args.repeat,
        {
            "columnar": lambda: build_report_columnar(path, PERIOD, fallback=False),
            "columnar, no processing time": lambda: build_report_columnar(
                path, PERIOD, policy=no_time, fallback=False
            ),
            "pandas script": lambda: pandas_table(path, period),
        },
    )
    best.update(best_of(1, {"streaming build_report": lambda: tthc.build_report(path, PERIOD)}))
    columnar = best["columnar"][2]
    streaming = best["streaming build_report"][2]
    assert columnar.rows_rejected == 0
    assert columnar.rows_read == args.rows
    assert columnar == streaming, "columnar and streaming reports differ"
    assert form_counters(columnar) == best["pandas script"][2], "columnar and pandas differ"
    print("identical numbers: columnar == streaming (whole report), columnar == pandas (form)")
    print(f"{'':32s} {'wall s':>8s} {'CPU s':>8s}")
    for name, (wall, cpu, _) in best.items():
        print(f"{name:32s} {wall:8.2f} {cpu:8.2f}")
    pandas_wall, pandas_cpu = best["pandas script"][:2]
    for name in ("columnar", "columnar, no processing time"):
        wall, cpu = best[name][:2]
        ratio = pandas_wall / wall
        print(
            f"pandas / {name}: {ratio:.2f}× wall, {pandas_cpu / cpu:.2f}× CPU"
            f"  (target ≥ 3×: {'met' if ratio >= 3 else 'NOT met'})"
        )
    if args.fallback_share and args.shape == "realistic":
        dirty = data_file(args.rows, args.shape, args.fallback_share)
        wall, _, fell = timed(lambda: build_report_columnar(dirty, PERIOD))
        swall, _, ref = timed(lambda: tthc.build_report(dirty, PERIOD))
        assert fell == ref, "the fall-back differs from the streaming report"
        print(
            f"with {args.fallback_share:.0%} bad rows ({dirty.name}): build_report_columnar "
            f"falls back to the streaming path: {wall:.2f} s wall vs build_report {swall:.2f} s "
            f"({fell.rows_rejected:,} rows rejected, same report)"
        )
    if not args.no_dask:
        stream_wall = best["streaming build_report"][0]
        parts = split_file(path, 2 * args.workers)
        wall, _, dasked = timed(lambda: dask_files_report(parts, args.workers))
        assert dasked.groups == streaming.groups, "Dask (files) differs"
        print(
            f"Dask, {len(parts)} files, {args.workers} processes: {wall:.2f} s wall "
            f"(streaming / Dask {stream_wall / wall:.2f}×)"
        )
        wall, _, dasked = timed(lambda: dask_report(path, args.workers))
        assert dasked.groups == streaming.groups, "Dask (DataFrame) differs"
        print(
            f"Dask DataFrame of the file, {args.workers} processes: {wall:.2f} s wall "
            f"(streaming / Dask {stream_wall / wall:.2f}×)"
        )


if __name__ == "__main__":
    main()
