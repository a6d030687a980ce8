"""The deadline engine: from a receipt instant and a time limit to a due instant.

The default :class:`DeadlinePolicy` implements the project's nine-point policy (see
``docs/calendar.md``), each point with its legal basis:

1. working days *N*: close of office on the *N*-th working day after the receipt date
   (Civil Code 2015 Art. 147: a limit starts the day after the event; Art. 148(1): it ends at
   the end of its last day);
2. an optional receipt cut-off (default: none);
3. working hours *N*: *N* working hours from the receipt instant;
4. same day, with a cut-off (default 15:00, as in Decree 118/2025/NĐ-CP Art. 18(2));
5. calendar days *N*: close of office on the date *N* days later, moved to the next working
   day when it is a day off (Civil Code 2015 Art. 148(5));
6. months *N*: the same-numbered day *N* months later, or the month's last day
   (Civil Code 2015 Art. 148(3)), then as 5;
7. an alternative *hours mode* for working days (one day = 8 working hours);
8. a supplement restarts the limit from the resubmission instant (Decree 118/2025/NĐ-CP
   Art. 19(5)); a pause pushes the due instant back by the working time paused;
9. one re-appointment at most (Decree 118/2025/NĐ-CP Art. 19(6)); the original due instant is
   kept for timeliness.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Final, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tthc._enums import TimeLimitUnit
from tthc._time import VN_TZ, require_aware
from tthc._timelimit import TimeLimit
from tthc.calendar._calendar import WorkingCalendar, from_local_us, local_us
from tthc.calendar._hours import HOURS_PER_WORKING_DAY
from tthc.errors import (
    InvalidInputError,
    InvalidLimitError,
    ReappointmentError,
    TimeLimitParseError,
)

__all__ = [
    "DEFAULT_SAME_DAY_CUTOFF",
    "DeadlinePolicy",
    "DueCache",
    "DueDate",
    "DueRule",
    "compute_due",
    "due_at",
    "due_at_many",
    "extend_for_pause",
]

DEFAULT_SAME_DAY_CUTOFF: Final = dt.time(15, 0)
"""15:00: a same-day dossier received later is due the next working day. The hour of the
same-day transfer rule of Decree 118/2025/NĐ-CP Art. 18(2) and of the usual "Trong ngày; sau
15 giờ thì trả kết quả trong ngày làm việc tiếp theo" wording."""


class DueRule(StrEnum):
    """Which rule of the policy produced a due instant (stable identifiers)."""

    WORKING_DAYS = "working_days"
    WORKING_DAYS_HOURS_MODE = "working_days_hours_mode"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"

    @property
    def basis(self) -> str:
        """The legal basis or convention of the rule."""
        return _BASIS[self]


_BASIS: Final = {
    DueRule.WORKING_DAYS: "Civil Code 2015 Art. 147 (starts the day after receipt), "
    "Art. 148(1) (ends at the close of the last day)",
    DueRule.WORKING_DAYS_HOURS_MODE: "hours mode: one working day = 8 working hours from the "
    "receipt instant (convention of existing one-stop software)",
    DueRule.WORKING_HOURS: "working hours from the receipt instant, across office sessions",
    DueRule.SAME_DAY: "same day: close of the receipt day if received by the cut-off, else of "
    "the next working day (Decree 118/2025/NĐ-CP Art. 18(2) cut-off hour)",
    DueRule.CALENDAR_DAYS: "Civil Code 2015 Art. 147, Art. 148(5) (a last day that is a day off "
    "moves to the next working day)",
    DueRule.MONTHS: "Civil Code 2015 Art. 148(3) (same-numbered day, or the month's last day), "
    "Art. 148(5)",
}


