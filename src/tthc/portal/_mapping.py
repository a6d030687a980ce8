"""From a dossier's lifecycle to the portal record, and back to a dossier and its events."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from pydantic import BaseModel, ValidationError

from tthc.calendar import DeadlinePolicy, TimeLimit, WorkingCalendar
from tthc.errors import InvalidInputError, PortalRecordError, TransitionError
from tthc.lifecycle import DossierState, LifecyclePolicy, LifecycleState, replay
from tthc.models import (
    PROCEDURE_CODE_PATTERN,
    Applicant,
    Channel,
    Dossier,
    DossierEvent,
    EventKind,
    Procedure,
    SubmittedComponent,
    parse_dossier_code,
)
from tthc.portal._record import (
    PortalDatabase,
    PortalDocument,
    PortalFee,
    PortalRecord,
    PortalResult,
    PortalSupplement,
    read_portal_record,
)
from tthc.portal._status import DEFAULT_STATUS_MAP, PortalStatusMap

__all__ = ["CHANNEL_CODES", "from_portal_record", "to_portal_record"]

CHANNEL_CODES: Final[Mapping[Channel, str]] = {
    Channel.DIRECT: "1",
    Channel.ONLINE: "2",
    Channel.POSTAL: "3",
}
"""KenhThucHien: 1 direct (trực tiếp), 2 online (trực tuyến), 3 postal (bưu chính)."""
_CHANNEL_OF_CODE: Final = {v: k for k, v in CHANNEL_CODES.items()}

_S = LifecycleState
_K = EventKind
_PROCEDURE_CODE: Final = re.compile(PROCEDURE_CODE_PATTERN.removeprefix("^").removesuffix("$"))
_CARRIED: Final = (
    "paid_online",
    "digitised",
    "vneid",
    "documents",
    "results",
    "databases",
)
"""Fields ``tthc`` does not track, copied from ``template`` unless given."""


def _err(field: str, reason: str, record: str | None, value: object = None) -> PortalRecordError:
    return PortalRecordError(field, reason, value=value, record=record)


def _items(model: type[BaseModel], values: Iterable[Any], field: str, code: str) -> tuple[Any, ...]:
    try:
        return tuple(v if isinstance(v, model) else model.model_validate(v) for v in values)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise _err(field, str(first["msg"]), code, first.get("input")) from None


def _prefix_due(state: DossierState, n: int) -> dt.datetime | None:
    """The due instant after the first ``n`` events of ``state``'s timeline."""
    if n <= 0:
        return None
    prefix = replay(
        state.events[:n],
        code=state.code,
        limit=state.limit,
        calendar=state.calendar,
        policy=state.deadline_policy,
        rules=state.rules,
    )
    due = prefix.due_at
    if due is None and prefix.state is not _S.SUPPLEMENT_REQUESTED:
        return None
    if due is None:  # waiting: the appointment in force before the request
        fields = prefix.record_fields()
        value = fields.get("due_at")
        return value if isinstance(value, dt.datetime) else None
    return due


def _supplements(state: DossierState) -> list[PortalSupplement]:
    events = state.events
    out: list[PortalSupplement] = []
    for i, ev in enumerate(events):
        if ev.kind is not _K.SUPPLEMENT_REQUESTED:
            continue
        back = next(
            (j for j in range(i + 1, len(events)) if events[j].kind is _K.SUPPLEMENT_RECEIVED),
            None,
        )
        out.append(
            PortalSupplement.model_validate(
                {
                    "requested_at": ev.at,
                    "resubmitted_at": events[back].at if back is not None else None,
                    "due_before": _prefix_due(state, i),
                    "due_after": _prefix_due(state, back + 1) if back is not None else None,
                }
            )
        )
    return out


