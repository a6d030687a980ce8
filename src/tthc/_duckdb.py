"""The DuckDB plumbing shared by :func:`tthc.report.build_report_columnar` and
:func:`tthc.index.build_index_columnar`: the connection (UTC+7, memory budget, spill
directory), the SQL reading a CSV or Parquet file as text cells, instants as epoch
microseconds, and the working-time tables of the calendar passed to the SQL.

DuckDB is imported only when a connection is made (``pip install "tthc[columnar]"``).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from tthc._text import clean_label
from tthc._time import END_OF_DAY
from tthc.errors import InvalidInputError, ReportError, TthcError

if TYPE_CHECKING:
    from tthc.calendar import WorkingCalendar

COLUMNAR_EXTRA_HINT: Final = 'the columnar path needs DuckDB: pip install "tthc[columnar]"'
"""The error message when DuckDB is missing."""

DUCKDB_TIME_ZONE: Final = "Etc/GMT-7"
"""The session time zone of the DuckDB connection: UTC+7 without daylight saving (the POSIX
sign is inverted in ``Etc/`` names), so naive timestamps read as UTC+7 like everywhere else."""

DUCKDB_MEMORY_LIMIT: Final = "128MB"
"""DuckDB's memory budget for one report (its ``memory_limit``): the parsed table and the
hash tables past it are written to a temporary directory (``spill_dir`` of the duplicate
check, else the system's temporary directory), removed when the report is done. With it the
whole process peaks at about 250–300 MB from 1 to 3 million rows, without a measurable loss
of speed (``docs/benchmarks.md``); without it DuckDB keeps everything in memory (up to 80 %
of the machine's) and the peak grows by about 190 MB per million rows."""

PARQUET_SUFFIXES: Final = (".parquet", ".pq")
"""File suffixes read as Parquet (any other file is read as CSV)."""

MINUTES_PER_DAY: Final = 24 * 60
"""Minutes in a day: a profile has one value per minute and one more (the midnight after)."""

US_PER_SECOND: Final = 1_000_000
US_PER_MINUTE: Final = 60 * US_PER_SECOND
US_PER_DAY: Final = 86_400 * US_PER_SECOND
UTC_OFFSET_US: Final = 7 * 3600 * US_PER_SECOND
"""UTC+7 in microseconds: naive cells are UTC+7 wall clock; local dates and minutes are taken
on ``epoch µs + this``."""
EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

_INTEGER_TYPES: Final = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
)

_DATE_ONLY_LEN: Final = len("2024-01-01")
_END_OF_DAY_SUFFIX: Final = "T" + END_OF_DAY.isoformat()
"""A date alone as a due date is the end of that day (:data:`tthc._time.END_OF_DAY`)."""

_DATE_RE: Final = r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}"
_TIME_RE: Final = r"[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_NAIVE_ISO: Final = f"{_DATE_RE}({_TIME_RE})?"
_AWARE_ISO: Final = f"{_DATE_RE}{_TIME_RE}(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
"""The ISO 8601 forms parsed in SQL (naive = UTC+7 wall clock, or with an offset): a strict
subset of what ``datetime.fromisoformat`` accepts, on which DuckDB and Python agree. Anything
else (valid or not) is doubtful and sends the file to the streaming path."""


class Doubtful(Exception):  # noqa: N818 - internal signal, not an error
    """The SQL cannot be sure to match the streaming path: fall back to it."""


LABEL_DIMENSIONS: Final = frozenset({"domain", "agency", "procedure"})
"""Group dimensions whose keys are labels read from the data (the others are enum values)."""


def check_label_keys(group_by: tuple[str, ...], keys: Iterable[tuple[str, ...]]) -> None:
    """Raise :class:`Doubtful` if a group key made of labels is not in the form the streaming
    reader keeps labels in (:func:`tthc._text.clean_label`: Unicode NFC, runs of white space as
    one space, none at the ends): the streaming reader would merge it with the key that prints
    alike. Only the keys of counted rows matter, so this runs on the aggregated keys."""
    positions = [i for i, dimension in enumerate(group_by) if dimension in LABEL_DIMENSIONS]
    for key in keys:
        for i in positions:
            if key[i] != clean_label(key[i]):
                raise Doubtful(
                    f"the {group_by[i]} {key[i]!r} is not in Unicode NFC with single spaces"
                )


