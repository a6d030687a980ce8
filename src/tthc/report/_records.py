"""The dossier interchange format: one normalised row per dossier, and its readers.

A :class:`DossierRecord` is a plain :class:`~typing.NamedTuple` (not a pydantic model): the
streaming report reads millions of rows and must spend microseconds on each. The readers
(:func:`read_csv`, :func:`read_jsonl`, :func:`records_from`) validate every row and yield either
a :class:`DossierRecord` or a :class:`~tthc.RowRejectedError` naming the line, column and reason:
a row is never silently dropped.

Columns (header names are case-insensitive; unknown columns are ignored): required ``code``,
``domain``, ``channel``, ``received_at``, ``status`` and ``due_at`` (which may be empty when
``time_limit`` is given); ``finished_at`` for finished statuses; optional ``agency``,
``procedure_code``, ``procedure_name``, ``level``, ``time_limit``, ``extended_due_at``,
``supplement_requests``, ``supplement_requested_at``, ``supplement_received_at``,
``paused_at``. The full description is ``docs/interchange.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

from tthc._enums import AdministrativeLevel, Channel, DossierStatus
from tthc._io import Source, open_text
from tthc._time import VN_OFFSET, VN_TZ
from tthc._timelimit import TimeLimit
from tthc.calendar import DeadlinePolicy, WorkingCalendar, due_at
from tthc.errors import InputFormatError, InvalidInputError, RowRejectedError, TthcError
from tthc.models import Dossier
from tthc.report._dedup import DuplicateCheck, drop_duplicates

__all__ = [
    "COLUMNS",
    "INPUT_FORMATS",
    "JSONL_SUFFIXES",
    "MAX_FEE_VND",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SERVICE_COLUMNS",
    "DossierRecord",
    "Rejection",
    "ServiceFields",
    "header_index",
    "read_csv",
    "read_jsonl",
    "read_records",
    "records_from",
]

SERVICE_COLUMNS: tuple[str, ...] = (
    "synced",
    "paid_online",
    "fee",
    "paper_result",
    "e_result",
    "digitised",
    "reused_data",
    "from_citizen_store",
    "vneid",
    "complaint",
)
"""The optional columns of the Decision 766/QĐ-TTg service index (:class:`ServiceFields`); an
absent column or an empty cell means unknown, never 0."""

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
    "supplement_requested_at",
    "supplement_received_at",
    "paused_at",
    *SERVICE_COLUMNS,
)
"""Columns that may be absent (``due_at`` only when ``time_limit`` is present)."""

COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
"""Every column of the interchange format, in the canonical order of :meth:`DossierRecord.to_row`."""

_END_OF_DAY = dt.time(23, 59, 59, 999999)
_MIDNIGHT = dt.time()
_DAY_CACHE_SIZE = 200_000
_NAIVE_LEN = len("2024-01-02T08:30:00")
_AWARE_LEN = len("2024-01-02T08:30:00+07:00")
_DUE_CACHE_SIZE = 100_000
_DATE_ONLY_LEN = len("2024-01-01")
_MAX_BAD_KEYS_CACHED = 1000
MAX_SUPPLEMENT_REQUESTS = 999
"""The largest ``supplement_requests`` accepted: Decree 118/2025/NĐ-CP Art. 19(5) allows one
request per dossier, so a count beyond a few is a data error; 999 leaves room for any real
export while keeping every count an ordinary integer (a 5,000-digit cell cannot reach
arithmetic)."""
_SUPPLEMENT_DIGITS = len(str(MAX_SUPPLEMENT_REQUESTS))
_FLAG_VALUES: dict[str, int] = {"0": 0, "1": 1, "false": 0, "true": 1}
"""Spellings of a yes/no service-index cell (case-insensitive)."""
_PAYMENT_VALUES: dict[str, int] = {"0": 0, "1": 1, "2": 2}
"""``paid_online``: the portal's ``DuocThanhToanTrucTuyen`` codes."""
MAX_FEE_VND = 10**12
"""The largest fee accepted (one thousand billion đồng): a bound that keeps a typo out of the
sums, far above any procedure's fee."""
_FEE_PATTERN = re.compile(r"[0-9]{1,3}(?:[., ][0-9]{3})*|[0-9]+")
"""A fee in whole đồng: digits, optionally grouped by thousands with ``.``, ``,`` or a space
("50.000", "1,200,000"): đồng have no decimals."""


