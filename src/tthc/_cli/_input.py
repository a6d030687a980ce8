"""What the commands that read dossier exports share: the period and intake options, and the
log of rejected rows (a summary people can act on, the full list in a file)."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Final, get_args

from tthc._io import atomic_output, same_file
from tthc.errors import InputFormatError, InvalidInputError, OutputError
from tthc.report import (
    DATE_ORDERS,
    DEFAULT_CODES_IN_MEMORY,
    INPUT_FORMATS,
    DuplicateCheck,
    IntakeOptions,
    Period,
    Rejection,
    ReportPolicy,
    load_mapping,
    neutralise_cell,
)

__all__ = [
    "LISTED_COLUMNS",
    "SUMMARY_GROUPS",
    "WARN_REJECTED_SHARE",
    "RejectionLog",
    "add_duplicate_arguments",
    "add_input_arguments",
    "add_period_arguments",
    "add_policy_arguments",
    "check_distinct_inputs",
    "check_readable",
    "check_unit_names",
    "decoding",
    "duplicate_check",
    "intake_options",
    "listed_cells",
    "option_files",
    "period_of",
    "period_text",
    "policy_of",
    "positive_int",
]

LIST_AT_MOST: Final = 10
"""Up to this many rejected rows are listed one by one on standard error; more are grouped."""
SUMMARY_GROUPS: Final = 12
"""Kinds of rejection shown on standard error (the rest are counted, and all are in
``--rejections FILE``)."""
_FIRST_LINES: Final = 5
"""Line numbers shown for each kind of rejection."""
_FIRST_VALUES: Final = 3
"""Distinct values the summary shows for a kind of rejection (what a mapping must add)."""
_VALUE_CHARS: Final = 40
"""Characters of a value the summary shows before it cuts it short."""
WARN_REJECTED_SHARE: Final = 0.1
"""More than this share of the rows rejected draws a warning: the export may not be what it
seems (wrong date order, wrong columns)."""


def add_period_arguments(p: argparse.ArgumentParser) -> None:
    """``--period`` / ``--from`` ``--to`` / ``--official-cutoff``."""
    p.add_argument("--period", help="2024-03, 2024-Q1, 2024-H1, 2024-9M or 2024")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD)")
    p.add_argument(
        "--official-cutoff",
        action="store_true",
        help="official data cut-off: 15th of the month before to 14th of the last month",
    )


def period_text(period: Period) -> str:
    """A period in messages, with its days (an official cut-off changes the days, not the
    code).

    >>> period_text(Period.parse("2024-Q1", official=True))
    '2024-Q1 (15/12/2023–14/03/2024)'
    """
    return f"{period.code} ({period.first_day:%d/%m/%Y}–{period.last_day:%d/%m/%Y})"


def period_of(args: argparse.Namespace) -> Period:
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


def _choices(field: str) -> tuple[str, ...]:
    """The values :class:`~tthc.report.ReportPolicy` allows for ``field`` (the CLI's choices
    come from the policy model, never a restated list)."""
    annotation = ReportPolicy.model_fields[field].annotation
    return tuple(str(v) for v in get_args(annotation))


def positive_int(text: str) -> int:
    """An option's whole number of at least 1 (``1_000`` and ``1,000`` read too)."""
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_duplicate_arguments(p: argparse.ArgumentParser, spill_help: str) -> None:
    """``--no-duplicate-check``, ``--codes-in-memory N`` and ``--spill-dir DIR`` (read back
    by :func:`duplicate_check`)."""
    p.add_argument(
        "--no-duplicate-check",
        action="store_true",
        help="do not reject repeated dossier codes (for inputs known to be unique)",
    )
    p.add_argument(
        "--codes-in-memory",
        type=positive_int,
        default=DEFAULT_CODES_IN_MEMORY,
        metavar="N",
        help=(
            "codes kept in memory by the duplicate check before the rest go to a temporary "
            f"file (default {DEFAULT_CODES_IN_MEMORY:,}, about 64 MB)"
        ),
    )
    p.add_argument("--spill-dir", metavar="DIR", help=spill_help)


