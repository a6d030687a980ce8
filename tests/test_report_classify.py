"""Classification of one dossier into Biểu số 06/VPCP/KSTT columns, at every boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc import VN_TZ, Channel, DossierStatus, NaiveDatetimeError, Period, ReportPolicy
from tthc.report import Counts, DossierRecord, ReportBuilder, build_report, classify

MARCH = Period.parse("2024-03")
START = dt.datetime(2024, 3, 1, tzinfo=VN_TZ)
END = dt.datetime(2024, 4, 1, tzinfo=VN_TZ)
US = dt.timedelta(microseconds=1)
NO_TIME = ReportPolicy(measure_processing_time=False)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)  # type: ignore[misc,arg-type]


MON_4 = dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
FRI_8 = dt.datetime(2024, 3, 8, 17, tzinfo=VN_TZ)


def rec(
    received: dt.datetime = MON_4,
    due: dt.datetime = FRI_8,
    finished: dt.datetime | None = None,
    status: DossierStatus | None = None,
    channel: Channel = Channel.DIRECT,
    extended: dt.datetime | None = None,
    supplements: int = 0,
) -> DossierRecord:
    if status is None:
        status = DossierStatus.RETURNED if finished is not None else DossierStatus.PROCESSING
    return DossierRecord(
        "X-1",
        "Hộ tịch",
        channel,
        received,
        status,
        due,
        finished,
        extended_due_at=extended,
        supplement_requests=supplements,
    )


def only(counts: Counts | None) -> dict[str, int]:
    assert counts is not None
    return {k: v for k, v in counts.counters().items() if v}


def test_received_at_start_is_new_not_carried_over() -> None:
    assert only(classify(rec(received=START, due=END), MARCH, NO_TIME)) == {
        "received_direct_postal": 1,
        "pending_within_time": 1,
    }


def test_received_just_before_start_is_carried_over() -> None:
    c = classify(rec(received=START - US, due=END), MARCH, NO_TIME)
    assert only(c) == {"carried_over": 1, "pending_within_time": 1}


def test_received_at_end_is_not_in_the_table() -> None:
    assert classify(rec(received=END, due=END + dt.timedelta(days=3)), MARCH) is None
    assert classify(rec(received=END - US, due=END + dt.timedelta(days=3)), MARCH, NO_TIME)


def test_finished_before_start_is_not_in_the_table() -> None:
    old = rec(received=at(2024, 2, 1, 8), due=at(2024, 2, 9, 17), finished=START - US)
    assert classify(old, MARCH) is None


def test_finished_at_start_is_resolved_in_the_period() -> None:
    c = classify(
        rec(received=at(2024, 2, 26, 8), due=at(2024, 3, 1, 17), finished=START), MARCH, NO_TIME
    )
    assert only(c) == {"carried_over": 1, "resolved_on_time": 1}


def test_finished_at_end_is_still_pending() -> None:
    c = classify(rec(due=END, finished=END), MARCH, NO_TIME)
    assert only(c) == {"received_direct_postal": 1, "pending_within_time": 1}
    # Judged at the period's last instant (END - 1 µs): due exactly then is not yet past, as
    # tthc.timeliness says at that instant; a microsecond earlier is overdue.
    c = classify(rec(due=END - US, finished=END), MARCH, NO_TIME)
    assert only(c) == {"received_direct_postal": 1, "pending_within_time": 1}
    c = classify(rec(due=END - 2 * US, finished=END), MARCH, NO_TIME)
    assert only(c) == {"received_direct_postal": 1, "pending_overdue": 1}


def test_a_due_date_written_as_the_last_day_is_within_time_at_the_end() -> None:
    # "2024-03-31" as a due date means the end of that day (Civil Code 2015 Art. 148(1)):
    # at the end of March it is due, not overdue.
    rows = [
        {
            "code": "A",
            "domain": "D",
            "channel": "direct",
            "received_at": "2024-03-04",
            "status": "processing",
            "due_at": "2024-03-31",
        }
    ]
    report = build_report(rows, "2024-03", policy=NO_TIME)
    assert report.totals.pending_within_time == 1


@pytest.mark.parametrize("due", ["2024-03-07", "20240307", "2024-W10-4", "2024/03/07"])
def test_a_due_date_alone_in_any_spelling_is_the_end_of_that_day(due: str) -> None:
    """However the date is written (extended, basic, week date, year/month/day), a dossier
    finished at 10:00 on its due day is on time."""
    row = {
        "code": "A",
        "domain": "D",
        "channel": "direct",
        "received_at": "2024-03-04 08:00",
        "status": "returned",
        "due_at": due,
        "finished_at": "2024-03-07 10:00",
    }
    report = build_report([row], "2024-03")
    assert (report.totals.resolved_on_time, report.rows_rejected) == (1, 0)


@pytest.mark.parametrize("text", ["2024-03-07+07:00", "2024-03-07x10:00", "2024-03-07/10:00"])
def test_a_date_and_time_not_separated_by_t_or_a_space_is_refused(text: str) -> None:
    # Python's fromisoformat takes any character there and read "2024-03-07+07:00" as 07:00.
    row = {
        "code": "A",
        "domain": "D",
        "channel": "direct",
        "received_at": text,
        "status": "processing",
        "due_at": "2024-03-20",
    }
    (rejection,) = build_report([row], "2024-03").rejections
    assert rejection.column == "received_at"
    assert "bad date" in rejection.reason


@pytest.mark.parametrize(
    ("finished", "column"),
    [
        (at(2024, 3, 7, 23, 59, 59), "resolved_early"),  # a date before the due date
        (at(2024, 3, 8, 0, 0), "resolved_on_time"),  # the due date itself is not early
        (at(2024, 3, 8, 17, 0), "resolved_on_time"),  # exactly the due instant
        (at(2024, 3, 8, 17, 0, 1), "resolved_late"),  # one second after
        (at(2024, 3, 11, 9, 0), "resolved_late"),
    ],
)
def test_early_on_time_late_boundaries(finished: dt.datetime, column: str) -> None:
    assert only(classify(rec(finished=finished), MARCH, NO_TIME)) == {
        "received_direct_postal": 1,
        column: 1,
    }


def test_late_with_reappointment_counts_as_late_with_apology() -> None:
    # Judged against due_at, not extended_due_at, even when finished by the new date.
    c = classify(rec(finished=at(2024, 3, 12, 9), extended=at(2024, 3, 15, 17)), MARCH, NO_TIME)
    assert only(c) == {
        "received_direct_postal": 1,
        "resolved_late": 1,
        "resolved_late_with_apology": 1,
    }
    assert c is not None
    assert c.on_time_rate == 0.0


def test_reappointment_on_an_on_time_dossier_is_not_an_apology() -> None:
    c = classify(rec(finished=at(2024, 3, 8, 9), extended=at(2024, 3, 15, 17)), MARCH, NO_TIME)
    assert only(c) == {"received_direct_postal": 1, "resolved_on_time": 1}


def test_pending_due_before_end_is_overdue_but_waiting_for_supplement_is_within_time() -> None:
    assert only(classify(rec(due=at(2024, 3, 29, 17)), MARCH, NO_TIME))["pending_overdue"] == 1
    waiting = rec(due=at(2024, 3, 29, 17), status=DossierStatus.SUPPLEMENT_REQUESTED)
    assert only(classify(waiting, MARCH, NO_TIME))["pending_within_time"] == 1
    paused = rec(due=at(2024, 3, 29, 17), status=DossierStatus.PAUSED)
    assert only(classify(paused, MARCH, NO_TIME))["pending_overdue"] == 1


def test_online_and_postal_channels() -> None:
    assert (
        only(classify(rec(channel=Channel.ONLINE, due=END), MARCH, NO_TIME))["received_online"] == 1
    )
    c = only(classify(rec(channel=Channel.POSTAL, due=END), MARCH, NO_TIME))
    assert c["received_direct_postal"] == 1


def test_refused_is_classified_like_any_result() -> None:
    late = rec(finished=at(2024, 3, 11, 9), status=DossierStatus.REFUSED)
    assert only(classify(late, MARCH, NO_TIME))["resolved_late"] == 1
    early = rec(finished=at(2024, 3, 5, 9), status=DossierStatus.REFUSED)
    assert only(classify(early, MARCH, NO_TIME))["resolved_early"] == 1


def test_withdrawn_default_on_time_even_after_due() -> None:
    w = rec(finished=at(2024, 3, 20, 9), status=DossierStatus.WITHDRAWN)
    assert only(classify(w, MARCH, NO_TIME)) == {"received_direct_postal": 1, "resolved_on_time": 1}


def test_withdrawn_excluded_policy_keeps_it_apart_and_reconciles() -> None:
    policy = ReportPolicy(withdrawn="exclude", measure_processing_time=False)
    w = rec(finished=at(2024, 3, 20, 9), status=DossierStatus.WITHDRAWN)
    c = classify(w, MARCH, policy)
    assert only(c) == {"received_direct_postal": 1, "withdrawn_excluded": 1}
    assert c is not None
    c.check()
    assert c.resolved_total == 0
    assert c.received_total == 1


REPEATED_LATE = ReportPolicy(repeated_supplement="late", measure_processing_time=False)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(2024, 3, 5, 9), "resolved_early"),
        (FRI_8, "resolved_on_time"),
        (FRI_8 + US, "resolved_late"),
    ],
)
def test_repeated_supplement_policy_at_one_and_two_requests(
    finished: dt.datetime, expected: str
) -> None:
    """Default: by the dates whatever the count. Policy "late": one request is still by the
    dates, two (more than one) is late — early and on time included."""
    for supplements in (0, 1, 2, 7):
        by_date = only(classify(rec(finished=finished, supplements=supplements), MARCH, NO_TIME))
        assert by_date[expected] == 1
    for supplements in (0, 1):
        one = only(classify(rec(finished=finished, supplements=supplements), MARCH, REPEATED_LATE))
        assert one[expected] == 1
    two = only(classify(rec(finished=finished, supplements=2), MARCH, REPEATED_LATE))
    assert two == {"received_direct_postal": 1, "resolved_late": 1}


def test_repeated_supplement_policy_leaves_withdrawn_and_pending_alone() -> None:
    withdrawn = rec(finished=at(2024, 3, 20, 9), status=DossierStatus.WITHDRAWN, supplements=3)
    assert only(classify(withdrawn, MARCH, REPEATED_LATE))["resolved_on_time"] == 1
    apart = ReportPolicy(
        withdrawn="exclude", repeated_supplement="late", measure_processing_time=False
    )
    assert only(classify(withdrawn, MARCH, apart))["withdrawn_excluded"] == 1
    waiting = rec(status=DossierStatus.SUPPLEMENT_REQUESTED, due=at(2024, 3, 5, 17), supplements=3)
    assert only(classify(waiting, MARCH, REPEATED_LATE))["pending_within_time"] == 1
    open_ = rec(due=END, supplements=3)
    assert only(classify(open_, MARCH, REPEATED_LATE))["pending_within_time"] == 1


def test_repeated_supplement_late_with_a_reappointment_counts_the_apology() -> None:
    r = rec(finished=at(2024, 3, 5, 9), extended=at(2024, 3, 12, 17), supplements=2)
    assert only(classify(r, MARCH, REPEATED_LATE)) == {
        "received_direct_postal": 1,
        "resolved_late": 1,
        "resolved_late_with_apology": 1,
    }
    assert "resolved_late_with_apology" not in only(classify(r, MARCH, NO_TIME))


def test_processing_time_in_working_days() -> None:
    # Mon 08:00 → Tue 08:00 = 3.5 h + 4 h + 0.5 h = 8 working hours = 1 working day.
    c = classify(rec(received=at(2024, 3, 4, 8), finished=at(2024, 3, 5, 8)), MARCH)
    assert c is not None
    assert c.processing_count == 1
    assert c.average_processing_days == pytest.approx(1.0)


def test_processing_time_skips_weekends_and_holidays() -> None:
    # Tết 2024: 8–14/2 off. Wed 7/2 16:00 → Thu 15/2 08:30 = 1 h + 1 h working.
    feb = Period.parse("2024-02")
    c = classify(
        rec(received=at(2024, 2, 7, 16), due=at(2024, 2, 21, 17), finished=at(2024, 2, 15, 8, 30)),
        feb,
    )
    assert c is not None
    assert c.processing_seconds == 2 * 3600


def test_dates_are_compared_at_the_office_whatever_the_zone_of_the_record() -> None:
    # Finished 17:30 UTC on 7/3 = 00:30 on 8/3 in UTC+7: the due date itself, so on time, not
    # early (the UTC dates would say 7/3 < 8/3).
    utc = dt.UTC
    r = rec(due=FRI_8.astimezone(utc), finished=dt.datetime(2024, 3, 7, 17, 30, tzinfo=utc))
    assert only(classify(r, MARCH, NO_TIME))["resolved_on_time"] == 1


def test_a_naive_instant_in_a_hand_built_record_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError, match="finished_at"):
        classify(rec(finished=dt.datetime(2024, 3, 7, 9)), MARCH, NO_TIME)


def test_builder_agrees_with_classify() -> None:
    records = [
        rec(received=START, due=END),
        rec(received=START - US, due=START + US),
        rec(finished=at(2024, 3, 7, 9)),
        rec(finished=at(2024, 3, 9, 9), extended=at(2024, 3, 12, 17)),
        rec(finished=at(2024, 3, 20, 9), status=DossierStatus.WITHDRAWN),
        rec(status=DossierStatus.SUPPLEMENT_REQUESTED, due=at(2024, 3, 5, 17)),
        rec(received=END, due=END + US),
        rec(finished=at(2024, 3, 5, 9), supplements=2),
        rec(finished=at(2024, 3, 5, 9), supplements=1, extended=at(2024, 3, 12, 17)),
        rec(finished=at(2024, 3, 6, 9), supplements=4, extended=at(2024, 3, 12, 17)),
        rec(finished=at(2024, 3, 20, 9), status=DossierStatus.WITHDRAWN, supplements=2),
    ]
    for policy in (
        ReportPolicy(),
        ReportPolicy(withdrawn="exclude"),
        ReportPolicy(repeated_supplement="late"),
        ReportPolicy(withdrawn="exclude", repeated_supplement="late"),
    ):
        builder = ReportBuilder(MARCH, policy=policy)
        builder.add_all(records)
        total = Counts.total(c for r in records if (c := classify(r, MARCH, policy)) is not None)
        assert builder.report().totals == total


def test_official_quarter_boundaries_15_12_to_14_3() -> None:
    q1 = Period.parse("2024-Q1", official=True)
    # received 14/12/2023 23:59:59 is carried over; 15/12/2023 00:00 is new
    before = rec(received=at(2023, 12, 14, 23, 59, 59), due=at(2024, 4, 1, 17))
    first = rec(received=at(2023, 12, 15), due=at(2024, 4, 1, 17))
    assert only(classify(before, q1, NO_TIME))["carried_over"] == 1
    assert only(classify(first, q1, NO_TIME))["received_direct_postal"] == 1
    # finished 14/3/2024 23:59:59 is resolved in the period; 15/3 00:00 is still pending at its end
    last = rec(
        received=at(2024, 3, 4, 8), due=at(2024, 3, 20, 17), finished=at(2024, 3, 14, 23, 59, 59)
    )
    after = rec(received=at(2024, 3, 4, 8), due=at(2024, 3, 14, 17), finished=at(2024, 3, 15))
    assert only(classify(last, q1, NO_TIME))["resolved_early"] == 1
    assert only(classify(after, q1, NO_TIME))["pending_overdue"] == 1
    # received on 15/3 belongs to the next official quarter
    assert classify(rec(received=at(2024, 3, 15, 8), due=at(2024, 3, 20, 17)), q1) is None
