"""Reporting periods (kỳ báo cáo): calendar periods and the official data cut-off.

A period covers the days ``first_day`` … ``last_day`` (UTC+7). As instants it is the half-open
interval ``[start, end)``: ``start`` is ``first_day`` 00:00 and ``end`` is the midnight after
``last_day`` — "the end of its last day" (Civil Code 2015 Art. 148(1)).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final, Literal

from tthc._time import VN_TZ, assume_vn, require_aware
from tthc.errors import PeriodError

__all__ = ["OFFICIAL_CUTOFF_DAY", "Period", "PeriodKind"]

PeriodKind = Literal["month", "quarter", "half", "nine_months", "year", "range"]

OFFICIAL_CUTOFF_DAY = 15
"""Official data cut-off for periodic reports: data run from the 15th of the month before the
period to the 14th of its last month (quarter 15/12–14/3, six months 15/12–14/6, nine months
15/12–14/9, year 15/12–14/12). Seen in provincial regulations on reporting under Decree
09/2019/NĐ-CP (chế độ báo cáo của cơ quan hành chính nhà nước); domain guide section 6."""

PERIOD_YEARS: Final = (1900, 9998)
"""The years a period's days may fall in: wide enough for any report, narrow enough that the
period's end instant and its official cut-off stay within the dates Python can hold. (Rows are
counted only in the working calendar's years, :attr:`~tthc.calendar.WorkingCalendar.bounds`.)"""

_ROMAN = ("I", "II", "III", "IV")
_ONE_MICROSECOND = dt.timedelta(microseconds=1)
_PATTERNS: tuple[tuple[re.Pattern[str], PeriodKind], ...] = (
    (re.compile(r"^(?P<y>\d{4})-(?P<n>\d{1,2})$"), "month"),
    (re.compile(r"^(?P<y>\d{4})-?Q(?P<n>[1-4])$", re.IGNORECASE), "quarter"),
    (re.compile(r"^(?P<y>\d{4})-?H(?P<n>[12])$", re.IGNORECASE), "half"),
    (re.compile(r"^(?P<y>\d{4})-?9M$", re.IGNORECASE), "nine_months"),
    (re.compile(r"^(?P<y>\d{4})$"), "year"),
)


def _months(kind: PeriodKind, n: int) -> tuple[int, int]:
    """First and last month of a named period."""
    if kind == "month":
        return n, n
    if kind == "quarter":
        return 3 * n - 2, 3 * n
    if kind == "half":
        return 6 * n - 5, 6 * n
    if kind == "nine_months":
        return 1, 9
    return 1, 12


