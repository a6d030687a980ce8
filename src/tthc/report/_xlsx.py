"""XLSX output laid out like Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP).

The sheet follows the official form: the form number and reporting unit at the top, the title
"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", the period, then two header rows with merged
cells (received: total / new online / new in person or by post / carried over; resolved: total /
early / on time / late; pending: total / within time / overdue), a row of column numbers as on
the printed form, one row per group and a totals row. The indicators that are not on the form
(on-time rate, late with apology, online share, average processing time) follow in their own
column group. Labels are Vietnamese with English in brackets.

Numbers are stored as numbers (ratios as fractions with a percent format), never as formulas, so
a reader sees the values without recalculation. Text cells that start with ``=``, ``+``, ``-``,
``@`` (or a tab / carriage return) are neutralised with a leading ``'`` and stored as text
(:func:`tthc.report._render.neutralise_cell`), against formula injection through group names.

openpyxl is imported only when this function runs: ``pip install "tthc[xlsx]"``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Final

from tthc.errors import ReportError
from tthc.report._render import (
    FORM_TITLE_VI,
    TOTAL_LABEL,
    Column,
    accounting_line,
    data_range_line,
    neutralise_cell,
    policy_lines,
    rejections_not_listed,
    report_columns,
)
from tthc.report._report import DIMENSION_LABELS, FORM_NAME

if TYPE_CHECKING:
    from tthc.report._report import Report

__all__ = ["FORM_ISSUED_BY", "FORM_TITLE", "XLSX_EXTRA_HINT", "header_groups", "render_xlsx"]

FORM_TITLE: Final = FORM_TITLE_VI.upper()
"""Title of Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP), in capitals as printed:
"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"."""

FORM_TITLE_EN: Final = "Administrative procedures: dossiers received, resolved and pending"

FORM_ISSUED_BY: Final = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP (Circular 01/2020/TT-VPCP)"
"""The line under the form number: the circular that issues the form."""

XLSX_EXTRA_HINT: Final = 'XLSX output needs openpyxl: pip install "tthc[xlsx]"'
"""The error message when openpyxl is missing."""

GROUP_HEADINGS: Final[dict[str, str]] = {
    "Số hồ sơ nhận giải quyết": "Số hồ sơ nhận giải quyết (Dossiers received)",
    "Kết quả giải quyết": "Số hồ sơ đã giải quyết (Dossiers resolved)",
    "Đang giải quyết": "Số hồ sơ đang giải quyết (Dossiers pending)",
    "Chỉ số": "Chỉ số ngoài biểu mẫu (Indicators, not on the form)",
}
"""Upper header of each column group (Vietnamese, English)."""

UNIT_OF_COUNT: Final = "Đơn vị tính: hồ sơ (Unit: dossiers)"
NUMBER_LABEL: Final = "STT (No.)"
"""Heading of the row-number column (XLSX and HTML)."""
REPORTING_UNIT: Final = "Đơn vị báo cáo (Reporting unit)"
"""Label of the reporting unit at the top of the form (XLSX and HTML)."""
UNIT_NOT_GIVEN: Final = "……………"
"""Dotted blank printed where the form's unit is not given."""
RECEIVING_UNIT: Final = f"Đơn vị nhận báo cáo (Receiving unit): {UNIT_NOT_GIVEN}"
REJECTIONS_SHEET: Final = "Dòng bị loại (Rejected)"
_PERCENT_FORMAT: Final = "0.00%"
_DAYS_FORMAT: Final = "0.00"
_FIRST_HEADER_ROW: Final = 9
_MAX_COLUMN_WIDTH: Final = 40


def header_groups(columns: tuple[Column, ...]) -> list[tuple[str, int, int]]:
    """Consecutive columns sharing an upper heading: ``(heading, first index, last index)``.

    >>> from tthc.report._render import REPORT_COLUMNS
    >>> header_groups(REPORT_COLUMNS)[0]
    ('Số hồ sơ nhận giải quyết', 0, 3)
    """
    spans: list[tuple[str, int, int]] = []
    for i, column in enumerate(columns):
        if spans and spans[-1][0] == column.group_vi:
            spans[-1] = (spans[-1][0], spans[-1][1], i)
        else:
            spans.append((column.group_vi, i, i))
    return spans


