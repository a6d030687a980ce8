"""Regression tests for issue 11's list of crashes and losses: each case of the list, reproduced
with one row or one argument and run through :func:`tthc.cli.main` in-process (signals in a real
process), ends in a documented exit status with a one-line message naming the row, column or
parameter; no exception escapes; the input is byte-identical afterwards; an output is whole or
absent.

The dossier replay's cases (a bad dossier among good ones, out-of-range instants and
``--as-of``, nesting inside a line, SIGTERM with spill files, a file changed while read) are in
``tests/test_dossier_replay_cli.py``; random inputs in ``tests/test_fuzz_cli.py``.
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tthc.cli import (
    DEBUG_ENVIRONMENT_VARIABLE,
    EXIT_EMPTY,
    EXIT_INPUT_PROBLEMS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
    main,
)
from tthc.errors import ReportError, TthcError
from tthc.report import FORMATS, MAX_CELL_CHARS, Report, build_report

HEADER = (
    "code,domain,channel,received_at,status,due_at,finished_at,agency,procedure_code,"
    "time_limit,supplement_requests"
)
GOOD = {
    "code": "A-1",
    "domain": "Hộ tịch",
    "channel": "online",
    "received_at": "2024-01-10T08:00:00+07:00",
    "status": "completed",
    "due_at": "2024-01-15T17:00:00+07:00",
    "finished_at": "2024-01-12T10:00:00+07:00",
    "agency": "UBND phường Nghi Hương",
    "procedure_code": "1.004873",
    "time_limit": "03 ngày làm việc",
    "supplement_requests": "",
}
SUFFIXES = {
    "table": ".txt",
    "csv": ".csv",
    "json": ".json",
    "md": ".md",
    "xlsx": ".xlsx",
    "html": ".html",
}
DUCKDB = importlib.util.find_spec("duckdb") is not None


def csv_row(**changes: str) -> str:
    values = {**GOOD, **changes}
    return ",".join(values[name] for name in HEADER.split(","))


def export(*rows: str) -> str:
    """An interchange CSV: the header, a good row (line 2), then ``rows`` (line 3 on)."""
    return "\n".join([HEADER, csv_row(), *rows]) + "\n"


def jsonl_row(**changes: str) -> str:
    return json.dumps({k: v for k, v in {**GOOD, **changes}.items() if v}, ensure_ascii=False)


@dataclass
class Run:
    status: int
    out: str
    err: str

    def line(self) -> str:
        """The one line a usage error prints."""
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        return lines[0]

    def rejected(self) -> str:
        """The line of standard error listing the one rejected row."""
        lines = [x for x in self.err.splitlines() if ": rejected line " in x]
        assert len(lines) == 1, self.err
        return lines[0]


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path, inputs: Sequence[Path] = ()) -> Run:
    """``tthc ARGS`` in-process: no exception may escape, no traceback may be printed, and the
    ``inputs`` are byte-identical afterwards."""
    before = {path: path.read_bytes() for path in inputs}
    capsys.readouterr()
    try:
        status = main([str(a) for a in args])
    except BaseException as exc:  # the boundary must catch everything
        pytest.fail(f"{type(exc).__name__} escaped tthc.cli.main: {exc!r}")
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    for path, data in before.items():
        assert path.read_bytes() == data, f"{path} changed"
    return Run(status, captured.out, captured.err)


def write(path: Path, body: str | bytes) -> Path:
    path.write_bytes(body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body)
    return path


def report_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    counts = [data[k] for k in ("rows_counted", "rows_outside_period", "rows_rejected")]
    assert data["rows_read"] == sum(counts)
    return data


def one_rejected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str | bytes, *extra: str
) -> tuple[str, dict[str, Any]]:
    """Report on ``body`` (a CSV or, given ``--input-format jsonl``, JSON lines): exit 1, the
    report written counting the good row, the one rejected row's line of standard error."""
    path = write(tmp_path / "in.csv", body)
    out = tmp_path / "out.json"
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, *extra, inputs=[path])
    assert run.status == EXIT_INPUT_PROBLEMS, run.err
    data = report_of(out)
    assert (data["rows_counted"], data["rows_rejected"]) == (1, 1)
    return run.rejected(), data


# --------------------------------------------------------------------------- instants


@pytest.mark.parametrize("column", ["received_at", "due_at", "finished_at"])
@pytest.mark.parametrize("instant", ["9999-12-31T23:00:00+00:00", "0001-01-01T05:00+09:00"])
def test_an_offset_pushing_an_instant_past_9999_or_before_1_rejects_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, column: str, instant: str
) -> None:
    message, _ = one_rejected(capsys, tmp_path, export(csv_row(code="B-1", **{column: instant})))
    assert f"line 3, code 'B-1', column '{column}'" in message
    assert instant in message


@pytest.mark.parametrize("received", ["9999-12-31T23:00:00+00:00", "0001-01-01T05:00+09:00"])
def test_an_out_of_range_instant_argument_names_its_parameter(
    capsys: pytest.CaptureFixture[str], received: str
) -> None:
    run = cli(capsys, "due", received, "03 ngày làm việc")
    assert run.status == EXIT_USAGE
    assert run.line().startswith(f"tthc due: error: RECEIVED={received[:16]}")


# --------------------------------------------------------------------------- time limits


@pytest.mark.parametrize(
    ("limit", "reason"),
    [
        ("100000 tháng", "more than 120 months (10 years)"),
        ("1000000000 ngày", "a number of 10 digits"),
        ("9" * 5000 + " ngày làm việc", "a number of 5,000 digits"),
    ],
)
def test_a_time_limit_whose_arithmetic_would_overflow_rejects_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, limit: str, reason: str
) -> None:
    row = csv_row(code="B-1", due_at="", time_limit=limit)
    message, _ = one_rejected(capsys, tmp_path, export(row))
    assert "line 3, code 'B-1', column 'time_limit'" in message
    assert reason in message
    assert len(message) < 400  # a 5,000-digit value is quoted cut


