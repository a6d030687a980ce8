"""Stored timelines as JSON lines: reading (validated at the boundary), writing, replaying.

Format (one JSON object per line, UTF-8, lines separated by ``\\n``):

* an **event line** (it has a ``kind`` key) is a :class:`~tthc.DossierEvent` (``kind``,
  ``at``, and the optional ``actor``, ``agency``, ``note``, ``reasons``, ``new_due_at``), plus
  an optional ``dossier`` key naming the dossier code, so one file can hold many dossiers'
  timelines;
* an optional **header line** (no ``kind``) describes a dossier: ``{"dossier": "<code>",
  "time_limit": "05 ngày làm việc"}``. Event lines without ``dossier`` belong to the last
  dossier a header named (or to ``"(unnamed)"``).

A dossier code is a non-blank string. A line that names no dossier that can be read (its
``dossier`` is not a string, is blank or is not valid Unicode, or the line is JSON but not an
object) is rejected on its own, never charged to another dossier: it comes out as a result
whose ``code`` is ``None``, with the lines without ``dossier`` that follow such a header.

Blank lines are ignored; a UTF-8 byte order mark at the start is removed. Datetimes are ISO
8601; without an offset they are UTC+7. A dossier's events are in time order in the file; its
lines need not be next to each other.

Reading is streaming (:func:`iter_timelines_jsonl`, :func:`iter_replay_jsonl`,
:func:`map_replay_jsonl`): a quick first pass notes the line where each dossier ends; the second
pass hands each dossier over at that line — a file grouped by dossier (the usual export) in file
order, an event log in the order its dossiers end. When too many lines would have to wait, the
rest is sorted by dossier in bounded memory (an external sort spilling to temporary files that
are always removed) and comes out in code order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import json
import operator
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Generic, Literal, NamedTuple, TypeVar

from pydantic import TypeAdapter, ValidationError

from tthc._io import signals_deferred
from tthc._time import VN_TZ
from tthc._timelimit import TimeLimit
from tthc.calendar import DeadlinePolicy, WorkingCalendar
from tthc.errors import EventLineError, InputChangedError, TransitionError, TthcError
from tthc.lifecycle._extsort import RECORD_OVERHEAD, groups_by_key
from tthc.lifecycle._state import DossierState, LifecyclePolicy, replay
from tthc.models import DossierEvent

__all__ = [
    "MAX_LINE_BYTES",
    "OPEN_BYTES",
    "STREAMING_MAX_DOSSIERS",
    "UNNAMED_DOSSIER",
    "EventRejection",
    "MappedReplay",
    "ReplayResult",
    "StoredTimeline",
    "dump_events_jsonl",
    "iter_replay_jsonl",
    "iter_timelines_jsonl",
    "map_replay_jsonl",
    "read_timelines_jsonl",
    "replay_jsonl",
]

UNNAMED_DOSSIER = "(unnamed)"
"""Dossier code used for event lines when no header or ``dossier`` key names one."""

MAX_LINE_BYTES = 16 * 1024 * 1024
"""The longest line read (16 MiB); a longer line is rejected without being held in memory."""

STREAMING_MAX_DOSSIERS = 1_000_000
"""Dossiers whose last line the first pass remembers (about 100 bytes each); a file with more
dossiers goes through the external sort, which is right for any order and size."""

OPEN_BYTES = 32 * 1024 * 1024
"""Bytes held for dossiers whose last line has not come yet (each line's text plus the Python
objects around it, ``RECORD_OVERHEAD`` bytes); past this the rest of the file goes through the
external sort (bounded memory whatever the order of the lines)."""

VALUE_CHARS = 200
"""A rejected value is shown up to this many characters (then ``…``)."""

StoredEventsSource = str | os.PathLike[str] | Iterable[str] | Iterable[bytes]
"""Where stored timelines come from: a path (:class:`~pathlib.Path`), the text itself (``str``),
or lines (``str`` or ``bytes``, e.g. an open file)."""

_UNNAMED = UNNAMED_DOSSIER.encode()
_BOM = b"\xef\xbb\xbf"
_HEADER_KEYS = frozenset({"dossier", "time_limit"})
_DATETIME_FIELDS = ("at", "new_due_at")

# Record tags (records are tuples: code bytes, line number, tag, a, b, payload).
_EVENT = 0  # payload: the line; a:b the '"dossier": "…",' pair to cut out (a == b: none)
_HEADER = 1  # payload: the time-limit wording (str) or None
_BAD = 2  # payload: (field, value, reason, category)

# The key of a line that names no dossier that can be read, followed by its line number: no
# code starts so (a code read from the text has no byte below 0x20, one read as JSON is valid
# UTF-8, which never has 0xff).
_STRAY = b"\x00\xff"

# A '"dossier": "<code without escapes>"' pair with the comma that joins it to the object.
_PAIR = re.compile(
    rb'"dossier"[ \t]*:[ \t]*"([^"\\\x00-\x1f]*)"[ \t]*,[ \t]*'
    rb'|,[ \t]*"dossier"[ \t]*:[ \t]*"([^"\\\x00-\x1f]*)"'
)
_KEY = re.compile(rb'"dossier"[ \t]*:[ \t]*')
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')  # a JSON string literal
# The first such pair of a line and the rest of the line: at most one match per line.
_CODE_LINE = re.compile(rb'"dossier"[ \t]*:[ \t]*"([^"\\\x00-\x1f]*)"[^\n]*\n')
_KIND_KEY = re.compile(rb'"kind"[ \t]*:')
_HEADER_LINE = re.compile(
    rb'[ \t]*\{[ \t]*"dossier"[ \t]*:[ \t]*"([^"\\\x00-\x1f]*)"[ \t]*,[ \t]*'
    rb'"time_limit"[ \t]*:[ \t]*"([^"\\\x00-\x1f]*)"[ \t]*\}[ \t\r\n]*'
)
_SURROGATE = re.compile("[\ud800-\udfff]")

T = TypeVar("T")

_validate = DossierEvent.model_validate
_validate_json = DossierEvent.model_validate_json
_any_datetime: TypeAdapter[dt.datetime] = TypeAdapter(dt.datetime)


class EventRejection(NamedTuple):
    """One rejected line (or dossier) of stored timelines, as plain data.

    ``line`` is the 1-based input line; ``code`` the dossier it belongs to (``None`` when it
    cannot be told); ``field`` and ``value`` what is wrong (``value`` shortened to
    :data:`VALUE_CHARS` characters); ``reason`` says why; ``category`` is a short fixed
    wording of the reason, for summaries ("not JSON", "field 'at': …").

    >>> r = EventRejection(7, "A-1", "kind", "teleported", "not an event kind", "unknown kind")
    >>> str(r)
    "line 7, dossier 'A-1', field 'kind': not an event kind"
    """

    line: int | None
    code: str | None
    field: str | None
    value: str | None
    reason: str
    category: str

    def to_error(self, source: str = "<lines>") -> EventLineError:
        """The exception form, e.g. to raise it."""
        return EventLineError(
            self.reason,
            source=source,
            line=self.line,
            code=self.code,
            field=self.field,
            value=self.value,
        )

    def __str__(self) -> str:
        return str(self.to_error("")).lstrip()


@dataclass(slots=True)
class StoredTimeline:
    """One dossier's stored timeline: its code, time limit (if the file gives one), events.

    ``lines`` gives the input line of each event; ``rejections`` the lines of this dossier that
    could not be read (only from :func:`iter_timelines_jsonl` with ``on_error="collect"``: then
    ``events`` holds the readable events only and the timeline must not be replayed). ``code``
    is ``None`` for lines that name no dossier that can be read, rejected on their own (no
    events, only ``rejections``).
    """

    code: str | None
    time_limit: TimeLimit | None = None
    events: list[DossierEvent] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    rejections: list[EventRejection] = field(default_factory=list)


class ReplayResult(NamedTuple):
    """One dossier of :func:`iter_replay_jsonl`: its replayed ``state``, or ``None`` and the
    ``rejections`` that say why it was not replayed. ``first_line`` is its first input line.
    ``code`` is ``None`` for lines that name no dossier that can be read (a ``dossier`` that is
    not a string or is empty, a line that is not a JSON object): they are rejected on their
    own, and are no dossier.

    >>> ReplayResult("A-1", None, (), 3).replayed
    False
    """

    code: str | None
    state: DossierState | None
    rejections: tuple[EventRejection, ...]
    first_line: int | None

    @property
    def replayed(self) -> bool:
        """True when the dossier was replayed (``state`` is set)."""
        return self.state is not None


# ---- reading lines ---------------------------------------------------------------------------


def _shorten(text: str) -> str:
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS] + "…"


def _binary_lines(handle: IO[bytes]) -> Iterator[bytes | None]:
    """The file's lines as bytes; ``None`` for a line longer than :data:`MAX_LINE_BYTES`
    (skipped in pieces, never held whole)."""
    readline = handle.readline
    limit = MAX_LINE_BYTES + 1
    while True:
        line = readline(limit)
        if not line:
            return
        if len(line) == limit and not line.endswith(b"\n"):
            while True:
                rest = readline(limit)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


class _Input:
    """A rewindable input of binary lines, with the check that the file did not change."""

    def __init__(self, name: str, handle: IO[bytes]) -> None:
        self.name = name
        self.handle = handle
        self.before = self._stat()

    def _stat(self) -> tuple[int, int]:
        try:
            st = os.fstat(self.handle.fileno())
        except (OSError, AttributeError, ValueError):  # in memory (io.BytesIO): cannot change
            return (0, 0)
        return st.st_size, st.st_mtime_ns

    def check(self) -> None:
        """Raise :class:`~tthc.errors.InputChangedError` if the file's size or modification
        time differs from when it was opened."""
        after = self._stat()
        if after != self.before:
            raise InputChangedError(self.name, self.before, after)

    def lines(self) -> Iterator[bytes | None]:
        """Every line from the start; the change check runs when the end is reached."""
        self.handle.seek(0)
        yield from _binary_lines(self.handle)
        self.check()


def _as_bytes(item: str | bytes) -> bytes:
    # A str that is not encodable (a lone surrogate character) becomes invalid UTF-8, which the
    # line check then rejects with its line number.
    return item if isinstance(item, bytes) else item.encode("utf-8", "surrogatepass")


@contextlib.contextmanager
def _opened(
    source: StoredEventsSource, spill_dir: str | os.PathLike[str] | None
) -> Iterator[_Input]:
    """``source`` as an :class:`_Input`: a seekable file is read in place; text and other
    lines are first copied to a temporary file under ``spill_dir`` (removed afterwards)."""
    if isinstance(source, os.PathLike):
        name = os.fspath(source)
        with open(source, "rb", buffering=1 << 20) as handle:
            if handle.seekable():
                yield _Input(name, handle)
            else:  # a pipe or FIFO: copy it first
                with _copied(_binary_chunks(handle), name, spill_dir) as copy:
                    yield copy
        return
    if isinstance(source, str):
        yield _Input("<string>", io.BytesIO(_as_bytes(source)))
        return
    lines = (_as_bytes(item) for item in source)
    joined = (line if line.endswith(b"\n") else line + b"\n" for line in lines)
    with _copied(joined, "<lines>", spill_dir) as copy:
        yield copy


def _binary_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(1 << 20):
        yield chunk


@contextlib.contextmanager
def _copied(
    chunks: Iterable[bytes], name: str, spill_dir: str | os.PathLike[str] | None
) -> Iterator[_Input]:
    directory: str | None = None
    try:
        with signals_deferred():  # the folder exists once recorded for removal
            directory = tempfile.mkdtemp(prefix="tthc-input-", dir=spill_dir)
        path = os.path.join(directory, "input.jsonl")
        with open(path, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        with open(path, "rb", buffering=1 << 20) as handle:
            yield _Input(name, handle)
    finally:
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


# ---- one line, read in full (the slow path) ---------------------------------------------------


class _Parsed(NamedTuple):
    kind: Literal["blank", "bad", "stray", "header", "event"]
    code: str | None  # the dossier the line names (None: it names none)
    event: DossierEvent | None = None
    time_limit: str | None = None
    field: str | None = None
    value: str | None = None
    reason: str = ""
    category: str = ""
    # "stray": a bad line that names no dossier that can be read; ``opens``: it has a
    # 'dossier' key and no 'kind' (a header): the lines without 'dossier' after it go with it
    opens: bool = False


def _bad(
    code: str | None, reason: str, category: str, field: str | None = None, value: str | None = None
) -> _Parsed:
    return _Parsed("bad", code, field=field, value=value, reason=reason, category=category)


def _stray(
    opens: bool, reason: str, category: str, field: str | None = None, value: str | None = None
) -> _Parsed:
    return _Parsed(
        "stray", None, field=field, value=value, reason=reason, category=category, opens=opens
    )


_EMPTY_CODE = ("the dossier code is empty (or only blanks)", "dossier code empty")
"""Reason and category of a line naming an empty dossier code."""


def _unusable_code(code: bytes) -> tuple[str, str, str] | None:
    """``(value, reason, category)`` when ``code`` cannot be a dossier code (not valid UTF-8,
    empty or only blanks), else ``None``."""
    try:
        text = code.decode("utf-8")
    except UnicodeDecodeError:
        shown = _shorten(code.decode("utf-8", "backslashreplace"))
        return shown, "the dossier code is not valid UTF-8", "dossier code not valid UTF-8"
    if text.strip():
        return None
    return _shorten(repr(text)), *_EMPTY_CODE


def _unreadable(
    raw: bytes, reason: str, category: str, value: str | None = None, *, is_object: bool = True
) -> _Parsed:
    """A line that is not an event that can be read: it belongs to the dossier its text names
    (its first ``"dossier": "…"``); one whose ``dossier`` cannot be read is rejected on its own;
    one without ``dossier`` belongs to the current dossier (it may be one of its lines, damaged),
    unless it is no JSON object (``is_object=False``)."""
    m = _KEY.search(raw)
    if m is None:
        if not is_object:
            return _stray(False, reason, category, value=value)
        return _bad(None, reason, category, value=value)
    literal = _STRING.match(raw, m.end())
    code: object = None
    if literal is not None:
        with contextlib.suppress(ValueError, RecursionError):
            code = json.loads(literal.group().decode("utf-8", "surrogateescape"))
    if not isinstance(code, str) or _SURROGATE.search(code):
        opens = is_object and _KIND_KEY.search(raw) is None
        return _stray(opens, reason, category, value=value)
    return _bad(code, reason, category, value=value)


def _surrogate_field(obj: dict[str, Any]) -> str | None:
    """The first key (or key of a value) holding a lone surrogate, if any (iterative walk)."""
    stack: list[tuple[str, object]] = [(str(k), k) for k in obj] + [
        (str(k), v) for k, v in obj.items()
    ]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return where
        elif isinstance(value, list):
            stack.extend((where, v) for v in value)
        elif isinstance(value, dict):
            stack.extend((where, k) for k in value)
            stack.extend((where, v) for v in value.values())
    return None


def _parse_line(raw: bytes) -> _Parsed:
    """Read one line completely: decode, parse, check; an event is validated."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _unreadable(
            raw,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of the line)",
            "not valid UTF-8",
            value=_shorten(raw.decode("utf-8", "backslashreplace")),
        )
    if not text.strip():
        return _Parsed("blank", None)
    text = text.rstrip("\r\n")  # so that an error's column is on this line
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return _unreadable(
            raw,
            f"not JSON: {exc.msg} (column {exc.colno})",
            "not JSON",
            value=_shorten(text.strip()),
        )
    except RecursionError:
        return _unreadable(
            raw,
            "not JSON that can be read: nested too deeply",
            "not JSON: nested too deeply",
            value=_shorten(text.strip()),
        )
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return _unreadable(raw, f"not JSON that can be read: {exc}", "not JSON: number too large")
    if not isinstance(obj, dict):
        return _unreadable(
            raw,
            f"expected a JSON object, got {type(obj).__name__}",
            "not a JSON object",
            value=_shorten(text.strip()),
            is_object=False,
        )
    code: str | None = None
    if "dossier" in obj:
        if not isinstance(obj["dossier"], str):
            return _stray(
                "kind" not in obj,
                "must be a string",
                "field 'dossier': not a string",
                field="dossier",
                value=_shorten(repr(obj["dossier"])),
            )
        code = obj["dossier"]
    where = _surrogate_field(obj)
    if where is not None:
        surrogate = (
            "text with a lone surrogate (a \\ud800-\\udfff escape that is not half of a pair): "
            "not valid Unicode"
        )
        if code is not None and _SURROGATE.search(code):
            return _stray("kind" not in obj, surrogate, "lone surrogate", field="dossier")
        return _bad(code, surrogate, "lone surrogate", field=where)
    if code is not None and not code.strip():  # its lines go together, rejected (_timeline)
        return _bad(code, *_EMPTY_CODE, field="dossier", value=_shorten(repr(code)))
    if code is not None and text.count('"dossier"') != 1:
        return _bad(code, "the 'dossier' key is given twice", "duplicate 'dossier' key", "dossier")
    if "kind" not in obj:
        unknown = set(obj) - _HEADER_KEYS
        if unknown:
            return _bad(
                code,
                "a header line needs a string 'dossier' and may have 'time_limit'; "
                f"unexpected {sorted(unknown)}",
                "header with unknown keys",
                field=sorted(unknown)[0],
            )
        if code is None:
            return _bad(None, "header without 'dossier'", "header without 'dossier'")
        wording = obj.get("time_limit")
        if wording is not None and not isinstance(wording, str):
            return _bad(
                code,
                "must be a string",
                "field 'time_limit': not a string",
                field="time_limit",
                value=_shorten(repr(wording)),
            )
        return _Parsed("header", code, time_limit=wording)
    if code is not None:
        obj = {k: v for k, v in obj.items() if k != "dossier"}
    return _event_from(obj, code)


