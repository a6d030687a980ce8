"""The Dask path equals the in-process path, on a local multi-process scheduler."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest

from tthc import Report, ReportError, ReportPolicy, build_report
from tthc.report._dask import build_report_dask
from tthc.report._demo import open_demo_data

db = pytest.importorskip("dask.bag")

PERIOD = "2024-Q1"
POLICY = ReportPolicy(measure_processing_time=True)


def demo_rows() -> list[dict[str, str]]:
    with open_demo_data() as handle:
        return list(csv.DictReader(handle))


def damaged_rows() -> list[dict[str, Any]]:
    """The demo rows with rejections and repeated codes spread over the partitions."""
    rows: list[dict[str, Any]] = demo_rows()
    rows[5]["channel"] = "fax"
    rows[77]["received_at"] = "yesterday"
    rows.append(dict(rows[10]))  # repeated near the end: its first occurrence is line 11
    rows.insert(50, dict(rows[300]))  # first occurrence now at line 51, the original later
    rows.insert(120, dict(rows[5]))  # a copy of an invalid row: rejected twice, not a duplicate
    for row in rows[::9]:  # repeated supplement requests, for ReportPolicy.repeated_supplement
        row["supplement_requests"] = "2"
    return rows


def test_processes_scheduler_equals_in_process() -> None:
    rows = damaged_rows()
    expected = build_report(rows, PERIOD, group_by=("domain", "channel"), policy=POLICY)
    assert expected.rows_rejected == 5
    got = build_report_dask(
        db.from_sequence(rows, npartitions=6),
        PERIOD,
        group_by=("domain", "channel"),
        policy=POLICY,
        scheduler="processes",
        num_workers=2,
    )
    assert got == expected


@pytest.mark.parametrize("npartitions", [1, 2, 7, 40])
@pytest.mark.parametrize("split_every", [2, 8])
def test_any_partitioning_gives_the_same_report(npartitions: int, split_every: int) -> None:
    rows = damaged_rows()
    random.Random(npartitions).shuffle(rows)
    policy = ReportPolicy(withdrawn="exclude", repeated_supplement="late")
    expected = build_report(rows, PERIOD, policy=policy)
    assert expected.totals.resolved_late > 0  # the demo has none: these are the repeated ones
    got = build_report_dask(
        db.from_sequence(rows, npartitions=npartitions),
        PERIOD,
        policy=policy,
        scheduler="synchronous",
        split_every=split_every,
    )
    assert got == expected
    assert [r.line for r in got.rejections] == sorted(r.line for r in got.rejections)


def test_without_duplicate_check_counts_repeats() -> None:
    rows = damaged_rows()
    expected = build_report(rows, PERIOD, check_duplicates=False)
    got = build_report_dask(
        db.from_sequence(rows, npartitions=3),
        PERIOD,
        check_duplicates=False,
        scheduler="synchronous",
    )
    assert got == expected


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_files_one_task_each_equal_merged_in_process(tmp_path: Path) -> None:
    rows = damaged_rows()
    paths = [_write(tmp_path / f"ward{i}.csv", rows[i::3]) for i in range(3)]
    expected: Report = build_report(paths[0], PERIOD)
    for path in paths[1:]:
        expected = expected + build_report(path, PERIOD)
    got = build_report_dask(
        str(tmp_path / "ward*.csv"), PERIOD, scheduler="processes", num_workers=2
    )
    assert got.groups == expected.groups
    assert (got.rows_read, got.rows_rejected, got.rejections) == (
        expected.rows_read,
        expected.rows_rejected,
        expected.rejections,
    )
    one = build_report_dask(paths[0], PERIOD, scheduler="synchronous", unit="Phường A")
    assert one == build_report(paths[0], PERIOD, unit="Phường A")


def test_dataframe_partitions() -> None:
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    rows: list[dict[str, Any]] = demo_rows()
    rows[3]["finished_at"] = None  # missing (NaN in pandas): an empty cell, so rejected
    frame = pd.DataFrame(rows)
    frame.loc[3, "finished_at"] = float("nan")
    assert frame["finished_at"].isna().sum() == 1
    expected = build_report(rows, PERIOD)
    assert expected.rows_rejected == 1
    got = build_report_dask(dd.from_pandas(frame, npartitions=4), PERIOD, scheduler="threads")
    assert got == expected


def test_unit_is_kept_with_and_without_partitions() -> None:
    one = build_report_dask(db.from_sequence([]), PERIOD, unit="UBND X", scheduler="synchronous")
    none = build_report_dask(db.Bag({}, "empty-bag", 0), PERIOD, unit="UBND X")
    assert one.unit == none.unit == "UBND X"
    assert none == one


def test_no_matching_file() -> None:
    with pytest.raises(ReportError, match="no input file matches"):
        build_report_dask("/nonexistent/dir/*.csv", PERIOD)


def test_missing_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_dask(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "dask" or name.startswith("dask."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ReportError, match=r'pip install "tthc\[dask\]"'):
        build_report_dask([], PERIOD)


@pytest.mark.parametrize("check", [True, False])
def test_line_numbers_are_positions_in_the_whole_bag(check: bool) -> None:
    rows = [
        {
            "code": f"A-{i}",
            "domain": "Hộ tịch",
            "channel": "fax" if i in (2, 7) else "online",
            "received_at": "2024-02-01T08:00",
            "status": "processing",
            "due_at": "2024-03-05T17:00",
        }
        for i in range(10)
    ]
    report = build_report_dask(
        db.from_sequence(rows, npartitions=3),
        "2024-02",
        policy=ReportPolicy(measure_processing_time=False),
        scheduler="synchronous",
        check_duplicates=check,
    )
    assert [r.line for r in report.rejections] == [3, 8]


@pytest.mark.parametrize("engine", ["report", "index"])
def test_a_task_error_reads_as_in_process_without_the_remote_traceback(
    tmp_path: Path, engine: str
) -> None:
    from tthc.errors import InputFormatError
    from tthc.index import build_index_dask

    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    build = build_report_dask if engine == "report" else build_index_dask
    for source, reason in ((empty, "the file is empty"), (tmp_path, "Is a directory")):
        with pytest.raises(InputFormatError) as caught:
            build(str(source), PERIOD, scheduler="processes")
        message = str(caught.value)
        assert reason in message
        assert "\n" not in message
        assert "Traceback" not in message
        assert caught.value.args == (message,)
