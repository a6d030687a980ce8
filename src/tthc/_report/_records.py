"""The dossier interchange format: one normalised row per dossier, and its readers.

A :class:`DossierRecord` is a plain :class:`~typing.NamedTuple` (not a pydantic model): the
streaming report reads millions of rows and must spend microseconds on each. The readers
(:func:`read_csv`, :func:`read_jsonl`, :func:`records_from`) validate every row and yield either
a :class:`DossierRecord` or a :class:`~tthc.RowRejectedError` naming the line, column and reason:
a row is never silently dropped.

Columns (header names are case-insensitive; unknown columns are ignored):

=====================  =========  ==========================================================
column                 required   content
=====================  =========  ==========================================================
code                   yes        dossier code (Decree 118/2025/NĐ-CP Art. 28), unique
domain                 yes        domain (lĩnh vực) name or code
channel                yes        ``direct`` | ``online`` | ``postal`` (or Vietnamese labels)
received_at            yes        ISO 8601; without offset = UTC+7 wall clock
status                 yes        a :class:`~tthc.DossierStatus` value or Vietnamese label
due_at                 yes [1]_   ISO 8601; may be empty when ``time_limit`` is given
finished_at            [2]_       ISO 8601; required for completed/returned/refused/withdrawn
agency                 no         agency (cơ quan) name or code
procedure_code         no         procedure code in the national database
procedure_name         no         procedure name
level                  no         an :class:`~tthc.AdministrativeLevel`
time_limit             no         wording such as ``"05 ngày làm việc"``
extended_due_at        no         the single re-appointment date (Art. 19(6))
supplement_requests    no         how many supplement requests (integer ≥ 0)
=====================  =========  ==========================================================

.. [1] the header must contain ``due_at`` or ``time_limit``.
.. [2] the column may be absent from a file of unfinished dossiers only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

from tthc._enums import AdministrativeLevel, Channel, DossierStatus
from tthc._errors import InputFormatError, InvalidInputError, RowRejectedError, TthcError
from tthc._time import VN_TZ

__all__ = [
    "COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "DossierRecord",
    "Rejection",
    "read_csv",
    "read_jsonl",
    "read_records",
    "records_from",
]

REQUIRED_COLUMNS: tuple[str, ...] = ("code", "domain", "channel", "received_at", "status")
"""Columns every interchange file must have (plus ``due_at`` or ``time_limit``)."""

OPTIONAL_COLUMNS: tuple[str, ...] = (
    "due_at",
    "finished_at",
    "agency",
    "procedure_code",
    "procedure_name",
    "level",
    "time_limit",
    "extended_due_at",
    "supplement_requests",
)
"""Columns that may be absent (``due_at`` only when ``time_limit`` is present)."""

COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
"""Every column of the interchange format, in the canonical order of :meth:`DossierRecord.to_row`."""

_END_OF_DAY = dt.time(23, 59, 59, 999999)
_DATE_ONLY_LEN = len("2024-01-01")
_MAX_BAD_KEYS_CACHED = 1000


class DossierRecord(NamedTuple):
    """One dossier, normalised: what the report counts.

    All datetimes are aware, in UTC+7 (:data:`tthc.VN_TZ`). ``due_at`` is always set: read from
    the data, or computed from ``time_limit`` by the deadline engine. ``line`` is where the row
    came from (1-based physical line of the file; the position for Python objects) so later
    messages can point at it.

    >>> import datetime as dt
    >>> from tthc import VN_TZ, Channel, DossierStatus
    >>> r = DossierRecord(
    ...     code="H56-240102-0001", domain="Tư pháp – Hộ tịch", channel=Channel.DIRECT,
    ...     received_at=dt.datetime(2024, 1, 2, 8, tzinfo=VN_TZ), status=DossierStatus.RETURNED,
    ...     due_at=dt.datetime(2024, 1, 5, 17, tzinfo=VN_TZ),
    ...     finished_at=dt.datetime(2024, 1, 4, 9, tzinfo=VN_TZ))
    >>> r.status.is_finished, r.supplement_requests
    (True, 0)
    """

    code: str
    domain: str
    channel: Channel
    received_at: dt.datetime
    status: DossierStatus
    due_at: dt.datetime
    finished_at: dt.datetime | None = None
    agency: str | None = None
    procedure_code: str | None = None
    procedure_name: str | None = None
    level: AdministrativeLevel | None = None
    time_limit: str | None = None
    extended_due_at: dt.datetime | None = None
    supplement_requests: int = 0
    line: int = 0

    def to_row(self) -> dict[str, str]:
        """The record as interchange-format cells (ISO 8601 with offset; empty = missing).

        >>> import datetime as dt
        >>> from tthc import VN_TZ
        >>> r = DossierRecord("X-1", "D", Channel.ONLINE, dt.datetime(2024, 1, 2, 8, tzinfo=VN_TZ),
        ...                   DossierStatus.PROCESSING, dt.datetime(2024, 1, 9, 17, tzinfo=VN_TZ))
        >>> r.to_row()["due_at"], r.to_row()["finished_at"]
        ('2024-01-09T17:00:00+07:00', '')
        """

        def iso(value: dt.datetime | None) -> str:
            return "" if value is None else value.isoformat()

        return {
            "code": self.code,
            "domain": self.domain,
            "channel": self.channel.value,
            "received_at": iso(self.received_at),
            "status": self.status.value,
            "due_at": iso(self.due_at),
            "finished_at": iso(self.finished_at),
            "agency": self.agency or "",
            "procedure_code": self.procedure_code or "",
            "procedure_name": self.procedure_name or "",
            "level": self.level.value if self.level else "",
            "time_limit": self.time_limit or "",
            "extended_due_at": iso(self.extended_due_at),
            "supplement_requests": str(self.supplement_requests),
        }


class Rejection(NamedTuple):
    """A rejected row as plain data (picklable; what a :class:`~tthc.Report` keeps).

    >>> Rejection.from_error(RowRejectedError(7, "channel", "unknown channel 'fax'", "X-1"))
    Rejection(line=7, column='channel', reason="unknown channel 'fax'", code='X-1')
    """

    line: int
    column: str | None
    reason: str
    code: str | None = None

    @classmethod
    def from_error(cls, error: RowRejectedError) -> Rejection:
        """Convert the exception a reader yields."""
        return cls(error.line, error.column, error.reason, error.code)

    def to_error(self) -> RowRejectedError:
        """The exception form, e.g. to raise it."""
        return RowRejectedError(self.line, self.column, self.reason, self.code)

    def __str__(self) -> str:
        return str(self.to_error())


# --------------------------------------------------------------------------- row validation


def _build_parser(
    calendar: Any = None, deadline_policy: Any = None
) -> Callable[[Callable[[str], str], int], DossierRecord]:
    """A row parser with its caches: ``parse(get, line) -> DossierRecord`` or raises.

    ``get(column)`` returns the stripped cell ("" when missing). Raises
    :class:`RowRejectedError`.
    """
    channels: dict[str, Channel] = {c.value: c for c in Channel}
    statuses: dict[str, DossierStatus] = {s.value: s for s in DossierStatus}
    levels: dict[str, AdministrativeLevel] = {lv.value: lv for lv in AdministrativeLevel}
    limits: dict[str, Any] = {}
    due_cache: dict[tuple[dt.datetime, str], dt.datetime] = {}
    fromiso = dt.datetime.fromisoformat
    vn = VN_TZ
    finished = frozenset(s for s in DossierStatus if s.is_finished)
    engine: list[Any] = []

    def enum_of(table: dict[str, Any], enum: Any, text: str, column: str, line: int) -> Any:
        hit = table.get(text)
        if hit is not None:
            return hit
        try:
            hit = enum.parse(text)
        except InvalidInputError:
            raise RowRejectedError(
                line,
                column,
                f"unknown {column} {text!r}; expected one of "
                + ", ".join(f"{m.value} ({m.label_vi})" for m in enum),
            ) from None
        if len(table) < _MAX_BAD_KEYS_CACHED:
            table[text] = hit
        return hit

    def when(text: str, column: str, line: int, end_of_day: bool = False) -> dt.datetime:
        try:
            value = fromiso(text)
        except ValueError:
            raise RowRejectedError(
                line, column, f"bad date {text!r}: expected ISO 8601, e.g. 2024-01-02T08:30:00"
            ) from None
        if end_of_day and len(text) == _DATE_ONLY_LEN:
            # A date alone ends at the end of that day (Civil Code 2015 Art. 148(1)).
            value = dt.datetime.combine(value.date(), _END_OF_DAY)
        tz = value.tzinfo
        if tz is None:
            return value.replace(tzinfo=vn)
        if tz is vn:
            return value
        return value.astimezone(vn)

    def compute_due(received: dt.datetime, text: str, line: int) -> dt.datetime:
        key = (received, text)
        hit = due_cache.get(key)
        if hit is not None:
            return hit
        if not engine:
            from tthc import _calendar

            engine.append(_calendar)
        limit = limits.get(text)
        if limit is None:
            from tthc._timelimit import TimeLimit

            try:
                limit = TimeLimit.parse(text)
            except TthcError as exc:
                raise RowRejectedError(line, "time_limit", str(exc)) from None
            limits[text] = limit
        try:
            due: dt.datetime = engine[0].due_at(received, limit, calendar, deadline_policy)
        except TthcError as exc:
            raise RowRejectedError(line, "time_limit", f"cannot compute due_at: {exc}") from None
        if len(due_cache) > 100_000:
            due_cache.clear()
        due_cache[key] = due
        return due

    def parse(get: Callable[[str], str], line: int) -> DossierRecord:
        code = get("code")
        if not code:
            raise RowRejectedError(line, "code", "missing required value")
        try:
            domain = get("domain")
            if not domain:
                raise RowRejectedError(line, "domain", "missing required value")
            text = get("channel")
            if not text:
                raise RowRejectedError(line, "channel", "missing required value")
            channel = channels.get(text) or enum_of(channels, Channel, text, "channel", line)
            text = get("received_at")
            if not text:
                raise RowRejectedError(line, "received_at", "missing required value")
            received = when(text, "received_at", line)
            text = get("status")
            if not text:
                raise RowRejectedError(line, "status", "missing required value")
            status = statuses.get(text) or enum_of(statuses, DossierStatus, text, "status", line)
            limit_text = get("time_limit") or None
            text = get("due_at")
            if text:
                due = when(text, "due_at", line, end_of_day=True)
            elif limit_text:
                due = compute_due(received, limit_text, line)
            else:
                raise RowRejectedError(
                    line, "due_at", "missing required value (and no time_limit to compute it)"
                )
            text = get("finished_at")
            finished_at = when(text, "finished_at", line) if text else None
            if status in finished:
                if finished_at is None:
                    raise RowRejectedError(
                        line,
                        "finished_at",
                        f"status and finished_at inconsistent: status {status.value!r} "
                        "requires finished_at",
                    )
                if finished_at < received:
                    raise RowRejectedError(line, "finished_at", "finished before received")
            elif finished_at is not None:
                raise RowRejectedError(
                    line,
                    "finished_at",
                    f"status and finished_at inconsistent: status {status.value!r} is not "
                    "finished but finished_at is given",
                )
            if due < received:
                raise RowRejectedError(line, "due_at", "due before received")
            text = get("extended_due_at")
            extended = None
            if text:
                extended = when(text, "extended_due_at", line, end_of_day=True)
                if extended <= due:
                    raise RowRejectedError(
                        line, "extended_due_at", "extended_due_at is not after due_at"
                    )
            text = get("supplement_requests")
            supplements = 0
            if text:
                if not text.isdigit():
                    raise RowRejectedError(
                        line,
                        "supplement_requests",
                        f"bad supplement_requests {text!r}: expected a whole number ≥ 0",
                    )
                supplements = int(text)
            text = get("level")
            level = enum_of(levels, AdministrativeLevel, text, "level", line) if text else None
        except RowRejectedError as exc:
            raise RowRejectedError(exc.line, exc.column, exc.reason, code) from None
        return DossierRecord(
            code,
            domain,
            channel,
            received,
            status,
            due,
            finished_at,
            get("agency") or None,
            get("procedure_code") or None,
            get("procedure_name") or None,
            level,
            limit_text,
            extended,
            supplements,
            line,
        )

    return parse


class _Dedup:
    """Remembers the codes of counted rows and rejects a repeated one.

    Memory grows with the number of distinct codes (about 100 bytes each); everything else
    in the streaming report is flat.
    """

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def check(self, record: DossierRecord) -> RowRejectedError | None:
        first = self.seen.setdefault(record.code, record.line)
        if first != record.line:
            return RowRejectedError(
                record.line, "code", f"duplicate code, first seen on line {first}", record.code
            )
        return None


# --------------------------------------------------------------------------- readers


Source = str | os.PathLike[str] | IO[str] | IO[bytes]
"""A path, or an open text or binary file (``-`` handling is the CLI's job)."""


def _open_text(source: Source) -> tuple[IO[str], bool]:
    if isinstance(source, str | os.PathLike):
        return open(source, encoding="utf-8-sig", newline=""), True
    handle: Any = source
    if isinstance(handle, io.TextIOBase):
        return cast("IO[str]", handle), False
    if hasattr(handle, "mode") and "b" not in getattr(handle, "mode", ""):
        return cast("IO[str]", handle), False
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline=""), False


