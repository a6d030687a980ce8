"""The service index on DuckDB, for CSV and Parquet files (extra ``columnar``).

:func:`build_index_columnar` gives the same :class:`~tthc.index.ServiceIndex` as the streaming
:func:`~tthc.index.build_index` — identical numbers, checked by the test-suite on random data.

* **Validation is the report's.** The file first goes through
  :func:`~tthc.report.build_report_columnar` with ``fallback=False``: its single scan proves
  that every row is one the streaming reader accepts as it is (no rejected row, no doubtful
  spelling, padding or line break) — or the file is doubtful and the whole index is computed
  by the streaming path instead (``fallback=True``, the default). That scan also gives the
  Biểu số 06 report of the same rows.
* **The index is SQL over the clean cells**, written from the same rules: indicator 2.1's end of
  processing and verdict from :data:`~tthc.index.END_OF_PROCESSING_RULES` and
  :data:`~tthc.index.PROGRESS_RULES`, Biểu số 06's result (to count where they differ) from
  :data:`~tthc.report.TIMELINESS_RULES`, all through :func:`~tthc.report.rules_sql`; the
  service columns and the catalogue's fallbacks (a small lookup table built per distinct
  procedure and channel) as :class:`~tthc.index.Evaluator` reads them; indicator 2.2's working
  time from the calendar's own tables
  (:meth:`~tthc.calendar.WorkingCalendar.working_second_tables`).
* **Lists.** With ``trace=True`` the records are also read by the streaming reader, to keep them
  (a second pass): the lists then come from the rules in Python while the numbers come from
  SQL, and the test-suite checks that they agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, Final, Unpack

from tthc._enums import AdministrativeLevel, Channel, DossierStatus
from tthc._rules import END_OF_PROCESSING_RULES, PROGRESS_RULES, TIMELINESS_RULES
from tthc.calendar import WorkingCalendar
from tthc.errors import InputFormatError, InvalidInputError, ReportError, TthcError
from tthc.index._builder import InputsArg, build_index, describe, inputs_of
from tthc.index._evaluate import BIEU06_LATE_CELLS, COUNTERS, lookup_catalogue
from tthc.index._indicators import COMPUTED_INDICATORS
from tthc.index._result import IndexCounts, ServiceIndex
from tthc.report import (
    COLUMNAR_EXTRA_HINT,
    COLUMNS,
    REPEATED_SUPPLEMENT_REQUESTS,
    Period,
    ReportOptionChanges,
    ReportOptions,
    TraceOptions,
    build_report,
    build_report_columnar,
    header_index,
    parquet_rows,
    records_from,
    rules_sql,
)

__all__ = ["build_index_columnar"]

PARQUET_SUFFIXES: Final = (".parquet", ".pq")
DUCKDB_TIME_ZONE: Final = "Etc/GMT-7"
"""UTC+7 without daylight saving (the POSIX sign is inverted in ``Etc/`` names)."""

_US: Final = 1_000_000
_US_PER_DAY: Final = 86_400 * _US
_US_PER_MINUTE: Final = 60 * _US
_UTC7_US: Final = 7 * 3600 * _US
_MINUTES_PER_DAY: Final = 24 * 60
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_END_OF_DAY: Final = "T23:59:59.999999"
_DATE_ONLY_LEN: Final = len("2024-01-01")
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


class _Doubtful(Exception):  # noqa: N818 - internal signal, not an error
    """The SQL cannot be sure to match the streaming path: use it instead."""


def _import_duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise ReportError(COLUMNAR_EXTRA_HINT) from None
    return duckdb


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _epoch_us(value: dt.datetime) -> int:
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * _US + delta.microseconds


def _csv_source(path: str) -> tuple[str, dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    width, index = header_index(header)
    names = [f"c{i}" for i in range(width)]
    columns = ", ".join(f"'{name}': 'VARCHAR'" for name in names)
    sql = (
        f"read_csv({_text(path)}, header = true, auto_detect = false, "
        f"columns = {{{columns}}}, delim = ',', quote = '\"', escape = '\"', "
        f"strict_mode = true, encoding = 'utf-8', force_not_null = {names})"
    )
    return sql, {c: (f"c{index[c]}" if c in index else "''") for c in COLUMNS}


def _parquet_source(con: Any, path: str) -> tuple[str, dict[str, str]]:
    sql = f"read_parquet({_text(path)})"
    described = con.execute(f"DESCRIBE SELECT * FROM {sql}").fetchall()
    by_lower = {str(name).lower(): (str(name), str(kind)) for name, kind, *_ in described}
    cells: dict[str, str] = {}
    for column in COLUMNS:
        hit = by_lower.get(column)
        if hit is None:
            cells[column] = "''"
            continue
        name, kind = _quote(hit[0]), hit[1].upper()
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
            raise _Doubtful(f"column {hit[0]} of type {kind}")
        cells[column] = f"COALESCE({cell}, '')"
    return sql, cells


def _instant(cell: str, end_of_day: bool = False) -> str:
    """SQL: a clean instant cell in epoch µs (NULL when empty): naive = UTC+7 wall clock; a
    date alone is its end for due dates (Civil Code 2015 Art. 148(1)), its start otherwise."""
    value = cell
    if end_of_day:
        value = f"CASE WHEN strlen({cell}) = {_DATE_ONLY_LEN} THEN {cell} || '{_END_OF_DAY}' ELSE {cell} END"
    naive = f"regexp_full_match({cell}, '[0-9-]{{10}}([T ][0-9:.]+)?')"
    return (
        f"CASE WHEN {cell} = '' THEN NULL WHEN {naive} "
        f"THEN epoch_us(CAST({value} AS TIMESTAMP)) - {_UTC7_US} "
        f"ELSE epoch_us(CAST({cell} AS TIMESTAMPTZ)) END"
    )


def _local(expr: str, unit: int) -> str:
    return f"((({expr}) + {_UTC7_US}) // {unit})"


def _mapping(values: Iterable[str], enum: Any) -> dict[str, str]:
    """Raw spelling → enum value, by the streaming parser's rule (exact value, else parse)."""
    out: dict[str, str] = {}
    for raw in values:
        try:
            out[raw] = enum(raw).value
        except ValueError:
            try:
                out[raw] = enum.parse(raw).value
            except (ValueError, TthcError):
                raise _Doubtful(f"unknown spelling {raw!r}") from None
    return out


