"""The dossier state: applying events (pure), replaying timelines, and the due-date rules.

Hot path design: :func:`replay` folds events into a private *mutable* builder and freezes it
once at the end; :meth:`DossierState.apply` thaws, applies one event and freezes again. Both go
through the same ``_step`` function, so there is exactly one implementation of the rules. The
due date is computed lazily (and cached) from the clock start and the pauses, so applying an
event never calls the deadline engine except for the rare rules that need the due date
(re-appointment) or the supplement window.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from tthc._checks import check_type
from tthc._enums import Channel, DossierStatus, EventKind, TimeLimitUnit
from tthc._rules import due_in_force
from tthc._time import require_aware
from tthc._timelimit import TimeLimit
from tthc.calendar import (
    HOURS_PER_WORKING_DAY,
    DeadlinePolicy,
    WorkingCalendar,
    due_at,
    extend_for_pause,
)
from tthc.errors import InvalidInputError, LifecycleError, ReappointmentError, TransitionError
from tthc.lifecycle._states import LIFECYCLE_TRANSITIONS, LifecycleState
from tthc.models import DossierEvent

if TYPE_CHECKING:
    from tthc.models import Dossier

__all__ = [
    "DEFAULT_DUE_SOON_HORIZON",
    "SUPPLEMENT_WINDOW_DAYS",
    "DossierState",
    "LifecyclePolicy",
    "apply_event",
    "lifecycle_of",
    "replay",
]

SUPPLEMENT_WINDOW_DAYS = 15
"""Days the applicant has to bring the supplement before the dossier is closed.

