"""Enumerations with Vietnamese and English labels.

Every enum value is a stable English ``snake_case`` string (what JSON and the interchange format
store). Each member also carries a Vietnamese label with diacritics (``label_vi``) and an English
one (``label_en``); :meth:`LabelledEnum.parse` accepts the value, either label or a known alias,
ignoring case and surrounding space.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Self, cast

from tthc.errors import InvalidInputError

__all__ = [
    "AdministrativeLevel",
    "Channel",
    "DossierStatus",
    "EventKind",
    "LabelledEnum",
    "OnlineServiceLevel",
    "TimeLimitUnit",
]

_Labels = tuple[str, str, tuple[str, ...]]
LABELS: dict[type[LabelledEnum], dict[str, _Labels]] = {}
SPELLINGS: dict[type[LabelledEnum], dict[str, LabelledEnum]] = {}
"""Per enum: normalised value, label or alias -> member (built once by :func:`register_labels`)."""


def fold_text(text: str) -> str:
    """NFC, case-folded, runs of white space collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def fold_spelling(text: str) -> str:
    """:func:`fold_text`, with ``_`` read as a space (so ``working_days`` matches ``working days``)."""
    return fold_text(text.replace("_", " "))


class LabelledEnum(StrEnum):
    """Base class: a string enum whose members carry Vietnamese and English labels."""

    @property
    def label_vi(self) -> str:
        """Vietnamese label, with diacritics."""
        return LABELS[type(self)][self.value][0]

    @property
    def label_en(self) -> str:
        """English label."""
        return LABELS[type(self)][self.value][1]

    @property
    def label(self) -> str:
        """Both labels, ``"Vietnamese (English)"``, for user-facing output."""
        return f"{self.label_vi} ({self.label_en})"

    @classmethod
    def parse(cls, text: str | Self) -> Self:
        """Read a member from its value, a label or an alias (case-insensitive).

        >>> Channel.parse("Trực tuyến")
        <Channel.ONLINE: 'online'>
        >>> Channel.parse("in person")
        <Channel.DIRECT: 'direct'>

        Raises:
            InvalidInputError: naming the accepted spellings.
        """
        if isinstance(text, cls):
            return text
        member = SPELLINGS[cls].get(fold_spelling(str(text)))
        if member is not None:
            return cast(Self, member)
        accepted = ", ".join(f"{v!r} ({vi})" for v, (vi, _en, _a) in LABELS[cls].items())
        raise InvalidInputError(f"unknown {cls.__name__} {text!r}; expected one of {accepted}")


def register_labels(cls: type[LabelledEnum], labels: dict[str, _Labels]) -> None:
    missing = {m.value for m in cls} ^ set(labels)
    if missing:  # pragma: no cover - a programming error caught at import
        raise RuntimeError(f"{cls.__name__} labels do not match members: {missing}")
    lookup: dict[str, LabelledEnum] = {}
    for value, (vi, en, aliases) in labels.items():
        member = cls(value)
        for spelling in (value, vi, en, *aliases):
            if lookup.setdefault(fold_spelling(spelling), member) is not member:  # pragma: no cover
                raise RuntimeError(f"{cls.__name__}: {spelling!r} names two members")
    LABELS[cls] = labels
    SPELLINGS[cls] = lookup


class Channel(LabelledEnum):
    """Submission channel (cách thức thực hiện / kênh nộp hồ sơ)."""

    DIRECT = "direct"
    ONLINE = "online"
    POSTAL = "postal"


register_labels(
    Channel,
    {
        "direct": ("Trực tiếp", "In person", ("nộp trực tiếp", "in-person", "paper")),
        "online": ("Trực tuyến", "Online", ("nộp trực tuyến", "dịch vụ công trực tuyến")),
        "postal": ("Bưu chính", "Postal", ("dịch vụ bưu chính", "bưu chính công ích", "post")),
    },
)


