"""Write the demo dossiers as a ward office really exports them, and check each export gives the
same report as the interchange CSV.

The bundled example (ward Nghi Hương, Q1 2024, 403 dossiers) is in the interchange format. Ward
offices hold other shapes of the same data; this script writes four of them:

* ``ho_so_q1.csv`` — "CSV UTF-8" as Excel saves it in a Vietnamese locale: a byte-order mark,
  semicolons, Vietnamese headers, dates as dd/mm/yyyy HH:mm:ss, channels and statuses in words,
  and a row number (STT) column that the report does not use;
* ``ho_so_q1.xlsx`` — the same table as a workbook, dates typed as Excel dates;
* ``ho_so_q1_unicode.txt`` — Excel's "Unicode Text": UTF-16 with a byte-order mark, tabs;
* ``ho_so_q1_portal.json`` — the national portal's dossier records (MaHoSo, TrangThaiHoSo …),
  instants as yyyyMMddHHmmss, channel and status as the portal's codes.

For the roll-up of wards it also writes ``phuong_nghi_thu_q1.csv``, an illustrative second
ward made from every other demo dossier under the ward's own codes, exported by software that
names the domains more shortly ("Hộ tịch", "Đất đai") and separates cells with commas.

Run it as ``python examples/make_office_exports.py FOLDER`` to keep the files in FOLDER (the
documentation's screenshots are made from them); without FOLDER they are written to a temporary
folder that is removed at the end. The XLSX file needs ``pip install "tthc[xlsx]"`` and is
skipped, with a message, without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import tthc

DEMO = files("tthc.report") / "data" / "nghi_huong_2024q1.csv"
PERIOD = "2024-Q1"

HEADERS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục",
    "Mã TTHC",
    "Lĩnh vực",
    "Hình thức nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Đơn vị xử lý",
)
"""The headers of a one-stop office's export, in its order (the reader maps them by name)."""
DATE_COLUMNS = {6: "received_at", 7: "due_at", 8: "finished_at"}
"""Positions in HEADERS of the instants, and the interchange column each one holds."""

CHANNEL_WORDS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính (công ích)"}
STATUS_WORDS = {
    "received": "Mới tiếp nhận",
    "processing": "Đang xử lý",
    "supplement_requested": "Chờ bổ sung",
    "paused": "Tạm dừng",
    "completed": "Đã giải quyết",
    "returned": "Đã trả kết quả",
    "refused": "Từ chối",
    "withdrawn": "Rút hồ sơ",
}
PORTAL_CHANNELS = {"direct": "1", "online": "2", "postal": "3"}
PORTAL_STATUSES = {
    "received": "2",
    "processing": "4",
    "supplement_requested": "5",
    "paused": "6",
    "withdrawn": "7",
    "completed": "9",
    "returned": "10",
    "refused": "11",
}
"""The portal's KenhThucHien and TrangThaiHoSo codes (tthc.portal.DEFAULT_STATUS_MAP, whose
numbering is not confirmed)."""


def demo_rows() -> list[dict[str, str]]:
    """The bundled dossiers, with the appointment (due instant) an office's export carries.

    The interchange file gives each dossier's time limit; an office's software prints the
    appointment computed from it, as ``tthc.due_at`` does.
    """
    rows = list(csv.DictReader(io.StringIO(DEMO.read_text(encoding="utf-8-sig"))))
    for row in rows:
        received = dt.datetime.fromisoformat(row["received_at"])
        row["due_at"] = tthc.due_at(received, row["time_limit"]).isoformat()
    return rows


def local(iso: str) -> dt.datetime | None:
    """An ISO instant as the naive wall-clock time (UTC+7) an office's export shows."""
    if not iso:
        return None
    return dt.datetime.fromisoformat(iso).astimezone(tthc.VN_TZ).replace(tzinfo=None)


def dmy(iso: str) -> str:
    """dd/mm/yyyy HH:mm:ss, as a Vietnamese-locale spreadsheet writes a date and time."""
    instant = local(iso)
    return instant.strftime("%d/%m/%Y %H:%M:%S") if instant else ""


def office_row(number: int, row: dict[str, str]) -> list[str]:
    """One dossier as a row of HEADERS, every cell as text."""
    return [
        str(number),
        row["code"],
        row["procedure_name"],
        row["procedure_code"],
        row["domain"],
        CHANNEL_WORDS[row["channel"]],
        dmy(row["received_at"]),
        dmy(row["due_at"]),
        dmy(row["finished_at"]),
        STATUS_WORDS[row["status"]],
        row["agency"],
    ]


def write_semicolon_csv(rows: list[dict[str, str]], path: Path) -> Path:
    """Excel's "CSV UTF-8" in a Vietnamese locale: BOM, semicolons, dd/mm/yyyy."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(office_row(i, r) for i, r in enumerate(rows, start=1))
    return path


def write_utf16_tab(rows: list[dict[str, str]], path: Path) -> Path:
    """Excel's "Unicode Text": UTF-16 little-endian with a BOM, tab-separated."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(office_row(i, r) for i, r in enumerate(rows, start=1))
    path.write_bytes(buffer.getvalue().encode("utf-16"))
    return path


