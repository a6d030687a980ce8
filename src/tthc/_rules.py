"""The timeliness rules, stated once: which cell of Biểu số 06/VPCP/KSTT a dossier lands in.

Every engine derives its decision from the two ordered tables here:

* :data:`RECEIPT_RULES` — is the dossier in the period's table at all, and on which side of the
  "received" columns (carried over, new online, new in person or postal);
* :data:`TIMELINESS_RULES` — early / on time / late for a finished dossier, within time /
  overdue for a pending one, or kept apart (withdrawn, when the policy says so).

A rule is data: a name, the facts it requires (``{fact: value}``, all of them), the cell it
gives, and its source. The first rule whose conditions hold decides. The facts are few and
derived from a dossier *as it stood at an instant* (:class:`Facts`); conditions on the
:class:`~tthc.report.ReportPolicy` are written ``"policy.<field>"``. From the tables:

* the lifecycle's :func:`tthc.timeliness` decides with :func:`decide`;
* the streaming report looks the cell up in :func:`compile_rules` (a list indexed by the facts
  packed into a small integer: the same decision, one list index per row);
* the columnar (DuckDB) report runs the ``CASE`` expression :func:`rules_sql` writes from the
  same tables.

The tests check the compiled table and the SQL against :func:`decide` for every combination of
facts and policy.

Sources: Circular 01/2020/TT-VPCP (Biểu số 06/VPCP/KSTT: received, resolved early / on time /
late, pending within time / overdue); Decree 118/2025/NĐ-CP Art. 19(5) (a supplement request
stops the clock, the full limit restarts on resubmission), Art. 19(6) (one re-appointment, the
dossier is still judged against its due date: "late, with apology"), Art. 21 (withdrawal);
the domain guide sections 5–7 for the practice the policies choose between.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Final, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from tthc._enums import DossierStatus, LabelledEnum, register_labels
from tthc.calendar import WorkingCalendar, extend_for_pause

__all__ = [
    "CELL_OF_TIMELINESS",
    "END_OF_PROCESSING_RULES",
    "PORTAL_FORMULA_SOURCE",
    "PORTAL_FORMULA_VERSION",
    "PROGRESS_LATE",
    "PROGRESS_ON_TIME",
    "PROGRESS_RULES",
    "RECEIPT_RULES",
    "REPEATED_SUPPLEMENT_REQUESTS",
    "RULE_NAMES_VI",
    "TIMELINESS_RULES",
    "DueComparison",
    "EndFacts",
    "Facts",
    "ProgressFacts",
    "ProgressJudgement",
    "ReceiptFacts",
    "ReportPolicy",
    "Rule",
    "Timeliness",
    "compile_rules",
    "decide",
    "decide_progress",
    "decide_receipt",
    "due_in_force",
    "facts_at",
    "lateness_end",
    "limit_start_sql",
    "pack",
    "processing_seconds",
    "processing_seconds_sql",
    "progress_facts",
    "rule_label",
    "rules_sql",
]

REPEATED_SUPPLEMENT_REQUESTS: Final = 2
"""From how many supplement requests a dossier counts as late: "more than one", the number in
the national portal's rule for indicator 2.1 of the Decision 766/QĐ-TTg service index (domain
guide section 7, portal practice, not law). The portal states it for a dossier still waiting
for its supplement, and indicator 2.1 applies it so (:data:`PROGRESS_RULES`);
``ReportPolicy(repeated_supplement="late")`` extends that reading to resolved dossiers in
Biểu số 06, for an office that wants its form to follow it. (Decree 118/2025/NĐ-CP Art. 19(5)
provides for one request.)"""


class ReportPolicy(BaseModel):
    """The choices the law leaves open when counting, with the default of existing practice.

    The same policy decides a dossier's :func:`tthc.timeliness` and its cell in the report, so
    the two always agree.

    * ``withdrawn``: how a withdrawn or stopped dossier (công dân rút hồ sơ, dừng xử lý;
      Decree 118/2025/NĐ-CP Art. 21; also a dossier closed because its supplement never came)
      counts. ``"on_time"`` (default): resolved on time — the practice of one-stop software
      vendors (domain guide section 6); ``"exclude"``: kept apart in ``withdrawn_excluded`` so
      that received = resolved + pending + withdrawn; ``"by_date"``: judged by its end instant
      like any result (the national portal treats a withdrawal as an end state).
    * ``refused``: ``"classified"`` (only option, default): a refusal (Art. 19(3)) is a result,
      judged by its instant like any other, as the national portal treats "từ chối" as an end
      state.
    * ``measure_processing_time``: measure the working time from receipt to result of resolved
      dossiers (for the average, Decision 766/QĐ-TTg indicator 2.2) on the report's working
      calendar. Default ``True``. (Not a timeliness rule: it changes no cell.)
    * ``repeated_supplement``: a resolved dossier whose ``supplement_requests`` is more than one
      (:data:`REPEATED_SUPPLEMENT_REQUESTS`). ``"by_date"`` (default) judges it by its dates
      like any other, as the domain guide section 6 rules say; ``"late"`` counts it late
      (and late with apology if it had a re-appointment): the national portal's "more than
      one request counts late", which section 7 of the domain guide states for a dossier still
      waiting, extended to resolved ones — an interpretation, hence not the default. Withdrawn
      and pending dossiers are not affected.

    >>> ReportPolicy().withdrawn
    'on_time'
    >>> ReportPolicy(withdrawn="exclude").withdrawn
    'exclude'
    >>> ReportPolicy(repeated_supplement="late").repeated_supplement
    'late'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    withdrawn: Literal["on_time", "exclude", "by_date"] = Field(
        default="on_time",
        description="How a withdrawn/stopped dossier counts: resolved on time, kept apart, or "
        "judged by its end instant like any result.",
    )
    refused: Literal["classified"] = Field(
        default="classified", description="A refusal is a result, judged by its instant."
    )
    measure_processing_time: bool = Field(
        default=True, description="Measure working time to result, for the average."
    )
    repeated_supplement: Literal["by_date", "late"] = Field(
        default="by_date",
        description=(
            "How a resolved dossier with more than one supplement request counts: by its "
            "dates, or late (the portal's 'more than one request counts late', extended to "
            "resolved dossiers)."
        ),
    )


