"""CSV output: the report table as one header row and one row per group, for spreadsheets.

The text starts with a UTF-8 byte-order mark so that Excel shows Vietnamese. The group columns
come first, then the values, then two columns naming the reporting and the receiving unit on
every row (so that the CSV files of several units can be stacked); the totals row is last.
Text cells are made visible (:func:`~tthc.report.visible_text`) and neutralised against
formulas (:func:`~tthc.report.neutralise_cell`); numbers stay numbers; a missing ratio is an
empty cell.
"""

from __future__ import annotations

import csv
import io

from tthc.report._form import (
    DEFAULT_OPTIONS,
    RECEIVING_UNIT,
    REPORTING_UNIT,
    Cell,
    FormOptions,
    neutralise_cell,
    report_cells,
    visible_text,
)
from tthc.report._report import Report

__all__ = ["csv_rows", "render_csv"]


def csv_rows(
    report: Report, options: FormOptions | None = None
) -> tuple[list[str], list[list[Cell]]]:
    """The CSV's header and rows as Python values, before any escaping: the group columns and
    the values (as :func:`~tthc.report.report_cells` gives them), then the unit columns; the
    totals row last.

    >>> from tthc import Period, Report
    >>> header, rows = csv_rows(Report(Period.parse("2024-Q1"), unit="UBND phường X"))
    >>> header[-2:], rows[-1][0], rows[-1][-2:]
    (['Đơn vị báo cáo (Reporting unit)', 'Đơn vị nhận báo cáo (Receiving unit)'], 'Tổng cộng (Total)', ['UBND phường X', None])
    """
    options = options or DEFAULT_OPTIONS
    lang = options.language("csv")
    header, body = report_cells(report, options, lang=lang)
    units: list[Cell] = [report.unit, options.receiving_unit]
    return (
        [*header, REPORTING_UNIT.text(lang), RECEIVING_UNIT.text(lang)],
        [[*row, *units] for row in body],
    )


def _cell(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        text: str = neutralise_cell(visible_text(value))
        return text
    return value


def render_csv(report: Report, options: FormOptions | None = None) -> str:
    """CSV text starting with a UTF-8 byte-order mark (so Excel shows Vietnamese): one header
    row, one row per group, the totals row. Headings are bilingual by default
    (``FormOptions(lang="vi")`` for Vietnamese only). Text cells are made visible and
    neutralised (:func:`~tthc.report.neutralise_cell`); numbers stay numbers; missing ratios
    and units not given are empty.

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024-Q1"), groups={("=cmd",): Counts(carried_over=1,
    ...            pending_overdue=1)}, rows_read=1, rows_counted=1)
    >>> text = render_csv(r)
    >>> text.startswith("\\ufeff"), text.splitlines()[1].split(",")[:3]
    (True, ["'=cmd", '1', '0'])
    """
    header, body = csv_rows(report, options)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    for row in body:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()
