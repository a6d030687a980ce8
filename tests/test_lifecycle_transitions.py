"""The state machine: every allowed and every forbidden transition, purity, ordering."""

from __future__ import annotations

import datetime as dt

import pytest

import tthc
from tthc.lifecycle import LifecycleState
from tthc.models import EventKind

CODE = "000.17.22.H56-240301-0001"
T0 = dt.datetime(2024, 3, 1, 8, 0, tzinfo=tthc.VN_TZ)  # Friday, a working day
LIMIT = "05 ngày làm việc"

# A timeline reaching each state (offsets in hours from T0).
PREFIX: dict[LifecycleState, list[tuple[EventKind, int]]] = {
    LifecycleState.NEW: [],
    LifecycleState.RECEIVED: [(EventKind.RECEIVED, 0)],
    LifecycleState.PROCESSING: [(EventKind.RECEIVED, 0), (EventKind.TRANSFERRED, 1)],
    LifecycleState.SUPPLEMENT_REQUESTED: [
        (EventKind.RECEIVED, 0),
        (EventKind.SUPPLEMENT_REQUESTED, 1),
    ],
    LifecycleState.PAUSED: [(EventKind.RECEIVED, 0), (EventKind.PAUSED, 1)],
    LifecycleState.COMPLETED: [(EventKind.RECEIVED, 0), (EventKind.COMPLETED, 1)],
    LifecycleState.RESULT_RETURNED: [
        (EventKind.RECEIVED, 0),
        (EventKind.COMPLETED, 1),
        (EventKind.RESULT_RETURNED, 2),
    ],
    LifecycleState.REFUSED: [(EventKind.RECEIVED, 0), (EventKind.REFUSED, 1)],
    LifecycleState.WITHDRAWN: [(EventKind.RECEIVED, 0), (EventKind.WITHDRAWN, 1)],
    LifecycleState.CLOSED: [(EventKind.RECEIVED, 0), (EventKind.SUPPLEMENT_REQUESTED, 1)],
}


def event(kind: EventKind, at: dt.datetime) -> tthc.DossierEvent:
    extra = {"new_due_at": at + dt.timedelta(days=30)} if kind is EventKind.REAPPOINTED else {}
    return tthc.DossierEvent(kind=kind, at=at, reasons=("lý do",), **extra)


def state_in(target: LifecycleState) -> tthc.DossierState:
    events = [event(k, T0 + dt.timedelta(hours=h)) for k, h in PREFIX[target]]
    s = tthc.replay(events, code=CODE, limit=LIMIT)
    if target is LifecycleState.CLOSED:
        s = s.close_if_expired(T0 + dt.timedelta(days=60))
    assert s.state is target
    return s


ALL_PAIRS = [(s, e) for s in LifecycleState for e in EventKind]
ALLOWED = [(s, e) for s, e in ALL_PAIRS if e in tthc.lifecycle.LIFECYCLE_TRANSITIONS[s]]
FORBIDDEN = [(s, e) for s, e in ALL_PAIRS if e not in tthc.lifecycle.LIFECYCLE_TRANSITIONS[s]]


def test_table_covers_every_state() -> None:
    assert set(tthc.lifecycle.LIFECYCLE_TRANSITIONS) == set(LifecycleState)
    assert len(ALLOWED) + len(FORBIDDEN) == len(LifecycleState) * len(EventKind)
    assert ALLOWED
    assert FORBIDDEN


def test_states_map_to_dossier_status() -> None:
    for s in LifecycleState:
        if s is LifecycleState.NEW:
            assert s.status is None
        else:
            assert isinstance(s.status, tthc.DossierStatus)
            assert s.status.is_finished == s.is_finished


@pytest.mark.parametrize(("state", "kind"), ALLOWED, ids=lambda x: str(x))
def test_allowed_transition(state: LifecycleState, kind: EventKind) -> None:
    before = state_in(state)
    after = before.apply(event(kind, T0 + dt.timedelta(hours=5)))
    assert after.state is tthc.lifecycle.LIFECYCLE_TRANSITIONS[state][kind]
    assert before.state is state  # the input is not changed
    assert len(after.events) == len(before.events) + 1