def _fee(text: str, line: int) -> int:
    if not _FEE_PATTERN.fullmatch(text) or len(text) > 20:
        raise RowRejectedError(
            line, "fee", f"bad fee {text!r}: expected whole đồng, e.g. 50000 or 50.000"
        )
    value = int(re.sub(r"[., ]", "", text))
    if value > MAX_FEE_VND:
        raise RowRejectedError(line, "fee", f"fee {text!r} is over {MAX_FEE_VND:,} đồng")
    return value


_PAUSE_OPEN_STATUSES = frozenset(
    {DossierStatus.PAUSED, DossierStatus.REFUSED, DossierStatus.WITHDRAWN}
)
"""Statuses a dossier can have while a pause is open: paused, or ended while paused (the
lifecycle allows only refusal and withdrawal from a pause)."""


class ServiceFields(NamedTuple):
    """What a dossier's row says for the Decision 766/QĐ-TTg service index (domain guide
    section 7); ``None`` = unknown (the column is absent or the cell empty), never 0.

    * ``synced``: 1 when the dossier was synced to the national portal (indicator 1.4);
    * ``paid_online``: 0 not paid online, 1 paid on the national portal, 2 through the local
      payment gateway (3.6; the portal's ``DuocThanhToanTrucTuyen``);
    * ``fee``: the dossier's fees in VND (3.6; a procedure's fee from the catalogue when unknown);
    * ``paper_result``: 1 when the procedure's result is a paper document (3.3, 4.1, 4.2);
    * ``e_result``: 1 when an electronic result file was issued (3.3, 4.1, 4.2);
    * ``digitised``: 1 when files were attached to the components (4.2);
    * ``reused_data``: 1 when a component reused digitised data (4.3);
    * ``from_citizen_store``: 1 when a component came from the citizen's data store on the portal,
      or the result link was synced to it (4.4);
    * ``vneid``: 1 when the account was authenticated with VNeID or the data came from the
      population database (4.5);
    * ``complaint``: 1 when the dossier drew a complaint, feedback or a "dislike" (5.4).

    >>> ServiceFields(synced=1).paid_online is None
    True
    """

    synced: int | None = None
    paid_online: int | None = None
    fee: int | None = None
    paper_result: int | None = None
    e_result: int | None = None
    digitised: int | None = None
    reused_data: int | None = None
    from_citizen_store: int | None = None
    vneid: int | None = None
    complaint: int | None = None


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
    supplement_requested_at: dt.datetime | None = None
    """The last supplement request; with no ``supplement_received_at`` (or a later one) the
    clock is stopped (Decree 118/2025/NĐ-CP Art. 19(5))."""
    supplement_received_at: dt.datetime | None = None
    """When the supplement of the last request came back (the time limit restarted then)."""
    paused_at: dt.datetime | None = None
    """The start of a pause still open: the due instant moves later by the time paused."""
    service: ServiceFields | None = None
    """The service-index columns, when the row has any (else ``None``: all unknown)."""
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
            "supplement_requested_at": iso(self.supplement_requested_at),
            "supplement_received_at": iso(self.supplement_received_at),
            "paused_at": iso(self.paused_at),
            **_service_cells(self.service),
        }


def _service_cells(service: ServiceFields | None) -> dict[str, str]:
    if service is None:
        return dict.fromkeys(SERVICE_COLUMNS, "")
    return {name: "" if value is None else str(value) for name, value in service._asdict().items()}


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


Cells = Sequence[str]
"""The raw cells of one row in :data:`COLUMNS` order ("" = empty)."""

_VN_SUFFIX = "+07:00"


def _build_parser(
    calendar: WorkingCalendar | None = None, deadline_policy: DeadlinePolicy | None = None
) -> Callable[[Callable[[str], str], int], DossierRecord]:
    """A row parser reading cells through ``get(column) -> str`` ("" when missing): the
    validation of :func:`read_csv`, for other row sources (kept for ``_columnar``)."""
    parse = build_cell_parser(calendar, deadline_policy)

    def parse_get(get: Callable[[str], str], line: int) -> DossierRecord:
        return parse([get(c) or "" for c in COLUMNS], line)

    return parse_get


