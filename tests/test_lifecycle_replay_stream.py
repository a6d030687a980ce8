"""Streaming replay of stored timelines: grouped files, the external sort, rejections that do
not stop the other dossiers, and the hypothesis property that any interleaving of valid
timelines replays to the same states as the grouped file."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc
from tthc.lifecycle import (
    _extsort,
    _jsonl,
    iter_replay_jsonl,
    iter_timelines_jsonl,
    map_replay_jsonl,
)
from tthc.models import EventKind

VN = tthc.VN_TZ


def _line(obj: dict[str, object]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _event(code: str, kind: str, at: str, **extra: object) -> str:
    return _line({"dossier": code, "kind": kind, "at": at, **extra})


GROUPED = "\n".join(
    [
        _line({"dossier": "B-1", "time_limit": "03 ngày làm việc"}),
        _event("B-1", "received", "2024-03-04T08:00:00"),
        _event("B-1", "completed", "2024-03-05T09:00:00+07:00"),
        _line({"dossier": "A-1", "time_limit": "05 ngày làm việc"}),
        _event("A-1", "received", "2024-03-04T01:00:00Z"),
        _event("A-1", "transferred", "2024-03-04 10:00:00", agency="Công chức Tư pháp - Hộ tịch"),
    ]
)
INTERLEAVED = "\n".join(GROUPED.splitlines()[i] for i in (0, 3, 1, 4, 2, 5))


def test_grouped_file_streams_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(GROUPED, encoding="utf-8")
    results = list(iter_replay_jsonl(path))
    assert [r.code for r in results] == ["B-1", "A-1"]
    assert [r.first_line for r in results] == [2, 5]
    assert all(r.replayed and not r.rejections for r in results)
    assert {r.code: r.state for r in results} == tthc.lifecycle.replay_jsonl(path)


def test_interleaved_file_streams_each_dossier_at_its_last_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(INTERLEAVED, encoding="utf-8")
    results = list(iter_replay_jsonl(path))
    assert [r.code for r in results] == ["B-1", "A-1"]  # B's last line (5) comes before A's
    grouped = {r.code: r.state for r in iter_replay_jsonl(GROUPED)}
    assert {r.code: r.state for r in results} == grouped
    timelines = {t.code: t for t in iter_timelines_jsonl(path)}
    assert timelines["B-1"].lines == [3, 5]
    assert str(timelines["A-1"].time_limit) == "05 ngày làm việc"


def test_a_bad_dossier_does_not_stop_the_others() -> None:
    text = "\n".join(
        [
            _event("A-1", "received", "2024-03-04T08:00:00"),
            _event("A-1", "resumed", "2024-03-04T09:00:00"),  # not allowed: rejected
            _event("B-1", "received", "2024-03-04T08:00:00"),
            '{"dossier": "C-1", "kind": "received", "at": "2024-03-0',  # truncated
            _event("D-1", "received", "2024-03-04T08:00:00"),
        ]
    )
    results = {r.code: r for r in iter_replay_jsonl(text, limit="03 ngày làm việc")}
    assert set(results) == {"A-1", "B-1", "C-1", "D-1"}
    assert results["B-1"].replayed
    assert results["D-1"].replayed
    (a,) = results["A-1"].rejections
    assert (a.line, a.code, a.field, a.value) == (2, "A-1", "kind", "resumed")
    assert a.category == "event 'resumed' not allowed in state 'received'"
    (c,) = results["C-1"].rejections
    assert (c.line, c.code, c.category) == (4, "C-1", "not JSON")
    with pytest.raises(tthc.errors.EventLineError) as caught:
        list(iter_timelines_jsonl(text))
    assert caught.value.line == 4
    assert caught.value.code == "C-1"


def test_keyless_events_follow_their_header_even_when_the_file_is_sorted() -> None:
    text = "\n".join(
        [
            _line({"dossier": "B", "time_limit": "03 ngày làm việc"}),
            _line({"kind": "received", "at": "2024-03-04T08:00:00"}),
            _line({"dossier": "A", "time_limit": "03 ngày làm việc"}),
            _line({"kind": "received", "at": "2024-03-04T09:00:00"}),
            _event("B", "completed", "2024-03-05T09:00:00"),  # B again: not grouped
        ]
    )
    states = {r.code: r.state for r in iter_replay_jsonl(text)}
    assert states == tthc.lifecycle.replay_jsonl(text)
    assert states["B"] is not None
    assert states["B"].state.value == "completed"


def test_map_replay_summarises_each_dossier() -> None:
    text = INTERLEAVED + "\n" + _event("Z-9", "completed", "2024-03-04T08:00:00") + "\n"
    got = [
        (r.code, r.value, [x.category for x in r.rejections])
        for r in map_replay_jsonl(text, _due_text)
    ]
    assert got == [
        ("B-1", "07/03/2024 17:00", []),
        ("A-1", "11/03/2024 17:00", []),
        ("Z-9", None, ["event 'completed' not allowed in state 'new'"]),
    ]


def _due_text(state: tthc.DossierState) -> str:
    return f"{state.due_at:%d/%m/%Y %H:%M}"


def _fails(state: tthc.DossierState) -> str:
    raise tthc.errors.DateOutOfBounds("VN", dt.date(2101, 1, 1), "n", (1901, 2100))


def test_map_replay_turns_a_failing_summary_into_a_rejection() -> None:
    (result,) = map_replay_jsonl(GROUPED.splitlines()[1], _fails)
    assert not result.replayed
    assert result.value is None
    assert result.rejections[0].line == 1
    assert "cannot judge the dossier" in result.rejections[0].reason


def test_the_external_sort_spills_merges_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_jsonl, "OPEN_BYTES", 0)  # no dossier may wait: sort everything
    monkeypatch.setattr(_extsort, "RUN_RECORDS", 3)
    monkeypatch.setattr(_extsort, "MAX_FAN_IN", 2)  # forces merges of merged runs
    lines = []
    for day in range(1, 8):
        for code in ("C", "A", "B"):
            kind = "received" if day == 1 else "transferred"
            lines.append(_event(code, kind, f"2024-03-{day:02d}T08:00:00", agency=f"Cơ quan {day}"))
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spill = tmp_path / "spill"
    spill.mkdir()
    timelines = list(iter_timelines_jsonl(path, spill_dir=spill))
    assert [t.code for t in timelines] == ["A", "B", "C"]
    assert [t.lines for t in timelines] == [
        [2, 5, 8, 11, 14, 17, 20],
        [3, 6, 9, 12, 15, 18, 21],
        [1, 4, 7, 10, 13, 16, 19],
    ]
    assert os.listdir(spill) == []
    # Closed early (or interrupted): the runs are removed too.
    seen = iter_timelines_jsonl(path, spill_dir=spill)
    next(seen)
    assert os.listdir(spill) != []  # the runs exist while the sort is open
    seen.close()
    assert os.listdir(spill) == []

    def interrupted() -> None:
        with contextlib.closing(iter_replay_jsonl(path, spill_dir=spill)) as results:
            for _ in results:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert os.listdir(spill) == []


def test_groups_by_key_in_memory_and_on_disk_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    records = [(f"k{i % 7}".encode(), i, b"x" * (i % 5)) for i in range(200)]
    in_memory = list(_extsort.groups_by_key(records))
    on_disk = list(_extsort.groups_by_key(records, run_records=9))
    assert in_memory == on_disk
    assert [k for k, _ in in_memory] == sorted({r[0] for r in records})
    assert all([r[1] for r in rs] == sorted(r[1] for r in rs) for _, rs in on_disk)


def test_file_changed_while_read_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(GROUPED + "\n", encoding="utf-8")
    original = _jsonl._binary_lines

    def growing(handle):  # type: ignore[no-untyped-def]
        for i, line in enumerate(original(handle)):
            if i == 1:
                with path.open("a", encoding="utf-8") as f:
                    f.write(_event("X", "received", "2024-03-04T08:00:00") + "\n")
            yield line

    monkeypatch.setattr(_jsonl, "_binary_lines", growing)
    with pytest.raises(tthc.errors.InputChangedError, match="changed while it was read") as caught:
        list(iter_replay_jsonl(path))
    assert caught.value.before[0] < caught.value.after[0]


def test_line_too_long_is_rejected_without_reading_it_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_jsonl, "MAX_LINE_BYTES", 100)
    text = (
        _line({"dossier": "A", "time_limit": "03 ngày làm việc"})
        + "\n"
        + _line({"kind": "received", "at": "2024-03-04T08:00:00", "note": "x" * 500})
        + "\n"
        + _event("B", "received", "2024-03-04T08:00:00")
        + "\n"
    )
    results = {r.code: r for r in iter_replay_jsonl(text)}
    assert results["B"].replayed
    (r,) = results["A"].rejections
    assert (r.line, r.category) == (2, "line too long")


def test_a_byte_order_mark_and_blank_lines_are_ignored() -> None:
    text = "\ufeff" + GROUPED.replace("\n", "\n\n  \n") + "\n\n"
    assert {r.code: r.state for r in iter_replay_jsonl(text)} == {
        r.code: r.state for r in iter_replay_jsonl(GROUPED)
    }


# ---- hypothesis: any interleaving replays to the same states ------------------------------------

LIMITS = ["03 ngày làm việc", "05 ngày làm việc", "04 giờ làm việc", "10 ngày"]
START = dt.datetime(2024, 1, 2, 7, 30, tzinfo=VN)


@st.composite
def _timeline(draw: st.DrawFn, code: str) -> tuple[str, list[str]]:
    """A valid timeline of ``code`` as JSON lines (header first), by walking the table."""
    limit = draw(st.sampled_from(LIMITS))
    at = START + dt.timedelta(seconds=draw(st.integers(0, 3600 * 24 * 300)))
    state = tthc.DossierState.new(code, limit)
    lines = [_line({"dossier": code, "time_limit": limit})]
    kind = EventKind.RECEIVED
    for _ in range(draw(st.integers(1, 8))):
        extra: dict[str, object] = {}
        if kind is EventKind.REAPPOINTED:
            due = state.due_at
            assert due is not None
            extra["new_due_at"] = (max(due, at) + dt.timedelta(days=3)).isoformat()
        shape = draw(st.sampled_from(["naive", "vn", "utc"]))
        text = {
            "naive": at.replace(tzinfo=None).isoformat(),
            "vn": at.isoformat(),
            "utc": at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        }[shape]
        event = tthc.DossierEvent(kind=kind, at=at, **extra)  # type: ignore[arg-type]
        state = state.apply(event)
        lines.append(_event(code, kind.value, text, **extra))
        choices = [
            k
            for k in tthc.lifecycle.LIFECYCLE_TRANSITIONS[state.state]
            if not (k is EventKind.REAPPOINTED and state.reappointment is not None)
        ]
        if not choices:
            break
        kind = draw(st.sampled_from(choices))
        at += dt.timedelta(seconds=draw(st.integers(0, 3600 * 24 * 5)))
    return code, lines


@st.composite
def _files(draw: st.DrawFn) -> tuple[str, str]:
    """The grouped file and a random interleaving of it (each dossier's lines kept in order)."""
    n = draw(st.integers(1, 6))
    timelines = [draw(_timeline(f"000.17.22.H56-2403{i:02d}-000{i}")) for i in range(n)]
    grouped = "\n".join(line for _, lines in timelines for line in lines)
    queues = [list(lines) for _, lines in timelines]
    merged: list[str] = []
    while any(queues):
        i = draw(st.sampled_from([i for i, q in enumerate(queues) if q]))
        merged.append(queues[i].pop(0))
    return grouped, "\n".join(merged)


@settings(max_examples=60)
@given(_files(), st.integers(1, 4))
def test_any_interleaving_replays_to_the_same_states(files: tuple[str, str], run: int) -> None:
    grouped, interleaved = files
    expected = tthc.lifecycle.replay_jsonl(grouped)
    for text in (grouped, interleaved):
        results = list(iter_replay_jsonl(text))
        assert all(r.replayed for r in results), [r.rejections for r in results]
        assert {r.code: r.state for r in results} == expected
    # The same when no dossier may wait for its last line (the external sort takes over).
    saved = _jsonl.OPEN_BYTES
    try:
        _jsonl.OPEN_BYTES = run * 40
        assert {r.code: r.state for r in iter_replay_jsonl(interleaved)} == expected
    finally:
        _jsonl.OPEN_BYTES = saved
    # The same through the external sort with tiny runs (spilled and merged).
    records = _jsonl._records(_jsonl._binary_lines(__import__("io").BytesIO(interleaved.encode())))
    spilled = {
        t.code: tthc.replay(t.events, code=t.code, limit=t.time_limit)
        for t in (
            _jsonl._timeline(code, recs)
            for code, recs in _extsort.groups_by_key(records, run_records=run)
        )
    }
    assert spilled == expected


# ---- lines that name no dossier: rejected on their own, in any order ----------------------------

# (line, category): lines that name no dossier that can be read. The first three are read by
# the quick first pass (a simple '"dossier": "…"'); the others make it read line by line.
STRAYS = [
    ('{"dossier": "", "kind": "received", "at": "2024-03-05T08:00:00"}', "dossier code empty"),
    ('{"dossier": " ", "time_limit": "03 ngày làm việc"}', "dossier code empty"),
    ('{"dossier": "  ", "kind": "completed", "at": "2024-03-05T08:00:00"}', "dossier code empty"),
    ('{"dossier": "\\t", "kind": "completed", "at": "2024-03-05T08:00:00"}', "dossier code empty"),
    ('{"dossier": 240001, "kind": "received", "at": "2024-03-05T08:00:00"}',
     "field 'dossier': not a string"),
    ('{"dossier": null}', "field 'dossier': not a string"),
    ("[1,2]", "not a JSON object"),
    ('"A-1"', "not a JSON object"),
    ('{"dossier": 24, "kind": "rec', "not JSON"),
]  # fmt: skip


def _outcome(
    results: list[_jsonl.ReplayResult],
) -> tuple[dict[str, tthc.DossierState | None], list[tuple[int | None, str | None, str]]]:
    """Each dossier's state, and the (line, code, category) of every line that names none."""
    states = {r.code: r.state for r in results if r.code is not None}
    strays = sorted(
        (x.line, x.code, x.category) for r in results if r.code is None for x in r.rejections
    )
    return states, strays


def _scatter(draw: st.DrawFn, text: str) -> tuple[str, list[tuple[int | None, str | None, str]]]:
    """``text`` with stray lines put in at random places, and what each must give."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(STRAYS))[0])
    category = dict(STRAYS)
    expected = [(n, None, category[x]) for n, x in enumerate(lines, 1) if x in category]
    return "\n".join(lines), expected


@settings(max_examples=60)
@given(_files(), st.integers(1, 4), st.data())
def test_a_line_naming_no_dossier_spoils_no_dossier_in_any_order(
    files: tuple[str, str], run: int, data: st.DataObject
) -> None:
    # A stray line was charged to the dossier before it, which was then not replayed.
    grouped, interleaved = files
    expected = tthc.lifecycle.replay_jsonl(grouped)
    for text in (grouped, interleaved):
        scattered, strays = _scatter(data.draw, text)
        assert _outcome(list(iter_replay_jsonl(scattered))) == (expected, strays)
        saved = _jsonl.OPEN_BYTES
        try:  # no dossier may wait for its last line: the external sort takes over
            _jsonl.OPEN_BYTES = run * 40
            assert _outcome(list(iter_replay_jsonl(scattered))) == (expected, strays)
        finally:
            _jsonl.OPEN_BYTES = saved
        records = _jsonl._records(_jsonl._binary_lines(io.BytesIO(scattered.encode())))
        spilled = [
            _jsonl._replay_timeline(_jsonl._timeline(code, recs))
            for code, recs in _extsort.groups_by_key(records, run_records=run)
        ]
        assert _outcome(spilled) == (expected, strays)
        # Reading it strictly stops at the first line that names no dossier.
        if strays:
            with pytest.raises(tthc.errors.EventLineError) as caught:
                tthc.lifecycle.read_timelines_jsonl(scattered)
            assert (caught.value.line, caught.value.code) == strays[0][:2]


def test_the_reviewers_file_replays_its_dossier_in_every_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a1 = [
        _line({"dossier": "A-1", "time_limit": "03 ngày làm việc"}),
        _event("A-1", "received", "2024-03-04T08:00:00"),
        _event("A-1", "completed", "2024-03-06T10:15:00"),
    ]
    stray = '{"dossier": 240001, "kind": "received", "at": "2024-03-05T08:00:00"}'
    for lines in ([*a1, stray], [a1[0], stray, *a1[1:]], [stray, *a1], [*a1, "[1,2]"]):
        for open_bytes in (_jsonl.OPEN_BYTES, 0):  # streamed, then through the external sort
            monkeypatch.setattr(_jsonl, "OPEN_BYTES", open_bytes)
            results = list(iter_replay_jsonl("\n".join(lines)))
            assert [(r.code, r.replayed) for r in results if r.code] == [("A-1", True)]
            (other,) = (r for r in results if r.code is None)
            (rejection,) = other.rejections
            assert rejection.line == lines.index(other_line := lines[rejection.line - 1]) + 1
            assert other_line in (stray, "[1,2]")
            assert rejection.code is None
            assert other.first_line == rejection.line
