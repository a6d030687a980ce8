"""Exit statuses shared by every ``tthc`` sub-command (re-exported by ``tthc._cli``).

>>> EXIT_OK, EXIT_INPUT_PROBLEMS, EXIT_USAGE
(0, 1, 2)
"""

from __future__ import annotations

from typing import Final

__all__ = ["EXIT_INPUT_PROBLEMS", "EXIT_OK", "EXIT_USAGE"]

EXIT_OK: Final = 0
"""Success."""
EXIT_INPUT_PROBLEMS: Final = 1
"""The command ran but the input had problems (e.g. rejected report rows); output is written."""
EXIT_USAGE: Final = 2
"""Usage error (bad arguments, unreadable file, invalid value): nothing useful was produced."""