def build_cell_parser(
    calendar: WorkingCalendar | None = None, deadline_policy: DeadlinePolicy | None = None
) -> Callable[[Cells, int], DossierRecord]:
    """A row parser with its caches: ``parse(cells, line) -> DossierRecord`` or raises
    :class:`RowRejectedError`. ``cells`` are in :data:`COLUMNS` order and need not be
    stripped. The hot path avoids ``datetime.replace``/``astimezone`` (slow) for the common
    spellings: a naive ISO datetime is re-read with ``+07:00`` appended."""
    channels: dict[str, Channel] = {c.value: c for c in Channel}
    statuses: dict[str, DossierStatus] = {s.value: s for s in DossierStatus}
    levels: dict[str, AdministrativeLevel] = {lv.value: lv for lv in AdministrativeLevel}
    limits: dict[str, TimeLimit] = {}
    due_cache: dict[tuple[dt.datetime, str], dt.datetime] = {}
    fromiso = dt.datetime.fromisoformat
    vn = VN_TZ
    seven = VN_OFFSET
    supplement_ok = {"": 0} | {str(n): n for n in range(10)}
    first_year, last_year = (calendar or WorkingCalendar.vietnam()).bounds
    new_record = tuple.__new__
    make = dt.datetime

    def local(v: dt.datetime) -> dt.datetime:
        # Shares the VN_TZ object: comparing datetimes with the *same* tzinfo object is ~10×
        # faster than with equal but distinct ones (what fromisoformat("…+07:00") returns).
        if v.tzinfo is not None and v.utcoffset() != seven:
            return v.astimezone(vn)
        return make(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, vn)

    def enum_of(table: dict[str, Any], enum: Any, raw: str, column: str, line: int) -> Any:
        text = raw.strip()
        if not text:
            raise RowRejectedError(line, column, "missing required value")
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
            table[raw] = hit
        return hit

    status_of: dict[str, tuple[DossierStatus, bool]] = {
        s.value: (s, s.is_finished) for s in DossierStatus
    }

    def status_pair(raw: str, line: int) -> tuple[DossierStatus, bool]:
        status: DossierStatus = enum_of(statuses, DossierStatus, raw, "status", line)
        pair = (status, status.is_finished)
        if len(status_of) < _MAX_BAD_KEYS_CACHED:
            status_of[raw] = pair
        return pair

    days: dict[str, dt.datetime] = {}
    dues: dict[str, dt.datetime] = {}
    times: dict[str, dt.timedelta] = {}

    def when(raw: str, column: str, line: int, end_of_day: bool = False) -> dt.datetime:
        """Read an ISO 8601 datetime; naive = UTC+7. Fast for the usual spellings.

        ``2024-01-02T08:30:00`` (or with a space) is cached by its day and its time of day, both
        validated on first sight: the result is ``day midnight (UTC+7) + time of day``, which
        also shares the one VN_TZ object."""
        n = len(raw)
        if (
            n == _NAIVE_LEN
            and (day := days.get(raw[:10])) is not None
            and (tod := times.get(raw[10:])) is not None
        ):  # a day and a time of day seen (and validated) before
            return day + tod
        if n == _NAIVE_LEN or (n == _AWARE_LEN and raw.endswith(_VN_SUFFIX)):
            try:
                value = fromiso(raw)
            except ValueError:
                return when_slow(raw, column, line, end_of_day)
            if not first_year <= value.year <= last_year:
                return local_checked(value, raw, column, line)
            if (
                n == _NAIVE_LEN
                and value.tzinfo is None
                and raw[4] == "-"
                and raw[7] == "-"
                and raw[10] in "T "
                and raw[13] == ":"
                and raw[16] == ":"
                and len(days) < _DAY_CACHE_SIZE
            ):
                day = days[raw[:10]] = dt.datetime.combine(value.date(), _MIDNIGHT, vn)
                tod = times[raw[10:]] = dt.timedelta(
                    hours=value.hour, minutes=value.minute, seconds=value.second
                )
                return day + tod
            return local_checked(value, raw, column, line)
        return when_slow(raw, column, line, end_of_day)

    def when_slow(raw: str, column: str, line: int, end_of_day: bool) -> dt.datetime:
        text = raw.strip()
        try:
            value = fromiso(text)
        except ValueError:
            raise RowRejectedError(
                line,
                column,
                f"bad date {text!r}: expected ISO 8601, e.g. 2024-01-02T08:30:00",
            ) from None
        if not first_year - 1 <= value.year <= last_year + 1:  # no overflow below
            raise out_of_range(text, column, line)
        if value.tzinfo is None:
            if not first_year <= value.year <= last_year:
                raise out_of_range(text, column, line)
            if len(text) == _DATE_ONLY_LEN:
                # A date alone ends at the end of that day (Civil Code 2015 Art. 148(1)).
                time_of_day = _END_OF_DAY if end_of_day else _MIDNIGHT
                return dt.datetime.combine(value.date(), time_of_day, vn)
            return value.replace(tzinfo=vn)
        return local_checked(value, text, column, line)

    def out_of_range(text: str, column: str, line: int) -> RowRejectedError:
        return RowRejectedError(
            line,
            column,
            f"{column} {text.strip()!r} is outside the years {first_year}–{last_year} the "
            "working calendar can compute",
        )

    def local_checked(value: dt.datetime, text: str, column: str, line: int) -> dt.datetime:
        """``value`` in UTC+7, refused unless its UTC+7 year is one the working calendar can
        compute (a year far outside is refused before the conversion could overflow)."""
        if not first_year - 1 <= value.year <= last_year + 1:
            raise out_of_range(text, column, line)
        result = local(value)
        if not first_year <= result.year <= last_year:
            raise out_of_range(text, column, line)
        return result

    def compute_due(received: dt.datetime, text: str, line: int) -> dt.datetime:
        key = (received, text)
        hit = due_cache.get(key)
        if hit is not None:
            return hit
        limit = limits.get(text)
        if limit is None:
            try:
                limit = TimeLimit.parse(text)
            except TthcError as exc:
                raise RowRejectedError(line, "time_limit", str(exc)) from None
            limits[text] = limit
        try:
            due = due_at(received, limit, calendar, deadline_policy)
        except TthcError as exc:
            raise RowRejectedError(line, "time_limit", f"cannot compute due_at: {exc}") from None
        if len(due_cache) > _DUE_CACHE_SIZE:
            due_cache.clear()
        due_cache[key] = due
        return due

    def timeline(
        requested_text: str,
        resubmitted_text: str,
        paused_text: str,
        received: dt.datetime,
        finished: dt.datetime | None,
        status: DossierStatus,
        line: int,
    ) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None]:
        """The optional timeline columns (rare: rows written from replayed dossiers)."""

        def instant(text: str, column: str) -> dt.datetime | None:
            return when(text, column, line) if text and not text.isspace() else None

        requested = instant(requested_text, "supplement_requested_at")
        resubmitted = instant(resubmitted_text, "supplement_received_at")
        paused = instant(paused_text, "paused_at")
        if requested is not None and requested < received:
            raise RowRejectedError(
                line, "supplement_requested_at", "supplement requested before received"
            )
        if resubmitted is not None:
            if requested is None:
                raise RowRejectedError(
                    line,
                    "supplement_received_at",
                    "supplement_received_at without supplement_requested_at",
                )
            if resubmitted < requested:
                raise RowRejectedError(
                    line, "supplement_received_at", "supplement received before it was requested"
                )
            if status is DossierStatus.SUPPLEMENT_REQUESTED:
                raise RowRejectedError(
                    line,
                    "supplement_received_at",
                    "status supplement_requested but the last request's supplement was "
                    "received (supplement_received_at is given)",
                )
        for value, column in ((requested, "supplement_requested_at"), (paused, "paused_at")):
            if value is not None and finished is not None and value > finished:
                raise RowRejectedError(line, column, f"{column} is after finished_at")
        if paused is not None:
            if paused < received:
                raise RowRejectedError(line, "paused_at", "paused before received")
            if status not in _PAUSE_OPEN_STATUSES:
                raise RowRejectedError(
                    line,
                    "paused_at",
                    f"paused_at names a pause still open, but status {status.value!r} is not "
                    "paused, refused or withdrawn (a resumed pause is already in due_at)",
                )
        return requested, resubmitted, paused

    def service_fields(texts: Sequence[str], line: int) -> ServiceFields | None:
        """The service-index cells (rare: only exports that carry them)."""
        values: list[int | None] = []
        for column, raw in zip(SERVICE_COLUMNS, texts, strict=True):
            text = raw.strip()
            if not text:
                values.append(None)
            elif column == "fee":
                values.append(_fee(text, line))
            else:
                allowed = _PAYMENT_VALUES if column == "paid_online" else _FLAG_VALUES
                value = allowed.get(text.casefold())
                if value is None:
                    raise RowRejectedError(
                        line,
                        column,
                        f"bad {column} {text!r}: expected "
                        + (
                            "0 (not paid online), 1 (national portal) or 2 (local gateway)"
                            if column == "paid_online"
                            else "0 or 1"
                        ),
                    )
                values.append(value)
        service = ServiceFields(*values)
        return None if not any(v is not None for v in service) else service

    def parse(cells: Cells, line: int) -> DossierRecord:
        (
            code,
            domain,
            channel_text,
            received_text,
            status_text,
            due_text,
            finished_text,
            agency,
            procedure_code,
            procedure_name,
            level_text,
            limit_text,
            extended_text,
            supplement_text,
            requested_text,
            resubmitted_text,
            paused_text,
            *service_texts,
        ) = cells
        code = code.strip()
        if not code:
            raise RowRejectedError(line, "code", "missing required value")
        try:
            domain = domain.strip()
            if not domain:
                raise RowRejectedError(line, "domain", "missing required value")
            channel = channels.get(channel_text) or enum_of(
                channels, Channel, channel_text, "channel", line
            )
            if (
                len(received_text) == _NAIVE_LEN
                and (day := days.get(received_text[:10])) is not None
                and (tod := times.get(received_text[10:])) is not None
            ):  # inlined cache hit of when(): a day and a time of day seen before
                received = day + tod
            elif not received_text or received_text.isspace():
                raise RowRejectedError(line, "received_at", "missing required value")
            else:
                received = when(received_text, "received_at", line)
            status, done = status_of.get(status_text) or status_pair(status_text, line)
            limit_text = limit_text.strip()
            due = dues.get(due_text)  # due instants repeat (the close of office of a day)
            if due is not None:
                pass
            elif (
                len(due_text) == _NAIVE_LEN
                and (day := days.get(due_text[:10])) is not None
                and (tod := times.get(due_text[10:])) is not None
            ):  # inlined cache hit of when(): a day and a time of day seen before
                due = day + tod
                if len(dues) < _DAY_CACHE_SIZE:
                    dues[due_text] = due
            elif due_text and not due_text.isspace():
                due = when(due_text, "due_at", line, True)
            elif limit_text:
                due = compute_due(received, limit_text, line)
            else:
                raise RowRejectedError(
                    line, "due_at", "missing required value (and no time_limit to compute it)"
                )
            if (
                len(finished_text) == _NAIVE_LEN
                and (day := days.get(finished_text[:10])) is not None
                and (tod := times.get(finished_text[10:])) is not None
            ):  # inlined cache hit of when(): a day and a time of day seen before
                finished: dt.datetime | None = day + tod
            elif finished_text and not finished_text.isspace():
                finished = when(finished_text, "finished_at", line)
            else:
                finished = None
            if done:
                if finished is None:
                    raise RowRejectedError(
                        line,
                        "finished_at",
                        f"status and finished_at inconsistent: status {status.value!r} "
                        "requires finished_at",
                    )
                if finished < received:
                    raise RowRejectedError(line, "finished_at", "finished before received")
            elif finished is not None:
                raise RowRejectedError(
                    line,
                    "finished_at",
                    f"status and finished_at inconsistent: status {status.value!r} is not "
                    "finished but finished_at is given",
                )
            if due < received:
                raise RowRejectedError(line, "due_at", "due before received")
            extended = None
            if extended_text and not extended_text.isspace():
                extended = when(extended_text, "extended_due_at", line, True)
                if extended < due:
                    raise RowRejectedError(
                        line, "extended_due_at", "extended_due_at is before due_at"
                    )
            supplements = supplement_ok.get(supplement_text)
            if supplements is None:
                text = supplement_text.strip()
                if not text:
                    supplements = 0
                elif text.isdigit() and text.isascii():
                    digits = text.lstrip("0")
                    if len(digits) > _SUPPLEMENT_DIGITS:
                        raise RowRejectedError(
                            line,
                            "supplement_requests",
                            f"supplement_requests {text[:20]!r}{'…' if len(text) > 20 else ''} "
                            f"is out of range: at most {MAX_SUPPLEMENT_REQUESTS}",
                        )
                    supplements = int(digits or "0")
                else:
                    raise RowRejectedError(
                        line,
                        "supplement_requests",
                        f"bad supplement_requests {text!r}: expected a whole number ≥ 0",
                    )
            level = levels.get(level_text)
            if level is None and level_text and not level_text.isspace():
                level = enum_of(levels, AdministrativeLevel, level_text, "level", line)
            requested = resubmitted = paused = None
            if requested_text or resubmitted_text or paused_text:
                requested, resubmitted, paused = timeline(
                    requested_text,
                    resubmitted_text,
                    paused_text,
                    received,
                    finished,
                    status,
                    line,
                )
            service = None
            if any(service_texts):
                service = service_fields(service_texts, line)
        except RowRejectedError as exc:
            raise RowRejectedError(exc.line, exc.column, exc.reason, code) from None
        return new_record(
            DossierRecord,
            (
                code,
                domain,
                channel,
                received,
                status,
                due,
                finished,
                agency.strip() or None,
                procedure_code.strip() or None,
                procedure_name.strip() or None,
                level,
                limit_text or None,
                extended,
                supplements,
                requested,
                resubmitted,
                paused,
                service,
                line,
            ),
        )

    return parse