def test_a_receipt_on_9999_12_31_plus_three_days_rejects_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    row = csv_row(code="B-1", received_at="9999-12-31T08:00:00", due_at="", finished_at="")
    message, _ = one_rejected(capsys, tmp_path, export(row))
    assert "line 3, code 'B-1', column 'received_at'" in message
    assert "outside the years 1901–2100" in message


@pytest.mark.parametrize("limit", ["1000000000 ngày", "100000 tháng", "9" * 5000 + " ngày"])
def test_tthc_due_names_the_time_limit_it_refuses(
    capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    run = cli(capsys, "due", "2024-02-07 10:00", limit)
    assert run.status == EXIT_USAGE
    message = run.line()
    assert "time limit" in message
    assert "n=" not in message
    assert "2024-02-07" not in message


def test_a_due_date_past_the_calendar_names_the_limit_not_an_internal_parameter(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The due date of a receipt on 30/12/2100 falls in 2101, past the calendar's years; the
    # message says n=2100-12-30 (the calendar's internal parameter, with the receipt's date).
    run = cli(capsys, "due", "2100-12-30 10:00", "30 ngày làm việc")
    assert run.status == EXIT_USAGE
    assert "n=" not in run.line()


def test_a_huge_integer_in_supplement_requests_rejects_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    row = csv_row(code="B-1", supplement_requests="9" * 5000)
    message, streaming = one_rejected(capsys, tmp_path, export(row))
    assert "line 3, code 'B-1', column 'supplement_requests'" in message
    assert "at most 999" in message
    if DUCKDB:  # the columnar path counts the same file the same way
        _, columnar = one_rejected(capsys, tmp_path, export(row), "--engine", "columnar")
        assert columnar["rows_rejected"] == streaming["rows_rejected"] == 1
        assert columnar["totals"] == streaming["totals"]


# --------------------------------------------------------------------------- typos in years


def test_a_resolved_row_received_in_year_1024_rejects_only_that_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    row = csv_row(code="B-1", received_at="1024-01-10T08:00:00+07:00")
    message, _ = one_rejected(capsys, tmp_path, export(row))
    assert "line 3, code 'B-1', column 'received_at'" in message
    assert "1024-01-10" in message


# --------------------------------------------------------------------------- text hygiene

CONTROLS = "\x00\x01\x07\x1b[31m\x1f\x7f"
RAW = "\x00\x01\x07\x1b\x1f\x7f"


def test_control_characters_in_cells_and_unit_render_visibly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    row = csv_row(
        code=f"B{CONTROLS}1",
        domain=f"Hộ{CONTROLS} tịch",
        agency=f"UBND{CONTROLS}",
        procedure_code=f"1.{CONTROLS}2",
    )
    path = write(tmp_path / "in.csv", export(row))
    unit = f"Phường{CONTROLS} X"
    base = ["report", path, "--period", "2024-Q1", "--unit", unit]
    for by in ("domain", "agency,procedure"):
        xlsx = tmp_path / "out.xlsx"
        run = cli(capsys, *base, "--by", by, "-o", xlsx, inputs=[path])
        assert run.status == EXIT_OK, run.err
        book = openpyxl.load_workbook(xlsx)
        cells = [str(c.value) for sheet in book for r in sheet.iter_rows() for c in r if c.value]
        assert any("Phường␀␁␇␛[31m␟␡ X" in c for c in cells)
        wanted = "Hộ␀␁␇␛[31m␟␡ tịch" if by == "domain" else "UBND␀␁␇␛[31m␟␡"
        assert any(wanted in c for c in cells), cells
        table = cli(capsys, *base, "--by", by, inputs=[path])
        assert table.status == EXIT_OK
        assert not any(c in table.out for c in RAW)
        assert "Phường␀␁␇␛[31m␟␡ X" in table.out
        for fmt in ("md", "html"):
            text = cli(capsys, *base, "--by", by, "--format", fmt, inputs=[path]).out
            assert not any(c in text for c in RAW), fmt
    # The code itself appears in rejections and lists: escaped there too.
    duplicate = write(tmp_path / "dup.csv", export(row, row))
    run = cli(capsys, "report", duplicate, "--period", "2024-Q1", inputs=[duplicate])
    assert run.status == EXIT_INPUT_PROBLEMS
    assert "\x1b" not in run.err
    listed = cli(capsys, "report", path, "--period", "2024-Q1", "--list", "received_total")
    assert listed.status == EXIT_OK
    assert "\x1b" not in listed.out
    assert "B␀␁␇␛[31m␟␡1" in listed.out


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md", "xlsx", "html"])
def test_the_service_index_renders_any_text_in_every_format(fmt: str) -> None:
    # Found by the fuzz suite: the index's JSON kept lone surrogates raw, so writing it failed.
    from tthc.index import INDEX_FORMATS, build_index, render_index

    assert fmt in INDEX_FORMATS
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    names = ["X\ud800", f"Y{CONTROLS}", "=cmd", "\u202e"]
    rows = [{**GOOD, "code": f"A-{i}", "agency": name} for i, name in enumerate(names)]
    index = build_index(rows, "2024-Q1", group_by="agency", unit="U\ud800\x1b")
    out = render_index(index, fmt)
    if isinstance(out, str):
        out.encode("utf-8")
        if fmt != "json":  # JSON keeps the data exact, escaped by JSON itself
            assert not any(c in out for c in RAW)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_lone_surrogate_in_json_lines_is_rejected_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    body = jsonl_row() + "\n" + jsonl_row(code="B-1").replace("Hộ tịch", "\\ud800") + "\n"
    path = write(tmp_path / "in.jsonl", body)
    out = tmp_path / f"out{SUFFIXES[fmt]}"
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, inputs=[path])
    assert run.status == EXIT_INPUT_PROBLEMS
    assert "rejected line 2" in run.rejected()
    assert "lone surrogate" in run.rejected()
    assert out.stat().st_size > 0


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_invalid_utf8_is_refused_naming_where_or_rejects_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    if suffix == ".csv":
        good = [csv_row(code=f"P-{i}") for i in range(700)]  # past the 64 KiB sniffed
        head, tail = HEADER + "\n", "\n".join(good) + "\n"
        bad = csv_row(code="B-1", domain="H\udcff\udcfe").encode("utf-8", "surrogateescape")
    else:
        good = [jsonl_row(code=f"P-{i}") for i in range(700)]
        head, tail = "", "\n".join(good) + "\n"
        bad = jsonl_row(code="B-1", domain="H\udcff").encode("utf-8", "surrogateescape")
    # Near the start: the file is not UTF-8 (cp1258?), refused naming the byte's offset.
    path = write(tmp_path / f"early{suffix}", head.encode() + bad + b"\n" + tail.encode())
    run = cli(capsys, "report", path, "--period", "2024-Q1", inputs=[path])
    assert run.status == EXIT_USAGE
    message = run.line()
    assert "not UTF-8 text (byte 0xff at offset" in message
    assert "line 2" in message if suffix == ".csv" else "line 1" in message
    # Far into the file: the row is rejected with its line; the others are counted.
    path = write(tmp_path / f"late{suffix}", head.encode() + tail.encode() + bad + b"\n")
    out = tmp_path / "out.json"
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, inputs=[path])
    assert run.status == EXIT_INPUT_PROBLEMS
    line = 702 if suffix == ".csv" else 701
    assert f"rejected line {line}" in run.rejected()
    assert "not valid text" in run.rejected()
    assert report_of(out)["rows_counted"] == 700


