"""``tthc report`` and ``tthc demo``: the compliance report on the command line.

Exit status (``tthc.cli``): 0 every row counted; 1 some rows rejected (summarised on standard
error, the report still written); 2 usage error or an input that cannot be read (nothing
written); 3 no dossier counted (nothing written unless ``--allow-empty``).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Final

from tthc._cli import _lists
from tthc._cli._common import check_directory
from tthc._cli._exit import EXIT_EMPTY, EXIT_INPUT_PROBLEMS, EXIT_OK
from tthc._cli._form import add_form_arguments, form_options, terminal_width
from tthc._cli._input import (
    RejectionLog,
    add_duplicate_arguments,
    add_input_arguments,
    add_period_arguments,
    add_policy_arguments,
    check_distinct_inputs,
    check_unit_names,
    decoding,
    duplicate_check,
    intake_options,
    option_files,
    period_of,
    period_text,
    policy_of,
    print_lines,
)
from tthc._cli._output import check_outputs, output_format, write_output
from tthc._duckdb import PARQUET_SUFFIXES
from tthc.errors import InputChangedError, InputFormatError, InvalidInputError, TthcError
from tthc.report import (
    DIMENSIONS,
    FORMATS,
    IntakeOptions,
    Period,
    Report,
    ReportOptions,
    SourceInfo,
    build_report,
    build_report_columnar,
    build_report_dask,
    demo_report,
    header_key,
    render,
)

__all__ = [
    "COLUMNAR_MIN_BYTES",
    "ENGINES",
    "LARGE_INPUT_BYTES",
    "SAMPLE_ROWS",
    "add_engine_arguments",
    "choose_engine",
    "register",
]

LARGE_INPUT_BYTES: Final = 20 * 1024 * 1024
"""Inputs at least this big get a progress bar on standard error (when it is a terminal)."""
COLUMNAR_MIN_BYTES: Final = 20 * 1024 * 1024
"""``--engine auto`` takes the columnar (DuckDB) path from this input size on (about 100,000
rows): below it, starting DuckDB costs more than it saves (docs/benchmarks.md)."""
ENGINES: Final = ("auto", "streaming", "columnar", "dask")
SAMPLE_ROWS: Final = 10_000
"""``--engine auto`` reads this many rows first: a rejected one sends the file to the streaming
path (the columnar path would read such a file twice: its SQL, then the streaming reader)."""
"""What ``--engine`` may say; every engine gives the same numbers."""
_BAR_WIDTH: Final = 30
_PROGRESS_LINE_WIDTH: Final = 80
_XLSX_MAGIC: Final = b"PK\x03\x04"
_COLUMNAR_SUFFIXES: Final = (".csv", *PARQUET_SUFFIXES)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``report`` and ``demo`` to ``subparsers``."""
    p = subparsers.add_parser(
        "report",
        help="compliance report (Biểu số 06/VPCP/KSTT) from dossier exports",
        description=(
            "Build the Biểu số 06/VPCP/KSTT table from one or more dossier exports: the "
            "interchange CSV, an office's CSV (',' ';' or tab; UTF-8 or UTF-16; Vietnamese "
            "headers; dd/mm/yyyy dates), an XLSX workbook, JSON lines, or the national portal's "
            "records. Exit status: 0 all rows counted; 1 rows rejected (summarised on stderr, "
            "report still written); 2 usage error or unreadable input; 3 no dossier counted."
        ),
    )
    p.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        help="dossier export(s); - reads standard input. Several files are one report (each "
        "counted for its unit, see --by unit)",
    )
    add_period_arguments(p)
    _add_output_arguments(p)
    add_input_arguments(p)
    p.add_argument("--unit", help="reporting unit's name for the title (e.g. 'UBND phường …')")
    p.add_argument(
        "--unit-of",
        action="append",
        default=[],
        metavar="FILE=UNIT",
        help="the unit a file is counted for with --by unit (default: the file's name); "
        "repeat for each file",
    )
    p.add_argument(
        "--rejections",
        metavar="FILE",
        help="write every rejected row to this CSV (source, line, code, column, value, reason)",
    )
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="write the report even when no dossier falls in the period (exit 3 otherwise)",
    )
    add_engine_arguments(p)
    add_duplicate_arguments(
        p, "where that temporary file goes (default: the system's temporary directory)"
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
    d.add_argument(
        "--index",
        action="store_true",
        help="show the Decision 766/QĐ-TTg service index of the demo instead, from an "
        "illustrative sample of the service columns",
    )
    d.set_defaults(func=_run_demo)


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
    add_policy_arguments(p)
    add_form_arguments(p)


class _Progress:
    """A one-line progress bar on standard error, driven by the byte position of the input."""

    def __init__(self, handle: IO[bytes], size: int) -> None:
        self.handle = handle
        self.size = max(size, 1)
        self.started = time.monotonic()

    def __call__(self, rows: int) -> None:
        try:
            done = min(self.handle.tell() / self.size, 1.0)
        except (OSError, ValueError):
            return
        bar = "#" * int(done * _BAR_WIDTH)
        elapsed = time.monotonic() - self.started
        sys.stderr.write(f"\r[{bar:<{_BAR_WIDTH}}] {done:6.1%} {rows:,} rows {elapsed:5.1f}s")
        sys.stderr.flush()

    def finish(self) -> None:
        sys.stderr.write("\r" + " " * _PROGRESS_LINE_WIDTH + "\r")
        sys.stderr.flush()


def _units(args: argparse.Namespace) -> dict[str, str]:
    inputs = {os.path.normpath(f): f for f in args.files if f != "-"}
    units: dict[str, str] = {}
    for item in args.unit_of:
        name, sep, unit = item.partition("=")
        if not sep or not name.strip() or not unit.strip():
            raise InvalidInputError(f"--unit-of {item!r}: write FILE=UNIT")
        given = inputs.get(os.path.normpath(name.strip()))  # ./a.csv names a.csv
        if given is None:
            raise InvalidInputError(f"--unit-of names {name.strip()}, which is not an input")
        if given in units:
            raise InvalidInputError(
                f"--unit-of names {given} twice ({units[given]!r} and {unit.strip()!r})"
            )
        units[given] = unit.strip()
    return units


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    """``--engine`` and ``--verbose`` (``tthc report`` and ``tthc index``)."""
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="streaming (any input), columnar (DuckDB: CSV or Parquet in the interchange "
        "format), dask (one task per file); auto: columnar for large interchange CSV when "
        "DuckDB is installed, else streaming. Same numbers whichever runs",
    )
    p.add_argument(
        "--verbose",
        action="store_true",
        help="say on stderr what was read (format, encoding, delimiter, date order) and which "
        "engine ran and why",
    )


