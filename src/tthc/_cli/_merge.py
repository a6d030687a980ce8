"""``tthc merge``: ward reports (JSON) rolled up into one province report."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from tthc._cli._exit import EXIT_INPUT_PROBLEMS, EXIT_OK
from tthc._cli._form import add_form_arguments, form_options, terminal_width
from tthc._cli._output import check_not_an_input, output_format, write_output
from tthc.errors import InputFormatError, ReportError
from tthc.report import DIMENSIONS, FORMATS, Counts, Report, fold_label, load_mapping, render

__all__ = ["read_report", "register", "regroup"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``merge`` to ``subparsers``."""
    p = subparsers.add_parser(
        "merge",
        help="roll ward reports (JSON from tthc report --format json) up into one report",
        description=(
            "Merge reports written by 'tthc report --format json' (one per ward, or per part of "
            "a dataset) into one: counters add up, each source's unit and rejections are kept. "
            "The reports must agree on the period, the counting policy and the working "
            "calendar; the one that differs is named. Exit status: 0 merged; 1 some input "
            "report had rejected rows; 2 usage error or an input that cannot be merged."
        ),
    )
    p.add_argument("reports", metavar="REPORT.json", nargs="+", help="reports to merge")
    p.add_argument("--unit", help="the merged report's unit, e.g. 'UBND tỉnh Nghệ An'")
    p.add_argument(
        "--by",
        help=(
            "regroup by one or more of the inputs' dimensions and 'unit' (each input's unit), "
            "e.g. 'unit' or 'unit,domain' (default: the inputs' own grouping)"
        ),
    )
    p.add_argument(
        "--domain-map",
        metavar="FILE",
        help="TOML or CSV mapping the wards' domain labels to the domain counted",
    )
    p.add_argument("--format", choices=FORMATS, help="output format (default: from -o, else table)")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (default: stdout)")
    add_form_arguments(p)
    p.set_defaults(func=_run_merge)


def read_report(path: str) -> Report:
    """A report written by ``tthc report --format json``, refused with its file named.

    Raises:
        InputFormatError: unreadable or not a report.
    """
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise InputFormatError(f"{path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputFormatError(f"{path}: not a JSON report: {exc}") from None
    try:
        report = Report.from_dict(data)
    except ReportError as exc:
        raise InputFormatError(f"{path}: {exc}") from None
    if report.unit is None:
        report = dataclasses.replace(report, unit=Path(path).stem)
    if report.source is None:
        report = dataclasses.replace(report, source=path)
    labelled = tuple(
        r if r.source else r._replace(source=report.unit or path) for r in report.rejections
    )
    return dataclasses.replace(report, rejections=labelled)


def regroup(report: Report, by: tuple[str, ...], domains: dict[str, str] | None = None) -> Report:
    """``report`` grouped by ``by`` (among its dimensions and ``unit``, its unit), its
    domain labels mapped by ``domains`` (keys matched ignoring case and Unicode form).

    Raises:
        ReportError: a dimension the report was not grouped by.
    """
    missing = [d for d in by if d != "unit" and d not in report.group_by]
    if missing:
        raise ReportError(
            f"{report.source or report.unit}: grouped by {','.join(report.group_by)}, so it "
            f"cannot be regrouped by {','.join(missing)}"
        )
    folded = {fold_label(k): v for k, v in (domains or {}).items()}
    groups: dict[tuple[str, ...], Counts] = {}
    for key, counts in report.groups.items():
        values = dict(zip(report.group_by, key, strict=True))
        if "domain" in values and folded:
            values["domain"] = folded.get(fold_label(values["domain"]), values["domain"])
        values["unit"] = report.unit or ""
        new_key = tuple(values[d] for d in by)
        groups[new_key] = groups[new_key] + counts if new_key in groups else counts
    return dataclasses.replace(report, group_by=by, groups=groups)


def _run_merge(args: argparse.Namespace) -> int:
    fmt = output_format(args.format, args.output, FORMATS)
    check_not_an_input(args.output, args.reports)
    reports = [read_report(path) for path in args.reports]
    by = tuple(d.strip() for d in args.by.split(",")) if args.by else reports[0].group_by
    bad = [d for d in by if d not in DIMENSIONS]
    if bad:
        raise ReportError(f"cannot group by {','.join(bad)}: choose among {', '.join(DIMENSIONS)}")
    domains = load_mapping(args.domain_map, "domain map") if args.domain_map else None
    first = reports[0]
    for path, report in zip(args.reports[1:], reports[1:], strict=True):
        for what, mine, theirs in (
            ("period", first.period.code, report.period.code),
            ("counting policy", first.policy.model_dump(), report.policy.model_dump()),
            ("working calendar", first.calendar_fingerprint, report.calendar_fingerprint),
        ):
            if mine != theirs:
                raise ReportError(
                    f"{path} differs from {args.reports[0]} in its {what}: {theirs} vs {mine}; "
                    "recompute it on the same"
                )
    merged: Report | None = None
    for report in reports:
        part = regroup(report, by, domains)
        merged = part if merged is None else merged.merge(part)
    assert merged is not None
    merged = dataclasses.replace(
        merged, unit=args.unit, source=", ".join(args.reports), sources=merged.sources
    )
    output = render(merged, fmt, options=form_options(args), width=terminal_width())
    write_output(output, args.output, fmt)
    return EXIT_INPUT_PROBLEMS if merged.rows_rejected else EXIT_OK
