"""One row's cells → a validated :class:`Row`, the readers' hot path.

Every reader (CSV, XLSX, JSON lines, portal records, Python objects) ends here: the cells of a
row in :data:`~tthc.report.COLUMNS` order go through one validation, so a bad value is rejected
with the same reason whatever the file looked like. Instants are kept as integers — UTC+7
wall-clock microseconds (:func:`tthc.calendar.local_us`) — so the streaming report compares,
classifies and measures working time without building a ``datetime`` per cell;
:func:`to_record` turns a :class:`Row` into the public :class:`~tthc.report.DossierRecord`.

What an instant may look like (the date order of ``dd/mm/yyyy`` is decided once per file by
the reader, never per cell):

* ISO 8601: ``2024-03-04T08:30:00``, ``2024-03-04 08:30``, ``2024-03-04T01:30:00Z``,
  ``…+07:00``, a date alone; without an offset, UTC+7 wall-clock time;
* ``dd/mm/yyyy`` (or ``mm/dd/yyyy``, ``yyyy/mm/dd``) with an optional ``HH:mm[:ss]``, also with
  ``.`` or ``-`` between the parts;
* the portal's ``yyyyMMddHHmmss`` (and ``yyyyMMdd``);
* an Excel serial date (``45355.35417``: days since 1899-12-30, the 1900 date system) with
  five digits before the point (1927-05-18 onwards); a four-digit number such as ``2024`` is
  a year typed alone, not a serial, and rejects its row.

A date alone means midnight, except for the due dates (``due_at``, ``extended_due_at``) where
it means the end of that day (Civil Code 2015 Art. 148(1)).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final, Literal, NamedTuple

from tthc._enums import AdministrativeLevel, Channel, DossierStatus, fold_text
from tthc._text import clean_label, quoted
from tthc._time import END_OF_DAY, read_iso
from tthc._timelimit import TimeLimit
from tthc.calendar import DeadlinePolicy, DueCache, WorkingCalendar, from_local_us
from tthc.errors import InvalidInputError, RowRejectedError, TthcError
from tthc.portal import DEFAULT_STATUS_MAP, PortalStatusMap

__all__ = [
    "DATE_ORDERS",
    "MAX_FEE_VND",
    "MAX_SUPPLEMENT_REQUESTS",
    "SERVICE_COLUMNS",
    "STATUS_MAP_HINT",
    "TRAILING_COLUMNS",
    "DateOrder",
    "Row",
    "ServiceFields",
    "build_row_parser",
    "fold_label",
    "to_record",
]

DateOrder = Literal["dmy", "mdy", "ymd"]
STATUS_MAP_HINT: Final = "extend the mapping with --status-map FILE"
"""What a rejected row's unknown status (a wording, or a portal code the status mapping does
not know) says to do: the report readers name the options of ``tthc report``, as for the
columns (``--columns``) and the date order (``--date-format``)."""
DATE_ORDERS: Final[tuple[str, ...]] = ("dmy", "mdy", "ymd")
"""How a date written with ``/`` is read: day/month/year, month/day/year or year/month/day."""

SERVICE_COLUMNS: Final[tuple[str, ...]] = (
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

MAX_SUPPLEMENT_REQUESTS: Final = 999
"""The largest ``supplement_requests`` accepted: Decree 118/2025/NĐ-CP Art. 19(5) allows one
request per dossier, so a count beyond a few is a data error; 999 leaves room for any real
export while keeping every count an ordinary integer (a 5,000-digit cell cannot reach
arithmetic)."""
_SUPPLEMENT_DIGITS: Final = len(str(MAX_SUPPLEMENT_REQUESTS))

MAX_FEE_VND: Final = 10**12
"""The largest fee accepted (one thousand billion đồng): a bound that keeps a typo out of the
sums, far above any procedure's fee."""
_FEE_PATTERN: Final = re.compile(r"[0-9]{1,3}(?:[., ][0-9]{3})*|[0-9]+")
"""A fee in whole đồng: digits, optionally grouped by thousands with ``.``, ``,`` or a space
("50.000", "1,200,000"): đồng have no decimals."""
_FREE_WORDS: Final = frozenset({"miễn phí", "không thu", "không thu phí", "miễn", "free"})
"""How exports write a fee of nothing ("Miễn phí": free of charge), read as 0 đồng."""
_CURRENCY_SUFFIX: Final = re.compile(r"\s*(?:đ|đồng|vnđ|vnd)\s*$", re.IGNORECASE)
"""The currency written after a fee ("50.000đ", "50.000 đồng", "50000 VNĐ"), left out."""
_FLAG_VALUES: Final[dict[str, int]] = {"0": 0, "1": 1, "false": 0, "true": 1}
_PAYMENT_VALUES: Final[dict[str, int]] = {"0": 0, "1": 1, "2": 2}

