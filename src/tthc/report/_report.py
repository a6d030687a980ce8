"""The report: Biểu số 06/VPCP/KSTT counters per group, built by streaming over dossier rows.

:func:`build_report` reads rows one at a time (memory stays flat: one :class:`~tthc.report.Counts` per
group, and the codes seen, for duplicate detection, in bounded memory — see
:class:`~tthc.report.DuplicateCheck`) and returns a
:class:`Report`. Reports of the same period, grouping and policy merge with
:meth:`Report.merge` (or ``+``): ward reports add up to a province, partitions to the whole.

Every row read is accounted for::

    rows_read == rows_counted + rows_outside_period + rows_rejected

where ``rows_outside_period`` are valid rows that do not belong to the period's table
(received after it, or finished before it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Unpack

from tthc._enums import AdministrativeLevel, Channel, DossierStatus
from tthc._io import Source
from tthc._merge import merged_groups
from tthc._rules import (
    DEFAULT_POLICY,
    REPEATED_SUPPLEMENT_REQUESTS,
    ReportPolicy,
    pack,
    processing_seconds,
)
from tthc._text import vietnamese_sort_key
from tthc.calendar import WorkingCalendar, from_local_us, local_us
from tthc.errors import InvalidInputError, ReportError, RowRejectedError, TthcError
from tthc.report._classify import (
    I_APOLOGY,
    I_CARRIED,
    I_DIRECT_POSTAL,
    I_MEASURED,
    I_ONLINE,
    I_SECONDS,
    N_COUNTERS,
    _in_vn,
    outcome_table,
    record_facts,
)
from tthc.report._counts import Counts
from tthc.report._intake import IntakeOptions, SourceInfo
from tthc.report._options import (
    DIMENSION_LABELS,
    DIMENSIONS,
    ReportOptionChanges,
    ReportOptions,
)
from tthc.report._parse import Row, to_record
from tthc.report._period import Period
from tthc.report._records import DossierRecord, Rejection, iter_rows, row_of
from tthc.report._trace import (
    TRACE_CELLS,
    DossierTrace,
    ListedDossier,
    TraceOptions,
    due_within,
    listed_dossiers,
    trace_records,
)

__all__ = [
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "FORM_NAME",
    "MAX_REJECTIONS_KEPT",
    "NOT_GIVEN",
    "Report",
    "ReportBuilder",
    "build_report",
]

FORM_NAME = "Biểu số 06/VPCP/KSTT"
"""The form the report reproduces (Circular 01/2020/TT-VPCP): "Tình hình, kết quả giải quyết
TTHC" of an agency or locality."""

NOT_GIVEN = ""
"""Group key used when an optional dimension (agency, procedure, level) is empty."""

MAX_REJECTIONS_KEPT = 10_000
"""A report keeps the details of at most this many rejected rows (all are counted in
``rows_rejected``), so that a wholly wrong file cannot exhaust memory."""

_PROGRESS_EVERY = 1 << 16
_US_PER_DAY = 86_400_000_000

GroupKey = tuple[str, ...]


def _key_function(
    group_by: tuple[str, ...], unit: str | None = None
) -> Callable[[DossierRecord | Row], GroupKey]:
    def procedure(r: DossierRecord | Row) -> str:
        if r.procedure_code and r.procedure_name:
            return f"{r.procedure_code} – {r.procedure_name}"
        return r.procedure_code or r.procedure_name or NOT_GIVEN

    unit_key = unit or NOT_GIVEN
    parts: dict[str, Callable[[DossierRecord | Row], str]] = {
        "unit": lambda r: unit_key,
        "domain": lambda r: r.domain,
        "agency": lambda r: r.agency or NOT_GIVEN,
        "procedure": procedure,
        "channel": lambda r: r.channel.value,
        "level": lambda r: r.level.value if r.level is not None else NOT_GIVEN,
    }
    if group_by == ("domain",):
        return lambda r: (r.domain,)
    getters = [parts[d] for d in group_by]
    return lambda r: tuple(g(r) for g in getters)


def _describe_merged(report: object) -> str:
    """A report in a merge refusal: its period, grouping and counting policy."""
    assert isinstance(report, Report)
    return f"{report.period.code} by {','.join(report.group_by)} ({report.policy.model_dump()})"


