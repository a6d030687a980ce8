"""``tthc report`` and ``tthc demo``: the compliance report on the command line.

Exit status: 0 every row counted; 1 some rows rejected (listed on standard error; the report is
still written); 2 usage error (bad arguments, unreadable file, missing columns).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from tthc._cli import _lists
from tthc._cli._exit import EXIT_INPUT_PROBLEMS, EXIT_OK
from tthc._cli._form import add_form_arguments, form_options, terminal_width
from tthc._io import open_text
from tthc.errors import InvalidInputError
from tthc.report import (
    DEFAULT_CODES_IN_MEMORY,
    DIMENSIONS,
    FORMATS,
    INPUT_FORMATS,
    DuplicateCheck,
    Period,
    Report,
    ReportPolicy,
    build_report,
    demo_report,
    rejections_not_listed,
    render,
)

__all__ = ["LARGE_INPUT_BYTES", "register"]

LARGE_INPUT_BYTES = 20 * 1024 * 1024
"""Inputs at least this big get a progress bar on standard error (when it is a terminal)."""
_BAR_WIDTH = 30
"""Characters of the progress bar itself."""
_PROGRESS_LINE_WIDTH = 80
"""Characters blanked when the progress line is cleared (bar, percentage, rows, seconds)."""

_SUFFIX_FORMATS = {
    ".csv": "csv",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".txt": "table",
}


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``report`` and ``demo`` to ``subparsers``."""
    p = subparsers.add_parser(
        "report",
        help="compliance report (Biểu số 06/VPCP/KSTT) from a dossier file",
        description=(
            "Build the Biểu số 06/VPCP/KSTT table from an interchange CSV or JSON-lines file. "
            "Exit status: 0 all rows counted; 1 rows rejected (listed on stderr, report still "
            "written); 2 usage error."
        ),
    )
    p.add_argument("file", metavar="FILE", help="dossier file: .csv, .jsonl/.ndjson, or - (stdin)")
    _add_period_arguments(p)
    _add_output_arguments(p)
    p.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="input format (default: from the file name; stdin is CSV)",
    )
    p.add_argument("--unit", help="reporting unit's name for the title (e.g. 'UBND phường …')")
    p.add_argument(
        "--no-duplicate-check",
        action="store_true",
        help="do not reject repeated dossier codes (for inputs known to be unique)",
    )
    p.add_argument(
        "--codes-in-memory",
        type=_positive_int,
        default=DEFAULT_CODES_IN_MEMORY,
        metavar="N",
        help=(
            "codes kept in memory by the duplicate check before the rest go to a temporary "
            f"file (default {DEFAULT_CODES_IN_MEMORY:,}, about 64 MB)"
        ),
    )
    p.add_argument(
        "--spill-dir",
        metavar="DIR",
        help="where that temporary file goes (default: the system's temporary directory)",
    )
    _lists.add_list_arguments(p)  # --list CELL, --due-within N (tthc/_cli/_lists.py)
    p.set_defaults(func=_run_report)

    d = subparsers.add_parser(
        "demo",
        help="the report of ward Nghi Hương, Q1 2024, from the bundled example data",
        description=(
            "Run the compliance report on the bundled dataset of ward Nghi Hương (Cửa Lò, "
            "Nghệ An), first quarter of 2024: 403 dossiers, all resolved on time."
        ),
    )
    _add_output_arguments(d)
    d.set_defaults(func=_run_demo)


def _add_period_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", help="2024-03, 2024-Q1, 2024-H1, 2024-9M or 2024")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD)")
    p.add_argument(
        "--official-cutoff",
        action="store_true",
        help="official data cut-off: 15th of the month before to 14th of the last month",
    )


def _add_output_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--by",
        default="domain",
        help=f"group by one or more of {','.join(DIMENSIONS)} (comma-separated; default domain)",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from -o's suffix, else table)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (default: stdout)")
    p.add_argument(
        "--withdrawn",
        choices=("on_time", "exclude"),
        default="on_time",
        help="withdrawn dossiers: counted resolved on time (default) or kept apart",
    )
    p.add_argument(
        "--repeated-supplement",
        choices=("by_date", "late"),
        default="by_date",
        help="a resolved dossier with more than one supplement request: classified by its "
        "dates (default) or counted late (the national portal's practice)",
    )
    add_form_arguments(p)


