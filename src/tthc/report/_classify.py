"""Which column of Biểu số 06/VPCP/KSTT a dossier falls in, for a period.

The default classification follows the domain guide section 6 (Circular 01/2020/TT-VPCP,
Biểu số 06/VPCP/KSTT), for the period ``[start, end)`` (:class:`~tthc.Period`):

* not in the table: received at or after ``end``, or finished before ``start``;
* received side: ``carried_over`` when received before ``start``, else new, split by channel
  (online / in person + postal);
* resolved when finished before ``end``: **early** when finished on a date before the due date,
  **on time** when otherwise finished by the due instant, **late** after it. Timeliness is judged
  against ``due_at``, never ``extended_due_at``: a late dossier with a re-appointment also counts
  in ``resolved_late_with_apology`` (Decree 118/2025/NĐ-CP Art. 19(6); domain guide section 5,
  default policy point 9);
* pending otherwise: **overdue** when the due instant is before ``end``, else within time; a
  dossier waiting for a supplement (status ``supplement_requested``) is always within time,
  because its clock is not running (Decree 118/2025/NĐ-CP Art. 19(5)).

Refused dossiers are classified like any other result; withdrawn ones follow
:attr:`ReportPolicy.withdrawn`; a resolved dossier with more than one supplement request follows
:attr:`ReportPolicy.repeated_supplement` (by its dates by default).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tthc._enums import Channel, DossierStatus
from tthc._time import require_aware
from tthc.report._counts import COUNTER_FIELDS, Counts
from tthc.report._period import Period
from tthc.report._records import INSTANT_FIELDS, DossierRecord, in_vn_tz

__all__ = ["ReportPolicy", "classify"]

# Indices into Counts.as_tuple(), for the accumulators of the streaming report.
COUNTER_INDEX: dict[str, int] = {name: i for i, name in enumerate(COUNTER_FIELDS)}
"""Position of each counter in :data:`COUNTER_FIELDS` (the accumulators' list layout)."""
_I = COUNTER_INDEX
I_ONLINE = _I["received_online"]
I_DIRECT_POSTAL = _I["received_direct_postal"]
I_CARRIED = _I["carried_over"]
I_EARLY = _I["resolved_early"]
I_ON_TIME = _I["resolved_on_time"]
I_LATE = _I["resolved_late"]
I_APOLOGY = _I["resolved_late_with_apology"]
I_WITHIN = _I["pending_within_time"]
I_OVERDUE = _I["pending_overdue"]
I_WITHDRAWN = _I["withdrawn_excluded"]
I_SECONDS = _I["processing_seconds"]
I_MEASURED = _I["processing_count"]
N_COUNTERS = len(COUNTER_FIELDS)

REPEATED_SUPPLEMENT_REQUESTS = 2
"""From how many supplement requests a resolved dossier counts as late under
``ReportPolicy(repeated_supplement="late")``: "more than one" — the national portal's practice
for the Decision 766/QĐ-TTg service index (domain guide section 7: "a dossier with more than
one supplement request counts as late"; Decree 118/2025/NĐ-CP Art. 19(5) allows one request)."""


class ReportPolicy(BaseModel):
    """The choices the law leaves open when counting, with the default of existing practice.

    * ``withdrawn``: ``"on_time"`` (default) counts a withdrawn or stopped dossier (công dân rút
      hồ sơ, dừng xử lý; Decree 118/2025/NĐ-CP Art. 21) as resolved on time — the practice of
      one-stop software vendors (domain guide section 6); ``"exclude"`` keeps it apart in
      ``withdrawn_excluded`` so that received = resolved + pending + withdrawn.
    * ``refused``: ``"classified"`` (only option, default): a refusal (Art. 19(3)) is a result,
      classified early / on time / late by its date like any other, as the national portal
      treats "từ chối" as an end state.
    * ``measure_processing_time``: measure the working time from receipt to result of resolved
      dossiers (for the average, Decision 766/QĐ-TTg indicator 2.2) on the report's working
      calendar. Default ``True``.
    * ``repeated_supplement``: a resolved dossier whose ``supplement_requests`` is more than one
      (:data:`REPEATED_SUPPLEMENT_REQUESTS`). ``"by_date"`` (default) classifies it by its dates
      like any other, as the domain guide section 6 rules say; ``"late"`` counts it late
      (and late with apology if it had a re-appointment), the national portal's practice for
      the Decision 766/QĐ-TTg service index (domain guide section 7). Withdrawn and pending
      dossiers are not affected.

    >>> ReportPolicy().withdrawn
    'on_time'
    >>> ReportPolicy(withdrawn="exclude").withdrawn
    'exclude'
    >>> ReportPolicy(repeated_supplement="late").repeated_supplement
    'late'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    withdrawn: Literal["on_time", "exclude"] = Field(
        default="on_time",
        description="How a withdrawn/stopped dossier counts: resolved on time, or kept apart.",
    )
    refused: Literal["classified"] = Field(
        default="classified", description="A refusal is a result, classified by its date."
    )
    measure_processing_time: bool = Field(
        default=True, description="Measure working time to result, for the average."
    )
    repeated_supplement: Literal["by_date", "late"] = Field(
        default="by_date",
        description=(
            "How a resolved dossier with more than one supplement request counts: by its "
            "dates, or late (the national portal's practice for the service index)."
        ),
    )


DEFAULT_POLICY = ReportPolicy()


def classify_indices(
    record: DossierRecord,
    start: dt.datetime,
    end: dt.datetime,
    exclude_withdrawn: bool,
    repeated_late: bool = False,
) -> tuple[int, int, bool] | None:
    """The hot path: ``(received index, outcome index, resolved?)`` or ``None``.

    The outcome index is one of early/on time/late/within/overdue/withdrawn; the caller adds
    ``I_APOLOGY`` when the outcome is late and ``record.extended_due_at`` is set.
    ``repeated_late``: ``ReportPolicy.repeated_supplement == "late"``.
    """
    received = record.received_at
    if received >= end:
        return None
    finished = record.finished_at
    if finished is not None and finished < start:
        return None
    if received < start:
        side = I_CARRIED
    elif record.channel is Channel.ONLINE:
        side = I_ONLINE
    else:
        side = I_DIRECT_POSTAL
    due = record.due_at
    if finished is not None and finished < end:
        if record.status is DossierStatus.WITHDRAWN:
            return side, (I_WITHDRAWN if exclude_withdrawn else I_ON_TIME), not exclude_withdrawn
        if repeated_late and record.supplement_requests >= REPEATED_SUPPLEMENT_REQUESTS:
            return side, I_LATE, True
        if finished.date() < due.date():
            return side, I_EARLY, True
        if finished <= due:
            return side, I_ON_TIME, True
        return side, I_LATE, True
    if record.status is DossierStatus.SUPPLEMENT_REQUESTED or due >= end:
        return side, I_WITHIN, False
    return side, I_OVERDUE, False


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
    calendar: Any = None,
) -> Counts | None:
    """The counts one dossier contributes to a period's table, or ``None`` if it is not in it.

    The record's instants are judged in UTC+7 (an aware instant in another zone is converted;
    a naive one raises :class:`~tthc.NaiveDatetimeError`).

    ``calendar`` (a ``WorkingCalendar``; ``None`` = the default Vietnamese one) measures the
    processing time of a resolved dossier when ``policy.measure_processing_time``.

    >>> import datetime as dt
    >>> from tthc import VN_TZ
    >>> r = DossierRecord("A-1", "Hộ tịch", Channel.ONLINE, dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ),
    ...     DossierStatus.RETURNED, dt.datetime(2024, 3, 8, 17, tzinfo=VN_TZ),
    ...     finished_at=dt.datetime(2024, 3, 8, 16, tzinfo=VN_TZ))
    >>> c = classify(r, Period.parse("2024-03"), ReportPolicy(measure_processing_time=False))
    >>> c.received_online, c.resolved_on_time, c.resolved_early
    (1, 1, 0)
    >>> classify(r, Period.parse("2024-04")) is None
    True
    """
    policy = policy or DEFAULT_POLICY
    record = _in_vn(record)
    hit = classify_indices(
        record,
        period.start,
        period.end,
        policy.withdrawn == "exclude",
        policy.repeated_supplement == "late",
    )
    if hit is None:
        return None
    side, outcome, resolved = hit
    values = [0] * N_COUNTERS
    values[side] = 1
    values[outcome] = 1
    if outcome == I_LATE and record.extended_due_at is not None:
        values[I_APOLOGY] = 1
    if resolved and policy.measure_processing_time and record.finished_at is not None:
        from tthc.report._worktime import WorkClock

        values[I_SECONDS] = WorkClock.for_calendar(calendar).seconds_between(
            record.received_at, record.finished_at
        )
        values[I_MEASURED] = 1
    return Counts(*values)
