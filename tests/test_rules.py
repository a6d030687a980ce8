"""The timeliness rules stated once (tthc._rules, public in tthc.report): every engine agrees
with the tables, exhaustively over the facts, and the lifecycle agrees with the report on
random replayed timelines."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import tthc
import tthc.index
import tthc.lifecycle
from tthc import VN_TZ, Period, ReportPolicy
from tthc.calendar import OfficeHours, WorkingCalendar
from tthc.lifecycle import LIFECYCLE_TRANSITIONS, DossierState, LifecycleState, Timeliness
from tthc.models import DossierEvent, EventKind
from tthc.report import (
    RECEIPT_RULES,
    TIMELINESS_RULES,
    DueComparison,
    Facts,
    ReceiptFacts,
    build_report,
    build_report_columnar,
    classify,
    compile_rules,
    decide,
    decide_receipt,
    pack,
    rules_sql,
)

POLICIES = [
    ReportPolicy(withdrawn=w, repeated_supplement=r, measure_processing_time=False)
    for w, r in itertools.product(("on_time", "exclude", "by_date"), ("by_date", "late"))
]
ALL_FACTS = [
    Facts(bool(f), bool(w), bool(c), bool(s), bool(r), DueComparison(e))
    for f, w, c, s, r, e in itertools.product(*([range(2)] * 5), range(3))
]


# --------------------------------------------------------------------------- the tables


def test_every_combination_of_facts_is_decided_and_every_rule_is_used() -> None:
    used = set()
    for policy in POLICIES:
        for facts in ALL_FACTS:
            rule = decide(facts, policy)
            assert rule.cell is not None
            # Finished dossiers land in a result cell, pending ones in a pending cell.
            assert rule.cell.startswith("pending_") is (not facts.finished)
            used.add(rule.name)
    assert used == {rule.name for rule in TIMELINESS_RULES}
    receipt_used = {
        decide_receipt(ReceiptFacts(*bits)).name for bits in itertools.product(*[(0, 1)] * 4)
    }
    assert receipt_used == {rule.name for rule in RECEIPT_RULES}


def test_every_rule_names_its_source() -> None:
    for rule in (*RECEIPT_RULES, *TIMELINESS_RULES):
        assert rule.source
        assert rule.name


@pytest.mark.parametrize("policy", POLICIES, ids=str)
def test_the_compiled_table_is_the_decision_of_the_rules(policy: ReportPolicy) -> None:
    table = compile_rules(policy)
    assert len(table) == len(ALL_FACTS)
    for facts in ALL_FACTS:
        assert table[pack(facts)] is decide(facts, policy)


@pytest.mark.parametrize("policy", POLICIES, ids=str)
def test_the_generated_sql_is_the_decision_of_the_rules(policy: ReportPolicy) -> None:
    """The CASE expressions of the columnar path, evaluated by DuckDB on every combination."""
    names = list(Facts._fields)
    fact_sql = {name: name for name in names}
    cell = rules_sql(TIMELINESS_RULES, fact_sql, policy)
    apology = rules_sql(
        TIMELINESS_RULES, fact_sql, policy, cell=lambda r: "true" if r.apology else "false"
    )
    rows = ", ".join(
        "(" + ", ".join(str(int(v)) if isinstance(v, DueComparison) else str(v) for v in f) + ")"
        for f in ALL_FACTS
    )
    con = duckdb.connect()
    got = con.execute(
        f"SELECT {cell}, {apology} FROM (VALUES {rows}) AS t({', '.join(names)})"
    ).fetchall()
    con.close()
    for facts, (sql_cell, sql_apology) in zip(ALL_FACTS, got, strict=True):
        rule = decide(facts, policy)
        assert (sql_cell, sql_apology) == (rule.cell, rule.apology), facts


def test_the_receipt_sql_is_the_decision_of_the_rules() -> None:
    names = list(ReceiptFacts._fields)
    sql = rules_sql(RECEIPT_RULES, {n: n for n in names})
    combos = list(itertools.product((False, True), repeat=4))
    rows = ", ".join("(" + ", ".join(str(v) for v in c) + ")" for c in combos)
    con = duckdb.connect()
    got = con.execute(f"SELECT {sql} FROM (VALUES {rows}) AS t({', '.join(names)})").fetchall()
    con.close()
    for combo, (cell,) in zip(combos, got, strict=True):
        assert cell == decide_receipt(ReceiptFacts(*combo)).cell


# --------------------------------------------------------------------------- working time

FRIDAY_LATE = WorkingCalendar.vietnam(
    office_hours=OfficeHours(by_weekday={4: ["08:00-12:00", "13:00-17:00"]})
)
CALENDARS = (WorkingCalendar.vietnam(), FRIDAY_LATE)
instants = st.datetimes(
    min_value=dt.datetime(2023, 12, 1), max_value=dt.datetime(2027, 1, 31, 23, 59, 59)
).map(lambda t: t.replace(tzinfo=VN_TZ))


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
@given(a=instants, b=instants, which=st.sampled_from(range(len(CALENDARS))))
def test_the_fast_working_seconds_equal_the_plain_path(
    a: dt.datetime, b: dt.datetime, which: int
) -> None:
    calendar = CALENDARS[which]
    whole_a, whole_b = a.replace(microsecond=0), b.replace(microsecond=0)
    exact = calendar.working_time_between(whole_a, whole_b) if whole_b > whole_a else None
    expected = int(exact.total_seconds()) if exact is not None else 0
    assert calendar.working_seconds(a, b) == expected
    # The tables the SQL path reads give the same seconds.
    first, last = min(a, b).date(), max(a, b).date()
    cumulative, kinds, profiles = calendar.working_second_tables(first, last)

    def w(t: dt.datetime) -> int:
        i = (t.date() - first).days
        profile = profiles[kinds[i]]
        minute = t.hour * 60 + t.minute
        inside = profile[minute + 1] != profile[minute]
        return cumulative[i] + profile[minute] + (t.second if inside else 0)

    assert max(0, w(b) - w(a)) == expected


def test_days_with_the_same_total_but_other_sessions_are_measured_apart() -> None:
    friday_7, friday_9 = (dt.datetime(2024, 3, 8, h, tzinfo=VN_TZ) for h in (7, 9))
    monday_7, monday_9 = (dt.datetime(2024, 3, 4, h, tzinfo=VN_TZ) for h in (7, 9))
    assert FRIDAY_LATE.working_seconds(monday_7, monday_9) == 90 * 60
    assert FRIDAY_LATE.working_seconds(friday_7, friday_9) == 60 * 60


# --------------------------------------------------------------------------- random timelines

LIMITS = ("03 ngày làm việc", "05 ngày làm việc", "04 giờ làm việc", "Trong ngày", "10 ngày")
FIRST_RECEIPT = dt.datetime(2024, 1, 2, 7, 0, tzinfo=VN_TZ)
RECEIPT_SPAN_DAYS = 3 * 365  # 2024–2026: three Tết holidays and four working Saturdays
STEP_MINUTES = st.integers(min_value=1, max_value=60 * 24 * 12)


@st.composite
def timelines(draw: st.DrawFn, code: str) -> DossierState:
    """A valid timeline, event by event through the state machine: receipt, transfers, pauses,
    supplements with restarts, at most one re-appointment, refusal, withdrawal, completion,
    return — anything the state machine refuses at the drawn instant is simply not added."""
    limit = draw(st.sampled_from(LIMITS))
    received = FIRST_RECEIPT + dt.timedelta(
        minutes=draw(st.integers(0, RECEIPT_SPAN_DAYS * 24 * 60))
    )
    state = DossierState.new(code, limit).apply(DossierEvent(kind="received", at=received))
    at = received
    for _ in range(draw(st.integers(0, 8))):
        allowed = LIFECYCLE_TRANSITIONS[state.state]
        if not allowed:
            break
        kind = draw(st.sampled_from(sorted(allowed)))
        at = at + dt.timedelta(minutes=draw(STEP_MINUTES))
        extra: dict[str, object] = {}
        if kind is EventKind.REAPPOINTED:
            base = state.due_at or at
            extra["new_due_at"] = max(base, at) + dt.timedelta(days=draw(st.integers(1, 20)))
        if kind in (EventKind.REFUSED, EventKind.SUPPLEMENT_REQUESTED):
            extra["reasons"] = ("Thiếu giấy tờ",)
        if kind is EventKind.TRANSFERRED:
            extra["agency"] = "Phòng Tư pháp"
        try:
            state = state.apply(DossierEvent(kind=kind, at=at, **extra))  # type: ignore[arg-type]
        except tthc.TransitionError:
            at = state.last_event_at or at  # e.g. the supplement window had closed
    return state


PERIODS = [Period.parse(f"{y}-Q{q}") for y in (2024, 2025, 2026) for q in (1, 2, 3, 4)] + [
    Period.parse("2024-02"),
    Period.parse("2025", official=True),
]


def _row(state: DossierState, period: Period) -> dict[str, object]:
    received = state.received_at
    assert received is not None
    as_of = period.as_of if received <= period.as_of else None
    return {**state.record_fields(as_of), "domain": state.code, "channel": "direct"}


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(data=st.data())
def test_the_report_of_replayed_timelines_is_what_timeliness_says(data: st.DataObject) -> None:
    """Issue 10: N replayed timelines → report rows → the report; each dossier lands in the
    cell timeliness() names at the period's last instant, under every policy, and no valid
    timeline becomes a rejected row."""
    states = [data.draw(timelines(f"HS-{i:03d}"), label=f"dossier {i}") for i in range(6)]
    period = data.draw(st.sampled_from(PERIODS), label="period")
    rows = [_row(s, period) for s in states]
    for policy in POLICIES:
        report = build_report(rows, period, policy=policy)
        assert report.rows_rejected == 0, report.rejections
        for state, row in zip(states, rows, strict=True):
            counts = report.groups.get((state.code,))
            received = state.received_at
            assert received is not None
            finished = state.at(period.as_of).finished_at if received <= period.as_of else None
            in_table = received < period.end and not (finished and finished < period.start)
            assert (counts is not None) is in_table
            if counts is None:
                continue
            result = tthc.timeliness(state, period.as_of, report_policy=policy)
            cell = result.timeliness.cell
            cells = {
                name: value
                for name, value in counts.counters().items()
                if value
                and name
                not in (
                    "received_online",
                    "received_direct_postal",
                    "carried_over",
                    "resolved_late_with_apology",
                )
            }
            assert cells == {cell: 1}, (state.events, row)
            assert counts.resolved_late_with_apology == int(
                result.with_apology and cell == "resolved_late"
            )
            one = classify(tthc.report.read_records([row]).__next__(), period, policy)
            assert one == counts


def write_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    """``rows`` as an interchange CSV (instants in ISO 8601), for the columnar engine."""
    columns = [*dict.fromkeys(k for row in rows for k in row)]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, columns)
        out.writeheader()
        for row in rows:
            out.writerow(
                {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in row.items()}
            )
    return path


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=100, deadline=None)
@given(data=st.data())
def test_a_due_date_left_to_the_time_limit_restarts_as_in_the_lifecycle(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A row that gives its time limit instead of its due date (and its supplement's return):
    the report computes the due date the lifecycle holds — from the supplement's return when
    there is one (Decree 118/2025/NĐ-CP Art. 19(5)) — on the streaming and columnar engines.
    Timelines without pauses or re-appointments, whose due date the limit alone decides, and
    whose row holds the supplement that restarted it: a row gives only the last request, so
    one whose earlier supplement restarted the limit while the last is still awaited needs
    its due_at (docs/interchange.md)."""
    states = [data.draw(timelines(f"HS-{i:03d}"), label=f"dossier {i}") for i in range(6)]
    states = [
        s
        for s in states
        if not {e.kind for e in s.events} & {EventKind.PAUSED, EventKind.REAPPOINTED}
    ]
    period = data.draw(st.sampled_from(PERIODS), label="period")
    rows = [_row(s, period) for s in states]
    rows = [
        row
        for row in rows
        if row["supplement_requests"] <= 1 or row["supplement_received_at"] is not None  # type: ignore[operator]
    ]
    assume(rows)  # a file with rows, for the columnar engine
    left_to_limit = [{k: v for k, v in row.items() if k != "due_at"} for row in rows]
    given_due = build_report(rows, period)
    assert given_due.rows_rejected == 0, given_due.rejections
    assert build_report(left_to_limit, period) == given_due
    path = write_rows(tmp_path_factory.mktemp("rows") / "rows.csv", left_to_limit)
    columnar = build_report_columnar(path, period, fallback=False)
    assert columnar.groups == given_due.groups