def to_portal_record(
    state: DossierState,
    procedure: Procedure,
    *,
    dossier: Dossier | None = None,
    channel: Channel | str | None = None,
    agency: str | None = None,
    submitted_at: dt.datetime | None = None,
    as_of: dt.datetime | None = None,
    status_map: PortalStatusMap = DEFAULT_STATUS_MAP,
    template: PortalRecord | Mapping[str, object] | None = None,
    paid_online: str | int | None = None,
    digitised: bool | None = None,
    vneid: bool | None = None,
    documents: Iterable[PortalDocument | Mapping[str, object]] | None = None,
    fees: Iterable[PortalFee | Mapping[str, object]] | None = None,
    results: Iterable[PortalResult | Mapping[str, object]] | None = None,
    databases: Iterable[PortalDatabase | Mapping[str, object]] | None = None,
) -> PortalRecord:
    """The portal's sync record of a dossier, from its lifecycle ``state`` and its ``procedure``.

    What ``tthc`` knows fills the record:

    * MaHoSo = the dossier code; MaTTHC, TenTTHC, MaLinhVuc, TenLinhVuc from ``procedure``;
      KenhThucHien from ``channel`` or ``dossier.channel``; DonViXuLy = ``agency``, else the
      agency identifier of the dossier code;
    * NgayTiepNhan = receipt; NgayNopHoSo = ``submitted_at``, else the receipt (a dossier handed
      in at the desk is submitted when received; give the online submission instant when it
      differs); NgayHenTra = the due date in force (while waiting for a supplement, the one in
      force before the request, as the report does); NgayKetThucXuLy = the end of processing
      (completed, refused, withdrawn, closed); NgayTra = result returned; NgayTuChoi = refusal;
    * TrangThaiHoSo = ``status_map.code_for(state)`` (**unconfirmed numbering**, see
      :class:`PortalStatusMap`); with ``as_of``, a supplement window that has passed by then
      closes the dossier first (:meth:`~tthc.lifecycle.DossierState.close_if_expired`);
    * DanhSachHoSoBoSung: each supplement request with its resubmission and the appointment
      before and after it (empty when there was none); DanhSachLePhi: ``fees``, else
      ``procedure.fees_for(channel)`` (left out when the procedure records no fee for the
      channel: unknown, not free);
    * ChuHoSo and the applicant's fields from ``dossier.applicant``.

    What ``tthc`` does not track (DuocThanhToanTrucTuyen, HoSoCoThanhPhanSoHoa,
    TaiKhoanDuocXacThucVoiVNeID, TaiLieuNop, DanhSachGiayToKetQua, DSKetNoiCSDL, and any field
    this model does not name) comes from the keyword arguments, else from ``template`` (e.g.
    the record read back), else is left out (unknown). Instants are written to the second.

    >>> import tthc
    >>> from tthc.catalog import get
    >>> s = tthc.replay([tthc.DossierEvent(kind="received", at="2024-03-01 08:00"),
    ...                  tthc.DossierEvent(kind="completed", at="2024-03-04 10:00")],
    ...                 code="000.17.22.H56-240301-0001", limit="03 ngày làm việc")
    >>> r = to_portal_record(s, get("1.004873"), channel="direct")
    >>> r.status_code, r.to_portal_dict()["NgayHenTra"], r.to_portal_dict()["NgayKetThucXuLy"]
    ('9', '20240306170000', '20240304100000')

    Raises:
        PortalRecordError: naming the field that cannot be filled: NgayTiepNhan (not received),
            MaTTHC (procedure without a code), KenhThucHien (no channel), NgayHenTra (no
            appointment date: build the state with the procedure's time limit),
            TrangThaiHoSo (a state the status mapping has no code for).
    """
    if not isinstance(state, DossierState):
        raise InvalidInputError(
            f"state must be a tthc.DossierState (from replay or lifecycle_of), got "
            f"{type(state).__name__}"
        )
    code = state.code
    if as_of is not None:
        state = state.close_if_expired(as_of)
    if state.received_at is None:
        raise _err("NgayTiepNhan", "the dossier has not been received", code)
    if procedure.code is None:
        raise _err("MaTTHC", f"procedure {procedure.name!r} has no confirmed code", code)
    chosen = channel if channel is not None else (dossier.channel if dossier else None)
    if chosen is None:
        raise _err("KenhThucHien", "give channel= or dossier= (the submission channel)", code)
    chan = Channel.parse(chosen)
    base = read_portal_record(template) if template is not None else None
    fields = state.record_fields()
    due = fields.get("due_at")
    if not isinstance(due, dt.datetime):
        raise _err(
            "NgayHenTra",
            "a received dossier needs an appointment date and this one has none: build the "
            "state with the procedure's time limit (replay(..., limit=...) or "
            "lifecycle_of(dossier, procedure))",
            code,
        )
    if agency is None:
        try:
            agency = parse_dossier_code(code).agency_id
        except InvalidInputError:
            agency = None
    fee_items: tuple[PortalFee, ...] | None
    if fees is None:
        offered = {o.channel for o in procedure.channels}
        recorded = procedure.fees_for(chan) if chan in offered else ()
        # No fee recorded for the channel is unknown, not "free": the list is left out.
        fee_items = (
            tuple(
                PortalFee.model_validate({"amount": f.amount_vnd, "name": f.name}) for f in recorded
            )
            or None
        )
        if fee_items is None and base is not None:
            fee_items = base.fees
    else:
        fee_items = _items(PortalFee, fees, "DanhSachLePhi", code)
    carried: dict[str, Any] = {}
    if base is not None:
        carried = {name: getattr(base, name) for name in _CARRIED}
        carried.update(base.model_extra or {})
    given: dict[str, Any] = {
        "paid_online": paid_online,
        "digitised": None if digitised is None else int(digitised),
        "vneid": None if vneid is None else int(vneid),
        "documents": None
        if documents is None
        else _items(PortalDocument, documents, "TaiLieuNop", code),
        "results": None
        if results is None
        else _items(PortalResult, results, "DanhSachGiayToKetQua", code),
        "databases": None
        if databases is None
        else _items(PortalDatabase, databases, "DSKetNoiCSDL", code),
    }
    carried.update({k: v for k, v in given.items() if v is not None})
    applicant = dossier.applicant if dossier is not None else None
    lstate = state.state
    data: dict[str, Any] = {
        **carried,
        "code": code,
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "domain_code": procedure.domain.code,
        "domain_name": procedure.domain.name_vi,
        "agency": agency,
        "channel": CHANNEL_CODES[chan],
        "submitted_at": submitted_at if submitted_at is not None else state.received_at,
        "received_at": state.received_at,
        "due_at": due,
        "finished_at": state.finished_at,
        "returned_at": state.returned_at,
        "refused_at": state.finished_at if lstate is _S.REFUSED else None,
        "status_code": status_map.code_for(lstate, record=code),
        "fees": fee_items,
        "supplements": tuple(_supplements(state)),
    }
    if applicant is not None:
        data.update(
            applicant_name=applicant.name,
            applicant_id=applicant.id_number,
            applicant_phone=applicant.phone,
            applicant_email=applicant.email,
            applicant_address=applicant.address,
        )
    elif base is not None:
        for name in (
            "applicant_name",
            "applicant_id",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
        ):
            data[name] = getattr(base, name)
    try:
        return PortalRecord.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise _err(".".join(str(p) for p in first["loc"]), str(first["msg"]), code) from None