class DeadlinePolicy(BaseModel):
    """How a time limit becomes a due instant. ``DeadlinePolicy()`` is the default policy.

    Every option is named and documented; the defaults follow the Civil Code 2015 counting
    rules (Art. 147, 148) and Decree 118/2025/NĐ-CP.

    >>> DeadlinePolicy().working_days_mode
    'close_of_day'
    >>> DeadlinePolicy(receipt_cutoff="15:00").receipt_cutoff
    datetime.time(15, 0)
    """

    model_config = ConfigDict(frozen=True)

    working_days_mode: Literal["close_of_day", "hours"] = Field(
        default="close_of_day",
        description="Working-day limits: 'close_of_day' = close of office on the N-th working "
        "day after the receipt date (rule 1, Civil Code 2015 Art. 147); 'hours' = N × "
        "hours_per_day working hours from the receipt instant (rule 7, existing software).",
    )
    hours_per_day: int = Field(
        default=HOURS_PER_WORKING_DAY,
        ge=1,
        le=24,
        description="Working hours in one day of the hours mode (rule 7).",
    )
    receipt_cutoff: dt.time | Literal["office_close"] | None = Field(
        default=None,
        description="Rule 2: a receipt on a working day after this time (or after the office's "
        "closing time, 'office_close') counts as received on the next working day, for the "
        "limits counted in days (working days, calendar days, months). Default: none.",
    )
    same_day_cutoff: dt.time = Field(
        default=DEFAULT_SAME_DAY_CUTOFF,
        description="Rule 4: the cut-off of a same-day limit that does not state its own.",
    )
    roll_to_working_day: bool = Field(
        default=True,
        description="Rules 5–6: a last day that is not a working day moves to the next working "
        "day (Civil Code 2015 Art. 148(5)). If False, such a limit is due at the office's "
        "normal closing time on the day itself.",
    )

    @field_validator("receipt_cutoff", "same_day_cutoff", mode="after")
    @classmethod
    def _naive_time(cls, value: object) -> object:
        if isinstance(value, dt.time) and value.tzinfo is not None:
            raise ValueError("cut-off times are UTC+7 wall-clock times without a time zone")
        return value


_DEFAULT_POLICY: Final = DeadlinePolicy()


class DueDate(BaseModel):
    """A due instant with how it was computed, for receipt slips and audits.

    ``due_at`` stays the original due instant for timeliness (rule 9); a re-appointment is kept
    in ``reappointed_due_at``. ``calendar_fingerprint``, ``notice_set`` and ``calendar_as_of``
    say which calendar produced it: recompute on the same one with
    ``WorkingCalendar.vietnam(as_of=calendar_as_of)`` (with the same overlays).
    """

    model_config = ConfigDict(frozen=True)

    due_at: dt.datetime
    received_at: dt.datetime
    limit: TimeLimit
    rule: DueRule
    basis: str = Field(description="Legal basis or convention of the rule.")
    counted_from: dt.date | None = Field(
        default=None, description="Day-counted limits: the effective receipt date."
    )
    calendar_fingerprint: str
    notice_set: str | None = Field(
        default=None,
        description="The official notices behind the calendar (WorkingCalendar.notice_set).",
    )
    calendar_as_of: dt.date | None = Field(
        default=None,
        description="The date the calendar's notices were taken as of (None: every notice "
        "bundled with the tthc version that computed it).",
    )
    provisional: bool = Field(
        description="True if the computation reached a year after the last official notice."
    )
    reappointed_due_at: dt.datetime | None = None

    def restarted(
        self,
        at: dt.datetime,
        calendar: WorkingCalendar | None = None,
        policy: DeadlinePolicy | None = None,
    ) -> DueDate:
        """The full limit again from ``at``: a supplement completed (Decree 118/2025 Art. 19(5)).

        >>> first = compute_due(dt.datetime(2024, 3, 1, 9, 0, tzinfo=VN_TZ), "03 ngày làm việc")
        >>> first.restarted(dt.datetime(2024, 3, 5, 9, 0, tzinfo=VN_TZ)).due_at.date()
        datetime.date(2024, 3, 8)
        """
        return compute_due(at, self.limit, calendar, policy)

    def extended_for_pause(
        self,
        paused_at: dt.datetime,
        resumed_at: dt.datetime,
        calendar: WorkingCalendar | None = None,
    ) -> DueDate:
        """This due date pushed back by the working time between the two instants.

        >>> d = compute_due(dt.datetime(2024, 3, 1, 9, 0, tzinfo=VN_TZ), "03 ngày làm việc")
        >>> d.extended_for_pause(dt.datetime(2024, 3, 4, 13, 0, tzinfo=VN_TZ),
        ...                      dt.datetime(2024, 3, 5, 13, 0, tzinfo=VN_TZ)).due_at.isoformat()
        '2024-03-07T17:00:00+07:00'
        """
        cal = WorkingCalendar.vietnam() if calendar is None else calendar
        new = extend_for_pause(self.due_at, paused_at, resumed_at, cal)
        provisional = self.provisional or cal.is_provisional(new.date())
        return self.model_copy(
            update={
                "due_at": new,
                "calendar_fingerprint": cal.fingerprint,
                "notice_set": cal.notice_set,
                "calendar_as_of": cal.as_of,
                "provisional": provisional,
            }
        )

    def reappointed(self, new_due_at: dt.datetime) -> DueDate:
        """Record the single re-appointment allowed (Decree 118/2025/NĐ-CP Art. 19(6)).

        >>> d = compute_due(dt.datetime(2024, 3, 1, 9, 0, tzinfo=VN_TZ), "03 ngày làm việc")
        >>> r = d.reappointed(dt.datetime(2024, 3, 11, 17, 0, tzinfo=VN_TZ))
        >>> r.due_at.date(), r.reappointed_due_at.date()
        (datetime.date(2024, 3, 6), datetime.date(2024, 3, 11))

        Raises:
            ReappointmentError: a re-appointment is already recorded.
            InvalidInputError: the new instant is not after the original due instant.
        """
        if self.reappointed_due_at is not None:
            raise ReappointmentError(
                "only one re-appointment is allowed (Decree 118/2025/NĐ-CP Art. 19(6)); "
                f"this due date was already re-appointed to {self.reappointed_due_at.isoformat()}"
            )
        new = require_aware(new_due_at, "new_due_at")
        if new <= self.due_at:
            raise InvalidInputError(
                f"new_due_at={new.isoformat()} must be after the due instant "
                f"{self.due_at.isoformat()}"
            )
        return self.model_copy(update={"reappointed_due_at": new})

    @property
    def effective_due_at(self) -> dt.datetime:
        """The re-appointed instant if any, else :attr:`due_at`."""
        return self.reappointed_due_at or self.due_at

    def explain(self) -> str:
        """One line saying what was computed and why.

        >>> print(compute_due(dt.datetime(2024, 2, 7, 10, 0, tzinfo=VN_TZ), "02 ngày làm việc").explain())
        02 ngày làm việc from 2024-02-07 10:00 → 2024-02-16 17:00 (working_days: Civil Code 2015 Art. 147 (starts the day after receipt), Art. 148(1) (ends at the close of the last day))
        """
        flag = " [provisional]" if self.provisional else ""
        return (
            f"{self.limit} from {self.received_at:%Y-%m-%d %H:%M} → {self.due_at:%Y-%m-%d %H:%M}"
            f" ({self.rule.value}: {self.basis}){flag}"
        )


