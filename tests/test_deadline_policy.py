"""The nine points of the default deadline policy, each with worked examples."""

from __future__ import annotations

import datetime as dt

import pytest

import tthc

VN = tthc.VN_TZ


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


# 1. Working days: close of office on the N-th working day after the receipt date.
@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        (at(2024, 2, 7, 10), "02 ngày làm việc", at(2024, 2, 16, 17)),  # across Tết 2024
        (at(2024, 3, 1, 8), "01 ngày làm việc", at(2024, 3, 4, 17)),  # Friday → Monday
        (at(2024, 3, 1, 23, 59), "01 ngày làm việc", at(2024, 3, 4, 17)),  # late, no cut-off
        (at(2024, 3, 2, 9), "01 ngày làm việc", at(2024, 3, 4, 17)),  # Saturday receipt
        (at(2024, 4, 26, 9), "02 ngày làm việc", at(2024, 5, 3, 17)),  # 29/4 swap, 30/4, 1/5 off
        (at(2024, 4, 26, 9), "03 ngày làm việc", at(2024, 5, 4, 17)),  # due on a working Saturday
        (at(2025, 12, 31, 9), "01 ngày làm việc", at(2026, 1, 5, 17)),  # 2/1/2026 swap
        (at(2026, 1, 9, 9), "01 ngày làm việc", at(2026, 1, 10, 17)),  # Sat 10/1/2026 worked
        (at(2024, 3, 1, 3, 0) - dt.timedelta(hours=8), "01 ngày làm việc", at(2024, 3, 1, 17)),
    ],
)
def test_rule_1_working_days(received: dt.datetime, limit: str, due: dt.datetime) -> None:
    d = tthc.compute_due(received, limit)
    assert d.due_at == due
    assert d.rule is tthc.calendar.DueRule.WORKING_DAYS
    assert d.due_at.utcoffset() == dt.timedelta(hours=7)


def test_rule_1_other_time_zone_is_converted() -> None:
    # 2024-03-01 20:00 UTC is 2024-03-02 03:00 in Vietnam (a Saturday).
    received = dt.datetime(2024, 3, 1, 20, 0, tzinfo=dt.UTC)
    assert tthc.due_at(received, "01 ngày làm việc") == at(2024, 3, 4, 17)


# 2. Receipt cut-off.
def test_rule_2_cutoff() -> None:
    policy = tthc.calendar.DeadlinePolicy(receipt_cutoff=dt.time(15, 0))
    assert tthc.due_at(at(2024, 3, 4, 15, 0), "01 ngày làm việc", policy=policy) == at(
        2024, 3, 5, 17
    )
    assert tthc.due_at(at(2024, 3, 4, 15, 1), "01 ngày làm việc", policy=policy) == at(
        2024, 3, 6, 17
    )
    # Cut-off only moves receipts on working days: Saturday already counts from Monday.
    assert tthc.due_at(at(2024, 3, 2, 16), "01 ngày làm việc", policy=policy) == at(2024, 3, 4, 17)
    # Also for calendar days.
    assert tthc.due_at(at(2024, 3, 4, 16), "03 ngày", policy=policy) == at(2024, 3, 8, 17)


def test_rule_2_cutoff_at_office_close() -> None:
    policy = tthc.calendar.DeadlinePolicy(receipt_cutoff="office_close")
    assert tthc.due_at(at(2024, 3, 4, 17, 0), "01 ngày làm việc", policy=policy) == at(
        2024, 3, 5, 17
    )
    assert tthc.due_at(at(2024, 3, 4, 17, 1), "01 ngày làm việc", policy=policy) == at(
        2024, 3, 6, 17
    )


# 3. Working hours.
@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        (at(2024, 3, 4, 9), "04 giờ làm việc", at(2024, 3, 4, 14, 30)),  # across lunch
        (at(2024, 3, 4, 12), "02 giờ làm việc", at(2024, 3, 4, 15)),  # lunch → 13:00
        (at(2024, 3, 1, 16), "08 giờ làm việc", at(2024, 3, 4, 16)),  # across the weekend
        (at(2024, 3, 4, 18), "04 giờ làm việc", at(2024, 3, 5, 11, 30)),  # after close
        (at(2024, 2, 7, 16), "02 giờ làm việc", at(2024, 2, 15, 8, 30)),  # across Tết
    ],
)
def test_rule_3_working_hours(received: dt.datetime, limit: str, due: dt.datetime) -> None:
    d = tthc.compute_due(received, limit)
    assert d.due_at == due
    assert d.rule is tthc.calendar.DueRule.WORKING_HOURS