def import_duckdb() -> Any:
    """The ``duckdb`` module, or :class:`~tthc.ReportError` naming the extra."""
    try:
        import duckdb
    except ImportError:
        raise ReportError(COLUMNAR_EXTRA_HINT) from None
    return duckdb


def file_path(path: object) -> tuple[str, bool]:
    """``path`` as text, and whether it is a Parquet file (by its suffix).

    Raises:
        InvalidInputError: ``path`` is not a path.
    """
    if not isinstance(path, str | os.PathLike):
        raise InvalidInputError(
            f"path must be the path of a CSV or Parquet file, got {type(path).__name__}"
        )
    text_path = os.fspath(path)
    return text_path, Path(text_path).suffix.lower() in PARQUET_SUFFIXES


def connect(duckdb: Any, threads: int | None, spill_dir: str | None = None) -> Any:
    """A DuckDB connection in UTC+7; with ``spill_dir``, its memory is capped at
    :data:`DUCKDB_MEMORY_LIMIT` and what does not fit goes to files in that directory."""
    con = duckdb.connect(":memory:")
    # DuckDB draws a progress bar on standard output for queries over two seconds: it would
    # corrupt a report written to standard output (``tthc report -o -``).
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET TimeZone = '{DUCKDB_TIME_ZONE}'")
    con.execute("SET preserve_insertion_order = false")
    if spill_dir is not None:
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        con.execute(f"SET temp_directory = {sql_text(spill_dir)}")
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    return con


def sql_text(value: str) -> str:
    """SQL: a string literal."""
    return "'" + value.replace("'", "''") + "'"


def quote(name: str) -> str:
    """SQL: a quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def insert(con: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert (one statement of parallel lists: DuckDB's ``executemany`` is row by row)."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(${i + 1})" for i in range(len(columns)))
    con.execute(f"INSERT INTO {table} SELECT {select}", columns)


# --------------------------------------------------------------------------- sources


def csv_header(path: str) -> list[str] | None:
    """The header row of a CSV file (``None`` when empty); doubtful when unreadable."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            return next(reader, None)
        except (UnicodeDecodeError, csv.Error):
            raise Doubtful("unreadable header") from None


def csv_source(
    path: str, width: int, index: Mapping[str, int], columns: Iterable[str]
) -> tuple[str, dict[str, str]]:
    """SQL reading a CSV file of ``width`` columns as text, and for each of ``columns`` the
    expression of its cell (``index``: its position; "" when empty or absent, never NULL:
    empty cells are read as "" by ``force_not_null``, so no ``COALESCE`` per cell)."""
    names = [f"c{i}" for i in range(width)]
    types = ", ".join(f"'{name}': 'VARCHAR'" for name in names)
    sql = (
        f"read_csv({sql_text(path)}, header = true, auto_detect = false, "
        f"columns = {{{types}}}, delim = ',', quote = '\"', escape = '\"', "
        f"strict_mode = true, encoding = 'utf-8', force_not_null = {names})"
    )
    return sql, {c: (f"c{index[c]}" if c in index else "''") for c in columns}


