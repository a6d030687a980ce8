"""``tthc dossier``: replay stored timelines and print slips.

* ``tthc dossier replay EVENTS.jsonl [--time-limit TEXT] [--as-of ISO]
  [--format text|json|jsonl] [-o OUT] [--rejections FILE] [--spill-dir DIR]`` prints, per
  dossier, the state, the due date, the re-appointment and the timeliness. It streams: memory
  does not grow with the file. A bad dossier is rejected (summarised on standard error, listed
  in full with ``--rejections``) and the others are replayed; the exit status is then 1.
* ``tthc dossier slip FILE --kind receipt|supplement_request|refusal|apology|control_sheet
  [--format text|html] [-o OUT]`` prints a slip. ``FILE`` is stored timelines (JSON lines) or
  one :class:`~tthc.Dossier` as JSON (then the applicant and components are printed too).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import functools
import gc
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

from pydantic import ValidationError

from tthc._cli._common import check_directory, parse_instant
from tthc._cli._exit import EXIT_INPUT_PROBLEMS, EXIT_OK
from tthc._cli._input import listed_cells
from tthc._cli._output import check_outputs, output_format
from tthc._io import atomic_output
from tthc._time import VN_TZ
from tthc._timelimit import TimeLimit
from tthc.calendar import WorkingCalendar
from tthc.errors import InvalidInputError
from tthc.lifecycle import (
    DossierState,
    EventRejection,
    LifecycleState,
    ReplayResult,
    SlipKind,
    TimelinessResult,
    build_slip,
    iter_replay_jsonl,
    lifecycle_of,
    map_replay_jsonl,
    timeliness,
)

STDIN = "-"
"""The ``EVENTS`` argument that reads standard input."""

LISTED_REJECTIONS = 10
"""Up to this many rejected lines are printed one by one on standard error; more are
summarised by reason (with ``--rejections FILE`` listing every one)."""

SUMMARY_REASONS = 10
"""Reasons shown in the summary of rejected lines (the most frequent first)."""

SUMMARY_LINES = 3
"""First line numbers shown for each reason of the summary."""

REASONS_KEPT = 1000
"""Distinct reasons counted separately; further ones are counted together as "other"."""

REJECTION_COLUMNS = ("line", "code", "field", "value", "reason")
REPLAY_FORMATS: Final = ("text", "json", "jsonl")
SLIP_FORMATS: Final = ("text", "html")
_DOSSIER_SUFFIXES: Final[dict[str, str]] = {
    ".txt": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
}
"""The format each ``-o`` suffix names for ``dossier replay`` and ``dossier slip``."""
"""Columns of the ``--rejections`` CSV file."""

DOSSIER_JSON_MAX_BYTES = 16 * 1024 * 1024
"""``tthc dossier slip`` reads a file up to this size as one ``Dossier`` JSON when it looks like
one; a larger file is read as stored timelines (JSON lines)."""

_GC_THRESHOLD = 200_000  # allocations between young collections while replaying (default 700)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add this module's sub-commands to ``subparsers``."""
    p = subparsers.add_parser(
        "dossier",
        help="replay dossier timelines, print slips",
        description="Dossier lifecycle: replay stored events (JSON lines) and print slips.",
    )
    sub = p.add_subparsers(dest="dossier_command", metavar="ACTION", required=True)

    r = sub.add_parser(
        "replay",
        help="rebuild state, due date and timeliness from stored events",
        description="Replay stored timelines (JSON lines) and print each dossier's state, "
        "due date and timeliness. Streams the file; a bad dossier is rejected and the others "
        "are replayed. Exit status: 0 every dossier replayed; 1 some rejected (summarised on "
        "standard error, listed with --rejections); 2 usage error or unreadable input.",
    )
    r.add_argument(
        "events", metavar="EVENTS.jsonl", help="stored timelines (JSON lines); - for stdin"
    )
    _common(r)
    r.add_argument(
        "--format",
        choices=REPLAY_FORMATS,
        help="text (default), json (one array) or jsonl (one object per line); by default "
        "the one -o's suffix names (.txt, .json, .jsonl)",
    )
    r.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    r.add_argument(
        "--rejections",
        type=Path,
        metavar="FILE",
        help="write every rejected line to this CSV file (" + ", ".join(REJECTION_COLUMNS) + ")",
    )
    r.add_argument(
        "--spill-dir",
        type=Path,
        metavar="DIR",
        help="where the temporary files of the sort go when a file's dossiers are not grouped "
        "(default: the system's temporary directory)",
    )
    r.set_defaults(func=_replay)

    s = sub.add_parser(
        "slip",
        help="print a slip (receipt, supplement request, refusal, apology, control sheet)",
        description="Print a slip for one dossier, as plain text or printable HTML.",
    )
    s.add_argument("source", type=Path, metavar="FILE", help="EVENTS.jsonl or DOSSIER.json")
    s.add_argument(
        "--kind", required=True, choices=[k.value for k in SlipKind], help="which slip to print"
    )
    s.add_argument("--dossier", metavar="CODE", help="the dossier, when FILE holds several")
    s.add_argument("--office", help="the issuing office, printed on the slip")
    s.add_argument(
        "--format",
        choices=SLIP_FORMATS,
        help="text (default) or html; by default the one -o's suffix names (.txt, .html)",
    )
    s.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    _common(s)
    s.set_defaults(func=_slip)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--time-limit",
        metavar="TEXT",
        help="time limit for dossiers whose file gives none, e.g. '05 ngày làm việc'",
    )
    p.add_argument(
        "--as-of",
        metavar="ISO",
        help="judge timeliness at this instant (ISO 8601, naive = UTC+7; default: now)",
    )


