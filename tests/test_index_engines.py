"""The service index: every computed indicator's numerator and denominator per domain equal an
independent reference written from the domain guide section 7 (and the interpretations of
docs/index-766.md); streaming = Dask = columnar; the lists behind Biểu số 06's cells and the
index's terms hold exactly the dossiers counted, on every engine."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index_data import PERIOD, make_rows, write_csv
from tthc import VN_TZ, TimeLimit, WorkingCalendar, due_at
from tthc.catalog import get
from tthc.errors import TthcError
from tthc.index import (
    COMPUTED_INDICATORS,
    TERMS,
    ServiceIndex,
    build_index,
    build_index_columnar,
    build_index_dask,
)
from tthc.report import TRACE_CELLS, TRACE_TOTALS, Period, TraceOptions, classify, records_from

duckdb = pytest.importorskip("duckdb")
dask_bag = pytest.importorskip("dask.bag")

CAL = WorkingCalendar.vietnam()


# --------------------------------------------------------------------------- the reference


def _when(text: str, end_of_day: bool = False) -> dt.datetime | None:
    if not text.strip():
        return None
    value = dt.datetime.fromisoformat(text.strip())
    if len(text.strip()) == 10:
        value = dt.datetime.combine(value.date(), dt.time.max if end_of_day else dt.time())
    if value.tzinfo is None:
        return value.replace(tzinfo=VN_TZ)
    return value.astimezone(VN_TZ)


def _flag(text: str) -> int | None:
    return None if text == "" else int(text.replace(".", ""))


def _catalogue(code: str, channel: str) -> tuple[int | None, int | None]:
    if not code:
        return None, None
    try:
        procedure = get(code)
    except TthcError:
        return None, None
    try:
        fee: int | None = sum(f.amount_vnd for f in procedure.fees_for(channel))
    except TthcError:
        fee = None
    return fee, (1 if procedure.result else None)


def reference(rows: list[dict[str, str]], period: Period) -> dict[str, Counter[str]]:
    """Per domain, ``<id>.n``/``.d``/``.u`` of every computed indicator, from the raw cells —
    section 7 read directly, not through the library's evaluation."""
    start, end = period.start, period.end
    as_of = end - dt.timedelta(microseconds=1)
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        c = out[row["domain"]]
        rec = _when(row["received_at"])
        assert rec is not None
        fin = _when(row["finished_at"])
        status = row["status"]
        requests = int(row["supplement_requests"] or 0)
        sreq = _when(row["supplement_requested_at"])
        srec = _when(row["supplement_received_at"])
        if row["due_at"].strip():
            due = _when(row["due_at"], end_of_day=True)
        else:  # the appointment the office gives: the limit restarts on resubmission (Art. 19(5))
            due = due_at(srec or rec, TimeLimit.parse(row["time_limit"]))
        assert due is not None
        in_table = rec < end and not (fin is not None and fin < start)
        received_in = start <= rec < end
        finished_in = fin is not None and start <= fin < end

        def count(id_: str, value: bool | None, c: Counter[str] = c) -> None:
            if value is None:
                c[f"{id_}.u"] += 1
            else:
                c[f"{id_}.d"] += 1
                c[f"{id_}.n"] += int(value)

        # 2.1 — the portal's rule (domain guide section 7)
        verdict: bool | None = None
        if in_table:
            end_instant: dt.datetime | None
            waiting_end = False
            if fin is not None and fin <= as_of:
                end_instant = fin
            else:
                if sreq is not None:
                    waiting = sreq <= as_of and (srec is None or srec > as_of)
                else:
                    waiting = status == "supplement_requested"
                if waiting:
                    waiting_end = True
                    end_instant = sreq
                else:
                    end_instant = as_of
            if waiting_end and requests > 1:
                verdict = False
            elif end_instant is None:
                verdict = None
            else:
                wait = dt.timedelta(0)
                if (
                    not waiting_end
                    and sreq is not None
                    and srec is not None
                    and srec <= end_instant
                ):
                    wait = srec - sreq
                verdict = end_instant - wait <= due
            count("2.1", verdict)
        if received_in:
            fee_cat, paper_cat = _catalogue(row["procedure_code"].strip(), row["channel"])
            paper = _flag(row["paper_result"])
            if paper is None:
                paper = paper_cat
            e_result = _flag(row["e_result"])
            synced = _flag(row["synced"])
            count("1.4", None if synced is None else synced == 1)
            if row["channel"] != "online":
                count("3.3", False)
            elif paper is None:
                count("3.3", None)
            else:
                count(
                    "3.3",
                    (e_result == 1)
                    if paper == 1 and e_result is not None
                    else (None if paper == 1 else True),
                )
            fee = _flag(row["fee"])
            if fee is None:
                fee = fee_cat
            paid = _flag(row["paid_online"])
            if fee is None:
                count("3.6", None)
            elif fee > 0:
                count("3.6", None if paid is None else paid in (1, 2))
            if paper is None:
                count("4.1", None)
            elif paper == 1:
                count("4.1", None if e_result is None else e_result == 1)
            digitised = _flag(row["digitised"])
            if digitised is None:
                count("4.2", None)
            elif digitised == 0:
                count("4.2", False)
            elif paper is None:
                count("4.2", None)
            else:
                count("4.2", True if paper == 0 else (None if e_result is None else e_result == 1))
            for id_, column in (
                ("4.3", "reused_data"),
                ("4.4", "from_citizen_store"),
                ("4.5", "vneid"),
            ):
                value = _flag(row[column])
                count(id_, None if value is None else value == 1)
            if fin is not None and fin <= as_of and status in ("completed", "returned"):
                seconds = max(0, int(CAL.working_time_between(rec, fin).total_seconds()))
                if sreq is not None and srec is not None and srec <= fin:
                    seconds -= max(0, int(CAL.working_time_between(sreq, srec).total_seconds()))
                c["2.2.d"] += 1
                c["2.2.n"] += max(0, seconds)
        if finished_in:
            complaint = _flag(row["complaint"])
            if complaint is None or verdict is None:
                c["5.4.u"] += 1
            else:
                c["5.4.d"] += 1
                c["5.4.n"] += 1 - int(not verdict) - int(complaint == 1)
    return out


