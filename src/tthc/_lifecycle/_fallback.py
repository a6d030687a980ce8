# TEMPORARY dev shim (not committed): stands in for the deadline engine until it lands.
import datetime as dt

from dateutil.relativedelta import relativedelta

from tthc._calendar import WorkingCalendar
from tthc._enums import TimeLimitUnit as U
from tthc._timelimit import TimeLimit


class DeadlinePolicy:
    pass


def due_at(received_at, limit, calendar=None, policy=None):
    cal = calendar or WorkingCalendar.vietnam()
    limit = TimeLimit.parse(limit)
    d = received_at.date()
    if limit.unit is U.WORKING_DAYS:
        return cal.closing_time(cal.add_working_days(d, limit.value))
    if limit.unit is U.WORKING_HOURS:
        return cal.add_working_time(received_at, dt.timedelta(hours=limit.value))
    if limit.unit is U.CALENDAR_DAYS:
        e = d + dt.timedelta(days=limit.value)
    elif limit.unit is U.MONTHS:
        e = d + relativedelta(months=limit.value)
    else:
        e = d
    if not cal.is_working_day(e):
        e = cal.next_working_day(e)
    return cal.closing_time(e)


def extend_for_pause(due, paused_at, resumed_at, calendar=None):
    cal = calendar or WorkingCalendar.vietnam()
    return cal.add_working_time(due, cal.working_time_between(paused_at, resumed_at))