# 4. Same day with a cut-off.
@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        (at(2024, 3, 4, 9), "Trong ngày", at(2024, 3, 4, 17)),
        (at(2024, 3, 4, 15, 0), "Trong ngày", at(2024, 3, 4, 17)),  # by the 15:00 cut-off
        (at(2024, 3, 4, 15, 1), "Trong ngày", at(2024, 3, 5, 17)),
        (at(2024, 3, 2, 9), "Trong ngày", at(2024, 3, 4, 17)),  # Saturday
        (
            at(2024, 3, 4, 10, 30),
            "Ngay trong ngày làm việc; trường hợp nhận hồ sơ sau 10 giờ thì trả kết quả "
            "trong ngày làm việc tiếp theo",
            at(2024, 3, 5, 17),
        ),
    ],
)
def test_rule_4_same_day(received: dt.datetime, limit: str, due: dt.datetime) -> None:
    d = tthc.compute_due(received, limit)
    assert d.due_at == due
    assert d.rule is tthc.calendar.DueRule.SAME_DAY


def test_rule_4_policy_cutoff() -> None:
    policy = tthc.calendar.DeadlinePolicy(same_day_cutoff=dt.time(16, 0))
    assert tthc.due_at(at(2024, 3, 4, 15, 30), "Trong ngày", policy=policy) == at(2024, 3, 4, 17)


# 5. Calendar days.
@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        (at(2024, 3, 4, 9), "03 ngày", at(2024, 3, 7, 17)),
        (at(2024, 2, 7, 10), "10 ngày", at(2024, 2, 19, 17)),  # 17/2 is Saturday → Monday
        (at(2024, 2, 1, 10), "10 ngày", at(2024, 2, 15, 17)),  # 11/2 in Tết → 15/2
        (at(2024, 4, 24, 10), "10 ngày", at(2024, 5, 4, 17)),  # lands on a working Saturday
    ],
)
def test_rule_5_calendar_days(received: dt.datetime, limit: str, due: dt.datetime) -> None:
    d = tthc.compute_due(received, limit)
    assert d.due_at == due
    assert d.rule is tthc.calendar.DueRule.CALENDAR_DAYS


def test_rule_5_without_rolling() -> None:
    policy = tthc.calendar.DeadlinePolicy(roll_to_working_day=False)
    assert tthc.due_at(at(2024, 2, 7, 10), "10 ngày", policy=policy) == at(2024, 2, 17, 17)


# 6. Months.
@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        (at(2024, 3, 5, 9), "01 tháng", at(2024, 4, 5, 17)),
        (at(2024, 1, 31, 9), "01 tháng", at(2024, 2, 29, 17)),  # clipped to the month end
        (at(2023, 1, 31, 9), "01 tháng", at(2023, 2, 28, 17)),
        (at(2024, 3, 30, 9), "01 tháng", at(2024, 5, 2, 17)),  # 30/4, 1/5 off → Thursday 2/5
        (at(2024, 11, 30, 9), "03 tháng", at(2025, 2, 28, 17)),  # no 30/2 → Friday 28/2
    ],
)
def test_rule_6_months(received: dt.datetime, limit: str, due: dt.datetime) -> None:
    d = tthc.compute_due(received, limit)
    assert d.due_at == due
    assert d.rule is tthc.calendar.DueRule.MONTHS


# 7. Hours mode.
def test_rule_7_hours_mode() -> None:
    policy = tthc.calendar.DeadlinePolicy(working_days_mode="hours")
    d = tthc.compute_due(at(2024, 2, 7, 10), "02 ngày làm việc", policy=policy)
    # 16 working hours from Wed 7/2 10:00: 5.5 h on 7/2, 8 h on 15/2, 2.5 h on 16/2.
    assert d.due_at == at(2024, 2, 16, 10)
    assert d.rule is tthc.calendar.DueRule.WORKING_DAYS_HOURS_MODE
    six = tthc.calendar.DeadlinePolicy(working_days_mode="hours", hours_per_day=6)
    assert tthc.due_at(at(2024, 3, 4, 7, 30), "01 ngày làm việc", policy=six) == at(
        2024, 3, 4, 15, 0
    )


