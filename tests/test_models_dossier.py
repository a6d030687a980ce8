"""Dossiers, their events and applicants; dossier codes (Decree 118/2025/NĐ-CP Art. 28)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import tthc
from tthc import VN_TZ, Channel, Dossier, DossierEvent, InvalidInputError
from tthc.models import (
    DOSSIER_CODE_PATTERN,
    Applicant,
    DossierCodeGenerator,
    EventKind,
    SubmittedComponent,
    format_dossier_code,
    parse_dossier_code,
)

AGENCY = "000.17.22.H56"


def dossier_dict(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "code": f"{AGENCY}-240301-0001",
        "procedure_code": "1.001193",
        "applicant": {
            "kind": "person",
            "name": "Nguyễn Thị Hoa",
            "id_number": "040195012345",
            "phone": "0912 345 678",
            "email": "hoa@example.vn",
            "address": "Phường Nghi Hương, Nghệ An",
        },
        "channel": "direct",
        "received_at": "2024-03-01T08:15:00+07:00",
        "components": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1}],
        "form_values": {"ho_ten": "Nguyễn Văn An"},
        "events": [
            {"kind": "received", "at": "2024-03-01T08:15:00+07:00", "actor": "cb01"},
            {"kind": "completed", "at": "2024-03-01T10:00:00+07:00"},
            {"kind": "result_returned", "at": "2024-03-01T14:00:00+07:00"},
        ],
        "due_at": "2024-03-01T17:00:00+07:00",
    }
    base.update(overrides)
    return base


# --- dossier codes -----------------------------------------------------------------------


def test_parse_the_decree_example() -> None:
    parts = parse_dossier_code("000.17.22.H56-210531-0001")
    assert parts.agency_id == "000.17.22.H56"
    assert parts.received_on == dt.date(2021, 5, 31)
    assert parts.sequence == 1


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("000.17.22.H56-210531-001", "expected"),  # 3-digit sequence
        ("000.17.22.H56-20210531-0001", "expected"),  # yyyymmdd
        ("000.17.22.H56_210531_0001", "expected"),
        ("000.17.22.h56-210531-0001", "expected"),  # lower case agency id
        ("-210531-0001", "expected"),
        ("000.17.22.H56-211331-0001", "not a date"),  # month 13
        ("000.17.22.H56-210230-0001", "not a date"),  # 30 February
        ("000.17.22.H56-210531-0000", "starts at 0001"),
    ],
)
def test_parse_rejects_malformed_codes(code: str, reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason):
        parse_dossier_code(code)


def test_format_uses_the_utc7_receipt_date() -> None:
    # 18:30 UTC on 31 May is 01:30 on 1 June in Vietnam.
    late = dt.datetime(2021, 5, 31, 18, 30, tzinfo=dt.UTC)
    assert format_dossier_code(AGENCY, late, 7) == f"{AGENCY}-210601-0007"
    assert format_dossier_code(AGENCY, dt.datetime(2021, 5, 31, 23, 0), 7).endswith("210531-0007")


@pytest.mark.parametrize("seq", [0, -1, 10_000])
def test_format_rejects_out_of_range_sequences(seq: int) -> None:
    with pytest.raises(InvalidInputError, match="1–9999"):
        format_dossier_code(AGENCY, dt.date(2024, 1, 2), seq)


def test_generator_counts_per_day_and_restarts_each_day() -> None:
    gen = DossierCodeGenerator(AGENCY)
    day1 = dt.datetime(2024, 3, 1, 8, 0, tzinfo=VN_TZ)
    codes = [gen.next(day1) for _ in range(3)]
    assert codes == [f"{AGENCY}-240301-000{i}" for i in (1, 2, 3)]
    assert gen.next(dt.date(2024, 3, 4)) == f"{AGENCY}-240304-0001"
    assert gen.next(day1) == f"{AGENCY}-240301-0004"


def test_generator_resumes_after_issued_codes() -> None:
    gen = DossierCodeGenerator(AGENCY)
    gen.resume_after([f"{AGENCY}-240301-0012", f"{AGENCY}-240301-0009"])
    assert gen.next(dt.date(2024, 3, 1)) == f"{AGENCY}-240301-0013"
    with pytest.raises(InvalidInputError, match="given to the generator"):
        gen.resume_after(["000.00.00.H40-240301-0001"])


def test_generator_refuses_the_10000th_code_of_a_day() -> None:
    gen = DossierCodeGenerator(AGENCY)
    gen.resume_after([f"{AGENCY}-240301-9999"])
    with pytest.raises(InvalidInputError, match="1–9999"):
        gen.next(dt.date(2024, 3, 1))


def test_generator_rejects_bad_agency_ids() -> None:
    with pytest.raises(InvalidInputError, match="agency id"):
        DossierCodeGenerator("000 17 22 H56")


def test_codes_and_agency_ids_with_a_trailing_newline_are_refused() -> None:
    # ``Dossier.code`` refuses "...-0001\n"; parsing, formatting and resuming must agree.
    code = f"{AGENCY}-240301-0001\n"
    with pytest.raises(ValidationError):
        Dossier.model_validate(dossier_dict(code=code))
    with pytest.raises(InvalidInputError, match="dossier code"):
        parse_dossier_code(code)
    with pytest.raises(InvalidInputError, match="agency id"):
        format_dossier_code(AGENCY + "\n", dt.date(2024, 3, 1), 1)
    with pytest.raises(InvalidInputError, match="agency id"):
        DossierCodeGenerator(AGENCY + "\n")
    gen = DossierCodeGenerator(AGENCY)
    with pytest.raises(InvalidInputError, match="dossier code"):
        gen.resume_after([code])
    assert gen.next(dt.date(2024, 3, 1)) == f"{AGENCY}-240301-0001"


def test_generator_is_thread_safe() -> None:
    gen = DossierCodeGenerator(AGENCY)
    out: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        mine = [gen.next(dt.date(2024, 3, 1)) for _ in range(200)]
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == 1600
    assert max(parse_dossier_code(c).sequence for c in out) == 1600


@given(
    day=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    seq=st.integers(1, 9999),
    agency=st.from_regex(r"[0-9A-Z]{1,4}(\.[0-9A-Z]{1,4}){0,3}", fullmatch=True),
)
def test_code_format_and_parse_are_inverse(day: dt.date, seq: int, agency: str) -> None:
    code = format_dossier_code(agency, day, seq)
    assert parse_dossier_code(code) == (agency, day, seq)
    Dossier.model_validate(dossier_dict(code=code))  # the model accepts what the generator makes


# --- applicants ----------------------------------------------------------------------------


def test_applicant_normalises_phone_and_checks_person_citizen_id() -> None:
    a = Applicant(
        kind="person", name=" Trần Văn Bình ", id_number="040195012345", phone="84912345678"
    )
    assert a.name == "Trần Văn Bình"
    assert a.phone == "+84912345678"
    with pytest.raises(ValidationError, match="not a province code"):
        Applicant(kind="person", name="X", id_number="099195012345")
    with pytest.raises(ValidationError, match="not a province code"):
        Applicant(kind="person", name="X", id_number="099 1 95 012345")  # in groups: same check
    with pytest.raises(ValidationError, match="birth year 2395"):
        Applicant(kind="person", name="X", id_number="040-8-95-012345")
    assert Applicant(name="X", id_number="040.1.95.012345").id_number == "040.1.95.012345"
    with pytest.raises(ValidationError, match="01x numbers"):
        Applicant(name="X", phone="01234567890")
    with pytest.raises(ValidationError, match="email"):
        Applicant(name="X", email="not-an-address")


def test_applicant_refuses_a_citizen_id_with_non_ascii_digits() -> None:
    # A full-width digit is a digit to str.isdigit() but not a digit 0-9 of a citizen ID.
    with pytest.raises(ValidationError, match="non-digits"):
        Applicant(kind="person", name="X", id_number="0401\uff195012345")
    with pytest.raises(ValidationError, match="non-digits"):
        Applicant(kind="person", name="X", id_number="040 1 95 01234\uff15")  # in groups


def test_applicant_keeps_other_id_numbers_as_given() -> None:
    assert Applicant(name="A", id_number="C1234567").id_number == "C1234567"  # passport
    assert Applicant(name="A", id_number="186123456").id_number == "186123456"  # old 9-digit card
    # A 12-digit number of an organisation is not a citizen ID (no structure check).
    org = Applicant(kind="organisation", name="Công ty TNHH A", id_number="099999999999")
    assert org.kind == "organisation"


def test_applicant_refuses_unknown_kind_and_keys() -> None:
    with pytest.raises(ValidationError):
        Applicant(kind="company", name="X")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Extra inputs"):
        Applicant.model_validate({"name": "X", "phone_number": "0912345678"})


# --- events --------------------------------------------------------------------------------


def test_event_datetimes_are_normalised_to_utc7() -> None:
    naive = DossierEvent(kind=EventKind.RECEIVED, at=dt.datetime(2024, 3, 1, 8, 0))
    utc = DossierEvent(kind="received", at=dt.datetime(2024, 3, 1, 1, 0, tzinfo=dt.UTC))
    text = DossierEvent.model_validate({"kind": "received", "at": "2024-03-01T01:00:00Z"})
    for ev in (naive, utc, text):
        assert ev.at.utcoffset() == dt.timedelta(hours=7)
        assert ev.at.replace(tzinfo=None) == dt.datetime(2024, 3, 1, 8, 0)
    assert naive.at == utc.at == text.at


def test_reappointed_events_need_new_due_at_and_only_they_carry_it() -> None:
    ev = DossierEvent(
        kind="reappointed",
        at="2024-03-05T09:00",
        reasons=["Chờ xác minh"],
        new_due_at="2024-03-08T17:00",
    )
    assert ev.new_due_at is not None
    assert ev.new_due_at.utcoffset() == dt.timedelta(hours=7)
    with pytest.raises(ValidationError, match="needs new_due_at"):
        DossierEvent(kind="reappointed", at="2024-03-05T09:00")
    with pytest.raises(ValidationError, match="only for reappointed"):
        DossierEvent(kind="completed", at="2024-03-05T09:00", new_due_at="2024-03-08T17:00")


def test_events_are_frozen() -> None:
    ev = DossierEvent(kind="received", at="2024-03-01T08:00")
    with pytest.raises(ValidationError):
        ev.note = "x"  # type: ignore[misc]


def test_submitted_component_counts_are_not_negative() -> None:
    assert SubmittedComponent(name="Giấy chứng sinh", copies=1).originals == 0
    with pytest.raises(ValidationError):
        SubmittedComponent(name="Giấy chứng sinh", copies=-1)


# --- dossiers ------------------------------------------------------------------------------


def test_dossier_from_plain_dict() -> None:
    d = Dossier.model_validate(dossier_dict())
    assert d.channel is Channel.DIRECT
    assert d.applicant.phone == "+84912345678"
    assert [e.kind for e in d.events] == [
        EventKind.RECEIVED,
        EventKind.COMPLETED,
        EventKind.RESULT_RETURNED,
    ]
    assert d.code_parts.received_on == dt.date(2024, 3, 1)
    assert d.agency_id == AGENCY
    assert d.received_at == dt.datetime(2024, 3, 1, 8, 15, tzinfo=VN_TZ)


def test_dossier_naive_datetimes_are_utc7_wall_clock() -> None:
    d = Dossier.model_validate(dossier_dict(received_at="2024-03-01 08:15", due_at=None))
    assert d.received_at.isoformat() == "2024-03-01T08:15:00+07:00"
    assert d.due_at is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "240301-0001"),
        ("code", f"{AGENCY}-240301-1"),
        ("code", f"{AGENCY}-240301-0000"),
        ("code", f"{AGENCY}-241301-0001"),
        ("code", f"{AGENCY}-240230-0001"),  # no 30 February
        ("code", f"{AGENCY}-230229-0001"),  # 2023 is not a leap year
        ("code", f"{AGENCY}-240431-0001"),  # April has 30 days
        ("procedure_code", "1001193"),
        ("procedure_code", "1.00119"),
        ("channel", "fax"),
        ("received_at", "yesterday"),
        ("events", [{"kind": "approved", "at": "2024-03-01T08:00"}]),
        ("components", [{"name": ""}]),
    ],
)
def test_dossier_rejects_bad_fields(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Dossier.model_validate(dossier_dict(**{field: value}))
    assert info.value.errors()[0]["loc"][0] == field


def test_code_pattern_accepts_exactly_the_real_dates() -> None:
    # Exhaustive over every yymmdd with month 00-13 and day 00-32: the pattern (checked by
    # pydantic-core without a Python call) agrees with the calendar, leap years included.
    pattern = re.compile(DOSSIER_CODE_PATTERN)
    for yy in range(100):
        for mm in range(14):
            for dd in range(33):
                try:
                    dt.date(2000 + yy, mm, dd)
                    real = True
                except ValueError:
                    real = False
                code = f"{AGENCY}-{yy:02d}{mm:02d}{dd:02d}-0001"
                assert (pattern.match(code) is not None) == real, code


def test_dossier_rejects_unknown_keys() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Dossier.model_validate(dossier_dict(status="received"))


def test_dossier_json_round_trip() -> None:
    d = Dossier.model_validate(dossier_dict())
    again = Dossier.model_validate_json(d.model_dump_json())
    assert again == d
    assert Dossier.model_validate(d.model_dump(mode="json")) == d
    assert '"received_at":"2024-03-01T08:15:00+07:00"' in d.model_dump_json()


@pytest.mark.parametrize("value", [20240301, 1.7e9, True, dt.date(2024, 3, 1)])
def test_an_instant_is_never_a_number_or_a_date_alone(value: object) -> None:
    # pydantic's lax mode read 20240301 as a Unix timestamp (1970) and a date as midnight.
    with pytest.raises(ValidationError, match="valid ISO 8601 datetime"):
        DossierEvent.model_validate({"kind": "received", "at": value})
    with pytest.raises(ValidationError):
        DossierEvent.model_validate_json(
            f'{{"kind": "received", "at": {value!r}}}'.replace("True", "true")
        )
    assert DossierEvent(kind="received", at="2024-03-01 08:00").at == dt.datetime(
        2024, 3, 1, 8, tzinfo=VN_TZ
    )


@pytest.mark.parametrize("text", ["20240301", "1709539200", "1709539200.5", "-86400"])
def test_a_text_of_digits_alone_is_not_read_as_a_timestamp(text: str) -> None:
    # pydantic's lax mode read "20240301" as 20,240,301 seconds after 1970 (23/08/1970).
    with pytest.raises(ValidationError, match="valid ISO 8601 datetime"):
        DossierEvent.model_validate({"kind": "received", "at": text})
    with pytest.raises(ValidationError, match="valid ISO 8601 datetime"):
        DossierEvent.model_validate_json(f'{{"kind": "received", "at": "{text}"}}')


def test_an_instant_beyond_year_9999_in_utc7_is_a_validation_error() -> None:
    late = dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    for value in (late, late.isoformat(), "0001-01-01T01:00+08:00"):
        with pytest.raises(ValidationError, match="valid ISO 8601 datetime"):  # no OverflowError
            DossierEvent.model_validate({"kind": "received", "at": value})


SPELLINGS = [
    "2024-03-06T08:30:00+07:00",
    "2024-03-06T08:30:00+0700",
    "2024-03-06T08:30:00+07",
    "2024-03-06T01:30:00Z",
    "2024-03-06T08:30:00",
    "2024-03-06 08:30",
    "20240306T083000",
    "2024-03-06T01:30:00.250+00:00",
    "2024-03-06",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_the_models_read_an_instant_as_the_report_reads_it(text: str) -> None:
    """One rule for instants written as text: a dossier's due date (and a re-appointment's)
    is the instant the report's reader takes from the same cell — a date alone is the end of
    that day (Civil Code 2015 Art. 148(1)) — and an event's instant is the receipt the reader
    takes from the same text (a date alone: the start of the day)."""
    row = {
        "code": "A-1",
        "domain": "Hộ tịch",
        "channel": "direct",
        "received_at": text,
        "status": "processing",
        "due_at": text,
    }
    (listed,) = tthc.build_report([row], "2024-03", trace=True).dossiers("received_total")
    dossier = Dossier.model_validate(
        dossier_dict(received_at="2024-03-01T08:00", events=[], due_at=text)
    )
    assert dossier.due_at == listed.due_at
    event = DossierEvent(kind="reappointed", at=text, new_due_at=text)
    assert event.new_due_at == listed.due_at
    assert event.at == listed.received_at


def test_a_due_date_alone_is_the_end_of_that_day() -> None:
    dossier = Dossier.model_validate(
        dossier_dict(received_at="2024-03-01T08:00", events=[], due_at="2024-03-06")
    )
    assert dossier.due_at == dt.datetime(2024, 3, 6, 23, 59, 59, 999_999, tzinfo=VN_TZ)
    assert DossierEvent(kind="received", at="2024-03-06").at == dt.datetime(
        2024, 3, 6, tzinfo=VN_TZ
    )
    with pytest.raises(ValidationError, match="valid ISO 8601 datetime"):
        Dossier.model_validate(dossier_dict(due_at="2024-02-30"))


@pytest.mark.parametrize("text", ["2024-03-06+07:00", "2024-03-06x08:00"])
def test_a_date_and_time_must_be_separated_by_t_or_a_space(text: str) -> None:
    # Python's fromisoformat reads "2024-03-06+07:00" as 07:00 on 6 March.
    with pytest.raises(ValidationError, match="valid ISO 8601 datetime"):
        DossierEvent(kind="received", at=text)
