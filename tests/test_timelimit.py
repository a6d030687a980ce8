"""TimeLimit.parse: the wordings of procedure records, round trips, and refusals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc import TimeLimit, TimeLimitParseError
from tthc.calendar import TimeLimitUnit

U = TimeLimitUnit


@pytest.mark.parametrize(
    ("text", "value", "unit", "cutoff"),
    [
        ("05 ngày làm việc", 5, U.WORKING_DAYS, None),
        ("5 working days", 5, U.WORKING_DAYS, None),
        ("1 working day", 1, U.WORKING_DAYS, None),
        ("03 ngày", 3, U.CALENDAR_DAYS, None),
        ("3 calendar days", 3, U.CALENDAR_DAYS, None),
        ("1 calendar day", 1, U.CALENDAR_DAYS, None),
        ("10 calendar days", 10, U.CALENDAR_DAYS, None),
        ("Trong ngày", 1, U.SAME_DAY, None),
        ("same day", 1, U.SAME_DAY, None),
        ("04 giờ làm việc", 4, U.WORKING_HOURS, None),
        ("8 working hours", 8, U.WORKING_HOURS, None),
        ("01 tháng", 1, U.MONTHS, None),
        ("2 months", 2, U.MONTHS, None),
        ("03 (ba) ngày làm việc", 3, U.WORKING_DAYS, None),
        ("  15 NGÀY LÀM VIỆC kể từ ngày nhận đủ hồ sơ hợp lệ", 15, U.WORKING_DAYS, None),
        (
            "Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả "
            "trong ngày làm việc tiếp theo",
            1,
            U.SAME_DAY,
            dt.time(15, 0),
        ),
        (
            "Ngay trong ngày tiếp nhận yêu cầu, trường hợp nhận hồ sơ sau 15 giờ mà không giải "
            "quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo.",
            1,
            U.SAME_DAY,
            dt.time(15, 0),
        ),
        (
            "Trong ngày cơ quan, tổ chức tiếp nhận yêu cầu hoặc trong ngày làm việc tiếp theo, "
            "nếu tiếp nhận yêu cầu sau 15 giờ.",
            1,
            U.SAME_DAY,
            dt.time(15, 0),
        ),
        (
            "Trong ngày; trường hợp nhận hồ sơ sau 15 giờ 30 thì trả kết quả trong ngày "
            "làm việc tiếp theo",
            1,
            U.SAME_DAY,
            dt.time(15, 30),
        ),
    ],
)
def test_parse_wordings(text: str, value: int, unit: TimeLimitUnit, cutoff: dt.time | None) -> None:
    limit = TimeLimit.parse(text)
    assert (limit.value, limit.unit, limit.cutoff) == (value, unit, cutoff)


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        (TimeLimit(value=5, unit=U.WORKING_DAYS), "05 ngày làm việc"),
        (TimeLimit(value=3, unit=U.CALENDAR_DAYS), "03 ngày"),
        (TimeLimit(value=12, unit=U.WORKING_HOURS), "12 giờ làm việc"),
        (TimeLimit(value=1, unit=U.MONTHS), "01 tháng"),
        (TimeLimit(unit=U.SAME_DAY), "Trong ngày"),
    ],
)
def test_str_gives_vietnamese_wording(limit: TimeLimit, text: str) -> None:
    assert str(limit) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "tùy trường hợp",
        "0 ngày làm việc",
        "05 giờ",
        "5 tuần",
        "05 ngày làm việc đối với trường hợp A; 10 ngày đối với trường hợp B",
        "Trong ngày, trừ trường hợp phức tạp",
        "Trong ngày; sau 25 giờ thì trả kết quả trong ngày làm việc tiếp theo",
    ],
)
def test_unreadable_wording_is_refused_with_its_text(text: str) -> None:
    with pytest.raises(TimeLimitParseError) as info:
        TimeLimit.parse(text)
    assert repr(text) in str(info.value)


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(TimeLimitParseError):
        TimeLimit.parse(5)  # type: ignore[arg-type]


def test_model_validation_errors() -> None:
    with pytest.raises(ValueError, match="same-day"):
        TimeLimit(value=2, unit=U.SAME_DAY)
    with pytest.raises(ValueError, match="cutoff"):
        TimeLimit(value=2, unit=U.WORKING_DAYS, cutoff=dt.time(15))
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        TimeLimit(value=0, unit=U.WORKING_DAYS)


limits = st.one_of(
    st.builds(
        TimeLimit,
        value=st.integers(1, 400),
        unit=st.sampled_from([U.WORKING_DAYS, U.WORKING_HOURS, U.CALENDAR_DAYS, U.MONTHS]),
    ),
    st.builds(
        TimeLimit,
        unit=st.just(U.SAME_DAY),
        cutoff=st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0))),
    ),
)


@given(limits)
def test_str_parse_round_trip(limit: TimeLimit) -> None:
    assert TimeLimit.parse(str(limit)) == limit


@given(limits)
def test_json_round_trip(limit: TimeLimit) -> None:
    assert TimeLimit.model_validate_json(limit.model_dump_json()) == limit


def test_text_accepted_where_a_model_is_expected() -> None:
    assert TimeLimit.model_validate("05 ngày làm việc") == TimeLimit(value=5, unit=U.WORKING_DAYS)
    assert TimeLimit(value=1, unit=U.MONTHS).label_en == "1 month"
    assert TimeLimit(value=2, unit=U.MONTHS).label_en == "2 months"
    assert TimeLimit(unit=U.SAME_DAY, cutoff=dt.time(15)).label_en == "same day, cut-off 15:00"


@pytest.mark.parametrize(
    "text",
    [
        # A verification extension after the cut-off changes the limit: refused, not dropped.
        "Trong ngày; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc "
        "tiếp theo. Trường hợp cần xác minh thì thời hạn không quá 03 ngày làm việc",
        "05 ngày làm việc kể từ ngày nhận đủ hồ sơ; trường hợp phức tạp 10 ngày làm việc",
    ],
)
def test_conditions_after_a_readable_limit_are_refused(text: str) -> None:
    with pytest.raises(TimeLimitParseError, match="may change the limit"):
        TimeLimit.parse(text)


def test_english_same_day_cutoff() -> None:
    limit = TimeLimit.parse("same day; if received after 15:30, next working day")
    assert limit.cutoff == dt.time(15, 30)


# ---- typed without diacritics (issue 15) -------------------------------------------------

UNACCENTED = [
    ("02 ngay lam viec", "02 ngày làm việc"),
    ("5 NGAY LAM VIEC", "05 ngày làm việc"),
    ("05 ngay", "05 ngày"),
    ("01 thang", "01 tháng"),
    ("04 gio lam viec", "04 giờ làm việc"),
    ("trong ngay", "Trong ngày"),
    ("Trong ngay lam viec", "Trong ngày làm việc"),
    ("03 (ba) ngay lam viec", "03 (ba) ngày làm việc"),
    (
        "15 ngay lam viec ke tu ngay nhan du ho so hop le",
        "15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
    ),
    (
        "Ngay trong ngay lam viec; truong hop nhan ho so sau 15 gio thi tra ket qua trong ngay "
        "lam viec tiep theo",
        "Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày "
        "làm việc tiếp theo",
    ),
    (
        "Trong ngay; truong hop nhan ho so sau 15 gio 30 thi tra ket qua trong ngay lam viec "
        "tiep theo",
        "Trong ngày; trường hợp nhận hồ sơ sau 15 giờ 30 thì trả kết quả trong ngày làm việc "
        "tiếp theo",
    ),
]


@pytest.mark.parametrize(("plain", "accented"), UNACCENTED)
def test_unaccented_wording_has_the_same_meaning(plain: str, accented: str) -> None:
    assert TimeLimit.parse(plain) == TimeLimit.parse(accented)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("04 gio", "plain hours ('gio')"),  # plain hours stay ambiguous without diacritics
        ("05 ngay lam viec tru thu bay", "may change the limit"),
        ("trong ngay; truong hop can xac minh thi khong qua 03 ngay lam viec", "not a receipt"),
        ("05 tuan", "expected a number and a unit"),
        # Mixed spelling (some diacritics): read as written, so "lam viec" is unknown text.
        ("05 ngày lam viec", "may change the limit"),
    ],
)
def test_unaccented_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(TimeLimitParseError, match=re.escape(reason)):
        TimeLimit.parse(text)


@given(st.sampled_from(UNACCENTED))
def test_unaccented_round_trip_through_str(pair: tuple[str, str]) -> None:
    # The Vietnamese wording str() gives back reads to the same limit.
    limit = TimeLimit.parse(pair[0])
    assert TimeLimit.parse(str(limit)) == limit


@pytest.mark.parametrize("text", ["5 days", "1 day", "10 Days", "3 (three) days"])
def test_english_days_alone_is_refused_with_a_hint(text: str) -> None:
    with pytest.raises(TimeLimitParseError, match=r"calendar day.*working day"):
        TimeLimit.parse(text)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("5 calendar days", U.CALENDAR_DAYS),
        ("5 working days", U.WORKING_DAYS),
        ("2 months", U.MONTHS),
        ("8 working hours", U.WORKING_HOURS),
    ],
)
def test_other_english_spellings_unchanged(text: str, unit: TimeLimitUnit) -> None:
    assert TimeLimit.parse(text).unit is unit


@pytest.mark.parametrize("unit", list(U))
def test_label_en_reads_back(unit: TimeLimitUnit) -> None:
    for value in (1, 3):
        if unit is U.SAME_DAY and value != 1:
            continue
        limit = TimeLimit(value=value, unit=unit)
        assert TimeLimit.parse(limit.label_en) == limit