Decree 118/2025/NĐ-CP Art. 19(5): "15 ngày" — see :class:`LifecyclePolicy` for how they count.
"""

DEFAULT_DUE_SOON_HORIZON = dt.timedelta(hours=HOURS_PER_WORKING_DAY)
"""Default "due soon" horizon: one working day (8 working hours) of working time before the due
instant, the convention of existing one-stop software."""

_ONE_DAY = dt.timedelta(days=1)

MAX_REAPPOINTMENTS = 1
"""Decree 118/2025/NĐ-CP Art. 19(6), 12(5): a dossier may be re-appointed only once."""


class LifecyclePolicy(BaseModel):
    """Named options of the lifecycle rules where the law leaves a choice.

    ``LifecyclePolicy()`` is the default policy.

    * ``supplement_window`` / ``supplement_window_unit``: the applicant has
      ``supplement_window`` days from the supplement request to bring the supplement; after
      that the dossier is closed (Decree 118/2025/NĐ-CP Art. 19(5)). The Decree says
      "15 ngày" — *days*, without "làm việc". The default counts **calendar days**, because
      Vietnamese legal drafting writes "ngày làm việc" whenever working days are meant (as the
      same Article does for the agency's 3 working days to ask for the supplement), and the
      Civil Code 2015 Art. 147–148 then applies: the window starts the day after the request
      and ends at the end of its last day, moved to the next working day when that day is off.
      Choose ``"working_days"`` for offices that count the window in working days. The window's
      end is computed by the deadline engine (:func:`tthc.due_at`), so it falls at the office's
      closing time.
    * ``due_soon_horizon``: an open dossier whose remaining working time is at most this is
      "due soon" (default 8 working hours = 1 working day).
    * ``deduct_pauses``: working time used (:func:`tthc.lifecycle.working_time_used`) leaves out pauses
      (e.g. waiting for the applicant's financial obligations) as well as supplement waits.

    >>> LifecyclePolicy().supplement_window, LifecyclePolicy().supplement_window_unit.value
    (15, 'calendar_days')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplement_window: int = Field(default=SUPPLEMENT_WINDOW_DAYS, ge=1)
    supplement_window_unit: Literal[TimeLimitUnit.CALENDAR_DAYS, TimeLimitUnit.WORKING_DAYS] = (
        TimeLimitUnit.CALENDAR_DAYS
    )
    due_soon_horizon: dt.timedelta = DEFAULT_DUE_SOON_HORIZON
    deduct_pauses: bool = True

    @property
    def supplement_limit(self) -> TimeLimit:
        """The supplement window as a :class:`~tthc.TimeLimit` for the deadline engine.

        >>> str(LifecyclePolicy(supplement_window=10).supplement_limit)
        '10 ngày'
        """
        return _window_limit(self.supplement_window, self.supplement_window_unit)


@functools.lru_cache(maxsize=64)
def _window_limit(value: int, unit: TimeLimitUnit) -> TimeLimit:
    # One TimeLimit per window, not one per replayed timeline (bounded cache).
    return TimeLimit(value=value, unit=unit)


_DEFAULT_RULES = LifecyclePolicy()


class _HasTimeLimit(Protocol):
    def time_limit_for(self, channel: Channel) -> TimeLimit: ...


class _Context:
    """What does not change along one dossier's timeline (shared by all its states)."""

    __slots__ = (
        "calendar",
        "code",
        "limit",
        "policy",
        "rules",
        "supplement_limit",
        "supplement_safe_days",
    )

    def __init__(
        self,
        code: str,
        limit: TimeLimit | None,
        calendar: WorkingCalendar | None,
        policy: DeadlinePolicy | None,
        rules: LifecyclePolicy | None,
    ) -> None:
        self.code = code
        self.limit = limit
        self.calendar = calendar
        self.policy = policy
        self.rules = rules if rules is not None else _DEFAULT_RULES
        self.supplement_limit = self.rules.supplement_limit
        # Calendar days after the request before which the window cannot have ended: a window
        # of N calendar days, or of N working days counted as whole days, ends on or after the
        # N-th calendar day. In the hours mode (N × hours_per_day working hours from the
        # request instant) it may end sooner, so every event is checked.
        whole_days = (
            self.supplement_limit.unit is TimeLimitUnit.CALENDAR_DAYS
            or policy is None
            or policy.working_days_mode != "hours"
        )
        self.supplement_safe_days = (
            self.supplement_limit.value * _ONE_DAY if whole_days else dt.timedelta(0)
        )


class _Builder:
    """Mutable accumulator used while folding events (never escapes this module)."""

    __slots__ = (
        "clock_start",
        "ctx",
        "events",
        "finished_at",
        "last_at",
        "last_request_at",
        "last_resubmission_at",
        "paused_at",
        "pauses",
        "reappointment",
        "received_at",
        "returned_at",
        "state",
        "supplement_at",
        "supplement_requests",
    )

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.state = LifecycleState.NEW
        self.events: list[DossierEvent] = []
        self.received_at: dt.datetime | None = None
        self.last_at: dt.datetime | None = None
        self.clock_start: dt.datetime | None = None
        self.pauses: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
        self.paused_at: dt.datetime | None = None
        self.supplement_at: dt.datetime | None = None
        self.supplement_requests = 0
        self.last_request_at: dt.datetime | None = None
        self.last_resubmission_at: dt.datetime | None = None
        self.reappointment: DossierEvent | None = None
        self.finished_at: dt.datetime | None = None
        self.returned_at: dt.datetime | None = None


def _legal_due(
    ctx: _Context,
    clock_start: dt.datetime | None,
    pauses: tuple[tuple[dt.datetime, dt.datetime], ...],
) -> dt.datetime | None:
    """Due instant: the full limit from the clock start, moved later by each pause.

    Decree 118/2025/NĐ-CP Art. 17(3) (clock starts at receipt), Art. 19(5) (restart after a
    supplement); pauses push the due date back by the working time paused (one-stop practice).
    """
    if clock_start is None or ctx.limit is None:
        return None
    due = due_at(clock_start, ctx.limit, ctx.calendar, ctx.policy)
    for paused, resumed in pauses:
        due = extend_for_pause(due, paused, resumed, ctx.calendar)
    return due


def _supplement_deadline(ctx: _Context, requested_at: dt.datetime) -> dt.datetime:
    return due_at(requested_at, ctx.supplement_limit, ctx.calendar, ctx.policy)


def _refuse(
    ctx: _Context,
    state: LifecycleState,
    event: DossierEvent,
    reason: str,
    cls: type[TransitionError] = TransitionError,
) -> TransitionError:
    allowed = state.allowed_events
    if cls is ReappointmentError:  # the one re-appointment is used up
        allowed = tuple(k for k in allowed if k is not EventKind.REAPPOINTED)
    text = ", ".join(k.value for k in allowed) if allowed else "none (end state)"
    exc = cls(
        f"dossier {ctx.code}: event {event.kind.value!r} at {event.at:%d/%m/%Y %H:%M} is not "
        f"allowed in state {state.value!r} ({state.label_vi}): {reason}; "
        f"allowed events: {text}",
        code=ctx.code,
        state=state,
        event=event,
        allowed=allowed,
    )
    return exc


_SUPPLEMENT_WAIT = LifecycleState.SUPPLEMENT_REQUESTED
_K_RECEIVED = EventKind.RECEIVED
_K_SUPP_REQ = EventKind.SUPPLEMENT_REQUESTED
_K_SUPP_REC = EventKind.SUPPLEMENT_RECEIVED
_K_PAUSED = EventKind.PAUSED
_K_RESUMED = EventKind.RESUMED
_K_REAPPOINTED = EventKind.REAPPOINTED
_K_RETURNED = EventKind.RESULT_RETURNED
_FINISHING = frozenset({EventKind.COMPLETED, EventKind.REFUSED, EventKind.WITHDRAWN})
# Plain dicts for the hot path (mappingproxy lookups are slower); same content as the table.
_TABLE = {state: dict(moves) for state, moves in LIFECYCLE_TRANSITIONS.items()}


def _not_an_event(code: str, value: object) -> InvalidInputError:
    return InvalidInputError(
        f"dossier {code}: expected a DossierEvent, got {type(value).__name__} "
        "(validate stored events with DossierEvent.model_validate or read_timelines_jsonl)"
    )


def _fold(b: _Builder, events: Iterable[DossierEvent]) -> _Builder:
    """Apply every event in turn; anything that is not a DossierEvent is refused by name.

    The hot loop does no ``isinstance`` check: a non-event fails on its first attribute
    access, which is turned into :class:`~tthc.InvalidInputError` here.
    """
    step = _step
    ev: object = None
    try:
        for ev in events:
            step(b, ev)
    except AttributeError:
        if isinstance(ev, DossierEvent):
            raise
        raise _not_an_event(b.ctx.code, ev) from None
    return b


def _step(b: _Builder, ev: DossierEvent) -> None:
    """Apply one event to the builder, or raise without touching it."""
    kind = ev.kind
    at = ev.at
    state = b.state
    if b.last_at is not None and at < b.last_at:
        raise _refuse(
            b.ctx,
            state,
            ev,
            f"it is earlier than the previous event at {b.last_at:%d/%m/%Y %H:%M}; "
            "events must be in time order",
        )
    if state is _SUPPLEMENT_WAIT:
        requested = b.supplement_at
        assert requested is not None
        # Fast path: before the calendar date that ends the shortest window nothing can expire.
        if at.date() - requested.date() >= b.ctx.supplement_safe_days:
            deadline = _supplement_deadline(b.ctx, requested)
            if at > deadline:
                raise _refuse(
                    b.ctx,
                    LifecycleState.CLOSED,
                    ev,
                    f"the dossier was closed at {deadline:%d/%m/%Y %H:%M} because the "
                    f"supplement was not received within {b.ctx.rules.supplement_window} "
                    f"{b.ctx.supplement_limit.unit.label_en} (Decree 118/2025/NĐ-CP Art. 19(5))",
                )
    nxt = _TABLE[state].get(kind)
    if nxt is None:
        raise _refuse(b.ctx, state, ev, "the state machine does not allow it")
    if kind is _K_RECEIVED:
        b.received_at = b.clock_start = at
    elif kind is _K_SUPP_REQ:
        b.supplement_at = b.last_request_at = at
        b.last_resubmission_at = None
        b.supplement_requests += 1
    elif kind is _K_SUPP_REC:
        # Decree 118/2025/NĐ-CP Art. 19(5): the full time limit restarts from this instant.
        b.clock_start = b.last_resubmission_at = at
        b.pauses = ()
        b.supplement_at = None
    elif kind is _K_PAUSED:
        b.paused_at = at
    elif kind is _K_RESUMED:
        assert b.paused_at is not None
        b.pauses = (*b.pauses, (b.paused_at, at))
        b.paused_at = None
    elif kind is _K_REAPPOINTED:
        _check_reappointment(b, ev)
        b.reappointment = ev
    elif kind in _FINISHING:
        b.finished_at = at
    elif kind is _K_RETURNED:
        b.returned_at = at
    b.state = nxt
    b.last_at = at
    b.events.append(ev)


def _check_reappointment(b: _Builder, ev: DossierEvent) -> None:
    """Decree 118/2025/NĐ-CP Art. 19(6), 12(5): one re-appointment, to a later date."""
    if b.reappointment is not None:
        first = b.reappointment
        raise _refuse(
            b.ctx,
            b.state,
            ev,
            f"the dossier was already re-appointed on {first.at:%d/%m/%Y} "
            f"(to {first.new_due_at:%d/%m/%Y %H:%M}); Decree 118/2025/NĐ-CP Art. 19(6) "
            f"allows only {MAX_REAPPOINTMENTS}",
            ReappointmentError,
        )
    new_due = ev.new_due_at
    if new_due is None:
        raise _refuse(b.ctx, b.state, ev, "a re-appointment needs new_due_at")
    due = _legal_due(b.ctx, b.clock_start, b.pauses)
    if due is not None and new_due <= due:
        raise _refuse(
            b.ctx,
            b.state,
            ev,
            f"the new appointment {new_due:%d/%m/%Y %H:%M} is not after the due date "
            f"{due:%d/%m/%Y %H:%M}",
        )


_set = object.__setattr__


class DossierState:
    """Where a dossier stands after its events: an immutable, slotted snapshot.

    Build one with :func:`replay` (a whole timeline), :func:`lifecycle_of` (a
    :class:`~tthc.Dossier`) or :meth:`DossierState.new`; move it on with :meth:`apply`, which
    returns a new state and never changes this one. The due date is derived from the events:

    * on receipt, the procedure's time limit from the receipt instant, through the deadline
      engine with the office's calendar and policy (Decree 118/2025/NĐ-CP Art. 17(3));
    * a supplement request stops the clock; the supplement's receipt restarts the **full** limit
      from that instant (Art. 19(5));
    * a pause moves the due date later by the working time paused
      (:func:`tthc.calendar.extend_for_pause`);
    * a re-appointment (Art. 19(6)) does not move it: timeliness is judged against the due date,
      and the new appointment is kept apart in :attr:`reappointed_due_at`.

    >>> import datetime as dt, tthc
    >>> at = lambda d, h=8: dt.datetime(2024, 3, d, h, tzinfo=tthc.VN_TZ)
    >>> s = tthc.DossierState.new("000.17.22.H56-240301-0001", "03 ngày làm việc")
    >>> s = s.apply(tthc.DossierEvent(kind="received", at=at(1)))
    >>> s.state.value, f"{s.due_at:%d/%m/%Y %H:%M}"
    ('received', '06/03/2024 17:00')
    >>> s.apply(tthc.DossierEvent(kind="result_returned", at=at(2)))
    Traceback (most recent call last):
    ...
    tthc.errors.TransitionError: dossier 000.17.22.H56-240301-0001: event 'result_returned' at 02/03/2024 08:00 is not allowed in state 'received' (Mới tiếp nhận): the state machine does not allow it; allowed events: transferred, supplement_requested, paused, reappointed, completed, refused, withdrawn
    """

    __slots__ = ("_d", "_due", "_events")

    _d: _Builder  # never mutated once frozen
    _due: dt.datetime | Literal[False] | None
    _events: tuple[DossierEvent, ...]

    @property
    def events(self) -> tuple[DossierEvent, ...]:
        """The events applied, in order."""
        return self._events

    @property
    def state(self) -> LifecycleState:
        """The current :class:`LifecycleState`."""
        return self._d.state

    @property
    def received_at(self) -> dt.datetime | None:
        """The receipt instant (``None`` before the receipt)."""
        return self._d.received_at

    @property
    def last_event_at(self) -> dt.datetime | None:
        """The instant of the last event; a new event may not be earlier."""
        return self._d.last_at

    @property
    def clock_started_at(self) -> dt.datetime | None:
        """The instant the current time limit runs from: the receipt, or the last supplement's
        receipt (Decree 118/2025/NĐ-CP Art. 19(5))."""
        return self._d.clock_start

    @property
    def pauses(self) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """Closed pauses since the clock started, as (paused, resumed) pairs."""
        return self._d.pauses

    @property
    def paused_at(self) -> dt.datetime | None:
        """Start of the pause in progress, if paused."""
        return self._d.paused_at

    @property
    def supplement_requested_at(self) -> dt.datetime | None:
        """Instant of the supplement request being waited on, if any."""
        return self._d.supplement_at

    @property
    def supplement_requests(self) -> int:
        """How many supplements were requested over the whole timeline."""
        return self._d.supplement_requests

    @property
    def last_supplement_requested_at(self) -> dt.datetime | None:
        """The instant of the last supplement request (``None`` if there was none), even once
        the supplement came back (report column ``supplement_requested_at``)."""
        return self._d.last_request_at

    @property
    def last_supplement_received_at(self) -> dt.datetime | None:
        """When the supplement of the last request came back (``None`` while still waiting, or
        without a request): report column ``supplement_received_at``."""
        return self._d.last_resubmission_at

    @property
    def reappointment(self) -> DossierEvent | None:
        """The re-appointment event, if any (at most one, Decree 118/2025/NĐ-CP Art. 19(6))."""
        return self._d.reappointment

    @property
    def finished_at(self) -> dt.datetime | None:
        """When the dossier was completed, refused, withdrawn or closed."""
        return self._d.finished_at

    @property
    def returned_at(self) -> dt.datetime | None:
        """When the result was returned to the applicant."""
        return self._d.returned_at

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"DossierState is immutable; cannot set {name!r}")

    def __copy__(self) -> DossierState:
        return self  # immutable: a copy is the state itself

    def __deepcopy__(self, memo: dict[int, object]) -> DossierState:
        return self

    def __reduce__(self) -> tuple[Callable[..., DossierState], tuple[object, ...]]:
        """Pickled as its builder's fields and events (to send states to worker processes).

        >>> import pickle, tthc
        >>> s = replay([tthc.DossierEvent(kind="received", at="2024-03-04 08:00")],
        ...            code="A-1", limit="03 ngày làm việc")
        >>> t = pickle.loads(pickle.dumps(s))
        >>> (t.code, t.state, t.due_at) == (s.code, s.state, s.due_at)
        True
        """
        d = self._d
        fields = {name: getattr(d, name) for name in _Builder.__slots__ if name != "events"}
        return (_unpickled, (fields, self._events))

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"DossierState is immutable; cannot delete {name!r}")

    @classmethod
    def new(
        cls,
        code: str,
        limit: TimeLimit | str | None,
        *,
        calendar: WorkingCalendar | None = None,
        policy: DeadlinePolicy | None = None,
        rules: LifecyclePolicy | None = None,
    ) -> DossierState:
        """The state of dossier ``code`` before any event (``new``).

        ``limit`` is the procedure's time limit for the dossier's channel
        (``procedure.time_limit_for(dossier.channel)``) or its wording; ``None`` leaves the
        due date unknown. ``calendar`` and ``policy`` go to the deadline engine
        (``None``: the shared Vietnamese calendar and the default :class:`~tthc.calendar.DeadlinePolicy`).

        >>> DossierState.new("X-240301-0001", "05 ngày làm việc").state
        <LifecycleState.NEW: 'new'>
        """
        return _freeze(_Builder(_context(code, limit, calendar, policy, rules)))

    # ---- events -------------------------------------------------------------------------

    def apply(self, event: DossierEvent) -> DossierState:
        """Return the state after ``event``; this state is not changed.

        >>> import datetime as dt, tthc
        >>> s = DossierState.new("X-240301-0001", "05 ngày làm việc")
        >>> s2 = s.apply(tthc.DossierEvent(kind="received", at=dt.datetime(2024, 3, 1, 8)))
        >>> s.state.value, s2.state.value
        ('new', 'received')

        Raises:
            InvalidInputError: ``event`` is not a :class:`~tthc.DossierEvent`.
            TransitionError: the event is not allowed in this state, or is earlier than the
                previous event; the message names the dossier code, the state, the event and
                the allowed events.
            ReappointmentError: a second re-appointment (Decree 118/2025/NĐ-CP Art. 19(6)).
        """
        if not isinstance(event, DossierEvent):
            raise _not_an_event(self.code, event)
        b = _thaw(self)
        _step(b, event)
        return _freeze(b)

    def apply_all(self, events: Iterable[DossierEvent]) -> DossierState:
        """Return the state after every event of ``events`` in turn.

        >>> import datetime as dt, tthc
        >>> s = DossierState.new("X-240301-0001", "05 ngày làm việc").apply_all([
        ...     tthc.DossierEvent(kind="received", at=dt.datetime(2024, 3, 1, 8)),
        ...     tthc.DossierEvent(kind="completed", at=dt.datetime(2024, 3, 4, 8))])
        >>> s.state.value
        'completed'
        """
        return _freeze(_fold(_thaw(self), events))

    # ---- derived facts -----------------------------------------------------------------

    @property
    def code(self) -> str:
        """The dossier code."""
        return self._d.ctx.code

    @property
    def limit(self) -> TimeLimit | None:
        """The time limit the due date is computed from."""
        return self._d.ctx.limit

    @property
    def calendar(self) -> WorkingCalendar | None:
        """The working calendar (``None``: the shared Vietnamese calendar)."""
        return self._d.ctx.calendar

    @property
    def deadline_policy(self) -> DeadlinePolicy | None:
        """The deadline policy (``None``: the default policy)."""
        return self._d.ctx.policy

    @property
    def rules(self) -> LifecyclePolicy:
        """The :class:`LifecyclePolicy` in force."""
        return self._d.ctx.rules

    @property
    def status(self) -> DossierStatus | None:
        """The :class:`~tthc.DossierStatus` of the current state (``None`` before receipt)."""
        return self.state.status

    @property
    def clock_running(self) -> bool:
        """True while the time limit runs: received, not finished, not waiting, not paused."""
        return (
            self.clock_started_at is not None
            and not self.state.is_finished
            and self.supplement_requested_at is None
            and self.paused_at is None
        )

    @property
    def due_at(self) -> dt.datetime | None:
        """The legal due instant (with closed pauses), against which timeliness is judged.

        ``None`` before receipt, without a time limit, and while waiting for a supplement
        (the clock is stopped and will restart in full, Decree 118/2025/NĐ-CP Art. 19(5)).
        A pause in progress is not included; see :meth:`due_at_as_of`.
        """
        if self.supplement_requested_at is not None:
            return None
        cached = self._due
        if cached is False:
            cached = _legal_due(self._d.ctx, self.clock_started_at, self.pauses)
            _set(self, "_due", cached)
        return cached

    def due_at_as_of(self, as_of: dt.datetime) -> dt.datetime | None:
        """The due instant as of ``as_of``, counting a pause in progress up to ``as_of``.

        >>> import datetime as dt, tthc
        >>> t = lambda d, h: dt.datetime(2024, 3, d, h, tzinfo=tthc.VN_TZ)
        >>> s = lifecycle_test_state = replay([
        ...     tthc.DossierEvent(kind="received", at=t(1, 8)),
        ...     tthc.DossierEvent(kind="paused", at=t(4, 8))], limit="03 ngày làm việc")
        >>> f"{s.due_at:%d/%m %H:%M}", f"{s.due_at_as_of(t(5, 8)):%d/%m %H:%M}"
        ('06/03 17:00', '07/03 17:00')
        """
        end = require_aware(as_of, "as_of")  # checked whatever the state
        due = self.due_at
        if due is None or self.paused_at is None:
            return due
        if self.finished_at is not None:
            end = min(end, self.finished_at)
        return due_in_force(due, self.paused_at, end, self._d.ctx.calendar)

    @property
    def reappointed_due_at(self) -> dt.datetime | None:
        """The new appointment of the re-appointment in force (moved later by pauses after it),
        if any.

        Reported apart: the dossier is still judged against :attr:`due_at`
        ("late, with apology"), Decree 118/2025/NĐ-CP Art. 19(6). A re-appointment made before
        a supplement restarted the time limit (Art. 19(5)) is no longer in force: the limit runs
        again in full from the resubmission, so its apology and date lapse (``None``).
        """
        ev = self.reappointment
        if ev is None or ev.new_due_at is None:
            return None
        start = self._d.clock_start
        if start is not None and ev.at < start:
            return None
        due = ev.new_due_at
        for paused, resumed in self.pauses:
            if paused >= ev.at:
                due = extend_for_pause(due, paused, resumed, self._d.ctx.calendar)
        return due

    @property
    def supplement_deadline(self) -> dt.datetime | None:
        """While waiting for a supplement: the instant the dossier closes if it does not come.

        Decree 118/2025/NĐ-CP Art. 19(5); counted as :class:`LifecyclePolicy` says. ``None``
        when not waiting — also once the dossier was refused or withdrawn while waiting: it
        already ended, so it cannot be closed any more.
        """
        if self.supplement_requested_at is None or self.state is not _SUPPLEMENT_WAIT:
            return None
        return _supplement_deadline(self._d.ctx, self.supplement_requested_at)

    def state_as_of(self, as_of: dt.datetime) -> LifecycleState:
        """The state at ``as_of``: ``closed`` once the supplement window has passed.

        >>> import datetime as dt, tthc
        >>> t = lambda m, d: dt.datetime(2024, m, d, 8, tzinfo=tthc.VN_TZ)
        >>> s = replay([tthc.DossierEvent(kind="received", at=t(3, 1)),
        ...             tthc.DossierEvent(kind="supplement_requested", at=t(3, 4))],
        ...            limit="05 ngày làm việc")
        >>> s.state_as_of(t(3, 10)).value, s.state_as_of(t(4, 10)).value
        ('supplement_requested', 'closed')
        """
        when = require_aware(as_of, "as_of")  # checked whatever the state
        deadline = self.supplement_deadline
        if deadline is not None and when > deadline:
            return LifecycleState.CLOSED
        return self.state

    def close_if_expired(self, as_of: dt.datetime) -> DossierState:
        """Return the state with the dossier ``closed`` if its supplement window passed by
        ``as_of`` (finished at the window's end); otherwise this state.

        >>> import datetime as dt, tthc
        >>> t = lambda m, d: dt.datetime(2024, m, d, 8, tzinfo=tthc.VN_TZ)
        >>> s = replay([tthc.DossierEvent(kind="received", at=t(3, 1)),
        ...             tthc.DossierEvent(kind="supplement_requested", at=t(3, 4))],
        ...            limit="05 ngày làm việc").close_if_expired(t(4, 10))
        >>> s.state.value, f"{s.finished_at:%d/%m/%Y %H:%M}"
        ('closed', '19/03/2024 17:00')
        """
        when = require_aware(as_of, "as_of")  # checked whatever the state
        deadline = self.supplement_deadline
        if deadline is None or when <= deadline:
            return self
        b = _thaw(self)
        b.state = LifecycleState.CLOSED
        b.finished_at = deadline
        b.last_at = deadline
        return _freeze(b)

    def at(self, as_of: dt.datetime) -> DossierState:
        """The state as it stood at ``as_of``: events after it ignored, and the dossier
        ``closed`` if its supplement window had passed by then (:meth:`close_if_expired`).

        >>> import datetime as dt, tthc
        >>> s = replay([tthc.DossierEvent(kind="received", at="2024-03-04 08:00"),
        ...             tthc.DossierEvent(kind="completed", at="2024-03-06 10:00")],
        ...            limit="03 ngày làm việc")
        >>> s.at(dt.datetime(2024, 3, 5, 12, tzinfo=tthc.VN_TZ)).state.value
        'received'

        Raises:
            NaiveDatetimeError: a naive ``as_of``.
        """
        when = require_aware(as_of, "as_of")
        state = self
        last = state.last_event_at
        if last is not None and when < last:
            state = _replay_prefix(state, [e for e in state.events if e.at <= when])
        return state.close_if_expired(when)

    def record_fields(self, as_of: dt.datetime | None = None) -> dict[str, Any]:
        """This dossier's columns of the report interchange format
        (``tthc.report.records_from``), as it stood at ``as_of`` (default: after every event).

        The row carries everything the timeliness rules look at, so that the report of a row
        and :func:`tthc.timeliness` of the state at the same instant always agree:
        ``code``, ``received_at``, ``status`` (a lapsed supplement window reads ``withdrawn``),
        ``due_at`` (the due instant in force: from the last (re)start of the clock, moved later
        by closed pauses; while waiting for a supplement, the one in force when the clock
        stopped), ``finished_at``, ``extended_due_at`` (the re-appointment in force),
        ``supplement_requests``, ``supplement_requested_at`` / ``supplement_received_at`` (the
        last request and its resubmission: a request without resubmission means the clock is
        stopped), ``paused_at`` (the start of a pause still open: the rules move the due
        instant later by the working time paused) and ``time_limit``. Add ``domain``,
        ``channel`` and the other columns from the dossier and procedure.

        >>> import datetime as dt, tthc
        >>> s = replay([tthc.DossierEvent(kind="received", at="2024-03-04 08:00"),
        ...             tthc.DossierEvent(kind="completed", at="2024-03-06 10:00")],
        ...            code="A-1", limit="03 ngày làm việc")
        >>> f = s.record_fields()
        >>> f["status"].value, f"{f['due_at']:%d/%m %H:%M}", f["time_limit"], f["paused_at"]
        ('completed', '07/03 17:00', '03 ngày làm việc', None)
        >>> s.record_fields(dt.datetime(2024, 3, 5, 12, tzinfo=tthc.VN_TZ))["status"].value
        'received'

        Raises:
            LifecycleError: the dossier is not received (by ``as_of``).
            NaiveDatetimeError: a naive ``as_of``.
        """
        s = self if as_of is None else self.at(as_of)
        if s.received_at is None:
            raise LifecycleError(f"dossier {self.code}: not received, no report row")
        status, due = row_status_and_due(s)
        return {
            "code": s.code,
            "received_at": s.received_at,
            "status": status,
            "due_at": due,
            "finished_at": s.finished_at,
            "extended_due_at": s.reappointed_due_at,
            "supplement_requests": s.supplement_requests,
            "supplement_requested_at": s.last_supplement_requested_at,
            "supplement_received_at": s.last_supplement_received_at,
            "paused_at": s.paused_at,
            "time_limit": str(s.limit) if s.limit is not None else None,
        }

    # ---- value semantics -----------------------------------------------------------------

    def _key(self) -> tuple[object, ...]:
        c = self._d.ctx
        return (
            c.code,
            c.limit,
            c.rules,
            c.calendar.fingerprint if c.calendar is not None else None,
            c.policy,
            self.state,
            self.events,
            self.finished_at,
            self.returned_at,
            self.last_event_at,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DossierState):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self._d.ctx.code, self.state, len(self.events), self.last_event_at))

    def __repr__(self) -> str:
        return (
            f"DossierState(code={self.code!r}, state={self.state.value!r}, "
            f"events={len(self.events)}, due_at={self.due_at!r})"
        )


