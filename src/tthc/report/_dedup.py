"""Duplicate dossier codes, found in bounded memory.

Decree 118/2025/NĐ-CP Art. 28 gives every dossier one code, so a second row with a code
already read is a data error: it is rejected (column ``code``), never counted twice. Finding
repeats exactly needs a memory of every code read, which grows with the row count. To keep the
streaming report's memory flat *whatever the row count*, :func:`drop_duplicates` remembers
codes in two tiers:

1. an in-memory set of 64-bit code hashes, up to :attr:`DuplicateCheck.codes_in_memory`
   codes (default :data:`DEFAULT_CODES_IN_MEMORY`, about 64 MB: a Python set costs about 64
   bytes per hash);
2. past that, the hashes move to a temporary SQLite database on disk (standard library
   ``sqlite3``; page cache :attr:`DuplicateCheck.cache_kib`), and rows are then checked in
   batches of :data:`SPILL_BATCH`, in file order. The file is deleted when the stream ends or
   is closed.

A hash, not the code, is kept: two different codes share a 64-bit hash with probability
about n²/2⁶⁵ (3 × 10⁻⁸ for a million rows, 3 × 10⁻⁶ for ten million). Such a row would be
rejected as a duplicate, never silently dropped. ``check_duplicates=False`` turns the check
off for inputs known to be unique.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from tthc._io import signals_deferred
from tthc.errors import ReportError, RowRejectedError

if TYPE_CHECKING:
    from tthc.report._records import DossierRecord

__all__ = [
    "DEFAULT_CACHE_KIB",
    "DEFAULT_CODES_IN_MEMORY",
    "DUPLICATE_REASON",
    "SPILL_BATCH",
    "DuplicateCheck",
    "drop_duplicates",
]

DEFAULT_CODES_IN_MEMORY: Final = 1_000_000
"""Codes whose hashes stay in memory before the rest go to disk: with about 64 bytes per hash
this caps the check at about 64 MB, and a million-row file is checked wholly in memory."""

SPILL_BATCH: Final = 1_024
"""Rows checked per SQLite round trip once the codes are on disk. Small on purpose: a batch
of rows held while the readers' caches grow pins the memory they were allocated in, so 16,384
rows a batch raised the peak RSS at 3,000,000 rows from 144 to 353 MB, for no measurable
speed (``docs/benchmarks.md``, streaming memory)."""

DEFAULT_CACHE_KIB: Final = 32_768
"""SQLite page cache of the on-disk tier, in KiB (``PRAGMA cache_size``): the in-memory set it
replaces is freed first, so the peak stays below the in-memory tier's."""

DUPLICATE_REASON: Final = "duplicate code: a row with this code was already read"
"""The rejection reason of a repeated code (Decree 118/2025/NĐ-CP Art. 28: one code per
dossier)."""


@dataclass(frozen=True, slots=True)
class DuplicateCheck:
    """How the readers find repeated dossier codes (``check_duplicates=DuplicateCheck(...)``;
    ``True`` means the defaults).

    Attributes:
        codes_in_memory: how many codes' hashes are kept in memory before the rest move to a
            temporary SQLite file (default :data:`DEFAULT_CODES_IN_MEMORY`, about 64 MB).
        spill_dir: where that file goes (default: :func:`tempfile.gettempdir`).
        cache_kib: SQLite page cache of the on-disk tier, in KiB.

    >>> DuplicateCheck(codes_in_memory=100_000).codes_in_memory
    100000
    >>> DuplicateCheck(codes_in_memory=0)
    Traceback (most recent call last):
    ...
    tthc.errors.ReportError: codes_in_memory must be at least 1, not 0
    """

    codes_in_memory: int = DEFAULT_CODES_IN_MEMORY
    spill_dir: str | os.PathLike[str] | None = None
    cache_kib: int = DEFAULT_CACHE_KIB

    def __post_init__(self) -> None:
        if self.codes_in_memory < 1:
            raise ReportError(f"codes_in_memory must be at least 1, not {self.codes_in_memory}")
        if self.cache_kib < 1:
            raise ReportError(f"cache_kib must be at least 1, not {self.cache_kib}")

    @classmethod
    def of(cls, check: bool | DuplicateCheck) -> DuplicateCheck | None:
        """The check a ``check_duplicates`` argument asks for (``None``: no check).

        >>> DuplicateCheck.of(True) == DuplicateCheck(), DuplicateCheck.of(False)
        (True, None)
        """
        if isinstance(check, DuplicateCheck):
            return check
        return cls() if check else None


def duplicate_error(record: DossierRecord) -> RowRejectedError:
    """The rejection of a row whose code was already read."""
    return RowRejectedError(record.line, "code", DUPLICATE_REASON, record.code)


