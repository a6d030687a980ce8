"""Exceptions and warnings raised by ``tthc``.

The tree (every error derives from :class:`TthcError`, so ``except tthc.TthcError`` catches
anything this library raises on purpose)::

    TthcError
    ├── InvalidInputError (also a ValueError)
    │   ├── NaiveDatetimeError         a datetime without a UTC offset where one is required
    │   ├── TimeLimitParseError        time-limit wording that cannot be read
    │   ├── FormValidationError        declaration-form values that fail their FieldSpecs
    │   └── InvalidLimitError          a zero, negative or otherwise unusable time limit
    ├── CalendarError
    │   ├── DateOutOfBounds            a date outside the years the calendar can compute
    │   └── OverlayError               a calendar overlay file or entry that is invalid
    ├── CatalogError                   the bundled or a user procedure catalogue is invalid
    ├── LifecycleError
    │   ├── TransitionError            an event not allowed in the dossier's current state
    │   ├── ReappointmentError         a second re-appointment (Decree 118/2025 Art. 19(6))
    │   └── EventLineError             a line of stored timelines (JSON lines) that cannot be read
    ├── InputChangedError (also an OSError)  an input file that changed while it was read
    ├── ReportError
    │   ├── RowRejectedError           one interchange row that cannot be counted
    │   ├── InputFormatError           an input file that cannot be read at all
    │   ├── PeriodError                a reporting period that cannot be parsed
    │   └── ReconciliationError        a report whose totals do not reconcile
    └── OutputError (also an OSError)  an output file that cannot be written, or would
                                       overwrite an input

    UserWarning
    └── ProvisionalCalendarWarning     a computation reached a year after the last official notice
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

__all__ = [
    "CalendarError",
    "CatalogError",
    "DateOutOfBounds",
    "EventLineError",
    "FormValidationError",
    "InputChangedError",
    "InputFormatError",
    "InvalidInputError",
    "InvalidLimitError",
    "LifecycleError",
    "NaiveDatetimeError",
    "OutputError",
    "OverlayError",
    "PeriodError",
    "ProvisionalCalendarWarning",
    "ReappointmentError",
    "ReconciliationError",
    "ReportError",
    "RowRejectedError",
    "TimeLimitParseError",
    "TransitionError",
    "TthcError",
]


class TthcError(Exception):
    """Base class of every error ``tthc`` raises on purpose."""


class InvalidInputError(TthcError, ValueError):
    """A value given to ``tthc`` is not acceptable. Also a :class:`ValueError`."""


class NaiveDatetimeError(InvalidInputError):
    """A datetime has no UTC offset where ``tthc`` requires one.

    The deadline engine refuses naive datetimes rather than guessing a time zone; the
    pydantic models and the report interchange format read a naive datetime as
    Asia/Ho_Chi_Minh (UTC+7) wall-clock time, as documented on each.
    """

    def __init__(self, value: _dt.datetime, param: str) -> None:
        self.value = value
        self.param = param
        super().__init__(
            f"{param}={value.isoformat()} is a naive datetime; give it a UTC offset, "
            "e.g. tzinfo=tthc.VN_TZ (UTC+7)"
        )


class TimeLimitParseError(InvalidInputError):
    """Time-limit wording (thời hạn giải quyết) that cannot be read."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"cannot read time limit {text!r}: {reason}")


class InvalidLimitError(InvalidInputError):
    """A time limit that cannot be used: zero, negative, or of an unknown unit."""


class FormValidationError(InvalidInputError):
    """Declaration-form values that fail their field specifications.

    ``errors`` lists every bad field as ``(field name, label, reason)``.
    """

    def __init__(self, procedure: str, errors: list[tuple[str, str, str]]) -> None:
        self.procedure = procedure
        self.errors = errors
        lines = "; ".join(f"{name} ({label}): {reason}" for name, label, reason in errors)
        super().__init__(f"form of procedure {procedure} has {len(errors)} bad field(s): {lines}")


class CalendarError(TthcError):
    """A working-calendar problem."""


