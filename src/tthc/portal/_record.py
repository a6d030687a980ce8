"""The national portal's dossier sync record (Cổng Dịch vụ công quốc gia), as a typed model.

Field names are the portal's, as integrating systems write them (MaHoSo, NgayTiepNhan, …);
Python attributes are English (``code``, ``received_at``, …) and either spelling is accepted on
input. Instants are ``yyyyMMddHHmmss`` in UTC+7, as OpenCPS's portal integration formats them.
Sources: the domain guide's section on the portal record (an open one-stop system's sync code
and OpenCPS's integration); the record is not published as a standard, so fields beyond the
guide's list (the applicant's, files' names and links, fee names) are optional.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from importlib import resources
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StrictInt,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from tthc._time import VN_TZ
from tthc.errors import PortalRecordError
from tthc.models import to_vn

__all__ = [
    "PORTAL_INSTANT_FORMAT",
    "SCHEMA_FILE",
    "PortalDatabase",
    "PortalDocument",
    "PortalFee",
    "PortalRecord",
    "PortalResult",
    "PortalSupplement",
    "format_portal_instant",
    "parse_portal_instant",
    "portal_record_json_schema",
    "read_portal_record",
]

PORTAL_INSTANT_FORMAT: Final = "%Y%m%d%H%M%S"
"""``yyyyMMddHHmmss``, the portal's instant format, always UTC+7 wall-clock time."""
_INSTANT_DIGITS: Final = 14
"""Length of a portal instant in :data:`PORTAL_INSTANT_FORMAT`: 14 digits."""
SCHEMA_FILE: Final = "portal_record.schema.json"
"""The committed JSON Schema of :class:`PortalRecord`, inside the ``tthc.portal`` package
(:func:`portal_record_json_schema` generates it; a test keeps the file in step)."""


def parse_portal_instant(text: str) -> dt.datetime:
    """A portal instant (``yyyyMMddHHmmss``, UTC+7) as an aware datetime.

    >>> parse_portal_instant("20240301083000").isoformat()
    '2024-03-01T08:30:00+07:00'

    Raises:
        PortalRecordError: not 14 digits, or not a real date and time.
    """
    try:
        if isinstance(text, str) and len(text) == _INSTANT_DIGITS and text.isascii():
            return _instant(text)
    except ValueError:
        pass
    raise PortalRecordError(
        "(instant)", f"{text!r} is not yyyyMMddHHmmss, e.g. 20240301083000", value=text
    )


def _instant(text: str) -> dt.datetime:
    if not text.isdigit():
        raise ValueError(text)
    return dt.datetime(
        int(text[0:4]),
        int(text[4:6]),
        int(text[6:8]),
        int(text[8:10]),
        int(text[10:12]),
        int(text[12:14]),
        tzinfo=VN_TZ,
    )


def format_portal_instant(value: dt.datetime) -> str:
    """An aware datetime as a portal instant: converted to UTC+7, to the second (microseconds
    are dropped, the format has none). A naive datetime is read as UTC+7 wall-clock time.

    >>> format_portal_instant(dt.datetime(2024, 3, 1, 1, 30, 5, 999, tzinfo=dt.UTC))
    '20240301083005'
    """
    return to_vn(value).strftime(PORTAL_INSTANT_FORMAT)


def _validate_instant(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return to_vn(value).replace(microsecond=0)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and len(value) == _INSTANT_DIGITS and value.isascii():
        try:
            return _instant(value)
        except ValueError:
            raise PydanticCustomError(
                "portal_instant",
                "{value} is not a real date and time (yyyyMMddHHmmss, UTC+7)",
                {"value": value},
            ) from None
    raise PydanticCustomError(
        "portal_instant",
        "expected yyyyMMddHHmmss in UTC+7, e.g. 20240301083000, got {value}",
        {"value": repr(value)},
    )


PortalInstant = Annotated[
    dt.datetime,
    PlainValidator(_validate_instant),
    PlainSerializer(format_portal_instant, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{14}$",
            "description": "yyyyMMddHHmmss, UTC+7 wall-clock time",
        }
    ),
]
"""An instant written ``yyyyMMddHHmmss`` in UTC+7 (a ``datetime`` in Python, to the second)."""