_SHORT_MESSAGES = {  # pydantic error types whose message is long or variable, for summaries
    "enum": "not one of the allowed values",
    "literal_error": "not one of the allowed values",
    "missing": "missing",
    "extra_forbidden": "unknown field",
    "string_type": "not a string",
    "tuple_type": "not a list",
}


def _event_from(obj: dict[str, Any], code: str | None) -> _Parsed:
    """Validate an event object (the ``dossier`` key removed)."""
    try:
        return _Parsed("event", code, event=_validate(obj))
    except ValidationError as exc:
        err = exc.errors()[0]
        if err["type"] == "vn_datetime":
            out_of_range = _out_of_range(obj, code)
            if out_of_range is not None:
                return out_of_range
        loc = ".".join(str(p) for p in err["loc"])
        more = exc.error_count() - 1
        msg = err["msg"].removeprefix("Value error, ")
        reason = msg + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
        value = err.get("input")
        shown = None if loc == "" else _shorten(value if isinstance(value, str) else repr(value))
        short = _SHORT_MESSAGES.get(err["type"], msg)
        return _bad(
            code,
            reason,
            f"field '{loc}': {short}" if loc else short,
            field=loc or None,
            value=shown,
        )
    except (OverflowError, ValueError):
        return _out_of_range(obj, code) or _bad(
            code, "the event cannot be read (a value is out of range)", "out of range"
        )


