"""The terminal table: the form as aligned plain text that fits the terminal's width.

Three layouts, chosen by the width available (``render(report, "table", width=…)``; the command
line passes the terminal's), never by the number of groups:

* ``transposed`` — one line per column of the form, one column per group and the totals: the
  headings are read in full next to their numbers. Chosen when it fits.
* ``rows`` — the form's own shape: one line per group under numbered columns (1), (2) … that a
  legend under the table names, as the printed form numbers its columns. Chosen when the
  transposed table does not fit but this does.
* ``blocks`` — one block per group and the totals, one line per column: fits any width.

Long labels wrap inside their column; every line, title and note included, fits the width.
Text from the data and the options is made visible first (:func:`~tthc.report.visible_text`),
so an escape sequence in a domain name prints as ``␛[31m`` instead of acting on the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

from tthc.report._form import (
    DEFAULT_OPTIONS,
    NOTES,
    FormOptions,
    Lang,
    dimension_heading,
    display_width,
    footnotes,
    iter_rejection_lines,
    number_text,
    pad,
    report_cells,
    report_columns,
    signature_block,
    title_lines,
    visible_text,
    wrap,
)
from tthc.report._report import Report

__all__ = ["DEFAULT_WIDTH", "MIN_WIDTH", "render_table", "table_layout"]

DEFAULT_WIDTH: Final = 100
"""Width (terminal columns) of the table when none is given."""
MIN_WIDTH: Final = 40
"""Narrower widths are treated as this one."""
MAX_REJECTIONS_SHOWN: Final = 10
"""The table lists at most this many rejected rows (all are counted)."""

_GAP: Final = 2
"""Spaces between two columns."""
_MIN_LABEL: Final = 18
"""The transposed layout's heading column is never narrower than this."""
_COMFORTABLE_LABEL: Final = 40
"""The transposed layout's heading column gets this width before the group names widen."""
_GROUP_NAME_MAX: Final = 12
"""A group's column in the transposed layout is widened for its name up to this; longer
names wrap."""
_MIN_DIMENSION: Final = 12
"""A group-name column of the ``rows`` layout is never narrower than this."""

Layout = Literal["transposed", "rows", "blocks"]
Align = Literal["left", "right"]


