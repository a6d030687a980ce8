"""Every model round-trips through JSON; every public model exports a JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

import tthc
from tthc import VN_TZ, Dossier, DossierEvent, Procedure
from tthc.catalog import load
from tthc.models import (
    Agency,
    Applicant,
    ChannelOption,
    Component,
    Domain,
    EventKind,
    Fee,
    FieldConstraints,
    FieldSpec,
    LegalDocument,
    Step,
    SubmittedComponent,
    format_dossier_code,
)
from tthc.models import __all__ as models_all

SAMPLES: dict[str, BaseModel] = {
    "Domain": Domain(code="ho_tich", name_vi="Hộ tịch", name_en="Civil status"),
    "Agency": Agency(code="000.17.22.H56", name="UBND phường Nghi Hương", level="commune"),
    "Fee": Fee(name="Lệ phí", amount_vnd=8000, note="mỗi bản sao"),
    "ChannelOption": ChannelOption(
        channel="direct",
        time_limit="Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 15 giờ thì trả kết quả "
        "trong ngày làm việc tiếp theo",
        fees=[Fee(name="Lệ phí", amount_vnd=0)],
    ),
    "Step": Step(name="Thẩm định", agency="Công chức địa chính", time_budget="04 giờ làm việc"),
    "Component": Component(name="Đơn", originals=1, copies=2, copy_kind="bản chụp", required=False),
    "LegalDocument": LegalDocument(
        number="118/2025/NĐ-CP", title="Nghị định về thủ tục hành chính", date=dt.date(2025, 6, 9)
    ),
    "FieldConstraints": FieldConstraints(min_value=1, max_value=9, choices=()),
    "FieldSpec": FieldSpec(
        name="gioi_tinh",
        type="choice",
        label_vi="Giới tính",
        label_en="Sex",
        constraints={"choices": ["Nam", "Nữ"]},
    ),
    "Applicant": Applicant(
        kind="organisation", name="HTX Nghi Hương", id_number="2900123456", phone="02383123456"
    ),
    "SubmittedComponent": SubmittedComponent(name="Đơn", originals=1, attachment="doc:42"),
    "DossierEvent": DossierEvent(
        kind="reappointed",
        at=dt.datetime(2024, 3, 5, 9, 0),
        reasons=("Chờ xác minh",),
        new_due_at=dt.datetime(2024, 3, 8, 2, 0, tzinfo=dt.UTC),
    ),
    "Dossier": Dossier(
        code="000.17.22.H56-240301-0001",
        procedure_code="1.001193.000.00.00.H40",
        applicant=Applicant(name="Lê Văn C", id_number="040095012345"),
        channel="online",
        received_at=dt.datetime(2024, 3, 1, 8, 0, tzinfo=VN_TZ),
        form_values={"so_con": 2, "ghi_chu": ["a", None]},
        events=(DossierEvent(kind="received", at=dt.datetime(2024, 3, 1, 8, 0)),),
    ),
}


def public_models() -> list[str]:
    return [
        n
        for n in models_all
        if isinstance(getattr(tthc.models, n), type)
        and issubclass(getattr(tthc.models, n), BaseModel)
    ]


def test_samples_cover_every_public_model_except_procedure() -> None:
    assert set(public_models()) - {"Procedure"} == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_json_round_trip(name: str) -> None:
    obj = SAMPLES[name]
    cls = type(obj)
    assert cls.model_validate_json(obj.model_dump_json()) == obj
    assert cls.model_validate(json.loads(obj.model_dump_json())) == obj
    assert cls.model_validate(obj.model_dump()) == obj


def test_every_catalogue_procedure_round_trips() -> None:
    for proc in load():
        assert Procedure.model_validate_json(proc.model_dump_json()) == proc


@pytest.mark.parametrize("name", public_models())
def test_json_schema_export(name: str) -> None:
    schema = getattr(tthc.models, name).model_json_schema()
    json.dumps(schema)  # serialisable
    assert schema["type"] == "object"
    assert schema["description"]
    assert ">>>" not in schema["description"]


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20
).filter(lambda s: s.strip() == s and s != "")
aware = st.datetimes(
    min_value=dt.datetime(2001, 1, 1),
    max_value=dt.datetime(2098, 12, 31),
    timezones=st.sampled_from([VN_TZ, dt.UTC, dt.timezone(dt.timedelta(hours=-5)), None]),
)
event_kinds = st.sampled_from([k for k in EventKind if k is not EventKind.REAPPOINTED])


@st.composite
def dossiers(draw: st.DrawFn) -> dict[str, Any]:
    received = draw(aware)
    events = draw(
        st.lists(
            st.builds(
                lambda k, at, note, reasons: {
                    "kind": k,
                    "at": at,
                    "note": note,
                    "reasons": reasons,
                },
                event_kinds,
                aware,
                st.none() | texts,
                st.lists(texts, max_size=2),
            ),
            max_size=4,
        )
    )
    return {
        "code": format_dossier_code("000.17.22.H56", received, draw(st.integers(1, 9999))),
        "procedure_code": draw(st.from_regex(r"[12]\.[0-9]{6}(\.H[0-9]{2})?", fullmatch=True)),
        "applicant": {
            "kind": draw(st.sampled_from(["person", "organisation"])),
            "name": draw(texts),
        },
        "channel": draw(st.sampled_from(["direct", "online", "postal"])),
        "received_at": received,
        "events": events,
        "form_values": draw(
            st.dictionaries(
                st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.integers() | texts, max_size=3
            )
        ),
        "due_at": draw(st.none() | aware),
    }


@given(dossiers())
def test_dossier_round_trip_property(data: dict[str, Any]) -> None:
    d = Dossier.model_validate(data)
    assert d.received_at.utcoffset() == dt.timedelta(hours=7)
    assert all(e.at.utcoffset() == dt.timedelta(hours=7) for e in d.events)
    assert Dossier.model_validate_json(d.model_dump_json()) == d
