"""The options a report is built with, in one object shared by every engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Final, TypedDict

from tthc._checks import check_type
from tthc._rules import DEFAULT_POLICY, ReportPolicy
from tthc.calendar import DeadlinePolicy, WorkingCalendar
from tthc.errors import InvalidInputError, ReportError
from tthc.report._dedup import DuplicateCheck

__all__ = ["DIMENSIONS", "DIMENSION_LABELS", "ReportOptionChanges", "ReportOptions"]

DIMENSIONS: Final[tuple[str, ...]] = ("unit", "domain", "agency", "procedure", "channel", "level")
"""What a report can be grouped by (one or several, in the order given). ``unit`` is the
reporting unit an input is counted for (:attr:`ReportOptions.unit`): merged reports of several
wards, or ``tthc report`` of several files, then give one row per ward."""

DIMENSION_LABELS: Final[dict[str, tuple[str, str]]] = {
    "unit": ("Đơn vị", "Unit"),
    "domain": ("Lĩnh vực", "Domain"),
    "agency": ("Cơ quan", "Agency"),
    "procedure": ("Thủ tục", "Procedure"),
    "channel": ("Kênh nộp", "Channel"),
    "level": ("Cấp thực hiện", "Level"),
}
"""Vietnamese and English column headings of the group dimensions."""


def _group_by(value: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [g for g in value.split(",") if g.strip()]
    elif not isinstance(value, Iterable):
        raise InvalidInputError(
            f"group_by must be dimension names, e.g. ('domain',) or 'domain,agency'; got "
            f"{type(value).__name__}"
        )
    dims = tuple(str(g).strip().lower() for g in value)
    bad = [d for d in dims if d not in DIMENSIONS]
    if bad or not dims or len(set(dims)) != len(dims):
        raise ReportError(
            f"cannot group by {','.join(dims) or 'nothing'}: choose one or more distinct of "
            + ", ".join(DIMENSIONS)
        )
    return dims


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How a report is built: the one set of options shared by
    :func:`~tthc.report.build_report`, :func:`~tthc.report.build_report_dask`,
    :func:`~tthc.report.build_report_columnar` and :class:`~tthc.report.ReportBuilder`.

    Each of those functions takes ``options`` and also accepts any field as a keyword
    (``build_report(rows, "2024-Q1", group_by="agency")``), which replaces that field. Wrong
    types are refused here, at the edge, naming the parameter.

    * ``group_by``: dimensions among :data:`DIMENSIONS` (a tuple, or ``"domain,agency"``);
    * ``policy``: the :class:`~tthc.report.ReportPolicy` (counting choices);
    * ``calendar``: the :class:`~tthc.calendar.WorkingCalendar` for due dates computed from
      ``time_limit``, paused dossiers and processing time (``None``: the national calendar);
    * ``deadline_policy``: the :class:`~tthc.calendar.DeadlinePolicy` for due dates computed
      from ``time_limit`` (``None``: the default policy);
    * ``check_duplicates``: reject a repeated dossier code (``True``, ``False`` or a
      :class:`~tthc.report.DuplicateCheck` for bounded memory settings);
    * ``unit``: the reporting unit's name, for titles ("UBND phường Nghi Hương").

    >>> ReportOptions(group_by="domain, agency").group_by
    ('domain', 'agency')
    >>> ReportOptions(calendar="vietnam")
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: calendar must be a tthc.calendar.WorkingCalendar or None, got str 'vietnam'
    """

    group_by: tuple[str, ...] = ("domain",)
    policy: ReportPolicy = field(default=DEFAULT_POLICY)
    calendar: WorkingCalendar | None = None
    deadline_policy: DeadlinePolicy | None = None
    check_duplicates: bool | DuplicateCheck = True
    unit: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "group_by", _group_by(self.group_by))
        if self.policy is None:
            object.__setattr__(self, "policy", DEFAULT_POLICY)
        check_type(self.policy, ReportPolicy, "policy", "a tthc.report.ReportPolicy or None")
        check_type(
            self.calendar, WorkingCalendar, "calendar", "a tthc.calendar.WorkingCalendar or None"
        )
        check_type(
            self.deadline_policy,
            DeadlinePolicy,
            "deadline_policy",
            "a tthc.calendar.DeadlinePolicy or None",
        )
        check_type(
            self.check_duplicates,
            (bool, DuplicateCheck),
            "check_duplicates",
            "True, False or a tthc.report.DuplicateCheck",
            optional=False,
        )
        check_type(self.unit, str, "unit", "a string or None")

    @classmethod
    def of(cls, options: ReportOptions | None = None, **changes: object) -> ReportOptions:
        """``options`` (default: the defaults) with ``changes`` applied; unknown names refused.

        >>> ReportOptions.of(None, unit="UBND phường Nghi Hương").unit
        'UBND phường Nghi Hương'
        """
        base = cls() if options is None else options
        if not isinstance(base, ReportOptions):
            raise InvalidInputError(
                f"options must be a tthc.report.ReportOptions or None, got {type(base).__name__}"
            )
        unknown = sorted(set(changes) - set(ReportOptionChanges.__annotations__))
        if unknown:
            raise InvalidInputError(
                f"unknown report option(s) {', '.join(unknown)}; the options are "
                + ", ".join(ReportOptionChanges.__annotations__)
            )
        return replace(base, **changes) if changes else base  # type: ignore[arg-type]

    @property
    def working_calendar(self) -> WorkingCalendar:
        """The calendar in use: :attr:`calendar`, or the national one."""
        return self.calendar if self.calendar is not None else WorkingCalendar.vietnam()


class ReportOptionChanges(TypedDict, total=False):
    """The fields of :class:`ReportOptions`, as keyword arguments of the report functions
    (a test checks the two lists agree)."""

    group_by: Iterable[str] | str
    policy: ReportPolicy | None
    calendar: WorkingCalendar | None
    deadline_policy: DeadlinePolicy | None
    check_duplicates: bool | DuplicateCheck
    unit: str | None
