"""Reports: reconciliation, grouping, merging (hypothesis properties) and JSON form."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc import (
    VN_TZ,
    Channel,
    DossierStatus,
    Period,
    ReconciliationError,
    Report,
    ReportError,
    ReportPolicy,
    build_report,
)
from tthc.report import Counts, DossierRecord

Q1 = Period.parse("2024-Q1")
DOMAINS = ("Hộ tịch", "Đất đai", "Chính sách xã hội")
BASE = dt.datetime(2023, 12, 1, tzinfo=VN_TZ)
FINISHED = [s for s in DossierStatus if s.is_finished]
OPEN = [s for s in DossierStatus if not s.is_finished]


@st.composite
def records(draw: st.DrawFn, code: str) -> DossierRecord:
    received = BASE + dt.timedelta(minutes=draw(st.integers(0, 150 * 24 * 60)))
    due = received + dt.timedelta(hours=draw(st.integers(0, 30 * 24)))
    done = draw(st.booleans())
    status = draw(st.sampled_from(FINISHED if done else OPEN))
    finished = received + dt.timedelta(hours=draw(st.integers(0, 40 * 24))) if done else None
    extended = due + dt.timedelta(days=3) if draw(st.booleans()) else None
    return DossierRecord(
        code,
        draw(st.sampled_from(DOMAINS)),
        draw(st.sampled_from(list(Channel))),
        received,
        status,
        due,
        finished,
        agency=draw(st.sampled_from(["UBND A", "UBND B", None])),
        extended_due_at=extended,
    )


@st.composite
def datasets(draw: st.DrawFn) -> list[DossierRecord]:
    n = draw(st.integers(0, 40))
    return [draw(records(f"X-{i}")) for i in range(n)]


POLICY = ReportPolicy(measure_processing_time=False)


def report(rows: list[Any], **kw: Any) -> Report:
    kw.setdefault("policy", POLICY)
    return build_report(rows, Q1, **kw)


def essence(r: Report) -> tuple[Any, ...]:
    """Everything but the order of the rejection list."""
    return (
        dict(r.groups.items()),
        r.rows_read,
        r.rows_counted,
        r.rows_outside_period,
        r.rows_rejected,
        sorted(r.rejections),
    )


@given(datasets(), st.lists(st.integers(0, 3), min_size=40, max_size=40))
def test_any_partition_gives_the_whole(rows: list[DossierRecord], parts: list[int]) -> None:
    whole = report(rows, group_by=("domain", "channel"))
    pieces = [[r for r, p in zip(rows, parts, strict=False) if p == k] for k in range(4)]
    merged = report(pieces[0], group_by=("domain", "channel"))
    for piece in pieces[1:]:
        merged = merged + report(piece, group_by=("domain", "channel"))
    assert essence(merged) == essence(whole)
    merged.check()


@given(datasets(), datasets(), datasets())
def test_merge_is_associative_and_commutative(
    a_rows: list[DossierRecord], b_rows: list[DossierRecord], c_rows: list[DossierRecord]
) -> None:
    a, b, c = report(a_rows), report(b_rows), report(c_rows)
    assert essence((a + b) + c) == essence(a + (b + c))
    assert essence(a + b) == essence(b + a)


@given(datasets(), st.sampled_from(["on_time", "exclude"]))
def test_every_group_reconciles(rows: list[DossierRecord], withdrawn: str) -> None:
    r = report(rows, policy=ReportPolicy(withdrawn=withdrawn, measure_processing_time=False))
    for counts in [*r.groups.values(), r.totals]:
        assert counts.received_total == (
            counts.resolved_total + counts.pending_total + counts.withdrawn_excluded
        )
    assert r.rows_read == len(rows) == r.rows_counted + r.rows_outside_period
    assert r.totals.received_total == r.rows_counted


@given(
    st.lists(st.integers(0, 10**6), min_size=12, max_size=12),
    st.lists(st.integers(0, 10**6), min_size=12, max_size=12),
    st.lists(st.integers(0, 10**6), min_size=12, max_size=12),
)
def test_counts_addition(a: list[int], b: list[int], c: list[int]) -> None:
    x, y, z = Counts(*a), Counts(*b), Counts(*c)
    assert x + y == y + x
    assert (x + y) + z == x + (y + z)
    assert (x + Counts()) == x
    assert Counts.total([x, y, z]) == x + y + z


def test_derived_values_are_computed_not_stored() -> None:
    c = Counts(
        received_online=3,
        received_direct_postal=1,
        carried_over=1,
        resolved_early=1,
        resolved_on_time=2,
        resolved_late=1,
        resolved_late_with_apology=1,
        pending_within_time=1,
        processing_seconds=4 * 8 * 3600,
        processing_count=4,
    )
    assert (c.received_total, c.resolved_total, c.pending_total) == (5, 4, 1)
    assert c.on_time_rate == 0.75
    assert c.online_share == 0.75
    assert c.average_processing_days == 1.0
    assert "received_total" not in {f.name for f in dataclasses.fields(Counts)}
    assert Counts().on_time_rate is None
    assert Counts().online_share is None
    assert Counts().average_processing_days is None


def test_reconciliation_failures_are_loud() -> None:
    with pytest.raises(ReconciliationError, match="group Đất đai"):
        Counts(received_online=2, resolved_on_time=1).check("Đất đai")
    with pytest.raises(ReconciliationError, match="late with apology"):
        Counts(received_online=1, resolved_on_time=1, resolved_late_with_apology=1).check()
    bad_rows = Report(
        Q1, groups={("A",): Counts(carried_over=1, resolved_on_time=1)}, rows_read=3, rows_counted=1
    )
    with pytest.raises(ReconciliationError, match="rows do not reconcile"):
        bad_rows.check()
    bad_group = Report(
        Q1, groups={("A",): Counts(carried_over=2, resolved_on_time=1)}, rows_read=2, rows_counted=2
    )
    with pytest.raises(ReconciliationError, match="group A"):
        bad_group.check()


def test_counters_round_trip_and_bad_counters_are_refused() -> None:
    c = Counts(*range(1, 13))
    assert Counts.from_counters(c.counters()) == c
    assert Counts.from_counters({**c.to_dict(), "group": {"domain": "X"}}) == c
    with pytest.raises(ReportError, match=r"unknown key\(s\) \['carried_ovr'\]"):
        Counts.from_counters({"carried_ovr": 1})  # a typo must not count as 0
    for bad in (-1, 1.5, "3", True, None):
        with pytest.raises(ReportError, match="not a whole number"):
            Counts.from_counters({"carried_over": bad})


def test_reconciliation_message_names_the_broken_rule() -> None:
    with pytest.raises(ReconciliationError) as info:
        Counts(received_online=1, resolved_on_time=1, resolved_late_with_apology=1).check("A")
    assert str(info.value) == "group A does not reconcile: late with apology 1 > late 0"


def test_group_by_validation_and_labels() -> None:
    with pytest.raises(ReportError, match="cannot group by"):
        report([], group_by=("colour",))
    with pytest.raises(ReportError):
        report([], group_by=("domain", "domain"))
    rows = [
        DossierRecord(
            "A",
            "Hộ tịch",
            Channel.ONLINE,
            BASE + dt.timedelta(days=40),
            DossierStatus.RECEIVED,
            BASE + dt.timedelta(days=200),
        )
    ]
    r = report(rows, group_by="domain,agency,channel,level,procedure")
    ((key, counts),) = r.rows()
    assert key == ("Hộ tịch", "", "online", "", "")
    assert r.labels(key) == (
        "Hộ tịch",
        "(không ghi / not given)",
        "Trực tuyến (Online)",
        "(không ghi / not given)",
        "(không ghi / not given)",
    )
    assert counts.pending_within_time == 1


def test_merge_refuses_different_reports() -> None:
    with pytest.raises(ReportError, match="cannot merge"):
        report([]) + build_report([], "2024-Q2", policy=POLICY)
    with pytest.raises(ReportError):
        report([]) + report([], group_by=("agency",))
    with pytest.raises(ReportError):
        report([]) + build_report([], Q1)  # different policy


def test_rejected_rows_are_kept_and_counted() -> None:
    rows = [
        {
            "code": "A",
            "domain": "D",
            "channel": "fax",
            "received_at": "2024-01-02T08:00",
            "status": "processing",
            "due_at": "2024-01-05T17:00",
        },
        {
            "code": "B",
            "domain": "D",
            "channel": "online",
            "received_at": "2024-01-02T08:00",
            "status": "processing",
            "due_at": "2024-01-05T17:00",
        },
    ]
    r = report(rows)
    assert (r.rows_read, r.rows_counted, r.rows_rejected) == (2, 1, 1)
    (rej,) = r.rejections
    assert (rej.line, rej.column, rej.code) == (1, "channel", "A")
    assert r.has_rejections


JSON_KEYS = {
    "received_total",
    "received_online",
    "received_direct_postal",
    "carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_within_time",
    "pending_overdue",
    "on_time_rate",
    "late_with_apology",
    "online_share",
    "average_processing_days",
}


@given(datasets())
def test_json_round_trip_and_keys(rows: list[DossierRecord]) -> None:
    r = report(rows, group_by=("domain", "agency"))
    d = r.to_dict()
    assert set(d["totals"]) >= JSON_KEYS
    for g in d["groups"]:
        assert set(g) >= JSON_KEYS
    assert Report.from_dict(d) == r


def test_groups_come_in_vietnamese_dictionary_order() -> None:
    from tthc.report import vietnamese_sort_key

    labels = ["Tư pháp – Hộ tịch", "Đất đai", "Dân tộc", "Chính sách", "Ăn uống", "An ninh"]
    assert sorted(labels, key=vietnamese_sort_key) == [
        "An ninh",
        "Ăn uống",
        "Chính sách",
        "Dân tộc",
        "Đất đai",
        "Tư pháp – Hộ tịch",
    ]
    # tones after letters: ma, mà, mả, mã, má, mạ (dictionary order)
    tones = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(tones, key=vietnamese_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # the same label in decomposed form sorts with the composed one
    import unicodedata

    assert (
        vietnamese_sort_key(unicodedata.normalize("NFD", "Đất đai"))[:2]
        == (vietnamese_sort_key("Đất đai")[:2])
    )
