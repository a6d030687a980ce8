"""Text outputs of a :class:`~tthc.Report`: terminal table, CSV, JSON, Markdown.

:func:`render` dispatches on the format name, including ``xlsx`` and ``html`` (written by
``tthc.report._xlsx`` / ``_html``; XLSX needs the ``xlsx`` extra). :data:`REPORT_COLUMNS` lists
the columns of Biểu số 06/VPCP/KSTT in form order with Vietnamese and English headings, so every
renderer shows the same table.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, TypeVar

from tthc.errors import ReportError
from tthc.report._period import Period
from tthc.report._report import DIMENSION_LABELS, FORM_NAME, Report

__all__ = [
    "FORMATS",
    "REPORT_COLUMNS",
    "TOTAL_LABEL",
    "WITHDRAWN_COLUMN",
    "Column",
    "accounting_line",
    "data_range_line",
    "display_value",
    "neutralise_cell",
    "policy_lines",
    "rejections_not_listed",
    "render",
    "render_csv",
    "render_json",
    "render_markdown",
    "render_table",
    "report_cells",
    "report_columns",
]

Format = Literal["table", "csv", "json", "md", "xlsx", "html"]
FORMATS: tuple[str, ...] = ("table", "csv", "json", "md", "xlsx", "html")
"""Output formats :func:`render` accepts."""

FORM_TITLE_VI = "Tình hình, kết quả giải quyết thủ tục hành chính"
FORM_TITLE_EN = "Administrative procedure dossiers: received, resolved, pending"
TRANSPOSE_MAX_GROUPS = 4
"""The terminal table is transposed (groups as columns) up to this many groups."""
TOTAL_LABEL = "Tổng cộng (Total)"
"""Label of the totals row."""

_DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
_CellT = TypeVar("_CellT")


class Column(NamedTuple):
    """One column of the report table."""

    key: str
    """The JSON key (``Counts.to_dict()``)."""
    label_vi: str
    label_en: str
    group_vi: str
    """The upper header of the official form's two header rows ("" for none)."""
    kind: Literal["count", "percent", "days"]


REPORT_COLUMNS: tuple[Column, ...] = (
    Column(
        "received_total", "Tổng số tiếp nhận", "Received total", "Số hồ sơ nhận giải quyết", "count"
    ),
    Column("received_online", "Trực tuyến", "New online", "Số hồ sơ nhận giải quyết", "count"),
    Column(
        "received_direct_postal",
        "Trực tiếp, bưu chính",
        "New in person, postal",
        "Số hồ sơ nhận giải quyết",
        "count",
    ),
    Column(
        "carried_over", "Kỳ trước chuyển qua", "Carried over", "Số hồ sơ nhận giải quyết", "count"
    ),
    Column(
        "resolved_total", "Tổng số đã giải quyết", "Resolved total", "Kết quả giải quyết", "count"
    ),
    Column("resolved_early", "Trước hạn", "Early", "Kết quả giải quyết", "count"),
    Column("resolved_on_time", "Đúng hạn", "On time", "Kết quả giải quyết", "count"),
    Column("resolved_late", "Quá hạn", "Late", "Kết quả giải quyết", "count"),
    Column("pending_total", "Tổng số đang giải quyết", "Pending total", "Đang giải quyết", "count"),
    Column("pending_within_time", "Trong hạn", "Within time", "Đang giải quyết", "count"),
    Column("pending_overdue", "Quá hạn", "Overdue", "Đang giải quyết", "count"),
    Column("on_time_rate", "Tỷ lệ đúng hạn (%)", "On-time rate (%)", "Chỉ số", "percent"),
    Column("late_with_apology", "Quá hạn có xin lỗi", "Late with apology", "Chỉ số", "count"),
    Column("online_share", "Tỷ lệ trực tuyến (%)", "Online share (%)", "Chỉ số", "percent"),
    Column(
        "average_processing_days",
        "Thời gian xử lý TB (ngày làm việc)",
        "Avg processing (working days)",
        "Chỉ số",
        "days",
    ),
)
"""The table's columns in form order (Biểu số 06/VPCP/KSTT, then the indicators)."""

