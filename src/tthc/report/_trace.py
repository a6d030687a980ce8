"""The dossiers behind every number: a report's rows kept per cell, in bounded memory.

A report built with ``trace=True`` (:func:`~tthc.report.build_report`,
:class:`~tthc.report.ReportBuilder`) keeps, beside its counters, every counted
:class:`~tthc.report.DossierRecord` with the cells it was counted in (a bit mask), so that
:meth:`Report.dossiers <tthc.report.Report.dossiers>` can list the dossiers behind any cell of
any group — exactly those the counters count (the test-suite checks it on random data, on every
engine).

Memory stays bounded like the duplicate check's (:class:`~tthc.report.DuplicateCheck`): the
first :attr:`TraceOptions.records_in_memory` records are kept in memory; past that, every record
moves to a temporary SQLite file (standard library) in :attr:`TraceOptions.spill_dir`, deleted
when the trace is garbage-collected or :meth:`DossierTrace.close` is called.

A listed dossier (:class:`ListedDossier`) says how late a late or overdue dossier is, in working
time on the report's calendar ("quá 2 ngày 3 giờ": days of 8 working hours,
:class:`tthc.lifecycle.WorkingDuration`), and how much working time a pending dossier has left.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import pickle
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from tthc._enums import Channel, DossierStatus
from tthc._io import signals_deferred
from tthc._rules import (
    DEFAULT_POLICY,
    ReceiptFacts,
    ReportPolicy,
    decide_receipt,
    lateness_end,
    lookup,
)
from tthc._text import clean_label
from tthc._time import require_aware
from tthc.calendar import WorkingCalendar
from tthc.errors import ReportArgumentError, ReportError
from tthc.lifecycle import WorkingDuration
from tthc.report._classify import receipt_facts, record_facts
from tthc.report._parse import Row, to_record
from tthc.report._period import Period
from tthc.report._records import DossierRecord

if TYPE_CHECKING:
    from tthc.report._report import Report

__all__ = [
    "DEFAULT_TRACE_IN_MEMORY",
    "TRACE_CELLS",
    "TRACE_TOTALS",
    "DossierTrace",
    "ListedDossier",
    "TraceOptions",
    "lateness_text",
    "listed_dossiers",
    "report_cell_mask",
    "trace_records",
]

DEFAULT_TRACE_IN_MEMORY: Final = 50_000
"""Records a trace keeps in memory before all of them move to a temporary SQLite file: a
record with its instants costs about 1 KB in memory, so about 50 MB at most (measured:
``docs/benchmarks.md``)."""

_SPILL_BATCH: Final = 4096
"""Records written to the SQLite file per round trip once the trace is on disk."""

TRACE_CELLS: Final[tuple[str, ...]] = (
    "received_online",
    "received_direct_postal",
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_late_with_apology",
    "pending_within_time",
    "pending_overdue",
    "withdrawn_excluded",
)
"""The counted cells of Biểu số 06 a report's trace records per dossier (the counters of
:class:`~tthc.report.Counts` that count dossiers)."""

TRACE_TOTALS: Final[Mapping[str, tuple[str, ...]]] = {
    "received_new": ("received_online", "received_direct_postal"),
    "received_total": ("received_online", "received_direct_postal", "carried_over"),
    "resolved_total": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending_total": ("pending_within_time", "pending_overdue"),
}
"""The form's total columns, as the union of the cells they add up."""

_BIT: Final = {cell: 1 << i for i, cell in enumerate(TRACE_CELLS)}


@dataclass(frozen=True, slots=True)
class TraceOptions:
    """How a trace keeps its records (``trace=TraceOptions(...)``; ``True`` means the defaults).

    Attributes:
        records_in_memory: records kept in memory before all move to a temporary SQLite file
            (default :data:`DEFAULT_TRACE_IN_MEMORY`).
        spill_dir: where that file goes (default: :func:`tempfile.gettempdir`).

    >>> TraceOptions(records_in_memory=0)
    Traceback (most recent call last):
    ...
    tthc.errors.ReportError: records_in_memory must be at least 1, not 0
    """

    records_in_memory: int = DEFAULT_TRACE_IN_MEMORY
    spill_dir: str | os.PathLike[str] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.records_in_memory, int) or self.records_in_memory < 1:
            raise ReportError(
                f"records_in_memory must be at least 1, not {self.records_in_memory!r}"
            )

    @classmethod
    def of(cls, trace: bool | TraceOptions) -> TraceOptions | None:
        """The options a ``trace`` argument asks for (``None``: no trace).

        >>> TraceOptions.of(True) == TraceOptions(), TraceOptions.of(False)
        (True, None)
        """
        if isinstance(trace, TraceOptions):
            return trace
        if not isinstance(trace, bool):
            raise ReportError(
                f"trace must be True, False or a tthc.report.TraceOptions, got {type(trace).__name__}"
            )
        return cls() if trace else None