DEFAULT_POLICY: Final = ReportPolicy()


class Timeliness(LabelledEnum):
    """Timeliness of a dossier or a step: the cell of Biểu số 06/VPCP/KSTT it lands in.

    Finished: ``early`` (finished on a date before the due date), ``on_time`` (by the due
    instant), ``late`` (after it); ``withdrawn`` when the policy keeps withdrawn dossiers
    apart. Open: ``within_time`` or ``overdue``.

    >>> Timeliness.LATE.label_vi, Timeliness.WITHIN_TIME.is_finished
    ('Trễ hạn', False)
    >>> Timeliness.EARLY.cell
    'resolved_early'
    """

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    WITHIN_TIME = "within_time"
    OVERDUE = "overdue"
    WITHDRAWN = "withdrawn"

    @property
    def is_finished(self) -> bool:
        """True for the results of a finished dossier (early, on time, late, withdrawn)."""
        return self in (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE, Timeliness.WITHDRAWN)

    @property
    def is_late(self) -> bool:
        """True for ``late`` and ``overdue``."""
        return self in (Timeliness.LATE, Timeliness.OVERDUE)

    @property
    def cell(self) -> str:
        """The report counter this result is counted in (a :class:`~tthc.report.Counts` field)."""
        return CELL_OF_TIMELINESS[self]


register_labels(
    Timeliness,
    {
        "early": ("Trước hạn", "Early", ("sớm hạn",)),
        "on_time": ("Đúng hạn", "On time", ("đúng hẹn",)),
        "late": ("Trễ hạn", "Late", ("quá hạn đã giải quyết",)),
        "within_time": ("Trong hạn", "Within time", ("còn hạn",)),
        "overdue": ("Quá hạn", "Overdue", ("quá hạn chưa giải quyết",)),
        "withdrawn": ("Rút hồ sơ (để riêng)", "Withdrawn, kept apart", ()),
    },
)

CELL_OF_TIMELINESS: Final[Mapping[Timeliness, str]] = {
    Timeliness.EARLY: "resolved_early",
    Timeliness.ON_TIME: "resolved_on_time",
    Timeliness.LATE: "resolved_late",
    Timeliness.WITHIN_TIME: "pending_within_time",
    Timeliness.OVERDUE: "pending_overdue",
    Timeliness.WITHDRAWN: "withdrawn_excluded",
}
"""Each result's counter in the report (:class:`~tthc.report.Counts`)."""


class DueComparison(IntEnum):
    """Where the end of a dossier falls against its due instant (the fact the columns of
    Biểu số 06 turn on). The end is the finishing instant of a finished dossier, the as-of
    instant (the period's last instant) of a pending one."""

    EARLIER_DATE = 0
    """On a calendar date (UTC+7) before the due instant's date: "trước hạn"."""
    NOT_LATER = 1
    """On the due date, at or before the due instant."""
    LATER = 2
    """After the due instant."""


class Facts(NamedTuple):
    """What the timeliness rules look at, for one dossier as it stood at an instant.

    * ``finished``: it reached an end state (completed, refused, withdrawn, closed) by then;
    * ``withdrawn``: that end state is a withdrawal or stop (status ``withdrawn``);
    * ``clock_stopped``: it was waiting for the applicant's supplement then (or when it
      finished) — Decree 118/2025/NĐ-CP Art. 19(5): the clock does not run;
    * ``stopped_after_due``: the clock stopped after the due instant had already passed;
    * ``repeated_supplement``: it had :data:`REPEATED_SUPPLEMENT_REQUESTS` or more requests;
    * ``end_vs_due``: its end (finish, or the as-of instant) against the due instant in force
      (moved later by pauses, up to the end).
    """

    finished: bool
    withdrawn: bool
    clock_stopped: bool
    stopped_after_due: bool
    repeated_supplement: bool
    end_vs_due: DueComparison


class ReceiptFacts(NamedTuple):
    """What the receipt rules look at: where the receipt and the finish fall against the period
    ``[start, end)``, and the channel."""

    received_before_start: bool
    received_after_end: bool
    """Received at or after the period's end."""
    finished_before_start: bool
    online: bool


Condition = bool | DueComparison | str | tuple[DueComparison, ...]


@dataclass(frozen=True)
class Rule:
    """One row of a rules table: if every condition in ``when`` holds, the dossier goes to
    ``cell`` (``None``: it is not in the period's table at all).

    ``when`` maps a fact name (a field of :class:`Facts` / :class:`ReceiptFacts`) to the value
    it must have — a tuple means "one of" — or ``"policy.<field>"`` to the
    :class:`~tthc.report.ReportPolicy` value it must have. ``apology`` marks a rule whose
    dossiers with a re-appointment also count in ``resolved_late_with_apology``.
    """

    name: str
    when: Mapping[str, Condition]
    cell: str | None
    source: str
    apology: bool = False

    def holds(self, facts: NamedTuple, policy: ReportPolicy) -> bool:
        """True when every condition holds for ``facts`` under ``policy``."""
        for key, wanted in self.when.items():
            if key.startswith("policy."):
                actual: object = getattr(policy, key.removeprefix("policy."))
            else:
                actual = getattr(facts, key)
            if isinstance(wanted, tuple):
                if actual not in wanted:
                    return False
            elif actual != wanted:
                return False
        return True


