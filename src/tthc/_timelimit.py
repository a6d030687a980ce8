"""The time limit of a procedure (thời hạn giải quyết) and the parser for its wording.

Published procedures state their time limit as text (Decree 63/2010/NĐ-CP Art. 8; the national
procedure database). :meth:`TimeLimit.parse` reads the wordings seen there, in Vietnamese (with
or without diacritics, as people type on phones) and English, and ``str()`` gives the Vietnamese
wording back.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tthc._enums import LABELS, TimeLimitUnit, fold_text
from tthc.errors import TimeLimitParseError

__all__ = ["TimeLimit"]


def unaccent(text: str) -> str:
    """``text`` without Vietnamese diacritics: tone and vowel marks removed, ``đ`` read as ``d``.

    >>> unaccent("Ngày làm việc"), unaccent("đồng")
    ('Ngay lam viec', 'dong')
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


BARE_DAYS_WORDS = ("days", "day")
"""English "days" alone is refused: a record must say "calendar days" or "working days".

Vietnamese drafting is unambiguous ("ngày" is a calendar day, "ngày làm việc" a working day),
but an English "5 days" written by a translator may mean either; reading it as calendar days
would be a guess that can move a due date by a week."""


def _unit_words() -> dict[str, TimeLimitUnit]:
    """Unit word -> unit: the labels and aliases of every counted :class:`TimeLimitUnit`, plus
    the singular of each English plural ("working day"), longest first so that the regular
    expression prefers "ngày làm việc" to "ngày". English "days"/"day" alone is left out
    (:data:`BARE_DAYS_WORDS`)."""
    words: dict[str, TimeLimitUnit] = {}
    for value, (vi, en, aliases) in LABELS[TimeLimitUnit].items():
        unit = TimeLimitUnit(value)
        if unit is TimeLimitUnit.SAME_DAY:  # worded without a number: see _SAME_DAY
            continue
        for word in map(fold_text, (vi, en, *aliases)):
            for w in {word, word.removesuffix("s")}:
                if w in BARE_DAYS_WORDS:
                    continue
                if words.setdefault(w, unit) is not unit:  # pragma: no cover
                    raise RuntimeError(f"time-limit unit word {w!r} names two units")
    return dict(sorted(words.items(), key=lambda item: (-len(item[0]), item[0])))


def _unaccented_unit_words(words: dict[str, TimeLimitUnit]) -> dict[str, TimeLimitUnit]:
    """The unit words without diacritics ("ngay lam viec", "gio lam viec", "ngay", "thang").

    Checked at import: no two units share an unaccented spelling (the words are "ngày làm
    việc", "giờ làm việc", "ngày", "tháng" and English, which all stay distinct)."""
    out: dict[str, TimeLimitUnit] = {}
    for word, unit in words.items():
        plain = unaccent(word)
        if out.setdefault(plain, unit) is not unit:  # pragma: no cover
            raise RuntimeError(f"unaccented time-limit unit word {plain!r} names two units")
    return dict(sorted(out.items(), key=lambda item: (-len(item[0]), item[0])))


_UNIT_WORDS = _unit_words()
_AMBIGUOUS_UNITS = ("giờ", "hours", "hour")
_MAX_DIGITS = 9
"""A time limit's number is read only up to this many digits (no limit is that long; the
limits per unit are checked later, with the unit known); a longer numeral is refused before
``int()`` meets it."""


