"""Annotated types shared by the models: UTC+7 datetimes and code formats."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Final

from pydantic import (
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import TzInfo, core_schema

from tthc._time import VN_OFFSET, VN_TZ, end_of_day, read_iso

__all__ = [
    "AGENCY_ID_PATTERN",
    "EMAIL_PATTERN",
    "MODEL_CONFIG",
    "PROCEDURE_CODE_PATTERN",
    "AgencyId",
    "Email",
    "NonEmptyStr",
    "ProcedureCode",
    "VnDatetime",
    "VnDueDatetime",
    "schema_description",
    "to_vn",
]

_FIXED_OFFSET_TYPES = (dt.timezone, TzInfo)  # zones whose utcoffset(None) is their offset


def to_vn(value: dt.datetime) -> dt.datetime:
    """Normalise a datetime to UTC+7; a naive datetime is read as UTC+7 wall-clock time.

    The rule every datetime of the library follows, with fast paths for the common cases (this
    runs for every datetime of every dossier): a value that already has a fixed +07:00 offset
    is returned unchanged (its ``tzinfo`` may be pydantic's fixed-offset zone rather than
    :data:`tthc.VN_TZ`; both mean UTC+7).

    >>> to_vn(dt.datetime(2024, 3, 1, 8, 0)).isoformat()
    '2024-03-01T08:00:00+07:00'
    >>> to_vn(dt.datetime(2024, 3, 1, 1, 0, tzinfo=dt.timezone.utc)).isoformat()
    '2024-03-01T08:00:00+07:00'
    """
    tz = value.tzinfo
    if tz is None:
        # Positional construction: several times faster than value.replace(tzinfo=VN_TZ) on
        # CPython 3.11, and naive office-local times are the common case in exports.
        v = value
        return dt.datetime(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, VN_TZ)
    if type(tz) in _FIXED_OFFSET_TYPES and tz.utcoffset(None) == VN_OFFSET:
        return value
    if value.utcoffset() is None:  # a tzinfo that gives no offset: naive after all
        return to_vn(value.replace(tzinfo=None))
    return value.astimezone(VN_TZ)


VN_OFFSET_SECONDS = int(VN_OFFSET.total_seconds())


_VN_DATETIME_ERROR: Final = (
    "Input should be a valid ISO 8601 datetime (a naive one is read as UTC+7)"
)


def _to_vn_checked(value: dt.datetime) -> dt.datetime:
    """:func:`to_vn` for a model field: an instant outside the years 1-9999 once in UTC+7 is a
    validation error of the field, not an ``OverflowError`` escaping the model."""
    try:
        return to_vn(value)
    except OverflowError:
        raise ValueError("outside the years 1-9999 once converted to UTC+7") from None


def _iso_text(text: str) -> dt.datetime:
    """An ISO 8601 text pydantic's own parser does not read but ``tthc``'s reading
    (:func:`tthc._time.read_iso`) does, in UTC+7: an offset of hours alone (``+07``) or the
    basic format (``20240304T080000``), as the report's readers and the command line read them.
    A date alone is not taken here: an extended one is pydantic's (see :data:`VnDatetime`), a
    basic one (``20240304``) is refused by the gate."""
    value, date_alone = read_iso(text)
    if date_alone:
        raise ValueError("a date alone is read by pydantic's parser")
    return _to_vn_checked(value)


def _due_date_alone(text: str) -> dt.datetime:
    """A due date written as a date alone: the end of that day (:func:`tthc._time.end_of_day`,
    Civil Code 2015 Art. 148(1))."""
    return end_of_day(dt.date.fromisoformat(text))


_DATE_ALONE: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ISO_SHAPED: Final = r"[0-9]-[0-9]|[0-9][Tt][0-9]"
"""What every ISO 8601 date or instant text holds (a date's hyphen, or the basic format's
``T``) and a number never does: texts of digits alone (``"20240304"``, ``"1709539200"``) are
refused rather than read by pydantic's lax mode as Unix timestamps."""


