"""External grouping of records by key: bounded memory for any input size and order.

The stored-timeline reader turns each input line into a small record, a tuple whose first item
is the dossier code. When the lines of one dossier are scattered over the file,
:func:`groups_by_key` collects the records of each code in memory up to a run size, writes the
run to a temporary file sorted by code (one item per code: ``(code, run number, records)``,
with :mod:`marshal`), and at the end merges the runs (:func:`heapq.merge`, at most
:data:`MAX_FAN_IN` files at a time), so that each code comes out once with all its records in
input order. Sorting groups rather than lines keeps the merge cheap: a dossier whose lines fall
within one run is one item of the merge.

The temporary files live in one private directory under the spill directory and are removed
when the generator finishes or is closed — on success, on an error, on Ctrl-C
(``KeyboardInterrupt``) and on the ``SystemExit`` the command line raises on SIGTERM.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import marshal
import os
import shutil
import tempfile
from collections.abc import Generator, Iterable, Iterator
from operator import itemgetter
from typing import IO, Any

from tthc._io import signals_deferred

__all__ = ["MAX_FAN_IN", "RUN_BYTES", "RUN_RECORDS", "groups_by_key"]

RUN_BYTES = 32 * 1024 * 1024
"""Bytes held in memory before a run is spilled, counted as each record's payload (the line's
text) plus :data:`RECORD_OVERHEAD`."""

RUN_RECORDS = 100_000
"""Records held in memory before a run is spilled (whichever limit comes first)."""

RECORD_OVERHEAD = 256
"""Bytes of Python objects around each record's payload (the tuple, its code, the numbers, the
list slot), counted with it against :data:`RUN_BYTES`."""

MAX_FAN_IN = 64
"""Runs merged at once (open files); more runs are first merged into longer runs."""

_BLOCK = 512  # groups per marshal block in a run file (one block per run in memory when merging)

Record = tuple[Any, ...]
Group = tuple[Any, int, list[Record]]  # (key, run number, records)


def _write(groups: Iterable[Group], path: str) -> None:
    """Blocks of groups, each a length-prefixed :func:`marshal.dumps` (read back in one
    ``read`` each: :func:`marshal.load` on a file reads item by item, several times slower)."""
    with open(path, "wb") as handle:
        it = iter(groups)
        while block := list(itertools.islice(it, _BLOCK)):
            data = marshal.dumps(block)
            handle.write(len(data).to_bytes(8, "little"))
            handle.write(data)


def _read(handle: IO[bytes]) -> Iterator[Group]:
    loads = marshal.loads
    read = handle.read
    while size := read(8):
        yield from loads(read(int.from_bytes(size, "little")))


_group_order = itemgetter(0, 1)


def _merge(paths: list[str], stack: contextlib.ExitStack) -> Iterator[Group]:
    handles = [stack.enter_context(open(p, "rb", buffering=1 << 20)) for p in paths]  # noqa: SIM115
    return heapq.merge(*(_read(h) for h in handles), key=_group_order)


def groups_by_key(
    records: Iterable[Record],
    *,
    spill_dir: str | os.PathLike[str] | None = None,
    run_bytes: int | None = None,
    run_records: int | None = None,
    size_of: int = -1,
) -> Generator[tuple[Any, list[Record]], None, None]:
    """Each key (``record[0]``) once, in sorted order, with its records in input order.

    Memory holds one run (``run_bytes`` of ``len(record[size_of] or b"")`` or ``run_records``
    records, whichever comes first; default :data:`RUN_BYTES`, :data:`RUN_RECORDS`); runs beyond the first are spilled to a private temporary
    directory under ``spill_dir`` (default: the system's), removed when the generator finishes
    or is closed. Keys must be comparable and :mod:`marshal`-able (``str`` or ``bytes``), as
    must the records.

    >>> recs = [("B", 1, b"x"), ("A", 2, b"y"), ("B", 3, b"z"), ("A", 4, b"w")]
    >>> [(k, [r[1] for r in rs]) for k, rs in groups_by_key(recs, run_records=2)]
    [('A', [2, 4]), ('B', [1, 3])]
    """
    run_bytes = RUN_BYTES if run_bytes is None else run_bytes
    run_records = RUN_RECORDS if run_records is None else run_records
    fan_in = MAX_FAN_IN
    buffer: dict[Any, list[Record]] = {}
    held = 0
    count = 0
    directory: str | None = None
    runs: list[str] = []
    try:
        for record in records:
            key = record[0]
            group = buffer.get(key)
            if group is None:
                buffer[key] = [record]
            else:
                group.append(record)
            held += len(record[size_of] or b"") + RECORD_OVERHEAD
            count += 1
            if held >= run_bytes or count >= run_records:
                if directory is None:
                    with signals_deferred():  # the folder exists once recorded for removal
                        directory = tempfile.mkdtemp(prefix="tthc-sort-", dir=spill_dir)
                path = os.path.join(directory, f"run-{len(runs):06d}.bin")
                number = len(runs)
                _write(((k, number, buffer[k]) for k in sorted(buffer)), path)
                runs.append(path)
                buffer = {}
                held = count = 0
        if not runs:  # everything fitted in one run: no file
            for key in sorted(buffer):
                yield key, buffer.pop(key)
            return
        assert directory is not None
        number = len(runs)
        path = os.path.join(directory, f"run-{number:06d}.bin")
        _write(((k, number, buffer[k]) for k in sorted(buffer)), path)
        runs.append(path)
        buffer = {}
        while len(runs) > fan_in:  # merge the first runs into one longer run first
            batch, runs = runs[:fan_in], runs[fan_in:]
            number += 1
            path = os.path.join(directory, f"run-{number:06d}.bin")
            with contextlib.ExitStack() as stack:
                merged = _merge(batch, stack)
                # Renumber so the merged run sorts before the later ones (input order kept).
                _write(_joined(merged, -number), path)
            for done in batch:
                os.unlink(done)
            runs.insert(0, path)
        with contextlib.ExitStack() as stack:
            for key, _, records in _joined(_merge(runs, stack), 0):
                yield key, records
    finally:
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


def _joined(groups: Iterable[Group], number: int) -> Iterator[Group]:
    """Merge consecutive groups of one key (from different runs) into one group."""
    for key, parts in itertools.groupby(groups, itemgetter(0)):
        found = list(parts)
        records = found[0][2]
        for _, _, more in found[1:]:
            records.extend(more)
        yield key, number, records