_new = object.__new__


def row_status_and_due(state: DossierState) -> tuple[DossierStatus | None, dt.datetime | None]:
    """The ``status`` and ``due_at`` of the dossier's report row
    (:meth:`DossierState.record_fields`), which :func:`tthc.timeliness` judges too: one
    expression of each for both."""
    return state.state.status, _due_in_force(state)


def _due_in_force(state: DossierState) -> dt.datetime | None:
    """:attr:`DossierState.due_at`, or while waiting for a supplement the due instant that was
    in force when the clock stopped (the limit from the clock start, with closed pauses)."""
    due = state.due_at
    if due is None:
        d = state._d
        due = _legal_due(d.ctx, d.clock_start, d.pauses)
    return due


def _unpickled(fields: dict[str, object], events: tuple[DossierEvent, ...]) -> DossierState:
    """A state from what :meth:`DossierState.__reduce__` kept."""
    b = _new(_Builder)
    for name, value in fields.items():
        setattr(b, name, value)
    b.events = list(events)
    return _freeze(b)


def _freeze(b: _Builder) -> DossierState:
    """Wrap the builder in an immutable state; the builder must not be used afterwards."""
    s = _new(DossierState)
    _set(s, "_d", b)
    _set(s, "_due", False)
    _set(s, "_events", tuple(b.events))
    del b.events  # the state keeps the tuple only; _thaw makes a new list
    return s


