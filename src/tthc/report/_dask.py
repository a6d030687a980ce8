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

import glob
import os
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import replace
from typing import Any, Final, Protocol, Unpack, cast

from tthc.errors import ReportError, RowRejectedError
from tthc.report._dedup import DuplicateCheck, drop_duplicates
from tthc.report._options import ReportOptionChanges, ReportOptions
from tthc.report._period import Period
from tthc.report._records import DossierRecord, records_from
from tthc.report._report import Report, ReportBuilder, _describe, build_report

__all__ = ["DASK_EXTRA_HINT", "build_report_dask"]

DASK_EXTRA_HINT: Final = 'the Dask path needs Dask: pip install "tthc[dask]"'
"""The error message when Dask is missing."""

_DEFAULT_SPLIT_EVERY: Final = 8
"""How many partition reports one merge task combines (the fan-in of the merge tree)."""

PathLike = str | os.PathLike[str]


class DaskCollection(Protocol):
    """A Dask bag or DataFrame: anything with ``to_delayed()`` partitions."""

    def to_delayed(self) -> list[Any]: ...


def _import_dask() -> Any:
    try:
        import dask
        import dask.bag  # checks the bag module is importable
    except ImportError:
        raise ReportError(DASK_EXTRA_HINT) from None
    return dask


def _expand(source: PathLike | Sequence[PathLike]) -> list[str]:
    items = [source] if isinstance(source, str | os.PathLike) else list(source)
    paths: list[str] = []
    for item in items:
        text = os.fspath(item)
        if glob.has_magic(text):
            matches = sorted(glob.glob(text))
            if not matches:
                raise ReportError(f"no input file matches {text!r}")
            paths += matches
        else:
            paths.append(text)
    if not paths:
        raise ReportError("no input files given")
    return paths


def _as_rows(part: Any) -> Iterable[Any]:
    """A partition's rows: a bag partition as it is, a pandas partition of a Dask DataFrame as
    mappings (converted inside the task, so only the frame travels between processes)."""
    if hasattr(part, "to_dict") and hasattr(part, "columns"):
        names = [str(c) for c in part.columns]
        columns = []
        for name in part.columns:
            column = part[name]
            values = column.tolist()
            missing = column.isna()
            if bool(missing.any()):  # NaN, NaT, pd.NA → an empty cell
                values = [None if m else v for v, m in zip(values, missing.tolist(), strict=True)]
            columns.append(values)
        return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    return part  # type: ignore[no-any-return]


def _first_pass(
    items: Iterable[Any], options: ReportOptions, as_of: Any, collect_codes: bool
) -> tuple[int, set[str]]:
    """First pass over one partition: how many rows (for the line offsets of the later
    partitions), and with ``collect_codes`` the codes of its valid rows."""
    if not collect_codes:  # the readers give one result per row: only count them
        if isinstance(items, Sized):  # a list, or a pandas partition (no conversion)
            return len(items), set()
        return sum(1 for _ in items), set()
    codes: set[str] = set()
    count = 0
    for item in records_from(
        _as_rows(items),
        calendar=options.calendar,
        deadline_policy=options.deadline_policy,
        check_duplicates=False,
        as_of=as_of,
    ):
        count += 1
        if isinstance(item, DossierRecord):
            codes.add(item.code)
    return count, codes


def _plan(passes: Sequence[tuple[int, set[str]]]) -> list[tuple[int, set[str]]]:
    """From the first pass: per partition, its line offset and the codes of valid rows of an
    *earlier* partition that it repeats (they count as already read there)."""
    offsets: list[int] = []
    total = 0
    for count, _ in passes:
        offsets.append(total)
        total += count
    first: dict[str, int] = {}  # code -> the partition where it first appears
    plan: list[tuple[int, set[str]]] = []
    for index, (_, codes) in enumerate(passes):
        plan.append((offsets[index], {c for c in codes if first.setdefault(c, index) < index}))
    return plan


def _partition_report(
    items: Iterable[Any],
    plan: Sequence[tuple[int, set[str]]],
    index: int,
    period: Period,
    options: ReportOptions,
) -> Report:
    """Second pass over one partition: its report, with global line numbers."""
    offset, seeds = plan[index]

    def stream() -> Iterator[DossierRecord | RowRejectedError]:
        for item in records_from(
            _as_rows(items),
            calendar=options.calendar,
            deadline_policy=options.deadline_policy,
            check_duplicates=False,
            as_of=period.as_of,
        ):
            if isinstance(item, RowRejectedError):
                yield RowRejectedError(
                    item.line + offset, item.column, item.reason, item.code, value=item.value
                )
                continue
            yield item._replace(line=item.line + offset)

    builder = ReportBuilder(period, options, unit=None)
    builder.add_all(drop_duplicates(stream(), DuplicateCheck.of(options.check_duplicates), seeds))
    return builder.report()


def _merge_all(*reports: Report) -> Report:
    """Merge reports in order (one node of the merge tree)."""
    result = reports[0]
    for report in reports[1:]:
        result = result.merge(report)
    return result


def _tree_merge(dask: Any, nodes: list[Any], split_every: int) -> Any:
    merge = dask.delayed(_merge_all, pure=True)
    while len(nodes) > 1:
        nodes = [merge(*nodes[i : i + split_every]) for i in range(0, len(nodes), split_every)]
    return nodes[0]


def build_report_dask(
    source: PathLike | Sequence[PathLike] | DaskCollection,
    period: Period | str,
    options: ReportOptions | None = None,
    *,
    scheduler: str | None = None,
    num_workers: int | None = None,
    split_every: int = _DEFAULT_SPLIT_EVERY,
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
    dask = _import_dask()
    import dask.bag as db

    opts = ReportOptions.of(options, **changes)
    builder = ReportBuilder(period, opts)
    period_ = builder.period
    per_task = replace(opts, unit=None)
    compute: dict[str, Any] = {}
    if scheduler is not None:
        compute["scheduler"] = scheduler
    if num_workers is not None:
        compute["num_workers"] = num_workers
    split_every = max(2, split_every)

    if not isinstance(source, str | os.PathLike) and (
        isinstance(source, db.Bag) or hasattr(source, "to_bag")
    ):
        # A DataFrame's partitions stay pandas frames until inside the tasks (_as_rows).
        parts = cast(DaskCollection, source).to_delayed()
        task = dask.delayed(_partition_report, pure=True)
        collect = DuplicateCheck.of(opts.check_duplicates) is not None
        first_pass = [
            dask.delayed(_first_pass, pure=True)(p, per_task, period_.as_of, collect) for p in parts
        ]
        plan = dask.delayed(_plan, pure=True)(first_pass)
        reports = [task(p, plan, i, period_, per_task) for i, p in enumerate(parts)]
        source_name = None
    else:
        paths = _expand(cast(PathLike | Sequence[PathLike], source))
        task = dask.delayed(build_report, pure=True)
        reports = [task(path, period_, per_task) for path in paths]
        single = isinstance(source, str | os.PathLike) and not glob.has_magic(os.fspath(source))
        source_name = _describe(source) if single else None
    if reports:
        (merged,) = dask.compute(_tree_merge(dask, reports, split_every), **compute)
        result: Report = merged
    else:  # a bag or DataFrame with no partitions
        result = builder.report()
    if opts.unit is not None or result.source != source_name:
        result = replace(result, unit=opts.unit, source=source_name)
    result.check()
    return result
