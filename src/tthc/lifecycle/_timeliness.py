"""Timeliness of a dossier as of any instant, per-step results, and working time used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from tthc._checks import check_type
from tthc._enums import EventKind
from tthc._rules import (
    DueComparison,
    Facts,
    ReportPolicy,
    Timeliness,
    facts_at,
    lateness_end,
    lookup,
)
from tthc._time import VN_TZ, require_aware
from tthc._timelimit import TimeLimit
from tthc.calendar import (
    HOURS_PER_WORKING_DAY,  # 1 day = 8 working hours
    DeadlinePolicy,
    WorkingCalendar,
    due_at,
    extend_for_pause,
)
from tthc.errors import LifecycleError
from tthc.lifecycle._state import DossierState, row_status_and_due
from tthc.lifecycle._states import LifecycleState

__all__ = [
    "StepLike",
    "StepResult",
    "Timeliness",
    "TimelinessResult",
    "WorkingDuration",
    "step_results",
    "timeliness",
    "working_time_used",
]

_HOUR = dt.timedelta(hours=1)
_MINUTE = dt.timedelta(minutes=1)


class WorkingDuration(NamedTuple):
    """A working-time duration shown as days, hours and minutes, 1 day = 8 working hours.

    >>> d = WorkingDuration.from_timedelta(dt.timedelta(hours=19, minutes=30))
    >>> d, str(d)
    (WorkingDuration(days=2, hours=3, minutes=30), '2 ngày 3 giờ 30 phút')
    >>> d.label_en, round(d.in_days, 4)
    ('2 days 3 hours 30 minutes', 2.4375)
    """

    days: int
    hours: int
    minutes: int

    @classmethod
    def from_timedelta(
        cls, delta: dt.timedelta, hours_per_day: int = HOURS_PER_WORKING_DAY
    ) -> WorkingDuration:
        """Split working time into days of ``hours_per_day`` hours, hours and whole minutes.

        :attr:`total` and :attr:`in_days` read the days back as 8-hour days, so they give
        ``delta`` back only for the default ``hours_per_day``.

        >>> WorkingDuration.from_timedelta(dt.timedelta(hours=8))
        WorkingDuration(days=1, hours=0, minutes=0)
        """
        if delta < dt.timedelta(0):
            raise LifecycleError(f"a working duration cannot be negative: {delta}")
        minutes = int(delta // _MINUTE)
        hours, minutes = divmod(minutes, 60)
        days, hours = divmod(hours, hours_per_day)
        return cls(days, hours, minutes)

    @property
    def total(self) -> dt.timedelta:
        """The working time as a :class:`~datetime.timedelta` (8-hour days)."""
        return dt.timedelta(hours=self.days * HOURS_PER_WORKING_DAY + self.hours) + (
            self.minutes * _MINUTE
        )

    @property
    def in_days(self) -> float:
        """The duration in working days (a fraction), e.g. for averages."""
        return self.total / (HOURS_PER_WORKING_DAY * _HOUR)

    def __str__(self) -> str:
        parts = [f"{self.days} ngày"] if self.days else []
        if self.hours or not (self.days or self.minutes):
            parts.append(f"{self.hours} giờ")
        if self.minutes:
            parts.append(f"{self.minutes} phút")
        return " ".join(parts)

    @property
    def label_en(self) -> str:
        """English wording, e.g. ``"1 day 2 hours"``."""
        out = []
        for n, word in ((self.days, "day"), (self.hours, "hour"), (self.minutes, "minute")):
            if n:
                out.append(f"{n} {word}{'s' if n != 1 else ''}")
        return " ".join(out) or "0 hours"


@dataclass(frozen=True, slots=True)
class TimelinessResult:
    """Timeliness of one dossier as of an instant (see :func:`timeliness`).

    ``due_at`` is the due instant the dossier is judged against — the one *before* any
    re-appointment (Decree 118/2025/NĐ-CP Art. 19(6)); ``reappointed_due_at`` is the new
    appointment, reported apart. ``overdue_by`` is set for late and overdue dossiers,
    ``remaining`` for open ones within time. ``clock_stopped`` is true while waiting for a
    supplement (the dossier is within time; its limit restarts in full).
    """

    code: str
    as_of: dt.datetime
    timeliness: Timeliness
    state: LifecycleState
    due_at: dt.datetime | None
    finished_at: dt.datetime | None = None
    reappointed_due_at: dt.datetime | None = None
    due_soon: bool = False
    overdue_by: WorkingDuration | None = None
    remaining: WorkingDuration | None = None
    clock_stopped: bool = False

    @property
    def with_apology(self) -> bool:
        """Late or overdue, with a re-appointment issued ("trễ hạn, đã xin lỗi")."""
        return self.timeliness.is_late and self.reappointed_due_at is not None

    @property
    def label_vi(self) -> str:
        """Vietnamese summary, e.g. ``"Quá hạn 2 ngày 3 giờ"`` or ``"Trong hạn (sắp đến hạn)"``.

        >>> r = TimelinessResult("X", dt.datetime(2024, 3, 1, tzinfo=VN_TZ),
        ...     Timeliness.OVERDUE, LifecycleState.PROCESSING, None,
        ...     overdue_by=WorkingDuration(2, 3, 0))
        >>> r.label_vi
        'Quá hạn 2 ngày 3 giờ'
        """
        text = self.timeliness.label_vi
        if self.overdue_by is not None:
            text += f" {self.overdue_by}"
        if self.due_soon:
            text += " (sắp đến hạn)"
        if self.clock_stopped:
            text += (
                " (chờ bổ sung, dừng tính thời gian)"
                if self.finished_at is None
                else " (kết thúc khi đang chờ bổ sung)"
            )
        if self.reappointed_due_at is not None:
            text += f" (đã xin lỗi, hẹn lại {self.reappointed_due_at:%d/%m/%Y %H:%M})"
        return text

    @property
    def label_en(self) -> str:
        """English summary."""
        text = self.timeliness.label_en
        if self.overdue_by is not None:
            text += f" by {self.overdue_by.label_en}"
        if self.due_soon:
            text += " (due soon)"
        if self.clock_stopped:
            text += (
                " (waiting for supplement, clock stopped)"
                if self.finished_at is None
                else " (finished while waiting for a supplement)"
            )
        if self.reappointed_due_at is not None:
            text += f" (with apology, re-appointed to {self.reappointed_due_at:%d/%m/%Y %H:%M})"
        return text


def _working_time(
    calendar: WorkingCalendar | None, start: dt.datetime, end: dt.datetime
) -> dt.timedelta:
    cal = calendar if calendar is not None else WorkingCalendar.vietnam()
    if end <= start:
        return dt.timedelta(0)
    return cal.working_time_between(start, end)


def _judge(
    calendar: WorkingCalendar | None, finished: dt.datetime, due: dt.datetime
) -> tuple[Timeliness, WorkingDuration | None]:
    """Early / on time / late of a step finished at ``finished`` against ``due``, by the same
    rules table as dossiers (:data:`tthc.report.TIMELINESS_RULES`: early if finished on a *date*
    before the due date, on time if finished by the due instant, late after it), with the
    working time late."""
    if finished.date() < due.date():
        comparison = DueComparison.EARLIER_DATE
    elif finished <= due:
        comparison = DueComparison.NOT_LATER
    else:
        comparison = DueComparison.LATER
    rule = lookup(Facts(True, False, False, False, False, comparison))
    verdict = _TIMELINESS_OF_CELL[rule.cell or ""]
    if verdict is Timeliness.LATE:
        return verdict, WorkingDuration.from_timedelta(_working_time(calendar, due, finished))
    return verdict, None


_TIMELINESS_OF_CELL = {t.cell: t for t in Timeliness}


def _as_of(as_of: dt.datetime | None) -> dt.datetime:
    """``as_of`` checked to be aware, or now (UTC+7) when it is ``None``."""
    return dt.datetime.now(VN_TZ) if as_of is None else require_aware(as_of, "as_of")


def timeliness(
    state: DossierState,
    as_of: dt.datetime | None = None,
    *,
    due_soon_within: dt.timedelta | None = None,
    report_policy: ReportPolicy | None = None,
) -> TimelinessResult:
    """Timeliness of a dossier as of ``as_of`` (default: now), ignoring later events.

    Decided by the rules table the report uses (:data:`tthc.report.TIMELINESS_RULES`, under
    ``report_policy``, default :class:`tthc.report.ReportPolicy()`), on the dossier's row as it
    stood then (:meth:`DossierState.record_fields`), so a report of the same dossiers for a
    period ending at ``as_of`` counts each one in the cell named here. In short: finished
    (completed, refused, withdrawn, closed; a returned result counts from its completion):
    **early** if finished on a date before the due date, **on time** if finished by the due
    instant, **late** otherwise, with ``overdue_by`` in working time; a withdrawal counts as
    the policy says (on time by default). Open: **within time** or **overdue**; within time and
    at most ``due_soon_within`` working time left (default
    :attr:`LifecyclePolicy.due_soon_horizon`) is "due soon". A dossier waiting for a supplement
    is within time (its clock is stopped, Decree 118/2025/NĐ-CP Art. 19(5)); one finished while
    waiting is on time, unless the supplement was requested after its due instant had passed
    (then it is late by the working time it was overdue at the request). A pause moves the due
    instant later by the working time paused. A re-appointed dossier is judged against the due
    date before the re-appointment (Art. 19(6)).

    >>> import tthc
    >>> t = lambda d, h: dt.datetime(2024, 3, d, h, tzinfo=VN_TZ)
    >>> s = tthc.replay([tthc.DossierEvent(kind="received", at=t(1, 8))], limit="03 ngày làm việc")
    >>> timeliness(s, t(6, 10)).label_vi
    'Trong hạn (sắp đến hạn)'
    >>> timeliness(s, t(8, 10)).label_vi
    'Quá hạn 1 ngày 2 giờ 30 phút'

    Raises:
        LifecycleError: a dossier not yet received, or without a time limit.
        NaiveDatetimeError: a naive ``as_of``.
    """
    check_type(state, DossierState, "state", "a tthc.lifecycle.DossierState", optional=False)
    check_type(report_policy, ReportPolicy, "report_policy", "a tthc.report.ReportPolicy or None")
    when = _as_of(as_of)
    s = state.at(when)
    if s.state is LifecycleState.NEW:
        raise LifecycleError(f"dossier {state.code}: not received as of {when:%d/%m/%Y %H:%M}")
    if s.limit is None:
        raise LifecycleError(
            f"dossier {state.code}: no time limit given, so its timeliness is unknown"
        )
    horizon = due_soon_within if due_soon_within is not None else s.rules.due_soon_horizon
    cal = s.calendar
    # The row's status and due instant, as record_fields gives them (the same expressions).
    status, row_due = row_status_and_due(s)
    assert status is not None  # received (checked above)
    assert row_due is not None  # with a time limit (checked above)
    facts, due = facts_at(
        when,
        status=status,
        due_at=row_due,
        finished_at=s.finished_at,
        supplement_requests=s.supplement_requests,
        supplement_requested_at=s.last_supplement_requested_at,
        supplement_received_at=s.last_supplement_received_at,
        paused_at=s.paused_at,
        calendar=cal,
    )
    verdict = _TIMELINESS_OF_CELL[lookup(facts, report_policy).cell or ""]
    common: dict[str, Any] = {
        "code": s.code,
        "as_of": when,
        "state": s.state,
        "reappointed_due_at": s.reappointed_due_at,
        "timeliness": verdict,
        "clock_stopped": facts.clock_stopped,
    }
    if facts.clock_stopped and not facts.stopped_after_due:
        # Waiting for the applicant (or finished while waiting, asked for in time): the clock
        # was stopped, so there is no due instant to show; it restarts in full.
        return TimelinessResult(due_at=None, finished_at=s.finished_at, **common)
    if facts.clock_stopped:
        # Asked for after the due instant had passed: late (or overdue) by the working time it
        # was overdue when the clock stopped.
        stopped = lateness_end(facts, when, s.finished_at, s.last_supplement_requested_at)
        return TimelinessResult(
            due_at=row_due,
            finished_at=s.finished_at,
            overdue_by=_late_by(cal, row_due, stopped) if verdict.is_late else None,
            **common,
        )
    if facts.finished:
        finished = s.finished_at
        assert finished is not None
        end = lateness_end(facts, when, finished, s.last_supplement_requested_at)
        late = _late_by(cal, due, end) if verdict is Timeliness.LATE else None
        return TimelinessResult(due_at=due, finished_at=finished, overdue_by=late, **common)
    if verdict is Timeliness.WITHIN_TIME:
        left = _working_time(cal, when, due)
        return TimelinessResult(
            due_at=due,
            due_soon=left <= horizon,
            remaining=WorkingDuration.from_timedelta(left),
            **common,
        )
    return TimelinessResult(due_at=due, overdue_by=_late_by(cal, due, when), **common)


def _late_by(
    calendar: WorkingCalendar | None, due: dt.datetime, end: dt.datetime
) -> WorkingDuration | None:
    """Working time from ``due`` to ``end`` (``None`` when ``end`` is not after ``due``: a
    dossier counted late by policy without being past its due instant)."""
    if end <= due:
        return None
    return WorkingDuration.from_timedelta(_working_time(calendar, due, end))


def _waits(
    state: DossierState, end: dt.datetime, *, pauses: bool
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Intervals spent waiting for the applicant (supplement; and pauses if asked), clipped."""
    out: list[tuple[dt.datetime, dt.datetime]] = []
    start: dt.datetime | None = None
    for ev in state.events:
        k = ev.kind
        if k is EventKind.SUPPLEMENT_REQUESTED or (pauses and k is EventKind.PAUSED):
            start = ev.at
        elif start is not None and (
            k in (EventKind.SUPPLEMENT_RECEIVED, EventKind.RESUMED)
            or k in (EventKind.REFUSED, EventKind.WITHDRAWN)
        ):
            out.append((start, ev.at))
            start = None
    if start is not None:
        out.append((start, state.finished_at or end))
    return [(a, min(b, end)) for a, b in out if a < end]


