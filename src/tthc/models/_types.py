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

from tthc._time import VN_OFFSET, VN_TZ

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


class _VnDatetimeSchema:
    """Core schema of :data:`VnDatetime`: a value already at +07:00 is accepted by
    pydantic-core alone (no Python call: the common case of ISO strings with an offset);
    anything else goes through :func:`to_vn`. JSON Schema: a plain ``date-time`` string."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Strict: a datetime, or an ISO 8601 text (JSON, or a Python str); never a number (read
        # by pydantic's lax mode as a Unix timestamp) nor a date (read as midnight).
        # A gate first: a text or a datetime (a number, read by pydantic's lax mode as a Unix
        # timestamp, and a date, read as midnight, are refused); then a value already at
        # +07:00 is accepted by pydantic-core alone, anything else goes through to_vn.
        # One error at the field itself, not one per union branch.
        kind, message = "vn_datetime", _VN_DATETIME_ERROR
        gate = core_schema.union_schema(
            [core_schema.str_schema(strict=True), core_schema.datetime_schema(strict=True)],
            mode="left_to_right",
            custom_error_type=kind,
            custom_error_message=message,
        )
        parsed = core_schema.union_schema(
            [
                core_schema.datetime_schema(tz_constraint=VN_OFFSET_SECONDS),
                core_schema.no_info_after_validator_function(to_vn, core_schema.datetime_schema()),
            ],
            mode="left_to_right",
            custom_error_type=kind,
            custom_error_message=message,
        )
        return core_schema.chain_schema([gate, parsed])

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": "date-time"}


VnDatetime = Annotated[dt.datetime, _VnDatetimeSchema]
"""A datetime normalised to UTC+7 (Asia/Ho_Chi_Minh): a ``datetime`` or an ISO 8601 text.

Aware input in any zone is converted to UTC+7; **naive input is read as UTC+7 wall-clock
time**, because one-stop software exports office-local times. See :func:`to_vn`. A number
(which pydantic would read as a Unix timestamp) and a ``date`` (which it would read as
midnight, moving a same-day or hour limit) are refused: an instant is never guessed.
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
