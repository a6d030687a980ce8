"""One entry point for every output of a :class:`~tthc.Report`: :func:`render`.

It dispatches on the format name to the single-format renderers — terminal table, CSV, JSON,
Markdown, XLSX (needs the ``xlsx`` extra), HTML — each of which takes the form (columns,
headings, numbering, notes, signature block) from one module and none of which imports
another. The form's options (:class:`~tthc.report.FormOptions`) are passed through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal, overload

from tthc.errors import ReportError
from tthc.report._csv import render_csv
from tthc.report._form import FormOptions
from tthc.report._html import render_html
from tthc.report._json import render_json
from tthc.report._markdown import render_markdown
from tthc.report._report import Report
from tthc.report._table import render_table
from tthc.report._xlsx import render_xlsx

__all__ = ["FORMATS", "render"]

FORMATS: tuple[str, ...] = ("table", "csv", "json", "md", "xlsx", "html")
"""Output formats :func:`render` accepts."""

_NOT_A_FORMAT: Final[dict[str, str]] = {
    "pdf": "there is no PDF output: print the html or xlsx form to PDF",
    "xls": "write xlsx (Excel 2007 and later)",
    "txt": "the plain-text table is 'table'",
    "markdown": "the Markdown format is 'md'",
    "htm": "the HTML format is 'html'",
}
"""Hints for format names people try that are not formats."""


def _table(report: Report, options: FormOptions | None, width: int | None) -> str:
    return render_table(report, options, width=width)


def _ignore_width(
    renderer: Callable[[Report, FormOptions | None], str | bytes],
) -> Callable[[Report, FormOptions | None, int | None], str | bytes]:
    return lambda report, options, _width: renderer(report, options)


_RENDERERS: Final[dict[str, Callable[[Report, FormOptions | None, int | None], str | bytes]]] = {
    "table": _table,
    "csv": _ignore_width(render_csv),
    "json": _ignore_width(render_json),
    "md": _ignore_width(render_markdown),
    "xlsx": _ignore_width(render_xlsx),
    "html": _ignore_width(render_html),
}


@overload
def render(
    report: Report,
    fmt: Literal["table", "csv", "json", "md", "html"] = "table",
    *,
    options: FormOptions | None = None,
    width: int | None = None,
) -> str: ...


@overload
def render(
    report: Report,
    fmt: Literal["xlsx"],
    *,
    options: FormOptions | None = None,
    width: int | None = None,
) -> bytes: ...


@overload
def render(
    report: Report,
    fmt: str,
    *,
    options: FormOptions | None = None,
    width: int | None = None,
) -> str | bytes: ...


def render(
    report: Report,
    fmt: str = "table",
    *,
    options: FormOptions | None = None,
    width: int | None = None,
) -> str | bytes:
    """Render ``report`` as ``table``, ``csv``, ``json``, ``md`` or ``html`` (text), or
    ``xlsx`` (bytes; needs ``pip install "tthc[xlsx]"``).

    ``options`` (:class:`~tthc.report.FormOptions`) chooses the language, the form's columns
    only, the receiving unit and the signature block; ``width`` is the terminal width the
    ``table`` format fits into (other formats ignore it).

    >>> from tthc import Period, Report
    >>> from tthc.report import FormOptions
    >>> render(Report(Period.parse("2024-Q1")), "md").startswith("# Biểu số 06")
    True
    >>> "English" in render(Report(Period.parse("2024-Q1")), "html", options=FormOptions(lang="vi"))
    False
    >>> render(Report(Period.parse("2024-Q1")), "pdf")
    Traceback (most recent call last):
    ...
    tthc.errors.ReportError: unknown report format 'pdf' (there is no PDF output: print the html or xlsx form to PDF); choose one of table, csv, json, md, xlsx, html

    Raises:
        ReportError: an unknown format, or a missing optional dependency (naming the extra).
        TypeError: ``options`` is not a :class:`~tthc.report.FormOptions` or ``width`` not a
            whole number.
    """
    if not isinstance(fmt, str):
        raise TypeError(f"render(fmt=...) must be a format name, not {type(fmt).__name__}")
    if options is not None and not isinstance(options, FormOptions):
        raise TypeError(
            f"render(options=...) must be a tthc.report.FormOptions, not {type(options).__name__}"
        )
    if width is not None and (not isinstance(width, int) or isinstance(width, bool)):
        raise TypeError(f"render(width=...) must be a whole number, not {type(width).__name__}")
    renderer = _RENDERERS.get(fmt.lower())
    if renderer is None:
        hint = _NOT_A_FORMAT.get(fmt.lower().lstrip("."))
        because = f" ({hint})" if hint else ""
        raise ReportError(
            f"unknown report format {fmt!r}{because}; choose one of {', '.join(FORMATS)}"
        )
    return renderer(report, options, width)
