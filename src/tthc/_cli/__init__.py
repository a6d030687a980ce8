"""The ``tthc`` command line.

Each concern registers its sub-commands from its own module (``_catalog``, ``_calendar``,
``_report``, ``_dossier``): a module exposes ``register(subparsers)`` and sets ``func`` on its
parsers; ``func(args)`` returns the exit status.

Exit status, shared by every sub-command:

* 0: success;
* 1: the command ran but the input had problems (e.g. rejected report rows); output is written;
* 2: usage error (bad arguments, unreadable file, invalid value) — nothing useful was produced.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from tthc._cli import _calendar, _catalog, _dossier, _report
from tthc._cli._exit import EXIT_INPUT_PROBLEMS, EXIT_OK, EXIT_USAGE
from tthc._version import __version__
from tthc.errors import TthcError

__all__ = ["EXIT_INPUT_PROBLEMS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

_MODULES = (_catalog, _calendar, _dossier, _report)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command.

    >>> build_parser().parse_args(["calendar", "2026"]).command
    'calendar'
    """
    parser = argparse.ArgumentParser(
        prog="tthc",
        description="Vietnamese administrative procedures: calendar, deadlines and reports.",
    )
    parser.add_argument("--version", action="version", version=f"tthc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status
    (:data:`EXIT_OK`, :data:`EXIT_INPUT_PROBLEMS` or :data:`EXIT_USAGE`) instead of exiting.

    >>> main(["due", "2024-02-07 10:00", "02 ngày làm việc"])  # doctest: +ELLIPSIS
    Hạn trả kết quả / due: 2024-02-16 17:00 (UTC+7), Thứ Sáu
    ...
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return func(args)
    except BrokenPipeError:
        # The reader went away (``tthc catalog | head``): stop quietly, as the Python docs
        # advise, pointing stdout at devnull so the interpreter's final flush cannot fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_INPUT_PROBLEMS
    except TthcError as exc:
        print(f"tthc {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"tthc {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