WITHDRAWN_COLUMN = Column(
    "withdrawn_excluded", "Rút hồ sơ (để riêng)", "Withdrawn, kept apart", "Chỉ số", "count"
)
"""The extra column of withdrawn dossiers kept apart (``ReportPolicy(withdrawn="exclude")``)."""


def report_columns(report: Report) -> tuple[Column, ...]:
    """The value columns of ``report``'s table, in form order (withdrawn column when kept apart).

    >>> from tthc import Period, Report, ReportPolicy
    >>> [c.key for c in report_columns(Report(Period.parse("2024-Q1")))][:4]
    ['received_total', 'received_online', 'received_direct_postal', 'carried_over']
    >>> report_columns(Report(Period.parse("2024"), policy=ReportPolicy(withdrawn="exclude")))[-1].key
    'withdrawn_excluded'
    """
    if report.policy.withdrawn == "exclude":
        return (*REPORT_COLUMNS, WITHDRAWN_COLUMN)
    return REPORT_COLUMNS


def display_value(values: Mapping[str, Any], column: Column) -> int | float | None:
    """The value of ``column`` as the tables show it, from one row's ``Counts.to_dict()``:
    counts unchanged, rates as percentages rounded to 2 decimals, days rounded to 2 decimals,
    ``None`` for a missing ratio. (XLSX stores the exact ``values[column.key]`` instead.)

    >>> from tthc.report import Counts
    >>> row = Counts(resolved_on_time=2, resolved_late=1).to_dict()
    >>> display_value(row, REPORT_COLUMNS[4]), display_value(row, REPORT_COLUMNS[11])
    (3, 66.67)
    """
    value: int | float | None = values[column.key]
    if value is None:
        return None
    if column.kind == "percent":
        return round(100 * float(value), 2)
    if column.kind == "days":
        return round(float(value), 2)
    return value


def report_cells(report: Report) -> tuple[list[str], list[list[str | int | float | None]]]:
    """Header and body of the table as Python values: one row per group, then the totals row.

    Group cells are labels (:meth:`Report.labels`); counts are ``int``; rates are percentages
    rounded to 2 decimals; missing ratios are ``None``.

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024-Q1"), groups={("Hộ tịch",): Counts(received_online=1,
    ...            resolved_on_time=1)}, rows_read=1, rows_counted=1)
    >>> header, body = report_cells(r)
    >>> header[:2], body[0][:3], body[-1][0]
    (['Lĩnh vực (Domain)', 'Tổng số tiếp nhận (Received total)'], ['Hộ tịch', 1, 1], 'Tổng cộng (Total)')
    """
    columns = report_columns(report)
    header = [f"{DIMENSION_LABELS[d][0]} ({DIMENSION_LABELS[d][1]})" for d in report.group_by]
    header += [f"{c.label_vi} ({c.label_en})" for c in columns]
    body: list[list[str | int | float | None]] = []
    for key, counts in report.rows():
        values = counts.to_dict()
        body.append([*report.labels(key), *(display_value(values, c) for c in columns)])
    totals = report.totals.to_dict()
    blanks = [""] * (len(report.group_by) - 1)
    body.append([TOTAL_LABEL, *blanks, *(display_value(totals, c) for c in columns)])
    return header, body


