"""Vietnamese citizen ID (CCCD / căn cước) and phone-number checks.

Both are plain functions (so forms, applicants and user code share one rule each) returning
the normalised value or raising :class:`~tthc.InvalidInputError` with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from tthc._time import VN_TZ
from tthc.errors import InvalidInputError

__all__ = [
    "CITIZEN_ID_CENTURY_GENDER",
    "CITIZEN_ID_PROVINCE_CODES",
    "CitizenIdInfo",
    "normalise_vn_phone",
    "parse_citizen_id",
]

CITIZEN_ID_LENGTH = 12
"""A citizen ID (số định danh cá nhân) has 12 digits (Decree 137/2015/NĐ-CP Art. 13)."""

CITIZEN_ID_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}
"""Province codes, the first three digits of a citizen ID: the place of birth registration.

The 63 codes of the list in Circular 07/2016/TT-BCA Art. 7 (kept by Circular 59/2021/TT-BCA);
they are the province codes of Decision 124/2004/QĐ-TTg. IDs issued before the 2025 province
mergers keep these codes, and the merged provinces kept codes from this list, so it remains
the full set of valid prefixes.
"""

CITIZEN_ID_CENTURY_GENDER: dict[str, tuple[int, str]] = {
    "0": (1900, "male"),
    "1": (1900, "female"),
    "2": (2000, "male"),
    "3": (2000, "female"),
    "4": (2100, "male"),
    "5": (2100, "female"),
    "6": (2200, "male"),
    "7": (2200, "female"),
    "8": (2300, "male"),
    "9": (2300, "female"),
}
"""The 4th digit of a citizen ID: century of birth and gender (Circular 07/2016/TT-BCA Art. 7(2);
Circular 59/2021/TT-BCA Art. 7): 20th century (1900–1999) male 0, female 1; 21st (2000–2099)
2, 3; 22nd (2100–2199) 4, 5; 23rd (2200–2299) 6, 7; 24th (2300–2399) 8, 9. Maps the digit to
``(first year of the century, gender)``. Only 0–3 can be valid today: a later century is a
birth year in the future."""


class CitizenIdInfo(NamedTuple):
    """What the structure of a citizen ID says: province of birth registration, gender, year."""

    number: str
    province_code: str
    province: str
    gender: str
    birth_year: int


CITIZEN_ID_SEPARATORS = re.compile(r"[\s.\-]")
"""Spaces, dots and dashes people write between the digit groups of a citizen ID."""
ALWAYS_PAST = 2000
"""Birth years before this (the 20th century, digits 0 and 1) are in the past without looking
at the clock."""
_PAST_CENTURY_DIGITS = frozenset(
    d for d, (century, _gender) in CITIZEN_ID_CENTURY_GENDER.items() if century < ALWAYS_PAST
)


def _ascii_digits(number: str) -> bool:
    # str.isdigit() alone accepts full-width and other Unicode digits ("０", "٣").
    return number.isascii() and number.isdigit()


def _citizen_id_number(value: str) -> str:
    """``value`` without the spaces, dots and dashes written between digit groups.

    >>> _citizen_id_number("040 1 95-012345")
    '040195012345'
    """
    return value if value.isdigit() else CITIZEN_ID_SEPARATORS.sub("", value)


def _citizen_id_plainly_valid(number: str) -> bool:
    """True when ``number`` is a citizen ID that needs no further check: 12 digits 0-9, a
    known province code and a birth century before :data:`ALWAYS_PAST` (no clock needed).

    ``False`` says nothing; :func:`parse_citizen_id` gives the answer and the reason.

    >>> _citizen_id_plainly_valid("040195012345"), _citizen_id_plainly_valid("0401\uff195012345")
    (True, False)
    """
    return (
        len(number) == CITIZEN_ID_LENGTH
        and _ascii_digits(number)
        and number[:3] in CITIZEN_ID_PROVINCE_CODES
        and number[3] in _PAST_CENTURY_DIGITS
    )


class IdentityProblem(NamedTuple):
    """Why a citizen ID or phone number is refused: a stable ``code`` (see
    :data:`tthc.models.VALIDATION_CODES`), the values the messages quote, and the English reason
    that :class:`~tthc.InvalidInputError` carries."""

    code: str
    params: dict[str, Any]
    reason: str


def check_citizen_id(
    value: object, *, today: dt.date | None = None
) -> CitizenIdInfo | IdentityProblem:
    """The structure of a citizen ID, or why it is refused (no exception: forms and models turn
    the problem into their own error; :func:`parse_citizen_id` raises it)."""
    if not isinstance(value, str):
        return IdentityProblem(
            "citizen_id.length",
            {"length": None},
            f"citizen ID {value!r}: expected a string of 12 digits",
        )
    number = _citizen_id_number(value)
    ascii_digits = _ascii_digits(number)
    if len(number) != CITIZEN_ID_LENGTH or not ascii_digits:
        return IdentityProblem(
            "citizen_id.length",
            {"length": len(number), "non_digits": not ascii_digits},
            f"citizen ID {value!r}: expected {CITIZEN_ID_LENGTH} digits 0-9, got {len(number)} "
            "characters" + ("" if ascii_digits else " including non-digits"),
        )
    province_code = number[:3]
    province = CITIZEN_ID_PROVINCE_CODES.get(province_code)
    if province is None:
        return IdentityProblem(
            "citizen_id.province",
            {"province_code": province_code},
            f"citizen ID {value!r}: {province_code} is not a province code "
            "(Circular 07/2016/TT-BCA)",
        )
    century, gender = CITIZEN_ID_CENTURY_GENDER[number[3]]
    birth_year = century + int(number[4:6])
    if birth_year >= ALWAYS_PAST:  # the 1900s need no look at the clock
        current = today if today is not None else dt.datetime.now(VN_TZ).date()
        if birth_year > current.year:
            return IdentityProblem(
                "citizen_id.future_birth_year",
                {"birth_year": birth_year, "current_year": current.year},
                f"citizen ID {value!r}: digits 4–6 give birth year {birth_year}, "
                f"which is after {current.year}",
            )
    return CitizenIdInfo(number, province_code, province, gender, birth_year)


def parse_citizen_id(value: str, *, today: dt.date | None = None) -> CitizenIdInfo:
    """Check a Vietnamese citizen ID (CCCD / căn cước, 12 digits) and read its structure.

    Digits 1–3: province code (:data:`CITIZEN_ID_PROVINCE_CODES`); digit 4: century and gender
    (:data:`CITIZEN_ID_CENTURY_GENDER`); digits 5–6: last two digits of the birth year;
    digits 7–12: a random number (Circular 07/2016/TT-BCA Art. 7, Circular 59/2021/TT-BCA).
    Spaces, dots and dashes between digit groups are removed. The birth year may not be after
    ``today`` (default: today in UTC+7).

    >>> parse_citizen_id("040 1 95 012345")
    CitizenIdInfo(number='040195012345', province_code='040', province='Nghệ An', gender='female', birth_year=1995)
    >>> parse_citizen_id("099195012345")
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: citizen ID '099195012345': 099 is not a province code (Circular 07/2016/TT-BCA)

    Raises:
        InvalidInputError: saying which part is wrong.
    """
    found = check_citizen_id(value, today=today)
    if isinstance(found, IdentityProblem):
        raise InvalidInputError(found.reason)
    return found


MOBILE_PREFIX_DIGITS = frozenset("35789")
"""Second digit (0-form) of Vietnamese mobile numbers since the 2018 move to 10 digits:
03x, 05x, 07x, 08x, 09x (numbering plan, Circular 22/2014/TT-BTTTT as amended)."""
MOBILE_LENGTH = 10
"""Digits in a mobile number written in the 0-form (``0912345678``)."""
LANDLINE_PREFIX_DIGIT = "2"
"""Second digit (0-form) of fixed-line numbers since the 2017 area-code change: 02x."""
LANDLINE_LENGTH = 11
"""Digits in a fixed-line number written in the 0-form (``02383123456``)."""
COUNTRY_CODE = "84"

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def check_vn_phone(value: object) -> str | IdentityProblem:
    """The E.164 form of a Vietnamese phone number, or why it is refused (no exception:
    :func:`normalise_vn_phone` raises the problem)."""
    if not isinstance(value, str):
        return IdentityProblem("phone.format", {}, f"phone {value!r}: expected a string")
    if (  # fast path: the usual 0-form mobile number
        len(value) == MOBILE_LENGTH
        and value[0] == "0"
        and value[1] in MOBILE_PREFIX_DIGITS
        and value.isascii()
        and value.isdigit()
    ):
        return "+" + COUNTRY_CODE + value[1:]
    digits = _PHONE_SEPARATORS.sub("", value)
    if digits.startswith("+"):
        if not digits.startswith("+" + COUNTRY_CODE):
            return IdentityProblem(
                "phone.not_vietnamese", {}, f"phone {value!r}: not a Vietnamese (+84) number"
            )
        national = "0" + digits[1 + len(COUNTRY_CODE) :]
    elif digits.startswith("00" + COUNTRY_CODE):
        national = "0" + digits[2 + len(COUNTRY_CODE) :]
    elif digits.startswith(COUNTRY_CODE) and len(digits) in {
        MOBILE_LENGTH - 1 + len(COUNTRY_CODE),
        LANDLINE_LENGTH - 1 + len(COUNTRY_CODE),
    }:
        national = "0" + digits[len(COUNTRY_CODE) :]
    elif digits.startswith("0"):
        national = digits
    else:
        return IdentityProblem(
            "phone.prefix", {}, f"phone {value!r}: expected a leading 0, +84 or 84"
        )
    if not (national.isascii() and national.isdigit()):
        return IdentityProblem(
            "phone.non_digits", {}, f"phone {value!r}: contains characters other than digits"
        )
    kind = national[1:2]
    if kind == "1":
        return IdentityProblem(
            "phone.old_mobile",
            {},
            f"phone {value!r}: 01x numbers were converted to 10-digit mobile numbers in 2018; "
            "use the new number",
        )
    if kind in MOBILE_PREFIX_DIGITS:
        expected = MOBILE_LENGTH
    elif kind == LANDLINE_PREFIX_DIGIT:
        expected = LANDLINE_LENGTH
    else:
        return IdentityProblem(
            "phone.unknown_prefix",
            {"prefix": f"0{kind}"},
            f"phone {value!r}: 0{kind}… is neither a mobile (03, 05, 07, 08, 09) "
            "nor a fixed-line (02) prefix",
        )
    if len(national) != expected:
        what = "mobile" if expected == MOBILE_LENGTH else "fixed-line"
        return IdentityProblem(
            "phone.length",
            {"kind": what, "expected": expected, "length": len(national)},
            f"phone {value!r}: a {what} number has {expected} digits in the 0-form, "
            f"got {len(national)}",
        )
    return "+" + COUNTRY_CODE + national[1:]


def normalise_vn_phone(value: str) -> str:
    """Check a Vietnamese phone number and return it in **E.164 form** (``+84…``).

    Accepted prefixes: ``+84``, ``84``, ``0084`` or the domestic ``0``. Mobile numbers have 10
    digits in the 0-form and start 03, 05, 07, 08 or 09; fixed lines have 11 digits and start 02.
    Spaces, dots, dashes and brackets are ignored. Old 11-digit mobile numbers (01x…, converted
    in 2018) are refused with that reason.

    >>> normalise_vn_phone("0912 345 678")
    '+84912345678'
    >>> normalise_vn_phone("+84 238 3123 456")
    '+842383123456'
    >>> normalise_vn_phone("0123 456 7890")
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: phone '0123 456 7890': 01x numbers were converted to 10-digit mobile numbers in 2018; use the new number

    Raises:
        InvalidInputError: saying why the number is not a Vietnamese phone number.
    """
    found = check_vn_phone(value)
    if isinstance(found, IdentityProblem):
        raise InvalidInputError(found.reason)
    return found
