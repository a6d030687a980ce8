"""Exit statuses shared by every ``tthc`` sub-command (the contract documented in
``docs/cli.md``; public as ``tthc.cli.EXIT_*``).

>>> EXIT_OK, EXIT_INPUT_PROBLEMS, EXIT_USAGE, EXIT_EMPTY, EXIT_INTERNAL, EXIT_INTERRUPTED
(0, 1, 2, 3, 70, 130)
"""

from __future__ import annotations

import signal
from typing import Final

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_EMPTY",
    "EXIT_INPUT_PROBLEMS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
]

EXIT_OK: Final = 0
"""Success."""
EXIT_INPUT_PROBLEMS: Final = 1
"""The command ran but some input was rejected (rows of a report, dossiers of a replay); the
output is written and counts or replays everything else; the rejections are listed."""
EXIT_USAGE: Final = 2
"""Usage error or unreadable input (bad arguments, a file that cannot be read, a file changed
while it was read, an output that would overwrite an input): nothing was written."""
EXIT_EMPTY: Final = 3
"""A report with no counted dossier (no row of the input falls in the period, or every row was
rejected): nothing was written, unless ``--allow-empty`` was given."""
EXIT_INTERNAL: Final = 70
"""An unexpected internal error (a bug in ``tthc``; ``EX_SOFTWARE`` of ``sysexits.h``): one
line on standard error; run again with ``--debug`` for the traceback to report."""
EXIT_INTERRUPTED: Final = 128 + signal.SIGINT
"""Interrupted by Ctrl-C (SIGINT): partial outputs removed, old files untouched."""
EXIT_TERMINATED: Final = 128 + signal.SIGTERM
"""Terminated by SIGTERM: partial outputs and temporary files removed, old files untouched."""
EXIT_BROKEN_PIPE: Final = 128 + signal.SIGPIPE
"""Standard output closed by its reader (``tthc catalog | head -1``): the status a shell gives a
process stopped by SIGPIPE; nothing is printed."""