def _case(cell: str, table: dict[str, str]) -> str:
    branches = " ".join(f"WHEN {_text(k)} THEN {_text(v)}" for k, v in table.items())
    return f"CASE {cell} {branches} END" if branches else "NULL"


_KEYS: Final[dict[str, str]] = {
    "domain": "e.s_domain",
    "agency": "e.s_agency",
    "procedure": (
        "CASE WHEN e.s_procedure_code <> '' AND e.s_procedure_name <> '' "
        "THEN e.s_procedure_code || ' – ' || e.s_procedure_name "
        "ELSE e.s_procedure_code || e.s_procedure_name END"
    ),
    "channel": "e.channel",
    "level": "COALESCE(e.level, '')",
}


def _work(instant: str) -> str:
    """SQL: working seconds from the first tabulated day's midnight to ``instant`` (as
    :meth:`~tthc.calendar.WorkingCalendar.working_seconds`); ``$3`` cumulative seconds per
    day from day ``$6``, ``$4`` each day's profile, ``$5`` the profiles, flattened."""
    day = f"{_local(instant, _US_PER_DAY)} - $6 + 1"
    minute = f"{_local(instant, _US_PER_MINUTE)} % {_MINUTES_PER_DAY}"
    second = f"{_local(instant, _US)} % 60"
    base = f"$4[{day}] * {_MINUTES_PER_DAY + 1} + {minute} + 1"
    return (
        f"($3[{day}] + $5[{base}] + CASE WHEN {second} > 0 AND $5[{base} + 1] <> $5[{base}] "
        f"THEN {second} ELSE 0 END)"
    )


def _seconds(a: str, b: str) -> str:
    return f"CASE WHEN {b} > {a} THEN greatest(0, {_work(b)} - {_work(a)}) ELSE 0 END"


