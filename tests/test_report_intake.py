"""Real exports in (issue 12): the same dossiers written as ward offices write them — semicolons
and dd/mm/yyyy under Vietnamese headers, an XLSX workbook, UTF-16 tab-separated text, the
national portal's records — give the same report as the interchange CSV, with no flags."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

import tthc
from tthc import InputFormatError, Period
from tthc.cli import EXIT_EMPTY, EXIT_INPUT_PROBLEMS, EXIT_OK, EXIT_USAGE, main
from tthc.report import IntakeOptions, SourceInfo, build_report, read_records

DEMO = Path(tthc.report.__file__).parent / "data" / "nghi_huong_2024q1.csv"
Q1 = Period.parse("2024-Q1")
VN_HEADERS = {
    "code": "Mã hồ sơ",
    "domain": "Lĩnh vực",
    "channel": "Hình thức nộp",
    "received_at": "Ngày tiếp nhận",
    "status": "Trạng thái",
    "due_at": "Ngày hẹn trả",
    "finished_at": "Ngày trả kết quả",
    "agency": "Đơn vị xử lý",
    "procedure_code": "Mã TTHC",
    "procedure_name": "Tên thủ tục",
}
CHANNELS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính (công ích)"}
PORTAL_CHANNELS = {"direct": "1", "online": "2", "postal": "3"}


def demo_rows() -> list[dict[str, str]]:
    """The bundled dossiers with their due instants computed (exports carry the appointment)."""
    rows = list(csv.DictReader(DEMO.open(encoding="utf-8-sig")))
    for row in rows:
        received = dt.datetime.fromisoformat(row["received_at"])
        row["due_at"] = tthc.due_at(received, row["time_limit"]).isoformat()
    return rows


def dmy(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M:%S") if iso else ""


def office_cells(row: dict[str, str]) -> list[str]:
    return [
        row["code"],
        row["domain"],
        CHANNELS[row["channel"]],
        dmy(row["received_at"]),
        "Đã trả kết quả",
        dmy(row["due_at"]),
        dmy(row["finished_at"]),
        row["agency"],
        row["procedure_code"],
        row["procedure_name"],
    ]


def write_semicolon(path: Path, title: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        if title:  # a sheet with its title block, saved as CSV by Excel
            width = len(VN_HEADERS)
            writer.writerow(["UBND PHƯỜNG NGHI HƯƠNG", *[""] * (width - 1)])
            writer.writerow(["DANH SÁCH HỒ SƠ; QUÝ I NĂM 2024", *[""] * (width - 1)])
            writer.writerow([""] * width)
        writer.writerow(VN_HEADERS.values())
        writer.writerows(office_cells(r) for r in demo_rows())
    return path


def write_utf16_tab(path: Path) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
    writer.writerow(VN_HEADERS.values())
    writer.writerows(office_cells(r) for r in demo_rows())
    path.write_bytes(buffer.getvalue().encode("utf-16"))
    return path


def write_xlsx(path: Path, title: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Hồ sơ"
    if title:  # the title block real exports carry above the table
        sheet.append(["UBND PHƯỜNG NGHI HƯƠNG"])
        sheet.append(["DANH SÁCH HỒ SƠ TIẾP NHẬN QUÝ I NĂM 2024"])
        sheet.append([])
        sheet.append(["(Kèm theo Báo cáo số …/BC-UBND)"])
    sheet.append(list(VN_HEADERS.values()))
    for row in demo_rows():
        cells: list[object] = office_cells(row)
        for i, key in ((3, "received_at"), (5, "due_at"), (6, "finished_at")):
            value = row[key]
            cells[i] = dt.datetime.fromisoformat(value).replace(tzinfo=None) if value else None
        sheet.append(cells)
    book.save(path)
    return path


def portal_record(row: dict[str, str]) -> dict[str, object]:
    def instant(iso: str) -> str | None:
        return dt.datetime.fromisoformat(iso).strftime("%Y%m%d%H%M%S") if iso else None

    return {
        "MaHoSo": row["code"],
        "MaTTHC": row["procedure_code"],
        "TenTTHC": row["procedure_name"],
        "TenLinhVuc": row["domain"],
        "DonViXuLy": row["agency"],
        "KenhThucHien": PORTAL_CHANNELS[row["channel"]],
        "NgayTiepNhan": instant(row["received_at"]),
        "NgayHenTra": instant(row["due_at"]),
        "NgayKetThucXuLy": instant(row["finished_at"]),
        "NgayTra": instant(row["finished_at"]),
        "TrangThaiHoSo": "10",
    }


def write_portal_json(path: Path) -> Path:
    path.write_text(
        json.dumps([portal_record(r) for r in demo_rows()], ensure_ascii=False), encoding="utf-8"
    )
    return path


def write_portal_jsonl(path: Path) -> Path:
    path.write_text(
        "".join(json.dumps(portal_record(r), ensure_ascii=False) + "\n" for r in demo_rows()),
        encoding="utf-8",
    )
    return path


WRITERS: dict[str, Callable[[Path], Path]] = {
    "semicolon.csv": write_semicolon,
    "unicode.txt": write_utf16_tab,
    "export.xlsx": write_xlsx,
    "titled.xlsx": lambda path: write_xlsx(path, title=True),
    "titled.csv": lambda path: write_semicolon(path, title=True),
    "portal.json": write_portal_json,
    "portal.jsonl": write_portal_jsonl,
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_real_export_gives_the_interchange_numbers(name: str, tmp_path: Path) -> None:
    path = WRITERS[name](tmp_path / name)
    expected = build_report(DEMO, Q1)
    got = build_report(path, Q1)
    assert got.rows_rejected == 0, got.rejections[:3]
    assert got.groups == expected.groups
    assert (got.rows_read, got.rows_counted) == (403, 403)


def test_what_was_read_is_stated(tmp_path: Path) -> None:
    report = build_report(write_semicolon(tmp_path / "s.csv"), Q1)
    (info,) = report.sources
    assert isinstance(info, SourceInfo)
    assert (info.format, info.delimiter, info.date_order, info.encoding) == (
        "csv",
        ";",
        "dmy",
        "utf-8-sig",
    )
    assert ("Mã hồ sơ", "code") in info.columns
    tab = build_report(write_utf16_tab(tmp_path / "u.txt"), Q1).sources[0]
    assert (tab.encoding, tab.delimiter) == ("utf-16", "\t")
    xlsx = build_report(write_xlsx(tmp_path / "x.xlsx"), Q1).sources[0]
    assert (xlsx.format, xlsx.sheet) == ("xlsx", "Hồ sơ")


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_the_cli_reads_every_export_with_no_flags(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = WRITERS[name](tmp_path / name)
    out = tmp_path / "out.json"
    assert main(["report", str(path), "--period", "2024-Q1", "-o", str(out)]) == EXIT_OK
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["totals"]["received_total"] == 403
    assert data["totals"]["resolved_on_time"] + data["totals"]["resolved_early"] == 403


# --------------------------------------------------------------------------- dates


HEADER = "code,domain,channel,received_at,status,due_at"


def rows(*lines: str, intake: IntakeOptions | None = None) -> list[object]:
    return list(read_records(io.StringIO(HEADER + "\n" + "\n".join(lines) + "\n"), intake=intake))


def test_the_day_month_order_is_decided_once_per_file_from_an_unambiguous_date() -> None:
    got = rows(
        "A,D,direct,03/04/2024 08:00,processing,05/04/2024",  # ambiguous alone
        "B,D,direct,25/04/2024 08:00,processing,30/04/2024",  # day 25: day first
    )
    a, _b = got
    assert a.received_at.date() == dt.date(2024, 4, 3)  # type: ignore[attr-defined]
    flipped = rows(
        "A,D,direct,03/04/2024 08:00,processing,05/04/2024",
        "B,D,direct,04/25/2024 08:00,processing,04/30/2024",
    )
    assert flipped[0].received_at.date() == dt.date(2024, 3, 4)  # type: ignore[attr-defined]


def test_a_file_whose_dates_all_read_both_ways_asks_for_the_order_and_never_guesses() -> None:
    (rejected,) = rows("A,D,direct,03/04/2024 08:00,processing,05/04/2024")
    assert isinstance(rejected, tthc.RowRejectedError)
    assert "--date-format" in rejected.reason
    (given,) = rows(
        "A,D,direct,03/04/2024 08:00,processing,05/04/2024",
        intake=IntakeOptions(date_format="mdy"),
    )
    assert given.received_at.date() == dt.date(2024, 3, 4)  # type: ignore[attr-defined]


def test_a_date_contradicting_the_files_order_is_rejected() -> None:
    got = rows(
        "A,D,direct,25/04/2024 08:00,processing,30/04/2024",
        "B,D,direct,04/25/2024 08:00,processing,04/30/2024",  # month 25 under dmy
    )
    assert isinstance(got[1], tthc.RowRejectedError)
    assert got[1].column == "received_at"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("20240314083015", dt.datetime(2024, 3, 14, 8, 30, 15)),  # the portal's form
        ("45365.5", dt.datetime(2024, 3, 14, 12, 0)),  # an Excel serial
        ("2024-03-14T01:30:15Z", dt.datetime(2024, 3, 14, 8, 30, 15)),
        ("2024-03-14 08:30:15+07:00", dt.datetime(2024, 3, 14, 8, 30, 15)),
        ("14.03.2024 8h30", dt.datetime(2024, 3, 14, 8, 30)),
        ("2024-03-14\u00a008:30:15", dt.datetime(2024, 3, 14, 8, 30, 15)),  # a no-break space
        ("14.03.2024\u00a08h30", dt.datetime(2024, 3, 14, 8, 30)),
    ],
)
def test_instant_spellings(cell: str, expected: dt.datetime) -> None:
    (record,) = rows(f"A,D,direct,{cell},processing,2024-04-01")
    assert record.received_at == expected.replace(tzinfo=tthc.VN_TZ)  # type: ignore[attr-defined]


def test_a_year_alone_is_not_an_excel_date() -> None:
    (rejected,) = rows("A,D,direct,2024,processing,2024-04-01")
    assert isinstance(rejected, tthc.RowRejectedError)


# --------------------------------------------------------------------------- headers and values


def test_headers_match_ignoring_case_accents_spacing_and_unicode_form() -> None:
    header = ";".join(
        [
            unicodedata.normalize("NFD", "MÃ HỒ SƠ"),
            "linh vuc",
            "Kênh  thực hiện",
            "NgayTiepNhan",
            "TrangThaiHoSo",
            "Ngày hẹn trả",
        ]
    )
    text = header + "\nA;Hộ tịch;2;14/03/2024;4;20/03/2024\n"
    (record,) = read_records(io.StringIO(text))
    assert record.channel is tthc.Channel.ONLINE  # type: ignore[union-attr]
    assert record.status is tthc.DossierStatus.PROCESSING  # type: ignore[union-attr]


def test_headers_written_as_several_names_or_with_a_note_in_brackets() -> None:
    """The issue's own spellings, "Cơ quan / Đơn vị xử lý", "Kênh thực hiện / Hình thức nộp",
    and a header explained in brackets, name their column; parts naming different columns
    do not."""
    from tthc.report._intake import map_header

    header = ",".join(
        [
            "Mã hồ sơ",
            "Lĩnh vực",
            "Kênh thực hiện / Hình thức nộp",
            "Ngày tiếp nhận (dd/mm/yyyy)",
            "Trạng thái",
            "Ngày hẹn trả [dd/mm/yyyy]",
            "Ngày trả kết quả / Ngày kết thúc xử lý",
            "Cơ quan / Đơn vị xử lý",
            "Mã thủ tục / Mã TTHC",
            "Lĩnh vực / Trạng thái",
        ]
    )
    line = "A,Hộ tịch,Trực tuyến,14/03/2024,Đã trả kết quả,20/03/2024,18/03/2024,UBND,1.001193,x"
    (record,) = read_records(io.StringIO(f"{header}\n{line}\n"))
    assert record.channel is tthc.Channel.ONLINE  # type: ignore[union-attr]
    assert record.finished_at.date() == dt.date(2024, 3, 18)  # type: ignore[union-attr]
    assert record.agency == "UBND"  # type: ignore[union-attr]
    assert record.procedure_code == "1.001193"  # type: ignore[union-attr]
    index, _read, ignored = map_header(header.split(","))
    assert "Lĩnh vực / Trạng thái" in ignored
    assert index["due_at"] == 5


def test_rows_below_a_title_block_keep_their_line_numbers() -> None:
    text = (
        "UBND PHƯỜNG NGHI HƯƠNG;;;;;\n\n"
        "code;domain;channel;received_at;status;due_at\n"
        "A;D;direct;2024-03-04T08:00;processing;2024-03-20\n"
        "B;D;direct;not a date;processing;2024-03-20\n"
    )
    good, bad = read_records(io.StringIO(text))
    assert not isinstance(good, tthc.RowRejectedError)
    assert isinstance(bad, tthc.RowRejectedError)
    assert (bad.line, bad.column) == (5, "received_at")


def test_a_repeated_header_is_refused_naming_both_positions() -> None:
    text = "code,domain,channel,received_at,status,due_at,Code\n"
    with pytest.raises(InputFormatError, match=r"column 7.*column 1"):
        list(read_records(io.StringIO(text)))


def test_two_names_of_one_column_read_the_preferred_one() -> None:
    text = (
        "code,domain,channel,received_at,status,due_at,Ngày trả kết quả,Ngày kết thúc xử lý\n"
        "A,D,direct,2024-03-04,completed,2024-03-08,2024-03-07,2024-03-06\n"
    )
    (record,) = read_records(io.StringIO(text))
    assert record.finished_at.date() == dt.date(2024, 3, 6)  # type: ignore[union-attr]


def test_decomposed_labels_count_in_one_group() -> None:
    composed, decomposed = "Hộ tịch", unicodedata.normalize("NFD", "Hộ tịch")
    assert composed != decomposed
    report = build_report(
        io.StringIO(
            HEADER
            + f"\nA,{composed},direct,2024-03-04,processing,2024-03-20\n"
            + f"B,{decomposed},direct,2024-03-04,processing,2024-03-20\n"
        ),
        Q1,
    )
    assert list(report.groups) == [("Hộ tịch",)]


def test_mapping_files_for_columns_statuses_and_domains(tmp_path: Path) -> None:
    columns = tmp_path / "columns.toml"
    columns.write_text('"Số biên nhận" = "code"\n', encoding="utf-8")
    statuses = tmp_path / "status.csv"
    statuses.write_text("Hoàn thành,completed\n12,refused\n", encoding="utf-8")
    domains = tmp_path / "domains.toml"
    domains.write_text('[domains]\n"Đất đai" = "Đất đai – Xây dựng – Đô thị"\n', encoding="utf-8")
    data = tmp_path / "x.csv"
    data.write_text(
        "Số biên nhận,domain,channel,received_at,status,due_at,finished_at\n"
        "A,Đất đai,direct,2024-03-04,Hoàn thành,2024-03-08,2024-03-05\n"
        "B,Đất đai – Xây dựng – Đô thị,direct,2024-03-04,12,2024-03-08,2024-03-05\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.json"
    code = main(
        [
            "report",
            str(data),
            "--period",
            "2024-Q1",
            "--columns",
            str(columns),
            "--status-map",
            str(statuses),
            "--domain-map",
            str(domains),
            "-o",
            str(out),
        ]
    )
    assert code == EXIT_OK
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [g["group"]["domain"] for g in report["groups"]] == ["Đất đai – Xây dựng – Đô thị"]
    assert report["totals"]["resolved_total"] == 2


def test_an_unknown_status_says_which_mapping_to_extend() -> None:
    (rejected,) = rows("A,D,direct,2024-03-04,Hoàn thành gấp,2024-03-08")
    assert isinstance(rejected, tthc.RowRejectedError)
    assert "--status-map" in rejected.reason


# --------------------------------------------------------------------------- encodings and damage


def test_a_legacy_code_page_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(
        (HEADER + "\nA,Ch\xe1ng th\xfcc,direct,2024-03-04,received,2024-03-08\n").encode("latin-1")
    )
    with pytest.raises(InputFormatError, match=r"CSV UTF-8.*--encoding"):
        list(read_records(path))


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib_codec", "idna"])
def test_a_codec_that_reads_no_file_is_refused_by_the_intake_options(codec: str) -> None:
    with pytest.raises(tthc.InvalidInputError, match=f"encoding '{codec}' is not the text enc"):
        IntakeOptions(encoding=codec)


def test_utf16_named_for_a_file_without_a_bom_is_refused_with_the_byte_order(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bare.csv"
    path.write_bytes((HEADER + "\nA,D,direct,2024-03-04,received,2024-03-08\n").encode("utf-16-le"))
    with pytest.raises(InputFormatError, match="give --encoding utf-16-le or utf-16-be"):
        list(read_records(path, intake=IntakeOptions(encoding="utf-16")))


def test_invalid_bytes_late_in_a_file_reject_their_row_only(tmp_path: Path) -> None:
    good = "A-{i},D,direct,2024-03-04,received,2024-03-08\n"
    body = "".join(good.format(i=i) for i in range(5000)).encode()
    bad = b"B-1,D\xff\xfe,direct,2024-03-04,received,2024-03-08\n"
    path = tmp_path / "late.csv"
    path.write_bytes(HEADER.encode() + b"\n" + body + bad + good.format(i="last").encode())
    items = list(read_records(path))
    rejected = [i for i in items if isinstance(i, tthc.RowRejectedError)]
    assert len(items) == 5002
    assert [r.line for r in rejected] == [5002]


def test_a_cell_over_the_limit_rejects_its_row_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tthc.report import _intake

    monkeypatch.setattr(_intake, "MAX_CELL_CHARS", 1000)
    path = tmp_path / "big.csv"
    path.write_text(
        HEADER
        + "\nA,D,direct,2024-03-04,received,2024-03-08\n"
        + "B,"
        + "x" * 5000
        + ",direct,2024-03-04,received,2024-03-08\n"
        + "C,D,direct,2024-03-04,received,2024-03-08\n",
        encoding="utf-8",
    )
    items = list(read_records(path))
    assert [type(i).__name__ for i in items] == [
        "DossierRecord",
        "RowRejectedError",
        "DossierRecord",
    ]
    assert "1,000 characters" in items[1].reason  # type: ignore[union-attr]


def test_ten_megabyte_cells_are_read(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    name = "x" * (9 * 1024 * 1024)
    path.write_text(
        "code,domain,channel,received_at,status,due_at,procedure_name\n"
        f"A,D,direct,2024-03-04,received,2024-03-08,{name}\n",
        encoding="utf-8",
    )
    (record,) = read_records(path)
    assert len(record.procedure_name or "") == len(name)  # type: ignore[union-attr]


def test_a_file_changed_while_read_fails(tmp_path: Path) -> None:
    path = tmp_path / "growing.csv"
    path.write_text(
        HEADER + "\n" + "A-{i},D,direct,2024-03-04,received,2024-03-08\n" * 3, encoding="utf-8"
    )
    items = read_records(path)
    next(items)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("Z,D,direct,2024-03-04,received,2024-03-08\n")
    os.utime(path, ns=(1, 1))
    with pytest.raises(tthc.errors.InputChangedError, match="changed while it was read"):
        list(items)


# --------------------------------------------------------------------------- the command line


def test_no_counted_row_is_exit_3_with_the_period_and_the_data_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q.xlsx"
    code = main(["report", str(DEMO), "--period", "2023-Q1", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == EXIT_EMPTY
    assert not out.exists()
    assert "2023-Q1 (01/01/2023–31/03/2023)" in err
    assert "receipts run from 01/01/2024 to 29/03/2024" in err
    assert main(["report", str(DEMO), "--period", "2023-Q1", "--allow-empty", "-o", str(out)]) == 0
    assert out.exists()


def test_rejections_are_summarised_and_listed_in_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "many.csv"
    lines = [
        f"A-{i},D,{'fax' if i % 2 else 'direct'},2024-03-04,received,2024-03-08" for i in range(40)
    ]
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    listing = tmp_path / "rejected.csv"
    code = main(["report", str(path), "--period", "2024-Q1", "--rejections", str(listing)])
    err = capsys.readouterr().err
    assert code == EXIT_INPUT_PROBLEMS
    assert err.count("\n") < 8  # a summary, not one line per row
    assert "20 × column channel: unknown channel …" in err
    assert "warning: 20 of 40 rows (50.0 %) were rejected" in err
    listed = list(csv.DictReader(listing.open(encoding="utf-8")))
    assert len(listed) == 20
    assert listed[0]["value"] == "fax"
    assert listed[0]["column"] == "channel"


def test_rejection_list_cells_are_neutralised_against_formulas(tmp_path: Path) -> None:
    # Staff open the list in a spreadsheet: a code or value starting with =, +, -, @ must not
    # run as a formula (as in the report's own CSV and XLSX).
    path = tmp_path / "bad.csv"
    rows = [
        "=HYPERLINK(1),D,direct,2024-03-04,+bad,2024-03-08",
        "A-2,D,-fax,2024-03-04,received,",
    ]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    listing = tmp_path / "rejected.csv"
    args = [
        "report",
        str(path),
        "--period",
        "2024-Q1",
        "--allow-empty",
        "-o",
        str(tmp_path / "q.json"),
    ]
    assert main([*args, "--rejections", str(listing)]) == EXIT_INPUT_PROBLEMS
    listed = list(csv.DictReader(listing.open(encoding="utf-8")))
    assert [(r["code"], r["value"]) for r in listed] == [
        ("'=HYPERLINK(1)", "'+bad"),
        ("A-2", "'-fax"),
    ]


@pytest.mark.parametrize(
    ("rejected", "shown"), [(402, "402 of 403 rows (99.8 %)"), (403, "403 of 403 rows (100 %)")]
)  # 99.75… rounds to 99.8 (it was cut to 99.7); 99.95 or more would say 99.9, never 100
def test_the_rejected_share_says_100_percent_only_when_every_row_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rejected: int, shown: str
) -> None:
    # 402 of 403 rejected printed "100% of the rows were rejected" while one row was counted.
    path = tmp_path / "many.csv"
    lines = [
        f"A-{i},D,{'fax' if i < rejected else 'direct'},2024-03-04,received,2024-03-08"
        for i in range(403)
    ]
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    main(
        [
            "report",
            str(path),
            "--period",
            "2024-Q1",
            "--allow-empty",
            "-o",
            str(tmp_path / "q.json"),
        ]
    )
    err = capsys.readouterr().err
    assert f"warning: {shown} were rejected — is this the right file" in err


def test_several_exports_make_one_report_by_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_semicolon(tmp_path / "phuong_a.csv")
    b = write_xlsx(tmp_path / "phuong_b.xlsx")
    out = tmp_path / "both.json"
    code = main(
        [
            "report",
            str(a),
            str(b),
            "--period",
            "2024-Q1",
            "--by",
            "unit",
            "--unit-of",
            f"{b}=UBND phường B",
            "--no-duplicate-check",
            "-o",
            str(out),
        ]
    )
    assert code == EXIT_OK
    data = json.loads(out.read_text(encoding="utf-8"))
    units = {g["group"]["unit"]: g["received_total"] for g in data["groups"]}
    assert units == {"phuong_a": 403, "UBND phường B": 403}
    assert len(data["sources"]) == 2


def test_merge_of_two_halves_equals_the_report_of_the_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = DEMO.read_text(encoding="utf-8-sig").splitlines()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("\n".join(lines[:200]) + "\n", encoding="utf-8")
    second.write_text("\n".join([lines[0], *lines[200:]]) + "\n", encoding="utf-8")
    for name in ("a", "b"):
        assert (
            main(
                [
                    "report",
                    str(tmp_path / f"{name}.csv"),
                    "--period",
                    "2024-Q1",
                    "--unit",
                    f"phường {name}",
                    "-o",
                    str(tmp_path / f"{name}.json"),
                ]
            )
            == EXIT_OK
        )
    merged = tmp_path / "merged.json"
    code = main(
        [
            "merge",
            str(tmp_path / "a.json"),
            str(tmp_path / "b.json"),
            "--unit",
            "UBND thị xã Cửa Lò",
            "-o",
            str(merged),
        ]
    )
    assert code == EXIT_OK
    whole = build_report(DEMO, Q1)
    got = tthc.Report.from_dict(json.loads(merged.read_text(encoding="utf-8")))
    assert got.groups == whole.groups
    assert got.unit == "UBND thị xã Cửa Lò"
    by_unit = tmp_path / "by_unit.json"
    assert (
        main(
            [
                "merge",
                str(tmp_path / "a.json"),
                str(tmp_path / "b.json"),
                "--by",
                "unit",
                "-o",
                str(by_unit),
            ]
        )
        == EXIT_OK
    )
    units = [g["group"]["unit"] for g in json.loads(by_unit.read_text(encoding="utf-8"))["groups"]]
    assert units == ["phường a", "phường b"]


def test_merge_names_the_report_that_differs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, period in (("a", "2024-Q1"), ("b", "2024-Q2")):
        main(
            [
                "report",
                str(DEMO),
                "--period",
                period,
                "--allow-empty",
                "-o",
                str(tmp_path / f"{name}.json"),
            ]
        )
    code = main(["merge", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert code == EXIT_USAGE
    assert f"{tmp_path / 'b.json'} differs" in capsys.readouterr().err


def test_merge_names_the_json_grouped_differently_not_the_csv_inside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It named the CSV the report was built from (…/ho_so_q1.csv), not the JSON argument.
    by_domain, by_channel = tmp_path / "rep.json", tmp_path / "rep_ch.json"
    report = ["report", str(DEMO), "--period", "2024-Q1"]
    assert main([*report, "-o", str(by_domain)]) == EXIT_OK
    assert main([*report, "--by", "channel", "-o", str(by_channel)]) == EXIT_OK
    capsys.readouterr()
    assert main(["merge", str(by_domain), str(by_channel)]) == EXIT_USAGE
    assert capsys.readouterr().err == (
        f"tthc merge: error: {by_channel}: grouped by channel, so it cannot be regrouped by "
        "domain\n"
    )


def test_a_row_without_due_date_or_limit_is_rejected_unless_the_catalogue_is_asked() -> None:
    header = "code,domain,channel,received_at,status,procedure_code"
    line = "A,D,direct,2024-03-04T16:00:00+07:00,processing,1.001193"
    with pytest.raises(tthc.InputFormatError, match="--limits-from-catalogue"):
        list(read_records(io.StringIO(f"{header}\n{line}\n")))
    (rejected,) = list(read_records(io.StringIO(f"{header},due_at\n{line},\n")))
    assert isinstance(rejected, tthc.RowRejectedError)
    assert rejected.column == "due_at"
    assert "--limits-from-catalogue" in str(rejected)
    for text in (f"{header}\n{line}\n", f"{header},due_at\n{line},\n"):
        (record,) = list(
            read_records(io.StringIO(text), intake=IntakeOptions(catalogue_limits=True))
        )
        # 1.001193: "Trong ngày; after 15:00 the next working day" — received 16:00 on Monday.
        assert record.due_at == dt.datetime(  # type: ignore[union-attr]
            2024, 3, 5, 17, 0, tzinfo=tthc.VN_TZ
        )
    unknown = f"{header}\nA,D,direct,2024-03-04T16:00:00+07:00,processing,9.999999\n"
    (rejected,) = list(
        read_records(io.StringIO(unknown), intake=IntakeOptions(catalogue_limits=True))
    )
    assert isinstance(rejected, tthc.RowRejectedError)
    assert "catalogue knows" in str(rejected)


def test_two_wards_exporting_the_same_file_name_are_not_counted_as_one_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each ward exports ho_so_q1.csv into its own folder: --by unit counted them as one row.
    paths = []
    for ward in ("a", "b"):
        (tmp_path / ward).mkdir()
        path = tmp_path / ward / "ho_so_q1.csv"
        path.write_text(f"{HEADER}\n{ward}-1,D,direct,2024-03-04,received,2024-03-08\n", "utf-8")
        paths.append(str(path))
    out = tmp_path / "q1.csv"
    assert main(["report", *paths, "--period", "2024-Q1", "--by", "unit", "-o", str(out)]) == 2
    assert "would both be counted as the unit 'ho_so_q1'" in capsys.readouterr().err
    assert not out.exists()
    named = [f"--unit-of={p}={w}" for p, w in zip(paths, ("A", "B"), strict=True)]
    assert (
        main(["report", *paths, "--period", "2024-Q1", "--by", "unit", *named, "-o", str(out)]) == 0
    )
    reports = []
    for path in paths:
        reports.append(str(Path(path).with_suffix(".json")))
        assert main(["report", path, "--period", "2024-Q1", "-o", reports[-1]]) == 0
    capsys.readouterr()
    assert main(["merge", *reports, "--by", "unit", "-o", str(tmp_path / "m.csv")]) == 2
    assert "would both be counted as the unit 'ho_so_q1'" in capsys.readouterr().err


def test_merging_reports_of_different_cut_offs_names_the_file_and_both_periods(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.csv"
    path.write_text(f"{HEADER}\nA-1,D,direct,2024-03-04,received,2024-03-08\n", "utf-8")
    cut, plain = tmp_path / "cut.json", tmp_path / "plain.json"
    args = ["report", str(path), "--period", "2024-Q1", "--unit", "X"]
    assert main([*args, "--official-cutoff", "-o", str(cut)]) == 0
    assert main([*args, "-o", str(plain)]) == 0
    capsys.readouterr()
    assert main(["merge", str(cut), str(plain), "-o", str(tmp_path / "m.json")]) == 2
    assert (
        f"{plain} differs from {cut} in its period: 2024-Q1 (01/01/2024–31/03/2024) vs "
        "2024-Q1 (15/12/2023–14/03/2024)"
    ) in capsys.readouterr().err


def test_a_fee_written_as_exports_write_it_does_not_reject_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Lệ phí" is recognised in any export, and "Miễn phí" (free) or "50.000đ" rejected the row
    # from the report as well as the index.
    head = "Mã hồ sơ;Lĩnh vực;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;Trạng thái;Lệ phí"
    fees = ["Miễn phí", "50.000đ", "50000 VNĐ", "1.200.000 đồng", "năm chục"]
    rows = [
        f"F-{i};Hộ tịch;Trực tiếp;04/03/2024 08:00;08/03/2024 17:00;Đang xử lý;{fee}"
        for i, fee in enumerate(fees)
    ]
    path = tmp_path / "fee.csv"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    args = [str(path), "--period", "2024-Q1", "--date-format", "dmy", "--format", "json"]
    assert main(["report", *args, "-o", str(tmp_path / "r.json")]) == EXIT_INPUT_PROBLEMS
    err = capsys.readouterr().err
    assert "1 of 5 row(s) rejected" in err
    assert "bad fee 'năm chục'" in err
    index = tmp_path / "i.json"
    assert main(["index", *args, "-o", str(index)]) == EXIT_INPUT_PROBLEMS
    assert "1 of 5 row(s) rejected" in capsys.readouterr().err


def test_json_records_that_repeat_a_key_or_nest_a_value_are_rejected_not_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # json kept the last of two "code" values (J-2 vanished) and counted ["X"] as a domain.
    rest = '"channel": "online", "received_at": "2024-03-04T08:00", "status": "received", "due_at": "2024-03-08"'
    lines = [
        f'{{"code": "J-2", "domain": "D", {rest}, "code": "J-3"}}',
        f'{{"code": "J-4", "domain": ["X"], {rest}}}',
        f'{{"code": "J-5", "domain": "D", {rest}, "notes": {{"a": 1, "a": 2}}}}',  # not read
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "q.json"
    assert main(["report", str(path), "--period", "2024-Q1", "-o", str(out)]) == EXIT_INPUT_PROBLEMS
    err = capsys.readouterr().err
    assert "line 1, column 'code': the key 'code' is given twice in this record" in err
    assert "line 2, column 'domain': 'domain' holds an array, not a value" in err
    assert json.loads(out.read_text("utf-8"))["rows_counted"] == 1
    portal = tmp_path / "portal.json"
    portal.write_text('[{"MaHoSo": "P-6", "MaHoSo": "P-7"}]', encoding="utf-8")
    assert main(["report", str(portal), "--period", "2024-Q1", "-o", str(out)]) == EXIT_EMPTY
    assert "the key 'MaHoSo' is given twice" in capsys.readouterr().err


def test_a_python_row_that_is_not_a_mapping_says_so() -> None:
    report = tthc.build_report(["notamapping", 42], "2024-Q1", check_duplicates=False)
    assert [r.reason.split(":")[0] for r in report.rejections] == ["not a row", "not a row"]


def test_a_workbook_is_read_from_its_first_visible_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A hidden first sheet (lookups) was read, and the table reported as missing its columns.
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "Danh mục"
    hidden.append(["Mã", "Tên"])
    hidden.sheet_state = "hidden"
    data = book.create_sheet("Hồ sơ")
    data.append(["code", "domain", "channel", "received_at", "status", "due_at"])
    data.append(["A-1", "D", "online", "2024-03-04T08:00", "received", "2024-03-08"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    out = tmp_path / "q.json"
    assert main(["report", str(path), "--period", "2024-Q1", "--verbose", "-o", str(out)]) == 0
    assert "sheet 'Hồ sơ'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [("dd/mm/yyyy", "resolved_on_time"), ("dd/mm/yyyy hh:mm", "resolved_late")],
)
def test_a_due_date_typed_as_a_date_in_a_workbook_is_the_end_of_that_day(
    tmp_path: Path, number_format: str, expected: str
) -> None:
    """A cell formatted to show a date alone holds a date alone (openpyxl gives it as
    midnight): as a due date it ends at the end of that day, as the same date in a CSV does.
    A cell that shows its time (00:00) is that instant."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "domain", "channel", "received_at", "status", "due_at", "finished_at"])
    sheet.append(
        [
            "X-1",
            "Hộ tịch",
            "direct",
            dt.datetime(2024, 3, 1, 8),
            "returned",
            dt.datetime(2024, 3, 6),
            dt.datetime(2024, 3, 6, 10),
        ]
    )
    sheet["F2"].number_format = number_format
    path = tmp_path / "due.xlsx"
    book.save(path)
    totals = tthc.build_report(path, "2024-Q1").totals
    assert getattr(totals, expected) == 1


