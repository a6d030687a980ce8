"""What ``import tthc`` and the CLI's start-up load (the structure, not the time: the time is
``benchmarks/bench_startup.py``): names load on first use, each from its public home;
``tthc --help``/``--version`` build no calendar; a sub-command loads only its own module."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

import tthc
from tthc._cli import COMMANDS, _command_of, _parser, build_parser


def _fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter; its standard output."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_import_tthc_loads_no_sub_package() -> None:
    out = _fresh("import sys, tthc; print(sorted(m for m in sys.modules if m.startswith('tthc')))")
    assert out == "['tthc', 'tthc._version']"


def test_names_load_on_first_use_from_their_public_home() -> None:
    out = _fresh(
        "import tthc\n"
        "print(tthc.Report.__module__, tthc.TimeLimit.__module__, tthc.now.__module__,"
        " tthc.TthcError.__module__, tthc.report.read_csv.__module__, tthc.VN_TZ.utcoffset(None))"
    )
    assert out == "tthc.report tthc.calendar tthc tthc.errors tthc.report 7:00:00"


@pytest.mark.parametrize("name", tthc.__all__)
def test_every_top_level_name_resolves_in_a_fresh_process(name: str) -> None:
    out = _fresh(f"import tthc; v = tthc.{name}; print(getattr(v, '__module__', 'constant'))")
    assert out == "constant" or not any(p.startswith("_") for p in out.split("."))


@pytest.mark.parametrize("name", sorted(tthc._SUBPACKAGES))
def test_sub_packages_are_attributes_without_an_import(name: str) -> None:
    assert _fresh(f"import tthc; print(tthc.{name}.__name__)") == f"tthc.{name}"


def test_from_import_of_a_top_level_name() -> None:
    assert _fresh("from tthc import due_at, Period; print(due_at.__module__)") == "tthc.calendar"


def test_dir_lists_the_lazy_names() -> None:
    assert set(tthc.__all__) | tthc._SUBPACKAGES <= set(dir(tthc))


def test_help_and_version_build_no_calendar() -> None:
    out = _fresh(
        "import contextlib, io, sys\n"
        "from tthc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--version']) == 0\n"
        "    assert main(['--help']) == 0\n"
        "print(sorted(m for m in ('tthc.calendar', 'holidays.countries', 'tthc.report',"
        " 'tthc.models', 'pydantic.main') if m in sys.modules))"
    )
    assert out == "[]"


def test_a_sub_command_loads_only_its_module() -> None:
    out = _fresh(
        "import contextlib, io, sys\n"
        "from tthc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['due', '2024-02-07 10:00', '02 ngày làm việc']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('tthc._cli.')))"
    )
    assert out == "['tthc._cli._calendar', 'tthc._cli._common', 'tthc._cli._exit']"


def _sub_commands(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {a.dest: a.help for a in action._choices_actions}
    raise AssertionError("no sub-commands")


def test_command_table_matches_the_modules() -> None:
    # names, order and help of every sub-command, as the modules register them
    assert _sub_commands(build_parser()) == {c: h for c, (_r, h) in COMMANDS.items()}


def test_top_level_help_is_the_same_without_loading_the_modules() -> None:
    lazy = _parser(lambda command: False)
    assert lazy.format_help() == build_parser().format_help()
    assert _sub_commands(lazy) == _sub_commands(build_parser())


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], None),
        (["--help"], None),
        (["--debug", "report", "x.csv"], "report"),
        (["due", "--help"], "due"),
        (["--", "report"], None),
    ],
)
def test_command_of(argv: list[str], command: str | None) -> None:
    assert _command_of(argv) == command


def test_an_unknown_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli import EXIT_USAGE, main

    assert main(["nope"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "invalid choice: 'nope'" in err
    assert all(repr(c) in err for c in COMMANDS)


def test_importing_everything_loads_no_engine_and_builds_no_calendar() -> None:
    out = _fresh(
        "import sys, tthc\n"
        "for n in tthc.__all__: getattr(tthc, n)\n"
        "import tthc.catalog, tthc.cli, tthc.portal, tthc.report\n"
        "from tthc.calendar import _calendar\n"
        "print(sorted(m for m in ('duckdb', 'dask', 'openpyxl', 'pandas', 'pyarrow',"
        " 'holidays.countries') if m in sys.modules), _calendar._default_calendar.cache_info().currsize)"
    )
    assert out == "[] 0"
