"""UTC+7 normalisation: aware values converted, naive ones refused or read as UTC+7."""

from __future__ import annotations

import datetime as dt

import pytest

import tthc
from tthc._time import assume_vn, require_aware


def test_require_aware_converts_other_zones() -> None:
    utc = dt.datetime(2024, 2, 7, 3, 0, tzinfo=dt.UTC)
    assert require_aware(utc, "at") == dt.datetime(2024, 2, 7, 10, 0, tzinfo=tthc.VN_TZ)
    assert require_aware(utc, "at").utcoffset() == dt.timedelta(hours=7)


def test_require_aware_refuses_naive_naming_the_parameter() -> None:
    with pytest.raises(tthc.NaiveDatetimeError, match="received_at=2024-02-07T10:00:00"):
        require_aware(dt.datetime(2024, 2, 7, 10), "received_at")


@pytest.mark.parametrize("value", ["2024-02-07 10:00", dt.date(2024, 2, 7), 1707274800])
def test_require_aware_refuses_non_datetimes(value: object) -> None:
    with pytest.raises(tthc.InvalidInputError, match=r"received_at=.*must be an aware datetime"):
        require_aware(value, "received_at")  # type: ignore[arg-type]


def test_engine_refuses_a_string_instant() -> None:
    with pytest.raises(tthc.InvalidInputError, match="must be an aware datetime"):
        tthc.due_at("2024-02-07 10:00", "02 ngày làm việc")  # type: ignore[arg-type]


def test_assume_vn_reads_naive_as_wall_clock() -> None:
    assert assume_vn(dt.datetime(2024, 1, 1, 8)).utcoffset() == dt.timedelta(hours=7)
    assert assume_vn(dt.datetime(2024, 1, 1, 1, tzinfo=dt.UTC)).hour == 8


# ---- tthc.now() (issue 15) -----------------------------------------------------------------


def test_now_is_aware_utc7_to_the_second() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    t = tthc.now()
    after = dt.datetime.now(dt.UTC)
    assert t.utcoffset() == dt.timedelta(hours=7)
    assert t.microsecond == 0
    assert before <= t <= after


def test_received_now_goes_through_the_engine() -> None:
    due = tthc.compute_due(tthc.now(), "05 ngày làm việc")
    assert due.due_at > due.received_at


def test_naive_now_is_refused_with_the_hint() -> None:
    with pytest.raises(tthc.NaiveDatetimeError, match=r"tzinfo=tthc.VN_TZ.*tthc.now\(\)") as info:
        tthc.due_at(dt.datetime.now(), "05 ngày làm việc")
    assert info.value.param == "received_at"