def test_blank_rows_hold_no_record_in_a_csv_as_in_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Blank lines and rows of empty cells under the table (what Excel writes for formatted
    empty rows) were rejected in a CSV ("empty row", exit 1, "bị loại: 3" on the form) and
    skipped in the same sheet as XLSX: they are skipped in both now."""
    openpyxl = pytest.importorskip("openpyxl")
    header = ["code", "domain", "channel", "received_at", "status", "due_at"]
    row = ["A-1", "Hộ tịch", "online", "2024-03-04T08:00", "processing", "2024-03-08"]
    csv_path = tmp_path / "q1.csv"
    csv_path.write_text(
        ";".join(header) + "\n" + ";".join(row) + "\n;;;;;\n  ;\t;;;;\n\n\n", encoding="utf-8"
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    sheet.append(row)
    sheet.append([None] * 6)
    sheet.append(["  ", None, None, None, None, None])
    xlsx_path = tmp_path / "q1.xlsx"
    book.save(xlsx_path)
    for path in (csv_path, xlsx_path):
        out = tmp_path / f"{path.suffix[1:]}.json"
        assert main(["report", str(path), "--period", "2024-Q1", "-o", str(out)]) == 0
        report = json.loads(out.read_text(encoding="utf-8"))
        assert (report["rows_read"], report["rows_rejected"]) == (1, 0)
    assert "rejected" not in capsys.readouterr().err


def test_a_delimiter_the_first_line_does_not_hold_names_the_one_it_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--delimiter ,`` on a semicolon file read every line as one cell, skipped three as a
    title and reported the last data row as the header."""
    path = tmp_path / "q1.csv"
    path.write_text(
        "code;domain;channel;received_at;status;due_at\n"
        + "".join(
            f"A-{i};Hộ tịch;online;2024-03-04T08:00;processing;2024-03-08\n" for i in range(3)
        ),
        encoding="utf-8",
    )
    args = ["report", str(path), "--period", "2024-Q1", "--format", "json", "-o", os.devnull]
    assert main([*args, "--delimiter", ","]) == 2
    err = capsys.readouterr().err
    assert "the file seems separated by ';'; give --delimiter ';'" in err
    assert main([*args, "--delimiter", ";"]) == 0


