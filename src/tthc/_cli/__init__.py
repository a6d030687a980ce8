"""The ``tthc`` command line.

Each concern registers its sub-commands from its own module (``_catalog``, ``_calendar``,
``_report``, ``_dossier``): a module exposes ``register(subparsers)`` and sets ``func`` on its
parsers; ``func(args)`` returns the exit status.

Sub-command modules are loaded on demand (:data:`COMMANDS`): :func:`main` imports only the
module of the command it runs (``tthc report`` does not import the lifecycle, the catalogue or
the form renderers it does not use), and ``tthc --help`` / ``tthc --version`` import none of
them — the top-level help lists every command from :data:`COMMANDS` alone. A test checks that
the table and the modules agree (names, order, help).

:func:`main` is the one error boundary: whatever goes wrong becomes one line on standard error
and a documented exit status (:mod:`tthc._cli._exit`); a Python traceback is printed only with
``--debug`` or ``TTHC_DEBUG=1``. SIGTERM is turned into an exit that runs every cleanup (partial
outputs and temporary files are removed), like Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeAlias

from tthc._cli._exit import (
    EXIT_BROKEN_PIPE,
    EXIT_EMPTY,
    EXIT_INPUT_PROBLEMS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
)
from tthc._version import __version__
from tthc.errors import TthcError

__all__ = [
    "DEBUG_ENVIRONMENT_VARIABLE",
    "EXIT_BROKEN_PIPE",
    "EXIT_EMPTY",
    "EXIT_INPUT_PROBLEMS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "build_parser",
    "main",
]

DEBUG_ENVIRONMENT_VARIABLE = "TTHC_DEBUG"
"""Set to ``1`` (or give ``--debug``) to get the Python traceback of a failure."""

if TYPE_CHECKING:
    _SubParsers: TypeAlias = argparse._SubParsersAction[Any]


def _register_catalog(sub: _SubParsers) -> None:
    from tthc._cli import _catalog

    _catalog.register(sub)


def _register_calendar(sub: _SubParsers) -> None:
    from tthc._cli import _calendar

    _calendar.register(sub)


def _register_dossier(sub: _SubParsers) -> None:
    from tthc._cli import _dossier

    _dossier.register(sub)


def _register_report(sub: _SubParsers) -> None:
    from tthc._cli import _report

    _report.register(sub)


def _register_index(sub: _SubParsers) -> None:
    from tthc._cli import _index

    _index.register(sub)


def _register_merge(sub: _SubParsers) -> None:
    from tthc._cli import _merge

    _merge.register(sub)


def _register_completion(sub: _SubParsers) -> None:
    from tthc._cli import _completion

    _completion.register(sub)


COMMANDS: dict[str, tuple[Callable[[_SubParsers], None], str]] = {
    "schema": (
        _register_catalog,
        "print the JSON Schema of a model (e.g. Dossier, Procedure) or of a form",
    ),
    "catalog": (_register_catalog, "list the bundled procedure catalogue"),
    "calendar": (
        _register_calendar,
        "list a year's days off and working Saturdays with their sources",
    ),
    "due": (_register_calendar, "compute a due instant (hạn trả kết quả) and show the rule used"),
    "dossier": (_register_dossier, "replay dossier timelines, print slips"),
    "report": (
        _register_report,
        "compliance report (Biểu số 06/VPCP/KSTT) from dossier exports",
    ),
    "demo": (
        _register_report,
        "the report of ward Nghi Hương, Q1 2024, from the bundled example data",
    ),
    "index": (
        _register_index,
        "the Decision 766/QĐ-TTg service index from dossier files (one per unit)",
    ),
    "merge": (
        _register_merge,
        "roll ward reports or service indexes (JSON from tthc report/index --format json) up "
        "into one",
    ),
    "completion": (_register_completion, "print a shell completion script (bash or zsh)"),
}
"""Every sub-command, in the order of ``tthc --help``: the function that registers it (with
the other commands of its module) and its one-line help, shown without loading the module."""


class _Terminated(SystemExit):
    """Raised in the main thread on SIGTERM, so that ``finally`` blocks and context managers
    (atomic outputs, spill files) clean up before the process exits."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command.

    >>> build_parser().parse_args(["calendar", "2026"]).command
    'calendar'
    """
    return _parser(lambda command: True)


def _command_of(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names: its first argument that is not an option (the global
    options take no value), or ``None``."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg
    return None


def _parser(load: Callable[[str], bool]) -> argparse.ArgumentParser:
    """The argument parser; the commands for which ``load(command)`` is true are registered
    by their module, the others as a bare name with their help (enough for ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="tthc",
        description="Vietnamese administrative procedures: calendar, deadlines and reports.",
    )
    parser.add_argument("--version", action="version", version=f"tthc {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"print the Python traceback of a failure (also: {DEBUG_ENVIRONMENT_VARIABLE}=1)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = {register for command, (register, _help) in COMMANDS.items() if load(command)}
    for command, (register, help_text) in COMMANDS.items():
        if command in sub.choices:
            continue  # registered with another command of its module
        if register in wanted:
            register(sub)  # every command of its module, in the module's order
        else:
            sub.add_parser(command, help=help_text)
    return parser


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """While the command runs, SIGTERM raises :class:`_Terminated` in the main thread (only
    there can a handler be installed; elsewhere the default action stays)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(EXIT_TERMINATED)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _warnings_as_lines(name: str) -> Iterator[None]:
    """While the command runs, a Python warning (a provisional calendar year reached, …) is one
    line on standard error, ``tthc report: warning: …``, each text once — not Python's
    ``file:line: Category: text`` followed by a line of source code."""
    shown: set[str] = set()

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: object = None,
        line: str | None = None,
    ) -> None:
        text = f"{name}: warning: {' '.join(str(message).split())}"
        if text not in shown:
            shown.add(text)
            print(text, file=sys.stderr)

    with warnings.catch_warnings():
        warnings.showwarning = show
        yield


def _message(exc: BaseException) -> str:
    """One line: the error's own text (newlines folded); a system error as ``FILE: reason``
    (``q1.csv: No such file or directory``), without Python's ``[Errno 2]``."""
    if isinstance(exc, OSError) and not isinstance(exc, TthcError) and exc.strerror:
        names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
        text = ": ".join([" → ".join(names), exc.strerror] if names else [exc.strerror])
    else:
        text = str(exc)
    return " ".join(text.split()) or type(exc).__name__


def _innermost(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The parser of the (sub-)command ``args`` were parsed for (``tthc dossier replay``)."""
    while True:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = action.choices.get(getattr(args, action.dest, None) or "")
                if chosen is not None:
                    parser = chosen
                    break
        else:
            return parser


def _interrupted(exc: Exception) -> bool:
    """Whether ``exc`` is a Ctrl-C that an engine (DuckDB) raised as its own error
    ("Query interrupted") instead of :class:`KeyboardInterrupt`."""
    return type(exc).__name__ == "InterruptException" or (
        isinstance(exc, RuntimeError) and str(exc).strip() == "Query interrupted"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status
    (see :mod:`tthc.cli`) instead of exiting.

    >>> main(["due", "2024-02-07 10:00", "02 ngày làm việc"])  # doctest: +ELLIPSIS
    Hạn trả kết quả / due: 2024-02-16 17:00 (UTC+7), Thứ Sáu
    ...
    0
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    wanted = _command_of(arguments)
    parser = _parser(lambda command: command == wanted)
    try:
        args, extra = parser.parse_known_args(arguments)
        if extra:  # said by the command's own parser, with its usage (not the top level's)
            _innermost(parser, args).error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:  # --help, --version, or argparse's own usage error (status 2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    debug = bool(args.debug) or os.environ.get(DEBUG_ENVIRONMENT_VARIABLE, "") not in ("", "0")
    name = " ".join(["tthc", args.command, *filter(None, [getattr(args, "dossier_command", None)])])
    try:
        with _sigterm_exits(), _warnings_as_lines(name):
            return func(args)
    except BrokenPipeError:
        # The reader went away (``tthc catalog | head``): stop quietly, as the Python docs
        # advise, pointing stdout at devnull so the interpreter's final flush cannot fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print(f"\n{name}: interrupted; no output was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _Terminated:
        print(f"{name}: terminated; no output was written", file=sys.stderr)
        return EXIT_TERMINATED
    except (TthcError, OSError) as exc:
        if debug:
            traceback.print_exc()
        print(f"{name}: error: {_message(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the boundary: a bug must not end in a traceback for users
        if _interrupted(exc):  # Ctrl-C inside DuckDB, which turns it into its own error
            print(f"\n{name}: interrupted; no output was written", file=sys.stderr)
            return EXIT_INTERRUPTED
        if debug:
            traceback.print_exc()
        print(
            f"{name}: internal error ({type(exc).__name__}: {_message(exc)}); this is a bug in "
            f"tthc {__version__}: please report it with the output of --debug",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