class _VnDatetimeSchema:
    """Core schema of :data:`VnDatetime` (and, with ``due``, of :data:`VnDueDatetime`): a value
    already at +07:00 is accepted by pydantic-core alone (no Python call: the common case of ISO
    strings with an offset); anything else goes through :func:`to_vn`. JSON Schema: a plain
    ``date-time`` string."""

    due: bool = False

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # A gate first: an ISO-shaped text or a datetime (a number or a text of digits alone,
        # read by pydantic's lax mode as a Unix timestamp, and a date, read as midnight, are
        # refused); then a value already at +07:00 is accepted by pydantic-core alone,
        # anything else goes through to_vn, and the ISO texts pydantic's parser does not read
        # go through Python's (_iso_text). A due date written as a date alone is the end of
        # that day (tried before the start-of-day reading pydantic would give it). One error
        # at the field itself, not one per branch.
        kind, message = "vn_datetime", _VN_DATETIME_ERROR
        text = core_schema.str_schema(strict=True, pattern=_ISO_SHAPED)
        gate = core_schema.json_or_python_schema(
            # In JSON an instant is a text (strict datetime would take "20240301" there).
            json_schema=core_schema.custom_error_schema(
                text, custom_error_type=kind, custom_error_message=message
            ),
            python_schema=core_schema.union_schema(
                [text, core_schema.datetime_schema(strict=True)],
                mode="left_to_right",
                custom_error_type=kind,
                custom_error_message=message,
            ),
        )
        choices: list[core_schema.CoreSchema | tuple[core_schema.CoreSchema, str]] = [
            core_schema.datetime_schema(tz_constraint=VN_OFFSET_SECONDS)
        ]
        if cls.due:
            choices.append(
                core_schema.no_info_after_validator_function(
                    _due_date_alone, core_schema.str_schema(pattern=_DATE_ALONE)
                )
            )
        choices += [
            core_schema.no_info_after_validator_function(
                _to_vn_checked, core_schema.datetime_schema()
            ),
            core_schema.no_info_after_validator_function(_iso_text, core_schema.str_schema()),
        ]
        parsed = core_schema.union_schema(
            choices, mode="left_to_right", custom_error_type=kind, custom_error_message=message
        )
        return core_schema.chain_schema([gate, parsed])

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": "date-time"}


class _VnDueDatetimeSchema(_VnDatetimeSchema):
    """Core schema of :data:`VnDueDatetime`: :data:`VnDatetime`'s, a date alone being the end
    of that day."""

    due = True


VnDatetime = Annotated[dt.datetime, _VnDatetimeSchema]
"""A datetime normalised to UTC+7 (Asia/Ho_Chi_Minh): a ``datetime`` or an ISO 8601 text.

Aware input in any zone is converted to UTC+7; **naive input is read as UTC+7 wall-clock
time**, because one-stop software exports office-local times. See :func:`to_vn`. A number
or a text of digits alone (which pydantic would read as a Unix timestamp) and a ``date`` object
are refused: an instant is
never guessed. An ISO text holding a date alone (``2024-03-04``) is the start of that day, as in
the report's input; for a due date it is the end of that day (:data:`VnDueDatetime`). The ISO
texts the report's readers and the command line read are read here too, ``+07`` and
``20240304T080000`` included.
"""

VnDueDatetime = Annotated[dt.datetime, _VnDueDatetimeSchema]
"""A due instant (ngày hẹn trả): a :data:`VnDatetime`, except that an ISO text holding a date
alone stands for the **end of that day** (23:59:59.999999, UTC+7: Civil Code 2015 Art.
148(1)), as the report's readers read ``due_at``. A dossier resolved at any time on its due day
is on time.
"""

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text with surrounding space removed that must not be empty."""

PROCEDURE_CODE_PATTERN = r"^[0-9]\.[0-9]{6}(?:(?:\.[0-9]{3}\.[0-9]{2}\.[0-9]{2})?\.[A-Z][0-9]{2})?$"
"""National procedure code (mã thủ tục hành chính) in the national procedure database.

``1.001193`` (national), ``1.001193.H38`` (province suffix) or ``1.001193.000.00.00.H38``
(the long form with the province's agency identifier, Decision 20/2020/QĐ-TTg).
"""

_AGENCY_ID_BODY = r"[0-9A-Z]+(?:\.[0-9A-Z]+)*"
"""The agency identifier without anchors, for building larger patterns (the dossier code)."""

AGENCY_ID_PATTERN = f"^{_AGENCY_ID_BODY}$"
"""Agency identifier (mã định danh điện tử, Decision 20/2020/QĐ-TTg), e.g. ``000.17.22.H56``.

The usual form is four dot-separated groups; any upper-case alphanumeric groups separated by
dots are accepted so that older or ministry-level identifiers still validate.
"""

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
"""A deliberately simple e-mail shape check (``local@domain.tld``); no DNS lookups."""

ProcedureCode = Annotated[str, StringConstraints(pattern=PROCEDURE_CODE_PATTERN)]
"""A national procedure code, see :data:`PROCEDURE_CODE_PATTERN`."""

AgencyId = Annotated[str, StringConstraints(pattern=AGENCY_ID_PATTERN)]
"""An agency identifier, see :data:`AGENCY_ID_PATTERN`."""

Email = Annotated[str, StringConstraints(strip_whitespace=True, pattern=EMAIL_PATTERN)]
"""An e-mail address, shape-checked with :data:`EMAIL_PATTERN`."""


def schema_description(schema: dict[str, Any], cls: type[Any]) -> None:
    """JSON Schema hook: keep only the first paragraph of the class docstring as description.

    The rest of a docstring (examples, reST markup) is for Python readers, not web front ends.
    """
    doc = (cls.__doc__ or "").strip()
    if doc:
        schema["description"] = " ".join(doc.split("\n\n", 1)[0].split())


MODEL_CONFIG = ConfigDict(frozen=True, extra="forbid", json_schema_extra=schema_description)
"""Configuration of every ``tthc`` model: immutable, unknown keys refused (a typo in a record is
an error, never silently dropped), short JSON Schema descriptions."""
