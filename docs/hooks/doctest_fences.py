"""A Griffe extension for the API pages: the ``>>>`` examples of a docstring are shown as
Python console code (a fenced ``pycon`` block), not read as Markdown — where ``>>>`` would be
a triple block quote and ``x[0][1]`` a reference link.

Configured in ``mkdocs.yml`` (``plugins → mkdocstrings → handlers → python → options →
extensions``). Examples under a Google-style ``Examples:`` heading are left to Griffe.
"""

from __future__ import annotations

from typing import Any

import griffe

FENCE = "```"


def fence_doctests(text: str) -> str:
    """``text`` with every run of unindented ``>>>`` lines (with their ``...`` continuations
    and expected output, up to a blank line) inside a ``pycon`` fence.

    >>> print(fence_doctests("Sum.\\n\\n>>> 1 + 1\\n2\\n\\nDone."))
    Sum.
    <BLANKLINE>
    ```pycon
    >>> 1 + 1
    2
    ```
    <BLANKLINE>
    Done.
    """
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(FENCE):
            in_fence = not in_fence
        if not in_fence and line.startswith(">>>"):
            out.append(f"{FENCE}pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(FENCE)
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctest examples of every docstring Griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
