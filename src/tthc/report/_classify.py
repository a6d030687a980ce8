"""Which column of Biểu số 06/VPCP/KSTT a dossier falls in, for a period: the report's side of
the rules tables (:data:`tthc.report.TIMELINESS_RULES`, :data:`tthc.report.RECEIPT_RULES`).

For the period ``[start, end)`` (:class:`~tthc.report.Period`) a dossier row is judged as it
stood at the period's last instant (:attr:`~tthc.report.Period.as_of`):

* the receipt rules say whether it is in the table (not when received at or after ``end``, or
  finished before ``start``) and on which side: carried over when received before ``start``,
  else new, online or in person/postal;
* the timeliness rules give its result: early / on time / late when finished by then,
  within time / overdue otherwise, withdrawn kept apart when the policy says so; a late
  dossier with a re-appointment also counts in ``resolved_late_with_apology``
  (Decree 118/2025/NĐ-CP Art. 19(6)).

:func:`classify` is the reference for one record; the streaming :class:`~tthc.report.ReportBuilder`
looks the same decision up in the compiled table, and the columnar path runs it as SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from tthc._checks import check_type
from tthc._enums import Channel
from tthc._rules import (
    DEFAULT_POLICY,
    RECEIPT_RULES,
    REPEATED_SUPPLEMENT_REQUESTS,
    TIMELINESS_RULES,
    Facts,
    ReceiptFacts,
    ReportPolicy,
    Rule,
    compile_rules,
    decide_receipt,
    facts_at,
    lookup,
    processing_seconds,
)
from tthc._time import require_aware
from tthc.calendar import WorkingCalendar
from tthc.report._counts import COUNTER_FIELDS, Counts
from tthc.report._intake import INSTANT_FIELDS
from tthc.report._period import Period
from tthc.report._records import DossierRecord, in_vn_tz

__all__ = [
    "COUNTER_INDEX",
    "RECEIPT_RULES",
    "REPEATED_SUPPLEMENT_REQUESTS",
    "TIMELINESS_RULES",
    "ReportPolicy",
    "classify",
    "outcome_table",
    "receipt_facts",
    "record_facts",
]

COUNTER_INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(COUNTER_FIELDS)}
"""Position of each counter in :data:`COUNTER_FIELDS` (the accumulators' list layout)."""
I_ONLINE: Final = COUNTER_INDEX["received_online"]
I_DIRECT_POSTAL: Final = COUNTER_INDEX["received_direct_postal"]
I_CARRIED: Final = COUNTER_INDEX["carried_over"]
I_APOLOGY: Final = COUNTER_INDEX["resolved_late_with_apology"]
I_SECONDS: Final = COUNTER_INDEX["processing_seconds"]
I_MEASURED: Final = COUNTER_INDEX["processing_count"]
N_COUNTERS: Final = len(COUNTER_FIELDS)

Outcome = tuple[int, bool, bool]
"""A compiled decision: (counter index, counts the apology of a re-appointed dossier,
resolved)."""


def outcome_table(policy: ReportPolicy | None = None) -> list[Outcome]:
    """:func:`~tthc.report.compile_rules` as counter positions: for each packed set of facts,
    ``(counter index, apology?, resolved?)`` — what the streaming report adds per row.

    >>> table = outcome_table()
    >>> COUNTER_FIELDS[table[0][0]]
    'pending_within_time'
    """
    return [_outcome(rule) for rule in compile_rules(policy)]


def _outcome(rule: Rule) -> Outcome:
    cell = rule.cell
    assert cell is not None
    return COUNTER_INDEX[cell], rule.apology, cell.startswith("resolved_")


def receipt_facts(record: DossierRecord, period: Period) -> ReceiptFacts:
    """The facts the receipt rules look at for ``record`` in ``period``.

    >>> import datetime as dt
    >>> from tthc import VN_TZ, DossierStatus
    >>> r = DossierRecord("A-1", "Hộ tịch", Channel.ONLINE, dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ),
    ...     DossierStatus.PROCESSING, dt.datetime(2024, 3, 8, 17, tzinfo=VN_TZ))
    >>> receipt_facts(r, Period.parse("2024-03"))
    ReceiptFacts(received_before_start=False, received_after_end=False, finished_before_start=False, online=True)
    """
    finished = record.finished_at
    return ReceiptFacts(
        received_before_start=record.received_at < period.start,
        received_after_end=record.received_at >= period.end,
        finished_before_start=finished is not None and finished < period.start,
        online=record.channel is Channel.ONLINE,
    )


def record_facts(
    record: DossierRecord, as_of: dt.datetime, calendar: WorkingCalendar | None = None
) -> tuple[Facts, dt.datetime]:
    """The :class:`~tthc.report.Facts` of ``record`` at ``as_of`` and its due instant in force
    (:func:`~tthc.report.facts_at` on the record's fields): what the rules tables decide on.

    >>> import datetime as dt
    >>> from tthc import VN_TZ, DossierStatus
    >>> r = DossierRecord("A-1", "Hộ tịch", Channel.ONLINE, dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ),
    ...     DossierStatus.PROCESSING, dt.datetime(2024, 3, 8, 17, tzinfo=VN_TZ))
    >>> facts, due = record_facts(r, dt.datetime(2024, 3, 31, 23, 59, tzinfo=VN_TZ))
    >>> facts.finished, facts.end_vs_due.name
    (False, 'LATER')
    """
    return facts_at(
        as_of,
        status=record.status,
        due_at=record.due_at,
        finished_at=record.finished_at,
        supplement_requests=record.supplement_requests,
        supplement_requested_at=record.supplement_requested_at,
        supplement_received_at=record.supplement_received_at,
        paused_at=record.paused_at,
        calendar=calendar,
    )


def _in_vn(record: DossierRecord) -> DossierRecord:
    """``record`` with its instants in UTC+7, so that "finished on a date before the due date"
    compares dates at the office. The readers already give UTC+7; a record built by hand may
    not. A naive instant is refused (NaiveDatetimeError naming the record and field)."""
    if in_vn_tz(record):
        return record
    changes: dict[str, Any] = {}
    for name in INSTANT_FIELDS:
        value = getattr(record, name)
        if value is not None:
            changes[name] = require_aware(value, f"record {record.code!r} {name}")
    return record._replace(**changes)


def classify(
    record: DossierRecord,
    period: Period,
    policy: ReportPolicy | None = None,
    calendar: WorkingCalendar | None = None,
) -> Counts | None:
    """The counts one dossier contributes to a period's table, or ``None`` if it is not in it:
    the reference evaluation of the rules tables for one record.

    The record's instants are judged in UTC+7 (an aware instant in another zone is converted;
    a naive one raises :class:`~tthc.NaiveDatetimeError`). ``calendar`` (``None`` = the
    default Vietnamese one) moves the due instant of a paused dossier and measures the
    processing time of a resolved dossier when ``policy.measure_processing_time``.

    >>> import datetime as dt
    >>> from tthc import VN_TZ, DossierStatus
    >>> r = DossierRecord("A-1", "Hộ tịch", Channel.ONLINE, dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ),
    ...     DossierStatus.RETURNED, dt.datetime(2024, 3, 8, 17, tzinfo=VN_TZ),
    ...     finished_at=dt.datetime(2024, 3, 8, 16, tzinfo=VN_TZ))
    >>> c = classify(r, Period.parse("2024-03"), ReportPolicy(measure_processing_time=False))
    >>> c.received_online, c.resolved_on_time, c.resolved_early
    (1, 1, 0)
    >>> classify(r, Period.parse("2024-04")) is None
    True
    """
    check_type(record, DossierRecord, "record", "a tthc.report.DossierRecord", optional=False)
    check_type(period, Period, "period", "a tthc.report.Period", optional=False)
    check_type(policy, ReportPolicy, "policy", "a tthc.report.ReportPolicy or None")
    check_type(calendar, WorkingCalendar, "calendar", "a tthc.calendar.WorkingCalendar or None")
    chosen = policy or DEFAULT_POLICY
    record = _in_vn(record)
    side = decide_receipt(receipt_facts(record, period)).cell
    if side is None:
        return None
    facts, _due = record_facts(record, period.as_of, calendar)
    rule = lookup(facts, chosen)
    index, apology, resolved = _outcome(rule)
    values = [0] * N_COUNTERS
    values[COUNTER_INDEX[side]] = 1
    values[index] = 1
    if apology and record.extended_due_at is not None:
        values[I_APOLOGY] = 1
    if resolved and chosen.measure_processing_time and record.finished_at is not None:
        cal = calendar if calendar is not None else WorkingCalendar.vietnam()
        values[I_SECONDS] = processing_seconds(
            cal.working_seconds,
            record.received_at,
            record.finished_at,
            record.supplement_requested_at,
            record.supplement_received_at,
        )
        values[I_MEASURED] = 1
    return Counts(*values)
