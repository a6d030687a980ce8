"""Lists of dossiers on the command line: ``--list`` and the act-now ``--due-within``.

``tthc report … --list CELL`` writes the dossiers behind a cell of Biểu số 06 (of one group
with ``--group``, else of the totals row); ``tthc report … --due-within N [--as-of WHEN]`` the
pending dossiers due within N working days, then the overdue ones. ``tthc index … --list
INDICATOR[:numerator|:denominator|…]`` uses the same writer. A list replaces the report on the
output: ``table`` (default on a terminal), ``csv``, ``json`` or ``xlsx`` (from ``--format`` or the
suffix of ``-o``). Rejected rows are listed on standard error and give exit status 1, as for the
report itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from tthc._cli import _output
from tthc._cli._common import parse_instant
from tthc.errors import InvalidInputError
from tthc.report import (
    LIST_FORMATS,
    TRACE_CELLS,
    TRACE_TOTALS,
    Report,
    render_dossier_list,
)

__all__ = [
    "add_list_arguments",
    "check_list_options",
    "list_format",
    "report_list",
    "report_list_wanted",
    "report_trace_wanted",
    "write_output",
]


def add_list_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--list``, ``--group``, ``--due-within`` and ``--as-of`` to ``tthc report``."""
    cells = ", ".join([*TRACE_CELLS, *TRACE_TOTALS])
    parser.add_argument(
        "--list",
        dest="list_cell",
        metavar="CELL",
        help=f"write the dossiers behind a cell instead of the report ({cells})",
    )
    parser.add_argument(
        "--group",
        dest="list_group",
        metavar="KEY",
        help="with --list: the group's key (values of --by joined by ' / '; default: the "
        "totals row)",
    )
    parser.add_argument(
        "--due-within",
        dest="due_within",
        type=_days,
        metavar="N",
        help="write the pending dossiers due within N working days of the period's end (or "
        "--as-of), then the overdue ones, instead of the report",
    )
    parser.add_argument(
        "--as-of",
        dest="list_as_of",
        metavar="WHEN",
        help="with --due-within: the instant to judge at (ISO 8601 or 'now'; inside the period)",
    )


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of working days: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def check_list_options(args: argparse.Namespace, list_option: str = "--list CELL") -> None:
    """Refuse, before anything is read, a list option that would be ignored: ``--group``
    without ``--list``, ``--as-of`` without ``--due-within``, both lists at once.

    Raises:
        InvalidInputError: naming the option and what it needs.
    """
    listed = getattr(args, "list_cell", None) or getattr(args, "list_term", None)
    due_within = getattr(args, "due_within", None)
    if getattr(args, "list_group", None) is not None and not listed:
        raise InvalidInputError(
            f"--group goes with {list_option} (it picks the group whose dossiers are listed): "
            f"give {list_option} too, or leave --group out"
        )
    if getattr(args, "list_as_of", None) is not None and due_within is None:
        raise InvalidInputError(
            "--as-of is the instant --due-within judges at: give --due-within N too, or leave "
            "--as-of out"
        )
    if listed and due_within is not None:
        raise InvalidInputError("give --list or --due-within, not both")


def report_list_wanted(args: argparse.Namespace) -> bool:
    """Whether ``tthc report`` was asked for a list (then the report is built with a trace)."""
    return bool(getattr(args, "list_cell", None)) or getattr(args, "due_within", None) is not None


def report_trace_wanted(args: argparse.Namespace) -> bool:
    """Whether ``tthc report`` keeps the dossiers behind the cells: for a list, and for HTML
    output (whose numbers link to their lists) unless ``--form-only`` asks for the form alone."""
    if report_list_wanted(args):
        return True
    if getattr(args, "form_only", False):
        return False  # exactly the form: no lists behind its numbers
    fmt = getattr(args, "format", None)
    output = getattr(args, "output", None)
    if not fmt and output:
        return Path(output).suffix.lower() in (".html", ".htm")
    return fmt == "html"


def list_format(args: argparse.Namespace) -> str:
    """The list's format: ``--format``, else the suffix of ``-o``, else ``table``."""
    fmt = getattr(args, "format", None)
    if not fmt and getattr(args, "output", None):
        fmt = _output.SUFFIX_FORMATS.get(Path(args.output).suffix.lower())
    fmt = fmt or "table"
    if fmt not in LIST_FORMATS:
        raise InvalidInputError(
            f"a list is written as {', '.join(LIST_FORMATS)}, not {fmt}: choose one with "
            "--format or the suffix of -o"
        )
    return str(fmt)


def write_output(args: argparse.Namespace, output: str | bytes, fmt: str) -> None:
    """Write ``output`` to ``-o`` (whole or not at all) or to standard output."""
    _output.write_output(output, getattr(args, "output", None), fmt)


def _group(report: Report, text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return (
        tuple(part.strip() for part in text.split(" / ")) if len(report.group_by) > 1 else (text,)
    )


def _as_of(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    if text.strip().lower() == "now":
        from tthc import now

        return now()
    return parse_instant(text.strip(), f"--as-of {text!r} is not ISO 8601 (e.g. 2024-03-29 17:00)")


def report_list(args: argparse.Namespace, report: Report) -> tuple[str | bytes, str]:
    """``tthc report``'s ``--list`` / ``--due-within`` output for a report built with a trace,
    and its format."""
    period = report.period
    fmt = list_format(args)
    if args.due_within is not None:  # with neither --list nor --group (check_list_options)
        when = _as_of(args.list_as_of)
        entries = report.due_within(args.due_within, when)
        moment = (when or period.as_of).strftime("%Y-%m-%d %H:%M")
        title = (
            f"Hồ sơ đến hạn trong {args.due_within} ngày làm việc và hồ sơ quá hạn, tính đến "
            f"{moment} (due within {args.due_within} working days, and overdue) — {period.code}"
        )
    else:  # --as-of was refused without --due-within (check_list_options)
        group = _group(report, args.list_group)
        entries = report.dossiers(args.list_cell, group)
        where = " / ".join(group) if group else "tổng cộng (totals)"
        title = f"{args.list_cell} — {where} — {period.code}"
    return render_dossier_list(entries, fmt, group_by=report.group_by, title=title), fmt