def _last_day_of_month(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: which days a report covers.

    Build one with :meth:`parse` (``"2024-03"``, ``"2024-Q1"``, ``"2024-H1"``, ``"2024-9M"``,
    ``"2024"``) or :meth:`between` (any range of days). ``official=True`` applies the official
    data cut-off (:data:`OFFICIAL_CUTOFF_DAY`) to a named period.

    >>> q1 = Period.parse("2024-Q1")
    >>> q1.first_day, q1.last_day, q1.label
    (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31), 'Quý I năm 2024 (Q1 2024)')
    >>> Period.parse("2024-Q1", official=True).first_day
    datetime.date(2023, 12, 15)
    >>> q1.end.isoformat()
    '2024-04-01T00:00:00+07:00'
    """

    kind: PeriodKind
    year: int
    number: int
    """Month 1–12, quarter 1–4 or half 1–2; 0 for nine months, a year and a range."""
    first_day: dt.date
    last_day: dt.date
    official: bool = False

    @classmethod
    def parse(cls, text: str, *, official: bool = False) -> Period:
        """Read ``YYYY-MM``, ``YYYY-Qn``, ``YYYY-Hn``, ``YYYY-9M`` or ``YYYY``.

        >>> Period.parse("2024-H1", official=True).label
        '6 tháng đầu năm 2024, số liệu từ 15/12/2023 đến 14/06/2024 (H1 2024, official cut-off)'
        >>> Period.parse("2024-02").last_day
        datetime.date(2024, 2, 29)

        Raises:
            PeriodError: naming the accepted forms.
        """
        cleaned = text.strip() if isinstance(text, str) else ""
        for pattern, kind in _PATTERNS:
            m = pattern.match(cleaned)
            if m is None:
                continue
            year = int(m.group("y"))
            number = int(m.groupdict().get("n") or 0)
            if kind == "month" and not 1 <= number <= 12:
                raise PeriodError(
                    f"period {text!r}: month {number} is not 1–12", text=text, param="period"
                )
            if not PERIOD_YEARS[0] <= year <= PERIOD_YEARS[1]:
                raise PeriodError(
                    f"period {text!r}: year {year} is outside {PERIOD_YEARS[0]}–{PERIOD_YEARS[1]}",
                    text=text,
                    param="period",
                )
            first_month, last_month = _months(kind, number)
            if official:
                first_day = dt.date(year, first_month, 1) - dt.timedelta(days=1)
                first_day = first_day.replace(day=OFFICIAL_CUTOFF_DAY)
                last_day = dt.date(year, last_month, OFFICIAL_CUTOFF_DAY - 1)
            else:
                first_day = dt.date(year, first_month, 1)
                last_day = _last_day_of_month(year, last_month)
            return cls(kind, year, number, first_day, last_day, official)
        raise PeriodError(
            f"cannot read period {text!r}; expected 2024-03 (month), 2024-Q1 (quarter), "
            "2024-H1 (six months), 2024-9M (nine months) or 2024 (year)",
            text=text,
            param="period",
        )

    @classmethod
    def between(cls, first_day: dt.date | str, last_day: dt.date | str) -> Period:
        """Any range of days, both included. A datetime stands for its date in UTC+7 (a naive
        one is read as UTC+7 wall-clock time).

        >>> Period.between("2024-01-15", "2024-02-14").label
        'Từ 15/01/2024 đến 14/02/2024 (2024-01-15 to 2024-02-14)'

        Raises:
            PeriodError: a bad date, or ``last_day`` before ``first_day``.
        """
        first, last = _as_date(first_day, "first_day"), _as_date(last_day, "last_day")
        for param, day in (("first_day", first), ("last_day", last)):
            if not PERIOD_YEARS[0] <= day.year <= PERIOD_YEARS[1]:
                raise PeriodError(
                    f"{_named(param)} {day.isoformat()} is outside the years "
                    f"{PERIOD_YEARS[0]}–{PERIOD_YEARS[1]} a period may cover",
                    text=day.isoformat(),
                    param=param,
                )
        if last < first:
            raise PeriodError(
                f"period ends ({last}) before it starts ({first})",
                text=f"{first} – {last}",
                param="last_day",
            )
        return cls("range", first.year, 0, first, last, False)

    @property
    def start(self) -> dt.datetime:
        """First instant of the period: ``first_day`` 00:00 UTC+7."""
        return dt.datetime.combine(self.first_day, dt.time(), VN_TZ)

    @property
    def end(self) -> dt.datetime:
        """The instant just after the period: the midnight after ``last_day`` (exclusive)."""
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), VN_TZ)

    @property
    def as_of(self) -> dt.datetime:
        """The last instant of the period (one microsecond before :attr:`end`): the report
        judges every dossier as it stood then, as :func:`tthc.timeliness` does with the same
        ``as_of`` — finished means finished by then, overdue means its due instant had passed.

        >>> Period.parse("2024-Q1").as_of.isoformat()
        '2024-03-31T23:59:59.999999+07:00'
        """
        return self.end - _ONE_MICROSECOND

    @property
    def code(self) -> str:
        """The short form ``parse`` reads (``"2024-Q1"``), or ``"2024-01-15..2024-02-14"``."""
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        if self.kind == "half":
            return f"{self.year}-H{self.number}"
        if self.kind == "nine_months":
            return f"{self.year}-9M"
        if self.kind == "year":
            return str(self.year)
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    @property
    def label_vi(self) -> str:
        """Vietnamese label: ``"Quý I năm 2024"``, ``"Tháng 3 năm 2024"`` …"""
        y = self.year
        if self.kind == "month":
            name = f"Tháng {self.number} năm {y}"
        elif self.kind == "quarter":
            name = f"Quý {_ROMAN[self.number - 1]} năm {y}"
        elif self.kind == "half":
            name = f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {y}"
        elif self.kind == "nine_months":
            name = f"9 tháng năm {y}"
        elif self.kind == "year":
            name = f"Năm {y}"
        else:
            return f"Từ {self.first_day:%d/%m/%Y} đến {self.last_day:%d/%m/%Y}"
        if self.official:
            name += f", số liệu từ {self.first_day:%d/%m/%Y} đến {self.last_day:%d/%m/%Y}"
        return name

    @property
    def label_en(self) -> str:
        """English label: ``"Q1 2024"``, ``"March 2024"`` …"""
        y = self.year
        if self.kind == "month":
            name = f"{dt.date(y, self.number, 1):%B} {y}"
        elif self.kind == "quarter":
            name = f"Q{self.number} {y}"
        elif self.kind == "half":
            name = f"H{self.number} {y}"
        elif self.kind == "nine_months":
            name = f"9 months {y}"
        elif self.kind == "year":
            name = f"Year {y}"
        else:
            return f"{self.first_day.isoformat()} to {self.last_day.isoformat()}"
        return name + (", official cut-off" if self.official else "")

    @property
    def label(self) -> str:
        """Both labels, ``"Vietnamese (English)"``."""
        return f"{self.label_vi} ({self.label_en})"

    def contains(self, instant: dt.datetime) -> bool:
        """Whether an aware instant falls inside ``[start, end)`` (a naive one is refused with
        :class:`~tthc.NaiveDatetimeError`: which zone it meant cannot be guessed here).

        >>> import datetime as dt
        >>> p = Period.parse("2024-03")
        >>> p.contains(dt.datetime(2024, 3, 31, 23, 59, tzinfo=VN_TZ))
        True
        >>> p.contains(dt.datetime(2024, 4, 1, tzinfo=VN_TZ))
        False
        """
        return self.start <= require_aware(instant, "instant") < self.end

    def to_dict(self) -> dict[str, object]:
        """JSON-ready description."""
        return {
            "code": self.code,
            "kind": self.kind,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "official_cutoff": self.official,
            "label_vi": self.label_vi,
            "label_en": self.label_en,
        }

    def __str__(self) -> str:
        return self.label


def _as_date(value: dt.date | str, param: str) -> dt.date:
    if isinstance(value, dt.datetime):  # its date at the office (naive = UTC+7 wall clock)
        return assume_vn(value, param).date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise PeriodError(
            f"{_named(param)} {value!r} is not a date (YYYY-MM-DD)", text=value, param=param
        )
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(
            f"{_named(param)} {value!r} is not a date (YYYY-MM-DD)", text=value, param=param
        ) from None


_OPTIONS: Final = {"first_day": "--from", "last_day": "--to"}


def _named(param: str) -> str:
    """A parameter of :meth:`Period.between` as a message names it: the argument and the
    command-line option that sets it (``first_day (--from)``)."""
    return f"{param} ({_OPTIONS[param]})"
