"""The indicators of the Decision 766/QĐ-TTg service index as named formula objects.

Each :class:`Indicator` says what it counts (numerator, denominator, which dossiers of the
period), how it scores (maximum points, threshold), where the formula comes from (the national
portal's formula description, domain guide section 7 — **portal practice, not law**), its
version date, and whether its scoring is confirmed. :class:`IndicatorValue` is one indicator's
result for one group: numerator and denominator (what adds up when results merge), the dossiers
left out for unknown data, and the derived ratio and score.

A ratio with a zero denominator is ``None`` ("N/A"), never 0 % or 100 %; an indicator the
dossiers cannot give (1.1–1.3, 3.1, 3.2, 3.5, 4.6, 4.7, 5.1–5.3) is taken from an input
(:class:`IndexInputs`) or shown "not computed", never invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

from tthc._rules import PORTAL_FORMULA_SOURCE, PORTAL_FORMULA_VERSION
from tthc.errors import ReportError
from tthc.report import SECONDS_PER_WORKING_DAY

__all__ = [
    "COMPUTED_INDICATORS",
    "GROUPS",
    "INDICATORS",
    "INPUT_INDICATORS",
    "Indicator",
    "IndicatorGroup",
    "IndicatorValue",
    "Scope",
    "indicator",
]

Scope = Literal["received", "table", "finished", "completed", "input"]
"""Which dossiers of the period an indicator counts (:attr:`Indicator.scope`):

* ``"received"``: received in the period (receipt instant in ``[start, end)``: the portal's
  "by receipt date" / "by processing start", the interchange format having one instant for both);
* ``"table"``: received or processed in the period — the dossiers of the Biểu số 06 table
  (received in it, or received before it and not finished before it);
* ``"finished"``: reached an end state (completed, returned, refused, withdrawn) in the period;
* ``"completed"``: received in the period and completed or returned by its end;
* ``"input"``: not from dossiers: given by an input file (:class:`IndexInputs`)."""


class IndicatorGroup(NamedTuple):
    """A group of indicators and its maximum points (Decision 766/QĐ-TTg: 100 in all)."""

    id: str
    title_vi: str
    title_en: str
    max_points: int
    indicators: tuple[str, ...]


GROUPS: Final[tuple[IndicatorGroup, ...]] = (
    IndicatorGroup(
        "transparency", "Công khai, minh bạch", "Transparency", 18, ("1.1", "1.2", "1.3", "1.4")
    ),
    IndicatorGroup("progress", "Tiến độ giải quyết", "Progress", 20, ("2.1", "2.2")),
    IndicatorGroup(
        "online_service",
        "Dịch vụ công trực tuyến",
        "Online service",
        12,
        ("3.1", "3.2", "3.3", "3.5"),
    ),
    IndicatorGroup("online_payment", "Thanh toán trực tuyến", "Online payment", 10, ("3.6",)),
    IndicatorGroup(
        "digitisation",
        "Mức độ số hóa hồ sơ",
        "Digitisation",
        22,
        ("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"),
    ),
    IndicatorGroup(
        "satisfaction", "Mức độ hài lòng", "Satisfaction", 18, ("5.1", "5.2", "5.3", "5.4")
    ),
)
"""The six groups and their points (domain guide section 7): transparency 18, progress 20,
online service 12, online payment 10, digitisation 22, satisfaction 18."""

_GUIDE: Final = PORTAL_FORMULA_SOURCE
_SCORE_PLACES: Final = 9
"""Scores are rounded to this many decimal places (binary floating point noise)."""
_PROPORTIONAL: Final = (
    "assumed ratio × maximum points: the source gives the points, not the scoring formula"
)


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of the service index: a named formula.

    Attributes:
        id: ``"2.1"`` …; ``group``: its :class:`IndicatorGroup` id.
        title_vi, title_en: its title.
        numerator, denominator: what each counts (English), for the docs and the outputs.
        scope: which dossiers of the period it counts (:data:`Scope`).
        max_points: its points in the index (``None`` when the split is not known).
        threshold: the ratio from which it earns full points; below it, ``ratio × max /
            threshold`` (``1.0``: proportional). ``None`` for an indicator not scored.
        scoring: how it scores, in words (and what is assumed).
        confirmed: whether its scoring (points and formula) is confirmed by the source.
        computed: whether it is computed from dossier data (else it is an input).
        unit: ``"%"``, or ``"working days"`` for 2.2's average.
        source, version: the formula's source and version date.

    >>> ind = indicator("4.2")
    >>> ind.score(0.4), ind.score(0.9), ind.confirmed
    (2.0, 4.0, True)
    """

    id: str
    title_vi: str
    title_en: str
    group: str
    numerator: str
    denominator: str
    scope: Scope
    max_points: float | None
    threshold: float | None
    scoring: str
    confirmed: bool
    computed: bool = True
    unit: str = "%"
    source: str = _GUIDE
    version: str = PORTAL_FORMULA_VERSION

    def score(self, ratio: float | None) -> float | None:
        """Points for ``ratio`` (``None`` when the ratio, the points or the formula is missing):
        full at or above :attr:`threshold`, else ``ratio × max / threshold``; never negative."""
        if ratio is None or self.max_points is None or self.threshold is None:
            return None
        if ratio >= self.threshold:
            return float(self.max_points)
        # Rounded to 9 places: 0.6 × 4 / 0.8 is 3 points, not 2.9999999999999996.
        return max(0.0, round(ratio * self.max_points / self.threshold, _SCORE_PLACES))

    @property
    def scored(self) -> bool:
        """Whether the indicator carries points (2.2 does not), known or not."""
        return self.scoring != "not scored"

    def title(self, lang: str = "bilingual") -> str:
        """The title in ``vi``, ``en`` or both."""
        if lang == "vi":
            return self.title_vi
        if lang == "en":
            return self.title_en
        return f"{self.title_vi} ({self.title_en})"