def test_the_limit_restarts_from_the_supplements_return_in_a_row_without_due_date(
    tmp_path: Path,
) -> None:
    """Received 01/03 08:00, supplement asked 04/03 and back 11/03 09:00, completed 13/03
    10:00, limit 05 ngày làm việc: due 18/03 17:00 (five working days from the return), so
    early — in the lifecycle, and in the report of the row without its due date, on both
    engines (the report counted five days from the receipt: due 08/03, late)."""
    state = tthc.replay(
        [
            ev("received", at(1, 8)),
            ev("supplement_requested", at(4, 9), reasons=("Thiếu giấy tờ",)),
            ev("supplement_received", at(11, 9)),
            ev("completed", at(13, 10)),
        ],
        code="S-1",
        limit="05 ngày làm việc",
    )
    assert tthc.timeliness(state, MARCH.as_of).timeliness is Timeliness.EARLY
    row = {k: v for k, v in _row(state, MARCH).items() if k != "due_at"}
    report = build_report([row], MARCH)
    assert (report.totals.resolved_early, report.totals.resolved_late) == (1, 0)
    path = write_rows(tmp_path / "row.csv", [row])
    assert build_report_columnar(path, MARCH, fallback=False) == build_report(path, MARCH)


def test_processing_time_leaves_out_the_supplement_wait_everywhere(tmp_path: Path) -> None:
    """Decision 766 indicator 2.2's measure, stated once (tthc._rules.processing_seconds): the
    report's average processing time (both engines), the service index's 2.2 and the
    lifecycle's working time used agree on a dossier that waited for a supplement (the report
    counted the wait: 8.81 working days against 4.69)."""
    state = tthc.replay(
        [
            ev("received", at(4, 8)),
            ev("supplement_requested", at(5, 9), reasons=("Thiếu giấy tờ",)),
            ev("supplement_received", at(11, 10)),
            ev("completed", at(14, 16)),
        ],
        code="S-1",
        limit="03 ngày làm việc",
    )
    used = tthc.lifecycle.working_time_used(state).total_seconds()
    row = _row(state, MARCH)
    report = build_report([row], MARCH)
    assert report.totals.processing_seconds == used == 4.6875 * 8 * 3600
    index = tthc.index.build_index([row], MARCH)
    assert index.values()["2.2"].numerator == used
    path = write_rows(tmp_path / "row.csv", [row])
    assert build_report_columnar(path, MARCH, fallback=False).totals == report.totals
    assert (
        tthc.index.build_index_columnar(path, MARCH, fallback=False).values()["2.2"]
        == (index.values()["2.2"])
    )
    assert classify(tthc.report.read_records([row]).__next__(), MARCH) == report.totals


