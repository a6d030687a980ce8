"""The working calendar and the deadline engine (public home of these names).

:class:`WorkingCalendar` knows the working days and office hours of Vietnamese civil servants
(``holidays.VN`` plus the bundled official notices and user overlays); :func:`due_at` and
:func:`compute_due` turn a receipt instant and a :class:`TimeLimit` into a due instant under a
:class:`DeadlinePolicy`.

>>> import datetime as dt
>>> from tthc.calendar import VN_TZ, due_at
>>> due_at(dt.datetime(2024, 2, 7, 10, tzinfo=VN_TZ), "02 ngày làm việc").isoformat()
'2024-02-16T17:00:00+07:00'
"""

from __future__ import annotations

from tthc._enums import TimeLimitUnit
from tthc._public import publish
from tthc._time import VN_TZ
from tthc._timelimit import TimeLimit
from tthc.calendar._calendar import (
    LOCAL_EPOCH,
    CalendarDay,
    DayOff,
    DaysOff,
    WorkingCalendar,
    from_local_us,
    local_us,
)
from tthc.calendar._deadline import (
    DEFAULT_SAME_DAY_CUTOFF,
    MAX_LIMIT_VALUE,
    MAX_LIMIT_YEARS,
    DeadlinePolicy,
    DueCache,
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
    WEEKEND,
    OfficeHours,
    ReceptionHours,
    Session,
)
from tthc.calendar._official import (
    LAST_OFFICIAL_YEAR,
    OFFICIAL_DOCUMENTS,
    OFFICIAL_NOTICES,
    NoticeDocument,
    OfficialNotice,
)
from tthc.calendar._overlay import CALENDAR_YEARS, CalendarOverlay, DayKind, OverlayEntry

__all__ = [
    "AFTERNOON_SESSION",
    "CALENDAR_YEARS",
    "DEFAULT_SAME_DAY_CUTOFF",
    "DEFAULT_SESSIONS",
    "HOURS_PER_WORKING_DAY",
    "LAST_OFFICIAL_YEAR",
    "LOCAL_EPOCH",
    "MAX_LIMIT_VALUE",
    "MAX_LIMIT_YEARS",
    "MORNING_SESSION",
    "OFFICIAL_DOCUMENTS",
    "OFFICIAL_NOTICES",
    "VN_TZ",
    "WEEKEND",
    "CalendarDay",
    "CalendarOverlay",
    "DayKind",
    "DayOff",
    "DaysOff",
    "DeadlinePolicy",
    "DueCache",
    "DueDate",
    "DueRule",
    "NoticeDocument",
    "OfficeHours",
    "OfficialNotice",
    "OverlayEntry",
    "ReceptionHours",
    "Session",
    "TimeLimit",
    "TimeLimitUnit",
    "WorkingCalendar",
    "compute_due",
    "due_at",
    "due_at_many",
    "extend_for_pause",
    "from_local_us",
    "local_us",
]

publish(__name__, globals(), __all__)