class _Grammar:
    """The regular expressions of one spelling: with diacritics, or typed without them."""

    def __init__(self, plain: bool) -> None:
        def f(text: str) -> str:
            return unaccent(text) if plain else text

        self.unit_words = _unaccented_unit_words(_UNIT_WORDS) if plain else _UNIT_WORDS
        self.ambiguous = tuple(dict.fromkeys(f(w) for w in _AMBIGUOUS_UNITS))
        self.numeric = re.compile(
            r"^(?P<n>\d+)\s*(?:\([^)]*\)\s*)?(?P<unit>"
            + "|".join(re.escape(w) for w in self.unit_words)
            + "|"
            + "|".join(re.escape(w) for w in (*self.ambiguous, *BARE_DAYS_WORDS))
            + r")(?![\w])(?P<rest>.*)$"
        )
        # Qualifiers that restate the legal start of the clock and change nothing.
        self.harmless_rest = re.compile(
            f(
                r"^[\s.,;:]*(?:\(?\s*(?:kể từ|tính từ|từ ngày|from|after receipt|after receiving)"
                r"\b[^;\d]*)?$"
            )
        )
        self.same_day = re.compile(
            f(r"^(?:ngay\s+)?trong\s+ngày(?:\s+làm\s+việc)?(?P<rest>.*)$")
            + r"|^(?:the\s+)?same[\s-]day(?P<rest_en>.*)$"
        )
        self.cutoff_at = re.compile(
            r"(?:sau|after)\s+" + f(r"(?P<h>\d{1,2})\s*(?:giờ|h|:|g)\s*(?P<m>\d{2})?(?:\s*phút)?")
        )
        self.next_day_words = tuple(f(w) for w in _NEXT_DAY_WORDS)
        self.vocabulary = frozenset(f(w) for w in _SAME_DAY_VOCABULARY)
        self.hours_word = f("giờ")


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
_ACCENTED = _Grammar(plain=False)
_PLAIN = _Grammar(plain=True)


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

        Text typed **without diacritics** (no accented letter at all, as people type on phones)
        is read with the same meaning: ``"02 ngay lam viec"`` = "02 ngày làm việc", ``"05
        ngay"`` = "05 ngày", ``"01 thang"`` = "01 tháng", ``"04 gio lam viec"`` = "04 giờ làm
        việc", ``"trong ngay"`` = "Trong ngày". After a number these words have no other reading
        in a time limit ("ngay" is "ngày", "gio" is "giờ", "thang" is "tháng"); a text with some
        diacritics is read as written, accents and all. English "days" alone is refused: say
        "calendar days" or "working days".

        >>> str(TimeLimit.parse("Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ "
        ...                     "thì trả kết quả trong ngày làm việc tiếp theo").cutoff)
        '15:00:00'
        >>> TimeLimit.parse("5 working days") == TimeLimit.parse("05 ngày làm việc")
        True
        >>> str(TimeLimit.parse("02 ngay lam viec"))
        '02 ngày làm việc'
        >>> TimeLimit.parse("5 days")
        Traceback (most recent call last):
        ...
        tthc.errors.TimeLimitParseError: cannot read time limit '5 days': English 'days' alone does not say which days; write '5 calendar days' or '5 working days'

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
        # Only a text without any diacritic is read with the unaccented grammar, so an
        # accented text keeps exactly its strict reading.
        g = _PLAIN if norm.isascii() else _ACCENTED
        same = g.same_day.match(norm)
        if same:
            return cls._parse_same_day(text, same.group("rest") or same.group("rest_en") or "", g)
        m = g.numeric.match(norm)
        if not m:
            raise TimeLimitParseError(
                text,
                "expected a number and a unit (ngày làm việc, giờ làm việc, ngày, tháng; "
                "without diacritics: ngay lam viec, gio lam viec, ngay, thang) or 'Trong ngày'",
            )
        unit_word = m.group("unit")
        digits = m.group("n").lstrip("0")
        if len(digits) > _MAX_DIGITS:
            raise TimeLimitParseError(
                text, f"a number of {len(digits):,} digits is not a procedure's time limit"
            )
        value = int(m.group("n"))
        if unit_word in g.ambiguous:
            raise TimeLimitParseError(
                text,
                f"plain hours ({unit_word!r}) do not say whether they are working hours; "
                "write 'giờ làm việc' if they are",
            )
        if unit_word in BARE_DAYS_WORDS:
            raise TimeLimitParseError(
                text,
                f"English {unit_word!r} alone does not say which days; write "
                f"'{value} calendar {unit_word}' or '{value} working {unit_word}'",
            )
        unit = g.unit_words[unit_word]
        if value < 1:
            raise TimeLimitParseError(text, "a time limit must be at least 1")
        rest = m.group("rest")
        if not g.harmless_rest.match(rest):
            raise TimeLimitParseError(
                text, f"the qualifying text {rest.strip()!r} may change the limit"
            )
        return cls(value=value, unit=unit)

    @classmethod
    def _parse_same_day(cls, text: str, rest: str, g: _Grammar) -> TimeLimit:
        rest = rest.strip(" .;,")
        if not rest:
            return cls(unit=TimeLimitUnit.SAME_DAY)
        cuts = list(g.cutoff_at.finditer(rest))
        if len(cuts) != 1 or not any(w in rest for w in g.next_day_words):
            raise TimeLimitParseError(
                text, f"the same-day clause {rest!r} is not a receipt cut-off tthc can read"
            )
        cut = cuts[0]
        remainder = f"{rest[: cut.start()]} {rest[cut.end() :]}"
        unknown = [w for w in re.findall(r"\w+", remainder) if w not in g.vocabulary]
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
        """The limit in English, e.g. ``"5 working days"``; calendar days say so
        (``"3 calendar days"``), so the English wording reads back with :meth:`parse`.

        >>> TimeLimit.parse("01 tháng").label_en, TimeLimit.parse("03 ngày").label_en
        ('1 month', '3 calendar days')
        """
        if self.unit is TimeLimitUnit.SAME_DAY:
            cut = f", cut-off {self.cutoff:%H:%M}" if self.cutoff else ""
            return f"same day{cut}"
        unit = "calendar days" if self.unit is TimeLimitUnit.CALENDAR_DAYS else self.unit.label_en
        return f"{self.value} {unit.removesuffix('s') if self.value == 1 else unit}"

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        # Allow TimeLimit fields in other models to be given as wording: "05 ngày làm việc".
        if isinstance(data, str):
            parsed = cls.parse(data)
            return {"value": parsed.value, "unit": parsed.unit, "cutoff": parsed.cutoff}
        return data