def _out_of_range(obj: dict[str, Any], code: str | None) -> _Parsed | None:
    """The rejection of an event with an instant whose offset takes it outside the years 1-9999
    once converted to UTC+7 (the model refuses it as any unreadable instant), or ``None``."""
    for name in _DATETIME_FIELDS:
        if name in obj:
            try:
                value = _any_datetime.validate_python(obj[name])
            except ValueError:
                continue  # not an instant at all: the model's own message says so
            if value.tzinfo is None:
                continue
            try:
                value.astimezone(VN_TZ)
            except OverflowError:
                return _bad(
                    code,
                    "the instant is outside the years 1-9999 once converted to UTC+7",
                    f"field '{name}': instant out of range",
                    field=name,
                    value=_shorten(str(obj[name])),
                )
    return None


# ---- pass 1: each line to a record --------------------------------------------------------------


def _records(lines: Iterable[bytes | None]) -> Iterator[tuple[Any, ...]]:
    """One record per non-blank line, in file order: ``(code, line, tag, a, b, payload)``.

    The common lines are classified without parsing them (the validation of an event happens
    later, per dossier); every other line is read in full here, so that headers update the
    current dossier exactly as the format says. A line that cannot be read belongs to the
    dossier its text names (its first ``"dossier": "…"``), else to the current dossier; one
    that names no dossier that can be read (``_parse_line`` says "stray") is a group of its
    own, keyed ``_STRAY`` and its line number, and when it has no ``kind`` (a header) the
    lines without ``dossier`` after it join it.
    """
    current = _UNNAMED
    search_pair = _PAIR.search
    kind_key = _KIND_KEY.search
    header_line = _HEADER_LINE.fullmatch
    for n, raw in enumerate(lines, 1):
        if raw is None:
            reason = f"line longer than {MAX_LINE_BYTES:,} bytes"
            yield (current, n, _BAD, 0, 0, (None, None, reason, "line too long"))
            continue
        if n == 1 and raw.startswith(_BOM):
            raw = raw[3:]
        m = search_pair(raw)
        if m is not None:
            if b'"kind":' in raw or kind_key(raw) is not None:
                yield (m[m.lastindex or 1], n, _EVENT, m.start(), m.end(), raw)
                continue
            h = header_line(raw)
            if h is not None:
                try:
                    wording = h.group(2).decode("utf-8")
                except UnicodeDecodeError:
                    pass
                else:
                    current = h.group(1)
                    yield (current, n, _HEADER, 0, 0, wording)
                    continue
        elif b'"dossier"' not in raw and raw[:1] == b"{":
            yield (current, n, _EVENT, 0, 0, raw)
            continue
        parsed = _parse_line(raw)  # blank lines and other objects come here too
        kind = parsed.kind
        if kind == "blank":
            continue
        if kind == "stray":
            stray = _STRAY + n.to_bytes(8, "big")
            if parsed.opens:
                current = stray
            payload = (parsed.field, parsed.value, parsed.reason, parsed.category)
            yield (stray, n, _BAD, 0, 0, payload)
            continue
        name = parsed.code
        code = current if name is None else _as_bytes(name)
        if kind == "header" or (kind == "bad" and name is not None and not kind_key(raw)):
            current = code  # the following lines without 'dossier' belong to it
        if kind == "header":
            yield (code, n, _HEADER, 0, 0, parsed.time_limit)
        elif kind == "event":
            yield (code, n, _EVENT, 0, 0, raw)
        else:
            payload = (parsed.field, parsed.value, parsed.reason, parsed.category)
            yield (code, n, _BAD, 0, 0, payload)


