"""Service index and tracing benchmark: CPU time of the index and of the lists' trace.

On a generated interchange CSV with the service-index columns (the rows of
``bench_report_stream.py``'s file, with seeded service cells added), measured in the same run:

* ``build_report`` without a trace (tracing off must cost nothing: the report's loop is
  unchanged, the trace is a separate tap on the stream) and with ``trace=True``;
* ``tthc.index.build_index`` (one pass, the index and the report of the same rows) and
  ``tthc.index.build_index_columnar`` (DuckDB);
* the peak RSS of a traced report in a fresh interpreter, with the trace's default in-memory
  tier and with it forced to disk (``TraceOptions(records_in_memory=10_000)``).

    .venv/bin/python benchmarks/bench_index.py                 # 200,000 rows
    .venv/bin/python benchmarks/bench_index.py --rows 50000 --repeat 1

Data are generated (seeded) into ``benchmarks/_data/`` (git-ignored) and reused when present.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report_stream import data_file
from realistic_data import DATA_DIR

import tthc
from tthc.index import build_index, build_index_columnar

PERIOD = "2024-Q1"
SEED = 766
SERVICE = (
    "synced",
    "paid_online",
    "fee",
    "e_result",
    "digitised",
    "reused_data",
    "from_citizen_store",
    "vneid",
    "complaint",
)


def service_file(rows: int) -> Path:
    """The benchmark file of ``rows`` rows with service cells added (seeded)."""
    base = data_file(rows, bad_share=0.0)  # clean: the DuckDB path is timed without fallback
    target = DATA_DIR / f"index_{base.stem}.csv"
    if target.exists():
        return target
    rng = random.Random(SEED)
    with (
        open(base, encoding="utf-8", newline="") as src,
        open(target, "w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(src)
        writer = csv.writer(out)
        header = next(reader)
        writer.writerow([*header, *SERVICE])
        for row in reader:
            writer.writerow(
                [
                    *row,
                    *[""] * (len(header) - len(row)),  # the base file's rows may be short
                    rng.choice("011"),
                    rng.choice(["0", "1", "2", ""]),
                    rng.choice(["", "0", "8000"]),
                    rng.choice("01"),
                    rng.choice("011"),
                    rng.choice("01"),
                    rng.choice("001"),
                    rng.choice("01"),
                    rng.choice(["0"] * 20 + ["1"]),
                ]
            )
    return target


def best(label: str, repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()  # type: ignore[operator]
        times.append(time.process_time() - start)
    figure = min(times)
    print(f"{label:45} {figure:7.2f} s")
    return figure


def peak_rss_mb(path: Path, records_in_memory: int | None) -> float:
    option = (
        "True"
        if records_in_memory is None
        else (f"tthc.report.TraceOptions(records_in_memory={records_in_memory})")
    )
    code = (
        "import tthc, tthc.report\n"
        f"r = tthc.build_report({str(path)!r}, {PERIOD!r}, trace={option})\n"
        "assert len(r.trace) == r.totals.received_total\n"
        "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = service_file(args.rows)
    print(f"{args.rows:,} rows: {path} ({path.stat().st_size / 1e6:.0f} MB)")
    plain = best("build_report", args.repeat, lambda: tthc.build_report(path, PERIOD))
    traced = best(
        "build_report(trace=True)", args.repeat, lambda: tthc.build_report(path, PERIOD, trace=True)
    )
    index = best(
        "build_index (index + report, one pass)", args.repeat, lambda: build_index(path, PERIOD)
    )
    columnar = best(
        "build_index_columnar",
        args.repeat,
        lambda: build_index_columnar(path, PERIOD, fallback=False),
    )
    memory = peak_rss_mb(path, None)
    spilled = peak_rss_mb(path, 10_000)
    print(f"{'peak RSS, traced report, in memory':45} {memory:7.0f} MB")
    print(f"{'peak RSS, traced report, spilled past 10,000':45} {spilled:7.0f} MB")
    print(
        json.dumps(
            {
                "rows": args.rows,
                "report_s": plain,
                "traced_s": traced,
                "index_s": index,
                "columnar_s": columnar,
                "rss_traced_mb": memory,
                "rss_spilled_mb": spilled,
            }
        )
    )


if __name__ == "__main__":
    main()