_CIRCULAR = "Circular 01/2020/TT-VPCP, Biểu số 06/VPCP/KSTT"
_ART_19_5 = "Decree 118/2025/NĐ-CP Art. 19(5): a supplement request stops the clock"
_NOT_LATER = (DueComparison.EARLIER_DATE, DueComparison.NOT_LATER)

RECEIPT_RULES: Final[tuple[Rule, ...]] = (
    Rule(
        "received after the period",
        {"received_after_end": True},
        None,
        f"{_CIRCULAR}: a period counts the dossiers received by its end",
    ),
    Rule(
        "finished before the period",
        {"finished_before_start": True},
        None,
        f"{_CIRCULAR}: a dossier finished before the period is in an earlier report",
    ),
    Rule(
        "carried over",
        {"received_before_start": True},
        "carried_over",
        f"{_CIRCULAR}, column 'Số hồ sơ từ kỳ trước chuyển qua'",
    ),
    Rule("new online", {"online": True}, "received_online", f"{_CIRCULAR}, column 'Trực tuyến'"),
    Rule(
        "new in person or by post",
        {},
        "received_direct_postal",
        f"{_CIRCULAR}, column 'Trực tiếp, dịch vụ bưu chính'",
    ),
)
"""Whether a dossier is in the period's table, and on which side of the received columns."""

TIMELINESS_RULES: Final[tuple[Rule, ...]] = (
    Rule(
        "withdrawn, kept apart",
        {"finished": True, "withdrawn": True, "policy.withdrawn": "exclude"},
        "withdrawn_excluded",
        "ReportPolicy(withdrawn='exclude'); Decree 118/2025/NĐ-CP Art. 21",
    ),
    Rule(
        "withdrawn, counted on time",
        {"finished": True, "withdrawn": True, "policy.withdrawn": "on_time"},
        "resolved_on_time",
        "ReportPolicy(withdrawn='on_time'): one-stop vendors' practice (domain guide section 6)",
    ),
    Rule(
        "more than one supplement request, counted late",
        {"finished": True, "repeated_supplement": True, "policy.repeated_supplement": "late"},
        "resolved_late",
        "ReportPolicy(repeated_supplement='late'): the portal's 'more than one request counts "
        "late' (Decision 766/QĐ-TTg indicator 2.1, domain guide section 7) extended to resolved "
        "dossiers",
        apology=True,
    ),
    Rule(
        "finished while waiting for a supplement asked for after the due instant",
        {"finished": True, "clock_stopped": True, "stopped_after_due": True},
        "resolved_late",
        f"{_ART_19_5}; it was already overdue when the clock stopped",
        apology=True,
    ),
    Rule(
        "finished while waiting for a supplement",
        {"finished": True, "clock_stopped": True},
        "resolved_on_time",
        f"{_ART_19_5}, so it cannot run late while waiting",
    ),
    Rule(
        "early",
        {"finished": True, "end_vs_due": DueComparison.EARLIER_DATE},
        "resolved_early",
        f"{_CIRCULAR}, column 'Trước hạn': finished on a date before the due date",
    ),
    Rule(
        "on time",
        {"finished": True, "end_vs_due": DueComparison.NOT_LATER},
        "resolved_on_time",
        f"{_CIRCULAR}, column 'Đúng hạn': finished by the due instant",
    ),
    Rule(
        "late",
        {"finished": True},
        "resolved_late",
        f"{_CIRCULAR}, column 'Quá hạn'; judged against the due date before any re-appointment "
        "(Decree 118/2025/NĐ-CP Art. 19(6))",
        apology=True,
    ),
    Rule(
        "waiting for a supplement",
        {"finished": False, "clock_stopped": True},
        "pending_within_time",
        f"{_ART_19_5}: a dossier waiting for the applicant is within time",
    ),
    Rule(
        "pending within time",
        {"finished": False, "end_vs_due": _NOT_LATER},
        "pending_within_time",
        f"{_CIRCULAR}, column 'Trong hạn': due instant not yet past",
    ),
    Rule(
        "pending overdue",
        {"finished": False},
        "pending_overdue",
        f"{_CIRCULAR}, column 'Quá hạn': due instant past, not finished",
    ),
)
"""The timeliness of a dossier that is in the table, in order: the first rule that holds
decides. Every combination of facts is decided by some rule (the last rules have no other
condition than ``finished``)."""


def due_in_force(
    due_at: dt.datetime,
    paused_at: dt.datetime | None,
    end: dt.datetime,
    calendar: WorkingCalendar | None = None,
) -> dt.datetime:
    """``due_at`` moved later by the working time of a pause still open since ``paused_at``,
    counted up to ``end``: a pause is not counted in the time limit (one-stop practice, e.g.
    "không tính thời gian thực hiện nghĩa vụ tài chính"; :func:`tthc.calendar.extend_for_pause`).

    >>> vn = dt.timezone(dt.timedelta(hours=7))
    >>> due_in_force(dt.datetime(2024, 3, 8, 17, tzinfo=vn), dt.datetime(2024, 3, 4, 15, tzinfo=vn),
    ...              dt.datetime(2024, 3, 5, 9, tzinfo=vn)).isoformat()
    '2024-03-11T11:00:00+07:00'
    """
    if paused_at is None or paused_at >= end:
        return due_at
    return extend_for_pause(due_at, paused_at, end, calendar)


_Instant = TypeVar("_Instant", dt.datetime, int)


