"""Stored timelines as JSON lines: reading (validated at the boundary), writing, replaying.

Format (one JSON object per line, UTF-8):

* an **event line** is a :class:`~tthc.DossierEvent` (``kind``, ``at``, and the optional
  ``actor``, ``agency``, ``note``, ``reasons``, ``new_due_at``), plus an optional ``dossier``
  key naming the dossier code, so one file can hold many dossiers' timelines;
* an optional **header line** (no ``kind``) describes a dossier: ``{"dossier": "<code>",
  "time_limit": "05 ngày làm việc"}``. Lines without ``dossier`` belong to the last dossier a
  header named (or to ``"(unnamed)"``).

Blank lines are ignored. Datetimes are ISO 8601; without an offset they are UTC+7.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tthc._timelimit import TimeLimit
from tthc.calendar import DeadlinePolicy, WorkingCalendar
from tthc.errors import InvalidInputError
from tthc.lifecycle._state import DossierState, LifecyclePolicy, replay
from tthc.models import DossierEvent

__all__ = ["StoredTimeline", "dump_events_jsonl", "read_timelines_jsonl", "replay_jsonl"]

UNNAMED_DOSSIER = "(unnamed)"
"""Dossier code used for event lines when no header or ``dossier`` key names one."""

_HEADER_KEYS = frozenset({"dossier", "time_limit"})
_validate = DossierEvent.model_validate


@dataclass(slots=True)
class StoredTimeline:
    """One dossier's stored timeline: its code, time limit (if the file gives one), events."""

    code: str
    time_limit: TimeLimit | None = None
    events: list[DossierEvent] = field(default_factory=list)


def _fail(source: str, line_no: int, reason: str) -> InvalidInputError:
    return InvalidInputError(f"{source} line {line_no}: {reason}")


def _event(obj: dict[str, Any], source: str, line_no: int) -> DossierEvent:
    """Validate one event object with the pydantic model (its Rust core is the fast path)."""
    if "dossier" in obj:
        obj = {k: v for k, v in obj.items() if k != "dossier"}
    try:
        return _validate(obj)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(event)"
        raise _fail(source, line_no, f"field {loc!r}: {err['msg']}") from None


def _lines(source: str | Path | Iterable[str]) -> tuple[str, Iterable[str]]:
    if isinstance(source, Path):
        return str(source), source.read_text(encoding="utf-8-sig").splitlines()
    if isinstance(source, str):
        return "<string>", source.splitlines()
    return "<lines>", source


