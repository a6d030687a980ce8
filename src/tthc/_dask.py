"""The Dask plumbing shared by :func:`tthc.report.build_report_dask` and
:func:`tthc.index.build_index_dask`: finding the input files, planning the partitions of a bag
or DataFrame (line offsets and codes repeated across partitions), reading a partition's rows
with global line numbers, and merging the partition results in order.

Dask is imported only when a function here needs it (``pip install "tthc[dask]"``); the report
names it needs are imported when called (:mod:`tthc.report` imports this module).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import TYPE_CHECKING, Any, Final, Protocol, Self, TypeVar

from tthc.errors import ReportError, RowRejectedError

if TYPE_CHECKING:
    from tthc.report import DossierRecord, ReportOptions

DASK_EXTRA_HINT: Final = 'the Dask path needs Dask: pip install "tthc[dask]"'
"""The error message when Dask is missing."""

DEFAULT_SPLIT_EVERY: Final = 8
"""How many partition results one merge task combines (the fan-in of the merge tree)."""

PathLike = str | os.PathLike[str]

Plan = list[tuple[int, set[str]]]
"""Per partition: its line offset, and the codes it repeats from an earlier partition."""


class DaskCollection(Protocol):
    """A Dask bag or DataFrame: anything with ``to_delayed()`` partitions."""

    def to_delayed(self) -> list[Any]: ...


class Mergeable(Protocol):
    """A partition's result: a report or a service index (``merge`` adds in order)."""

    def merge(self, other: Self) -> Self: ...


M = TypeVar("M", bound=Mergeable)


def import_dask() -> Any:
    """The ``dask`` module (with ``dask.bag``), or :class:`~tthc.ReportError` naming the extra."""
    try:
        import dask
        import dask.bag  # checks the bag module is importable
    except ImportError:
        raise ReportError(DASK_EXTRA_HINT) from None
    return dask


def is_collection(source: object) -> bool:
    """Whether ``source`` is a Dask bag or DataFrame (else: files)."""
    import dask.bag as db

    return not isinstance(source, str | os.PathLike) and (
        isinstance(source, db.Bag) or hasattr(source, "to_bag")
    )


def is_single_file(source: object) -> bool:
    """Whether ``source`` names one file (a path that is not a glob pattern)."""
    return isinstance(source, str | os.PathLike) and not glob.has_magic(os.fspath(source))


def expand(source: PathLike | Sequence[PathLike]) -> list[str]:
    """The input files: a path, a glob pattern (sorted matches) or a list of them.

    Raises:
        ReportError: a pattern matches no file, or no file is given.
    """
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


def as_rows(part: Any) -> Iterable[Any]:
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


def first_pass(
    items: Iterable[Any], options: ReportOptions, as_of: Any, collect_codes: bool
) -> tuple[int, set[str]]:
    """First pass over one partition: how many rows (for the line offsets of the later
    partitions), and with ``collect_codes`` the codes of its valid rows."""
    from tthc.report import DossierRecord, records_from

    if not collect_codes:  # the readers give one result per row: only count them
        if isinstance(items, Sized):  # a list, or a pandas partition (no conversion)
            return len(items), set()
        return sum(1 for _ in items), set()
    codes: set[str] = set()
    count = 0
    for item in records_from(
        as_rows(items),
        calendar=options.calendar,
        deadline_policy=options.deadline_policy,
        check_duplicates=False,
        as_of=as_of,
    ):
        count += 1
        if isinstance(item, DossierRecord):
            codes.add(item.code)
    return count, codes


def make_plan(passes: Sequence[tuple[int, set[str]]]) -> Plan:
    """From the first pass: per partition, its line offset and the codes of valid rows of an
    *earlier* partition that it repeats (they count as already read there)."""
    plan: Plan = []
    first: dict[str, int] = {}  # code -> the partition where it first appears
    total = 0
    for index, (count, codes) in enumerate(passes):
        plan.append((total, {c for c in codes if first.setdefault(c, index) < index}))
        total += count
    return plan


def plan_partitions(dask: Any, parts: Sequence[Any], options: ReportOptions, as_of: Any) -> Any:
    """The (delayed) plan of ``parts``: a first pass over each, which collects the codes of
    valid rows only when ``options`` check duplicates."""
    from tthc.report import DuplicateCheck

    collect = DuplicateCheck.of(options.check_duplicates) is not None
    passes = [dask.delayed(first_pass, pure=True)(p, options, as_of, collect) for p in parts]
    return dask.delayed(make_plan, pure=True)(passes)


def partition_records(
    items: Iterable[Any], plan: Plan, index: int, options: ReportOptions, as_of: Any
) -> Iterator[DossierRecord | RowRejectedError]:
    """Second pass over partition ``index``: its records and rejections with global line
    numbers, a code already read (in this partition or an earlier one) rejected as in
    process."""
    from tthc.report import DUPLICATE_REASON, records_from

    offset, seeds = plan[index]
    for item in records_from(
        as_rows(items),
        calendar=options.calendar,
        deadline_policy=options.deadline_policy,
        check_duplicates=options.check_duplicates,
        as_of=as_of,
    ):
        if isinstance(item, RowRejectedError):
            yield RowRejectedError(
                item.line + offset, item.column, item.reason, item.code, value=item.value
            )
        elif item.code in seeds:  # first read in an earlier partition
            yield RowRejectedError(item.line + offset, "code", DUPLICATE_REASON, item.code)
        else:
            yield item._replace(line=item.line + offset)


def merge_all(*results: M) -> M:
    """Merge results in order (one node of the merge tree)."""
    merged = results[0]
    for result in results[1:]:
        merged = merged.merge(result)
    return merged


def compute_merged(
    dask: Any,
    results: list[Any],
    split_every: int,
    scheduler: str | None,
    num_workers: int | None,
) -> Any:
    """The delayed ``results`` (at least one) merged in order in a tree of fan-in
    ``split_every`` (at least 2), computed with ``scheduler`` and ``num_workers`` (``None``:
    Dask's default or an active ``distributed`` client)."""
    compute: dict[str, Any] = {}
    if scheduler is not None:
        compute["scheduler"] = scheduler
    if num_workers is not None:
        compute["num_workers"] = num_workers
    split_every = max(2, split_every)
    merge = dask.delayed(merge_all, pure=True)
    nodes = results
    while len(nodes) > 1:
        nodes = [merge(*nodes[i : i + split_every]) for i in range(0, len(nodes), split_every)]
    try:
        (merged,) = dask.compute(nodes[0], **compute)
    except Exception as exc:
        raised = task_exception(exc)
        if raised is exc:
            raise
        raise raised from exc  # the remote traceback stays on __cause__ (tthc --debug)
    return merged


def task_exception(exc: Exception) -> Exception:
    """The exception a task raised, as it raised it.

    Dask's process scheduler (without ``tblib``) re-raises a task's exception wrapped in a
    ``RemoteException`` subclass of its type whose message and ``args`` carry the remote
    traceback; this gives back the exception it wraps (``exc`` itself otherwise), so a
    ``TthcError`` reads as it would in process: one line, no traceback.
    """
    try:
        from dask.multiprocessing import RemoteException
    except ImportError:  # pragma: no cover - dask without its multiprocessing scheduler
        return exc
    inner = exc.exception if isinstance(exc, RemoteException) else None
    return inner if isinstance(inner, Exception) else exc
