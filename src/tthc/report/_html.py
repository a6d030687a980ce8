"""Printable HTML of a report: the form on one A4 landscape page, ready to sign.

One self-contained page: no JavaScript, no web fonts, no CDN, so it prints and archives as it
is. The layout is that of Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP): the form's number
and issuing circular on the left, the reporting and receiving units on the right, the title, the
period, the unit of count; a table with two header rows (``colspan``; the STT and group-name
headings stand in both rows as one cell without the line between, not ``rowspan``, which stops
Chromium from repeating the header rows on every printed page), a row of
column numbers (1), (2) …, one numbered row per group and a totals row in ``<tfoot>``; the
notes; the signature block (the place and date line, "Người lập biểu" and "Thủ trưởng đơn vị",
how each signs, the names).

The print style sheet (``@page { size: A4 landscape }``, Times New Roman) fits a ward's form on
one page; longer tables continue on further pages with the header rows repeated, and the
signature block is never split. Unless ``FormOptions(form_only=True)``, the page also has the
indicator columns and, on screen only, an SVG chart of the on-time rate by group (Decision
766/QĐ-TTg indicator 2.1); the list of rejected rows is shown on screen only.

Every piece of text from the data and the options is made visible
(:func:`~tthc.report.visible_text`) and HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Final

from tthc.report._counts import Counts
from tthc.report._form import (
    DEFAULT_OPTIONS,
    FORM_ISSUED_BY,
    FORM_TITLE,
    GROUP_HEADINGS,
    NOTES,
    NUMBER,
    RECEIVING_UNIT,
    REJECTED_ROWS,
    REPORTING_UNIT,
    TOTAL,
    UNIT_NOT_GIVEN,
    UNIT_OF_COUNT,
    Column,
    FormOptions,
    Label,
    Lang,
    data_range_line,
    dimension_heading,
    display_value,
    footnotes,
    group_labels,
    header_groups,
    number_text,
    period_line,
    rejections_not_listed,
    report_columns,
    signature_block,
    visible_text,
)
from tthc.report._listing import dossier_list_rows
from tthc.report._report import FORM_NAME, Report
from tthc.report._trace import TRACE_CELLS, TRACE_TOTALS

__all__ = ["CHART_TITLE", "render_html"]

CHART_TITLE: Final = Label("Tỷ lệ giải quyết đúng hạn theo nhóm", "On-time rate by group")
"""Heading of the chart (Decision 766/QĐ-TTg indicator 2.1)."""

NO_RESOLVED: Final = Label("không có hồ sơ đã giải quyết", "none resolved")
MAX_REJECTIONS_SHOWN: Final = 200
"""The page lists at most this many rejected rows (all are counted)."""
MAX_LISTED_DOSSIERS: Final = 200
"""A traced report's page lists at most this many dossiers behind one cell (the rest: ``tthc
report --list CELL`` writes them all)."""
DOSSIER_LISTS: Final = Label("Danh sách hồ sơ theo ô", "The dossiers behind each cell")

# Chart geometry, in SVG user units (pixels at 100 %).
_LABEL_WIDTH: Final = 300
_BAR_WIDTH: Final = 400
_VALUE_WIDTH: Final = 90
_ROW_HEIGHT: Final = 24
_BAR_HEIGHT: Final = 16
_TOP: Final = 24
_TICKS: Final = (0, 25, 50, 75, 100)
_MAX_LABEL_CHARS: Final = 45
_DIMENSION_SHARE: Final = 20
"""Per cent of the table's width given to each group-name column (they wrap within it) …"""
_DIMENSIONS_SHARE_MAX: Final = 40
"""… and to all of them together."""

