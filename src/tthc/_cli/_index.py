"""``tthc index`` (and ``tthc demo --index``): the Decision 766/QĐ-TTg service index.

``tthc index FILE… --period P [--by unit|domain|procedure|agency] [--format FMT] [-o OUT]``
reads each file with the report's readers (one file per unit), computes the index of the
period, and writes it; ``--list INDICATOR[:TERM]`` writes the dossiers behind an indicator's
term instead. Exit status: 0 every row counted; 1 rows rejected (listed on standard error, the
output still written); 2 usage error; 3 no dossier of the period in the input (nothing written,
unless ``--allow-empty``).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any, Final

from tthc._cli import _lists
from tthc._cli._common import check_directory
from tthc._cli._exit import EXIT_EMPTY, EXIT_INPUT_PROBLEMS, EXIT_OK
from tthc._cli._form import refuse_form_options, terminal_width
from tthc._cli._input import (
    RejectionLog,
    add_duplicate_arguments,
    add_input_arguments,
    add_period_arguments,
    add_policy_arguments,
    check_distinct_inputs,
    check_readable,
    decoding,
    duplicate_check,
    intake_options,
    option_files,
    period_of,
    policy_of,
    print_lines,
)
from tthc._cli._output import check_outputs, output_format, write_output
from tthc._cli._report import add_engine_arguments, choose_engine
from tthc.errors import InputFormatError, InvalidInputError
from tthc.index import (
    INDEX_FORMATS,
    IndexCounts,
    IndexInputs,
    ServiceIndex,
    build_index,
    build_index_columnar,
    build_index_dask,
    read_index_inputs,
    render_index,
)
from tthc.report import (
    IntakeOptions,
    ListedDossier,
    Period,
    ReportOptions,
    render_dossier_list,
)

__all__ = ["INDEX_GROUPINGS", "register", "run_demo_index"]

INDEX_GROUPINGS: Final = ("unit", "domain", "procedure", "agency")
"""What ``tthc index --by`` groups by: one group per input file (unit), or a dimension."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``index`` to ``subparsers`` (``tthc demo --index`` is the report module's, which
    calls :func:`run_demo_index`)."""
    p = subparsers.add_parser(
        "index",
        help="the Decision 766/QĐ-TTg service index from dossier files (one per unit)",
        description=(
            "Compute the indicators of the Decision 766/QĐ-TTg service index a unit's dossiers "
            "can give (1.4, 2.1, 2.2, 3.3, 3.6, 4.1–4.5, 5.4), as the national portal describes "
            "them (portal practice, not law). Exit status: 0 all rows counted; 1 rows rejected "
            "(listed on stderr, output still written); 2 usage error; 3 no dossier in the period."
        ),
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="dossier exports, one per unit: CSV (any delimiter), XLSX, JSON lines, the "
        "portal's records, or - (standard input, alone)",
    )
    add_period_arguments(p)
    p.add_argument(
        "--by",
        default="domain",
        choices=INDEX_GROUPINGS,
        help="one group per unit (input file), or by domain (default), procedure or agency",
    )
    p.add_argument("--format", choices=INDEX_FORMATS, help="output format (default: from -o)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (default: stdout)")
    p.add_argument(
        "--lang",
        choices=("vi", "en", "bilingual"),
        default="bilingual",
        help="language of the output (default bilingual)",
    )
    p.add_argument(
        "--unit",
        action="append",
        metavar="NAME",
        help="the unit's name; once per FILE, in order (default: each file's name)",
    )
    p.add_argument(
        "--inputs",
        metavar="FILE",
        help="JSON or CSV with the indicators the dossiers cannot give (1.1–1.3, 3.1, 3.2, 3.5, "
        "4.6, 4.7, 5.1–5.3)",
    )
    p.add_argument(
        "--catalog",
        metavar="FILE",
        help="procedure catalogue for the fee and result-kind fallbacks (default: bundled)",
    )
    p.add_argument(
        "--list",
        dest="list_term",
        metavar="INDICATOR[:TERM]",
        help="write the dossiers behind an indicator instead (TERM: numerator, denominator "
        "(default), not_counted, unknown; 2.1:differs, 5.4:late, 5.4:complaint)",
    )
    p.add_argument(
        "--group",
        dest="list_group",
        metavar="KEY",
        help="with --list: only this group (a domain, procedure or agency, or a unit's name)",
    )
    add_policy_arguments(p)  # Biểu số 06's choices, to tell where 2.1 differs from it
    add_input_arguments(p)
    add_engine_arguments(p)
    p.add_argument(
        "--rejections",
        metavar="FILE",
        help="write every rejected row to this CSV file (source, line, code, column, value, "
        "reason)",
    )
    add_duplicate_arguments(p, "where temporary files go")
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="write the index even when no dossier of the input falls in the period",
    )
    p.set_defaults(func=_run_index)


def _format(args: argparse.Namespace) -> str:
    return output_format(args.format, args.output, INDEX_FORMATS)


def _units(args: argparse.Namespace) -> list[str | None]:
    files: list[str] = args.files
    if args.unit is None:  # standard input has no name to give
        return [None if f == "-" else Path(f).stem for f in files]
    if len(args.unit) != len(files):
        raise InvalidInputError(
            f"give --unit once per FILE ({len(files)} file(s), {len(args.unit)} --unit)"
        )
    return [str(u) for u in args.unit]


def _check_paths(args: argparse.Namespace) -> None:
    files: list[str] = args.files
    if "-" in files and len(files) > 1:
        raise InvalidInputError("standard input (-) can only be the one FILE")
    check_distinct_inputs(files)
    check_outputs(
        [*files, *option_files(args)], ("-o", args.output), ("--rejections", args.rejections)
    )


def _build(
    args: argparse.Namespace,
    period: Period,
    options: ReportOptions,
    trace: bool,
    log: RejectionLog,
) -> list[ServiceIndex]:
    results = []
    group_by = ("domain",) if args.by == "unit" else (args.by,)
    intake = intake_options(args)
    several = len(args.files) > 1
    engine, why = choose_engine(args.engine, args.files, intake)
    if trace and engine != "streaming":
        if args.engine != "auto":
            raise InvalidInputError(f"--list needs the streaming engine, not --engine {engine}")
        engine, why = "streaming", "a list of dossiers is asked (only streaming keeps them)"
    if args.verbose:
        print(f"tthc index: engine {engine}: {why}", file=sys.stderr)
    for name, unit in zip(args.files, _units(args), strict=True):
        stdin = name == "-"
        source = getattr(sys.stdin, "buffer", sys.stdin) if stdin else name
        per_file = dataclasses.replace(options, group_by=group_by, unit=unit)
        label = name if several else None
        with decoding(name, intake.encoding):
            result = _index_of(
                args, name, source, period, per_file, engine, intake, log, label, trace
            )
        shown = "<stdin>" if stdin else name
        report = result.report
        if report is not None:
            report = dataclasses.replace(report, source=shown)
        results.append(dataclasses.replace(result, source=shown, report=report))
    return results


def _index_of(
    args: argparse.Namespace,
    name: str,
    source: object,
    period: Period,
    options: ReportOptions,
    engine: str,
    intake: IntakeOptions,
    log: RejectionLog,
    label: str | None,
    trace: bool,
) -> ServiceIndex:
    """The index of one input on ``engine`` (the columnar path falls back to streaming on
    rows its SQL cannot judge exactly, as ``tthc report`` does)."""
    if engine == "columnar":
        try:
            return build_index_columnar(name, period, options, catalog=args.catalog, fallback=False)
        except InputFormatError:
            pass  # streaming below
    if engine == "dask":
        result = build_index_dask([name], period, options, catalog=args.catalog)
        if result.report is not None:
            for rejection in result.report.rejections:
                log(rejection._replace(source=label) if label else rejection)
            log.count_unlisted(result.rows_rejected - len(result.report.rejections))
        return result
    return build_index(
        source,  # type: ignore[arg-type]
        period,
        options,
        catalog=args.catalog,
        trace=trace,
        intake=intake,
        on_reject=log,
        label=label,
    )


def _combine(
    args: argparse.Namespace, results: list[ServiceIndex], inputs: IndexInputs | None
) -> ServiceIndex:
    if args.by == "unit":
        first = results[0]
        groups: dict[tuple[str, ...], IndexCounts] = {}
        for result in results:
            key = (result.unit or "",)
            if key in groups:
                raise InvalidInputError(f"two files have the unit name {key[0]!r}: give --unit")
            groups[key] = result.totals
        combined = ServiceIndex(
            period=first.period,
            group_by=("unit",),
            groups=groups,
            policy=first.policy,
            rows_read=sum(r.rows_read for r in results),
            rows_rejected=sum(r.rows_rejected for r in results),
            calendar_fingerprint=first.calendar_fingerprint,
            calendar_notices=first.calendar_notices,
        )
    else:
        combined = results[0]
        for result in results[1:]:
            combined = combined.merge(dataclasses.replace(result, unit=combined.unit))
    unit = results[0].unit if len(results) == 1 else None
    source = results[0].source if len(results) == 1 else None
    return dataclasses.replace(combined, inputs=inputs, unit=unit, source=source)


def _options(args: argparse.Namespace) -> ReportOptions:
    return ReportOptions(policy=policy_of(args), check_duplicates=duplicate_check(args))


def _run_index(args: argparse.Namespace) -> int:
    _lists.check_list_options(args, "--list INDICATOR")
    if args.spill_dir is not None:
        check_directory("--spill-dir", args.spill_dir)
    _check_paths(args)
    if args.catalog is not None:  # a catalogue that cannot be read: exit 2 before any work
        from tthc.catalog import load

        load(args.catalog)
    period = period_of(args)
    if args.inputs:
        check_readable("--inputs", args.inputs)
    inputs = read_index_inputs(args.inputs) if args.inputs else None
    fmt = _lists.list_format(args) if args.list_term else _format(args)
    trace = bool(args.list_term)
    command = "tthc index"
    try:
        with RejectionLog(args.rejections) as log:
            results = _build(args, period, _options(args), trace, log)
            read = sum(r.rows_read for r in results)
            counted = sum(r.report.rows_counted for r in results if r.report is not None)
            if not counted and not args.allow_empty:
                print_lines(log.summary(command, read))
                print(
                    f"{command}: no dossier of the period {period.code} in the input ({read:,} "
                    "row(s) read); nothing written (--allow-empty writes the empty index)",
                    file=sys.stderr,
                )
                raise _Empty
            if args.list_term:
                output: str | bytes = _list_output(args, results)
            else:
                combined = _combine(args, results, inputs)
                output = render_index(
                    combined, fmt, lang=args.lang, width=terminal_width(args.output)
                )
            log.flush()  # a list that cannot be written stops us before the output
            write_output(output, args.output, fmt)
    except _Empty:
        return EXIT_EMPTY
    print_lines(log.summary(command, read))
    return EXIT_INPUT_PROBLEMS if log.total else EXIT_OK


class _Empty(Exception):  # noqa: N818 - a control-flow signal, not an error
    """No dossier of the period: the rejection log is discarded, exit status 3."""


def _list_output(args: argparse.Namespace, results: list[ServiceIndex]) -> str | bytes:
    entries: list[ListedDossier] = []
    by_unit = args.by == "unit"
    for result in results:
        group = None
        if args.list_group is not None:
            if by_unit:
                if args.list_group != result.unit:
                    continue
            else:
                group = (args.list_group,)
                if group not in result.groups:
                    continue
        listed = result.dossiers(args.list_term, group)
        if by_unit:
            listed = [e._replace(group=(result.unit or "",)) for e in listed]
        entries += listed
    if (
        args.list_group is not None
        and not entries
        and not any(
            (args.list_group == r.unit) if by_unit else ((args.list_group,) in r.groups)
            for r in results
        )
    ):
        raise InvalidInputError(f"no group {args.list_group!r} in the index")
    group_by = ("unit",) if by_unit else (args.by,)
    title = (
        f"{args.list_term} — {args.list_group or 'tổng cộng (totals)'} — {results[0].period.code}"
    )
    return render_dossier_list(entries, _lists.list_format(args), group_by=group_by, title=title)


def run_demo_index(args: argparse.Namespace) -> int:
    """``tthc demo --index``: the service index of the bundled example."""
    from tthc.index import demo_index

    refuse_form_options(args, "the service index (--index)")
    fmt = _format(args)
    if fmt not in INDEX_FORMATS:
        raise InvalidInputError(f"the index is written as {', '.join(INDEX_FORMATS)}")
    by = args.by if args.by in INDEX_GROUPINGS[1:] else None
    if by is None:
        raise InvalidInputError(
            f"demo --index groups by domain, procedure or agency, not {args.by}"
        )
    index = demo_index(policy=policy_of(args), group_by=by)  # as tthc index takes them
    lang = getattr(args, "lang", None) or "bilingual"
    output = render_index(index, fmt, lang=lang, width=terminal_width(args.output))
    write_output(output, args.output, fmt)
    return EXIT_OK