def parquet_source(con: Any, path: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """SQL reading a Parquet file, and its columns by lower-case name: ``(name, type)``."""
    sql = f"read_parquet({sql_text(path)})"
    described = con.execute(f"DESCRIBE SELECT * FROM {sql}").fetchall()
    return sql, {str(name).lower(): (str(name), str(kind)) for name, kind, *_ in described}


def parquet_cells(found: Mapping[str, tuple[str, str]], columns: Iterable[str]) -> dict[str, str]:
    """For each of ``columns`` (matched by name, ignoring case, among ``found``) the SQL of its
    cell as the text a CSV would hold ("" when empty or absent). VARCHAR, DATE, TIMESTAMP (UTC+7
    wall clock), TIMESTAMP WITH TIME ZONE and integer columns are understood; any other type is
    doubtful."""
    cells: dict[str, str] = {}
    for column in columns:
        hit = found.get(column)
        if hit is None:
            cells[column] = "''"
            continue
        name, kind = quote(hit[0]), hit[1].upper()
        if kind == "VARCHAR":
            cell = name
        elif kind == "DATE":
            cell = f"strftime({name}, '%Y-%m-%d')"
        elif kind == "TIMESTAMP":
            cell = f"strftime({name}, '%Y-%m-%dT%H:%M:%S.%f')"
        elif kind == "TIMESTAMP WITH TIME ZONE":
            cell = f"(strftime({name}, '%Y-%m-%dT%H:%M:%S.%f') || '+07:00')"
        elif kind in _INTEGER_TYPES:
            cell = f"CAST({name} AS VARCHAR)"
        else:
            raise Doubtful(f"column {hit[0]} of type {kind}")
        cells[column] = f"COALESCE({cell}, '')"
    return cells


# --------------------------------------------------------------------------- values


def enum_table(values: Iterable[str], enum: Any) -> list[tuple[str, str | None]]:
    """Raw spelling → enum value, by the streaming parser's rule (exact value, else parse;
    ``None`` when neither reads it)."""
    table: list[tuple[str, str | None]] = []
    for raw in values:
        try:
            table.append((raw, enum(raw).value))
        except ValueError:
            try:
                table.append((raw, enum.parse(raw).value))
            except ValueError:
                table.append((raw, None))
    return table


def case_sql(cell: str, table: Iterable[tuple[str, str | None]]) -> str:
    """SQL: an inlined lookup ``raw spelling → value`` (NULL when unknown)."""
    branches = " ".join(
        f"WHEN {sql_text(raw)} THEN {sql_text(value)}" for raw, value in table if value
    )
    return f"CASE {cell} {branches} END" if branches else "NULL"


def epoch_us(value: dt.datetime) -> int:
    """An aware instant in microseconds since 1970-01-01 UTC (exact integer arithmetic)."""
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * US_PER_SECOND + delta.microseconds


def local_date(epoch_us: int) -> dt.date:
    """The UTC+7 date of an instant in epoch microseconds."""
    return EPOCH.date() + dt.timedelta(days=(epoch_us + UTC_OFFSET_US) // US_PER_DAY)


def local_sql(expr: str, unit: int) -> str:
    """SQL: whole ``unit``s (µs) of UTC+7 local time since the epoch."""
    return f"((({expr}) + {UTC_OFFSET_US}) // {unit})"


def instant_sql(cell: str, end_of_day: bool = False) -> str:
    """SQL: the instant of a stripped text cell in epoch microseconds; NULL when empty, invalid
    or doubtful. A date alone means its end for due dates (as the streaming reader, Civil Code
    2015 Art. 148(1)) and its start otherwise. Naive values are UTC+7 wall clock.

    Each cell is tested by one regular expression: a cell ending in ``Z`` or in a sign and five
    characters is tried as aware, any other as naive (a cell sent the wrong way fails its
    expression and is doubtful, never misread). An aware cell is read as the wall clock before
    its suffix minus the offset, in integer arithmetic (a ``TIMESTAMPTZ`` cast goes through
    the ICU time-zone code and costs several times more)."""
    value = cell
    if end_of_day:
        value = (
            f"CASE WHEN strlen({cell}) = {_DATE_ONLY_LEN} "
            f"THEN {cell} || '{_END_OF_DAY_SUFFIX}' ELSE {cell} END"
        )
    zulu = f"ends_with({cell}, 'Z')"
    aware = (
        f"strlen({cell}) > {_DATE_ONLY_LEN} AND ({zulu} OR substring({cell}, -6, 1) IN ('+', '-'))"
    )
    offset_us = (
        f"CASE WHEN {zulu} THEN 0 ELSE (CASE WHEN substring({cell}, -6, 1) = '+' THEN 1 ELSE -1 END)"
        f" * (CAST(substring({cell}, -5, 2) AS BIGINT) * 3600"
        f" + CAST(substring({cell}, -2, 2) AS BIGINT) * 60) * {US_PER_SECOND} END"
    )
    wall = f"left({cell}, strlen({cell}) - CASE WHEN {zulu} THEN 1 ELSE 6 END)"
    return (
        f"CASE WHEN {cell} = '' THEN NULL "
        f"WHEN {aware} THEN CASE WHEN regexp_full_match({cell}, '{_AWARE_ISO}') "
        f"THEN epoch_us(try_cast({wall} AS TIMESTAMP)) - ({offset_us}) END "
        f"WHEN regexp_full_match({cell}, '{_NAIVE_ISO}') "
        f"THEN epoch_us(try_cast({value} AS TIMESTAMP)) - {UTC_OFFSET_US} END"
    )


def timeliness_facts_sql(withdrawn: str, waiting: str) -> dict[str, str]:
    """SQL of the facts of :data:`~tthc.report.TIMELINESS_RULES` at the period's last instant,
    as :func:`~tthc.report.facts_at` derives them, over a row table with the instants ``rec``,
    ``due``, ``fin``, ``sreq``, ``srec`` (epoch µs) and ``repeated`` (two supplement requests
    or more); ``withdrawn`` and ``waiting`` are the SQL of the row's status being withdrawn and
    waiting for a supplement. The period's end is ``$2`` (its last instant ``$2 - 1``)."""
    finished = "(fin IS NOT NULL AND fin < $2)"
    end = f"(CASE WHEN {finished} THEN fin ELSE $2 - 1 END)"
    stopped = (
        f"(CASE WHEN sreq IS NOT NULL THEN sreq <= {end} AND NOT COALESCE(srec <= {end}, false) "
        f"ELSE NOT {finished} AND {waiting} END)"
    )
    day = US_PER_DAY
    return {
        "finished": finished,
        "withdrawn": f"{finished} AND {withdrawn}",
        "clock_stopped": stopped,
        "stopped_after_due": f"{stopped} AND sreq IS NOT NULL AND sreq > due",
        "repeated_supplement": "repeated",
        "end_vs_due": (
            f"CASE WHEN {finished} AND {local_sql('fin', day)} < {local_sql('due', day)} "
            f"THEN 0 WHEN {end} <= due THEN 1 ELSE 2 END"
        ),
    }


# --------------------------------------------------------------------------- working time


def work_tables(
    first: dt.date, last: dt.date, calendar: WorkingCalendar
) -> tuple[list[int], list[int], list[int], int]:
    """The calendar's working-second tables (:meth:`~tthc.calendar.WorkingCalendar.working_second_tables`)
    for the days ``first`` … ``last``, flattened for :func:`work_sql`: working seconds from
    ``first`` to each midnight, each day's profile id, the profiles (one value per minute and
    one more, concatenated), and ``first`` as days since 1970-01-01. The SQL adds up the very
    seconds of :meth:`~tthc.calendar.WorkingCalendar.working_seconds` (doubtful when a session
    does not start and end on a whole minute: the per-minute profile would not be exact, or
    when the calendar cannot compute a date)."""
    if not calendar.sessions_on_whole_minutes:
        raise Doubtful("office sessions that do not start and end on a whole minute")
    try:
        cumulative, kinds, profiles = calendar.working_second_tables(first, last)
    except TthcError as exc:  # e.g. a date the calendar cannot compute
        raise Doubtful(f"working time: {exc}") from None
    flat = [seconds for profile in profiles for seconds in profile]
    return cumulative, kinds, flat, (first - EPOCH.date()).days


def working_seconds_sql(start: str, end: str) -> str:
    """SQL: the working seconds from instant column ``start`` to ``end`` (:func:`work_sql`),
    0 when ``end`` is not after ``start``."""
    return f"CASE WHEN {end} > {start} THEN greatest(0, {work_sql(end)} - {work_sql(start)}) ELSE 0 END"


def work_sql(instant: str) -> str:
    """SQL: ``W(t)`` for an instant column — working seconds from the first tabulated day's
    midnight to the day's midnight plus the intraday profile (whole seconds, as
    :meth:`~tthc.calendar.WorkingCalendar.working_seconds`). Lists are parameters
    (:func:`work_tables`): ``$3`` cumulative seconds per day from day ``$6``, ``$4`` the
    profile id per day, ``$5`` the profiles, flattened."""
    day = f"{local_sql(instant, US_PER_DAY)} - $6 + 1"
    minute = f"{local_sql(instant, US_PER_MINUTE)} % {MINUTES_PER_DAY}"
    second = f"{local_sql(instant, US_PER_SECOND)} % 60"
    base = f"$4[{day}] * {MINUTES_PER_DAY + 1} + {minute} + 1"
    return (
        f"($3[{day}] + $5[{base}] + CASE WHEN {second} > 0 AND $5[{base} + 1] <> $5[{base}] "
        f"THEN {second} ELSE 0 END)"
    )