def _grid(
    rows: Sequence[Sequence[str]], widths: Sequence[int], aligns: Sequence[Align]
) -> list[str]:
    """Rows of cells as text lines: each cell wrapped to its column, aligned, columns apart by
    :data:`_GAP`; a row takes as many lines as its tallest cell."""
    out: list[str] = []
    for row in rows:
        cells = [wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        for i in range(max(len(c) for c in cells)):
            parts = [
                pad(c[i] if i < len(c) else "", w, a)
                for c, w, a in zip(cells, widths, aligns, strict=True)
            ]
            out.append((" " * _GAP).join(parts).rstrip())
    return out


def _fit(desired: Sequence[int], minimum: Sequence[int], room: int) -> list[int] | None:
    """Column widths within ``room`` (gaps excluded): each at least its minimum, then widened
    towards its desired width in order; ``None`` when the minimums do not fit."""
    if sum(minimum) > room:
        return None
    widths = list(minimum)
    spare = room - sum(minimum)
    for i, want in enumerate(desired):
        extra = min(spare, max(0, want - widths[i]))
        widths[i] += extra
        spare -= extra
    return widths


class _Table:
    """The pieces every layout uses, computed once."""

    def __init__(self, report: Report, options: FormOptions, lang: Lang) -> None:
        self.columns = report_columns(report, options)
        _header, body = report_cells(report, options, lang=lang)
        self.n_dims = len(report.group_by)
        self.labels = [visible_text(c.label(lang)) for c in self.columns]
        self.dim_headings = [visible_text(dimension_heading(d, lang)) for d in report.group_by]
        self.names = [[visible_text(str(c)) for c in row[: self.n_dims]] for row in body]
        self.values = [[number_text(v) for v in row[self.n_dims :]] for row in body]

    def group_name(self, i: int) -> str:
        return " / ".join(n for n in self.names[i] if n)


def _transposed(t: _Table, width: int) -> list[str] | None:
    groups = range(len(t.values))
    names = [t.group_name(i) for i in groups]
    value_w = [max(display_width(v) for v in t.values[i]) for i in groups]
    group_min = [max(value_w[i], min(display_width(names[i]), _GROUP_NAME_MAX)) for i in groups]
    group_full = [max(value_w[i], display_width(names[i])) for i in groups]
    label_w = max(display_width(s) for s in [*t.labels, " / ".join(t.dim_headings)])
    room = width - _GAP * len(names)
    # The headings' column is widened to a comfortable width first, then the group names to
    # their full width, then the headings' column to its full width.
    label_min = min(label_w, _MIN_LABEL)
    fitted = _fit([min(label_w, _COMFORTABLE_LABEL), *group_min], [label_min, *group_min], room)
    if fitted is None:
        return None
    fitted = _fit([*group_full, label_w], [*fitted[1:], fitted[0]], room)
    assert fitted is not None  # the minimums were the widths that fitted
    fitted = [fitted[-1], *fitted[:-1]]
    rows = [[" / ".join(t.dim_headings), *names]]
    rows += [[label, *(t.values[i][j] for i in groups)] for j, label in enumerate(t.labels)]
    left: list[Align] = ["left"] * len(fitted)
    right: list[Align] = ["right"] * len(names)
    return _grid(rows[:1], fitted, left) + _grid(rows[1:], fitted, ["left", *right])


def _by_rows(t: _Table, width: int) -> list[str] | None:
    numbers = [f"({i})" for i in range(1, len(t.columns) + 1)]
    value_w = [
        max(display_width(numbers[j]), *(display_width(row[j]) for row in t.values))
        for j in range(len(t.columns))
    ]
    dim_w = [
        max(display_width(s) for s in [t.dim_headings[d], *(row[d] for row in t.names)])
        for d in range(t.n_dims)
    ]
    room = width - _GAP * (t.n_dims + len(value_w) - 1)
    fitted = _fit([*dim_w, *value_w], [*(min(w, _MIN_DIMENSION) for w in dim_w), *value_w], room)
    if fitted is None:
        return None
    lefts: list[Align] = ["left"] * t.n_dims
    rights: list[Align] = ["right"] * len(value_w)
    aligns = lefts + rights
    rows = [[*t.dim_headings, *numbers]]
    rows += [[*names, *values] for names, values in zip(t.names, t.values, strict=True)]
    out = _grid(rows, fitted, aligns)
    out.append("")
    for number, label in zip(numbers, t.labels, strict=True):
        out += _hanging(f"{number} {label}", width, len(number) + 1)
    return out


def _blocks(t: _Table, width: int) -> list[str]:
    out: list[str] = []
    for i, values in enumerate(t.values):
        if i:
            out.append("")
        out += wrap(t.group_name(i), width)
        value_w = max(display_width(v) for v in values)
        fitted = [width - 2 - _GAP - value_w, value_w]
        rows = [[label, value] for label, value in zip(t.labels, values, strict=True)]
        out += ["  " + line for line in _grid(rows, fitted, ["left", "right"])]
    return out


def _hanging(text: str, width: int, indent: int) -> list[str]:
    """``text`` wrapped to ``width``, continuation lines indented by ``indent``."""
    first, *rest = wrap(text, width)
    rest = wrap(" ".join(rest), width - indent) if rest else []
    return [first, *(" " * indent + line for line in rest)]


def table_layout(
    report: Report, options: FormOptions | None = None, width: int = DEFAULT_WIDTH
) -> Layout:
    """The layout :func:`render_table` uses for ``report`` at ``width`` terminal columns.

    >>> from tthc.report import demo_report
    >>> [table_layout(demo_report(), width=w) for w in (200, 80, 60)]
    ['transposed', 'transposed', 'blocks']
    """
    options = options or DEFAULT_OPTIONS
    t = _Table(report, options, options.language("table"))
    width = max(MIN_WIDTH, width)
    if _transposed(t, width) is not None:
        return "transposed"
    if _by_rows(t, width) is not None:
        return "rows"
    return "blocks"


def render_table(
    report: Report, options: FormOptions | None = None, *, width: int | None = None
) -> str:
    """The report as aligned plain text for a terminal of ``width`` columns (default
    :data:`DEFAULT_WIDTH`; at least :data:`MIN_WIDTH`): the title, units and period, the table
    in the layout that fits (see :func:`table_layout`), the notes, the signature block when a
    signer, place or date is given, and the first rejected rows.

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024-Q1"), groups={("Hộ tịch",): Counts(received_online=2,
    ...            resolved_early=2)}, rows_read=2, rows_counted=2)
    >>> print(render_table(r, width=80))  # doctest: +ELLIPSIS
    Biểu số 06/VPCP/KSTT — Tình hình, kết quả giải quyết thủ tục hành chính
    (Administrative procedures: dossiers received, resolved and pending)
    ...
    Kỳ báo cáo (Reporting period): Quý I năm 2024 (Q1 2024)
    ...
    Lĩnh vực (Domain)                                         Hộ tịch  Tổng cộng (Total)
    Tổng số tiếp nhận (Received total)                              2                  2
    ...
    """
    options = options or DEFAULT_OPTIONS
    lang = options.language("table")
    width = DEFAULT_WIDTH if width is None else max(MIN_WIDTH, width)
    t = _Table(report, options, lang)
    out: list[str] = []
    for line in title_lines(report, options, lang):
        out += wrap(visible_text(line), width)
    out.append("")
    out += _transposed(t, width) or _by_rows(t, width) or _blocks(t, width)
    out.append("")
    out += wrap(f"{NOTES.text(lang)}:", width)
    if lang == "bilingual":  # each note in Vietnamese, its English on a line of its own
        glosses = [f"({note})" for note in footnotes(report, "en", options)]
        notes = footnotes(report, "vi", options)
    else:
        notes, glosses = footnotes(report, lang, options), []
    for i, note in enumerate(notes):
        out += _hanging(f"- {visible_text(note)}", width, 2)
        if glosses:
            out += ["  " + line for line in wrap(visible_text(glosses[i]), width - 2)]
    if options.has_signature_details:
        out.append("")
        out += _signatures(options, lang, width)
    rejected = (
        list(iter_rejection_lines(report, MAX_REJECTIONS_SHOWN)) if options.list_rejections else []
    )
    if rejected:
        out.append("")
        for line in rejected:
            out += _hanging(f"  {visible_text(line)}", width, 4)
    return "\n".join(line.rstrip() for line in out) + "\n"


def _signatures(options: FormOptions, lang: Lang, width: int) -> list[str]:
    """The signature block: side by side when both columns fit, else one under the other."""
    left, right = signature_block(options, lang)
    columns = [
        ["", left.title, left.hint, "", "", visible_text(left.name)],
        [
            visible_text(right.date_line or ""),
            right.title,
            right.hint,
            "",
            "",
            visible_text(right.name),
        ],
    ]
    half = (width - _GAP) // 2
    if all(display_width(s) <= half for col in columns for s in col):
        rows = [
            [pad(a, half, "center"), pad(b, half, "center")] for a, b in zip(*columns, strict=True)
        ]
        return [(" " * _GAP).join(r).rstrip() for r in rows]
    out: list[str] = []
    for col in (columns[1][:1], columns[0][1:], columns[1][1:]):
        for line in col:
            out += wrap(line, width) if line else [""]
    return out
