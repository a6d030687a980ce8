"""Annotated types shared by the models: UTC+7 datetimes, VND amounts and code formats."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from tthc._time import assume_vn

__all__ = [
    "AGENCY_ID_PATTERN",
    "EMAIL_PATTERN",
    "PROCEDURE_CODE_PATTERN",
    "VND",
    "AgencyId",
    "Email",
    "NonEmptyStr",
    "ProcedureCode",
    "VnDatetime",
]

VnDatetime = Annotated[dt.datetime, AfterValidator(assume_vn)]
"""A datetime normalised to UTC+7 (Asia/Ho_Chi_Minh).

Aware input in any zone is converted to UTC+7; **naive input is read as UTC+7 wall-clock
time** (:func:`tthc._time.assume_vn`), because one-stop software exports office-local times.
"""

VND = Annotated[int, Field(ge=0, strict=False)]
"""An amount in Vietnamese đồng: a whole number ≥ 0 (never a float; the đồng has no subunit)."""

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text with surrounding space removed that must not be empty."""

PROCEDURE_CODE_PATTERN = r"^[0-9]\.[0-9]{6}(?:(?:\.[0-9]{3}\.[0-9]{2}\.[0-9]{2})?\.[A-Z][0-9]{2})?$"
"""National procedure code (mã thủ tục hành chính) in the national procedure database.

``1.001193`` (national), ``1.001193.H38`` (province suffix) or ``1.001193.000.00.00.H38``
(the long form with the province's agency identifier, Decision 20/2020/QĐ-TTg).
"""

AGENCY_ID_PATTERN = r"^[0-9A-Z]+(?:\.[0-9A-Z]+)*$"
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