# 8. Supplement restarts; pauses extend by working time.
def test_rule_8_restart_and_pause() -> None:
    first = tthc.compute_due(at(2024, 3, 1, 9), "03 ngày làm việc")
    assert first.due_at == at(2024, 3, 6, 17)
    again = first.restarted(at(2024, 3, 5, 9))
    assert again.due_at == at(2024, 3, 8, 17)
    assert again.received_at == at(2024, 3, 5, 9)
    paused = first.extended_for_pause(at(2024, 3, 4, 13), at(2024, 3, 5, 13))
    assert paused.due_at == at(2024, 3, 7, 17)
    # A pause over a weekend costs only its working time.
    assert tthc.calendar.extend_for_pause(
        at(2024, 3, 8, 17), at(2024, 3, 8, 16), at(2024, 3, 11, 8, 30)
    ) == (at(2024, 3, 11, 9, 30))
    # A pause outside office hours changes nothing.
    assert tthc.calendar.extend_for_pause(
        at(2024, 3, 8, 17), at(2024, 3, 8, 18), at(2024, 3, 9, 10)
    ) == (at(2024, 3, 8, 17))


# 9. One re-appointment.
def test_rule_9_single_reappointment() -> None:
    d = tthc.compute_due(at(2024, 3, 1, 9), "03 ngày làm việc")
    r = d.reappointed(at(2024, 3, 12, 17))
    assert r.due_at == at(2024, 3, 6, 17)  # kept for timeliness
    assert r.effective_due_at == at(2024, 3, 12, 17)
    with pytest.raises(tthc.ReappointmentError):
        r.reappointed(at(2024, 3, 15, 17))
    with pytest.raises(tthc.InvalidInputError):
        d.reappointed(at(2024, 3, 5, 17))


def test_every_day_rule_ends_at_closing_time_of_a_working_day() -> None:
    cal = tthc.WorkingCalendar.vietnam()
    start = at(2024, 1, 1, 6)
    for k in range(0, 24 * 60, 97):
        received = start + dt.timedelta(hours=k)
        for limit in ("01 ngày làm việc", "05 ngày làm việc", "Trong ngày", "07 ngày", "01 tháng"):
            due = tthc.due_at(received, limit)
            assert cal.is_working_day(due.date())
            assert due == cal.closing_time(due.date())
            assert due > received


def test_rich_result_fields() -> None:
    d = tthc.compute_due(at(2024, 2, 7, 10), tthc.TimeLimit.parse("02 ngày làm việc"))
    assert d.calendar_fingerprint == tthc.WorkingCalendar.vietnam().fingerprint
    assert d.provisional is False
    assert "Art. 147" in d.basis
    assert d.counted_from == dt.date(2024, 2, 7)
    assert "2024-02-16 17:00" in d.explain()


def test_provisional_flag_and_warning() -> None:
    with pytest.warns(tthc.ProvisionalCalendarWarning):
        d = tthc.compute_due(at(2026, 12, 30, 9), "05 ngày làm việc")
    assert d.provisional is True
    assert d.due_at.year == 2027
    with pytest.warns(tthc.ProvisionalCalendarWarning):
        tthc.due_at(at(2027, 3, 1, 9), "01 ngày làm việc")


def test_readme_quick_start() -> None:
    limit = tthc.TimeLimit.parse("02 ngày làm việc")
    received = dt.datetime(2024, 2, 7, 10, 0, tzinfo=tthc.VN_TZ)
    assert str(tthc.due_at(received, limit)) == "2024-02-16 17:00:00+07:00"


def test_same_day_on_a_half_day() -> None:
    half = tthc.calendar.CalendarOverlay.from_days("half", hours={"2024-03-04": ["07:30-11:30"]})
    cal = tthc.WorkingCalendar.vietnam(overlays=[half])
    assert tthc.due_at(at(2024, 3, 4, 9), "Trong ngày", cal) == at(2024, 3, 4, 11, 30)
    # Received after that day's close (but before the 15:00 cut-off): next working day.
    assert tthc.due_at(at(2024, 3, 4, 14), "Trong ngày", cal) == at(2024, 3, 5, 17)


def test_hours_mode_from_a_day_off_starts_at_next_opening() -> None:
    policy = tthc.calendar.DeadlinePolicy(working_days_mode="hours")
    assert tthc.due_at(at(2024, 3, 2, 10), "01 ngày làm việc", policy=policy) == at(2024, 3, 4, 17)


def test_due_at_many_and_json_round_trip() -> None:
    received = [at(2024, 2, 7, 10), at(2024, 3, 1, 9)]
    assert tthc.calendar.due_at_many(received, "02 ngày làm việc") == [
        tthc.due_at(r, "02 ngày làm việc") for r in received
    ]
    d = tthc.compute_due(at(2024, 2, 7, 10), "02 ngày làm việc")
    assert tthc.calendar.DueDate.model_validate_json(d.model_dump_json()) == d


