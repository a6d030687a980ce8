"""The slips a one-stop office issues along a dossier's lifecycle, as typed documents.

Decree 118/2025/NĐ-CP names them and Circular 03/2025/TT-VPCP issues the templates: the receipt
and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), the supplement request (Phiếu
yêu cầu bổ sung, hoàn thiện hồ sơ), the refusal (Phiếu từ chối tiếp nhận, giải quyết hồ sơ), the
apology and re-appointment (Phiếu xin lỗi và hẹn lại ngày trả kết quả) and the control sheet
(Phiếu kiểm soát quá trình giải quyết hồ sơ). Each renders to plain text and printable HTML
(every value escaped) with Vietnamese labels, dates as dd/mm/yyyy and times as HH:mm.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from tthc._enums import EventKind, LabelledEnum, register_labels
from tthc._text import visible_text
from tthc._time import VN_TZ
from tthc.errors import LifecycleError
from tthc.lifecycle._state import (
    DossierState,
    _legal_due,
    _replay_prefix,
    _supplement_deadline,
)
from tthc.lifecycle._timeliness import step_results
from tthc.models import Procedure

if TYPE_CHECKING:
    from tthc.models import Dossier, DossierEvent

__all__ = [
    "ApologySlip",
    "ControlSheet",
    "ReceiptSlip",
    "RefusalSlip",
    "Slip",
    "SlipKind",
    "SupplementRequestSlip",
    "build_slip",
]

NATIONAL_HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
"""The national heading every administrative document carries (Decree 30/2020/NĐ-CP)."""
BLANK = "—"
"""Shown for a value the data does not give (filled in by hand on the printed slip)."""


class SlipKind(LabelledEnum):
    """The kinds of slip (Decree 118/2025/NĐ-CP; templates in Circular 03/2025/TT-VPCP).

    >>> SlipKind.parse("apology").label_vi
    'Phiếu xin lỗi và hẹn lại ngày trả kết quả'
    """

    RECEIPT = "receipt"
    SUPPLEMENT_REQUEST = "supplement_request"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    CONTROL_SHEET = "control_sheet"


register_labels(
    SlipKind,
    {
        "receipt": (
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            "Receipt and appointment slip",
            ("giấy tiếp nhận", "appointment"),
        ),
        "supplement_request": (
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            "Supplement request",
            ("supplement", "bổ sung"),
        ),
        "refusal": (
            "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
            "Refusal slip",
            ("từ chối",),
        ),
        "apology": (
            "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            "Apology and re-appointment",
            ("reappointment", "xin lỗi"),
        ),
        "control_sheet": (
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            "Control sheet",
            ("control", "kiểm soát"),
        ),
    },
)


def _date(value: dt.datetime | None) -> str:
    return BLANK if value is None else f"{value.astimezone(VN_TZ):%d/%m/%Y}"


def _instant(value: dt.datetime | None) -> str:
    """``HH:mm ngày dd/mm/yyyy`` (the wording of the slips)."""
    return BLANK if value is None else f"{value.astimezone(VN_TZ):%H:%M} ngày {_date(value)}"


def _opt(value: object) -> str:
    return BLANK if value is None or value == "" else str(value)


def _vnd(amount: int | None) -> str:
    return BLANK if amount is None else f"{amount:,}".replace(",", ".") + " đồng"


@dataclass(frozen=True, slots=True)
class Slip:
    """Fields every slip carries; subclasses add the fields their template names.

    ``office`` is the issuing one-stop office (Trung tâm Phục vụ hành chính công / Bộ phận
    Một cửa), ``issued_at`` the instant on the slip.
    """

    kind: ClassVar[SlipKind]
    dossier_code: str
    applicant_name: str | None
    procedure_name: str | None
    office: str | None
    issued_at: dt.datetime | None

    @property
    def title(self) -> str:
        """The slip's title in capitals, as printed."""
        return self.kind.label_vi.upper()

    def rows(self) -> list[tuple[str, str]]:
        """The labelled values of the slip, in print order (Vietnamese labels)."""
        return [
            ("Mã hồ sơ", self.dossier_code),
            ("Người nộp hồ sơ", _opt(self.applicant_name)),
            ("Thủ tục hành chính", _opt(self.procedure_name)),
        ]

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
        """A table printed after the rows (header, body), or ``None``."""
        return None

    def footer(self) -> list[str]:
        """Lines printed at the end (signatures, notes)."""
        return []

    def to_text(self) -> str:
        """The slip as plain text (UTF-8, Vietnamese labels); control and invisible characters
        of the values made visible (:func:`tthc.report.visible_text`: an escape sequence in a
        name prints as ``␛[31m`` instead of driving the terminal).

        >>> s = RefusalSlip("X-240301-0001", "Trần Thị B", "Đăng ký khai sinh", None, None,
        ...                 refused_at=None, reasons=("Không thuộc thẩm quyền",), officer=None)
        >>> print(s.to_text().splitlines()[3])
        PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ
        """
        lines = [*NATIONAL_HEADER, visible_text(_opt(self.office)), self.title]
        if self.issued_at is not None:
            lines.append(f"Ngày {_date(self.issued_at)}")
        lines.append("")
        width = max(len(label) for label, _ in self.rows())
        for label, value in self.rows():
            lines.append(f"{label + ':':<{width + 1}} {visible_text(value)}")
        tab = self.table()
        if tab is not None:
            header, body = tab
            cells = [header, *[tuple(visible_text(c) for c in row) for row in body]]
            widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
            lines.append("")
            for j, r in enumerate(cells):
                lines.append(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
                if j == 0:
                    lines.append("-+-".join("-" * w for w in widths))
        foot = self.footer()
        if foot:
            lines.append("")
            lines.extend(visible_text(line) for line in foot)
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        """The slip as a printable HTML page; every value is escaped.

        >>> s = RefusalSlip("X-240301-0001", "<b>B</b>", None, None, None,
        ...                 refused_at=None, reasons=(), officer=None)
        >>> "&lt;b&gt;B&lt;/b&gt;" in s.to_html(), "<b>B</b>" in s.to_html()
        (True, False)
        """
        e = html.escape
        out = [
            "<!DOCTYPE html>",
            '<html lang="vi"><head><meta charset="utf-8">',
            f"<title>{e(self.title)} — {e(self.dossier_code)}</title>",
            "<style>body{font-family:'Times New Roman',serif;max-width:48em;margin:2em auto}"
            ".nat,.title{text-align:center}.title{font-weight:bold;margin:1em 0}"
            "table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:4px}"
            "table.rows td{border:none}"
            "@media print{body{margin:0}}</style></head><body>",
            f'<div class="nat"><strong>{e(NATIONAL_HEADER[0])}</strong><br>'
            f"<u>{e(NATIONAL_HEADER[1])}</u></div>",
            f'<div class="office">{e(_opt(self.office))}</div>',
            f'<h1 class="title">{e(self.title)}</h1>',
        ]
        if self.issued_at is not None:
            out.append(f'<p class="nat"><em>Ngày {e(_date(self.issued_at))}</em></p>')
        out.append('<table class="rows">')
        for label, value in self.rows():
            out.append(f'<tr><th scope="row">{e(label)}</th><td>{e(value)}</td></tr>')
        out.append("</table>")
        tab = self.table()
        if tab is not None:
            header, body = tab
            out.append("<table><thead><tr>")
            out.extend(f"<th>{e(h)}</th>" for h in header)
            out.append("</tr></thead><tbody>")
            for r in body:
                out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>")
            out.append("</tbody></table>")
        for line in self.footer():
            out.append(f"<p>{e(line)}</p>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"


@dataclass(frozen=True, slots=True)
class ReceiptSlip(Slip):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Decree 118/2025/NĐ-CP Art. 17(3)).

    The receipt instant printed here starts the clock; ``appointment_at`` is the due instant.
    """

    kind: ClassVar[SlipKind] = SlipKind.RECEIPT
    applicant_id: str | None = None
    applicant_phone: str | None = None
    applicant_address: str | None = None
    channel: str | None = None
    components: tuple[tuple[str, int, int], ...] = ()
    received_at: dt.datetime | None = None
    appointment_at: dt.datetime | None = None
    collect_at: str | None = None
    fees: int | None = None
    officer: str | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Labelled values (see :meth:`Slip.rows`)."""
        return [
            *Slip.rows(self),
            ("Số giấy tờ tùy thân", _opt(self.applicant_id)),
            ("Số điện thoại", _opt(self.applicant_phone)),
            ("Địa chỉ", _opt(self.applicant_address)),
            ("Hình thức nộp", _opt(self.channel)),
            ("Thời gian tiếp nhận", _instant(self.received_at)),
            ("Thời gian hẹn trả kết quả", _instant(self.appointment_at)),
            ("Nơi nhận kết quả", _opt(self.collect_at)),
            ("Phí, lệ phí", _vnd(self.fees)),
            ("Người tiếp nhận", _opt(self.officer)),
        ]

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
        """The components handed in: name, originals, copies."""
        body: list[tuple[str, ...]] = [
            (str(i), name, str(orig), str(copies))
            for i, (name, orig, copies) in enumerate(self.components, 1)
        ]
        return ("STT", "Tên giấy tờ", "Bản chính", "Bản sao"), body

    def footer(self) -> list[str]:
        """Signatures."""
        return ["NGƯỜI NỘP HỒ SƠ / NGƯỜI TIẾP NHẬN HỒ SƠ (ký, ghi rõ họ tên)"]


@dataclass(frozen=True, slots=True)
class SupplementRequestSlip(Slip):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Decree 118/2025/NĐ-CP Art. 19(5)).

    Lists what is missing and why, and by when the supplement must come before the dossier is
    closed (see :class:`~tthc.lifecycle.LifecyclePolicy`).
    """

    kind: ClassVar[SlipKind] = SlipKind.SUPPLEMENT_REQUEST
    received_at: dt.datetime | None = None
    requested_at: dt.datetime | None = None
    missing: tuple[str, ...] = ()
    reason: str | None = None
    supplement_by: dt.datetime | None = None
    officer: str | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Labelled values (see :meth:`Slip.rows`)."""
        return [
            *Slip.rows(self),
            ("Thời gian tiếp nhận", _instant(self.received_at)),
            ("Thời gian yêu cầu bổ sung", _instant(self.requested_at)),
            ("Lý do", _opt(self.reason)),
            ("Hạn bổ sung hồ sơ", _instant(self.supplement_by)),
            ("Người yêu cầu", _opt(self.officer)),
        ]

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
        """What must be supplemented."""
        body: list[tuple[str, ...]] = [(str(i), item) for i, item in enumerate(self.missing, 1)]
        return ("STT", "Nội dung cần bổ sung, hoàn thiện"), body


