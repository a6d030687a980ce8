"""Exceptions and warnings raised by ``tthc``.

The tree (every error derives from :class:`TthcError`, so ``except tthc.TthcError`` catches
anything this library raises on purpose)::

    TthcError
    ├── InvalidInputError (also a ValueError)
    │   ├── NaiveDatetimeError         a datetime without a UTC offset where one is required
    │   ├── TimeLimitParseError        time-limit wording that cannot be read
    │   ├── FieldValidationError       values that fail validation, one ValidationIssue each
    │   │   ├── FormValidationError    declaration-form values that fail their FieldSpecs
    │   │   └── ModelValidationError   data that fails a tthc model (tthc.models.validate_model)
    │   ├── PortalRecordError          a national-portal dossier record that cannot be mapped
    │   └── InvalidLimitError          a zero, negative or otherwise unusable time limit
    ├── CalendarError
    │   ├── DateOutOfBounds            a date outside the years the calendar can compute
    │   ├── OverlayError               a calendar overlay file or entry that is invalid
    │   └── CalendarMembershipError    ``date in calendar`` (ambiguous; also a TypeError)
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
    │   ├── ReportArgumentError        an argument of a report method out of its range
    │   └── ReconciliationError        a report whose totals do not reconcile
    └── OutputError (also an OSError)  an output file that cannot be written, or would
                                       overwrite an input

    UserWarning
    └── ProvisionalCalendarWarning     a computation reached a year after the last official notice
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping as _Mapping
from dataclasses import dataclass as _dataclass
from dataclasses import field as _field
from typing import Any, Literal

from tthc._text import quoted

__all__ = [
    "CalendarError",
    "CalendarMembershipError",
    "CatalogError",
    "DateOutOfBounds",
    "EventLineError",
    "FieldValidationError",
    "FormValidationError",
    "InputChangedError",
    "InputFormatError",
    "InvalidInputError",
    "InvalidLimitError",
    "LifecycleError",
    "ModelValidationError",
    "NaiveDatetimeError",
    "OutputError",
    "OverlayError",
    "PeriodError",
    "PortalRecordError",
    "ProvisionalCalendarWarning",
    "ReappointmentError",
    "ReconciliationError",
    "ReportArgumentError",
    "ReportError",
    "RowRejectedError",
    "TimeLimitParseError",
    "TransitionError",
    "TthcError",
    "ValidationIssue",
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
            "e.g. tzinfo=tthc.VN_TZ (UTC+7), or use tthc.now() for the current instant"
        )


class TimeLimitParseError(InvalidInputError):
    """Time-limit wording (thời hạn giải quyết) that cannot be read."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"cannot read time limit {quoted(text)}: {reason}")


class InvalidLimitError(InvalidInputError):
    """A time limit that cannot be used: zero, negative, or of an unknown unit."""


Language = Literal["vi", "en"]
"""A language of user-facing messages: Vietnamese (``"vi"``) or English (``"en"``)."""
LANGUAGES: tuple[Language, ...] = ("vi", "en")