def _applicant(record: PortalRecord, given: Applicant | None) -> Applicant:
    if given is not None:
        return given
    if not record.applicant_name:
        raise _err(
            "ChuHoSo",
            "the record names no applicant; pass applicant=tthc.models.Applicant(...)",
            record.code,
        )
    try:
        return Applicant(
            name=record.applicant_name,
            id_number=record.applicant_id,
            phone=record.applicant_phone,
            email=record.applicant_email,
            address=record.applicant_address,
        )
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        name = {
            "name": "ChuHoSo",
            "id_number": "SoGiayToChuHoSo",
            "phone": "SoDienThoaiChuHoSo",
            "email": "EmailChuHoSo",
            "address": "DiaChiChuHoSo",
        }.get(str(first["loc"][0]) if first["loc"] else "", "ChuHoSo")
        raise _err(name, str(first["msg"]), record.code, first.get("input")) from None


def _required(value: dt.datetime | None, field: str, why: str, code: str) -> dt.datetime:
    if value is None:
        raise _err(field, why, code)
    return value


def from_portal_record(
    record: PortalRecord | Mapping[str, Any] | str | bytes,
    *,
    procedure: Procedure | None = None,
    limit: TimeLimit | str | None = None,
    applicant: Applicant | None = None,
    paused_at: dt.datetime | None = None,
    status_map: PortalStatusMap = DEFAULT_STATUS_MAP,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    rules: LifecyclePolicy | None = None,
) -> Dossier:
    """A :class:`tthc.Dossier` and its event timeline, from a portal record.

    The events are rebuilt from the record's instants: ``received`` at NgayTiepNhan; each
    supplement's request and resubmission (DanhSachHoSoBoSung); then, by the status code's
    lifecycle state (``status_map``): ``completed`` at NgayKetThucXuLy (and ``result_returned``
    at NgayTra), ``refused`` at NgayTuChoi (or NgayKetThucXuLy), ``withdrawn`` at
    NgayKetThucXuLy, ``paused`` at ``paused_at`` (the record has no pause instant). A
    "processing" dossier without a supplement gets a ``transferred`` event at its receipt (the
    record has no processing instant; the event's note says so). A "closed" code (Dừng xử lý)
    with a pending supplement keeps the request as the last event, and NgayKetThucXuLy must not
    be before the supplement window's end (Decree 118/2025/NĐ-CP Art. 19(5)):
    ``lifecycle_of(d).close_if_expired(as_of)`` gives the closed state, finished at the window's
    end; without a pending supplement it is a ``withdrawn`` (stopped) event. ``due_at`` is the record's NgayHenTra. TaiLieuNop entries
    with a name become the dossier's components.

    The timeline is replayed through the state machine (with ``limit``, else the procedure's
    limit for the channel, and the given calendar and policies) and must reach the state of
    the status code. Not carried by a dossier: closed pauses, transfers and re-appointments
    (the record does not hold them), and the portal's flags and lists (pass the record as
    ``template`` to :func:`to_portal_record` to write them back).

    >>> d = from_portal_record({"MaHoSo": "000.17.22.H56-240301-0001", "MaTTHC": "1.004873",
    ...     "KenhThucHien": "1", "TrangThaiHoSo": "10", "ChuHoSo": "Trần Thị B",
    ...     "NgayTiepNhan": "20240301080000", "NgayHenTra": "20240306170000",
    ...     "NgayKetThucXuLy": "20240304100000", "NgayTra": "20240305090000"})
    >>> [(e.kind.value, f"{e.at:%d/%m %H:%M}") for e in d.events]
    [('received', '01/03 08:00'), ('completed', '04/03 10:00'), ('result_returned', '05/03 09:00')]

    Raises:
        PortalRecordError: naming the field: TrangThaiHoSo (unknown code, a dossier not
            received, or a timeline that does not reach that status), MaHoSo / MaTTHC (not a
            Decree 118 dossier code / national procedure code), KenhThucHien, NgayTiepNhan,
            NgayKetThucXuLy, NgayTra, NgayTuChoi (missing for the status), ChuHoSo (no
            applicant), DanhSachHoSoBoSung (out of order, or inconsistent with the status).
    """
    rec = read_portal_record(record)
    code = rec.code
    target = status_map.state_for(rec.status_code, record=code)
    if target is _S.NEW:
        status_map.status_for(rec.status_code, record=code)  # raises: not received
    try:
        parse_dossier_code(code)
    except InvalidInputError as exc:
        raise _err("MaHoSo", str(exc), code, code) from None
    if not _PROCEDURE_CODE.fullmatch(rec.procedure_code):
        raise _err(
            "MaTTHC",
            f"{rec.procedure_code!r} is not a national procedure code such as 1.001193",
            code,
            rec.procedure_code,
        )
    if rec.channel is None:
        raise _err("KenhThucHien", "the submission channel is missing (1, 2 or 3)", code)
    chan = _CHANNEL_OF_CODE[rec.channel]
    received = _required(rec.received_at, "NgayTiepNhan", "a received dossier needs it", code)
    person = _applicant(rec, applicant)

    events: list[DossierEvent] = [DossierEvent(kind=_K.RECEIVED, at=received)]
    sources: dict[int, str] = {0: "NgayTiepNhan"}  # event index -> the field its instant came from

    def add(field: str, event: DossierEvent) -> None:
        sources[len(events)] = field
        events.append(event)

    pending = False
    last = received
    for i, sup in enumerate(sorted(rec.supplements or (), key=lambda s: s.requested_at)):
        where = f"DanhSachHoSoBoSung[{i}]"
        if pending:
            raise _err(where, "a supplement was requested while another was pending", code)
        if sup.requested_at < last:
            raise _err(f"{where}.NgayBoSung", "earlier than the previous event", code)
        add(f"{where}.NgayBoSung", DossierEvent(kind=_K.SUPPLEMENT_REQUESTED, at=sup.requested_at))
        last = sup.requested_at
        if sup.resubmitted_at is None:
            pending = True
        else:
            if sup.resubmitted_at < last:
                raise _err(f"{where}.NgayTiepNhanBoSung", "earlier than its request", code)
            add(
                f"{where}.NgayTiepNhanBoSung",
                DossierEvent(kind=_K.SUPPLEMENT_RECEIVED, at=sup.resubmitted_at),
            )
            last = sup.resubmitted_at

    note = (
        f"TrangThaiHoSo {rec.status_code} ({status_map.names.get(rec.status_code, target.value)})"
    )
    if target is _S.PROCESSING and not rec.supplements:  # None or empty
        add(
            "TrangThaiHoSo",
            DossierEvent(
                kind=_K.TRANSFERRED,
                at=received,
                note=f"{note}: the portal record gives no instant for the start of processing",
            ),
        )
    elif target is _S.PAUSED:
        if paused_at is None:
            raise _err(
                "TrangThaiHoSo",
                f"{note} is a pause and the record has no instant for it; pass paused_at=",
                code,
                rec.status_code,
            )
        add("paused_at", DossierEvent(kind=_K.PAUSED, at=paused_at, note=note))
    elif target in (_S.COMPLETED, _S.RESULT_RETURNED):
        end = _required(rec.finished_at, "NgayKetThucXuLy", f"{note} needs it", code)
        add("NgayKetThucXuLy", DossierEvent(kind=_K.COMPLETED, at=end))
        if target is _S.RESULT_RETURNED:
            back = _required(rec.returned_at, "NgayTra", f"{note} needs it", code)
            add("NgayTra", DossierEvent(kind=_K.RESULT_RETURNED, at=back))
    elif target is _S.REFUSED:
        refused_end = rec.refused_at or rec.finished_at
        add(
            "NgayTuChoi" if rec.refused_at else "NgayKetThucXuLy",
            DossierEvent(
                kind=_K.REFUSED,
                at=_required(
                    refused_end, "NgayTuChoi", f"{note} needs it (or NgayKetThucXuLy)", code
                ),
            ),
        )
    elif target is _S.WITHDRAWN or (target is _S.CLOSED and not pending):
        end = _required(rec.finished_at, "NgayKetThucXuLy", f"{note} needs it", code)
        add("NgayKetThucXuLy", DossierEvent(kind=_K.WITHDRAWN, at=end, note=note))

    limit_used: TimeLimit | str | None = limit
    if limit_used is None and procedure is not None:
        offered = {o.channel for o in procedure.channels}
        limit_used = procedure.time_limit_for(chan) if chan in offered else None
    try:
        state = replay(
            events, code=code, limit=limit_used, calendar=calendar, policy=policy, rules=rules
        )
    except TransitionError as exc:
        index = next((i for i, e in enumerate(events) if e is exc.event), None)
        field = sources.get(index, "TrangThaiHoSo") if index is not None else "TrangThaiHoSo"
        raise _err(
            field, f"the record's dates do not make a valid timeline: {exc}", code, rec.status_code
        ) from None
    reached = state.state
    if target is _S.CLOSED and pending:
        end = _required(rec.finished_at, "NgayKetThucXuLy", f"{note} needs it", code)
        window_end = state.supplement_deadline
        if window_end is not None and end >= window_end:
            reached = _S.CLOSED
    expected = _S.WITHDRAWN if target is _S.CLOSED and not pending else target
    if reached is not expected:
        raise _err(
            "TrangThaiHoSo",
            f"{note} means {expected.value!r}, but the record's dates lead to "
            f"{reached.value!r} (check DanhSachHoSoBoSung and the dates)",
            code,
            rec.status_code,
        )
    components = tuple(
        SubmittedComponent(name=doc.name, attachment=doc.link)
        for doc in rec.documents or ()
        if doc.name
    )
    try:
        return Dossier(
            code=code,
            procedure_code=rec.procedure_code,
            applicant=person,
            channel=chan,
            received_at=received,
            components=components,
            events=tuple(events),
            due_at=rec.due_at,
        )
    except ValidationError as exc:  # pragma: no cover - every field was checked above
        first = exc.errors(include_url=False)[0]
        raise _err(".".join(str(p) for p in first["loc"]), str(first["msg"]), code) from None