@pytest.mark.parametrize("command", ["report", "index"])
def test_invalid_bytes_in_the_first_rows_of_a_file_with_a_bom_reject_their_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    # Found by the fuzz suite: a BOM says UTF-8, so the file is read and invalid bytes reject
    # their row; but those decoded with the header were missed, the row counted with lone
    # surrogates in its domain (and tthc index then failed to write its output).
    bad = csv_row(code="B-1").encode().replace("Hộ".encode(), b"H\x80\x93")
    body = b"\xef\xbb\xbf" + export().encode() + bad + b"\n"
    path = write(tmp_path / "in.csv", body)
    out = tmp_path / "out.json"
    run = cli(capsys, command, path, "--period", "2024-Q1", "-o", out, inputs=[path])
    assert run.status == EXIT_INPUT_PROBLEMS, run.err
    assert "rejected line 3: cell 2 holds bytes that are not valid text" in run.rejected()
    assert "\\udc80" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("offset", [9_000, 60_000])
def test_invalid_utf8_anywhere_in_the_first_64_kib_refuses_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, offset: int
) -> None:
    # Found by the fuzz suite: the encoding was decided on the first 8 KiB only (the read
    # buffer), so a cp1258 byte at 9 KB rejected a row instead of refusing the file.
    rows = [csv_row(code=f"P-{i}") for i in range(offset // 190 + 1)]
    head = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    bad = csv_row(code="B-1", domain="Hộ tịch").encode().replace("ộ".encode(), b"\xf4")
    path = write(tmp_path / "in.csv", head + bad + b"\n" + csv_row(code="C-1").encode() + b"\n")
    run = cli(capsys, "report", path, "--period", "2024-Q1", inputs=[path])
    assert run.status == EXIT_USAGE
    assert f"line {len(rows) + 2}); save it as 'CSV UTF-8'" in run.line()
    assert "--encoding cp1258" in run.line()


@pytest.mark.parametrize("command", ["report", "index"])
@pytest.mark.parametrize("order", ["le", "be"])
def test_encoding_utf16_on_utf16_without_a_bom_is_an_input_error_with_the_byte_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, order: str
) -> None:
    # It was an internal error (exit 70): "UTF-16 stream does not start with BOM".
    path = write(tmp_path / "in.csv", export().encode(f"utf-16-{order}"))
    args = [command, path, "--period", "2024-Q1", "--encoding", "utf-16"]
    run = cli(capsys, *args, inputs=[path])
    assert run.status == EXIT_USAGE, run.err
    assert run.line() == (
        f"tthc {command}: error: {path}: cannot be read as utf-16: UTF-16 stream does not start "
        "with BOM; give --encoding utf-16-le or utf-16-be for UTF-16 without a byte-order mark"
    )
    out = tmp_path / "out.json"
    run = cli(capsys, *args[:-1], f"utf-16-{order}", "-o", out, inputs=[path])
    assert run.status == EXIT_OK, run.err  # the fix the message gives works


@pytest.mark.parametrize("command", ["report", "index"])
@pytest.mark.parametrize(
    "codec", ["rot13", "hex", "base64", "idna", "punycode", "uu", "zlib_codec", "bz2_codec"]
)
def test_an_encoding_no_file_is_written_in_is_refused_naming_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, codec: str
) -> None:
    # They were internal errors (exit 70): "'rot13' is not a text encoding; use codecs.open()",
    # "Unsupported error handling replace" (idna), a UnicodeDecodeError (punycode).
    path = write(tmp_path / "in.csv", export())
    run = cli(capsys, command, path, "--period", "2024-Q1", "--encoding", codec, inputs=[path])
    assert run.status == EXIT_USAGE, run.err
    assert run.line().startswith(
        f"tthc {command}: error: --encoding {codec}: not the text encoding of a file"
    )
    assert "e.g. cp1258 or utf-16-le" in run.line()


def test_an_unknown_encoding_is_refused_naming_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "in.csv", export())
    run = cli(capsys, "report", path, "--period", "2024-Q1", "--encoding", "utf-99")
    assert run.status == EXIT_USAGE
    assert run.line().startswith("tthc report: error: --encoding utf-99: no such encoding;")


