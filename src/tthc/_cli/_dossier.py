"""``tthc dossier``: replay stored timelines and print slips.

* ``tthc dossier replay EVENTS.jsonl [--time-limit TEXT] [--as-of ISO] [--format text|json]``
  prints, per dossier, the state, the due date, the re-appointment and the timeliness.
* ``tthc dossier slip FILE --kind receipt|supplement_request|refusal|apology|control_sheet
  [--format text|html] [-o OUT]`` prints a slip. ``FILE`` is stored timelines (JSON lines) or
  one :class:`~tthc.Dossier` as JSON (then the applicant and components are printed too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tthc._cli._common import parse_instant
from tthc._cli._exit import EXIT_OK
from tthc._time import VN_TZ
from tthc._timelimit import TimeLimit
from tthc.errors import InvalidInputError
from tthc.lifecycle import (
    DossierState,
    LifecycleState,
    SlipKind,
    TimelinessResult,
    build_slip,
    lifecycle_of,
    replay_jsonl,
    timeliness,
)


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
        "due date and timeliness.",
    )
    r.add_argument("events", type=Path, metavar="EVENTS.jsonl")
    _common(r)
    r.add_argument("--format", choices=("text", "json"), default="text")
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
    s.add_argument("--format", choices=("text", "html"), default="text")
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
    if args.as_of is None:
        return dt.datetime.now(VN_TZ)
    return parse_instant(
        args.as_of, f"--as-of {args.as_of!r} is not an ISO 8601 datetime", "--as-of"
    )


def _limit(args: argparse.Namespace) -> TimeLimit | None:
    return TimeLimit.parse(args.time_limit) if args.time_limit else None


def _fmt(value: dt.datetime | None) -> str:
    return "—" if value is None else f"{value:%d/%m/%Y %H:%M}"


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


def _summary(state: DossierState, as_of: dt.datetime) -> dict[str, Any]:
    current, due, reappointed, t = _judged(state, as_of)
    out: dict[str, Any] = {
        "code": state.code,
        "state": current.value,
        "status": current.status.value if current.status is not None else None,
        "events": len(state.events),
        "due_at": _iso(due),
        "reappointed_due_at": _iso(reappointed),
        "timeliness": None,
        "timeliness_vi": None,
    }
    if t is not None:
        out["timeliness"] = t.timeliness.value
        out["timeliness_vi"] = t.label_vi
        out["overdue_by_hours"] = t.overdue_by.total / dt.timedelta(hours=1) if t.overdue_by else 0
        out["due_soon"] = t.due_soon
    return out


def _replay(args: argparse.Namespace) -> int:
    as_of = _as_of(args)
    states = replay_jsonl(args.events, limit=_limit(args))
    if args.format == "json":
        json.dump(
            [_summary(s, as_of) for s in states.values()], sys.stdout, ensure_ascii=False, indent=2
        )
        sys.stdout.write("\n")
        return EXIT_OK
    print(f"Thời điểm đánh giá (as of): {as_of:%d/%m/%Y %H:%M}")
    for state in states.values():
        current, due, reappointed, t = _judged(state, as_of)
        print(f"Hồ sơ {state.code}:")
        print(f"  Trạng thái (state): {current.label_vi} ({current.label_en})")
        print(f"  Hạn trả kết quả (due): {_fmt(due)}")
        if reappointed is not None:
            print(f"  Hẹn lại (re-appointed): {_fmt(reappointed)}")
        if t is not None:
            print(f"  Tiến độ (timeliness): {t.label_vi}")
        else:
            print("  Tiến độ (timeliness): — (no time limit: give --time-limit)")
    return EXIT_OK


def _slip(args: argparse.Namespace) -> int:
    text = args.source.read_text(encoding="utf-8-sig")
    dossier = None
    stripped = text.lstrip()
    if stripped.startswith("{") and '"applicant"' in text and "\n{" not in stripped.rstrip():
        from tthc.models import Dossier

        try:
            dossier = Dossier.model_validate_json(stripped)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(dossier)"
            raise InvalidInputError(
                f"{args.source}: dossier field {field!r}: {err['msg']}"
                + (f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else "")
            ) from None
        state = lifecycle_of(dossier, limit=_limit(args))
    else:
        states = replay_jsonl(args.source, limit=_limit(args))
        if args.dossier is not None:
            if args.dossier not in states:
                raise InvalidInputError(
                    f"{args.source}: no dossier {args.dossier!r}; it holds {sorted(states)}"
                )
            state = states[args.dossier]
        elif len(states) == 1:
            state = next(iter(states.values()))
        else:
            raise InvalidInputError(
                f"{args.source} holds {len(states)} dossiers; choose one with --dossier CODE"
            )
    as_of = _as_of(args) if args.as_of else None
    slip = build_slip(args.kind, state, dossier, office=args.office, as_of=as_of)
    out = slip.to_html() if args.format == "html" else slip.to_text()
    if args.output is not None:
        args.output.write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return EXIT_OK