@pytest.mark.parametrize(("state", "kind"), FORBIDDEN, ids=lambda x: str(x))
def test_forbidden_transition(state: LifecycleState, kind: EventKind) -> None:
    before = state_in(state)
    with pytest.raises(tthc.TransitionError) as info:
        before.apply(event(kind, T0 + dt.timedelta(hours=5)))
    msg = str(info.value)
    assert CODE in msg
    assert repr(state.value) in msg
    assert repr(kind.value) in msg
    allowed = tthc.lifecycle.LIFECYCLE_TRANSITIONS[state]
    for ok in allowed:
        assert ok.value in msg.split("allowed events:")[1]
    if not allowed:
        assert "none (end state)" in msg
    assert info.value.allowed == tuple(allowed)  # type: ignore[attr-defined]
    assert before.state is state


def test_end_states_are_final() -> None:
    finals = {s for s in LifecycleState if s.is_final}
    assert finals == {
        LifecycleState.RESULT_RETURNED,
        LifecycleState.REFUSED,
        LifecycleState.WITHDRAWN,
        LifecycleState.CLOSED,
    }


def test_event_out_of_time_order_is_refused() -> None:
    s = state_in(LifecycleState.PROCESSING)
    with pytest.raises(tthc.TransitionError, match="earlier than the previous event") as info:
        s.apply(event(EventKind.COMPLETED, T0 + dt.timedelta(minutes=30)))
    assert CODE in str(info.value)
    assert "allowed events: transferred" in str(info.value)
    # Same instant is fine.
    assert s.apply(event(EventKind.COMPLETED, T0 + dt.timedelta(hours=1))).state.value == (
        "completed"
    )


def test_second_reappointment_is_refused() -> None:
    s = state_in(LifecycleState.RECEIVED)
    s = s.apply(event(EventKind.REAPPOINTED, T0 + dt.timedelta(days=3)))
    with pytest.raises(tthc.ReappointmentError, match=r"Art\. 19\(6\)") as info:
        s.apply(event(EventKind.REAPPOINTED, T0 + dt.timedelta(days=4)))
    assert isinstance(info.value, tthc.TransitionError)
    assert CODE in str(info.value)


def test_reappointment_must_be_later_than_due() -> None:
    s = state_in(LifecycleState.RECEIVED)  # due 08/03/2024 17:00
    early = tthc.DossierEvent(
        kind="reappointed", at=T0 + dt.timedelta(days=2), new_due_at=T0 + dt.timedelta(days=3)
    )
    with pytest.raises(tthc.TransitionError, match="not after the due date"):
        s.apply(early)


def test_supplement_after_window_is_refused() -> None:
    s = state_in(LifecycleState.SUPPLEMENT_REQUESTED)  # requested 01/03/2024 09:00
    late = T0 + dt.timedelta(days=20)
    with pytest.raises(tthc.TransitionError, match="closed at 18/03/2024 17:00"):
        s.apply(event(EventKind.SUPPLEMENT_RECEIVED, late))
    ok = s.apply(event(EventKind.SUPPLEMENT_RECEIVED, T0 + dt.timedelta(days=17)))
    assert ok.state is LifecycleState.PROCESSING


def test_state_is_immutable() -> None:
    s = state_in(LifecycleState.RECEIVED)
    with pytest.raises(AttributeError):
        s.state = LifecycleState.COMPLETED  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del s.events  # type: ignore[misc]


def test_failed_apply_leaves_state_unchanged() -> None:
    s = state_in(LifecycleState.COMPLETED)
    snapshot = (s.state, s.events, s.finished_at)
    with pytest.raises(tthc.TransitionError):
        s.apply(event(EventKind.WITHDRAWN, T0 + dt.timedelta(hours=3)))
    assert (s.state, s.events, s.finished_at) == snapshot


def test_labels_have_diacritics() -> None:
    assert LifecycleState.SUPPLEMENT_REQUESTED.label_vi == "Chờ bổ sung"
    assert LifecycleState.parse("Đang xử lý") is LifecycleState.PROCESSING


def test_apply_refuses_unvalidated_input() -> None:
    s = state_in(LifecycleState.RECEIVED)
    with pytest.raises(tthc.InvalidInputError, match="expected a DossierEvent"):
        s.apply({"kind": "completed", "at": "2024-03-02T08:00:00"})  # type: ignore[arg-type]


def test_replay_and_apply_all_refuse_unvalidated_input() -> None:
    good = event(EventKind.RECEIVED, T0)
    raw = {"kind": "completed", "at": "2024-03-02T08:00:00"}
    with pytest.raises(tthc.InvalidInputError, match=f"dossier {CODE}: expected a DossierEvent"):
        tthc.replay([good, raw], code=CODE, limit=LIMIT)  # type: ignore[list-item]
    with pytest.raises(tthc.InvalidInputError, match="got dict"):
        state_in(LifecycleState.RECEIVED).apply_all([raw])  # type: ignore[list-item]
