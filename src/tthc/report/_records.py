"""The dossier interchange format: one normalised row per dossier, and its readers.

A :class:`DossierRecord` is a plain :class:`~typing.NamedTuple` (not a pydantic model): the
streaming report reads millions of rows and must spend microseconds on each. The readers
(:func:`read_csv`, :func:`read_jsonl`, :func:`read_records`, :func:`records_from`) validate
every row and yield either a :class:`DossierRecord` or a :class:`~tthc.RowRejectedError` naming
the line, column and reason: a row is never silently dropped.

What the readers accept beyond the interchange CSV — semicolons and tabs, UTF-16, XLSX
workbooks, Vietnamese and portal headers, ``dd/mm/yyyy`` dates, the portal's records — is
described in :mod:`tthc.report` (:class:`~tthc.report.IntakeOptions`) and
``docs/interchange.md``.

Columns (header names matched ignoring case, accents and spacing; unknown columns are
ignored): required ``code``, ``domain``, ``channel``, ``received_at``, ``status`` and ``due_at``
(which may be empty when ``time_limit`` is given); ``finished_at`` for finished statuses;
optional ``agency``, ``procedure_code``, ``procedure_name``, ``level``, ``time_limit``,
``extended_due_at``, ``supplement_requests``, ``supplement_requested_at``,
``supplement_received_at``, ``paused_at`` and the service-index columns
(:data:`SERVICE_COLUMNS`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from tthc._enums import AdministrativeLevel, Channel, DossierStatus
from tthc._io import Source
from tthc._text import quoted
from tthc._time import VN_OFFSET, VN_TZ, require_aware
from tthc.calendar import DeadlinePolicy, WorkingCalendar, local_us
from tthc.errors import InputFormatError, InvalidInputError, RowRejectedError, TthcError
from tthc.models import Dossier
from tthc.report._dedup import DuplicateCheck, drop_duplicates
from tthc.report._intake import (
    INPUT_FORMATS,
    Input,
    IntakeOptions,
    SourceInfo,
    cells_of_mapping,
    check_columns,
    map_header,
    nested_value,
    open_input,
)
from tthc.report._parse import (
    MAX_FEE_VND,
    MAX_SUPPLEMENT_REQUESTS,
    SERVICE_COLUMNS,
    Row,
    ServiceFields,
    build_row_parser,
    to_record,
)

__all__ = [
    "COLUMNS",
    "INPUT_FORMATS",
    "JSONL_SUFFIXES",
    "MAX_FEE_VND",
    "MAX_SUPPLEMENT_REQUESTS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SERVICE_COLUMNS",
    "DossierRecord",
    "Rejection",
    "ServiceFields",
    "dossier_row",
    "header_index",
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
    "supplement_requested_at",
    "supplement_received_at",
    "paused_at",
    *SERVICE_COLUMNS,
)
"""Columns that may be absent (``due_at`` only when ``time_limit`` is present)."""

COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
"""Every column of the interchange format, in the canonical order of :meth:`DossierRecord.to_row`."""

JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson", ".json")
"""File suffixes read as JSON (JSON lines or an array) when the input format is ``"auto"``
and the content does not say (standard input is detected by its first character)."""


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
    """A rejected row as plain data (picklable; what a :class:`~tthc.Report` keeps): its
    line, column and reason, the dossier ``code`` and the cell's ``value`` when known, and the
    ``source`` (file) it came from when a report reads several.

    >>> Rejection.from_error(RowRejectedError(7, "channel", "unknown channel 'fax'", "X-1"))
    Rejection(line=7, column='channel', reason="unknown channel 'fax'", code='X-1', value=None, source=None)
    """

    line: int
    column: str | None
    reason: str
    code: str | None = None
    value: str | None = None
    source: str | None = None

    @classmethod
    def from_error(cls, error: RowRejectedError, source: str | None = None) -> Rejection:
        """Convert the exception a reader yields."""
        return cls(error.line, error.column, error.reason, error.code, error.value, source)

    def to_error(self) -> RowRejectedError:
        """The exception form, e.g. to raise it."""
        return RowRejectedError(self.line, self.column, self.reason, self.code, value=self.value)

    def __str__(self) -> str:
        text = str(self.to_error())
        return f"{self.source}: {text}" if self.source else text


# --------------------------------------------------------------------------- readers

Item = Row | RowRejectedError
"""What the internal readers yield: a validated row (instants as local microseconds), or a
rejection."""


def header_index(header: list[str] | tuple[str, ...] | None) -> tuple[int, dict[str, int]]:
    """The width of a CSV header and each interchange column's position (names matched by
    :func:`tthc.report.header_key`: case, accents, spacing and Unicode form ignored; Vietnamese
    and portal names read, see :data:`tthc.report.HEADER_ALIASES`), after checking the
    required columns.

    >>> header_index(["Code", " domain", "channel", "received_at", "status", "due_at", ""])
    (7, {'code': 0, 'domain': 1, 'channel': 2, 'received_at': 3, 'status': 4, 'due_at': 5})

    Raises:
        InputFormatError: no header (an empty file), required columns missing, or a header
            repeated.
    """
    if header is None:
        raise InputFormatError("the CSV file is empty: expected a header row")
    index, _read, _ignored = map_header(list(header))
    return len(header), dict(sorted(index.items(), key=lambda item: item[1]))


def _parser(
    calendar: WorkingCalendar | None,
    deadline_policy: DeadlinePolicy | None,
    intake: IntakeOptions,
    date_order: str | None,
    columns: Iterable[str] | None = None,
) -> Callable[[Sequence[str], int], Row]:
    return build_row_parser(
        calendar,
        deadline_policy,
        date_order=date_order,  # type: ignore[arg-type]
        statuses=intake.status_values,
        portal_statuses=intake.portal_statuses,
        domains=intake.domains,
        columns=columns,
        catalogue_limits=intake.catalogue_limits,
    )


def _parsed(
    opened: Input,
    calendar: WorkingCalendar | None,
    deadline_policy: DeadlinePolicy | None,
    intake: IntakeOptions,
) -> Iterator[Item]:
    """The rows of an opened input, validated; the input is closed and checked unchanged at
    the end (``Input.parsed``: no generator of its own, one layer less every row)."""
    columns = [c for _header, c in opened.info.columns] if opened.info.columns else None
    try:
        parse = _parser(calendar, deadline_policy, intake, opened.info.date_order, columns)
    except BaseException:
        opened.close()
        raise
    return opened.parsed(parse)


def iter_rows(
    source: Source | Iterable[object],
    *,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    check_duplicates: bool | DuplicateCheck = True,
    input_format: str = "auto",
    intake: IntakeOptions | None = None,
    as_of: dt.datetime | None = None,
    on_open: Callable[[SourceInfo], None] | None = None,
    duplicates: DuplicateCheck | bool | None = None,
) -> Iterator[Item]:
    """The validated rows of any source (a path, an open file, or Python objects), repeated
    codes rejected: what :func:`read_records` yields, with instants as local microseconds
    (the streaming report's input). ``on_open`` receives what was read (:class:`SourceInfo`)
    once the input is open."""
    if as_of is not None:
        as_of = require_aware(as_of, "as_of")
    options = _intake(intake, input_format)
    if _is_file(source):
        opened = open_input(_as_source(source), _with_suffix_format(options, source))
        if on_open is not None:
            on_open(opened.info)
        rows: Iterator[Item] = _parsed(opened, calendar, deadline_policy, options)
    else:
        if not isinstance(source, Iterable) or isinstance(source, str | bytes | bytearray):
            raise InvalidInputError(
                "source must be a path, an open file or an iterable of rows (mappings, "
                f"DossierRecord or Dossier objects), got {type(source).__name__}"
            )
        rows = _object_rows(source, calendar, deadline_policy, options, as_of)
    return drop_duplicates(rows, DuplicateCheck.of(check_duplicates))  # type: ignore[arg-type,return-value]


def _intake(intake: IntakeOptions | None, input_format: str) -> IntakeOptions:
    if intake is not None and not isinstance(intake, IntakeOptions):
        raise InvalidInputError(
            f"intake must be a tthc.report.IntakeOptions or None, got {type(intake).__name__}"
        )
    options = intake or IntakeOptions()
    if input_format != "auto":
        if input_format not in INPUT_FORMATS:
            raise InputFormatError(
                f"unknown input format {input_format!r}; expected one of "
                + ", ".join(INPUT_FORMATS)
            )
        from dataclasses import replace

        options = replace(options, input_format=input_format)  # type: ignore[arg-type]
    return options


def _is_file(source: object) -> bool:
    return isinstance(source, str | os.PathLike) or hasattr(source, "read")


def _as_source(source: object) -> Source:
    return source  # type: ignore[return-value]


def _with_suffix_format(options: IntakeOptions, source: object) -> IntakeOptions:
    """``auto`` sharpened by a path's suffix for formats the content alone cannot tell
    (``.jsonl`` names JSON even if its first character is odd)."""
    if options.input_format != "auto":
        return options
    name = source if isinstance(source, str | os.PathLike) else getattr(source, "name", None)
    if isinstance(name, str | os.PathLike) and Path(name).suffix.lower() in (".jsonl", ".ndjson"):
        from dataclasses import replace

        return replace(options, input_format="jsonl")
    return options


def _object_rows(
    items: Iterable[object],
    calendar: WorkingCalendar | None,
    deadline_policy: DeadlinePolicy | None,
    intake: IntakeOptions,
    as_of: dt.datetime | None,
) -> Iterator[Item]:
    parse = _parser(calendar, deadline_policy, intake, intake.date_format)
    for number, item in enumerate(items, start=1):
        if isinstance(item, RowRejectedError):
            yield item
            continue
        if isinstance(item, DossierRecord):
            if in_vn_tz(item):
                yield row_of(item)
                continue
            # A hand-built record with instants in another zone (or naive): validate it as a
            # row, so that it is judged in UTC+7 like every other (early = an earlier *date*).
            item = item.to_row()
        try:
            if isinstance(item, Mapping):
                mapping: Mapping[str, object] = item
            elif isinstance(item, Dossier):
                mapping = dossier_row(
                    item, as_of=as_of, calendar=calendar, deadline_policy=deadline_policy
                )
            elif hasattr(item, "to_report_row"):
                mapping = item.to_report_row()
            elif any(hasattr(item, c) for c in COLUMNS):
                mapping = {c: getattr(item, c, None) for c in COLUMNS}
            else:
                yield RowRejectedError(
                    number,
                    None,
                    "not a row: a row is a mapping of the interchange columns, a DossierRecord "
                    f"or a Dossier, not {type(item).__name__} {quoted(str(item))}",
                )
                continue
        except TthcError as exc:  # a timeline the lifecycle refuses
            code = getattr(item, "code", None)
            yield RowRejectedError(
                number, "events", str(exc), code if isinstance(code, str) else None
            )
            continue
        nested = nested_value(number, mapping)
        if nested is not None:
            yield nested
            continue
        try:
            yield parse(cells_of_mapping(mapping), number)
        except RowRejectedError as exc:
            yield exc


def row_of(record: DossierRecord) -> Row:
    """``record`` (instants in UTC+7) as a :class:`Row`, instants as local microseconds."""
    values: list[object] = list(record)
    for i in _INSTANTS:
        value = values[i]
        if isinstance(value, dt.datetime):
            values[i] = local_us(value)
    return tuple.__new__(Row, values)


_INSTANTS = (3, 5, 6, 12, 14, 15, 16)


def _records(items: Iterator[Item]) -> Iterator[DossierRecord | RowRejectedError]:
    for item in items:
        yield item if isinstance(item, RowRejectedError) else to_record(item)  # type: ignore[misc]


def read_csv(
    source: Source,
    *,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    check_duplicates: bool | DuplicateCheck = True,
    intake: IntakeOptions | None = None,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Read a delimited text file (the interchange CSV, or an office's export: ``;`` or tab,
    UTF-8 with or without BOM or UTF-16 with one, Vietnamese headers, ``dd/mm/yyyy`` dates),
    one result per data row.

    Yields a :class:`DossierRecord` for each valid row and a :class:`~tthc.RowRejectedError`
    (not raised) for each invalid one, in file order. ``calendar`` and ``deadline_policy`` are
    passed to :func:`tthc.due_at` for rows whose ``due_at`` is empty. ``check_duplicates``
    (``True``, ``False`` or a :class:`~tthc.report.DuplicateCheck`) rejects a second row with an
    already read code, in bounded memory (codes past
    :attr:`~tthc.report.DuplicateCheck.codes_in_memory` go to a temporary file). ``intake``
    (:class:`~tthc.report.IntakeOptions`) says what detection cannot.

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
        InputFormatError: the file cannot be read as delimited text (encoding, missing
            required columns, a repeated header…).
    """
    return _records(
        iter_rows(
            source,
            calendar=calendar,
            deadline_policy=deadline_policy,
            check_duplicates=check_duplicates,
            input_format="csv",
            intake=intake,
        )
    )


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


def read_jsonl(
    source: Source,
    *,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    check_duplicates: bool | DuplicateCheck = True,
    intake: IntakeOptions | None = None,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Read JSON: one object per line with the interchange columns as keys (or a JSON array
    of them); the national portal's dossier records (``MaHoSo`` …) are recognised and read
    with :func:`tthc.portal.record_cells`.

    Blank lines are skipped; a line that is not a JSON object is rejected. The first object
    must carry the required keys (else :class:`~tthc.InputFormatError`); ``null`` means empty.

    >>> import io
    >>> text = ('{"code": "A-1", "domain": "Hộ tịch", "channel": "online", '
    ...         '"received_at": "2024-01-02T08:00:00+07:00", "status": "processing", '
    ...         '"due_at": "2024-01-05T17:00:00+07:00", "finished_at": null}\\n')
    >>> [r.code for r in read_jsonl(io.StringIO(text))]
    ['A-1']
    """
    return _records(
        iter_rows(
            source,
            calendar=calendar,
            deadline_policy=deadline_policy,
            check_duplicates=check_duplicates,
            input_format="jsonl",
            intake=intake,
        )
    )


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

    if as_of is not None:
        as_of = require_aware(as_of, "as_of")
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
    intake: IntakeOptions | None = None,
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
    return _records(
        iter_rows(
            items,
            calendar=calendar,
            deadline_policy=deadline_policy,
            check_duplicates=check_duplicates,
            intake=intake,
            as_of=as_of,
        )
    )


def read_records(
    source: Source | Iterable[object],
    *,
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    check_duplicates: bool | DuplicateCheck = True,
    input_format: str = "auto",
    as_of: dt.datetime | None = None,
    intake: IntakeOptions | None = None,
) -> Iterator[DossierRecord | RowRejectedError]:
    """Read any source: a path or an open file (its format detected, see
    :class:`~tthc.report.IntakeOptions`, or given by ``input_format``: one of
    :data:`INPUT_FORMATS`), or an iterable of Python objects (:func:`records_from`).

    >>> import io
    >>> list(read_records([]))
    []
    >>> [r.code for r in read_records(io.StringIO('{"code": "A-1", "domain": "Hộ tịch", '
    ...     '"channel": "online", "received_at": "2024-01-02T08:00", "status": "processing", '
    ...     '"due_at": "2024-01-05T17:00"}'), input_format="jsonl")]
    ['A-1']

    Raises:
        InputFormatError: ``input_format`` is not one of :data:`INPUT_FORMATS`, or a file that
            cannot be read.
        InvalidInputError: ``source`` is neither a file nor an iterable.
    """
    return _records(
        iter_rows(
            source,
            calendar=calendar,
            deadline_policy=deadline_policy,
            check_duplicates=check_duplicates,
            input_format=input_format,
            intake=intake,
            as_of=as_of,
        )
    )


def _check_header(names: Iterable[str]) -> None:
    check_columns(names)
