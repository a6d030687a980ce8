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
from tthc._cli._exit import EXIT_EMPTY, EXIT_INPUT_PROBLEMS, EXIT_OK
from tthc._cli._form import terminal_width
from tthc._io import open_text, same_file
from tthc.errors import InvalidInputError
from tthc.index import (
    INDEX_FORMATS,
    IndexCounts,
    IndexInputs,
    ServiceIndex,
    build_index,
    read_index_inputs,
    render_index,
)
from tthc.report import (
    DEFAULT_CODES_IN_MEMORY,
    INPUT_FORMATS,
    DuplicateCheck,
    ListedDossier,
    Period,
    ReportOptions,
    ReportPolicy,
    rejections_not_listed,
)

__all__ = ["INDEX_GROUPINGS", "register"]

INDEX_GROUPINGS: Final = ("unit", "domain", "procedure", "agency")
"""What ``tthc index --by`` groups by: one group per input file (unit), or a dimension."""

_SUFFIX_FORMATS: Final = {
    ".csv": "csv",
    ".json": "json",
    ".md": "md",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".txt": "table",
}


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``index``, and ``--index`` to ``demo`` (registered before, by the report module)."""
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
        help="dossier files, one per unit: .csv, .jsonl/.ndjson, or - (stdin, alone)",
    )
    p.add_argument("--period", help="2024-03, 2024-Q1, 2024-H1, 2024-9M or 2024")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD)")
    p.add_argument(
        "--official-cutoff",
        action="store_true",
        help="official data cut-off: 15th of the month before to 14th of the last month",
    )
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
    p.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="input format (default: from the file name; stdin is CSV)",
    )
    p.add_argument(
        "--withdrawn",
        choices=("on_time", "exclude", "by_date"),
        default="on_time",
        help="Biểu số 06's count of withdrawn dossiers (to tell where 2.1 differs from it)",
    )
    p.add_argument(
        "--repeated-supplement",
        choices=("by_date", "late"),
        default="by_date",
        help="Biểu số 06's count of resolved dossiers with repeated supplement requests",
    )
    p.add_argument(
        "--no-duplicate-check",
        action="store_true",
        help="do not reject repeated dossier codes (for inputs known to be unique)",
    )
    p.add_argument(
        "--codes-in-memory",
        type=int,
        default=DEFAULT_CODES_IN_MEMORY,
        metavar="N",
        help="codes the duplicate check keeps in memory before the rest go to a temporary file",
    )
    p.add_argument("--spill-dir", metavar="DIR", help="where temporary files go")
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="write the index even when no dossier of the input falls in the period",
    )
    p.set_defaults(func=_run_index)
    demo = subparsers.choices.get("demo")
    if demo is not None:
        demo.add_argument(
            "--index",
            action="store_true",
            help="show the Decision 766/QĐ-TTg service index of the demo instead, from an "
            "illustrative sample of the service columns (tthc/index/data)",
        )
        plain = demo.get_default("func")
        demo.set_defaults(func=lambda args: _run_demo_index(args) if args.index else plain(args))


def _period(args: argparse.Namespace) -> Period:
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
    if len(set(files)) != len(files):
        raise InvalidInputError("a FILE is given twice: each unit's file once")
    if args.output:
        for name in files:
            if name != "-" and same_file(name, args.output):
                raise InvalidInputError(f"-o {args.output} would overwrite the input {name}")


def _build(
    args: argparse.Namespace,
    period: Period,
    options: ReportOptions,
    trace: bool,
) -> list[ServiceIndex]:
    results = []
    group_by = ("domain",) if args.by == "unit" else (args.by,)
    for name, unit in zip(args.files, _units(args), strict=True):
        stdin = name == "-"
        handle, owned = (sys.stdin, False) if stdin else open_text(name)
        try:
            result = build_index(
                handle,
                period,
                dataclasses.replace(options, group_by=group_by, unit=unit),
                catalog=args.catalog,
                trace=trace,
                input_format=args.input_format,
            )
        finally:
            if owned:
                handle.close()
        source = "<stdin>" if stdin else name
        report = result.report
        if report is not None:
            report = dataclasses.replace(report, source=source)
        results.append(dataclasses.replace(result, source=source, report=report))
    return results


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
        )
    else:
        combined = results[0]
        for result in results[1:]:
            combined = combined.merge(dataclasses.replace(result, unit=combined.unit))
    unit = results[0].unit if len(results) == 1 else None
    source = results[0].source if len(results) == 1 else None
    return dataclasses.replace(combined, inputs=inputs, unit=unit, source=source)


def _options(args: argparse.Namespace) -> ReportOptions:
    check: DuplicateCheck | bool = False
    if not args.no_duplicate_check:
        if args.codes_in_memory < 1:
            raise InvalidInputError("--codes-in-memory must be at least 1")
        check = DuplicateCheck(codes_in_memory=args.codes_in_memory, spill_dir=args.spill_dir)
    policy = ReportPolicy(withdrawn=args.withdrawn, repeated_supplement=args.repeated_supplement)
    return ReportOptions(policy=policy, check_duplicates=check)


def _run_index(args: argparse.Namespace) -> int:
    _check_paths(args)
    period = _period(args)
    inputs = read_index_inputs(args.inputs) if args.inputs else None
    fmt = None if args.list_term else _format(args)
    trace = bool(args.list_term)
    results = _build(args, period, _options(args), trace)
    counted = sum(r.report.rows_counted for r in results if r.report is not None)
    if not counted and not args.allow_empty:
        read = sum(r.rows_read for r in results)
        print(
            f"tthc index: no dossier of the period {period.code} in the input ({read} row(s) "
            "read); nothing written (--allow-empty writes the empty index)",
            file=sys.stderr,
        )
        _print_rejections(args, results)
        return EXIT_EMPTY
    if args.list_term:
        return _emit_list(args, results)
    combined = _combine(args, results, inputs)
    assert fmt is not None
    output = render_index(combined, fmt, lang=args.lang, width=terminal_width())
    _lists.write_output(args, output, fmt)
    return _print_rejections(args, results)


def _emit_list(args: argparse.Namespace, results: list[ServiceIndex]) -> int:
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
    reports = [r.report for r in results if r.report is not None]
    return _lists.emit_list(args, entries, group_by, title, reports)


def _print_rejections(args: argparse.Namespace, results: list[ServiceIndex]) -> int:
    rejected = sum(r.rows_rejected for r in results)
    if not rejected:
        return EXIT_OK
    for result in results:
        report = result.report
        if report is None:
            continue
        for rejection in report.rejections:
            where = f"{result.source}: " if len(results) > 1 else ""
            print(f"tthc index: rejected {where}{rejection}", file=sys.stderr)
        hidden = rejections_not_listed(report)
        if hidden:
            print(f"tthc index: … and {hidden} more rejected row(s)", file=sys.stderr)
    read = sum(r.rows_read for r in results)
    print(
        f"tthc index: {rejected} of {read} row(s) rejected; the index counts the others",
        file=sys.stderr,
    )
    return EXIT_INPUT_PROBLEMS


def _run_demo_index(args: argparse.Namespace) -> int:
    from tthc.index import demo_index

    fmt = _format(args)
    if fmt not in INDEX_FORMATS:
        raise InvalidInputError(f"the index is written as {', '.join(INDEX_FORMATS)}")
    by = args.by if args.by in INDEX_GROUPINGS[1:] else None
    if by is None:
        raise InvalidInputError(
            f"demo --index groups by domain, procedure or agency, not {args.by}"
        )
    index = demo_index(group_by=by)
    lang = getattr(args, "lang", None) or "bilingual"
    output = render_index(index, fmt, lang=lang, width=terminal_width())
    _lists.write_output(args, output, fmt)
    return EXIT_OK