def neutralise_cell(value: _CellT) -> _CellT | str:
    """Make a text cell safe for spreadsheets: a cell starting with ``=``, ``+``, ``-``, ``@``
    (or tab / carriage return) gets a leading ``'`` so it is not run as a formula (CSV
    injection). Numbers are returned unchanged.

    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")"), neutralise_cell(-3), neutralise_cell("Hộ tịch")
    ('\\'=HYPERLINK("http://x")', -3, 'Hộ tịch')
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS_FIRST):
        return "'" + value
    return value


def _title_lines(report: Report) -> list[str]:
    lines = [f"{FORM_NAME} — {FORM_TITLE_VI} ({FORM_TITLE_EN})"]
    if report.unit:
        lines.append(f"Đơn vị (Unit): {report.unit}")
    lines.append(f"Kỳ báo cáo (Period): {report.period.label}")
    lines.append(
        f"Số liệu từ {report.period.first_day:%d/%m/%Y} đến {report.period.last_day:%d/%m/%Y}"
        f" (data {report.period.first_day.isoformat()} to {report.period.last_day.isoformat()})"
    )
    return lines


def data_range_line(period: Period) -> str:
    """The line of the form's heading giving the days the data cover (XLSX and HTML).

    >>> from tthc import Period
    >>> data_range_line(Period.parse("2024-Q1"))
    'Số liệu từ ngày 01/01/2024 đến ngày 31/03/2024 (data from 2024-01-01 to 2024-03-31)'
    """
    return (
        f"Số liệu từ ngày {period.first_day:%d/%m/%Y} đến ngày {period.last_day:%d/%m/%Y} "
        f"(data from {period.first_day.isoformat()} to {period.last_day.isoformat()})"
    )


def rejections_not_listed(report: Report, limit: int | None = None) -> int:
    """How many rejected rows a listing of ``report.rejections`` (at most ``limit`` of them,
    all kept ones when ``None``) leaves out: the "… N more rejected" count, never negative.

    >>> from tthc import Period, Report
    >>> from tthc.report._records import Rejection
    >>> r = Report(Period.parse("2024"), rows_read=30, rows_rejected=30,
    ...            rejections=tuple(Rejection(i, None, "bad") for i in range(20)))
    >>> rejections_not_listed(r), rejections_not_listed(r, limit=5)
    (10, 25)
    """
    shown = len(report.rejections) if limit is None else min(limit, len(report.rejections))
    return max(0, report.rows_rejected - shown)


def accounting_line(report: Report) -> str:
    """The row accounting under every rendering of the table (read = counted + outside the
    period + rejected).

    >>> from tthc import Period, Report
    >>> accounting_line(Report(Period.parse("2024"), rows_read=3, rows_counted=2, rows_rejected=1))
    'Dòng đọc (rows read): 3; được tính (counted): 2; ngoài kỳ (outside the period): 0; bị loại (rejected): 1'
    """
    return (
        f"Dòng đọc (rows read): {report.rows_read}; được tính (counted): {report.rows_counted}; "
        f"ngoài kỳ (outside the period): {report.rows_outside_period}; "
        f"bị loại (rejected): {report.rows_rejected}"
    )


REPEATED_SUPPLEMENT_NOTE = (
    "Hồ sơ yêu cầu bổ sung hơn một lần được tính quá hạn "
    "(a dossier with more than one supplement request is counted late)"
)
"""The note under a report built with ``ReportPolicy(repeated_supplement="late")``."""


def policy_lines(report: Report) -> list[str]:
    """Notes under the table for counting choices that change its columns without showing in
    them (withdrawn dossiers kept apart have their own column instead).

    >>> from tthc import Period, Report, ReportPolicy
    >>> policy_lines(Report(Period.parse("2024")))
    []
    >>> policy_lines(Report(Period.parse("2024"), policy=ReportPolicy(repeated_supplement="late")))
    ['Hồ sơ yêu cầu bổ sung hơn một lần được tính quá hạn (a dossier with more than one supplement request is counted late)']
    """
    return [REPEATED_SUPPLEMENT_NOTE] if report.policy.repeated_supplement == "late" else []


def _text(value: str | int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def render_table(report: Report) -> str:
    """An aligned plain-text table for the terminal, with a title, Vietnamese and English
    headings and the row accounting.

    Up to :data:`TRANSPOSE_MAX_GROUPS` groups, the table is transposed (one line per column of
    the form, one column per group); with more groups, one line per group under numbered
    columns "(1)" … explained in a legend, as the printed form numbers its columns.

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024-Q1"), groups={("Hộ tịch",): Counts(received_online=2,
    ...            resolved_early=2)}, rows_read=2, rows_counted=2)
    >>> print(render_table(r))  # doctest: +ELLIPSIS
    Biểu số 06/VPCP/KSTT — ...
    Kỳ báo cáo (Period): Quý I năm 2024 (Q1 2024)
    ...
    Lĩnh vực                 Hộ tịch  Tổng cộng
    ...
    """
    columns = report_columns(report)
    _header, body = report_cells(report)
    n_dims = len(report.group_by)
    if len(body) - 1 > TRANSPOSE_MAX_GROUPS:
        return _table_by_rows(report, columns, body)
    # Transposed: one line per column of the form, one column per group (+ totals). Fits a
    # terminal for the usual handful of domains; many groups make it wide, like the form.
    group_names = [" / ".join(str(c) for c in row[:n_dims] if c) for row in body]
    label_rows: list[tuple[str, str]] = [
        (
            " / ".join(DIMENSION_LABELS[d][0] for d in report.group_by),
            " / ".join(DIMENSION_LABELS[d][1] for d in report.group_by),
        )
    ]
    label_rows += [(c.label_vi, c.label_en) for c in columns]
    cells = [[*group_names]] + [
        [_text(row[n_dims + i]) for row in body] for i in range(len(columns))
    ]
    label_width = max(len(vi) for vi, _en in label_rows)
    en_width = max(len(en) for _vi, en in label_rows)
    widths = [max(len(col[j]) for col in cells) for j in range(len(body))]
    out = _title_lines(report)
    out.append("")
    for k, ((vi, en), values) in enumerate(zip(label_rows, cells, strict=True)):
        # The first line names the groups: no English label, names aligned left.
        left = f"{vi:<{label_width}}  {(en if k else ''):<{en_width}}"
        row = "  ".join(
            (v.rjust(w) if k else v.ljust(w)) for v, w in zip(values, widths, strict=True)
        )
        out.append(f"{left}  {row}".rstrip())
    out.append("")
    out.append(accounting_line(report))
    out.extend(policy_lines(report))
    out.extend(_rejection_lines(report, limit=10))
    return "\n".join(out) + "\n"


def _table_by_rows(
    report: Report, columns: tuple[Column, ...], body: list[list[str | int | float | None]]
) -> str:
    n_dims = len(report.group_by)
    head = [DIMENSION_LABELS[d][0] for d in report.group_by]
    head += [f"({i})" for i in range(1, len(columns) + 1)]
    text_rows = [[str(c) if c is not None else "" for c in row[:n_dims]] for row in body]
    for row, cells in zip(body, text_rows, strict=True):
        cells.extend(_text(v) for v in row[n_dims:])
    widths = [max(len(r[j]) for r in [head, *text_rows]) for j in range(len(head))]
    out = _title_lines(report)
    out.append("")
    for k, cells in enumerate([head, *text_rows]):
        out.append(
            "  ".join(
                c.ljust(w) if j < n_dims or k == 0 else c.rjust(w)
                for j, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()
        )
    out.append("")
    out += [f"({i}) {c.label_vi} ({c.label_en})" for i, c in enumerate(columns, start=1)]
    out.append("")
    out.append(accounting_line(report))
    out.extend(policy_lines(report))
    out.extend(_rejection_lines(report, limit=10))
    return "\n".join(out) + "\n"


def _rejection_lines(report: Report, limit: int) -> list[str]:
    lines = [f"  {r}" for r in report.rejections[:limit]]
    more = rejections_not_listed(report, limit)
    if more > 0:
        lines.append(f"  … {more} more rejected row(s)")
    return lines


def render_csv(report: Report) -> str:
    """CSV text starting with a UTF-8 byte-order mark (so Excel shows Vietnamese): one header
    row of "Vietnamese (English)" headings, one row per group, the totals row. Text cells are
    neutralised (:func:`neutralise_cell`); numbers stay numbers; missing ratios are empty.

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024-Q1"), groups={("=cmd",): Counts(carried_over=1,
    ...            pending_overdue=1)}, rows_read=1, rows_counted=1)
    >>> text = render_csv(r)
    >>> text.startswith("\\ufeff"), text.splitlines()[1].split(",")[:3]
    (True, ["'=cmd", '1', '0'])
    """
    header, body = report_cells(report)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(h) for h in header])
    for row in body:
        writer.writerow(["" if v is None else neutralise_cell(v) for v in row])
    return buffer.getvalue()


def render_json(report: Report) -> str:
    """The report as JSON (:meth:`Report.to_dict`): per group and totals the keys
    ``received_total``, ``received_online``, ``received_direct_postal``, ``carried_over``,
    ``resolved_total``, ``resolved_early``, ``resolved_on_time``, ``resolved_late``,
    ``pending_total``, ``pending_within_time``, ``pending_overdue``, ``on_time_rate``,
    ``late_with_apology``, ``online_share``, ``average_processing_days`` (ratios as fractions,
    ``null`` when undefined).

    >>> import json
    >>> from tthc import Period, Report
    >>> json.loads(render_json(Report(Period.parse("2024-03"))))["period"]["label_en"]
    'March 2024'
    """
    return report.to_json() + "\n"


def _md_escape(value: str | int | float | None) -> str:
    """A table cell from the data, inert in Markdown: ``<``/``&`` as entities (Markdown passes
    raw HTML through), ``|`` escaped, line breaks as spaces (they would end the table row)."""
    text = html.escape(_text(value), quote=False).replace("|", "\\|")
    return " ".join(text.splitlines())


def render_markdown(report: Report) -> str:
    """A Markdown page: title, period, the table (bilingual headings; totals in bold) and the
    row accounting.

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024"), groups={("A|B",): Counts(received_online=1,
    ...            pending_within_time=1)}, rows_read=1, rows_counted=1)
    >>> print(render_markdown(r).splitlines()[0])
    # Biểu số 06/VPCP/KSTT — Tình hình, kết quả giải quyết thủ tục hành chính
    """
    header, body = report_cells(report)
    lines = [f"# {FORM_NAME} — {FORM_TITLE_VI}", "", f"*{FORM_TITLE_EN}*", ""]
    lines += [f"- {line}" for line in _title_lines(report)[1:]]
    lines.append("")
    lines.append("| " + " | ".join(_md_escape(h) for h in header) + " |")
    n_dims = len(report.group_by)
    lines.append("|" + "|".join([":---"] * n_dims + ["---:"] * (len(header) - n_dims)) + "|")
    for i, row in enumerate(body):
        cells = [_md_escape(v) for v in row]
        if i == len(body) - 1:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(accounting_line(report) + ".")
    for line in policy_lines(report):  # a paragraph of its own
        lines += ["", f"{_md_escape(line)}."]
    if report.rows_rejected:
        lines.append("")
        lines += [f"- {_md_escape(line.strip())}" for line in _rejection_lines(report, limit=50)]
    return "\n".join(lines) + "\n"


def _xlsx(report: Report) -> bytes:
    from tthc.report._xlsx import render_xlsx  # raises ReportError naming the extra

    return render_xlsx(report)


def _html(report: Report) -> str:
    from tthc.report._html import render_html

    return render_html(report)


_RENDERERS: dict[str, Callable[[Report], str | bytes]] = {
    "table": render_table,
    "csv": render_csv,
    "json": render_json,
    "md": render_markdown,
    "xlsx": _xlsx,
    "html": _html,
}


def render(report: Report, fmt: str = "table") -> str | bytes:
    """Render ``report`` as ``table``, ``csv``, ``json``, ``md`` (text) or ``html`` (text),
    or ``xlsx`` (bytes; needs ``pip install "tthc[xlsx]"``).

    >>> from tthc import Period, Report
    >>> render(Report(Period.parse("2024-Q1")), "md").startswith("# Biểu số 06")
    True

    Raises:
        ReportError: an unknown format, or a missing optional dependency (naming the extra).
    """
    renderer = _RENDERERS.get(fmt.lower())
    if renderer is None:
        raise ReportError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderer(report)
