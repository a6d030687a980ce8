"""Benchmark: the streaming report of this tree against another tree's, in the same run.

Runs ``tthc.build_report(FILE, PERIOD)`` in fresh processes, alternately with this checkout's
``src`` and with ``--compare-src`` (another checkout's ``src``, e.g. the commit before a
change), and prints the CPU time of each with a bare ``csv.reader`` pass over the same file in
the same process for scale. Used for issue 10's "no benchmark regresses" check
(docs/benchmarks.md). Imports happen before the timer on both sides (this tree loads
``tthc.report`` on first use, the older one at ``import tthc``).

    .venv/bin/python benchmarks/bench_report_ab.py --compare-src /tmp/base/src FILE [FILE …]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

_CHILD = """
import csv, json, sys, time
import tthc
build_report = tthc.build_report  # outside the timer: this tree loads it on first use
path, period = sys.argv[1], sys.argv[2]
t = time.process_time()
with open(path, encoding="utf-8-sig", newline="") as handle:
    for _row in csv.reader(handle):
        pass
parse = time.process_time() - t
t = time.process_time()
report = build_report(path, period)
print(json.dumps({"csv": parse, "report": time.process_time() - t, "rows": report.rows_read}))
"""


def run(src: Path, path: str, period: str) -> dict[str, float]:
    """One fresh process importing ``tthc`` from ``src``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, path, period],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--compare-src", required=True, type=Path, help="the other tree's src")
    parser.add_argument("--period", default="2024-Q1")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for path in args.files:
        times: dict[str, list[dict[str, float]]] = {"this tree": [], "compared": []}
        for _ in range(args.repeat):
            times["compared"].append(run(args.compare_src, path, args.period))
            times["this tree"].append(run(SRC, path, args.period))
        print(Path(path).name)
        medians = {}
        for name, runs in times.items():
            report = statistics.median(r["report"] for r in runs)
            parse = statistics.median(r["csv"] for r in runs)
            medians[name] = report
            print(
                f"  {name:9}: build_report {report:6.2f} s CPU ({report / parse:.2f}× csv.reader)"
            )
        print(f"  this tree ÷ compared: {medians['this tree'] / medians['compared']:.2f}×")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