_STYLE: Final = """
@page { size: A4 landscape; margin: 12mm 12mm 12mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", Times, "Liberation Serif", serif; font-size: 12pt;
       color: #000; background: #fff; margin: 1em auto; max-width: 270mm; }
p { margin: 0.1em 0; }
.form-header { display: flex; justify-content: space-between; gap: 2em; }
.form-header .form-id { flex: 0 0 38%; text-align: center; }
.form-header .units { flex: 0 0 55%; }
h1 { font-size: 14pt; text-align: center; margin: 0.7em 0 0.1em; }
p.title-en, p.period { text-align: center; }
p.title-en, p.data-range, p.unit-of-count, .notes, .hint { font-style: italic; }
p.unit-of-count { text-align: right; margin: 0.2em 0; }
table.report { border-collapse: collapse; width: 100%; font-size: 11pt; }
table.report td { overflow-wrap: break-word; }
table.report td.dim { min-width: 8em; }
table.report td.num { white-space: nowrap; }
table.report th, table.report td { border: 1px solid #000; padding: 2px 4px; }
table.report th { text-align: center; vertical-align: middle; font-weight: bold;
                  font-size: 10pt; line-height: 1.15; }
/* Chromium repeats the header rows on each printed page only while they are at most a quarter
   of the page high: the headings are set a point smaller than the cells to stay within it. */
table.report td.num, table.report tfoot td { text-align: right; font-variant-numeric: tabular-nums; }
table.report td.no { text-align: center; }
table.report tr.column-numbers th { font-weight: normal; font-style: italic; }
table.report tfoot td, table.report tfoot th { font-weight: bold; }
table.report thead { display: table-header-group; }
table.report th.upper { border-bottom: none; vertical-align: bottom; }
table.report th.lower { border-top: none; }
table.report tbody tr { break-inside: avoid; page-break-inside: avoid; }
table.report tfoot { display: table-row-group; }  /* the totals once, at the end */
.notes { font-size: 10pt; margin-top: 0.4em; }
.notes ul { margin: 0; padding-left: 1.5em; }
.notes, .signatures { break-before: avoid; page-break-before: avoid; }
.signatures { display: flex; justify-content: space-between; margin-top: 0.6em;
              break-inside: avoid; page-break-inside: avoid; }
.signature { flex: 0 0 45%; text-align: center; }
.signature .title { font-weight: bold; }
.signature .space { height: 18mm; }
.signature .name { font-weight: bold; }
section.chart { break-inside: avoid; page-break-inside: avoid; margin-top: 1.5em; }
svg text { font-family: Arial, Helvetica, sans-serif; font-size: 12px; }
table.report td.num a { color: inherit; }
section.dossier-list { margin-top: 1em; }
section.dossier-list table { border-collapse: collapse; font-size: 10pt; }
section.dossier-list th, section.dossier-list td { border: 1px solid #999; padding: 1px 4px; }
@media print {
  body { margin: 0; max-width: none; }
  .screen-only { display: none; }
  table.report td.num a { text-decoration: none; }
}
"""


def _e(value: object) -> str:
    """Text from anywhere, safe in HTML: made visible, then escaped (quotes too)."""
    return html.escape(visible_text(str(value)), quote=True)


class _Numbers:
    """How numbers are written: Vietnamese style (1.234; 66,67 %) on a Vietnamese-only form,
    English style (1,234; 66.67 %) otherwise."""

    def __init__(self, lang: Lang) -> None:
        self.decimal, self.grouping = (",", ".") if lang == "vi" else (".", ",")

    def cell(self, values: Mapping[str, int | float | None], column: Column) -> str:
        value = display_value(values, column)
        text = number_text(value, decimal=self.decimal, grouping=self.grouping)
        if value is not None and column.kind == "percent":
            return text + "%"
        return text


def _short(label: str) -> str:
    if len(label) <= _MAX_LABEL_CHARS:
        return label
    return label[: _MAX_LABEL_CHARS - 1] + "…"