@_dataclass(frozen=True)
class ValidationIssue:
    """One problem with one field, for people and for programs.

    ``field`` is the field's name (a dotted path for nested model fields, e.g.
    ``applicant.phone``; ``""`` for the form as a whole); ``code`` is a stable identifier of the
    rule broken (``required``, ``citizen_id.length``…; the list is
    ``tthc.models.VALIDATION_CODES``), for front ends that word or place messages themselves;
    ``label_vi`` / ``label_en`` the field's labels; ``message_vi`` / ``message_en`` a sentence
    for the applicant in each language; ``value`` the value given (``None`` when missing);
    ``params`` what the messages quote (bounds, choices…).
    """

    field: str
    code: str
    label_vi: str
    label_en: str
    message_vi: str
    message_en: str
    value: object = None
    params: _Mapping[str, object] = _field(default_factory=dict)

    def message(self, lang: Language = "vi") -> str:
        """The message in ``lang`` (``"vi"`` or ``"en"``).

        Raises:
            InvalidInputError: an unknown language.
        """
        return self.message_vi if _language(lang) == "vi" else self.message_en

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``value`` as given, ``params`` as a plain dict)."""
        return {
            "field": self.field,
            "code": self.code,
            "label_vi": self.label_vi,
            "label_en": self.label_en,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "value": self.value,
            "params": dict(self.params),
        }


def _language(lang: object) -> Language:
    if lang == "vi":
        return "vi"
    if lang == "en":
        return "en"
    raise InvalidInputError(f"lang={lang!r}: expected one of {', '.join(LANGUAGES)}")


class FieldValidationError(InvalidInputError):
    """Values that fail validation: one :class:`ValidationIssue` per problem, in
    :attr:`issues`, with messages in Vietnamese and English (:meth:`messages`).

    The exception text (``str(err)``) is English, like every ``tthc`` error; show
    ``err.messages("vi")`` to applicants.
    """

    issues: tuple[ValidationIssue, ...]

    def messages(self, lang: Language = "vi") -> list[str]:
        """One message per issue, in ``lang`` (``"vi"``, the default, or ``"en"``).

        Raises:
            InvalidInputError: an unknown language.
        """
        lang = _language(lang)
        return [issue.message(lang) for issue in self.issues]

    def by_field(self, lang: Language = "vi") -> dict[str, list[str]]:
        """The messages grouped by field name (in the order the fields failed), for showing
        each message next to its field.

        Raises:
            InvalidInputError: an unknown language.
        """
        lang = _language(lang)
        out: dict[str, list[str]] = {}
        for issue in self.issues:
            out.setdefault(issue.field, []).append(issue.message(lang))
        return out

    def to_dicts(self) -> list[dict[str, Any]]:
        """Every issue as a JSON-ready dict (:meth:`ValidationIssue.to_dict`)."""
        return [issue.to_dict() for issue in self.issues]


class FormValidationError(FieldValidationError):
    """Declaration-form values that fail their field specifications.

    ``errors`` lists every bad field as ``(field name, label, reason)`` with an English reason
    (kept as in earlier versions); ``issues`` has the structured form of each problem, with a
    stable code and messages in Vietnamese and English (:meth:`messages`).
    """

    def __init__(
        self,
        procedure: str,
        errors: list[tuple[str, str, str]],
        issues: tuple[ValidationIssue, ...] | list[ValidationIssue] | None = None,
    ) -> None:
        self.procedure = procedure
        self.errors = errors
        if issues is None:  # built by hand from the old triples: keep the reason as given
            issues = [
                ValidationIssue(name, "invalid", label, label, reason, reason)
                for name, label, reason in errors
            ]
        self.issues = tuple(issues)
        lines = "; ".join(f"{name} ({label}): {reason}" for name, label, reason in errors)
        super().__init__(f"form of procedure {procedure} has {len(errors)} bad field(s): {lines}")


class ModelValidationError(FieldValidationError):
    """Data that fails a ``tthc`` model, from ``tthc.models.validate_model``: the model's name
    in ``model`` and one :class:`ValidationIssue` per problem (field path, code, labels,
    messages in Vietnamese and English)."""

    def __init__(
        self, model: str, issues: tuple[ValidationIssue, ...] | list[ValidationIssue]
    ) -> None:
        self.model = model
        self.issues = tuple(issues)
        lines = "; ".join(
            f"{i.field or '(record)'} ({i.label_en}): {i.message_en}" for i in self.issues
        )
        super().__init__(f"invalid {model}: {len(self.issues)} problem(s): {lines}")


class PortalRecordError(InvalidInputError):
    """A national-portal dossier record (``tthc.portal``) that cannot be read or mapped.

    Names the dossier (``record``: its MaHoSo, when known), the portal ``field`` (e.g.
    ``TrangThaiHoSo``, ``NgayHenTra``), the ``value`` and the reason; for an unknown status code
    the message names the status mapping to extend.
    """

    def __init__(
        self, field: str, reason: str, *, value: object = None, record: str | None = None
    ) -> None:
        self.field = field
        self.reason = reason
        self.value = value
        self.record = record
        where = f"portal record {record!r}" if record else "portal record"
        super().__init__(f"{where}, field {field}: {reason}")


class CalendarError(TthcError):
    """A working-calendar problem."""


class DateOutOfBounds(CalendarError, ValueError):  # noqa: N818 - name follows exchange_calendars
    """A date outside the years a calendar can compute.

    Carries the ``calendar`` name, the offending ``date`` (or year, when the argument was a
    year), the ``param`` it came from and the ``bounds``; the message names the date, not the
    parameter (a user of the CLI never saw that name).

    >>> print(DateOutOfBounds("VN", _dt.date(2101, 1, 1), "d", (1901, 2100)))
    the date 2101-01-01 is outside the years 1901–2100 that calendar 'VN' can compute
    """

    def __init__(
        self,
        calendar: str,
        date: _dt.date | int,
        param: str,
        bounds: tuple[int, int],
        *,
        result_of: str | None = None,
    ) -> None:
        self.calendar = calendar
        self.date = date
        self.param = param
        self.bounds = bounds
        what = (
            result_of
            if result_of is not None
            else f"the year {date} is"
            if isinstance(date, int)
            else f"the date {date.isoformat()} is"
        )
        super().__init__(
            f"{what} outside the years {bounds[0]}–{bounds[1]} that calendar {calendar!r} "
            "can compute"
        )


class OverlayError(CalendarError, ValueError):
    """A calendar overlay (official notice or local decision) that is invalid."""


class CalendarMembershipError(CalendarError, TypeError):
    """``date in calendar``: ambiguous (a working day? a day off?), so refused with the methods
    to use instead. Also a :class:`TypeError`, the error ``in`` raises for unsupported types."""


class CatalogError(TthcError):
    """A procedure catalogue that cannot be read, or a lookup it cannot answer.

    A failed lookup carries what was looked up: the procedure ``code`` or the ``domain``
    text (``None`` otherwise), so callers can react without parsing the message.

    >>> CatalogError("no procedure with code '9.999999' in the catalogue", code="9.999999").code
    '9.999999'
    """

    def __init__(self, message: str, *, code: str | None = None, domain: str | None = None) -> None:
        self.code = code
        self.domain = domain
        super().__init__(message)


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
        event: object = None,
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
    """One interchange row that cannot be counted: names its line, column and reason, and
    carries the dossier ``code`` and the offending cell's ``value`` when known."""

    def __init__(
        self,
        line: int,
        column: str | None,
        reason: str,
        code: str | None = None,
        *,
        value: str | None = None,
    ) -> None:
        self.line = line
        self.column = column
        self.reason = reason
        self.code = code
        self.value = value
        where = f"line {line}" + (f", code {quoted(code)}" if code else "")
        col = f", column {column!r}" if column else ""
        super().__init__(f"{where}{col}: {reason}")