def duplicate_check(args: argparse.Namespace) -> DuplicateCheck | bool:
    """The duplicate check :func:`add_duplicate_arguments`' options ask for."""
    if args.no_duplicate_check:
        return False
    return DuplicateCheck(codes_in_memory=args.codes_in_memory, spill_dir=args.spill_dir)


def add_policy_arguments(p: argparse.ArgumentParser) -> None:
    """The counting choices of :class:`~tthc.report.ReportPolicy` (``--withdrawn``,
    ``--repeated-supplement``)."""
    p.add_argument(
        "--withdrawn",
        choices=_choices("withdrawn"),
        default=ReportPolicy().withdrawn,
        help="withdrawn dossiers: counted resolved on time (default), kept apart, or judged by "
        "their date like any result",
    )
    p.add_argument(
        "--repeated-supplement",
        choices=_choices("repeated_supplement"),
        default=ReportPolicy().repeated_supplement,
        help="a resolved dossier with more than one supplement request: classified by its "
        "dates (default) or counted late (the national portal's rule for a dossier still "
        "waiting, extended to resolved ones)",
    )


def policy_of(args: argparse.Namespace) -> ReportPolicy:
    """The counting choices the options ask for."""
    return ReportPolicy(withdrawn=args.withdrawn, repeated_supplement=args.repeated_supplement)


def add_input_arguments(p: argparse.ArgumentParser) -> None:
    """How exports are read when detection is not enough (:class:`~tthc.report.IntakeOptions`)."""
    group = p.add_argument_group("reading the export (detected when not given)")
    group.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="csv (any delimiter), xlsx, jsonl (interchange objects) or portal (the national "
        "portal's dossier records); default: detected",
    )
    group.add_argument(
        "--encoding", help="text encoding, e.g. cp1258 (default: UTF-8/UTF-16 detected)"
    )
    group.add_argument(
        "--delimiter",
        choices=(",", ";", "tab"),
        metavar="DELIM",
        help="CSV delimiter: ',' ';' or tab (default: detected from the header)",
    )
    group.add_argument("--sheet", metavar="NAME", help="XLSX sheet (default: the first)")
    group.add_argument(
        "--date-format",
        choices=DATE_ORDERS,
        help="order of dates written with '/': dmy (day first), mdy or ymd (default: decided "
        "once per file from a date that reads only one way)",
    )
    group.add_argument(
        "--columns",
        metavar="FILE",
        help="TOML or CSV mapping other headers to interchange columns ('Số biên nhận' = 'code')",
    )
    group.add_argument(
        "--status-map",
        metavar="FILE",
        help="TOML or CSV mapping status wordings or codes to statuses ('Hoàn thành' = "
        "'completed', '12' = 'refused')",
    )
    group.add_argument(
        "--domain-map",
        metavar="FILE",
        help="TOML or CSV mapping domain labels to the domain counted ('Đất đai' = 'Đất đai – "
        "Xây dựng – Đô thị')",
    )
    group.add_argument(
        "--limits-from-catalogue",
        action="store_true",
        help="a row with no due date and no time limit takes the time limit the bundled "
        "catalogue publishes for its procedure code and channel (default: the row is rejected)",
    )


def _check_encoding(name: str | None) -> None:
    """Refuse an ``--encoding`` that is no codec, or one no file is written in (``rot13``,
    ``base64``, ``zlib_codec``: bytes to bytes; ``idna``: host names), naming the option."""
    if name is None:
        return
    fix = "give the file's text encoding, e.g. cp1258 or utf-16-le"
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise InvalidInputError(f"--encoding {name}: no such encoding; {fix}") from None
    try:
        if getattr(codec, "_is_text_encoding", True):
            codec.incrementaldecoder("surrogateescape").decode(b"")
            return
    except UnicodeError:
        pass
    raise InvalidInputError(
        f"--encoding {name}: not the text encoding of a file (it turns bytes into bytes, or "
        f"decodes host names); {fix}"
    )


