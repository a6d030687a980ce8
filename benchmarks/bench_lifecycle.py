"""Benchmark: replaying dossier timelines (events per second).

What is measured, in one run on the same generated data (1,000,000 events by default, in
timelines of 2-6 events over 2024-2025, five realistic shapes: plain, inter-agency transfer,
supplement and restart, pause and resume, re-appointment, refusal):

1. ``replay``: :func:`tthc.replay` of every timeline from already-validated
   :class:`tthc.DossierEvent` objects (the state machine, ordering checks, the supplement
   window check, re-appointment checks), without asking for the due date (it is lazy);
2. ``replay + due``: the same, then reading each final state's ``due_at`` (the deadline
   engine: receipt or restart instant + limit, extended by every pause);
3. ``parse + replay``: :func:`tthc.lifecycle.replay_jsonl` on the JSON-lines text of all timelines
   (``json.loads`` per line, boundary validation of each event, then replay);
4. the **naive** comparison: per event, ``json.loads`` of its line and pydantic validation
   (``DossierEvent.model_validate``), then the public one-event ``DossierState.apply`` (a new frozen state per
   event) and the due date recomputed from scratch after every event, keeping each final state
   (as ``replay_jsonl`` does). It runs on all events unless ``--naive-events`` limits it;
   rates are compared.

Run: ``python benchmarks/bench_lifecycle.py [--events 1000000] [--naive-events N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import random
import time

import tthc

VN = tthc.VN_TZ
LIMITS = ["03 ngày làm việc", "05 ngày làm việc", "10 ngày làm việc", "04 giờ làm việc"]
SHAPES: list[list[str]] = [
    ["received", "completed", "result_returned"],
    ["received", "transferred", "transferred", "completed", "result_returned"],
    ["received", "supplement_requested", "supplement_received", "completed", "result_returned"],
    ["received", "transferred", "paused", "resumed", "completed", "result_returned"],
    ["received", "reappointed", "completed", "result_returned"],
    ["received", "refused"],
]


def generate(n_events: int, seed: int = 7) -> list[tuple[str, str, list[dict[str, object]]]]:
    """Timelines as plain dicts (code, limit, events), ``n_events`` events in all."""
    rng = random.Random(seed)
    base = dt.datetime(2024, 1, 2, 7, 30, tzinfo=VN)
    out: list[tuple[str, str, list[dict[str, object]]]] = []
    total = 0
    i = 0
    while total < n_events:
        shape = SHAPES[i % len(SHAPES)]
        shape = shape[: n_events - total]
        at = base + dt.timedelta(days=rng.randrange(700), minutes=rng.randrange(0, 570))
        events: list[dict[str, object]] = []
        for kind in shape:
            ev: dict[str, object] = {"kind": kind, "at": at.isoformat()}
            if kind == "reappointed":
                ev["new_due_at"] = (at + dt.timedelta(days=30)).isoformat()
                ev["note"] = "Cần xác minh thêm"
            if kind == "transferred":
                ev["agency"] = "Công chức Tư pháp - Hộ tịch"
            events.append(ev)
            at += dt.timedelta(minutes=rng.randrange(30, 60 * 24 * 2))
        code = f"000.17.{i // 9999:03d}.H56-{at:%y%m%d}-{i % 9999 + 1:04d}"  # unique
        out.append((code, LIMITS[i % len(LIMITS)], events))
        total += len(shape)
        i += 1
    return out


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f} events/s  ({seconds:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument(
        "--naive-events", type=int, default=None, help="default: all events (like the others)"
    )
    args = parser.parse_args()

    data = generate(args.events)
    n = sum(len(evs) for _, _, evs in data)
    validated = [
        (code, tthc.TimeLimit.parse(limit), [tthc.DossierEvent.model_validate(e) for e in evs])
        for code, limit, evs in data
    ]
    lines: list[str] = []
    per_timeline: list[tuple[str, str, list[str]]] = []
    for code, limit, evs in data:
        lines.append(json.dumps({"dossier": code, "time_limit": limit}, ensure_ascii=False))
        ev_lines = [json.dumps(e, ensure_ascii=False) for e in evs]
        lines.extend(ev_lines)
        per_timeline.append((code, limit, ev_lines))
    text_lines = len(lines)
    # Warm the calendar tables for the years in the data (not part of any measurement).
    for _, limit, evs in validated[:200]:
        tthc.replay(evs, limit=limit).due_at  # noqa: B018

    # The input data are not part of any measurement: keep the garbage collector from
    # re-scanning them (it still scans everything the measured code allocates and keeps).
    gc.collect()
    gc.freeze()
    print(f"tthc {tthc.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{n:,} events in {len(data):,} timelines ({text_lines:,} JSON lines with headers)")

    gc.collect()
    t0 = time.perf_counter()
    for code, limit, evs in validated:
        tthc.replay(evs, code=code, limit=limit)
    t_replay = time.perf_counter() - t0
    print(f"replay (validated events, due date lazy): {rate(n, t_replay)}")

    gc.collect()
    t0 = time.perf_counter()
    for code, limit, evs in validated:
        tthc.replay(evs, code=code, limit=limit).due_at  # noqa: B018
    t_due = time.perf_counter() - t0
    print(f"replay + final due date:                  {rate(n, t_due)}")

    gc.collect()
    t0 = time.perf_counter()
    states = tthc.lifecycle.replay_jsonl(lines)
    t_parse = time.perf_counter() - t0
    assert len(states) == len({code for code, _, _ in data})
    print(f"parse JSON lines + validate + replay:     {rate(n, t_parse)}")

    # Naive: pydantic per event, a frozen state per event, due date from scratch each time.
    budget = n if args.naive_events is None else min(args.naive_events, n)
    kept: dict[str, tthc.DossierState] = {}  # keep the results, as replay_jsonl does
    gc.collect()
    done = 0
    t0 = time.perf_counter()
    loads = json.loads
    for code, limit, ev_lines in per_timeline:
        if done >= budget:
            break
        state = tthc.DossierState.new(code, limit)
        for line in ev_lines:
            state = state.apply(tthc.DossierEvent.model_validate(loads(line)))
            state.due_at  # noqa: B018
            done += 1
        kept[code] = state
    t_naive = time.perf_counter() - t0
    print(f"naive (parse + pydantic + apply + due):   {rate(done, t_naive)}  [{done:,} events]")

    fast = n / t_replay
    naive = done / t_naive
    print(f"ratio replay / naive:             {fast / naive:6.1f}x")
    print(f"ratio replay + due / naive:       {(n / t_due) / naive:6.1f}x")
    print(f"ratio parse + replay / naive:     {(n / t_parse) / naive:6.1f}x")
    target = 200_000
    verdict = "meets" if fast >= target else "MISSES"
    print(f"target >= {target:,} events/s (replay of validated events): {verdict}")


if __name__ == "__main__":
    main()