def test_the_not_utf8_hint_offers_the_byte_order_of_utf16_not_utf16_with_a_bom(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # "--encoding utf-16" fails on UTF-16 without a BOM (and one with a BOM is detected).
    bad = csv_row(code="B-1").encode().replace("ộ".encode(), b"\xf4")
    path = write(tmp_path / "in.csv", HEADER.encode() + b"\n" + bad + b"\n")
    run = cli(capsys, "report", path, "--period", "2024-Q1", inputs=[path])
    assert run.status == EXIT_USAGE
    assert "--encoding utf-16-le (UTF-16 without a byte-order mark" in run.line()
    assert "--encoding utf-16 " not in run.line()
    assert not run.line().endswith("utf-16")


@pytest.mark.parametrize("command", ["report", "index"])
def test_a_decoding_error_past_the_first_bytes_is_an_input_error_naming_the_encoding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """A codec that fails while rows are read (not through the reader's error handler) ends
    in exit 2 naming the file and --encoding, not in an internal error."""
    import codecs

    real = codecs.getincrementaldecoder("cp1258")

    class Failing(real):  # type: ignore[misc, valid-type]
        """cp1258 that fails past the first 64 KiB (what the reader sniffs)."""

        seen = 0

        def decode(self, data: bytes, final: bool = False) -> str:
            self.seen += len(data)
            if self.seen > 100_000:
                raise UnicodeError("cannot decode this part")
            return str(super().decode(data, final))

    info = codecs.lookup("cp1258")
    failing = codecs.CodecInfo(
        info.encode, info.decode, incrementaldecoder=Failing, name="failing-cp1258"
    )

    def search(name: str) -> codecs.CodecInfo | None:
        return failing if name == "failing_cp1258" else None

    rows = [csv_row(code=f"P-{i}") for i in range(1000)]  # 190 KB
    path = write(tmp_path / "in.csv", "\n".join([HEADER, *rows]) + "\n")
    args = [command, path, "--period", "2024-Q1", "--encoding", "failing-cp1258"]
    codecs.register(search)
    try:
        run = cli(capsys, *args, inputs=[path])
    finally:
        codecs.unregister(search)
    assert run.status == EXIT_USAGE, run.err
    assert run.line() == (
        f"tthc {command}: error: {path}: cannot be read as --encoding failing-cp1258: cannot "
        "decode this part; give the file's text encoding, e.g. cp1258 or utf-16-le"
    )


@pytest.mark.parametrize(
    ("name", "encoding", "padding"),
    [("u16.json", "utf-16", ""), ("u16.jsonl", "utf-16", ""), ("spaced.json", "utf-8", " " * 100)],
    ids=["utf-16", "utf-16 named jsonl", "after 100 spaces"],
)
def test_a_json_array_is_read_as_json_whatever_its_encoding_or_leading_space(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, encoding: str, padding: str
) -> None:
    # Found by the fuzz suite: the format was guessed from the first 64 bytes decoded as
    # UTF-8, so a UTF-16 JSON array, or one after 100 spaces, was read as CSV (or lines).
    records = [json.loads(jsonl_row()), json.loads(jsonl_row(code="B-1"))]
    body = padding + json.dumps(records, ensure_ascii=False, indent=1)
    path = write(tmp_path / name, body.encode(encoding))
    out = tmp_path / "out.json"
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, inputs=[path])
    assert run.status == EXIT_OK, run.err
    assert report_of(out)["rows_counted"] == 2


# --------------------------------------------------------------------------- nesting

NESTED = "[" * 100_000


def test_deeply_nested_json_in_a_report_input_rejects_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = jsonl_row() + "\n" + NESTED + "\n"
    message, _ = one_rejected(capsys, tmp_path, body, "--input-format", "jsonl")
    assert "line 2" in message
    assert "nested too deeply" in message
    # A file that starts with the brackets is one JSON array: refused as a whole.
    path = write(tmp_path / "nested.json", NESTED)
    run = cli(capsys, "report", path, "--period", "2024-Q1", inputs=[path])
    assert run.status == EXIT_USAGE
    assert "nested.json: not valid JSON: nested too deeply" in run.line()


def test_deeply_nested_json_in_a_replay_input_rejects_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = '{"dossier": "A", "kind": "received", "at": "2024-03-04T08:00:00"}\n'
    path = write(tmp_path / "events.jsonl", good + NESTED + "\n" + good.replace("A", "B"))
    run = cli(capsys, "dossier", "replay", path, "--format", "jsonl", inputs=[path])
    assert run.status == EXIT_INPUT_PROBLEMS
    # No header line names a dossier before it: the line is a dossier of its own, unnamed.
    assert "rejected line 2, dossier '(unnamed)': not JSON that can be read: nested too deeply" in (
        run.err
    )
    assert [json.loads(x)["code"] for x in run.out.splitlines()] == ["A", "B"]


# --------------------------------------------------------------------------- overlays

OVERLAY = 'name = "Phường X"\nsource = "Quyết định 1/QĐ-UBND"\n'
DAY = '[[days]]\ndate = {}\nkind = "day_off"\n'


BAD_OVERLAYS: list[tuple[str, str | bytes, str]] = [
    # (file name, content, what the message must name)
    ("deep.json", NESTED, "deep.json"),
    ("deep.toml", "a = " + NESTED, "deep.toml"),
    ("through.toml", OVERLAY + "official_through = 99999\n" + DAY.format("2024-03-08"),
     "official_through"),
    ("latin.toml", b'name = "Ph\xffng"\n' + DAY.format("2024-03-08").encode(), "latin.toml"),
    ("typo.toml", OVERLAY + DAY.format("2024-03-08") + 'sesions = ["07:30-11:30"]\n', "sesions"),
    ("huge.json", '{"official_through": ' + "9" * 5000 + "}", "more than 4,300 digits"),
    ("y1.toml", OVERLAY + DAY.format("0001-03-08"), "y1.toml"),
    ("y1800.toml", OVERLAY + DAY.format("1800-03-08"), "y1800.toml"),
    ("y9999.toml", OVERLAY + DAY.format("9999-03-08"), "y9999.toml"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "body", "named"),
    [pytest.param(*case, id=case[0]) for case in BAD_OVERLAYS],
)
@pytest.mark.parametrize("command", ["calendar", "due"])
def test_a_bad_overlay_file_is_refused_naming_it(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    body: str | bytes,
    named: str,
    command: str,
) -> None:
    path = write(tmp_path / name, body)
    args = ["calendar", "2024"] if command == "calendar" else ["due", "2024-03-07", "2 ngày"]
    run = cli(capsys, *args, "--overlay", path, inputs=[path])
    assert run.status == EXIT_USAGE
    assert named in run.line()


