"""One portal record (a plain dict, as parsed from JSON) as interchange-format cells, fast.

For readers that take the portal's records as a report input: no pydantic model is built, each
field is read and checked once, and every bad value raises :class:`~tthc.errors.PortalRecordError`
naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from tthc.errors import PortalRecordError
from tthc.portal._mapping import CHANNEL_CODES
from tthc.portal._record import _INSTANT_DIGITS
from tthc.portal._status import DEFAULT_STATUS_MAP, PortalStatusMap

__all__ = ["CELL_COLUMNS", "record_cells"]

CELL_COLUMNS: Final = (
    "code",
    "domain",
    "channel",
    "received_at",
    "status",
    "due_at",
    "finished_at",
    "agency",
    "procedure_code",
    "procedure_name",
    "supplement_requests",
    "supplement_requested_at",
    "supplement_received_at",
    "synced",
    "paid_online",
    "fee",
    "e_result",
    "digitised",
    "reused_data",
    "from_citizen_store",
    "vneid",
)
"""The interchange columns :func:`record_cells` fills, in this order."""

_CHANNELS: Final = {code: channel.value for channel, code in CHANNEL_CODES.items()}
"""KenhThucHien code -> interchange channel: :data:`~tthc.portal.CHANNEL_CODES` read backwards."""
_CHANNEL_CHOICES: Final = ", ".join(sorted(_CHANNELS)[:-1]) + " or " + max(_CHANNELS)
"""The codes for messages: ``1, 2 or 3``."""
_FLAGS: Final = frozenset({"0", "1"})
_PAYMENTS: Final = frozenset({"0", "1", "2"})


def _fail(field: str, reason: str, value: object, code: str | None) -> PortalRecordError:
    return PortalRecordError(field, reason, value=value, record=code)


def _code_text(value: object) -> str | None:
    """A code given as a string or an integer, as text (``None`` for anything else)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _text(value: object) -> str:
    """A label cell: the text, trimmed; ``""`` when absent."""
    if type(value) is str:
        return value.strip()
    return _code_text(value) or ""


def _instant(value: object, field: str, code: str | None) -> str:
    """ISO 8601 (``2024-03-01T08:30:00+07:00``) of a ``yyyyMMddHHmmss`` instant; ``""`` when
    absent (missing, ``null`` or empty)."""
    if value is None or value == "":
        return ""
    text = value if type(value) is str else _code_text(value)
    if text is not None and len(text) == _INSTANT_DIGITS and text.isascii() and text.isdigit():
        try:  # C-level check that the date and time exist ("20240230…" does not)
            _fromisoformat(f"{text[:8]}T{text[8:]}")
        except ValueError:
            raise _fail(field, f"{text} is not a real date and time", value, code) from None
        return f"{text[0:4]}-{text[4:6]}-{text[6:8]}T{text[8:10]}:{text[10:12]}:{text[12:14]}+07:00"
    raise _fail(
        field, f"expected yyyyMMddHHmmss (UTC+7), e.g. 20240301083000, got {value!r}", value, code
    )


_fromisoformat = dt.datetime.fromisoformat


_FLAG_VALUES: Final[dict[object, str]] = {None: "", "": "", "0": "0", "1": "1", 0: "0", 1: "1"}
_PAYMENT_VALUES: Final[dict[object, str]] = {**_FLAG_VALUES, "2": "2", 2: "2"}


def _flag(value: object, field: str, code: str | None, allowed: frozenset[str] = _FLAGS) -> str:
    if value is None or value == "":
        return ""
    text = ("1" if value else "0") if isinstance(value, bool) else _code_text(value)
    if text not in allowed:
        raise _fail(
            field, f"expected one of {', '.join(sorted(allowed))}, got {value!r}", value, code
        )
    return text


def _flag_fast(
    value: object, field: str, code: str, table: dict[object, str], allowed: frozenset[str]
) -> str:
    # Fast path: the usual spellings are one dict lookup (True/False hash as 1/0).
    try:
        return table[value]
    except (KeyError, TypeError):
        return _flag(value, field, code, allowed)


def _list(
    record: Mapping[str, Any], field: str, code: str | None
) -> list[Mapping[str, Any]] | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise _fail(field, "expected a list of objects", value, code)
    return value


