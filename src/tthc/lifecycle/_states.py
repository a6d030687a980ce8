"""Lifecycle states and the transition table (the one place the state machine is defined)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tthc._enums import DossierStatus, EventKind, LabelledEnum, register_labels

__all__ = ["LIFECYCLE_TRANSITIONS", "LifecycleState"]


class LifecycleState(LabelledEnum):
    """Where a dossier stands in its lifecycle; :attr:`status` maps it to a :class:`DossierStatus`.

    ``new`` is the state before the receipt event (nothing has happened yet); ``closed`` is the
    end state of a dossier whose supplement was not received in time (Decree 118/2025/NĐ-CP
    Art. 19(5); the national portal shows it as "dừng xử lý", hence status ``withdrawn``).

    >>> LifecycleState.SUPPLEMENT_REQUESTED.status
    <DossierStatus.SUPPLEMENT_REQUESTED: 'supplement_requested'>
    >>> LifecycleState.CLOSED.status.label_vi, LifecycleState.CLOSED.is_final
    ('Rút hồ sơ', True)
    """

    NEW = "new"
    RECEIVED = "received"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    PAUSED = "paused"
    COMPLETED = "completed"
    RESULT_RETURNED = "result_returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"

    @property
    def status(self) -> DossierStatus | None:
        """The :class:`~tthc.DossierStatus` (report interchange ``status``); ``None`` for ``new``."""
        return _STATUS[self]

    @property
    def is_final(self) -> bool:
        """True for end states, where no event is allowed any more."""
        return not LIFECYCLE_TRANSITIONS[self]

    @property
    def is_finished(self) -> bool:
        """True once a result or an end of processing exists (completed, returned, refused,
        withdrawn, closed): the states timeliness treats as finished."""
        return self in _FINISHED

    @property
    def allowed_events(self) -> tuple[EventKind, ...]:
        """The events allowed in this state, in the table's order."""
        return tuple(LIFECYCLE_TRANSITIONS[self])


register_labels(
    LifecycleState,
    {
        "new": ("Chưa tiếp nhận", "Not yet received", ()),
        "received": ("Mới tiếp nhận", "Received", ("đã tiếp nhận",)),
        "processing": ("Đang xử lý", "Processing", ("đang giải quyết",)),
        "supplement_requested": ("Chờ bổ sung", "Waiting for supplement", ("yêu cầu bổ sung",)),
        "paused": ("Tạm dừng", "Paused", ("tạm ngừng",)),
        "completed": ("Đã có kết quả", "Completed", ("đã giải quyết", "hoàn thành")),
        "result_returned": ("Đã trả kết quả", "Result returned", ("returned",)),
        "refused": ("Từ chối", "Refused", ("từ chối giải quyết",)),
        "withdrawn": ("Rút hồ sơ / dừng xử lý", "Withdrawn / stopped", ("stopped",)),
        "closed": (
            "Dừng xử lý do không bổ sung",
            "Closed: supplement not received in time",
            ("quá hạn bổ sung",),
        ),
    },
)

_S = LifecycleState
_E = EventKind

_STATUS: Mapping[LifecycleState, DossierStatus | None] = {
    _S.NEW: None,
    _S.RECEIVED: DossierStatus.RECEIVED,
    _S.PROCESSING: DossierStatus.PROCESSING,
    _S.SUPPLEMENT_REQUESTED: DossierStatus.SUPPLEMENT_REQUESTED,
    _S.PAUSED: DossierStatus.PAUSED,
    _S.COMPLETED: DossierStatus.COMPLETED,
    _S.RESULT_RETURNED: DossierStatus.RETURNED,
    _S.REFUSED: DossierStatus.REFUSED,
    _S.WITHDRAWN: DossierStatus.WITHDRAWN,
    _S.CLOSED: DossierStatus.WITHDRAWN,
}
_FINISHED = frozenset({_S.COMPLETED, _S.RESULT_RETURNED, _S.REFUSED, _S.WITHDRAWN, _S.CLOSED})

# While the agency holds the dossier (received or processing) the same events are allowed.
_HANDLING: Mapping[EventKind, LifecycleState] = {
    _E.TRANSFERRED: _S.PROCESSING,
    _E.SUPPLEMENT_REQUESTED: _S.SUPPLEMENT_REQUESTED,
    _E.PAUSED: _S.PAUSED,
    _E.REAPPOINTED: _S.PROCESSING,
    _E.COMPLETED: _S.COMPLETED,
    _E.REFUSED: _S.REFUSED,
    _E.WITHDRAWN: _S.WITHDRAWN,
}

LIFECYCLE_TRANSITIONS: Mapping[LifecycleState, Mapping[EventKind, LifecycleState]] = (
    MappingProxyType(
        {
            _S.NEW: MappingProxyType({_E.RECEIVED: _S.RECEIVED}),
            _S.RECEIVED: MappingProxyType(dict(_HANDLING)),
            _S.PROCESSING: MappingProxyType(dict(_HANDLING)),
            _S.SUPPLEMENT_REQUESTED: MappingProxyType(
                {
                    _E.SUPPLEMENT_RECEIVED: _S.PROCESSING,
                    _E.REFUSED: _S.REFUSED,
                    _E.WITHDRAWN: _S.WITHDRAWN,
                }
            ),
            _S.PAUSED: MappingProxyType(
                {_E.RESUMED: _S.PROCESSING, _E.REFUSED: _S.REFUSED, _E.WITHDRAWN: _S.WITHDRAWN}
            ),
            _S.COMPLETED: MappingProxyType({_E.RESULT_RETURNED: _S.RESULT_RETURNED}),
            _S.RESULT_RETURNED: MappingProxyType({}),
            _S.REFUSED: MappingProxyType({}),
            _S.WITHDRAWN: MappingProxyType({}),
            _S.CLOSED: MappingProxyType({}),
        }
    )
)
"""The dossier state machine: ``LIFECYCLE_TRANSITIONS[state][event] -> next state``.

An event missing from ``LIFECYCLE_TRANSITIONS[state]`` is forbidden in that state
(:class:`~tthc.TransitionError`). The rules it encodes (Decree 118/2025/NĐ-CP):

* ``new`` → ``received`` only: the clock starts at the receipt (Art. 17(3)).
* ``received`` and ``processing`` (the agency holds the dossier): transfer between agencies
  (Art. 18), supplement request (Art. 19(5)), pause, re-appointment with apology (Art. 19(6);
  a second one raises :class:`~tthc.ReappointmentError`), completion, refusal with reasons
  (Art. 19(3)) and withdrawal/stop (Art. 21).
* ``supplement_requested``: the applicant brings the supplement (the full limit restarts), or
  the dossier is refused or withdrawn. Not received within the supplement window, the dossier
  becomes ``closed`` (see :class:`~tthc.lifecycle.LifecyclePolicy`).
* ``paused``: resumed (the due date moves later by the working time paused), refused, withdrawn.
* ``completed`` → ``result_returned``. The applicant may withdraw only until a result is issued
  (Art. 21), so withdrawal is not allowed once completed.
* ``result_returned``, ``refused``, ``withdrawn`` and ``closed`` are end states.
"""