MAX_LIMIT_YEARS: Final = 10
"""The longest time limit the engine computes: ten years. Published procedures give limits of
hours, days or a few months (domain guide section 3); anything longer is a data error, and
refusing it before any date arithmetic keeps a typo ("1000000000 ngày") from overflowing."""

MAX_LIMIT_VALUE: Final[dict[TimeLimitUnit, int]] = {
    TimeLimitUnit.WORKING_HOURS: MAX_LIMIT_YEARS * 366 * 24,
    TimeLimitUnit.WORKING_DAYS: MAX_LIMIT_YEARS * 366,
    TimeLimitUnit.CALENDAR_DAYS: MAX_LIMIT_YEARS * 366,
    TimeLimitUnit.MONTHS: MAX_LIMIT_YEARS * 12,
    TimeLimitUnit.SAME_DAY: 1,
}
"""The largest value of each unit: :data:`MAX_LIMIT_YEARS` years of it."""


def _limit(limit: TimeLimit | str) -> TimeLimit:
    if isinstance(limit, str):
        try:
            limit = TimeLimit.parse(limit)
        except TimeLimitParseError as exc:
            raise InvalidLimitError(str(exc)) from exc
    if not isinstance(limit, TimeLimit):
        raise InvalidLimitError(
            f"limit={limit!r} must be a TimeLimit or its wording, e.g. '05 ngày làm việc'"
        )
    if not isinstance(limit.value, int) or limit.value < 1:
        raise InvalidLimitError(f"time limit {limit.value!r} {limit.unit}: must be at least 1")
    if not isinstance(limit.unit, TimeLimitUnit):
        raise InvalidLimitError(f"time limit unit {limit.unit!r} is not a TimeLimitUnit")
    largest = MAX_LIMIT_VALUE[limit.unit]
    if limit.value > largest:
        raise InvalidLimitError(
            f"time limit {limit}: more than {largest:,} {limit.unit.label_en} "
            f"({MAX_LIMIT_YEARS} years) is not a procedure's time limit"
        )
    return limit


