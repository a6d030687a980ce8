"""XLSX output laid out like Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP).

Stub: the implementation follows (signature is the contract the CLI wires to).
"""

from __future__ import annotations

from typing import Any

__all__ = ["render_xlsx"]


def render_xlsx(report: Any) -> bytes:
    """Render ``report`` as an XLSX workbook (bytes) laid out like the official form.

    Requires the ``xlsx`` extra: ``pip install "tthc[xlsx]"``.
    """
    raise NotImplementedError("render_xlsx is being written")