def render_xlsx(report: Report) -> bytes:
    """Render ``report`` as an XLSX workbook (bytes) laid out like Biểu số 06/VPCP/KSTT.

    >>> import io, openpyxl
    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024-Q1"), groups={("Hộ tịch",): Counts(received_online=2,
    ...            resolved_on_time=1, pending_within_time=1)}, rows_read=2, rows_counted=2)
    >>> sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(r))).active
    >>> sheet["A4"].value
    'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH'
    >>> [sheet.cell(12, c).value for c in range(1, 6)]
    [1, 'Hộ tịch', 2, 2, 0]

    Raises:
        ReportError: openpyxl is not installed (naming the ``xlsx`` extra).
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise ReportError(XLSX_EXTRA_HINT) from None

    columns = report_columns(report)
    dims = report.group_by
    first_value_col = 2 + len(dims)  # A = STT, then one column per dimension
    last_col = first_value_col + len(columns) - 1

    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 06"

    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    def text(row: int, col: int, value: str, **style: Any) -> Any:
        cell = ws.cell(row, col)
        cell.value = neutralise_cell(value)
        cell.data_type = "s"  # never a formula, whatever the text
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def banner(row: int, value: str, font: Any, align: str = "center") -> None:
        text(row, 1, value, font=font, alignment=Alignment(horizontal=align, vertical="center"))
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)

    # --- top of the form
    text(1, 1, FORM_NAME, font=bold)
    text(1, first_value_col, FORM_ISSUED_BY, font=Font(italic=True))
    text(2, 1, f"{REPORTING_UNIT}: {report.unit or UNIT_NOT_GIVEN}")
    text(2, first_value_col, RECEIVING_UNIT)
    banner(4, FORM_TITLE, Font(bold=True, size=14))
    banner(5, FORM_TITLE_EN, Font(italic=True))
    period = report.period
    banner(6, f"Kỳ báo cáo (Reporting period): {period.label}", bold)
    banner(7, data_range_line(period), Font(italic=True))
    banner(8, UNIT_OF_COUNT, Font(italic=True), align="right")

    # --- two header rows with merged cells, then the column numbers
    top, bottom, numbers = _FIRST_HEADER_ROW, _FIRST_HEADER_ROW + 1, _FIRST_HEADER_ROW + 2
    fixed = [NUMBER_LABEL] + [f"{DIMENSION_LABELS[d][0]} ({DIMENSION_LABELS[d][1]})" for d in dims]
    for offset, label in enumerate(fixed):
        col = 1 + offset
        text(top, col, label, font=bold, alignment=centre)
        ws.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
    for heading, first, last in header_groups(columns):
        col = first_value_col + first
        text(top, col, GROUP_HEADINGS.get(heading, heading), font=bold, alignment=centre)
        if last > first:
            ws.merge_cells(
                start_row=top, start_column=col, end_row=top, end_column=first_value_col + last
            )
    for i, column in enumerate(columns):
        text(
            bottom,
            first_value_col + i,
            f"{column.label_vi} ({column.label_en})",
            font=bold,
            alignment=centre,
        )
    for col in range(1, last_col + 1):
        text(numbers, col, f"({col})", alignment=centre, font=Font(italic=True))
        for row in (top, bottom, numbers):
            ws.cell(row, col).border = box

    # --- one row per group, then the totals row
    def values(row: int, counts: Any) -> None:
        exact = counts.to_dict()  # ratios as fractions, shown with a percent format
        for i, column in enumerate(columns):
            cell = ws.cell(row, first_value_col + i)
            cell.value = exact[column.key]
            if column.kind == "percent":
                cell.number_format = _PERCENT_FORMAT
            elif column.kind == "days":
                cell.number_format = _DAYS_FORMAT
        for col in range(1, last_col + 1):
            ws.cell(row, col).border = box

    row = numbers + 1
    for number, (key, counts) in enumerate(report.rows(), start=1):
        ws.cell(row, 1).value = number
        for offset, label in enumerate(report.labels(key)):
            text(row, 2 + offset, label)
        values(row, counts)
        row += 1
    text(row, 1, TOTAL_LABEL, font=bold, alignment=Alignment(horizontal="center"))
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=first_value_col - 1)
    values(row, report.totals)
    for col in range(first_value_col, last_col + 1):
        ws.cell(row, col).font = bold
    totals_row = row

    # --- row accounting under the table
    row = totals_row + 2
    text(row, 1, accounting_line(report), font=Font(italic=True))
    for note in policy_lines(report):
        row += 1
        text(row, 1, note, font=Font(italic=True))
    if report.source:
        text(row + 1, 1, f"Nguồn dữ liệu (source): {report.source}", font=Font(italic=True))

    # --- layout and printing
    ws.column_dimensions["A"].width = 9
    for offset in range(len(dims)):
        ws.column_dimensions[get_column_letter(2 + offset)].width = _MAX_COLUMN_WIDTH
    for i in range(len(columns)):
        ws.column_dimensions[get_column_letter(first_value_col + i)].width = 14
    ws.row_dimensions[top].height = 32
    ws.row_dimensions[bottom].height = 48
    ws.freeze_panes = ws.cell(numbers + 1, first_value_col)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{top}:{numbers}"

    if report.rejections:
        _rejections_sheet(wb, report, bold)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rejections_sheet(wb: Any, report: Report, bold: Any) -> None:
    """A second sheet listing the rejected rows kept in the report (headings in ``bold``)."""
    ws = wb.create_sheet(REJECTIONS_SHEET)
    header = ("Dòng (Line)", "Mã hồ sơ (Code)", "Cột (Column)", "Lý do (Reason)")
    for col, label in enumerate(header, start=1):
        cell = ws.cell(1, col)
        cell.value = label
        cell.font = bold
    for row, rejection in enumerate(report.rejections, start=2):
        ws.cell(row, 1).value = rejection.line
        for col, value in ((2, rejection.code), (3, rejection.column), (4, rejection.reason)):
            if value:
                cell = ws.cell(row, col)
                cell.value = neutralise_cell(value)
                cell.data_type = "s"
    more = rejections_not_listed(report)
    if more:
        cell = ws.cell(len(report.rejections) + 3, 1)
        cell.value = f"… {more} more rejected rows not listed"
        cell.data_type = "s"
    for letter, width in zip("ABCD", (10, 24, 20, 80), strict=True):
        ws.column_dimensions[letter].width = width