def _thaw(s: DossierState) -> _Builder:
    d = s._d
    b = _new(_Builder)
    b.ctx = d.ctx
    b.state = d.state
    b.events = list(s._events)
    b.received_at = d.received_at
    b.last_at = d.last_at
    b.clock_start = d.clock_start
    b.pauses = d.pauses
    b.paused_at = d.paused_at
    b.supplement_at = d.supplement_at
    b.supplement_requests = d.supplement_requests
    b.last_request_at = d.last_request_at
    b.last_resubmission_at = d.last_resubmission_at
    b.reappointment = d.reappointment
    b.finished_at = d.finished_at
    b.returned_at = d.returned_at
    return b


def _context(
    code: str,
    limit: TimeLimit | str | None,
    calendar: WorkingCalendar | None,
    policy: DeadlinePolicy | None,
    rules: LifecyclePolicy | None,
) -> _Context:
    check_type(code, str, "code", "the dossier code (a string)", optional=False)
    check_type(limit, (TimeLimit, str), "limit", "a TimeLimit, its wording or None")
    check_type(calendar, WorkingCalendar, "calendar", "a tthc.calendar.WorkingCalendar or None")
    check_type(policy, DeadlinePolicy, "policy", "a tthc.calendar.DeadlinePolicy or None")
    check_type(rules, LifecyclePolicy, "rules", "a tthc.lifecycle.LifecyclePolicy or None")
    parsed = TimeLimit.parse(limit) if limit is not None else None
    return _Context(code, parsed, calendar, policy, rules)


