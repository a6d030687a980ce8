"""The interchange format: readers, normalisation and every rejected-row reason."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from pathlib import Path

import pytest

import tthc
from tthc import VN_TZ, Channel, DossierStatus, InputFormatError, RowRejectedError
from tthc.models import AdministrativeLevel
from tthc.report import DossierRecord, read_csv, read_jsonl, read_records, records_from

HEADER = (
    "code,domain,channel,received_at,status,due_at,finished_at,agency,procedure_code,"
    "procedure_name,level,time_limit,extended_due_at,supplement_requests"
)
GOOD = (
    "A-1,Hộ tịch,online,2024-03-04T08:00:00,returned,2024-03-08T17:00:00,"
    "2024-03-06T10:00:00,UBND phường X,1.001193,Đăng ký khai sinh,commune,,,0"
)


def read(*lines: str, header: str = HEADER) -> list[DossierRecord | RowRejectedError]:
    return list(read_csv(io.StringIO("\n".join([header, *lines]) + "\n")))


def rejection(line: str) -> RowRejectedError:
    (item,) = read(line)
    assert isinstance(item, RowRejectedError), item
    return item


def test_good_row_is_normalised() -> None:
    (r,) = read(GOOD)
    assert isinstance(r, DossierRecord)
    assert r.channel is Channel.ONLINE
    assert r.status is DossierStatus.RETURNED
    assert r.received_at == dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
    assert r.received_at.utcoffset() == dt.timedelta(hours=7)
    assert r.level is AdministrativeLevel.COMMUNE
    assert r.line == 2
    assert r.agency == "UBND phường X"


def test_bom_and_vietnamese_names_and_offsets() -> None:
    text = (
        "\ufeff" + HEADER + "\n"
        "B-1, Hộ tịch ,Trực tiếp,2024-03-04T03:00:00+02:00,Đã trả kết quả,2024-03-08,"
        "2024-03-06 10:00,,,,Cấp Xã,,,\n"
    )
    (r,) = read_csv(io.BytesIO(text.encode("utf-8")))
    assert isinstance(r, DossierRecord)
    assert r.domain == "Hộ tịch"
    assert r.channel is Channel.DIRECT
    assert r.status is DossierStatus.RETURNED
    assert r.received_at == dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
    assert r.received_at.utcoffset() == dt.timedelta(hours=7)
    # a due date alone ends at the end of that day (Civil Code 2015 Art. 148(1))
    assert r.due_at == dt.datetime(2024, 3, 8, 23, 59, 59, 999999, tzinfo=VN_TZ)
    assert r.level is AdministrativeLevel.COMMUNE


def test_path_reader_and_jsonl(tmp_path: Path) -> None:
    csv_path = tmp_path / "d.csv"
    csv_path.write_text(HEADER + "\n" + GOOD + "\n", encoding="utf-8-sig")
    (from_csv,) = read_records(csv_path)
    row = dict(zip(HEADER.split(","), GOOD.split(","), strict=True))
    row["finished_at"] = None  # type: ignore[assignment]
    row["status"] = "processing"
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text("\n" + json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (from_jsonl,) = read_records(jsonl)
    assert isinstance(from_csv, DossierRecord)
    assert isinstance(from_jsonl, DossierRecord)
    assert from_jsonl.line == 2
    assert from_jsonl.finished_at is None
    assert from_csv._replace(status=DossierStatus.PROCESSING, finished_at=None) == from_jsonl


def test_jsonl_bad_lines_are_rejected() -> None:
    first = json.dumps(dict(zip(HEADER.split(","), GOOD.split(","), strict=True)))
    items = list(read_jsonl(io.StringIO(first + "\n{not json\n[1, 2]\n")))
    assert isinstance(items[0], DossierRecord)
    assert isinstance(items[1], RowRejectedError)
    assert items[1].line == 2
    assert "not valid JSON" in items[1].reason
    assert isinstance(items[2], RowRejectedError)
    assert items[2].reason == "not a JSON object"


def test_due_at_computed_from_time_limit() -> None:
    line = "A-1,Hộ tịch,direct,2024-02-07T09:00:00,processing,,,,,,,05 ngày làm việc,,"
    (r,) = read(line)
    assert isinstance(r, DossierRecord)
    expected = tthc.due_at(dt.datetime(2024, 2, 7, 9, tzinfo=VN_TZ), "05 ngày làm việc")
    assert r.due_at == expected == dt.datetime(2024, 2, 21, 17, tzinfo=VN_TZ)  # Tết 8–14/2


def test_a_due_instant_past_the_calendar_names_the_date_not_a_parameter() -> None:
    line = "A-1,Hộ tịch,direct,2100-12-31T10:00:00,processing,,,,,,,1 ngày,,"
    reason = rejection(line).reason
    assert reason.startswith("cannot compute due_at: the date 2101-01-01 is outside the years")
    assert "d=" not in reason


def test_records_from_records_mappings_and_dossiers() -> None:
    (r,) = read(GOOD)
    assert isinstance(r, DossierRecord)
    dossier = tthc.Dossier(
        code="000.17.22.H56-240301-0001",
        procedure_code="1.001193",
        applicant={"kind": "person", "name": "Trần Thị B"},
        channel="online",
        received_at="2024-03-01 08:00",
        due_at="2024-03-01 17:00",
        events=[
            {"kind": "received", "at": "2024-03-01 08:00"},
            {"kind": "completed", "at": "2024-03-01 10:00"},
            {"kind": "result_returned", "at": "2024-03-02 09:00"},
        ],
    )
    items = list(records_from([r, r._asdict() | {"code": "A-2"}, dossier]))
    assert items[0] == r
    assert isinstance(items[1], DossierRecord)
    assert items[1].code == "A-2"
    d = items[2]
    assert isinstance(d, DossierRecord)
    assert d.status is DossierStatus.RETURNED
    assert d.finished_at == dt.datetime(2024, 3, 1, 10, tzinfo=VN_TZ)
    assert d.domain == "Hộ tịch"


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (
            ",Hộ tịch,direct,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,,",
            "code",
            "missing required value",
        ),
        (
            "A-1,,direct,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,,",
            "domain",
            "missing required value",
        ),
        (
            "A-1,D,,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,,",
            "channel",
            "missing required value",
        ),
        (
            "A-1,D,fax,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,,",
            "channel",
            "unknown channel 'fax'",
        ),
        (
            "A-1,D,direct,,processing,2024-03-08T17:00:00,,,,,,,,",
            "received_at",
            "missing required value",
        ),
        (
            "A-1,D,direct,04/03/2024,processing,2024-03-08T17:00:00,,,,,,,,",
            "received_at",
            "the day/month order of '04/03/2024' is not known",
        ),
        (
            "A-1,D,direct,2024-02-30T08:00:00,processing,2024-03-08T17:00:00,,,,,,,,",
            "received_at",
            "bad date",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,,2024-03-08T17:00:00,,,,,,,,",
            "status",
            "missing required value",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,lost,2024-03-08T17:00:00,,,,,,,,",
            "status",
            "unknown status 'lost'",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,,,,,,,,,",
            "due_at",
            "missing required value (and no time_limit",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,tomorrow,,,,,,,,",
            "due_at",
            "bad date 'tomorrow'",
        ),
        ("A-1,D,direct,2024-03-04T08:00:00,processing,,,,,,,5 giờ,,", "time_limit", "plain hours"),
        (
            "A-1,D,direct,2024-03-04T08:00:00,completed,2024-03-08T17:00:00,,,,,,,,",
            "finished_at",
            "status and finished_at inconsistent: status 'completed' requires",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,2024-03-05T08:00:00,,,,,,,",
            "finished_at",
            "status and finished_at inconsistent: status 'processing' is not finished",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,returned,2024-03-08T17:00:00,2024-03-04T07:59:59,,,,,,,",
            "finished_at",
            "finished before received",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,returned,2024-03-08T17:00:00,2024-03-xxT10:00:00,,,,,,,",
            "finished_at",
            "bad date",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,2024-03-04T07:00:00,,,,,,,,",
            "due_at",
            "due before received",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,2024-03-08T16:59:00,",
            "extended_due_at",
            "extended_due_at is before due_at",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,soon,",
            "extended_due_at",
            "bad date",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,,-1",
            "supplement_requests",
            "bad supplement_requests '-1'",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,,two",
            "supplement_requests",
            "bad supplement_requests",
        ),
        (
            "A-1,D,direct,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,galaxy,,,",
            "level",
            "unknown level 'galaxy'",
        ),
    ],
)
def test_every_rejection_reason(line: str, column: str, reason: str) -> None:
    r = rejection(line)
    assert r.line == 2
    assert r.column == column
    assert reason in r.reason
    if column != "code":
        assert r.code == "A-1"
    assert "line 2" in str(r)


def test_duplicate_code_is_rejected_the_first_is_counted() -> None:
    items = read(GOOD, GOOD.replace("online", "direct"), GOOD.replace("A-1", "A-2"))
    assert [type(i).__name__ for i in items] == [
        "DossierRecord",
        "RowRejectedError",
        "DossierRecord",
    ]
    dup = items[1]
    assert isinstance(dup, RowRejectedError)
    assert dup.line == 3
    assert dup.column == "code"
    assert "duplicate code" in dup.reason
    assert all(
        isinstance(i, DossierRecord)
        for i in read_csv(
            io.StringIO(HEADER + "\n" + GOOD + "\n" + GOOD + "\n"), check_duplicates=False
        )
    )


def test_duplicate_in_python_objects_is_rejected_with_its_code() -> None:
    (r,) = read(GOOD)
    assert isinstance(r, DossierRecord)
    items = list(records_from([r._asdict(), r._asdict()]))
    dup = items[1]
    assert isinstance(dup, RowRejectedError)
    assert (dup.line, dup.column, dup.code) == (2, "code", r.code)
    assert dup.reason == "duplicate code: a row with this code was already read"


def test_row_shape_problems() -> None:
    items = read(
        GOOD + ",extra", "", "A-3,Hộ tịch,online,2024-03-04T08:00:00,processing,2024-03-08"
    )
    assert isinstance(items[0], RowRejectedError)
    assert "15 cells but the header has 14 columns" in items[0].reason
    assert len(items) == 2  # the blank line holds no record: neither read nor rejected
    assert isinstance(items[1], DossierRecord)  # short row: missing trailing cells are empty


def test_line_numbers_follow_multiline_cells() -> None:
    quoted = GOOD.replace("Đăng ký khai sinh", '"Đăng ký\nkhai sinh"')
    items = read(quoted, "A-9,D,fax,2024-03-04T08:00:00,processing,2024-03-08T17:00:00,,,,,,,,")
    assert isinstance(items[0], DossierRecord)
    assert isinstance(items[1], RowRejectedError)
    assert items[1].line == 4


def test_missing_required_columns_is_an_input_format_error() -> None:
    with pytest.raises(InputFormatError, match=r"missing required column\(s\): status"):
        read(header="code,domain,channel,received_at,due_at")
    with pytest.raises(InputFormatError, match=r"due_at \(or time_limit\)"):
        read(header="code,domain,channel,received_at,status")
    with pytest.raises(InputFormatError, match="empty"):
        list(read_csv(io.StringIO("")))
    with pytest.raises(InputFormatError):
        list(read_jsonl(io.StringIO('{"code": "A"}\n')))


def test_header_without_optional_columns_and_in_any_order() -> None:
    header = "status,received_at,channel,domain,code,time_limit"
    (r,) = read("processing,2024-03-04T08:00:00,online,D,A-1,03 ngày làm việc", header=header)
    assert isinstance(r, DossierRecord)
    assert r.due_at == tthc.due_at(r.received_at, "03 ngày làm việc")
    assert r.finished_at is None
    assert r.agency is None


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes Vietnamese: precomposed vowels (â, ơ, ư…), tone marks as
    combining characters."""
    out = []
    for ch in text:
        marks = unicodedata.normalize("NFD", ch)
        tone = "".join(m for m in marks if m in TONES)
        out.append(unicodedata.normalize("NFC", "".join(m for m in marks if m not in TONES)) + tone)
    return "".join(out).encode("cp1258")