def choose_engine(
    engine: str, files: Sequence[str], intake: IntakeOptions, *, duckdb: bool | None = None
) -> tuple[str, str]:
    """The engine ``--engine`` asks for, and why (what ``--verbose`` says).

    ``auto`` takes the columnar path when DuckDB is installed and every input is a large
    (:data:`COLUMNAR_MIN_BYTES`) CSV or Parquet file read with the default intake; otherwise
    streaming. ``columnar`` or ``dask`` on inputs they cannot read is a usage error.

    >>> import os, tempfile
    >>> small = os.path.join(tempfile.mkdtemp(), "small.csv")
    >>> _ = open(small, "w").write("code")
    >>> choose_engine("auto", [small], IntakeOptions(), duckdb=True)[1]  # doctest: +ELLIPSIS
    '...small.csv is smaller than 20 MiB: starting DuckDB would cost more than it saves'
    >>> choose_engine("auto", [small], IntakeOptions(), duckdb=False)[1]
    'DuckDB is not installed (pip install "tthc[columnar]")'
    """
    installed = importlib.util.find_spec("duckdb") is not None if duckdb is None else duckdb
    parquet = next((f for f in files if f != "-" and _is_parquet(f)), None)
    if parquet is not None and engine in ("auto", "streaming"):
        if engine == "streaming" or not installed:
            raise InvalidInputError(
                f"{parquet} is a Parquet file, which only the columnar engine reads: "
                + (
                    "use --engine columnar (or auto)"
                    if installed
                    else 'it needs DuckDB: pip install "tthc[columnar]"'
                )
            )
        engine = "columnar"
    plain = intake == IntakeOptions() or intake == dataclasses.replace(
        IntakeOptions(), input_format="csv"
    )
    suited = [f for f in files if f != "-" and Path(f).suffix.lower() in _COLUMNAR_SUFFIXES]
    if engine == "columnar":
        if not installed:
            raise InvalidInputError('--engine columnar needs DuckDB: pip install "tthc[columnar]"')
        if len(suited) != len(files) or not plain:
            raise InvalidInputError(
                "--engine columnar reads CSV or Parquet files in the interchange format (no "
                "--encoding, --delimiter, mapping files or standard input): use --engine "
                "streaming (or auto) for this input"
            )
        if parquet is not None:
            return "columnar", f"{parquet} is a Parquet file, which only the columnar engine reads"
        return "columnar", "asked for (--engine columnar)"
    if engine == "dask":
        if importlib.util.find_spec("dask") is None:
            raise InvalidInputError('--engine dask needs Dask: pip install "tthc[dask]"')
        if "-" in files or not plain:
            raise InvalidInputError(
                "--engine dask reads interchange files by path (one task per file): use "
                "--engine streaming for standard input or mapping options"
            )
        return "dask", "asked for (--engine dask)"
    if engine == "streaming":
        return "streaming", "asked for (--engine streaming)"
    if not installed:
        return "streaming", 'DuckDB is not installed (pip install "tthc[columnar]")'
    if not plain:
        return (
            "streaming",
            "reading options were given (the columnar path reads the interchange format)",
        )
    if len(suited) != len(files):
        other = next(f for f in files if f not in suited)
        return "streaming", f"{other} is not named .csv or .parquet (what the columnar path reads)"
    for name in files:
        with open(name, "rb") as handle:
            if handle.read(4) == _XLSX_MAGIC:
                return "streaming", f"{name} is an XLSX workbook"
        if os.path.getsize(name) < COLUMNAR_MIN_BYTES:
            return (
                "streaming",
                f"{name} is smaller than {COLUMNAR_MIN_BYTES // 2**20} MiB: starting DuckDB "
                "would cost more than it saves",
            )
        rejected = _first_rejection(name)
        if rejected is not None:
            return (
                "streaming",
                f"{name}: line {rejected} of its first {SAMPLE_ROWS:,} rows is rejected, and "
                "the columnar path hands a file with rejected rows to the streaming one",
            )
    return (
        "columnar",
        f"DuckDB is installed, every input is {COLUMNAR_MIN_BYTES // 2**20} MiB or more and "
        f"its first {SAMPLE_ROWS:,} rows are clean",
    )


