"""``tthc dossier replay`` on ugly inputs (issue 11): every case ends in a documented exit status
with a clear message, never a traceback; bad dossiers are rejected and the others replayed;
outputs are whole or absent; an output never replaces the input."""

from __future__ import annotations

import csv
import json
import os
import signal
from pathlib import Path

import pytest

from tthc.cli import EXIT_INPUT_PROBLEMS, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE, main
from tthc.lifecycle import _extsort, _jsonl

AS_OF = "2024-03-20T10:00:00"
GOOD = (
    '{"dossier": "000.17.22.H56-240304-0001", "time_limit": "03 ngày làm việc"}\n'
    '{"dossier": "000.17.22.H56-240304-0001", "kind": "received", "at": "2024-03-04T08:00:00"}\n'
    '{"dossier": "000.17.22.H56-240304-0001", "kind": "completed", "at": "2024-03-06T10:00:00"}\n'
)


def _replay(
    tmp_path: Path, body: bytes | str, *extra: str, name: str = "events.jsonl"
) -> tuple[int, Path, Path]:
    path = tmp_path / name
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    path.write_bytes(data)
    out = tmp_path / "out.jsonl"
    rejections = tmp_path / "rejections.csv"
    args = ["dossier", "replay", str(path), "--as-of", AS_OF, "--format", "jsonl"]
    status = main([*args, "-o", str(out), "--rejections", str(rejections), *extra])
    assert path.read_bytes() == data  # the input is never changed
    return status, out, rejections


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _bad_line(line: bytes) -> bytes:
    return GOOD.encode() + line + b"\n" + GOOD.replace("0001", "0002").encode()


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        (
            b'{"dossier": "X", "kind": "received", "at": "9999-12-31T23:00:00+00:00"}',
            "at",
            "outside the years 1-9999",
        ),
        (
            b'{"dossier": "X", "kind": "received", "at": "0001-01-01T05:00+09:00"}',
            "at",
            "outside the years 1-9999",
        ),
        (
            b'{"dossier": "X", "kind": "reappointed", "at": "2024-03-04T08:00:00", '
            b'"new_due_at": "9999-12-31T20:00:00-05:00"}',
            "new_due_at",
            "outside the years 1-9999",
        ),
        (b'{"dossier": "X", "kind": "received", "at": "2024-03-04T08:00:00", "note": "\xff\xfe"}',
         "", "not valid UTF-8"),
        (b'{"dossier": "X", "kind": "received", "at": "2024-03-04T08:00:00", "note": "\\ud800"}',
         "note", "lone surrogate"),
        (b'{"dossier": "X", "kind": "received", "at": "2024-03-04T08:00:00", "note": '
         + b"[" * 100_000, "", "not JSON"),
        (b'{"dossier": "X", "kind": "received", "at": ' + b"9" * 5000 + b"}", "",
         "not JSON that can be read"),
        (b'{"dossier": "X", "kind": "received", "at": "2024-02-30T08:00:00"}', "at",
         "valid ISO 8601"),
        (b'{"dossier": "X", "kind": "received", "at": "2024-03-04T08:00:00", '
         b'"dossier": "Y"}', "dossier", "given twice"),
    ],
)  # fmt: skip
def test_bad_line_rejects_its_dossier_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: bytes, field: str, reason: str
) -> None:
    status, out, rejections = _replay(tmp_path, _bad_line(line))
    assert status == EXIT_INPUT_PROBLEMS
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "rejected line 4, dossier 'X'" in err
    assert reason in err
    assert "1 of 3 dossier(s) rejected, the other 2 replayed" in err
    replayed = [json.loads(x)["code"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert replayed == ["000.17.22.H56-240304-0001", "000.17.22.H56-240304-0002"]
    (row,) = _rows(rejections)
    assert (row["line"], row["code"], row["field"]) == ("4", "X", field)
    assert reason in row["reason"]


def test_transition_error_names_the_event_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = GOOD + (
        '{"dossier": "B", "kind": "received", "at": "2024-03-04T08:00:00"}\n'
        '{"dossier": "B", "kind": "completed", "at": "2024-03-03T08:00:00"}\n'
    )
    status, _, rejections = _replay(tmp_path, body, "--time-limit", "05 ngày làm việc")
    assert status == EXIT_INPUT_PROBLEMS
    (row,) = _rows(rejections)
    assert (row["line"], row["code"], row["field"], row["value"]) == ("5", "B", "kind", "completed")
    assert "earlier than the previous event" in row["reason"]
    assert "rejected line 5, dossier 'B', field 'kind'" in capsys.readouterr().err


def test_many_rejections_are_summarised_by_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["not json at all\n", GOOD]  # before any header: dossier "(unnamed)"
    for i in range(300):
        at = "2024-02-30T08:00:00" if i % 3 else "2024-03-04T08:00:00"
        kind = "teleported" if i % 3 == 0 else "received"
        lines.append(f'{{"dossier": "D-{i}", "kind": "{kind}", "at": "{at}"}}\n')
    status, out, rejections = _replay(tmp_path, "".join(lines))
    assert status == EXIT_INPUT_PROBLEMS
    err = capsys.readouterr().err.splitlines()
    assert len(err) <= 8  # never thousands of lines on a terminal
    assert err[0].endswith("301 rejected line(s), by reason:")
    assert any("200  field 'at'" in e and "(line 6, 7, 9, …)" in e for e in err), err
    assert any("100  field 'kind'" in e for e in err)
    assert any("1  not JSON (line 1)" in e for e in err)
    assert "301 of 302 dossier(s) rejected, the other 1 replayed" in err[-1]
    assert err[-1].endswith(f"every rejected line is listed in {rejections}")
    assert len(_rows(rejections)) == 301
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_an_unreadable_line_without_dossier_belongs_to_the_last_header(tmp_path: Path) -> None:
    # The format's rule for lines without a "dossier" key: they belong to the dossier the last
    # header named. An unreadable line is no exception, so that dossier is rejected.
    body = GOOD + "{truncated\n" + GOOD.replace("0001", "0002").splitlines()[1] + "\n"
    status, out, rejections = _replay(tmp_path, body, "--time-limit", "03 ngày làm việc")
    assert status == EXIT_INPUT_PROBLEMS
    (row,) = _rows(rejections)
    assert (row["line"], row["code"]) == ("4", "000.17.22.H56-240304-0001")
    replayed = [json.loads(x)["code"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert replayed == ["000.17.22.H56-240304-0002"]


A1 = (
    '{"dossier": "A-1", "time_limit": "03 ngày làm việc"}\n'
    '{"dossier": "A-1", "kind": "received", "at": "2024-03-04T08:00:00"}\n'
    '{"dossier": "A-1", "kind": "completed", "at": "2024-03-06T10:15:00"}\n'
)


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        (
            '{"dossier": 240001, "kind": "received", "at": "2024-03-05T08:00:00"}',
            "dossier",
            "must be a string",
        ),
        ('{"dossier": null, "time_limit": "03 ngày làm việc"}', "dossier", "must be a string"),
        ("[1,2]", "", "expected a JSON object, got list"),
        ('"A-1"', "", "expected a JSON object, got str"),
        ("17", "", "expected a JSON object, got int"),
        ('{"dossier": 240001, "kind": "rec', "", "not JSON"),
        ('{"dossier": "\\ud800", "kind": "received", "at": "2024-03-05T08:00:00"}', "dossier",
         "lone surrogate"),
        ('{"dossier": "", "kind": "received", "at": "2024-03-05T08:00:00"}', "dossier",
         "the dossier code is empty"),
        ('{"dossier": "  ", "kind": "received", "at": "2024-03-05T08:00:00"}', "dossier",
         "the dossier code is empty"),
        ('{"dossier": "\\t", "kind": "received"}', "dossier", "the dossier code is empty"),
        ('{"dossier": ""}', "dossier", "the dossier code is empty"),
    ],
)  # fmt: skip
def test_a_line_naming_no_dossier_is_rejected_on_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, field: str, reason: str
) -> None:
    # The line was charged to the dossier of the line before it: A-1, complete and valid,
    # disappeared from the output ("1 of 1 dossier(s) rejected, the other 0 replayed").
    status, out, rejections = _replay(tmp_path, A1 + line + "\n")
    assert status == EXIT_INPUT_PROBLEMS
    replayed = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["code"], r["state"]) for r in replayed] == [("A-1", "completed")]
    (row,) = _rows(rejections)
    assert (row["line"], row["code"], row["field"]) == ("4", "", field)
    assert reason in row["reason"]
    err = capsys.readouterr().err
    assert f"rejected line 4{', field ' + repr(field) if field else ''}: " in err
    assert "dossier 'A-1'" not in err
    assert (
        "0 of 1 dossier(s) rejected, the other 1 replayed, "
        "and 1 line(s) naming no readable dossier rejected"
    ) in err


