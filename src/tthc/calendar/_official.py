"""Official notices of days off and working days for civil servants, 2019–2026.

Each year the Prime Minister approves the Tết and holiday schedule for civil servants
(cán bộ, công chức, viên chức), including **swaps** (hoán đổi): a bridge weekday becomes a day
off and a Saturday becomes a working day. The notices are announced by the Government Office
(Văn phòng Chính phủ, "VPCP") and the Ministry of Labour / of Home Affairs.

This table has one entry per weekday off and per working Saturday, each with the document that
announced it (document numbers as reported in the press; see
``docs/calendar.md`` for the table). It is the bundled overlay applied on top of
``holidays.VN`` by :meth:`tthc.WorkingCalendar.vietnam`; where the two disagree this table wins.

Statutory basis of the days themselves: Labor Code 2019 Art. 112 (public holidays), Art. 111(3)
(a holiday falling on a weekly day off gives the next working day off: "nghỉ bù"); 24/11 "Ngày
Văn hóa Việt Nam" from 2026 (Resolution 80-NQ/TW).

Each document also has its **announcement date** (:data:`OFFICIAL_DOCUMENTS`), so that
``WorkingCalendar.vietnam(as_of=...)`` can rebuild the calendar as the notices stood on a past
date (:func:`notices_as_of`).
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

from tthc.calendar._overlay import DayKind

__all__ = [
    "FIRST_OFFICIAL_YEAR",
    "LAST_OFFICIAL_YEAR",
    "OFFICIAL_DOCUMENTS",
    "OFFICIAL_NOTICES",
    "NoticeDocument",
    "NoticeSet",
    "OfficialNotice",
    "notices_as_of",
]

LAST_OFFICIAL_YEAR: Final = 2026
"""The last year for which every swap has been announced (Công văn 12729/VPCP-KGVX for 2026)."""

OfficialNotice = tuple[dt.date, DayKind, str, str]
"""``(date, kind, document, note)``."""

_D = dt.date
_OFF: Final = DayKind.DAY_OFF
_WORK: Final = DayKind.WORKING_DAY

# Documents, by year (as listed in the project's official-days-off table).
_DOC_2019 = "Công văn 6519/VPCP-KGVX (11/7/2018); Thông báo 3238/TB-LĐTBXH"
_DOC_2020 = "Công văn 9087/VPCP-KGVX (7/10/2019)"
_DOC_2021 = "Công văn 9895/VPCP-KGVX"
_DOC_2022 = "Công văn 245/VPCP (11/1/2022)"
_DOC_2023 = "Thông báo 5034/TB-LĐTBXH (7/12/2022)"
_DOC_2024 = "Công văn 8662/VPCP-KGVX (3/11/2023); Thông báo 5014/TB-LĐTBXH (22/11/2023)"
_DOC_2024_APRIL = "Công văn 2450/VPCP-KGVX (12/4/2024)"
_DOC_2025 = "Công văn 8726/VPCP-KGVX (26/11/2024); Thông báo 6150/TB-BLĐTBXH (3/12/2024)"
_DOC_2026 = "Thông báo của Bộ Nội vụ (10/2025), Tết and National Day 2026"
_DOC_2026_NEW_YEAR = "Công văn 12729/VPCP-KGVX (25/12/2025)"
_DOC_2026_CULTURE = "Nghị quyết 80-NQ/TW (Ngày Văn hóa Việt Nam, 24/11)"
_LABOR_CODE = "Labor Code 2019 Art. 112"
_LABOR_CODE_COMP = "Labor Code 2019 Art. 111(3)"

OFFICIAL_NOTICES: Final[tuple[OfficialNotice, ...]] = (
    # 2019
    (_D(2018, 12, 31), _OFF, _DOC_2019, "New Year 2019, swapped with Sat 5/1/2019"),
    (_D(2019, 1, 1), _OFF, _DOC_2019, "New Year (Tết Dương lịch)"),
    (_D(2019, 1, 5), _WORK, _DOC_2019, "working Saturday, swapped for Mon 31/12/2018"),
    (_D(2019, 2, 4), _OFF, _DOC_2019, "Tết Nguyên đán"),
    (_D(2019, 2, 5), _OFF, _DOC_2019, "Tết Nguyên đán"),
    (_D(2019, 2, 6), _OFF, _DOC_2019, "Tết Nguyên đán"),
    (_D(2019, 2, 7), _OFF, _DOC_2019, "Tết Nguyên đán"),
    (_D(2019, 2, 8), _OFF, _DOC_2019, "Tết Nguyên đán"),
    (_D(2019, 4, 15), _OFF, _DOC_2019, "Hùng Kings (Sun 14/4), compensatory day"),
    (_D(2019, 4, 29), _OFF, _DOC_2019, "swap, worked on Sat 4/5/2019"),
    (_D(2019, 4, 30), _OFF, _DOC_2019, "Reunification Day 30/4"),
    (_D(2019, 5, 1), _OFF, _DOC_2019, "International Labour Day 1/5"),
    (_D(2019, 5, 4), _WORK, _DOC_2019, "working Saturday, swapped for Mon 29/4/2019"),
    (_D(2019, 9, 2), _OFF, _DOC_2019, "National Day"),
    # 2020
    (_D(2020, 1, 1), _OFF, _DOC_2020, "New Year"),
    (_D(2020, 1, 23), _OFF, _DOC_2020, "Tết Nguyên đán"),
    (_D(2020, 1, 24), _OFF, _DOC_2020, "Tết Nguyên đán"),
    (_D(2020, 1, 27), _OFF, _DOC_2020, "Tết Nguyên đán"),
    (_D(2020, 1, 28), _OFF, _DOC_2020, "Tết Nguyên đán"),
    (_D(2020, 1, 29), _OFF, _DOC_2020, "Tết Nguyên đán"),
    (_D(2020, 4, 2), _OFF, _DOC_2020, "Hùng Kings Commemoration Day"),
    (_D(2020, 4, 30), _OFF, _DOC_2020, "Reunification Day 30/4"),
    (_D(2020, 5, 1), _OFF, _DOC_2020, "International Labour Day 1/5"),
    (_D(2020, 9, 2), _OFF, _DOC_2020, "National Day"),
    # 2021
    (_D(2021, 1, 1), _OFF, _DOC_2021, "New Year"),
    (_D(2021, 2, 10), _OFF, _DOC_2021, "Tết Nguyên đán"),
    (_D(2021, 2, 11), _OFF, _DOC_2021, "Tết Nguyên đán"),
    (_D(2021, 2, 12), _OFF, _DOC_2021, "Tết Nguyên đán"),
    (_D(2021, 2, 15), _OFF, _DOC_2021, "Tết Nguyên đán"),
    (_D(2021, 2, 16), _OFF, _DOC_2021, "Tết Nguyên đán"),
    (_D(2021, 4, 21), _OFF, _DOC_2021, "Hùng Kings Commemoration Day"),
    (_D(2021, 4, 30), _OFF, _DOC_2021, "Reunification Day 30/4"),
    (_D(2021, 5, 3), _OFF, _DOC_2021, "Labour Day (Sat 1/5), compensatory day"),
    (_D(2021, 9, 2), _OFF, _DOC_2021, "National Day"),
    (_D(2021, 9, 3), _OFF, _DOC_2021, "National Day, adjacent day"),
    # 2022
    (_D(2022, 1, 3), _OFF, _DOC_2022, "New Year (Sat 1/1), compensatory day"),
    (_D(2022, 1, 31), _OFF, _DOC_2022, "Tết Nguyên đán"),
    (_D(2022, 2, 1), _OFF, _DOC_2022, "Tết Nguyên đán"),
    (_D(2022, 2, 2), _OFF, _DOC_2022, "Tết Nguyên đán"),
    (_D(2022, 2, 3), _OFF, _DOC_2022, "Tết Nguyên đán"),
    (_D(2022, 2, 4), _OFF, _DOC_2022, "Tết Nguyên đán"),
    (_D(2022, 4, 11), _OFF, _DOC_2022, "Hùng Kings (Sun 10/4), compensatory day"),
    (_D(2022, 5, 2), _OFF, _DOC_2022, "Reunification Day (Sat 30/4), compensatory day"),
    (_D(2022, 5, 3), _OFF, _DOC_2022, "Labour Day (Sun 1/5), compensatory day"),
    (_D(2022, 9, 1), _OFF, _DOC_2022, "National Day, adjacent day"),
    (_D(2022, 9, 2), _OFF, _DOC_2022, "National Day"),
    # 2023
    (_D(2023, 1, 2), _OFF, _DOC_2023, "New Year (Sun 1/1), compensatory day"),
    (_D(2023, 1, 20), _OFF, _DOC_2023, "Tết Nguyên đán"),
    (_D(2023, 1, 23), _OFF, _DOC_2023, "Tết Nguyên đán"),
    (_D(2023, 1, 24), _OFF, _DOC_2023, "Tết Nguyên đán"),
    (_D(2023, 1, 25), _OFF, _DOC_2023, "Tết Nguyên đán"),
    (_D(2023, 1, 26), _OFF, _DOC_2023, "Tết Nguyên đán"),
    (_D(2023, 5, 1), _OFF, _DOC_2023, "International Labour Day 1/5"),
    (_D(2023, 5, 2), _OFF, _DOC_2023, "Hùng Kings (Sat 29/4), compensatory day"),
    (_D(2023, 5, 3), _OFF, _DOC_2023, "Reunification Day (Sun 30/4), compensatory day"),
    (_D(2023, 9, 1), _OFF, _DOC_2023, "National Day, adjacent day"),
    (_D(2023, 9, 4), _OFF, _DOC_2023, "National Day (Sat 2/9), compensatory day"),
    # 2024
    (_D(2024, 1, 1), _OFF, _DOC_2024, "New Year"),
    (_D(2024, 2, 8), _OFF, _DOC_2024, "Tết Nguyên đán"),
    (_D(2024, 2, 9), _OFF, _DOC_2024, "Tết Nguyên đán"),
    (_D(2024, 2, 12), _OFF, _DOC_2024, "Tết Nguyên đán"),
    (_D(2024, 2, 13), _OFF, _DOC_2024, "Tết Nguyên đán"),
    (_D(2024, 2, 14), _OFF, _DOC_2024, "Tết Nguyên đán"),
    (_D(2024, 4, 18), _OFF, _DOC_2024, "Hùng Kings Commemoration Day"),
    (_D(2024, 4, 29), _OFF, _DOC_2024_APRIL, "swap, worked on Sat 4/5/2024"),
    (_D(2024, 4, 30), _OFF, _DOC_2024, "Reunification Day 30/4"),
    (_D(2024, 5, 1), _OFF, _DOC_2024, "International Labour Day 1/5"),
    (_D(2024, 5, 4), _WORK, _DOC_2024_APRIL, "working Saturday, swapped for Mon 29/4/2024"),
    (_D(2024, 9, 2), _OFF, _DOC_2024, "National Day"),
    (_D(2024, 9, 3), _OFF, _DOC_2024, "National Day, adjacent day"),
    # 2025
    (_D(2025, 1, 1), _OFF, _DOC_2025, "New Year"),
    (_D(2025, 1, 27), _OFF, _DOC_2025, "Tết Nguyên đán"),
    (_D(2025, 1, 28), _OFF, _DOC_2025, "Tết Nguyên đán"),
    (_D(2025, 1, 29), _OFF, _DOC_2025, "Tết Nguyên đán"),
    (_D(2025, 1, 30), _OFF, _DOC_2025, "Tết Nguyên đán"),
    (_D(2025, 1, 31), _OFF, _DOC_2025, "Tết Nguyên đán"),
    (_D(2025, 4, 7), _OFF, _DOC_2025, "Hùng Kings Commemoration Day"),
    (_D(2025, 4, 26), _WORK, _DOC_2025, "working Saturday, swapped for Fri 2/5/2025"),
    (_D(2025, 4, 30), _OFF, _DOC_2025, "Reunification Day 30/4"),
    (_D(2025, 5, 1), _OFF, _DOC_2025, "International Labour Day 1/5"),
    (_D(2025, 5, 2), _OFF, _DOC_2025, "swap, worked on Sat 26/4/2025"),
    (_D(2025, 9, 1), _OFF, _DOC_2025, "National Day, adjacent day"),
    (_D(2025, 9, 2), _OFF, _DOC_2025, "National Day"),
    # 2026
    (_D(2026, 1, 1), _OFF, _DOC_2026_NEW_YEAR, "New Year"),
    (_D(2026, 1, 2), _OFF, _DOC_2026_NEW_YEAR, "swap, worked on Sat 10/1/2026"),
    (_D(2026, 1, 10), _WORK, _DOC_2026_NEW_YEAR, "working Saturday, swapped for Fri 2/1/2026"),
    (_D(2026, 2, 16), _OFF, _DOC_2026, "Tết Nguyên đán"),
    (_D(2026, 2, 17), _OFF, _DOC_2026, "Tết Nguyên đán"),
    (_D(2026, 2, 18), _OFF, _DOC_2026, "Tết Nguyên đán"),
    (_D(2026, 2, 19), _OFF, _DOC_2026, "Tết Nguyên đán"),
    (_D(2026, 2, 20), _OFF, _DOC_2026, "Tết Nguyên đán"),
    (_D(2026, 4, 27), _OFF, _LABOR_CODE_COMP, "Hùng Kings (Sun 26/4), compensatory day"),
    (_D(2026, 4, 30), _OFF, _LABOR_CODE, "Reunification Day 30/4"),
    (_D(2026, 5, 1), _OFF, _LABOR_CODE, "International Labour Day 1/5"),
    (_D(2026, 8, 22), _WORK, _DOC_2026, "working Saturday, swapped for Mon 31/8/2026"),
    (_D(2026, 8, 31), _OFF, _DOC_2026, "swap, worked on Sat 22/8/2026"),
    (_D(2026, 9, 1), _OFF, _DOC_2026, "National Day, adjacent day"),
    (_D(2026, 9, 2), _OFF, _DOC_2026, "National Day"),
    (_D(2026, 11, 24), _OFF, _DOC_2026_CULTURE, "Ngày Văn hóa Việt Nam"),
)
"""Every weekday off and every working Saturday for civil servants, 2019–2026."""


class NoticeDocument(NamedTuple):
    """A document of :data:`OFFICIAL_NOTICES`, with the year it sets and when it was announced.

    ``document`` is the text used in :data:`OFFICIAL_NOTICES` (and in the calendar's
    fingerprint); ``announced`` is the date the document was issued, or ``None`` for a statute
    in force (the Labor Code), which applies whatever the date; ``evidence`` says where that
    date comes from.
    """

    document: str
    year: int
    announced: dt.date | None
    evidence: str


FIRST_OFFICIAL_YEAR: Final = 2019
"""The first year the bundled notices cover; earlier years are never provisional (their
notices were in force long before any date ``tthc`` is used for)."""

_AS_REPORTED = "the date in the document's citation (docs/calendar.md table)"
OFFICIAL_DOCUMENTS: Final[tuple[NoticeDocument, ...]] = (
    NoticeDocument(_DOC_2019, 2019, _D(2018, 7, 11), _AS_REPORTED),
    NoticeDocument(_DOC_2020, 2020, _D(2019, 10, 7), _AS_REPORTED),
    NoticeDocument(
        _DOC_2021,
        2021,
        _D(2020, 11, 26),
        "the document's header, 'Hà Nội, ngày 26 tháng 11 năm 2020' (text published by "
        "thuvienphapluat.vn)",
    ),
    NoticeDocument(_DOC_2022, 2022, _D(2022, 1, 11), _AS_REPORTED),
    NoticeDocument(_DOC_2023, 2023, _D(2022, 12, 7), _AS_REPORTED),
    NoticeDocument(_DOC_2024, 2024, _D(2023, 11, 3), _AS_REPORTED),
    NoticeDocument(_DOC_2024_APRIL, 2024, _D(2024, 4, 12), _AS_REPORTED),
    NoticeDocument(_DOC_2025, 2025, _D(2024, 11, 26), _AS_REPORTED),
    NoticeDocument(
        _DOC_2026,
        2026,
        _D(2025, 10, 16),
        "Thông báo 9441/TB-BNV of Bộ Nội vụ, issued 16/10/2025 (as reported by the press)",
    ),
    NoticeDocument(_DOC_2026_NEW_YEAR, 2026, _D(2025, 12, 25), _AS_REPORTED),
    NoticeDocument(
        _DOC_2026_CULTURE,
        2026,
        _D(2026, 1, 7),
        "Nghị quyết 80-NQ/TW signed 7/1/2026 (as reported by the press)",
    ),
    NoticeDocument(_LABOR_CODE, 2026, None, "statute in force"),
    NoticeDocument(_LABOR_CODE_COMP, 2026, None, "statute in force"),
)
"""Every document of :data:`OFFICIAL_NOTICES` with the year it sets and its announcement date."""

_BY_DOCUMENT: Final = {d.document: d for d in OFFICIAL_DOCUMENTS}
_missing = {n[2] for n in OFFICIAL_NOTICES} - set(_BY_DOCUMENT)
if _missing:  # pragma: no cover - a programming error caught at import
    raise RuntimeError(f"official notices without an announcement record: {sorted(_missing)}")


class NoticeSet(NamedTuple):
    """The bundled notices in force on a date, as :func:`notices_as_of` gives them."""

    notices: tuple[OfficialNotice, ...]
    last_official_year: int
    latest_announcement: dt.date | None


def notices_as_of(as_of: dt.date | None) -> NoticeSet:
    """The notices announced on or before ``as_of`` (``None``: all of them).

    A notice counts once its document is announced (statutes always count). The last official
    year is the last year with a notice announced by ``as_of`` (at least the year before
    :data:`FIRST_OFFICIAL_YEAR`); later years are provisional. ``latest_announcement`` is the
    latest announcement date among the notices kept: two dates with the same notices give the
    same set.

    >>> before = notices_as_of(dt.date(2025, 12, 20))
    >>> before.last_official_year, before.latest_announcement
    (2026, datetime.date(2025, 10, 16))
    >>> any(n[0] == dt.date(2026, 1, 2) for n in before.notices)  # Công văn 12729 not yet
    False
    >>> notices_as_of(None).latest_announcement
    datetime.date(2026, 1, 7)
    """
    if as_of is None:
        kept = OFFICIAL_NOTICES
    else:
        kept = tuple(
            n
            for n in OFFICIAL_NOTICES
            if (announced := _BY_DOCUMENT[n[2]].announced) is None or announced <= as_of
        )
    announced_docs = [
        _BY_DOCUMENT[doc] for doc in {n[2] for n in kept} if _BY_DOCUMENT[doc].announced is not None
    ]
    last_year = max([FIRST_OFFICIAL_YEAR - 1, *(d.year for d in announced_docs)])
    latest = max((d.announced for d in announced_docs if d.announced), default=None)
    return NoticeSet(kept, last_year, latest)