@pytest.mark.filterwarnings("ignore::tthc.ProvisionalCalendarWarning")
@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=200, deadline=None)
@given(data=st.data())
def test_the_reports_lists_say_how_late_as_timeliness_does(data: st.DataObject) -> None:
    """The lateness a report's list shows for a late or overdue dossier (from its due instant
    to tthc._rules.lateness_end) is the one tthc.timeliness gives; a dossier finished while
    waiting for a supplement asked for after its due instant is late until the request, not
    until its finish."""
    states = [data.draw(timelines(f"HS-{i:03d}"), label=f"dossier {i}") for i in range(6)]
    period = data.draw(st.sampled_from(PERIODS), label="period")
    rows = [_row(s, period) for s in states]
    report = build_report(rows, period, trace=True)
    listed = {
        d.code: d.late_by
        for cell in ("resolved_late", "pending_overdue")
        for d in report.dossiers(cell)
    }
    for state in states:
        if state.code in listed:
            result = tthc.timeliness(state, period.as_of)
            assert listed[state.code] == result.overdue_by, state.events


def test_finished_while_waiting_after_the_due_instant_is_late_until_the_request() -> None:
    state = tthc.replay(
        [
            ev("received", at(4, 8)),
            ev("supplement_requested", at(8, 10), reasons=("Thiếu giấy tờ",)),
            ev("refused", at(12, 9), reasons=("Không bổ sung",)),
        ],
        code="S-1",
        limit="03 ngày làm việc",
    )
    result = tthc.timeliness(state, MARCH.as_of)
    (listed,) = build_report([_row(state, MARCH)], MARCH, trace=True).dossiers("resolved_late")
    assert str(result.overdue_by) == str(listed.late_by) == "2 giờ 30 phút"
    assert result.label_vi == "Trễ hạn 2 giờ 30 phút (kết thúc khi đang chờ bổ sung)"