# ---- per dossier: records to a timeline ---------------------------------------------------------

_LIMITS: dict[str, TimeLimit | str] = {}  # wording -> TimeLimit, or the reason it is refused
_LIMITS_KEPT = 4096


def _parse_limit(wording: str) -> TimeLimit | str:
    got = _LIMITS.get(wording)
    if got is None:
        try:
            got = TimeLimit.parse(wording)
        except (TthcError, ValueError, OverflowError) as exc:
            got = str(exc) or type(exc).__name__
        if len(_LIMITS) >= _LIMITS_KEPT:
            _LIMITS.clear()
        _LIMITS[wording] = got
    return got


_AFTER_STRAY = (
    "a line without 'dossier' belongs to the dossier the header before it names, and that "
    "header names none that can be read",
    "after a header that names no dossier",
)
"""Reason and category of a line without ``dossier`` after a header whose code is unusable."""


def _no_dossier(code_bytes: bytes, records: Iterable[tuple[Any, ...]]) -> StoredTimeline:
    """The lines that name no dossier that can be read, each rejected (``code`` ``None``): one
    that names none (keyed ``_STRAY``), or lines that name the same unusable code (not valid
    UTF-8, empty), with the lines without ``dossier`` after such a header."""
    t = StoredTimeline(None)
    problem = None if code_bytes.startswith(_STRAY) else _unusable_code(code_bytes)
    for _, n, tag, _a, b, payload in records:
        if tag == _BAD:
            fld, value, reason, category = payload
        elif tag == _EVENT and not b:  # no 'dossier' key: it follows the header
            fld, value, (reason, category) = None, None, _AFTER_STRAY
        else:  # a header or an event naming the code
            assert problem is not None
            fld, (value, reason, category) = "dossier", problem
        t.rejections.append(EventRejection(n, None, fld, value, reason, category))
    return t


