"""The national portal's dossier record (issue 15): the typed model, the status mapping, the
mappings to and from a dossier's lifecycle (round trip over replayed timelines), the JSON
Schema, and the fast cells reader."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import tthc
from tthc.catalog import get
from tthc.errors import PortalRecordError
from tthc.lifecycle import LifecycleState, lifecycle_of, replay
from tthc.models import Applicant, Dossier, DossierEvent
from tthc.portal import (
    CELL_COLUMNS,
    DEFAULT_STATUS_MAP,
    SCHEMA_FILE,
    PortalRecord,
    PortalStatusMap,
    format_portal_instant,
    from_portal_record,
    parse_portal_instant,
    portal_record_json_schema,
    read_portal_record,
    record_cells,
    to_portal_record,
)

VN = tthc.VN_TZ
PROC = get("1.004873")  # Cấp Giấy xác nhận tình trạng hôn nhân: 03 ngày làm việc
CODE = "000.17.22.H56-240301-0001"
APPLICANT = Applicant(name="Nguyễn Thị Hoa", phone="0912345678")


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, minute, tzinfo=VN)


def ev(kind: str, when: dt.datetime, **kw: Any) -> DossierEvent:
    return DossierEvent(kind=kind, at=when, **kw)


def state_of(*events: DossierEvent, limit: str | None = "03 ngày làm việc") -> Any:
    return replay(events, code=CODE, limit=limit)


RECORD: dict[str, Any] = {
    "MaHoSo": CODE,
    "MaTTHC": "1.004873",
    "TenLinhVuc": "Hộ tịch",
    "KenhThucHien": 1,
    "TrangThaiHoSo": "10",
    "ChuHoSo": "Trần Thị B",
    "NgayTiepNhan": "20240301080000",
    "NgayHenTra": "20240306170000",
    "NgayKetThucXuLy": "20240304100000",
    "NgayTra": "20240305090000",
}


# ---- the model -----------------------------------------------------------------------------


def test_record_reads_portal_names_and_writes_them_back() -> None:
    r = read_portal_record({**RECORD, "SoHoSoGiay": "12", "DanhSachLePhi": [{"Gia": "50000"}]})
    assert r.received_at == at(1, 8)
    assert r.channel == "1"
    assert r.model_extra == {"SoHoSoGiay": "12"}  # a field tthc does not name is kept
    out = r.to_portal_dict()
    assert out["SoHoSoGiay"] == "12"
    assert out["NgayTra"] == "20240305090000"
    assert out["DanhSachLePhi"] == [{"Gia": 50000}]
    assert read_portal_record(json.dumps(out)) == r


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"NgayTiepNhan": "2024-03-01 08:00"}, "NgayTiepNhan"),
        ({"NgayTiepNhan": "20240230080000"}, "NgayTiepNhan"),
        ({"KenhThucHien": 4}, "KenhThucHien"),
        ({"DuocThanhToanTrucTuyen": "3"}, "DuocThanhToanTrucTuyen"),
        ({"TaiLieuNop": [{"DuocSoHoa": "có"}]}, "TaiLieuNop[0].DuocSoHoa"),
        ({"DanhSachLePhi": [{"Gia": -1}]}, "DanhSachLePhi[0].Gia"),
        (
            {"DanhSachHoSoBoSung": [{"NgayTiepNhanBoSung": "20240305100000"}]},
            "DanhSachHoSoBoSung[0].NgayBoSung",
        ),
        ({"MaHoSo": ""}, "MaHoSo"),
    ],
)
def test_bad_values_are_refused_naming_the_portal_field(patch: dict[str, Any], field: str) -> None:
    with pytest.raises(PortalRecordError) as info:
        read_portal_record({**RECORD, **patch})
    assert info.value.field == field
    assert field in str(info.value)


def test_missing_status_and_non_objects() -> None:
    with pytest.raises(PortalRecordError, match="TrangThaiHoSo"):
        read_portal_record({k: v for k, v in RECORD.items() if k != "TrangThaiHoSo"})
    with pytest.raises(PortalRecordError, match="expected a JSON object"):
        read_portal_record("[1, 2]")
    with pytest.raises(PortalRecordError, match="not valid JSON"):
        read_portal_record("{")


@given(
    st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2099, 12, 31),
        timezones=st.just(VN),
    )
)
def test_instants_round_trip_to_the_second(value: dt.datetime) -> None:
    text = format_portal_instant(value)
    assert len(text) == 14
    assert parse_portal_instant(text) == value.replace(microsecond=0)


def test_instants_in_other_zones_are_written_in_utc7() -> None:
    assert format_portal_instant(dt.datetime(2024, 3, 1, 17, 30, tzinfo=dt.UTC)) == "20240302003000"


def test_committed_schema_is_the_generated_one() -> None:
    text = resources.files("tthc.portal").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    assert json.loads(text) == portal_record_json_schema()
    schema = portal_record_json_schema()
    assert schema["properties"]["TrangThaiHoSo"]["title"] == "Trạng thái hồ sơ"
    assert "not confirmed" in schema["properties"]["TrangThaiHoSo"]["description"]


# ---- the status mapping ---------------------------------------------------------------------


def test_default_status_map_is_documented_as_unconfirmed() -> None:
    assert DEFAULT_STATUS_MAP.confirmed is False
    assert "NOT CONFIRMED" in DEFAULT_STATUS_MAP.source
    for state in LifecycleState:
        if state is not LifecycleState.NEW:
            code = DEFAULT_STATUS_MAP.code_for(state)
            assert DEFAULT_STATUS_MAP.state_for(code) is state


def test_unknown_status_code_names_the_field_and_the_mapping() -> None:
    with pytest.raises(PortalRecordError) as info:
        DEFAULT_STATUS_MAP.status_for("99", record=CODE)
    err = info.value
    assert err.field == "TrangThaiHoSo"
    assert err.record == CODE
    assert "extended" in str(err)
    assert "NOT CONFIRMED" in str(err)


def test_not_received_codes_have_no_dossier() -> None:
    with pytest.raises(PortalRecordError, match="not received"):
        DEFAULT_STATUS_MAP.status_for("1")
    with pytest.raises(PortalRecordError, match="not received"):
        from_portal_record({**RECORD, "TrangThaiHoSo": "1"})


def test_a_mapping_can_be_extended_or_replaced() -> None:
    ward = DEFAULT_STATUS_MAP.extended({"12": "Từ chối"}, names={"12": "Từ chối (tỉnh)"})
    assert ward.status_for("12") is tthc.DossierStatus.REFUSED
    assert ward.confirmed is False
    own = PortalStatusMap(codes={"A": "received", "B": "completed"}, source="province spec")
    assert own.code_for(LifecycleState.COMPLETED) == "B"
    with pytest.raises(PortalRecordError, match="no code for lifecycle state 'refused'"):
        own.code_for("refused")
    with pytest.raises(ValueError, match="not mapped"):
        PortalStatusMap(codes={"A": "received"}, names={"B": "x"}, source="x")


# ---- to_portal_record ------------------------------------------------------------------------


def test_to_portal_record_fills_what_tthc_knows() -> None:
    d = Dossier(
        code=CODE,
        procedure_code="1.004873",
        applicant=APPLICANT,
        channel="online",
        received_at=at(1, 8),
    )
    s = state_of(
        ev("received", at(1, 8)),
        ev("supplement_requested", at(4, 9)),
        ev("supplement_received", at(5, 10)),
        ev("completed", at(7, 15)),
        ev("result_returned", at(8, 9)),
    )
    r = to_portal_record(s, PROC, dossier=d, paid_online=1, vneid=True).to_portal_dict()
    assert r["KenhThucHien"] == "2"
    assert r["TrangThaiHoSo"] == "10"
    assert (r["NgayTiepNhan"], r["NgayHenTra"]) == ("20240301080000", "20240308170000")
    assert (r["NgayKetThucXuLy"], r["NgayTra"]) == ("20240307150000", "20240308090000")
    assert r["DanhSachHoSoBoSung"] == [
        {
            "NgayBoSung": "20240304090000",
            "NgayTiepNhanBoSung": "20240305100000",
            "NgayHenTraTruoc": "20240306170000",
            "NgayHenTraMoi": "20240308170000",  # the limit restarts (Decree 118/2025 Art. 19(5))
        }
    ]
    assert (r["ChuHoSo"], r["SoDienThoaiChuHoSo"]) == ("Nguyễn Thị Hoa", "+84912345678")
    assert (r["DuocThanhToanTrucTuyen"], r["TaiKhoanDuocXacThucVoiVNeID"]) == ("1", "1")
    assert "TaiLieuNop" not in r  # unknown, not "none"
    assert r["DonViXuLy"] == "000.17.22.H56"


def test_waiting_for_a_supplement_keeps_the_appointment_in_force() -> None:
    s = state_of(ev("received", at(1, 8)), ev("supplement_requested", at(4, 9)))
    r = to_portal_record(s, PROC, channel="direct")
    assert r.status_code == "5"
    assert r.due_at == at(6, 17)
    assert r.supplements is not None
    assert r.supplements[0].resubmitted_at is None


def test_a_lapsed_supplement_window_closes_the_dossier_as_of() -> None:
    s = state_of(ev("received", at(1, 8)), ev("supplement_requested", at(4, 9)))
    r = to_portal_record(s, PROC, channel="direct", as_of=at(10, 8, month=4))
    assert r.status_code == "8"
    assert r.finished_at == at(19, 17)  # 15 calendar days after 4/3, at the close of office


def test_refusal_sets_ngay_tu_choi() -> None:
    s = state_of(ev("received", at(1, 8)), ev("refused", at(4, 9), reasons=("Thiếu giấy tờ",)))
    r = to_portal_record(s, PROC, channel="direct")
    assert r.status_code == "11"
    assert r.refused_at == r.finished_at == at(4, 9)


def test_fees_come_from_the_procedure_or_are_left_out() -> None:
    s = state_of(ev("received", at(1, 8)))
    copy_cert = get("2.000815")  # fees recorded per channel
    r = to_portal_record(s, copy_cert, channel="direct")
    assert [f.amount for f in r.fees or ()] == [f.amount_vnd for f in copy_cert.fees_for("direct")]
    assert to_portal_record(s, PROC, channel="direct", fees=[{"Gia": 0}]).fees == (
        read_portal_record({**RECORD, "DanhSachLePhi": [{"Gia": 0}]}).fees
    )


@pytest.mark.parametrize(
    ("kwargs", "events", "limit", "field"),
    [
        ({"channel": "direct"}, [], "03 ngày làm việc", "NgayTiepNhan"),
        ({}, [("received", 1)], "03 ngày làm việc", "KenhThucHien"),
        ({"channel": "direct"}, [("received", 1)], None, "NgayHenTra"),
    ],
)
def test_refused_mappings_name_the_field(
    kwargs: dict[str, Any], events: list[tuple[str, int]], limit: str | None, field: str
) -> None:
    s = state_of(*(ev(k, at(d, 8)) for k, d in events), limit=limit)
    with pytest.raises(PortalRecordError) as info:
        to_portal_record(s, PROC, **kwargs)
    assert info.value.field == field
    assert info.value.record == CODE


def test_a_procedure_without_code_or_a_mapping_without_the_state() -> None:
    s = state_of(ev("received", at(1, 8)), ev("refused", at(2, 8)))
    uncoded = PROC.model_copy(update={"code": None})
    with pytest.raises(PortalRecordError, match="MaTTHC"):
        to_portal_record(s, uncoded, channel="direct")
    own = PortalStatusMap(codes={"2": "received"}, source="partial")
    with pytest.raises(PortalRecordError, match="no code for lifecycle state 'refused'"):
        to_portal_record(s, PROC, channel="direct", status_map=own)


# ---- from_portal_record ----------------------------------------------------------------------


def test_from_portal_record_rebuilds_the_timeline() -> None:
    d = from_portal_record(RECORD, procedure=PROC)
    assert d.applicant.name == "Trần Thị B"
    assert [(e.kind.value, e.at) for e in d.events] == [
        ("received", at(1, 8)),
        ("completed", at(4, 10)),
        ("result_returned", at(5, 9)),
    ]
    assert d.due_at == at(6, 17)
    assert lifecycle_of(d, PROC).status is tthc.DossierStatus.RETURNED


@pytest.mark.parametrize(
    ("patch", "field", "message"),
    [
        ({"TrangThaiHoSo": "42"}, "TrangThaiHoSo", "unknown status code '42'"),
        ({"MaHoSo": "HS-001"}, "MaHoSo", "dossier code"),
        ({"MaTTHC": "TTHC-1"}, "MaTTHC", "national procedure code"),
        ({"KenhThucHien": None}, "KenhThucHien", "missing"),
        ({"NgayTiepNhan": None}, "NgayTiepNhan", "needs it"),
        ({"NgayKetThucXuLy": None}, "NgayKetThucXuLy", "needs it"),
        ({"NgayTra": None}, "NgayTra", "needs it"),
        ({"ChuHoSo": None}, "ChuHoSo", "pass applicant="),
        ({"TrangThaiHoSo": "6"}, "TrangThaiHoSo", "pass paused_at="),
        ({"NgayKetThucXuLy": "20240229080000"}, "NgayKetThucXuLy", "not make a valid timeline"),
        ({"NgayTra": "20240303080000"}, "NgayTra", "not make a valid timeline"),
        (
            {
                "TrangThaiHoSo": "2",
                "DanhSachHoSoBoSung": [
                    {"NgayBoSung": "20240302080000", "NgayTiepNhanBoSung": "20240303080000"}
                ],
            },
            "TrangThaiHoSo",
            "lead to 'processing'",
        ),
        (
            {"TrangThaiHoSo": "5", "DanhSachHoSoBoSung": []},
            "TrangThaiHoSo",
            "lead to 'received'",
        ),
    ],
)
def test_from_portal_record_refusals_name_the_field(
    patch: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(PortalRecordError) as info:
        from_portal_record({**RECORD, **patch}, procedure=PROC)
    assert info.value.field == field
    assert message in str(info.value)


def test_stopped_without_a_pending_supplement_is_a_withdrawal() -> None:
    d = from_portal_record({**RECORD, "TrangThaiHoSo": "8", "NgayTra": None}, procedure=PROC)
    last = d.events[-1]
    assert (last.kind.value, last.at) == ("withdrawn", at(4, 10))
    assert "Dừng xử lý" in (last.note or "")


def test_processing_without_supplement_gets_a_noted_transfer() -> None:
    d = from_portal_record({**RECORD, "TrangThaiHoSo": "4"}, procedure=PROC)
    assert [e.kind.value for e in d.events] == ["received", "transferred"]
    assert "no instant" in (d.events[1].note or "")


# ---- round trip over replayed timelines --------------------------------------------------------

ENDS = (
    "open",
    "completed",
    "returned",
    "refused",
    "withdrawn",
    "paused",
    "waiting",
    "refused_waiting",
    "withdrawn_waiting",
    "closed",
)


@st.composite
def timelines(draw: st.DrawFn) -> tuple[list[DossierEvent], str, str, dt.datetime | None]:
    start = draw(
        st.datetimes(min_value=dt.datetime(2024, 1, 2), max_value=dt.datetime(2025, 11, 28))
    ).replace(second=0, microsecond=0, tzinfo=VN)
    gap = st.integers(min_value=1, max_value=72 * 60).map(lambda m: dt.timedelta(minutes=m))
    now = start
    events = [DossierEvent(kind="received", at=now)]

    def add(kind: str) -> None:
        nonlocal now
        now = now + draw(gap)
        events.append(DossierEvent(kind=kind, at=now))

    for step in draw(st.lists(st.sampled_from(["transfer", "supplement"]), max_size=3)):
        if step == "transfer":
            add("transferred")
        else:
            add("supplement_requested")
            add("supplement_received")
    end = draw(st.sampled_from(ENDS))
    as_of = None
    if end in ("completed", "returned"):
        add("completed")
        if end == "returned":
            add("result_returned")
    elif end in ("refused", "withdrawn", "paused"):
        add(end)
    elif end in ("waiting", "refused_waiting", "withdrawn_waiting", "closed"):
        add("supplement_requested")
        if end != "waiting" and end != "closed":
            add(end.removesuffix("_waiting"))
        if end == "closed":
            as_of = now + dt.timedelta(days=40)
    channel = draw(st.sampled_from([o.channel.value for o in PROC.channels]))
    code = f"000.17.22.H56-{start:%y%m%d}-{draw(st.integers(1, 9999)):04d}"
    return events, channel, code, as_of


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_round_trip_record_dossier_record(
    case: tuple[list[DossierEvent], str, str, dt.datetime | None],
) -> None:
    events, channel, code, as_of = case
    limit = PROC.time_limit_for(channel)
    try:
        state = replay(events, code=code, limit=limit)
    except tthc.TransitionError:
        assume(False)
    if as_of is not None:
        state = state.close_if_expired(as_of)
    record = to_portal_record(state, PROC, channel=channel)
    paused = next((e.at for e in events if e.kind.value == "paused"), None)
    dossier = from_portal_record(record, procedure=PROC, applicant=APPLICANT, paused_at=paused)
    again = lifecycle_of(dossier, PROC)
    if record.status_code == DEFAULT_STATUS_MAP.code_for("closed"):
        assert record.finished_at is not None
        again = again.close_if_expired(record.finished_at + dt.timedelta(seconds=1))
    assert again.state is state.state
    assert again.status is state.status
    assert again.due_at == state.due_at
    assert dossier.due_at == record.due_at
    assert to_portal_record(again, PROC, channel=channel) == record
    # The record as JSON reads back to the same record, and its cells agree with the state.
    assert read_portal_record(json.dumps(record.to_portal_dict())) == record
    cells = record_cells(record.to_portal_dict())
    assert state.status is not None
    assert cells["status"] == state.status.value
    assert cells["received_at"] == (state.received_at.isoformat() if state.received_at else "")
    assert cells["supplement_requests"] == str(state.supplement_requests)


# ---- record_cells ----------------------------------------------------------------------------


def test_cells_have_every_column_as_strings() -> None:
    cells = record_cells(RECORD)
    assert tuple(cells) == CELL_COLUMNS
    assert all(isinstance(v, str) for v in cells.values())
    assert cells == {
        "code": CODE,
        "domain": "Hộ tịch",
        "channel": "direct",
        "received_at": "2024-03-01T08:00:00+07:00",
        "status": "returned",
        "due_at": "2024-03-06T17:00:00+07:00",
        "finished_at": "2024-03-04T10:00:00+07:00",
        "agency": "",
        "procedure_code": "1.004873",
        "procedure_name": "",
        "supplement_requests": "",
        "supplement_requested_at": "",
        "supplement_received_at": "",
        "synced": "1",
        "paid_online": "",
        "fee": "",
        "e_result": "",
        "digitised": "",
        "reused_data": "",
        "from_citizen_store": "",
        "vneid": "",
    }


def test_cells_of_the_766_fields() -> None:
    cells = record_cells(
        {
            **RECORD,
            "DuocThanhToanTrucTuyen": 2,
            "TaiKhoanDuocXacThucVoiVNeID": True,
            "DanhSachLePhi": [{"Gia": 8000}, {"Gia": "2000"}, {"Gia": 500.0}],
            "DanhSachGiayToKetQua": [
                {"MaGiayToKetQua": "KQ1"},
                {"MaGiayToKetQua": "KQ2", "DuongDanTepTinKetQua": "https://x/kq2.pdf"},
            ],
            "TaiLieuNop": [{"DuocSoHoa": 1}, {"DuocTaiSuDung": "1", "DuocLayTuKhoDMQG": 0}],
            "DanhSachHoSoBoSung": [
                {"NgayBoSung": "20240305080000"},
                {"NgayBoSung": "20240302080000", "NgayTiepNhanBoSung": "20240303080000"},
            ],
        }
    )
    assert (cells["paid_online"], cells["vneid"], cells["fee"]) == ("2", "1", "10500")
    assert (cells["e_result"], cells["digitised"], cells["reused_data"]) == ("1", "1", "1")
    assert cells["from_citizen_store"] == "0"
    assert cells["supplement_requests"] == "2"
    assert cells["supplement_requested_at"] == "2024-03-05T08:00:00+07:00"  # the last request
    assert cells["supplement_received_at"] == ""  # still pending


def test_cells_with_empty_lists_are_known_zeros() -> None:
    cells = record_cells(
        {
            **RECORD,
            "TaiLieuNop": [],
            "DanhSachLePhi": [],
            "DanhSachGiayToKetQua": [],
            "DanhSachHoSoBoSung": [],
        }
    )
    assert (cells["digitised"], cells["fee"], cells["e_result"], cells["supplement_requests"]) == (
        "0",
        "0",
        "0",
        "0",
    )


def test_cells_finished_at_falls_back_by_status() -> None:
    refused = {
        **RECORD,
        "TrangThaiHoSo": "11",
        "NgayKetThucXuLy": None,
        "NgayTuChoi": "20240302080000",
    }
    assert record_cells(refused)["finished_at"] == "2024-03-02T08:00:00+07:00"
    returned = {**RECORD, "NgayKetThucXuLy": ""}
    assert record_cells(returned)["finished_at"] == "2024-03-05T09:00:00+07:00"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"MaHoSo": None}, "MaHoSo"),
        ({"TrangThaiHoSo": ""}, "TrangThaiHoSo"),
        ({"TrangThaiHoSo": "99"}, "TrangThaiHoSo"),
        ({"TrangThaiHoSo": 1}, "TrangThaiHoSo"),
        ({"KenhThucHien": "4"}, "KenhThucHien"),
        ({"NgayHenTra": "06/03/2024"}, "NgayHenTra"),
        ({"NgayHenTra": "20240230170000"}, "NgayHenTra"),
        ({"DuocThanhToanTrucTuyen": "3"}, "DuocThanhToanTrucTuyen"),
        ({"TaiKhoanDuocXacThucVoiVNeID": "yes"}, "TaiKhoanDuocXacThucVoiVNeID"),
        ({"DanhSachLePhi": [{"Gia": -5}]}, "DanhSachLePhi[0].Gia"),
        ({"DanhSachLePhi": [{"Gia": 1.5}]}, "DanhSachLePhi[0].Gia"),
        ({"DanhSachLePhi": {"Gia": 1}}, "DanhSachLePhi"),
        ({"TaiLieuNop": [{"DuocSoHoa": 2}]}, "TaiLieuNop[0].DuocSoHoa"),
        (
            {"DanhSachHoSoBoSung": [{"NgayTiepNhanBoSung": "20240303080000"}]},
            "DanhSachHoSoBoSung[0].NgayBoSung",
        ),
    ],
)
def test_cells_refuse_bad_values_naming_the_field(patch: dict[str, Any], field: str) -> None:
    with pytest.raises(PortalRecordError) as info:
        record_cells({**RECORD, **patch})
    assert info.value.field == field
    assert isinstance(info.value, tthc.InvalidInputError)


def test_cells_use_the_given_status_map() -> None:
    own = PortalStatusMap(codes={"DONE": "completed"}, source="province spec")
    assert (
        record_cells({**RECORD, "TrangThaiHoSo": "DONE"}, status_map=own)["status"] == "completed"
    )


def test_portal_record_model_and_cells_agree() -> None:
    r = PortalRecord.model_validate(RECORD)
    cells = record_cells(r.to_portal_dict())
    assert cells["due_at"] == r.due_at.isoformat() if r.due_at else False


def test_schema_command_prints_the_portal_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import main

    assert main(["schema", "PortalRecord"]) == 0
    assert json.loads(capsys.readouterr().out) == portal_record_json_schema()


def test_cells_read_channel_codes_and_instant_length_from_one_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    from tthc.portal import _cells, _mapping, _record

    # The fast reader's channel table and instant length are those of the model and mapping,
    # not copies: a code added to CHANNEL_CODES is read by record_cells too.
    assert _cells._INSTANT_DIGITS is _record._INSTANT_DIGITS
    wider = {**_mapping.CHANNEL_CODES, tthc.Channel.ONLINE: "9"}
    monkeypatch.setattr(_mapping, "CHANNEL_CODES", wider)
    try:
        importlib.reload(_cells)
        assert _cells.record_cells({**RECORD, "KenhThucHien": "9"})["channel"] == "online"
        with pytest.raises(PortalRecordError, match="expected 1, 3 or 9, got '2'"):
            _cells.record_cells({**RECORD, "KenhThucHien": "2"})
    finally:
        monkeypatch.undo()
        importlib.reload(_cells)
    with pytest.raises(PortalRecordError, match="expected 1, 2 or 3, got '4'"):
        record_cells({**RECORD, "KenhThucHien": "4"})