def _object(name: str, n: int, line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _fail(name, n, f"not JSON: {exc.msg}") from None
    if not isinstance(obj, dict):
        raise _fail(name, n, "expected a JSON object")
    return obj


def read_timelines_jsonl(source: str | Path | Iterable[str]) -> list[StoredTimeline]:
    """Read stored timelines from JSON lines (a :class:`~pathlib.Path`, text, or lines).

    Every line is validated here, at the boundary; a bad line raises naming its number and field.
    An event line without a ``dossier`` key is parsed and validated in one step by the
    model's compiled validator (``DossierEvent.model_validate_json``); other lines go through
    ``json.loads`` first.

    >>> text = '{"dossier": "X-240301-0001", "time_limit": "03 ngày làm việc"}\\n' \\
    ...        '{"kind": "received", "at": "2024-03-01T08:00:00"}\\n'
    >>> [(t.code, str(t.time_limit), len(t.events)) for t in read_timelines_jsonl(text)]
    [('X-240301-0001', '03 ngày làm việc', 1)]

    Raises:
        InvalidInputError: a line that is not JSON, not an object, or not a valid event; a
            header that gives a dossier a different time limit than an earlier header.
    """
    name, lines = _lines(source)
    out: dict[str, StoredTimeline] = {}
    limits: dict[str, TimeLimit] = {}  # the same wording is parsed once
    current = UNNAMED_DOSSIER
    timeline: StoredTimeline | None = None  # the timeline of ``current``, once it exists
    validate_json = DossierEvent.model_validate_json
    for n, line in enumerate(lines, 1):
        if '"kind"' in line and '"dossier"' not in line:
            try:
                event = validate_json(line)
            except ValidationError:
                pass  # read again below, to report the line and field
            else:
                if timeline is None:
                    timeline = out.setdefault(current, StoredTimeline(current))
                timeline.events.append(event)
                continue
        if not line.strip():
            continue
        obj = _object(name, n, line)
        if "kind" not in obj:
            unknown = set(obj) - _HEADER_KEYS
            if unknown or not isinstance(obj.get("dossier"), str):
                raise _fail(
                    name,
                    n,
                    "a header line needs a string 'dossier' and may have 'time_limit'; "
                    f"unexpected {sorted(unknown)}"
                    if unknown
                    else "header without 'dossier'",
                )
            current = obj["dossier"]
            timeline = out.setdefault(current, StoredTimeline(current))
            wording = obj.get("time_limit")
            if wording is not None:
                limit = limits.get(wording) if isinstance(wording, str) else None
                if limit is None:
                    try:
                        limit = TimeLimit.parse(wording)
                    except InvalidInputError as exc:
                        raise _fail(name, n, f"field 'time_limit': {exc}") from None
                    limits[wording] = limit
                if timeline.time_limit is not None and timeline.time_limit != limit:
                    raise _fail(
                        name,
                        n,
                        f"field 'time_limit': dossier {current} already has time limit "
                        f"{timeline.time_limit} from an earlier header, not {limit}",
                    )
                timeline.time_limit = limit
            continue
        code = obj.get("dossier", current)
        if not isinstance(code, str):
            raise _fail(name, n, "field 'dossier' must be a string")
        other = out.get(code) or out.setdefault(code, StoredTimeline(code))
        other.events.append(_event(obj, name, n))
    return list(out.values())


def dump_events_jsonl(
    events: Iterable[DossierEvent],
    *,
    code: str | None = None,
    time_limit: TimeLimit | str | None = None,
) -> str:
    """The events as JSON lines (with a header line when ``code`` is given).

    >>> import tthc
    >>> text = dump_events_jsonl([tthc.DossierEvent(kind="received", at="2024-03-01 08:00")],
    ...                          code="X-240301-0001", time_limit="03 ngày làm việc")
    >>> print(text, end="")
    {"dossier":"X-240301-0001","time_limit":"03 ngày làm việc"}
    {"kind":"received","at":"2024-03-01T08:00:00+07:00"}
    """
    out: list[str] = []
    if code is not None:
        header: dict[str, Any] = {"dossier": code}
        if time_limit is not None:
            header["time_limit"] = str(TimeLimit.parse(time_limit))
        out.append(json.dumps(header, ensure_ascii=False, separators=(",", ":")))
    for ev in events:
        out.append(ev.model_dump_json(exclude_defaults=True))
    return "".join(line + "\n" for line in out)


def replay_jsonl(
    source: str | Path | Iterable[str],
    *,
    limit: TimeLimit | str | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    rules: LifecyclePolicy | None = None,
) -> dict[str, DossierState]:
    """Read stored timelines (:func:`read_timelines_jsonl`) and replay each one.

    ``limit`` is used for dossiers whose header gives no ``time_limit``.

    >>> text = '{"dossier": "X-240301-0001", "time_limit": "03 ngày làm việc"}\\n' \\
    ...        '{"kind": "received", "at": "2024-03-01T08:00:00"}\\n' \\
    ...        '{"kind": "completed", "at": "2024-03-05T10:00:00"}\\n'
    >>> s = replay_jsonl(text)["X-240301-0001"]
    >>> s.state.value, f"{s.due_at:%d/%m/%Y %H:%M}"
    ('completed', '06/03/2024 17:00')

    Raises:
        InvalidInputError: a bad line.
        TransitionError: an event the state machine refuses.
    """
    states: dict[str, DossierState] = {}
    default: TimeLimit | None = None  # ``limit`` parsed once, when a timeline first needs it
    for timeline in read_timelines_jsonl(source):
        own = timeline.time_limit
        if own is None and limit is not None:
            if default is None:
                default = TimeLimit.parse(limit)
            own = default
        states[timeline.code] = replay(
            timeline.events,
            code=timeline.code,
            limit=own,
            calendar=calendar,
            policy=policy,
            rules=rules,
        )
    return states