def _policy(args: argparse.Namespace) -> ReportPolicy:
    """The counting choices the options ask for."""
    return ReportPolicy(withdrawn=args.withdrawn, repeated_supplement=args.repeated_supplement)


def _period(args: argparse.Namespace) -> Period:
    """The period the options ask for; a usage error (``InvalidInputError``, exit 2) if they
    do not say one."""
    if args.period and (args.date_from or args.date_to):
        raise InvalidInputError("give either --period or --from/--to, not both")
    if args.period:
        return Period.parse(args.period, official=args.official_cutoff)
    if args.date_from and args.date_to:
        if args.official_cutoff:
            raise InvalidInputError(
                "--official-cutoff applies to --period, not to a --from/--to range"
            )
        return Period.between(args.date_from, args.date_to)
    raise InvalidInputError("give --period (e.g. 2024-Q1) or both --from and --to")


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return _SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "table")
    return "table"


class _Progress:
    """A one-line progress bar on standard error, driven by the byte position of the input."""

    def __init__(self, handle: IO[str], size: int) -> None:
        self.buffer = getattr(handle, "buffer", None)
        self.size = max(size, 1)
        self.started = time.monotonic()

    def __call__(self, rows: int) -> None:
        if self.buffer is None:
            return
        done = min(self.buffer.tell() / self.size, 1.0)
        bar = "#" * int(done * _BAR_WIDTH)
        elapsed = time.monotonic() - self.started
        sys.stderr.write(f"\r[{bar:<{_BAR_WIDTH}}] {done:6.1%} {rows:,} rows {elapsed:5.1f}s")
        sys.stderr.flush()

    def finish(self) -> None:
        sys.stderr.write("\r" + " " * _PROGRESS_LINE_WIDTH + "\r")
        sys.stderr.flush()


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _run_report(args: argparse.Namespace) -> int:
    period = _period(args)
    policy = _policy(args)
    check: DuplicateCheck | bool = False
    if not args.no_duplicate_check:
        check = DuplicateCheck(codes_in_memory=args.codes_in_memory, spill_dir=args.spill_dir)
    stdin = args.file == "-"
    handle, owned = (sys.stdin, False) if stdin else open_text(args.file)
    size = os.fstat(handle.fileno()).st_size if owned else 0
    progress: _Progress | None = None
    if size >= LARGE_INPUT_BYTES and sys.stderr.isatty():
        progress = _Progress(handle, size)
    try:
        report = build_report(
            handle,
            period,
            group_by=args.by,
            policy=policy,
            check_duplicates=check,
            unit=args.unit,
            progress=progress,
            input_format=args.input_format,
            trace=_lists.report_trace_wanted(args),  # the dossiers behind the cells (lists, HTML)
        )
        report = replace(report, source="<stdin>" if stdin else args.file)
    finally:
        if progress is not None:
            progress.finish()
        if owned:
            handle.close()
    if _lists.report_list_wanted(args):
        return _lists.emit_report_list(args, report)
    return _emit(args, report)


def _run_demo(args: argparse.Namespace) -> int:
    report = demo_report(group_by=args.by, policy=_policy(args))
    return _emit(args, report)


def _emit(args: argparse.Namespace, report: Report) -> int:
    fmt = _format(args)
    output = render(report, fmt, options=form_options(args), width=terminal_width())
    if args.output:
        path = Path(args.output)
        if isinstance(output, bytes):
            path.write_bytes(output)
        else:
            path.write_text(output, encoding="utf-8", newline="")
    elif isinstance(output, bytes):
        if sys.stdout.isatty():
            raise InvalidInputError(f"{fmt} output is binary: write it to a file with -o OUT.{fmt}")
        sys.stdout.buffer.write(output)
        sys.stdout.flush()
    else:
        sys.stdout.write(output)
        sys.stdout.flush()
    if report.rows_rejected:
        for rejection in report.rejections:
            print(f"tthc {args.command}: rejected {rejection}", file=sys.stderr)
        hidden = rejections_not_listed(report)
        if hidden:
            print(f"tthc {args.command}: … and {hidden} more rejected row(s)", file=sys.stderr)
        print(
            f"tthc {args.command}: {report.rows_rejected} of {report.rows_read} row(s) rejected; "
            "the report counts the others",
            file=sys.stderr,
        )
        return EXIT_INPUT_PROBLEMS
    return EXIT_OK
