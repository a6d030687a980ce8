"""Printable HTML of a report, with an inline SVG chart of the on-time rate by group.

One self-contained page: no JavaScript, no web fonts, no CDN, so it prints and archives as it
is. The table has the layout of Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP): two header rows
(``rowspan``/``colspan``), one row per group, a totals row in ``<tfoot>``; the chart draws one
horizontal bar per group for the on-time rate (resolved early or on time ÷ resolved, Decision
766/QĐ-TTg indicator 2.1) and one for the totals. Every piece of text from the data is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from tthc.report._render import (
    TOTAL_LABEL,
    Column,
    _text,
    accounting_line,
    data_range_line,
    display_value,
    policy_lines,
    rejections_not_listed,
    report_columns,
)
from tthc.report._report import DIMENSION_LABELS, FORM_NAME
from tthc.report._xlsx import (
    FORM_ISSUED_BY,
    FORM_TITLE,
    FORM_TITLE_EN,
    GROUP_HEADINGS,
    NUMBER_LABEL,
    REPORTING_UNIT,
    UNIT_NOT_GIVEN,
    UNIT_OF_COUNT,
    header_groups,
)

if TYPE_CHECKING:
    from tthc.report._report import Report

__all__ = ["CHART_TITLE", "render_html"]

CHART_TITLE: Final = "Tỷ lệ giải quyết đúng hạn theo nhóm (On-time rate by group)"
"""Heading of the chart (Decision 766/QĐ-TTg indicator 2.1)."""

NO_RESOLVED: Final = "không có hồ sơ đã giải quyết (none resolved)"
MAX_REJECTIONS_SHOWN: Final = 200
"""The page lists at most this many rejected rows (all are counted)."""

# Chart geometry, in SVG user units (pixels at 100 %).
_LABEL_WIDTH: Final = 300
_BAR_WIDTH: Final = 400
_VALUE_WIDTH: Final = 90
_ROW_HEIGHT: Final = 24
_BAR_HEIGHT: Final = 16
_TOP: Final = 24
_TICKS: Final = (0, 25, 50, 75, 100)
_MAX_LABEL_CHARS: Final = 45

_STYLE: Final = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Times New Roman", Times, serif; font-size: 11pt; color: #000; margin: 1em; }
.form-header { display: flex; justify-content: space-between; }
.form-header p { margin: 0.1em 0; }
h1 { font-size: 14pt; text-align: center; margin: 0.8em 0 0.1em; }
p.title-en, p.period { text-align: center; margin: 0.1em 0; }
p.title-en { font-style: italic; }
p.unit-of-count { text-align: right; font-style: italic; margin: 0.3em 0; }
table.report { border-collapse: collapse; width: 100%; }
table.report th, table.report td { border: 1px solid #000; padding: 2px 4px; }
table.report th { text-align: center; vertical-align: middle; font-weight: bold; }
table.report td.num, table.report tfoot td { text-align: right; font-variant-numeric: tabular-nums; }
table.report tr.column-numbers th { font-weight: normal; font-style: italic; }
table.report tfoot td, table.report tfoot th { font-weight: bold; }
p.accounting { font-style: italic; }
section.chart { break-inside: avoid; page-break-inside: avoid; }
svg text { font-family: Arial, Helvetica, sans-serif; font-size: 12px; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _format(values: Mapping[str, Any], column: Column) -> str:
    """A table cell as the text renderers show it, with "%" after a rate."""
    value = display_value(values, column)
    if value is not None and column.kind == "percent":
        return _text(value) + "%"
    return _text(value)


def _short(label: str) -> str:
    if len(label) <= _MAX_LABEL_CHARS:
        return label
    return label[: _MAX_LABEL_CHARS - 1] + "…"


def _chart(bars: list[tuple[str, float | None, bool]]) -> str:
    """An SVG horizontal bar chart: ``(label, rate 0–1 or None, is the totals bar)``."""
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    height = _TOP + _ROW_HEIGHT * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="on-time-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{_e(CHART_TITLE)}">',
        f"<title>{_e(CHART_TITLE)}</title>",
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
                f"— {_e(NO_RESOLVED)}</text>"
            )
            continue
        length = _BAR_WIDTH * rate
        colour = "#1f4e79" if is_total else "#5b9bd5"
        parts.append(
            f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y + (_ROW_HEIGHT - _BAR_HEIGHT) / 2:.1f}" '
            f'width="{length:.1f}" height="{_BAR_HEIGHT}" fill="{colour}" '
            f'data-rate="{rate:.6f}"><title>{_e(label)}: {100 * rate:.2f}%</title></rect>'
        )
        parts.append(
            f'<text x="{_LABEL_WIDTH + _BAR_WIDTH + 6}" y="{middle:.1f}"{weight}>'
            f"{100 * rate:.2f}%</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    """Render ``report`` as a self-contained printable HTML page (no JavaScript, no CDN).

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024-Q1"), groups={("<Hộ tịch>",): Counts(received_online=2,
    ...            resolved_on_time=1, resolved_late=1)}, rows_read=2, rows_counted=2)
    >>> page = render_html(r)
    >>> "&lt;Hộ tịch&gt;" in page, "<svg" in page, "<script" in page
    (True, True, False)
    """
    columns = report_columns(report)
    dims = report.group_by
    period = report.period
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(FORM_NAME)} — {_e(period.label)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        '<div class="form-header">',
        f"<div><p><strong>{_e(FORM_NAME)}</strong></p>"
        f"<p>{_e(REPORTING_UNIT)}: {_e(report.unit or UNIT_NOT_GIVEN)}</p></div>",
        f"<div><p><em>{_e(FORM_ISSUED_BY)}</em></p></div>",
        "</div>",
        f"<h1>{_e(FORM_TITLE)}</h1>",
        f'<p class="title-en">{_e(FORM_TITLE_EN)}</p>',
        f'<p class="period">Kỳ báo cáo (Reporting period): <strong>{_e(period.label)}</strong></p>',
        f'<p class="period">{_e(data_range_line(period))}</p>',
        f'<p class="unit-of-count">{_e(UNIT_OF_COUNT)}</p>',
        '<table class="report">',
        "<thead>",
        "<tr>",
        f'<th rowspan="2" scope="col">{_e(NUMBER_LABEL)}</th>',
    ]
    for dim in dims:
        vi, en = DIMENSION_LABELS[dim]
        out.append(f'<th rowspan="2" scope="col">{_e(vi)} ({_e(en)})</th>')
    for heading, first, last in header_groups(columns):
        span = last - first + 1
        attr = f' colspan="{span}"' if span > 1 else ""
        out.append(f'<th{attr} scope="colgroup">{_e(GROUP_HEADINGS.get(heading, heading))}</th>')
    out.append("</tr>")
    out.append("<tr>")
    out += [f'<th scope="col">{_e(c.label_vi)} ({_e(c.label_en)})</th>' for c in columns]
    out.append("</tr>")
    out.append('<tr class="column-numbers">')
    out += [f"<th>({n})</th>" for n in range(1, 2 + len(dims) + len(columns))]
    out.append("</tr>")
    out.append("</thead>")

    def value_cells(counts: Any) -> str:
        values = counts.to_dict()
        return "".join(
            f'<td class="num" data-key="{c.key}">{_format(values, c)}</td>' for c in columns
        )

    out.append("<tbody>")
    bars: list[tuple[str, float | None, bool]] = []
    for number, (key, counts) in enumerate(report.rows(), start=1):
        labels = report.labels(key)
        cells = "".join(f"<td>{_e(label)}</td>" for label in labels)
        out.append(f'<tr><td class="num">{number}</td>{cells}{value_cells(counts)}</tr>')
        bars.append((" / ".join(labels), counts.on_time_rate, False))
    out.append("</tbody>")
    totals = report.totals
    out.append("<tfoot>")
    out.append(
        f'<tr class="totals"><th colspan="{1 + len(dims)}" scope="row">{_e(TOTAL_LABEL)}</th>'
        f"{value_cells(totals)}</tr>"
    )
    out.append("</tfoot>")
    out.append("</table>")
    out.append(f'<p class="accounting">{_e(accounting_line(report))}</p>')
    out += [f'<p class="policy">{_e(note)}</p>' for note in policy_lines(report)]
    bars.append((TOTAL_LABEL, totals.on_time_rate, True))
    out.append('<section class="chart">')
    out.append(f"<h2>{_e(CHART_TITLE)}</h2>")
    out.append(_chart(bars))
    out.append("</section>")
    if report.rejections:
        out.append('<section class="rejections">')
        out.append("<h2>Dòng bị loại (Rejected rows)</h2>")
        out.append("<ul>")
        out += [f"<li>{_e(r)}</li>" for r in report.rejections[:MAX_REJECTIONS_SHOWN]]
        out.append("</ul>")
        more = rejections_not_listed(report, MAX_REJECTIONS_SHOWN)
        if more > 0:
            out.append(f"<p>… {more} more rejected rows not listed.</p>")
        out.append("</section>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