def working_time_used(state: DossierState, as_of: dt.datetime | None = None) -> dt.timedelta:
    """Working time the agency actually used, from receipt to the result (or ``as_of``).

    Time waiting for the applicant's supplement is left out (national portal practice for the
    Decision 766/QĐ-TTg indicator 2.2 "average processing time"); pauses are left out too when
    :attr:`LifecyclePolicy.deduct_pauses` is true (the default: e.g. "không tính thời gian
    thực hiện nghĩa vụ tài chính"). Divide by 8 hours for working days
    (:class:`WorkingDuration`).

    >>> import tthc
    >>> t = lambda d, h: dt.datetime(2024, 3, d, h, tzinfo=VN_TZ)
    >>> s = tthc.replay([tthc.DossierEvent(kind="received", at=t(4, 8)),
    ...     tthc.DossierEvent(kind="supplement_requested", at=t(4, 10)),
    ...     tthc.DossierEvent(kind="supplement_received", at=t(6, 8)),
    ...     tthc.DossierEvent(kind="completed", at=t(6, 11))], limit="05 ngày làm việc")
    >>> working_time_used(s)
    datetime.timedelta(seconds=18000)
    """
    if state.received_at is None:
        raise LifecycleError(f"dossier {state.code}: not received, no working time used")
    end = state.finished_at
    if end is None:
        end = _as_of(as_of)
    elif as_of is not None:
        end = min(end, require_aware(as_of, "as_of"))
    cal = state.calendar
    total = _working_time(cal, state.received_at, end)
    for a, b in _waits(state, end, pauses=state.rules.deduct_pauses):
        total -= _working_time(cal, a, b)
    return max(total, dt.timedelta(0))