def test_lines_after_a_header_naming_no_dossier_are_rejected_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Lines without "dossier" belong to the last header; when it names no dossier that can be
    # read they are rejected, not charged to the dossier before it (A-1 would have been given
    # a second receipt, or worse, an event of another dossier).
    body = A1 + (
        '{"dossier": "", "time_limit": "03 ngày làm việc"}\n'
        '{"kind": "received", "at": "2024-03-05T08:00:00"}\n'
        '{"dossier": 7, "time_limit": "03 ngày làm việc"}\n'
        '{"kind": "received", "at": "2024-03-05T08:00:00"}\n'
        "{truncated\n"
        '{"dossier": "B-2", "kind": "received", "at": "2024-03-05T08:00:00"}\n'
    )
    status, out, rejections = _replay(tmp_path, body)
    assert status == EXIT_INPUT_PROBLEMS
    replayed = [json.loads(x)["code"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(replayed) == ["A-1", "B-2"]
    rows = sorted(_rows(rejections), key=lambda r: int(r["line"]))
    assert [(r["line"], r["code"], r["field"]) for r in rows] == [
        ("4", "", "dossier"),
        ("5", "", ""),
        ("6", "", "dossier"),
        ("7", "", ""),
        ("8", "", ""),
    ]
    assert "the dossier code is empty" in rows[0]["reason"]
    assert "that header names none that can be read" in rows[1]["reason"]
    assert rows[4]["reason"] == rows[3]["reason"]  # readable or not, it has no dossier
    err = capsys.readouterr().err
    assert "0 of 2 dossier(s) rejected, the other 2 replayed, and 5 line(s)" in err


def test_an_empty_dossier_code_is_never_printed_or_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # {"dossier": ""} was accepted: "Hồ sơ :" was printed, and slip --dossier ZZ listed the
    # known dossiers ending with an empty name ("… F-6, A-1, ").
    body = '{"dossier": ""}\n' + A1
    path = tmp_path / "events.jsonl"
    path.write_text(body, encoding="utf-8")
    assert main(["dossier", "replay", str(path), "--as-of", AS_OF]) == EXIT_INPUT_PROBLEMS
    captured = capsys.readouterr()
    assert "Hồ sơ A-1:" in captured.out
    assert "Hồ sơ :" not in captured.out
    assert "rejected line 1, field 'dossier': the dossier code is empty" in captured.err
    args = ["dossier", "slip", str(path), "--kind", "receipt"]
    assert main([*args, "--dossier", "ZZ"]) == EXIT_USAGE
    assert capsys.readouterr().err.rstrip().endswith("no dossier 'ZZ'; it holds A-1")
    assert main(args) == EXIT_OK  # the file's only dossier
    assert "A-1" in capsys.readouterr().out


def test_as_of_out_of_range_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for as_of in ("9999-12-31T23:00:00-05:00", "0001-01-01T05:00+09:00", "2200-01-01"):
        path = tmp_path / "events.jsonl"
        path.write_text(GOOD, encoding="utf-8")
        assert main(["dossier", "replay", str(path), "--as-of", as_of]) == EXIT_USAGE
        err = capsys.readouterr().err
        assert "--as-of" in err
        assert any(w in err for w in ("outside the years", "past year 9999", "before year 1"))
        assert "Traceback" not in err


def test_output_naming_the_input_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    link = tmp_path / "same.jsonl"
    os.link(path, link)
    for target in (path, link):
        for option in ("-o", "--rejections"):
            assert main(["dossier", "replay", str(path), option, str(target)]) == EXIT_USAGE
    assert path.read_text(encoding="utf-8") == GOOD
    out = tmp_path / "out.txt"
    args = ["dossier", "replay", str(path), "-o", str(out), "--rejections", str(out)]
    assert main(args) == EXIT_USAGE
    assert not out.exists()


def test_file_changed_while_read_fails_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(GOOD * 3, encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("old report", encoding="utf-8")
    original = _jsonl._binary_lines

    def truncating(handle):  # type: ignore[no-untyped-def]
        for i, line in enumerate(original(handle)):
            if i == 2:
                os.truncate(path, 10)
            yield line

    monkeypatch.setattr(_jsonl, "_binary_lines", truncating)
    assert main(["dossier", "replay", str(path), "-o", str(out)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "changed while it was read" in err
    assert "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl", "out.txt"]


def test_sigterm_removes_spill_files_and_partial_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_jsonl, "OPEN_BYTES", 0)
    monkeypatch.setattr(_extsort, "RUN_RECORDS", 2)
    lines = [
        f'{{"dossier": "{code}", "kind": "{kind}", "at": "2024-03-0{day}T08:00:00"}}\n'
        for day, kind in ((4, "received"), (5, "completed"))
        for code in ("C", "B", "A")
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    spill = tmp_path / "spill"
    spill.mkdir()
    out = tmp_path / "out.txt"
    original = _jsonl._timeline
    calls = []

    def terminated(code, records):  # type: ignore[no-untyped-def]
        calls.append(code)
        assert os.listdir(spill)  # the sort's runs exist now
        os.kill(os.getpid(), signal.SIGTERM)
        return original(code, records)

    monkeypatch.setattr(_jsonl, "_timeline", terminated)
    args = ["dossier", "replay", str(path), "--spill-dir", str(spill), "-o", str(out)]
    assert main([*args, "--time-limit", "03 ngày làm việc"]) == EXIT_TERMINATED
    assert calls
    assert os.listdir(spill) == []
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl", "spill"]
    assert "terminated" in capsys.readouterr().err


def test_standard_input_and_formats_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    path = tmp_path / "events.jsonl"
    body = GOOD + GOOD.replace("0001", "0002")
    path.write_text(body, encoding="utf-8")
    assert main(["dossier", "replay", str(path), "--as-of", AS_OF, "--format", "json"]) == EXIT_OK
    as_json = json.loads(capsys.readouterr().out)
    assert main(["dossier", "replay", str(path), "--as-of", AS_OF, "--format", "jsonl"]) == EXIT_OK
    as_jsonl = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    stdin = io.TextIOWrapper(io.BytesIO(body.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["dossier", "replay", "-", "--as-of", AS_OF, "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == as_json == as_jsonl
    assert [r["timeliness"] for r in as_json] == ["early", "early"]


def test_empty_file_and_summaries_written_directly_match_json_dumps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    from tthc._cli._dossier import _json_line, _judged
    from tthc.lifecycle import DossierState, replay_jsonl

    def summary(state: DossierState, as_of: dt.datetime) -> dict[str, object]:
        """What each line holds, as a dict (the reference the written line must equal)."""
        current, due, reappointed, t = _judged(state, as_of)
        out: dict[str, object] = {
            "code": state.code,
            "state": current.value,
            "status": current.status.value if current.status is not None else None,
            "events": len(state.events),
            "due_at": None if due is None else due.isoformat(),
            "reappointed_due_at": None if reappointed is None else reappointed.isoformat(),
            "timeliness": None,
            "timeliness_vi": None,
        }
        if t is not None:
            out["timeliness"] = t.timeliness.value
            out["timeliness_vi"] = t.label_vi
            hours = t.overdue_by.total / dt.timedelta(hours=1) if t.overdue_by else 0
            out["overdue_by_hours"] = hours
            out["due_soon"] = t.due_soon
        return out

    status, out, rejections = _replay(tmp_path, b"")
    assert status == EXIT_OK
    assert out.read_text(encoding="utf-8") == ""
    assert _rows(rejections) == []
    path = tmp_path / "events.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["dossier", "replay", str(path), "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)[0]["state"] == "completed"
    state = replay_jsonl(GOOD)["000.17.22.H56-240304-0001"]
    for day in (4, 5, 7, 20):
        as_of = dt.datetime(2024, 3, day, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        assert _json_line(state, as_of) == json.dumps(summary(state, as_of), ensure_ascii=False)


def test_a_dossier_that_cannot_be_judged_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = GOOD + '{"dossier": "L", "kind": "received", "at": "2100-12-30T08:00:00"}\n'
    status, out, rejections = _replay(tmp_path, body, "--time-limit", "30 ngày làm việc")
    assert status == EXIT_INPUT_PROBLEMS
    (row,) = _rows(rejections)
    assert (row["line"], row["code"]) == ("4", "L")
    assert "cannot judge the dossier" in row["reason"]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_control_characters_in_codes_are_escaped_on_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = '{"dossier": "A\\u001b[31mB", "kind": "received", "at": "2024-03-04T08:00:00"}\n'
    path = tmp_path / "events.jsonl"
    path.write_text(body, encoding="utf-8")
    assert main(["dossier", "replay", str(path), "--as-of", AS_OF]) == EXIT_OK
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "Hồ sơ A\\x1b[31mB:" in out


def test_slip_refuses_to_overwrite_its_input_and_reads_streams(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(GOOD + GOOD.replace("0001", "0002"), encoding="utf-8")
    args = ["dossier", "slip", str(path), "--kind", "receipt"]
    assert main([*args, "--dossier", "000.17.22.H56-240304-0001", "-o", str(path)]) == EXIT_USAGE
    assert main(args) == EXIT_USAGE
    assert "choose one with --dossier" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"dossier": "Q", "kind": "received", "at": "9999-12-31T23:00:00+00:00"}\n')
    assert main(["dossier", "slip", str(bad), "--kind", "receipt"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "line 1, dossier 'Q', field 'at'" in err
    assert "Traceback" not in err
    dossier = tmp_path / "dossier.json"
    dossier.write_bytes(b'{"applicant": {"name": "\xff"}}')
    assert main(["dossier", "slip", str(dossier), "--kind", "receipt"]) == EXIT_USAGE
    assert "not valid UTF-8" in capsys.readouterr().err


def test_rejection_list_cells_are_neutralised_against_formulas(tmp_path: Path) -> None:
    # The list is opened in a spreadsheet: a code or value starting with "=" must not run.
    body = GOOD + '{"dossier": "=HYPERLINK(1)", "kind": "@SUM", "at": "2024-03-04T08:00:00"}\n'
    status, _, rejections = _replay(tmp_path, body)
    assert status == EXIT_INPUT_PROBLEMS
    (row,) = _rows(rejections)
    assert row["code"] == "'=HYPERLINK(1)"
    assert row["value"] == "'@SUM"


def test_a_slip_in_text_shows_escape_sequences_instead_of_sending_them_to_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "evil.jsonl"
    events.write_text(
        '{"dossier": "E-1", "time_limit": "03 ngày làm việc"}\n'
        '{"dossier": "E-1", "kind": "received", "at": "2024-03-04T09:30",'
        ' "actor": "\\u001b[2JEvil"}\n'
        '{"dossier": "E-1", "kind": "refused", "at": "2024-03-05T09:30",'
        ' "reasons": ["\\u001b]0;pwned\\u0007 x", "a\\u200bb"]}\n',
        encoding="utf-8",
    )
    args = ["dossier", "slip", str(events), "--kind", "refusal", "--office", "\x1b[31mUBND"]
    assert main(args) == EXIT_OK
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "␛[31mUBND" in out
    assert "␛]0;pwned␇ x" in out
    assert "a⟨U+200B⟩b" in out


def test_a_dossier_command_names_its_action_in_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "none.jsonl"
    events.write_text(GOOD, encoding="utf-8")
    assert (
        main(["dossier", "slip", str(events), "--kind", "receipt", "--dossier", "NOPE"])
        == EXIT_USAGE
    )
    assert capsys.readouterr().err.startswith("tthc dossier slip: error: ")


@pytest.mark.parametrize(
    ("command", "output", "fmt", "reason"),
    [
        (["replay"], "rp.xlsx", None, "no output format is written as '.xlsx'"),
        (["replay"], "rp.pdf", None, "there is no PDF output"),
        (["replay"], "rp.csv", "json", "no output format is written as '.csv'"),
        (
            ["slip", "--kind", "receipt"],
            "s.txt",
            "html",
            "names the text format but --format says html",
        ),
        (["replay"], "rp.ods", None, "the .ods format is not written; the suffixes are .txt"),
        # Slips have no xlsx: the hint named it ("write the form as .html or .xlsx").
        (
            ["slip", "--kind", "receipt"],
            "s.pdf",
            None,
            "there is no PDF output: write the form as .html and print that to PDF; "
            "the suffixes are .txt, .html, .htm",
        ),
        (["slip", "--kind", "receipt"], "s.docx", None, "no Word output: write .html;"),
    ],
)
def test_dossier_outputs_follow_the_suffix_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], output: str,
    fmt: str | None, reason: str,
) -> None:  # fmt: skip
    # replay wrote plain text into rp.xlsx, exit 0.
    events = tmp_path / "events.jsonl"
    events.write_text(GOOD, encoding="utf-8")
    extra = ["--format", fmt] if fmt else []
    args = ["dossier", command[0], str(events), *command[1:], "-o", str(tmp_path / output)]
    assert main([*args, *extra]) == EXIT_USAGE
    assert reason in capsys.readouterr().err
    assert not (tmp_path / output).exists()


def test_replay_takes_its_format_from_the_output_suffix(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "states.jsonl"
    assert main(["dossier", "replay", str(events), "--as-of", AS_OF, "-o", str(out)]) == EXIT_OK
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["code"] == (
        "000.17.22.H56-240304-0001"
    )


def test_an_extra_argument_is_refused_with_the_actions_own_usage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(GOOD, encoding="utf-8")
    assert main(["dossier", "replay", str(events), "extra"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("usage: tthc dossier replay")
    assert "tthc dossier replay: error: unrecognized arguments: extra" in err