def _is_parquet(name: str) -> bool:
    """Whether ``name`` is named as a Parquet file (one named otherwise is refused by the
    streaming reader, which knows it by its first bytes)."""
    return Path(name).suffix.lower() in PARQUET_SUFFIXES


def _first_rejection(name: str) -> int | None:
    """The line of the first rejected row among the first :data:`SAMPLE_ROWS` of ``name``
    (read by the streaming reader, no duplicate check), or ``None``."""
    from itertools import islice

    from tthc.errors import RowRejectedError
    from tthc.report import read_records

    try:
        for item in islice(read_records(name, check_duplicates=False), SAMPLE_ROWS):
            if isinstance(item, RowRejectedError):
                return item.line
    except TthcError:
        return 1  # the streaming path will say what is wrong
    return None


def _run_report(args: argparse.Namespace) -> int:
    command = f"tthc {args.command}"
    _lists.check_list_options(args)
    if args.spill_dir is not None:
        check_directory("--spill-dir", args.spill_dir)
    period = period_of(args)
    policy = policy_of(args)
    intake = intake_options(args)
    units = _units(args)
    fmt = output_format(args.format, args.output, FORMATS)
    check_outputs(
        [*args.files, *option_files(args)],
        ("-o", args.output),
        ("--rejections", args.rejections),
    )
    if args.files.count("-") > 1:
        raise InvalidInputError("standard input (-) can be read once")
    check_distinct_inputs(args.files)
    check = duplicate_check(args)
    options = ReportOptions(group_by=args.by, policy=policy, check_duplicates=check, unit=args.unit)
    engine, why = choose_engine(args.engine, args.files, intake)
    trace = _lists.report_trace_wanted(args)  # the dossiers behind the cells (lists, HTML)
    if trace and engine != "streaming":
        if _lists.report_list_wanted(args):
            parquet = next((f for f in args.files if _is_parquet(f)), None)
            if parquet is not None:
                raise InvalidInputError(
                    "--list and --due-within need the streaming engine, which does not read "
                    f"Parquet ({parquet}): give the rows as CSV"
                )
            if args.engine != "auto":
                raise InvalidInputError(
                    f"--list and --due-within need the streaming engine, not --engine {engine}"
                )
            engine, why = "streaming", "a list of dossiers is asked (only streaming keeps them)"
        else:
            trace = False  # HTML without links to the lists rather than another engine
    if args.verbose:
        print(f"{command}: engine {engine}: {why}", file=sys.stderr)
    several = len(args.files) > 1
    try:
        return _build_and_write(
            args, command, period, options, intake, engine, units, fmt, several, trace
        )
    except _Abort as stop:
        return stop.status


