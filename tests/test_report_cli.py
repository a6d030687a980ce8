"""``tthc report`` and ``tthc demo``: outputs, exit statuses, standard error."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tthc.cli import main

HEADER = "code,domain,channel,received_at,status,due_at,finished_at"
ROWS = [
    "A-1,Hộ tịch,online,2024-01-03T08:00:00,returned,2024-01-05T17:00:00,2024-01-04T09:00:00",
    "A-2,Đất đai,direct,2024-02-20T08:00:00,processing,2024-04-20T17:00:00,",
    "A-3,Hộ tịch,postal,2024-03-10T08:00:00,completed,2024-03-12T17:00:00,2024-03-14T09:00:00",
]
BAD = "A-4,Hộ tịch,fax,2024-03-10T08:00:00,processing,2024-03-12T17:00:00,"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "dossiers.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_table_to_stdout_exit_0(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "report", str(data), "--period", "2024-Q1")
    assert code == 0
    assert "Quý I năm 2024 (Q1 2024)" in out
    assert err == ""


def test_json_output_file_and_grouping(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "r.json"
    code, out, _ = run(
        capsys,
        "report",
        str(data),
        "--period",
        "2024-Q1",
        "--by",
        "domain,channel",
        "-o",
        str(out_file),
    )
    assert code == 0
    assert out == ""
    data_out = json.loads(out_file.read_text(encoding="utf-8"))
    assert data_out["group_by"] == ["domain", "channel"]
    t = data_out["totals"]
    assert (
        t["received_total"],
        t["resolved_early"],
        t["resolved_late"],
        t["pending_within_time"],
    ) == (3, 1, 1, 1)


def test_format_from_suffix_and_csv_bom(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "r.csv"
    assert run(capsys, "report", str(data), "--period", "2024-Q1", "-o", str(out_file))[0] == 0
    raw = out_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[-1][0] == "Tổng cộng (Total)"


def test_rejected_rows_exit_1_with_report_written(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with data.open("a", encoding="utf-8") as handle:
        handle.write(BAD + "\n")
    out_file = tmp_path / "r.md"
    code, _out, err = run(capsys, "report", str(data), "--period", "2024-Q1", "-o", str(out_file))
    assert code == 1
    assert out_file.read_text(encoding="utf-8").startswith("# Biểu số 06/VPCP/KSTT")
    assert "rejected line 5, code 'A-4', column 'channel': unknown channel 'fax'" in err
    assert "1 of 4 row(s) rejected" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "{data}"],  # no period
        ["report", "{data}", "--period", "2024-Q9"],
        ["report", "{data}", "--period", "2024-Q1", "--from", "2024-01-01", "--to", "2024-01-31"],
        ["report", "{data}", "--from", "2024-01-01", "--to", "2024-01-31", "--official-cutoff"],
        ["report", "{data}", "--period", "2024-Q1", "--by", "colour"],
        ["report", "{missing}", "--period", "2024-Q1"],
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.format(data=data, missing=data.with_name("nope.csv")) for a in argv]
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert "error" in err


def test_argparse_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "x.csv", "--format", "pdf"]) == 2


def test_missing_columns_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("code,domain\nA,B\n", encoding="utf-8")
    code, _out, err = run(capsys, "report", str(path), "--period", "2024")
    assert code == 2
    assert "missing required column" in err


def test_from_to_official_and_withdrawn(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "report",
        str(data),
        "--from",
        "2024-03-01",
        "--to",
        "2024-03-31",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["totals"]["carried_over"] == 1  # A-2, received in February
    code, out, _ = run(
        capsys, "report", str(data), "--period", "2024-Q1", "--official-cutoff", "--format", "json"
    )
    assert json.loads(out)["period"]["last_day"] == "2024-03-14"
    # A-3 (finished 14/3 09:00) is inside the cut-off period: resolved, late
    assert json.loads(out)["totals"]["resolved_late"] == 1
    assert json_report(capsys, data, "--withdrawn", "exclude")["policy"]["withdrawn"] == "exclude"


def json_report(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> Any:
    """``tthc report PATH --period 2024-Q1 OPTIONS --format json``, parsed (exit status 0)."""
    code, out, _ = run(
        capsys, "report", str(path), "--period", "2024-Q1", *options, "--format", "json"
    )
    assert code == 0
    return json.loads(out)


def test_repeated_supplement_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "supplements.csv"
    path.write_text(
        HEADER + ",supplement_requests\n" + ROWS[0] + ",2\n" + ROWS[1] + ",3\n",
        encoding="utf-8",
    )
    assert json_report(capsys, path)["totals"]["resolved_early"] == 1
    data = json_report(capsys, path, "--repeated-supplement", "late")
    assert data["policy"]["repeated_supplement"] == "late"
    assert (data["totals"]["resolved_early"], data["totals"]["resolved_late"]) == (0, 1)
    assert data["totals"]["pending_within_time"] == 1  # A-2, pending: not affected
    _code, out, _ = run(
        capsys, "report", str(path), "--period", "2024-Q1", "--repeated-supplement", "late"
    )
    assert "more than one supplement request is counted late" in out


def test_jsonl_and_stdin(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = HEADER.split(",")
    jsonl = tmp_path / "d.ndjson"
    jsonl.write_text(
        "\n".join(json.dumps(dict(zip(names, r.split(","), strict=True))) for r in ROWS) + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "report", str(jsonl), "--period", "2024-Q1", "--format", "json")
    assert code == 0
    assert json.loads(out)["rows_read"] == 3
    monkeypatch.setattr(sys, "stdin", io.StringIO(data.read_text(encoding="utf-8")))
    code, out, _ = run(capsys, "report", "-", "--period", "2024-Q1", "--format", "json")
    assert code == 0
    assert json.loads(out)["source"] == "<stdin>"


def test_demo_reproduces_the_founding_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--format", "json")
    assert code == 0
    assert err == ""
    data = json.loads(out)
    groups = {g["group"]["domain"]: g for g in data["groups"]}
    assert {k: v["received_total"] for k, v in groups.items()} == {
        "Đất đai – Xây dựng – Đô thị": 107,
        "Tư pháp – Hộ tịch": 286,
        "Chính sách xã hội": 10,
    }
    t = data["totals"]
    assert t["received_total"] == t["resolved_total"] == 403
    assert t["resolved_late"] == t["pending_total"] == t["pending_overdue"] == 0
    assert t["on_time_rate"] == 1.0
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert "UBND phường Nghi Hương" in out


def test_xlsx_and_html_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = tmp_path / "q1.xlsx"
    assert run(capsys, "demo", "-o", str(xlsx))[0] == 0
    assert xlsx.read_bytes().startswith(b"PK")  # a zip container
    code, out, _ = run(capsys, "demo", "--format", "html")
    assert code == 0
    assert "<html" in out


def test_duplicates_beyond_codes_in_memory_go_to_spill_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("\n".join([HEADER, *ROWS, ROWS[0], ROWS[2]]) + "\n", encoding="utf-8")
    spill = tmp_path / "spill"
    spill.mkdir()
    argv = ["report", str(path), "--period", "2024-Q1", "--format", "json"]
    code, out, err = run(capsys, *argv, "--codes-in-memory", "1", "--spill-dir", str(spill))
    assert code == 1
    report = json.loads(out)
    assert [(r["line"], r["column"]) for r in report["rejections"]] == [(5, "code"), (6, "code")]
    assert "duplicate code" in err
    assert list(spill.iterdir()) == []  # the temporary file is gone
    code, out, _ = run(capsys, *argv, "--no-duplicate-check")
    assert code == 0
    assert json.loads(out)["rows_counted"] == 5


@pytest.mark.parametrize("value", ["0", "many"])
def test_codes_in_memory_must_be_a_positive_number(
    data: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(data), "--period", "2024-Q1", "--codes-in-memory", value]) == 2
    assert "--codes-in-memory" in capsys.readouterr().err


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_for_large_inputs(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc._cli import _report as cli_report
    from tthc.report import _report as report_module

    monkeypatch.setattr(cli_report, "LARGE_INPUT_BYTES", 1)
    monkeypatch.setattr(report_module, "_PROGRESS_EVERY", 1)
    terminal = _FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["report", str(data), "--period", "2024-Q1"]) == 0
    shown = terminal.getvalue()
    assert "\r[" in shown
    assert "100.0%" in shown
    assert "3 rows" in shown
    assert shown.endswith("\r")  # the line is cleared at the end
    assert "Quý I năm 2024" in capsys.readouterr().out


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc._cli import _report as cli_report

    monkeypatch.setattr(cli_report, "LARGE_INPUT_BYTES", 1)
    assert main(["report", str(data), "--period", "2024-Q1"]) == 0
    assert capsys.readouterr().err == ""


def test_output_to_a_device_or_a_name_without_suffix_needs_format(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["report", str(data), "--period", "2024-Q1", "--format", "json", "-o", os.devnull])
        == 0
    )
    assert os.path.exists(os.devnull)
    assert not os.path.isfile(os.devnull)  # written to, never replaced
    bare = tmp_path / "report"
    assert main(["report", str(data), "--period", "2024-Q1", "-o", str(bare)]) == 2
    assert "needs --format" in capsys.readouterr().err
    assert not bare.exists()
    assert (
        main(["report", str(data), "--period", "2024-Q1", "--format", "csv", "-o", str(bare)]) == 0
    )
    assert bare.read_text(encoding="utf-8-sig").startswith("Lĩnh vực")


def test_an_output_file_keeps_its_permissions(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "q1.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o640)
    assert main(["report", str(data), "--period", "2024-Q1", "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert json.loads(out.read_text(encoding="utf-8"))["period"]["code"] == "2024-Q1"


def test_rejections_are_not_printed_twice_on_a_terminal(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    text = data.read_text(encoding="utf-8")
    bad.write_text(
        text + "Z-9,Hộ tịch,fax,2024-03-04T08:00:00+07:00,processing,2024-03-06\n", "utf-8"
    )
    assert main(["report", str(bad), "--period", "2024-Q1"]) == 1
    out, err = capsys.readouterr()
    assert "'fax'" in err
    assert "'fax'" not in out  # the table on standard output leaves them to standard error
    table = tmp_path / "q1.txt"
    assert main(["report", str(bad), "--period", "2024-Q1", "-o", str(table)]) == 1
    assert "'fax'" in table.read_text(encoding="utf-8")  # a file keeps them


def test_auto_engine_keeps_a_file_with_rejected_rows_on_the_streaming_path(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("duckdb")
    from tthc._cli import _report
    from tthc.report import IntakeOptions

    monkeypatch.setattr(_report, "COLUMNAR_MIN_BYTES", 0)
    assert _report.choose_engine("auto", [str(data)], IntakeOptions())[0] == "columnar"
    bad = tmp_path / "bad.csv"
    text = data.read_text(encoding="utf-8")
    bad.write_text(
        text + "Z-9,Hộ tịch,fax,2024-03-04T08:00:00+07:00,processing,2024-03-06\n", "utf-8"
    )
    engine, why = _report.choose_engine("auto", [str(bad)], IntakeOptions())
    assert engine == "streaming"
    assert "is rejected" in why


def test_a_parquet_file_goes_to_the_columnar_engine_whatever_its_size(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A small Parquet file under --engine auto was given to the streaming reader, which took
    # it for UTF-16 text without a byte-order mark (exit 2 with a wrong reason).
    duckdb = pytest.importorskip("duckdb")
    parquet = tmp_path / "dossiers.parquet"
    duckdb.sql(
        f"SELECT * FROM read_csv('{data}', all_varchar = true, header = true)"
    ).write_parquet(str(parquet))
    out = tmp_path / "q1.json"
    args = ["report", str(parquet), "--period", "2024-Q1", "--format", "json"]
    assert main([*args, "--verbose", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "engine columnar: " in err
    assert "is a Parquet file" in err
    csv_out = tmp_path / "csv.json"
    assert (
        main(["report", str(data), "--period", "2024-Q1", "--format", "json", "-o", str(csv_out)])
        == 0
    )
    assert (
        json.loads(out.read_text("utf-8"))["totals"]
        == json.loads(csv_out.read_text("utf-8"))["totals"]
    )
    capsys.readouterr()
    assert main([*args, "--engine", "streaming"]) == 2
    assert "only the columnar engine reads: use --engine columnar" in capsys.readouterr().err
    assert main([*args, "--list", "received_total"]) == 2
    assert "which does not read Parquet" in capsys.readouterr().err


def test_the_streaming_reader_refuses_a_parquet_file_by_its_first_bytes(tmp_path: Path) -> None:
    from tthc.errors import InputFormatError
    from tthc.report import read_records

    disguised = tmp_path / "dossiers.csv"
    disguised.write_bytes(b"PAR1" + bytes(range(256)) * 4)
    with pytest.raises(InputFormatError, match="a Parquet file, which this reader does not read"):
        list(read_records(disguised))


def test_a_table_written_to_a_file_takes_the_default_width_not_the_terminals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without $COLUMNS a table written with -o used the 80-column fallback of a missing
    # terminal, while the docs (and render()) say 100.
    from tthc.report import DEFAULT_WIDTH, display_width

    monkeypatch.delenv("COLUMNS", raising=False)
    out = tmp_path / "q1.txt"
    assert main(["demo", "-o", str(out)]) == 0
    widths = [display_width(line) for line in out.read_text("utf-8").splitlines()]
    assert max(widths) == DEFAULT_WIDTH
    monkeypatch.setenv("COLUMNS", "70")
    assert main(["demo", "-o", str(out)]) == 0
    assert max(display_width(line) for line in out.read_text("utf-8").splitlines()) <= 70


def test_ctrl_c_inside_duckdb_is_an_interruption_not_an_internal_error(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # DuckDB turns SIGINT into RuntimeError("Query interrupted"): exit 70 "internal error".
    from tthc._cli import _report
    from tthc.cli import EXIT_INTERRUPTED

    def interrupted(*args: object, **kwargs: object) -> int:
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(_report, "_build_and_write", interrupted)
    assert main(["report", str(data), "--period", "2024-Q1"]) == EXIT_INTERRUPTED
    assert "interrupted; no output was written" in capsys.readouterr().err


def test_every_engine_writes_the_same_report_notes_included(data: Path, tmp_path: Path) -> None:
    # The columnar engine wrote "sources": [] (the form lost its "Nguồn dữ liệu" note) and
    # the dask engine "source": null.
    pytest.importorskip("duckdb")
    pytest.importorskip("dask")
    written = {}
    for engine in ("streaming", "columnar", "dask"):
        out = tmp_path / f"{engine}.json"
        args = ["report", str(data), "--period", "2024-Q1", "--engine", engine, "-o", str(out)]
        assert main(args) == 0
        written[engine] = json.loads(out.read_text("utf-8"))
    assert written["streaming"]["sources"]
    assert written["columnar"] == written["streaming"]
    assert written["dask"] == written["streaming"]