def _timeline(code_bytes: bytes, records: Iterable[tuple[Any, ...]]) -> StoredTimeline:
    """The timeline of one dossier from its records (in line order); lines that name no
    dossier that can be read give a timeline whose ``code`` is ``None``, every line rejected."""
    try:
        code = code_bytes.decode("utf-8")
    except UnicodeDecodeError:
        return _no_dossier(code_bytes, records)
    if not code.strip():
        return _no_dossier(code_bytes, records)
    t = StoredTimeline(code)
    events = t.events
    lines = t.lines
    rejections = t.rejections
    for _, n, tag, a, b, payload in records:
        if tag == _EVENT:
            try:
                event = _validate_json(payload[:a] + payload[b:] if b else payload)
            except (ValueError, ArithmeticError, RecursionError):
                parsed = _parse_line(payload)
                if parsed.kind == "event" and parsed.code in (None, code):
                    assert parsed.event is not None
                    event = parsed.event
                elif parsed.kind in ("bad", "stray"):
                    rejections.append(
                        EventRejection(
                            n, code, parsed.field, parsed.value, parsed.reason, parsed.category
                        )
                    )
                    continue
                else:  # pragma: no cover - classified one way by its text, another when parsed
                    rejections.append(
                        EventRejection(n, code, None, None, "ambiguous line", "ambiguous line")
                    )
                    continue
            events.append(event)
            lines.append(n)
        elif tag == _HEADER:
            if payload is None:
                continue
            limit = _parse_limit(payload)
            if isinstance(limit, str):
                rejections.append(
                    EventRejection(
                        n,
                        code,
                        "time_limit",
                        _shorten(payload),
                        limit,
                        "field 'time_limit': cannot be read",
                    )
                )
            elif t.time_limit is not None and t.time_limit != limit:
                rejections.append(
                    EventRejection(
                        n,
                        code,
                        "time_limit",
                        str(limit),
                        f"dossier {code} already has time limit {t.time_limit} from an earlier "
                        f"header, not {limit}",
                        "field 'time_limit': differs from an earlier header",
                    )
                )
            else:
                t.time_limit = limit
        else:
            fld, value, reason, category = payload
            rejections.append(EventRejection(n, code, fld, value, reason, category))
    return t


_by_code = itemgetter(0)


class _Plan(NamedTuple):
    """What the first pass learnt: the ordinal of each dossier's last record (keyed by the hash
    of its code: a collision only makes a dossier wait to the end of the file) and whether each
    dossier's records are together (a grouped file)."""

    last: dict[int, int]
    grouped: bool


def _last_lines_exact(records: Iterable[tuple[Any, ...]]) -> _Plan | None:
    """The first pass, record by record; ``None`` when the file holds more than
    :data:`STREAMING_MAX_DOSSIERS` dossiers."""
    last: dict[int, int] = {}
    runs = 0
    ordinal = -1
    for code, group in itertools.groupby(records, _by_code):
        runs += 1
        ordinal += sum(1 for _ in group)
        last[hash(code)] = ordinal
        if len(last) > STREAMING_MAX_DOSSIERS:
            return None
    return _Plan(last, runs == len(last))


def _last_lines(src: _Input) -> _Plan | None:
    """:func:`_last_lines_exact` by scanning large blocks with one regular expression, valid
    while every non-empty line names its dossier once, simply (``"dossier": "…"``, no escapes):
    then a line's dossier is the one its text names. When a line is not of that form, the
    line-by-line reader decides (the exact pass, slower)."""
    handle = src.handle
    handle.seek(0)
    last: dict[int, int] = {}
    update = last.update
    ordinal = 0
    runs = 0
    previous: bytes | None = None
    tail = b""
    first = True
    findall = _CODE_LINE.findall
    while True:
        block = handle.read(1 << 22)
        if block:
            block = tail + block
            cut = block.rfind(b"\n") + 1
            chunk, tail = block[:cut], block[cut:]
            if len(tail) > MAX_LINE_BYTES:
                return _last_lines_exact(_records(src.lines()))
        elif tail:
            chunk, tail = tail + b"\n", b""
        else:
            return _Plan(last, runs == len(last))
        if first:
            first = False
            if chunk.startswith(_BOM):
                chunk = chunk[3:]
        n = chunk.count(b"\n") - chunk.count(b"\n\n")  # a miscount only means "not simple"
        codes = findall(chunk)
        if len(codes) != n or chunk.count(b'"dossier"') != n:
            return _last_lines_exact(_records(src.lines()))
        if n:
            update(zip(map(hash, codes), range(ordinal, ordinal + n), strict=True))
            ordinal += n
            # runs of equal codes: one more at each change (counted in C, no Python loop)
            runs += sum(map(operator.ne, codes[1:], codes)) + (codes[0] != previous)
            previous = codes[-1]
        if len(last) > STREAMING_MAX_DOSSIERS:
            return None


