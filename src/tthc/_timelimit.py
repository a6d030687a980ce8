"""The time limit of a procedure (thời hạn giải quyết) and the parser for its wording.

Published procedures state their time limit as text (Decree 63/2010/NĐ-CP Art. 8; the national
procedure database). :meth:`TimeLimit.parse` reads the wordings seen there, in Vietnamese and
English, and ``str()`` gives the Vietnamese wording back.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tthc._enums import LABELS, TimeLimitUnit, fold_text
from tthc.errors import TimeLimitParseError

__all__ = ["TimeLimit"]


def _unit_words() -> dict[str, TimeLimitUnit]:
    """Unit word -> unit: the labels and aliases of every counted :class:`TimeLimitUnit`, plus
    the singular of each English plural ("working day"), longest first so that the regular
    expression prefers "ngày làm việc" to "ngày"."""
    words: dict[str, TimeLimitUnit] = {}
    for value, (vi, en, aliases) in LABELS[TimeLimitUnit].items():
        unit = TimeLimitUnit(value)
        if unit is TimeLimitUnit.SAME_DAY:  # worded without a number: see _SAME_DAY
            continue
        for word in map(fold_text, (vi, en, *aliases)):
            for w in {word, word.removesuffix("s")}:
                if words.setdefault(w, unit) is not unit:  # pragma: no cover
                    raise RuntimeError(f"time-limit unit word {w!r} names two units")
    return dict(sorted(words.items(), key=lambda item: (-len(item[0]), item[0])))


_UNIT_WORDS = _unit_words()
_AMBIGUOUS_UNITS = ("giờ", "hours", "hour")

_NUMERIC = re.compile(
    r"^(?P<n>\d+)\s*(?:\([^)]*\)\s*)?(?P<unit>"
    + "|".join(re.escape(w) for w in _UNIT_WORDS)
    + "|"
    + "|".join(re.escape(w) for w in _AMBIGUOUS_UNITS)
    + r")(?![\w])(?P<rest>.*)$"
)
# Qualifiers that restate the legal start of the clock and change nothing.
_HARMLESS_REST = re.compile(
    r"^[\s.,;:]*(?:\(?\s*(?:kể từ|tính từ|từ ngày|from|after receipt|after receiving)\b[^;\d]*)?$"
)
_SAME_DAY = re.compile(
    r"^(?:ngay\s+)?trong\s+ngày(?:\s+làm\s+việc)?(?P<rest>.*)$|^(?:the\s+)?same[\s-]day(?P<rest_en>.*)$"
)
_TIME_OF_DAY = r"(?P<h>\d{1,2})\s*(?:giờ|h|:|g)\s*(?P<m>\d{2})?(?:\s*phút)?"
_CUTOFF_AT = re.compile(r"(?:sau|after)\s+" + _TIME_OF_DAY)
_NEXT_DAY_WORDS = ("ngày làm việc tiếp theo", "next working day")
# Words a same-day clause may use around its cut-off, as in the published wordings
# ("Ngay trong ngày tiếp nhận yêu cầu, trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được
# ngay thì trả kết quả trong ngày làm việc tiếp theo"; "Trong ngày cơ quan, tổ chức tiếp nhận yêu
# cầu hoặc trong ngày làm việc tiếp theo, nếu tiếp nhận yêu cầu sau 15 giờ"). Any other word or
# number ("trường hợp cần xác minh thì không quá 03 ngày làm việc") may change the limit, so the
# clause is refused rather than dropped.
_SAME_DAY_VOCABULARY = frozenset(
    [
        "trường",
        "hợp",
        "nhận",
        "tiếp",
        "hồ",
        "sơ",
        "yêu",
        "cầu",
        "mà",
        "không",
        "giải",
        "quyết",
        "được",
        "ngay",
        "thì",
        "trả",
        "kết",
        "quả",
        "trong",
        "ngày",
        "làm",
        "việc",
        "theo",
        "cơ",
        "quan",
        "tổ",
        "chức",
        "hoặc",
        "nếu",
        "của",
        "if",
        "received",
        "request",
        "the",
        "then",
        "due",
        "on",
        "next",
        "working",
        "day",
        "returned",
        "result",
    ]
)


class TimeLimit(BaseModel):
    """A time limit: a value and a :class:`~tthc.calendar.TimeLimitUnit`.

    For :attr:`TimeLimitUnit.SAME_DAY` (``"Trong ngày"``) ``value`` is 1 and ``cutoff`` may hold
    the receipt time after which the result is due the next working day; when ``cutoff`` is
    ``None`` the deadline policy's default cut-off applies.

    >>> TimeLimit.parse("05 ngày làm việc")
    TimeLimit(value=5, unit=<TimeLimitUnit.WORKING_DAYS: 'working_days'>, cutoff=None)
    >>> str(TimeLimit(value=3, unit="calendar_days"))
    '03 ngày'
    """

    model_config = ConfigDict(frozen=True)

    value: int = Field(default=1, ge=1, description="How many units; 1 for a same-day limit.")
    unit: TimeLimitUnit
    cutoff: dt.time | None = Field(
        default=None,
        description="Same-day limits only: a receipt after this time is due the next working day.",
    )

    @model_validator(mode="after")
    def _check_same_day(self) -> Self:
        if self.unit is TimeLimitUnit.SAME_DAY and self.value != 1:
            raise ValueError("a same-day time limit has value 1")
        if self.cutoff is not None and self.unit is not TimeLimitUnit.SAME_DAY:
            raise ValueError("only a same-day time limit carries a cutoff")
        return self

    @classmethod
    def parse(cls, text: str | TimeLimit) -> TimeLimit:
        """Read the wording of a procedure record.

        Accepted: ``"05 ngày làm việc"``, ``"5 working days"``, ``"03 (ba) ngày"``,
        ``"04 giờ làm việc"``, ``"01 tháng"``, ``"Trong ngày"`` and the same-day wording with a
        cut-off such as ``"Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì trả
        kết quả trong ngày làm việc tiếp theo"``. A trailing clause that only restates when the
        clock starts ("kể từ ngày nhận đủ hồ sơ hợp lệ") is accepted; anything else is refused,
        because it may change the limit.

        >>> str(TimeLimit.parse("Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ "
        ...                     "thì trả kết quả trong ngày làm việc tiếp theo").cutoff)
        '15:00:00'
        >>> TimeLimit.parse("5 working days") == TimeLimit.parse("05 ngày làm việc")
        True

        Raises:
            TimeLimitParseError: quoting the text and saying what is wrong.
        """
        if isinstance(text, TimeLimit):
            return text
        if not isinstance(text, str):
            raise TimeLimitParseError(repr(text), "expected a string")
        norm = fold_text(text)
        if not norm:
            raise TimeLimitParseError(text, "it is empty")
        same = _SAME_DAY.match(norm)
        if same:
            return cls._parse_same_day(text, same.group("rest") or same.group("rest_en") or "")
        m = _NUMERIC.match(norm)
        if not m:
            raise TimeLimitParseError(
                text,
                "expected a number and a unit (ngày làm việc, giờ làm việc, ngày, tháng) "
                "or 'Trong ngày'",
            )
        unit_word = m.group("unit")
        if unit_word in _AMBIGUOUS_UNITS:
            raise TimeLimitParseError(
                text,
                "plain hours ('giờ') do not say whether they are working hours; "
                "write 'giờ làm việc' if they are",
            )
        unit = _UNIT_WORDS[unit_word]
        value = int(m.group("n"))
        if value < 1:
            raise TimeLimitParseError(text, "a time limit must be at least 1")
        rest = m.group("rest")
        if not _HARMLESS_REST.match(rest):
            raise TimeLimitParseError(
                text, f"the qualifying text {rest.strip()!r} may change the limit"
            )
        return cls(value=value, unit=unit)

    @classmethod
    def _parse_same_day(cls, text: str, rest: str) -> TimeLimit:
        rest = rest.strip(" .;,")
        if not rest:
            return cls(unit=TimeLimitUnit.SAME_DAY)
        cuts = list(_CUTOFF_AT.finditer(rest))
        if len(cuts) != 1 or not any(w in rest for w in _NEXT_DAY_WORDS):
            raise TimeLimitParseError(
                text, f"the same-day clause {rest!r} is not a receipt cut-off tthc can read"
            )
        cut = cuts[0]
        remainder = f"{rest[: cut.start()]} {rest[cut.end() :]}"
        unknown = [w for w in re.findall(r"\w+", remainder) if w not in _SAME_DAY_VOCABULARY]
        if unknown:
            raise TimeLimitParseError(
                text,
                f"the same-day clause has words that may change the limit: {' '.join(unknown)!r}",
            )
        hour, minute = int(cut.group("h")), int(cut.group("m") or 0)
        if hour > 23 or minute > 59:
            raise TimeLimitParseError(text, f"{hour}:{minute:02d} is not a time of day")
        return cls(unit=TimeLimitUnit.SAME_DAY, cutoff=dt.time(hour, minute))

    def __str__(self) -> str:
        if self.unit is TimeLimitUnit.SAME_DAY:
            if self.cutoff is None:
                return "Trong ngày"
            at = f"{self.cutoff.hour} giờ" + (
                f" {self.cutoff.minute:02d}" if self.cutoff.minute else ""
            )
            return (
                f"Trong ngày; trường hợp nhận hồ sơ sau {at} thì trả kết quả "
                "trong ngày làm việc tiếp theo"
            )
        return f"{self.value:02d} {self.unit.label_vi}"

    @property
    def label_en(self) -> str:
        """The limit in English, e.g. ``"5 working days"``.

        >>> TimeLimit.parse("01 tháng").label_en
        '1 month'
        """
        if self.unit is TimeLimitUnit.SAME_DAY:
            cut = f", cut-off {self.cutoff:%H:%M}" if self.cutoff else ""
            return f"same day{cut}"
        unit = self.unit.label_en
        return f"{self.value} {unit.removesuffix('s') if self.value == 1 else unit}"

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        # Allow TimeLimit fields in other models to be given as wording: "05 ngày làm việc".
        if isinstance(data, str):
            parsed = cls.parse(data)
            return {"value": parsed.value, "unit": parsed.unit, "cutoff": parsed.cutoff}
        return data