@contextlib.contextmanager
def decoding(name: str, encoding: str | None) -> Iterator[None]:
    """While ``name`` is read with a given ``--encoding``: a decoding error the reader did not
    turn into a rejected row (a codec that fails past the first bytes) is an input error
    naming the file and the option, not an internal one."""
    try:
        yield
    except UnicodeEncodeError:
        raise
    except UnicodeError as exc:
        if encoding is None:
            raise
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputFormatError(
            f"{name}: cannot be read as --encoding {encoding}: {reason}; give the file's text "
            "encoding, e.g. cp1258 or utf-16-le"
        ) from None


def intake_options(args: argparse.Namespace) -> IntakeOptions:
    """The :class:`~tthc.report.IntakeOptions` the arguments ask for (mapping files read)."""
    _check_encoding(args.encoding)
    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    return IntakeOptions(
        input_format=args.input_format,
        encoding=args.encoding,
        delimiter=delimiter,
        sheet=args.sheet,
        date_format=args.date_format,
        columns=load_mapping(args.columns, "column map") if args.columns else {},
        statuses=load_mapping(args.status_map, "status map") if args.status_map else {},
        domains=load_mapping(args.domain_map, "domain map") if args.domain_map else {},
        catalogue_limits=args.limits_from_catalogue,
    )


LISTED_COLUMNS: Final = ("source", "line", "code", "column", "value", "reason")
"""The columns of the rejection list ``tthc report`` and ``tthc index`` write (``--rejections``)."""

_OPTION_FILES: Final = ("columns", "status_map", "domain_map", "inputs", "catalog")
"""The options (``dest``) that name a file a command reads besides its FILE arguments."""


def check_distinct_inputs(files: Sequence[str]) -> None:
    """Refuse a file given twice (the same path, another spelling of it, a symbolic or a hard
    link), whose dossiers would be counted twice. A copy under another name is another file:
    it is read (duplicate codes are checked within each file, not across files).

    Raises:
        InvalidInputError: naming both spellings.
    """
    seen: list[str] = []
    for name in files:
        if name == "-":
            continue  # standard input: its own check
        for earlier in seen:
            if os.path.realpath(earlier) == os.path.realpath(name) or same_file(earlier, name):
                what = (
                    f"{name} is given twice"
                    if earlier == name
                    else f"{earlier} and {name} are the same file"
                )
                raise InvalidInputError(
                    f"{what}: its dossiers would be counted twice; give each file once"
                )
        seen.append(name)


def check_readable(option: str, path: str) -> None:
    """Refuse a file an option names that cannot be opened, as the FILE arguments are
    (``--inputs q1.json: No such file or directory``), not with Python's ``[Errno 2]``.

    Raises:
        InputFormatError: naming the option, the file and the reason.
    """
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise InputFormatError(f"{option} {path}: {exc.strerror or exc}") from None


def option_files(args: argparse.Namespace) -> list[str]:
    """The files the options of ``args`` name for reading (mapping files, ``--inputs``,
    ``--catalog``): an output must not replace them either."""
    return [str(v) for v in (getattr(args, dest, None) for dest in _OPTION_FILES) if v]


_QUOTED: Final = re.compile(r"'[^']*'|\"[^\"]*\"|\d+ cells")


def _values_text(values: list[str]) -> str:
    """``values 'a', 'b'; `` — the first distinct values of a kind of rejection, shortened."""
    if not values:
        return ""
    shown = [
        repr(v if len(v) <= _VALUE_CHARS else v[: _VALUE_CHARS - 1] + "…")
        for v in values[:_FIRST_VALUES]
    ]
    more = ", …" if len(values) > _FIRST_VALUES else ""
    return f"value{'s' if len(values) > 1 else ''} {', '.join(shown)}{more}; "


