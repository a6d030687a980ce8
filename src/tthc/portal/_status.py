"""The portal's status codes (TrangThaiHoSo) and their meaning in ``tthc``.

**The numbering is not confirmed.** The domain guide (section 10) found the field in integrating
systems' sync code, but no published table of its codes; the default mapping below is the
numbering as recalled from portal integration documents and must be checked against the
portal's own specification before records are synced. It is a typed, overridable object: pass
your own :class:`PortalStatusMap` (or :meth:`PortalStatusMap.extended`) wherever a mapping is
taken, and a code it does not know is refused by name, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from tthc.errors import PortalRecordError
from tthc.lifecycle import LifecycleState
from tthc.models import DossierStatus

__all__ = ["DEFAULT_STATUS_MAP", "PortalStatusMap"]

_S = LifecycleState


class PortalStatusMap(BaseModel):
    """How the portal's status codes (TrangThaiHoSo) map to ``tthc``'s lifecycle states.

    ``codes`` maps each portal code to a :class:`~tthc.lifecycle.LifecycleState` (its
    :attr:`~tthc.lifecycle.LifecycleState.status` is the :class:`~tthc.DossierStatus`);
    ``new`` marks a code of a dossier that was **not received** (submitted online and not yet
    accepted, or not accepted at reception), which ``tthc`` has no dossier for. Several codes
    may map to one state; writing a record uses the first code of a state (:meth:`code_for`).
    ``names`` gives the portal's wording of each code, ``source`` where the table comes from,
    ``confirmed`` whether it was checked against the portal's specification.

    >>> DEFAULT_STATUS_MAP.state_for("9").value, DEFAULT_STATUS_MAP.code_for("result_returned")
    ('completed', '10')
    >>> ward = DEFAULT_STATUS_MAP.extended({"12": "refused"}, names={"12": "Từ chối (tỉnh X)"})
    >>> ward.status_for("12").value
    'refused'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    codes: dict[str, LifecycleState]
    names: dict[str, str] = {}
    source: str
    confirmed: bool = False

    @field_validator("codes", mode="before")
    @classmethod
    def _parse_states(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {
                str(k).strip(): v if isinstance(v, LifecycleState) else LifecycleState.parse(str(v))
                for k, v in value.items()
            }
        return value

    @model_validator(mode="after")
    def _check(self) -> PortalStatusMap:
        if not self.codes:
            raise ValueError("a status map needs at least one code")
        unknown = sorted(set(self.names) - set(self.codes))
        if unknown:
            raise ValueError(f"names given for codes that are not mapped: {unknown}")
        return self

    def _unknown(self, code: str, record: str | None, hint: str | None) -> PortalRecordError:
        """The error for a code this mapping does not know: the one message, whoever reads it;
        ``hint`` says how to extend the mapping (default: from Python, :meth:`extended`)."""
        known = ", ".join(f"{c} ({self.names.get(c, s.value)})" for c, s in self.codes.items())
        if hint is None:
            hint = f"extend it, e.g. DEFAULT_STATUS_MAP.extended({{{code!r}: '<lifecycle state>'}})"
        return PortalRecordError(
            "TrangThaiHoSo",
            f"unknown status code {code!r} in the status mapping ({self.source}); {hint}; "
            f"known: {known}",
            value=code,
            record=record,
        )

    def state_for(
        self, code: object, *, record: str | None = None, hint: str | None = None
    ) -> LifecycleState:
        """The lifecycle state of portal status ``code`` (``new``: not received). ``hint``
        says, in the error for an unknown code, how to extend the mapping where the caller
        reads codes (a command line names its option); by default, the Python call.

        >>> for hint in (None, "map it with --status-map FILE"):
        ...     try:
        ...         DEFAULT_STATUS_MAP.state_for("99", hint=hint)
        ...     except PortalRecordError as exc:
        ...         print(exc.reason.split("; ")[1])
        extend it, e.g. DEFAULT_STATUS_MAP.extended({'99': '<lifecycle state>'})
        map it with --status-map FILE

        Raises:
            PortalRecordError: an unknown code, naming TrangThaiHoSo and this mapping.
        """
        key = str(code).strip()
        state = self.codes.get(key)
        if state is None:
            raise self._unknown(key, record, hint)
        return state

    def status_for(
        self, code: object, *, record: str | None = None, hint: str | None = None
    ) -> DossierStatus:
        """The :class:`~tthc.DossierStatus` of portal status ``code`` (``hint``: as for
        :meth:`state_for`).

        Raises:
            PortalRecordError: an unknown code, or a code of a dossier that was not received.
        """
        key = str(code).strip()
        status = self.state_for(key, record=record, hint=hint).status
        if status is None:
            name = self.names.get(key, "not received")
            raise PortalRecordError(
                "TrangThaiHoSo",
                f"status {key!r} ({name}) is a dossier that was not received; it has no "
                "tthc dossier and no report row",
                value=key,
                record=record,
            )
        return status

    def code_for(self, state: LifecycleState | str, *, record: str | None = None) -> str:
        """The portal code written for lifecycle ``state`` (the first code mapped to it).

        Raises:
            PortalRecordError: no code of this mapping means ``state``.
        """
        wanted = LifecycleState.parse(state)
        for code, mapped in self.codes.items():
            if mapped is wanted:
                return code
        raise PortalRecordError(
            "TrangThaiHoSo",
            f"the status mapping ({self.source}) has no code for lifecycle state "
            f"{wanted.value!r}; extend it with one",
            value=wanted.value,
            record=record,
        )

    def extended(
        self,
        codes: Mapping[str, LifecycleState | str],
        *,
        names: Mapping[str, str] | None = None,
        source: str | None = None,
    ) -> PortalStatusMap:
        """A new mapping with ``codes`` added (or replacing existing ones); ``confirmed`` is
        False unless every code of the result came from a confirmed mapping.

        Raises:
            ValidationError: an unknown lifecycle state.
        """
        merged: dict[str, Any] = {**self.codes, **{str(k): v for k, v in codes.items()}}
        merged_names = {**self.names, **(names or {})}
        return PortalStatusMap(
            codes=merged,
            names={k: v for k, v in merged_names.items() if k in merged},
            source=source or f"{self.source}, extended",
            confirmed=False,
        )


DEFAULT_STATUS_MAP: Final = PortalStatusMap(
    codes={
        "1": _S.NEW,
        "2": _S.RECEIVED,
        "3": _S.NEW,
        "4": _S.PROCESSING,
        "5": _S.SUPPLEMENT_REQUESTED,
        "6": _S.PAUSED,
        "7": _S.WITHDRAWN,
        "8": _S.CLOSED,
        "9": _S.COMPLETED,
        "10": _S.RESULT_RETURNED,
        "11": _S.REFUSED,
    },
    names={
        "1": "Mới đăng ký (nộp trực tuyến, chưa tiếp nhận)",
        "2": "Được tiếp nhận",
        "3": "Không được tiếp nhận",
        "4": "Đang xử lý",
        "5": "Yêu cầu bổ sung hồ sơ",
        "6": "Chờ thực hiện nghĩa vụ tài chính",
        "7": "Công dân yêu cầu rút hồ sơ",
        "8": "Dừng xử lý",
        "9": "Đã xử lý xong",
        "10": "Đã trả kết quả",
        "11": "Từ chối giải quyết (mã do tthc đặt, chưa thấy trong tài liệu)",
    },
    source="tthc default portal status numbering, NOT CONFIRMED (domain guide section 10)",
    confirmed=False,
)
"""The default, **unconfirmed** mapping of TrangThaiHoSo codes.

Codes 1–10 follow the numbering recalled from portal integration documents; no source of it was
available to check, and **code 11 (refusal) is a placeholder** chosen by ``tthc`` (the portal's
status list names "Từ chối" but no code for it was seen). "Dừng xử lý" (8) is ``closed`` when
the record's last supplement request is still pending (the dossier stopped for want of the
supplement) and ``withdrawn`` (stopped) otherwise. Confirm or replace the table with your
portal's specification (:meth:`PortalStatusMap.extended`, or a new :class:`PortalStatusMap`)."""