def processing_seconds(
    working_seconds: Callable[[_Instant, _Instant], int],
    received: _Instant,
    finished: _Instant,
    supplement_requested: _Instant | None = None,
    supplement_received: _Instant | None = None,
) -> int:
    """The processing time of a resolved dossier, in working seconds, as Decision 766/QĐ-TTg
    indicator 2.2 measures it (the national portal's practice, domain guide section 7) and the
    report's average processing time column shows it: from receipt to the result, less the
    applicant's time on the last supplement (its request to its return, when it came back by
    the result), never below 0. ``working_seconds(a, b)`` is the calendar's measure on the
    caller's instants (datetimes, or the readers' local microseconds). The lifecycle, which
    knows every supplement and pause, leaves each out (:func:`tthc.lifecycle.working_time_used`).

    >>> processing_seconds(lambda a, b: b - a, 0, 100)
    100
    >>> processing_seconds(lambda a, b: b - a, 0, 100, 10, 40)
    70
    >>> processing_seconds(lambda a, b: b - a, 0, 100, 10, 140)  # came back after the result
    100
    """
    seconds = working_seconds(received, finished)
    if (
        supplement_requested is not None
        and supplement_received is not None
        and supplement_received <= finished
    ):
        seconds -= working_seconds(supplement_requested, supplement_received)
    return max(0, seconds)


def limit_start_sql(received: str, returned: str) -> str:
    """SQL of the instant a due date computed from a time limit runs from: the supplement's
    return when there is one (Decree 118/2025/NĐ-CP Art. 19(5): the full limit restarts then,
    as in the lifecycle), else the receipt. ``returned`` is NULL when the row gives none.

    >>> limit_start_sql("rec", "srec")
    'COALESCE(srec, rec)'
    """
    return f"COALESCE({returned}, {received})"


def processing_seconds_sql(
    working: Callable[[str, str], str], received: str, finished: str, requested: str, back: str
) -> str:
    """:func:`processing_seconds` in SQL, over instant columns (epoch µs, NULL when absent);
    ``working(a, b)`` is the SQL of the working seconds from ``a`` to ``b`` (0 when ``b`` is
    not after ``a``)."""
    supplement = (
        f"CASE WHEN {requested} IS NOT NULL AND {back} IS NOT NULL AND {back} <= {finished} "
        f"THEN {working(requested, back)} ELSE 0 END"
    )
    return f"greatest(0, {working(received, finished)} - ({supplement}))"


def lateness_end(
    facts: Facts,
    as_of: dt.datetime,
    finished_at: dt.datetime | None,
    supplement_requested_at: dt.datetime | None,
) -> dt.datetime:
    """The instant a late or overdue dossier's lateness is measured to (from its due instant,
    in working time): the supplement request, when the clock stopped for a supplement asked
    for after the due instant (the applicant's time is not the agency's: Decree 118/2025/NĐ-CP
    Art. 19(5)); else its finish; else ``as_of``. The lifecycle (:func:`tthc.timeliness`) and
    the report's lists (:class:`tthc.report.ListedDossier`) both measure to it.

    >>> vn = dt.timezone(dt.timedelta(hours=7))
    >>> stopped = Facts(True, False, True, True, False, DueComparison.LATER)
    >>> lateness_end(stopped, dt.datetime(2024, 3, 31, tzinfo=vn),
    ...              dt.datetime(2024, 3, 12, 9, tzinfo=vn), dt.datetime(2024, 3, 8, 10, tzinfo=vn)).day
    8
    """
    if facts.clock_stopped and facts.stopped_after_due and supplement_requested_at is not None:
        return supplement_requested_at
    if facts.finished and finished_at is not None:
        return finished_at
    return as_of


