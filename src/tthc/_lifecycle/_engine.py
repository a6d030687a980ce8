"""The deadline-engine functions the lifecycle uses, imported in one place."""

from __future__ import annotations

from tthc._calendar import WorkingCalendar

try:
    from tthc._calendar import DeadlinePolicy, due_at, extend_for_pause
except ImportError:  # TEMPORARY until the deadline engine lands
    from tthc._lifecycle._fallback import DeadlinePolicy, due_at, extend_for_pause  # type: ignore

__all__ = ["DeadlinePolicy", "WorkingCalendar", "due_at", "extend_for_pause"]
