"""Due-date rules and timeliness: the worked examples of docs/lifecycle.md, and boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

import tthc
from tthc.lifecycle import Timeliness

CODE = "000.17.22.H56-240304-0001"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, minute, tzinfo=tthc.VN_TZ)


def ev(kind: str, when: dt.datetime, **kw: object) -> tthc.DossierEvent:
    return tthc.DossierEvent(kind=kind, at=when, **kw)  # type: ignore[arg-type]


def fmt(value: dt.datetime | None) -> str | None:
    return None if value is None else f"{value:%d/%m/%Y %H:%M}"


# ---- restart after supplement (Decree 118/2025 Art. 19(5)) ----------------------------------


def restart_events() -> list[tthc.DossierEvent]:
    return [
        ev("received", at(4, 8)),  # Monday
        ev("supplement_requested", at(5, 9), reasons=("Bản sao giấy chứng sinh",)),
        ev("supplement_received", at(11, 10)),
        ev("completed", at(14, 16)),
    ]


def test_restart_full_limit_from_supplement() -> None:
    events = restart_events()
    s = tthc.replay(events[:1], code=CODE, limit="03 ngày làm việc")
    assert fmt(s.due_at) == "07/03/2024 17:00"
    s = s.apply(events[1])
    assert s.due_at is None  # the clock is stopped
    assert not s.clock_running
    assert fmt(s.supplement_deadline) == "20/03/2024 17:00"
    s = s.apply(events[2])
    assert fmt(s.due_at) == "14/03/2024 17:00"  # the full 3 working days again
    s = s.apply(events[3])
    r = tthc.timeliness(s)
    assert r.timeliness is Timeliness.ON_TIME
    assert tthc.lifecycle.working_time_used(s) == dt.timedelta(hours=37, minutes=30)


def test_waiting_for_supplement_is_within_time() -> None:
    s = tthc.replay(restart_events()[:2], code=CODE, limit="03 ngày làm việc")
    r = tthc.timeliness(s, at(15, 8))  # well after the original due date
    assert r.timeliness is Timeliness.WITHIN_TIME
    assert r.clock_stopped
    assert r.due_at is None


def test_supplement_window_closes_the_dossier() -> None:
    s = tthc.replay(restart_events()[:2], code=CODE, limit="03 ngày làm việc")
    assert s.state_as_of(at(20, 17)) is tthc.lifecycle.LifecycleState.SUPPLEMENT_REQUESTED
    assert s.state_as_of(at(20, 17, 1)) is tthc.lifecycle.LifecycleState.CLOSED
    closed = s.close_if_expired(at(25, 8))
    assert closed.state is tthc.lifecycle.LifecycleState.CLOSED
    assert closed.status is tthc.DossierStatus.WITHDRAWN
    assert fmt(closed.finished_at) == "20/03/2024 17:00"
    assert s.close_if_expired(at(20, 16)) is s
    r = tthc.timeliness(s, at(25, 8))
    assert r.state is tthc.lifecycle.LifecycleState.CLOSED
    assert r.timeliness is Timeliness.ON_TIME  # finished while the clock was stopped


def test_supplement_window_in_working_days_policy() -> None:
    rules = tthc.lifecycle.LifecyclePolicy(supplement_window_unit="working_days")
    s = tthc.replay(restart_events()[:2], code=CODE, limit="03 ngày làm việc", rules=rules)
    assert fmt(s.supplement_deadline) == "26/03/2024 17:00"
    late_but_ok = s.apply(ev("supplement_received", at(25, 9)))
    assert late_but_ok.state is tthc.lifecycle.LifecycleState.PROCESSING
    default = tthc.replay(restart_events()[:2], code=CODE, limit="03 ngày làm việc")
    with pytest.raises(tthc.TransitionError, match="was closed"):
        default.apply(ev("supplement_received", at(25, 9)))


# ---- pause and resume -----------------------------------------------------------------------


def test_pause_moves_due_later_by_working_time_paused() -> None:
    s = tthc.replay(
        [
            ev("received", at(4, 8)),
            ev("paused", at(6, 9), note="Chờ thực hiện nghĩa vụ tài chính"),
        ],
        code=CODE,
        limit="05 ngày làm việc",
    )
    assert fmt(s.due_at) == "11/03/2024 17:00"
    # While paused, the due date as of an instant includes the pause so far.
    assert fmt(s.due_at_as_of(at(7, 9))) == "12/03/2024 17:00"  # 8 h paused so far
    s = s.apply(ev("resumed", at(8, 9)))  # 16 working hours paused
    assert fmt(s.due_at) == "13/03/2024 17:00"
    assert s.pauses == ((at(6, 9), at(8, 9)),)
    r = tthc.timeliness(s.apply(ev("completed", at(13, 10))))
    assert r.timeliness is Timeliness.ON_TIME
    used = tthc.lifecycle.working_time_used(s.apply(ev("completed", at(13, 10))))
    no_deduct = tthc.replay(
        s.events,
        code=CODE,
        limit="05 ngày làm việc",
        rules=tthc.lifecycle.LifecyclePolicy(deduct_pauses=False),
    ).apply(ev("completed", at(13, 10)))
    assert tthc.lifecycle.working_time_used(no_deduct) - used == dt.timedelta(hours=16)


# ---- re-appointment (Art. 19(6)) ------------------------------------------------------------


def test_reappointment_judged_against_original_due() -> None:
    s = tthc.replay(
        [
            ev("received", at(4, 8)),
            ev("reappointed", at(6, 10), new_due_at=at(12, 17), note="Cần xác minh thêm"),
            ev("completed", at(11, 15)),
        ],
        code=CODE,
        limit="03 ngày làm việc",
    )
    assert fmt(s.due_at) == "07/03/2024 17:00"
    assert fmt(s.reappointed_due_at) == "12/03/2024 17:00"
    r = tthc.timeliness(s)
    assert r.timeliness is Timeliness.LATE
    assert r.with_apology
    assert r.overdue_by == tthc.lifecycle.WorkingDuration(1, 6, 0)
    assert r.label_vi == "Trễ hạn 1 ngày 6 giờ (đã xin lỗi, hẹn lại 12/03/2024 17:00)"


# ---- timeliness boundaries ------------------------------------------------------------------


def received_state() -> tthc.DossierState:
    return tthc.replay([ev("received", at(4, 8))], code=CODE, limit="03 ngày làm việc")


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(6, 16), Timeliness.EARLY),
        (at(7, 8), Timeliness.ON_TIME),  # on the due date: not early
        (at(7, 17), Timeliness.ON_TIME),  # exactly the due instant
        (at(7, 17, 1), Timeliness.LATE),
        (at(8, 8), Timeliness.LATE),
    ],
)
def test_finished_timeliness_boundaries(finished: dt.datetime, expected: Timeliness) -> None:
    s = received_state().apply(ev("completed", finished))
    assert tthc.timeliness(s).timeliness is expected


@pytest.mark.parametrize("kind", ["refused", "withdrawn"])
def test_refused_and_withdrawn_are_judged_like_results(kind: str) -> None:
    s = received_state().apply(ev(kind, at(8, 9), reasons=("x",)))
    by_date = tthc.ReportPolicy(withdrawn="by_date")
    assert tthc.timeliness(s, report_policy=by_date).timeliness is Timeliness.LATE


@pytest.mark.parametrize(
    ("withdrawn", "expected"),
    [
        ("on_time", Timeliness.ON_TIME),
        ("exclude", Timeliness.WITHDRAWN),
        ("by_date", Timeliness.LATE),
    ],
)
def test_a_withdrawal_counts_as_the_report_policy_says(
    withdrawn: str, expected: Timeliness
) -> None:
    # Issue 10 case 4: the lifecycle said "early" / "late" by date while the report's default
    # counted the same withdrawal on time; both now follow ReportPolicy.withdrawn.
    s = received_state().apply(ev("withdrawn", at(8, 9)))
    policy = tthc.ReportPolicy(withdrawn=withdrawn)  # type: ignore[arg-type]
    assert tthc.timeliness(s, report_policy=policy).timeliness is expected
    assert tthc.timeliness(s).timeliness is Timeliness.ON_TIME


def test_open_timeliness_due_soon_and_overdue() -> None:
    s = received_state()
    far = tthc.timeliness(s, at(5, 10))
    assert far.timeliness is Timeliness.WITHIN_TIME
    assert not far.due_soon
    assert far.remaining == tthc.lifecycle.WorkingDuration(2, 5, 30)
    assert tthc.timeliness(s, at(5, 10), due_soon_within=dt.timedelta(hours=24)).due_soon
    soon = tthc.timeliness(s, at(7, 10))
    assert soon.due_soon
    assert soon.label_vi == "Trong hạn (sắp đến hạn)"
    wide = tthc.lifecycle.LifecyclePolicy(due_soon_horizon=dt.timedelta(hours=1))
    s2 = tthc.replay(s.events, code=CODE, limit="03 ngày làm việc", rules=wide)
    assert not tthc.timeliness(s2, at(7, 10)).due_soon
    over = tthc.timeliness(s, at(11, 10))
    assert over.timeliness is Timeliness.OVERDUE
    assert over.label_vi == "Quá hạn 1 ngày 2 giờ 30 phút"
    assert over.overdue_by is not None
    assert over.overdue_by.total == dt.timedelta(hours=10, minutes=30)


def test_timeliness_as_of_ignores_later_events() -> None:
    s = received_state().apply(ev("completed", at(11, 10)))
    assert tthc.timeliness(s, at(6, 9)).timeliness is Timeliness.WITHIN_TIME
    assert tthc.timeliness(s, at(11, 9)).timeliness is Timeliness.OVERDUE
    assert tthc.timeliness(s, at(12, 9)).timeliness is Timeliness.LATE


def test_timeliness_needs_receipt_and_limit() -> None:
    with pytest.raises(tthc.LifecycleError, match="not received"):
        tthc.timeliness(tthc.DossierState.new(CODE, "03 ngày làm việc"), at(4, 9))
    no_limit = tthc.replay([ev("received", at(4, 8))], code=CODE)
    assert no_limit.due_at is None
    with pytest.raises(tthc.LifecycleError, match="no time limit"):
        tthc.timeliness(no_limit, at(4, 9))
    with pytest.raises(tthc.NaiveDatetimeError):
        tthc.timeliness(received_state(), dt.datetime(2024, 3, 5, 8))


def test_working_duration_wording() -> None:
    assert str(tthc.lifecycle.WorkingDuration.from_timedelta(dt.timedelta(0))) == "0 giờ"
    assert str(tthc.lifecycle.WorkingDuration.from_timedelta(dt.timedelta(hours=16))) == "2 ngày"
    assert tthc.lifecycle.WorkingDuration(1, 0, 5).label_en == "1 day 5 minutes"
    with pytest.raises(tthc.LifecycleError):
        tthc.lifecycle.WorkingDuration.from_timedelta(dt.timedelta(hours=-1))


# ---- inter-agency steps (control sheet) -----------------------------------------------------


class Step:
    def __init__(self, name: str, agency: str, budget: str | None) -> None:
        self.name, self.agency, self.time_budget = name, agency, budget


STEPS = [
    Step("Tiếp nhận, chuyển hồ sơ", "Bộ phận Một cửa", "01 ngày làm việc"),
    Step("Thẩm định", "Công chức Tư pháp - Hộ tịch", "02 ngày làm việc"),
    Step("Ký duyệt", "Lãnh đạo UBND", "04 giờ làm việc"),
]


def test_step_results_each_with_own_budget() -> None:
    s = tthc.replay(
        [
            ev("received", at(4, 8), agency="Bộ phận Một cửa"),
            ev("transferred", at(4, 14), agency="Công chức Tư pháp - Hộ tịch"),
            ev("paused", at(5, 7, 30)),
            ev("resumed", at(5, 17)),  # 8 working hours paused inside step 2
            ev("transferred", at(7, 16), agency="Lãnh đạo UBND"),
        ],
        code=CODE,
        limit="05 ngày làm việc",
    )
    open_rows = tthc.lifecycle.step_results(s, STEPS, at(8, 8))
    assert [r.timeliness for r in open_rows] == [
        Timeliness.EARLY,
        Timeliness.ON_TIME,  # due 06/03 17:00 + 8 h -> 07/03 17:00
        Timeliness.WITHIN_TIME,
    ]
    assert fmt(open_rows[1].due_at) == "07/03/2024 17:00"
    assert fmt(open_rows[2].due_at) == "08/03/2024 10:30"
    late = tthc.lifecycle.step_results(s.apply(ev("completed", at(8, 11))), STEPS, at(9, 8))
    assert late[2].timeliness is Timeliness.LATE
    assert late[2].overdue_by == tthc.lifecycle.WorkingDuration(0, 0, 30)
    assert late[2].ended_at == at(8, 11)
    overdue = tthc.lifecycle.step_results(s, STEPS, at(8, 11))
    assert overdue[2].timeliness is Timeliness.OVERDUE
    # A segment without a step budget has no verdict.
    assert tthc.lifecycle.step_results(s, STEPS[:1], at(8, 8))[1].timeliness is None


# ---- Dossier integration --------------------------------------------------------------------


def dossier(**kw: object) -> tthc.Dossier:
    data: dict[str, object] = {
        "code": CODE,
        "procedure_code": "1.001193",
        "applicant": {"name": "Trần Thị B", "phone": "0912345678"},
        "channel": "direct",
        "received_at": "2024-03-04 08:00",
        "components": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1}],
    }
    data.update(kw)
    return tthc.Dossier.model_validate(data)


class Proc:
    code = "1.001193"
    name = "Đăng ký khai sinh"
    steps = STEPS

    def time_limit_for(self, channel: tthc.Channel) -> tthc.TimeLimit:
        value = "03 ngày làm việc" if channel is tthc.Channel.DIRECT else "02 ngày làm việc"
        return tthc.TimeLimit.parse(value)


def test_lifecycle_of_uses_procedure_limit_for_channel() -> None:
    assert fmt(tthc.lifecycle_of(dossier(), Proc()).due_at) == "07/03/2024 17:00"
    online = dossier(channel="online")
    assert fmt(tthc.lifecycle_of(online, Proc()).due_at) == "06/03/2024 17:00"
    assert fmt(tthc.lifecycle_of(dossier(), Proc(), limit="01 ngày làm việc").due_at) == (
        "05/03/2024 17:00"
    )


def test_apply_event_returns_new_dossier() -> None:
    d = dossier()
    d2 = tthc.lifecycle.apply_event(d, ev("supplement_requested", at(5, 9)), Proc())
    d3 = tthc.lifecycle.apply_event(d2, ev("supplement_received", at(11, 10)), Proc())
    assert d.events == ()
    assert d2.due_at is None
    assert fmt(d3.due_at) == "14/03/2024 17:00"
    assert len(d3.events) == 2
    with pytest.raises(tthc.TransitionError, match=CODE):
        tthc.lifecycle.apply_event(d3, ev("result_returned", at(12, 9)), Proc())


def test_dossier_receipt_event_must_match_received_at() -> None:
    good = dossier(events=[{"kind": "received", "at": "2024-03-04 08:00"}])
    assert tthc.lifecycle_of(good, Proc()).events == good.events
    bad = dossier(events=[{"kind": "received", "at": "2024-03-04 09:00"}])
    with pytest.raises(tthc.InvalidInputError, match="received_at"):
        tthc.lifecycle_of(bad, Proc())


def test_record_fields_feed_the_report() -> None:
    s = tthc.replay(restart_events()[:2], code=CODE, limit="03 ngày làm việc")
    fields = s.record_fields()
    assert fields["status"] is tthc.DossierStatus.SUPPLEMENT_REQUESTED
    assert fmt(fields["due_at"]) == "07/03/2024 17:00"  # in force before the request
    assert fields["supplement_requests"] == 1
    closed = s.record_fields(at(25, 8))
    assert closed["status"] is tthc.DossierStatus.WITHDRAWN
    assert fmt(closed["finished_at"]) == "20/03/2024 17:00"
    done = tthc.replay(restart_events(), code=CODE, limit="03 ngày làm việc").record_fields()
    rows = list(tthc.report.records_from([{**done, "domain": "Hộ tịch", "channel": "direct"}]))
    assert isinstance(rows[0], tthc.report.DossierRecord)
    assert rows[0].status is tthc.DossierStatus.COMPLETED
    assert rows[0].due_at == done["due_at"]
    with pytest.raises(tthc.LifecycleError):
        tthc.DossierState.new(CODE, None).record_fields()


def test_supplement_window_in_hours_mode_is_checked_on_every_event() -> None:
    # With working days counted as hours (4 h a day here) a 15-working-day window is 60 working
    # hours: it ends on 13/03 14:30, well before 15 calendar days. apply must agree with
    # state_as_of and refuse a supplement after it.
    policy = tthc.calendar.DeadlinePolicy(working_days_mode="hours", hours_per_day=4)
    rules = tthc.lifecycle.LifecyclePolicy(supplement_window_unit="working_days")
    s = tthc.replay(
        [ev("received", at(4, 8)), ev("supplement_requested", at(4, 9))],
        code=CODE,
        limit="03 ngày làm việc",
        policy=policy,
        rules=rules,
    )
    assert fmt(s.supplement_deadline) == "13/03/2024 14:30"
    assert s.state_as_of(at(15, 9)) is tthc.lifecycle.LifecycleState.CLOSED
    with pytest.raises(tthc.TransitionError, match="closed at 13/03/2024 14:30"):
        s.apply(ev("supplement_received", at(15, 9)))
    assert s.apply(ev("supplement_received", at(13, 14, 30))).state is (
        tthc.lifecycle.LifecycleState.PROCESSING
    )


def test_finished_while_waiting_after_the_due_instant_stays_late() -> None:
    # Due 07/03 17:00; the supplement is asked for only on Monday 11/03 at 09:00, when the
    # dossier is already overdue by Friday 8/3 and 1.5 hours (9.5 working hours); withdrawing
    # while waiting does not make it on time.
    s = received_state()
    late_request = s.apply(ev("supplement_requested", at(11, 9)))
    by_date = tthc.ReportPolicy(withdrawn="by_date")
    r = tthc.timeliness(late_request.apply(ev("withdrawn", at(12, 9))), report_policy=by_date)
    assert r.timeliness is Timeliness.LATE
    assert r.clock_stopped
    assert fmt(r.due_at) == "07/03/2024 17:00"
    assert r.overdue_by == tthc.lifecycle.WorkingDuration(1, 1, 30)
    # Asked for in time, the same withdrawal is on time (the clock was stopped).
    in_time = s.apply(ev("supplement_requested", at(7, 9)))
    r = tthc.timeliness(in_time.apply(ev("withdrawn", at(12, 9))), report_policy=by_date)
    assert r.timeliness is Timeliness.ON_TIME
    assert r.due_at is None
    # A refusal in the same position is judged the same way.
    refused = tthc.timeliness(late_request.apply(ev("refused", at(12, 9), reasons=("x",))))
    assert refused.timeliness is Timeliness.LATE
