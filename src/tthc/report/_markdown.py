"""Markdown output: a page with the form's heading, the table, the notes and the signature block.

Text from the data and the options is inert: made visible first
(:func:`~tthc.report.visible_text`), then ``&`` and ``<`` become entities (Markdown passes raw
HTML through) and the characters that Markdown or a table would read — ``\\`` `` ` `` ``*``
``_`` ``[`` ``]`` ``~`` ``|`` — are backslash-escaped.
"""

from __future__ import annotations

import html
from typing import Final

from tthc.report._form import (
    DEFAULT_OPTIONS,
    FORM_TITLE,
    NOTES,
    RECEIVING_UNIT,
    REJECTED_ROWS,
    REPORTING_UNIT,
    Cell,
    FormOptions,
    data_range_line,
    footnotes,
    iter_rejection_lines,
    number_text,
    period_line,
    report_cells,
    signature_block,
    unit_line,
    visible_text,
)
from tthc.report._report import FORM_NAME, Report

__all__ = ["md_escape", "render_markdown"]

MAX_REJECTIONS_SHOWN: Final = 50
"""The page lists at most this many rejected rows (all are counted)."""

_MARKDOWN_SPECIAL: Final = str.maketrans({c: "\\" + c for c in "\\`*_[]~|"})


def md_escape(value: Cell) -> str:
    """A piece of text from the data, inert in Markdown (see the module's docstring).

    >>> md_escape("<b>A</b> | *B*\\n"), md_escape(75.0), md_escape(None)
    ('&lt;b&gt;A&lt;/b&gt; \\\\| \\\\*B\\\\*␊', '75.00', '—')
    """
    text = visible_text(value) if isinstance(value, str) else number_text(value)
    return html.escape(text, quote=False).translate(_MARKDOWN_SPECIAL)


def render_markdown(report: Report, options: FormOptions | None = None) -> str:
    """A Markdown page: the form's title, the units, the period, the table (totals in bold),
    the notes, the signature block and the first rejected rows. Bilingual by default.

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024"), groups={("A|B",): Counts(received_online=1,
    ...            pending_within_time=1)}, rows_read=1, rows_counted=1)
    >>> print(render_markdown(r).splitlines()[0])
    # Biểu số 06/VPCP/KSTT — Tình hình, kết quả giải quyết thủ tục hành chính
    """
    options = options or DEFAULT_OPTIONS
    lang = options.language("md")
    header, body = report_cells(report, options, lang=lang)
    title = FORM_TITLE.vi if lang != "en" else FORM_TITLE.en
    lines = [f"# {FORM_NAME} — {title}", ""]
    if lang == "bilingual":
        lines += [f"*{FORM_TITLE.en}*", ""]
    lines += [
        f"- {md_escape(unit_line(REPORTING_UNIT, report.unit, lang))}",
        f"- {md_escape(unit_line(RECEIVING_UNIT, options.receiving_unit, lang))}",
        f"- {md_escape(period_line(report.period, lang))}",
        f"- {md_escape(data_range_line(report.period, lang))}",
        "",
        "| " + " | ".join(md_escape(h) for h in header) + " |",
    ]
    n_dims = len(report.group_by)
    lines.append("|" + "|".join([":---"] * n_dims + ["---:"] * (len(header) - n_dims)) + "|")
    for i, row in enumerate(body):
        cells = [md_escape(v) for v in row]
        if i == len(body) - 1:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"**{NOTES.text(lang)}:**", ""]
    lines += [f"- {md_escape(note)}." for note in footnotes(report, lang, options)]
    left, right = signature_block(options, lang)
    lines += [
        "",
        f"| | {md_escape(right.date_line)} |",
        "|:---:|:---:|",
        f"| **{md_escape(left.title)}** | **{md_escape(right.title)}** |",
        f"| *{md_escape(left.hint)}* | *{md_escape(right.hint)}* |",
        "| <br><br><br> | <br><br><br> |",
        f"| {md_escape(left.name)} | {md_escape(right.name)} |",
    ]
    rejected = list(iter_rejection_lines(report, MAX_REJECTIONS_SHOWN))
    if rejected:
        lines += ["", f"**{REJECTED_ROWS.text(lang)}:**", ""]
        lines += [f"- {md_escape(line)}" for line in rejected]
    return "\n".join(lines) + "\n"