# --------------------------------------------------------------------------- the four cases


def at(d: int, h: int = 8, m: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2024, month, d, h, m, tzinfo=VN_TZ)


def ev(kind: str, when: dt.datetime, **extra: object) -> DossierEvent:
    return DossierEvent(kind=kind, at=when, **extra)  # type: ignore[arg-type]


def counted_cell(state: DossierState, period: Period) -> str:
    report = build_report([_row(state, period)], period, policy=ReportPolicy())
    assert report.rows_rejected == 0, report.rejections
    (counts,) = report.groups.values()
    outcome = [
        k
        for k, v in counts.counters().items()
        if v and (k.startswith("resolved_") or k.startswith("pending_")) and "apology" not in k
    ]
    assert len(outcome) == 1
    return outcome[0]


MARCH = Period.parse("2024-03")


def replayed(*events: DossierEvent, limit: str = "03 ngày làm việc") -> DossierState:
    return tthc.replay(events, code="HS-1", limit=limit)


def test_case_1_refused_while_paused_is_judged_with_the_pause() -> None:
    # Due Wed 6/3 17:00; paused from Mon 4/3 08:00 (a financial obligation), refused Fri 8/3:
    # the pause ran 4.5 working days, so the due instant had moved past the refusal.
    s = replayed(ev("received", at(1)), ev("paused", at(4)), ev("refused", at(8), reasons=("x",)))
    assert tthc.timeliness(s, MARCH.as_of).timeliness is Timeliness.EARLY
    assert counted_cell(s, MARCH) == "resolved_early"


