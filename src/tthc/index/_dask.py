"""The service index on Dask: per partition the streaming builders, then an ordered merge.

:func:`build_index_dask` takes the sources of :func:`~tthc.report.build_report_dask` and runs,
in each partition, the very code of :func:`~tthc.index.build_index` (an
:class:`~tthc.index.IndexBuilder` and a :class:`~tthc.report.ReportBuilder` over the same
records), so the result — index and Biểu số 06 report — equals the in-process one: the counters
are integers that add up, merged in partition order.

* **files** (a path, a glob pattern or a list of paths): one task per file, each file's own line
  numbers and duplicate check, as merging the per-file results in process;
* **a Dask bag** of rows or **a Dask DataFrame**: line numbers are positions in the whole bag and
  a code repeated across partitions is rejected on its later occurrences, as in process (a first
  pass counts each partition's rows and, with the duplicate check, collects their codes).

Dask is imported only when the function runs: ``pip install "tthc[dask]"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Unpack, cast

from tthc._dask import (
    DEFAULT_SPLIT_EVERY,
    DaskCollection,
    PathLike,
    Plan,
    compute_merged,
    expand,
    import_dask,
    is_collection,
    is_single_file,
    partition_records,
    plan_partitions,
)
from tthc.index._builder import IndexBuilder, InputsArg, build_index, describe, inputs_of
from tthc.index._evaluate import check_catalogue
from tthc.index._result import ServiceIndex
from tthc.report import (
    Period,
    ReportBuilder,
    ReportOptionChanges,
    ReportOptions,
    TraceOptions,
)

__all__ = ["build_index_dask"]


def _partition(
    items: Any,
    plan: Plan,
    index: int,
    period: Period,
    options: ReportOptions,
    catalog: str | None,
    trace: bool | TraceOptions,
) -> ServiceIndex:
    """One partition's index and report, with global line numbers."""
    report_builder = ReportBuilder(period, options, trace=trace)
    index_builder = IndexBuilder(period, options, catalog=catalog)
    records = partition_records(items, plan, index, options, period.as_of)
    report_builder.add_all(index_builder.observe(records))
    return index_builder.index(report_builder.report())


def build_index_dask(
    source: PathLike | Sequence[PathLike] | DaskCollection,
    period: Period | str,
    options: ReportOptions | None = None,
    *,
    inputs: InputsArg = None,
    catalog: str | None = None,
    trace: bool | TraceOptions = False,
    scheduler: str | None = None,
    num_workers: int | None = None,
    split_every: int = DEFAULT_SPLIT_EVERY,
    **changes: Unpack[ReportOptionChanges],
) -> ServiceIndex:
    """The service index of ``period`` on Dask; the same result as :func:`build_index`.

    ``source``, ``scheduler``, ``num_workers`` and ``split_every`` are those of
    :func:`~tthc.report.build_report_dask`; the other arguments those of :func:`build_index`.

    >>> import dask.bag as db
    >>> rows = [{"code": f"A-{i}", "domain": "Hộ tịch", "channel": "online",
    ...          "received_at": "2024-02-01T08:00", "status": "processing",
    ...          "due_at": "2024-03-05T17:00", "synced": str(i % 2)} for i in range(10)]
    >>> idx = build_index_dask(db.from_sequence(rows, npartitions=3), "2024-02",
    ...                        scheduler="synchronous")
    >>> idx == build_index(rows, "2024-02"), idx.values()["1.4"].ratio
    (True, 0.5)

    Raises:
        ReportError: Dask is not installed (naming the ``dask`` extra), or no file matches.
        InputFormatError: a file or the first row lacks required columns.
        CatalogError: the catalogue at ``catalog`` cannot be read or is invalid.
    """
    dask = import_dask()
    check_catalogue(catalog)  # here, not in every task
    opts = ReportOptions.of(options, **changes)
    the_period = period if isinstance(period, Period) else Period.parse(str(period))
    given = inputs_of(inputs)
    per_task = replace(opts, unit=None)
    if is_collection(source):
        parts = cast(DaskCollection, source).to_delayed()
        plan = plan_partitions(dask, parts, per_task, the_period.as_of)
        task = dask.delayed(_partition, pure=True)
        results = [
            task(p, plan, i, the_period, per_task, catalog, trace) for i, p in enumerate(parts)
        ]
        source_name = None
    else:
        paths = expand(cast(PathLike | Sequence[PathLike], source))
        task = dask.delayed(build_index, pure=True)
        results = [task(path, the_period, per_task, catalog=catalog, trace=trace) for path in paths]
        source_name = describe(source) if is_single_file(source) else None
    result: ServiceIndex
    if results:
        result = compute_merged(dask, results, split_every, scheduler, num_workers)
    else:
        report_builder = ReportBuilder(the_period, per_task, trace=trace)
        result = IndexBuilder(the_period, per_task, catalog=catalog).index(report_builder.report())
    report = result.report
    if report is not None:
        report = replace(report, unit=opts.unit, source=source_name)
        report.check()
    return replace(result, inputs=given, unit=opts.unit, source=source_name, report=report)