def check_unit_names(named: Sequence[tuple[str, str]], hint: str) -> None:
    """Refuse two inputs that would be counted as one unit because they share a file name
    (``named``: each input whose unit comes from its file name, with that name): wards that
    each export ``ho_so_q1.csv`` into their own folder are different units. ``hint`` says how
    to name them.

    >>> check_unit_names([("a/ward.csv", "ward"), ("b/ward.csv", "ward")], "give --unit-of FILE=UNIT")
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: a/ward.csv and b/ward.csv would both be counted as the unit 'ward' (their file name): give --unit-of FILE=UNIT
    """
    seen: dict[str, str] = {}
    for path, unit in named:
        first = seen.setdefault(unit, path)
        if first != path:
            raise InvalidInputError(
                f"{first} and {path} would both be counted as the unit {unit!r} (their file "
                f"name): {hint}"
            )


def listed_cells(*values: object) -> list[str]:
    """The cells of one row of a rejection list (``--rejections FILE``), as text: ``None`` as
    an empty cell, and a text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``
    first) neutralised with a leading ``'`` (:func:`~tthc.report.neutralise_cell`), as in every
    other CSV and XLSX output: staff open these lists in a spreadsheet.

    >>> listed_cells("in.csv", 4, "=A-3", None, "-5")
    ['in.csv', '4', "'=A-3", '', "'-5"]
    """
    return ["" if v is None else neutralise_cell(str(v)) for v in values]


_LIST_EVERY_ONE: Final = "(--rejections FILE lists every one: line, code, column, value, reason)"
"""What a summary of many rejected rows says when no ``--rejections`` file is written."""
_DASK_UNLISTED: Final = "rejected rows the dask engine counted but did not keep one by one"
"""The kind of rejection :meth:`RejectionLog.count_unlisted` counts by default."""