_US_PER_SECOND: Final = 1_000_000
_US_PER_DAY: Final = 86_400 * _US_PER_SECOND
_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()
_VN_OFFSET_US: Final = 7 * 3600 * _US_PER_SECOND
_END_OF_DAY_US: Final = (
    (END_OF_DAY.hour * 60 + END_OF_DAY.minute) * 60 + END_OF_DAY.second
) * _US_PER_SECOND + END_OF_DAY.microsecond
""":data:`tthc._time.END_OF_DAY` in microseconds: what a due date written as a date alone
stands for."""
_EXCEL_EPOCH_ORDINAL: Final = dt.date(1899, 12, 30).toordinal()
"""Day 0 of Excel's 1900 date system (serial 1 = 1900-01-01, counting its phantom 29/02/1900,
so serials from 61 on — every date this library can compute — are days since 1899-12-30)."""
_MAX_CACHED: Final = 200_000
"""Entries of one cache (days, times of day, spellings) before it stops growing."""
_DUE_CACHED: Final = 4096
"""Spellings of due instants remembered whole (cleared when full). Due instants repeat — the
close of office of a few hundred days — unlike receipts and finishes; a small cache that
forgets keeps the memory bounded when they do not."""

_SLASHED: Final = re.compile(
    r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})"
    r"(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
)
_COMPACT: Final = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?")
_SERIAL: Final = re.compile(r"\d{5}(?:\.\d+)?")
_PAUSE_OPEN: Final = frozenset(
    {DossierStatus.PAUSED, DossierStatus.REFUSED, DossierStatus.WITHDRAWN}
)
"""Statuses a dossier can have while a pause is open: paused, or ended while paused (the
lifecycle allows only refusal and withdrawal from a pause)."""
_PORTAL_CHANNELS: Final[dict[str, Channel]] = {
    "1": Channel.DIRECT,
    "2": Channel.ONLINE,
    "3": Channel.POSTAL,
}
"""The portal's KenhThucHien codes (domain guide section 10)."""


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


class Row(NamedTuple):
    """One validated row, instants as local microseconds (the fields and order of
    :class:`~tthc.report.DossierRecord`, whose instants are datetimes)."""

    code: str
    domain: str
    channel: Channel
    received_at: int
    status: DossierStatus
    due_at: int
    finished_at: int | None
    agency: str | None
    procedure_code: str | None
    procedure_name: str | None
    level: AdministrativeLevel | None
    time_limit: str | None
    extended_due_at: int | None
    supplement_requests: int
    supplement_requested_at: int | None
    supplement_received_at: int | None
    paused_at: int | None
    service: ServiceFields | None
    line: int


_MINUTES: Final = {
    f"{h:02d}:{m:02d}": (h * 60 + m) * 60 * _US_PER_SECOND for h in range(24) for m in range(60)
}
"""``"HH:MM"`` → microseconds: every time of day to the minute, known in advance, so that an
instant to the second costs two lookups whether or not its time was seen before."""
_SECONDS: Final = {f":{s:02d}": s * _US_PER_SECOND for s in range(60)}
"""``":SS"`` → microseconds."""
_INSTANT_INDEXES: Final = (3, 5, 6, 12, 14, 15, 16)
"""Positions of the instants in :class:`Row` (and :class:`~tthc.report.DossierRecord`)."""