def _strict(timeline: StoredTimeline, source: str) -> StoredTimeline:
    if timeline.rejections:
        raise timeline.rejections[0].to_error(source)
    return timeline


def iter_timelines_jsonl(
    source: StoredEventsSource,
    *,
    spill_dir: str | os.PathLike[str] | None = None,
    on_error: Literal["raise", "collect"] = "raise",
) -> Generator[StoredTimeline, None, None]:
    """Stream stored timelines, one :class:`StoredTimeline` per dossier, in bounded memory.

    ``source`` is a path, the text itself (``str``) or lines. A quick first pass notes the line
    where each dossier ends; each timeline is then yielded as soon as that line is read: a file
    grouped by dossier in file order, an event log in the order its dossiers end. If more than
    :data:`OPEN_BYTES` of lines would wait for their dossier's end (or the file has more than
    :data:`STREAMING_MAX_DOSSIERS` dossiers), the rest is sorted by dossier with an external
    sort — runs spilled to a private temporary directory under ``spill_dir`` (default: the
    system's), merged, and always removed, also when the generator is closed early or an
    exception (Ctrl-C included) goes through it — and comes out in dossier-code order. Memory
    stays bounded by the largest timeline and those limits, not the file. Lines that are not a
    path (or a pipe) are first copied to a temporary file there.

    Each line is validated at the boundary. ``on_error="raise"`` (default) raises at the
    first bad line; ``"collect"`` yields every timeline, a bad one with its
    :attr:`~StoredTimeline.rejections`, and the lines that name no dossier that can be read as
    timelines of their own whose ``code`` is ``None``. A file whose size or modification time changes while
    it is read raises :class:`~tthc.errors.InputChangedError` (at the end of the file).

    >>> text = '{"dossier": "B", "kind": "received", "at": "2024-03-01T08:00:00"}\\n' \\
    ...        '{"dossier": "A", "kind": "received", "at": "2024-03-01T09:00:00"}\\n' \\
    ...        '{"dossier": "B", "kind": "completed", "at": "2024-03-04T10:00:00"}\\n'
    >>> [(t.code, [e.kind.value for e in t.events], t.lines) for t in iter_timelines_jsonl(text)]
    [('A', ['received'], [2]), ('B', ['received', 'completed'], [1, 3])]

    Raises:
        EventLineError: a bad line (with ``on_error="raise"``).
        InputChangedError: the file changed while it was read.
        OSError: the file cannot be read.
    """
    with (
        _opened(source, spill_dir) as src,
        contextlib.closing(_raw_groups(src, spill_dir)) as groups,
    ):
        for code, records in groups:
            timeline = _timeline(code, records)
            yield _strict(timeline, src.name) if on_error == "raise" else timeline


def _drained(pending: dict[bytes, list[Any]]) -> Iterator[tuple[Any, ...]]:
    """The waiting records, each dossier's in order, each group let go once handed over (so
    that the sort's spilled runs free their memory)."""
    while pending:
        _, (group, _) = pending.popitem()
        yield from group


def _raw_groups(
    src: _Input, spill_dir: str | os.PathLike[str] | None
) -> Generator[tuple[bytes, list[tuple[Any, ...]]], None, None]:
    """Each dossier's records, together, as soon as its last line is read.

    A first, quick pass notes each dossier's last line; the second pass keeps the records of
    the dossiers not finished yet and hands each over at its last line: a grouped file streams
    with one dossier in memory, an event log in time order with the dossiers open at that
    point. If more than :data:`OPEN_BYTES` would be held (or the file has more than
    :data:`STREAMING_MAX_DOSSIERS` dossiers), the rest goes through the external sort (its
    files removed when this generator is closed) and comes out in code order.
    """
    plan = _last_lines(src)
    records = _records(src.lines())
    if plan is None:
        with contextlib.closing(groups_by_key(records, spill_dir=spill_dir)) as groups:
            yield from groups
        return
    if plan.grouped:  # the usual export: one dossier after the other
        for code, run in itertools.groupby(records, _by_code):
            yield code, list(run)
        return
    get_last = plan.last.get
    pending: dict[bytes, list[Any]] = {}  # code -> [records, bytes held]
    held = 0
    for ordinal, record in enumerate(records):
        code = record[0]
        waiting = pending.get(code)
        if get_last(hash(code)) == ordinal:
            if waiting is None:
                yield code, [record]
            else:
                del pending[code]
                held -= waiting[1]
                waiting[0].append(record)
                yield code, waiting[0]
            continue
        size = len(record[-1] or b"") + RECORD_OVERHEAD
        if waiting is None:
            pending[code] = [[record], size]
        else:
            waiting[0].append(record)
            waiting[1] += size
        held += size
        if held > OPEN_BYTES:  # too many dossiers open at once: sort the rest
            rest = itertools.chain(_drained(pending), records)
            with contextlib.closing(groups_by_key(rest, spill_dir=spill_dir)) as groups:
                yield from groups
            return
    for code in sorted(pending):  # only when two codes share a hash: they waited to the end
        yield code, pending.pop(code)[0]


# ---- replaying -----------------------------------------------------------------------------------


class _Tracked:
    """Iterates over events, remembering the index of the last one handed out."""

    def __init__(self, events: list[DossierEvent]) -> None:
        self.events = events
        self.index = -1

    def __iter__(self) -> Iterator[DossierEvent]:
        for index, event in enumerate(self.events):
            self.index = index
            yield event


