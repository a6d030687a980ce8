"""The deadline-engine functions the lifecycle uses, imported in one place."""

from __future__ import annotations

from tthc.calendar import DeadlinePolicy, WorkingCalendar, due_at, extend_for_pause

__all__ = ["DeadlinePolicy", "WorkingCalendar", "due_at", "extend_for_pause"]