def to_record(row: Row) -> object:
    """The :class:`~tthc.report.DossierRecord` of ``row`` (its instants as aware UTC+7
    datetimes)."""
    from tthc.report._records import DossierRecord

    values: list[object] = list(row)
    for i in _INSTANT_INDEXES:
        value = values[i]
        if isinstance(value, int):
            values[i] = from_local_us(value)
    return tuple.__new__(DossierRecord, values)


def fold_label(text: str) -> str:
    """The key a label is matched by in a mapping file: Unicode NFC, case-folded, runs of
    white space as one space, every kind of dash as ``-``.

    >>> fold_label("Đất đai – Xây  dựng") == fold_label("đất đai - xây dựng")
    True
    """
    return fold_text(re.sub(r"[\u2010-\u2015\u2212]", "-", text))


def _date_us(year: int, month: int, day: int) -> int:
    return (dt.date(year, month, day).toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY


TRAILING_COLUMNS: Final[tuple[str, ...]] = (
    "supplement_requested_at",
    "supplement_received_at",
    "paused_at",
    *SERVICE_COLUMNS,
)
"""The last columns of :data:`~tthc.report.COLUMNS`, rare in exports: the cells of a row may
stop before them when the input has none of them (fewer cells to gather every row)."""

_CORE_WIDTH: Final = Row._fields.index(TRAILING_COLUMNS[0])
"""The cells before the :data:`TRAILING_COLUMNS` (``code`` … ``supplement_requests``)."""
_DUE_CELL: Final = Row._fields.index("due_at")
_PROCEDURE_CODE_CELL: Final = Row._fields.index("procedure_code")

Cells = Sequence[str]
"""The raw cells of one row in :data:`~tthc.report.COLUMNS` order ("" = empty), all of them or
all but the :data:`TRAILING_COLUMNS`."""


def build_row_parser(
    calendar: WorkingCalendar | None = None,
    deadline_policy: DeadlinePolicy | None = None,
    *,
    date_order: DateOrder | None = None,
    statuses: Mapping[str, DossierStatus] | None = None,
    portal_statuses: PortalStatusMap | None = DEFAULT_STATUS_MAP,
    domains: Mapping[str, str] | None = None,
    columns: Iterable[str] | None = None,
    catalogue_limits: bool = False,
) -> Callable[[Cells, int], Row]:
    """A row parser with its caches: ``parse(cells, line) -> Row`` or raises
    :class:`~tthc.RowRejectedError` naming the line, column and reason.

    ``cells`` are in :data:`~tthc.report.COLUMNS` order (all, or all but the
    :data:`TRAILING_COLUMNS`) and need not be stripped.
    ``date_order`` says how a date written with ``/`` reads (``None``: such a date is refused,
    the reader decides the order once per file). ``statuses`` adds status spellings (folded
    with :func:`fold_label`); ``portal_statuses`` maps the portal's status codes
    (:data:`tthc.portal.DEFAULT_STATUS_MAP`, ``None``: no codes). ``domains`` maps domain labels
    (folded with :func:`fold_label`) to the domain counted. ``columns`` names the columns the
    input has (default: all): the optional ones it lacks are not looked at.
    ``catalogue_limits`` lets a row with neither ``due_at`` nor ``time_limit`` take the time
    limit the bundled catalogue publishes for its procedure and channel (default: rejected).

    >>> parse = build_row_parser(date_order="dmy")
    >>> row = parse(["A-1", "Hộ tịch", "Trực tuyến", "04/03/2024 08:30", "Đang xử lý",
    ...              "", "", "", "", "", "", "03 ngày làm việc", "", ""] + [""] * 13, 2)
    >>> from tthc.calendar import from_local_us
    >>> row.channel.value, row.status.value, from_local_us(row.due_at).isoformat()
    ('online', 'processing', '2024-03-07T17:00:00+07:00')
    """
    cal = WorkingCalendar.vietnam() if calendar is None else calendar
    present = frozenset(columns) if columns is not None else None
    has_timeline = present is None or bool(
        present & {"supplement_requested_at", "supplement_received_at", "paused_at"}
    )
    has_service = present is None or bool(present & set(SERVICE_COLUMNS))
    dues = DueCache(cal, deadline_policy)
    first_year, last_year = cal.bounds
    lowest = _date_us(first_year, 1, 1)
    beyond = _date_us(last_year + 1, 1, 1)
    user_statuses = {fold_label(k): v for k, v in (statuses or {}).items()}
    domain_map = {fold_label(k): v for k, v in (domains or {}).items()}

    channels: dict[str, Channel] = {c.value: c for c in Channel} | dict(_PORTAL_CHANNELS)
    status_of: dict[str, tuple[DossierStatus, bool]] = {
        s.value: (s, s.is_finished) for s in DossierStatus
    }
    levels: dict[str, AdministrativeLevel] = {lv.value: lv for lv in AdministrativeLevel}
    labels: dict[str, str] = {}
    domain_of: dict[str, str] = {}
    limits: dict[str, TimeLimit] = {}
    days: dict[str, int] = {}
    due_texts: dict[str, int] = {}
    minutes = _MINUTES
    seconds = _SECONDS
    suffixes: dict[str, int] = {"": 0, "+07:00": 0, "Z": _VN_OFFSET_US, "+00:00": _VN_OFFSET_US}
    supplement_ok = {"": 0} | {str(n): n for n in range(10)}
    new_row = tuple.__new__

    # ------------------------------------------------------------------ values

    def enum_of(
        enum: type[Channel] | type[AdministrativeLevel], raw: str, column: str, line: int
    ) -> Channel | AdministrativeLevel:
        text = raw.strip()
        if not text:
            raise RowRejectedError(line, column, "missing required value")
        try:
            return enum.parse(text)
        except InvalidInputError:
            try:
                return enum.parse(re.sub(r"[()\[\]]", " ", text))  # "Bưu chính (công ích)"
            except InvalidInputError:
                pass
            raise RowRejectedError(
                line,
                column,
                f"unknown {column} {quoted(text)}; expected one of "
                + ", ".join(f"{m.value} ({m.label_vi})" for m in enum),
                value=text,
            ) from None

    def channel_of(raw: str, line: int) -> Channel:
        hit = enum_of(Channel, raw, "channel", line)
        assert isinstance(hit, Channel)
        if len(channels) < _MAX_CACHED:
            channels[raw] = hit
        return hit

    def status_pair(raw: str, line: int) -> tuple[DossierStatus, bool]:
        text = raw.strip()
        if not text:
            raise RowRejectedError(line, "status", "missing required value")
        status = user_statuses.get(fold_label(text))
        if status is None:
            try:
                status = DossierStatus.parse(text)
            except InvalidInputError:
                status = portal_status(text, line)
        pair = (status, status.is_finished)
        if len(status_of) < _MAX_CACHED:
            status_of[raw] = pair
        return pair

    def portal_status(text: str, line: int) -> DossierStatus:
        if portal_statuses is not None and text.isdigit():
            try:
                return portal_statuses.status_for(text, hint=STATUS_MAP_HINT)
            except TthcError as exc:
                raise RowRejectedError(line, "status", str(exc), value=text) from None
        raise RowRejectedError(
            line,
            "status",
            f"unknown status {quoted(text)}; expected one of "
            + ", ".join(f"{m.value} ({m.label_vi})" for m in DossierStatus)
            + f", or a portal status code; {STATUS_MAP_HINT}",
            value=text,
        )

    def label(raw: str) -> str:
        """A label (agency, procedure) as :func:`tthc._text.clean_label` keeps it."""
        hit = labels.get(raw)
        if hit is None:
            hit = clean_label(raw)
            if len(labels) < _MAX_CACHED:
                labels[raw] = hit
        return hit

    def domain_label(raw: str, line: int) -> str:
        hit = domain_of.get(raw)
        if hit is None:
            text = clean_label(raw)
            if not text:
                raise RowRejectedError(line, "domain", "missing required value")
            hit = domain_map.get(fold_label(text), text) if domain_map else text
            if len(domain_of) < _MAX_CACHED:
                domain_of[raw] = hit
        return hit

    # ------------------------------------------------------------------ instants

    def out_of_range(text: str, column: str, line: int) -> RowRejectedError:
        return RowRejectedError(
            line,
            column,
            f"{column} {quoted(text.strip())} is outside the years {first_year}–{last_year} the "
            "working calendar can compute",
            value=text.strip(),
        )

    def bad_date(text: str, column: str, line: int) -> RowRejectedError:
        return RowRejectedError(
            line,
            column,
            f"bad date {quoted(text)}: expected ISO 8601 (e.g. 2024-01-02T08:30:00), dd/mm/yyyy "
            "[HH:mm[:ss]], yyyyMMddHHmmss or an Excel date",
            value=text,
        )

    def checked(value: int, text: str, column: str, line: int) -> int:
        if not lowest <= value < beyond:
            raise out_of_range(text, column, line)
        return value

    def instant(raw: str, column: str, line: int, end_of_day: bool = False) -> int:
        """Local microseconds of an instant cell. Fast for ``YYYY-MM-DD[T ]HH:MM:SS`` with no
        offset, ``+07:00``, ``Z`` or another offset already seen: the day (validated once,
        when first met), the minute and the second are looked up."""
        n = len(raw)
        if n >= 19 and raw[16] == ":":
            day = days.get(raw[:11])
            if day is not None:
                try:  # subscripts, not calls of get(): a miss is a malformed time (slow path)
                    local = day + minutes[raw[11:16]] + seconds[raw[16:19]]
                except KeyError:
                    pass
                else:
                    if n == 19:
                        return local
                    shift = suffixes.get(raw[19:])
                    if shift is not None:
                        return checked(local + shift, raw, column, line) if shift else local
        return instant_slow(raw, column, line, end_of_day)

    def remember(text: str, value: dt.datetime) -> None:
        """Cache the day (with its separator) and the UTC offset's spelling of an ISO text
        just read (validated); times of day need no cache (:data:`_MINUTES`)."""
        if len(text) < 16 or text[10] not in "T " or text[4] != "-" or text[7] != "-":
            return
        if len(days) < _MAX_CACHED:
            days[text[:11]] = (value.toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY
        width = 8 if len(text) >= 19 and text[16] == ":" else 5
        suffix = text[11 + width :]
        if suffix not in suffixes and len(suffixes) < 100 and value.tzinfo is not None:
            offset = value.utcoffset()
            if offset is not None and not suffix.startswith("."):
                suffixes[suffix] = _VN_OFFSET_US - int(offset.total_seconds()) * _US_PER_SECOND

    def instant_slow(raw: str, column: str, line: int, end_of_day: bool) -> int:
        text = raw.strip()
        if not text:
            raise RowRejectedError(line, column, "missing required value")
        if "\u00a0" in text:  # a no-break space between date and time, as spreadsheets write
            text = text.replace("\u00a0", " ")
        try:
            value, date_alone = read_iso(text)
        except ValueError:
            return other_format(text, column, line, end_of_day)
        if not first_year - 1 <= value.year <= last_year + 1:  # no overflow below
            raise out_of_range(text, column, line)
        local = (
            (value.toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY
            + ((value.hour * 60 + value.minute) * 60 + value.second) * _US_PER_SECOND
            + value.microsecond
        )
        offset = value.utcoffset()
        if offset is not None:
            local += _VN_OFFSET_US - int(offset.total_seconds() * _US_PER_SECOND)
        elif end_of_day and date_alone:
            # A date alone ends at the end of that day (Civil Code 2015 Art. 148(1)).
            local += _END_OF_DAY_US
        checked(local, text, column, line)
        if text == raw:
            remember(text, value)
        return local

    def other_format(text: str, column: str, line: int, end_of_day: bool) -> int:
        m = _SLASHED.fullmatch(text)
        if m is not None:
            a, b, c = (int(g) for g in m.group(1, 2, 3))
            if len(m.group(1)) == 4:
                year, month, day = a, b, c
                read_as = "year/month/day"
            elif len(m.group(3)) != 4:
                raise bad_date(text, column, line)
            elif date_order == "mdy":
                year, month, day = c, a, b
                read_as = "month/day/year, the order of this file"
            elif date_order == "dmy":
                year, month, day = c, b, a
                read_as = "day/month/year, the order of this file"
            else:
                raise RowRejectedError(
                    line,
                    column,
                    f"the day/month order of {quoted(text)} is not known: give --date-format dmy "
                    "(day first) or mdy (month first)",
                    value=text,
                )
            clock = m.group(4, 5, 6, 7)
        elif (m := _COMPACT.fullmatch(text)) is not None:
            year, month, day = (int(g) for g in m.group(1, 2, 3))
            clock = (*m.group(4, 5, 6), None)
            read_as = "yyyyMMddHHmmss"
        elif _SERIAL.fullmatch(text):
            return serial(float(text), text, column, line, end_of_day)
        else:
            raise bad_date(text, column, line)
        if not first_year <= year <= last_year:
            raise out_of_range(text, column, line)
        try:
            local = _date_us(year, month, day)
            if clock[0] is None:
                return local + (_END_OF_DAY_US if end_of_day else 0)
            hour, minute = int(clock[0]), int(clock[1])
            second = int(clock[2] or 0)
            micro = int((clock[3] or "0").ljust(6, "0"))
            tod = dt.time(hour, minute, second, micro)
        except ValueError:
            hint = (
                " — decided from the first of its dates that reads one way only; if this file "
                "mixes orders, give --date-format"
                if read_as.endswith("the order of this file")
                else ""
            )
            raise RowRejectedError(
                line,
                column,
                f"bad date {quoted(text)}: not a real date and time (read as {read_as}{hint})",
                value=text,
            ) from None
        return local + ((tod.hour * 60 + tod.minute) * 60 + tod.second) * _US_PER_SECOND + micro

    def serial(value: float, text: str, column: str, line: int, end_of_day: bool) -> int:
        """An Excel serial date (the 1900 system): days since 1899-12-30, the fraction the
        time of day (rounded to the second, as Excel shows it)."""
        whole = int(value)
        seconds = round((value - whole) * 86_400)
        ordinal = _EXCEL_EPOCH_ORDINAL + whole
        local = (ordinal - _EPOCH_ORDINAL) * _US_PER_DAY + seconds * _US_PER_SECOND
        if whole < 61 or not lowest <= local < beyond:
            raise out_of_range(text, column, line)
        if end_of_day and seconds == 0 and value == whole:
            local += _END_OF_DAY_US
        return local

    catalogued_limits: dict[tuple[str, Channel], str | None] = {}

    def catalogue_limit(procedure_code: str, channel: Channel) -> str | None:
        """The time limit of the procedure for the channel in the bundled catalogue (the
        portal's records carry an appointment date, not a limit), or ``None``."""
        key = (procedure_code.strip(), channel)
        if key not in catalogued_limits:
            from tthc.catalog import get

            text = None
            if key[0]:
                try:
                    text = str(get(key[0]).time_limit_for(channel))
                except TthcError:
                    text = None
            catalogued_limits[key] = text
        return catalogued_limits[key]

    def due_from_limit(received: int, text: str, line: int) -> int:
        limit = limits.get(text)
        if limit is None:
            try:
                limit = TimeLimit.parse(text)
            except TthcError as exc:
                raise RowRejectedError(line, "time_limit", str(exc), value=text) from None
            if len(limits) < _MAX_CACHED:
                limits[text] = limit
        try:
            return dues.due(received, limit)
        except TthcError as exc:
            raise RowRejectedError(
                line, "time_limit", f"cannot compute due_at: {exc}", value=text
            ) from None

    # ------------------------------------------------------------------ optional columns

    def timeline(
        requested_text: str,
        resubmitted_text: str,
        paused_text: str,
        received: int,
        finished: int | None,
        status: DossierStatus,
        line: int,
    ) -> tuple[int | None, int | None, int | None]:
        """The optional timeline columns (rare: rows written from replayed dossiers)."""

        def optional(text: str, column: str) -> int | None:
            return instant(text, column, line) if text and not text.isspace() else None

        requested = optional(requested_text, "supplement_requested_at")
        resubmitted = optional(resubmitted_text, "supplement_received_at")
        paused = optional(paused_text, "paused_at")
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
            if status not in _PAUSE_OPEN:
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
                values.append(fee_of(text, line))
            else:
                allowed = _PAYMENT_VALUES if column == "paid_online" else _FLAG_VALUES
                value = allowed.get(text.casefold())
                if value is None:
                    expected = (
                        "0 (not paid online), 1 (national portal) or 2 (local gateway)"
                        if column == "paid_online"
                        else "0 or 1"
                    )
                    raise RowRejectedError(
                        line,
                        column,
                        f"bad {column} {quoted(text)}: expected {expected}",
                        value=text,
                    )
                values.append(value)
        service = ServiceFields(*values)
        return None if all(v is None for v in service) else service

    def fee_of(text: str, line: int) -> int:
        written = text
        if len(text) <= 40:  # a bound before any regular expression
            text = unicodedata.normalize("NFC", text)
            if text.casefold() in _FREE_WORDS:
                return 0
            text = _CURRENCY_SUFFIX.sub("", text)
        if len(text) > 20 or not _FEE_PATTERN.fullmatch(text):
            text = written
            raise RowRejectedError(
                line,
                "fee",
                f"bad fee {quoted(text)}: expected whole đồng, e.g. 50000, 50.000, 50.000đ or "
                "Miễn phí",
                value=text,
            )
        value = int(re.sub(r"[., ]", "", text))
        if value > MAX_FEE_VND:
            raise RowRejectedError(
                line, "fee", f"fee {quoted(text)} is over {MAX_FEE_VND:,} đồng", value=text
            )
        return value

    def supplements_of(raw: str, line: int) -> int:
        text = raw.strip()
        if not text:
            return 0
        if text.isdigit() and text.isascii():
            digits = text.lstrip("0")
            if len(digits) <= _SUPPLEMENT_DIGITS:
                return int(digits or "0")
            raise RowRejectedError(
                line,
                "supplement_requests",
                f"supplement_requests {quoted(text)} "
                f"is out of range: at most {MAX_SUPPLEMENT_REQUESTS}",
                value=text[:20],
            )
        raise RowRejectedError(
            line,
            "supplement_requests",
            f"bad supplement_requests {quoted(text)}: expected a whole number ≥ 0",
            value=text,
        )

    # ------------------------------------------------------------------ the row

    def parse(cells: Cells, line: int) -> Row:
        (
            code,
            domain_text,
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
        ) = cells
        code = code.strip()
        if not code:
            raise RowRejectedError(line, "code", "missing required value")
        try:
            domain = domain_of.get(domain_text) or domain_label(domain_text, line)
            channel = channels.get(channel_text) or channel_of(channel_text, line)
            received = instant(received_text, "received_at", line)
            status, done = status_of.get(status_text) or status_pair(status_text, line)
            limit_text = limit_text.strip()
            due = due_texts.get(due_text)
            if due is not None:
                pass
            elif due_text and not due_text.isspace():
                due = instant(due_text, "due_at", line, True)
                if len(due_texts) >= _DUE_CACHED:
                    due_texts.clear()
                due_texts[due_text] = due
            elif limit_text:
                due = due_from_limit(received, limit_text, line)
            else:
                catalogued = catalogue_limit(procedure_code, channel) if catalogue_limits else None
                if catalogued is None:
                    raise RowRejectedError(
                        line,
                        "due_at",
                        "missing required value (and no time_limit to compute it"
                        + (
                            ", nor a procedure_code the bundled catalogue knows)"
                            if catalogue_limits
                            else "; --limits-from-catalogue takes the catalogue's time limit "
                            "for the procedure_code)"
                        ),
                    )
                due = due_from_limit(received, catalogued, line)
            finished = (
                instant(finished_text, "finished_at", line)
                if finished_text and not finished_text.isspace()
                else None
            )
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
                extended = instant(extended_text, "extended_due_at", line, True)
                if extended < due:
                    raise RowRejectedError(
                        line, "extended_due_at", "extended_due_at is before due_at"
                    )
            supplements = supplement_ok.get(supplement_text)
            if supplements is None:
                supplements = supplements_of(supplement_text, line)
            level = levels.get(level_text)
            if level is None and level_text and not level_text.isspace():
                hit = enum_of(AdministrativeLevel, level_text, "level", line)
                assert isinstance(hit, AdministrativeLevel)
                level = hit
                if len(levels) < _MAX_CACHED:
                    levels[level_text] = hit
        except RowRejectedError as exc:
            raise RowRejectedError(
                exc.line, exc.column, exc.reason, code, value=exc.value
            ) from None
        return new_row(
            Row,
            (
                code,
                domain,
                channel,
                received,
                status,
                due,
                finished,
                (labels.get(agency) or label(agency) or None) if agency else None,
                procedure_code.strip() or None if procedure_code else None,
                (labels.get(procedure_name) or label(procedure_name) or None)
                if procedure_name
                else None,
                level,
                limit_text or None,
                extended,
                supplements,
                None,
                None,
                None,
                None,
                line,
            ),
        )

    if not (has_timeline or has_service):
        return parse  # the input has none of the TRAILING_COLUMNS: its cells stop before them

    def parse_all(cells: Cells, line: int) -> Row:
        """A row whose cells may go on to the :data:`TRAILING_COLUMNS` (rare: rows written
        from replayed dossiers, exports that carry the service index)."""
        row = parse(cells[:_CORE_WIDTH], line)
        trailing = cells[_CORE_WIDTH:]
        if not any(trailing):
            return row
        requested_text, resubmitted_text, paused_text, *service_texts = trailing
        requested = resubmitted = paused = None
        service = None
        try:
            if has_timeline and (requested_text or resubmitted_text or paused_text):
                requested, resubmitted, paused = timeline(
                    requested_text,
                    resubmitted_text,
                    paused_text,
                    row.received_at,
                    row.finished_at,
                    row.status,
                    line,
                )
            if has_service and any(service_texts):
                service = service_fields(service_texts, line)
            due = row.due_at
            due_text = cells[_DUE_CELL]
            if resubmitted is not None and (not due_text or due_text.isspace()):
                # The due date computed from the time limit: the full limit restarts when the
                # supplement comes back (Decree 118/2025/NĐ-CP Art. 19(5)), as in the
                # lifecycle; a due_at given in the row is already the restarted one.
                limit = row.time_limit or (
                    catalogue_limit(cells[_PROCEDURE_CODE_CELL], row.channel)
                    if catalogue_limits
                    else None
                )
                if limit is not None:
                    due = due_from_limit(resubmitted, limit, line)
                if row.extended_due_at is not None and row.extended_due_at < due:
                    raise RowRejectedError(
                        line,
                        "extended_due_at",
                        "extended_due_at is before the due date restarted by the supplement",
                    )
        except RowRejectedError as exc:
            raise RowRejectedError(
                exc.line, exc.column, exc.reason, row.code, value=exc.value
            ) from None
        return row._replace(
            due_at=due,
            supplement_requested_at=requested,
            supplement_received_at=resubmitted,
            paused_at=paused,
            service=service,
        )

    return parse_all
