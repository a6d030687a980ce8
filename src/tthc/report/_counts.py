"""Mergeable counters: one row of Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP).

:class:`Counts` holds integers only. Adding two gives the counts of the union of their
dossiers, so reports of wards merge into a district or a province, and any partition of the
rows (threads, processes, Dask or Spark partitions) gives the same result. Totals and ratios
are derived when read, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from tthc.calendar import HOURS_PER_WORKING_DAY
from tthc.errors import ReconciliationError, ReportError

__all__ = ["COUNTER_FIELDS", "SECONDS_PER_WORKING_DAY", "Counts"]

SECONDS_PER_WORKING_DAY = HOURS_PER_WORKING_DAY * 3600
"""One working day = :data:`tthc.calendar.HOURS_PER_WORKING_DAY` (8) working hours (07:30–11:30 and
13:00–17:00; the convention of one-stop software, domain guide section 4). Used to express
processing time in working days."""


@dataclass(frozen=True, slots=True)
class Counts:
    """The counters of one report row (or of the totals row).

    Stored counters (all ``int``, all additive):

    * ``received_online``, ``received_direct_postal``: new dossiers received in the period, by
      channel (postal counts with in-person, as on the form);
    * ``carried_over``: received before the period and not finished before it;
    * ``resolved_early``, ``resolved_on_time``, ``resolved_late``: finished in the period;
    * ``resolved_late_with_apology``: the late ones that had a re-appointment (a subset of
      ``resolved_late``, Decree 118/2025/NĐ-CP Art. 19(6));
    * ``pending_within_time``, ``pending_overdue``: not finished at the end of the period;
    * ``withdrawn_excluded``: withdrawn dossiers kept apart by
      ``ReportPolicy(withdrawn="exclude")`` (0 under the default policy);
    * ``processing_seconds``, ``processing_count``: working time from receipt to result of the
      resolved dossiers whose processing time was measured, less the applicant's time on the
      last supplement (for the average: Decision 766/QĐ-TTg indicator 2.2's measure,
      :func:`tthc.report.processing_seconds`).

    Derived (properties): ``received_total``, ``resolved_total``, ``pending_total``,
    ``on_time_rate``, ``online_share``, ``average_processing_days``.

    >>> a = Counts(received_online=2, resolved_on_time=1, pending_within_time=1)
    >>> b = Counts(carried_over=1, resolved_late=1)
    >>> (a + b).received_total, (a + b).resolved_total, (a + b).on_time_rate
    (3, 2, 0.5)
    >>> (a + b).check()
    """

    received_online: int = 0
    received_direct_postal: int = 0
    carried_over: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    resolved_late_with_apology: int = 0
    pending_within_time: int = 0
    pending_overdue: int = 0
    withdrawn_excluded: int = 0
    processing_seconds: int = 0
    processing_count: int = 0

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        return Counts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, ...]:
        """The stored counters in field order (see :data:`COUNTER_FIELDS`)."""
        return (
            self.received_online,
            self.received_direct_postal,
            self.carried_over,
            self.resolved_early,
            self.resolved_on_time,
            self.resolved_late,
            self.resolved_late_with_apology,
            self.pending_within_time,
            self.pending_overdue,
            self.withdrawn_excluded,
            self.processing_seconds,
            self.processing_count,
        )

    @classmethod
    def total(cls, items: Iterable[Counts]) -> Counts:
        """Sum an iterable of :class:`Counts` (``Counts()`` when empty).

        >>> Counts.total([Counts(carried_over=1), Counts(carried_over=2)]).carried_over
        3
        """
        result = cls()
        for item in items:
            result = result + item
        return result

    # ------------------------------------------------------------------ derived, never stored

    @property
    def received_new(self) -> int:
        """New dossiers received in the period (online + in person/postal)."""
        return self.received_online + self.received_direct_postal

    @property
    def received_total(self) -> int:
        """Carried over + new online + new in person/postal (column "Tổng số hồ sơ tiếp nhận")."""
        return self.carried_over + self.received_online + self.received_direct_postal

    @property
    def resolved_total(self) -> int:
        """Early + on time + late."""
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending_total(self) -> int:
        """Within time + overdue."""
        return self.pending_within_time + self.pending_overdue

    @property
    def on_time_rate(self) -> float | None:
        """Resolved early or on time ÷ resolved (Decision 766/QĐ-TTg indicator 2.1); ``None``
        when nothing was resolved."""
        if not self.resolved_total:
            return None
        return (self.resolved_early + self.resolved_on_time) / self.resolved_total

    @property
    def online_share(self) -> float | None:
        """New online ÷ new received (Decision 766/QĐ-TTg indicator 3.3); ``None`` when none."""
        if not self.received_new:
            return None
        return self.received_online / self.received_new

    @property
    def average_processing_days(self) -> float | None:
        """Average working time from receipt to result of resolved dossiers, in working days of
        :data:`SECONDS_PER_WORKING_DAY` (Decision 766/QĐ-TTg indicator 2.2); ``None`` when none
        was measured."""
        if not self.processing_count:
            return None
        return self.processing_seconds / SECONDS_PER_WORKING_DAY / self.processing_count

    def check(self, group: str = "totals") -> None:
        """Raise :class:`~tthc.ReconciliationError` unless received total = resolved total +
        pending total (+ withdrawn kept apart) and the late ones with an apology are among the
        late ones, naming ``group``.

        >>> Counts(received_online=1).check("Hộ tịch")
        Traceback (most recent call last):
        ...
        tthc.errors.ReconciliationError: group Hộ tịch does not reconcile: received 1 != resolved 0 + pending 0 + withdrawn kept apart 0
        """
        accounted = self.resolved_total + self.pending_total + self.withdrawn_excluded
        if self.received_total != accounted:
            raise ReconciliationError(
                f"group {group} does not reconcile: received {self.received_total} != "
                f"resolved {self.resolved_total} + pending {self.pending_total} + "
                f"withdrawn kept apart {self.withdrawn_excluded}"
            )
        if self.resolved_late_with_apology > self.resolved_late:
            raise ReconciliationError(
                f"group {group} does not reconcile: late with apology "
                f"{self.resolved_late_with_apology} > late {self.resolved_late}"
            )

    def to_dict(self) -> dict[str, Any]:
        """The JSON keys of the report: form columns, then the derived indicators.

        >>> sorted(Counts().to_dict())[:3]
        ['average_processing_days', 'carried_over', 'late_with_apology']
        """
        return {
            "received_total": self.received_total,
            "received_online": self.received_online,
            "received_direct_postal": self.received_direct_postal,
            "carried_over": self.carried_over,
            "resolved_total": self.resolved_total,
            "resolved_early": self.resolved_early,
            "resolved_on_time": self.resolved_on_time,
            "resolved_late": self.resolved_late,
            "pending_total": self.pending_total,
            "pending_within_time": self.pending_within_time,
            "pending_overdue": self.pending_overdue,
            "withdrawn_excluded": self.withdrawn_excluded,
            "on_time_rate": self.on_time_rate,
            "late_with_apology": self.resolved_late_with_apology,
            "online_share": self.online_share,
            "average_processing_days": self.average_processing_days,
            "processing_seconds": self.processing_seconds,
            "processing_count": self.processing_count,
        }

    def counters(self) -> dict[str, int]:
        """The stored counters only (what to persist or ship between processes)."""
        return asdict(self)

    @classmethod
    def from_counters(cls, values: dict[str, int]) -> Counts:
        """Inverse of :meth:`counters` (also accepts :meth:`to_dict` output, whose derived
        values are ignored, and the ``group`` key of a report's group entry).

        >>> Counts.from_counters(Counts(carried_over=4).to_dict()).carried_over
        4
        >>> Counts.from_counters({"carried_ovr": 4})
        Traceback (most recent call last):
        ...
        tthc.errors.ReportError: counters: unknown key(s) ['carried_ovr']; expected [...]

        Raises:
            ReportError: an unknown key (a typo would otherwise count 0), or a value that is not
                a whole number ≥ 0.
        """
        data = dict(values)
        unknown = sorted(set(data) - _ACCEPTED_KEYS)
        if unknown:
            raise ReportError(
                f"counters: unknown key(s) {unknown}; expected {list(COUNTER_FIELDS)}"
            )
        if "late_with_apology" in data and "resolved_late_with_apology" not in data:
            data["resolved_late_with_apology"] = data["late_with_apology"]
        counters: dict[str, int] = {}
        for name in COUNTER_FIELDS:
            value = data.get(name, 0)
            if type(value) is not int or value < 0:  # bool, float, str: not a count
                raise ReportError(f"counters: {name} = {value!r} is not a whole number ≥ 0")
            counters[name] = value
        return cls(**counters)


COUNTER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Counts))
"""Names of the stored counters of :class:`Counts`, in order."""

_ACCEPTED_KEYS = frozenset(COUNTER_FIELDS) | frozenset(Counts().to_dict()) | {"group"}
"""Keys :meth:`Counts.from_counters` reads or knowingly ignores (derived values; a report
group entry's ``group``)."""
