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

import os
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Final, Unpack

from tthc._duckdb import (
    MINUTES_PER_DAY,
    Doubtful,
    case_sql,
    check_label_keys,
    connect,
    csv_header,
    csv_source,
    enum_table,
    epoch_us,
    file_path,
    import_duckdb,
    insert,
    instant_sql,
    local_date,
    parquet_cells,
    parquet_source,
    sql_text,
    timeliness_facts_sql,
    work_tables,
    working_seconds_sql,
)
from tthc._enums import AdministrativeLevel, Channel, DossierStatus
from tthc._rules import (
    END_OF_PROCESSING_RULES,
    PROGRESS_RULES,
    TIMELINESS_RULES,
    limit_start_sql,
    processing_seconds_sql,
)
from tthc.errors import InputFormatError
from tthc.index._builder import InputsArg, build_index, describe, inputs_of
from tthc.index._evaluate import BIEU06_LATE_CELLS, COUNTERS, lookup_catalogue
from tthc.index._indicators import COMPUTED_INDICATORS
from tthc.index._result import IndexCounts, ServiceIndex
from tthc.report import (
    COLUMNS,
    REPEATED_SUPPLEMENT_REQUESTS,
    SERVICE_COLUMNS,
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


def _mapping(values: Iterable[str], enum: Any) -> dict[str, str]:
    """Raw spelling → enum value, by the streaming parser's rule; doubtful when unknown."""
    mapping: dict[str, str] = {}
    for raw, value in enum_table(values, enum):
        if value is None:
            raise Doubtful(f"unknown spelling {raw!r}")
        mapping[raw] = value
    return mapping


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


def _limit_start(table: str = "") -> str:
    """SQL of the cell a due date computed from ``time_limit`` runs from, on the text cells
    (``table`` the prefix of the columns; :func:`tthc._rules.limit_start_sql`)."""
    return limit_start_sql(f"{table}s_received_at", f"NULLIF({table}s_supplement_received_at, '')")


def _facts() -> dict[str, str]:
    """SQL of the facts of the three rules tables over the row table ``r`` (instants in epoch
    µs; ``$1``/``$2`` the period's start and end, its last instant ``$2 - 1``)."""
    as_of = "($2 - 1)"
    waiting = (
        f"(CASE WHEN sreq IS NOT NULL THEN sreq <= {as_of} AND NOT COALESCE(srec <= {as_of}, "
        f"false) ELSE status = 'supplement_requested' END)"
    )
    # Biểu số 06 (as the report's SQL and tthc.report.facts_at)
    facts = timeliness_facts_sql(
        withdrawn="status = 'withdrawn'", waiting="status = 'supplement_requested'"
    )
    finished = facts["finished"]
    return {
        **facts,
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
        + " ".join(f"WHEN {sql_text(cell)} THEN {instant}" for cell, instant in instants.items())
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
    late_cells = ", ".join(sql_text(c) for c in sorted(BIEU06_LATE_CELLS))
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
    sums["2.2.d"] = f"count(*) FILTER ({completed})"
    measured = processing_seconds_sql(working_seconds_sql, "rec", "fin", "sreq", "srec")
    sums["2.2.n"] = f"COALESCE(sum({measured}) FILTER ({completed}), 0)"
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
    duckdb = import_duckdb()
    text_path, is_parquet = file_path(path)
    the_period = period if isinstance(period, Period) else Period.parse(str(period))
    given = inputs_of(inputs)

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
    except (InputFormatError, Doubtful) as doubt:
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
    con = connect(duckdb, threads)
    try:
        try:
            return _run(con, path, is_parquet, period, options, catalog)
        except duckdb.Error as exc:
            raise Doubtful(f"DuckDB: {str(exc).splitlines()[0]}") from None
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
    if is_parquet:
        source, found = parquet_source(con, path)
        cells = parquet_cells(found, COLUMNS)
    else:
        source, cells = csv_source(path, *header_index(csv_header(path)), COLUMNS)
    raw = ", ".join(f"{cells[c]} AS s_{c}" for c in COLUMNS)
    con.execute(f"CREATE TEMP TABLE src AS SELECT {raw} FROM {source}")
    (channels, statuses, levels, limits, procedures) = con.execute(
        "SELECT list(DISTINCT s_channel), list(DISTINCT s_status), list(DISTINCT s_level), "
        f"list(DISTINCT [{_limit_start()}, s_time_limit]) FILTER (s_due_at = ''), "
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
            raise Doubtful(f"time limit {limit!r}")
        due_rows.append((received, limit, epoch_us(record.due_at)))
    insert(con, "limits", due_rows)
    # The catalogue's fee and result kind per distinct procedure and channel.
    con.execute("CREATE TEMP TABLE cat (code VARCHAR, channel VARCHAR, fee BIGINT, paper INTEGER)")
    cat_rows = []
    for code, channel in procedures or ():
        if not code.strip():
            continue  # no procedure code: nothing to look up (both unknown)
        facts = lookup_catalogue(code.strip(), Channel(channel_map[channel]), catalog)
        cat_rows.append((code, channel, facts.fee, facts.paper_result))
    insert(con, "cat", cat_rows)
    keys = ", ".join(f"{_KEYS[d]} AS k{i}" for i, d in enumerate(options.group_by))
    services = ", ".join(
        f"CASE WHEN e.s_{c} = '' THEN NULL ELSE CAST(e.s_{c} AS BIGINT) END AS {c}"
        for c in SERVICE_COLUMNS
    )
    con.execute(
        f"""
        CREATE TEMP TABLE r AS
        WITH e AS (
          SELECT s.*,
            {case_sql("s.s_channel", channel_map.items())} AS channel,
            {case_sql("s.s_status", status_map.items())} AS status,
            {case_sql("s.s_level", level_map.items())} AS level
          FROM src s
        )
        SELECT {keys},
          e.channel AS channel, e.status AS status,
          {instant_sql("e.s_received_at")} AS rec,
          CASE WHEN e.s_due_at <> '' THEN {instant_sql("e.s_due_at", True)} ELSE l.due END AS due,
          {instant_sql("e.s_finished_at")} AS fin,
          {instant_sql("e.s_supplement_requested_at")} AS sreq,
          {instant_sql("e.s_supplement_received_at")} AS srec,
          COALESCE(TRY_CAST(NULLIF(e.s_supplement_requests, '') AS INTEGER), 0)
            >= {REPEATED_SUPPLEMENT_REQUESTS} AS repeated,
          {services},
          c.fee AS cat_fee, c.paper AS cat_paper
        FROM e
        LEFT JOIN limits l ON e.s_due_at = '' AND l.received = {_limit_start("e.")}
          AND l.time_limit = e.s_time_limit
        LEFT JOIN cat c ON c.code = e.s_procedure_code AND c.channel = e.s_channel
        """
    )
    start, end = epoch_us(period.start), epoch_us(period.end)
    first, last = con.execute(
        "SELECT min(least(rec, COALESCE(sreq, rec))), max(greatest(fin, COALESCE(srec, fin))) "
        "FROM r WHERE rec >= $1 AND rec < $2 AND fin IS NOT NULL AND fin < $2 "
        "AND status IN ('completed', 'returned')",
        [start, end],
    ).fetchone()
    work: tuple[Any, ...] = ([0], [0], [0] * (MINUTES_PER_DAY + 1), 0)
    if first is not None:
        work = work_tables(local_date(first), local_date(last), options.working_calendar)
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
    check_label_keys(options.group_by, groups)
    return groups
