"""Slips (text and printable HTML) and the ``tthc dossier`` command line."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

import tthc
from tthc.cli import main

CODE = "000.17.22.H56-240304-0001"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour, minute, tzinfo=tthc.VN_TZ)


DOSSIER = tthc.Dossier.model_validate(
    {
        "code": CODE,
        "procedure_code": "1.001193",
        "applicant": {
            "name": "Trần Thị <B>",
            "id_number": "B1234567",
            "phone": "0912345678",
            "address": "Khối 1, phường Nghi Hương",
        },
        "channel": "direct",
        "received_at": "2024-03-04 08:00",
        "components": [
            {"name": "Tờ khai đăng ký khai sinh", "originals": 1},
            {"name": "Giấy chứng sinh", "originals": 1, "copies": 1},
        ],
        "events": [
            {"kind": "received", "at": "2024-03-04 08:00", "actor": "Lê Văn C"},
            {
                "kind": "supplement_requested",
                "at": "2024-03-05 09:00",
                "actor": "Lê Văn C",
                "reasons": ["Bản sao CCCD của người đi khai"],
                "note": "Thiếu giấy tờ tùy thân",
            },
            {"kind": "supplement_received", "at": "2024-03-11 10:00"},
            {
                "kind": "reappointed",
                "at": "2024-03-13 10:00",
                "new_due_at": "2024-03-18 17:00",
                "note": "Chờ xác minh",
            },
            {"kind": "refused", "at": "2024-03-15 10:00", "reasons": ["Không đủ điều kiện"]},
        ],
    }
)


class Proc:
    code = "1.001193"
    name = "Đăng ký khai sinh"
    steps = ()

    def time_limit_for(self, channel: tthc.Channel) -> tthc.TimeLimit:
        return tthc.TimeLimit.parse("03 ngày làm việc")


STATE = tthc.lifecycle_of(DOSSIER, Proc())


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _rows(slip: tthc.lifecycle.Slip) -> dict[str, str]:
    return dict(slip.rows())


def test_receipt_slip_fields() -> None:
    slip = tthc.lifecycle.build_slip(
        "receipt", STATE, DOSSIER, Proc(), office="UBND phường Nghi Hương"
    )
    assert isinstance(slip, tthc.lifecycle.ReceiptSlip)
    rows = _rows(slip)
    assert rows["Mã hồ sơ"] == CODE
    assert rows["Thủ tục hành chính"] == "Đăng ký khai sinh (1.001193)"
    assert rows["Thời gian tiếp nhận"] == "08:00 ngày 04/03/2024"
    assert rows["Thời gian hẹn trả kết quả"] == "17:00 ngày 07/03/2024"  # the receipt's due
    assert rows["Số điện thoại"] == "+84912345678"
    assert rows["Người tiếp nhận"] == "Lê Văn C"
    assert rows["Hình thức nộp"] == "Trực tiếp"
    text = slip.to_text()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Giấy chứng sinh" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_receipt_slip_fees() -> None:
    slip = tthc.lifecycle.build_slip("receipt", STATE, DOSSIER, Proc(), fees=8000)
    assert _rows(slip)["Phí, lệ phí"] == "8.000 đồng"


def test_supplement_request_slip() -> None:
    slip = tthc.lifecycle.build_slip(
        tthc.lifecycle.SlipKind.SUPPLEMENT_REQUEST, STATE, DOSSIER, Proc()
    )
    rows = _rows(slip)
    assert rows["Lý do"] == "Thiếu giấy tờ tùy thân"
    assert rows["Hạn bổ sung hồ sơ"] == "17:00 ngày 20/03/2024"
    assert "Bản sao CCCD của người đi khai" in slip.to_text()


def test_refusal_slip() -> None:
    slip = tthc.lifecycle.build_slip("refusal", STATE, DOSSIER, Proc())
    assert _rows(slip)["Lý do từ chối"] == "Không đủ điều kiện"
    assert slip.title == "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"


def test_apology_slip_shows_original_and_new_date() -> None:
    slip = tthc.lifecycle.build_slip("apology", STATE, DOSSIER, Proc())
    rows = _rows(slip)
    assert rows["Thời gian hẹn trả kết quả ban đầu"] == "17:00 ngày 14/03/2024"
    assert rows["Thời gian hẹn trả kết quả mới"] == "17:00 ngày 18/03/2024"
    assert rows["Lý do chậm trễ"] == "Chờ xác minh"


def test_control_sheet_rows() -> None:
    class Step:
        name = "Giải quyết"
        agency = "Tư pháp"
        time_budget = "03 ngày làm việc"

    slip = tthc.lifecycle.build_slip("control_sheet", STATE, DOSSIER, Proc(), steps=[Step()])
    tab = slip.table()
    assert tab is not None
    header, body = tab
    assert header[-1] == "Kết quả"
    assert len(body) == 1
    assert body[0][1] == "Tư pháp / Giải quyết"
    assert body[0][-1] == "Trễ hạn"  # 3 working days from receipt, extended by the wait


def test_missing_event_is_an_error() -> None:
    fresh = tthc.replay([tthc.DossierEvent(kind="received", at=at(4, 8))], code=CODE)
    with pytest.raises(tthc.LifecycleError, match="needs a 'reappointed' event"):
        tthc.lifecycle.build_slip("apology", fresh)
    # Each message with the right article ("a apology slip" was printed).
    for kind, message in [
        ("apology", "an apology slip needs a 'reappointed' event"),
        ("refusal", "a refusal slip needs a 'refused' event"),
        ("supplement_request", "a supplement_request slip needs a 'supplement_requested' event"),
    ]:
        with pytest.raises(tthc.LifecycleError, match=f": {message}, "):
            tthc.lifecycle.build_slip(kind, fresh)
    with pytest.raises(tthc.LifecycleError, match="not received"):
        tthc.lifecycle.build_slip("receipt", tthc.DossierState.new(CODE, None))


@pytest.mark.parametrize("kind", list(tthc.lifecycle.SlipKind))
def test_every_slip_renders_escaped_html(kind: tthc.lifecycle.SlipKind) -> None:
    slip = tthc.lifecycle.build_slip(kind, STATE, DOSSIER, Proc())
    page = slip.to_html()
    assert "<B>" not in page
    assert "Trần Thị &lt;B&gt;" in page
    parser = _Collect()
    parser.feed(page)
    assert "table" in parser.tags
    assert "".join(parser.text).count(kind.label_vi.upper()) >= 1
    assert '<html lang="vi">' in page
    text = slip.to_text()
    assert "Trần Thị <B>" in text
    assert "ngày " in text


# ---- command line ---------------------------------------------------------------------------

EVENTS = """\
{"dossier": "000.17.22.H56-240304-0001", "time_limit": "03 ngày làm việc"}
{"kind": "received", "at": "2024-03-04T08:00:00", "agency": "Một cửa"}
{"kind": "completed", "at": "2024-03-08T10:00:00"}
{"dossier": "000.17.22.H56-240304-0002", "time_limit": "05 ngày làm việc"}
{"kind": "received", "at": "2024-03-04T09:00:00"}
"""


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text(EVENTS, encoding="utf-8")
    return path


def test_cli_replay_text(events_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dossier", "replay", str(events_file), "--as-of", "2024-03-12T10:00"]) == 0
    out = capsys.readouterr().out
    assert "Hồ sơ 000.17.22.H56-240304-0001:" in out
    assert "Trễ hạn 2 giờ 30 phút" in out
    assert "Quá hạn 2 giờ 30 phút" in out  # second dossier, due 11/03 17:00
    assert "Hạn trả kết quả (due): 07/03/2024 17:00" in out


def test_cli_replay_json(events_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["dossier", "replay", str(events_file), "--as-of", "2024-03-05T10:00", "--format"]
    assert main([*args, "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["timeliness"] for r in rows] == ["within_time", "within_time"]  # as of 05/03
    args[4] = "2024-03-12T10:00"
    assert main([*args, "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["timeliness"] for r in rows] == ["late", "overdue"]
    assert rows[1]["due_at"] == "2024-03-11T17:00:00+07:00"


def test_cli_slip_html_to_file(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "slip.html"
    code = main(
        [
            "dossier",
            "slip",
            str(events_file),
            "--dossier",
            CODE,
            "--kind",
            "receipt",
            "--format",
            "html",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in out.read_text(encoding="utf-8")


def test_cli_slip_from_dossier_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dossier.json"
    path.write_text(DOSSIER.model_dump_json(), encoding="utf-8")
    args = ["dossier", "slip", str(path), "--kind", "refusal", "--time-limit", "03 ngày làm việc"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Trần Thị <B>" in out
    assert "Không đủ điều kiện" in out


def test_cli_usage_errors(events_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dossier", "slip", str(events_file), "--kind", "receipt"]) == 2
    assert "choose one with --dossier" in capsys.readouterr().err
    assert (
        main(["dossier", "slip", str(events_file), "--dossier", "nope", "--kind", "receipt"]) == 2
    )
    assert main(["dossier", "replay", str(events_file), "--as-of", "soon"]) == 2
    assert "--as-of" in capsys.readouterr().err
    assert main(["dossier", "replay", "/nonexistent/events.jsonl"]) == 2


def test_cli_replay_text_shows_the_state_as_of(
    events_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As of 05/03 the first dossier is not completed yet: the text agrees with the JSON output.
    assert main(["dossier", "replay", str(events_file), "--as-of", "2024-03-05T10:00"]) == 0
    out = capsys.readouterr().out
    first = out.split("Hồ sơ 000.17.22.H56-240304-0002:")[0]
    assert "Trạng thái (state): Mới tiếp nhận (Received)" in first
    assert "Đã có kết quả" not in first


def test_cli_slip_from_invalid_dossier_json_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(DOSSIER.model_dump_json())
    data["channel"] = "teleport"
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["dossier", "slip", str(path), "--kind", "receipt"]) == 2
    err = capsys.readouterr().err
    assert "dossier field 'channel'" in err
    assert "Traceback" not in err
