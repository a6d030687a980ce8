"""Root test configuration, shared by the tests and the docstring examples under ``src/``."""

from __future__ import annotations


def _collect_doctests_where_defined() -> None:
    """Run each docstring example of a public class or function with the globals of the private
    module that defines it (``tthc._public.publish`` gives these objects their public module as
    ``__module__``, which would otherwise move their examples to the public package, where the
    private module's imports are missing)."""
    import doctest

    from tthc._public import DEFINED_IN

    original = doctest.DocTestFinder._from_module

    def _from_module(self: doctest.DocTestFinder, module: object, obj: object) -> bool:
        origin = DEFINED_IN.get(id(obj))
        if origin is not None:
            return getattr(module, "__name__", None) == origin
        return bool(original(self, module, obj))  # type: ignore[arg-type]

    doctest.DocTestFinder._from_module = _from_module  # type: ignore[method-assign]


_collect_doctests_where_defined()
