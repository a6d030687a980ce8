"""Benchmark: dossiers validated per second from plain dicts (target ≥ 100,000/s).

Run: ``python benchmarks/bench_models.py`` (``--n``, ``--repeat`` to change the work).

Compared in the same run, on the same dicts:

* ``tthc.Dossier.model_validate`` — the real model (codes, UTC+7 normalisation, citizen-ID and
  phone checks, event rules);
* the same shape as plain pydantic models without tthc's checks (what the checks cost);
* ``Dossier.model_construct`` of pre-parsed values (no validation at all: the floor);
* a frozen ``dataclass`` built from the dict with ``datetime.fromisoformat`` (a hand-written
  loader without any validation).

Each figure is the best of ``--repeat`` passes over ``--n`` distinct dicts. "stream" discards
results as they are produced (a streaming import), timed by the wall clock; "CPU-time" is the
same timed by this process's CPU time (less sensitive to other processes on a shared
machine); "kept" keeps every result in a list, as a batch import does, which adds
garbage-collector work.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import platform
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

sys.path.insert(0, str(Path(__file__).resolve().parent))

import realistic_data

import tthc
from tthc import Channel, Dossier
from tthc.models import DossierCodeGenerator, EventKind

TARGET_PER_S = 100_000


SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi")
MIDDLES = ("Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Đức", "Thu", "Quốc")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Tâm")
PROVINCES = ("001", "031", "036", "048", "079", "092", "040", "038")
STATUS_EVENTS = {
    "returned": ("completed", "result_returned"),
    "completed": ("completed",),
    "refused": ("refused",),
    "withdrawn": ("withdrawn",),
    "processing": (),
    "received": (),
    "supplement_requested": ("supplement_requested",),
}


def realistic_dicts(n: int, bad_share: float) -> list[dict[str, Any]]:
    """``n`` dossiers as plain dicts, as a one-stop system's JSON would give them, built from
    the realistic rows (``benchmarks/realistic_data.py``): their codes, channels, instants in
    mixed offsets and forms, due dates (absent for the rows that carry only a time limit),
    events from each row's status and finish instant; Vietnamese applicants with citizen IDs
    and phones in several forms; the rows' bad values (dates, channels, missing codes…) kept,
    so about ``bad_share`` of the dicts fail validation, as on real data."""
    rng = random.Random(14)
    out = []
    for row in realistic_data.realistic_rows(n, bad_share=bad_share):
        try:
            channel = tthc.Channel.parse(row["channel"]).value
        except ValueError:
            channel = row["channel"]
        try:
            status = tthc.DossierStatus.parse(row["status"]).value
        except ValueError:
            status = "processing"
        year = rng.randrange(1950, 2006)
        century = (0 if year < 2000 else 2) + rng.randrange(2)
        phone = f"09{rng.randrange(10**8):08d}"
        phone = rng.choice((phone, f"{phone[:4]} {phone[4:7]} {phone[7:]}", "+84" + phone[1:]))
        events: list[dict[str, Any]] = [{"kind": "received", "at": row["received_at"]}]
        finished = row["finished_at"]
        for kind in STATUS_EVENTS[status]:
            at = finished or row["received_at"]
            events.append({"kind": kind, "at": at})
        dossier: dict[str, Any] = {
            "code": row["code"],
            "procedure_code": row["procedure_code"],
            "applicant": {
                "kind": "person",
                "name": f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}",
                "id_number": f"{rng.choice(PROVINCES)}{century}{year % 100:02d}"
                f"{rng.randrange(10**6):06d}",
                "phone": phone,
            },
            "channel": channel,
            "received_at": row["received_at"],
            "components": [{"name": "Tờ khai", "originals": 1}],
            "events": events,
        }
        if row["due_at"]:
            dossier["due_at"] = row["due_at"]
        out.append(dossier)
    return out


def make_dicts(n: int) -> list[dict[str, Any]]:
    """The repetitive shape (best case): ``n`` distinct dossiers as plain dicts, as read from
    JSON: a finished dossier with applicant ID and phone, one component and three events
    (received, completed, returned), instants 7 minutes apart, all valid."""
    gen = DossierCodeGenerator("000.17.22.H56")
    out = []
    start = dt.datetime(2024, 1, 2, 7, 30)
    for i in range(n):
        received = start + dt.timedelta(minutes=7 * i)
        out.append(
            {
                "code": gen.next(received),
                "procedure_code": "1.001193",
                "applicant": {
                    "kind": "person",
                    "name": f"Nguyễn Văn {i}",
                    "id_number": f"040{i % 2}{i % 90 + 10:02d}{i % 1_000_000:06d}",
                    "phone": f"09{i % 100_000_000:08d}",
                },
                "channel": ("direct", "online", "postal")[i % 3],
                "received_at": received.isoformat() + "+07:00",
                "components": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1}],
                "events": [
                    {"kind": "received", "at": received.isoformat() + "+07:00"},
                    {"kind": "completed", "at": (received + dt.timedelta(hours=2)).isoformat()},
                    {
                        "kind": "result_returned",
                        "at": (received + dt.timedelta(hours=3)).isoformat() + "+07:00",
                    },
                ],
                "due_at": (received + dt.timedelta(days=1)).isoformat() + "+07:00",
            }
        )
    return out


# --- comparison 1: the same shape without tthc's checks -------------------------------------
_PLAIN = ConfigDict(frozen=True)


class PlainApplicant(BaseModel):
    model_config = _PLAIN
    kind: Literal["person", "organisation"] = "person"
    name: str
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class PlainComponent(BaseModel):
    model_config = _PLAIN
    name: str
    originals: int = 0
    copies: int = 0
    attachment: str | None = None
    note: str | None = None


class PlainEvent(BaseModel):
    model_config = _PLAIN
    kind: EventKind
    at: dt.datetime
    actor: str | None = None
    agency: str | None = None
    note: str | None = None
    reasons: tuple[str, ...] = ()
    new_due_at: dt.datetime | None = None


class PlainDossier(BaseModel):
    model_config = _PLAIN
    code: str
    procedure_code: str
    applicant: PlainApplicant
    channel: Channel
    received_at: dt.datetime
    components: tuple[PlainComponent, ...] = ()
    form_values: dict[str, Any] = Field(default_factory=dict)
    events: tuple[PlainEvent, ...] = ()
    due_at: dt.datetime | None = None


# --- comparison 2: a hand-written dataclass loader without validation ----------------------
@dataclass(frozen=True, slots=True)
class DcEvent:
    kind: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class DcDossier:
    code: str
    procedure_code: str
    applicant: dict[str, Any]
    channel: str
    received_at: dt.datetime
    components: tuple[dict[str, Any], ...]
    events: tuple[DcEvent, ...]
    due_at: dt.datetime | None


def dataclass_load(d: dict[str, Any]) -> DcDossier:
    due = d.get("due_at")
    return DcDossier(
        d["code"],
        d["procedure_code"],
        d["applicant"],
        d["channel"],
        dt.datetime.fromisoformat(d["received_at"]),
        tuple(d.get("components", ())),
        tuple(DcEvent(e["kind"], dt.datetime.fromisoformat(e["at"])) for e in d["events"]),
        dt.datetime.fromisoformat(due) if due else None,
    )


def best_rate(
    fn: Callable[[Any], object],
    rows: list[Any],
    repeat: int,
    keep: bool,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Best dossiers/second over ``repeat`` passes over ``rows``, timed with ``clock``."""
    best = 0.0

    def guarded(row: Any) -> object:
        try:
            return fn(row)
        except (ValueError, TypeError, KeyError):  # a bad dict: rejected, as on real data
            return None

    for _ in range(repeat):
        gc.collect()
        t0 = clock()
        if keep:
            kept = [guarded(r) for r in rows]
        else:
            for r in rows:
                guarded(r)
        elapsed = clock() - t0
        if keep:
            del kept
        best = max(best, len(rows) / elapsed)
    return best


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table of rates and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="dossiers per pass")
    parser.add_argument("--repeat", type=int, default=7, help="passes; the best is reported")
    realistic_data.add_shape_arguments(parser)
    args = parser.parse_args(argv)

    if args.shape == "realistic":
        rows = realistic_dicts(args.n, args.bad_share)
    else:
        rows = make_dicts(args.n)
    validated = []
    for r in rows:  # also warms up
        with contextlib.suppress(ValueError):
            validated.append(Dossier.model_validate(r))
    constructed_inputs = [
        {name: getattr(v, name) for name in Dossier.model_fields} for v in validated
    ]
    cases: list[tuple[str, Callable[[Any], object], list[Any]]] = [
        ("tthc Dossier.model_validate(dict)", Dossier.model_validate, rows),
        ("same shape, plain pydantic, no checks", PlainDossier.model_validate, rows),
        (
            "Dossier.model_construct (no validation)",
            lambda kw: Dossier.model_construct(**kw),
            constructed_inputs,
        ),
        ("dataclass + fromisoformat (no checks)", dataclass_load, rows),
    ]
    print(realistic_data.describe(args.shape, args.bad_share))
    print(
        f"{len(validated):,} of {len(rows):,} dicts valid; load average "
        f"{realistic_data.loadavg()}; the no-validation floor constructs the valid ones only"
    )
    print(
        f"tthc {tthc.__version__}, Python {platform.python_version()}, "
        f"pydantic {__import__('pydantic').VERSION}, {platform.machine()}; "
        f"n={args.n}, best of {args.repeat}"
    )
    print(f"{'case':42} {'stream /s':>10} {'CPU-time /s':>12} {'kept /s':>10} {'vs tthc':>8}")
    results = {}
    for name, fn, data in cases:
        stream = best_rate(fn, data, args.repeat, keep=False)
        cpu = best_rate(fn, data, args.repeat, keep=False, clock=time.process_time)
        kept = best_rate(fn, data, args.repeat, keep=True)
        results[name] = (stream, cpu, kept)
    tthc_stream = results[cases[0][0]][0]
    for name, (stream, cpu, kept) in results.items():
        print(f"{name:42} {stream:10,.0f} {cpu:12,.0f} {kept:10,.0f} {stream / tthc_stream:7.2f}x")
    verdict = "meets" if tthc_stream >= TARGET_PER_S else "is BELOW"
    print(
        f"\ntthc validates {tthc_stream:,.0f} dossiers/s (streaming): {verdict} the "
        f"{TARGET_PER_S:,}/s target; checks cost "
        f"{results[cases[1][0]][0] / tthc_stream:.2f}x the time of unchecked pydantic."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
