"""Time-zone handling shared by every module.

Vietnam has used UTC+7 without daylight saving since 1975, so ``tthc`` uses a fixed offset
(:data:`VN_TZ`) rather than a tz database entry: no ``tzdata`` needed on any platform.

Two rules, used consistently:

* **Engine functions** (calendar, deadlines, lifecycle) refuse naive datetimes with
  :class:`~tthc.NaiveDatetimeError`: a missing offset in code is most likely a bug.
* **Data boundaries** (pydantic models, the report interchange format) read a naive datetime
  as Asia/Ho_Chi_Minh wall-clock time, because receipts and exports written by one-stop
  software give office-local times without an offset.

Aware datetimes in any zone are converted (``astimezone``) to UTC+7.

A due date written as a date alone (``2024-03-06``) stands for the end of that day
(:data:`END_OF_DAY`), wherever it is read: the report's readers (CSV, JSON, SQL) and the models'
due-date fields (``Dossier.due_at``, ``DossierEvent.new_due_at``). Any other instant written as
a date alone is the start of that day.
"""

from __future__ import annotations

import datetime as dt

from tthc.errors import InvalidInputError, NaiveDatetimeError

__all__ = [
    "END_OF_DAY",
    "VN_OFFSET",
    "VN_TZ",
    "assume_vn",
    "end_of_day",
    "now",
    "read_iso",
    "require_aware",
]

VN_OFFSET = dt.timedelta(hours=7)
"""The UTC offset of Asia/Ho_Chi_Minh (no daylight saving since 1975)."""

VN_TZ = dt.timezone(VN_OFFSET, "ICT")
"""Asia/Ho_Chi_Minh: UTC+7, no daylight saving."""

END_OF_DAY = dt.time(23, 59, 59, 999_999)
"""The time of day a due date written as a date alone stands for: the end of that day (Civil
Code 2015 Art. 148(1): a time limit ends at the end of its last day). A dossier resolved at any
time on its due day is on time."""


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant a due date written as ``day`` alone stands for (:data:`END_OF_DAY`, UTC+7).

    >>> end_of_day(dt.date(2024, 3, 6)).isoformat()
    '2024-03-06T23:59:59.999999+07:00'
    """
    return dt.datetime.combine(day, END_OF_DAY, VN_TZ)


def read_iso(text: str) -> tuple[dt.datetime, bool]:
    """An ISO 8601 text as ``tthc`` reads it everywhere (the report's readers, the models, the
    command line), and whether it is a date alone (then a due date stands for the end of that
    day, :func:`end_of_day`). Python's reading (:meth:`datetime.datetime.fromisoformat`: the
    extended and basic formats, week dates, ``Z``, offsets of hours alone), except that the
    date and the time must be separated by ``T`` or a space: Python takes any character there,
    which reads ``2024-03-06+07:00`` as 07:00 on a date alone. ``text`` is taken as given
    (strip it first). The datetime is naive or aware as written.

    >>> read_iso("20240306")
    (datetime.datetime(2024, 3, 6, 0, 0), True)
    >>> read_iso("2024-03-06 08:30+07")[0].isoformat()
    '2024-03-06T08:30:00+07:00'
    >>> read_iso("2024-03-06+07:00")
    Traceback (most recent call last):
    ValueError: the date and the time of '2024-03-06+07:00' must be separated by T or a space

    Raises:
        ValueError: ``text`` is not such an ISO 8601 text.
    """
    value = dt.datetime.fromisoformat(text)
    if len(text) <= len("2024-03-06"):  # a time takes at least "T08": a date alone
        return value, True
    date_width = len("2024-03-06") if text[4] == "-" else len("20240306")
    if text[date_width] not in "Tt ":
        raise ValueError(f"the date and the time of {text!r} must be separated by T or a space")
    return value, False


def now() -> dt.datetime:
    """The current instant, aware, in UTC+7 (:data:`VN_TZ`), to the second.

    Use it for "received now" (a dossier handed in at the desk this minute): the deadline
    engine refuses naive datetimes such as ``datetime.now()`` (:class:`~tthc.NaiveDatetimeError`),
    because a server's local clock may not be on Vietnamese time. Microseconds are dropped:
    receipts, slips and the portal's record give instants to the second.

    >>> import tthc
    >>> t = tthc.now()
    >>> t.utcoffset(), t.microsecond
    (datetime.timedelta(seconds=25200), 0)
    >>> due = tthc.due_at(tthc.now(), "05 ngày làm việc")  # received now
    >>> due > t
    True
    """
    return dt.datetime.now(VN_TZ).replace(microsecond=0)


def require_aware(value: dt.datetime, param: str) -> dt.datetime:
    """Return ``value`` converted to UTC+7; raise if it is naive or not a datetime.

    >>> require_aware(dt.datetime(2024, 1, 1, 3, 0, tzinfo=dt.timezone.utc), "at").isoformat()
    '2024-01-01T10:00:00+07:00'
    """
    if value.__class__ is dt.datetime and value.tzinfo is VN_TZ:
        return value  # already in UTC+7 (what astimezone would return)
    if not isinstance(value, dt.datetime):
        raise InvalidInputError(
            f"{param}={value!r} must be an aware datetime.datetime, not {type(value).__name__}"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(value, param)
    return _in_vn(value, param)


def assume_vn(value: dt.datetime, param: str = "datetime") -> dt.datetime:
    """Return ``value`` in UTC+7, reading a naive datetime as UTC+7 wall-clock time.

    >>> assume_vn(dt.datetime(2024, 3, 1, 8, 0)).isoformat()
    '2024-03-01T08:00:00+07:00'
    >>> assume_vn(dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone.utc), "as_of")
    Traceback (most recent call last):
    tthc.errors.InvalidInputError: as_of=9999-12-31T23:00:00+00:00 is past year 9999 in UTC+7; no date can hold it
    """
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=VN_TZ)
    return _in_vn(value, param)


def _in_vn(value: dt.datetime, param: str) -> dt.datetime:
    """``value`` converted to UTC+7, or :class:`~tthc.InvalidInputError` when the conversion
    leaves the years 1–9999 ``datetime`` can hold."""
    try:
        return value.astimezone(VN_TZ)
    except OverflowError:
        side = "before year 1" if value.year < 5000 else "past year 9999"
        raise InvalidInputError(
            f"{param}={value.isoformat()} is {side} in UTC+7; no date can hold it"
        ) from None
