"""Printable HTML of a report with an inline SVG chart of the on-time rate by group.

Stub: the implementation follows (signature is the contract the CLI wires to).
"""

from __future__ import annotations

from typing import Any

__all__ = ["render_html"]


def render_html(report: Any) -> str:
    """Render ``report`` as a self-contained printable HTML page (no JavaScript, no CDN)."""
    raise NotImplementedError("render_html is being written")