def test_utf16_with_a_bom_is_read_and_a_legacy_code_page_is_refused_with_the_fix() -> None:
    data = (HEADER + "\n" + GOOD + "\n").encode("utf-16")
    assert [r.code for r in read_csv(io.BytesIO(data))] == [  # type: ignore[union-attr]
        r.code  # type: ignore[union-attr]
        for r in read_csv(io.StringIO(HEADER + "\n" + GOOD + "\n"))
    ]
    text = HEADER + "\n" + GOOD.replace("D,", "Hộ tịch,", 1) + "\n"
    legacy = to_cp1258(text)  # Vietnamese Windows
    with pytest.raises(InputFormatError, match="cp1258"):
        list(read_csv(io.BytesIO(legacy)))
    (record,) = read_csv(io.BytesIO(legacy), intake=tthc.report.IntakeOptions(encoding="cp1258"))
    assert record.domain == "Hộ tịch"  # type: ignore[union-attr]  # NFC again


def test_to_row_round_trip() -> None:
    (r,) = read(GOOD)
    assert isinstance(r, DossierRecord)
    (again,) = records_from([r.to_row()])
    assert again == r._replace(line=1)


def test_hand_built_record_in_another_zone_is_judged_on_utc7_dates() -> None:
    # Finished 2024-01-04 17:30 UTC = 2024-01-05 00:30 in the office: the due DATE (5/1), so on
    # time, not early (its UTC date 4/1 is before the due date).
    utc = dt.UTC
    record = tthc.report.DossierRecord(
        code="X-1",
        domain="Hộ tịch",
        channel=tthc.Channel.DIRECT,
        received_at=dt.datetime(2024, 1, 2, 1, 0, tzinfo=utc),
        status=tthc.DossierStatus.RETURNED,
        due_at=dt.datetime(2024, 1, 5, 10, 0, tzinfo=utc),
        finished_at=dt.datetime(2024, 1, 4, 17, 30, tzinfo=utc),
    )
    [normalised] = list(tthc.report.records_from([record]))
    assert isinstance(normalised, tthc.report.DossierRecord)
    assert normalised.finished_at == record.finished_at
    assert normalised.finished_at.utcoffset() == dt.timedelta(hours=7)
    report = tthc.build_report([record], "2024-Q1")
    assert (report.totals.resolved_early, report.totals.resolved_on_time) == (0, 1)