def _facts() -> dict[str, str]:
    """SQL of the facts of the three rules tables over the row table ``r`` (instants in epoch
    µs; ``$1``/``$2`` the period's start and end, its last instant ``$2 - 1``)."""
    as_of = "($2 - 1)"
    finished = f"(fin IS NOT NULL AND fin <= {as_of})"
    end = f"(CASE WHEN {finished} THEN fin ELSE {as_of} END)"
    stopped = (
        f"(CASE WHEN sreq IS NOT NULL THEN sreq <= {end} AND NOT COALESCE(srec <= {end}, false) "
        f"ELSE NOT {finished} AND status = 'supplement_requested' END)"
    )
    waiting = (
        f"(CASE WHEN sreq IS NOT NULL THEN sreq <= {as_of} AND NOT COALESCE(srec <= {as_of}, "
        f"false) ELSE status = 'supplement_requested' END)"
    )
    return {
        # Biểu số 06 (as the report's SQL and tthc.report.facts_at)
        "finished": finished,
        "withdrawn": f"{finished} AND status = 'withdrawn'",
        "clock_stopped": stopped,
        "stopped_after_due": f"{stopped} AND sreq IS NOT NULL AND sreq > due",
        "repeated_supplement": "repeated",
        "end_vs_due": (
            f"CASE WHEN {finished} AND {_local('fin', _US_PER_DAY)} < {_local('due', _US_PER_DAY)} "
            f"THEN 0 WHEN {end} <= due THEN 1 ELSE 2 END"
        ),
        # indicator 2.1's end of processing (tthc.index.progress_facts)
        "completed": f"{finished} AND status = 'completed'",
        "returned": f"{finished} AND status = 'returned'",
        "refused": f"{finished} AND status = 'refused'",
        "waiting": f"NOT {finished} AND {waiting}",
    }


def _progress_sql(facts: dict[str, str]) -> tuple[str, str]:
    """SQL: indicator 2.1's end of processing (epoch µs) and verdict, from its rules tables."""
    end_rule = rules_sql(END_OF_PROCESSING_RULES, {**facts, "withdrawn": facts["withdrawn"]})
    instants = {
        "completed": "fin",
        "returned": "fin",
        "refused": "fin",
        "withdrawn": "fin",
        "supplement_requested": "sreq",
        "period_end": "($2 - 1)",
    }
    end = (
        "CASE "
        + end_rule
        + " "
        + " ".join(f"WHEN {_text(cell)} THEN {instant}" for cell, instant in instants.items())
        + " END"
    )
    waiting_end = f"(({end_rule}) = 'supplement_requested')"
    supplement = (
        f"CASE WHEN NOT {waiting_end} AND sreq IS NOT NULL AND srec IS NOT NULL "
        f"AND srec <= ({end}) THEN srec - sreq ELSE 0 END"
    )
    verdict = rules_sql(
        PROGRESS_RULES,
        {
            "waiting": waiting_end,
            "end_known": f"({end}) IS NOT NULL",
            "repeated_supplement": "repeated",
            "has_appointment": "due IS NOT NULL",
            "has_limit": "false",
            "not_later": f"({end}) - ({supplement}) <= due",
        },
    )
    return end, verdict