Key = tuple[str, ...]
Entry = tuple[Key, DossierRecord, int]


class DossierTrace:
    """The records behind a report (or a service index), each with a bit mask of the cells it
    is counted in; ``cells`` names the bits (bit ``i`` is ``cells[i]``).

    Records are kept in arrival order, in memory up to ``options.records_in_memory``, then in
    a temporary SQLite file. ``period``, ``policy`` and ``calendar`` are what the records were
    judged with (for :func:`listed_dossiers`).

    >>> import datetime as dt
    >>> from tthc import VN_TZ
    >>> t = dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
    >>> r = DossierRecord("A-1", "Hộ tịch", Channel.ONLINE, t, DossierStatus.PROCESSING, t)
    >>> trace = DossierTrace(("x", "y"), Period.parse("2024-03"), TraceOptions(records_in_memory=1))
    >>> trace.add(("Hộ tịch",), r, 0b10)
    >>> trace.add(("Hộ tịch",), r._replace(code="A-2"), 0b01)  # the second goes to disk
    >>> [rec.code for _, rec, _ in trace.entries(0b10)], len(trace), trace.spilled
    (['A-1'], 2, True)
    """

    def __init__(
        self,
        cells: Sequence[str],
        period: Period,
        options: TraceOptions | None = None,
        *,
        policy: ReportPolicy | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.cells = tuple(cells)
        self.period = period
        self.options = options or TraceOptions()
        self.policy = policy or DEFAULT_POLICY
        self._calendar = calendar  # None: the national calendar (looked up when needed)
        self._memory: list[Entry] = []
        self._buffer: list[Entry] = []
        self._db: sqlite3.Connection | None = None
        self._path: Path | None = None
        self._count = 0
        self._finalizer: weakref.finalize[Any, DossierTrace] | None = None

    @property
    def calendar(self) -> WorkingCalendar:
        """The working calendar the records are judged on."""
        return self._calendar if self._calendar is not None else WorkingCalendar.vietnam()

    # -- adding

    def bit(self, cell: str) -> int:
        """The bit of ``cell`` (:class:`~tthc.errors.ReportError` naming the cells if unknown)."""
        try:
            return 1 << self.cells.index(cell)
        except ValueError:
            raise ReportError(
                f"unknown cell {cell!r}; the cells are {', '.join(self.cells)}"
            ) from None

    def add(self, key: Key, record: DossierRecord, mask: int) -> None:
        """Keep ``record`` of group ``key``, counted in the cells of ``mask``."""
        self._count += 1
        if self._db is None:
            self._memory.append((key, record, mask))
            if len(self._memory) > self.options.records_in_memory:
                self._spill()
            return
        self._buffer.append((key, record, mask))
        if len(self._buffer) >= _SPILL_BATCH:
            self._flush()

    def _spill(self) -> None:
        directory = (
            self.options.spill_dir if self.options.spill_dir is not None else tempfile.gettempdir()
        )
        with signals_deferred():  # the file exists only once its removal is arranged
            try:
                fd, name = tempfile.mkstemp(prefix="tthc-trace-", suffix=".sqlite", dir=directory)
            except OSError as exc:
                raise ReportError(f"cannot create the trace file in {directory}: {exc}") from None
            os.close(fd)
            self._path = Path(name)
            try:
                self._db = sqlite3.connect(name, isolation_level=None, check_same_thread=False)
            except BaseException:
                self._path.unlink(missing_ok=True)
                raise
            self._finalizer = weakref.finalize(self, _remove, self._db, self._path)
        try:
            for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -8192"):
                self._db.execute(f"PRAGMA {pragma}")
            self._db.execute(
                "CREATE TABLE entry (id INTEGER PRIMARY KEY, mask INTEGER, key TEXT, record BLOB)"
            )
        except sqlite3.Error as exc:
            self.close()
            raise ReportError(f"trace file {name}: {exc}") from None
        # Move the in-memory records in batches, freeing each batch as it goes (a lower peak).
        memory, self._memory = self._memory, []
        memory.reverse()
        while memory:
            self._buffer = [memory.pop() for _ in range(min(_SPILL_BATCH, len(memory)))]
            self._flush()

    def _flush(self) -> None:
        if not self._buffer or self._db is None:
            return
        rows = [
            (mask, json.dumps(key, ensure_ascii=False), pickle.dumps(record, protocol=5))
            for key, record, mask in self._buffer
        ]
        self._buffer = []
        try:
            self._db.executemany("INSERT INTO entry (mask, key, record) VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            raise ReportError(f"trace file {self._path}: {exc}") from None

    # -- reading

    @property
    def spilled(self) -> bool:
        """Whether the records are in the temporary file (more than ``records_in_memory``)."""
        return self._db is not None

    def __len__(self) -> int:
        return self._count

    def entries(self, mask: int | None = None, group: Key | None = None) -> Iterator[Entry]:
        """``(key, record, mask)`` in arrival order: all, or those counted in any cell of
        ``mask``, of group ``group`` when given."""
        if self._db is None:
            for entry in self._memory:
                if (mask is None or entry[2] & mask) and (group is None or entry[0] == group):
                    yield entry
            return
        self._flush()
        query = "SELECT key, record, mask FROM entry"
        terms: list[str] = []
        params: list[object] = []
        if mask is not None:
            terms.append("(mask & ?) != 0")
            params.append(mask)
        if group is not None:
            terms.append("key = ?")
            params.append(json.dumps(list(group), ensure_ascii=False))
        if terms:
            query += " WHERE " + " AND ".join(terms)
        query += " ORDER BY id"
        try:
            for key, blob, bits in self._db.execute(query, params):
                yield tuple(json.loads(key)), pickle.loads(blob), bits
        except sqlite3.Error as exc:
            raise ReportError(f"trace file {self._path}: {exc}") from None

    # -- combining, shipping, closing

    def merged(self, other: DossierTrace) -> DossierTrace:
        """A new trace holding this one's records, then ``other``'s (same cells required)."""
        if self.cells != other.cells:
            raise ReportError("cannot merge traces of different cells")
        result = DossierTrace(
            self.cells, self.period, self.options, policy=self.policy, calendar=self._calendar
        )
        for trace in (self, other):
            for key, record, mask in trace.entries():
                result.add(key, record, mask)
        return result

    def close(self) -> None:
        """Delete the temporary file now (the trace is empty afterwards)."""
        if self._finalizer is not None:
            self._finalizer()
        self._db = None
        self._memory, self._buffer, self._count = [], [], 0

    def __getstate__(self) -> dict[str, object]:
        # Shipped between processes (Dask): the records travel, the file does not.
        return {
            "cells": self.cells,
            "period": self.period,
            "options": self.options,
            "policy": self.policy,
            "calendar": self._calendar,
            "entries": list(self.entries()),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["cells"],
            state["period"],
            state["options"],
            policy=state["policy"],
            calendar=state["calendar"],
        )
        for key, record, mask in state["entries"]:
            self.add(key, record, mask)

    def __repr__(self) -> str:
        where = "on disk" if self.spilled else "in memory"
        return f"<DossierTrace of {self._count} dossiers {where}>"


def _remove(db: sqlite3.Connection, path: Path) -> None:
    try:
        db.close()
    finally:
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the report's side


_RECEIPT_CELLS: Final[dict[ReceiptFacts, str | None]] = {
    ReceiptFacts(*bits): decide_receipt(ReceiptFacts(*bits)).cell
    for bits in itertools.product((False, True), repeat=len(ReceiptFacts._fields))
}
"""The receipt rules' decision for every combination of facts (looked up per row)."""


def report_cell_mask(
    record: DossierRecord,
    period: Period,
    policy: ReportPolicy,
    calendar: WorkingCalendar | None,
) -> int:
    """The cells of :data:`TRACE_CELLS` ``record`` is counted in, as a bit mask (0 when it is
    not in the period's table): the rules tables' decision, as the report's loop makes it.

    >>> import datetime as dt
    >>> from tthc import VN_TZ
    >>> t = dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
    >>> r = DossierRecord("A-1", "Hộ tịch", Channel.ONLINE, t, DossierStatus.PROCESSING, t)
    >>> mask = report_cell_mask(r, Period.parse("2024-03"), DEFAULT_POLICY, None)
    >>> [c for c in TRACE_CELLS if mask & _BIT[c]]
    ['received_online', 'pending_overdue']
    """
    side = _RECEIPT_CELLS[receipt_facts(record, period)]
    if side is None:
        return 0
    facts, _due = record_facts(record, period.as_of, calendar)
    rule = lookup(facts, policy)
    assert rule.cell is not None
    mask = _BIT[side] | _BIT[rule.cell]
    if rule.apology and record.extended_due_at is not None:
        mask |= _BIT["resolved_late_with_apology"]
    return mask


def trace_records(
    items: Iterable[Any],
    trace: DossierTrace,
    key_of: Callable[[DossierRecord], Key],
) -> Iterator[Any]:
    """Pass ``items`` through unchanged, keeping each record in the period's table in
    ``trace`` with its cells (:func:`report_cell_mask`): the report builder's hook when it
    traces (its own loop is untouched, so tracing costs nothing when off)."""
    period, policy, calendar = trace.period, trace.policy, trace._calendar
    for item in items:
        record = to_record(item) if type(item) is Row else item  # the readers' integer rows
        if isinstance(record, DossierRecord):
            mask = report_cell_mask(record, period, policy, calendar)
            if mask:
                trace.add(key_of(record), record, mask)
        yield item


# --------------------------------------------------------------------------- listing


LATE_PREFIX: Final = "quá"
"""How lateness is worded: "quá 2 ngày 3 giờ" (over by 2 days 3 hours)."""
LEFT_PREFIX: Final = "còn"
"""How the time left is worded: "còn 1 ngày 4 giờ"."""


def lateness_text(duration: WorkingDuration | None, prefix: str = LATE_PREFIX) -> str:
    """``"quá 2 ngày 3 giờ"`` for a working duration (``""`` for ``None``).

    >>> lateness_text(WorkingDuration(2, 3, 0)), lateness_text(WorkingDuration(0, 1, 30), "còn")
    ('quá 2 ngày 3 giờ', 'còn 1 giờ 30 phút')
    """
    return "" if duration is None else f"{prefix} {duration}"


class ListedDossier(NamedTuple):
    """One dossier of a list (:meth:`Report.dossiers <tthc.report.Report.dossiers>`,
    the service index's lists, the act-now list).

    * ``group``: its group key in the report; ``cell``: its Biểu số 06 result cell
      (``resolved_on_time`` …) and ``rule`` the name of the rule that gave it;
    * ``due_at``: the due instant it was judged against (moved by an open pause);
    * ``finished_at`` and ``status``: as the input gives them, its state when the data were
      exported. A dossier finished after the instant it was judged at (an act-now list at an
      earlier ``as_of``, a list of a period's pending cells) was pending then: its cell says so,
      and its later finish and final status are shown as they are, not hidden or guessed;
    * ``late_by``: for a late or overdue dossier, the working time from the due instant to its
      finish (or to the instant it was judged at); ``None`` when it is late by a rule rather
      than by its dates (e.g. more than one supplement request);
    * ``time_left``: for a pending dossier within time whose clock runs, the working time
      until its due instant;
    * ``progress``, ``progress_end``, ``progress_late_by``: indicator 2.1's verdict, end of
      processing and lateness (set in the service index's lists, so that a dossier the two
      rule sets judge differently shows both).
    """

    code: str
    group: Key
    received_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    status: DossierStatus
    channel: Channel
    cell: str
    rule: str
    late_by: WorkingDuration | None = None
    time_left: WorkingDuration | None = None
    extended_due_at: dt.datetime | None = None
    line: int = 0
    progress: str | None = None
    progress_end: dt.datetime | None = None
    progress_late_by: WorkingDuration | None = None

    @classmethod
    def of(
        cls,
        record: DossierRecord,
        group: Key = (),
        as_of: dt.datetime | None = None,
        *,
        policy: ReportPolicy | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> ListedDossier:
        """``record`` of group ``group`` judged at ``as_of`` (an aware instant; default: its
        finish — a pending record needs one): its Biểu số 06 cell by the rules
        tables under ``policy``, its lateness or time left in working time on ``calendar``.

        >>> import datetime as dt
        >>> from tthc import VN_TZ
        >>> t = lambda d, h: dt.datetime(2024, 3, d, h, tzinfo=VN_TZ)
        >>> r = DossierRecord("A-1", "Hộ tịch", Channel.ONLINE, t(4, 8), DossierStatus.PROCESSING,
        ...                   t(5, 17))
        >>> d = ListedDossier.of(r, ("Hộ tịch",), t(7, 9))
        >>> d.cell, lateness_text(d.late_by)
        ('pending_overdue', 'quá 1 ngày 1 giờ 30 phút')
        """
        if as_of is None:
            if record.finished_at is None:
                raise ReportError(f"record {record.code!r}: give as_of, the instant to judge it at")
            as_of = record.finished_at
        return listed(
            group,
            record,
            as_of,
            policy or DEFAULT_POLICY,
            calendar if calendar is not None else WorkingCalendar.vietnam(),
        )

    def to_dict(self, group_by: Sequence[str] = ()) -> dict[str, object]:
        """JSON-ready: instants in ISO 8601, durations as text and in minutes.

        >>> import datetime as dt
        >>> from tthc import VN_TZ
        >>> t = dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
        >>> d = ListedDossier("A-1", ("Hộ tịch",), t, t, None, DossierStatus.PROCESSING,
        ...                   Channel.ONLINE, "pending_overdue", "pending overdue",
        ...                   late_by=WorkingDuration(1, 2, 0)).to_dict(("domain",))
        >>> d["group"], d["late_by"], d["late_by_minutes"]
        ({'domain': 'Hộ tịch'}, 'quá 1 ngày 2 giờ', 600)
        """

        def iso(value: dt.datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        def minutes(value: WorkingDuration | None) -> int | None:
            return None if value is None else int(value.total.total_seconds() // 60)

        names = list(group_by) or [f"g{i}" for i in range(len(self.group))]
        return {
            "code": self.code,
            "group": dict(zip(names, self.group, strict=False)),
            "received_at": iso(self.received_at),
            "due_at": iso(self.due_at),
            "finished_at": iso(self.finished_at),
            "status": self.status.value,
            "channel": self.channel.value,
            "cell": self.cell,
            "rule": self.rule,
            "late_by": lateness_text(self.late_by) or None,
            "late_by_minutes": minutes(self.late_by),
            "time_left": lateness_text(self.time_left, LEFT_PREFIX) or None,
            "time_left_minutes": minutes(self.time_left),
            "extended_due_at": iso(self.extended_due_at),
            "progress_2_1": self.progress,
            "progress_end": iso(self.progress_end),
            "progress_late_by": lateness_text(self.progress_late_by) or None,
            "line": self.line,
        }


def _working(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> WorkingDuration:
    return WorkingDuration.from_timedelta(calendar.working_time_between(start, end))


def listed(
    key: Key,
    record: DossierRecord,
    as_of: dt.datetime,
    policy: ReportPolicy,
    calendar: WorkingCalendar,
) -> ListedDossier:
    """``record`` judged at ``as_of`` as a :class:`ListedDossier` (its Biểu số 06 cell by the
    rules tables, its lateness or time left in working time)."""
    facts, due = record_facts(record, as_of, calendar)
    rule = lookup(facts, policy)
    cell = rule.cell or ""
    end = lateness_end(facts, as_of, record.finished_at, record.supplement_requested_at)
    late_by = time_left = None
    if cell in ("resolved_late", "pending_overdue") and end > due:
        late_by = _working(calendar, due, end)
    elif cell == "pending_within_time" and not facts.clock_stopped and due > as_of:
        time_left = _working(calendar, as_of, due)
    return ListedDossier(
        code=record.code,
        group=key,
        received_at=record.received_at,
        due_at=due,
        finished_at=record.finished_at,
        status=record.status,
        channel=record.channel,
        cell=cell,
        rule=rule.name,
        late_by=late_by,
        time_left=time_left,
        extended_due_at=record.extended_due_at,
        line=record.line,
    )


def cell_mask(cell: str) -> int:
    """The mask of a traced cell or a total column (:data:`TRACE_TOTALS`)."""
    parts = TRACE_TOTALS.get(cell, (cell,))
    mask = 0
    for part in parts:
        bit = _BIT.get(part)
        if bit is None:
            raise ReportError(
                f"no list for cell {cell!r}; the cells with lists are "
                + ", ".join([*TRACE_CELLS, *TRACE_TOTALS])
            )
        mask |= bit
    return mask


def group_key(report: Report, group: Key | str | None) -> Key | None:
    """A group argument as a key of ``report`` (a string for a one-dimension grouping), in
    Unicode NFC and trimmed as the labels read from the data are (a name typed or pasted in
    decomposed form finds its group)."""
    if group is None:
        return None
    key = (group,) if isinstance(group, str) else tuple(group)
    key = tuple(clean_label(str(part)) for part in key)
    if key not in report.groups:
        known = "; ".join(" / ".join(k) for k, _ in report.rows()) or "none"
        raise ReportError(f"the report has no group {' / '.join(key)!r}; its groups: {known}")
    return key


def listed_dossiers(
    report: Report, cell: str, group: Key | str | None = None
) -> list[ListedDossier]:
    """The dossiers behind ``cell`` (of group ``group``, or of the totals row) of a traced
    report, in input order: what :meth:`Report.dossiers <tthc.report.Report.dossiers>` gives."""
    trace = report.trace
    if trace is None:
        raise ReportError(
            "the report keeps no list of its dossiers: build it with trace=True "
            "(tthc report --list CELL)"
        )
    mask = cell_mask(cell)
    key = group_key(report, group)
    as_of = report.period.as_of
    return [
        listed(k, record, as_of, trace.policy, trace.calendar)
        for k, record, _ in trace.entries(mask, key)
    ]


def due_within(report: Report, days: int, as_of: dt.datetime | None = None) -> list[ListedDossier]:
    """The act-now list of a traced report: the dossiers pending at ``as_of`` (default: the
    period's last instant) whose clock runs and whose due instant is at most ``days`` working
    days of working time away (days of :data:`~tthc.calendar.HOURS_PER_WORKING_DAY` hours, as
    their time left is shown), soonest first; then the overdue ones, most overdue first. A
    dossier waiting for a supplement is not listed (its clock is stopped).

    ``days`` runs from 0 to the number of days in the years the calendar can compute (a
    larger horizon could never be reached); anything else raises
    :class:`~tthc.errors.ReportArgumentError`."""
    trace = report.trace
    if trace is None:
        raise ReportError(
            "the report keeps no list of its dossiers: build it with trace=True "
            "(tthc report --due-within N)"
        )
    first, last = trace.calendar.bounds
    most = (dt.date(last, 12, 31) - dt.date(first, 1, 1)).days + 1
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= most:
        raise ReportArgumentError("days", days, 0, most, option="--due-within")
    period = report.period
    when = period.as_of if as_of is None else require_aware(as_of, "as_of")
    if not period.start <= when < period.end:
        raise ReportError(
            f"as_of {when.isoformat()} is outside the period {period.code} "
            f"({period.start.isoformat()} – {period.as_of.isoformat()})"
        )
    horizon = WorkingDuration(days, 0, 0).total  # the days of the dossiers' time left
    soon: list[ListedDossier] = []
    late: list[ListedDossier] = []
    for key, record, _ in trace.entries():
        if record.received_at > when:
            continue
        if record.finished_at is not None and record.finished_at <= when:
            continue
        entry = listed(key, record, when, trace.policy, trace.calendar)
        if entry.cell == "pending_overdue":
            late.append(entry)
        elif entry.time_left is not None and entry.time_left.total <= horizon:
            soon.append(entry)
    soon.sort(key=lambda e: (e.due_at, e.code))
    late.sort(key=lambda e: (e.due_at, e.code))
    return soon + late
