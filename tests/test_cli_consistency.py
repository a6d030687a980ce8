"""The command line keeps the promises of docs/cli.md: a merge of reports with rejected rows
says so on standard error, a read-only output stays read-only for root too, a device takes
the default format, ``--rejections`` is checked as ``-o`` is, shares are rounded, usage errors
read alike, options a command cannot apply are refused rather than ignored, and a hint names
the command line's option, not a Python call."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from test_robustness import cli
from tthc.cli import EXIT_INPUT_PROBLEMS, EXIT_OK, EXIT_USAGE, main
from tthc.errors import PortalRecordError
from tthc.portal import DEFAULT_STATUS_MAP, from_portal_record, record_cells

HEADER = "code,domain,channel,received_at,status,due_at,finished_at"
GOOD = [
    "A-1,Hộ tịch,online,2024-01-10T08:00:00+07:00,completed,2024-01-15T17:00:00+07:00,"
    "2024-01-12T10:00:00+07:00",
    "A-2,Hộ tịch,direct,2024-02-10T08:00:00+07:00,completed,2024-02-15T17:00:00+07:00,"
    "2024-02-14T10:00:00+07:00",
]
FAX = (
    "B-{n},Hộ tịch,fax,2024-02-10T08:00:00+07:00,completed,2024-02-15T17:00:00+07:00,"
    "2024-02-12T10:00:00+07:00"
)
PORTAL_RECORD = {
    "MaHoSo": "P-1",
    "MaTTHC": "1.004873",
    "TenLinhVuc": "Hộ tịch",
    "KenhThucHien": 1,
    "TrangThaiHoSo": "10",
    "NgayTiepNhan": "20240301080000",
    "NgayHenTra": "20240306170000",
    "NgayKetThucXuLy": "20240304100000",
    "NgayTra": "20240305090000",
}
PYTHON_HINT = "DEFAULT_STATUS_MAP.extended({'99': '<lifecycle state>'})"


def export(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- tthc merge


def test_a_merge_with_rejected_rows_summarises_them_on_stderr_naming_the_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # It exited 1 with nothing on standard error, and named the rejection's source 'b' (the
    # JSON's stem) while the notes named mix.csv.
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["report", str(export(tmp_path / "base.csv", *GOOD)), "--period", "2024-Q1",
                 "-o", str(a)]) == EXIT_OK  # fmt: skip
    mix = export(tmp_path / "mix.csv", GOOD[0], FAX.format(n=2))
    assert main(["report", str(mix), "--period", "2024-Q1", "-o", str(b)]) == EXIT_INPUT_PROBLEMS
    merged = tmp_path / "m.json"
    run = cli(capsys, "merge", a, b, "-o", merged)
    assert run.status == EXIT_INPUT_PROBLEMS
    assert run.err.splitlines() == [
        f"tthc merge: rejected {mix}: line 3, code 'B-2', column 'channel': unknown channel "
        "'fax'; expected one of direct (Trực tiếp), online (Trực tuyến), postal (Bưu chính)",
        "tthc merge: 1 of 4 row(s) rejected; the report counts the others",
    ]
    data = json.loads(merged.read_text(encoding="utf-8"))
    assert [r["source"] for r in data["rejections"]] == [str(mix)]
    assert [s["name"] for s in data["sources"]] == [str(tmp_path / "base.csv"), str(mix)]


def test_a_merge_of_many_rejected_rows_groups_them_by_kind_and_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    reports = []
    for name, bad in (("a", 3), ("b", 9)):
        rows = [GOOD[0], *(FAX.format(n=n) for n in range(bad))]
        path = export(tmp_path / f"{name}.csv", *rows)
        reports.append(tmp_path / f"{name}.json")
        main(["report", str(path), "--period", "2024-Q1", "-o", str(reports[-1])])
    run = cli(capsys, "merge", *reports, "--format", "json")
    assert run.status == EXIT_INPUT_PROBLEMS
    err = run.err.splitlines()
    assert err[0] == "tthc merge: 12 of 14 row(s) rejected; the report counts the others:"
    assert err[1].startswith("       12 × column channel: unknown channel …")
    assert f"line {tmp_path / 'a.csv'}:3, {tmp_path / 'a.csv'}:4" in err[1]
    assert err[2] == "  (tthc report --rejections FILE, run on an export, lists every one)"
    assert len(err) == 3  # no "wrong file?" warning: the rows were judged when read


def test_a_merge_of_indexes_with_rejected_rows_says_so_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    main(["index", str(export(tmp_path / "base.csv", *GOOD)), "--period", "2024-Q1", "-o", str(a)])
    mix = export(tmp_path / "mix.csv", GOOD[0], FAX.format(n=2))
    main(["index", str(mix), "--period", "2024-Q1", "-o", str(b)])
    run = cli(capsys, "merge", a, b, "--format", "json")
    assert run.status == EXIT_INPUT_PROBLEMS
    assert run.err.splitlines() == [
        "tthc merge: 1 of 4 row(s) rejected; the index counts the others:",
        f"        1 × rejected rows of {mix} (counted in {b}, a service index, which does not "
        "list them)",
        "  (tthc index --rejections FILE, run on an export, lists every one)",
    ]


# --------------------------------------------------------------------------- outputs


def test_a_read_only_output_is_not_replaced_even_for_root(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check was os.access, which root passes whatever the mode: chmod 444 was replaced.
    from tthc import _io

    monkeypatch.setattr(_io.os, "access", lambda path, mode: True)  # as for root
    data = export(tmp_path / "base.csv", *GOOD)
    folder = tmp_path / "ro"
    folder.mkdir()
    out = folder / "q1.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o444)
    run = cli(capsys, "report", data, "--period", "2024-Q1", "-o", out)
    assert run.status == EXIT_USAGE
    assert run.line() == (
        f"tthc report: error: {out} is read-only: it is not replaced (make it writable, or "
        "write to another file)"
    )
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in folder.iterdir()) == ["q1.csv"]
    out.chmod(0o644)  # one write bit is enough
    assert cli(capsys, "report", data, "--period", "2024-Q1", "-o", out).status == EXIT_OK
    assert out.read_text(encoding="utf-8-sig").startswith("Lĩnh vực")


@pytest.mark.skipif(not os.path.exists(os.devnull), reason="no null device")
@pytest.mark.parametrize("command", ["report", "index", "demo", "merge"])
def test_a_device_without_format_takes_the_default_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    # -o /dev/null was refused ("needs --format") though docs/cli.md has a device written
    # directly and table the default format; a file name without a suffix still needs one.
    data = export(tmp_path / "base.csv", *GOOD)
    args: list[str | Path] = [command, data, "--period", "2024-Q1"]
    if command == "demo":
        args = ["demo"]
    elif command == "merge":
        report = tmp_path / "a.json"
        main(["report", str(data), "--period", "2024-Q1", "-o", str(report)])
        args = ["merge", report]
    assert cli(capsys, *args, "-o", os.devnull).status == EXIT_OK
    run = cli(capsys, *args, "-o", tmp_path / "report")
    assert run.status == EXIT_USAGE
    assert "a file name without a suffix needs --format" in run.line()


@pytest.mark.parametrize("command", ["report", "index", "replay"])
@pytest.mark.parametrize("option", ["-o", "--rejections"])
def test_an_output_in_a_missing_folder_is_refused_naming_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, option: str
) -> None:
    # --rejections out/nodir/rej.csv gave a bare "cannot write …: No such file or directory".
    if command == "replay":
        path = tmp_path / "events.jsonl"
        path.write_text('{"dossier": "A-1", "kind": "received", "at": "2024-03-04T08:00"}\n')
        args: list[str | Path] = ["dossier", "replay", path, "--format", "json"]
    else:
        args = [command, export(tmp_path / "in.csv", *GOOD), "--period", "2024-Q1"]
    target = tmp_path / "out" / "nodir" / "rej.csv"
    if option == "-o":
        target = target.with_suffix(".json")
    run = cli(capsys, *args, option, target)
    assert run.status == EXIT_USAGE
    name = "tthc dossier replay" if command == "replay" else f"tthc {command}"
    assert run.line() == (
        f"{name}: error: {option} {target}: the folder {target.parent} does not exist"
    )
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    run = cli(capsys, *args, option, folder)
    assert run.status == EXIT_USAGE
    assert run.line() == f"{name}: error: {option} {folder} is a folder; give a file name"


@pytest.mark.parametrize("command", ["report", "index", "replay"])
@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".txt"])
def test_a_rejection_list_not_named_csv_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, suffix: str
) -> None:
    # --rejections rej.xlsx wrote CSV under that name (which Excel then refused to open).
    if command == "replay":
        path = tmp_path / "events.jsonl"
        path.write_text('{"dossier": "A-1", "kind": "teleported", "at": "2024-03-04T08:00"}\n')
        args: list[str | Path] = ["dossier", "replay", path, "--format", "json"]
    else:
        path = export(tmp_path / "in.csv", *GOOD, FAX.format(n=3))
        args = [command, path, "--period", "2024-Q1", "--format", "json"]
    listing = tmp_path / f"rej{suffix}"
    run = cli(capsys, *args, "--rejections", listing)
    assert run.status == EXIT_USAGE
    name = "tthc dossier replay" if command == "replay" else f"tthc {command}"
    assert run.line() == (
        f"{name}: error: --rejections {listing}: the list of rejected rows is written as CSV "
        f"only, not as {suffix!r}; name it rej.csv"
    )
    assert run.out == ""
    assert not listing.exists()
    for fine in (tmp_path / "rej.CSV", os.devnull):
        assert cli(capsys, *args, "--rejections", fine).status == EXIT_INPUT_PROBLEMS


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("rejected", "total", "shown"),
    [
        (4, 6, "4 of 6 rows (66.7 %)"),
        (1, 6, "1 of 6 rows (16.7 %)"),
        (1, 8, "1 of 8 rows (12.5 %)"),
    ],
)
def test_the_rejected_share_is_rounded_not_cut(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rejected: int, total: int, shown: str
) -> None:
    # 4 of 6 said 66.6 %, 1 of 6 16.6 %.
    rows = [FAX.format(n=n) for n in range(rejected)]
    rows += [GOOD[0].replace("A-1", f"A-{n}") for n in range(total - rejected)]
    path = export(tmp_path / "in.csv", *rows)
    run = cli(capsys, "report", path, "--period", "2024-Q1", "--format", "json")
    assert run.status == EXIT_INPUT_PROBLEMS
    assert f"tthc report: warning: {shown} were rejected — is this the right file" in run.err


def test_catalog_usage_errors_read_like_the_others(capsys: pytest.CaptureFixture[str]) -> None:
    # "tthc catalog: --domains lists…" had no "error:"; --code with --domain ignored --domain.
    run = cli(capsys, "catalog", "--domains", "--domain", "ho_tich")
    assert run.status == EXIT_USAGE
    assert run.line() == "tthc catalog: error: --domains lists every domain; drop --code/--domain"
    run = cli(capsys, "catalog", "--code", "1.001193", "--domain", "dat_dai")
    assert run.status == EXIT_USAGE
    assert run.line().startswith(
        "tthc catalog: error: --code shows one procedure, whatever its domain; drop --domain"
    )
    assert run.out == ""
    assert cli(capsys, "catalog", "--code", "1.001193").status == EXIT_OK


@pytest.mark.parametrize(
    "option",
    [
        ["--form-only"],
        ["--signed-on", "2024-04-05"],
        ["--prepared-by", "Nguyễn Thị Lan"],
        ["--approved-by", "Trần Văn Hùng"],
        ["--place", "Nghi Hương"],
        ["--receiving-unit", "UBND thị xã Cửa Lò"],
    ],
)
def test_demo_index_refuses_the_form_options_it_cannot_apply(
    capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    # The output was byte-identical to plain demo --index, exit 0.
    run = cli(capsys, "demo", "--index", *option)
    assert run.status == EXIT_USAGE
    assert run.line() == (
        f"tthc demo: error: {option[0]} applies to the Biểu số 06 form only, not to the "
        "service index (--index): drop it"
    )
    assert run.out == ""


def test_a_merge_of_indexes_refuses_the_form_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    index = tmp_path / "a.json"
    main(["index", str(export(tmp_path / "a.csv", *GOOD)), "--period", "2024-Q1", "-o", str(index)])
    run = cli(capsys, "merge", index, "--form-only", "--place", "Nghi Hương")
    assert run.status == EXIT_USAGE
    assert run.line() == (
        "tthc merge: error: --form-only, --place apply to the Biểu số 06 form only, not to a "
        "service index: drop them"
    )


def test_demo_index_takes_the_counting_choices_as_tthc_index_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = cli(capsys, "demo", "--index", "--format", "json", "--withdrawn", "exclude")
    assert run.status == EXIT_OK
    assert json.loads(run.out)["policy"]["withdrawn"] == "exclude"


def test_an_unknown_portal_status_names_the_command_line_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The command line told the clerk to call DEFAULT_STATUS_MAP.extended(…), a Python API,
    # and --status-map, which the hint should name, did not reach portal records at all.
    records = [PORTAL_RECORD, {**PORTAL_RECORD, "MaHoSo": "P-2", "TrangThaiHoSo": "99"}]
    path = tmp_path / "portal.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    out = tmp_path / "q1.json"
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out)
    assert run.status == EXIT_INPUT_PROBLEMS
    (line,) = [x for x in run.err.splitlines() if "rejected line" in x]
    assert "unknown status code '99'" in line
    assert "; extend the mapping with --status-map FILE; known: 1 (" in line
    assert "DEFAULT_STATUS_MAP" not in line
    status_map = tmp_path / "statuses.toml"
    status_map.write_text('"99" = "refused"\n', encoding="utf-8")
    run = cli(capsys, "report", path, "--period", "2024-Q1", "-o", out, "--status-map", status_map)
    assert run.status == EXIT_OK, run.err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert (report["rows_counted"], report["rows_rejected"]) == (2, 0)


def test_a_portal_code_in_a_csv_names_the_command_line_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = export(tmp_path / "in.csv", GOOD[0], GOOD[1].replace(",completed,", ",99,"))
    run = cli(capsys, "report", path, "--period", "2024-Q1", "--format", "json")
    (line,) = [x for x in run.err.splitlines() if "rejected line" in x]
    assert "; extend the mapping with --status-map FILE; known: 1 (" in line
    assert "DEFAULT_STATUS_MAP" not in line


def test_the_portal_package_keeps_the_python_hint() -> None:
    record = {**PORTAL_RECORD, "TrangThaiHoSo": "99"}
    for call in (
        lambda: record_cells(record),
        lambda: from_portal_record(record),
        lambda: DEFAULT_STATUS_MAP.status_for("99"),
    ):
        with pytest.raises(PortalRecordError) as caught:
            call()
        assert PYTHON_HINT in str(caught.value)
        assert "--status-map" not in str(caught.value)