def _as_counters(index: ServiceIndex) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for (domain,), _counts in index.groups.items():
        values = index.values(domain)
        c: Counter[str] = Counter()
        for id_ in COMPUTED_INDICATORS:
            v = values[id_]
            for part, amount in (("n", v.numerator), ("d", v.denominator), ("u", v.unknown)):
                if amount:
                    c[f"{id_}.{part}"] = amount
        out[domain] = c
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 150), clean=st.booleans())
def test_numerators_and_denominators_equal_the_independent_reference(
    seed: int, n: int, clean: bool
) -> None:
    rows = make_rows(random.Random(seed), n, clean=clean)
    period = Period.parse(PERIOD)
    got = _as_counters(build_index(rows, period))
    expected = {
        d: Counter({k: v for k, v in c.items() if v}) for d, c in reference(rows, period).items()
    }
    expected = {d: c for d, c in expected.items() if c}
    assert got == expected


# --------------------------------------------------------------------------- engines


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 150),
    by=st.sampled_from([("domain",), ("procedure",), ("agency", "channel")]),
    withdrawn=st.sampled_from(["on_time", "exclude", "by_date"]),
    official=st.booleans(),
)
def test_columnar_equals_streaming(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    n: int,
    by: tuple[str, ...],
    withdrawn: str,
    official: bool,
) -> None:
    from tthc.report import ReportPolicy

    path = write_csv(tmp_path_factory.mktemp("c") / "rows.csv", make_rows(random.Random(seed), n))
    period = Period.parse(PERIOD, official=official)
    policy = ReportPolicy(withdrawn=withdrawn)  # type: ignore[arg-type]
    stream = build_index(path, period, group_by=by, policy=policy)
    fast = build_index_columnar(path, period, group_by=by, policy=policy, fallback=False)
    assert fast == stream
    assert fast.report == stream.report


def test_columnar_on_parquet_and_on_doubtful_files(tmp_path: Path) -> None:
    from tthc.report import parquet_rows

    rows = make_rows(random.Random(7), 200)
    csv_path = write_csv(tmp_path / "rows.csv", rows)
    parquet = tmp_path / "rows.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true, header = true)) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    con.close()
    fast = build_index_columnar(parquet, PERIOD, fallback=False)
    assert fast.source == str(parquet)
    assert fast == replace(build_index(parquet_rows(parquet), PERIOD), source=str(parquet))
    # Open pauses and grouped fees are left to the streaming path, with the same result.
    doubtful = write_csv(tmp_path / "doubtful.csv", make_rows(random.Random(8), 200, clean=False))
    with pytest.raises(Exception, match="cannot"):
        build_index_columnar(doubtful, PERIOD, fallback=False)
    assert build_index_columnar(doubtful, PERIOD) == build_index(doubtful, PERIOD)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 120), parts=st.integers(1, 5))
