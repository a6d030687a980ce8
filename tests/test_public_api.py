"""The public surface: everything in ``tthc.__all__`` exists, is documented, and is typed."""

from __future__ import annotations

import inspect
from importlib import resources

import tthc


def test_all_names_exist_and_are_unique() -> None:
    assert len(tthc.__all__) == len(set(tthc.__all__))
    for name in tthc.__all__:
        assert hasattr(tthc, name), name


def test_public_callables_have_docstrings() -> None:
    for name in tthc.__all__:
        obj = getattr(tthc, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"tthc.{name} has no docstring"


def test_public_functions_have_examples() -> None:
    for name in tthc.__all__:
        obj = getattr(tthc, name)
        if inspect.isfunction(obj):
            assert ">>>" in (inspect.getdoc(obj) or ""), f"tthc.{name} has no example"


def test_ships_py_typed() -> None:
    assert resources.files("tthc").joinpath("py.typed").is_file()


def test_version() -> None:
    assert tthc.__version__.count(".") == 2