def drop_duplicates(
    items: Iterable[DossierRecord | RowRejectedError],
    check: DuplicateCheck | None,
    seen_codes: Iterable[str] = (),
) -> Iterator[DossierRecord | RowRejectedError]:
    """Pass ``items`` through in order, turning every record whose code was already read into
    a rejection (see the module docstring for memory). ``seen_codes`` count as read before the
    first item (the Dask path seeds codes met in earlier partitions). ``check=None`` passes
    everything through.

    >>> import datetime as dt
    >>> from tthc import VN_TZ, Channel, DossierStatus
    >>> from tthc.report import DossierRecord
    >>> t = dt.datetime(2024, 1, 2, 8, tzinfo=VN_TZ)
    >>> rows = [DossierRecord(code, "D", Channel.ONLINE, t, DossierStatus.PROCESSING, t, line=n)
    ...         for n, code in enumerate(["A", "B", "A"], start=1)]
    >>> [getattr(x, "reason", x.code) for x in drop_duplicates(rows, DuplicateCheck(1))]
    ['A', 'B', 'duplicate code: a row with this code was already read']
    """
    if check is None:
        yield from items
        return
    memory: set[int] = {hash(code) for code in seen_codes}
    add = memory.add
    limit = check.codes_in_memory
    stream = iter(items)
    for item in stream:
        if isinstance(item, RowRejectedError):
            yield item
            continue
        before = len(memory)
        code_hash = hash(item.code)
        add(code_hash)
        if len(memory) == before:  # the hash was already there
            yield duplicate_error(item)
        elif before < limit:
            yield item
        else:  # a new code beyond the limit: move to disk, and check this one there
            memory.discard(code_hash)
            break
    else:
        return
    with _DiskCodes(check) as disk:
        disk.take(memory)
        batch: list[DossierRecord | RowRejectedError] = [item]
        for item in stream:
            batch.append(item)
            if len(batch) >= SPILL_BATCH:
                yield from disk.resolve(batch)
                batch = []
        yield from disk.resolve(batch)


class _DiskCodes:
    """The on-disk tier: a temporary SQLite table of code hashes (``INTEGER PRIMARY KEY``, so
    each lookup is one B-tree search done in C)."""

    def __init__(self, check: DuplicateCheck) -> None:
        directory = check.spill_dir if check.spill_dir is not None else tempfile.gettempdir()
        created: Path | None = None
        try:  # whatever happens (even Ctrl-C or SIGTERM) removes the file once it exists
            with signals_deferred():  # ... and it exists only once recorded in `created`
                try:
                    fd, name = tempfile.mkstemp(
                        prefix="tthc-codes-", suffix=".sqlite", dir=directory
                    )
                except OSError as exc:
                    raise ReportError(
                        f"cannot create the duplicate-code file in {directory}: {exc}"
                    ) from None
                created = self.path = Path(name)
            os.close(fd)
            self.db = sqlite3.connect(name, isolation_level=None)
        except BaseException:
            if created is not None:
                created.unlink(missing_ok=True)
            raise
        try:
            # Host parameters per ``IN (...)`` query: the library's own limit (999 before 3.32).
            self.chunk = min(SPILL_BATCH, self.db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
            for pragma in (
                "journal_mode = OFF",
                "synchronous = OFF",
                "locking_mode = EXCLUSIVE",
                f"cache_size = -{check.cache_kib}",
            ):
                self.db.execute(f"PRAGMA {pragma}")
            self.db.execute("CREATE TABLE seen (h INTEGER PRIMARY KEY)")
            # The first transaction; _insert commits each batch and opens the next one.
            self.db.execute("BEGIN")
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> _DiskCodes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            self.path.unlink(missing_ok=True)

    def take(self, memory: set[int]) -> None:
        """Move the in-memory tier's hashes to the file, emptying ``memory`` first so that the
        set's table is freed before SQLite's page cache fills (a lower peak)."""
        ordered = sorted(memory)  # sorted keys append to the B-tree instead of splitting it
        memory.clear()
        self._insert(ordered)

    def _insert(self, hashes: Iterable[int]) -> None:
        try:
            self.db.executemany("INSERT INTO seen (h) VALUES (?)", ((h,) for h in hashes))
            # Written out batch by batch: without a journal, SQLite cannot spill the dirty
            # pages of an open transaction, which would then all stay in memory (the file is
            # temporary: nothing is read back after a crash, so each commit is cheap).
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
        except sqlite3.Error as exc:
            raise ReportError(f"duplicate-code file {self.path}: {exc}") from None

    def _present(self, hashes: list[int]) -> set[int]:
        found: set[int] = set()
        try:
            for i in range(0, len(hashes), self.chunk):
                chunk = hashes[i : i + self.chunk]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT h FROM seen WHERE h IN ({marks})"
                found.update(h for (h,) in self.db.execute(query, chunk))
        except sqlite3.Error as exc:
            raise ReportError(f"duplicate-code file {self.path}: {exc}") from None
        return found

    def resolve(
        self, batch: list[DossierRecord | RowRejectedError]
    ) -> Iterator[DossierRecord | RowRejectedError]:
        """The batch in order, with repeated codes (against the file or earlier in the batch)
        turned into rejections; the new codes are then stored."""
        candidates = [hash(i.code) for i in batch if not isinstance(i, RowRejectedError)]
        present = self._present(candidates) if candidates else set()
        fresh: set[int] = set()
        for item in batch:
            if isinstance(item, RowRejectedError):
                yield item
                continue
            h = hash(item.code)
            if h in present or h in fresh:
                yield duplicate_error(item)
            else:
                fresh.add(h)
                yield item
        if fresh:
            self._insert(sorted(fresh))