def test_case_1_still_paused_at_the_end_of_the_period_is_within_time() -> None:
    s = replayed(ev("received", at(1)), ev("paused", at(4)))
    assert tthc.timeliness(s, MARCH.as_of).timeliness is Timeliness.WITHIN_TIME
    assert counted_cell(s, MARCH) == "pending_within_time"


def test_case_2_refused_while_waiting_for_a_supplement_is_on_time() -> None:
    s = replayed(
        ev("received", at(1)),
        ev("supplement_requested", at(4), reasons=("x",)),
        ev("refused", at(12), reasons=("không bổ sung",)),
    )
    assert tthc.timeliness(s, MARCH.as_of).timeliness is Timeliness.ON_TIME
    assert counted_cell(s, MARCH) == "resolved_on_time"


def test_case_2_refused_while_waiting_stays_refused_long_after() -> None:
    s = replayed(
        ev("received", at(1)),
        ev("supplement_requested", at(4), reasons=("x",)),
        ev("refused", at(12), reasons=("x",)),
    )
    later = s.at(dt.datetime(2025, 1, 1, tzinfo=VN_TZ))
    assert later.state is LifecycleState.REFUSED
    assert later.finished_at == at(12)


def test_case_3_reappointment_before_a_restart_lapses_and_the_row_is_counted() -> None:
    s = replayed(
        ev("received", at(1)),
        ev("reappointed", at(5), new_due_at=at(11, 17), reasons=("x",)),
        ev("supplement_requested", at(6), reasons=("x",)),
        ev("supplement_received", at(8)),
        ev("completed", at(12)),
    )
    assert s.reappointed_due_at is None  # the restart (Art. 19(5)) voids the apology
    result = tthc.timeliness(s, MARCH.as_of)
    # Restarted on Fri 8/3 08:00: due Wed 13/3 17:00, so completing on 12/3 is early.
    assert result.timeliness is Timeliness.EARLY
    assert "xin lỗi" not in result.label_vi
    assert counted_cell(s, MARCH) == "resolved_early"


