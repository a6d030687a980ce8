"""Give public objects their public home as ``__module__`` (as httpx does).

The implementation of ``tthc.calendar.WorkingCalendar`` lives in a private module
(``tthc/calendar/_calendar.py``); reprs, tracebacks, pickles, the API reference and the test
collector should all name the public home instead. Each public sub-package calls
:func:`publish` on its ``__all__`` once, at import.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping

__all__ = ["DEFINED_IN", "publish"]

DEFINED_IN: dict[int, str] = {}
"""``id(object)`` → the private module that defines it, for every object :func:`publish`
relabelled: the test-suite's doctest collector uses it to run each docstring example with the
globals of the module that defines it."""


def _relabel(obj: object, private: str, public: str, seen: set[int]) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, types.FunctionType):
        if obj.__module__ == private:
            DEFINED_IN[id(obj)] = private
            obj.__module__ = public
        return
    if isinstance(obj, classmethod | staticmethod):
        _relabel(obj.__func__, private, public, seen)
        return
    if isinstance(obj, property):
        for accessor in (obj.fget, obj.fset, obj.fdel):
            if accessor is not None:
                _relabel(accessor, private, public, seen)
        return
    if isinstance(obj, type):
        if obj.__module__ == private:
            DEFINED_IN[id(obj)] = private
            obj.__module__ = public
            for member in list(vars(obj).values()):
                _relabel(member, private, public, seen)
        return
    # Wrappers: functools.cached_property (.func), pydantic's decorator proxies (.wrapped).
    for attribute in ("func", "wrapped"):
        inner = getattr(obj, attribute, None)
        if inner is not None:
            _relabel(inner, private, public, seen)


def publish(public: str, namespace: Mapping[str, object], names: Iterable[str]) -> None:
    """Set ``__module__`` to ``public`` on the classes and functions of ``names`` (and on the
    methods and properties of those classes) that are defined in a private module of ``tthc``.

    Objects defined elsewhere (re-exports from another public module) keep their own home.
    Module-level constants have no ``__module__`` and are left alone.

    >>> import tthc.calendar
    >>> tthc.calendar.WorkingCalendar.__module__, tthc.calendar.WorkingCalendar.sessions.__module__
    ('tthc.calendar', 'tthc.calendar')
    """
    seen: set[int] = set()
    for name in names:
        obj = namespace[name]
        origin = getattr(obj, "__module__", None)
        if not isinstance(origin, str) or not origin.startswith("tthc."):
            continue
        if not any(part.startswith("_") for part in origin.split(".")):
            continue  # already public (e.g. tthc.errors)
        if isinstance(obj, type | types.FunctionType):
            _relabel(obj, origin, public, seen)