def _code(allowed: tuple[str, ...]) -> Any:
    def check(value: object) -> str:
        text = (
            str(value).strip()
            if isinstance(value, int | str) and not isinstance(value, bool)
            else None
        )
        if isinstance(value, bool):
            text = "1" if value else "0"
        if text is None or text not in allowed:
            raise PydanticCustomError(
                "portal_code",
                "expected one of {allowed}, got {value}",
                {"allowed": ", ".join(allowed), "value": repr(value)},
            )
        return text

    return check


PortalFlag = Annotated[Literal["0", "1"], BeforeValidator(_code(("0", "1")))]
"""A yes/no flag: ``"0"`` or ``"1"`` (``0``, ``1``, ``False``, ``True`` accepted on input)."""
PortalChannel = Annotated[Literal["1", "2", "3"], BeforeValidator(_code(("1", "2", "3")))]
"""KenhThucHien: ``"1"`` direct (trực tiếp), ``"2"`` online (trực tuyến), ``"3"`` postal."""
PortalPayment = Annotated[Literal["0", "1", "2"], BeforeValidator(_code(("0", "1", "2")))]
"""DuocThanhToanTrucTuyen: ``"0"`` not paid online, ``"1"`` on the national portal, ``"2"``
through the local payment gateway."""


def _status_code(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise PydanticCustomError(
        "portal_code", "expected a status code, got {value}", {"value": repr(value)}
    )


PORTAL_CONFIG: Final = ConfigDict(
    frozen=True,
    extra="allow",
    populate_by_name=True,
    str_strip_whitespace=True,
)
"""Frozen; portal field names or English attribute names on input; **fields this model does not
name are kept** (``model_extra``) and written back, never dropped, since real records carry
more than the fields ``tthc`` uses."""


def _first_paragraph(schema: dict[str, Any], cls: type[Any]) -> None:
    doc = (cls.__doc__ or "").strip()
    if doc:
        schema["description"] = " ".join(doc.split("\n\n", 1)[0].split())


class _PortalModel(BaseModel):
    model_config = ConfigDict(**PORTAL_CONFIG, json_schema_extra=_first_paragraph)

    def to_portal_dict(self) -> dict[str, Any]:
        """The record as the portal's JSON: portal field names, instants as
        ``yyyyMMddHHmmss``, absent values left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class PortalDocument(_PortalModel):
    """A submitted file (TaiLieuNop): whether it was digitised, reuses digitised data, or was
    taken from the citizen's data store on the portal (Kho dữ liệu điện tử, DuocLayTuKhoDMQG)."""

    name: str | None = Field(
        default=None, alias="TenTepDinhKem", title="Tên tệp đính kèm", description="File name."
    )
    link: str | None = Field(
        default=None,
        alias="DuongDanTaiTepTin",
        title="Đường dẫn tải tệp",
        description="Link to the file.",
    )
    digitised: PortalFlag | None = Field(
        default=None,
        alias="DuocSoHoa",
        title="Được số hóa",
        description="1: the file was digitised.",
    )
    reused: PortalFlag | None = Field(
        default=None,
        alias="DuocTaiSuDung",
        title="Được tái sử dụng",
        description="1: the component reuses digitised data.",
    )
    from_citizen_store: PortalFlag | None = Field(
        default=None,
        alias="DuocLayTuKhoDMQG",
        title="Được lấy từ kho dữ liệu của công dân",
        description="1: taken from the citizen's data store on the portal.",
    )


def _amount(value: object) -> object:
    # Amounts come as numbers or digit strings; a fractional or boolean one is refused.
    if isinstance(value, bool):
        raise PydanticCustomError(
            "portal_amount", "expected a whole amount in đồng, got {value}", {"value": repr(value)}
        )
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return value


class PortalFee(_PortalModel):
    """A fee of the dossier (DanhSachLePhi): its amount in đồng (Gia)."""

    amount: Annotated[StrictInt, BeforeValidator(_amount), Field(ge=0)] = Field(
        alias="Gia", title="Giá (đồng)", description="Amount in đồng."
    )
    name: str | None = Field(
        default=None,
        alias="TenPhiLePhi",
        title="Tên phí, lệ phí",
        description="Name of the fee or charge.",
    )


class PortalResult(_PortalModel):
    """A result document (DanhSachGiayToKetQua): its code and the link to its electronic file;
    both present means an electronic result was issued."""

    code: str | None = Field(
        default=None,
        alias="MaGiayToKetQua",
        title="Mã giấy tờ kết quả",
        description="Code of the result document.",
    )
    link: str | None = Field(
        default=None,
        alias="DuongDanTepTinKetQua",
        title="Đường dẫn tệp kết quả",
        description="Link to the electronic result file.",
    )


class PortalSupplement(_PortalModel):
    """A supplement request (DanhSachHoSoBoSung): when it was asked for (NgayBoSung), when the
    supplement came back (NgayTiepNhanBoSung; absent while waiting) and the appointment before
    and after it (NgayHenTraTruoc / NgayHenTraMoi)."""

    requested_at: PortalInstant = Field(
        alias="NgayBoSung",
        title="Ngày yêu cầu bổ sung",
        description="When the supplement was requested.",
    )
    resubmitted_at: PortalInstant | None = Field(
        default=None,
        alias="NgayTiepNhanBoSung",
        title="Ngày tiếp nhận hồ sơ bổ sung",
        description="When the supplement came back; absent while waiting.",
    )
    due_before: PortalInstant | None = Field(
        default=None,
        alias="NgayHenTraTruoc",
        title="Ngày hẹn trả trước khi bổ sung",
        description="Appointment before the supplement.",
    )
    due_after: PortalInstant | None = Field(
        default=None,
        alias="NgayHenTraMoi",
        title="Ngày hẹn trả mới",
        description="Appointment after the supplement (the time limit restarts, Decree 118/2025/NĐ-CP Art. 19(5)).",
    )


class PortalDatabase(_PortalModel):
    """A national database the dossier's data came from (DSKetNoiCSDL): its code (MaCSDL)."""

    code: str = Field(
        alias="MaCSDL",
        title="Mã cơ sở dữ liệu quốc gia",
        description="Code of the national database used.",
    )


class PortalRecord(_PortalModel):
    """One dossier as synced to the national public service portal.

    Build one from a dossier's lifecycle with :func:`tthc.portal.to_portal_record`, read one
    with :func:`read_portal_record`, turn one back into a :class:`tthc.Dossier` with
    :func:`tthc.portal.from_portal_record`. ``status_code`` (TrangThaiHoSo) is the portal's code;
    its meaning comes from a :class:`tthc.portal.PortalStatusMap` (**the numbering is not
    confirmed**). Flags and lists the record does not give are ``None``: unknown, not 0 (an
    empty list is a known "none").

    >>> r = PortalRecord.model_validate({"MaHoSo": "000.17.22.H56-240301-0001",
    ...     "MaTTHC": "1.001193", "KenhThucHien": 1, "TrangThaiHoSo": "2",
    ...     "NgayTiepNhan": "20240301080000", "NgayHenTra": "20240306170000"})
    >>> r.received_at.isoformat(), r.channel
    ('2024-03-01T08:00:00+07:00', '1')
    >>> r.to_portal_dict()["NgayHenTra"]
    '20240306170000'
    """

    code: Annotated[str, Field(min_length=1)] = Field(
        alias="MaHoSo",
        title="Mã hồ sơ",
        description="Dossier code (Decree 118/2025/NĐ-CP Art. 28).",
    )
    procedure_code: Annotated[str, Field(min_length=1)] = Field(
        alias="MaTTHC", title="Mã thủ tục hành chính", description="National procedure code."
    )
    procedure_name: str | None = Field(
        default=None, alias="TenTTHC", title="Tên thủ tục hành chính", description="Procedure name."
    )
    domain_code: str | None = Field(
        default=None, alias="MaLinhVuc", title="Mã lĩnh vực", description="Domain code."
    )
    domain_name: str | None = Field(
        default=None, alias="TenLinhVuc", title="Tên lĩnh vực", description="Domain name."
    )
    agency: str | None = Field(
        default=None, alias="DonViXuLy", title="Đơn vị xử lý", description="Handling agency."
    )
    channel: PortalChannel | None = Field(
        default=None,
        alias="KenhThucHien",
        title="Kênh thực hiện",
        description="1 direct, 2 online, 3 postal.",
    )
    submitted_at: PortalInstant | None = Field(
        default=None, alias="NgayNopHoSo", title="Ngày nộp hồ sơ", description="Submitted at."
    )
    received_at: PortalInstant | None = Field(
        default=None,
        alias="NgayTiepNhan",
        title="Ngày tiếp nhận",
        description="Received at (the time limit starts, Decree 118/2025/NĐ-CP Art. 17(3)).",
    )
    due_at: PortalInstant | None = Field(
        default=None,
        alias="NgayHenTra",
        title="Ngày hẹn trả",
        description="Appointment: the due date in force.",
    )
    finished_at: PortalInstant | None = Field(
        default=None,
        alias="NgayKetThucXuLy",
        title="Ngày kết thúc xử lý",
        description="End of processing: completed, refused, withdrawn or stopped.",
    )
    returned_at: PortalInstant | None = Field(
        default=None,
        alias="NgayTra",
        title="Ngày trả kết quả",
        description="Result returned to the applicant.",
    )
    refused_at: PortalInstant | None = Field(
        default=None, alias="NgayTuChoi", title="Ngày từ chối", description="Refused at."
    )
    status_code: Annotated[str, BeforeValidator(_status_code)] = Field(
        alias="TrangThaiHoSo",
        title="Trạng thái hồ sơ",
        description="Portal status code; numbering not confirmed, see PortalStatusMap.",
    )
    paid_online: PortalPayment | None = Field(
        default=None,
        alias="DuocThanhToanTrucTuyen",
        title="Được thanh toán trực tuyến",
        description="0 no, 1 paid on the national portal, 2 paid through the local payment gateway.",
    )
    digitised: PortalFlag | None = Field(
        default=None,
        alias="HoSoCoThanhPhanSoHoa",
        title="Hồ sơ có thành phần số hóa",
        description="1: the dossier has digitised components.",
    )
    vneid: PortalFlag | None = Field(
        default=None,
        alias="TaiKhoanDuocXacThucVoiVNeID",
        title="Tài khoản được xác thực với VNeID",
        description="1: the applicant's account was authenticated with VNeID.",
    )
    applicant_name: str | None = Field(
        default=None, alias="ChuHoSo", title="Chủ hồ sơ", description="Applicant's name."
    )
    applicant_id: str | None = Field(
        default=None,
        alias="SoGiayToChuHoSo",
        title="Số giấy tờ của chủ hồ sơ",
        description="Applicant's ID number.",
    )
    applicant_phone: str | None = Field(
        default=None,
        alias="SoDienThoaiChuHoSo",
        title="Số điện thoại của chủ hồ sơ",
        description="Applicant's phone.",
    )
    applicant_email: str | None = Field(
        default=None,
        alias="EmailChuHoSo",
        title="Thư điện tử của chủ hồ sơ",
        description="Applicant's e-mail.",
    )
    applicant_address: str | None = Field(
        default=None,
        alias="DiaChiChuHoSo",
        title="Địa chỉ của chủ hồ sơ",
        description="Applicant's address.",
    )
    documents: tuple[PortalDocument, ...] | None = Field(
        default=None, alias="TaiLieuNop", title="Tài liệu nộp", description="Submitted files."
    )
    fees: tuple[PortalFee, ...] | None = Field(
        default=None, alias="DanhSachLePhi", title="Danh sách lệ phí", description="Fees."
    )
    results: tuple[PortalResult, ...] | None = Field(
        default=None,
        alias="DanhSachGiayToKetQua",
        title="Danh sách giấy tờ kết quả",
        description="Result documents.",
    )
    supplements: tuple[PortalSupplement, ...] | None = Field(
        default=None,
        alias="DanhSachHoSoBoSung",
        title="Danh sách hồ sơ bổ sung",
        description="Supplement requests.",
    )
    databases: tuple[PortalDatabase, ...] | None = Field(
        default=None,
        alias="DSKetNoiCSDL",
        title="Danh sách kết nối cơ sở dữ liệu",
        description="National databases the data came from.",
    )


def _alias_path(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """A pydantic location written with the portal's field names (``TaiLieuNop[0].DuocSoHoa``)."""
    out = ""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        info = current.model_fields.get(part) if current is not None else None
        name = info.alias if info is not None and info.alias else part
        out += ("." if out else "") + name
        nested = _LIST_ITEM.get(name)
        current = nested if nested is not None else None
    return out or "(record)"


_LIST_ITEM: Final[dict[str, type[BaseModel]]] = {
    "TaiLieuNop": PortalDocument,
    "DanhSachLePhi": PortalFee,
    "DanhSachGiayToKetQua": PortalResult,
    "DanhSachHoSoBoSung": PortalSupplement,
    "DSKetNoiCSDL": PortalDatabase,
}


def read_portal_record(data: PortalRecord | Mapping[str, Any] | str | bytes) -> PortalRecord:
    """Validate one portal record (a mapping, or its JSON text).

    >>> read_portal_record('{"MaHoSo": "X", "MaTTHC": "1.001193", "TrangThaiHoSo": 4}').status_code
    '4'
    >>> read_portal_record({"MaHoSo": "X", "MaTTHC": "1.001193", "TrangThaiHoSo": "4",
    ...                     "NgayTiepNhan": "2024-03-01"})
    Traceback (most recent call last):
    ...
    tthc.errors.PortalRecordError: portal record 'X', field NgayTiepNhan: expected yyyyMMddHHmmss in UTC+7, e.g. 20240301083000, got '2024-03-01'

    Raises:
        PortalRecordError: naming the record (MaHoSo), the first bad field (by its portal
            name) and the reason; every problem is listed in the message.
    """
    if isinstance(data, PortalRecord):
        return data
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise PortalRecordError("(record)", f"not valid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise PortalRecordError(
            "(record)", f"expected a JSON object, got {type(data).__name__}", value=data
        )
    try:
        return PortalRecord.model_validate(data)
    except ValidationError as exc:
        problems = exc.errors(include_url=False)
        code = data.get("MaHoSo", data.get("code"))
        first = problems[0]
        field = _alias_path(PortalRecord, tuple(first["loc"]))
        reason = str(first["msg"])
        if len(problems) > 1:
            reason += "; also " + "; ".join(
                f"{_alias_path(PortalRecord, tuple(p['loc']))}: {p['msg']}" for p in problems[1:]
            )
        raise PortalRecordError(
            field, reason, value=first.get("input"), record=str(code) if code else None
        ) from None


def portal_record_json_schema() -> dict[str, Any]:
    """The JSON Schema of the portal record as ``tthc`` writes it (portal field names,
    instants as ``yyyyMMddHHmmss``). The same schema is committed in the package as
    :data:`SCHEMA_FILE`.

    >>> schema = portal_record_json_schema()
    >>> schema["properties"]["NgayTiepNhan"]["anyOf"][0]["pattern"]
    '^[0-9]{14}$'
    >>> sorted(schema["required"])
    ['MaHoSo', 'MaTTHC', 'TrangThaiHoSo']
    """
    schema = PortalRecord.model_json_schema(by_alias=True, mode="serialization")
    schema["title"] = "PortalRecord"
    return schema


def committed_schema() -> dict[str, Any]:
    """The schema file shipped in the package (:data:`SCHEMA_FILE`)."""
    text = resources.files("tthc.portal").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