def test_dask_equals_streaming(seed: int, n: int, parts: int) -> None:
    rows = make_rows(random.Random(seed), n, clean=False)
    if rows and seed % 3 == 0:  # a repeated code across partitions, and a bad row
        rows.append(dict(rows[0]))
        rows.append({**rows[-1], "code": "BAD-1", "channel": "fax"})
    stream = build_index(rows, PERIOD)
    bag = dask_bag.from_sequence(rows, npartitions=parts)
    on_dask = build_index_dask(bag, PERIOD, scheduler="synchronous")
    assert on_dask == stream
    assert on_dask.report == stream.report
    assert on_dask.report is not None
    assert stream.report is not None
    assert on_dask.report.rejections == stream.report.rejections


def test_dask_on_files_equals_merged_files(tmp_path: Path) -> None:
    paths = [
        write_csv(tmp_path / f"ward{i}.csv", make_rows(random.Random(i), 80)) for i in range(3)
    ]
    merged = build_index(paths[0], PERIOD)
    for path in paths[1:]:
        merged = merged + build_index(path, PERIOD)
    on_dask = build_index_dask([str(p) for p in paths], PERIOD, scheduler="synchronous")
    assert on_dask.groups == merged.groups


# --------------------------------------------------------------------------- the lists


def _check_lists(index: ServiceIndex, rows: list[dict[str, str]]) -> None:
    report = index.report
    assert report is not None
    assert report.trace is not None
    period = report.period
    records = {r.code: r for r in records_from(rows) if not isinstance(r, Exception)}
    for key, counts in report.groups.items():
        for cell in (*TRACE_CELLS, *TRACE_TOTALS):
            listed = report.dossiers(cell, key)
            assert len(listed) == getattr(counts, cell), (key, cell)
            for entry in listed:
                one = classify(records[entry.code], period, report.policy)
                assert one is not None
                assert getattr(one, cell) == 1
    for cell in ("pending_overdue", "received_total"):
        assert len(report.dossiers(cell)) == getattr(report.totals, cell)
    for key in index.groups:
        values = index.values(key)
        for id_ in COMPUTED_INDICATORS:
            v = values[id_]
            assert len(index.dossiers(f"{id_}:denominator", key)) == v.denominator, (key, id_)
            assert len(index.dossiers(f"{id_}:unknown", key)) == v.unknown, (key, id_)
            if id_ not in ("2.2", "5.4"):  # 2.2 adds seconds; 5.4 subtracts two terms
                assert len(index.dossiers(f"{id_}:numerator", key)) == v.numerator, (key, id_)
                assert len(index.dossiers(f"{id_}:not_counted", key)) == (
                    v.denominator - v.numerator
                )
        extra = values["5.4"].extra or {}
        assert len(index.dossiers("5.4:late", key)) == extra.get("late", 0)
        assert len(index.dossiers("5.4:complaint", key)) == extra.get("complaint", 0)
        assert len(index.dossiers("2.1:differs", key)) == (values["2.1"].extra or {}).get(
            "differs", 0
        )
    assert {t.split(":")[1] for t in TERMS} >= {"numerator", "denominator", "unknown"}


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 120), spill=st.booleans())
def test_the_lists_hold_exactly_the_dossiers_counted_on_every_engine(
    tmp_path_factory: pytest.TempPathFactory, seed: int, n: int, spill: bool
) -> None:
    rows = make_rows(random.Random(seed), n)
    trace: Any = TraceOptions(records_in_memory=5) if spill else True
    path = write_csv(tmp_path_factory.mktemp("l") / "rows.csv", rows)
    stream = build_index(path, PERIOD, trace=trace)
    _check_lists(stream, rows)
    fast = build_index_columnar(path, PERIOD, trace=trace, fallback=False)
    _check_lists(fast, rows)
    bag = dask_bag.from_sequence(rows, npartitions=3)
    _check_lists(build_index_dask(bag, PERIOD, trace=trace, scheduler="synchronous"), rows)
    assert [d.code for d in fast.dossiers("2.1:not_counted")] == [
        d.code for d in stream.dossiers("2.1:not_counted")
    ]


def test_dask_processes_ship_the_trace() -> None:
    rows = make_rows(random.Random(11), 60)
    bag = dask_bag.from_sequence(rows, npartitions=2)
    index = build_index_dask(
        bag, PERIOD, trace=TraceOptions(records_in_memory=3), scheduler="processes", num_workers=2
    )
    _check_lists(index, rows)
