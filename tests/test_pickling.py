"""Objects a vendor sends to worker processes (Dask, Spark, multiprocessing) pickle and copy:
a calendar with a province's overlay could not (its lock), nor a dossier state replayed on it,
and ``copy.copy`` of any state failed."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import tthc
from tthc.calendar import CalendarOverlay, WorkingCalendar


def _province() -> WorkingCalendar:
    overlay = CalendarOverlay.from_days("Nghệ An", days_off=["2024-01-05"])
    return WorkingCalendar.vietnam(overlays=[overlay])


def test_a_calendar_with_an_overlay_pickles_and_copies_to_the_same_calendar() -> None:
    cal = _province()
    cal.add_working_days(dt.date(2024, 1, 2), 3)  # its tables built (and its lock used)
    for other in (pickle.loads(pickle.dumps(cal)), copy.deepcopy(cal), copy.copy(cal)):
        assert other.fingerprint == cal.fingerprint
        assert not other.is_working_day(dt.date(2024, 1, 5))
        assert other.add_working_days(dt.date(2024, 1, 2), 3) == dt.date(2024, 1, 8)
    assert pickle.loads(pickle.dumps(WorkingCalendar.vietnam())) is WorkingCalendar.vietnam()


def test_a_state_replayed_on_a_province_calendar_pickles_and_copies() -> None:
    events = [
        tthc.DossierEvent(kind="received", at="2024-01-04 08:00"),
        tthc.DossierEvent(kind="completed", at="2024-01-08 08:00"),
    ]
    state = tthc.replay(events, code="A-1", limit="03 ngày làm việc", calendar=_province())
    back = pickle.loads(pickle.dumps(state))
    assert (back.code, back.state, back.events, back.due_at) == (
        state.code, state.state, state.events, state.due_at,
    )  # fmt: skip
    assert back.due_at == dt.datetime(2024, 1, 10, 17, tzinfo=tthc.VN_TZ)  # 5/1 is off there
    assert copy.copy(state) is state
    assert copy.deepcopy(state) is state