# --------------------------------------------------------------------------- readers


def read_csv(
    source: Source,
    *,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    check_duplicates: bool | DuplicateCheck = True,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Read an interchange CSV (UTF-8, with or without BOM), one result per data row.

    Yields a :class:`DossierRecord` for each valid row and a :class:`~tthc.RowRejectedError`
    (not raised) for each invalid one, in file order. ``calendar`` and ``deadline_policy`` are
    passed to :func:`tthc.due_at` for rows whose ``due_at`` is empty. ``check_duplicates``
    (``True``, ``False`` or a :class:`~tthc.report.DuplicateCheck`) rejects a second row with an
    already read code, in bounded memory (codes past
    :attr:`~tthc.report.DuplicateCheck.codes_in_memory` go to a temporary file).

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
    handle, owned = open_text(source)
    rows = _read_csv_handle(handle, calendar, deadline_policy, owned)
    return drop_duplicates(rows, DuplicateCheck.of(check_duplicates))


def _read_csv_handle(
    handle: IO[str],
    calendar: WorkingCalendar | None,
    deadline_policy: DeadlinePolicy | None,
    owned: bool,
) -> Iterator[DossierRecord | RowRejectedError]:
    try:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputFormatError(f"cannot read the CSV header: {exc}") from None
        width, index = header_index(header)
        # Absent columns read an extra empty cell appended to each row at position ``width``
        # (only when some column is absent: a full-width row is then read as it is).
        padded = any(c not in index for c in COLUMNS)
        cells_of = operator.itemgetter(*(index.get(c, width) for c in COLUMNS))
        parse = build_cell_parser(calendar, deadline_policy)
        try:
            for row in reader:
                line = reader.line_num
                n = len(row)
                if n == width:
                    if padded:
                        row.append("")
                elif n > width:
                    yield RowRejectedError(
                        line, None, f"{n} cells but the header has {width} columns"
                    )
                    continue
                elif n == 0 or (n == 1 and not row[0].strip()):
                    yield RowRejectedError(line, None, "empty row")
                    continue
                else:  # short rows: the missing trailing cells are empty
                    row.extend([""] * (width + 1 - n))
                try:
                    record = parse(cells_of(row), line)
                except RowRejectedError as exc:
                    yield exc
                    continue
                yield record
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputFormatError(f"line {reader.line_num}: cannot read CSV: {exc}") from None
    finally:
        if owned:
            handle.close()


def header_index(header: Sequence[str] | None) -> tuple[int, dict[str, int]]:
    """The width of a CSV header and each column name's position (names stripped, BOM
    removed, lower case; empty names left out), after checking the required columns.

    >>> header_index(["Code", " domain", "channel", "received_at", "status", "due_at", ""])
    (7, {'code': 0, 'domain': 1, 'channel': 2, 'received_at': 3, 'status': 4, 'due_at': 5})

    Raises:
        InputFormatError: no header (an empty file), or required columns missing.
    """
    if header is None:
        raise InputFormatError("the CSV file is empty: expected a header row")
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    _check_header(names)
    return len(names), {name: i for i, name in enumerate(names) if name}


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


INSTANT_FIELDS = (
    "received_at",
    "due_at",
    "finished_at",
    "extended_due_at",
    "supplement_requested_at",
    "supplement_received_at",
    "paused_at",
)
"""The instants of a :class:`DossierRecord`."""


def in_vn_tz(record: DossierRecord) -> bool:
    """True when every instant of ``record`` is aware and in UTC+7 (the readers always give
    :data:`tthc.VN_TZ`; a hand-built record may not)."""
    vn = VN_TZ
    return all(
        value is None or value.tzinfo is vn or value.utcoffset() == VN_OFFSET
        for value in (
            record.received_at,
            record.due_at,
            record.finished_at,
            record.extended_due_at,
            record.supplement_requested_at,
            record.supplement_received_at,
            record.paused_at,
        )
    )


def _mapping_rows(
    rows: Iterable[tuple[int, Mapping[str, Any] | DossierRecord | RowRejectedError]],
    calendar: WorkingCalendar | None,
    deadline_policy: DeadlinePolicy | None,
    check_header: bool,
) -> Iterator[DossierRecord | RowRejectedError]:
    parse = build_cell_parser(calendar, deadline_policy)
    checked = not check_header
    for line, mapping in rows:
        if isinstance(mapping, RowRejectedError):
            yield mapping
            continue
        if isinstance(mapping, DossierRecord):
            if in_vn_tz(mapping):
                yield mapping
                continue
            # A hand-built record with instants in another zone (or naive): validate it as a
            # row, so that it is judged in UTC+7 like every other (early = an earlier *date*).
            mapping = mapping.to_row()
        if not checked:
            _check_header(k.lower() for k in mapping)
            checked = True
        lowered = {str(k).lower(): v for k, v in mapping.items()}
        try:
            record = parse([_cell(lowered.get(c)) for c in COLUMNS], line)
        except RowRejectedError as exc:
            yield exc
            continue
        yield record


def read_jsonl(
    source: Source,
    *,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    check_duplicates: bool | DuplicateCheck = True,
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
    handle, owned = open_text(source)

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
        rows = _mapping_rows(objects(), calendar, deadline_policy, True)
        yield from drop_duplicates(rows, DuplicateCheck.of(check_duplicates))
    finally:
        if owned:
            handle.close()


def dossier_row(
    dossier: Dossier,
    *,
    as_of: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
) -> dict[str, object]:
    """Interchange cells of a :class:`~tthc.Dossier`, from its events, as it stood at ``as_of``
    (default: after every event).

    The timeline is replayed by the lifecycle state machine (:func:`tthc.lifecycle_of`), so a
    timeline it refuses is refused here too (:class:`~tthc.TransitionError`; ``records_from``
    turns it into a rejected row). The time limit is the bundled catalogue's for the
    dossier's procedure and channel, so the row carries the due instant in force (restarted
    after a supplement, moved by pauses) and what the rules need to judge it exactly
    (:meth:`tthc.lifecycle.DossierState.record_fields`); for a procedure the catalogue does not
    know, ``due_at`` is the dossier's own field. ``domain``, ``procedure_name`` and ``level``
    come from the catalogue too (else ``domain`` is empty and the row is rejected, naming the
    column). A dossier received after ``as_of`` gives its row after every event (it is not in
    the table of a period ending then anyway).

    >>> import tthc
    >>> d = tthc.Dossier(code="000.17.22.H56-240301-0001", procedure_code="1.001193",
    ...     applicant={"kind": "person", "name": "Trần Thị B"}, channel="direct",
    ...     received_at="2024-03-01 08:00", due_at="2024-03-01 17:00",
    ...     events=[{"kind": "received", "at": "2024-03-01 08:00"},
    ...             {"kind": "completed", "at": "2024-03-01 10:00"}])
    >>> row = dossier_row(d)
    >>> row["status"].value, row["finished_at"].isoformat(), row["domain"]
    ('completed', '2024-03-01T10:00:00+07:00', 'Hộ tịch')
    """
    from tthc.catalog import get
    from tthc.lifecycle import lifecycle_of

    try:
        procedure = get(dossier.procedure_code)
    except TthcError:
        procedure = None
    state = lifecycle_of(dossier, procedure, calendar=calendar, policy=deadline_policy)
    if as_of is not None and state.received_at is not None and state.received_at <= as_of:
        fields = state.record_fields(as_of)
    else:
        fields = state.record_fields()
    if fields["due_at"] is None:
        fields["due_at"] = dossier.due_at
    agency = next((e.agency for e in dossier.events if e.agency), None)
    row: dict[str, object] = {
        **fields,
        "channel": dossier.channel,
        "agency": agency,
        "procedure_code": dossier.procedure_code,
    }
    if procedure is not None:
        row["domain"] = procedure.domain.name_vi
        row["procedure_name"] = procedure.name
        row["level"] = procedure.level
    return row


def records_from(
    items: Iterable[object],
    *,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    check_duplicates: bool | DuplicateCheck = True,
    as_of: dt.datetime | None = None,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Normalise Python objects: :class:`DossierRecord`, mappings, or ``Dossier`` models.

    Records pass through unchanged (only checked for duplicate codes) when their instants are
    in UTC+7, as the readers give them; a hand-built record in another zone is validated again
    as a row, so it is judged on UTC+7 dates. Rejections (``RowRejectedError``) from another
    reader pass through. A mapping uses the interchange column names as keys (values may be
    strings, enums or datetimes; a naive datetime is read as UTC+7). A ``Dossier`` model is
    replayed (:func:`dossier_row`, as it stood at ``as_of`` when given: :func:`build_report`
    passes the period's last instant); any other object with ``to_report_row()``, or with the
    attributes of the interchange format, is read through them. ``line`` is the 1-based
    position in ``items``.

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
            elif isinstance(item, Dossier):
                try:
                    yield (
                        number,
                        dossier_row(
                            item, as_of=as_of, calendar=calendar, deadline_policy=deadline_policy
                        ),
                    )
                except TthcError as exc:  # a timeline the lifecycle refuses
                    code = getattr(item, "code", None)
                    yield number, RowRejectedError(number, "events", str(exc), code)
            else:
                yield number, {c: getattr(item, c, None) for c in COLUMNS}

    rows = _mapping_rows(mappings(), calendar, deadline_policy, False)
    yield from drop_duplicates(rows, DuplicateCheck.of(check_duplicates))


JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson")
"""File suffixes read as JSON lines when the input format is ``"auto"``."""

INPUT_FORMATS: tuple[str, ...] = ("auto", "csv", "jsonl")
"""What ``input_format`` may say: ``auto`` = JSON lines when the file name (a path, or an open
file's ``name``) ends in one of :data:`JSONL_SUFFIXES`, else CSV (standard input included)."""


def read_records(
    source: Source | Iterable[object],
    *,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    check_duplicates: bool | DuplicateCheck = True,
    input_format: str = "auto",
    as_of: dt.datetime | None = None,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Pick the reader: paths and open files → :func:`read_jsonl` or :func:`read_csv` (by
    ``input_format``, see :data:`INPUT_FORMATS`), other iterables → :func:`records_from`.

    >>> import io
    >>> list(read_records([]))
    []
    >>> [r.code for r in read_records(io.StringIO('{"code": "A-1", "domain": "Hộ tịch", '
    ...     '"channel": "online", "received_at": "2024-01-02T08:00", "status": "processing", '
    ...     '"due_at": "2024-01-05T17:00"}'), input_format="jsonl")]
    ['A-1']

    Raises:
        InputFormatError: ``input_format`` is not one of :data:`INPUT_FORMATS`.
    """
    if input_format not in INPUT_FORMATS:
        raise InputFormatError(
            f"unknown input format {input_format!r}; expected one of {', '.join(INPUT_FORMATS)}"
        )
    options: dict[str, Any] = {
        "calendar": calendar,
        "deadline_policy": deadline_policy,
        "check_duplicates": check_duplicates,
    }
    is_path = isinstance(source, str | os.PathLike)
    if is_path or isinstance(source, io.IOBase) or hasattr(source, "read"):
        kind = input_format
        if kind == "auto":
            name = source if is_path else getattr(source, "name", None)
            jsonl = isinstance(name, str | os.PathLike) and (
                Path(name).suffix.lower() in JSONL_SUFFIXES
            )
            kind = "jsonl" if jsonl else "csv"
        reader = read_jsonl if kind == "jsonl" else read_csv
        return reader(cast(Source, source), **options)
    if not isinstance(source, Iterable) or isinstance(source, bytes | bytearray):
        raise InvalidInputError(
            "source must be a path, an open file or an iterable of rows (mappings, "
            f"DossierRecord or Dossier objects), got {type(source).__name__}"
        )
    return records_from(source, as_of=as_of, **options)