def _counter_sql(policy: Any) -> tuple[str, list[str]]:
    """SQL of the per-row terms (``t``) and the aggregate of each counter, in
    :data:`COUNTERS` order: the same contributions as :meth:`~tthc.index.Evaluator.evaluate`."""
    facts = _facts()
    _end, verdict = _progress_sql(facts)
    bieu06 = rules_sql(TIMELINESS_RULES, facts, policy)
    late_cells = ", ".join(_text(c) for c in sorted(BIEU06_LATE_CELLS))
    judged = "'resolved_early', 'resolved_on_time', 'resolved_late', 'pending_within_time', 'pending_overdue'"
    terms = f"""
      rec < $2 AND NOT (fin IS NOT NULL AND fin < $1) AS in_table,
      rec >= $1 AND rec < $2 AS received_in,
      fin IS NOT NULL AND fin >= $1 AND fin < $2 AS finished_in,
      {verdict} AS verdict,
      {bieu06} AS bieu06,
      COALESCE(paper_result, cat_paper) AS paper,
      COALESCE(fee, cat_fee) AS fee_eff
    """
    # Each indicator: its scope and its term (a nullable boolean: NULL = unknown).
    ind: dict[str, tuple[str, str]] = {
        "1.4": ("received_in", "synced = 1"),
        "2.1": (
            "in_table",
            "CASE verdict WHEN 'on_time' THEN true WHEN 'late' THEN false END",
        ),
        "3.3": (
            "received_in",
            "CASE WHEN channel <> 'online' THEN false WHEN paper IS NULL THEN NULL "
            "WHEN paper = 1 THEN e_result = 1 ELSE true END",
        ),
        "3.6": (
            "received_in AND (fee_eff IS NULL OR fee_eff > 0)",
            "CASE WHEN fee_eff IS NULL THEN NULL ELSE paid_online IN (1, 2) END",
        ),
        "4.1": (
            "received_in AND (paper IS NULL OR paper = 1)",
            "CASE WHEN paper IS NULL THEN NULL ELSE e_result = 1 END",
        ),
        "4.2": (
            "received_in",
            "CASE WHEN digitised IS NULL THEN NULL WHEN digitised = 0 THEN false "
            "WHEN paper IS NULL THEN NULL WHEN paper = 1 THEN e_result = 1 ELSE true END",
        ),
        "4.3": ("received_in", "reused_data = 1"),
        "4.4": ("received_in", "from_citizen_store = 1"),
        "4.5": ("received_in", "vneid = 1"),
    }
    completed = (
        "received_in AND fin IS NOT NULL AND fin < $2 AND status IN ('completed', 'returned')"
    )
    sums: dict[str, str] = {}
    for id_, (scope, term) in ind.items():
        sums[f"{id_}.n"] = f"count(*) FILTER ({scope} AND ({term}))"
        sums[f"{id_}.d"] = f"count(*) FILTER ({scope} AND ({term}) IS NOT NULL)"
        sums[f"{id_}.u"] = f"count(*) FILTER ({scope} AND ({term}) IS NULL)"
    sums["2.1.differs"] = (
        f"count(*) FILTER (in_table AND verdict IS NOT NULL AND bieu06 IN ({judged}) "
        f"AND ((bieu06 IN ({late_cells})) <> (verdict <> 'on_time')))"
    )
    supplement = (
        f"CASE WHEN sreq IS NOT NULL AND srec IS NOT NULL AND srec <= fin "
        f"THEN {_seconds('sreq', 'srec')} ELSE 0 END"
    )
    sums["2.2.d"] = f"count(*) FILTER ({completed})"
    sums["2.2.n"] = (
        f"COALESCE(sum(greatest(0, {_seconds('rec', 'fin')} - ({supplement}))) "
        f"FILTER ({completed}), 0)"
    )
    sums["2.2.u"] = "0"
    known54 = "finished_in AND complaint IS NOT NULL AND verdict IS NOT NULL"
    sums["5.4.d"] = f"count(*) FILTER ({known54})"
    sums["5.4.u"] = "count(*) FILTER (finished_in AND (complaint IS NULL OR verdict IS NULL))"
    sums["5.4.late"] = f"count(*) FILTER ({known54} AND verdict <> 'on_time')"
    sums["5.4.complaint"] = f"count(*) FILTER ({known54} AND complaint = 1)"
    sums["5.4.n"] = f"({sums['5.4.d']} - {sums['5.4.late']} - {sums['5.4.complaint']})"
    assert set(sums) == set(COUNTERS), set(COUNTERS) ^ set(sums)
    assert all(f"{i}.n" in sums for i in COMPUTED_INDICATORS)
    return terms, [f"CAST({sums[name]} AS BIGINT)" for name in COUNTERS]