def _category(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, TransitionError):
        kind = getattr(getattr(exc.event, "kind", None), "value", "?")
        state = getattr(exc.state, "value", exc.state)
        if "earlier than the previous event" in text:
            return "events out of time order"
        if "already re-appointed" in text:
            return "a second re-appointment (Decree 118/2025 Art. 19(6))"
        if "the new appointment" in text:
            return "re-appointment not after the due date"
        if state == "closed":
            return "event after the supplement window closed the dossier (Art. 19(5))"
        return f"event '{kind}' not allowed in state '{state}'"
    return f"cannot be computed ({type(exc).__name__})"


def _rejected_event(
    timeline: StoredTimeline,
    code: str,
    exc: Exception,
    limit: TimeLimit | None,
    kw: dict[str, Any],
) -> EventRejection:
    """The rejection for an error of replaying ``timeline``, naming the event's line."""
    index = -1
    event = getattr(exc, "event", None)
    if event is not None:
        index = next((i for i, e in enumerate(timeline.events) if e is event), -1)
    if index < 0:  # find the event being applied when it failed
        tracked = _Tracked(timeline.events)
        with contextlib.suppress(TthcError, ValueError, ArithmeticError):
            replay(tracked, code=code, limit=limit, **kw)
        index = tracked.index
    line = timeline.lines[index] if 0 <= index < len(timeline.lines) else None
    kind = timeline.events[index].kind.value if 0 <= index < len(timeline.events) else None
    reason = str(exc) or type(exc).__name__
    prefix = f"dossier {code}: "
    reason = reason.removeprefix(prefix)
    return EventRejection(line, code, "kind", kind, reason, _category(exc))


def _replay_timeline(
    timeline: StoredTimeline,
    *,
    limit: TimeLimit | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    rules: LifecyclePolicy | None = None,
) -> ReplayResult:
    """Replay one stored timeline into a :class:`ReplayResult` (never raises for its data)."""
    first = timeline.lines[0] if timeline.lines else None
    code = timeline.code
    if timeline.rejections or code is None:
        lines = [r.line for r in timeline.rejections if r.line is not None]
        first = min([*lines, *([first] if first is not None else [])], default=None)
        return ReplayResult(code, None, tuple(timeline.rejections), first)
    own = timeline.time_limit if timeline.time_limit is not None else limit
    kw: dict[str, Any] = {"calendar": calendar, "policy": policy, "rules": rules}
    try:
        state = replay(timeline.events, code=code, limit=own, **kw)
    except (TthcError, ValueError, ArithmeticError) as exc:
        rejection = _rejected_event(timeline, code, exc, own, kw)
        return ReplayResult(code, None, (rejection,), first)
    return ReplayResult(code, state, (), first)


def iter_replay_jsonl(
    source: StoredEventsSource,
    *,
    limit: TimeLimit | str | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    rules: LifecyclePolicy | None = None,
    spill_dir: str | os.PathLike[str] | None = None,
) -> Generator[ReplayResult, None, None]:
    """Stream stored timelines (:func:`iter_timelines_jsonl`) and replay each dossier as soon as
    its lines are read, in bounded memory: one :class:`ReplayResult` per dossier.

    A bad dossier does not stop the others: its result has ``state=None`` and the
    ``rejections`` that name the line, field, value and reason (a line that cannot be read, or
    the event the state machine refuses). Lines that name no dossier that can be read come as
    results whose ``code`` is ``None``, so that they spoil no dossier. ``limit`` is used for
    dossiers whose header gives no ``time_limit``. Close the generator (or exhaust it) to remove the sort's temporary files
    at once: ``with contextlib.closing(iter_replay_jsonl(path)) as results: …``.

    >>> text = '{"dossier": "A", "time_limit": "03 ngày làm việc"}\\n' \\
    ...        '{"dossier": "A", "kind": "received", "at": "2024-03-01T08:00:00"}\\n' \\
    ...        '{"dossier": "B", "kind": "completed", "at": "2024-03-01T09:00:00"}\\n'
    >>> for r in iter_replay_jsonl(text):
    ...     print(r.code, r.state.state.value if r.replayed else r.rejections[0].category)
    A received
    B event 'completed' not allowed in state 'new'

    Raises:
        InputChangedError: the file changed while it was read.
        TimeLimitParseError: ``limit`` cannot be read.
        OSError: the file cannot be read.
    """
    default = TimeLimit.parse(limit) if limit is not None else None
    timelines = iter_timelines_jsonl(source, spill_dir=spill_dir, on_error="collect")
    try:
        for timeline in timelines:
            yield _replay_timeline(
                timeline, limit=default, calendar=calendar, policy=policy, rules=rules
            )
    finally:
        timelines.close()


class MappedReplay(NamedTuple, Generic[T]):
    """One dossier of :func:`map_replay_jsonl`: ``value`` is what the function returned for its
    replayed state, or ``None`` with the ``rejections`` that say why it was not replayed (or why
    the function failed on it). ``first_line`` is the dossier's first input line. ``code`` is
    ``None`` for lines that name no dossier, rejected on their own (as in :class:`ReplayResult`).

    >>> MappedReplay("A-1", "x", (), 3).replayed
    True
    """

    code: str | None
    value: T | None
    rejections: tuple[EventRejection, ...]
    first_line: int | None

    @property
    def replayed(self) -> bool:
        """True when the dossier was replayed and summarised (no rejection)."""
        return not self.rejections