@dataclass(frozen=True, slots=True)
class RefusalSlip(Slip):
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ (Decree 118/2025/NĐ-CP Art. 19(3)): reasons."""

    kind: ClassVar[SlipKind] = SlipKind.REFUSAL
    refused_at: dt.datetime | None = None
    reasons: tuple[str, ...] = ()
    officer: str | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Labelled values (see :meth:`Slip.rows`)."""
        return [
            *Slip.rows(self),
            ("Thời gian từ chối", _instant(self.refused_at)),
            ("Lý do từ chối", "; ".join(self.reasons) or BLANK),
            ("Người ký", _opt(self.officer)),
        ]


@dataclass(frozen=True, slots=True)
class ApologySlip(Slip):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Decree 118/2025/NĐ-CP Art. 19(6)).

    The original appointment, the reason for the delay and the new appointment.
    """

    kind: ClassVar[SlipKind] = SlipKind.APOLOGY
    received_at: dt.datetime | None = None
    original_due_at: dt.datetime | None = None
    reason: str | None = None
    new_due_at: dt.datetime | None = None
    officer: str | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Labelled values (see :meth:`Slip.rows`)."""
        return [
            *Slip.rows(self),
            ("Thời gian tiếp nhận", _instant(self.received_at)),
            ("Thời gian hẹn trả kết quả ban đầu", _instant(self.original_due_at)),
            ("Lý do chậm trễ", _opt(self.reason)),
            ("Thời gian hẹn trả kết quả mới", _instant(self.new_due_at)),
            ("Người ký", _opt(self.officer)),
        ]

    def footer(self) -> list[str]:
        """The apology itself."""
        return [
            "Cơ quan giải quyết xin lỗi Ông/Bà vì sự chậm trễ này và hẹn trả kết quả vào "
            "thời gian trên."
        ]