def test_reader_records_pass_through_unchanged() -> None:
    record = tthc.report.DossierRecord(
        code="X-2",
        domain="Hộ tịch",
        channel=tthc.Channel.ONLINE,
        received_at=dt.datetime(2024, 1, 2, 8, tzinfo=tthc.VN_TZ),
        status=tthc.DossierStatus.PROCESSING,
        due_at=dt.datetime(2024, 1, 5, 17, tzinfo=tthc.VN_TZ),
        line=42,
    )
    assert list(tthc.report.records_from([record])) == [record]


def _dossier(events: list[dict[str, str]]) -> tthc.Dossier:
    return tthc.Dossier.model_validate(
        {
            "code": "000.17.22.H56-240304-0001",
            "procedure_code": "1.001193",
            "applicant": {"name": "Trần Thị B"},
            "channel": "direct",
            "received_at": "2024-03-04 08:00",
            "due_at": "2024-03-04 17:00",
            "events": events,
        }
    )


def test_dossier_model_rows_follow_the_lifecycle() -> None:
    dossier = _dossier(
        [
            {"kind": "received", "at": "2024-03-04 08:00"},
            {"kind": "supplement_requested", "at": "2024-03-04 09:00"},
            {"kind": "supplement_received", "at": "2024-03-05 09:00"},
            {"kind": "completed", "at": "2024-03-05 10:00"},
            {"kind": "result_returned", "at": "2024-03-06 10:00"},
        ]
    )
    [record] = list(tthc.report.records_from([dossier]))
    assert isinstance(record, tthc.report.DossierRecord)
    assert record.status is tthc.DossierStatus.RETURNED
    assert record.finished_at == dt.datetime(2024, 3, 5, 10, tzinfo=tthc.VN_TZ)
    assert record.supplement_requests == 1


