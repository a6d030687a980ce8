"""A columnar fast path for CSV and Parquet inputs, on DuckDB (extra ``columnar``).

:func:`build_report_columnar` computes the same :class:`~tthc.Report` as the streaming
:func:`~tthc.build_report` — identical numbers, checked by the test-suite on random data — by
running the classification of :func:`~tthc.report.classify` as SQL over the whole file at once.

Why DuckDB (rather than Polars): the rules stay readable as SQL that mirrors
:func:`~tthc.report.classify` line by line; DuckDB scans CSV and Parquet out of core and in parallel
without loading the file into memory; it needs neither pandas nor pyarrow; and it writes
Parquet itself (what the tests and the benchmark use).

How the result is kept identical:

* **Validation first.** One scan parses every row into a small table (code, group key,
  enums, instants as integer microseconds) and flags what the streaming reader would reject
  (missing values, unknown channel/status/level, dates that are not ISO 8601, finished without
  or before receipt, due before receipt, a re-appointment not after the due date, a bad
  ``supplement_requests``, repeated codes) and what the SQL cannot judge exactly (dates outside
  a strict ISO subset, padded cells, blank lines, short or long rows, line breaks inside
  cells — these shift line numbers). Channel, status and level spellings are mapped by the
  streaming reader's own rule, once per distinct spelling; due dates computed from
  ``time_limit`` come from the deadline engine by the streaming reader's rule, once per
  distinct (receipt instant, ``time_limit``) pair, and are joined into the parsed table (the
  file is not read again).
* **Fallback.** If *any* row fails or is doubtful, the whole file is read by the streaming path
  instead (``fallback=True``, the default), so rejections — with their line numbers — and
  numbers are those of :func:`~tthc.build_report`, at streaming speed; ``fallback=False`` raises
  :class:`~tthc.InputFormatError` instead. The fast path is for clean files.
* **Working time.** The processing time of resolved dossiers uses the working calendar's own
  tables (:meth:`~tthc.calendar.WorkingCalendar.working_second_tables`: working seconds to each
  date's midnight plus an intraday profile per kind of day) for the resolved rows' date range,
  passed to the SQL as lists: the same seconds as the streaming path's
  :meth:`~tthc.calendar.WorkingCalendar.working_seconds`.
* **The rules.** The classification is SQL written from the rules tables
  (:data:`~tthc.report.TIMELINESS_RULES`, :data:`~tthc.report.RECEIPT_RULES`) by
  :func:`~tthc.report.rules_sql`, so it cannot drift from the streaming path.

Memory: DuckDB works within a fixed budget (``DUCKDB_MEMORY_LIMIT``) and writes what does not
fit to a temporary directory, so the peak stays about flat in the row count (figures in
``docs/benchmarks.md``).

Parquet: columns are matched by name, ignoring case. VARCHAR, DATE, TIMESTAMP (read as UTC+7
wall clock), TIMESTAMP WITH TIME ZONE and integer columns are understood; any other type sends
the file to the fallback. The streaming reference for a Parquet file is
``build_report(parquet_rows(path))`` (rows as mappings; "line" = 1-based row position).
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Final, Unpack

from tthc._duckdb import (
    COLUMNAR_EXTRA_HINT,
    EPOCH,
    US_PER_DAY,
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
from tthc._enums import LABELS, AdministrativeLevel, Channel, DossierStatus
from tthc._rules import (
    RECEIPT_RULES,
    REPEATED_SUPPLEMENT_REQUESTS,
    TIMELINESS_RULES,
    ReportPolicy,
    limit_start_sql,
    processing_seconds_sql,
    rules_sql,
)
from tthc._time import VN_TZ
from tthc.calendar import DeadlinePolicy, TimeLimit, WorkingCalendar, due_at
from tthc.errors import InputFormatError, TthcError
from tthc.report._classify import COUNTER_INDEX, I_APOLOGY, I_MEASURED, I_SECONDS, N_COUNTERS
from tthc.report._counts import Counts
from tthc.report._dedup import DuplicateCheck
from tthc.report._intake import IntakeOptions, SourceInfo, open_input
from tthc.report._options import ReportOptionChanges, ReportOptions
from tthc.report._period import Period
from tthc.report._records import (
    COLUMNS,
    MAX_FEE_VND,
    MAX_SUPPLEMENT_REQUESTS,
    REQUIRED_COLUMNS,
    SERVICE_COLUMNS,
    _check_header,
    header_index,
)
from tthc.report._report import NOT_GIVEN, Report, ReportBuilder, _describe, build_report

__all__ = ["COLUMNAR_EXTRA_HINT", "build_report_columnar", "parquet_rows"]


_FETCH_ROWS: Final = 10_000
_CHUNK_BYTES: Final = 1 << 22
_ONE_DAY: Final = dt.timedelta(days=1)
_WHITESPACE: Final = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
"""Every character ``str.strip()`` removes (all below U+3001)."""
_WHITESPACE_CODES: Final = ", ".join(str(ord(c)) for c in _WHITESPACE)
_ONE_COLUMN_KEYS: Final = frozenset({"domain", "agency"})
"""Group dimensions whose key is one cell as it is (see :func:`_prepared_sql`)."""


_EARLIEST_US: Final = US_PER_DAY
"""Rows received before 1970-01-02 are left to the streaming path (integer arithmetic on epoch
microseconds stays positive)."""

_FINISHED: Final = tuple(s.value for s in DossierStatus if s.is_finished)


_UTF8_CHUNK: Final = 1 << 20


def _check_utf8(path: str) -> None:
    """Raise :class:`Doubtful` unless the whole file is UTF-8: DuckDB decodes only the
    columns a query reads, while the streaming path rejects a row holding bytes that are not
    text in any cell (and reads other encodings). A pass of Python's decoder in C, about
    1 GB/s."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_UTF8_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise Doubtful("bytes that are not UTF-8") from None