def read_csv(
    source: Source,
    *,
    calendar: Any = None,
    deadline_policy: Any = None,
    check_duplicates: bool = True,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Read an interchange CSV (UTF-8, with or without BOM), one result per data row.

    Yields a :class:`DossierRecord` for each valid row and a :class:`~tthc.RowRejectedError`
    (not raised) for each invalid one, in file order. ``calendar`` and ``deadline_policy`` are
    passed to :func:`tthc.due_at` for rows whose ``due_at`` is empty. ``check_duplicates``
    rejects a second row with an already counted code (memory: one entry per code).

    >>> import io
    >>> text = ("code,domain,channel,received_at,status,due_at,finished_at\\n"
    ...         "A-1,Hộ tịch,trực tiếp,2024-01-02 08:00,completed,2024-01-05 17:00,2024-01-03 09:00\\n"
    ...         "A-2,Hộ tịch,fax,2024-01-02 08:00,processing,2024-01-05 17:00,\\n")
    >>> rows = list(read_csv(io.StringIO(text)))
    >>> rows[0].channel, rows[0].finished_at.isoformat()
    (<Channel.DIRECT: 'direct'>, '2024-01-03T09:00:00+07:00')
    >>> print(rows[1])  # doctest: +ELLIPSIS
    line 3, code 'A-2', column 'channel': unknown channel 'fax'; ...

    Raises:
        InputFormatError: the header lacks required columns, or the file is not UTF-8 CSV.
    """
    handle, owned = _open_text(source)
    try:
        yield from _read_csv_handle(handle, calendar, deadline_policy, check_duplicates)
    finally:
        if owned:
            handle.close()


def _read_csv_handle(
    handle: IO[str], calendar: Any, deadline_policy: Any, check_duplicates: bool
) -> Iterator[DossierRecord | RowRejectedError]:
    reader = csv.reader(handle)
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputFormatError(f"cannot read the CSV header: {exc}") from None
    if header is None:
        raise InputFormatError("the CSV file is empty: expected a header row")
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    _check_header(names)
    index = {name: i for i, name in enumerate(names) if name}
    width = len(names)
    parse = _build_parser(calendar, deadline_policy)
    dedup = _Dedup() if check_duplicates else None
    columns = {c: index.get(c) for c in COLUMNS}
    row: list[str] = []

    def get(column: str) -> str:
        i = columns[column]
        if i is None or i >= len(row):
            return ""
        return row[i].strip()

    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputFormatError(f"line {reader.line_num}: cannot read CSV: {exc}") from None
        line = reader.line_num
        if len(row) > width:
            yield RowRejectedError(
                line, None, f"{len(row)} cells but the header has {width} columns"
            )
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            yield RowRejectedError(line, None, "empty row")
            continue
        try:
            record = parse(get, line)
        except RowRejectedError as exc:
            yield exc
            continue
        if dedup is not None:
            dup = dedup.check(record)
            if dup is not None:
                yield dup
                continue
        yield record


def _check_header(names: Iterable[str]) -> None:
    present = set(names)
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if "due_at" not in present and "time_limit" not in present:
        missing.append("due_at (or time_limit)")
    if missing:
        raise InputFormatError(
            "missing required column(s): "
            + ", ".join(missing)
            + "; the interchange format needs "
            + ", ".join(REQUIRED_COLUMNS)
            + " and due_at or time_limit"
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "value") and isinstance(value.value, str):  # enums
        return str(value.value)
    return str(value).strip()


def _mapping_rows(
    rows: Iterable[tuple[int, Mapping[str, Any] | DossierRecord | RowRejectedError]],
    calendar: Any,
    deadline_policy: Any,
    check_duplicates: bool,
    check_header: bool,
) -> Iterator[DossierRecord | RowRejectedError]:
    parse = _build_parser(calendar, deadline_policy)
    dedup = _Dedup() if check_duplicates else None
    checked = not check_header
    for line, mapping in rows:
        if isinstance(mapping, RowRejectedError):
            yield mapping
            continue
        if isinstance(mapping, DossierRecord):
            dup = dedup.check(mapping) if dedup is not None else None
            yield mapping if dup is None else dup
            continue
        if not checked:
            _check_header(k.lower() for k in mapping)
            checked = True
        lowered = {str(k).lower(): v for k, v in mapping.items()}

        def get(column: str, lowered: dict[str, Any] = lowered) -> str:
            return _cell(lowered.get(column))

        try:
            record = parse(get, line)
        except RowRejectedError as exc:
            yield exc
            continue
        if dedup is not None:
            dup = dedup.check(record)
            if dup is not None:
                yield dup
                continue
        yield record


def read_jsonl(
    source: Source,
    *,
    calendar: Any = None,
    deadline_policy: Any = None,
    check_duplicates: bool = True,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Read JSON lines: one object per line with the interchange columns as keys.

    Blank lines are skipped; a line that is not a JSON object is rejected. The first object
    must carry the required keys (else :class:`~tthc.InputFormatError`); ``null`` means empty.

    >>> import io
    >>> text = ('{"code": "A-1", "domain": "Hộ tịch", "channel": "online", '
    ...         '"received_at": "2024-01-02T08:00:00+07:00", "status": "processing", '
    ...         '"due_at": "2024-01-05T17:00:00+07:00", "finished_at": null}\\n')
    >>> [r.code for r in read_jsonl(io.StringIO(text))]
    ['A-1']
    """
    handle, owned = _open_text(source)

    def objects() -> Iterator[tuple[int, Mapping[str, Any] | RowRejectedError]]:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except ValueError as exc:
                yield number, RowRejectedError(number, None, f"not valid JSON: {exc}")
                continue
            if not isinstance(value, dict):
                yield number, RowRejectedError(number, None, "not a JSON object")
                continue
            yield number, value

    try:
        yield from _mapping_rows(objects(), calendar, deadline_policy, check_duplicates, True)
    finally:
        if owned:
            handle.close()


def records_from(
    items: Iterable[Any],
    *,
    calendar: Any = None,
    deadline_policy: Any = None,
    check_duplicates: bool = True,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Normalise Python objects: :class:`DossierRecord`, mappings, or ``Dossier`` models.

    Records pass through unchanged (only checked for duplicate codes), and so do rejections
    (``RowRejectedError``) from another reader. A mapping uses the interchange column names as keys (values may be strings, enums or
    datetimes). A ``Dossier`` model (or any object with ``to_report_row()``, or the
    attributes of the interchange format) is read through its attributes. ``line`` is the
    1-based position in ``items``.

    >>> import datetime as dt
    >>> rows = [{"code": "A-1", "domain": "Hộ tịch", "channel": "postal",
    ...          "received_at": dt.datetime(2024, 1, 2, 8), "status": "Đang xử lý",
    ...          "due_at": "2024-01-05T17:00"}]
    >>> [(r.channel.value, r.status.value, r.received_at.isoformat()) for r in records_from(rows)]
    [('postal', 'processing', '2024-01-02T08:00:00+07:00')]
    """

    def mappings() -> Iterator[tuple[int, Mapping[str, Any] | DossierRecord | RowRejectedError]]:
        for number, item in enumerate(items, start=1):
            if isinstance(item, DossierRecord | RowRejectedError | Mapping):
                yield number, item
            elif hasattr(item, "to_report_row"):
                yield number, item.to_report_row()
            else:
                yield number, {c: getattr(item, c, None) for c in COLUMNS}

    yield from _mapping_rows(mappings(), calendar, deadline_policy, check_duplicates, False)


def read_records(
    source: Source | Iterable[Any],
    *,
    calendar: Any = None,
    deadline_policy: Any = None,
    check_duplicates: bool = True,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Pick the reader: ``.jsonl``/``.ndjson`` paths → :func:`read_jsonl`, other paths and
    files → :func:`read_csv`, other iterables → :func:`records_from`.

    >>> import datetime as dt
    >>> list(read_records([]))
    []
    """
    options: dict[str, Any] = {
        "calendar": calendar,
        "deadline_policy": deadline_policy,
        "check_duplicates": check_duplicates,
    }
    if isinstance(source, str | os.PathLike):
        suffix = Path(source).suffix.lower()
        if suffix in {".jsonl", ".ndjson"}:
            return read_jsonl(source, **options)
        return read_csv(source, **options)
    if isinstance(source, io.IOBase) or hasattr(source, "read"):
        return read_csv(cast(Source, source), **options)
    return records_from(source, **options)
