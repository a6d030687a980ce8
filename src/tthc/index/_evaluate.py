"""What one dossier contributes to each computed indicator: the reference evaluation.

:class:`Evaluator` judges one :class:`~tthc.report.DossierRecord` for a period and returns the
counters it adds (:data:`COUNTERS`: numerator, denominator and unknown of each computed
indicator, and a few side counts) and the bit mask of the list terms it belongs to
(:data:`TERMS`). The streaming builder adds these up; the columnar path computes the same in
SQL and the tests compare them on random data.

How each indicator reads a row (domain guide section 7; the interpretations are listed in
``docs/index-766.md``):

* a value the indicator needs that is unknown (``None``: absent column or empty cell) leaves
  the dossier out of the numerator *and* the denominator and counts it in ``unknown`` — only
  when the answer depends on it (a dossier received in person is in 3.3's denominator whatever
  its result kind);
* ``fee`` and ``paper_result`` fall back on the catalogue (:mod:`tthc.catalog`) for the
  dossier's procedure code and channel: the fee of that channel; a paper result when the
  procedure states a result document (``Procedure.result``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from tthc._enums import Channel, DossierStatus
from tthc._rules import (
    PROGRESS_ON_TIME,
    ProgressJudgement,
    ReportPolicy,
    lookup,
    processing_seconds,
    progress_facts,
)
from tthc.calendar import WorkingCalendar
from tthc.errors import CatalogError, TthcError
from tthc.index._indicators import COMPUTED_INDICATORS
from tthc.report import DossierRecord, Period, ServiceFields, record_facts

__all__ = [
    "BIEU06_LATE_CELLS",
    "COUNTERS",
    "TERMS",
    "CatalogueFacts",
    "Evaluator",
    "counter_index",
    "term_bit",
]

COUNTERS: Final[tuple[str, ...]] = (
    *(f"{i}.{part}" for i in COMPUTED_INDICATORS for part in ("n", "d", "u")),
    "2.1.differs",
    "5.4.late",
    "5.4.complaint",
)
"""The additive counters of a group: ``<id>.n`` numerator, ``<id>.d`` denominator,
``<id>.u`` dossiers left out for unknown data; ``2.1.differs`` dossiers 2.1 judges otherwise
than Biểu số 06; ``5.4.late`` / ``5.4.complaint`` the two terms 5.4 subtracts. (2.2's numerator
is in working seconds.)"""

_INDEX: Final = {name: i for i, name in enumerate(COUNTERS)}

TERMS: Final[tuple[str, ...]] = (
    *(
        f"{i}:{part}"
        for i in COMPUTED_INDICATORS
        for part in ("numerator", "denominator", "unknown")
    ),
    *(f"{i}:not_counted" for i in COMPUTED_INDICATORS),
    "2.1:differs",
    "5.4:late",
    "5.4:complaint",
)
"""The list terms of the index's trace: the dossiers in an indicator's numerator, denominator,
left out as unknown, in the denominator but not the numerator (``not_counted``: those that cost
points), and 2.1's dossiers judged otherwise than Biểu số 06."""

_BIT: Final = {term: 1 << i for i, term in enumerate(TERMS)}

BIEU06_LATE_CELLS: Final = frozenset({"resolved_late", "pending_overdue"})
"""Biểu số 06's cells of a dossier it judges late (compared with 2.1's verdict)."""
_BIEU06_JUDGED: Final = frozenset(
    {
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "pending_within_time",
        "pending_overdue",
    }
)


def counter_index(name: str) -> int:
    """Position of a counter in :data:`COUNTERS`."""
    return _INDEX[name]


def term_bit(term: str) -> int:
    """The bit of a list term in :data:`TERMS`."""
    return _BIT[term]


@dataclass(frozen=True, slots=True)
class CatalogueFacts:
    """What the catalogue says of a procedure for a channel: its fee (``None``: not known)
    and whether its result is a paper document (``None``: not known)."""

    fee: int | None
    paper_result: int | None