class RejectionLog:
    """Every rejected row of a run: counted by kind (column and reason, values left out) with
    the first line numbers and the first distinct values, for a summary on standard error; and,
    with ``path``, written to a CSV file (source, line, code, column, value, reason) — whole or
    not at all.

    ``list_every_one`` is what the summary of many rows says of where each one is listed when
    there is no ``path`` (:data:`_LIST_EVERY_ONE`); ``check_share`` asks whether a large share
    of rejected rows draws the warning that the file may not be what it seems (off when the
    rows were read and judged by an earlier command, as for ``tthc merge``)."""

    def __init__(
        self,
        path: str | None = None,
        *,
        list_every_one: str = _LIST_EVERY_ONE,
        check_share: bool = True,
    ) -> None:
        self.path = path
        self.list_every_one = list_every_one
        self.check_share = check_share
        self.total = 0
        self.kinds: dict[tuple[str | None, str], tuple[int, list[str]]] = {}
        self.values: dict[tuple[str | None, str], list[str]] = {}
        self.first: list[Rejection] = []
        self.unlisted = 0
        self._writer: csv.DictWriter[str] | None = None
        self._stack = contextlib.ExitStack()
        self._handle: IO[str] | None = None

    def __enter__(self) -> RejectionLog:
        if self.path is not None:
            handle: IO[str] = self._stack.enter_context(atomic_output(self.path, "w"))
            self._handle = handle
            self._writer = csv.DictWriter(handle, LISTED_COLUMNS, lineterminator="\n")
            self._writer.writeheader()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.__exit__(*exc)  # type: ignore[arg-type]

    def flush(self) -> None:
        """Write out what the list holds so far: called before the command's output is
        written, so that a list that cannot be written (a full disk) stops the command before
        the output replaces an older one (exit 2: nothing written).

        Raises:
            OutputError: the list cannot be written.
        """
        if self._handle is not None:
            try:
                self._handle.flush()
            except OSError as exc:
                raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def __call__(self, rejection: Rejection) -> None:
        self.total += 1
        if len(self.first) < LIST_AT_MOST:
            self.first.append(rejection)
        kind = (rejection.column, _QUOTED.sub("…", rejection.reason))
        count, lines = self.kinds.get(kind, (0, []))
        if len(lines) < _FIRST_LINES:
            where = (
                f"{rejection.source}:{rejection.line}" if rejection.source else str(rejection.line)
            )
            lines.append(where)
        self.kinds[kind] = (count + 1, lines)
        values = self.values.setdefault(kind, [])
        if rejection.value and len(values) <= _FIRST_VALUES and rejection.value not in values:
            values.append(rejection.value)
        if self._writer is not None:
            cells = listed_cells(
                rejection.source,
                rejection.line,
                rejection.code,
                rejection.column,
                rejection.value,
                rejection.reason,
            )
            self._writer.writerow(dict(zip(LISTED_COLUMNS, cells, strict=True)))

    def count_unlisted(self, count: int, reason: str = _DASK_UNLISTED) -> None:
        """Count ``count`` rejected rows that were counted but not kept one by one, as one
        kind, ``reason`` (the Dask engine keeps the first
        :data:`~tthc.report.MAX_REJECTIONS_KEPT` of each input, a report or an index read
        back by ``tthc merge`` the rows it kept)."""
        if count <= 0:
            return
        self.total += count
        self.unlisted += count
        kind = (None, reason)
        total, lines = self.kinds.get(kind, (0, []))
        self.kinds[kind] = (total + count, lines)

    def summary(self, command: str, rows_read: int, what: str | None = None) -> Iterator[str]:
        """The lines for standard error: how many rows were rejected, grouped by kind, most
        frequent first, with their first line numbers — never one line per row. ``what``
        counts the others (default: the index for ``tthc index``, else the report)."""
        if not self.total:
            return
        if what is None:
            what = "the index" if command.endswith(" index") else "the report"
        left = "no row is left to count" if self.total == rows_read else f"{what} counts the others"
        if self.total <= LIST_AT_MOST and not self.unlisted:
            for rejection in self.first:
                yield f"{command}: rejected {rejection}"
            yield f"{command}: {self.total:,} of {rows_read:,} row(s) rejected; {left}"
            yield from self._advice(command, rows_read)
            return
        yield f"{command}: {self.total:,} of {rows_read:,} row(s) rejected; {left}:"
        ranked = sorted(self.kinds.items(), key=lambda item: -item[1][0])
        for (column, reason), (count, lines) in ranked[:SUMMARY_GROUPS]:
            more = ", …" if count > len(lines) else ""
            where = f"column {column}: " if column else ""
            values = _values_text(self.values.get((column, reason), []))
            at = f" ({values}line {', '.join(lines)}{more})" if lines else ""
            yield f"  {count:>7,} × {where}{reason}{at}"
        if len(ranked) > SUMMARY_GROUPS:
            rest = sum(count for _kind, (count, _l) in ranked[SUMMARY_GROUPS:])
            yield f"  {rest:>7,} × other reasons ({len(ranked) - SUMMARY_GROUPS} kinds)"
        if self.path is None:
            yield f"  {self.list_every_one}"
        yield from self._advice(command, rows_read)

    def _advice(self, command: str, rows_read: int) -> Iterator[str]:
        if self.path is not None:
            yield f"{command}: every rejected row is listed in {self.path}"
        if self.check_share and rows_read and self.total / rows_read > WARN_REJECTED_SHARE:
            yield (
                f"{command}: warning: {self.total:,} of {rows_read:,} rows "
                f"({_share_text(self.total, rows_read)}) were rejected — is this the right "
                "file, with the right columns and date order (--date-format)?"
            )


def _share_text(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage with one decimal, rounded to the nearest (a half
    up), in whole numbers so that no float decides a tie: never "100 %" while a row is left
    (99.9 at most), never "0.0 %" for one (0.1 at least).

    >>> _share_text(4, 6), _share_text(1, 6), _share_text(1, 8), _share_text(402, 403)
    ('66.7 %', '16.7 %', '12.5 %', '99.8 %')
    >>> _share_text(403, 403), _share_text(2999, 3000), _share_text(1, 3000)
    ('100 %', '99.9 %', '0.1 %')
    """
    if part == whole:
        return "100 %"
    tenths = (part * 2000 + whole) // (2 * whole)  # round(part * 1000 / whole), half up
    tenths = min(max(tenths, 1 if part else 0), 999)
    return f"{tenths // 10}.{tenths % 10} %"


def print_lines(lines: Iterator[str]) -> None:
    """Write ``lines`` to standard error."""
    for line in lines:
        print(line, file=sys.stderr)
