"""The ``tthc`` command line, callable from Python (public home of :func:`main`).

:func:`main` takes the arguments a shell would pass (without the program name) and returns the
exit status instead of exiting, so scripts and tests can run any sub-command in-process. The
exit statuses are a documented contract (``docs/cli.md``): :data:`EXIT_OK`,
:data:`EXIT_INPUT_PROBLEMS`, :data:`EXIT_USAGE`, :data:`EXIT_EMPTY`, :data:`EXIT_INTERNAL`,
:data:`EXIT_INTERRUPTED`, :data:`EXIT_TERMINATED` and :data:`EXIT_BROKEN_PIPE`.

>>> from tthc.cli import EXIT_OK, main
>>> main(["calendar", "2026", "--format", "json"]) == EXIT_OK  # doctest: +ELLIPSIS
{...}
True
"""

from __future__ import annotations

from tthc._cli import DEBUG_ENVIRONMENT_VARIABLE, build_parser, main
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
from tthc._public import publish

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

publish(__name__, globals(), __all__)