def test_a_good_overlay_file_is_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "ward.toml", OVERLAY + DAY.format("2024-03-08"))
    run = cli(capsys, "calendar", "2024", "--overlay", path, inputs=[path])
    assert run.status == EXIT_OK
    assert "08/03/2024" in run.out


# --------------------------------------------------------------------------- cells and headers


def test_a_200_kb_cell_is_counted_by_every_engine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "in.csv", export(csv_row(code="B-1", agency="x" * 200_000)))
    out = tmp_path / "out.json"
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, inputs=[path])
    assert run.status == EXIT_OK, run.err
    streaming = report_of(out)
    assert streaming["rows_counted"] == 2
    if DUCKDB:
        from tthc.report import build_report_columnar

        columnar = build_report_columnar(path, "2024-Q1", fallback=False)  # DuckDB itself
        assert (columnar.rows_read, columnar.rows_counted) == (2, 2)
        assert columnar.to_dict()["totals"] == streaming["totals"]


def test_a_cell_over_the_limit_rejects_its_row_not_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    row = csv_row(code="B-1", agency="x" * (MAX_CELL_CHARS + 1))
    message, _ = one_rejected(capsys, tmp_path, export(row))
    assert "line 3" in message
    assert f"more than {MAX_CELL_CHARS:,} characters" in message


@pytest.mark.parametrize(
    ("header", "first", "second"),
    [
        (HEADER + ",domain", 2, 12),
        (HEADER.replace("agency", "Domain"), 2, 8),
        (HEADER.replace("domain", "Lĩnh vực").replace("agency", "LINH_VUC"), 2, 8),
    ],
)
def test_a_repeated_header_name_is_refused_naming_both_positions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, header: str, first: int, second: int
) -> None:
    path = write(tmp_path / "in.csv", header + "\n" + csv_row() + "\n")
    run = cli(capsys, "report", path, "--period", "2024-Q1", inputs=[path])
    assert run.status == EXIT_USAGE
    message = run.line()
    assert f"(column {second}) repeats" in message
    assert f"(column {first})" in message


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--from", "2024-01-01", "--to", "9999-12-31"], "last_day (--to) 9999-12-31"),
        (["--from", "0001-01-01", "--to", "2024-12-31"], "first_day (--from) 0001-01-01"),
        (["--period", "99999-Q1"], "'99999-Q1'"),
        (["--period", "2024-Q1", "--unit-of", "x"], "--unit-of 'x'"),
    ],
)
def test_an_out_of_range_argument_is_a_usage_error_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], named: str
) -> None:
    path = write(tmp_path / "in.csv", export())
    run = cli(capsys, "report", path, *args, inputs=[path])
    assert run.status == EXIT_USAGE
    assert named in run.line()


@pytest.mark.parametrize(
    "year",
    [
        "0",
        "99999999999999999999",
        "1800",
    ],
)
def test_tthc_calendar_of_a_year_out_of_range_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], year: str
) -> None:
    run = cli(capsys, "calendar", year)
    assert run.status == EXIT_USAGE
    assert "1901" in run.line()


@pytest.mark.parametrize("name", ["missing.csv", "."])
def test_an_input_that_cannot_be_opened_is_named_without_python_jargon(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli(capsys, "report", name, "--period", "2024-Q1")
    assert run.status == EXIT_USAGE
    reason = "No such file or directory" if name == "missing.csv" else "Is a directory"
    assert run.line() == f"tthc report: error: {name}: {reason}"


def test_a_warning_is_one_line_without_python_file_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Found by the fuzz suite: a report reaching a year after the last official notices printed
    # Python's warning format, the library's file paths and a line of its source code.
    late = {"received_at": "2099-12-28T08:00:00", "status": "processing", "due_at": ""}
    rows = [csv_row(code=f"B-{i}", finished_at="", **late) for i in range(3)]
    path = write(tmp_path / "in.csv", export(*rows))
    run = cli(capsys, "report", path, "--period", "2099-Q4", inputs=[path])
    assert run.status == EXIT_OK, run.err
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("tthc report: warning: a computation reached 2099")
    assert ".py" not in run.err


# --------------------------------------------------------------------------- the library


@pytest.mark.parametrize("source", [None, 3, b"bytes"])
def test_build_report_of_a_wrong_source_names_the_parameter(source: object) -> None:
    with pytest.raises(TthcError, match=r"^source must be a path, an open file or an iterable"):
        build_report(source, "2024-Q1")  # type: ignore[arg-type]


def test_build_report_of_a_wrong_period_names_the_parameter() -> None:
    with pytest.raises(TthcError, match=r"^period must be a tthc.report.Period"):
        build_report([], None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({}, "the key 'period' is missing"),
        ({"period": 1}, "not a report"),
        ({"period": {"first_day": "x"}}, "not a report"),
        ([], "a report is a JSON object, got list"),
        (None, "a report is a JSON object, got NoneType"),
    ],
)
def test_report_from_a_wrong_dict_is_a_report_error(data: Any, match: str) -> None:
    with pytest.raises(ReportError, match=match):
        Report.from_dict(data)


def test_report_from_a_dict_with_a_key_missing_deep_inside_is_a_report_error() -> None:
    r = build_report([{**GOOD, "supplement_requests": None}], "2024-Q1")
    data = r.to_dict()
    assert Report.from_dict(data) == r
    del data["groups"][0]["group"]["domain"]
    with pytest.raises(ReportError, match="the key 'domain' is missing"):
        Report.from_dict(data)
    data = r.to_dict()
    data["rows_read"] = "many"
    with pytest.raises(ReportError, match="rows_read = 'many' is not a whole number"):
        Report.from_dict(data)


# --------------------------------------------------------------------------- outputs


