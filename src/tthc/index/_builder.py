"""The service index by streaming: one pass over the same records as the Biểu số 06 report.

:class:`IndexBuilder` is the index's accumulator: it adds up what each record contributes
(:class:`~tthc.index.Evaluator`'s judgement) per group, in integer counters.
:func:`build_index` reads the input once and feeds every record to both the index and the
report (:class:`~tthc.report.ReportBuilder`), so the two are of exactly the same rows, with one
row accounting and one list of rejections.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Unpack

from tthc._io import Source
from tthc.errors import InvalidInputError, RowRejectedError
from tthc.index._evaluate import COUNTERS, Evaluator
from tthc.index._inputs import IndexInputs, read_index_inputs
from tthc.index._result import IndexCounts, ServiceIndex
from tthc.report import (
    DossierRecord,
    IntakeOptions,
    Period,
    Rejection,
    Report,
    ReportBuilder,
    ReportOptionChanges,
    ReportOptions,
    TraceOptions,
    read_records,
)

__all__ = ["IndexBuilder", "InputsArg", "build_index", "group_key_function", "inputs_of"]

NOT_GIVEN = ""
"""Group key of an empty optional dimension (as in the report)."""

Key = tuple[str, ...]
InputsArg = IndexInputs | str | os.PathLike[str] | Mapping[str, Mapping[str, object]] | None
"""What ``inputs=`` takes: :class:`~tthc.index.IndexInputs`, a path to a JSON or CSV file, a
mapping in the JSON shape, or ``None``."""


def inputs_of(inputs: InputsArg) -> IndexInputs | None:
    """The :class:`~tthc.index.IndexInputs` an ``inputs`` argument names."""
    if inputs is None or isinstance(inputs, IndexInputs):
        return inputs
    if isinstance(inputs, str | os.PathLike):
        return read_index_inputs(inputs)
    if isinstance(inputs, Mapping):
        return IndexInputs.from_mapping(inputs)
    raise InvalidInputError(
        f"inputs must be a tthc.index.IndexInputs, a path or a mapping, got {type(inputs).__name__}"
    )


def group_key_function(group_by: tuple[str, ...]) -> Callable[[DossierRecord], Key]:
    """The group key of a record: the same keys as the report's (a procedure is
    ``"code – name"``; an empty optional value is ``""``)."""

    def procedure(r: DossierRecord) -> str:
        if r.procedure_code and r.procedure_name:
            return f"{r.procedure_code} – {r.procedure_name}"
        return r.procedure_code or r.procedure_name or NOT_GIVEN

    parts: dict[str, Callable[[DossierRecord], str]] = {
        "domain": lambda r: r.domain,
        "agency": lambda r: r.agency or NOT_GIVEN,
        "procedure": procedure,
        "channel": lambda r: r.channel.value,
        "level": lambda r: r.level.value if r.level is not None else NOT_GIVEN,
    }
    getters = [parts[d] for d in group_by]
    return lambda r: tuple(g(r) for g in getters)


class IndexBuilder:
    """The streaming accumulator of the service index (one per Dask partition, then
    :meth:`ServiceIndex.merge <tthc.index.ServiceIndex.merge>`).

    ``options`` (a :class:`~tthc.report.ReportOptions`) and keyword changes to it say how
    (``group_by``, ``policy``, ``calendar``, ``unit``); ``inputs`` gives the input indicators;
    ``catalog`` is a catalogue path for the fee and result-kind fallbacks (``None``: bundled).

    >>> from tthc.report import read_records
    >>> rows = [{"code": "A-1", "domain": "Hộ tịch", "channel": "online",
    ...          "received_at": "2024-03-04T08:00", "status": "returned",
    ...          "due_at": "2024-03-05T17:00", "finished_at": "2024-03-05T10:00", "synced": "1"}]
    >>> b = IndexBuilder("2024-03")
    >>> b.add_all(read_records(rows))
    >>> b.index().values()["1.4"].ratio, b.index().values()["2.1"].numerator
    (1.0, 1)
    """

    def __init__(
        self,
        period: Period | str,
        options: ReportOptions | None = None,
        *,
        inputs: InputsArg = None,
        catalog: str | None = None,
        source: str | None = None,
        **changes: Unpack[ReportOptionChanges],
    ) -> None:
        self.period = period if isinstance(period, Period) else _period(period)
        self.options = opts = ReportOptions.of(options, **changes)
        self.group_by = opts.group_by
        self.inputs = inputs_of(inputs)
        self.source = source
        self.catalog = catalog
        self.evaluator = Evaluator(self.period, opts.working_calendar, opts.policy, catalog)
        self._key = group_key_function(self.group_by)
        self._acc: dict[Key, list[int]] = {}
        self.rows_read = 0
        self.rows_rejected = 0

    def add(self, item: DossierRecord | RowRejectedError | Rejection) -> None:
        """Count one record, or one rejection."""
        self.add_all((item,))

    def add_all(self, items: Iterable[DossierRecord | RowRejectedError | Rejection]) -> None:
        """Count many."""
        for _ in self.observe(items):
            pass

    def observe(
        self, items: Iterable[DossierRecord | RowRejectedError | Rejection]
    ) -> Iterator[DossierRecord | RowRejectedError | Rejection]:
        """Count each item and pass it on unchanged (to a :class:`~tthc.report.ReportBuilder`
        reading the same stream)."""
        evaluate = self.evaluator.evaluate
        acc = self._acc
        key_of = self._key
        width = len(COUNTERS)
        for item in items:
            self.rows_read += 1
            if isinstance(item, DossierRecord):
                adds, _mask = evaluate(item)
                if adds:
                    key = key_of(item)
                    row = acc.get(key)
                    if row is None:
                        row = acc[key] = [0] * width
                    for position, amount in adds:
                        row[position] += amount
            elif isinstance(item, RowRejectedError | Rejection):
                self.rows_rejected += 1
            else:
                raise InvalidInputError(
                    "the index counts DossierRecord rows and RowRejectedError/Rejection items "
                    f"(read them with tthc.report.read_records); got {type(item).__name__}"
                )
            yield item

    def index(self, report: Report | None = None) -> ServiceIndex:
        """The index so far; ``report`` is the Biểu số 06 report of the same rows, if built."""
        return ServiceIndex(
            period=self.period,
            group_by=self.group_by,
            groups={key: IndexCounts(tuple(values)) for key, values in self._acc.items()},
            inputs=self.inputs,
            policy=self.options.policy,
            rows_read=self.rows_read,
            rows_rejected=self.rows_rejected,
            unit=self.options.unit,
            source=self.source,
            calendar_fingerprint=self.options.working_calendar.fingerprint,
            calendar_notices=self.options.working_calendar.notice_set,
            report=report,
            catalog=self.catalog,
        )


def _period(text: object) -> Period:
    if isinstance(text, str):
        return Period.parse(text)
    raise InvalidInputError(
        f"period must be a tthc.report.Period or its text (e.g. '2024-Q1'), got "
        f"{type(text).__name__}"
    )


def describe(source: object) -> str | None:
    """A name for an input (its path or file name), for titles."""
    if isinstance(source, str):
        return source
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        return path if isinstance(path, str) else None
    name: object = getattr(source, "name", None)
    if isinstance(name, str):
        return name
    return None


def build_index(
    source: Source | Iterable[object],
    period: Period | str,
    options: ReportOptions | None = None,
    *,
    inputs: InputsArg = None,
    catalog: str | None = None,
    trace: bool | TraceOptions = False,
    progress: Callable[[int], None] | None = None,
    input_format: str = "auto",
    intake: IntakeOptions | None = None,
    on_reject: Callable[[Rejection], None] | None = None,
    label: str | None = None,
    **changes: Unpack[ReportOptionChanges],
) -> ServiceIndex:
    """The Decision 766/QĐ-TTg service index of ``period`` from a CSV/JSONL path or file, or
    Python objects (read as :func:`~tthc.report.build_report` reads them), with the Biểu số 06
    report of the same rows in :attr:`ServiceIndex.report <tthc.index.ServiceIndex.report>`.

    ``options`` and keyword changes are those of :func:`~tthc.report.build_report`;
    ``inputs`` the input indicators (:class:`~tthc.index.IndexInputs`, a path or a mapping);
    ``catalog`` a catalogue path for the fee and result-kind fallbacks; ``trace=True`` keeps the
    dossiers behind every number (:meth:`ServiceIndex.dossiers
    <tthc.index.ServiceIndex.dossiers>`, and the report's :meth:`~tthc.report.Report.dossiers`).
    ``intake``, ``on_reject`` and ``label`` are those of :func:`~tthc.report.build_report`:
    how an export is read when detection is not enough, a call for every rejected row, and the
    input's name in its rejections.

    >>> rows = [{"code": f"A-{i}", "domain": "Hộ tịch", "channel": "online",
    ...          "received_at": "2024-03-04T08:00", "status": "returned",
    ...          "due_at": "2024-03-06T17:00", "finished_at": f"2024-03-0{5 + i}T10:00",
    ...          "synced": "1", "vneid": str(i % 2)} for i in range(3)]
    >>> idx = build_index(rows, "2024-03")
    >>> v = idx.values()["2.1"]
    >>> (v.numerator, v.denominator), idx.values()["4.5"].ratio, idx.report.totals.resolved_late
    ((2, 3), 0.3333333333333333, 1)

    Raises:
        InputFormatError: the input lacks required columns or cannot be read; a bad inputs file.
        InvalidInputError: an option or argument of the wrong type.
    """
    opts = ReportOptions.of(options, **changes)
    the_period = period if isinstance(period, Period) else _period(period)
    name = describe(source)
    report_builder = ReportBuilder(
        the_period, opts, source=name, trace=trace, on_reject=on_reject, label=label
    )
    index_builder = IndexBuilder(the_period, opts, inputs=inputs, catalog=catalog, source=name)
    items = read_records(
        source,
        calendar=opts.calendar,
        deadline_policy=opts.deadline_policy,
        check_duplicates=opts.check_duplicates,
        input_format=input_format,
        intake=intake,
        as_of=the_period.as_of,
    )
    report_builder.add_all(index_builder.observe(items), progress)
    return index_builder.index(report_builder.report())