def _replay_prefix(state: DossierState, events: Iterable[DossierEvent]) -> DossierState:
    """Replay ``events`` (a prefix of ``state``'s timeline) with ``state``'s code, limit,
    calendar and policies: the state as it stood after them."""
    return _freeze(_fold(_Builder(state._d.ctx), events))


def replay(
    events: Iterable[DossierEvent],
    *,
    code: str = "(unknown)",
    limit: TimeLimit | str | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    rules: LifecyclePolicy | None = None,
) -> DossierState:
    """Rebuild a dossier's state from its whole timeline (the first event is the receipt).

    The events must already be validated :class:`~tthc.DossierEvent` objects (validate at the
    boundary, e.g. :func:`tthc.read_events_jsonl`); replay itself does no per-event pydantic
    validation. Replaying the same events always gives an equal state.

    >>> import datetime as dt, tthc
    >>> t = lambda d, h: dt.datetime(2024, 3, d, h, tzinfo=tthc.VN_TZ)
    >>> s = replay([tthc.DossierEvent(kind="received", at=t(1, 8)),
    ...             tthc.DossierEvent(kind="completed", at=t(5, 9)),
    ...             tthc.DossierEvent(kind="result_returned", at=t(5, 10))],
    ...            code="000.17.22.H56-240301-0001", limit="03 ngày làm việc")
    >>> s.state.value, s.status.value, f"{s.due_at:%d/%m/%Y %H:%M}"
    ('result_returned', 'returned', '06/03/2024 17:00')

    Raises:
        TransitionError: at the first event not allowed (naming code, state, event, allowed).
        InvalidInputError: an item that is not a :class:`~tthc.DossierEvent`.
    """
    return _freeze(_fold(_Builder(_context(code, limit, calendar, policy, rules)), events))


