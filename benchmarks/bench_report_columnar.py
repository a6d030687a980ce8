"""Columnar report benchmark: DuckDB fast path vs a straightforward pandas script (and Dask).

Target (issue 5): on a generated 1,000,000-row interchange CSV the columnar path
(``build_report_columnar``) is at least 3× faster than a straightforward pandas script computing
the same table, with identical numbers (asserted), measured in the same run. Also timed in the
same run, for context: the streaming ``build_report`` and the Dask path
(``build_report_dask`` on a Dask DataFrame of the file, processes scheduler).

    .venv/bin/python benchmarks/bench_report_columnar.py              # 1,000,000 rows
    .venv/bin/python benchmarks/bench_report_columnar.py --rows 200000 --no-dask

The data file is the streaming benchmark's (``bench_report_stream.generate``, seeded), generated
into ``benchmarks/_data/`` on first use. Needs the ``benchmark`` extra (pandas) and the
``columnar`` and ``dask`` extras.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report_stream import PERIOD, data_file

import tthc
from tthc._report._columnar import build_report_columnar

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

    It reads the CSV as strings, parses the ISO datetimes (naive = UTC+7, as in the generated
    file; a date alone as due date = the end of that day) and applies the domain guide's rules
    with boolean masks, then sums per domain. No validation and no processing time."""
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip().lower() for c in df.columns]

    def instants(column: str, end_of_day: bool = False) -> Any:
        text = df[column].str.strip()
        if end_of_day:
            text = text.where(text.str.len() != 10, text + "T23:59:59.999999")
        return pd.to_datetime(text.replace("", None), format="ISO8601")

    received = instants("received_at")
    due = instants("due_at", end_of_day=True)
    finished = instants("finished_at")
    extended = df["extended_due_at"].str.strip() != ""
    start = pd.Timestamp(period.start.replace(tzinfo=None))
    end = pd.Timestamp(period.end.replace(tzinfo=None))
    channel = df["channel"].str.strip().str.lower()
    online = channel.isin(["online", "trực tuyến"])
    status = df["status"].str.strip()

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


def timed(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Median seconds of ``repeat`` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def dask_report(path: Path, workers: int) -> tthc.Report:
    """The Dask path on a Dask DataFrame of the file (16 MB partitions, processes)."""
    import dask.dataframe as dd

    from tthc._report._dask import build_report_dask

    frame = dd.read_csv(path, dtype=str, keep_default_na=False, blocksize="16MB")
    return build_report_dask(frame, PERIOD, scheduler="processes", num_workers=workers)


def main() -> None:
    """Run the comparison and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="Dask processes")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask timing")
    args = parser.parse_args()

    path = data_file(args.rows)
    period = tthc.Period.parse(PERIOD)
    print(f"file: {path.name} ({path.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows)")

    t_columnar, columnar = timed(args.repeat, lambda: build_report_columnar(path, PERIOD))
    no_time = tthc.ReportPolicy(measure_processing_time=False)
    t_columnar_lite, _ = timed(
        args.repeat, lambda: build_report_columnar(path, PERIOD, policy=no_time, fallback=False)
    )
    t_pandas, table = timed(args.repeat, lambda: pandas_table(path, period))
    t_stream, streaming = timed(1, lambda: tthc.build_report(path, PERIOD))

    assert columnar.rows_rejected == 0
    assert columnar.rows_read == args.rows
    assert columnar == streaming, "columnar and streaming reports differ"
    assert form_counters(columnar) == table, "columnar and pandas tables differ"
    print("identical numbers: columnar == streaming (whole report), columnar == pandas (form)")
    print(f"columnar (DuckDB, with processing time) : {t_columnar:7.2f} s")
    print(f"columnar (DuckDB, no processing time)   : {t_columnar_lite:7.2f} s")
    print(f"pandas script (form counters only)      : {t_pandas:7.2f} s")
    print(f"streaming build_report                  : {t_stream:7.2f} s")
    print(f"ratio pandas / columnar                 : {t_pandas / t_columnar:7.2f}×  (target ≥ 3×)")
    print(f"ratio pandas / columnar (no proc. time) : {t_pandas / t_columnar_lite:7.2f}×")
    print(f"ratio streaming / columnar              : {t_stream / t_columnar:7.2f}×")
    if not args.no_dask:
        t_dask, dasked = timed(1, lambda: dask_report(path, args.workers))
        assert dasked.groups == streaming.groups, "Dask and streaming reports differ"
        print(
            f"Dask (DataFrame, {args.workers} processes)            : {t_dask:7.2f} s"
            f"  (streaming / Dask {t_stream / t_dask:.2f}×)"
        )


if __name__ == "__main__":
    main()