def _as_of(args: argparse.Namespace) -> dt.datetime:
    """``--as-of`` (default: now), checked against what the working calendar can compute."""
    if args.as_of is None:
        return dt.datetime.now(VN_TZ)
    text = args.as_of.strip()
    value = parse_instant(text, f"--as-of {args.as_of!r} is not an ISO 8601 datetime", "--as-of")
    low, high = WorkingCalendar.vietnam().bounds
    if not low <= value.year <= high:
        raise InvalidInputError(
            f"--as-of {args.as_of!r} is outside the years {low}–{high} the working calendar "
            "can compute"
        )
    return value


def _limit(args: argparse.Namespace) -> TimeLimit | None:
    return TimeLimit.parse(args.time_limit) if args.time_limit else None


def _fmt(value: dt.datetime | None) -> str:
    return "—" if value is None else f"{value:%d/%m/%Y %H:%M}"


def _clean(text: str) -> str:
    """``text`` safe for a terminal: control characters shown as ``\\xNN`` escapes."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _judged(
    state: DossierState, as_of: dt.datetime
) -> tuple[LifecycleState, dt.datetime | None, dt.datetime | None, TimelinessResult | None]:
    """State, due instant, re-appointment and timeliness as of ``as_of`` (events after it and
    a lapsed supplement window taken into account); without a time limit, the replayed state."""
    if state.limit is not None and state.received_at is not None:
        t = timeliness(state, as_of)
        return t.state, t.due_at, t.reappointed_due_at, t
    return state.state, state.due_at, state.reappointed_due_at, None


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _text_block(state: DossierState, as_of: dt.datetime) -> str:
    current, due, reappointed, t = _judged(state, as_of)
    lines = [
        f"Hồ sơ {_clean(state.code)}:",
        f"  Trạng thái (state): {current.label_vi} ({current.label_en})",
        f"  Hạn trả kết quả (due): {_fmt(due)}",
    ]
    if reappointed is not None:
        lines.append(f"  Hẹn lại (re-appointed): {_fmt(reappointed)}")
    if t is not None:
        lines.append(f"  Tiến độ (timeliness): {t.label_vi}")
    else:
        lines.append("  Tiến độ (timeliness): — (no time limit: give --time-limit)")
    return "\n".join(lines) + "\n"


_quote = json.encoder.encode_basestring  # JSON string literal, non-ASCII kept (C function)


def _json_text(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _json_line(state: DossierState, as_of: dt.datetime) -> str:
    """The dossier's JSON line, written directly: about twice as fast as building a dict and
    ``json.dumps(..., ensure_ascii=False)``, which a test checks it equals."""
    current, due, reappointed, t = _judged(state, as_of)
    status = current.status
    text = (
        f'{{"code": {_quote(state.code)}, "state": "{current.value}", "status": '
        f"{_json_text(status.value if status is not None else None)}, "
        f'"events": {len(state.events)}, "due_at": {_json_text(_iso(due))}, '
        f'"reappointed_due_at": {_json_text(_iso(reappointed))}, '
    )
    if t is None:
        return text + '"timeliness": null, "timeliness_vi": null}'
    hours = t.overdue_by.total / dt.timedelta(hours=1) if t.overdue_by else 0
    return (
        f'{text}"timeliness": "{t.timeliness.value}", "timeliness_vi": {_quote(t.label_vi)}, '
        f'"overdue_by_hours": {float.__repr__(hours) if isinstance(hours, float) else hours}, '
        f'"due_soon": {"true" if t.due_soon else "false"}}}'
    )


def _render(fmt: str, as_of: dt.datetime, state: DossierState) -> str:
    """One dossier in the output format."""
    if fmt == "text":
        return _text_block(state, as_of)
    return _json_line(state, as_of)


class _Writer:
    """Writes each replayed dossier as soon as it is judged, in the chosen format."""

    def __init__(self, out: IO[str], fmt: str, as_of: dt.datetime) -> None:
        self.out = out
        self.fmt = fmt
        self.count = 0
        if fmt == "text":
            out.write(f"Thời điểm đánh giá (as of): {as_of:%d/%m/%Y %H:%M}\n")
        elif fmt == "json":
            out.write("[")

    def write(self, text: str) -> None:
        if self.fmt == "json":
            text = ("\n" if not self.count else ",\n") + text
        elif self.fmt == "jsonl":
            text += "\n"
        self.out.write(text)
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "]\n")


class _Rejections:
    """Counts rejected dossiers and lines, by reason, and writes the CSV list. Lines that name
    no dossier are counted apart (``strays``): they are no dossier."""

    def __init__(self, csv_file: IO[str] | None) -> None:
        self.writer = csv.writer(csv_file, lineterminator="\n") if csv_file else None
        if self.writer is not None:
            self.writer.writerow(REJECTION_COLUMNS)
        self.dossiers = 0
        self.strays = 0
        self.lines = 0
        self.first: list[EventRejection] = []
        self.reasons: dict[str, list[Any]] = {}  # category -> [count, first lines]

    def add(self, rejections: tuple[EventRejection, ...], *, dossier: bool = True) -> None:
        """Count a rejected dossier's lines, or (``dossier=False``) lines naming none."""
        if dossier:
            self.dossiers += 1
        else:
            self.strays += len(rejections)
        for r in rejections:
            self.lines += 1
            if len(self.first) <= LISTED_REJECTIONS:
                self.first.append(r)
            key = r.category
            if key not in self.reasons and len(self.reasons) >= REASONS_KEPT:
                key = "other reasons"
            seen = self.reasons.setdefault(key, [0, []])
            seen[0] += 1
            if len(seen[1]) < SUMMARY_LINES and r.line is not None:
                seen[1].append(r.line)
            if self.writer is not None:
                self.writer.writerow(listed_cells(r.line, r.code, r.field, r.value, r.reason))

    def report(self, name: str, replayed: int, listed_in: Path | None) -> None:
        err = sys.stderr
        if self.lines <= LISTED_REJECTIONS:
            for r in self.first:
                print(f"{name}: rejected {_clean(str(r))}", file=err)
        else:
            print(f"{name}: {self.lines:,} rejected line(s), by reason:", file=err)
            ranked = sorted(self.reasons.items(), key=lambda kv: (-kv[1][0], kv[0]))
            for category, (count, lines) in ranked[:SUMMARY_REASONS]:
                shown = ", ".join(f"{n:,}" for n in lines) + (", …" if count > len(lines) else "")
                print(f"  {count:>9,}  {_clean(category)} (line {shown})", file=err)
            if len(ranked) > SUMMARY_REASONS:
                rest = sum(c for _, (c, _) in ranked[SUMMARY_REASONS:])
                more = len(ranked) - SUMMARY_REASONS
                print(f"  {rest:>9,}  … {more:,} other reason(s)", file=err)
        where = (
            f"; every rejected line is listed in {listed_in}"
            if listed_in is not None
            else (
                "; give --rejections FILE to list every one"
                if self.lines > LISTED_REJECTIONS
                else ""
            )
        )
        strays = ""
        if self.strays:
            strays = f", and {self.strays:,} line(s) naming no readable dossier rejected"
        print(
            f"{name}: {self.dossiers:,} of {self.dossiers + replayed:,} dossier(s) rejected, "
            f"the other {replayed:,} replayed{strays}{where}",
            file=err,
        )