def test_case_4_a_withdrawal_is_counted_alike_by_the_lifecycle_and_the_report() -> None:
    s = replayed(ev("received", at(1)), ev("withdrawn", at(4)))
    assert tthc.timeliness(s, MARCH.as_of).timeliness is Timeliness.ON_TIME
    assert counted_cell(s, MARCH) == "resolved_on_time"


def test_a_dossier_model_is_replayed_as_it_stood_at_the_end_of_the_period() -> None:
    dossier = tthc.Dossier(
        code="000.17.22.H56-240301-0001",
        procedure_code="1.001193",
        applicant={"kind": "person", "name": "Trần Thị B"},
        channel="direct",
        received_at=at(1),
        events=[
            {"kind": "received", "at": at(1)},
            {"kind": "supplement_requested", "at": at(25), "reasons": ["x"]},
            {"kind": "supplement_received", "at": at(2, month=4)},
        ],
    )
    report = build_report([dossier], MARCH)
    assert report.rows_rejected == 0, report.rejections
    assert report.totals.pending_within_time == 1  # waiting for the supplement at 31/3


# --------------------------------------------------------------------------- the fast loop

MINUTES = st.integers(min_value=0, max_value=60 * 24 * 90)
PERIOD_MARCH = Period.parse("2024-03")


@st.composite
def records(draw: st.DrawFn, line: int) -> tthc.report.DossierRecord:
    """Rows as a reader gives them, with the optional timeline columns now and then."""
    base = dt.datetime(2024, 1, 20, 7, 0, tzinfo=VN_TZ)
    received = base + dt.timedelta(minutes=draw(MINUTES))
    due = received + dt.timedelta(minutes=draw(MINUTES))
    finished = draw(st.none() | MINUTES.map(lambda m: received + dt.timedelta(minutes=m)))
    statuses = [s for s in tthc.DossierStatus if s.is_finished == (finished is not None)]
    status = draw(st.sampled_from(statuses))
    end = finished or received + dt.timedelta(days=120)
    requested = resubmitted = paused = None
    if draw(st.booleans()):
        requested = received + (end - received) * draw(st.floats(0, 1))
        if status is not tthc.DossierStatus.SUPPLEMENT_REQUESTED and draw(st.booleans()):
            resubmitted = requested + dt.timedelta(minutes=draw(MINUTES))
    if status.value in ("paused", "refused", "withdrawn") and draw(st.booleans()):
        paused = received + (end - received) * draw(st.floats(0, 1))
    return tthc.report.DossierRecord(
        code=f"R-{line}",
        domain=draw(st.sampled_from(["Hộ tịch", "Đất đai"])),
        channel=draw(st.sampled_from(list(tthc.Channel))),
        received_at=received,
        status=status,
        due_at=due,
        finished_at=finished,
        extended_due_at=draw(st.none() | st.just(due + dt.timedelta(days=3))),
        supplement_requests=draw(st.integers(0, 3)),
        supplement_requested_at=requested,
        supplement_received_at=resubmitted,
        paused_at=paused,
        line=line,
    )


@given(rows=st.lists(st.integers(1, 10**6).flatmap(records), max_size=30))
def test_the_builder_loop_agrees_with_classify(rows: list[tthc.report.DossierRecord]) -> None:
    for policy in POLICIES:
        builder = tthc.report.ReportBuilder(PERIOD_MARCH, policy=policy)
        builder.add_all(rows)
        expected = tthc.report.Counts.total(
            c for r in rows if (c := classify(r, PERIOD_MARCH, policy)) is not None
        )
        assert builder.report().totals == expected


def test_every_rule_has_a_vietnamese_name() -> None:
    from tthc._rules import END_OF_PROCESSING_RULES, PROGRESS_RULES
    from tthc.report import RECEIPT_RULES, RULE_NAMES_VI, TIMELINESS_RULES, rule_label

    names = {
        r.name
        for table in (RECEIPT_RULES, TIMELINESS_RULES, END_OF_PROCESSING_RULES, PROGRESS_RULES)
        for r in table
    }
    assert names <= set(RULE_NAMES_VI)
    assert set(RULE_NAMES_VI) <= names  # no stale entry
    assert rule_label("late", "vi") == "quá hạn"