def _compute(
    received_at: dt.datetime,
    limit: TimeLimit | str,
    calendar: WorkingCalendar | None,
    policy: DeadlinePolicy | None,
) -> tuple[dt.datetime, dt.datetime, TimeLimit, DueRule, dt.date | None, WorkingCalendar]:
    received = require_aware(received_at, "received_at")
    lim = _limit(limit)
    cal = WorkingCalendar.vietnam() if calendar is None else calendar
    pol = _DEFAULT_POLICY if policy is None else policy
    if not isinstance(cal, WorkingCalendar):
        raise InvalidInputError(f"calendar must be a WorkingCalendar, got {type(cal).__name__}")
    if not isinstance(pol, DeadlinePolicy):
        raise InvalidInputError(f"policy must be a DeadlinePolicy, got {type(pol).__name__}")
    unit, n = lim.unit, lim.value
    day = received.date()
    # Before any arithmetic: near year 9999 adding days or months would overflow first.
    cal._check_year(day.year, day, "received_at")

    if unit is TimeLimitUnit.WORKING_HOURS:
        due = cal.add_working_time(received, dt.timedelta(hours=n))
        return due, received, lim, DueRule.WORKING_HOURS, None, cal
    if unit is TimeLimitUnit.WORKING_DAYS and pol.working_days_mode == "hours":
        due = cal.add_working_time(received, dt.timedelta(hours=n * pol.hours_per_day))
        return due, received, lim, DueRule.WORKING_DAYS_HOURS_MODE, None, cal
    if unit is TimeLimitUnit.SAME_DAY:
        cutoff = lim.cutoff or pol.same_day_cutoff
        clock = received.time().replace(tzinfo=None)
        if cal.is_working_day(day) and clock <= cutoff:
            close = cal.closing_time(day)
            if received <= close:
                return close, received, lim, DueRule.SAME_DAY, day, cal
        due = cal.closing_time(cal.next_working_day(day))
        return due, received, lim, DueRule.SAME_DAY, day, cal

    # Limits counted in days: rule 2, the optional receipt cut-off.
    start = day
    if pol.receipt_cutoff is not None and cal.is_working_day(day):
        cutoff_at = (
            cal.closing_time(day)
            if pol.receipt_cutoff == "office_close"
            else dt.datetime.combine(day, pol.receipt_cutoff, tzinfo=VN_TZ)
        )
        if received > cutoff_at:
            start = cal.next_working_day(day)
    if unit is TimeLimitUnit.WORKING_DAYS:
        due_day = cal.add_working_days(start, n)
        return cal.closing_time(due_day), received, lim, DueRule.WORKING_DAYS, start, cal
    if unit is TimeLimitUnit.CALENDAR_DAYS:
        last = start + dt.timedelta(days=n)
        rule = DueRule.CALENDAR_DAYS
    elif unit is TimeLimitUnit.MONTHS:
        last = start + relativedelta(months=n)
        rule = DueRule.MONTHS
    else:  # pragma: no cover - every TimeLimitUnit is handled above
        raise InvalidLimitError(f"unknown time-limit unit {unit!r}")
    if cal.is_working_day(last):
        return cal.closing_time(last), received, lim, rule, start, cal
    if pol.roll_to_working_day:
        return cal.closing_time(cal.next_working_day(last)), received, lim, rule, start, cal
    normal_close = cal.office_hours.sessions_on(last.weekday())[-1].end
    return dt.datetime.combine(last, normal_close, tzinfo=VN_TZ), received, lim, rule, start, cal


def due_at(
    received_at: dt.datetime,
    limit: TimeLimit | str,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
) -> dt.datetime:
    """The due instant (aware, UTC+7) of a dossier received at ``received_at``.

    ``limit`` is a :class:`~tthc.TimeLimit` or its wording. ``calendar=None`` is the shared
    :meth:`WorkingCalendar.vietnam`; ``policy=None`` the default :class:`DeadlinePolicy`.

    >>> due_at(dt.datetime(2024, 2, 7, 10, 0, tzinfo=VN_TZ), "02 ngày làm việc").isoformat()
    '2024-02-16T17:00:00+07:00'

    Raises:
        NaiveDatetimeError: ``received_at`` has no UTC offset.
        InvalidLimitError: the limit is zero, negative, of an unknown unit or unreadable.
        DateOutOfBounds: a date outside the years the calendar can compute.
    """
    return _compute(received_at, limit, calendar, policy)[0]