def test_an_output_naming_the_input_is_refused_whatever_its_spelling(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = write(folder / "same.csv", export())
    link = folder / "link.csv"
    os.link(path, link)
    spellings = [path, link, folder / ".." / "data" / "same.csv", Path(os.path.relpath(path))]
    for target in spellings:
        for option in ("-o", "--rejections"):
            args = ["report", path, "--period", "2024-Q1", "--format", "csv", option, target]
            run = cli(capsys, *args, inputs=[path])
            assert run.status == EXIT_USAGE
            assert f"{option} {target} is the input file" in run.line()
    assert sorted(p.name for p in folder.iterdir()) == ["link.csv", "same.csv"]


@pytest.mark.parametrize("command", ["report", "index"])
def test_rejections_naming_the_input_is_refused_naming_rejections_not_o(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    path = write(tmp_path / "in.csv", export())
    args = [command, path, "--period", "2024-Q1", "--format", "csv", "--rejections", path]
    run = cli(capsys, *args, inputs=[path])
    assert run.status == EXIT_USAGE
    assert run.line().startswith(f"tthc {command}: error: --rejections {path} is the input file")
    assert " -o " not in run.line()


@pytest.mark.parametrize("command", ["report", "index", "merge"])
@pytest.mark.parametrize("spelling", ["same", "dot", "symlink", "hardlink"])
def test_one_input_given_twice_is_refused_not_counted_twice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, spelling: str
) -> None:
    # It was counted twice without a word (806 dossiers of 403, exit 0) by report and merge.
    path = write(tmp_path / "in.csv", export())
    if command == "merge":
        path = tmp_path / "q1.json"
        assert (
            main(["report", str(tmp_path / "in.csv"), "--period", "2024-Q1", "-o", str(path)]) == 0
        )
        args: list[str | Path] = ["merge"]
    else:
        args = [command, "--period", "2024-Q1"]
    again = {
        "same": path,
        "dot": f"{tmp_path}/./{path.name}",  # pathlib would drop the "."
        "symlink": tmp_path / f"link{path.suffix}",
        "hardlink": tmp_path / f"hard{path.suffix}",
    }[spelling]
    if spelling == "symlink":
        os.symlink(path, again)
    elif spelling == "hardlink":
        os.link(path, again)
    out = tmp_path / "out.json"
    run = cli(capsys, *args, path, again, "-o", out, inputs=[path])
    assert run.status == EXIT_USAGE, run.err
    what = (
        f"{path} is given twice" if spelling == "same" else f"{path} and {again} are the same file"
    )
    assert run.line() == (
        f"tthc {command}: error: {what}: its dossiers would be counted twice; give each file once"
    )
    assert not out.exists()


def test_a_copy_of_an_input_under_another_name_is_another_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Duplicate codes are checked within each file, not across files (docs/cli.md): a copy
    is read and counted."""
    path = write(tmp_path / "in.csv", export())
    copy = write(tmp_path / "copy.csv", export())
    out = tmp_path / "out.json"
    run = cli(capsys, "report", path, copy, "--period", "2024-Q1", "-o", out, inputs=[path])
    assert run.status == EXIT_OK, run.err
    assert report_of(out)["rows_counted"] == 2


@pytest.mark.parametrize(
    ("command", "extra", "message"),
    [
        ("report", ["--group", "Hộ tịch"], "--group goes with --list CELL (it picks the group"),
        ("report", ["--due-within", "3", "--group", "Hộ tịch"], "--group goes with --list CELL"),
        ("report", ["--as-of", "now"], "--as-of is the instant --due-within judges at"),
        ("report", ["--list", "received_total", "--as-of", "now"], "--as-of is the instant"),
        ("report", ["--list", "received_total", "--due-within", "3"], "give --list or --due-"),
        ("index", ["--group", "Hộ tịch"], "--group goes with --list INDICATOR (it picks"),
    ],
)
def test_a_list_option_that_would_be_ignored_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
    extra: list[str],
    message: str,
) -> None:
    # --group without --list and --as-of without --due-within were silently ignored.
    path = write(tmp_path / "in.csv", export())
    out = tmp_path / "out.json"
    run = cli(capsys, command, path, "--period", "2024-Q1", "-o", out, *extra, inputs=[path])
    assert run.status == EXIT_USAGE, run.err
    assert message in run.line()
    assert not out.exists()


@pytest.mark.parametrize("command", ["report", "index"])
@pytest.mark.parametrize("body", [export(), jsonl_row() + "\n"], ids=["csv", "jsonl"])
def test_sheet_on_an_input_that_is_not_a_workbook_is_refused_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, body: str
) -> None:
    path = write(tmp_path / "in.csv", body)
    args = [command, path, "--period", "2024-Q1", "--sheet", "Sheet1"]
    run = cli(capsys, *args, inputs=[path])
    assert run.status == EXIT_USAGE, run.err
    assert run.line() == (
        f"tthc {command}: error: {path}: a sheet ('Sheet1', --sheet) is asked for, but this is "
        "not an XLSX workbook; leave --sheet out for CSV or JSON input"
    )


@pytest.mark.parametrize("command", ["report", "index", "replay"])
@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_spill_dir_that_is_no_folder_is_refused_before_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, kind: str
) -> None:
    # It was accepted: the error came only if codes spilled, late, or never.
    if command == "replay":
        path = write(tmp_path / "events.jsonl", REPLAY_EVENTS)
        args: list[str | Path] = ["dossier", "replay", path, "--as-of", "2024-03-20T10:00"]
    else:
        path = write(tmp_path / "in.csv", export())
        args = [command, path, "--period", "2024-Q1"]
    spill = tmp_path / "nodir" if kind == "missing" else path
    run = cli(capsys, *args, "--spill-dir", spill, inputs=[path])
    assert run.status == EXIT_USAGE, run.err
    expected = (
        "no such folder; create it or give another" if kind == "missing" else "is not a folder"
    )
    assert f"--spill-dir {spill}" in run.line()
    assert expected in run.line()


REPLAY_EVENTS = (
    '{"dossier": "A-1", "time_limit": "03 ngày làm việc"}\n'
    '{"dossier": "A-1", "kind": "received", "at": "2024-03-04T08:00:00"}\n'
    "not json\n"
)


@pytest.mark.parametrize("command", ["report", "index", "replay"])
@pytest.mark.parametrize("spelling", ["same", "dot", "symlink"])
def test_one_file_given_for_two_outputs_is_refused_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, spelling: str
) -> None:
    """``-o X --rejections X`` wrote the report, then replaced it with the rejected rows (exit
    1); every command that writes two outputs refuses it, through another spelling too."""
    if command == "replay":
        path = write(tmp_path / "events.jsonl", REPLAY_EVENTS)
        args: list[str | Path] = ["dossier", "replay", path, "--as-of", "2024-03-20T10:00"]
    else:
        path = write(tmp_path / "in.csv", export(csv_row(code="A-2", channel="fax")))
        args = [command, path, "--period", "2024-Q1"]
    out = tmp_path / "out.csv"
    other = {"same": out, "dot": f"{tmp_path}/./out.csv", "symlink": tmp_path / "link.csv"}
    if spelling == "symlink":
        os.symlink(out, tmp_path / "link.csv")  # dangling: the output does not exist yet
    run = cli(capsys, *args, "-o", out, "--rejections", other[spelling], inputs=[path])
    assert run.status == EXIT_USAGE, run.err
    given = Path(other[spelling]) if command == "replay" else other[spelling]  # type=Path
    assert f"is given for two outputs (-o {out} and --rejections {given})" in run.line()
    assert not out.exists()


def test_two_outputs_to_a_device_are_allowed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "in.csv", export(csv_row(code="A-2", channel="fax")))
    args = ["report", path, "--period", "2024-Q1", "--format", "csv"]
    run = cli(capsys, *args, "-o", os.devnull, "--rejections", os.devnull, inputs=[path])
    assert run.status == EXIT_INPUT_PROBLEMS, run.err


@pytest.mark.parametrize("command", ["report", "index", "merge"])
def test_an_output_naming_a_mapping_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    mapping = write(tmp_path / "domains.csv", "from,to\nHộ tịch,Tư pháp – Hộ tịch\n")
    if command == "merge":
        report = tmp_path / "q1.json"
        assert (
            main(
                [
                    "report",
                    str(write(tmp_path / "in.csv", export())),
                    "--period",
                    "2024-Q1",
                    "-o",
                    str(report),
                ]
            )
            == EXIT_OK
        )
        args: list[str | Path] = ["merge", report]
    else:
        args = [command, write(tmp_path / "in.csv", export()), "--period", "2024-Q1"]
    run = cli(capsys, *args, "--domain-map", mapping, "-o", mapping, inputs=[mapping])
    assert run.status == EXIT_USAGE, run.err
    assert f"-o {mapping} is the input file {mapping}" in run.line()


def test_a_suffix_contradicting_the_format_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "in.csv", export())
    out = tmp_path / "out.xlsx"
    run = cli(
        capsys, "report", path, "--period", "2024-Q1", "--format", "csv", "-o", out, inputs=[path]
    )
    assert run.status == EXIT_USAGE
    assert "names the xlsx format but --format says csv" in run.line()
    assert not out.exists()


@contextlib.contextmanager
def _failing_after_half(
    real: Any, exc: BaseException, path: Any, mode: str = "wb"
) -> Iterator[Any]:
    """An atomic output whose writes put half the data in the temporary file, then fail."""
    with real(path, mode) as handle:

        class Half:
            def write(self, data: str | bytes) -> int:
                handle.write(data[: len(data) // 2])
                handle.flush()
                raise exc

        yield Half()


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), EXIT_USAGE),
        (KeyboardInterrupt(), EXIT_INTERRUPTED),
        (RuntimeError("disk driver bug"), EXIT_INTERNAL),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_a_write_failing_half_way_leaves_the_old_output_whole(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    exc: BaseException,
    status: int,
    fmt: str,
) -> None:
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    from tthc._cli import _output

    real = _output.atomic_output
    monkeypatch.setattr(
        _output, "atomic_output", lambda p, m="wb": _failing_after_half(real, exc, p, m)
    )
    path = write(tmp_path / "in.csv", export())
    out = write(tmp_path / f"out.{fmt}", b"the old report")
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, inputs=[path, out])
    assert run.status == status
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", f"out.{fmt}"]
    assert run.err.strip()
    assert len(run.err.strip().splitlines()) == 1


def test_a_render_failing_leaves_the_old_output_and_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tthc._cli import _report

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(_report, "render", broken)
    path = write(tmp_path / "in.csv", export())
    out = write(tmp_path / "out.html", b"the old report")
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, inputs=[path, out])
    assert run.status == EXIT_INTERNAL
    assert "internal error (RuntimeError: renderer bug); this is a bug" in run.line()
    assert "--debug" in run.line()
    for debug in (["--debug"], []):
        if not debug:
            monkeypatch.setenv(DEBUG_ENVIRONMENT_VARIABLE, "1")
        status = main([*debug, "report", str(path), "--period", "2024-Q1", "-o", str(out)])
        assert status == EXIT_INTERNAL
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err
        assert "RuntimeError: renderer bug" in err
    assert out.read_bytes() == b"the old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.html"]


@pytest.mark.parametrize("change", ["truncate", "append"])
def test_a_file_changed_while_read_fails_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    from tthc._cli import _report

    path = write(tmp_path / "in.csv", export(*(csv_row(code=f"B-{i}") for i in range(50))))
    original = _report.build_report

    def changing(*args: Any, **kwargs: Any) -> Report:
        report = original(*args, **kwargs)
        # Another program truncates or extends the file before the reader's end check.
        if change == "truncate":
            os.truncate(path, 300)
        else:
            with path.open("ab") as f:
                f.write(csv_row(code="LATE").encode() + b"\n")
        return report

    monkeypatch.setattr(_report, "build_report", changing)
    out = write(tmp_path / "out.json", b"the old report")
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, inputs=[out])
    assert run.status == EXIT_USAGE
    assert f"{path} changed while it was read" in run.line()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.json"]


# --------------------------------------------------------------------------- signals

SPILL_ROWS = 150_000


@pytest.fixture(scope="module")
def large_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An interchange CSV long enough to be still read a second after the duplicate check
    started spilling codes to its SQLite file."""
    path = tmp_path_factory.mktemp("large") / "large.csv"
    row = "{},Hộ tịch,online,2024-01-10T08:00:00,completed,2024-01-15T17:00:00,2024-01-12T10:00:00"
    lines = ["code,domain,channel,received_at,status,due_at,finished_at"]
    lines += [row.format(f"A-{i}") for i in range(SPILL_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("signum", "status", "said"),
    [(signal.SIGTERM, EXIT_TERMINATED, "terminated"), (signal.SIGINT, EXIT_INTERRUPTED, "interrupted")],
)  # fmt: skip
def test_a_signal_during_a_spilling_report_removes_every_temporary_file(
    tmp_path: Path, large_export: Path, signum: int, status: int, said: str
) -> None:
    spill = tmp_path / "spill"
    spill.mkdir()
    out = write(tmp_path / "out.json", b"the old report")
    rejections = write(tmp_path / "rejected.csv", b"the old list")
    before = large_export.read_bytes()
    args = ["report", large_export, "--period", "2024-Q1", "--engine", "streaming", "-o", out]
    args += ["--codes-in-memory", "1", "--spill-dir", spill, "--rejections", rejections]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tthc", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(spill.iterdir()):  # the duplicate check's SQLite file is there
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.005)
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    err = stderr.decode()
    assert proc.returncode == status, err
    assert err.strip() == f"tthc report: {said}; no output was written"
    assert stdout == b""
    assert list(spill.iterdir()) == []
    assert out.read_bytes() == b"the old report"
    assert rejections.read_bytes() == b"the old list"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "rejected.csv", "spill"]
    assert large_export.read_bytes() == before