def test_mapping_files_and_merged_reports_refuse_what_would_lose_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Hộ tịch" = "" counted rows as "not given", around the required-domain rejection; a
    # report whose JSON repeats a group had one copy dropped silently.
    path = tmp_path / "x.csv"
    path.write_text(f"{HEADER}\nA-1,Hộ tịch,direct,2024-03-04,received,2024-03-08\n", "utf-8")
    domains = tmp_path / "linh_vuc.toml"
    domains.write_text('"Hộ tịch" = ""\n', encoding="utf-8")
    args = ["report", str(path), "--period", "2024-Q1", "-o", str(tmp_path / "q.json")]
    assert main([*args, "--domain-map", str(domains)]) == EXIT_USAGE
    assert "both sides must be given" in capsys.readouterr().err
    assert main([*args, "--unit", "X"]) == EXIT_OK
    data = json.loads((tmp_path / "q.json").read_text("utf-8"))
    data["groups"] = data["groups"] * 2
    (tmp_path / "twice.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["merge", str(tmp_path / "twice.json"), "-o", str(tmp_path / "m.json")]) == 2
    assert "group 'Hộ tịch' is given twice" in capsys.readouterr().err


def test_a_column_map_entry_the_file_does_not_have_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sbn.csv"
    path.write_text(
        "Số biên nhận,domain,channel,received_at,status,due_at\n"
        "A-1,D,online,2024-03-04T08:00,received,2024-03-08\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "cot.toml"
    mapping.write_text('"So bien nhan" = "code"\n"Nope" = "domain"\n', encoding="utf-8")
    args = ["report", str(path), "--period", "2024-Q1", "--columns", str(mapping)]
    assert main([*args, "-o", str(tmp_path / "q.json")]) == EXIT_OK
    err = capsys.readouterr().err
    assert f"warning: --columns maps 'Nope', which {path} has no header for" in err
    assert "So bien nhan" not in err


def test_a_title_block_of_label_and_value_rows_is_skipped_and_a_wrong_header_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Từ ngày:,01/01/2024" was taken for the header: "missing required column(s)" for a file
    # that has them all, without saying which row was read.
    path = tmp_path / "title2.csv"
    path.write_text(
        "DANH SÁCH HỒ SƠ,\nTừ ngày:,01/01/2024\n" + HEADER
        + "\nA-1,D,online,2024-03-04T08:00,received,2024-03-08\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "q.json"
    assert main(["report", str(path), "--period", "2024-Q1", "-o", str(out)]) == EXIT_OK
    assert json.loads(out.read_text("utf-8"))["rows_read"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã hồ sơ,Lĩnh vực,Kênh,Ngày tiếp nhận,Trạng thái,Ghi chú\n", encoding="utf-8")
    assert main(["report", str(bad), "--period", "2024-Q1", "-o", str(out)]) == EXIT_USAGE
    assert (
        f"{bad}, header read at line 1 ('Mã hồ sơ', 'Lĩnh vực', 'Kênh', 'Ngày tiếp nhận', …): "
        "missing required column(s)"
    ) in capsys.readouterr().err


def test_unit_of_names_an_input_however_its_path_is_written_and_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for ward in ("a", "b"):
        Path(f"{ward}.csv").write_text(
            f"{HEADER}\n{ward}-1,D,direct,2024-03-04,received,2024-03-08\n", "utf-8"
        )
    args = ["report", "a.csv", "b.csv", "--period", "2024-Q1", "--by", "unit", "-o", "q.csv"]
    assert main([*args, "--unit-of", "./a.csv=A", "--unit-of", "b.csv=B"]) == EXIT_OK
    assert main([*args, "--unit-of", "a.csv=A", "--unit-of", "./a.csv=B"]) == EXIT_USAGE
    assert "--unit-of names a.csv twice ('A' and 'B')" in capsys.readouterr().err


def test_a_workbook_read_as_csv_and_a_too_wide_row_are_named_for_what_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(f"{HEADER}\nA-1,D,online,2024-03-04T08:00,received,2024-03-08,extra\n", "utf-8")
    out = tmp_path / "q.json"
    assert main(["report", str(wide), "--period", "2024-Q1", "--allow-empty", "-o", str(out)]) == 1
    assert "rejected line 2, code 'A-1': 7 cells but the header has 6 columns" in (
        capsys.readouterr().err
    )
    book = write_xlsx(tmp_path / "book.xlsx")
    args = ["report", str(book), "--input-format", "csv", "--period", "2024-Q1", "-o", str(out)]
    assert main(args) == EXIT_USAGE
    assert "a zip file (an XLSX workbook?), not csv" in capsys.readouterr().err
