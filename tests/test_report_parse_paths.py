"""The row parser's shortcuts give what its general path gives: rows whose cells stop before
the trailing columns, the instant tables and caches, the reader's single loop."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc import RowRejectedError
from tthc.report import COLUMNS, read_csv
from tthc.report._parse import TRAILING_COLUMNS, Row, build_row_parser

CORE = COLUMNS[: -len(TRAILING_COLUMNS)]
NARROW = [c for c in COLUMNS if c not in TRAILING_COLUMNS]


def cells(**values: str) -> list[str]:
    base = {
        "code": "A-1",
        "domain": "Hộ tịch",
        "channel": "online",
        "received_at": "2024-03-04T08:00:00",
        "status": "returned",
        "due_at": "2024-03-08T17:00:00",
        "finished_at": "2024-03-06T10:00:00",
    }
    base.update(values)
    return [base.get(c, "") for c in COLUMNS]


def test_the_trailing_columns_are_the_last_ones() -> None:
    assert COLUMNS[-len(TRAILING_COLUMNS) :] == TRAILING_COLUMNS


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"status": "processing", "finished_at": ""},
        {"finished_at": "2024-03-01T10:00:00"},  # finished before received
        {"channel": "fax"},
        {"received_at": "2024-13-04T08:00:00"},
        {"code": " "},
    ],
)
def test_narrow_cells_read_as_the_full_ones(values: dict[str, str]) -> None:
    """A parser built for an input without the trailing columns takes the cells up to
    ``supplement_requests`` and gives the row (or the rejection) the full parser gives."""
    full = cells(**values)
    narrow_parse = build_row_parser(columns=NARROW)
    full_parse = build_row_parser()
    try:
        expected: object = full_parse(full, 2)
    except RowRejectedError as exc:
        expected = str(exc)
    try:
        got: object = narrow_parse(full[: len(CORE)], 2)
    except RowRejectedError as exc:
        got = str(exc)
    assert got == expected


def test_trailing_rejections_name_the_code_after_the_core_checks() -> None:
    parse = build_row_parser()
    bad_pause = cells(paused_at="2024-03-05T08:00:00")  # status returned: no open pause
    with pytest.raises(RowRejectedError) as caught:
        parse(bad_pause, 7)
    assert (caught.value.line, caught.value.code, caught.value.column) == (7, "A-1", "paused_at")
    # a core problem is reported first, as before
    both = cells(channel="fax", paused_at="2024-03-05T08:00:00")
    with pytest.raises(RowRejectedError) as caught:
        parse(both, 7)
    assert caught.value.column == "channel"
    service = cells(fee="50.000", synced="1")
    row = parse(service, 3)
    assert row.service is not None
    assert (row.service.fee, row.service.synced) == (50_000, 1)
    assert parse(cells(fee=" "), 3).service is None


def test_a_file_with_and_without_trailing_columns_reads_the_same() -> None:
    row = cells()
    narrow = ",".join(CORE) + "\n" + ",".join(row[: len(CORE)]) + "\n"
    wide = ",".join(COLUMNS) + "\n" + ",".join(row) + "\n"
    assert list(read_csv(io.StringIO(narrow))) == list(read_csv(io.StringIO(wide)))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=dt.datetime(1899, 1, 1), max_value=dt.datetime(2101, 12, 31)),
            st.sampled_from(["T", " "]),
            st.sampled_from(["", "+07:00", "Z", "+00:00", "+05:30", "-03:00", ".5", "+07:00 "]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_instants_read_the_same_through_the_caches(
    spellings: list[tuple[dt.datetime, str, str]],
) -> None:
    """Each instant spelling read by a parser that has seen the others (its caches warm)
    equals what a fresh parser reads, value or rejection (years at the calendar's bounds
    included)."""
    texts = [v.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + suffix for v, sep, suffix in spellings]

    def read(parse: Callable[[Sequence[str], int], Row], text: str) -> object:
        row = cells(received_at=text, status="processing", finished_at="", due_at="2100-12-31")
        try:
            return parse(row, 2).received_at
        except RowRejectedError as exc:
            return exc.reason

    warm = build_row_parser()
    for text in texts + texts:
        assert read(warm, text) == read(build_row_parser(), text), text
