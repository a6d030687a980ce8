"""Dossier lifecycle: record a timeline, store it as JSON lines, replay it, print slips.

A certificate of marital status (1.004873, 03 ngày làm việc) received at a ward one-stop office;
the officer asks for a supplement, the applicant brings it (the full limit restarts, Decree
118/2025/NĐ-CP Art. 19(5)), the agency apologises and re-appoints (Art. 19(6)) and finishes late.
Run: ``python examples/lifecycle_replay_and_slips.py`` (writes events.jsonl and two HTML slips
to the current directory).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tthc
import tthc.catalog

CODE = "1.004873"  # Thủ tục cấp Giấy xác nhận tình trạng hôn nhân


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour, minute, tzinfo=tthc.VN_TZ)


def main() -> None:
    procedure = tthc.catalog.get(CODE)
    code = tthc.models.DossierCodeGenerator("000.17.22.H56").next(at(4, 8))
    dossier = tthc.Dossier(
        code=code,
        procedure_code=CODE,
        applicant=tthc.models.Applicant(name="Trần Thị B", phone="0912345678", address="Khối 1"),
        channel=tthc.Channel.DIRECT,
        received_at=at(4, 8),
        components=(tthc.models.SubmittedComponent(name="Tờ khai", originals=1),),
    )
    events = [
        tthc.DossierEvent(
            kind="supplement_requested",
            at=at(5, 9),
            actor="Lê Văn C",
            reasons=("Bản sao CCCD",),
            note="Thiếu giấy tờ tùy thân",
        ),
        tthc.DossierEvent(kind="supplement_received", at=at(11, 10)),
        tthc.DossierEvent(
            kind="reappointed", at=at(13, 10), new_due_at=at(18, 17), note="Chờ kết quả xác minh"
        ),
        tthc.DossierEvent(kind="completed", at=at(15, 10)),
        tthc.DossierEvent(kind="result_returned", at=at(15, 14)),
    ]
    for event in events:
        dossier = tthc.lifecycle.apply_event(dossier, event, procedure)  # a new Dossier each time
        state = tthc.lifecycle_of(dossier, procedure)
        due = f"{state.due_at:%d/%m/%Y %H:%M}" if state.due_at else "— (clock stopped)"
        print(f"{event.kind.label_vi:28} -> {state.state.label_vi:22} due {due}")

    # ``state`` is the lifecycle after the last event.
    limit = procedure.time_limit_for(dossier.channel)
    Path("events.jsonl").write_text(
        tthc.lifecycle.dump_events_jsonl(state.events, code=code, time_limit=limit),
        encoding="utf-8",
    )
    replayed = tthc.lifecycle.replay_jsonl(Path("events.jsonl"))[code]
    assert replayed == state, "replay must rebuild the same state"

    result = tthc.timeliness(state)
    print("Timeliness:", result.label_vi, "|", result.label_en)
    used = tthc.lifecycle.working_time_used(state)
    print("Working time used:", tthc.lifecycle.WorkingDuration.from_timedelta(used))

    for kind in ("receipt", "apology"):
        slip = tthc.lifecycle.build_slip(
            kind, state, dossier, procedure, office="UBND phường Nghi Hương"
        )
        Path(f"{kind}.html").write_text(slip.to_html(), encoding="utf-8")
    print(tthc.lifecycle.build_slip("apology", state, dossier, procedure).to_text())


if __name__ == "__main__":
    main()
