"""From an office's export to the signed form (issue 12's "done when", docs/export-to-form.md).

tests/test_report_intake.py reads the demo dossiers — all returned on time — in every export
shape. Here the same shapes, written by examples/make_office_exports.py (the script behind the
documentation's screenshots), carry a dataset with every status, late and overdue dossiers and
dossiers carried over from the quarter before, so that each status wording and each portal
status code is read end to end; the XLSX also with its dates typed as text. Then what the page
shows a clerk: what --verbose says was read, the rejection summary with the values to map,
a bad date named as such, a form in Vietnamese only, and the roll-up of halves given in
different shapes.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

import tthc
from tthc.cli import EXIT_INPUT_PROBLEMS, EXIT_OK, EXIT_USAGE, main
from tthc.report import build_report, render

ROOT = Path(__file__).resolve().parent.parent
Q1 = tthc.Period.parse("2024-Q1")


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_office_exports", ROOT / "examples" / "make_office_exports.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXPORTS = _load_example()


def mixed_rows() -> list[dict[str, str]]:
    """The demo dossiers with every status, some late, some still open at the quarter's end,
    some received in the quarter before (deterministic)."""
    rows = EXPORTS.demo_rows()
    for i, row in enumerate(rows):
        if i % 13 == 0:  # received in December: carried over, or finished before the quarter
            shift = dt.timedelta(days=-30)
            for key in ("received_at", "due_at", "finished_at"):
                if row[key]:
                    row[key] = (dt.datetime.fromisoformat(row[key]) + shift).isoformat()
        kind = i % 8
        if kind == 1:
            row.update(status="processing", finished_at="")
        elif kind == 2:
            row.update(status="supplement_requested", finished_at="")
        elif kind == 3:
            row["status"] = "refused"
        elif kind == 4:
            row["status"] = "withdrawn"
        elif kind == 5:
            row["status"] = "completed"
        elif kind == 6:  # finished three days after its due instant
            late = dt.datetime.fromisoformat(row["due_at"]) + dt.timedelta(days=3)
            row["finished_at"] = late.isoformat()
        elif kind == 7:
            row.update(status="received", finished_at="")
    return rows


def write_interchange(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _xlsx_text_dates(rows: list[dict[str, str]], path: Path) -> Path | None:
    return EXPORTS.write_xlsx(rows, path, dates_as_text=True)  # type: ignore[no-any-return]


SHAPES: dict[str, Callable[[list[dict[str, str]], Path], Path | None]] = {
    "semicolon_dmy.csv": EXPORTS.write_semicolon_csv,
    "comma_no_bom.csv": EXPORTS.write_comma_csv,
    "excel_dates.xlsx": EXPORTS.write_xlsx,
    "text_dates.xlsx": _xlsx_text_dates,
    "unicode_text.txt": EXPORTS.write_utf16_tab,
    "portal_records.json": EXPORTS.write_portal_json,
}


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> tthc.Report:
    path = write_interchange(mixed_rows(), tmp_path_factory.mktemp("x") / "interchange.csv")
    report = build_report(path, Q1)
    t = report.totals
    # The dataset exercises every part of the form; otherwise the comparison proves little.
    assert report.rows_rejected == 0
    assert min(t.carried_over, t.resolved_late, t.pending_within_time, t.pending_overdue) > 0
    assert min(t.resolved_early, t.resolved_on_time, t.received_online) > 0
    assert report.rows_outside_period > 0
    return report


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_export_shape_of_every_status_gives_the_interchange_numbers(
    name: str, tmp_path: Path, expected: tthc.Report
) -> None:
    path = SHAPES[name](mixed_rows(), tmp_path / name)
    assert path is not None
    got = build_report(path, Q1)
    assert got.rows_rejected == 0, got.rejections[:3]
    assert got.groups == expected.groups
    assert (got.rows_read, got.rows_outside_period) == (
        expected.rows_read,
        expected.rows_outside_period,
    )


@pytest.mark.parametrize("name", ["semicolon_dmy.csv", "text_dates.xlsx", "portal_records.json"])
def test_the_command_line_with_no_reading_flags_gives_the_same_form(
    name: str, tmp_path: Path, expected: tthc.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    path = SHAPES[name](mixed_rows(), tmp_path / name)
    out = tmp_path / "q1.json"
    assert main(["report", str(path), "--period", "2024-Q1", "-o", str(out)]) == EXIT_OK
    got = tthc.Report.from_dict(json.loads(out.read_text(encoding="utf-8")))
    assert got.groups == expected.groups


def test_utf16_without_a_byte_order_mark_is_refused_with_the_encoding_to_give(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_bom = EXPORTS.write_utf16_tab(EXPORTS.demo_rows(), tmp_path / "with_bom.txt")
    data = with_bom.read_bytes()
    assert data[:2] == b"\xff\xfe"
    bare = tmp_path / "no_bom.txt"
    bare.write_bytes(data[2:])
    out = tmp_path / "q1.json"
    assert main(["report", str(bare), "--period", "2024-Q1", "-o", str(out)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "without a byte-order mark" in err
    assert "--encoding utf-16-le" in err
    assert "Traceback" not in err
    assert not out.exists()
    args = ["report", str(bare), "--encoding", "utf-16-le", "--period", "2024-Q1", "-o", str(out)]
    assert main(args) == EXIT_OK
    assert json.loads(out.read_text(encoding="utf-8"))["totals"]["received_total"] == 403


def test_verbose_says_which_header_was_read_as_which_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = EXPORTS.write_semicolon_csv(EXPORTS.demo_rows(), tmp_path / "ho_so_q1.csv")
    code = main(["report", str(path), "--period", "2024-Q1", "--verbose", "-o", "-"])
    err = capsys.readouterr().err
    assert code == EXIT_OK
    assert "csv, utf-8-sig, delimiter ';', dates day/month/year" in err
    assert "Mã hồ sơ → code" in err
    assert "Ngày hẹn trả → due_at" in err
    assert "not used: STT" in err


def test_the_rejection_summary_shows_the_values_a_mapping_must_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = EXPORTS.demo_rows()
    path = EXPORTS.write_semicolon_csv(rows, tmp_path / "ho_so_q1.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    for n in range(10, 400, 9):  # 44 rows with a wording the reader does not know
        lines[n] = lines[n].replace("Đã trả kết quả", "Đã có kết quả")
    lines[45] = lines[45].replace(lines[45].split(";")[6], "30/02/2024 08:15:00")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    listing = tmp_path / "loai.csv"
    args = ["report", str(path), "--period", "2024-Q1", "-o", str(tmp_path / "q1.json")]
    assert main([*args, "--rejections", str(listing)]) == EXIT_INPUT_PROBLEMS
    err = capsys.readouterr().err
    assert "45 of 403 row(s) rejected" in err
    assert "44 × column status: unknown status …" in err
    assert "(value 'Đã có kết quả'; line 11, 20, 29, 38, 47, …)" in err
    assert "not a real date and time (read as day/month/year" in err
    assert "(value '30/02/2024 08:15:00'; line 46)" in err
    assert len(list(csv.DictReader(listing.open(encoding="utf-8")))) == 45

    status_map = tmp_path / "trang_thai.toml"
    status_map.write_text('"Đã có kết quả" = "returned"\n', encoding="utf-8")
    assert main([*args, "--status-map", str(status_map)]) == EXIT_INPUT_PROBLEMS
    err = capsys.readouterr().err
    assert "1 of 403 row(s) rejected" in err


def test_a_form_in_vietnamese_only_has_no_english_note() -> None:
    report = tthc.demo_report()
    assert report.calendar_notices
    assert report.calendar_notices.startswith("official notices")
    for fmt in ("html", "md", "table"):
        text = render(report, fmt, options=tthc.report.FormOptions(lang="vi"))
        assert "official notices" not in text, fmt
        assert "thông báo nghỉ lễ, Tết công bố đến ngày" in text, fmt
    assert "official notices" in render(report, "md", options=tthc.report.FormOptions(lang="en"))


def test_halves_exported_in_different_shapes_merge_into_the_whole(
    tmp_path: Path, expected: tthc.Report, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = mixed_rows()
    first = EXPORTS.write_xlsx(rows[:200], tmp_path / "phuong_a.xlsx")
    second = EXPORTS.write_portal_json(rows[200:], tmp_path / "phuong_b.json")
    for path, unit in ((first, "UBND phường A"), (second, "UBND phường B")):
        args = ["report", str(path), "--period", "2024-Q1", "--unit", unit]
        assert main([*args, "-o", str(tmp_path / f"{path.stem}.report.json")]) == EXIT_OK
    merged = tmp_path / "merged.json"
    reports = [str(tmp_path / "phuong_a.report.json"), str(tmp_path / "phuong_b.report.json")]
    assert main(["merge", *reports, "--unit", "UBND thị xã", "-o", str(merged)]) == EXIT_OK
    got = tthc.Report.from_dict(json.loads(merged.read_text(encoding="utf-8")))
    assert got.groups == expected.groups
    assert got.unit == "UBND thị xã"

    both = tmp_path / "both.json"
    args = ["report", str(first), str(second), "--period", "2024-Q1", "-o", str(both)]
    assert main(args) == EXIT_OK
    got = tthc.Report.from_dict(json.loads(both.read_text(encoding="utf-8")))
    assert got.groups == expected.groups