def _limit_for(
    dossier: Dossier, procedure: _HasTimeLimit | None, limit: TimeLimit | str | None
) -> TimeLimit | str | None:
    if limit is not None:
        return limit
    if procedure is None:
        return None
    if not callable(getattr(procedure, "time_limit_for", None)):
        raise InvalidInputError(
            f"dossier {dossier.code}: procedure must be a procedure object (e.g. "
            f"tthc.catalog.get(code)) or None, got {type(procedure).__name__} {procedure!r:.60}"
        )
    code = getattr(procedure, "code", None)
    national = len("1.001193")  # the national part of a code (a province's suffix may follow)
    if (
        isinstance(code, str)
        and dossier.procedure_code
        and code[:national] != dossier.procedure_code[:national]
    ):
        raise InvalidInputError(
            f"dossier {dossier.code}: field procedure_code is {dossier.procedure_code}, but the "
            f"procedure given is {code}: its time limit would be the wrong one"
        )
    return procedure.time_limit_for(dossier.channel)


def _timeline(dossier: Dossier) -> tuple[DossierEvent, ...]:
    events = dossier.events
    if events and events[0].kind is EventKind.RECEIVED:
        if events[0].at != dossier.received_at:
            raise InvalidInputError(
                f"dossier {dossier.code}: field events[0].at ({events[0].at.isoformat()}) "
                f"differs from received_at ({dossier.received_at.isoformat()})"
            )
        return events
    return (DossierEvent(kind=EventKind.RECEIVED, at=dossier.received_at), *events)