def _input(id_: str, group: str, title_vi: str, title_en: str, points: float | None) -> Indicator:
    return Indicator(
        id=id_,
        title_vi=title_vi,
        title_en=title_en,
        group=group,
        numerator="given by the input file",
        denominator="given by the input file",
        scope="input",
        max_points=points,
        threshold=1.0 if points is not None else None,
        scoring=(
            "the input's score, else its ratio × maximum points (assumed)"
            if points is not None
            else "points not known: the input's score if given"
        ),
        confirmed=False,
        computed=False,
    )


INDICATORS: Final[tuple[Indicator, ...]] = (
    _input(
        "1.1",
        "transparency",
        "Chỉ số 1.1 (từ Cơ sở dữ liệu quốc gia về TTHC)",
        "Indicator 1.1 (from the national procedure database)",
        6,
    ),
    _input(
        "1.2",
        "transparency",
        "Chỉ số 1.2 (từ Cơ sở dữ liệu quốc gia về TTHC)",
        "Indicator 1.2 (from the national procedure database)",
        4,
    ),
    _input(
        "1.3",
        "transparency",
        "Chỉ số 1.3 (từ Cơ sở dữ liệu quốc gia về TTHC)",
        "Indicator 1.3 (from the national procedure database)",
        2,
    ),
    Indicator(
        "1.4",
        "Tỷ lệ hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia",
        "Dossiers synced to the national portal",
        "transparency",
        "dossiers synced to the portal (synced = 1)",
        "dossiers received in the period",
        "received",
        6,
        1.0,
        _PROPORTIONAL,
        confirmed=False,
    ),
    Indicator(
        "2.1",
        "Tỷ lệ hồ sơ giải quyết đúng hạn (quy tắc của Cổng)",
        "Dossiers on time (the portal's rule)",
        "progress",
        "dossiers finished on time + pending within time, by the portal's rule "
        "(tthc.index.PROGRESS_RULES)",
        "dossiers received or processed in the period",
        "table",
        20,
        1.0,
        _PROPORTIONAL,
        confirmed=False,
    ),
    Indicator(
        "2.2",
        "Thời gian giải quyết trung bình",
        "Average processing time",
        "progress",
        "working time from receipt to end of processing, the supplement wait subtracted",
        "dossiers completed or returned whose processing started in the period",
        "completed",
        None,
        None,
        "not scored",
        confirmed=True,
        unit="working days",
    ),
    _input(
        "3.1",
        "online_service",
        "Chỉ số 3.1 (từ Cơ sở dữ liệu quốc gia về TTHC)",
        "Indicator 3.1 (from the national procedure database)",
        None,
    ),
    _input(
        "3.2",
        "online_service",
        "Chỉ số 3.2 (từ Cơ sở dữ liệu quốc gia về TTHC)",
        "Indicator 3.2 (from the national procedure database)",
        None,
    ),
    Indicator(
        "3.3",
        "Tỷ lệ hồ sơ trực tuyến",
        "Online dossiers",
        "online_service",
        "dossiers received online in the period (for a procedure with a paper result, only "
        "those given an electronic result)",
        "dossiers received in the period; the ratio is multiplied by 1.4's sync share",
        "received",
        None,
        0.5,
        "full score at ≥ 50 %, below that share × max / 50 %; the maximum (a share of the "
        "12 online-service points over 3.1–3.3) is not confirmed",
        confirmed=False,
    ),
    _input(
        "3.5",
        "online_service",
        "Chỉ số 3.5 (từ Cơ sở dữ liệu quốc gia về TTHC)",
        "Indicator 3.5 (from the national procedure database)",
        None,
    ),
    Indicator(
        "3.6",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        "Fees paid online",
        "online_payment",
        "dossiers paid online (paid_online = 1 national portal, 2 local gateway)",
        "dossiers received in the period whose fee (the dossier's, else the catalogue's for "
        "its procedure and channel) is not 0",
        "received",
        10,
        1.0,
        _PROPORTIONAL,
        confirmed=False,
    ),
    Indicator(
        "4.1",
        "Tỷ lệ hồ sơ được cấp kết quả điện tử",
        "Electronic results issued",
        "digitisation",
        "dossiers with an electronic result file (e_result = 1)",
        "dossiers received in the period of procedures whose result is a paper document",
        "received",
        6,
        1.0,
        _PROPORTIONAL,
        confirmed=False,
    ),
    Indicator(
        "4.2",
        "Tỷ lệ số hóa hồ sơ",
        "Dossiers digitised",
        "digitisation",
        "dossiers digitised (digitised = 1) and, for a paper result, given an electronic result",
        "dossiers received in the period",
        "received",
        4,
        0.8,
        "full score at ≥ 80 %, below that share × max / 80 %",
        confirmed=True,
    ),
    Indicator(
        "4.3",
        "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa",
        "Digitised data reused",
        "digitisation",
        "dossiers with a component reusing digitised data (reused_data = 1)",
        "dossiers received in the period",
        "received",
        2,
        0.8,
        "full score at ≥ 80 %; below that share × max / 80 % (assumed as for 4.2)",
        confirmed=False,
    ),
    Indicator(
        "4.4",
        "Tỷ lệ sử dụng dữ liệu từ Kho quản lý dữ liệu điện tử của công dân",
        "Data from the citizen's data store",
        "digitisation",
        "dossiers with a component from the citizen's data store or the result synced to it "
        "(from_citizen_store = 1)",
        "dossiers received in the period",
        "received",
        2,
        1.0,
        _PROPORTIONAL,
        confirmed=False,
    ),
    Indicator(
        "4.5",
        "Tỷ lệ hồ sơ xác thực VNeID hoặc dùng dữ liệu dân cư",
        "Authenticated with VNeID or population data",
        "digitisation",
        "dossiers authenticated with VNeID or using the population database (vneid = 1)",
        "dossiers received in the period",
        "received",
        4,
        1.0,
        _PROPORTIONAL,
        confirmed=False,
    ),
    _input(
        "4.6",
        "digitisation",
        "Chỉ số 4.6 (không tính được từ hồ sơ)",
        "Indicator 4.6 (not computable from dossiers)",
        2,
    ),
    _input(
        "4.7",
        "digitisation",
        "Chỉ số 4.7 (không tính được từ hồ sơ)",
        "Indicator 4.7 (not computable from dossiers)",
        2,
    ),
    _input(
        "5.1",
        "satisfaction",
        "Chỉ số 5.1 (từ Hệ thống tiếp nhận phản ánh, kiến nghị)",
        "Indicator 5.1 (from the complaints system)",
        None,
    ),
    _input(
        "5.2",
        "satisfaction",
        "Chỉ số 5.2 (từ Hệ thống tiếp nhận phản ánh, kiến nghị)",
        "Indicator 5.2 (from the complaints system)",
        6,
    ),
    _input(
        "5.3",
        "satisfaction",
        "Chỉ số 5.3 (từ Hệ thống tiếp nhận phản ánh, kiến nghị)",
        "Indicator 5.3 (from the complaints system)",
        6,
    ),
    Indicator(
        "5.4",
        "Mức độ hài lòng về tiến độ, kết quả giải quyết",
        "Satisfaction with progress and results",
        "satisfaction",
        "dossiers finished in the period − those late by 2.1's rule − those with a complaint, "
        "feedback or 'dislike' (100 % − late share − complaint share)",
        "dossiers finished in the period",
        "finished",
        6,
        0.9,
        "full score at ≥ 90 %, below that share × max / 90 %",
        confirmed=True,
    ),
)
"""Every indicator of the index, in order (computed ones and inputs)."""