@dataclass(frozen=True, slots=True)
class ControlSheet(Slip):
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: each hand-over and its result.

    One row per agency holding the dossier (see :func:`tthc.lifecycle.step_results`): hand-over in, its
    own due instant, hand-over out, and early / on time / late.
    """

    kind: ClassVar[SlipKind] = SlipKind.CONTROL_SHEET
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    steps: tuple[tuple[str, str, str, str, str], ...] = ()

    def rows(self) -> list[tuple[str, str]]:
        """Labelled values (see :meth:`Slip.rows`)."""
        return [
            *Slip.rows(self),
            ("Thời gian tiếp nhận", _instant(self.received_at)),
            ("Thời gian hẹn trả kết quả", _instant(self.due_at)),
        ]

    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
        """Hand-overs: agency/step, received, due, handed over, result."""
        header = (
            "STT",
            "Cơ quan / bước xử lý",
            "Thời gian nhận",
            "Hạn xử lý",
            "Thời gian giao",
            "Kết quả",
        )
        return header, [(str(i), *row) for i, row in enumerate(self.steps, 1)]

    def footer(self) -> list[str]:
        """Signatures."""
        return ["Người giao / Người nhận (ký, ghi rõ họ tên) tại mỗi bước"]


def _last(state: DossierState, kind: EventKind) -> DossierEvent | None:
    for ev in reversed(state.events):
        if ev.kind is kind:
            return ev
    return None


def _first(state: DossierState, kind: EventKind) -> DossierEvent | None:
    for ev in state.events:
        if ev.kind is kind:
            return ev
    return None


def build_slip(
    kind: SlipKind | str,
    state: DossierState,
    dossier: Dossier | None = None,
    procedure: Any = None,
    *,
    office: str | None = None,
    collect_at: str | None = None,
    fees: int | None = None,
    steps: Sequence[Any] | None = None,
    as_of: dt.datetime | None = None,
) -> Slip:
    """Build the slip of ``kind`` for a dossier from its state (and the dossier and procedure,
    for applicant, components and names; fields the data does not give print as "—").

    ``steps`` defaults to ``procedure.steps``; ``as_of`` (control sheet) to the last event;
    ``fees`` (receipt, in đồng) to the sum of ``procedure.fees_for(dossier.channel)``.

    >>> import datetime as dt, tthc
    >>> s = tthc.replay([tthc.DossierEvent(kind="received", at="2024-03-01 08:00",
    ...                                    actor="Lê Văn C")],
    ...                 code="000.17.22.H56-240301-0001", limit="03 ngày làm việc")
    >>> slip = build_slip("receipt", s, office="UBND phường Nghi Hương")
    >>> [v for k, v in slip.rows() if k == "Thời gian hẹn trả kết quả"]
    ['17:00 ngày 06/03/2024']

    Raises:
        LifecycleError: the timeline lacks the event the slip documents (e.g. an apology slip
            without a re-appointment).
    """
    kind = SlipKind.parse(kind)
    applicant = dossier.applicant if dossier is not None else None
    pname = getattr(procedure, "name", None)
    pcode = getattr(procedure, "code", None) or (
        dossier.procedure_code if dossier is not None else None
    )
    procedure_name = f"{pname} ({pcode})" if pname and pcode else (pname or pcode)
    received = _first(state, EventKind.RECEIVED)
    if received is None:
        raise LifecycleError(f"dossier {state.code}: not received, no slip can be issued")
    base: dict[str, Any] = {
        "dossier_code": state.code,
        "applicant_name": applicant.name if applicant is not None else None,
        "procedure_name": procedure_name,
        "office": office,
    }
    if kind is SlipKind.RECEIPT:
        if fees is None and dossier is not None:
            if isinstance(procedure, Procedure):
                fees = procedure.channel_option(dossier.channel).total_fee or None
            elif hasattr(procedure, "fees_for"):
                fees = sum(f.amount_vnd for f in procedure.fees_for(dossier.channel)) or None
        components = (
            tuple((c.name, c.originals, c.copies) for c in dossier.components)
            if dossier is not None
            else ()
        )
        return ReceiptSlip(
            issued_at=received.at,
            applicant_id=applicant.id_number if applicant is not None else None,
            applicant_phone=applicant.phone if applicant is not None else None,
            applicant_address=applicant.address if applicant is not None else None,
            channel=dossier.channel.label_vi if dossier is not None else None,
            components=components,
            received_at=received.at,
            appointment_at=_receipt_due(state),
            collect_at=collect_at or office,
            fees=fees,
            officer=received.actor,
            **base,
        )
    if kind is SlipKind.SUPPLEMENT_REQUEST:
        ev = _need(state, EventKind.SUPPLEMENT_REQUESTED, kind)
        return SupplementRequestSlip(
            issued_at=ev.at,
            received_at=received.at,
            requested_at=ev.at,
            missing=ev.reasons,
            reason=ev.note,
            supplement_by=_supplement_deadline(state._d.ctx, ev.at),
            officer=ev.actor,
            **base,
        )
    if kind is SlipKind.REFUSAL:
        ev = _need(state, EventKind.REFUSED, kind)
        return RefusalSlip(
            issued_at=ev.at, refused_at=ev.at, reasons=ev.reasons, officer=ev.actor, **base
        )
    if kind is SlipKind.APOLOGY:
        ev = _need(state, EventKind.REAPPOINTED, kind)
        before = _before(state, ev)
        return ApologySlip(
            issued_at=ev.at,
            received_at=received.at,
            original_due_at=before.due_at,
            reason=ev.note or ("; ".join(ev.reasons) or None),
            new_due_at=ev.new_due_at,
            officer=ev.actor,
            **base,
        )
    when = as_of if as_of is not None else state.last_event_at
    results = step_results(
        state, steps if steps is not None else tuple(getattr(procedure, "steps", ()) or ()), when
    )
    rows = tuple(
        (
            " / ".join(x for x in (r.agency, r.name) if x) or BLANK,
            _instant(r.started_at),
            _instant(r.due_at),
            _instant(r.ended_at),
            r.timeliness.label_vi if r.timeliness is not None else BLANK,
        )
        for r in results
    )
    return ControlSheet(
        issued_at=when, received_at=received.at, due_at=state.due_at, steps=rows, **base
    )


def _a(word: str) -> str:
    """``word`` after its indefinite article ("a refusal", "an apology"; quotes skipped)."""
    return ("an " if word.lstrip("'\"")[:1].lower() in ("a", "e", "i", "o", "u") else "a ") + word


def _need(state: DossierState, kind: EventKind, slip: SlipKind) -> DossierEvent:
    ev = _last(state, kind)
    if ev is None:
        raise LifecycleError(
            f"dossier {state.code}: {_a(slip.value)} slip needs {_a(repr(kind.value))} event, "
            "and the timeline has none"
        )
    return ev


def _before(state: DossierState, ev: DossierEvent) -> DossierState:
    # The state just before ``ev`` (replayed from the events preceding it).
    return _replay_prefix(state, state.events[: state.events.index(ev)])


def _receipt_due(state: DossierState) -> dt.datetime | None:
    # The due instant printed on the receipt slip: the limit from the receipt instant.
    received = _first(state, EventKind.RECEIVED)
    if received is None:  # pragma: no cover - checked by the caller
        return None
    return _legal_due(state._d.ctx, received.at, ())
