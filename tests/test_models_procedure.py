"""Procedures and their parts: codes, channels with time limits and fees, notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from tthc import Channel, InvalidInputError, Procedure, TimeLimit
from tthc.calendar import TimeLimitUnit
from tthc.models import (
    AdministrativeLevel,
    Agency,
    ChannelOption,
    Component,
    Domain,
    Fee,
    LegalDocument,
    OnlineServiceLevel,
    Step,
)

HO_TICH = {"code": "ho_tich", "name_vi": "Hộ tịch", "name_en": "Civil status"}


def procedure_dict(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "code": "1.004873",
        "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "name_en": "Certificate of marital status",
        "domain": HO_TICH,
        "level": "commune",
        "channels": [
            {
                "channel": "direct",
                "time_limit": "03 ngày làm việc",
                "fees": [{"name": "Lệ phí", "amount_vnd": 0, "note": "Miễn"}],
            },
            {"channel": "online", "time_limit": {"value": 3, "unit": "working_days"}},
        ],
        "steps": [
            {"name": "Tiếp nhận", "agency": "Trung tâm Phục vụ hành chính công cấp xã"},
            {
                "name": "Xác minh",
                "agency": {"name": "UBND cấp xã", "level": "commune"},
                "time_budget": "02 ngày làm việc",
            },
        ],
        "components": [
            {
                "name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
                "originals": 1,
                "copy_kind": "bản chính",
                "form_template": "Thông tư 04/2020/TT-BTP",
            }
        ],
        "result": "Giấy xác nhận tình trạng hôn nhân",
        "requirements": ["Người yêu cầu đủ tuổi kết hôn"],
        "legal_basis": [
            {
                "number": "123/2015/NĐ-CP",
                "title": "Nghị định quy định chi tiết một số điều của Luật Hộ tịch",
                "date": "2015-11-15",
                "issuer": "Chính phủ",
            }
        ],
        "online_service_level": "full",
        "implementing_agency": {"name": "UBND cấp xã", "level": "commune"},
        "competent_agency": {"name": "UBND cấp xã", "level": "commune"},
        "sources": ["Quyết định công bố (test fixture)"],
        "notes": [],
    }
    base.update(overrides)
    return base


def test_procedure_from_catalogue_shaped_dict() -> None:
    p = Procedure.model_validate(procedure_dict())
    assert p.level is AdministrativeLevel.COMMUNE
    assert p.online_service_level is OnlineServiceLevel.FULL
    assert p.time_limit_for(Channel.DIRECT) == TimeLimit(value=3, unit="working_days")
    assert p.time_limit_for("online") == p.time_limit_for("Trực tuyến")
    assert p.steps[0].agency == Agency(name="Trung tâm Phục vụ hành chính công cấp xã")
    assert p.steps[1].time_budget == TimeLimit.parse("02 ngày làm việc")
    assert p.legal_basis[0].date == dt.date(2015, 11, 15)
    assert p.fees_for("direct")[0].amount_vnd == 0
    assert p.fees_for("online") == ()


@pytest.mark.parametrize(
    "code",
    ["1.001193", "2.000815", "1.001193.H38", "1.001193.000.00.00.H38", "3.000123.H56", None],
)
def test_accepted_code_forms(code: str | None) -> None:
    notes = ["Chưa xác nhận được mã thủ tục"] if code is None else []
    assert Procedure.model_validate(procedure_dict(code=code, notes=notes)).code == code


@pytest.mark.parametrize(
    "code",
    [
        "1001193",
        "1.00119",
        "1.0011931",
        "1.001193.h38",
        "1.001193.H3",
        "1.001193.000.00.H38",
        "",
        "1.001193.000.00.00",
    ],
)
def test_rejected_code_forms(code: str) -> None:
    with pytest.raises(ValidationError, match="code"):
        Procedure.model_validate(procedure_dict(code=code))


def test_unconfirmed_code_needs_a_note() -> None:
    with pytest.raises(ValidationError, match="add a note"):
        Procedure.model_validate(procedure_dict(code=None))
    ok = Procedure.model_validate(procedure_dict(code=None, notes=["National code not confirmed"]))
    assert ok.label.startswith("(no code)")


def test_channels_are_unique() -> None:
    twice = [
        {"channel": "direct", "time_limit": "03 ngày làm việc"},
        {"channel": "direct", "time_limit": "05 ngày làm việc"},
    ]
    with pytest.raises(ValidationError, match="listed twice"):
        Procedure.model_validate(procedure_dict(channels=twice))


def test_empty_channels_only_with_a_note_and_then_time_limit_for_says_why() -> None:
    with pytest.raises(ValidationError, match="channels is empty"):
        Procedure.model_validate(procedure_dict(channels=[]))
    p = Procedure.model_validate(
        procedure_dict(channels=[], notes=["Không xác nhận được thời hạn giải quyết"])
    )
    with pytest.raises(InvalidInputError, match="no channel or time limit is recorded"):
        p.time_limit_for("direct")


def test_time_limit_for_names_procedure_and_channel() -> None:
    p = Procedure.model_validate(procedure_dict())
    with pytest.raises(InvalidInputError) as info:
        p.time_limit_for("postal")
    msg = str(info.value)
    assert "1.004873" in msg
    assert "postal" in msg
    assert "Bưu chính" in msg
    assert "offered: direct, online" in msg
    with pytest.raises(InvalidInputError, match="unknown Channel"):
        p.time_limit_for("fax")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("05 ngày làm việc", TimeLimit(value=5, unit=TimeLimitUnit.WORKING_DAYS)),
        ("5 working days", TimeLimit(value=5, unit=TimeLimitUnit.WORKING_DAYS)),
        (
            {"value": 4, "unit": "working_hours"},
            TimeLimit(value=4, unit=TimeLimitUnit.WORKING_HOURS),
        ),
        (
            {"value": 1, "unit": "same_day", "cutoff": "15:00"},
            TimeLimit(unit=TimeLimitUnit.SAME_DAY, cutoff=dt.time(15, 0)),
        ),
        (
            "Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả trong "
            "ngày làm việc tiếp theo",
            TimeLimit(unit=TimeLimitUnit.SAME_DAY, cutoff=dt.time(15, 0)),
        ),
        ("01 tháng", TimeLimit(value=1, unit=TimeLimitUnit.MONTHS)),
    ],
)
def test_time_limit_fields_accept_wording_or_objects(given: Any, expected: TimeLimit) -> None:
    assert ChannelOption(channel="direct", time_limit=given).time_limit == expected
    assert Step(name="Bước", time_budget=given).time_budget == expected


def test_time_limit_fields_refuse_unreadable_wording() -> None:
    with pytest.raises(ValidationError, match="cannot read time limit"):
        ChannelOption(channel="direct", time_limit="tùy trường hợp")
    with pytest.raises(ValidationError):
        ChannelOption(channel="direct", time_limit={"value": 0, "unit": "working_days"})


@pytest.mark.parametrize("amount", [50000.0, "50000", "50.000", -1, True])
def test_fees_are_whole_non_negative_dong(amount: Any) -> None:
    with pytest.raises(ValidationError):
        Fee(name="Lệ phí", amount_vnd=amount)


def test_fee_totals() -> None:
    option = ChannelOption(
        channel="direct",
        time_limit="Trong ngày",
        fees=[Fee(name="Lệ phí", amount_vnd=8000), Fee(name="Phí", amount_vnd=2000)],
    )
    assert option.total_fee == 10_000


def test_components_steps_agencies_domains_legal_documents() -> None:
    c = Component(name="Bản sao Giấy khai sinh", copies=1, copy_kind="bản sao chứng thực")
    assert (c.originals, c.copies, c.required) == (0, 1, True)
    with pytest.raises(ValidationError):
        Component(name="X", originals=-1)
    with pytest.raises(ValidationError, match="code"):
        Agency(code="000 17 22 H56", name="UBND phường")
    assert Agency(code="000.17.22.H56", name="UBND phường", level="commune").code == "000.17.22.H56"
    with pytest.raises(ValidationError):
        Domain(code="", name_vi="Hộ tịch", name_en="Civil status")
    with pytest.raises(ValidationError):
        LegalDocument(number="123/2015/NĐ-CP", title="T", date="15/11/2015")
    assert LegalDocument(number="60/2014/QH13", title="Luật Hộ tịch").date is None


def test_unknown_keys_are_refused_not_dropped() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Procedure.model_validate(procedure_dict(time_limit="05 ngày làm việc"))
    bad_fee = procedure_dict()
    bad_fee["channels"][0]["fees"] = [{"name": "Lệ phí", "amount": 0}]
    with pytest.raises(ValidationError, match="amount_vnd"):
        Procedure.model_validate(bad_fee)


def test_procedure_json_round_trip() -> None:
    p = Procedure.model_validate(procedure_dict())
    assert Procedure.model_validate_json(p.model_dump_json()) == p
    p.form_model()  # the cache must not disturb equality or dumps
    assert Procedure.model_validate_json(p.model_dump_json()) == p
    assert "_tthc_form_model" not in p.model_dump()