class DateOutOfBounds(CalendarError, ValueError):  # noqa: N818 - name follows exchange_calendars
    """A date outside the years a calendar can compute.

    Carries the ``calendar`` name, the offending ``date`` and the ``param`` it came from.
    """

    def __init__(self, calendar: str, date: _dt.date, param: str, bounds: tuple[int, int]) -> None:
        self.calendar = calendar
        self.date = date
        self.param = param
        self.bounds = bounds
        super().__init__(
            f"{param}={date.isoformat()} is outside the years {bounds[0]}–{bounds[1]} "
            f"that calendar {calendar!r} can compute"
        )


class OverlayError(CalendarError, ValueError):
    """A calendar overlay (official notice or local decision) that is invalid."""


class CatalogError(TthcError):
    """A procedure catalogue entry that is invalid."""


class LifecycleError(TthcError):
    """A dossier lifecycle problem."""


class TransitionError(LifecycleError, ValueError):
    """An event that is not allowed in the dossier's current state, or out of time order.

    Carries the dossier ``code``, its ``state``, the refused ``event`` and the ``allowed``
    event kinds, so callers can react without parsing the message.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        state: str | None = None,
        event: Any = None,
        allowed: tuple[str, ...] = (),
    ) -> None:
        self.code = code
        self.state = state
        self.event = event
        self.allowed = allowed
        super().__init__(message)


class ReappointmentError(TransitionError):
    """A second re-appointment: Decree 118/2025/NĐ-CP Art. 19(6) allows only one."""


class EventLineError(LifecycleError, InvalidInputError):
    """A line of stored dossier timelines (JSON lines) that cannot be read or replayed.

    Carries the ``source`` (file name), the 1-based ``line``, the dossier ``code`` the line
    belongs to (when it can be told), the ``field``, the offending ``value`` (as text, possibly
    shortened) and the ``reason``. Also an :class:`InvalidInputError`.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str = "<lines>",
        line: int | None = None,
        code: str | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.code = code
        self.field = field
        self.value = value
        self.reason = reason
        where = source + (f" line {line}" if line is not None else "")
        where += f", dossier {code!r}" if code is not None else ""
        where += f", field {field!r}" if field else ""
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {"source": self.source, "line": self.line, "code": self.code}
        fields |= {"field": self.field, "value": self.value}
        return (_rebuild, (type(self), (self.reason,), fields))


def _rebuild(cls: type[Exception], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Exception:
    """Unpickle an error whose constructor takes keyword arguments."""
    return cls(*args, **kwargs)


class InputChangedError(TthcError, OSError):
    """An input file whose size or modification time changed while it was read: what was read
    may be a truncated or mixed version, so nothing computed from it can be trusted.

    Carries the ``path`` and the ``before`` and ``after`` (size in bytes, mtime in ns) pairs.
    """

    def __init__(self, path: str, before: tuple[int, int], after: tuple[int, int]) -> None:
        self.path = path
        self.before = before
        self.after = after
        super().__init__(
            f"{path} changed while it was read (size {before[0]:,} -> {after[0]:,} bytes, "
            f"modified time {'changed' if before[1] != after[1] else 'unchanged'}); "
            "read it again once it is complete"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.before, self.after))


class ReportError(TthcError):
    """A compliance-report problem."""


class RowRejectedError(ReportError, ValueError):
    """One interchange row that cannot be counted: names its line, column and reason."""

    def __init__(self, line: int, column: str | None, reason: str, code: str | None = None) -> None:
        self.line = line
        self.column = column
        self.reason = reason
        self.code = code
        where = f"line {line}" + (f", code {code!r}" if code else "")
        col = f", column {column!r}" if column else ""
        super().__init__(f"{where}{col}: {reason}")


class InputFormatError(ReportError, ValueError):
    """An input file that cannot be read at all (wrong format, missing required columns)."""


class PeriodError(ReportError, ValueError):
    """A reporting period that cannot be parsed or is empty."""


class ReconciliationError(ReportError):
    """Report totals that do not reconcile (received = resolved + pending)."""


class ProvisionalCalendarWarning(UserWarning):
    """A computation used a year after the last official notice.

    Statutory holidays of such a year are known, but the Prime Minister's swaps are not yet
    announced, so the result may change when the notice arrives.
    """


class OutputError(TthcError, OSError):
    """An output file that cannot be written, or that would overwrite an input file."""
