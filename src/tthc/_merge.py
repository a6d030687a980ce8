"""What merging two summaries of dossiers (a report, a service index) means, stated once:
they must agree on the period, the grouping, the counting policy and the working calendar,
and their counters add up group by group."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, Self, TypeVar

from tthc.errors import ReportError

__all__ = ["merged_groups"]


class _Counters(Protocol):
    def __add__(self, other: Self, /) -> Self: ...


C = TypeVar("C", bound=_Counters)
K = TypeVar("K")
C_co = TypeVar("C_co", bound=_Counters, covariant=True)


class _Summary(Protocol[K, C_co]):
    @property
    def period(self) -> object: ...
    @property
    def group_by(self) -> tuple[str, ...]: ...
    @property
    def policy(self) -> object: ...
    @property
    def calendar_fingerprint(self) -> str | None: ...
    @property
    def groups(self) -> Mapping[K, C_co]: ...


def merged_groups(
    mine: _Summary[K, C], other: _Summary[K, C], what: str, describe: Callable[[object], str]
) -> dict[K, C]:
    """The groups of ``mine`` and ``other`` added up, once they agree; ``what`` names them in
    messages ("reports"), ``describe`` tells one apart (period, grouping…).

    Raises:
        ReportError: they differ in period, grouping, policy or working calendar.
    """
    if (mine.period, mine.group_by, mine.policy) != (other.period, other.group_by, other.policy):
        raise ReportError(
            f"cannot merge {what} of different period, grouping or policy: "
            f"{describe(mine)} vs {describe(other)}"
        )
    if mine.calendar_fingerprint != other.calendar_fingerprint:
        raise ReportError(
            f"cannot merge {what} computed on different working calendars: fingerprint "
            f"{mine.calendar_fingerprint} vs {other.calendar_fingerprint}"
        )
    groups = dict(mine.groups)
    for key, counts in other.groups.items():
        have = groups.get(key)
        groups[key] = counts if have is None else have + counts
    return groups