def test_dossier_model_with_a_refused_timeline_is_a_rejected_row() -> None:
    # A result returned before anything was completed: the state machine refuses it, so the
    # report rejects the row instead of guessing a status.
    dossier = _dossier(
        [
            {"kind": "received", "at": "2024-03-04 08:00"},
            {"kind": "result_returned", "at": "2024-03-04 09:00"},
        ]
    )
    [item] = list(tthc.report.records_from([dossier]))
    assert isinstance(item, tthc.RowRejectedError)
    assert item.column == "events"
    assert item.code == dossier.code


def test_a_naive_as_of_is_refused_as_a_naive_datetime_everywhere() -> None:
    """A naive ``as_of`` gave a raw TypeError (comparing naive and aware datetimes) in
    records_from, dossier_row and Report.due_within; the lifecycle already said why."""
    import datetime as _dt

    from tthc.models import Dossier

    naive = _dt.datetime(2024, 3, 31, 23)
    dossier = Dossier.model_validate(
        {
            "code": "000.17.22.H56-240304-0001",
            "procedure_code": "1.001193",
            "received_at": "2024-03-04T08:00",
            "applicant": {"name": "Nguyễn Văn A"},
            "channel": "direct",
            "events": [{"kind": "received", "at": "2024-03-04T08:00"}],
        }
    )
    row = {
        "code": "A",
        "domain": "X",
        "channel": "direct",
        "received_at": "2024-03-04T08:00",
        "status": "processing",
        "due_at": "2024-03-08",
    }
    with pytest.raises(tthc.NaiveDatetimeError, match="as_of"):
        tthc.report.records_from([dossier], as_of=naive)
    with pytest.raises(tthc.NaiveDatetimeError, match="as_of"):
        tthc.report.dossier_row(dossier, as_of=naive)
    with pytest.raises(tthc.NaiveDatetimeError, match="as_of"):
        tthc.build_report([row], "2024-03", trace=True).due_within(2, naive)