def _mapped(
    code: bytes,
    records: Iterable[tuple[Any, ...]],
    func: Callable[[DossierState], T],
    kw: dict[str, Any],
) -> MappedReplay[T]:
    result = _replay_timeline(_timeline(code, records), **kw)
    if result.state is None:
        return MappedReplay(result.code, None, result.rejections, result.first_line)
    try:
        return MappedReplay(result.code, func(result.state), (), result.first_line)
    except (TthcError, ValueError, ArithmeticError) as exc:  # e.g. a due date past 2100
        reason = str(exc).removeprefix(f"dossier {result.code}: ") or type(exc).__name__
        rejection = EventRejection(
            result.first_line,
            result.code,
            None,
            None,
            f"cannot judge the dossier: {reason}",
            f"cannot compute the due date or timeliness ({type(exc).__name__})",
        )
        return MappedReplay(result.code, None, (rejection,), result.first_line)


def map_replay_jsonl(
    source: StoredEventsSource,
    func: Callable[[DossierState], T],
    *,
    limit: TimeLimit | str | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    rules: LifecyclePolicy | None = None,
    spill_dir: str | os.PathLike[str] | None = None,
) -> Generator[MappedReplay[T], None, None]:
    """Like :func:`iter_replay_jsonl`, but yield ``func(state)`` for each replayed dossier
    (streaming, in bounded memory): ``func`` turns a state into something small to keep or
    print (a summary dict, a line of text). An error of ``func`` caused by the data (a
    :class:`~tthc.TthcError`, ``ValueError`` or ``ArithmeticError``: e.g. a due date the
    calendar cannot compute) rejects that dossier like a bad line.

    >>> text = '{"dossier": "A", "time_limit": "03 ngày làm việc"}\\n' \\
    ...        '{"dossier": "A", "kind": "received", "at": "2024-03-01T08:00:00"}\\n'
    >>> [(r.code, r.value) for r in map_replay_jsonl(text, lambda s: f"{s.due_at:%d/%m}")]
    [('A', '06/03')]

    Raises:
        InputChangedError: the file changed while it was read.
        TimeLimitParseError: ``limit`` cannot be read.
        OSError: the file cannot be read.
    """
    kw: dict[str, Any] = {
        "limit": TimeLimit.parse(limit) if limit is not None else None,
        "calendar": calendar,
        "policy": policy,
        "rules": rules,
    }
    with (
        _opened(source, spill_dir) as src,
        contextlib.closing(_raw_groups(src, spill_dir)) as groups,
    ):
        for code, records in groups:
            yield _mapped(code, records, func, kw)


# ---- whole-file (in memory) reading, kept for small inputs ---------------------------------------


def read_timelines_jsonl(source: str | Path | Iterable[str]) -> list[StoredTimeline]:
    """Read stored timelines from JSON lines (a :class:`~pathlib.Path`, text, or lines), all in
    memory, in order of each dossier's first line. For large files use
    :func:`iter_timelines_jsonl`, which streams.

    Every line is validated here, at the boundary; a bad line raises naming its number, the
    dossier and the field.

    >>> text = '{"dossier": "X-240301-0001", "time_limit": "03 ngày làm việc"}\\n' \\
    ...        '{"kind": "received", "at": "2024-03-01T08:00:00"}\\n'
    >>> [(t.code, str(t.time_limit), len(t.events)) for t in read_timelines_jsonl(text)]
    [('X-240301-0001', '03 ngày làm việc', 1)]

    Raises:
        EventLineError: a line that is not JSON, not an object, or not a valid event; a
            header that gives a dossier a different time limit than an earlier header.
        InputChangedError: the file changed while it was read.
    """
    if isinstance(source, Path):
        with open(source, "rb", buffering=1 << 20) as handle:
            src = _Input(str(source), handle)
            return _read_all(src.lines(), src.name)
    if isinstance(source, str):
        return _read_all(_binary_lines(io.BytesIO(_as_bytes(source))), "<string>")
    return _read_all((_as_bytes(line) for line in source), "<lines>")


def _read_all(lines: Iterable[bytes | None], name: str) -> list[StoredTimeline]:
    out: dict[bytes, StoredTimeline] = {}
    for record in _records(lines):
        one = _strict(_timeline(record[0], (record,)), name)
        known = out.get(record[0])
        if known is None:
            out[record[0]] = one
            continue
        if one.time_limit is not None:
            if known.time_limit is not None and known.time_limit != one.time_limit:
                raise EventLineError(
                    f"dossier {known.code} already has time limit {known.time_limit} from an "
                    f"earlier header, not {one.time_limit}",
                    source=name,
                    line=record[1],
                    code=known.code,
                    field="time_limit",
                    value=str(one.time_limit),
                )
            known.time_limit = one.time_limit
        known.events.extend(one.events)
        known.lines.extend(one.lines)
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
    """Read stored timelines (:func:`read_timelines_jsonl`, in memory) and replay each one; stop
    at the first problem. For large files, or to go on past a bad dossier, use
    :func:`iter_replay_jsonl`.

    ``limit`` is used for dossiers whose header gives no ``time_limit``.

    >>> text = '{"dossier": "X-240301-0001", "time_limit": "03 ngày làm việc"}\\n' \\
    ...        '{"kind": "received", "at": "2024-03-01T08:00:00"}\\n' \\
    ...        '{"kind": "completed", "at": "2024-03-05T10:00:00"}\\n'
    >>> s = replay_jsonl(text)["X-240301-0001"]
    >>> s.state.value, f"{s.due_at:%d/%m/%Y %H:%M}"
    ('completed', '06/03/2024 17:00')

    Raises:
        EventLineError: a bad line.
        TransitionError: an event the state machine refuses.
    """
    states: dict[str, DossierState] = {}
    default = TimeLimit.parse(limit) if limit is not None else None
    for timeline in read_timelines_jsonl(source):
        code = timeline.code
        assert code is not None  # a line that names no dossier raised in the reading
        own = timeline.time_limit if timeline.time_limit is not None else default
        states[code] = replay(
            timeline.events,
            code=code,
            limit=own,
            calendar=calendar,
            policy=policy,
            rules=rules,
        )
    return states