def build_index_columnar(
    path: str | os.PathLike[str],
    period: Period | str,
    options: ReportOptions | None = None,
    *,
    inputs: InputsArg = None,
    catalog: str | None = None,
    trace: bool | TraceOptions = False,
    fallback: bool = True,
    threads: int | None = None,
    **changes: Unpack[ReportOptionChanges],
) -> ServiceIndex:
    """The service index of ``period`` from a CSV or Parquet file, computed by DuckDB; the same
    result as :func:`build_index` on the same file (for Parquet: on
    :func:`~tthc.report.parquet_rows`).

    A file with any row the fast path cannot count exactly is computed by the streaming path
    (``fallback=True``) or refused (``fallback=False``: :class:`~tthc.InputFormatError`).
    ``threads`` limits DuckDB's threads; the other arguments are those of :func:`build_index`.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "rows.csv")
    >>> with open(path, "w", encoding="utf-8") as f:
    ...     _ = f.write("code,domain,channel,received_at,status,due_at,finished_at,vneid\\n"
    ...                 "A-1,Hộ tịch,online,2024-01-02 08:00,returned,2024-01-05,2024-01-04 10:00,1\\n"
    ...                 "A-2,Hộ tịch,direct,2024-01-03 09:00,processing,2024-04-05,,0\\n")
    >>> idx = build_index_columnar(path, "2024-Q1")
    >>> idx.values()["4.5"].ratio, idx == build_index(path, "2024-Q1")
    (0.5, True)

    Raises:
        ReportError: DuckDB is not installed (naming the ``columnar`` extra).
        InputFormatError: the file lacks required columns, or (``fallback=False``) it has rows
            the fast path cannot count exactly.
    """
    opts = ReportOptions.of(options, **changes)
    duckdb = _import_duckdb()
    if not isinstance(path, str | os.PathLike):
        raise InvalidInputError(
            f"path must be the path of a CSV or Parquet file, got {type(path).__name__}"
        )
    text_path = os.fspath(path)
    the_period = period if isinstance(period, Period) else Period.parse(str(period))
    given = inputs_of(inputs)
    is_parquet = Path(text_path).suffix.lower() in PARQUET_SUFFIXES

    def streaming() -> ServiceIndex:
        source: Any = parquet_rows(text_path) if is_parquet else text_path
        result = build_index(source, the_period, opts, inputs=given, catalog=catalog, trace=trace)
        report = result.report
        if report is not None:
            report = replace(report, source=describe(path))
        return replace(result, source=describe(path), report=report)

    try:
        report = build_report_columnar(text_path, the_period, opts, fallback=False, threads=threads)
        groups = _index_groups(duckdb, text_path, is_parquet, the_period, opts, catalog, threads)
    except (InputFormatError, _Doubtful) as doubt:
        if not fallback:
            if isinstance(doubt, InputFormatError):
                raise
            raise InputFormatError(
                f"{text_path}: the columnar path cannot compute this file's index exactly "
                f"({doubt}); build_index (the streaming path) does"
            ) from None
        return streaming()
    if trace is not False:
        source: Any = parquet_rows(text_path) if is_parquet else text_path
        traced = build_report(source, the_period, opts, trace=trace)
        report = replace(report, trace=traced.trace)
    return ServiceIndex(
        period=the_period,
        group_by=opts.group_by,
        groups=groups,
        inputs=given,
        policy=opts.policy,
        rows_read=report.rows_read,
        rows_rejected=report.rows_rejected,
        unit=opts.unit,
        source=describe(path),
        calendar_fingerprint=opts.working_calendar.fingerprint,
        calendar_notices=opts.working_calendar.notice_set,
        report=report,
        catalog=catalog,
    )