def facts_at(
    as_of: dt.datetime,
    *,
    status: DossierStatus,
    due_at: dt.datetime,
    finished_at: dt.datetime | None,
    supplement_requests: int = 0,
    supplement_requested_at: dt.datetime | None = None,
    supplement_received_at: dt.datetime | None = None,
    paused_at: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> tuple[Facts, dt.datetime]:
    """The :class:`Facts` of a dossier as it stood at ``as_of``, and the due instant in force
    at its end — the one derivation both the lifecycle and the report use.

    The arguments are a report row's (:meth:`tthc.lifecycle.DossierState.record_fields` gives
    them for a replayed dossier); all instants aware, in UTC+7 (dates are compared at the
    office). The dossier is finished when ``finished_at`` is at or before ``as_of``; its end is
    then ``finished_at``, else ``as_of``.

    * The due instant in force is ``due_at`` moved later by the working time of a pause still
      open (``paused_at``) up to the end (a pause is not counted in the time limit).
    * The clock is stopped when the last supplement request (``supplement_requested_at``) came
      at or before the end and its resubmission (``supplement_received_at``) did not; without
      that column, when a pending dossier's status is ``supplement_requested``
      (Decree 118/2025/NĐ-CP Art. 19(5)). It stopped after the due instant when the request
      came after ``due_at``.

    >>> t = lambda d, h=8: dt.datetime(2024, 3, d, h, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    >>> facts, due = facts_at(t(29), status=DossierStatus.PROCESSING, due_at=t(6, 17),
    ...                       finished_at=None)
    >>> facts.finished, facts.end_vs_due.name, decide(facts).cell
    (False, 'LATER', 'pending_overdue')
    >>> facts, due = facts_at(t(29), status=DossierStatus.PAUSED, due_at=t(6, 17),
    ...                       finished_at=None, paused_at=t(4))
    >>> facts.end_vs_due.name, due.isoformat()
    ('NOT_LATER', '2024-04-02T17:00:00+07:00')
    """
    finished = finished_at is not None and finished_at <= as_of
    end = finished_at if finished_at is not None and finished else as_of
    due = due_in_force(due_at, paused_at, end, calendar)
    requested = supplement_requested_at
    if requested is not None:
        received = supplement_received_at
        stopped = requested <= end and (received is None or received > end)
    else:
        stopped = not finished and status is DossierStatus.SUPPLEMENT_REQUESTED
    if finished and end.date() < due.date():
        comparison = DueComparison.EARLIER_DATE
    elif end <= due:
        comparison = DueComparison.NOT_LATER
    else:
        comparison = DueComparison.LATER
    facts = Facts(
        finished=finished,
        withdrawn=finished and status is DossierStatus.WITHDRAWN,
        clock_stopped=stopped,
        stopped_after_due=stopped and requested is not None and requested > due_at,
        repeated_supplement=supplement_requests >= REPEATED_SUPPLEMENT_REQUESTS,
        end_vs_due=comparison,
    )
    return facts, due


def _first(rules: tuple[Rule, ...], facts: NamedTuple, policy: ReportPolicy) -> Rule:
    for rule in rules:
        if rule.holds(facts, policy):
            return rule
    raise AssertionError(f"no rule decides {facts}")  # pragma: no cover - tables are total


def decide(facts: Facts, policy: ReportPolicy | None = None) -> Rule:
    """The rule of :data:`TIMELINESS_RULES` that decides ``facts`` (the reference evaluation).

    >>> f = Facts(finished=True, withdrawn=False, clock_stopped=False, stopped_after_due=False,
    ...           repeated_supplement=False, end_vs_due=DueComparison.LATER)
    >>> decide(f).cell, decide(f).name
    ('resolved_late', 'late')
    >>> decide(f._replace(withdrawn=True)).cell
    'resolved_on_time'
    >>> decide(f._replace(withdrawn=True), ReportPolicy(withdrawn="by_date")).cell
    'resolved_late'
    """
    return _first(TIMELINESS_RULES, facts, policy or DEFAULT_POLICY)


def decide_receipt(facts: ReceiptFacts) -> Rule:
    """The rule of :data:`RECEIPT_RULES` that decides ``facts``.

    >>> decide_receipt(ReceiptFacts(False, False, False, True)).cell
    'received_online'
    >>> decide_receipt(ReceiptFacts(True, False, True, False)).cell is None
    True
    """
    return _first(RECEIPT_RULES, facts, DEFAULT_POLICY)


def pack(facts: Facts) -> int:
    """``facts`` as a small integer (0–95): the index into :func:`compile_rules`'s list.

    >>> pack(Facts(False, False, False, False, False, DueComparison.EARLIER_DATE))
    0
    """
    return (
        facts.finished
        | facts.withdrawn << 1
        | facts.clock_stopped << 2
        | facts.stopped_after_due << 3
        | facts.repeated_supplement << 4
        | facts.end_vs_due << 5
    )


def all_facts() -> list[Facts]:
    """Every combination of facts, in :func:`pack` order."""
    out = [
        Facts(bool(f), bool(w), bool(c), bool(s), bool(r), DueComparison(e))
        for e, r, s, c, w, f in itertools.product(range(3), *([range(2)] * 5))
    ]
    assert [pack(f) for f in out] == list(range(len(out)))
    return out


def lookup(facts: Facts, policy: ReportPolicy | None = None) -> Rule:
    """:func:`decide` through the compiled table of ``policy`` (built once per policy): what
    the lifecycle and the classifiers call for each dossier.

    >>> f = Facts(True, False, False, False, False, DueComparison.LATER)
    >>> lookup(f) is decide(f)
    True
    """
    return _compiled(policy or DEFAULT_POLICY)[pack(facts)]


@functools.lru_cache(maxsize=16)
def _compiled(policy: ReportPolicy) -> tuple[Rule, ...]:
    return tuple(compile_rules(policy))


def compile_rules(policy: ReportPolicy | None = None) -> list[Rule]:
    """The decision of :data:`TIMELINESS_RULES` under ``policy`` for every combination of
    facts, as a list indexed by :func:`pack`: the streaming report's lookup table.

    >>> table = compile_rules()
    >>> f = Facts(True, False, False, False, False, DueComparison.NOT_LATER)
    >>> table[pack(f)] is decide(f)
    True
    """
    chosen = policy or DEFAULT_POLICY
    return [decide(f, chosen) for f in all_facts()]


def rules_sql(
    rules: tuple[Rule, ...],
    fact_sql: Mapping[str, str],
    policy: ReportPolicy | None = None,
    *,
    cell: Callable[[Rule], str] | None = None,
) -> str:
    """A SQL ``CASE`` expression deciding ``rules`` under ``policy``: one ``WHEN`` per rule
    whose policy conditions hold, in order; ``fact_sql`` gives each fact as a SQL expression
    (booleans; ``end_vs_due`` as an integer 0–2, see :class:`DueComparison`). ``cell`` maps a
    rule to its SQL result (default: the cell name as a string literal, ``NULL`` for none).

    >>> print(rules_sql(RECEIPT_RULES[2:], {"received_before_start": "rec < $1",
    ...                                     "online": "online"}))
    CASE WHEN (rec < $1) THEN 'carried_over' WHEN (online) THEN 'received_online' ELSE 'received_direct_postal' END
    """
    chosen = policy or DEFAULT_POLICY

    def literal(rule: Rule) -> str:
        return "NULL" if rule.cell is None else f"'{rule.cell}'"

    result = cell or literal
    branches: list[str] = []
    for rule in rules:
        terms: list[str] = []
        applies = True
        for key, wanted in rule.when.items():
            if key.startswith("policy."):
                applies = applies and getattr(chosen, key.removeprefix("policy.")) == wanted
                continue
            expression = fact_sql[key]
            if isinstance(wanted, tuple):
                terms.append(f"({expression}) IN ({', '.join(str(int(w)) for w in wanted)})")
            elif isinstance(wanted, DueComparison):
                terms.append(f"({expression}) = {int(wanted)}")
            elif wanted is True:
                terms.append(f"({expression})")
            elif wanted is False:
                terms.append(f"NOT ({expression})")
            else:  # pragma: no cover - conditions on facts are booleans or comparisons
                raise TypeError(f"rule {rule.name!r}: unsupported condition {key}={wanted!r}")
        if not applies:
            continue
        if not terms:
            branches.append(f"ELSE {result(rule)}")
            break
        branches.append(f"WHEN {' AND '.join(terms)} THEN {result(rule)}")
    else:
        branches.append("ELSE NULL")
    return "CASE " + " ".join(branches) + " END"


# --------------------------------------------------------------------------------------------
# Decision 766/QĐ-TTg indicator 2.1: the national portal's own "on time" rule.
#
# A second rule set, apart from Biểu số 06's: the portal judges every dossier of the period
# on time or late at its *end of processing* (domain guide section 7). It differs from the
# form's classification in three places: a dossier waiting for a supplement is judged at its
# request instant (the form: within time whatever its due date), more than one request while
# waiting makes it late, and the applicant's supplement time is subtracted from the end
# before comparing (the form: the due date restarts). Where the two differ for a dossier, the
# service index's lists show both.

PORTAL_FORMULA_VERSION: Final = "2026"
"""Version date of the portal's formula description the Decision 766/QĐ-TTg rules follow: "Mô tả
công thức tính chỉ số 766" as reproduced in 2026 analyses of the national portal (domain guide
section 7). The source gives the year only."""

PORTAL_FORMULA_SOURCE: Final = (
    "Decision 766/QĐ-TTg service index; the national portal's formula description "
    f"('Mô tả công thức tính chỉ số 766', version {PORTAL_FORMULA_VERSION}), domain guide "
    "section 7 — portal practice, not law"
)
"""The source every rule and indicator of the service index names."""

_PORTAL_21 = f"{PORTAL_FORMULA_SOURCE}, indicator 2.1"


class EndFacts(NamedTuple):
    """What decides a dossier's *end of processing* for indicator 2.1, at an instant.

    * ``completed``, ``returned``, ``refused``, ``withdrawn``: the dossier had reached that end
      state by then (an instant of it is known and not later);
    * ``waiting``: not at an end state, and waiting for a supplement the applicant has not
      brought back.
    """

    completed: bool
    returned: bool
    refused: bool
    withdrawn: bool
    waiting: bool


END_OF_PROCESSING_RULES: Final[tuple[Rule, ...]] = (
    Rule(
        "completed",
        {"completed": True},
        "completed",
        f"{_PORTAL_21}: end of processing by priority, completed ('đã xử lý xong') first",
    ),
    Rule(
        "result returned",
        {"returned": True},
        "returned",
        f"{_PORTAL_21}: end of processing by priority, then result returned",
    ),
    Rule(
        "refused",
        {"refused": True},
        "refused",
        f"{_PORTAL_21}: end of processing by priority, then stopped / refused",
    ),
    Rule(
        "withdrawn or stopped",
        {"withdrawn": True},
        "withdrawn",
        f"{_PORTAL_21}: a withdrawal by the applicant (of a received dossier) is an end state "
        "too; 'dừng xử lý' ranks with refusal",
    ),
    Rule(
        "waiting for a supplement",
        {"waiting": True},
        "supplement_requested",
        f"{_PORTAL_21}: a dossier waiting for a supplement the applicant has not brought back "
        "ends at the supplement request instant",
    ),
    Rule(
        "not finished at the end of the period",
        {},
        "period_end",
        f"{_PORTAL_21}: a dossier not finished at the end of the period ends then",
    ),
)
"""Which instant is a dossier's end of processing for indicator 2.1, in order: the first rule
that holds names it (``cell``: the end state whose instant is used, ``supplement_requested``
for the last request's instant, ``period_end`` for the period's last instant)."""


class ProgressFacts(NamedTuple):
    """What the indicator 2.1 verdict looks at (:data:`PROGRESS_RULES`).

    * ``waiting``: the end of processing is a pending supplement request;
    * ``end_known``: the instant of the end of processing is known (a pending request's
      instant is not when the row has no ``supplement_requested_at``);
    * ``repeated_supplement``: more than one supplement request
      (:data:`REPEATED_SUPPLEMENT_REQUESTS` or more);
    * ``has_appointment``: the appointment date (NgayHenTra, the row's ``due_at``) is known;
    * ``has_limit``: without one, the procedure's maximum time limit is known;
    * ``not_later``: the end of processing, less the applicant's supplement time, is at or
      before the appointment instant (without one: the time limit counted from receipt).
    """

    waiting: bool
    end_known: bool
    repeated_supplement: bool
    has_appointment: bool
    has_limit: bool
    not_later: bool


PROGRESS_ON_TIME: Final = "on_time"
"""The verdict of indicator 2.1 that counts in its numerator."""
PROGRESS_LATE: Final = "late"
"""The verdict of indicator 2.1 that does not."""

PROGRESS_RULES: Final[tuple[Rule, ...]] = (
    Rule(
        "waiting for a supplement after more than one request",
        {"waiting": True, "repeated_supplement": True},
        PROGRESS_LATE,
        f"{_PORTAL_21}: a dossier waiting for a supplement ends at the request instant — "
        "unless it had more than one supplement request, then it is late",
    ),
    Rule(
        "waiting for a supplement requested at an unknown instant",
        {"end_known": False},
        None,
        f"{_PORTAL_21}: the end of processing is the request instant, which the row does not "
        "give (no supplement_requested_at): the dossier cannot be judged (counted as unknown, "
        "never guessed)",
    ),
    Rule(
        "by the appointment date",
        {"has_appointment": True, "not_later": True},
        PROGRESS_ON_TIME,
        f"{_PORTAL_21}: on time iff the end of processing is at or before the appointment date "
        "(NgayHenTra), the supplement time subtracted",
    ),
    Rule(
        "after the appointment date",
        {"has_appointment": True},
        PROGRESS_LATE,
        f"{_PORTAL_21}: late when the end of processing is after the appointment date",
    ),
    Rule(
        "no appointment date, within the time limit",
        {"has_limit": True, "not_later": True},
        PROGRESS_ON_TIME,
        f"{_PORTAL_21}: without an appointment date, on time iff end − start − supplement time "
        "≤ the procedure's maximum time limit",
    ),
    Rule(
        "no appointment date, over the time limit",
        {"has_limit": True},
        PROGRESS_LATE,
        f"{_PORTAL_21}: without an appointment date, late when over the time limit",
    ),
    Rule(
        "neither an appointment date nor a time limit",
        {},
        None,
        f"{_PORTAL_21} needs one of the two: the dossier cannot be judged (counted as unknown, "
        "never guessed)",
    ),
)
"""Indicator 2.1's verdict for a dossier of the period, in order: the first rule that holds
gives ``"on_time"`` (:data:`PROGRESS_ON_TIME`, in the numerator), ``"late"``, or ``None`` (not
enough data: the dossier is left out and counted as unknown)."""


class ProgressJudgement(NamedTuple):
    """A dossier judged by indicator 2.1's rule (:func:`progress_facts`).

    ``end_rule`` is the rule of :data:`END_OF_PROCESSING_RULES` that chose ``end`` (the end of
    processing; ``None`` when it is a request instant the row does not give);
    ``supplement_time`` is the applicant's time subtracted from it (zero when
    none); ``deadline`` is what ``end − supplement_time`` was compared with (the appointment,
    or the time limit counted from receipt; ``None`` when neither is known).
    """

    facts: ProgressFacts
    end_rule: Rule
    end: dt.datetime | None
    supplement_time: dt.timedelta
    deadline: dt.datetime | None

    @property
    def rule(self) -> Rule:
        """The rule of :data:`PROGRESS_RULES` that decides (:func:`decide_progress`)."""
        return decide_progress(self.facts)

    @property
    def verdict(self) -> str | None:
        """``"on_time"``, ``"late"`` or ``None`` (cannot be judged)."""
        return self.rule.cell

    @property
    def compared_end(self) -> dt.datetime | None:
        """The end of processing less the supplement time: what is compared with the deadline."""
        return None if self.end is None else self.end - self.supplement_time


_ZERO: Final = dt.timedelta(0)


def progress_facts(
    as_of: dt.datetime,
    *,
    status: DossierStatus,
    received_at: dt.datetime,
    finished_at: dt.datetime | None,
    appointment_at: dt.datetime | None,
    limit_deadline: Callable[[], dt.datetime | None] | None = None,
    supplement_requests: int = 0,
    supplement_requested_at: dt.datetime | None = None,
    supplement_received_at: dt.datetime | None = None,
    end_instants: Mapping[DossierStatus, dt.datetime] | None = None,
) -> ProgressJudgement:
    """Judge one dossier of the period by indicator 2.1's rule, as it stood at ``as_of`` (the
    period's last instant): the one derivation of :class:`ProgressFacts` every engine uses.

    * **End of processing** (:data:`END_OF_PROCESSING_RULES`): the instant of its end state by
      priority — completed > result returned > refused > withdrawn/stopped — among
      ``end_instants`` (a source that holds several: NgayKetThucXuLy, NgayTra, NgayTuChoi) or,
      by default, ``{status: finished_at}``; an end state after ``as_of`` does not count.
      Otherwise, waiting for a supplement the applicant has not brought back (the last request
      ``supplement_requested_at`` at or before ``as_of`` and no resubmission by then; without
      that column, status ``supplement_requested``): the request instant — unknown without that
      column, and the dossier then cannot be judged (unless more than one request makes it
      late). Otherwise the end of the period, ``as_of``.
    * **Supplement time**: when the last request's supplement came back
      (``supplement_received_at``) at or before the end of processing, resubmission − request
      is subtracted from the end before comparing (only the last request's instants are in a
      row: earlier ones cannot be subtracted).
    * **Deadline**: the appointment date ``appointment_at`` (NgayHenTra; an interchange row's
      ``due_at``); without one, ``limit_deadline()`` — the procedure's maximum time limit
      counted from receipt (``None`` when unknown).

    >>> t = lambda d, h=8: dt.datetime(2024, 3, d, h, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    >>> j = progress_facts(t(29), status=DossierStatus.SUPPLEMENT_REQUESTED, received_at=t(1),
    ...                    finished_at=None, appointment_at=t(6, 17), supplement_requests=1,
    ...                    supplement_requested_at=t(4))
    >>> j.end_rule.name, j.end.day, j.verdict
    ('waiting for a supplement', 4, 'on_time')
    >>> j = progress_facts(t(29), status=DossierStatus.RETURNED, received_at=t(1),
    ...                    finished_at=t(7, 10), appointment_at=t(6, 17), supplement_requests=1,
    ...                    supplement_requested_at=t(2), supplement_received_at=t(4))
    >>> j.supplement_time.days, j.compared_end.day, j.verdict
    (2, 5, 'on_time')
    """
    instants = dict(end_instants) if end_instants is not None else {}
    if end_instants is None and finished_at is not None and status.is_finished:
        instants[status] = finished_at

    def reached(*states: DossierStatus) -> dt.datetime | None:
        times = [instants[s] for s in states if s in instants and instants[s] <= as_of]
        return min(times) if times else None

    completed = reached(DossierStatus.COMPLETED)
    returned = reached(DossierStatus.RETURNED)
    refused = reached(DossierStatus.REFUSED)
    withdrawn = reached(DossierStatus.WITHDRAWN)
    finished = any(x is not None for x in (completed, returned, refused, withdrawn))
    requested = supplement_requested_at
    if requested is not None:
        resubmitted = supplement_received_at
        waiting = requested <= as_of and (resubmitted is None or resubmitted > as_of)
    else:
        waiting = status is DossierStatus.SUPPLEMENT_REQUESTED
    end_facts = EndFacts(
        completed=completed is not None,
        returned=returned is not None,
        refused=refused is not None,
        withdrawn=withdrawn is not None,
        waiting=not finished and waiting,
    )
    end_rule = _first(END_OF_PROCESSING_RULES, end_facts, DEFAULT_POLICY)
    chosen = {
        "completed": completed,
        "returned": returned,
        "refused": refused,
        "withdrawn": withdrawn,
        "supplement_requested": requested,
        "period_end": as_of,
    }[end_rule.cell or "period_end"]
    end = chosen  # None only for a pending request without its instant
    supplement = _ZERO
    waiting_end = end_rule.cell == "supplement_requested"
    if (
        end is not None
        and not waiting_end
        and requested is not None
        and supplement_received_at is not None
        and supplement_received_at <= end
    ):
        supplement = supplement_received_at - requested
    deadline = appointment_at
    if deadline is None and limit_deadline is not None:
        deadline = limit_deadline()
    facts = ProgressFacts(
        waiting=waiting_end,
        end_known=end is not None,
        repeated_supplement=supplement_requests >= REPEATED_SUPPLEMENT_REQUESTS,
        has_appointment=appointment_at is not None,
        has_limit=appointment_at is None and deadline is not None,
        not_later=deadline is not None and end is not None and end - supplement <= deadline,
    )
    return ProgressJudgement(facts, end_rule, end, supplement, deadline)


def decide_progress(facts: ProgressFacts) -> Rule:
    """The rule of :data:`PROGRESS_RULES` that decides ``facts``.

    >>> f = ProgressFacts(waiting=True, end_known=True, repeated_supplement=True,
    ...                   has_appointment=True, has_limit=False, not_later=True)
    >>> decide_progress(f).cell, decide_progress(f._replace(repeated_supplement=False)).cell
    ('late', 'on_time')
    """
    return _first(PROGRESS_RULES, facts, DEFAULT_POLICY)


def all_progress_facts() -> list[ProgressFacts]:
    """Every combination of :class:`ProgressFacts` (64), for exhaustive checks."""
    return [ProgressFacts(*map(bool, bits)) for bits in itertools.product(range(2), repeat=6)]


RULE_NAMES_VI: Final[Mapping[str, str]] = {
    "received after the period": "tiếp nhận sau kỳ báo cáo",
    "finished before the period": "kết thúc trước kỳ báo cáo",
    "carried over": "kỳ trước chuyển qua",
    "new online": "mới tiếp nhận trực tuyến",
    "new in person or by post": "mới tiếp nhận trực tiếp, bưu chính",
    "withdrawn, kept apart": "rút hồ sơ, tính riêng",
    "withdrawn, counted on time": "rút hồ sơ, tính đúng hạn",
    "more than one supplement request, counted late": "yêu cầu bổ sung hơn một lần, tính quá hạn",
    "finished while waiting for a supplement asked for after the due instant": (
        "kết thúc khi đang chờ bổ sung, yêu cầu sau thời hạn"
    ),
    "finished while waiting for a supplement": "kết thúc khi đang chờ bổ sung",
    "early": "trước hạn",
    "on time": "đúng hạn",
    "late": "quá hạn",
    "waiting for a supplement": "đang chờ bổ sung",
    "pending within time": "đang giải quyết trong hạn",
    "pending overdue": "đang giải quyết quá hạn",
    "completed": "đã xử lý xong",
    "result returned": "đã trả kết quả",
    "refused": "từ chối giải quyết",
    "withdrawn or stopped": "rút hồ sơ hoặc dừng xử lý",
    "not finished at the end of the period": "chưa kết thúc khi hết kỳ",
    "waiting for a supplement after more than one request": ("chờ bổ sung sau hơn một lần yêu cầu"),
    "waiting for a supplement requested at an unknown instant": (
        "chờ bổ sung, không rõ thời điểm yêu cầu"
    ),
    "by the appointment date": "không muộn hơn ngày hẹn trả",
    "after the appointment date": "sau ngày hẹn trả",
    "no appointment date, within the time limit": "không có ngày hẹn trả, trong thời hạn",
    "no appointment date, over the time limit": "không có ngày hẹn trả, quá thời hạn",
    "neither an appointment date nor a time limit": "không có ngày hẹn trả và thời hạn",
}
"""The Vietnamese name of every rule of the rules tables (:attr:`Rule.name` is English), for
the lists people read (the "Quy tắc" column)."""


def rule_label(name: str, lang: str = "bilingual") -> str:
    """A rule's name for people: Vietnamese, English, or both (``"vi (en)"``).

    >>> rule_label("on time"), rule_label("on time", "vi")
    ('đúng hạn (on time)', 'đúng hạn')
    """
    vi = RULE_NAMES_VI.get(name, name)
    if lang == "vi":
        return vi
    if lang == "en" or vi == name:
        return name
    return f"{vi} ({name})"
