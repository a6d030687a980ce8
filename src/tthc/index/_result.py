"""The service index of a period: counters per group, the indicators derived from them.

:class:`ServiceIndex` holds plain integer counters per group (:class:`IndexCounts`), so results
merge exactly — ward results add up to a province, partitions to the whole — and everything
else (ratios, scores, group scores) is derived when read, as in the Biểu số 06 report.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from tthc._merge import merged_groups
from tthc._rules import PORTAL_FORMULA_VERSION, ReportPolicy
from tthc._text import vietnamese_sort_key
from tthc.errors import ReportError
from tthc.index._evaluate import COUNTERS, TERMS, Evaluator, counter_index, term_bit
from tthc.index._indicators import (
    COMPUTED_INDICATORS,
    GROUPS,
    INDICATORS,
    IndicatorValue,
    indicator,
    value_from_dict,
)
from tthc.index._inputs import IndexInputs
from tthc.lifecycle import WorkingDuration
from tthc.report import DossierRecord, DossierTrace, ListedDossier, Period, Report

__all__ = ["INDEX_KIND", "GroupScore", "IndexCounts", "ServiceIndex"]

INDEX_KIND: Final = "service_index"
"""The ``kind`` of the JSON form (:meth:`ServiceIndex.to_dict`), to tell it from a report."""

TOTAL_GROUP: Final = "total"
"""The key of the whole index in ``groups_score``."""

Key = tuple[str, ...]

_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")
"""A code point UTF-8 cannot encode (a group's name from Python text may hold one)."""
_EXTRA: Final[Mapping[str, tuple[str, ...]]] = {"2.1": ("differs",), "5.4": ("late", "complaint")}


@dataclass(frozen=True, slots=True)
class IndexCounts:
    """The additive counters of one group (:data:`COUNTERS` order).

    >>> a = IndexCounts.of({"2.1.n": 3, "2.1.d": 4})
    >>> (a + a)["2.1.d"], (a + a).value("2.1").ratio
    (8, 0.75)
    """

    values: tuple[int, ...] = (0,) * len(COUNTERS)

    @classmethod
    def of(cls, counters: Mapping[str, int]) -> IndexCounts:
        """From ``{counter name: value}`` (the others 0)."""
        values = [0] * len(COUNTERS)
        for name, value in counters.items():
            values[counter_index(name)] = value
        return cls(tuple(values))

    def __getitem__(self, name: str) -> int:
        return self.values[counter_index(name)]

    def __add__(self, other: IndexCounts) -> IndexCounts:
        if not isinstance(other, IndexCounts):
            return NotImplemented
        return IndexCounts(tuple(a + b for a, b in zip(self.values, other.values, strict=True)))

    def value(self, id_: str, sync_share: float | None = None) -> IndicatorValue:
        """Indicator ``id_``'s value from these counters (a computed indicator)."""
        extra = {name: self[f"{id_}.{name}"] for name in _EXTRA.get(id_, ())}
        return IndicatorValue(
            id_,
            self[f"{id_}.n"],
            self[f"{id_}.d"],
            self[f"{id_}.u"],
            sync_share,
            extra or None,
        )

    @classmethod
    def total(cls, items: Iterable[IndexCounts]) -> IndexCounts:
        """The sum of ``items``."""
        result = cls()
        for item in items:
            result = result + item
        return result


class GroupScore(NamedTuple):
    """The points of one group of indicators (or of the whole index, ``id == "total"``):
    the sum of the scores known, the group's maximum, and the indicators without a score —
    ``missing``: without a value (not computed, or N/A: nothing to divide); ``not_scored``:
    with a value but no points, because their points are not confirmed (3.3, whose share of
    the 12 online-service points the source does not give)."""

    id: str
    title_vi: str
    title_en: str
    score: float
    max_points: int
    missing: tuple[str, ...]
    not_scored: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (``complete``: no indicator of the group is missing or not scored)."""
        return {
            "score": round(self.score, 6),
            "max_points": self.max_points,
            "missing": list(self.missing),
            "not_scored": list(self.not_scored),
            "complete": not self.missing and not self.not_scored,
        }


def _describe_merged(index: object) -> str:
    """A service index in a merge refusal: its period and grouping."""
    assert isinstance(index, ServiceIndex)
    return f"{index.period.code} by {','.join(index.group_by)}"


@dataclass(frozen=True, slots=True)
class ServiceIndex:
    """The Decision 766/QĐ-TTg service index of a period, per group and in total.

    Attributes:
        period: the period; ``group_by``: the dimensions of the group keys (those of
            :data:`tthc.report.DIMENSIONS`, or ``("unit",)`` for one group per unit).
        groups: ``{key: IndexCounts}``.
        inputs: the input indicators' values (:class:`IndexInputs`), shown in the totals.
        policy: Biểu số 06's policy (to tell where 2.1 differs from it).
        rows_read, rows_rejected: the row accounting of the input.
        unit, source, calendar_fingerprint, calendar_notices: as in
            :class:`~tthc.report.Report` (the working calendar's fingerprint and its notice set,
            so that the index can be recomputed on the same calendar).
        catalog: the catalogue path used for the fee and result-kind fallbacks (``None``:
            the bundled one).
        report: the Biểu số 06 report of the same rows, built in the same pass (not compared,
            not in :meth:`to_dict`); ``None`` after :meth:`from_dict`. Built with
            ``trace=True``, its :attr:`~tthc.report.Report.trace` holds the dossiers behind both
            the form's cells and the index's terms (every indicator's dossiers are dossiers of
            the form's table).

    >>> idx = ServiceIndex(Period.parse("2024-Q1"), groups={("Hộ tịch",): IndexCounts.of(
    ...     {"2.1.n": 9, "2.1.d": 10, "4.2.n": 7, "4.2.d": 10})})
    >>> v = idx.values()["2.1"]
    >>> v.numerator, v.denominator, v.ratio, v.score
    (9, 10, 0.9, 18.0)
    >>> idx.values()["1.4"].status, idx.values()["1.1"].status
    ('n/a', 'not computed')
    >>> [(g.id, g.score) for g in idx.group_scores()][1:2]
    [('progress', 18.0)]
    """

    period: Period
    group_by: tuple[str, ...] = ("domain",)
    groups: Mapping[Key, IndexCounts] = field(default_factory=dict)
    inputs: IndexInputs | None = None
    policy: ReportPolicy = field(default_factory=ReportPolicy)
    rows_read: int = 0
    rows_rejected: int = 0
    unit: str | None = None
    source: str | None = None
    calendar_fingerprint: str | None = None
    calendar_notices: str | None = None
    report: Report | None = field(default=None, compare=False, repr=False)
    catalog: str | None = field(default=None, compare=False, repr=False)

    @property
    def trace(self) -> DossierTrace | None:
        """The dossiers behind the numbers (the report's trace), when built with ``trace=True``."""
        return None if self.report is None else self.report.trace

    # -- reading

    @property
    def totals(self) -> IndexCounts:
        """The counters of every group together."""
        return IndexCounts.total(self.groups.values())

    def rows(self) -> list[tuple[Key, IndexCounts]]:
        """The groups sorted by key."""
        return sorted(
            self.groups.items(), key=lambda item: tuple(map(vietnamese_sort_key, item[0]))
        )

    def counts(self, group: Key | str | None = None) -> IndexCounts:
        """The counters of ``group`` (a key; a string for one dimension) or of the totals."""
        if group is None:
            return self.totals
        key = (group,) if isinstance(group, str) else tuple(group)
        found = self.groups.get(key)
        if found is None:
            known = "; ".join(" / ".join(k) for k, _ in self.rows()) or "none"
            raise ReportError(f"the index has no group {' / '.join(key)!r}; its groups: {known}")
        return found

    def values(self, group: Key | str | None = None) -> dict[str, IndicatorValue]:
        """Every indicator's value for ``group`` (``None``: the totals, where the inputs are
        shown), in the order of :data:`INDICATORS`."""
        counts = self.counts(group)
        sync = counts.value("1.4").ratio
        out: dict[str, IndicatorValue] = {}
        for ind in INDICATORS:
            if ind.computed:
                out[ind.id] = counts.value(ind.id, sync if ind.id == "3.3" else None)
            elif group is None and self.inputs is not None and ind.id in self.inputs.values:
                out[ind.id] = self.inputs.values[ind.id]
            else:
                out[ind.id] = IndicatorValue(ind.id)
        return out

    def group_scores(self, group: Key | str | None = None) -> list[GroupScore]:
        """Each group of indicators' points (the scores known added up, the others listed as
        missing, or as not scored when they have a value but their points are not known), then
        the whole index (``"total"``).

        >>> from tthc.index import demo_index
        >>> online = demo_index().group_scores()[2]
        >>> online.id, online.missing, online.not_scored
        ('online_service', ('3.1', '3.2', '3.5'), ('3.3',))
        """
        values = self.values(group)
        out: list[GroupScore] = []
        total = 0.0
        missing_all: list[str] = []
        not_scored_all: list[str] = []
        for g in GROUPS:
            score = 0.0
            missing: list[str] = []
            not_scored: list[str] = []
            for id_ in g.indicators:
                value = values[id_]
                if value.score is not None:
                    score += value.score
                elif not indicator(id_).scored:
                    continue
                elif value.status == "computed":  # a value, but its points are not known
                    not_scored.append(id_)
                else:
                    missing.append(id_)
            out.append(
                GroupScore(
                    g.id,
                    g.title_vi,
                    g.title_en,
                    score,
                    g.max_points,
                    tuple(missing),
                    tuple(not_scored),
                )
            )
            total += score
            missing_all += missing
            not_scored_all += not_scored
        out.append(
            GroupScore(
                TOTAL_GROUP,
                "Chỉ số phục vụ (Quyết định 766/QĐ-TTg)",
                "Service index (Decision 766/QĐ-TTg)",
                total,
                sum(g.max_points for g in GROUPS),
                tuple(missing_all),
                tuple(not_scored_all),
            )
        )
        return out

    def labels(self, key: Key) -> tuple[str, ...]:
        """Human labels of a group key (an empty value: "(không ghi / not given)")."""
        return tuple(v if v else "(không ghi / not given)" for v in key)

    # -- merging

    def merge(self, other: ServiceIndex) -> ServiceIndex:
        """The index of both inputs' dossiers: counters add, group by group. Same period,
        grouping, policy and working calendar required (:class:`~tthc.ReportError` otherwise).

        >>> p = Period.parse("2024-Q1")
        >>> a = ServiceIndex(p, groups={("X",): IndexCounts.of({"2.1.n": 1, "2.1.d": 2})})
        >>> (a + a).values()["2.1"].denominator
        4
        """
        groups = merged_groups(self, other, "service indexes", _describe_merged)
        inputs = self.inputs.merge(other.inputs) if self.inputs is not None else None
        report = None
        if self.report is not None and other.report is not None:
            report = self.report.merge(other.report)
        return ServiceIndex(
            period=self.period,
            group_by=self.group_by,
            groups=groups,
            inputs=inputs,
            policy=self.policy,
            rows_read=self.rows_read + other.rows_read,
            rows_rejected=self.rows_rejected + other.rows_rejected,
            unit=self.unit if self.unit == other.unit else None,
            source=self.source if self.source == other.source else None,
            calendar_fingerprint=self.calendar_fingerprint,
            calendar_notices=self.calendar_notices,
            report=report,
            catalog=self.catalog,
        )

    def __add__(self, other: ServiceIndex) -> ServiceIndex:
        if not isinstance(other, ServiceIndex):
            return NotImplemented
        return self.merge(other)

    # -- JSON

    def _entry(self, group: Key | None) -> dict[str, object]:
        return {
            "indicators": {id_: v.to_dict() for id_, v in self.values(group).items()},
            "groups_score": {g.id: g.to_dict() for g in self.group_scores(group)},
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"period", "groups": [{"key", "indicators": {"2.1": {"numerator",
        "denominator", "ratio", "score", "max_points", "confirmed", …}}, "groups_score"}],
        "totals": {…same…}}`` plus the grouping, policy, inputs and row accounting.

        >>> d = ServiceIndex(Period.parse("2024-Q1")).to_dict()
        >>> d["kind"], d["totals"]["indicators"]["2.1"]["ratio"], d["totals"]["groups_score"]["total"]["max_points"]
        ('service_index', None, 100)
        """
        return {
            "kind": INDEX_KIND,
            "decision": "766/QĐ-TTg",
            "formula_version": PORTAL_FORMULA_VERSION,
            "unit": self.unit,
            "source": self.source,
            "period": self.period.to_dict(),
            "group_by": list(self.group_by),
            "policy": self.policy.model_dump(),
            "calendar_fingerprint": self.calendar_fingerprint,
            "calendar_notices": self.calendar_notices,
            "groups": [
                {"key": dict(zip(self.group_by, key, strict=True)), **self._entry(key)}
                for key, _ in self.rows()
            ],
            "totals": self._entry(None),
            "inputs": None if self.inputs is None else self.inputs.to_dict(),
            "rows": {
                "read": self.rows_read,
                "rejected": self.rows_rejected,
                "valid": self.rows_read - self.rows_rejected,
            },
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept; a lone surrogate, which UTF-8
        cannot encode, written as its JSON escape, so the text always encodes).

        >>> text = ServiceIndex(Period.parse("2024-Q1"), unit="X\\ud800").to_json()
        >>> json.loads(text.encode("utf-8"))["unit"]
        'X\\ud800'
        """
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
        # A raw lone surrogate can only stand inside a JSON string: escape it there.
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ServiceIndex:
        """Rebuild from :meth:`to_dict` (e.g. a ward's JSON, to merge into a province's).

        >>> p = Period.parse("2024-Q1", official=True)
        >>> idx = ServiceIndex(p, groups={("X",): IndexCounts.of({"5.4.n": 1, "5.4.d": 3,
        ...                    "5.4.late": 1, "5.4.complaint": 1})})
        >>> ServiceIndex.from_dict(idx.to_dict()) == idx
        True
        """
        if data.get("kind") != INDEX_KIND:
            raise ReportError(
                f"not a service index (kind {data.get('kind')!r}; expected {INDEX_KIND!r})"
            )
        p = data["period"]
        first, last = dt.date.fromisoformat(p["first_day"]), dt.date.fromisoformat(p["last_day"])
        if p["kind"] == "range":
            period = Period.between(first, last)
        else:
            period = Period.parse(p["code"], official=bool(p["official_cutoff"]))
        group_by = tuple(data["group_by"])
        groups: dict[Key, IndexCounts] = {}
        for entry in data["groups"]:
            key = tuple(entry["key"][d] for d in group_by)
            if key in groups:
                raise ReportError(f"group {' / '.join(map(str, key))!r} is given twice")
            groups[key] = _counts_from(entry["indicators"])
        rows = data.get("rows", {})
        inputs = data.get("inputs")
        return cls(
            period=period,
            group_by=group_by,
            groups=groups,
            inputs=None if inputs is None else IndexInputs.from_mapping(inputs),
            policy=ReportPolicy(**data.get("policy", {})),
            rows_read=int(rows.get("read", 0)),
            rows_rejected=int(rows.get("rejected", 0)),
            unit=data.get("unit"),
            source=data.get("source"),
            calendar_fingerprint=data.get("calendar_fingerprint"),
            calendar_notices=data.get("calendar_notices"),
        )

    # -- the dossiers behind the numbers

    def dossiers(self, term: str, group: Key | str | None = None) -> list[ListedDossier]:
        """The dossiers behind an indicator's term — ``"2.1"`` (its denominator),
        ``"2.1:numerator"``, ``"2.1:denominator"``, ``"2.1:not_counted"`` (in the denominator,
        not the numerator: those that cost points), ``"2.1:unknown"`` (left out for unknown
        data), ``"2.1:differs"`` (judged otherwise than Biểu số 06), ``"5.4:late"``,
        ``"5.4:complaint"`` — of ``group`` or of the totals, in input order. Each shows its
        Biểu số 06 cell and indicator 2.1's verdict side by side. Needs an index built with
        ``trace=True``."""
        if self.trace is None:
            raise ReportError(
                "the index keeps no list of its dossiers: build it with trace=True "
                "(tthc index --list INDICATOR)"
            )
        name = term if ":" in term else f"{term}:denominator"
        if name not in TERMS:
            raise ReportError(
                f"no list {term!r}; the lists are INDICATOR[:numerator|:denominator|"
                f":not_counted|:unknown] for {', '.join(COMPUTED_INDICATORS)}, and 2.1:differs, "
                "5.4:late, 5.4:complaint"
            )
        key = None
        if group is not None:
            key = (group,) if isinstance(group, str) else tuple(group)
            self.counts(key)  # a clear error for an unknown group
        trace = self.trace
        evaluator = Evaluator(self.period, trace.calendar, trace.policy, self.catalog)
        bit = term_bit(name)
        out: list[ListedDossier] = []
        for k, record, _ in trace.entries(None, key):
            _adds, mask = evaluator.evaluate(record)
            if mask & bit:
                out.append(_index_entry(k, record, evaluator))
        return out


def _index_entry(key: Key, record: DossierRecord, evaluator: Evaluator) -> ListedDossier:
    period = evaluator.period
    base = ListedDossier.of(
        record, key, period.as_of, policy=evaluator.policy, calendar=evaluator.calendar
    )
    in_table = record.received_at < period.end and not (
        record.finished_at is not None and record.finished_at < period.start
    )
    if not in_table:
        return base
    judgement = evaluator.judge_progress(record)
    late_by = None
    compared = judgement.compared_end
    if (
        judgement.verdict == "late"
        and judgement.deadline is not None
        and compared is not None
        and compared > judgement.deadline
    ):
        late_by = WorkingDuration.from_timedelta(
            evaluator.calendar.working_time_between(judgement.deadline, compared)
        )
    return base._replace(
        progress=judgement.verdict, progress_end=judgement.end, progress_late_by=late_by
    )


def _counts_from(indicators: Mapping[str, Mapping[str, object]]) -> IndexCounts:
    counters: dict[str, int] = {}
    for id_ in COMPUTED_INDICATORS:
        entry = indicators.get(id_)
        if entry is None:
            continue
        value = value_from_dict(id_, entry)
        counters[f"{id_}.n"] = value.numerator
        counters[f"{id_}.d"] = value.denominator
        counters[f"{id_}.u"] = value.unknown
        for name, amount in (value.extra or {}).items():
            counters[f"{id_}.{name}"] = amount
    return IndexCounts.of(counters)