@dataclass(frozen=True, slots=True)
class Report:
    """A compliance report: one :class:`~tthc.report.Counts` per group, plus row accounting.

    Attributes:
        period: the :class:`~tthc.Period` reported on.
        group_by: the dimensions of the group keys, among :data:`DIMENSIONS`.
        groups: ``{group key: Counts}``; a key is a tuple of strings, one per dimension
            (channel and level keys are enum values; an empty optional value is ``""``).
        rows_read: rows read from the source (valid or not).
        rows_counted: valid rows that are in the period's table.
        rows_outside_period: valid rows not in the table (received after the period or
            finished before it).
        rows_rejected: invalid rows; the first :data:`MAX_REJECTIONS_KEPT` are in
            ``rejections`` as :class:`~tthc.report.Rejection`.
        policy: the :class:`~tthc.ReportPolicy` used.
        unit: the reporting unit's name ("UBND phường Nghi Hương"), for titles; optional.
        source: a description of the input (file name), optional.
        sources: what was read from each input (:class:`~tthc.report.SourceInfo`: file,
            format, encoding, delimiter, the order of ``dd/mm/yyyy`` dates, the unit counted);
            merged reports keep every source's. Not compared: two reports with the same
            numbers are equal however their inputs were written.
        outside_receipts: the first and last receipt among the valid rows outside the period
            (``None`` when none was): what to tell a user whose period missed the data. Not
            compared.
        calendar_fingerprint: the :attr:`~tthc.WorkingCalendar.fingerprint` of the working
            calendar the report was computed on (due dates from time limits, working time), so
            that a report can be recomputed on the same calendar; ``None`` when unknown.
        calendar_notices: that calendar's :attr:`~tthc.WorkingCalendar.notice_set` ("official
            notices announced by 2026-01-07"): recompute with
            ``WorkingCalendar.vietnam(as_of=...)``; ``None`` when unknown.
        trace: the dossiers behind every cell (:class:`~tthc.report.DossierTrace`) when the
            report was built with ``trace=True``, else ``None``; see :meth:`dossiers`. Not
            compared, not in :meth:`to_dict`.

    >>> import datetime as dt
    >>> from tthc import VN_TZ
    >>> rows = [{"code": "A-1", "domain": "Hộ tịch", "channel": "online",
    ...          "received_at": "2024-01-02T08:00", "status": "returned",
    ...          "due_at": "2024-01-05T17:00", "finished_at": "2024-01-04T10:00"}]
    >>> report = build_report(rows, "2024-Q1", policy=ReportPolicy(measure_processing_time=False))
    >>> report.totals.resolved_early, report.rows_read, report.rows_counted
    (1, 1, 1)
    """

    period: Period
    group_by: tuple[str, ...] = ("domain",)
    groups: Mapping[GroupKey, Counts] = field(default_factory=dict)
    rows_read: int = 0
    rows_counted: int = 0
    rows_outside_period: int = 0
    rows_rejected: int = 0
    rejections: tuple[Rejection, ...] = ()
    policy: ReportPolicy = DEFAULT_POLICY
    unit: str | None = None
    source: str | None = None
    sources: tuple[SourceInfo, ...] = field(default=(), compare=False)
    outside_receipts: tuple[dt.datetime, dt.datetime] | None = field(default=None, compare=False)
    calendar_fingerprint: str | None = None
    calendar_notices: str | None = None
    trace: DossierTrace | None = field(default=None, compare=False, repr=False)

    @property
    def totals(self) -> Counts:
        """The totals row (sum of every group)."""
        return Counts.total(self.groups.values())

    def rows(self) -> list[tuple[GroupKey, Counts]]:
        """The groups sorted by key in Vietnamese dictionary order (the table's row order:
        "Chính sách", "Đất đai", "Tư pháp"; see :func:`~tthc.report.vietnamese_sort_key`)."""
        return sorted(
            self.groups.items(), key=lambda item: tuple(map(vietnamese_sort_key, item[0]))
        )

    def labels(self, key: GroupKey) -> tuple[str, ...]:
        """Human labels of a group key: enum values become "Vietnamese (English)" labels and an
        empty value becomes "(không ghi / not given)".

        >>> Report(Period.parse("2024"), ("channel",)).labels(("online",))
        ('Trực tuyến (Online)',)
        """
        out = []
        for dim, value in zip(self.group_by, key, strict=True):
            if value == NOT_GIVEN:
                out.append("(không ghi / not given)")
            elif dim == "channel":
                out.append(Channel(value).label)
            elif dim == "level":
                out.append(AdministrativeLevel(value).label)
            else:
                out.append(value)
        return tuple(out)

    @property
    def has_rejections(self) -> bool:
        """Whether any row was rejected (the CLI then exits with status 1)."""
        return self.rows_rejected > 0

    def check(self) -> None:
        """Reconcile every group and the totals (received = resolved + pending (+ withdrawn
        kept apart)) and the row accounting; raise :class:`~tthc.ReconciliationError` naming the
        group otherwise.

        >>> Report(Period.parse("2024"), groups={("X",): Counts(carried_over=1)}).check()
        Traceback (most recent call last):
        ...
        tthc.errors.ReconciliationError: group X does not reconcile: received 1 != resolved 0 + pending 0 + withdrawn kept apart 0
        """
        from tthc.errors import ReconciliationError

        for key, counts in self.groups.items():
            counts.check(" / ".join(key) or "(all)")
        totals = self.totals
        totals.check("totals")
        accounted = self.rows_counted + self.rows_outside_period + self.rows_rejected
        if self.rows_read != accounted:
            raise ReconciliationError(
                f"rows do not reconcile: read {self.rows_read} != counted {self.rows_counted} "
                f"+ outside the period {self.rows_outside_period} + rejected {self.rows_rejected}"
            )
        if totals.received_total != self.rows_counted:
            raise ReconciliationError(
                f"rows counted {self.rows_counted} != received total {totals.received_total}"
            )

    def merge(self, other: Report) -> Report:
        """The report of both inputs' rows. Same period, grouping and policy required.

        Duplicate codes *across* the two inputs are not detected (each side checked its own).

        >>> p = Period.parse("2024-Q1")
        >>> a = Report(p, groups={("X",): Counts(received_online=1, pending_within_time=1)},
        ...            rows_read=1, rows_counted=1)
        >>> b = Report(p, groups={("X",): Counts(carried_over=1, resolved_early=1)},
        ...            rows_read=2, rows_counted=1, rows_rejected=1)
        >>> (a + b).groups[("X",)].received_total, (a + b).rows_read
        (2, 3)

        Raises:
            ReportError: the reports differ in period, grouping or policy.
        """
        groups = merged_groups(self, other, "reports", _describe_merged)
        return Report(
            period=self.period,
            group_by=self.group_by,
            groups=groups,
            rows_read=self.rows_read + other.rows_read,
            rows_counted=self.rows_counted + other.rows_counted,
            rows_outside_period=self.rows_outside_period + other.rows_outside_period,
            rows_rejected=self.rows_rejected + other.rows_rejected,
            rejections=(self.rejections + other.rejections)[:MAX_REJECTIONS_KEPT],
            policy=self.policy,
            unit=self.unit if self.unit == other.unit else None,
            source=self.source if self.source == other.source else None,
            sources=self.sources + other.sources,
            outside_receipts=_span(self.outside_receipts, other.outside_receipts),
            calendar_fingerprint=self.calendar_fingerprint,
            calendar_notices=self.calendar_notices,
            trace=(
                self.trace.merged(other.trace)
                if self.trace is not None and other.trace is not None
                else None
            ),
        )

    # -- the dossiers behind the numbers (implemented in tthc/report/_trace.py)

    def dossiers(
        self, cell: str, group: tuple[str, ...] | str | None = None
    ) -> list[ListedDossier]:
        """The dossiers counted in ``cell`` — a counter of :class:`~tthc.report.Counts` that
        counts dossiers, or a total column (``received_total``, ``resolved_total``,
        ``pending_total``, ``received_new``) — of the group ``group`` (its key; a string for a
        one-dimension grouping) or of the totals row (``None``), in input order, each with how
        late it is in working time. Needs a report built with ``trace=True``
        (:class:`~tthc.ReportError` otherwise).

        >>> rows = [{"code": "A-1", "domain": "Hộ tịch", "channel": "online",
        ...          "received_at": "2024-03-04T08:00", "status": "returned",
        ...          "due_at": "2024-03-05T17:00", "finished_at": "2024-03-08T10:00"}]
        >>> late = build_report(rows, "2024-03", trace=True).dossiers("resolved_late", "Hộ tịch")
        >>> [(d.code, str(d.late_by)) for d in late]
        [('A-1', '2 ngày 2 giờ 30 phút')]
        """
        return listed_dossiers(self, cell, group)

    def due_within(self, days: int, as_of: dt.datetime | None = None) -> list[ListedDossier]:
        """The act-now list of a traced report: dossiers pending at ``as_of`` (default: the
        period's last instant; it must fall inside the period) whose due instant is at most
        ``days`` working days of working time away, soonest first, each with its time left;
        then the overdue ones, each with how overdue. Dossiers waiting for a supplement are
        not listed (their clock is stopped).

        >>> rows = [{"code": "B-1", "domain": "Hộ tịch", "channel": "direct",
        ...          "received_at": "2024-03-27T08:00", "status": "processing",
        ...          "due_at": "2024-04-01T17:00"}]
        >>> [(d.code, str(d.time_left)) for d in
        ...  build_report(rows, "2024-03", trace=True).due_within(2)]
        [('B-1', '1 ngày')]
        """
        return due_within(self, days, as_of)

    def __add__(self, other: Report) -> Report:
        if not isinstance(other, Report):
            return NotImplemented
        return self.merge(other)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: period, grouping, one entry per group with the form's keys, the
        totals, and the row accounting with the rejections.

        >>> d = Report(Period.parse("2024-Q1")).to_dict()
        >>> d["form"], d["period"]["code"], d["totals"]["received_total"]
        ('Biểu số 06/VPCP/KSTT', '2024-Q1', 0)
        """
        return {
            "form": FORM_NAME,
            "unit": self.unit,
            "source": self.source,
            "period": self.period.to_dict(),
            "group_by": list(self.group_by),
            "policy": self.policy.model_dump(),
            "calendar_fingerprint": self.calendar_fingerprint,
            "calendar_notices": self.calendar_notices,
            "sources": [info._asdict() for info in self.sources],
            "groups": [
                {"group": dict(zip(self.group_by, key, strict=True)), **counts.to_dict()}
                for key, counts in self.rows()
            ],
            "totals": self.totals.to_dict(),
            "rows_read": self.rows_read,
            "rows_counted": self.rows_counted,
            "rows_outside_period": self.rows_outside_period,
            "rows_rejected": self.rows_rejected,
            "rejections": [r._asdict() for r in self.rejections],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept, not escaped)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    # -- data out: the table as records, pandas, Arrow (implemented in tthc/report/_data.py)

    def to_records(
        self, *, lang: str | None = None, form_only: bool = False, totals: bool = False
    ) -> list[dict[str, str | int | float | None]]:
        """The table as plain dicts, one per group (then the totals row when ``totals``), keyed
        by the column names of the CSV rendering in ``lang`` (``"vi"``, ``"en"`` or
        ``"bilingual"``, the CSV's default); ``form_only`` keeps the form's own columns.

        >>> rows = Report(Period.parse("2024-Q1"), groups={("X",): Counts(carried_over=1,
        ...     resolved_on_time=1)}, rows_read=1, rows_counted=1).to_records(lang="en")
        >>> rows[0]["Domain"], rows[0]["Carried over"], rows[0]["On-time rate (%)"]
        ('X', 1, 100.0)
        """
        from tthc.report._data import records_with

        return records_with(self, lang, form_only, totals)

    def to_pandas(
        self, *, lang: str | None = None, form_only: bool = False, totals: bool = False
    ) -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame``; needs ``pip install "tthc[pandas]"``
        (:class:`~tthc.ReportError` naming the extra otherwise).

        >>> frame = Report(Period.parse("2024-Q1")).to_pandas(lang="en", totals=True)
        >>> frame["Domain"].tolist(), frame["Received total"].tolist()
        (['Total'], [0])
        """
        from tthc.report._data import pandas_with

        return pandas_with(self, lang, form_only, totals)

    def to_arrow(
        self, *, lang: str | None = None, form_only: bool = False, totals: bool = False
    ) -> Any:
        """:meth:`to_records` as a ``pyarrow.Table``; needs ``pip install "tthc[arrow]"``
        (:class:`~tthc.ReportError` naming the extra otherwise).

        >>> Report(Period.parse("2024-Q1")).to_arrow(lang="vi", totals=True).column_names[:2]
        ['Lĩnh vực', 'Tổng số tiếp nhận']
        """
        from tthc.report._data import arrow_with

        return arrow_with(self, lang, form_only, totals)

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        """A report from its JSON text: what ``render(report, "json")`` and
        ``tthc report --format json`` write (the inverse of both).

        >>> from tthc.report import demo_report, render
        >>> report = demo_report()
        >>> Report.from_json(render(report, "json")).groups == report.groups
        True

        Raises:
            ReportError: the text is not JSON, or not a report.
        """
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ReportError(f"not a report: not valid JSON: {exc}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a report from :meth:`to_dict` output (e.g. shipped between processes).

        >>> r = Report(Period.parse("2024-Q1", official=True), groups={("X",): Counts(carried_over=1,
        ...            resolved_on_time=1)}, rows_read=1, rows_counted=1)
        >>> Report.from_dict(r.to_dict()) == r
        True
        """
        if not isinstance(data, Mapping):
            raise ReportError(f"a report is a JSON object, got {type(data).__name__}")
        try:
            p = data["period"]
            first = dt.date.fromisoformat(p["first_day"])
            last = dt.date.fromisoformat(p["last_day"])
            if p["kind"] == "range":
                period = Period.between(first, last)
            else:
                period = Period.parse(p["code"], official=bool(p["official_cutoff"]))
            group_by = tuple(data["group_by"])
            groups = {}
            for g in data["groups"]:
                key = tuple(g["group"][d] for d in group_by)
                if not all(isinstance(k, str) for k in key):
                    raise ReportError(f"group {key!r}: the group's values must be text")
                if key in groups:
                    raise ReportError(
                        f"group {' / '.join(key)!r} is given twice (its counts would be lost "
                        "or counted twice)"
                    )
                groups[key] = Counts.from_counters(g)
            counts = {
                name: data[name]
                for name in ("rows_read", "rows_counted", "rows_outside_period", "rows_rejected")
            }
            for name, value in counts.items():
                if type(value) is not int or value < 0:
                    raise ReportError(f"{name} = {value!r} is not a whole number ≥ 0")
            rejections = tuple(Rejection(**r) for r in data["rejections"])
            policy = ReportPolicy(**data["policy"])
            sources = tuple(_source_info(s) for s in data.get("sources") or ())
        except KeyError as exc:
            raise ReportError(f"not a report: the key {exc.args[0]!r} is missing") from None
        except (TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, TthcError):
                raise
            raise ReportError(f"not a report: {exc}") from None
        for name in ("unit", "source", "calendar_fingerprint", "calendar_notices"):
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise ReportError(f"not a report: {name} = {value!r} is not text")
        report = cls(
            period=period,
            group_by=_check_dims(group_by),
            groups=groups,
            rejections=rejections,
            policy=policy,
            unit=data.get("unit"),
            source=data.get("source"),
            calendar_fingerprint=data.get("calendar_fingerprint"),
            calendar_notices=data.get("calendar_notices"),
            sources=sources,
            **counts,
        )
        report.check()
        return report


def _span(
    a: tuple[dt.datetime, dt.datetime] | None, b: tuple[dt.datetime, dt.datetime] | None
) -> tuple[dt.datetime, dt.datetime] | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


def _check_dims(group_by: tuple[str, ...]) -> tuple[str, ...]:
    bad = [d for d in group_by if d not in DIMENSIONS]
    if bad or not group_by:
        raise ReportError(f"not a report: cannot group by {group_by!r}")
    return group_by


def _source_info(data: object) -> SourceInfo:
    if not isinstance(data, Mapping):
        raise ReportError(f"not a report: a source is {data!r}, not an object")
    known = set(SourceInfo._fields)
    values = {k: v for k, v in data.items() if k in known}
    for key in ("columns",):
        if key in values and values[key] is not None:
            values[key] = tuple(tuple(pair) for pair in values[key])
    if "ignored" in values and values["ignored"] is not None:
        values["ignored"] = tuple(values["ignored"])
    try:
        return SourceInfo(**values)
    except TypeError as exc:
        raise ReportError(f"not a report: a source: {exc}") from None


class ReportBuilder:
    """The streaming accumulator behind :func:`build_report`, usable on its own (e.g. one per
    Dask or Spark partition, then :meth:`Report.merge`).

    Feed it records and rejections with :meth:`add`/:meth:`add_all`, then call :meth:`report`.
    ``options`` (a :class:`~tthc.report.ReportOptions`) and keyword changes to it say how; only
    ``group_by``, ``policy``, ``calendar`` and ``unit`` matter here (the readers use the rest).
    ``on_reject(rejection)`` is called for every rejected row; ``label`` is set as the
    :attr:`~tthc.report.Rejection.source` of each.

    >>> b = ReportBuilder(Period.parse("2024-Q1"), policy=ReportPolicy(measure_processing_time=False))
    >>> b.add(RowRejectedError(2, "channel", "unknown channel 'fax'"))
    >>> b.report().rows_rejected
    1
    """

    def __init__(
        self,
        period: Period | str,
        options: ReportOptions | None = None,
        *,
        source: str | None = None,
        on_reject: Callable[[Rejection], None] | None = None,
        label: str | None = None,
        trace: bool | TraceOptions = False,
        **changes: Unpack[ReportOptionChanges],
    ) -> None:
        self.period = _period(period)
        self.options = opts = ReportOptions.of(options, **changes)
        self.group_by = opts.group_by
        self.policy = opts.policy
        self.calendar = opts.calendar
        self.unit = opts.unit
        self.source = source
        self.sources: tuple[SourceInfo, ...] = ()
        self._on_reject = on_reject
        self._label = label
        self.calendar_fingerprint = opts.working_calendar.fingerprint
        self.calendar_notices = opts.working_calendar.notice_set
        # Keyed by the domain string alone when grouping by domain only (no tuple per row).
        self._acc: dict[GroupKey | str, list[int]] = {}
        self._rejections: list[Rejection] = []
        self.rows_read = 0
        self.rows_counted = 0
        self.rows_outside_period = 0
        self.rows_rejected = 0
        self._key = _key_function(self.group_by, self.unit)
        self._outcomes = outcome_table(self.policy)
        self._lowest: int | None = None
        self._highest: int | None = None
        traced = TraceOptions.of(trace)  # the dossiers behind each cell (trace=True)
        self._trace = (
            None
            if traced is None
            else DossierTrace(
                TRACE_CELLS, self.period, traced, policy=self.policy, calendar=self.calendar
            )
        )

    def add(self, item: DossierRecord | RowRejectedError | Rejection) -> None:
        """Count one record, or one rejection."""
        self.add_all((item,))

    def add_all(
        self,
        items: Iterable[DossierRecord | Row | RowRejectedError | Rejection],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Count many; ``progress(rows_read)`` is called every 65,536 rows if given.

        Each record's cell is looked up in the compiled rules table
        (:func:`~tthc.report.compile_rules`): the facts of the usual row (no open pause, no
        supplement columns) are packed inline, on instants as integers (local microseconds,
        the readers' form); other rows go through :func:`~tthc.report.facts_at`. The
        test-suite checks this loop against :func:`~tthc.report.classify` on random rows.
        """
        if self._trace is not None:  # tracing taps the items; the loop below is unchanged
            items = trace_records(items, self._trace, self._key)
        period = self.period
        start, end = local_us(period.start), local_us(period.end)
        as_of = end - 1
        acc = self._acc
        by_domain = self.group_by in (("domain",), ("unit",))
        constant_key = self.unit or NOT_GIVEN if self.group_by == ("unit",) else None
        key_of = self._key
        outcomes = self._outcomes
        calendar = self.options.working_calendar
        measure = calendar.working_seconds_local if self.policy.measure_processing_time else None
        online, withdrawn, waiting = (
            Channel.ONLINE,
            DossierStatus.WITHDRAWN,
            DossierStatus.SUPPLEMENT_REQUESTED,
        )
        repeated = REPEATED_SUPPLEMENT_REQUESTS
        day = _US_PER_DAY
        row_type = Row
        read = counted = outside = 0
        lowest = self._lowest
        highest = self._highest
        try:
            for item in items:
                read += 1
                if type(item) is not row_type:
                    if isinstance(item, DossierRecord):
                        item = row_of(_in_vn(item))
                    else:
                        self._reject(item)  # type: ignore[arg-type]
                        continue
                received = item.received_at
                finished = item.finished_at
                if received >= end or (finished is not None and finished < start):
                    outside += 1
                    if lowest is None or received < lowest:
                        lowest = received
                    if highest is None or received > highest:
                        highest = received
                    continue
                counted += 1
                key: GroupKey | str
                if constant_key is not None:
                    key = constant_key
                else:
                    key = item.domain if by_domain else key_of(item)  # see report()
                row = acc.get(key)
                if row is None:
                    row = acc[key] = [0] * N_COUNTERS
                if received < start:
                    row[I_CARRIED] += 1
                elif item.channel is online:
                    row[I_ONLINE] += 1
                else:
                    row[I_DIRECT_POSTAL] += 1
                due = item.due_at
                if item.supplement_requested_at is None and item.paused_at is None:
                    # The facts packed as tthc._rules.pack does (bits: finished 1, withdrawn 2,
                    # clock stopped 4, stopped after due 8, repeated 16; end vs due × 32).
                    if finished is not None and finished < end:
                        if finished > due:
                            code = 65
                        elif finished < due - due % day:  # an earlier date: one division
                            code = 1
                        else:
                            code = 33
                        if item.status is withdrawn:
                            code |= 2
                    elif item.status is waiting:
                        code = 36 if as_of <= due else 68
                    else:
                        code = 32 if as_of <= due else 64
                    if item.supplement_requests >= repeated:
                        code |= 16
                else:
                    code = self._packed_facts(item, calendar)
                index, apology, resolved = outcomes[code]
                row[index] += 1
                if apology and item.extended_due_at is not None:
                    row[I_APOLOGY] += 1
                if resolved and measure is not None and finished is not None:
                    row[I_SECONDS] += (
                        measure(received, finished)
                        if item.supplement_received_at is None  # nothing to leave out
                        else processing_seconds(
                            measure,
                            received,
                            finished,
                            item.supplement_requested_at,
                            item.supplement_received_at,
                        )
                    )
                    row[I_MEASURED] += 1
                if progress is not None and not (self.rows_read + read) % _PROGRESS_EVERY:
                    progress(self.rows_read + read)
        finally:
            self.rows_read += read
            self.rows_counted += counted
            self.rows_outside_period += outside
            self._lowest, self._highest = lowest, highest

    def _packed_facts(self, row: Row, calendar: WorkingCalendar) -> int:
        """The packed facts of a row with the optional timeline columns (rare), by
        :func:`~tthc.report.facts_at` itself."""
        record: DossierRecord = to_record(row)  # type: ignore[assignment]
        facts, _due = record_facts(record, self.period.as_of, calendar)
        return pack(facts)

    @property
    def received_range(self) -> tuple[dt.datetime, dt.datetime] | None:
        """The first and last receipt among the valid rows outside the period (``None`` when
        none): what a report with no counted row shows, so the user sees which period the
        data covers."""
        if self._lowest is None or self._highest is None:
            return None
        return from_local_us(self._lowest), from_local_us(self._highest)

    def _reject(self, item: RowRejectedError | Rejection) -> None:
        if not isinstance(item, RowRejectedError | Rejection):
            raise InvalidInputError(
                "a report counts DossierRecord rows and RowRejectedError/Rejection items "
                f"(read them with tthc.report.read_records); got {type(item).__name__}"
            )
        self.rows_rejected += 1
        rejection = item if isinstance(item, Rejection) else Rejection.from_error(item)
        if self._label is not None and rejection.source is None:
            rejection = rejection._replace(source=self._label)
        if len(self._rejections) < MAX_REJECTIONS_KEPT:
            self._rejections.append(rejection)
        if self._on_reject is not None:
            self._on_reject(rejection)

    def report(self, *, check: bool = True) -> Report:
        """The report so far; reconciled with :meth:`Report.check` unless ``check=False``."""
        result = Report(
            period=self.period,
            group_by=self.group_by,
            groups={
                (key if isinstance(key, tuple) else (key,)): Counts(*values)
                for key, values in self._acc.items()
            },
            rows_read=self.rows_read,
            rows_counted=self.rows_counted,
            rows_outside_period=self.rows_outside_period,
            rows_rejected=self.rows_rejected,
            rejections=tuple(self._rejections),
            policy=self.policy,
            unit=self.unit,
            sources=self.sources,
            outside_receipts=self.received_range,
            source=self.source,
            calendar_fingerprint=self.calendar_fingerprint,
            calendar_notices=self.calendar_notices,
            trace=self._trace,
        )
        if check:
            result.check()
        return result


def _period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    if isinstance(period, str):
        return Period.parse(period)
    raise InvalidInputError(
        f"period must be a tthc.report.Period or its text (e.g. '2024-Q1'), got "
        f"{type(period).__name__}"
    )


def build_report(
    source: Source | Iterable[object],
    period: Period | str,
    options: ReportOptions | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    input_format: str = "auto",
    intake: IntakeOptions | None = None,
    on_reject: Callable[[Rejection], None] | None = None,
    label: str | None = None,
    trace: bool | TraceOptions = False,
    **changes: Unpack[ReportOptionChanges],
) -> Report:
    """Build the report of ``period`` from a file (an export as it is: see
    :class:`~tthc.report.IntakeOptions`) or Python objects.

    ``source`` is read with :func:`~tthc.report.read_records` (a path or an open file: CSV
    with ``,`` ``;`` or tab, XLSX, JSON lines, the portal's records; or an iterable of
    mappings, ``Dossier`` models — replayed as they stood at the period's end — or
    :class:`~tthc.report.DossierRecord`); ``intake`` says what detection cannot.
    ``on_reject(rejection)`` is called for every rejected row (the report keeps the first
    :data:`MAX_REJECTIONS_KEPT`); ``label`` names the input in its rejections
    (:attr:`Rejection.source`), to tell inputs apart once reports are merged. ``period`` is a :class:`~tthc.report.Period` or
    its text (``"2024-Q1"``). ``options`` (:class:`~tthc.report.ReportOptions`) and keyword
    changes to it (``group_by``, ``policy``, ``calendar``, ``deadline_policy``,
    ``check_duplicates``, ``unit``) say how. ``input_format`` (one of
    :data:`~tthc.report.INPUT_FORMATS`) says how a path or open file is read (``auto``:
    detected).
    ``progress(rows_read)`` is called every 65,536 rows. Rejected rows are counted and kept in
    the report, not raised. ``trace=True`` (or a :class:`~tthc.report.TraceOptions`) keeps the
    dossiers behind every cell for :meth:`Report.dossiers` (in bounded memory).

    >>> rows = [{"code": f"A-{i}", "domain": "Hộ tịch", "channel": "direct",
    ...          "received_at": "2024-02-01T08:00", "status": "processing",
    ...          "due_at": "2024-03-05T17:00"} for i in range(3)]
    >>> r = build_report(rows, "2024-02", policy=ReportPolicy(measure_processing_time=False))
    >>> r.totals.received_direct_postal, r.totals.pending_within_time
    (3, 3)

    Raises:
        InputFormatError: the input lacks required columns or cannot be read.
        InvalidInputError: an option or argument of the wrong type (naming it).
        ReconciliationError: the totals do not reconcile (a bug; never silently).
    """
    opts = ReportOptions.of(options, **changes)
    the_period = _period(period)
    builder = ReportBuilder(
        the_period, opts, source=_describe(source), on_reject=on_reject, label=label, trace=trace
    )

    def opened(info: SourceInfo) -> None:
        builder.sources = (info._replace(unit=opts.unit),)

    items = iter_rows(
        source,
        calendar=opts.calendar,
        deadline_policy=opts.deadline_policy,
        check_duplicates=opts.check_duplicates,
        input_format=input_format,
        intake=intake,
        as_of=the_period.as_of,
        on_open=opened,
    )
    builder.add_all(items, progress)
    report = builder.report()
    if len(report.sources) == 1:  # the counts of this input, kept when reports are merged
        (info,) = report.sources
        counted = info._replace(rows_read=report.rows_read, rows_rejected=report.rows_rejected)
        report = dataclasses.replace(report, sources=(counted,))
    return report


def _describe(source: Any) -> str | None:
    if isinstance(source, str):
        return source
    name = getattr(source, "name", None)
    if isinstance(name, str):
        return name
    if isinstance(source, os.PathLike):
        return str(os.fspath(source))
    return None