# --------------------------------------------------------------------------- sources


def _csv_source(path: str) -> tuple[str, dict[str, str], Callable[[], int]]:
    """SQL of the raw cells, column → expression of its text ("" when empty or absent, never
    NULL), and the number of data rows expected.

    The rows are counted (in Python, :func:`_physical_lines`) on a thread while DuckDB, which
    releases the GIL, scans the file: the last item waits for that count."""
    width, index = header_index(csv_header(path))
    counter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tthc-lines")
    lines = counter.submit(_physical_lines, path)
    counter.shutdown(wait=False)
    sql, cells = csv_source(path, width, index, COLUMNS)
    return sql, cells, lambda: lines.result() - 1


def _physical_lines(path: str) -> int:
    """Physical lines as ``csv.reader`` counts them; doubtful if ``\\r`` or NUL is stray."""
    newlines = returns = crlf = 0
    last = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK_BYTES):
            if b"\x00" in chunk:
                raise Doubtful("NUL byte")
            newlines += chunk.count(b"\n")
            if b"\r" in chunk:  # rare: count CR and CRLF only then
                returns += chunk.count(b"\r")
                crlf += chunk.count(b"\r\n")
            if last == b"\r" and chunk.startswith(b"\n"):
                crlf += 1
            last = chunk[-1:]
    if returns != crlf:
        raise Doubtful("carriage return without line feed")
    return newlines + (1 if last and last != b"\n" else 0)


def _parquet_source(con: Any, path: str) -> tuple[str, dict[str, str], Callable[[], int]]:
    sql, found = parquet_source(con, path)
    _check_header(found)
    cells = parquet_cells(found, COLUMNS)
    (rows,) = con.execute(f"SELECT count(*) FROM {sql}").fetchone()
    return sql, cells, lambda: int(rows)