def compute_due(
    received_at: dt.datetime,
    limit: TimeLimit | str,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
) -> DueDate:
    """Like :func:`due_at`, with how the due instant was computed.

    >>> d = compute_due(dt.datetime(2024, 2, 7, 10, 0, tzinfo=VN_TZ), "02 ngày làm việc")
    >>> d.due_at.isoformat(), d.rule.value, d.provisional
    ('2024-02-16T17:00:00+07:00', 'working_days', False)
    >>> d.notice_set
    'official notices announced by 2026-01-07'
    """
    due, received, lim, rule, counted_from, cal = _compute(received_at, limit, calendar, policy)
    # Every date the computation touches lies between the receipt and the due date, so the
    # result is provisional exactly when the due date is after the last official year. The
    # calendar has already emitted the ProvisionalCalendarWarning (no global warning state is
    # touched here, so this is safe in threads).
    provisional = cal.is_provisional(due.date())
    return DueDate(
        due_at=due,
        received_at=received,
        limit=lim,
        rule=rule,
        basis=rule.basis,
        counted_from=counted_from,
        calendar_fingerprint=cal.fingerprint,
        notice_set=cal.notice_set,
        calendar_as_of=cal.as_of,
        provisional=provisional,
    )


def due_at_many(
    received: Sequence[dt.datetime],
    limit: TimeLimit | str,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
) -> list[dt.datetime]:
    """:func:`due_at` for each receipt instant (one limit for all).

    >>> [d.day for d in due_at_many([dt.datetime(2024, 2, 7, 10, tzinfo=VN_TZ)] * 2, "02 ngày làm việc")]
    [16, 16]
    """
    lim = _limit(limit)
    return [_compute(r, lim, calendar, policy)[0] for r in received]


def extend_for_pause(
    due: dt.datetime,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    calendar: WorkingCalendar | None = None,
) -> dt.datetime:
    """``due`` pushed back by the working time between ``paused_at`` and ``resumed_at``.

    A pause (waiting for the applicant, financial obligations in land procedures) is not
    counted in the time limit; existing one-stop software measures it in working time.

    >>> extend_for_pause(dt.datetime(2024, 3, 8, 17, 0, tzinfo=VN_TZ),
    ...                  dt.datetime(2024, 3, 4, 15, 0, tzinfo=VN_TZ),
    ...                  dt.datetime(2024, 3, 5, 9, 0, tzinfo=VN_TZ)).isoformat()
    '2024-03-11T11:00:00+07:00'

    Raises:
        NaiveDatetimeError: an instant has no UTC offset.
        InvalidInputError: ``resumed_at`` is before ``paused_at``.
    """
    cal = WorkingCalendar.vietnam() if calendar is None else calendar
    due_vn = require_aware(due, "due")
    paused = require_aware(paused_at, "paused_at")
    resumed = require_aware(resumed_at, "resumed_at")
    if resumed < paused:
        raise InvalidInputError(
            f"resumed_at={resumed.isoformat()} is before paused_at={paused.isoformat()}"
        )
    spent = cal.working_time_between(paused, resumed)
    return cal.add_working_time(due_vn, spent) if spent else due_vn


_DAY_BASED: Final = frozenset(
    {TimeLimitUnit.WORKING_DAYS, TimeLimitUnit.CALENDAR_DAYS, TimeLimitUnit.MONTHS}
)
_US_PER_DAY: Final = 86_400_000_000
_LOCAL_EPOCH_DATE: Final = dt.date(1970, 1, 1)
_MAX_CACHED_DUES: Final = 200_000
"""Entries a :class:`DueCache` keeps before starting afresh (bounded memory)."""