_BY_ID: Final[Mapping[str, Indicator]] = {i.id: i for i in INDICATORS}

COMPUTED_INDICATORS: Final[tuple[str, ...]] = tuple(i.id for i in INDICATORS if i.computed)
"""The indicators computed from dossier data: 1.4, 2.1, 2.2, 3.3, 3.6, 4.1–4.5, 5.4."""

INPUT_INDICATORS: Final[tuple[str, ...]] = tuple(i.id for i in INDICATORS if not i.computed)
"""The indicators a ward's dossiers do not give (inputs, else "not computed")."""


def indicator(id_: str) -> Indicator:
    """The indicator ``id_`` (:class:`~tthc.ReportError` listing the ids if unknown).

    >>> indicator("2.1").max_points, indicator("3.3").threshold
    (20, 0.5)
    """
    found = _BY_ID.get(id_)
    if found is None:
        raise ReportError(f"unknown indicator {id_!r}; the indicators are {', '.join(_BY_ID)}")
    return found


Status = Literal["computed", "n/a", "not computed"]


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """One indicator's result for one group (or the totals).

    ``numerator`` and ``denominator`` add up when results merge; ``unknown`` counts the dossiers
    of the indicator's scope left out because a value it needs is unknown (an absent column or
    an empty cell: never taken as 0). ``sync_share`` is 1.4's ratio, by which 3.3's share is
    multiplied. ``extra`` holds additive side counts (2.1: ``differs`` from Biểu 06; 5.4:
    ``late``, ``complaint``). ``score_given`` is a score taken from an input.

    >>> v = IndicatorValue("4.2", numerator=6, denominator=10)
    >>> v.ratio, v.score, v.status
    (0.6, 3.0, 'computed')
    >>> IndicatorValue("4.2").ratio, IndicatorValue("4.2").status, IndicatorValue("4.2", unknown=3).status
    (None, 'n/a', 'not computed')
    """

    id: str
    numerator: int = 0
    denominator: int = 0
    unknown: int = 0
    sync_share: float | None = None
    extra: Mapping[str, int] | None = None
    score_given: float | None = None
    given: bool = False

    @property
    def indicator(self) -> Indicator:
        """The formula object."""
        return indicator(self.id)

    @property
    def status(self) -> Status:
        """``"computed"`` (a ratio), ``"n/a"`` (nothing in scope: denominator 0), or ``"not
        computed"`` (no data: an input indicator not given, every dossier's value unknown, or
        3.3 without 1.4's sync share)."""
        if self.given and self.score_given is not None and self.denominator == 0:
            return "computed"
        if self.denominator > 0:
            # 3.3's share is multiplied by 1.4's: without it, its ratio cannot be computed.
            return "not computed" if self.ratio is None else "computed"
        if not self.indicator.computed and not self.given:
            return "not computed"
        return "not computed" if self.unknown > 0 else "n/a"

    @property
    def ratio(self) -> float | None:
        """numerator ÷ denominator (2.2: the average in working days; 3.3: × the sync share);
        ``None`` when the denominator is 0 (or, for 3.3, the sync share is unknown)."""
        if self.denominator == 0:
            return None
        value = self.numerator / self.denominator
        if self.id == "2.2":
            return value / SECONDS_PER_WORKING_DAY
        if self.id == "3.3":
            return None if self.sync_share is None else value * self.sync_share
        return value

    @property
    def score(self) -> float | None:
        """Points (:meth:`Indicator.score`; an input's own score when given)."""
        if self.score_given is not None:
            return self.score_given
        return self.indicator.score(self.ratio)

    @property
    def max_points(self) -> float | None:
        """The indicator's maximum points."""
        return self.indicator.max_points

    def __add__(self, other: IndicatorValue) -> IndicatorValue:
        if not isinstance(other, IndicatorValue) or other.id != self.id:
            return NotImplemented
        extra = dict(self.extra or {})
        for name, value in (other.extra or {}).items():
            extra[name] = extra.get(name, 0) + value
        return IndicatorValue(
            self.id,
            self.numerator + other.numerator,
            self.denominator + other.denominator,
            self.unknown + other.unknown,
            None,
            extra or None,
            None,
            self.given and other.given,
        )

    def to_dict(self) -> dict[str, object]:
        """The JSON shape: numerator, denominator, ratio (``null`` = N/A), score, max_points,
        confirmed, and the status, the unknown count, the side counts; 2.2's ``unit`` (its
        numerator is in working seconds, its ratio in working days), 3.3's ``sync_share`` (its
        ratio is numerator ÷ denominator × that share, 1.4's ratio).

        >>> IndicatorValue("3.3", 1, 4, sync_share=0.5).to_dict()["ratio"]
        0.125
        """
        ind = self.indicator
        out: dict[str, object] = {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "ratio": self.ratio,
            "score": self.score,
            "max_points": ind.max_points,
            "confirmed": ind.confirmed,
            "status": self.status,
            "unknown": self.unknown,
        }
        if self.id == "2.2":
            out["unit"] = ind.unit
        if self.id == "3.3":  # ratio = numerator ÷ denominator × sync_share (1.4's ratio)
            out["sync_share"] = self.sync_share
        if self.extra:
            out.update(self.extra)
        if self.given:
            out["given"] = True
        return out


def value_from_dict(id_: str, data: Mapping[str, object]) -> IndicatorValue:
    """An :class:`IndicatorValue` back from :meth:`IndicatorValue.to_dict`."""
    extra_keys = {"differs", "late", "complaint"}
    extra = {k: _int(data[k], f"{id_}.{k}") for k in extra_keys if k in data}
    given = bool(data.get("given", False))
    score = data.get("score") if given else None
    return IndicatorValue(
        id_,
        _int(data.get("numerator", 0), f"{id_}.numerator"),
        _int(data.get("denominator", 0), f"{id_}.denominator"),
        _int(data.get("unknown", 0), f"{id_}.unknown"),
        None,
        extra or None,
        float(score) if isinstance(score, int | float) else None,
        given,
    )


def _int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportError(f"{name} must be a whole number, got {value!r}")
    return value
