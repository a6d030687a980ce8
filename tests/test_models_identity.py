"""Citizen ID (CCCD) and Vietnamese phone-number checks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc import InvalidInputError
from tthc.models import normalise_vn_phone, parse_citizen_id
from tthc.models._identity import CITIZEN_ID_PROVINCE_CODES

TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("number", "province", "gender", "year"),
    [
        ("001090123456", "Hà Nội", "male", 1990),
        ("040195012345", "Nghệ An", "female", 1995),
        ("079303000001", "Hồ Chí Minh", "female", 2003),
        ("096224999999", "Cà Mau", "male", 2024),
        ("038099000123", "Thanh Hóa", "male", 1999),  # last year of the 20th century
        ("038100000123", "Thanh Hóa", "female", 1900),  # first year of the 20th century
        ("038200000123", "Thanh Hóa", "male", 2000),
        ("038326000123", "Thanh Hóa", "female", 2026),  # TODAY's year: not in the future
        ("048 0 85 123456", "Đà Nẵng", "male", 1985),
        ("001-0-90-123456", "Hà Nội", "male", 1990),
    ],
)
def test_valid_citizen_ids(number: str, province: str, gender: str, year: int) -> None:
    info = parse_citizen_id(number, today=TODAY)
    assert (info.province, info.gender, info.birth_year) == (province, gender, year)
    assert len(info.number) == 12
    assert info.number.isdigit()


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("04019501234", "expected 12 digits"),  # 11 digits
        ("0401950123456", "expected 12 digits"),  # 13 digits
        ("04019501234X", "non-digits"),
        ("040195O12345", "non-digits"),
        ("", "expected 12 digits"),
        ("003195012345", "003 is not a province code"),  # gap in the list
        ("000195012345", "000 is not a province code"),
        ("097195012345", "097 is not a province code"),  # beyond 096
        ("099195012345", "099 is not a province code"),
        ("040499012345", "birth year 2199"),  # 21st-22nd century: in the future
        ("040230012345", "birth year 2030"),
        ("040227012345", "birth year 2027"),  # the year after TODAY's
        ("038899000123", "birth year 2399"),  # 8/9 = 24th century (2300–2399), not the 1800s
        ("038900000123", "birth year 2300"),
        ("038600000123", "birth year 2200"),
        ("٠٤٠١٩٥٠١٢٣٤٥", "non-digits"),  # Arabic-Indic digits are not accepted
    ],
)
def test_invalid_citizen_ids(number: str, reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason):
        parse_citizen_id(number, today=TODAY)


def test_citizen_id_rejects_non_strings() -> None:
    with pytest.raises(InvalidInputError, match="expected a string"):
        parse_citizen_id(40195012345)  # type: ignore[arg-type]


def test_province_code_list_is_the_63_codes_within_001_096() -> None:
    assert len(CITIZEN_ID_PROVINCE_CODES) == 63
    assert all(1 <= int(code) <= 96 for code in CITIZEN_ID_PROVINCE_CODES)
    assert "001" in CITIZEN_ID_PROVINCE_CODES
    assert "096" in CITIZEN_ID_PROVINCE_CODES


@given(
    province=st.sampled_from(sorted(CITIZEN_ID_PROVINCE_CODES)),
    century_gender=st.sampled_from("0123"),
    yy=st.integers(0, 25),
    rest=st.integers(0, 999_999),
)
def test_structure_round_trips(province: str, century_gender: str, yy: int, rest: int) -> None:
    number = f"{province}{century_gender}{yy:02d}{rest:06d}"
    info = parse_citizen_id(number, today=TODAY)
    assert info.province_code == province
    assert info.birth_year % 100 == yy
    assert info.gender == ("male" if int(century_gender) % 2 == 0 else "female")


@given(st.text(max_size=14))
def test_arbitrary_text_is_accepted_or_refused_cleanly(text: str) -> None:
    try:
        info = parse_citizen_id(text, today=TODAY)
    except InvalidInputError:
        return
    assert info.number.isdigit()
    assert len(info.number) == 12


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("091.234.5678", "+84912345678"),
        ("+84912345678", "+84912345678"),
        ("+84 91 234 5678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("0321234567", "+84321234567"),
        ("0561234567", "+84561234567"),
        ("0701234567", "+84701234567"),
        ("0861234567", "+84861234567"),
        ("(024) 3825 1234", "+842438251234"),  # Hà Nội landline, 11 digits
        ("02383 123 456", "+842383123456"),  # Nghệ An landline
        ("+84 28 3829 1234", "+842838291234"),
    ],
)
def test_valid_phones(raw: str, e164: str) -> None:
    assert normalise_vn_phone(raw) == e164


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("01234567890", "01x numbers were converted"),  # old 11-digit mobile
        ("091234567", "10 digits"),  # too short
        ("09123456789", "10 digits"),  # too long
        ("0243825123", "11 digits"),  # landline too short
        ("0412345678", "neither a mobile"),
        ("0612345678", "neither a mobile"),
        ("+1 202 555 0100", "not a Vietnamese"),
        ("912345678", "expected a leading 0"),
        ("09123x5678", "other than digits"),
        ("", "expected a leading 0"),
    ],
)
def test_invalid_phones(raw: str, reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason):
        normalise_vn_phone(raw)


@given(prefix=st.sampled_from("35789"), rest=st.integers(0, 99_999_999))
def test_every_mobile_form_normalises_to_the_same_e164(prefix: str, rest: int) -> None:
    national = f"0{prefix}{rest:08d}"
    expected = "+84" + national[1:]
    for form in (
        national,
        "+84" + national[1:],
        "84" + national[1:],
        f"{national[:4]} {national[4:]}",
    ):
        assert normalise_vn_phone(form) == expected
