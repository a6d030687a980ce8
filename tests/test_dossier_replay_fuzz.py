"""Fuzzing ``tthc dossier replay`` in-process: random bytes and random mutations of valid event
files never raise, always end with a documented exit status (0, 1 or 2), never change the
input, and leave either whole outputs or none (no temporary file behind).

``TTHC_FUZZ_EXAMPLES`` sets the number of generated files per test (default 60), e.g.
``TTHC_FUZZ_EXAMPLES=5000 pytest tests/test_dossier_replay_fuzz.py`` for a long run.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc.cli import EXIT_INPUT_PROBLEMS, EXIT_OK, EXIT_USAGE, main

EXAMPLES = int(os.environ.get("TTHC_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

VALID = (
    '{"dossier": "000.17.22.H56-240304-0001", "time_limit": "03 ngày làm việc"}\n'
    '{"dossier": "000.17.22.H56-240304-0001", "kind": "received", "at": "2024-03-04T08:00:00",'
    ' "actor": "Nguyễn Thị Hương", "agency": "Bộ phận Một cửa"}\n'
    '{"dossier": "000.17.22.H56-240304-0002", "time_limit": "05 ngày làm việc"}\n'
    '{"kind": "received", "at": "2024-03-04T09:00:00+07:00"}\n'
    '{"dossier": "000.17.22.H56-240304-0001", "kind": "supplement_requested",'
    ' "at": "2024-03-05T09:00:00Z", "reasons": ["Thiếu bản sao CCCD"]}\n'
    '{"kind": "paused", "at": "2024-03-06 09:00:00", "note": "Chờ nghĩa vụ tài chính"}\n'
    '{"dossier": "000.17.22.H56-240304-0001", "kind": "supplement_received",'
    ' "at": "2024-03-11T10:00:00"}\n'
    '{"dossier": "000.17.22.H56-240304-0002", "kind": "resumed", "at": "2024-03-08T09:00:00"}\n'
    '{"dossier": "000.17.22.H56-240304-0002", "kind": "reappointed", "at": "2024-03-09T09:00:00",'
    ' "new_due_at": "2024-04-20T17:00:00"}\n'
    '{"dossier": "000.17.22.H56-240304-0001", "kind": "completed", "at": "2024-03-14T16:00:00"}\n'
).encode()

NASTY = [
    b'"\\ud800"',
    b"[" * 3000,
    b"9" * 5000,
    b'"9999-12-31T23:00:00+00:00"',
    b'"0001-01-01T05:00+09:00"',
    b"\xff\xfe",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\r\n",
    b"\n\n",
    b'"dossier": ',
    b'"kind": "reappointed"',
    b'{"dossier": "X"}',
    b"null",
    b"1e999",
    b'"\x1b[31m"',
]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "nasty", "lines", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            i = min(at, len(data) - 1)
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif op == "delete":
            data[at : at + draw(st.integers(1, 40))] = b""
        elif op == "nasty":
            data[at:at] = draw(st.sampled_from(NASTY))
        elif op == "lines":
            lines = bytes(data).split(b"\n")
            data = bytearray(b"\n".join(draw(st.permutations(lines))))
        else:
            del data[at:]
    return bytes(data)


def _run(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        path = directory / "events.jsonl"
        path.write_bytes(data)
        out = directory / "out.json"
        rejections = directory / "rejections.csv"
        args = ["dossier", "replay", str(path), "--as-of", "2024-03-20T10:00:00"]
        status = main([*args, "--format", "json", "-o", str(out), "--rejections", str(rejections)])
        assert status in (EXIT_OK, EXIT_INPUT_PROBLEMS, EXIT_USAGE)
        assert path.read_bytes() == data
        names = sorted(p.name for p in directory.iterdir())
        if status == EXIT_USAGE:
            assert names == ["events.jsonl"]
            return
        assert names == ["events.jsonl", "out.json", "rejections.csv"]
        replayed = json.loads(out.read_text(encoding="utf-8"))
        with rejections.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert (status == EXIT_INPUT_PROBLEMS) == bool(rows)
        rejected = {row["code"] for row in rows}
        assert not rejected & {r["code"] for r in replayed}


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    _run(data)


@FUZZ
@given(_mutated())
def test_mutations_of_a_valid_file(data: bytes) -> None:
    _run(data)


def test_the_valid_file_replays_whole() -> None:
    _run(VALID)