@dataclass
class Evaluator:
    """Judges dossiers of ``period`` for the index (see the module docstring).

    ``catalog`` is a catalogue path (``None``: the bundled one) for the fee and result-kind
    fallbacks, read and validated when the evaluator is made (a missing, empty or invalid file
    raises :class:`~tthc.errors.CatalogError` naming it, rather than every procedure counting
    as unknown); ``policy`` is Biểu số 06's, to tell where 2.1 differs from it.
    """

    period: Period
    calendar: WorkingCalendar
    policy: ReportPolicy
    catalog: str | None = None
    _catalogue: dict[tuple[str, Channel], CatalogueFacts] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_catalogue(self.catalog)

    def catalogue(self, code: str | None, channel: Channel) -> CatalogueFacts:
        """The catalogue's fee and result kind for procedure ``code`` and ``channel``."""
        if not code:
            return CatalogueFacts(None, None)
        key = (code, channel)
        hit = self._catalogue.get(key)
        if hit is None:
            hit = self._catalogue[key] = lookup_catalogue(code, channel, self.catalog)
        return hit

    def judge_progress(self, record: DossierRecord) -> ProgressJudgement:
        """Indicator 2.1's judgement of ``record`` at the period's last instant."""
        return progress_facts(
            self.period.as_of,
            status=record.status,
            received_at=record.received_at,
            finished_at=record.finished_at,
            appointment_at=record.due_at,
            supplement_requests=record.supplement_requests,
            supplement_requested_at=record.supplement_requested_at,
            supplement_received_at=record.supplement_received_at,
        )

    def bieu06_cell(self, record: DossierRecord) -> str | None:
        """Biểu số 06's result cell for ``record`` at the period's last instant."""
        facts, _ = record_facts(record, self.period.as_of, self.calendar)
        return lookup(facts, self.policy).cell

    def processing_seconds(self, record: DossierRecord) -> int:
        """Indicator 2.2's measure: working seconds from receipt to the end of processing, less
        the working seconds of the last supplement wait (never below 0)."""
        assert record.finished_at is not None
        return processing_seconds(
            self.calendar.working_seconds,
            record.received_at,
            record.finished_at,
            record.supplement_requested_at,
            record.supplement_received_at,
        )

    def evaluate(self, record: DossierRecord) -> tuple[list[tuple[int, int]], int]:
        """The counters ``record`` adds (``(position, amount)``) and its list-term mask."""
        start, end, as_of = self.period.start, self.period.end, self.period.as_of
        received = record.received_at
        finished = record.finished_at
        adds: list[tuple[int, int]] = []
        mask = 0

        def count(id_: str, in_numerator: bool | None) -> None:
            """One dossier in ``id_``'s scope: in the numerator, not, or unknown (None)."""
            nonlocal mask
            if in_numerator is None:
                adds.append((_INDEX[f"{id_}.u"], 1))
                mask |= _BIT[f"{id_}:unknown"]
                return
            adds.append((_INDEX[f"{id_}.d"], 1))
            mask |= _BIT[f"{id_}:denominator"]
            if in_numerator:
                adds.append((_INDEX[f"{id_}.n"], 1))
                mask |= _BIT[f"{id_}:numerator"]
            else:
                mask |= _BIT[f"{id_}:not_counted"]

        in_table = received < end and not (finished is not None and finished < start)
        received_in = start <= received < end
        finished_in = finished is not None and start <= finished < end
        judgement = self.judge_progress(record) if in_table else None
        if judgement is not None:
            verdict = judgement.verdict
            count("2.1", None if verdict is None else verdict == PROGRESS_ON_TIME)
            cell = self.bieu06_cell(record)
            if (
                verdict is not None
                and cell in _BIEU06_JUDGED
                and (cell in BIEU06_LATE_CELLS) != (verdict != PROGRESS_ON_TIME)
            ):
                adds.append((_INDEX["2.1.differs"], 1))
                mask |= _BIT["2.1:differs"]
        if received_in:
            service = record.service or _UNKNOWN
            count("1.4", _flag(service.synced))
            catalogue: CatalogueFacts | None = None

            def paper() -> int | None:
                nonlocal catalogue
                if service.paper_result is not None:
                    return service.paper_result
                if catalogue is None:
                    catalogue = self.catalogue(record.procedure_code, record.channel)
                return catalogue.paper_result

            # 3.3: online share (a paper result counts online only with an electronic result)
            if record.channel is not Channel.ONLINE:
                count("3.3", False)
            else:
                kind = paper()
                if kind is None:
                    count("3.3", None)
                elif kind:
                    count("3.3", _flag(service.e_result))
                else:
                    count("3.3", True)
            # 3.6: paid online, among dossiers with a fee
            fee = service.fee
            if fee is None:
                if catalogue is None:
                    catalogue = self.catalogue(record.procedure_code, record.channel)
                fee = catalogue.fee
            if fee is None:
                count("3.6", None)
            elif fee > 0:
                paid = service.paid_online
                count("3.6", None if paid is None else paid in (1, 2))
            # 4.1: electronic results, among procedures with a paper result
            kind = paper()
            if kind is None:
                count("4.1", None)
            elif kind:
                count("4.1", _flag(service.e_result))
            # 4.2: digitised and, for a paper result, an electronic result
            digitised = service.digitised
            if digitised is None:
                count("4.2", None)
            elif not digitised:
                count("4.2", False)
            elif kind is None:
                count("4.2", None)
            elif kind:
                count("4.2", _flag(service.e_result))
            else:
                count("4.2", True)
            count("4.3", _flag(service.reused_data))
            count("4.4", _flag(service.from_citizen_store))
            count("4.5", _flag(service.vneid))
            # 2.2: completed or returned by the end, processing started in the period
            if (
                finished is not None
                and finished <= as_of
                and record.status in (DossierStatus.COMPLETED, DossierStatus.RETURNED)
            ):
                adds.append((_INDEX["2.2.d"], 1))
                adds.append((_INDEX["2.2.n"], self.processing_seconds(record)))
                mask |= _BIT["2.2:denominator"] | _BIT["2.2:numerator"]
        if finished_in:
            assert judgement is not None  # finished in the period: in the table
            complaint = (record.service or _UNKNOWN).complaint
            verdict = judgement.verdict
            if complaint is None or verdict is None:
                count("5.4", None)
            else:
                late = verdict != PROGRESS_ON_TIME
                adds.append((_INDEX["5.4.d"], 1))
                mask |= _BIT["5.4:denominator"]
                adds.append((_INDEX["5.4.n"], 1 - int(late) - int(complaint == 1)))
                if not late and complaint != 1:
                    mask |= _BIT["5.4:numerator"]
                else:
                    mask |= _BIT["5.4:not_counted"]
                if late:
                    adds.append((_INDEX["5.4.late"], 1))
                    mask |= _BIT["5.4:late"]
                if complaint == 1:
                    adds.append((_INDEX["5.4.complaint"], 1))
                    mask |= _BIT["5.4:complaint"]
        return adds, mask


