"""``tthc merge``: ward reports (JSON) rolled up into one province report — Biểu số 06
reports (``tthc report --format json``) or Decision 766 service indexes (``tthc index
--format json``), told apart by their JSON."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tthc._cli._exit import EXIT_INPUT_PROBLEMS, EXIT_OK
from tthc._cli._form import (
    add_form_arguments,
    form_options,
    refuse_form_options,
    terminal_width,
)
from tthc._cli._input import (
    RejectionLog,
    check_distinct_inputs,
    check_unit_names,
    option_files,
    period_text,
    print_lines,
)
from tthc._cli._output import check_outputs, output_format, write_output
from tthc.errors import InputFormatError, ReportError
from tthc.index import INDEX_FORMATS, IndexCounts, ServiceIndex, render_index
from tthc.report import DIMENSIONS, FORMATS, Counts, Report, fold_label, load_mapping, render

__all__ = ["read_index", "read_report", "register", "regroup", "regroup_index"]

_COMMAND = "tthc merge"
SERVICE_INDEX_KIND = "service_index"
"""The ``kind`` of a service index's JSON (:meth:`tthc.index.ServiceIndex.to_dict`)."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``merge`` to ``subparsers``."""
    p = subparsers.add_parser(
        "merge",
        help="roll ward reports or service indexes (JSON from tthc report/index --format "
        "json) up into one",
        description=(
            "Merge reports written by 'tthc report --format json' (one per ward, or per part of "
            "a dataset) into one: counters add up, each source's unit and rejections are kept. "
            "Service indexes written by 'tthc index --format json' merge the same way "
            "(numerators and denominators add). "
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
    p.add_argument(
        "--format",
        choices=sorted(set(FORMATS) | set(INDEX_FORMATS)),
        help="output format (default: from -o, else table)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (default: stdout)")
    add_form_arguments(p)
    p.set_defaults(func=_run_merge)


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise InputFormatError(f"{path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputFormatError(f"{path}: not a JSON report: {exc}") from None


def _kind(data: Any) -> str:
    return str(data.get("kind", "report")) if isinstance(data, dict) else "report"


def read_report(path: str, data: Any = None) -> Report:
    """A report written by ``tthc report --format json``, refused with its file named
    (``data``: its JSON, if already read).

    Raises:
        InputFormatError: unreadable or not a report.
    """
    if data is None:
        data = _read_json(path)
    try:
        report = Report.from_dict(data)
    except ReportError as exc:
        raise InputFormatError(f"{path}: {exc}") from None
    if report.unit is None:
        report = dataclasses.replace(report, unit=Path(path).stem)
    if report.source is None:
        report = dataclasses.replace(report, source=path)
    # A rejection is named by the input it was read from, as the report's notes name it.
    labelled = tuple(r if r.source else r._replace(source=report.source) for r in report.rejections)
    return dataclasses.replace(report, rejections=labelled)


def regroup(
    report: Report,
    by: tuple[str, ...],
    domains: dict[str, str] | None = None,
    name: str | None = None,
) -> Report:
    """``report`` grouped by ``by`` (among its dimensions and ``unit``, its unit), its
    domain labels mapped by ``domains`` (keys matched ignoring case and Unicode form);
    ``name``: the file it was read from, named in an error (default: its source).

    Raises:
        ReportError: a dimension the report was not grouped by.
    """
    missing = [d for d in by if d != "unit" and d not in report.group_by]
    if missing:
        raise ReportError(
            f"{name or report.source or report.unit}: grouped by {','.join(report.group_by)}, so it "
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


def read_index(path: str, data: Any = None) -> ServiceIndex:
    """A service index written by ``tthc index --format json``, refused with its file named;
    its unit is the file's name when it has none.

    Raises:
        InputFormatError: unreadable or not a service index.
    """
    if data is None:
        data = _read_json(path)
    try:
        index = ServiceIndex.from_dict(data)
    except (ReportError, KeyError, TypeError, ValueError) as exc:
        raise InputFormatError(f"{path}: not a service index: {exc}") from None
    return dataclasses.replace(
        index, unit=index.unit or Path(path).stem, source=index.source or path
    )


def regroup_index(
    index: ServiceIndex,
    by: tuple[str, ...],
    domains: dict[str, str] | None = None,
    name: str | None = None,
) -> ServiceIndex:
    """``index`` grouped by ``by`` (``("unit",)``: one group, its unit; else its own
    grouping), its domain labels mapped by ``domains``; ``name``: the file it was read from,
    named in an error (default: its source)."""
    groups: dict[tuple[str, ...], IndexCounts]
    if by == ("unit",):
        groups = {(index.unit or "",): index.totals}
    elif by == index.group_by:
        folded = {fold_label(k): v for k, v in (domains or {}).items()}
        groups = {}
        for key, counts in index.groups.items():
            if folded and index.group_by == ("domain",):
                key = (folded.get(fold_label(key[0]), key[0]),)
            groups[key] = groups[key] + counts if key in groups else counts
    else:
        raise ReportError(
            f"{name or index.source or index.unit}: a service index grouped by "
            f"{','.join(index.group_by)} can be merged by unit or by "
            f"{','.join(index.group_by)}, not by {','.join(by)}"
        )
    return dataclasses.replace(index, group_by=by, groups=groups)


def _check_agreement(paths: Sequence[str], inputs: Sequence[Report | ServiceIndex]) -> None:
    """Refuse an input that differs from the first in its period, counting policy or working
    calendar, naming both files.

    Raises:
        ReportError: the first input that differs, and in what.
    """
    first = inputs[0]
    for path, other in zip(paths[1:], inputs[1:], strict=True):
        for what, mine, theirs in (
            ("period", period_text(first.period), period_text(other.period)),
            ("counting policy", first.policy.model_dump(), other.policy.model_dump()),
            ("working calendar", first.calendar_fingerprint, other.calendar_fingerprint),
        ):
            if mine != theirs:
                raise ReportError(
                    f"{path} differs from {paths[0]} in its {what}: {theirs} vs {mine}; "
                    "recompute it on the same"
                )


def _run_merge(args: argparse.Namespace) -> int:
    check_distinct_inputs(args.reports)
    check_outputs([*args.reports, *option_files(args)], ("-o", args.output))
    documents = [_read_json(path) for path in args.reports]
    kinds = {_kind(d) for d in documents}
    if kinds == {SERVICE_INDEX_KIND}:
        return _merge_indexes(args, documents)
    if SERVICE_INDEX_KIND in kinds:
        raise InputFormatError(
            "the inputs mix Biểu số 06 reports and service indexes; merge each kind on its own"
        )
    fmt = output_format(args.format, args.output, FORMATS)
    reports = [read_report(path, data) for path, data in zip(args.reports, documents, strict=True)]
    by = tuple(d.strip() for d in args.by.split(",")) if args.by else reports[0].group_by
    bad = [d for d in by if d not in DIMENSIONS]
    if bad:
        raise ReportError(f"cannot group by {','.join(bad)}: choose among {', '.join(DIMENSIONS)}")
    domains = load_mapping(args.domain_map, "domain map") if args.domain_map else None
    _check_agreement(args.reports, reports)
    if "unit" in by:
        check_unit_names(
            [
                (p, r.unit or "")
                for p, d, r in zip(args.reports, documents, reports, strict=True)
                if not d.get("unit")
            ],
            "give each report its unit when it is made (tthc report --unit NAME)",
        )
    merged: Report | None = None
    for path, report in zip(args.reports, reports, strict=True):
        part = regroup(report, by, domains, name=path)
        merged = part if merged is None else merged.merge(part)
    assert merged is not None
    merged = dataclasses.replace(
        merged, unit=args.unit, source=", ".join(args.reports), sources=merged.sources
    )
    output = render(merged, fmt, options=form_options(args), width=terminal_width(args.output))
    write_output(output, args.output, fmt)
    log = _rejection_log("report")
    for path, report in zip(args.reports, reports, strict=True):
        for rejection in report.rejections:
            log(rejection)
        log.count_unlisted(
            report.rows_rejected - len(report.rejections),
            f"rejected rows {path} counts but does not list one by one",
        )
    print_lines(log.summary(_COMMAND, merged.rows_read))
    return EXIT_INPUT_PROBLEMS if merged.rows_rejected else EXIT_OK


def _rejection_log(maker: str) -> RejectionLog:
    """The log of the rows the merged inputs rejected when ``tthc maker`` made them, for the
    summary on standard error (the rows were judged then: no warning that the file may be the
    wrong one, and the way to list them all is that command)."""
    return RejectionLog(
        list_every_one=f"(tthc {maker} --rejections FILE, run on an export, lists every one)",
        check_share=False,
    )


def _merge_indexes(args: argparse.Namespace, documents: list[Any]) -> int:
    refuse_form_options(args, "a service index")
    fmt = output_format(args.format, args.output, INDEX_FORMATS)
    indexes = [read_index(path, data) for path, data in zip(args.reports, documents, strict=True)]
    by = tuple(d.strip() for d in args.by.split(",")) if args.by else indexes[0].group_by
    domains = load_mapping(args.domain_map, "domain map") if args.domain_map else None
    _check_agreement(args.reports, indexes)
    units = [i.unit for i in indexes]
    if by == ("unit",) and len(set(units)) != len(units):
        raise ReportError("two inputs have the same unit: give each ward's index its own unit")
    merged: ServiceIndex | None = None
    for path, index in zip(args.reports, indexes, strict=True):
        part = regroup_index(index, by, domains, name=path)
        merged = part if merged is None else merged.merge(part)
    assert merged is not None
    merged = dataclasses.replace(merged, unit=args.unit, source=", ".join(args.reports))
    lang = args.lang or "bilingual"
    output = render_index(merged, fmt, lang=lang, width=terminal_width(args.output))
    write_output(output, args.output, fmt)
    log = _rejection_log("index")
    for path, index in zip(args.reports, indexes, strict=True):
        log.count_unlisted(
            index.rows_rejected,
            f"rejected rows of {index.source or path} (counted in {path}, a service index, "
            "which does not list them)",
        )
    print_lines(log.summary(_COMMAND, merged.rows_read, "the index"))
    return EXIT_INPUT_PROBLEMS if merged.rows_rejected else EXIT_OK
