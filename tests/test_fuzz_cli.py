"""Fuzzing the command line in-process: random bytes and random mutations of valid exports (CSV
and JSON lines, from the bundled demo data, made small), of calendar overlay files and of
dossier event files go through :func:`tthc.cli.main`, with random options. For every input:

* no exception escapes ``main`` (any ``BaseException`` fails the test) and no traceback is
  printed;
* the exit status is a documented one for the command, never :data:`tthc.cli.EXIT_INTERNAL`;
* the input is byte-identical afterwards;
* outputs are whole or absent: with status 0 or 1 the report and the rejection list are
  written, otherwise neither; no temporary file is left in the output folder or in
  ``--spill-dir``;
* when a report is written, ``rows_read = counted + outside the period + rejected``, the
  rejection list has ``rows_rejected`` rows, and ``rows_read`` equals the number of records in
  the input, counted here independently (:func:`records_in`);
* ``--engine columnar`` (when DuckDB is installed) ends with the same status and the same
  report as ``--engine streaming`` on every CSV input, and ``tthc index`` reads as many rows.

Profiles. The fast profile runs in the default test run: ``TTHC_FUZZ_EXAMPLES`` inputs per
target (default 35; the event files' target is left to ``tests/test_dossier_replay_fuzz.py``,
which fuzzes ``tthc dossier replay`` with the same variable). The long profile is opt-in, under
the ``fuzz_long`` marker (deselected by default in ``pyproject.toml``)::

    .venv/bin/python -m pytest -p no:cacheprovider -m fuzz_long tests/test_fuzz_cli.py -s

It runs :data:`LONG_EXAMPLES` inputs over the exports and event files (10,000 by default,
``TTHC_FUZZ_LONG_EXAMPLES`` to change) and :data:`LONG_OVERLAY_EXAMPLES` overlay files, and
prints how many ran per target.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.resources
import importlib.util
import io
import json
import os
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_dossier_replay_fuzz import VALID as VALID_EVENTS
from test_dossier_replay_fuzz import _mutated as mutated_events
from tthc.cli import (
    EXIT_EMPTY,
    EXIT_INPUT_PROBLEMS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    main,
)
from tthc.report import MAX_CELL_CHARS

EXAMPLES: Final = int(os.environ.get("TTHC_FUZZ_EXAMPLES", "35"))
"""Inputs per target in the fast profile."""
LONG_EXAMPLES: Final = int(os.environ.get("TTHC_FUZZ_LONG_EXAMPLES", "10000"))
"""Inputs of the long profile over the exports and event files."""
LONG_OVERLAY_EXAMPLES: Final = LONG_EXAMPLES // 5
"""Inputs of the long profile over overlay files (on top of :data:`LONG_EXAMPLES`)."""

DUCKDB: Final = importlib.util.find_spec("duckdb") is not None
SUFFIXES: Final = {
    "table": "txt",
    "csv": "csv",
    "json": "json",
    "md": "md",
    "xlsx": "xlsx",
    "html": "html",
}
if importlib.util.find_spec("openpyxl") is None:
    del SUFFIXES["xlsx"]

# --------------------------------------------------------------------------- valid inputs


def _demo_rows() -> list[list[str]]:
    """Every 40th row of the bundled demo export (ward Nghi Hương, Q1 2024), a few turned into
    dossiers still pending, withdrawn, with a due date or a supplement request."""
    data = importlib.resources.files("tthc.report") / "data" / "nghi_huong_2024q1.csv"
    rows = list(csv.reader(io.StringIO(data.read_text(encoding="utf-8-sig"))))
    header, body = rows[0], rows[1::40]
    column = {name: i for i, name in enumerate(header)}
    body[1][column["status"]], body[1][column["finished_at"]] = "processing", ""
    body[2][column["status"]] = "withdrawn"
    body[3][column["due_at"]] = "2024-03-29T17:00:00+07:00"
    body[4][column["supplement_requests"]] = "2"
    body[5][column["received_at"]] = "2023-12-28T08:00:00+07:00"  # carried over
    return [header, *body]


DEMO: Final = _demo_rows()
VALID_CSV: Final = (
    "\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in DEMO) + "\n"
).encode()
VALID_JSONL: Final = "".join(
    json.dumps({k: v for k, v in zip(DEMO[0], row, strict=True) if v}, ensure_ascii=False) + "\n"
    for row in DEMO[1:]
).encode()
VALID_OVERLAY_TOML: Final = (
    'name = "Phường Nghi Hương"\nsource = "Quyết định 15/QĐ-UBND"\n\n'
    '[[days]]\ndate = 2024-03-08\nkind = "day_off"\nnote = "Lễ hội"\n\n'
    '[[days]]\ndate = 2024-03-09\nkind = "working_day"\nsessions = ["07:30-11:30"]\n'
).encode()
VALID_OVERLAY_JSON: Final = json.dumps(
    {
        "name": "Phường Nghi Hương",
        "source": "Quyết định 15/QĐ-UBND",
        "days": [
            {"date": "2024-03-08", "kind": "day_off", "note": "Lễ hội"},
            {"date": "2024-03-09", "kind": "working_day", "sessions": ["07:30-11:30"]},
        ],
    },
    ensure_ascii=False,
).encode()

SNIFFED: Final = 64 * 1024
"""How much of a file the reader looks at to decide its encoding: invalid bytes there refuse
the file, past it they reject their row. :func:`padded` puts mutations past it."""


def _padding(kind: str) -> bytes:
    """Valid records (codes ``PAD-…``) worth more than :data:`SNIFFED` bytes."""
    line = (VALID_CSV.split(b"\n")[1] if kind == "csv" else VALID_JSONL.split(b"\n")[0]) + b"\n"
    code = line.split(b",")[0] if kind == "csv" else json.loads(line)["code"].encode()
    lines: list[bytes] = []
    size = 0
    while size <= SNIFFED:
        lines.append(line.replace(code, f"PAD-{len(lines)}".encode()))
        size += len(lines[-1])
    return b"".join(lines)


def padded(strategy: st.SearchStrategy[bytes], kind: str) -> st.SearchStrategy[bytes]:
    """``strategy``'s inputs, half of them with valid records worth more than
    :data:`SNIFFED` bytes put first (after a CSV's header), so that the mutations are met
    row by row instead of refusing the file."""
    padding = _padding(kind)

    def pad(data: bytes) -> bytes:
        if kind != "csv":
            return padding + data
        header, newline, rest = data.partition(b"\n")
        return header + newline + padding + rest

    return st.one_of(strategy, strategy.map(pad))


# --------------------------------------------------------------------------- mutations

NASTY_CELLS: Final = [
    "",
    " ",
    '"',
    '""',
    ",",
    "\r\n",
    "\x00",
    "\x1b[31m",
    "\ud800",
    "\u202e",
    "=HYPERLINK(1)",
    "9" * 5000,
    "-1",
    "1e999",
    "NaN",
    "²",
    "١٢٣",
    "１２",
    "9999-12-31T23:00:00+00:00",
    "0001-01-01T05:00+09:00",
    "1024-01-10T08:00:00",
    "2100-12-30T08:00:00",
    "2024-02-30",
    "2024-01-10T24:00:00",
    "2024-01-10T08:00:00+14:00",
    "31/02/2024",
    "13/13/2024",
    "10/01/2024 08:00",
    "20240110080000",
    "45300",
    "45300.5",
    "100000 tháng",
    "1000000000 ngày",
    "0 ngày",
    "-3 ngày làm việc",
    "3,5 ngày làm việc",
    "99999 giờ làm việc",
    "Ngay trong ngày",
    "completed",
    "processing",
    "withdrawn",
    "supplement_requested",
    "paused",
    "Hoàn thành",
    "online",
    "direct",
    "postal",
    "true",
    "x" * 5000,
]
"""Values a mutation puts in a cell (CSV) or a field (JSON lines)."""

NASTY_BYTES: Final = [
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",
    b"\x00",
    b"\r",
    b"\r\n",
    b"\n\n",
    b'"',
    b",",
    b";",
    b"\t",
    b"{",
    b"[" * 3000,
    b"9" * 5000,
    b"\x1b[2J",
]
"""Bytes a mutation inserts anywhere."""

NASTY_JSON: Final = [
    "null",
    "true",
    "1e999",
    "-0",
    "[]",
    "{}",
    "9" * 5000,
    '"\\ud800"',
    '"\\u0000"',
    "[" * 3000,
    '{"a": 1}',
]
"""JSON texts a mutation puts as a field's value."""

NASTY_TOML: Final = [
    "99999",
    "-1",
    "true",
    "{}",
    "[]",
    '"x"',
    '"\\ud800"',
    "0001-03-08",
    "1800-03-08",
    "9999-03-08",
    "2024-02-30",
    "2024-03-08T08:00:00+07:00",
    '["25:00-26:00"]',
    '["11:30-07:30"]',
    "[" * 3000,
]
"""Values a mutation puts after a key of a TOML overlay."""

ENCODINGS: Final = ["utf-8-sig", "utf-16", "utf-16-le", "cp1258", "latin-1"]


def _recode(data: bytes, encoding: str) -> bytes:
    return data.decode("utf-8", "replace").encode(encoding, "replace")


@st.composite
def mutated(draw: st.DrawFn, valid: bytes, kind: str) -> bytes:
    """``valid`` changed by one to five mutations: bytes flipped, inserted or deleted, lines
    dropped, repeated or reordered, a cell (``kind`` ``csv``), a field (``json``) or a key's
    value (``toml``) replaced by a nasty value, the file cut, re-encoded or given other line
    endings or delimiters."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 5))):
        ops = ["flip", "insert", "delete", "nasty", "lines", "truncate", "newlines"] + ["value"] * 4
        ops += ["encoding"] + (["delimiter"] if kind == "csv" else [])
        op = draw(st.sampled_from(ops))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif op == "delete":
            data[at : at + draw(st.integers(1, 60))] = b""
        elif op == "nasty":
            data[at:at] = draw(st.sampled_from(NASTY_BYTES))
        elif op == "lines":
            lines = bytes(data).split(b"\n")
            how = draw(st.sampled_from(["permute", "repeat", "drop"]))
            i = draw(st.integers(0, len(lines) - 1))
            if how == "permute":
                lines = draw(st.permutations(lines))
            elif how == "repeat":
                lines.insert(i, lines[i])
            else:
                del lines[i]
            data = bytearray(b"\n".join(lines))
        elif op == "value":
            data = bytearray(_replace_value(draw, bytes(data), kind))
        elif op == "truncate":
            del data[at:]
        elif op == "newlines":
            ending = draw(st.sampled_from([b"\r\n", b"\r"]))
            data = bytearray(bytes(data).replace(b"\n", ending))
        elif op == "encoding":
            data = bytearray(_recode(bytes(data), draw(st.sampled_from(ENCODINGS))))
        else:
            data = bytearray(bytes(data).replace(b",", draw(st.sampled_from([b";", b"\t"]))))
    return bytes(data)


def _replace_value(draw: st.DrawFn, data: bytes, kind: str) -> bytes:
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "toml":
        key, sep, _ = lines[i].partition(b" = ")
        if sep:
            lines[i] = key + sep + draw(st.sampled_from(NASTY_TOML)).encode()
    elif kind == "csv":
        cells = lines[i].split(b",")
        j = draw(st.integers(0, len(cells) - 1))
        cells[j] = draw(st.sampled_from(NASTY_CELLS)).encode("utf-8", "surrogatepass")
        lines[i] = b",".join(cells)
    else:
        try:
            record = json.loads(lines[i])
        except (ValueError, RecursionError):
            return data
        if not isinstance(record, dict) or not record:
            return data
        key = draw(st.sampled_from(sorted(record)))
        text = json.dumps(record, ensure_ascii=False)
        value = draw(
            st.one_of(
                st.sampled_from(NASTY_JSON),
                st.sampled_from(NASTY_CELLS).map(lambda v: json.dumps(v)),
            )
        )
        prefix = json.dumps({key: record[key]}, ensure_ascii=False)[1:-1]
        head = prefix.rsplit(":", 1)[0] if ":" in prefix else prefix
        lines[i] = text.replace(prefix, f"{head}: {value}", 1).encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


# --------------------------------------------------------------------------- running


def run_main(args: Sequence[str | Path]) -> tuple[int, str, str]:
    """``tthc ARGS`` in-process: the status, standard output and standard error. Any exception
    escaping ``main``, or a traceback printed, fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([str(a) for a in args])
        except BaseException as exc:
            escaped = "".join(traceback.format_exception(exc))
            pytest.fail(f"{type(exc).__name__} escaped tthc.cli.main {list(args)}:\n{escaped}")
    assert "Traceback" not in err.getvalue(), err.getvalue()
    assert status != EXIT_INTERNAL, err.getvalue()
    return status, out.getvalue(), err.getvalue()


def records_in(data: bytes, source: dict[str, Any]) -> int:
    """The number of records in ``data``, read as the report says it read the file (its
    ``sources`` entry: format, encoding, delimiter), counted without the reader:

    * delimited text: the file decoded with that encoding, its first line (ending at ``\\n``,
      ``\\r`` or ``\\r\\n``, as Python's text files with ``newline=""`` split lines) the header;
      then one record per row Python's :func:`csv.reader` yields with that delimiter that
      is not blank (a row of empty or white-space cells holds no record, as a blank line of
      JSON lines) — plus one per row the reader cannot parse (:class:`csv.Error`, e.g. a cell
      over :data:`~tthc.report.MAX_CELL_CHARS`): each is a rejected record;
    * JSON lines (the interchange's or the portal's): one record per line, lines split as
      above, that is not blank (``str.strip``); a file whose first character (after a BOM and
      white space) is ``[`` is one JSON array, one record per element.

    Undecodable bytes count as characters (they reject their row, they do not end it).
    """
    text = data.decode(source["encoding"] or "utf-8", "replace")
    if source["format"] == "csv":
        stream = io.StringIO(text, newline="")
        stream.readline()
        reader = csv.reader(stream, delimiter=source["delimiter"])
        count = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return count
            except csv.Error:
                row = ["unreadable"]
            count += any(cell.strip() for cell in row)
    if text.lstrip("\ufeff \t\r\n").startswith("["):
        value = json.loads(text.lstrip("\ufeff"))
        assert isinstance(value, list)
        return len(value)
    return sum(1 for line in io.StringIO(text, newline="") if line.strip())


def _rejection_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


@st.composite
def report_options(draw: st.DrawFn) -> list[str]:
    """Random options of ``tthc report``: period, grouping, policies, duplicates (spilling to
    disk after one code now and then), reading options, a nasty unit name."""
    args = ["--period", draw(st.sampled_from(["2024-Q1", "2024-02", "2023-Q4", "2024"]))]
    args += ["--by", draw(st.sampled_from(["domain", "agency", "channel,level", "procedure"]))]
    if draw(st.booleans()):
        args.append("--allow-empty")
    if draw(st.integers(0, 3)) == 0:
        args += ["--withdrawn", draw(st.sampled_from(["exclude", "by_date"]))]
    if draw(st.integers(0, 3)) == 0:
        args += ["--repeated-supplement", "late"]
    duplicates = draw(st.sampled_from(["memory", "spill", "off"]))
    if duplicates == "spill":
        args += ["--codes-in-memory", "1"]
    elif duplicates == "off":
        args.append("--no-duplicate-check")
    if draw(st.integers(0, 3)) == 0:
        args += ["--unit", draw(st.sampled_from([*NASTY_CELLS, "UBND phường Nghi Hương"]))]
    if draw(st.integers(0, 5)) == 0:
        option = draw(
            st.sampled_from(
                [
                    ["--date-format", "dmy"],
                    ["--date-format", "mdy"],
                    ["--input-format", "csv"],
                    ["--input-format", "jsonl"],
                    ["--limits-from-catalogue"],
                ]
            )
        )
        args += option
    return args


def check_report(data: bytes, suffix: str, options: list[str], other_format: str | None) -> None:
    """Run ``tthc report`` on ``data`` (and ``tthc index``, and the columnar engine, on CSV)
    and check everything the module docstring lists."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / f"in{suffix}"
        path.write_bytes(data)
        spill = folder / "spill"
        spill.mkdir()
        out, rejections = folder / "out.json", folder / "rejected.csv"
        base = ["report", path, *options, "--spill-dir", spill]
        status, _, err = run_main([*base, "-o", out, "--rejections", rejections])
        assert path.read_bytes() == data
        assert list(spill.iterdir()) == []
        names = sorted(p.name for p in folder.iterdir())
        if status in (EXIT_USAGE, EXIT_EMPTY):
            assert names == [path.name, "spill"], err
            assert err.strip()
            if status == EXIT_EMPTY:
                assert "--allow-empty" not in options
            return
        assert status in (EXIT_OK, EXIT_INPUT_PROBLEMS), err
        assert names == [path.name, "out.json", "rejected.csv", "spill"]
        report = json.loads(out.read_text(encoding="utf-8"))
        read, rejected = report["rows_read"], report["rows_rejected"]
        assert read == report["rows_counted"] + report["rows_outside_period"] + rejected
        assert _rejection_rows(rejections) == rejected
        assert (status == EXIT_INPUT_PROBLEMS) == (rejected > 0)
        (source,) = report["sources"]
        assert read == records_in(data, source), source
        if other_format is not None:
            rendered = folder / f"out.{SUFFIXES[other_format]}"
            again, _, err = run_main([*base, "--format", other_format, "-o", rendered])
            assert again == status, err
            assert rendered.stat().st_size > 0
        plain = not any(o in options for o in ("--date-format", "--input-format"))
        plain = plain and "--limits-from-catalogue" not in options
        if suffix == ".csv" and plain:
            check_index(path, data, options, read)
        if suffix == ".csv" and plain and DUCKDB:
            check_columnar(base, folder, status, report, rejections)


def check_index(path: Path, data: bytes, options: list[str], read: int) -> None:
    """``tthc index`` on the same file reads as many rows as the report."""
    folder = path.parent
    out = folder / "index.json"
    period = options[options.index("--period") + 1]
    status, _, err = run_main(["index", path, "--period", period, "--allow-empty", "-o", out])
    assert path.read_bytes() == data
    assert status in (EXIT_OK, EXIT_INPUT_PROBLEMS), err
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert rows["read"] == read == rows["valid"] + rows["rejected"]
    out.unlink()


def check_columnar(
    base: list[Any], folder: Path, status: int, report: dict[str, Any], rejections: Path
) -> None:
    """The columnar engine ends as the streaming one did, with the same report."""
    out, listed = folder / "columnar.json", folder / "columnar-rejected.csv"
    args = [*base, "--engine", "columnar", "-o", out, "--rejections", listed]
    again, _, err = run_main(args)
    assert again == status, err
    columnar = json.loads(out.read_text(encoding="utf-8"))
    for data in (columnar, report):
        data.pop("sources", None)
    assert columnar == report
    assert listed.read_bytes() == rejections.read_bytes()
    out.unlink()
    listed.unlink()


def check_overlay(data: bytes, suffix: str, command: list[str]) -> None:
    """``tthc calendar`` or ``tthc due`` with ``data`` as an overlay: status 0 or 2, the file
    unchanged."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"overlay{suffix}"
        path.write_bytes(data)
        status, _, err = run_main([*command, "--overlay", path])
        assert status in (EXIT_OK, EXIT_USAGE), err
        if status == EXIT_USAGE:
            assert err.strip()
        assert path.read_bytes() == data


def check_replay(data: bytes) -> None:
    """``tthc dossier replay`` on ``data`` (as ``tests/test_dossier_replay_fuzz.py`` checks it,
    with the exception and status checks of this module)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "events.jsonl"
        path.write_bytes(data)
        out, rejections = folder / "out.json", folder / "rejected.csv"
        args = ["dossier", "replay", path, "--as-of", "2024-03-20T10:00:00", "--format", "json"]
        status, _, err = run_main([*args, "-o", out, "--rejections", rejections])
        assert path.read_bytes() == data
        names = sorted(p.name for p in folder.iterdir())
        if status == EXIT_USAGE:
            assert names == ["events.jsonl"]
            return
        assert status in (EXIT_OK, EXIT_INPUT_PROBLEMS), err
        assert names == ["events.jsonl", "out.json", "rejected.csv"]
        json.loads(out.read_text(encoding="utf-8"))
        assert (status == EXIT_INPUT_PROBLEMS) == (_rejection_rows(rejections) > 0)


# --------------------------------------------------------------------------- targets

OTHER_FORMATS: Final = st.one_of(st.none(), st.sampled_from(sorted(SUFFIXES)))
COMMANDS: Final = st.sampled_from(
    [
        ["calendar", "2024"],
        ["calendar", "2024", "--format", "json"],
        ["due", "2024-03-07 10:00", "05 ngày làm việc"],
        ["due", "2024-03-07 10:00", "8 giờ làm việc", "--hours-mode", "--format", "json"],
    ]
)


TARGETS: Final[dict[str, tuple[st.SearchStrategy[tuple[Any, ...]], Callable[..., None]]]] = {
    "csv_bytes": (
        st.tuples(st.binary(max_size=2000), st.just(".csv"), report_options(), OTHER_FORMATS),
        check_report,
    ),
    "csv_mutations": (
        st.tuples(
            padded(mutated(VALID_CSV, "csv"), "csv"),
            st.just(".csv"),
            report_options(),
            OTHER_FORMATS,
        ),
        check_report,
    ),
    "jsonl_bytes": (
        st.tuples(st.binary(max_size=2000), st.just(".jsonl"), report_options(), OTHER_FORMATS),
        check_report,
    ),
    "jsonl_mutations": (
        st.tuples(mutated(VALID_JSONL, "json"), st.just(".jsonl"), report_options(), OTHER_FORMATS),
        check_report,
    ),
    "overlay_bytes": (
        st.tuples(st.binary(max_size=1000), st.sampled_from([".toml", ".json"]), COMMANDS),
        check_overlay,
    ),
    "overlay_mutations": (
        st.one_of(
            st.tuples(mutated(VALID_OVERLAY_TOML, "toml"), st.just(".toml"), COMMANDS),
            st.tuples(mutated(VALID_OVERLAY_JSON, "json"), st.just(".json"), COMMANDS),
        ),
        check_overlay,
    ),
    "events_bytes": (st.tuples(st.binary(max_size=3000)), check_replay),
    "events_mutations": (st.tuples(mutated_events()), check_replay),
}
"""Each target: the strategy of its inputs (a tuple of the check's arguments) and the check."""

LONG_SHARES: Final = {
    "csv_bytes": 0.1,
    "csv_mutations": 0.3,
    "jsonl_bytes": 0.1,
    "jsonl_mutations": 0.25,
    "events_bytes": 0.1,
    "events_mutations": 0.15,
}
"""How :data:`LONG_EXAMPLES` is shared among the targets (the overlay targets run
:data:`LONG_OVERLAY_EXAMPLES` on top, half each)."""

FAST_TARGETS: Final = [
    "csv_bytes",
    "csv_mutations",
    "jsonl_bytes",
    "jsonl_mutations",
    "overlay_bytes",
    "overlay_mutations",
]
LONG_TARGETS: Final = [
    *LONG_SHARES,
    "overlay_bytes",
    "overlay_mutations",
]


def fuzz(target: str, examples: int) -> int:
    """Run ``examples`` generated inputs of ``target`` through its check; the number run."""
    strategy, check = TARGETS[target]
    ran = 0

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def run(arguments: tuple[Any, ...]) -> None:
        nonlocal ran
        ran += 1
        check(*arguments)

    run()
    assert ran >= examples
    return ran


@pytest.mark.parametrize("target", FAST_TARGETS)
def test_fuzz_fast(target: str) -> None:
    fuzz(target, EXAMPLES)


@pytest.mark.fuzz_long
@pytest.mark.parametrize("target", LONG_TARGETS)
def test_fuzz_long(target: str) -> None:
    share = LONG_SHARES.get(target)
    examples = round(LONG_EXAMPLES * share) if share else LONG_OVERLAY_EXAMPLES // 2
    ran = fuzz(target, examples)
    print(f"\nfuzz_long {target}: {ran:,} inputs run, 0 escaped exceptions")


# --------------------------------------------------------------------------- the checker


def test_the_valid_inputs_pass_and_their_records_are_counted() -> None:
    check_report(VALID_CSV, ".csv", ["--period", "2024-Q1"], "xlsx" if "xlsx" in SUFFIXES else None)
    check_report(VALID_JSONL, ".jsonl", ["--period", "2024-Q1"], None)
    check_replay(VALID_EVENTS)
    source = {"format": "csv", "encoding": "utf-8", "delimiter": ","}
    assert records_in(VALID_CSV, source) == len(DEMO) - 1 == 11
    assert records_in(b"a,b\r\n1,2\r\r\n3\n", source) == 2  # a lone \r ends a (blank) line
    assert records_in(b'a\n"1\n2"\n\n', source) == 1  # a quoted newline; a blank line: none
    assert records_in(b"a,b\n1,2\n , \n,\n", source) == 1  # blank rows hold no record
    long_cell = b'a\n"' + b"x" * (MAX_CELL_CHARS + 1) + b'"\n2\n'
    assert records_in(long_cell, source) == 2  # the cell over the limit: one rejected row
    jsonl = {"format": "jsonl", "encoding": "utf-8", "delimiter": None}
    assert records_in(b'{}\n \n\r\n{"a":\n', jsonl) == 2
    assert records_in(b'\xef\xbb\xbf [{}, 1, "x"]', {**jsonl, "encoding": "utf-8-sig"}) == 3


@pytest.mark.skipif(not DUCKDB, reason="DuckDB is not installed")
def test_found_columnar_reads_undecodable_bytes_in_a_column_it_does_not_use() -> None:
    # Found by this suite: an invalid UTF-8 byte past the sniffed start, in a column the
    # report does not group by (agency): streaming rejects the row (exit 1), DuckDB does not
    # decode the column and counts it (exit 0).
    header, row = VALID_CSV.split(b"\n")[:2]
    body = header + b"\n" + _padding("csv") + row.replace(b"UBND", b"UB\xffND") + b"\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.csv"
        path.write_bytes(body)
        statuses = [
            run_main(["report", path, "--period", "2024-Q1", "--engine", engine])[0]
            for engine in ("streaming", "columnar")
        ]
    assert statuses == [EXIT_INPUT_PROBLEMS, EXIT_INPUT_PROBLEMS]
