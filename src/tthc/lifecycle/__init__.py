"""Dossier lifecycle: the state machine, replay, due dates that follow the law, timeliness,
and the slips (Decree 118/2025/NĐ-CP; Circular 03/2025/TT-VPCP). Public home of these names;
the everyday ones (:func:`replay`, :func:`lifecycle_of`, :func:`timeliness`,
:class:`DossierState`) are also exported from ``tthc``.

>>> import datetime as dt
>>> from tthc.lifecycle import replay, timeliness
>>> from tthc.models import DossierEvent
>>> s = replay([DossierEvent(kind="received", at="2024-03-01 08:00")], limit="03 ngày làm việc")
>>> timeliness(s, dt.datetime.fromisoformat("2024-03-07T08:00+07:00")).timeliness.value
'overdue'
"""

from __future__ import annotations

from tthc._public import publish
from tthc.lifecycle._jsonl import (
    MAX_LINE_BYTES,
    EventRejection,
    MappedReplay,
    ReplayResult,
    StoredTimeline,
    dump_events_jsonl,
    iter_replay_jsonl,
    iter_timelines_jsonl,
    map_replay_jsonl,
    read_timelines_jsonl,
    replay_jsonl,
)
from tthc.lifecycle._slips import (
    ApologySlip,
    ControlSheet,
    ReceiptSlip,
    RefusalSlip,
    Slip,
    SlipKind,
    SupplementRequestSlip,
    build_slip,
)
from tthc.lifecycle._state import (
    DEFAULT_DUE_SOON_HORIZON,
    SUPPLEMENT_WINDOW_DAYS,
    DossierState,
    LifecyclePolicy,
    apply_event,
    lifecycle_of,
    replay,
)
from tthc.lifecycle._states import LIFECYCLE_TRANSITIONS, LifecycleState
from tthc.lifecycle._timeliness import (
    StepLike,
    StepResult,
    Timeliness,
    TimelinessResult,
    WorkingDuration,
    step_results,
    timeliness,
    working_time_used,
)

__all__ = [
    "DEFAULT_DUE_SOON_HORIZON",
    "LIFECYCLE_TRANSITIONS",
    "MAX_LINE_BYTES",
    "SUPPLEMENT_WINDOW_DAYS",
    "ApologySlip",
    "ControlSheet",
    "DossierState",
    "EventRejection",
    "LifecyclePolicy",
    "LifecycleState",
    "MappedReplay",
    "ReceiptSlip",
    "RefusalSlip",
    "ReplayResult",
    "Slip",
    "SlipKind",
    "StepLike",
    "StepResult",
    "StoredTimeline",
    "SupplementRequestSlip",
    "Timeliness",
    "TimelinessResult",
    "WorkingDuration",
    "apply_event",
    "build_slip",
    "dump_events_jsonl",
    "iter_replay_jsonl",
    "iter_timelines_jsonl",
    "lifecycle_of",
    "map_replay_jsonl",
    "read_timelines_jsonl",
    "replay",
    "replay_jsonl",
    "step_results",
    "timeliness",
    "working_time_used",
]

publish(__name__, globals(), __all__)
