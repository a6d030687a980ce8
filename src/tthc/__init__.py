"""tthc: Vietnamese administrative procedures (thủ tục hành chính) as a Python library.

Typed models for procedures, declaration forms and dossiers (hồ sơ); a working-day deadline
engine on the Vietnamese civil-service calendar; and the quarterly compliance report
(Biểu số 06/VPCP/KSTT) built from dossier data.

The top level keeps the everyday names (``tthc.__all__``); everything else lives in the public
sub-packages, each the home of its names: :mod:`tthc.models`, :mod:`tthc.calendar`,
:mod:`tthc.lifecycle`, :mod:`tthc.report`, :mod:`tthc.catalog` and :mod:`tthc.errors`.
Modules whose names start with an underscore are private and may change without notice.

>>> import datetime as dt, tthc
>>> tthc.due_at(dt.datetime(2024, 2, 7, 10, tzinfo=tthc.VN_TZ), "02 ngày làm việc").date()
datetime.date(2024, 2, 16)
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING

from tthc._version import __version__

if TYPE_CHECKING:  # the names below are loaded on first use: see _HOMES and __getattr__
    from tthc import calendar as calendar
    from tthc import catalog as catalog
    from tthc import cli as cli
    from tthc import errors as errors
    from tthc import lifecycle as lifecycle
    from tthc import models as models
    from tthc import portal as portal
    from tthc import report as report
    from tthc._time import VN_TZ, now
    from tthc.calendar import TimeLimit, WorkingCalendar, compute_due, due_at
    from tthc.errors import (
        CalendarError,
        CatalogError,
        DateOutOfBounds,
        FormValidationError,
        InputFormatError,
        InvalidInputError,
        InvalidLimitError,
        LifecycleError,
        NaiveDatetimeError,
        OutputError,
        OverlayError,
        PeriodError,
        ProvisionalCalendarWarning,
        ReappointmentError,
        ReconciliationError,
        ReportError,
        RowRejectedError,
        TimeLimitParseError,
        TransitionError,
        TthcError,
    )
    from tthc.lifecycle import DossierState, lifecycle_of, replay, timeliness
    from tthc.models import Channel, Dossier, DossierEvent, DossierStatus, Procedure
    from tthc.report import Period, Report, ReportPolicy, build_report, demo_report

__all__ = [
    "VN_TZ",
    "CalendarError",
    "CatalogError",
    "Channel",
    "DateOutOfBounds",
    "Dossier",
    "DossierEvent",
    "DossierState",
    "DossierStatus",
    "FormValidationError",
    "InputFormatError",
    "InvalidInputError",
    "InvalidLimitError",
    "LifecycleError",
    "NaiveDatetimeError",
    "OutputError",
    "OverlayError",
    "Period",
    "PeriodError",
    "Procedure",
    "ProvisionalCalendarWarning",
    "ReappointmentError",
    "ReconciliationError",
    "Report",
    "ReportError",
    "ReportPolicy",
    "RowRejectedError",
    "TimeLimit",
    "TimeLimitParseError",
    "TransitionError",
    "TthcError",
    "WorkingCalendar",
    "__version__",
    "build_report",
    "compute_due",
    "demo_report",
    "due_at",
    "lifecycle_of",
    "now",
    "replay",
    "timeliness",
]

_HOMES: dict[str, str] = {
    "VN_TZ": "tthc._time",
    "now": "tthc._time",
    **dict.fromkeys(("TimeLimit", "WorkingCalendar", "compute_due", "due_at"), "tthc.calendar"),
    **dict.fromkeys(
        (
            "CalendarError",
            "CatalogError",
            "DateOutOfBounds",
            "FormValidationError",
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
        ),
        "tthc.errors",
    ),
    **dict.fromkeys(("DossierState", "lifecycle_of", "replay", "timeliness"), "tthc.lifecycle"),
    **dict.fromkeys(
        ("Channel", "Dossier", "DossierEvent", "DossierStatus", "Procedure"), "tthc.models"
    ),
    **dict.fromkeys(
        ("Period", "Report", "ReportPolicy", "build_report", "demo_report"), "tthc.report"
    ),
}
"""Where each name of :data:`__all__` is loaded from on first use (PEP 562).