_UNKNOWN: Final = ServiceFields()


def _flag(value: int | None) -> bool | None:
    return None if value is None else value == 1


def check_catalogue(path: str | None) -> None:
    """Read and validate the catalogue at ``path`` (``None``: the bundled one, checked when
    first used), so that a catalogue that cannot be read stops the index before it starts.

    Raises:
        CatalogError: naming the file and what is wrong with it (not found, a directory, not
            JSON, an invalid entry…).
    """
    if path is not None:
        from tthc.catalog import load

        try:
            load(path)
        except OSError as exc:  # a directory, no permission…: the catalogue's error all the same
            raise CatalogError(f"catalogue {path}: {exc.strerror or exc}") from None


def lookup_catalogue(code: str, channel: Channel, path: str | None = None) -> CatalogueFacts:
    """The catalogue's fee (sum of the channel's fees, đồng) and result kind for a procedure:
    ``None`` for what it does not know (a code not in the catalogue or matching several of
    its entries, a channel not offered, no result stated).

    >>> lookup_catalogue("2.000635", Channel.ONLINE)
    CatalogueFacts(fee=8000, paper_result=1)
    >>> lookup_catalogue("9.999999", Channel.ONLINE)
    CatalogueFacts(fee=None, paper_result=None)

    Raises:
        CatalogError: if the catalogue at ``path`` cannot be read or is invalid (a catalogue
            that cannot be read says nothing of any procedure: not an unknown one).
    """
    from tthc.catalog import get

    try:
        procedure = get(code, path)
    except (CatalogError, OSError):
        check_catalogue(path)  # raises for a file that cannot be read or is invalid
        return CatalogueFacts(None, None)  # the code is not in a valid catalogue
    try:
        fee: int | None = sum(f.amount_vnd for f in procedure.fees_for(channel))
    except TthcError:
        fee = None
    paper = 1 if procedure.result else None
    return CatalogueFacts(fee, paper)
