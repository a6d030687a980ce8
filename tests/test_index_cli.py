"""``tthc index``, ``tthc demo --index`` and the lists of ``tthc report``, as a user runs them:
formats, several units, the exit statuses, bad arguments without a traceback."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from index_data import PERIOD, make_rows, write_csv
from tthc.cli import EXIT_EMPTY, EXIT_INPUT_PROBLEMS, EXIT_OK, EXIT_USAGE, main
from tthc.index import ServiceIndex, build_index


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "nghi_huong.csv", make_rows(random.Random(1), 120))


def test_index_as_json_has_the_issue_shape(ward: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(ward), "--period", PERIOD, "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["period"]["code"] == PERIOD
    assert data["unit"] == "nghi_huong"  # the file's name when no --unit is given
    assert ServiceIndex.from_dict(data).groups == build_index(ward, PERIOD).groups
    assert set(data["totals"]) == {"indicators", "groups_score"}


def test_every_format_writes_a_whole_file(ward: Path, tmp_path: Path) -> None:
    for fmt in ("csv", "md", "html", "xlsx", "table"):
        out = tmp_path / f"index.{fmt if fmt != 'table' else 'txt'}"
        assert main(["index", str(ward), "--period", PERIOD, "-o", str(out)]) == EXIT_OK
        assert out.stat().st_size > 0
    text = (tmp_path / "index.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Lĩnh vực (Domain)", "Chỉ số (Indicator)"]
    assert "<table>" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_several_units_by_unit_and_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_csv(tmp_path / "a.csv", make_rows(random.Random(1), 60))
    rows_b = make_rows(random.Random(2), 60)
    for row in rows_b:
        row["code"] = "B-" + row["code"]
    b = write_csv(tmp_path / "b.csv", rows_b)
    assert (
        main(
            [
                "index",
                str(a),
                str(b),
                "--period",
                PERIOD,
                "--by",
                "unit",
                "--format",
                "json",
                "--unit",
                "Phường A",
                "--unit",
                "Phường B",
            ]
        )
        == EXIT_OK
    )
    data = json.loads(capsys.readouterr().out)
    assert [g["key"] for g in data["groups"]] == [{"unit": "Phường A"}, {"unit": "Phường B"}]
    whole = build_index(a, PERIOD) + build_index(b, PERIOD)
    assert data["totals"]["indicators"]["2.1"]["denominator"] == whole.values()["2.1"].denominator
    assert main(["index", str(a), str(b), "--period", PERIOD, "--format", "json"]) == EXIT_OK
    merged = json.loads(capsys.readouterr().out)
    assert merged["totals"] == data["totals"]
    assert main(["index", str(a), str(b), "--period", PERIOD, "--unit", "X"]) == EXIT_USAGE
    assert "once per FILE" in capsys.readouterr().err


def test_rejected_rows_exit_1_with_the_output_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = make_rows(random.Random(4), 30)
    rows[3]["channel"] = "fax"
    path = write_csv(tmp_path / "bad.csv", rows)
    out = tmp_path / "index.json"
    assert main(["index", str(path), "--period", PERIOD, "-o", str(out)]) == EXIT_INPUT_PROBLEMS
    err = capsys.readouterr().err
    assert "rejected line 5" in err
    assert "unknown channel 'fax'" in err
    assert json.loads(out.read_text(encoding="utf-8"))["rows"]["rejected"] == 1


def test_no_dossier_in_the_period_exits_3_unless_allowed(
    ward: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "empty.json"
    assert main(["index", str(ward), "--period", "2020-Q1", "-o", str(out)]) == EXIT_EMPTY
    assert not out.exists()
    assert "nothing written" in capsys.readouterr().err
    assert (
        main(["index", str(ward), "--period", "2020-Q1", "-o", str(out), "--allow-empty"])
        == EXIT_OK
    )
    assert out.exists()


def test_usage_errors_are_one_line(ward: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(ward)]) == EXIT_USAGE
    assert main(["index", str(ward), "--period", "2024-Q5"]) == EXIT_USAGE
    assert main(["index", str(ward), "--period", PERIOD, "-o", str(ward)]) == EXIT_USAGE
    assert "would replace the data" in capsys.readouterr().err
    assert main(["index", str(ward), "--period", PERIOD, "--list", "9.9"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no list '9.9'" in err
    assert "Traceback" not in err
    assert main(["index", str(ward), "--period", PERIOD, "--inputs", str(ward)]) == EXIT_USAGE


@pytest.mark.parametrize(
    ("name", "reason"), [("missing.json", "No such file or directory"), (".", "Is a directory")]
)
def test_an_inputs_file_that_cannot_be_opened_is_worded_like_a_missing_file(
    ward: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, reason: str
) -> None:
    # It printed Python's "[Errno 2] No such file or directory: 'missing.json'".
    path = tmp_path / name
    assert main(["index", str(ward), "--period", PERIOD, "--inputs", str(path)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err == f"tthc index: error: --inputs {path}: {reason}\n"


def test_list_of_an_indicator(
    ward: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = build_index(ward, PERIOD, trace=True)
    out = tmp_path / "late.json"
    assert (
        main(["index", str(ward), "--period", PERIOD, "--list", "2.1:not_counted", "-o", str(out)])
        == EXIT_OK
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["count"] == index.values()["2.1"].denominator - index.values()["2.1"].numerator
    assert all(d["progress_2_1"] == "late" for d in data["dossiers"])
    domain = next(iter(index.groups))[0]
    assert (
        main(
            [
                "index",
                str(ward),
                "--period",
                PERIOD,
                "--list",
                "4.2:numerator",
                "--group",
                domain,
                "--format",
                "csv",
            ]
        )
        == EXIT_OK
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) - 1 == index.values(domain)["4.2"].numerator


def test_demo_index_shows_the_whole_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--index", "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    statuses = {k: v["status"] for k, v in data["totals"]["indicators"].items()}
    assert all(
        statuses[i] == "computed"
        for i in ("1.4", "2.1", "2.2", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5", "5.4")
    )
    assert "illustrative" in data["source"]
    assert main(["demo", "--format", "json"]) == EXIT_OK  # the plain demo is unchanged
    assert json.loads(capsys.readouterr().out)["totals"]["received_total"] == 403


def test_report_lists_and_act_now(
    ward: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc.report import build_report

    report = build_report(ward, PERIOD)
    assert (
        main(
            [
                "report",
                str(ward),
                "--period",
                PERIOD,
                "--list",
                "pending_overdue",
                "--format",
                "json",
            ]
        )
        == EXIT_OK
    )
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == report.totals.pending_overdue
    assert all(d["late_by"] is None or d["late_by"].startswith("quá") for d in data["dossiers"])
    out = tmp_path / "soon.xlsx"
    assert (
        main(["report", str(ward), "--period", PERIOD, "--due-within", "2", "-o", str(out)])
        == EXIT_OK
    )
    assert out.stat().st_size > 0
    assert main(["report", str(ward), "--period", PERIOD, "--list", "nope"]) == EXIT_USAGE
    assert "no list for cell 'nope'" in capsys.readouterr().err
    assert (
        main(
            ["report", str(ward), "--period", PERIOD, "--list", "resolved_late", "--format", "html"]
        )
        == EXIT_USAGE
    )
    assert (
        main(
            ["report", str(ward), "--period", PERIOD, "--due-within", "2", "--as-of", "2031-01-01"]
        )
        == EXIT_USAGE
    )
    assert "outside the period" in capsys.readouterr().err


def test_merge_of_ward_indexes_equals_the_index_of_the_whole(tmp_path: Path) -> None:
    rows = make_rows(random.Random(7), 160)
    whole = write_csv(tmp_path / "whole.csv", rows)
    halves = [
        write_csv(tmp_path / "a.csv", rows[:80]),
        write_csv(tmp_path / "b.csv", rows[80:]),
    ]
    outputs = []
    for path in [whole, *halves]:
        out = tmp_path / f"{path.stem}.json"
        assert main(["index", str(path), "--period", PERIOD, "-o", str(out)]) == EXIT_OK
        outputs.append(out)
    merged = tmp_path / "merged.json"
    assert main(["merge", str(outputs[1]), str(outputs[2]), "-o", str(merged)]) == EXIT_OK
    got = ServiceIndex.from_dict(json.loads(merged.read_text(encoding="utf-8")))
    want = ServiceIndex.from_dict(json.loads(outputs[0].read_text(encoding="utf-8")))
    assert got.groups == want.groups
    assert got.values() == want.values()
    by_unit = tmp_path / "by_unit.json"
    args = ["merge", str(outputs[1]), str(outputs[2]), "--by", "unit", "-o", str(by_unit)]
    assert main(args) == EXIT_OK
    units = ServiceIndex.from_dict(json.loads(by_unit.read_text(encoding="utf-8")))
    assert sorted(units.groups) == [("a",), ("b",)]
    assert units.totals == want.totals


def test_merge_refuses_a_mix_of_reports_and_indexes(
    ward: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index, report = tmp_path / "index.json", tmp_path / "report.json"
    assert main(["index", str(ward), "--period", PERIOD, "-o", str(index)]) == EXIT_OK
    assert main(["report", str(ward), "--period", PERIOD, "-o", str(report)]) == EXIT_OK
    assert main(["merge", str(index), str(report)]) == EXIT_USAGE
    assert "mix" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["columnar", "dask"])
def test_every_engine_gives_the_same_index(
    ward: Path, tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if engine == "columnar":
        pytest.importorskip("duckdb")
    else:
        pytest.importorskip("dask")
    results = []
    for name in ("streaming", engine):
        out = tmp_path / f"{name}.json"
        args = ["index", str(ward), "--period", PERIOD, "--engine", name, "--verbose"]
        assert main([*args, "-o", str(out)]) == EXIT_OK
        assert f"engine {name}" in capsys.readouterr().err
        results.append(ServiceIndex.from_dict(json.loads(out.read_text(encoding="utf-8"))))
    assert results[0].groups == results[1].groups


def test_the_index_records_the_calendar_it_was_computed_on(ward: Path) -> None:
    import datetime as dt

    from tthc.calendar import WorkingCalendar

    then = WorkingCalendar.vietnam(as_of=dt.date(2025, 10, 1))
    index = build_index(ward, PERIOD, calendar=then)
    assert index.calendar_fingerprint == then.fingerprint
    assert index.calendar_notices == then.notice_set
    again = ServiceIndex.from_dict(json.loads(json.dumps(index.to_dict())))
    assert (again.calendar_fingerprint, again.calendar_notices) == (
        then.fingerprint,
        then.notice_set,
    )


def test_merge_names_the_index_that_differs(
    ward: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for name, period in (("a", PERIOD), ("b", "2023-Q4")):
        out = tmp_path / f"{name}.json"
        main(["index", str(ward), "--period", period, "--allow-empty", "-o", str(out)])
        outputs.append(out)
    capsys.readouterr()
    assert main(["merge", *map(str, outputs)]) == EXIT_USAGE
    assert f"{outputs[1]} differs from {outputs[0]} in its period" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["streaming", "columnar", "dask"])
def test_a_catalogue_that_cannot_be_read_exits_2(
    ward: Path, tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if engine != "streaming":
        pytest.importorskip("duckdb" if engine == "columnar" else "dask")
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    not_json = tmp_path / "notes.json"
    not_json.write_text("không phải JSON", encoding="utf-8")
    out = tmp_path / "index.json"
    for catalog, reason in (
        (tmp_path / "nonexist.json", "file not found"),
        (empty, "not valid JSON"),
        (not_json, "not valid JSON"),
    ):
        args = ["index", str(ward), "--period", PERIOD, "--engine", engine, "-o", str(out)]
        assert main([*args, "--catalog", str(catalog)]) == EXIT_USAGE
        err = capsys.readouterr().err
        assert f"catalogue {catalog}: {reason}" in err
        assert "Traceback" not in err
        assert not out.exists()


def test_a_user_catalogue_counts_only_its_missing_codes_as_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from importlib import resources

    demo = resources.files("tthc.report").joinpath("data/nghi_huong_2024q1.csv")
    bundled = resources.files("tthc.catalog").joinpath("procedures.json")
    catalog = tmp_path / "copy.json"
    catalog.write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["index", str(demo), "--period", PERIOD, "--format", "json"]
    assert main(args) == EXIT_OK
    with_bundled = json.loads(capsys.readouterr().out)
    assert main([*args, "--catalog", str(catalog)]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["totals"] == with_bundled["totals"]


def test_report_due_within_too_far_exits_2_naming_the_option(
    ward: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", str(ward), "--period", PERIOD, "--due-within", "4000000000"]
    assert main(args) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--due-within" in err
    assert "4000000000" in err
    assert "internal error" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["report", "index"])
def test_dask_engine_errors_are_one_line(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("dask")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    for source in (empty, tmp_path):
        args = [command, str(source), "--period", PERIOD, "--engine", "dask"]
        assert main(args) == EXIT_USAGE
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert len(err) < 200


def test_merge_names_the_index_json_grouped_differently(
    ward: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It named the CSV the index was computed from, not the JSON argument at fault.
    by_domain, by_agency = tmp_path / "i1.json", tmp_path / "i2.json"
    index = ["index", str(ward), "--period", PERIOD]
    assert main([*index, "-o", str(by_domain)]) == EXIT_OK
    assert main([*index, "--by", "agency", "-o", str(by_agency)]) == EXIT_OK
    capsys.readouterr()
    assert main(["merge", str(by_domain), str(by_agency)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"tthc merge: error: {by_agency}: a service index grouped by agency")
