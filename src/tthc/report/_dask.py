"""The same report on Dask: one :class:`~tthc.report.ReportBuilder` per partition, merged in order.

:func:`build_report_dask` runs the streaming report's own code in every partition (the readers
of :mod:`tthc.report._records`, :func:`~tthc.report.classify` via :class:`~tthc.report.ReportBuilder`), so a
Dask run gives the same :class:`~tthc.Report` as the in-process :func:`~tthc.build_report` on
the same rows: the counters are plain integers that add up (:class:`~tthc.report.Counts`), and the
partition reports are merged with :meth:`~tthc.Report.merge` in partition order.

Two kinds of source:

* **files**: a path, a glob pattern or a list of paths (CSV or JSON lines). Each file is one
  task running :func:`~tthc.build_report` on it; line numbers are the file's own, and duplicate
  codes are checked within each file — exactly like merging the per-file reports in process.
* **a Dask bag** of rows (mappings, ``Dossier`` models or :class:`~tthc.report.DossierRecord`), or a
  Dask DataFrame (each pandas partition is turned into mappings inside its task; missing values
  — NaN, NaT, NA — become empty cells). Line numbers are positions in the whole bag (1-based),
  so rejections read exactly as ``build_report(bag.compute())`` reports them: a first pass
  counts each partition's rows. With ``check_duplicates`` (the default) that pass also collects
  the codes of valid rows per partition, so a code repeated *across* partitions is rejected on
  its later occurrences just as in process (this parses every row twice; memory of
  the collecting task grows with the number of distinct codes, while each partition checks its
  own rows in bounded memory like the in-process readers, :class:`~tthc.report.DuplicateCheck`).

Dask is imported only when the function runs: ``pip install "tthc[dask]"``. ``dask.bag`` needs
nothing beyond Dask's core dependencies (no NumPy or pandas); only a DataFrame source needs
``dask[dataframe]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Unpack, cast

from tthc._dask import (
    DASK_EXTRA_HINT,
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
from tthc.report._options import ReportOptionChanges, ReportOptions
from tthc.report._period import Period
from tthc.report._report import Report, ReportBuilder, _describe, build_report

__all__ = ["DASK_EXTRA_HINT", "build_report_dask"]


def _partition_report(
    items: Iterable[Any], plan: Plan, index: int, period: Period, options: ReportOptions
) -> Report:
    """Second pass over one partition: its report, with global line numbers."""
    builder = ReportBuilder(period, options, unit=None)
    builder.add_all(partition_records(items, plan, index, options, period.as_of))
    return builder.report()


def build_report_dask(
    source: PathLike | Sequence[PathLike] | DaskCollection,
    period: Period | str,
    options: ReportOptions | None = None,
    *,
    scheduler: str | None = None,
    num_workers: int | None = None,
    split_every: int = DEFAULT_SPLIT_EVERY,
    **changes: Unpack[ReportOptionChanges],
) -> Report:
    """Build the report of ``period`` on Dask; same result as :func:`~tthc.build_report`.

    ``source`` is a path, glob pattern or list of paths (one task per file), a ``dask.bag.Bag``
    of rows, or a Dask DataFrame. ``scheduler`` and ``num_workers`` are passed to
    ``dask.compute`` (e.g. ``scheduler="processes", num_workers=4``; ``None`` = Dask's default
    or an active ``distributed`` client). The partition reports are merged in a tree of fan-in
    ``split_every``, in partition order. ``options`` and keyword changes to it are those of
    :func:`~tthc.build_report` (:class:`~tthc.report.ReportOptions`).

    >>> import dask.bag as db
    >>> from tthc.report import ReportPolicy
    >>> rows = [{"code": f"A-{i}", "domain": "Hộ tịch", "channel": "online",
    ...          "received_at": "2024-02-01T08:00", "status": "processing",
    ...          "due_at": "2024-03-05T17:00"} for i in range(10)]
    >>> policy = ReportPolicy(measure_processing_time=False)
    >>> r = build_report_dask(db.from_sequence(rows, npartitions=3), "2024-02", policy=policy,
    ...                       scheduler="synchronous")
    >>> r == build_report(rows, "2024-02", policy=policy)
    True

    Raises:
        ReportError: Dask is not installed (naming the ``dask`` extra), or no file matches.
        InputFormatError: a file or the first row lacks required columns.
    """
    dask = import_dask()
    opts = ReportOptions.of(options, **changes)
    builder = ReportBuilder(period, opts)
    period_ = builder.period
    per_task = replace(opts, unit=None)
    if is_collection(source):
        # A DataFrame's partitions stay pandas frames until inside the tasks (as_rows).
        parts = cast(DaskCollection, source).to_delayed()
        plan = plan_partitions(dask, parts, per_task, period_.as_of)
        task = dask.delayed(_partition_report, pure=True)
        reports = [task(p, plan, i, period_, per_task) for i, p in enumerate(parts)]
        source_name = None
    else:
        paths = expand(cast(PathLike | Sequence[PathLike], source))
        task = dask.delayed(build_report, pure=True)
        reports = [task(path, period_, per_task) for path in paths]
        source_name = _describe(source) if is_single_file(source) else None
    result: Report
    if reports:
        result = compute_merged(dask, reports, split_every, scheduler, num_workers)
    else:  # a bag or DataFrame with no partitions
        result = builder.report()
    if opts.unit is not None or result.source != source_name:
        result = replace(result, unit=opts.unit, source=source_name)
    result.check()
    return result
