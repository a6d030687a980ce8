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

import glob
import os
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import replace
from typing import Any, Final, Protocol, Unpack, cast

from tthc.errors import ReportError, RowRejectedError
from tthc.index._builder import IndexBuilder, InputsArg, build_index, describe, inputs_of
from tthc.index._result import ServiceIndex
from tthc.report import (
    DASK_EXTRA_HINT,
    DUPLICATE_REASON,
    DossierRecord,
    DuplicateCheck,
    Period,
    ReportBuilder,
    ReportOptionChanges,
    ReportOptions,
    TraceOptions,
    records_from,
)

__all__ = ["build_index_dask"]

_DEFAULT_SPLIT_EVERY: Final = 8
"""How many partition results one merge task combines."""

PathLike = str | os.PathLike[str]


class DaskCollection(Protocol):
    """A Dask bag or DataFrame: anything with ``to_delayed()`` partitions."""

    def to_delayed(self) -> list[Any]: ...


def _import_dask() -> Any:
    try:
        import dask
        import dask.bag
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
    """A bag partition as it is; a pandas partition as mappings (missing values empty)."""
    if hasattr(part, "to_dict") and hasattr(part, "columns"):
        names = [str(c) for c in part.columns]
        columns = []
        for name in part.columns:
            column = part[name]
            values = column.tolist()
            missing = column.isna()
            if bool(missing.any()):
                values = [None if m else v for v, m in zip(values, missing.tolist(), strict=True)]
            columns.append(values)
        return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    return cast(Iterable[Any], part)


def _first_pass(
    items: Any, options: ReportOptions, as_of: Any, collect_codes: bool
) -> tuple[int, set[str]]:
    """A partition's row count and, with ``collect_codes``, the codes of its valid rows."""
    rows = _as_rows(items)
    if not collect_codes:
        return (len(rows), set()) if isinstance(rows, Sized) else (sum(1 for _ in rows), set())
    codes: set[str] = set()
    count = 0
    for item in records_from(
        rows,
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
    """Per partition: its line offset, and the codes it repeats from an earlier partition."""
    plan: list[tuple[int, set[str]]] = []
    first: dict[str, int] = {}
    total = 0
    for index, (count, codes) in enumerate(passes):
        plan.append((total, {c for c in codes if first.setdefault(c, index) < index}))
        total += count
    return plan


def _partition(
    items: Any,
    plan: Sequence[tuple[int, set[str]]],
    index: int,
    period: Period,
    options: ReportOptions,
    catalog: str | None,
    trace: bool | TraceOptions,
) -> ServiceIndex:
    """One partition's index and report, with global line numbers."""
    offset, seeds = plan[index]

    def stream() -> Iterator[DossierRecord | RowRejectedError]:
        for item in records_from(
            _as_rows(items),
            calendar=options.calendar,
            deadline_policy=options.deadline_policy,
            check_duplicates=options.check_duplicates,
            as_of=period.as_of,
        ):
            if isinstance(item, RowRejectedError):
                yield RowRejectedError(
                    item.line + offset, item.column, item.reason, item.code, value=item.value
                )
            elif item.code in seeds:  # first read in an earlier partition
                yield RowRejectedError(item.line + offset, "code", DUPLICATE_REASON, item.code)
            else:
                yield item._replace(line=item.line + offset)

    report_builder = ReportBuilder(period, options, trace=trace)
    index_builder = IndexBuilder(period, options, catalog=catalog)
    report_builder.add_all(index_builder.observe(stream()))
    return index_builder.index(report_builder.report())


def _merge_all(*results: ServiceIndex) -> ServiceIndex:
    merged = results[0]
    for result in results[1:]:
        merged = merged.merge(result)
    return merged


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
    split_every: int = _DEFAULT_SPLIT_EVERY,
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
    """
    dask = _import_dask()
    import dask.bag as db

    opts = ReportOptions.of(options, **changes)
    the_period = period if isinstance(period, Period) else Period.parse(str(period))
    given = inputs_of(inputs)
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
        parts = cast(DaskCollection, source).to_delayed()
        collect = DuplicateCheck.of(opts.check_duplicates) is not None
        passes = [
            dask.delayed(_first_pass, pure=True)(p, per_task, the_period.as_of, collect)
            for p in parts
        ]
        plan = dask.delayed(_plan, pure=True)(passes)
        task = dask.delayed(_partition, pure=True)
        results = [
            task(p, plan, i, the_period, per_task, catalog, trace) for i, p in enumerate(parts)
        ]
        source_name = None
    else:
        paths = _expand(cast(PathLike | Sequence[PathLike], source))
        task = dask.delayed(build_index, pure=True)
        results = [task(path, the_period, per_task, catalog=catalog, trace=trace) for path in paths]
        single = isinstance(source, str | os.PathLike) and not glob.has_magic(os.fspath(source))
        source_name = describe(source) if single else None
    if results:
        merge = dask.delayed(_merge_all, pure=True)
        nodes = results
        while len(nodes) > 1:
            nodes = [merge(*nodes[i : i + split_every]) for i in range(0, len(nodes), split_every)]
        (merged,) = dask.compute(nodes[0], **compute)
        result: ServiceIndex = merged
    else:
        report_builder = ReportBuilder(the_period, per_task, trace=trace)
        result = IndexBuilder(the_period, per_task, catalog=catalog).index(report_builder.report())
    report = result.report
    if report is not None:
        report = replace(report, unit=opts.unit, source=source_name)
        report.check()
    return replace(result, inputs=given, unit=opts.unit, source=source_name, report=report)