def _index_groups(
    duckdb: Any,
    path: str,
    is_parquet: bool,
    period: Period,
    options: ReportOptions,
    catalog: str | None,
    threads: int | None,
) -> dict[tuple[str, ...], IndexCounts]:
    """The counters per group, by SQL over a file the report's fast path found clean."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET TimeZone = '{DUCKDB_TIME_ZONE}'")
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        try:
            return _run(con, path, is_parquet, period, options, catalog)
        except duckdb.Error as exc:
            raise _Doubtful(f"DuckDB: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()


def _run(
    con: Any,
    path: str,
    is_parquet: bool,
    period: Period,
    options: ReportOptions,
    catalog: str | None,
) -> dict[tuple[str, ...], IndexCounts]:
    source, cells = _parquet_source(con, path) if is_parquet else _csv_source(path)
    raw = ", ".join(f"{cells[c]} AS s_{c}" for c in COLUMNS)
    con.execute(f"CREATE TEMP TABLE src AS SELECT {raw} FROM {source}")
    (channels, statuses, levels, limits, procedures) = con.execute(
        "SELECT list(DISTINCT s_channel), list(DISTINCT s_status), list(DISTINCT s_level), "
        "list(DISTINCT [s_received_at, s_time_limit]) FILTER (s_due_at = ''), "
        "list(DISTINCT [s_procedure_code, s_channel]) FROM src"
    ).fetchone()
    channel_map = _mapping(channels or (), Channel)
    status_map = _mapping(statuses or (), DossierStatus)
    level_map = _mapping((v for v in levels or () if v.strip()), AdministrativeLevel)
    # Due dates computed from a time limit: by the streaming reader itself, per distinct pair.
    con.execute("CREATE TEMP TABLE limits (received VARCHAR, time_limit VARCHAR, due BIGINT)")
    due_rows = []
    for received, limit in limits or ():
        (record,) = records_from(
            [
                {
                    "code": "x",
                    "domain": "x",
                    "channel": "direct",
                    "received_at": received,
                    "status": "received",
                    "time_limit": limit,
                }
            ],
            calendar=options.calendar,
            deadline_policy=options.deadline_policy,
            check_duplicates=False,
        )
        if isinstance(record, Exception):
            raise _Doubtful(f"time limit {limit!r}")
        due_rows.append((received, limit, _epoch_us(record.due_at)))
    _insert(con, "limits", due_rows)
    # The catalogue's fee and result kind per distinct procedure and channel.
    con.execute("CREATE TEMP TABLE cat (code VARCHAR, channel VARCHAR, fee BIGINT, paper INTEGER)")
    cat_rows = []
    for code, channel in procedures or ():
        if not code.strip():
            continue  # no procedure code: nothing to look up (both unknown)
        facts = lookup_catalogue(code.strip(), Channel(channel_map[channel]), catalog)
        cat_rows.append((code, channel, facts.fee, facts.paper_result))
    _insert(con, "cat", cat_rows)
    keys = ", ".join(f"{_KEYS[d]} AS k{i}" for i, d in enumerate(options.group_by))
    services = ", ".join(
        f"CASE WHEN e.s_{c} = '' THEN NULL ELSE CAST(e.s_{c} AS BIGINT) END AS {c}"
        for c in (
            "synced",
            "paid_online",
            "fee",
            "paper_result",
            "e_result",
            "digitised",
            "reused_data",
            "from_citizen_store",
            "vneid",
            "complaint",
        )
    )
    con.execute(
        f"""
        CREATE TEMP TABLE r AS
        WITH e AS (
          SELECT s.*,
            {_case("s.s_channel", channel_map)} AS channel,
            {_case("s.s_status", status_map)} AS status,
            {_case("s.s_level", level_map)} AS level
          FROM src s
        )
        SELECT {keys},
          e.channel AS channel, e.status AS status,
          {_instant("e.s_received_at")} AS rec,
          CASE WHEN e.s_due_at <> '' THEN {_instant("e.s_due_at", True)} ELSE l.due END AS due,
          {_instant("e.s_finished_at")} AS fin,
          {_instant("e.s_supplement_requested_at")} AS sreq,
          {_instant("e.s_supplement_received_at")} AS srec,
          COALESCE(TRY_CAST(NULLIF(e.s_supplement_requests, '') AS INTEGER), 0)
            >= {REPEATED_SUPPLEMENT_REQUESTS} AS repeated,
          {services},
          c.fee AS cat_fee, c.paper AS cat_paper
        FROM e
        LEFT JOIN limits l ON e.s_due_at = '' AND l.received = e.s_received_at
          AND l.time_limit = e.s_time_limit
        LEFT JOIN cat c ON c.code = e.s_procedure_code AND c.channel = e.s_channel
        """
    )
    start, end = _epoch_us(period.start), _epoch_us(period.end)
    first, last = con.execute(
        "SELECT min(least(rec, COALESCE(sreq, rec))), max(greatest(fin, COALESCE(srec, fin))) "
        "FROM r WHERE rec >= $1 AND rec < $2 AND fin IS NOT NULL AND fin < $2 "
        "AND status IN ('completed', 'returned')",
        [start, end],
    ).fetchone()
    work: tuple[Any, ...] = ([0], [0], [0] * (_MINUTES_PER_DAY + 1), 0)
    if first is not None:
        work = _tables(_local_date(first), _local_date(last), options.working_calendar)
    terms, sums = _counter_sql(options.policy)
    n_keys = len(options.group_by)
    key_list = ", ".join(f"k{i}" for i in range(n_keys))
    sql = f"""
        WITH t AS (SELECT *, {terms} FROM r)
        SELECT {key_list}, {", ".join(sums)} FROM t
        WHERE in_table
        GROUP BY {key_list}
    """
    groups: dict[tuple[str, ...], IndexCounts] = {}
    for row in con.execute(sql, [start, end, *work]).fetchall():
        values = tuple(int(v) for v in row[n_keys:])
        if any(values):
            groups[tuple(row[:n_keys])] = IndexCounts(values)
    return groups


def _insert(con: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(${i + 1})" for i in range(len(columns)))
    con.execute(f"INSERT INTO {table} SELECT {select}", columns)


def _local_date(epoch_us: int) -> dt.date:
    return _EPOCH.date() + dt.timedelta(days=(epoch_us + _UTC7_US) // _US_PER_DAY)


def _tables(
    first: dt.date, last: dt.date, calendar: WorkingCalendar
) -> tuple[list[int], list[int], list[int], int]:
    if not calendar.sessions_on_whole_minutes:
        raise _Doubtful("office sessions that do not start and end on a whole minute")
    try:
        cumulative, kinds, profiles = calendar.working_second_tables(first, last)
    except TthcError as exc:
        raise _Doubtful(f"working time: {exc}") from None
    flat = [seconds for profile in profiles for seconds in profile]
    return cumulative, kinds, flat, (first - _EPOCH.date()).days
