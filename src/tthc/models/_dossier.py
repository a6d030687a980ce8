"""Dossiers (hồ sơ): the applicant, the submitted components, the event timeline, the code.

Every model here is frozen and round-trips through JSON (``model_dump_json`` /
``model_validate_json``). Datetimes are aware and normalised to UTC+7; **a naive datetime is
read as UTC+7 wall-clock time** (:func:`tthc._time.assume_vn`).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from tthc._enums import Channel, EventKind
from tthc._time import assume_vn
from tthc.errors import InvalidInputError
from tthc.models._identity import (
    CITIZEN_ID_LENGTH,
    IdentityProblem,
    _citizen_id_number,
    _citizen_id_plainly_valid,
    check_citizen_id,
    check_vn_phone,
)
from tthc.models._messages import labelled
from tthc.models._types import (
    _AGENCY_ID_BODY,
    MODEL_CONFIG,
    AgencyId,
    Email,
    NonEmptyStr,
    ProcedureCode,
    VnDatetime,
    VnDueDatetime,
)

__all__ = [
    "DOSSIER_CODE_PATTERN",
    "Applicant",
    "Dossier",
    "DossierCodeGenerator",
    "DossierCodeParts",
    "DossierEvent",
    "SubmittedComponent",
    "format_dossier_code",
    "parse_dossier_code",
]

DOSSIER_SEQUENCE_DIGITS = 4
"""Digits of the daily sequence number in a dossier code (Decree 118/2025/NĐ-CP Art. 28)."""
MAX_DAILY_SEQUENCE = 10**DOSSIER_SEQUENCE_DIGITS - 1
"""The largest sequence number a code can carry for one agency and day."""
_DATE_FORMAT = "%y%m%d"
CODE_CENTURY = 2000
"""The two-digit year of a dossier code is read as ``2000 + yy`` (codes exist since 2018)."""

_YYMMDD_PATTERN = (
    r"(?:[0-9]{2}(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)|02(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[02468][048]|[13579][26])0229)"
)
# A real calendar date as yymmdd of 2000–2099: 29 February only when yy is divisible by 4
# (every such year of the 2000s is a leap year, 2000 included), so no Python call is needed.
DOSSIER_CODE_PATTERN = (
    f"^{_AGENCY_ID_BODY}-"
    + _YYMMDD_PATTERN
    + r"-(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})$"
)
"""Dossier code (mã hồ sơ), Decree 118/2025/NĐ-CP Art. 28: the competent agency's identifier,
the receipt date as ``yymmdd`` and the sequence number of the dossier in that day, joined by
``-``; e.g. ``000.17.22.H56-210531-0001``. The date must exist (no ``240230``; ``yy0229`` only
in leap years) and the sequence starts at ``0001``."""

# Used with fullmatch: "$" would also accept a trailing newline, which the models refuse.
_CODE_RE = re.compile(f"(?P<agency>{_AGENCY_ID_BODY})-(?P<date>[0-9]{{6}})-(?P<seq>[0-9]{{4}})")
_AGENCY_ID_RE = re.compile(_AGENCY_ID_BODY)

_REAPPOINTED = EventKind.REAPPOINTED


def _custom_error(problem: IdentityProblem, **extra: Any) -> PydanticCustomError:
    """A pydantic error carrying the problem's code and params (for the Vietnamese messages of
    :func:`tthc.models.validate_model`) and its English reason as the message."""
    text = problem.reason.replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(problem.code, text, {**problem.params, **extra})


def _phone(value: str) -> str:
    found = check_vn_phone(value)
    if isinstance(found, IdentityProblem):
        raise _custom_error(found)
    return found


_Phone = Annotated[str, AfterValidator(_phone)]


class DossierCodeParts(NamedTuple):
    """The parts of a dossier code (Decree 118/2025/NĐ-CP Art. 28)."""

    agency_id: str
    received_on: dt.date
    sequence: int


def _receipt_date(received: dt.date | dt.datetime) -> dt.date:
    # The receipt date at the office: a datetime is normalised to UTC+7 (naive = UTC+7).
    return assume_vn(received).date() if isinstance(received, dt.datetime) else received


def parse_dossier_code(code: str) -> DossierCodeParts:
    """Split a dossier code into agency identifier, receipt date and daily sequence number.

    The format is Decree 118/2025/NĐ-CP Art. 28: ``<agency id>-<yymmdd>-<nnnn>``. The two-digit
    year is read as 20yy (:data:`CODE_CENTURY`).

    >>> parse_dossier_code("000.17.22.H56-210531-0001")
    DossierCodeParts(agency_id='000.17.22.H56', received_on=datetime.date(2021, 5, 31), sequence=1)

    Raises:
        InvalidInputError: naming the code and what is wrong with it.
    """
    m = _CODE_RE.fullmatch(code) if isinstance(code, str) else None
    if m is None:
        raise InvalidInputError(
            f"dossier code {code!r}: expected '<agency id>-<yymmdd>-<4-digit sequence>', "
            "e.g. '000.17.22.H56-210531-0001' (Decree 118/2025/NĐ-CP Art. 28)"
        )
    ymd = m.group("date")
    try:
        day = dt.date(CODE_CENTURY + int(ymd[:2]), int(ymd[2:4]), int(ymd[4:]))
    except ValueError:
        raise InvalidInputError(
            f"dossier code {code!r}: {m.group('date')} is not a date (yymmdd)"
        ) from None
    seq = int(m.group("seq"))
    if seq < 1:
        raise InvalidInputError(f"dossier code {code!r}: the sequence number starts at 0001")
    return DossierCodeParts(m.group("agency"), day, seq)


def format_dossier_code(agency_id: str, received_on: dt.date | dt.datetime, sequence: int) -> str:
    """Build a dossier code from its parts (Decree 118/2025/NĐ-CP Art. 28).

    A datetime ``received_on`` is first normalised to UTC+7 (naive = UTC+7 wall clock), so the
    date in the code is the receipt date at the office.

    >>> format_dossier_code("000.17.22.H56", dt.date(2021, 5, 31), 1)
    '000.17.22.H56-210531-0001'

    Raises:
        InvalidInputError: for a malformed agency id or a sequence outside 1–9999.
    """
    if not isinstance(agency_id, str) or not _AGENCY_ID_RE.fullmatch(agency_id):
        raise InvalidInputError(
            f"agency id {agency_id!r}: expected upper-case letters/digits in dot-separated "
            "groups, e.g. '000.17.22.H56' (Decision 20/2020/QĐ-TTg)"
        )
    if not 1 <= sequence <= MAX_DAILY_SEQUENCE:
        raise InvalidInputError(
            f"dossier sequence {sequence}: must be 1–{MAX_DAILY_SEQUENCE} "
            f"({DOSSIER_SEQUENCE_DIGITS} digits, Decree 118/2025/NĐ-CP Art. 28)"
        )
    day = _receipt_date(received_on)
    if not CODE_CENTURY <= day.year < CODE_CENTURY + 100:
        raise InvalidInputError(
            f"receipt date {day.isoformat()}: a dossier code can only carry years "
            f"{CODE_CENTURY}–{CODE_CENTURY + 99} (two-digit year)"
        )
    return f"{agency_id}-{day.strftime(_DATE_FORMAT)}-{sequence:0{DOSSIER_SEQUENCE_DIGITS}d}"


class DossierCodeGenerator:
    """Issues dossier codes for one agency: agency id + receipt date + daily sequence.

    Decree 118/2025/NĐ-CP Art. 28. The sequence restarts at 0001 each day (UTC+7 date of
    receipt). Thread-safe. To continue after codes already issued (e.g. after a restart), pass
    them to :meth:`resume_after`.

    >>> gen = DossierCodeGenerator("000.17.22.H56")
    >>> gen.next(dt.datetime(2021, 5, 31, 8, 15))
    '000.17.22.H56-210531-0001'
    >>> gen.next(dt.datetime(2021, 5, 31, 9, 0))
    '000.17.22.H56-210531-0002'
    >>> gen.next(dt.datetime(2021, 6, 1, 7, 30))
    '000.17.22.H56-210601-0001'
    """

    def __init__(self, agency_id: str) -> None:
        format_dossier_code(agency_id, dt.date(2000, 1, 1), 1)  # validates the agency id
        self.agency_id = agency_id
        self._last: dict[dt.date, int] = {}
        self._lock = threading.Lock()

    def next(self, received_at: dt.datetime | dt.date) -> str:
        """The next code for a dossier received at ``received_at`` (naive = UTC+7).

        Raises:
            InvalidInputError: when the day's 9999 sequence numbers are used up.
        """
        day = _receipt_date(received_at)
        with self._lock:
            seq = self._last.get(day, 0) + 1
            code = format_dossier_code(self.agency_id, day, seq)
            self._last[day] = seq
        return code

    def resume_after(self, codes: Iterable[str]) -> None:
        """Continue numbering after ``codes`` already issued by this agency.

        >>> gen = DossierCodeGenerator("000.17.22.H56")
        >>> gen.resume_after(["000.17.22.H56-210531-0041"])
        >>> gen.next(dt.date(2021, 5, 31))
        '000.17.22.H56-210531-0042'

        Raises:
            InvalidInputError: for a malformed code or one of another agency.
        """
        parsed = [parse_dossier_code(c) for c in codes]
        for p in parsed:
            if p.agency_id != self.agency_id:
                raise InvalidInputError(
                    f"dossier code of agency {p.agency_id!r} given to the generator of "
                    f"{self.agency_id!r}"
                )
        with self._lock:
            for p in parsed:
                if p.sequence > self._last.get(p.received_on, 0):
                    self._last[p.received_on] = p.sequence


class Applicant(BaseModel):
    """The person or organisation who submits a dossier (người nộp hồ sơ).

    ``phone`` is checked and stored in E.164 form (``+84…``, see
    :func:`tthc.models.normalise_vn_phone`). For a person, a 12-digit ``id_number`` is a citizen ID and
    its structure is checked (:func:`tthc.models.parse_citizen_id`; also when written in groups with
    spaces, dots or dashes, and kept as given); other ID numbers (old 9-digit
    ID cards, passports) and organisations' tax codes are kept as given.

    >>> Applicant(kind="person", name="Nguyễn Văn A", phone="0912345678").phone
    '+84912345678'
    """

    model_config = MODEL_CONFIG

    kind: Literal["person", "organisation"] = labelled(
        "Loại người nộp (cá nhân, tổ chức)", "Applicant type", field_type="choice", default="person"
    )
    name: Annotated[NonEmptyStr, labelled("Tên người nộp hồ sơ", "Applicant's name")]
    id_number: NonEmptyStr | None = labelled(
        "Số định danh cá nhân hoặc số giấy tờ", "ID number", default=None
    )
    phone: _Phone | None = labelled(
        "Số điện thoại", "Phone number", field_type="vn_phone", default=None
    )
    email: Email | None = labelled("Thư điện tử", "E-mail", field_type="email", default=None)
    address: NonEmptyStr | None = labelled("Địa chỉ", "Address", default=None)

    @model_validator(mode="after")
    def _check_person_id(self) -> Self:
        # A 12-digit number of a person is a citizen ID: check its structure. Fast path: a
        # known province code and a birth century in the past need no further look.
        n = self.id_number
        if n is None or self.kind != "person":
            return self
        n = _citizen_id_number(n)  # "040 1 95 012345": 12 digits in groups is a citizen ID too
        # Any 12 digits (str.isdigit: full-width ones too) are a citizen ID; unless plainly
        # valid, parse_citizen_id raises with the reason (non-ASCII digits are refused) or
        # checks the birth year against today.
        if len(n) == CITIZEN_ID_LENGTH and n.isdigit() and not _citizen_id_plainly_valid(n):
            found = check_citizen_id(n)
            if isinstance(found, IdentityProblem):
                raise _custom_error(found, field="id_number")
        return self


class SubmittedComponent(BaseModel):
    """A document handed in with a dossier (thành phần hồ sơ đã nộp).

    ``name`` should match a :class:`~tthc.models.Component` of the procedure; ``attachment`` is a
    reference to a stored file (an URL, a document-store id), never the content itself.

    >>> SubmittedComponent(name="Tờ khai đăng ký khai sinh", originals=1).copies
    0
    """

    model_config = MODEL_CONFIG

    name: Annotated[NonEmptyStr, labelled("Tên giấy tờ", "Document name")]
    originals: int = labelled("Số bản chính", "Originals", field_type="integer", default=0, ge=0)
    copies: int = labelled("Số bản sao", "Copies", field_type="integer", default=0, ge=0)
    attachment: str | None = labelled("Tệp đính kèm", "Attachment", default=None)
    note: str | None = labelled("Ghi chú", "Note", default=None)


class DossierEvent(BaseModel):
    """One event on a dossier's timeline (received, transferred, paused, returned…).

    ``at`` is aware UTC+7; a naive datetime is read as UTC+7 wall-clock time. ``reasons``
    carries what is missing (supplement requested) or why (refused, re-appointed);
    ``new_due_at`` is the new appointment of a ``reappointed`` event and only of that kind
    (Decree 118/2025/NĐ-CP Art. 19(6)). ``agency`` of a ``transferred`` event is the
    receiving agency.

    >>> ev = DossierEvent(kind="received", at="2024-03-01T08:00:00")
    >>> ev.at.isoformat()
    '2024-03-01T08:00:00+07:00'
    """

    model_config = MODEL_CONFIG

    kind: Annotated[EventKind, labelled("Loại sự kiện", "Event kind", field_type="choice")]
    at: Annotated[VnDatetime, labelled("Thời điểm", "Time", field_type="datetime")]
    actor: str | None = labelled("Người thực hiện", "Actor", default=None)
    agency: str | None = labelled("Cơ quan", "Agency", default=None)
    note: str | None = labelled("Ghi chú", "Note", default=None)
    reasons: tuple[str, ...] = labelled("Lý do", "Reasons", default=())
    new_due_at: VnDueDatetime | None = labelled(
        "Ngày hẹn trả mới", "New appointment", field_type="datetime", default=None
    )

    @model_validator(mode="after")
    def _check_new_due(self) -> Self:
        if self.new_due_at is None:
            if self.kind is _REAPPOINTED:
                raise ValueError("a reappointed event needs new_due_at (the new appointment)")
        elif self.kind is not _REAPPOINTED:
            raise ValueError(f"new_due_at is only for reappointed events, not {self.kind.value}")
        return self


class Dossier(BaseModel):
    """One application (hồ sơ) for one procedure.

    ``code`` follows Decree 118/2025/NĐ-CP Art. 28 (see :data:`DOSSIER_CODE_PATTERN`; issue
    codes with :class:`DossierCodeGenerator`). Datetimes (``received_at``, ``due_at``, event
    times) are aware and normalised to UTC+7; **a naive datetime is read as UTC+7 wall-clock
    time**. ``events`` is the ordered timeline; the state machine that checks it lives in the
    lifecycle module.

    >>> d = Dossier.model_validate({
    ...     "code": "000.17.22.H56-240301-0001", "procedure_code": "1.001193",
    ...     "applicant": {"kind": "person", "name": "Trần Thị B"},
    ...     "channel": "direct", "received_at": "2024-03-01 08:00",
    ... })
    >>> d.received_at.isoformat(), d.code_parts.sequence
    ('2024-03-01T08:00:00+07:00', 1)
    >>> Dossier.model_validate_json(d.model_dump_json()) == d
    True
    """

    model_config = MODEL_CONFIG

    code: Annotated[str, Field(pattern=DOSSIER_CODE_PATTERN), labelled("Mã hồ sơ", "Dossier code")]
    procedure_code: Annotated[ProcedureCode, labelled("Mã thủ tục hành chính", "Procedure code")]
    applicant: Annotated[Applicant, labelled("Người nộp hồ sơ", "Applicant")]
    channel: Annotated[Channel, labelled("Kênh nộp hồ sơ", "Channel", field_type="choice")]
    received_at: Annotated[
        VnDatetime, labelled("Ngày giờ tiếp nhận", "Received at", field_type="datetime")
    ]
    components: tuple[SubmittedComponent, ...] = labelled(
        "Thành phần hồ sơ", "Components", default=()
    )
    form_values: dict[str, Any] = labelled("Tờ khai", "Form values", default_factory=dict)
    events: tuple[DossierEvent, ...] = labelled("Quá trình xử lý", "Events", default=())
    due_at: VnDueDatetime | None = labelled(
        "Ngày giờ hẹn trả kết quả", "Due at", field_type="datetime", default=None
    )

    @property
    def code_parts(self) -> DossierCodeParts:
        """The code's agency identifier, receipt date and daily sequence number."""
        return parse_dossier_code(self.code)

    @property
    def agency_id(self) -> AgencyId:
        """The competent agency's identifier, read from the code."""
        return self.code.rsplit("-", 2)[0]