def _time_us(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


class DueCache:
    """:func:`due_at` for many receipts, on integer instants (local microseconds, see
    :func:`tthc.calendar.local_us`): the fast path of the report's readers, which compute a due
    instant from ``time_limit`` for a third of the rows of a real export.

    A due instant counted in days (working days, calendar days, months, same day) depends on
    the receipt only through a few facts: its date, and whether it came after the cut-off
    (:attr:`DeadlinePolicy.receipt_cutoff`, or the same-day cut-off and the office's closing
    time of that date). The cache is keyed by exactly those facts — the rules of
    :func:`due_at`, which computes every miss, so there is one implementation of them — and
    receipts of the same day share one computation. Limits counted in working hours (and the
    hours mode) depend on the instant itself and are computed each time. The test-suite
    checks this against :func:`due_at` on random receipts.

    >>> from tthc.calendar import local_us, from_local_us
    >>> cache = DueCache()
    >>> received = local_us(dt.datetime(2024, 2, 7, 10, 0, 17))
    >>> from_local_us(cache.due(received, TimeLimit.parse("02 ngày làm việc"))).isoformat()
    '2024-02-16T17:00:00+07:00'

    Raises:
        InvalidLimitError, DateOutOfBounds: as :func:`due_at`.
    """

    def __init__(
        self, calendar: WorkingCalendar | None = None, policy: DeadlinePolicy | None = None
    ) -> None:
        self.calendar = WorkingCalendar.vietnam() if calendar is None else calendar
        self.policy = _DEFAULT_POLICY if policy is None else policy
        self._dues: dict[tuple[int, int, bool], int] = {}
        self._limits: dict[int, tuple[TimeLimit, int, int]] = {}
        self._days: dict[int, int | None] = {}  # day → the office's closing time, None: day off
        cutoff = self.policy.receipt_cutoff
        self._cutoff: int | None = None if cutoff in (None, "office_close") else _time_us(cutoff)  # type: ignore[arg-type]

    def _close(self, day: int) -> int | None:
        """The office's closing time of ``day`` (µs after midnight), ``None`` on a day off."""
        close = self._days.get(day, -1)
        if close == -1:
            date = _LOCAL_EPOCH_DATE + dt.timedelta(days=day)
            close = None
            if self.calendar.is_working_day(date):
                close = _time_us(self.calendar.closing_time(date).time())
            self._days[day] = close
        return close

    def _after_cutoff(self, day: int, tod: int, limit: TimeLimit) -> bool:
        """The fact of the receipt instant that can move its due instant: after the cut-off."""
        if limit.unit is TimeLimitUnit.SAME_DAY:
            close = self._close(day)
            cutoff = _time_us(limit.cutoff or self.policy.same_day_cutoff)
            return close is None or tod > cutoff or tod > close
        if self.policy.receipt_cutoff is None:
            return False
        close = self._close(day)
        if close is None:
            return False
        return tod > (close if self._cutoff is None else self._cutoff)

    def _kind(self, limit: TimeLimit) -> tuple[int, int]:
        """``(number of this limit in the cache, how its due instant depends on the receipt)``:
        0 by its date only, 1 by its date and whether it came after the cut-off, 2 by the
        instant itself (working hours, the hours mode)."""
        known = self._limits.get(id(limit))
        if known is None or known[0] is not limit:
            unit = limit.unit
            if unit is TimeLimitUnit.SAME_DAY:
                kind = 1
            elif unit in _DAY_BASED and not (
                unit is TimeLimitUnit.WORKING_DAYS and self.policy.working_days_mode == "hours"
            ):
                kind = 0 if self.policy.receipt_cutoff is None else 1
            else:
                kind = 2
            known = self._limits[id(limit)] = (limit, len(self._limits), kind)
        return known[1], known[2]

    def due(self, received_us: int, limit: TimeLimit) -> int:
        """The due instant of a dossier received at ``received_us``, in local microseconds."""
        number, kind = self._kind(limit)
        if kind == 2:
            return self._compute(received_us, limit)
        day, tod = divmod(received_us, _US_PER_DAY)
        after = kind == 1 and self._after_cutoff(day, tod, limit)
        key = (day, number, after)
        hit = self._dues.get(key)
        if hit is None:
            hit = self._compute(received_us, limit)
            if len(self._dues) >= _MAX_CACHED_DUES:
                self._dues.clear()
            self._dues[key] = hit
        return hit

    def _compute(self, received_us: int, limit: TimeLimit) -> int:
        due = _compute(from_local_us(received_us), limit, self.calendar, self.policy)[0]
        return local_us(due)