def _chart(bars: list[tuple[str, float | None, bool]], lang: Lang) -> str:
    """An SVG horizontal bar chart: ``(label, rate 0–1 or None, is the totals bar)``."""
    title = CHART_TITLE.text(lang)
    numbers = _Numbers(lang)
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    height = _TOP + _ROW_HEIGHT * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="on-time-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{_e(title)}">',
        f"<title>{_e(title)}</title>",
    ]
    for tick in _TICKS:
        x = _LABEL_WIDTH + _BAR_WIDTH * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{_TOP - 6}" x2="{x:.1f}" y2="{height - 8}" '
            'stroke="#bbb" stroke-width="1"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{_TOP - 10}" text-anchor="middle">{tick}%</text>')
    for i, (label, rate, is_total) in enumerate(bars):
        y = _TOP + i * _ROW_HEIGHT
        middle = y + _ROW_HEIGHT / 2 + 4
        weight = ' font-weight="bold"' if is_total else ""
        parts.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end"{weight}>'
            f"<title>{_e(label)}</title>{_e(_short(label))}</text>"
        )
        if rate is None:
            parts.append(
                f'<text x="{_LABEL_WIDTH + 4}" y="{middle:.1f}" font-style="italic">'
                f"— {_e(NO_RESOLVED.text(lang))}</text>"
            )
            continue
        length = _BAR_WIDTH * rate
        shown = number_text(100 * rate, decimal=numbers.decimal)  # as the table writes rates
        colour = "#1f4e79" if is_total else "#5b9bd5"
        parts.append(
            f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y + (_ROW_HEIGHT - _BAR_HEIGHT) / 2:.1f}" '
            f'width="{length:.1f}" height="{_BAR_HEIGHT}" fill="{colour}" '
            f'data-rate="{rate:.6f}"><title>{_e(label)}: {shown}%</title></rect>'
        )
        parts.append(
            f'<text x="{_LABEL_WIDTH + _BAR_WIDTH + 6}" y="{middle:.1f}"{weight}>{shown}%</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _heading(report: Report, options: FormOptions, lang: Lang) -> list[str]:
    period = report.period
    out = [
        '<header class="form-header">',
        '<div class="form-id">',
        f"<p><strong>{_e(FORM_NAME)}</strong></p>",
        f'<p class="hint">{_e(FORM_ISSUED_BY.text(lang))}</p>',
        "</div>",
        '<div class="units">',
        f'<p class="reporting-unit">{_e(REPORTING_UNIT.text(lang))}: '
        f"<strong>{_e(report.unit or UNIT_NOT_GIVEN)}</strong></p>",
        f'<p class="receiving-unit">{_e(RECEIVING_UNIT.text(lang))}: '
        f"<strong>{_e(options.receiving_unit or UNIT_NOT_GIVEN)}</strong></p>",
        "</div>",
        "</header>",
        f"<h1>{_e(FORM_TITLE.en if lang == 'en' else FORM_TITLE.vi.upper())}</h1>",
    ]
    if lang == "bilingual":
        out.append(f'<p class="title-en">{_e(FORM_TITLE.en)}</p>')
    out += [
        f'<p class="period"><strong>{_e(period_line(period, lang))}</strong></p>',
        f'<p class="period data-range">{_e(data_range_line(period, lang))}</p>',
        f'<p class="unit-of-count">{_e(UNIT_OF_COUNT.text(lang))}</p>',
    ]
    return out


def _table(
    report: Report, columns: tuple[Column, ...], lang: Lang
) -> tuple[list[str], list[tuple[str, float | None, bool]]]:
    dims = report.group_by
    numbers = _Numbers(lang)
    dim_share = min(_DIMENSION_SHARE, _DIMENSIONS_SHARE_MAX / len(dims))
    out = [
        '<table class="report">',
        "<colgroup>",
        '<col class="no">',
        *(f'<col class="dim" style="width: {dim_share:.1f}%">' for _ in dims),
        *('<col class="value">' for _ in columns),
        "</colgroup>",
        "<thead>",
        "<tr>",
        f'<th class="upper" scope="col">{_e(NUMBER.text(lang))}</th>',
    ]
    out += [f'<th class="upper" scope="col">{_e(dimension_heading(d, lang))}</th>' for d in dims]
    for group, first, last in header_groups(columns):
        span = last - first + 1
        attr = f' colspan="{span}"' if span > 1 else ""
        out.append(f'<th{attr} scope="colgroup">{_e(GROUP_HEADINGS[group].text(lang))}</th>')
    out += ["</tr>", "<tr>"]
    out += ['<th class="lower"></th>'] * (1 + len(dims))
    out += [f'<th scope="col">{_e(c.heading(lang))}</th>' for c in columns]
    out += ["</tr>", '<tr class="column-numbers">']
    out += [f"<th>({n})</th>" for n in range(1, 2 + len(dims) + len(columns))]
    out += ["</tr>", "</thead>"]

    listed = {*TRACE_CELLS, *TRACE_TOTALS} if report.trace is not None else set()

    def value_cells(counts: Counts, row: str = "total") -> str:
        values = counts.to_dict()
        cells = []
        for c in columns:
            text = _e(numbers.cell(values, c))
            if c.key in listed and values.get(c.key):  # link to the list behind the number
                text = f'<a href="#list-{row}-{c.key}">{text}</a>'
            cells.append(f'<td class="num" data-key="{c.key}">{text}</td>')
        return "".join(cells)

    out.append("<tbody>")
    bars: list[tuple[str, float | None, bool]] = []
    for number, (key, counts) in enumerate(report.rows(), start=1):
        labels = group_labels(report, key, lang)
        cells = "".join(f'<td class="dim">{_e(label)}</td>' for label in labels)
        out.append(
            f'<tr><td class="no">{number}</td>{cells}{value_cells(counts, str(number))}</tr>'
        )
        bars.append((" / ".join(labels), counts.on_time_rate, False))
    out.append("</tbody>")
    totals = report.totals
    out += [
        "<tfoot>",
        f'<tr class="totals"><th colspan="{1 + len(dims)}" scope="row">{_e(TOTAL.text(lang))}'
        f"</th>{value_cells(totals)}</tr>",
        "</tfoot>",
        "</table>",
    ]
    bars.append((TOTAL.text(lang), totals.on_time_rate, True))
    return out, bars


def _dossier_lists(report: Report, columns: tuple[Column, ...], lang: Lang) -> list[str]:
    """On screen only: the dossiers behind each non-zero cell of a traced report, each list
    the target of its number's link (at most :data:`MAX_LISTED_DOSSIERS` per list)."""
    listed = {*TRACE_CELLS, *TRACE_TOTALS}
    rows: list[tuple[str, tuple[str, ...] | None, Counts]] = [
        (str(number), key, counts) for number, (key, counts) in enumerate(report.rows(), start=1)
    ]
    rows.append(("total", None, report.totals))
    out = [
        '<section class="dossier-lists screen-only">',
        f"<h2>{_e(DOSSIER_LISTS.text(lang))}</h2>",
    ]
    for row, key, counts in rows:
        values = counts.to_dict()
        where = TOTAL.text(lang) if key is None else " / ".join(group_labels(report, key, lang))
        for column in columns:
            if column.key not in listed or not values.get(column.key):
                continue
            entries = report.dossiers(column.key, key)
            header, lines = dossier_list_rows(entries[:MAX_LISTED_DOSSIERS], report.group_by, lang)
            out += [
                f'<section class="dossier-list" id="list-{row}-{column.key}">',
                f"<h3>{_e(where)} — {_e(column.label(lang))} ({len(entries)})</h3>",
                "<table><thead><tr>",
                *(f'<th scope="col">{_e(h)}</th>' for h in header),
                "</tr></thead><tbody>",
                *("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in line) + "</tr>" for line in lines),
                "</tbody></table>",
            ]
            if len(entries) > MAX_LISTED_DOSSIERS:
                out.append(
                    f"<p>… {len(entries) - MAX_LISTED_DOSSIERS} more: tthc report --list "
                    f"{column.key}</p>"
                )
            out.append("</section>")
    out.append("</section>")
    return out


def _signatures(options: FormOptions, lang: Lang) -> list[str]:
    out = ['<section class="signatures">']
    for signer in signature_block(options, lang):
        out += [
            '<div class="signature">',
            f'<p class="date-line hint">{_e(signer.date_line or "")}&nbsp;</p>',
            f'<p class="title">{_e(signer.title)}</p>',
            f'<p class="hint">{_e(signer.hint)}</p>',
            '<div class="space"></div>',
            f'<p class="name">{_e(signer.name)}&nbsp;</p>',
            "</div>",
        ]
    out.append("</section>")
    return out


def render_html(report: Report, options: FormOptions | None = None) -> str:
    """Render ``report`` as a self-contained printable HTML page (no JavaScript, no CDN),
    Vietnamese only by default (``FormOptions(lang=...)`` for English or bilingual).

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts, FormOptions
    >>> r = Report(Period.parse("2024-Q1"), groups={("<Hộ tịch>",): Counts(received_online=2,
    ...            resolved_on_time=1, resolved_late=1)}, rows_read=2, rows_counted=2)
    >>> page = render_html(r, FormOptions(receiving_unit="UBND thị xã Cửa Lò"))
    >>> "&lt;Hộ tịch&gt;" in page, "<svg" in page, "<script" in page, "Người lập biểu" in page
    (True, True, False, True)
    >>> "<svg" in render_html(r, FormOptions(form_only=True))
    False
    """
    options = options or DEFAULT_OPTIONS
    lang = options.language("html")
    columns = report_columns(report, options)
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "vi"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(FORM_NAME)} — {_e(period_line(report.period, lang))}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        *_heading(report, options, lang),
    ]
    table, bars = _table(report, columns, lang)
    out += table
    out += ['<section class="notes">', f"<p><strong>{_e(NOTES.text(lang))}:</strong></p>", "<ul>"]
    out += [f"<li>{_e(note)}</li>" for note in footnotes(report, lang, options)]
    out += ["</ul>", "</section>"]
    out += _signatures(options, lang)
    if not options.form_only:
        out.append('<section class="chart screen-only">')
        out.append(f"<h2>{_e(CHART_TITLE.text(lang))}</h2>")
        out.append(_chart(bars, lang))
        out.append("</section>")
    if report.trace is not None:
        out += _dossier_lists(report, columns, lang)
    if report.rejections:
        out.append('<section class="rejections screen-only">')
        out.append(f"<h2>{_e(REJECTED_ROWS.text(lang))}</h2>")
        out.append("<ul>")
        out += [f"<li>{_e(r)}</li>" for r in report.rejections[:MAX_REJECTIONS_SHOWN]]
        out.append("</ul>")
        more = rejections_not_listed(report, MAX_REJECTIONS_SHOWN)
        if more > 0:
            out.append(f"<p>… {more} more rejected rows not listed.</p>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