``import tthc`` imports nothing but the version: a script that needs only the calendar does
not pay for the report, the lifecycle or the dossier models, and ``tthc --version`` starts at
once (``docs/benchmarks.md``, start-up). The first access to a
name imports its public sub-package — which gives every object its public home as
``__module__`` — and caches the name in this module, so later accesses cost nothing."""

_SUBPACKAGES = frozenset(
    {"calendar", "catalog", "cli", "errors", "lifecycle", "models", "portal", "report"}
)
"""The public sub-packages, reachable as attributes of ``tthc`` without importing them first
(``import tthc; tthc.report.read_csv(...)``)."""

MOVED: dict[str, str] = {
    "AFTERNOON_SESSION": "tthc.calendar",
    "AdministrativeLevel": "tthc.models",
    "Agency": "tthc.models",
    "ApologySlip": "tthc.lifecycle",
    "Applicant": "tthc.models",
    "CalendarDay": "tthc.calendar",
    "CalendarOverlay": "tthc.calendar",
    "ChannelOption": "tthc.models",
    "CitizenIdInfo": "tthc.models",
    "Component": "tthc.models",
    "ControlSheet": "tthc.lifecycle",
    "Counts": "tthc.report",
    "DEFAULT_DUE_SOON_HORIZON": "tthc.lifecycle",
    "DEFAULT_SAME_DAY_CUTOFF": "tthc.calendar",
    "DEFAULT_SESSIONS": "tthc.calendar",
    "DOSSIER_CODE_PATTERN": "tthc.models",
    "DayKind": "tthc.calendar",
    "DeadlinePolicy": "tthc.calendar",
    "Domain": "tthc.models",
    "DossierCodeGenerator": "tthc.models",
    "DossierCodeParts": "tthc.models",
    "DossierRecord": "tthc.report",
    "DueDate": "tthc.calendar",
    "DueRule": "tthc.calendar",
    "DuplicateCheck": "tthc.report",
    "EventKind": "tthc.models",
    "Fee": "tthc.models",
    "FieldConstraints": "tthc.models",
    "FieldSpec": "tthc.models",
    "FieldType": "tthc.models",
    "HOURS_PER_WORKING_DAY": "tthc.calendar",
    "LAST_OFFICIAL_YEAR": "tthc.calendar",
    "LIFECYCLE_TRANSITIONS": "tthc.lifecycle",
    "LabelledEnum": "tthc.models",
    "LegalDocument": "tthc.models",
    "LifecyclePolicy": "tthc.lifecycle",
    "LifecycleState": "tthc.lifecycle",
    "MORNING_SESSION": "tthc.calendar",
    "OfficeHours": "tthc.calendar",
    "OnlineServiceLevel": "tthc.models",
    "OverlayEntry": "tthc.calendar",
    "ReceiptSlip": "tthc.lifecycle",
    "ReceptionHours": "tthc.calendar",
    "RefusalSlip": "tthc.lifecycle",
    "Rejection": "tthc.report",
    "ReportBuilder": "tthc.report",
    "SUPPLEMENT_WINDOW_DAYS": "tthc.lifecycle",
    "Session": "tthc.calendar",
    "Slip": "tthc.lifecycle",
    "SlipKind": "tthc.lifecycle",
    "Step": "tthc.models",
    "StepResult": "tthc.lifecycle",
    "StoredTimeline": "tthc.lifecycle",
    "SubmittedComponent": "tthc.models",
    "SupplementRequestSlip": "tthc.lifecycle",
    "TimeLimitUnit": "tthc.calendar",
    "Timeliness": "tthc.lifecycle",
    "TimelinessResult": "tthc.lifecycle",
    "WorkingDuration": "tthc.lifecycle",
    "apply_event": "tthc.lifecycle",
    "build_report_columnar": "tthc.report",
    "build_report_dask": "tthc.report",
    "build_slip": "tthc.lifecycle",
    "classify": "tthc.report",
    "due_at_many": "tthc.calendar",
    "dump_events_jsonl": "tthc.lifecycle",
    "extend_for_pause": "tthc.calendar",
    "format_dossier_code": "tthc.models",
    "normalise_vn_phone": "tthc.models",
    "parse_citizen_id": "tthc.models",
    "parse_dossier_code": "tthc.models",
    "read_csv": "tthc.report",
    "read_jsonl": "tthc.report",
    "read_records": "tthc.report",
    "read_timelines_jsonl": "tthc.lifecycle",
    "records_from": "tthc.report",
    "render": "tthc.report",
    "render_html": "tthc.report",
    "render_xlsx": "tthc.report",
    "replay_jsonl": "tthc.lifecycle",
    "step_results": "tthc.lifecycle",
    "working_time_used": "tthc.lifecycle",
}
"""Names exported from ``tthc`` before version 0.2 that now live only in a sub-package:
``tthc.<name>`` still works for one release, with a :class:`DeprecationWarning` naming the new
home."""


def __getattr__(name: str) -> object:
    source = _HOMES.get(name)
    if source is not None:
        value = getattr(importlib.import_module(source), name)
        if name == "now":  # tthc.now reports tthc as its home
            from tthc._public import publish

            publish(__name__, {"now": value}, ["now"])
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    home = MOVED.get(name)
    if home is None:
        raise AttributeError(f"module 'tthc' has no attribute {name!r}")
    warnings.warn(
        f"tthc.{name} is deprecated and will be removed in tthc 0.3: import it from {home} "
        f"({home}.{name})",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBPACKAGES, *MOVED})