def lifecycle_of(
    dossier: Dossier,
    procedure: _HasTimeLimit | None = None,
    *,
    limit: TimeLimit | str | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    rules: LifecyclePolicy | None = None,
) -> DossierState:
    """The :class:`DossierState` of a :class:`~tthc.Dossier`, replaying its events.

    The time limit is ``limit`` if given, else ``procedure.time_limit_for(dossier.channel)``.
    When the timeline does not start with a ``received`` event, one at ``received_at`` is
    assumed; when it does, its instant must equal ``received_at``.

    >>> import tthc
    >>> d = tthc.Dossier.model_validate({
    ...     "code": "000.17.22.H56-240301-0001", "procedure_code": "1.001193",
    ...     "applicant": {"name": "Trần Thị B"}, "channel": "direct",
    ...     "received_at": "2024-03-01 08:00"})
    >>> s = lifecycle_of(d, limit="03 ngày làm việc")
    >>> s.state.value, f"{s.due_at:%d/%m/%Y}"
    ('received', '06/03/2024')

    Raises:
        InvalidInputError: a receipt event that disagrees with ``received_at``; a
            ``procedure`` that is not a procedure object, or another than the dossier's
            ``procedure_code``.
        TransitionError: an event the state machine refuses.
    """
    return replay(
        _timeline(dossier),
        code=dossier.code,
        limit=_limit_for(dossier, procedure, limit),
        calendar=calendar,
        policy=policy,
        rules=rules,
    )