def test_sigint_in_process_exits_130_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tthc._cli import _report

    def interrupted(*args: object, **kwargs: object) -> Report:
        raise KeyboardInterrupt

    monkeypatch.setattr(_report, "build_report", interrupted)
    path = write(tmp_path / "in.csv", export())
    run = cli(
        capsys, "report", path, "--period", "2024-Q1", "-o", tmp_path / "o.json", inputs=[path]
    )
    assert run.status == EXIT_INTERRUPTED
    assert run.line() == "tthc report: interrupted; no output was written"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


# --------------------------------------------------------------------------- empty


def test_no_counted_row_exits_3_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "in.csv", export())
    out = tmp_path / "out.json"
    run = cli(capsys, "report", path, "--period", "2023-Q1", "-o", out, inputs=[path])
    assert run.status == EXIT_EMPTY
    assert "no dossier of" in run.err
    assert not out.exists()
    run = cli(capsys, "report", path, "--period", "2023-Q1", "-o", out, "--allow-empty")
    assert run.status == EXIT_OK
    assert report_of(out)["rows_outside_period"] == 1


@pytest.mark.parametrize("several", [False, True])
def test_a_header_only_input_exits_3_without_the_period_hint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, several: bool
) -> None:
    # It said "it has no data rows. Check --period…": no --period finds rows in an empty file.
    paths = [write(tmp_path / "a.csv", HEADER + "\n")]
    if several:
        paths.append(write(tmp_path / "b.csv", HEADER + "\n"))
    run = cli(capsys, "report", *paths, "--period", "2024-Q1", inputs=paths)
    assert run.status == EXIT_EMPTY
    found = (
        "they have no data rows, only headers" if several else "it has no data rows, only a header"
    )
    assert run.line().endswith(
        f"(01/01/2024–31/03/2024): {found}. Give --allow-empty to write the empty form anyway "
        "(without it: exit 3, nothing written)"
    )
    assert "--period" not in run.line()


