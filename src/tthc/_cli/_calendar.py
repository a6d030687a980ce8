"""``tthc calendar`` and ``tthc due``: the working calendar and the deadline engine.

* ``tthc calendar YEAR [--overlay FILE ...] [--as-of DATE] [--format text|json]`` lists the
  days off and the working Saturdays of a year, each with its source, and the year's
  working-day count.
* ``tthc due RECEIVED LIMIT [--hours-mode] [--receipt-cutoff HH:MM] [--overlay FILE ...]
  [--as-of DATE] [--format text|json]`` prints the due instant and the rule used. ``RECEIVED`` is ISO 8601
  (``"2024-02-07 10:00"``; naive = UTC+7 wall clock, as written on a receipt) or ``now``
  (the current instant in UTC+7, :func:`tthc.now`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

from tthc._cli._common import parse_instant
from tthc._cli._exit import EXIT_OK
from tthc._time import now
from tthc.calendar import (
    CalendarOverlay,
    DeadlinePolicy,
    WorkingCalendar,
    compute_due,
)
from tthc.errors import InvalidInputError, ProvisionalCalendarWarning

_WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add this module's sub-commands to ``subparsers``."""
    c = subparsers.add_parser(
        "calendar",
        help="list a year's days off and working Saturdays with their sources",
        description="List the days off (ngày nghỉ) and working Saturdays (ngày làm việc bù) "
        "of a year for civil servants, each with its source, and the working-day count.",
    )
    c.add_argument("year", type=int, metavar="YEAR")
    _overlay_arg(c)
    _as_of_arg(c)
    c.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default: a line per day off or working Saturday) or json",
    )
    c.set_defaults(func=_calendar)

    d = subparsers.add_parser(
        "due",
        help="compute a due instant (hạn trả kết quả) and show the rule used",
        description="Compute the due instant of a dossier received at RECEIVED with time "
        "limit LIMIT, under the default deadline policy (Civil Code 2015 Art. 147-148).",
    )
    d.add_argument(
        "received",
        metavar="RECEIVED",
        help="receipt instant, ISO 8601, e.g. '2024-02-07 10:00' (naive = UTC+7), "
        "or 'now' (the current instant in UTC+7)",
    )
    d.add_argument("limit", metavar="LIMIT", help="time limit wording, e.g. '02 ngày làm việc'")
    d.add_argument(
        "--hours-mode",
        action="store_true",
        help="count working days as 8 working hours each from the receipt instant",
    )
    d.add_argument(
        "--receipt-cutoff",
        metavar="HH:MM",
        help="receipts on a working day after this time count from the next working day",
    )
    _overlay_arg(d)
    _as_of_arg(d)
    d.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default: the due instant and the rule that gave it) or json",
    )
    d.set_defaults(func=_due)


def _overlay_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--overlay",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a local overlay (.toml or .json): extra days off, working days, half days",
    )


def _as_of_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        metavar="DATE",
        help="use the official notices as they stood on DATE (YYYY-MM-DD), to reproduce a "
        "result computed then",
    )


def _parse_as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"--as-of={text!r} is not a date such as 2025-12-20 (YYYY-MM-DD)"
        ) from None


def _calendar_from(args: argparse.Namespace) -> WorkingCalendar:
    overlays = [CalendarOverlay.from_file(p) for p in args.overlay]
    return WorkingCalendar.vietnam(overlays=overlays, as_of=_parse_as_of(args.as_of))


def _calendar(args: argparse.Namespace) -> int:
    cal = _calendar_from(args)
    # The "provisional" flag and the PROVISIONAL line below say it: no warning on top.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalCalendarWarning)
        days = cal.notable_days(args.year)
        count = cal.working_days_in_year(args.year)
    provisional = cal.is_provisional(dt.date(args.year, 1, 1))
    if args.format == "json":
        doc = {
            "year": args.year,
            "calendar_fingerprint": cal.fingerprint,
            "notice_set": cal.notice_set,
            "calendar_as_of": None if cal.as_of is None else cal.as_of.isoformat(),
            "provisional": provisional,
            "working_days": count,
            "days": [
                {
                    "date": d.date.isoformat(),
                    "weekday": d.date.strftime("%A"),
                    "kind": "working_day" if d.working else "day_off",
                    "name": d.name,
                    "source": d.source,
                }
                for d in days
            ],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Lịch làm việc {args.year} / Working calendar {args.year} ({cal.name})")
    if provisional:
        print(
            f"PROVISIONAL: official notices end in {cal.last_official_year}; "
            "swapped days of this year are not known yet."
        )
    print("Thứ Bảy, Chủ Nhật nghỉ trừ ngày làm việc bù / weekends are off except listed Saturdays")
    for d in days:
        kind = "LÀM VIỆC / working" if d.working else "nghỉ / day off"
        weekday = _WEEKDAYS_VI[d.date.weekday()]
        print(f"{d.date:%d/%m/%Y}  {weekday:<9} {kind:<18} {d.name}  [{d.source}]")
    print(f"Số ngày làm việc / working days: {count}")
    print(f"Calendar: {_calendar_line(cal)}")
    return EXIT_OK


def _calendar_line(cal: WorkingCalendar) -> str:
    as_of = "" if cal.as_of is None else f", as of {cal.as_of.isoformat()}"
    return f"{cal.notice_set}{as_of}; fingerprint {cal.fingerprint}"


NOW_WORD = "now"
"""``tthc due now LIMIT``: received at the current instant (UTC+7)."""


def _parse_received(text: str) -> dt.datetime:
    if text.strip().casefold() == NOW_WORD:
        return now()
    return parse_instant(
        text.strip(),
        f"RECEIVED={text!r} is not an ISO 8601 instant such as '2024-02-07 10:00', nor 'now'",
        "RECEIVED",
    )


def _parse_time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"--receipt-cutoff={text!r} is not a time of day such as 15:00"
        ) from None


def _due(args: argparse.Namespace) -> int:
    received = _parse_received(args.received)
    cal = _calendar_from(args)
    policy = DeadlinePolicy(
        working_days_mode="hours" if args.hours_mode else "close_of_day",
        receipt_cutoff=None if args.receipt_cutoff is None else _parse_time(args.receipt_cutoff),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalCalendarWarning)
        due = compute_due(received, args.limit, cal, policy)
    if args.format == "json":
        print(due.model_dump_json(indent=2))
        return EXIT_OK
    print(
        f"Hạn trả kết quả / due: {due.due_at:%Y-%m-%d %H:%M} (UTC+7), "
        f"{_WEEKDAYS_VI[due.due_at.weekday()]}"
    )
    print(
        f"Tiếp nhận / received: {due.received_at:%Y-%m-%d %H:%M}; "
        f"thời hạn / limit: {due.limit} ({due.limit.label_en})"
    )
    print(f"Rule: {due.rule.value}: {due.basis}")
    if due.counted_from is not None:
        print(f"Counted from: {due.counted_from:%Y-%m-%d}")
    print(f"Calendar: {_calendar_line(cal)}")
    if due.provisional:
        print(
            f"PROVISIONAL: the computation reached a year after {cal.last_official_year}, "
            "the last year of official notices."
        )
    return EXIT_OK