class OnlineServiceLevel(LabelledEnum):
    """Online public-service level (Decree 118/2025/NĐ-CP Art. 36(2), 38(1)(c))."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


register_labels(
    OnlineServiceLevel,
    {
        "full": ("Dịch vụ công trực tuyến toàn trình", "Full online service", ("toàn trình",)),
        "partial": ("Dịch vụ công trực tuyến một phần", "Partial online service", ("một phần",)),
        "none": ("Không trực tuyến", "Not online", ("thông tin trực tuyến",)),
    },
)


class AdministrativeLevel(LabelledEnum):
    """Implementing level (cấp thực hiện).

    Since 1/7/2025 local government has two levels, province and commune; ``district`` is kept
    for data recorded before that date.
    """

    MINISTRY = "ministry"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


register_labels(
    AdministrativeLevel,
    {
        "ministry": ("Cấp Bộ", "Ministry", ("bộ", "trung ương", "central")),
        "province": ("Cấp Tỉnh", "Province", ("tỉnh", "provincial")),
        "district": ("Cấp Huyện", "District (before 1/7/2025)", ("huyện", "district")),
        "commune": ("Cấp Xã", "Commune / ward", ("xã", "phường", "ward", "commune/ward")),
    },
)


class TimeLimitUnit(LabelledEnum):
    """Unit of a procedure's time limit (thời hạn giải quyết)."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"
    SAME_DAY = "same_day"


register_labels(
    TimeLimitUnit,
    {
        "working_days": ("ngày làm việc", "working days", ()),
        "working_hours": ("giờ làm việc", "working hours", ()),
        "calendar_days": ("ngày", "days", ("calendar days",)),
        "months": ("tháng", "months", ()),
        "same_day": ("trong ngày", "same day", ()),
    },
)


class DossierStatus(LabelledEnum):
    """Where a dossier (hồ sơ) stands; the report interchange format's ``status`` column."""

    RECEIVED = "received"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    PAUSED = "paused"
    COMPLETED = "completed"
    RETURNED = "returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def is_finished(self) -> bool:
        """True for the end states that carry a ``finished_at`` instant.

        >>> DossierStatus.RETURNED.is_finished, DossierStatus.PAUSED.is_finished
        (True, False)
        """
        return self in _FINISHED


_FINISHED = frozenset(
    {
        DossierStatus.COMPLETED,
        DossierStatus.RETURNED,
        DossierStatus.REFUSED,
        DossierStatus.WITHDRAWN,
    }
)

register_labels(
    DossierStatus,
    {
        "received": ("Mới tiếp nhận", "Received", ("đã tiếp nhận", "tiếp nhận", "new")),
        "processing": ("Đang xử lý", "Processing", ("đang giải quyết", "in progress")),
        "supplement_requested": (
            "Chờ bổ sung",
            "Supplement requested",
            ("yêu cầu bổ sung", "chờ bổ sung hồ sơ", "bổ sung"),
        ),
        "paused": ("Tạm dừng", "Paused", ("tạm ngừng",)),
        "completed": ("Đã giải quyết", "Completed", ("hoàn thành", "đã xử lý xong", "done")),
        "returned": ("Đã trả kết quả", "Result returned", ("trả kết quả", "result returned")),
        "refused": ("Từ chối", "Refused", ("từ chối giải quyết", "không giải quyết")),
        "withdrawn": (
            "Rút hồ sơ",
            "Withdrawn",
            ("công dân rút hồ sơ", "dừng xử lý", "stopped", "withdrawn/stopped"),
        ),
    },
)


class EventKind(LabelledEnum):
    """Kinds of event on a dossier's timeline."""

    RECEIVED = "received"
    TRANSFERRED = "transferred"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENT_RECEIVED = "supplement_received"
    PAUSED = "paused"
    RESUMED = "resumed"
    REAPPOINTED = "reappointed"
    COMPLETED = "completed"
    RESULT_RETURNED = "result_returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


register_labels(
    EventKind,
    {
        "received": ("Tiếp nhận hồ sơ", "Received", ()),
        "transferred": ("Chuyển hồ sơ", "Transferred", ("luân chuyển",)),
        "supplement_requested": ("Yêu cầu bổ sung", "Supplement requested", ()),
        "supplement_received": ("Nhận hồ sơ bổ sung", "Supplement received", ()),
        "paused": ("Tạm dừng", "Paused", ()),
        "resumed": ("Tiếp tục xử lý", "Resumed", ()),
        "reappointed": ("Hẹn lại ngày trả kết quả", "Re-appointed", ("xin lỗi và hẹn lại",)),
        "completed": ("Có kết quả", "Completed", ("hoàn thành",)),
        "result_returned": ("Trả kết quả", "Result returned", ()),
        "refused": ("Từ chối giải quyết", "Refused", ()),
        "withdrawn": ("Rút hồ sơ / dừng xử lý", "Withdrawn / stopped", ()),
    },
)