def parquet_rows(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file as mappings, for :func:`~tthc.build_report` (the streaming
    reference of the columnar path). Needs DuckDB (``pip install "tthc[columnar]"``).

    >>> import duckdb, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "rows.parquet")
    >>> duckdb.sql("SELECT 'A-1' AS code, 'Hộ tịch' AS domain").write_parquet(path)
    >>> list(parquet_rows(path))
    [{'code': 'A-1', 'domain': 'Hộ tịch'}]
    """
    duckdb = import_duckdb()
    con = connect(duckdb, None)
    try:
        cursor = con.execute(f"SELECT * FROM read_parquet({sql_text(os.fspath(path))})")
        names = [d[0] for d in cursor.description]
        while batch := cursor.fetchmany(_FETCH_ROWS):
            for row in batch:
                yield dict(zip(names, row, strict=True))
    finally:
        con.close()


# --------------------------------------------------------------------------- lookups


_LIMIT_BATCH: Final = 65_536
"""Due dates computed and written back per batch of receipt instants (bounded memory)."""


def _fill_due_from_limits(
    con: Any, calendar: WorkingCalendar | None, deadline_policy: DeadlinePolicy | None
) -> None:
    """Set ``pm.due`` on the rows whose due date is computed from ``time_limit``.

    By the streaming reader's rule — ``due_at(start, TimeLimit.parse(time_limit.strip()),
    calendar, deadline_policy)``, ``start`` the receipt or the supplement's return — once per
    distinct (wording, start), never per row;
    a wording that cannot be read or a due date the engine cannot compute leaves ``due`` NULL,
    which makes the row bad (the streaming path then rejects it with its reason). The instants
    go to Python and back in batches of :data:`_LIMIT_BATCH` (``wanted`` numbers them,
    ``due_limits`` takes the answers), then one ``UPDATE`` joins them in: nothing is re-read
    from the file."""
    start = limit_start_sql("rec", "srec")
    con.execute(
        "CREATE TEMP TABLE wanted AS SELECT tl, rec, row_number() OVER () AS i FROM "
        f"(SELECT DISTINCT tl, {start} AS rec FROM pm WHERE need_limit AND rec IS NOT NULL)"
    )
    con.execute("CREATE TEMP TABLE due_limits (i BIGINT, due BIGINT)")
    (count,) = con.execute("SELECT count(*) FROM wanted").fetchone()
    epoch_vn = EPOCH.astimezone(VN_TZ)
    limits: dict[str, TimeLimit | None] = {}
    for low in range(0, count, _LIMIT_BATCH):
        pairs = con.execute(
            "SELECT i, tl, rec FROM wanted WHERE i > $1 AND i <= $2",
            [low, low + _LIMIT_BATCH],
        ).fetchall()
        batch: list[tuple[int, int]] = []
        for i, text, rec in pairs:
            if text not in limits:
                try:
                    limits[text] = TimeLimit.parse(text.strip())
                except TthcError:
                    limits[text] = None  # no due date: the rows are bad
            limit = limits[text]
            if limit is None:
                continue
            try:
                due = due_at(
                    epoch_vn + dt.timedelta(microseconds=rec), limit, calendar, deadline_policy
                )
            except TthcError:
                continue
            batch.append((i, epoch_us(due)))
        insert(con, "due_limits", batch)
    con.execute(
        "UPDATE pm SET due = d.due FROM wanted w JOIN due_limits d ON w.i = d.i "
        "WHERE pm.need_limit AND pm.tl = w.tl AND "
        f"{limit_start_sql('pm.rec', 'pm.srec')} = w.rec"
    )
    con.execute("DROP TABLE wanted")
    con.execute("DROP TABLE due_limits")


# --------------------------------------------------------------------------- the SQL


def _prepared_sql(
    source: str, cells: dict[str, str], needed: Iterable[str], exact: Iterable[str]
) -> str:
    """The raw cells of every row ("" when missing) and ``odd_space``: a cell of ``exact``
    (the code and the group-key columns, used as they are) that is padded with whitespace,
    or empty when the column is required.

    Cells are not stripped (DuckDB's ``trim`` is costly and strips only spaces). Instead every
    other column is read so that padding makes the row doubtful — timestamps and counts must
    match their patterns exactly, enum spellings go through the streaming parser as they are —
    and the exact columns are checked here; a doubtful row sends the file to the streaming
    reader, which strips.

    What is checked per row: the code at both ends (a padded code could hide a
    repeat); a one-column key (``domain``, ``agency``) at its start only — that also catches a
    cell of whitespace alone, which the streaming reader takes for empty — because its end
    only matters in the keys of counted rows, which :func:`tthc._duckdb.check_label_keys` looks at after the
    aggregation (the last code point costs twice the first: ``docs/benchmarks.md``); the two procedure cells at both ends (they are joined into one key). The code
    points are those of ``str.strip()`` (:data:`_WHITESPACE`), so the tests agree with the
    streaming reader's stripping character for character."""
    parts = [f"{cells[c]} AS s_{c}" for c in needed]
    tests: list[str] = []
    for column in exact:
        cell = f"s_{column}"
        first = f"unicode({cell}) IN ({_WHITESPACE_CODES})"
        last = f"unicode(substring({cell}, -1)) IN ({_WHITESPACE_CODES})"  # last code point
        required = column in REQUIRED_COLUMNS
        edges = first if column in _ONE_COLUMN_KEYS else f"{first} OR {last}"
        # unicode('') is -1: an empty cell passes the edge tests.
        tests.append(f"{cell} = '' OR {edges}" if required else f"({cell} <> '' AND ({edges}))")
    odd = " OR ".join(tests)
    return f"SELECT *, {odd} AS odd_space FROM (SELECT {', '.join(parts)} FROM {source})"


_KEY_SQL: Final[dict[str, str]] = {
    "domain": "p.s_domain",
    "agency": "p.s_agency",
    "procedure": (
        "CASE WHEN p.s_procedure_code <> '' AND p.s_procedure_name <> '' "
        "THEN p.s_procedure_code || ' – ' || p.s_procedure_name "
        "ELSE p.s_procedure_code || p.s_procedure_name END"
    ),
    "channel": "channel_value",
    "level": f"COALESCE(level_value, '{NOT_GIVEN}')",
}
"""SQL of each group dimension: the same keys as the streaming report's key function."""


_MAX_SPELLINGS: Final = 64
"""More distinct spellings than this in one enum column is doubtful (lookups are inlined)."""


def _parsed_sql(
    group_by: tuple[str, ...],
    maps: dict[str, list[tuple[str, str | None]]],
    years: tuple[int, int],
) -> str:
    """SQL: per input row, its group key, instants (epoch µs) and flags: ``bad_rest`` — the
    streaming reader would reject the row for a reason other than its due date, or the SQL
    cannot be sure it would not (the due date's own checks are :func:`_due_bad_sql`, once the
    due dates computed from ``time_limit`` are in); ``unknown`` — a channel/status/level
    spelling missing from ``maps``; ``need_limit`` — the due date is to be computed from
    ``time_limit`` (``tl``, kept only on those rows; ``due`` is NULL until then); ``odd`` (see
    :func:`_prepared_sql`); ``code`` for the duplicate check. Of the channel and the status
    only what the classification asks is kept (``online``, ``withdrawn``, ``waiting`` for a
    supplement, ``repeated``: more than one supplement request): booleans are cheaper to store
    than text. The re-appointment, the last supplement request and its resubmission (``ext``,
    ``sreq``, ``srec``) are kept as instants; a row with an open pause (``paused_at``) is bad
    for this path (its due instant moves by the working time paused: the streaming path
    computes it)."""
    finished = ", ".join(f"'{s}'" for s in _FINISHED)
    lowest, beyond = _year_range_us(years)
    in_years = " AND ".join(
        f"({x} IS NULL OR ({x} >= {lowest} AND {x} < {beyond}))"
        for x in ("rec", "fin", "ext", "sreq", "srec")
    )
    keys = ", ".join(f"{_KEY_SQL[d]} AS k{i}" for i, d in enumerate(group_by))
    # A cell of digits only (else the row is bad); too big for HUGEINT = many requests.
    repeated = (
        "CASE WHEN p.s_supplement_requests IN ('', '0', '1') THEN false ELSE COALESCE("
        f"try_cast(p.s_supplement_requests AS HUGEINT) >= {REPEATED_SUPPLEMENT_REQUESTS}, "
        "true) END AS repeated"
    )
    return f"""
    WITH e AS (
      SELECT p.*,
        {case_sql("p.s_channel", maps["channel"])} AS channel_value,
        {case_sql("p.s_status", maps["status"])} AS status,
        {case_sql("p.s_level", maps["level"])} AS level_value
      FROM prepared p
    ),
    t AS (
      SELECT p.s_code AS code, {keys},
        p.odd_space AS odd,
        (p.s_channel <> '' AND channel_value IS NULL) OR (p.s_status <> '' AND status IS NULL)
          OR (p.s_level <> '' AND level_value IS NULL) AS unknown,
        p.s_due_at = '' AND p.s_time_limit <> '' AS need_limit,
        CASE WHEN p.s_due_at = '' AND p.s_time_limit <> '' THEN p.s_time_limit END AS tl,
        channel_value AS channel, status,
        p.s_level = '' OR level_value IS NOT NULL AS level_ok,
        {instant_sql("p.s_received_at")} AS rec,
        CASE WHEN p.s_due_at <> '' THEN {instant_sql("p.s_due_at", end_of_day=True)} END AS due,
        p.s_finished_at = '' AS no_fin_text,
        {instant_sql("p.s_finished_at")} AS fin,
        p.s_extended_due_at = '' AS no_ext_text,
        {instant_sql("p.s_extended_due_at", end_of_day=True)} AS ext,
        CASE WHEN p.s_supplement_requests IN ('', '0') THEN true  -- the usual cells: no regex
          ELSE regexp_full_match(p.s_supplement_requests, '[0-9]+')
            AND length(ltrim(p.s_supplement_requests, '0')) <= {len(str(MAX_SUPPLEMENT_REQUESTS))}
          END AS supplements_ok,
        {repeated},
        p.s_supplement_requested_at = '' AS no_sreq_text,
        {instant_sql("p.s_supplement_requested_at")} AS sreq,
        p.s_supplement_received_at = '' AS no_srec_text,
        {instant_sql("p.s_supplement_received_at")} AS srec,
        p.s_paused_at = '' AS no_pause_text,
        {_service_ok_sql()} AS service_ok
      FROM e p
    )
    SELECT * EXCLUDE (level_ok, no_fin_text, no_ext_text, supplements_ok, channel, status,
                      no_sreq_text, no_srec_text, no_pause_text, service_ok),
      channel = 'online' AS online,
      status = 'withdrawn' AS withdrawn,
      status = 'supplement_requested' AS waiting,
      NOT COALESCE(
        NOT odd AND channel IS NOT NULL AND status IS NOT NULL
        AND rec IS NOT NULL AND level_ok
        AND (no_fin_text OR fin IS NOT NULL)
        AND CASE WHEN status IN ({finished}) THEN fin IS NOT NULL AND fin >= rec
                 ELSE no_fin_text END
        AND (no_ext_text OR ext IS NOT NULL)
        AND supplements_ok
        AND (no_sreq_text OR (sreq IS NOT NULL AND sreq >= rec AND (fin IS NULL OR sreq <= fin)))
        AND (no_srec_text OR (srec IS NOT NULL AND sreq IS NOT NULL AND srec >= sreq
                              AND status <> 'supplement_requested'))
        AND no_pause_text  -- an open pause moves the due instant: left to the streaming path
        AND service_ok
        AND {in_years}
        AND rec >= {_EARLIEST_US},
        false) AS bad_rest
    FROM t
    """


def _year_range_us(years: tuple[int, int]) -> tuple[int, int]:
    """The first instant of the calendar's first year and the first one after its last year
    (epoch µs, UTC+7): the streaming reader refuses an instant whose UTC+7 year the calendar
    cannot compute."""
    return (
        epoch_us(dt.datetime(years[0], 1, 1, tzinfo=VN_TZ)),
        epoch_us(dt.datetime(years[1] + 1, 1, 1, tzinfo=VN_TZ)),
    )


def _due_bad_sql(years: tuple[int, int]) -> str:
    """SQL over ``pm``: the row is bad — :func:`_parsed_sql`'s ``bad_rest``, or its due
    instant is missing (empty with no readable ``time_limit``, unreadable, not computable),
    outside the calendar's years, before the receipt, or after the re-appointment."""
    lowest, beyond = _year_range_us(years)
    return (
        f"bad_rest OR NOT COALESCE(due >= {lowest} AND due < {beyond} AND due >= rec "
        "AND (ext IS NULL OR ext >= due), false)"
    )


def _service_ok_sql() -> str:
    """SQL: the service-index cells are empty or in their plainest spelling (``0``/``1``,
    ``paid_online`` ``0``–``2``, a fee in bare digits within :data:`MAX_FEE_VND`); any other
    spelling — valid or not — makes the row doubtful, so the streaming reader judges it."""
    terms = []
    for column in SERVICE_COLUMNS:
        cell = f"p.s_{column}"
        if column == "fee":
            test = (
                f"regexp_full_match({cell}, '[0-9]{{1,20}}') "
                f"AND try_cast({cell} AS HUGEINT) <= {MAX_FEE_VND}"
            )
        elif column == "paid_online":
            test = f"{cell} IN ('0', '1', '2')"
        else:
            test = f"{cell} IN ('0', '1')"
        terms.append(f"({cell} = '' OR ({test}))")
    return " AND ".join(terms)


def _fact_sql() -> dict[str, str]:
    """SQL of each fact of :data:`~tthc.report.RECEIPT_RULES` and
    :data:`~tthc.report.TIMELINESS_RULES` over the parsed table ``pm``, as
    :func:`~tthc.report.facts_at` derives them (the period's start, end and last instant are
    ``$1``, ``$2`` and ``$2 - 1``; instants in epoch microseconds)."""
    return {
        "received_before_start": "rec < $1",
        "received_after_end": "rec >= $2",
        "finished_before_start": "fin IS NOT NULL AND fin < $1",
        "online": "online",
        **timeliness_facts_sql(withdrawn="withdrawn", waiting="waiting"),
    }


def _classified_sql(n_keys: int, policy: ReportPolicy, measure: bool) -> str:
    """SQL: per group key and cell of the form, the number of dossiers and their working
    seconds; ``$1``/``$2`` are the period's start and end (epoch µs), ``$3``–``$6`` the working
    time tables (:func:`work_sql`).

    Written from the rules tables themselves (:func:`~tthc.report.rules_sql`): the ``WHERE``
    and the received side from :data:`~tthc.report.RECEIPT_RULES`, the outcome and the apology
    flag from :data:`~tthc.report.TIMELINESS_RULES` under ``policy``, over the facts of
    :func:`_fact_sql`."""
    facts = _fact_sql()
    keys = ", ".join(f"k{i}" for i in range(n_keys))
    in_table = rules_sql(
        RECEIPT_RULES[:2], facts, policy, cell=lambda rule: "false" if rule.cell is None else "true"
    ).replace("ELSE NULL", "ELSE true")
    side = rules_sql(RECEIPT_RULES[2:], facts, policy)
    outcome = rules_sql(TIMELINESS_RULES, facts, policy)
    apology = rules_sql(
        TIMELINESS_RULES, facts, policy, cell=lambda rule: "true" if rule.apology else "false"
    )
    seconds = "0"
    if measure:
        measured = processing_seconds_sql(working_seconds_sql, "rec", "fin", "sreq", "srec")
        seconds = f"CASE WHEN resolved THEN {measured} END"
    # ``pm`` is a table: on a view, DuckDB pushes the WHERE below the parsing projection and
    # parses the timestamps again for the filter (several times slower: docs/benchmarks.md).
    return f"""
    WITH c AS (
      SELECT {keys}, rec, fin, sreq, srec, ext IS NOT NULL AS extended,
        {side} AS side,
        {outcome} AS outcome,
        {apology} AS apology_rule
      FROM pm
      WHERE {in_table}
    ),
    r AS (
      SELECT *, starts_with(outcome, 'resolved_') AS resolved FROM c
    ),
    w AS (SELECT *, {seconds} AS seconds FROM r)
    SELECT {keys}, side, outcome,
      apology_rule AND extended AS apology,
      resolved, count(*) AS n, sum(seconds) AS seconds,
      count(*) FILTER (resolved AND seconds IS NULL) AS unmeasured
    FROM w
    GROUP BY ALL
    """


# --------------------------------------------------------------------------- the report


def build_report_columnar(
    path: str | os.PathLike[str],
    period: Period | str,
    options: ReportOptions | None = None,
    *,
    fallback: bool = True,
    threads: int | None = None,
    **changes: Unpack[ReportOptionChanges],
) -> Report:
    """The report of ``period`` from a CSV or Parquet file, computed by DuckDB.

    Gives the same :class:`~tthc.Report` as :func:`~tthc.build_report` on the same file (for
    Parquet: on :func:`parquet_rows`). When any row would be rejected or cannot be judged
    exactly in SQL, the file is read by the streaming path instead (``fallback=True``) or
    :class:`~tthc.InputFormatError` is raised (``fallback=False``). ``threads`` limits DuckDB's
    threads (default: all cores). ``options`` and keyword changes to it are those of
    :func:`~tthc.report.build_report` (:class:`~tthc.report.ReportOptions`).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "rows.csv")
    >>> with open(path, "w", encoding="utf-8") as f:
    ...     _ = f.write("code,domain,channel,received_at,status,due_at,finished_at\\n"
    ...                 "A-1,Hộ tịch,online,2024-01-02 08:00,returned,2024-01-05,2024-01-04 10:00\\n"
    ...                 "A-2,Hộ tịch,direct,2024-01-03 09:00,processing,2024-04-05,\\n")
    >>> r = build_report_columnar(path, "2024-Q1")
    >>> r.totals.resolved_early, r.totals.pending_within_time, r == build_report(path, "2024-Q1")
    (1, 1, True)

    Raises:
        ReportError: DuckDB is not installed (naming the ``columnar`` extra).
        InputFormatError: the file lacks required columns, or (``fallback=False``) it has rows
            the fast path cannot count exactly.
    """
    opts = ReportOptions.of(options, **changes)
    duckdb = import_duckdb()
    text_path, is_parquet = file_path(path)
    builder = ReportBuilder(period, opts)
    check = opts.check_duplicates
    spill_root = check.spill_dir if isinstance(check, DuplicateCheck) else None
    result: tuple[dict[tuple[str, ...], Counts], int, int] | None = None
    with tempfile.TemporaryDirectory(prefix="tthc-duckdb-", dir=spill_root) as spill_dir:
        con = connect(duckdb, threads, spill_dir)
        try:
            result = _fast(con, duckdb, text_path, is_parquet, builder)
        except Doubtful as doubt:
            if not fallback:
                raise InputFormatError(
                    f"{text_path}: the columnar path cannot count this file exactly ({doubt}); "
                    "build_report (the streaming path) counts it, and lists any rejected rows"
                ) from None
        finally:
            con.close()
    if result is None:
        source: Any = parquet_rows(text_path) if is_parquet else text_path
        report = build_report(source, builder.period, opts)
        return replace(report, source=_describe(path))
    groups, rows_read, rows_counted = result
    report = Report(
        period=builder.period,
        group_by=builder.group_by,
        groups=groups,
        rows_read=rows_read,
        rows_counted=rows_counted,
        rows_outside_period=rows_read - rows_counted,
        policy=builder.policy,
        unit=opts.unit,
        source=_describe(path),
        sources=(_source_info(text_path, is_parquet, rows_read, opts.unit),),
        calendar_fingerprint=builder.calendar_fingerprint,
        calendar_notices=builder.calendar_notices,
    )
    report.check()
    return report


def _source_info(path: str, is_parquet: bool, rows_read: int, unit: str | None) -> SourceInfo:
    """What was read, as the streaming path says it (the report's notes name the input)."""
    if is_parquet:
        info = SourceInfo(path, "parquet")
    else:
        opened = open_input(path, IntakeOptions(input_format="csv"))
        try:
            info = opened.info
        finally:
            opened.close()
    return info._replace(unit=unit, rows_read=rows_read, rows_rejected=0)


def _default_maps() -> dict[str, list[tuple[str, str | None]]]:
    """The spellings a file most likely uses: each member's value, labels and aliases, as
    written, in lower case and capitalised (kept only if the streaming parser's rule accepts
    them). Real exports write labels and aliases ("Đã trả kết quả", "Dịch vụ công trực
    tuyến", "Cấp Xã"); a spelling missing here costs a second parsing pass.

    The members' values come first, then their Vietnamese labels: :func:`case_sql` tests the
    spellings in this order, and a row leaves the ``CASE`` at its first match, so the usual
    spellings cost a few string comparisons."""
    maps: dict[str, list[tuple[str, str | None]]] = {}
    for name, enum in (
        ("channel", Channel),
        ("status", DossierStatus),
        ("level", AdministrativeLevel),
    ):
        values = [member.value for member in enum]
        labels = [member.label_vi for member in enum]
        spellings: set[str] = set()
        for member in enum:
            vi, en, aliases = LABELS[enum][member.value]
            for text in (member.value, vi, en, *aliases):
                spellings |= {text, text.lower(), text.capitalize()}
        rest = sorted(spellings - set(values) - set(labels))
        maps[name] = enum_table(dict.fromkeys([*values, *labels, *rest]), enum)
    return maps


_SPELLINGS_SQL: Final = """
    SELECT list(DISTINCT s_channel), list(DISTINCT s_status), list(DISTINCT s_level)
    FROM prepared
"""


def _fast(
    con: Any,
    duckdb: Any,
    path: str,
    is_parquet: bool,
    builder: ReportBuilder,
) -> tuple[dict[tuple[str, ...], Counts], int, int]:
    """The SQL path: ``(groups, rows read, rows counted)``, or raise :class:`Doubtful`.

    One scan of the file parses every row into a small table ``pm`` (instants as integers);
    the checks and the classification run on it. A second scan happens only for unusual
    channel/status/level spellings or for due dates to compute from ``time_limit``."""
    if not is_parquet:
        _check_utf8(path)
    group_by = builder.group_by
    policy = builder.policy
    start, end = epoch_us(builder.period.start), epoch_us(builder.period.end)
    measure = policy.measure_processing_time
    needed = [
        "code",
        "domain",
        "channel",
        "received_at",
        "status",
        "due_at",
        "finished_at",
        "time_limit",
        "extended_due_at",
        "supplement_requests",
        "supplement_requested_at",
        "supplement_received_at",
        "paused_at",
        "level",
        *SERVICE_COLUMNS,
    ]
    exact = ["code", "domain"]
    if "agency" in group_by:
        exact.append("agency")
    if "procedure" in group_by:
        exact += ["procedure_code", "procedure_name"]
    maps = _default_maps()
    years = builder.options.working_calendar.bounds
    try:
        if is_parquet:
            source, cells, expected = _parquet_source(con, path)
        else:
            source, cells, expected = _csv_source(path)
        con.execute(
            "CREATE TEMP VIEW prepared AS "
            + _prepared_sql(source, cells, [*needed, *exact[2:]], exact)
        )
        distinct_codes = "count(DISTINCT code)" if builder.options.check_duplicates else "0"
        for attempt in range(2):
            con.execute("DROP TABLE IF EXISTS pm")  # before its successor: one copy at a time
            con.execute("CREATE TEMP TABLE pm AS " + _parsed_sql(group_by, maps, years))
            rows, codes, odd, unknown, need_limits, bad_rest = con.execute(
                f"SELECT count(*), {distinct_codes}, count(*) FILTER (odd), "
                "count(*) FILTER (unknown), count(*) FILTER (need_limit), "
                "count(*) FILTER (bad_rest) FROM pm"
            ).fetchone()
            if rows != expected():
                raise Doubtful("blank lines, short rows or line breaks inside cells")
            if odd:
                raise Doubtful(
                    f"{odd} row(s) with an empty code or domain, or a padded code or group key"
                )
            if builder.options.check_duplicates and codes != rows:
                raise Doubtful("repeated codes")
            if attempt or not unknown:
                break
            # unusual spellings: map every distinct one, and parse again
            spellings = con.execute(_SPELLINGS_SQL).fetchone()
            for name, values, enum in zip(
                ("channel", "status", "level"),
                spellings,
                (Channel, DossierStatus, AdministrativeLevel),
                strict=True,
            ):
                if len(values or ()) > _MAX_SPELLINGS:
                    raise Doubtful(f"{len(values)} different spellings of {name}")
                maps[name] = enum_table((v for v in values or () if v), enum)
        if bad_rest:  # known bad before any due date is computed: stop here
            raise Doubtful(
                f"{bad_rest} row(s) would be rejected or cannot be judged exactly in SQL"
            )
        if need_limits:
            _fill_due_from_limits(con, builder.options.calendar, builder.options.deadline_policy)
        bad, first, last = con.execute(
            f"SELECT count(*) FILTER ({_due_bad_sql(years)}), "
            "min(rec) FILTER (fin >= $1 AND fin < $2), max(fin) FILTER (fin >= $1 AND fin < $2) "
            "FROM pm",
            [start, end],
        ).fetchone()
    except duckdb.Error as exc:
        raise Doubtful(f"DuckDB cannot read it: {str(exc).splitlines()[0]}") from None
    if bad:
        raise Doubtful(f"{bad} row(s) would be rejected or cannot be judged exactly in SQL")
    work: tuple[Any, ...] = ()
    if measure:
        # Bad rows are excluded above, so this is the date range of the resolved rows.
        work = ([], [], [], 0)
        if first is not None:
            work = work_tables(
                local_date(first), local_date(last), builder.options.working_calendar
            )
    sql = _classified_sql(len(group_by), policy, measure)
    acc: dict[tuple[str, ...], list[int]] = {}
    counted = 0
    width = len(group_by)
    for row in con.execute(sql, [start, end, *work]).fetchall():
        key = tuple(row[:width])
        side, outcome, late_apology, resolved, n, seconds, unmeasured = row[width:]
        if unmeasured:
            raise Doubtful("working time: a date outside the tabulated range")
        values = acc.setdefault(key, [0] * N_COUNTERS)
        values[COUNTER_INDEX[side]] += n
        values[COUNTER_INDEX[outcome]] += n
        counted += n
        if late_apology:
            values[I_APOLOGY] += n
        if resolved and measure:
            values[I_SECONDS] += int(seconds)
            values[I_MEASURED] += n
    check_label_keys(group_by, acc)
    return {k: Counts(*v) for k, v in acc.items()}, int(rows), counted