def _amount(value: object, field: str, code: str | None) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        amount = value
    elif isinstance(value, float) and value.is_integer():
        amount = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        amount = int(value.strip())
    else:
        raise _fail(field, f"expected a whole amount in đồng, got {value!r}", value, code)
    if amount < 0:
        raise _fail(field, f"an amount cannot be negative, got {value!r}", value, code)
    return amount


def record_cells(
    record: Mapping[str, object],
    *,
    status_map: PortalStatusMap = DEFAULT_STATUS_MAP,
    status_hint: str | None = None,
) -> dict[str, str]:
    """One portal record (a dict as parsed from JSON) as interchange-format cells.
    ``status_hint`` says how to extend ``status_map`` in the error for an unknown status code
    (:meth:`PortalStatusMap.state_for`; default: from Python).

    Every key of :data:`CELL_COLUMNS` is present, with a string value: instants in ISO 8601 at
    +07:00, ``""`` when the record does not give the value (unknown, not 0). How each cell is
    filled:

    * ``code`` MaHoSo (required); ``domain`` TenLinhVuc, else MaLinhVuc; ``agency`` DonViXuLy;
      ``procedure_code`` MaTTHC; ``procedure_name`` TenTTHC;
    * ``channel`` KenhThucHien 1/2/3 → ``direct``/``online``/``postal``;
    * ``status`` TrangThaiHoSo through ``status_map`` (**unconfirmed numbering**,
      :data:`DEFAULT_STATUS_MAP`) → a :class:`~tthc.DossierStatus` value;
    * ``received_at`` NgayTiepNhan, ``due_at`` NgayHenTra; ``finished_at`` NgayKetThucXuLy,
      else NgayTuChoi for a refused dossier and NgayTra for a returned one;
    * ``supplement_requests`` the number of DanhSachHoSoBoSung entries;
      ``supplement_requested_at`` / ``supplement_received_at`` the last request's NgayBoSung and
      NgayTiepNhanBoSung;
    * ``synced`` ``1`` (a record of the portal is synced); ``paid_online``
      DuocThanhToanTrucTuyen (0/1/2); ``fee`` the sum of DanhSachLePhi's Gia; ``e_result`` ``1``
      when a DanhSachGiayToKetQua entry has both MaGiayToKetQua and DuongDanTepTinKetQua;
      ``digitised`` HoSoCoThanhPhanSoHoa, else whether a TaiLieuNop file has DuocSoHoa = 1;
      ``reused_data`` / ``from_citizen_store`` whether a TaiLieuNop file has DuocTaiSuDung /
      DuocLayTuKhoDMQG = 1; ``vneid`` TaiKhoanDuocXacThucVoiVNeID.

    Flags and codes may be strings or numbers. A list that is absent leaves its cells empty; an
    empty list gives ``0``.

    >>> cells = record_cells({"MaHoSo": "000.17.22.H56-240301-0001", "TenLinhVuc": "Hộ tịch",
    ...     "KenhThucHien": 2, "TrangThaiHoSo": "10", "NgayTiepNhan": "20240301080000",
    ...     "NgayHenTra": "20240306170000", "NgayKetThucXuLy": "20240304100000",
    ...     "DanhSachLePhi": [{"Gia": 8000}], "DuocThanhToanTrucTuyen": "1"})
    >>> cells["channel"], cells["status"], cells["finished_at"], cells["fee"], cells["vneid"]
    ('online', 'returned', '2024-03-04T10:00:00+07:00', '8000', '')

    Raises:
        PortalRecordError: naming the record (MaHoSo), the field and the bad value: a missing
            MaHoSo or TrangThaiHoSo, an unknown status code (naming the mapping to extend), a
            code of a dossier that was not received, a channel other than 1/2/3, an instant
            not ``yyyyMMddHHmmss``, a flag other than 0/1, a negative or fractional fee.
    """
    if not isinstance(record, Mapping):
        raise _fail(
            "(record)", f"expected a JSON object, got {type(record).__name__}", record, None
        )
    get = record.get
    raw_code = get("MaHoSo")
    code = _code_text(raw_code)
    if not code:
        raise _fail("MaHoSo", "the dossier code is missing", raw_code, None)
    status_raw = get("TrangThaiHoSo")
    status_code = _code_text(status_raw)
    if not status_code:
        raise _fail("TrangThaiHoSo", "the status code is missing", status_raw, code)
    status = status_map.status_for(status_code, record=code, hint=status_hint).value

    channel_raw = get("KenhThucHien")
    channel = ""
    if channel_raw is not None and channel_raw != "":
        channel = _CHANNELS.get(_code_text(channel_raw) or "", "")
        if not channel:
            raise _fail(
                "KenhThucHien",
                f"expected {_CHANNEL_CHOICES}, got {channel_raw!r}",
                channel_raw,
                code,
            )

    finished = _instant(get("NgayKetThucXuLy"), "NgayKetThucXuLy", code)
    if not finished and status == "refused":
        finished = _instant(get("NgayTuChoi"), "NgayTuChoi", code)
    if not finished and status == "returned":
        finished = _instant(get("NgayTra"), "NgayTra", code)

    supplements = _list(record, "DanhSachHoSoBoSung", code)
    requests = requested = resubmitted = ""
    if supplements is not None:
        requests = str(len(supplements))
        latest: tuple[str, str] = ("", "")
        for i, sup in enumerate(supplements):
            asked = _instant(sup.get("NgayBoSung"), f"DanhSachHoSoBoSung[{i}].NgayBoSung", code)
            if not asked:
                raise _fail(
                    f"DanhSachHoSoBoSung[{i}].NgayBoSung",
                    "the request instant is missing",
                    None,
                    code,
                )
            back = _instant(
                sup.get("NgayTiepNhanBoSung"), f"DanhSachHoSoBoSung[{i}].NgayTiepNhanBoSung", code
            )
            if asked >= latest[0]:  # ISO strings at one offset order as instants
                latest = (asked, back)
        requested, resubmitted = latest

    fee = ""
    fees = _list(record, "DanhSachLePhi", code)
    if fees is not None:
        fee = str(
            sum(_amount(f.get("Gia"), f"DanhSachLePhi[{i}].Gia", code) for i, f in enumerate(fees))
        )

    e_result = ""
    results = _list(record, "DanhSachGiayToKetQua", code)
    if results is not None:
        e_result = (
            "1"
            if any(r.get("MaGiayToKetQua") and r.get("DuongDanTepTinKetQua") for r in results)
            else "0"
        )

    documents = _list(record, "TaiLieuNop", code)
    digitised = _flag_fast(
        get("HoSoCoThanhPhanSoHoa"), "HoSoCoThanhPhanSoHoa", code, _FLAG_VALUES, _FLAGS
    )
    reused = from_store = ""
    if documents is not None:
        marks = {"DuocSoHoa": "0", "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0"}
        for i, doc in enumerate(documents):
            for key in marks:
                if (
                    _flag_fast(doc.get(key), f"TaiLieuNop[{i}].{key}", code, _FLAG_VALUES, _FLAGS)
                    == "1"
                ):
                    marks[key] = "1"
        digitised = digitised or marks["DuocSoHoa"]
        reused, from_store = marks["DuocTaiSuDung"], marks["DuocLayTuKhoDMQG"]

    return {
        "code": code,
        "domain": _text(get("TenLinhVuc")) or _text(get("MaLinhVuc")),
        "channel": channel,
        "received_at": _instant(get("NgayTiepNhan"), "NgayTiepNhan", code),
        "status": status,
        "due_at": _instant(get("NgayHenTra"), "NgayHenTra", code),
        "finished_at": finished,
        "agency": _text(get("DonViXuLy")),
        "procedure_code": _text(get("MaTTHC")),
        "procedure_name": _text(get("TenTTHC")),
        "supplement_requests": requests,
        "supplement_requested_at": requested,
        "supplement_received_at": resubmitted,
        "synced": "1",
        "paid_online": _flag(
            get("DuocThanhToanTrucTuyen"), "DuocThanhToanTrucTuyen", code, _PAYMENTS
        ),
        "fee": fee,
        "e_result": e_result,
        "digitised": digitised,
        "reused_data": reused,
        "from_citizen_store": from_store,
        "vneid": _flag_fast(
            get("TaiKhoanDuocXacThucVoiVNeID"),
            "TaiKhoanDuocXacThucVoiVNeID",
            code,
            _FLAG_VALUES,
            _FLAGS,
        ),
    }