@dataclass(frozen=True, slots=True)
class StepResult:
    """One row of the control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ).

    ``agency`` received the dossier at ``started_at`` and handed it over (or produced the
    result) at ``ended_at``; ``budget`` is its own time limit from the procedure's steps and
    ``due_at`` the instant it applies to (moved later by pauses and supplement waits inside the
    step). ``timeliness`` is early / on time / late for a finished step, within time / overdue
    for the step in progress, ``None`` when the step has no budget.
    """

    index: int
    name: str | None
    agency: str | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    budget: TimeLimit | None
    due_at: dt.datetime | None
    timeliness: Timeliness | None
    overdue_by: WorkingDuration | None = None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    name = getattr(value, "name", None)
    return str(name) if name is not None else str(value)


class StepLike(Protocol):
    """What :func:`step_results` reads of a step: a :class:`tthc.models.Step`, or any object
    with these attributes (``name`` and ``agency`` are shown as text, an agency by its
    ``name``)."""

    @property
    def name(self) -> object: ...

    @property
    def agency(self) -> object: ...

    @property
    def time_budget(self) -> TimeLimit | str | None: ...


def step_results(
    state: DossierState,
    steps: Sequence[StepLike] = (),
    as_of: dt.datetime | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
) -> tuple[StepResult, ...]:
    """Each agency's hand-over times and its own early / on-time / late result.

    Segments come from the timeline: the receiving agency holds the dossier from the receipt,
    and each ``transferred`` event hands it to the event's ``agency``; the last segment ends
    at completion, refusal or withdrawal. ``steps`` (the procedure's ``steps``: objects with
    ``name``, ``agency`` and ``time_budget``) are matched to the segments in order. A step's
    due instant is its budget from the hand-over instant via the deadline engine, moved later
    by the working time of pauses and supplement waits inside the step.

    >>> import tthc
    >>> t = lambda d, h: dt.datetime(2024, 3, d, h, tzinfo=VN_TZ)
    >>> s = tthc.replay([tthc.DossierEvent(kind="received", at=t(4, 8), agency="Một cửa"),
    ...     tthc.DossierEvent(kind="transferred", at=t(4, 14), agency="Tư pháp"),
    ...     tthc.DossierEvent(kind="completed", at=t(7, 9))], limit="05 ngày làm việc")
    >>> budgets = [("Tiếp nhận", "Một cửa", "01 ngày làm việc"),
    ...            ("Giải quyết", "Tư pháp", "03 ngày làm việc")]
    >>> steps = [type("Step", (), {"name": n, "agency": a, "time_budget": b})()
    ...          for n, a, b in budgets]
    >>> [(r.agency, r.timeliness.value) for r in step_results(s, steps, t(9, 8))]
    [('Một cửa', 'early'), ('Tư pháp', 'on_time')]
    """
    when = _as_of(as_of)
    s = state.at(when)
    cal = calendar if calendar is not None else s.calendar
    pol = policy if policy is not None else s.deadline_policy
    segments: list[tuple[dt.datetime, dt.datetime | None, str | None]] = []
    for ev in s.events:
        if ev.kind is EventKind.RECEIVED:
            segments.append((ev.at, None, ev.agency))
        elif ev.kind is EventKind.TRANSFERRED:
            start, _, agency = segments[-1]
            segments[-1] = (start, ev.at, agency)
            segments.append((ev.at, None, ev.agency))
    if segments and s.finished_at is not None:
        start, _, agency = segments[-1]
        segments[-1] = (start, s.finished_at, agency)
    waits = _waits(s, s.finished_at or when, pauses=True)
    out: list[StepResult] = []
    for i, (start, end, agency) in enumerate(segments):
        step = steps[i] if i < len(steps) else None
        raw_budget = getattr(step, "time_budget", None) if step is not None else None
        budget = TimeLimit.parse(raw_budget) if raw_budget is not None else None
        name = _text(getattr(step, "name", None)) if step is not None else None
        agency_name = agency if agency is not None else _text(getattr(step, "agency", None))
        if budget is None:
            out.append(StepResult(i + 1, name, agency_name, start, end, None, None, None))
            continue
        due = due_at(start, budget, cal, pol)
        stop = end if end is not None else when
        for a, b in waits:
            if start <= a < stop:
                due = extend_for_pause(due, a, min(b, stop), cal)
        verdict: Timeliness
        late: WorkingDuration | None = None
        if end is not None:
            verdict, late = _judge(cal, end, due)
        elif when <= due:
            verdict = Timeliness.WITHIN_TIME
        else:
            verdict = Timeliness.OVERDUE
            late = WorkingDuration.from_timedelta(_working_time(cal, due, when))
        out.append(StepResult(i + 1, name, agency_name, start, end, budget, due, verdict, late))
    return tuple(out)
