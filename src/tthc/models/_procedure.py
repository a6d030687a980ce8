"""Published procedures (thủ tục hành chính) and their parts.

What a published procedure states follows Decree 63/2010/NĐ-CP Art. 8 and the detail page of
the national procedure database: code, name, domain, level, channels each with its own time
limit and fees, steps, dossier components, form fields, result, requirements, legal basis,
online service level, agencies. Every model is frozen and round-trips through JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    Field,
    StrictInt,
    model_validator,
)

from tthc._enums import AdministrativeLevel, Channel, OnlineServiceLevel
from tthc._timelimit import TimeLimit
from tthc.errors import InvalidInputError
from tthc.models._fields import (
    FieldSpec,
    build_form_model,
    check_cross_fields,
    validate_form_values,
)
from tthc.models._types import MODEL_CONFIG, AgencyId, NonEmptyStr, ProcedureCode

__all__ = [
    "Agency",
    "ChannelOption",
    "Component",
    "Domain",
    "Fee",
    "LegalDocument",
    "Procedure",
    "Step",
]


class Domain(BaseModel):
    """The field a procedure belongs to (lĩnh vực): Hộ tịch, Chứng thực, Đất đai…

    Reports (Biểu số 06/VPCP/KSTT) group dossiers by domain.

    >>> Domain(code="ho_tich", name_vi="Hộ tịch", name_en="Civil status").name_en
    'Civil status'
    """

    model_config = MODEL_CONFIG

    code: NonEmptyStr
    name_vi: NonEmptyStr
    name_en: NonEmptyStr


class Agency(BaseModel):
    """An agency (cơ quan): implementing, competent or handling one step.

    ``code`` is its electronic identifier (mã định danh, Decision 20/2020/QĐ-TTg), e.g.
    ``000.17.22.H56``, or ``None`` when the record names a kind of agency ("UBND cấp xã")
    rather than one office.

    A plain string is read as the agency's name (records often give only that):

    >>> Agency(name="Ủy ban nhân dân cấp xã", level="commune").level.label_vi
    'Cấp Xã'
    >>> Agency.model_validate("Công chức tư pháp - hộ tịch").name
    'Công chức tư pháp - hộ tịch'
    """

    model_config = MODEL_CONFIG

    code: AgencyId | None = None
    name: NonEmptyStr
    level: AdministrativeLevel | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


class Fee(BaseModel):
    """A fee or charge (phí, lệ phí) in Vietnamese đồng.

    ``amount_vnd`` is a whole number of đồng ≥ 0 (0 = exempt, "miễn lệ phí"); floats and numeric
    strings are refused, so no amount is ever rounded or guessed.

    >>> Fee(name="Lệ phí đăng ký kết hôn", amount_vnd=0, note="Miễn lệ phí").amount_vnd
    0
    """

    model_config = MODEL_CONFIG

    name: NonEmptyStr
    amount_vnd: Annotated[StrictInt, Field(ge=0)]
    note: str | None = None


class ChannelOption(BaseModel):
    """One way of submitting (cách thức thực hiện) with its own time limit and fees.

    ``time_limit`` accepts a :class:`~tthc.TimeLimit`, a ``{value, unit, cutoff}`` mapping or the
    record's wording (``"05 ngày làm việc"``).

    >>> ChannelOption(channel="online", time_limit="03 ngày làm việc").time_limit.value
    3
    """

    model_config = MODEL_CONFIG

    channel: Channel
    time_limit: TimeLimit
    fees: tuple[Fee, ...] = ()
    note: str | None = None

    @property
    def total_fee(self) -> int:
        """Sum of the fee amounts in đồng.

        >>> ChannelOption(channel="direct", time_limit="Trong ngày",
        ...               fees=[{"name": "Lệ phí", "amount_vnd": 8000}]).total_fee
        8000
        """
        return sum(f.amount_vnd for f in self.fees)


class Step(BaseModel):
    """One step of the procedure (trình tự thực hiện) and the agency that performs it.

    ``time_budget`` is the share of the time limit that agency has (inter-agency procedures,
    Decree 118/2025/NĐ-CP Art. 23); ``None`` when the record does not split the limit.

    >>> Step(name="Tiếp nhận hồ sơ", time_budget="01 ngày làm việc").time_budget.value
    1
    """

    model_config = MODEL_CONFIG

    name: NonEmptyStr
    agency: Agency | None = None
    time_budget: TimeLimit | None = None
    description: str | None = None


class Component(BaseModel):
    """A dossier component (thành phần hồ sơ) the applicant must supply.

    ``copy_kind`` is the record's wording, e.g. ``"bản chính"``, ``"bản sao chứng thực"``,
    ``"bản chụp"``; ``form_template`` names the form (e.g. a circular's appendix), if any.

    >>> Component(name="Tờ khai đăng ký khai sinh", originals=1, copy_kind="bản chính").copies
    0
    """

    model_config = MODEL_CONFIG

    name: NonEmptyStr
    originals: int = Field(default=0, ge=0)
    copies: int = Field(default=0, ge=0)
    copy_kind: str | None = None
    required: bool = True
    form_template: str | None = None
    note: str | None = None


class LegalDocument(BaseModel):
    """A legal basis entry (căn cứ pháp lý): number, title, date, issuer.

    >>> LegalDocument(number="123/2015/NĐ-CP", title="Nghị định quy định chi tiết…",
    ...               date="2015-11-15", issuer="Chính phủ").date.year
    2015
    """

    model_config = MODEL_CONFIG

    number: NonEmptyStr
    title: NonEmptyStr
    date: dt.date | None = None
    issuer: str | None = None

    @property
    def citation(self) -> str:
        """The document as cited in a list: number, title, then date and issuer in brackets
        (``dd/mm/yyyy``); a missing part is left out with its separator, never shown empty.

        >>> LegalDocument(number="123/2015/NĐ-CP", title="Nghị định về hộ tịch",
        ...               date="2015-11-15", issuer="Chính phủ").citation
        '123/2015/NĐ-CP Nghị định về hộ tịch (15/11/2015, Chính phủ)'
        >>> LegalDocument(number="04/2024/TT-BTP", title="Thông tư", issuer="Bộ Tư pháp").citation
        '04/2024/TT-BTP Thông tư (Bộ Tư pháp)'
        >>> LegalDocument(number="04/2024/TT-BTP", title="Thông tư").citation
        '04/2024/TT-BTP Thông tư'
        """
        issuer = self.issuer.strip() if self.issuer else ""
        extra = [part for part in (f"{self.date:%d/%m/%Y}" if self.date else "", issuer) if part]
        tail = f" ({', '.join(extra)})" if extra else ""
        return f"{self.number} {self.title}{tail}"


_CODE_NOTE_WORDS = ("code", "mã")
_CHANNEL_NOTE_WORDS = ("thời hạn", "kênh", "cách thức", "time limit", "channel")
_FORM_CACHE = "_tthc_form_model"


class Procedure(BaseModel):
    """A published administrative procedure.

    ``code`` is the national code (``1.001193``, ``1.001193.H38``,
    ``1.001193.000.00.00.H38``) or ``None`` when it could not be confirmed — then ``notes``
    must say so (a note mentioning the code / "mã"). ``channels`` has at most one entry per
    channel; it may be empty only for a catalogue entry whose channels and time limits could
    not be confirmed, and then a note must say so (mentioning "thời hạn", "kênh", "cách thức",
    "time limit" or "channel") — never an invented figure. Field names in ``fields`` are
    unique.

    The declaration form: :meth:`form_model` (built once per instance), :meth:`validate_form`,
    :meth:`form_json_schema`.

    >>> p = Procedure.model_validate({
    ...     "code": "1.001193", "name": "Đăng ký khai sinh",
    ...     "domain": {"code": "ho_tich", "name_vi": "Hộ tịch", "name_en": "Civil status"},
    ...     "level": "commune", "online_service_level": "full",
    ...     "channels": [{"channel": "direct", "time_limit": "Trong ngày"}],
    ... })
    >>> str(p.time_limit_for("direct"))
    'Trong ngày'
    """

    model_config = MODEL_CONFIG

    code: ProcedureCode | None
    name: NonEmptyStr
    name_en: str | None = None
    domain: Domain
    level: AdministrativeLevel
    channels: tuple[ChannelOption, ...]
    steps: tuple[Step, ...] = ()
    components: tuple[Component, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    result: str | None = None
    subjects: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    legal_basis: tuple[LegalDocument, ...] = ()
    online_service_level: OnlineServiceLevel
    implementing_agency: Agency | None = None
    competent_agency: Agency | None = None
    coordinating_agencies: tuple[Agency, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        seen: set[Channel] = set()
        for option in self.channels:
            if option.channel in seen:
                raise ValueError(f"channel {option.channel.value!r} is listed twice")
            seen.add(option.channel)
        names = [f.name for f in self.fields]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"form field names {dupes} are used more than once")
        check_cross_fields(self.fields)
        if self.code is None and not self._noted(_CODE_NOTE_WORDS):
            raise ValueError(
                "code is None: add a note saying the national code could not be confirmed"
            )
        if not self.channels and not self._noted(_CHANNEL_NOTE_WORDS):
            raise ValueError(
                "channels is empty: add a note saying the channels / time limit could not be "
                "confirmed"
            )
        return self

    def _noted(self, words: tuple[str, ...]) -> bool:
        return any(w in note.casefold() for note in self.notes for w in words)

    @property
    def label(self) -> str:
        """``"<code> <name>"`` (``"(no code)"`` when the code is unconfirmed)."""
        return f"{self.code or '(no code)'} {self.name}"

    def channel_option(self, channel: Channel | str) -> ChannelOption:
        """The :class:`ChannelOption` for ``channel`` (a :class:`~tthc.Channel` or its label).

        >>> from tthc.catalog import get
        >>> get("2.000815").channel_option("trực tiếp").channel.value
        'direct'

        Raises:
            InvalidInputError: naming the procedure and the channel if it is not offered.
        """
        wanted = Channel.parse(channel)
        for option in self.channels:
            if option.channel is wanted:
                return option
        if not self.channels:
            raise InvalidInputError(
                f"procedure {self.label}: no channel or time limit is recorded (unconfirmed, "
                f"see its notes); cannot use channel {wanted.value!r}"
            )
        offered = ", ".join(o.channel.value for o in self.channels)
        raise InvalidInputError(
            f"procedure {self.label}: channel {wanted.value!r} ({wanted.label_vi}) is not "
            f"offered; offered: {offered}"
        )

    def time_limit_for(self, channel: Channel | str) -> TimeLimit:
        """The time limit when submitted through ``channel``.

        >>> from tthc.catalog import get
        >>> get("1.004873").time_limit_for("online")
        TimeLimit(value=3, unit=<TimeLimitUnit.WORKING_DAYS: 'working_days'>, cutoff=None)

        Raises:
            InvalidInputError: naming the procedure and the channel if it is not offered.
        """
        return self.channel_option(channel).time_limit

    def fees_for(self, channel: Channel | str) -> tuple[Fee, ...]:
        """The fees when submitted through ``channel``.

        >>> from tthc.catalog import get
        >>> [fee.amount_vnd for fee in get("2.000815").fees_for("direct")]  # per page
        [2000]

        Raises:
            InvalidInputError: naming the procedure and the channel if it is not offered.
        """
        return self.channel_option(channel).fees

    def form_model(self) -> type[BaseModel]:
        """The pydantic model of this procedure's declaration form (built once, then cached).

        Field titles are the Vietnamese labels, descriptions the English ones.

        >>> from tthc.catalog import get
        >>> get("2.000815").form_model().__name__
        'Form_2_000815'
        """
        # Cached in the instance dict (not a field: equality, hashing and dumps ignore it),
        # keyed by the fields tuple so that a model_copy(update={"fields": ...}) rebuilds it.
        cached: tuple[tuple[FieldSpec, ...], type[BaseModel]] | None = self.__dict__.get(
            _FORM_CACHE
        )
        if cached is None or cached[0] is not self.fields:
            slug = (self.code or "uncoded").replace(".", "_")
            cached = (self.fields, build_form_model(self.fields, f"Form_{slug}"))
            self.__dict__[_FORM_CACHE] = cached
        return cached[1]

    def validate_form(self, values: Any) -> BaseModel:
        """Validate declaration-form ``values``; return the typed form (a :meth:`form_model`).

        >>> from tthc.catalog import get
        >>> form = get("2.000815").validate_form({"ho_ten": "Nguyễn Văn A",
        ...     "ten_giay_to": "Bằng tốt nghiệp", "so_trang": "2", "so_ban_sao": 3})
        >>> form.so_trang
        2

        Raises:
            FormValidationError: listing every bad field with its label and reason.
        """
        return validate_form_values(self.form_model(), self.fields, values, self.label)

    def form_json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the declaration form, for web front ends.

        >>> from tthc.catalog import get
        >>> get("2.000815").form_json_schema()["required"]
        ['ho_ten', 'ten_giay_to', 'so_trang', 'so_ban_sao']
        """
        return self.form_model().model_json_schema()
