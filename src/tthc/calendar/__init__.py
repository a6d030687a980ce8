"""The working calendar and the deadline engine.

:class:`WorkingCalendar` knows the working days and office hours of Vietnamese civil servants
(``holidays.VN`` plus the bundled official notices and user overlays); :func:`due_at` and
:func:`compute_due` turn a receipt instant and a time limit into a due instant under a
:class:`DeadlinePolicy`.
"""

from __future__ import annotations

from tthc.calendar._calendar import CalendarDay, WorkingCalendar
from tthc.calendar._deadline import (
    DEFAULT_SAME_DAY_CUTOFF,
    DeadlinePolicy,
    DueDate,
    DueRule,
    compute_due,
    due_at,
    due_at_many,
    extend_for_pause,
)
from tthc.calendar._hours import (
    AFTERNOON_SESSION,
    DEFAULT_SESSIONS,
    HOURS_PER_WORKING_DAY,
    MORNING_SESSION,
    OfficeHours,
    ReceptionHours,
    Session,
)
from tthc.calendar._official import LAST_OFFICIAL_YEAR
from tthc.calendar._overlay import CalendarOverlay, DayKind, OverlayEntry

__all__ = [
    "AFTERNOON_SESSION",
    "DEFAULT_SAME_DAY_CUTOFF",
    "DEFAULT_SESSIONS",
    "HOURS_PER_WORKING_DAY",
    "LAST_OFFICIAL_YEAR",
    "MORNING_SESSION",
    "CalendarDay",
    "CalendarOverlay",
    "DayKind",
    "DeadlinePolicy",
    "DueDate",
    "DueRule",
    "OfficeHours",
    "OverlayEntry",
    "ReceptionHours",
    "Session",
    "WorkingCalendar",
    "compute_due",
    "due_at",
    "due_at_many",
    "extend_for_pause",
]