def write_xlsx(
    rows: list[dict[str, str]], path: Path, *, dates_as_text: bool = False
) -> Path | None:
    """The table as a workbook, instants typed as Excel dates (or, ``dates_as_text``, as
    dd/mm/yyyy text, as some software fills a sheet); None without openpyxl."""
    try:
        from openpyxl import Workbook
    except ImportError:
        print("skipped the XLSX export: pip install 'tthc[xlsx]' for it", file=sys.stderr)
        return None
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách hồ sơ"
    sheet.append(list(HEADERS))
    for number, row in enumerate(rows, start=1):
        cells: list[object] = list(office_row(number, row))
        cells[0] = number
        if not dates_as_text:
            for position, column in DATE_COLUMNS.items():
                cells[position] = local(row[column])
        sheet.append(cells)
        for position in DATE_COLUMNS:
            cell = sheet.cell(row=number + 1, column=position + 1)
            cell.number_format = "@" if dates_as_text else "dd/mm/yyyy hh:mm"
    widths = (5, 28, 50, 10, 26, 14, 17, 17, 17, 15, 24)
    for letter, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(path)
    return path


def portal_record(row: dict[str, str]) -> dict[str, object]:
    """One dossier as the national portal's record (the fields the report reads)."""

    def instant(iso: str) -> str | None:
        moment = local(iso)
        return moment.strftime(tthc.portal.PORTAL_INSTANT_FORMAT) if moment else None

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
        "NgayTra": instant(row["finished_at"]) if row["status"] == "returned" else None,
        "TrangThaiHoSo": PORTAL_STATUSES[row["status"]],
    }


def write_portal_json(rows: list[dict[str, str]], path: Path) -> Path:
    """The portal's records as one JSON array."""
    records = [portal_record(r) for r in rows]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


SECOND_WARD = "UBND phường Nghi Thu"
SECOND_WARD_ID = "000.25.32.H40"  # illustrative, in the Decree 118 Art. 28 format
SHORT_DOMAINS = {"Tư pháp – Hộ tịch": "Hộ tịch", "Đất đai – Xây dựng – Đô thị": "Đất đai"}


def second_ward_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every other demo dossier as ward Nghi Thu's: its codes, its agency, short domains."""
    ward = []
    for row in rows[1::2]:
        rest = row["code"].partition("-")[2]  # the date and the number of the dossier
        ward.append(
            {
                **row,
                "code": f"{SECOND_WARD_ID}-{rest}",
                "agency": SECOND_WARD,
                "domain": SHORT_DOMAINS.get(row["domain"], row["domain"]),
            }
        )
    return ward


def write_comma_csv(rows: list[dict[str, str]], path: Path) -> Path:
    """Another office's CSV: UTF-8 without a BOM, commas, dd/mm/yyyy."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(office_row(i, r) for i, r in enumerate(rows, start=1))
    return path


def write_exports(folder: Path) -> list[Path]:
    """Write the four exports of the demo dossiers into ``folder``; the paths written (and the
    second ward's export, ``phuong_nghi_thu_q1.csv``)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = demo_rows()
    write_comma_csv(second_ward_rows(rows), folder / "phuong_nghi_thu_q1.csv")
    written = [
        write_semicolon_csv(rows, folder / "ho_so_q1.csv"),
        write_xlsx(rows, folder / "ho_so_q1.xlsx"),
        write_utf16_tab(rows, folder / "ho_so_q1_unicode.txt"),
        write_portal_json(rows, folder / "ho_so_q1_portal.json"),
    ]
    return [path for path in written if path is not None]


def check(paths: list[Path]) -> None:
    """Each export gives exactly the interchange CSV's report, with no reading options."""
    expected = tthc.build_report(io.StringIO(DEMO.read_text(encoding="utf-8-sig")), PERIOD)
    for path in paths:
        report = tthc.build_report(path, PERIOD)
        assert report.rows_rejected == 0, (path.name, report.rejections[:3])
        assert report.groups == expected.groups, path.name
        (source,) = report.sources
        print(f"{source.describe()}: {report.rows_counted} dossiers, same report")
    second_ward = paths[0].with_name("phuong_nghi_thu_q1.csv")
    second = tthc.build_report(second_ward, PERIOD)
    assert (second.rows_counted, second.rows_rejected) == (expected.rows_counted // 2, 0)
    print(f"{second_ward}: {second.rows_counted} dossiers of a second ward")


def main(argv: list[str]) -> None:
    """Write the exports (into argv[1], else a temporary folder) and check them."""
    if len(argv) > 1:
        check(write_exports(Path(argv[1])))
        return
    with tempfile.TemporaryDirectory() as folder:
        check(write_exports(Path(folder)))


if __name__ == "__main__":
    main(sys.argv)