def test_policy_is_frozen_and_validated() -> None:
    policy = tthc.calendar.DeadlinePolicy()
    with pytest.raises(ValueError, match="frozen"):
        policy.receipt_cutoff = dt.time(15)  # type: ignore[misc]
    with pytest.raises(ValueError, match="working_days_mode"):
        tthc.calendar.DeadlinePolicy(working_days_mode="weeks")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="hours_per_day"):
        tthc.calendar.DeadlinePolicy(hours_per_day=0)
    assert tthc.calendar.DeadlinePolicy(receipt_cutoff="15:30").receipt_cutoff == dt.time(15, 30)


def test_working_hours_limit_ignores_receipt_cutoff() -> None:
    policy = tthc.calendar.DeadlinePolicy(receipt_cutoff=dt.time(15))
    assert tthc.due_at(at(2024, 3, 4, 16), "02 giờ làm việc", policy=policy) == at(
        2024, 3, 5, 8, 30
    )


# Boundaries worked out by hand (office hours 07:30–11:30, 13:00–17:00).
@pytest.mark.parametrize(
    ("received", "limit", "policy", "due"),
    [
        # Receipt on a weekday holiday (Thu 8/2/2024, Tết): day 1 is Thu 15/2.
        (at(2024, 2, 8, 9), "01 ngày làm việc", None, at(2024, 2, 15, 17)),
        # Receipt exactly at office close: working hours start the next working morning.
        (at(2024, 3, 4, 17), "04 giờ làm việc", None, at(2024, 3, 5, 11, 30)),
        (at(2024, 3, 4, 17), "01 ngày làm việc", "hours", at(2024, 3, 5, 17)),
        # Exactly at lunch: the hour starts at 13:00.
        (at(2024, 3, 4, 11, 30), "01 giờ làm việc", None, at(2024, 3, 4, 14)),
        # Friday before the 2/9/2024 break (31/8–3/9): 1 working day is Wednesday 4/9.
        (at(2024, 8, 30, 9), "01 ngày làm việc", None, at(2024, 9, 4, 17)),
        # The day before a working Saturday: that Saturday is day 1 (26/4/2025, 22/8/2026).
        (at(2025, 4, 25, 9), "01 ngày làm việc", None, at(2025, 4, 26, 17)),
        (at(2026, 8, 21, 9), "01 ngày làm việc", None, at(2026, 8, 22, 17)),
        # 31/3 + 1 month = 30/4 (a holiday); 2025: 30/4, 1/5, 2/5 (swap), weekend → Mon 5/5.
        (at(2024, 3, 31, 9), "01 tháng", None, at(2024, 5, 2, 17)),
        (at(2025, 3, 31, 9), "01 tháng", None, at(2025, 5, 5, 17)),
        # Calendar days ending on the last day of Tết 2025 (Sun 2/2) → Monday 3/2.
        (at(2025, 1, 23, 9), "10 ngày", None, at(2025, 2, 3, 17)),
        # Same day on the last working day before Tết, after the cut-off → first day after Tết.
        (at(2024, 2, 7, 16), "Trong ngày", None, at(2024, 2, 15, 17)),
    ],
)
def test_hand_worked_boundaries(
    received: dt.datetime, limit: str, policy: str | None, due: dt.datetime
) -> None:
    pol = tthc.calendar.DeadlinePolicy(working_days_mode="hours") if policy == "hours" else None
    assert tthc.due_at(received, limit, policy=pol) == due


def test_receipt_cutoff_boundary_for_calendar_days() -> None:
    policy = tthc.calendar.DeadlinePolicy(receipt_cutoff=dt.time(15, 0))
    # At the cut-off: counted from Monday 4/3; one minute later: from Tuesday 5/3.
    assert tthc.due_at(at(2024, 3, 4, 15, 0), "03 ngày", policy=policy) == at(2024, 3, 7, 17)
    assert tthc.due_at(at(2024, 3, 4, 15, 1), "03 ngày", policy=policy) == at(2024, 3, 8, 17)


def test_pause_across_tet_costs_only_working_time() -> None:
    # Paused Wed 7/2/2024 16:00, resumed Thu 15/2 08:30 (Tết between): 1 h + 1 h = 2 h.
    assert tthc.calendar.extend_for_pause(
        at(2024, 2, 16, 17), at(2024, 2, 7, 16), at(2024, 2, 15, 8, 30)
    ) == at(2024, 2, 19, 9, 30)