def _build_and_write(
    args: argparse.Namespace,
    command: str,
    period: Period,
    options: ReportOptions,
    intake: IntakeOptions,
    engine: str,
    units: dict[str, str],
    fmt: str,
    several: bool,
    trace: bool,
) -> int:
    if "unit" in options.group_by:
        check_unit_names(
            [(n, Path(n).stem) for n in args.files if n != "-" and n not in units],
            "name each with --unit-of FILE=UNIT",
        )
    with RejectionLog(args.rejections) as log:
        report: Report | None = None
        for name in args.files:
            unit = units.get(name) or (
                (Path(name).stem if name != "-" else "<stdin>")
                if "unit" in options.group_by
                else args.unit
            )
            per_file = dataclasses.replace(options, unit=unit)
            with decoding(name, intake.encoding):
                one = _report_of(name, period, per_file, intake, engine, log, several, trace)
            for info in one.sources:
                print_lines(_unused_column_names(command, intake, info))
                if args.verbose:
                    print(f"{command}: read {info.describe()}", file=sys.stderr)
                    print_lines(_columns_read(command, info))
            report = one if report is None else report.merge(one)
        assert report is not None
        if several or args.unit is not None:
            report = dataclasses.replace(report, unit=args.unit, source=", ".join(args.files))
        empty = report.rows_counted == 0
        if empty and not args.allow_empty:
            print_lines(log.summary(command, report.rows_read))
            print(_empty_message(command, report, period, args.files), file=sys.stderr)
            raise _Abort(EXIT_EMPTY)
        if _lists.report_list_wanted(args):
            output, fmt = _lists.report_list(args, report)
        else:
            output = render(
                report, fmt, options=form_options(args), width=terminal_width(args.output)
            )
        log.flush()  # a list that cannot be written stops us before the output is replaced
        write_output(output, args.output, fmt)
    if args.verbose:
        print(
            f"{command}: rows read {report.rows_read:,}, counted {report.rows_counted:,}, "
            f"outside the period {report.rows_outside_period:,}, rejected "
            f"{report.rows_rejected:,}",
            file=sys.stderr,
        )
    print_lines(log.summary(command, report.rows_read))
    return EXIT_INPUT_PROBLEMS if report.rows_rejected else EXIT_OK


def _columns_read(command: str, info: SourceInfo) -> Iterator[str]:
    """What ``--verbose`` says of an input's header: the interchange column each header was
    read as, and the headers not used (a header meant as a column shows up here)."""
    if info.columns:
        mapped = ", ".join(f"{header} → {column}" for header, column in info.columns)
        yield f"{command}:   columns: {mapped}"
    if info.ignored:
        yield f"{command}:   not used: {', '.join(info.ignored)}"


