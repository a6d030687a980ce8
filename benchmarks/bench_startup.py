"""Start-up benchmark: ``import tthc`` against importing its runtime dependencies.

Target (issue 14): ``import tthc`` takes at most 1.5× the import of its runtime dependencies
(``import pydantic, holidays, dateutil``), whole processes, median of several interleaved runs
in the same run. Also timed, for context: the bare interpreter, ``tthc --version``,
``tthc --help``, every name of ``tthc.__all__`` touched (what importing everything costs), and
``tthc report`` on a 5-row file (the start-up inside the whole-process report benchmark).
Checked, not timed: ``tthc --help`` and ``tthc --version`` build no calendar (they do not even
import ``tthc.calendar`` or a ``holidays`` country).

    .venv/bin/python benchmarks/bench_startup.py                 # 21 rounds
    .venv/bin/python benchmarks/bench_startup.py --compare-src /tmp/old/src  # before/after

Python writes no bytecode cache when ``PYTHONDONTWRITEBYTECODE`` is set (some shells and
containers set it): then every start-up compiles tthc's sources again (~0.08 s) while the
dependencies' wheels ship compiled. The children run without it, after one warm-up run of each
command that writes the cache, as an installed package would be.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import realistic_data

TARGET = 1.5
DEPENDENCIES = "import pydantic, holidays, dateutil"
NOTHING_BUILT = """
import sys
from tthc.cli import main
for argv in (["--version"], ["--help"]):
    try:
        main(argv)
    except SystemExit:
        pass
loaded = sorted(m for m in ("tthc.calendar", "holidays.countries", "tthc.report", "pydantic.main")
                if m in sys.modules)
print(",".join(loaded) or "-")
"""
"""Runs ``tthc --version`` and ``tthc --help`` in one process and lists the heavy modules
they loaded (``-``: none)."""


def commands(tiny: Path) -> dict[str, list[str]]:
    """The whole processes timed, by label."""
    py = sys.executable
    cli = [py, "-c", "import sys; from tthc.cli import main; sys.exit(main())"]
    return {
        "python -c pass": [py, "-c", "pass"],
        f"python -c '{DEPENDENCIES}'": [py, "-c", DEPENDENCIES],
        "python -c 'import tthc'": [py, "-c", "import tthc"],
        "tthc --version": [*cli, "--version"],
        "tthc --help": [*cli, "--help"],
        "import tthc + every name of __all__": [
            py,
            "-c",
            "import tthc\nfor n in tthc.__all__: getattr(tthc, n)",
        ],
        "tthc report (5-row file, JSON)": [
            *cli,
            "report",
            str(tiny),
            "--period",
            realistic_data.PERIOD,
            "--format",
            "json",
            "-o",
            os.devnull,
        ],
    }


def run(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one whole process (exit status 0 or 1 expected)."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command} failed: {done.stderr.decode()[-800:]}")
    return elapsed


def main() -> int:
    """Time the processes, print medians and ratios; exit 1 if the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--src", help="put this directory first on PYTHONPATH (another tree)")
    parser.add_argument(
        "--compare-src",
        help="also time `import tthc` and `tthc --version` from this tree (e.g. an older "
        "commit's src/, from `git archive`), in the same rounds",
    )
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if args.src:
        env["PYTHONPATH"] = args.src
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.csv"
        realistic_data.write_csv(tiny, realistic_data.realistic_rows(5, bad_share=0.0))
        timed = {name: (command, env) for name, command in commands(tiny).items()}
        if args.compare_src:
            other = {**env, "PYTHONPATH": args.compare_src}
            for name in ("python -c 'import tthc'", "tthc --version"):
                timed[f"{name} [compared tree]"] = (timed[name][0], other)
        for command, command_env in timed.values():  # warm-up: bytecode caches written
            run(command, command_env)
        times: dict[str, list[float]] = {name: [] for name in timed}
        names = list(timed)
        print(f"load average before: {realistic_data.loadavg()}")
        for round_ in range(args.rounds):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                times[name].append(run(*timed[name]))
        print(f"load average after: {realistic_data.loadavg()}")
    check = subprocess.run(
        [sys.executable, "-c", NOTHING_BUILT], env=env, capture_output=True, text=True, check=True
    )
    loaded = check.stdout.strip().splitlines()[-1]
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians[f"python -c '{DEPENDENCIES}'"]
    print(f"whole processes, median of {args.rounds} interleaved rounds (order rotating):")
    print(f"{'':52s} {'median s':>9s} {'min s':>7s} {'÷ deps':>7s}")
    for name, values in times.items():
        print(f"{name:52s} {medians[name]:9.3f} {min(values):7.3f} {medians[name] / base:6.2f}×")
    ratio = medians["python -c 'import tthc'"] / base
    per_round = [
        t / d
        for t, d in zip(
            times["python -c 'import tthc'"], times[f"python -c '{DEPENDENCIES}'"], strict=True
        )
    ]
    met = ratio <= TARGET
    print(
        f"import tthc ÷ import of its dependencies: {ratio:.2f}× (median of the runs; per round "
        f"{min(per_round):.2f}–{max(per_round):.2f}×; target ≤ {TARGET}×: "
        f"{'met' if met else 'NOT met'})"
    )
    if args.compare_src:
        for name in ("python -c 'import tthc'", "tthc --version"):
            before = medians[f"{name} [compared tree]"]
            print(
                f"{name}: compared tree {before:.3f} s → this tree {medians[name]:.3f} s "
                f"({before / medians[name]:.1f}× faster; ÷ deps {before / base:.2f}× → "
                f"{medians[name] / base:.2f}×)"
            )
    print(
        "tthc --version and --help loaded "
        + (
            "none of tthc.calendar, holidays.countries, tthc.report, pydantic.main"
            if loaded == "-"
            else f"{loaded}"
        )
    )
    return 0 if met and loaded == "-" else 1


if __name__ == "__main__":
    sys.exit(main())