def test_every_row_rejected_exits_3_without_the_period_hint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "in.csv", HEADER + "\n" + csv_row(channel="fax") + "\n")
    run = cli(capsys, "report", path, "--period", "2024-Q1", inputs=[path])
    assert run.status == EXIT_EMPTY
    last = run.err.strip().splitlines()[-1]
    assert last.endswith(
        "every row was rejected (see above). Give --allow-empty to write the "
        "empty form anyway (without it: exit 3, nothing written)"
    )
    assert "--period" not in last


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_a_signal_while_a_temporary_file_is_created_waits_until_it_is_recorded() -> None:
    """``signals_deferred`` holds SIGINT back until its block ends: a file created and recorded
    for removal inside the block is never left behind by a signal in between."""
    from tthc._io import signals_deferred

    steps: list[str] = []

    def create_and_record() -> None:
        with signals_deferred():
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
            steps.append("created")
            steps.append("recorded")
        steps.append("after the block")  # pragma: no cover - the signal is delivered before

    with pytest.raises(KeyboardInterrupt):
        create_and_record()
    assert steps == ["created", "recorded"]


def test_a_rejection_list_that_cannot_be_written_leaves_the_old_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # -o was replaced, then writing --rejections to a full disk failed: exit 2 with the new
    # output in place, and a message naming no file.
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    path = write(tmp_path / "in.csv", HEADER + "\n" + csv_row(channel="fax") + "\n")
    out = tmp_path / "q.json"
    out.write_text("old", encoding="utf-8")
    run = cli(
        capsys, "report", path, "--period", "2024-Q1", "--allow-empty", "-o", str(out),
        "--rejections", "/dev/full", inputs=[path],
    )  # fmt: skip
    assert run.status == EXIT_USAGE
    assert run.line() == "tthc report: error: cannot write /dev/full: No space left on device"
    assert out.read_text(encoding="utf-8") == "old"


def test_a_read_only_output_is_not_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As the shell's > would not: a file with write bits that this user may not write
    # (another's, os.access says no); no write bit at all, which holds for root too, is in
    # tests/test_cli_consistency.py.
    from tthc import _io

    path = write(tmp_path / "in.csv", HEADER + "\n" + csv_row() + "\n")
    out = tmp_path / "q.json"
    out.write_text("signed", encoding="utf-8")
    out.chmod(0o644)
    real = os.access
    monkeypatch.setattr(_io.os, "access", lambda p, m: False if p == str(out) else real(p, m))
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", str(out), inputs=[path])
    assert run.status == EXIT_USAGE
    assert "is read-only: it is not replaced" in run.line()
    assert out.read_text(encoding="utf-8") == "signed"
