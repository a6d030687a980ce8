"""Indicator 2.1 by the national portal's rule: each listed rule on its own, the tables total,
the SQL written from them equal to the Python decision, and the differences with Biểu số 06
visible in the lists."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tthc import VN_TZ, DossierStatus
from tthc.index import (
    END_OF_PROCESSING_RULES,
    PROGRESS_RULES,
    EndFacts,
    ProgressFacts,
    build_index,
    decide_progress,
    progress_facts,
)
from tthc.report import Period, rules_sql

duckdb = pytest.importorskip("duckdb")

AS_OF = Period.parse("2024-03").as_of


def t(day: int, hour: int = 8, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour, minute, second, tzinfo=VN_TZ)


def judge(**kw: object) -> str | None:
    base: dict[str, object] = {
        "status": DossierStatus.PROCESSING,
        "received_at": t(1),
        "finished_at": None,
        "appointment_at": t(6, 17),
    }
    base.update(kw)
    return progress_facts(AS_OF, **base).verdict  # type: ignore[arg-type]


# --------------------------------------------------------------------------- each rule


def test_end_of_processing_priority_completed_then_returned_then_refused() -> None:
    instants = {
        DossierStatus.COMPLETED: t(5),  # on time
        DossierStatus.RETURNED: t(8),  # would be late
        DossierStatus.REFUSED: t(9),
    }
    j = progress_facts(
        AS_OF,
        status=DossierStatus.RETURNED,
        received_at=t(1),
        finished_at=t(8),
        appointment_at=t(6, 17),
        end_instants=instants,
    )
    assert (j.end_rule.name, j.end, j.verdict) == ("completed", t(5), "on_time")
    del instants[DossierStatus.COMPLETED]
    j = progress_facts(
        AS_OF,
        status=DossierStatus.RETURNED,
        received_at=t(1),
        finished_at=t(8),
        appointment_at=t(6, 17),
        end_instants=instants,
    )
    assert (j.end_rule.name, j.end, j.verdict) == ("result returned", t(8), "late")
    j = progress_facts(
        AS_OF,
        status=DossierStatus.REFUSED,
        received_at=t(1),
        finished_at=t(4),
        appointment_at=t(6, 17),
        end_instants={DossierStatus.REFUSED: t(4)},
    )
    assert (j.end_rule.name, j.verdict) == ("refused", "on_time")


def test_an_end_state_after_the_period_does_not_count() -> None:
    late_finish = dt.datetime(2024, 4, 2, 9, tzinfo=VN_TZ)
    j = progress_facts(
        AS_OF,
        status=DossierStatus.RETURNED,
        received_at=t(1),
        finished_at=late_finish,
        appointment_at=t(6, 17),
    )
    assert j.end_rule.name == "not finished at the end of the period"
    assert j.end == AS_OF
    assert j.verdict == "late"


def test_a_withdrawal_is_an_end_state() -> None:
    j = progress_facts(
        AS_OF,
        status=DossierStatus.WITHDRAWN,
        received_at=t(1),
        finished_at=t(5),
        appointment_at=t(6, 17),
    )
    assert (j.end_rule.name, j.verdict) == ("withdrawn or stopped", "on_time")
    assert judge(status=DossierStatus.WITHDRAWN, finished_at=t(7)) == "late"


def test_a_pending_supplement_ends_at_its_request_instant() -> None:
    # Requested before the appointment and not brought back: on time, whatever came after.
    j = progress_facts(
        AS_OF,
        status=DossierStatus.SUPPLEMENT_REQUESTED,
        received_at=t(1),
        finished_at=None,
        appointment_at=t(6, 17),
        supplement_requests=1,
        supplement_requested_at=t(6, 16),
    )
    assert (j.end_rule.name, j.end, j.verdict) == ("waiting for a supplement", t(6, 16), "on_time")
    # Requested after the appointment: late (Biểu số 06 says within time: its clock is stopped).
    assert (
        judge(
            status=DossierStatus.SUPPLEMENT_REQUESTED,
            supplement_requests=1,
            supplement_requested_at=t(7),
        )
        == "late"
    )
    # Brought back after the period's end: still waiting at its end.
    after = dt.datetime(2024, 4, 3, 9, tzinfo=VN_TZ)
    assert (
        judge(supplement_requests=1, supplement_requested_at=t(5), supplement_received_at=after)
        == "on_time"
    )


def test_more_than_one_request_while_waiting_is_late() -> None:
    assert (
        judge(
            status=DossierStatus.SUPPLEMENT_REQUESTED,
            supplement_requests=2,
            supplement_requested_at=t(4),
        )
        == "late"
    )
    assert (
        judge(
            status=DossierStatus.SUPPLEMENT_REQUESTED,
            supplement_requests=1,
            supplement_requested_at=t(4),
        )
        == "on_time"
    )
    # Even without the request's instant: more than one request decides alone.
    assert judge(status=DossierStatus.SUPPLEMENT_REQUESTED, supplement_requests=3) == "late"


def test_more_than_one_request_of_a_finished_dossier_goes_by_its_dates() -> None:
    # The portal's sentence is about a dossier still waiting (domain guide section 7).
    assert (
        judge(
            status=DossierStatus.RETURNED,
            finished_at=t(5),
            supplement_requests=2,
            supplement_requested_at=t(2),
            supplement_received_at=t(3),
        )
        == "on_time"
    )


def test_the_supplement_time_is_subtracted() -> None:
    # Finished a day after the appointment, after a two-day wait for the applicant: on time.
    j = progress_facts(
        AS_OF,
        status=DossierStatus.RETURNED,
        received_at=t(1),
        finished_at=t(7, 17),
        appointment_at=t(6, 17),
        supplement_requests=1,
        supplement_requested_at=t(2, 9),
        supplement_received_at=t(4, 9),
    )
    assert j.supplement_time == dt.timedelta(days=2)
    assert (j.compared_end, j.verdict) == (t(5, 17), "on_time")
    # Without the resubmission's instant nothing is subtracted.
    assert (
        judge(
            status=DossierStatus.RETURNED,
            finished_at=t(7, 17),
            supplement_requests=1,
            supplement_requested_at=t(2, 9),
        )
        == "late"
    )
    # An unfinished dossier: subtracted from the period's end too.
    j = progress_facts(
        AS_OF,
        status=DossierStatus.PROCESSING,
        received_at=t(1),
        finished_at=None,
        appointment_at=t(28, 17),
        supplement_requests=1,
        supplement_requested_at=t(10),
        supplement_received_at=t(20),
    )
    assert j.compared_end == AS_OF - dt.timedelta(days=10)
    assert j.verdict == "on_time"


def test_an_unfinished_dossier_ends_at_the_period_end() -> None:
    assert judge(appointment_at=AS_OF) == "on_time"
    assert judge(appointment_at=AS_OF - dt.timedelta(microseconds=1)) == "late"


def test_the_appointment_instant_is_compared_to_the_second() -> None:
    assert judge(status=DossierStatus.COMPLETED, finished_at=t(6, 17)) == "on_time"
    assert judge(status=DossierStatus.COMPLETED, finished_at=t(6, 17, 0, 1)) == "late"


def test_without_an_appointment_the_time_limit_decides() -> None:
    j = progress_facts(
        AS_OF,
        status=DossierStatus.COMPLETED,
        received_at=t(1),
        finished_at=t(6, 10),
        appointment_at=None,
        limit_deadline=lambda: t(6, 17),
    )
    assert (j.rule.name, j.verdict) == ("no appointment date, within the time limit", "on_time")
    j = progress_facts(
        AS_OF,
        status=DossierStatus.COMPLETED,
        received_at=t(1),
        finished_at=t(7, 10),
        appointment_at=None,
        limit_deadline=lambda: t(6, 17),
    )
    assert (j.rule.name, j.verdict) == ("no appointment date, over the time limit", "late")


def test_neither_an_appointment_nor_a_limit_is_unknown() -> None:
    j = progress_facts(
        AS_OF,
        status=DossierStatus.COMPLETED,
        received_at=t(1),
        finished_at=t(6, 10),
        appointment_at=None,
    )
    assert j.verdict is None
    assert j.deadline is None


def test_a_pending_request_without_its_instant_is_unknown() -> None:
    assert judge(status=DossierStatus.SUPPLEMENT_REQUESTED, supplement_requests=1) is None


# --------------------------------------------------------------------------- the tables


def test_every_rule_has_a_source_naming_the_portal_practice() -> None:
    for rule in (*END_OF_PROCESSING_RULES, *PROGRESS_RULES):
        assert "766" in rule.source
        assert "portal practice, not law" in rule.source


def test_the_tables_are_total_and_every_rule_is_used() -> None:
    used = set()
    for bits in itertools.product((False, True), repeat=6):
        used.add(decide_progress(ProgressFacts(*bits)).name)
    assert used == {r.name for r in PROGRESS_RULES}
    used = set()
    for bits in itertools.product((False, True), repeat=5):
        for rule in END_OF_PROCESSING_RULES:
            if rule.holds(EndFacts(*bits), None):  # type: ignore[arg-type]
                used.add(rule.name)
                break
        else:  # pragma: no cover - the last rule has no condition
            raise AssertionError(bits)
    assert used == {r.name for r in END_OF_PROCESSING_RULES}


def test_the_sql_written_from_the_tables_decides_as_python() -> None:
    names = ProgressFacts._fields
    sql = rules_sql(PROGRESS_RULES, {n: f"f_{n}" for n in names})
    con = duckdb.connect()
    for bits in itertools.product((False, True), repeat=len(names)):
        facts = ProgressFacts(*bits)
        values = ", ".join(f"{str(b).lower()} AS f_{n}" for n, b in zip(names, bits, strict=True))
        (got,) = con.execute(f"SELECT {sql} FROM (SELECT {values})").fetchone()
        assert got == decide_progress(facts).cell, facts
    end_names = EndFacts._fields
    end_sql = rules_sql(END_OF_PROCESSING_RULES, {n: f"f_{n}" for n in end_names})
    for bits in itertools.product((False, True), repeat=len(end_names)):
        values = ", ".join(
            f"{str(b).lower()} AS f_{n}" for n, b in zip(end_names, bits, strict=True)
        )
        (got,) = con.execute(f"SELECT {end_sql} FROM (SELECT {values})").fetchone()
        expected = next(
            r.cell
            for r in END_OF_PROCESSING_RULES
            if r.holds(EndFacts(*bits), None)  # type: ignore[arg-type]
        )
        assert got == expected


# --------------------------------------------------------------------------- both visible


def test_where_2_1_and_bieu_06_differ_the_lists_show_both() -> None:
    rows = [
        # waiting for a supplement asked after the appointment: Biểu 06 within time, 2.1 late
        {
            "code": "S-1",
            "domain": "Hộ tịch",
            "channel": "online",
            "received_at": "2024-03-01T08:00",
            "status": "supplement_requested",
            "due_at": "2024-03-06T17:00",
            "supplement_requests": "1",
            "supplement_requested_at": "2024-03-07T09:00",
        },
        # late finish after a long wait: Biểu 06 judges the restarted due date late… both agree
        {
            "code": "S-2",
            "domain": "Hộ tịch",
            "channel": "online",
            "received_at": "2024-03-01T08:00",
            "status": "returned",
            "due_at": "2024-03-06T17:00",
            "finished_at": "2024-03-05T10:00",
        },
    ]
    index = build_index(rows, "2024-03", trace=True)
    assert index.values()["2.1"].extra == {"differs": 1}
    (entry,) = index.dossiers("2.1:differs")
    assert entry.code == "S-1"
    assert (entry.cell, entry.progress) == ("pending_within_time", "late")
    assert index.report is not None
    assert [d.code for d in index.report.dossiers("pending_within_time")] == ["S-1"]
    assert [d.code for d in index.dossiers("2.1:not_counted")] == ["S-1"]
