"""Duplicate codes in bounded memory: the in-memory tier, the on-disk tier, and their hand-over."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc import VN_TZ, Channel, DossierStatus, ReportError, RowRejectedError, build_report
from tthc.report import DossierRecord, DuplicateCheck, _dedup, read_csv
from tthc.report._dedup import DUPLICATE_REASON, drop_duplicates
from tthc.report._demo import open_demo_data

T = dt.datetime(2024, 1, 2, 8, tzinfo=VN_TZ)


def record(code: str, line: int) -> DossierRecord:
    return DossierRecord(code, "D", Channel.ONLINE, T, DossierStatus.PROCESSING, T, line=line)


def reference(items: list[DossierRecord | RowRejectedError]) -> list[tuple[int, str]]:
    """Brute force: the first row with a code passes, later ones are rejected."""
    seen: set[str] = set()
    out = []
    for item in items:
        if isinstance(item, RowRejectedError):
            out.append((item.line, "rejected elsewhere"))
        elif item.code in seen:
            out.append((item.line, "duplicate"))
        else:
            seen.add(item.code)
            out.append((item.line, "kept"))
    return out


def outcome(items: list[DossierRecord | RowRejectedError]) -> list[tuple[int, str]]:
    out = []
    for item in items:
        if isinstance(item, DossierRecord):
            out.append((item.line, "kept"))
        elif item.reason == DUPLICATE_REASON:
            assert item.column == "code"
            out.append((item.line, "duplicate"))
        else:
            out.append((item.line, "rejected elsewhere"))
    return out


def stream(codes: list[str | None]) -> list[DossierRecord | RowRejectedError]:
    return [
        RowRejectedError(n, "channel", "unknown channel") if c is None else record(c, n)
        for n, c in enumerate(codes, start=1)
    ]


@given(
    codes=st.lists(st.one_of(st.none(), st.sampled_from("ABCDEFGHIJ")), max_size=60),
    in_memory=st.integers(min_value=1, max_value=70),
    batch=st.integers(min_value=1, max_value=7),
)
def test_any_memory_limit_gives_the_brute_force_answer(
    codes: list[str | None], in_memory: int, batch: int
) -> None:
    items = stream(codes)
    with mock.patch.object(_dedup, "SPILL_BATCH", batch):
        got = list(drop_duplicates(items, DuplicateCheck(codes_in_memory=in_memory)))
    assert outcome(got) == reference(items)


def test_seeded_codes_count_as_already_read() -> None:
    items = stream(["A", "B", "A"])
    got = list(drop_duplicates(items, DuplicateCheck(codes_in_memory=1), seen_codes=["B"]))
    assert outcome(got) == [(1, "kept"), (2, "duplicate"), (3, "duplicate")]


def test_no_check_passes_everything() -> None:
    items = stream(["A", "A"])
    assert list(drop_duplicates(items, None)) == items


def spill_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("tthc-codes-*.sqlite"))


def test_the_disk_tier_lives_in_spill_dir_and_is_deleted(tmp_path: Path) -> None:
    check = DuplicateCheck(codes_in_memory=2, spill_dir=tmp_path)
    results = drop_duplicates(stream(["A", "B", "C", "A", "D"]), check)
    assert outcome([next(results), next(results)]) == [(1, "kept"), (2, "kept")]
    assert spill_files(tmp_path) == []  # still in memory
    assert outcome(list(results)) == [(3, "kept"), (4, "duplicate"), (5, "kept")]
    assert spill_files(tmp_path) == []  # deleted at the end


def test_the_disk_tier_is_deleted_when_the_reader_is_abandoned(tmp_path: Path) -> None:
    check = DuplicateCheck(codes_in_memory=1, spill_dir=tmp_path)
    with mock.patch.object(_dedup, "SPILL_BATCH", 2):
        results = drop_duplicates(stream(list("ABCDEFG")), check)
        next(results), next(results)
        assert len(spill_files(tmp_path)) == 1
        results.close()
    assert spill_files(tmp_path) == []


def test_an_unusable_spill_dir_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir"
    check = DuplicateCheck(codes_in_memory=1, spill_dir=missing)
    with pytest.raises(
        ReportError, match=r"cannot create the duplicate-code file in .*no-such-dir"
    ):
        list(drop_duplicates(stream(["A", "B"]), check))


@pytest.mark.parametrize("field", ["codes_in_memory", "cache_kib"])
def test_limits_must_be_positive(field: str) -> None:
    with pytest.raises(ReportError, match=f"{field} must be at least 1"):
        DuplicateCheck(**{field: 0})  # type: ignore[arg-type]


def demo_csv_with_repeats() -> str:
    with open_demo_data() as handle:
        text = handle.read().lstrip("\ufeff")
    lines = text.splitlines()
    return "\n".join([*lines, *lines[1:51], *lines[300:320]]) + "\n"


def test_report_with_the_disk_tier_equals_the_in_memory_report() -> None:
    text = demo_csv_with_repeats()
    in_memory = build_report(io.StringIO(text), "2024-Q1")
    on_disk = build_report(
        io.StringIO(text), "2024-Q1", check_duplicates=DuplicateCheck(codes_in_memory=10)
    )
    assert on_disk == in_memory
    assert in_memory.rows_rejected == 70
    assert in_memory.totals.received_total == 403
    assert {r.reason for r in in_memory.rejections} == {DUPLICATE_REASON}


def test_csv_reader_accepts_a_duplicate_check() -> None:
    text = demo_csv_with_repeats()
    rejected = [
        item
        for item in read_csv(io.StringIO(text), check_duplicates=DuplicateCheck(codes_in_memory=5))
        if isinstance(item, RowRejectedError)
    ]
    assert [r.line for r in rejected] == list(range(405, 455)) + list(range(455, 475))