class InputFormatError(ReportError, ValueError):
    """An input file that cannot be read at all (wrong format, missing required columns)."""


class PeriodError(ReportError, ValueError):
    """A reporting period that cannot be parsed or is empty.

    Carries the ``text`` given (the period's spelling, or the date) and the ``param`` it came
    from (``"period"``, ``"first_day"``, ``"last_day"``), so callers can react without parsing
    the message.

    >>> err = PeriodError("cannot read period 'Q5'", text="Q5", param="period")
    >>> err.text, err.param
    ('Q5', 'period')
    """

    def __init__(self, message: str, *, text: object = None, param: str | None = None) -> None:
        self.text = text
        self.param = param
        super().__init__(message)


class ReportArgumentError(ReportError, ValueError):
    """An argument of a report method outside the range it accepts (also a ValueError).

    Carries the ``param`` (the argument's name), the ``value`` given and the accepted range
    ``low``–``high`` (inclusive); ``option`` is the command-line option that sets it, if any.

    >>> raise ReportArgumentError("days", -1, 0, 73_048, option="--due-within")
    Traceback (most recent call last):
    ...
    tthc.errors.ReportArgumentError: days (--due-within) must be a whole number from 0 to 73048, got -1
    """

    def __init__(
        self, param: str, value: object, low: int, high: int, *, option: str | None = None
    ) -> None:
        self.param = param
        self.value = value
        self.low = low
        self.high = high
        self.option = option
        name = f"{param} ({option})" if option else param
        super().__init__(f"{name} must be a whole number from {low} to {high}, got {value!r}")


class ReconciliationError(ReportError):
    """Report totals that do not reconcile (received = resolved + pending)."""


class ProvisionalCalendarWarning(UserWarning):
    """A computation used a year after the last official notice.

    Statutory holidays of such a year are known, but the Prime Minister's swaps are not yet
    announced, so the result may change when the notice arrives.
    """


class OutputError(TthcError, OSError):
    """An output file that cannot be written, or that would overwrite an input file."""