@contextlib.contextmanager
def _gc_for_streaming() -> Iterator[None]:
    """Fewer young-generation collections while streaming: each event allocates a few dozen
    objects that die within its dossier, and the default threshold (700) collects every few
    events. The previous thresholds are restored afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _replay(args: argparse.Namespace) -> int:
    name = "tthc dossier replay"
    as_of = _as_of(args)
    limit = _limit(args)
    source: Path | IO[bytes]
    if args.events == STDIN:
        source = sys.stdin.buffer
        inputs: list[str | os.PathLike[str]] = []
    else:
        source = Path(args.events)
        inputs = [source]
        if not source.exists():
            raise InvalidInputError(f"{source}: no such file")
        if source.is_dir():
            raise InvalidInputError(f"{source} is a directory, not a JSON-lines file")
    check_outputs(inputs, ("-o", args.output), ("--rejections", args.rejections))
    args.format = output_format(
        args.format, args.output, REPLAY_FORMATS, "text", suffixes=_DOSSIER_SUFFIXES
    )
    if args.spill_dir is not None:
        check_directory("--spill-dir", args.spill_dir)
    replayed = 0
    with contextlib.ExitStack() as stack:
        out: IO[str] = (
            stack.enter_context(atomic_output(args.output, "w"))
            if args.output is not None
            else sys.stdout
        )
        listed = (
            stack.enter_context(atomic_output(args.rejections, "w"))
            if args.rejections is not None
            else None
        )
        rejected = _Rejections(listed)
        writer = _Writer(out, args.format, as_of)
        results = map_replay_jsonl(
            source,
            functools.partial(_render, args.format, as_of),
            limit=limit,
            spill_dir=args.spill_dir,
        )
        stack.enter_context(contextlib.closing(results))
        stack.enter_context(_gc_for_streaming())
        for result in results:
            if result.rejections:
                rejected.add(result.rejections, dossier=result.code is not None)
            else:
                assert result.value is not None
                writer.write(result.value)
                replayed += 1
        writer.close()
    if rejected.lines:
        rejected.report(name, replayed, args.rejections)
        return EXIT_INPUT_PROBLEMS
    return EXIT_OK


def _looks_like_dossier(path: Path) -> str | None:
    """The text of ``path`` when it is one ``Dossier`` as JSON (not JSON lines), else ``None``."""
    if path.stat().st_size > DOSSIER_JSON_MAX_BYTES:
        return None
    raw = path.read_bytes()
    stripped = raw.removeprefix(b"\xef\xbb\xbf").strip()
    if not stripped.startswith(b"{") or b'"applicant"' not in raw or b"\n{" in stripped:
        return None
    try:
        return stripped.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{path}: not valid UTF-8 (byte 0x{stripped[exc.start]:02x} at byte {exc.start + 1})"
        ) from None


def _slip(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_outputs([args.source], ("-o", args.output))
    args.format = output_format(
        args.format, args.output, SLIP_FORMATS, "text", suffixes=_DOSSIER_SUFFIXES
    )
    text = _looks_like_dossier(args.source)
    dossier = None
    if text is not None:
        from tthc.models import Dossier

        try:
            dossier = Dossier.model_validate_json(text)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(dossier)"
            raise InvalidInputError(
                f"{args.source}: dossier field {field!r}: {err['msg']}"
                + (f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else "")
            ) from None
        except (OverflowError, ValueError) as exc:
            raise InvalidInputError(
                f"{args.source}: a date is outside the years 1-9999 once converted to UTC+7 ({exc})"
            ) from None
        state = lifecycle_of(dossier, limit=_limit(args))
    else:
        state = _one_state(args)
    as_of = _as_of(args) if args.as_of else None
    try:
        slip = build_slip(args.kind, state, dossier, office=args.office, as_of=as_of)
        out = slip.to_html() if args.format == "html" else slip.to_text()
    except ArithmeticError as exc:
        raise InvalidInputError(f"{args.source}: cannot build the slip: {exc}") from None
    if args.output is not None:
        with atomic_output(args.output, "w") as handle:
            handle.write(out)
    else:
        sys.stdout.write(out)
    return EXIT_OK


def _one_state(args: argparse.Namespace) -> DossierState:
    """The state of the one dossier ``--dossier`` names (or the file's only dossier)."""
    wanted = args.dossier
    seen: list[str] = []
    found: ReplayResult | None = None
    with contextlib.closing(iter_replay_jsonl(args.source, limit=_limit(args))) as results:
        for result in results:
            if result.code is None:  # lines that name no dossier: not the one asked for
                continue
            if wanted is None:
                seen.append(result.code)
                if len(seen) > 1:
                    raise InvalidInputError(
                        f"{args.source} holds several dossiers ({seen[0]}, {seen[1]}, …); "
                        "choose one with --dossier CODE"
                    )
                found = result
            elif result.code == wanted:
                found = result
                break
            elif len(seen) < LISTED_REJECTIONS:
                seen.append(result.code)
    if found is None:
        held = ", ".join(seen) + (", …" if len(seen) >= LISTED_REJECTIONS else "")
        what = f"no dossier {wanted!r}; it holds {held}" if wanted else "no dossier"
        raise InvalidInputError(f"{args.source}: {what}")
    if found.state is None:
        raise found.rejections[0].to_error(str(args.source))
    return found.state