def apply_event(
    dossier: Dossier,
    event: DossierEvent,
    procedure: _HasTimeLimit | None = None,
    *,
    limit: TimeLimit | str | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    rules: LifecyclePolicy | None = None,
) -> Dossier:
    """Return a new :class:`~tthc.Dossier` with ``event`` appended and ``due_at`` updated.

    The input dossier is not changed (models are frozen). The event is checked against the
    state machine first.

    >>> import tthc
    >>> d = tthc.Dossier.model_validate({
    ...     "code": "000.17.22.H56-240301-0001", "procedure_code": "1.001193",
    ...     "applicant": {"name": "Trần Thị B"}, "channel": "direct",
    ...     "received_at": "2024-03-01 08:00"})
    >>> d2 = apply_event(d, tthc.DossierEvent(kind="supplement_requested", at="2024-03-04 09:00",
    ...                  reasons=("Bản sao giấy chứng sinh",)), limit="03 ngày làm việc")
    >>> len(d.events), len(d2.events), d2.due_at
    (0, 1, None)

    Raises:
        TransitionError: the event is not allowed (the dossier is returned unchanged).
    """
    state = lifecycle_of(
        dossier, procedure, limit=limit, calendar=calendar, policy=policy, rules=rules
    ).apply(event)
    return dossier.model_copy(update={"events": (*dossier.events, event), "due_at": state.due_at})