def _unused_column_names(command: str, intake: IntakeOptions, info: SourceInfo) -> Iterator[str]:
    """A warning for each ``--columns`` entry naming a header the input does not have (a typo
    in the mapping file would otherwise pass unnoticed)."""
    if not intake.columns or (not info.columns and not info.ignored):
        return
    headers = {header_key(h) for h, _ in info.columns} | {header_key(h) for h in info.ignored}
    unused = [name for name in intake.columns if header_key(name) not in headers]
    if unused:
        names = ", ".join(repr(n) for n in unused)
        yield f"{command}: warning: --columns maps {names}, which {info.name} has no header for"


class _Abort(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Stop after the rejection log is discarded, with an exit status."""

    def __init__(self, status: int) -> None:
        self.status = status


def _report_of(
    name: str,
    period: Period,
    options: ReportOptions,
    intake: IntakeOptions,
    engine: str,
    log: RejectionLog,
    several: bool,
    trace: bool = False,
) -> Report:
    """The report of one input on ``engine``, rejections sent to ``log``; ``trace`` keeps the
    dossiers behind the cells (streaming only)."""
    label = name if several else None
    if engine == "columnar":
        try:
            return build_report_columnar(name, period, options, fallback=False)
        except InputFormatError:
            pass  # rows the SQL cannot judge exactly (or none it can read): streaming below
    if engine == "dask":
        report = build_report_dask([name], period, options, scheduler="processes")
        for rejection in report.rejections:
            log(rejection._replace(source=label) if label else rejection)
        log.count_unlisted(report.rows_rejected - len(report.rejections))
        return dataclasses.replace(report, source=name)
    if name == "-":
        stdin = getattr(sys.stdin, "buffer", sys.stdin)  # bytes: the encoding is detected
        report = build_report(
            stdin, period, options, intake=intake, on_reject=log, label=label, trace=trace
        )
        return dataclasses.replace(report, source="<stdin>")
    stat_before = _stat(name)
    with open(name, "rb") as head:
        xlsx = head.read(4) == _XLSX_MAGIC
    if xlsx:
        report = build_report(
            name, period, options, intake=intake, on_reject=log, label=label, trace=trace
        )
    else:
        handle = open(name, "rb")  # noqa: SIM115 - closed below
        progress = None
        if sys.stderr.isatty() and (stat_before or (0, 0))[0] >= LARGE_INPUT_BYTES:
            progress = _Progress(handle, (stat_before or (0, 0))[0])
        try:
            report = build_report(
                handle,
                period,
                options,
                intake=intake,
                on_reject=log,
                label=label,
                progress=progress,
                trace=trace,
            )
        finally:
            if progress is not None:
                progress.finish()
            handle.close()
    stat_after = _stat(name)
    if stat_after != stat_before:
        raise InputChangedError(name, stat_before or (0, 0), stat_after or (0, 0))
    return dataclasses.replace(report, source=name)


def _stat(name: str) -> tuple[int, int] | None:
    try:
        st = os.stat(name)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _empty_message(command: str, report: Report, period: Period, files: Sequence[str]) -> str:
    asked = period_text(period)
    what = ", ".join(files)
    check = ""  # --period is worth checking only when valid rows fell outside it
    if report.rows_read and report.rows_rejected == report.rows_read:
        found = "every row was rejected (see above)"
    elif report.rows_read == 0:
        found = (
            "it has no data rows, only a header"
            if len(files) == 1
            else "they have no data rows, only headers"
        )
    else:
        found = f"its {report.rows_outside_period:,} valid row(s) fall outside it"
        span = report.outside_receipts
        if span is not None:
            found += f": receipts run from {span[0]:%d/%m/%Y} to {span[1]:%d/%m/%Y}"
        check = "Check --period, or give"
    return (
        f"{command}: no dossier of {what} is counted in {asked}: {found}. {check or 'Give'} "
        "--allow-empty to write the empty form anyway (without it: exit 3, nothing written)"
    )


def _run_demo(args: argparse.Namespace) -> int:
    if args.index:
        from tthc._cli._index import run_demo_index  # loaded only for the index

        return run_demo_index(args)
    report = demo_report(group_by=args.by, policy=policy_of(args))
    fmt = output_format(args.format, args.output, FORMATS)
    output = render(report, fmt, options=form_options(args), width=terminal_width(args.output))
    write_output(output, args.output, fmt)
    return EXIT_OK
