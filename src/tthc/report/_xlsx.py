"""XLSX output: Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) as a sheet ready to print and sign.

The sheet follows the official form: the form's number and issuing circular top left, the
reporting and receiving units top right, the title "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH
CHÍNH", the period and the days the data cover, the unit of count; two header rows with merged
cells (received: total / new online / new in person or by post / carried over; resolved: total /
early / on time / late; pending: total / within time / overdue), a row of column numbers (1),
(2) … as on the printed form, one numbered row per group and a totals row; the notes; the
signature block. Unless ``FormOptions(form_only=True)``, the indicators that are not on the form
(on-time rate, late with apology, online share, average processing time) follow in their own
column group. Vietnamese only by default.

Printing: A4 landscape, fitted to one page wide (as many pages high as the rows need, the header
rows repeated on each, so that a long province table stays legible; a ward's form is one page),
centred, one font (Times New Roman, as administrative documents use) throughout, every row as
high as its wrapped text needs, so that nothing is clipped.

Numbers are stored as numbers with a number format (``#,##0``; ratios as fractions shown
``0.00%``), never as formulas, so a reader sees the values without recalculation. Every text
cell is made visible (:func:`~tthc.report.visible_text`: no character XML forbids) and
neutralised against formulas (:func:`~tthc.report.neutralise_cell`), and stored as text.

openpyxl is imported only when :func:`render_xlsx` runs: ``pip install "tthc[xlsx]"``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any, Final

from tthc.errors import ReportError
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
    UNIT_OF_COUNT,
    FormOptions,
    Label,
    Lang,
    data_range_line,
    dimension_heading,
    footnotes,
    group_labels,
    header_groups,
    neutralise_cell,
    period_line,
    rejections_not_listed,
    report_columns,
    signature_block,
    unit_line,
    visible_text,
    wrap,
)
from tthc.report._report import FORM_NAME, Report

__all__ = ["FONT_NAME", "SHEET_TITLE", "XLSX_EXTRA_HINT", "render_xlsx"]

XLSX_EXTRA_HINT: Final = 'XLSX output needs openpyxl: pip install "tthc[xlsx]"'
"""The error message when openpyxl is missing."""

FONT_NAME: Final = "Times New Roman"
"""The one font of the workbook (Vietnamese administrative documents are set in it)."""
SHEET_TITLE: Final = "Biểu 06"

PAPER_A4: Final = 9
"""SpreadsheetML's paper size code of A4 (ECMA-376 Part 1, 18.3.1.63)."""
FIT_PAGES_WIDE: Final = 1
FIT_PAGES_HIGH: Final = 0
"""0 = as many pages high as needed (fitted to one page wide only)."""

_FONT_SIZE: Final = 11
_TITLE_SIZE: Final = 14
_COUNT_FORMAT: Final = "#,##0"
_PERCENT_FORMAT: Final = "0.00%"
_DAYS_FORMAT: Final = "#,##0.00"
_NUMBER_WIDTH: Final = 9.5
_DIMENSION_WIDTH: Final = 28.0
_STT_WIDTH: Final = 6.0
_SIGNING_SPACE_PT: Final = 22.0
"""Height of each of the three empty rows left for a signature (and a seal)."""
_MARGINS_INCH: Final = {"left": 0.6, "right": 0.4, "top": 0.5, "bottom": 0.5}

# Row heights are estimated from the text, since a file has no renderer to measure it. A
# column-width unit is the width of "0" in the default font, about 7 px; Times New Roman
# averages a little under half an em per character of Vietnamese text (more in bold and in
# capitals). Measured on LibreOffice's rendering of the demo (Liberation Serif, the metric
# clone), with a margin: a row may come out a little taller than its text, never shorter.
_PX_PER_WIDTH_UNIT: Final = 7.0
_PX_PER_POINT: Final = 96 / 72
_EM_PER_CHAR: Final = 0.46
_EM_PER_CHAR_BOLD: Final = 0.5
_EM_PER_CAPITAL: Final = 0.72
_LINE_HEIGHT: Final = 1.32
"""Line height of wrapped text, in font sizes."""
_PADDING_PT: Final = 3.0


def _chars_per_line(width_units: float, size: float, bold: bool, capitals: bool) -> int:
    em = _EM_PER_CAPITAL if capitals else (_EM_PER_CHAR_BOLD if bold else _EM_PER_CHAR)
    char_px = size * _PX_PER_POINT * em
    return max(1, math.floor((width_units * _PX_PER_WIDTH_UNIT - 6) / char_px))


def _height(text: str, width_units: float, size: float, bold: bool = False) -> float:
    """Points a cell of ``width_units`` needs to show ``text`` wrapped, in ``size`` points."""
    capitals = text.upper() == text and any(c.isalpha() for c in text)
    lines = 0
    for paragraph in text.split("\n"):
        lines += len(wrap(paragraph, _chars_per_line(width_units, size, bold, capitals)))
    return lines * size * _LINE_HEIGHT + _PADDING_PT


def render_xlsx(report: Report, options: FormOptions | None = None) -> bytes:
    """Render ``report`` as an XLSX workbook (bytes) laid out like Biểu số 06/VPCP/KSTT, ready
    to print on A4 landscape and sign; Vietnamese only by default.

    >>> import io, openpyxl
    >>> from tthc import Period, Report
    >>> from tthc.report import Counts, FormOptions
    >>> r = Report(Period.parse("2024-Q1"), groups={("Hộ tịch",): Counts(received_online=2,
    ...            resolved_on_time=1, pending_within_time=1)}, rows_read=2, rows_counted=2)
    >>> sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(r))).active
    >>> sheet["A4"].value
    'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH'
    >>> [sheet.cell(11, c).value for c in range(1, 6)]
    [1, 'Hộ tịch', 2, 2, 0]
    >>> sheet.page_setup.paperSize, sheet.page_setup.orientation
    (9, 'landscape')

    Raises:
        ReportError: openpyxl is not installed (naming the ``xlsx`` extra).
    """
    try:
        from openpyxl import Workbook
    except ImportError:
        raise ReportError(XLSX_EXTRA_HINT) from None
    options = options or DEFAULT_OPTIONS
    wb = Workbook()
    _default_font(wb)
    _FormSheet(wb.active, report, options, options.language("xlsx")).write()
    if report.rejections:
        _rejections_sheet(wb, report, options.language("xlsx"))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _font(bold: bool = False, italic: bool = False, size: float = _FONT_SIZE) -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def _default_font(wb: Any) -> None:
    """Make Times New Roman the workbook's default font (the "Normal" style), so that even an
    empty cell someone types in later is in the form's font."""
    font = _font()
    try:  # openpyxl has no public setter for the default font
        from openpyxl.utils.indexed_list import IndexedList

        wb._fonts = IndexedList([font])  # the default cell format's font (fontId 0)
        wb._named_styles["Normal"].font = font
    except (ImportError, AttributeError, KeyError):  # pragma: no cover - another openpyxl
        pass  # every written cell still names the font itself


class _FormSheet:
    """The form's sheet, written top to bottom."""

    def __init__(self, ws: Any, report: Report, options: FormOptions, lang: Lang) -> None:
        self.ws = ws
        self.report = report
        self.options = options
        self.lang = lang
        self.columns = report_columns(report, options)
        self.dims = report.group_by
        self.first_value = 2 + len(self.dims)  # A = STT, then one column per dimension
        self.last = self.first_value + len(self.columns) - 1
        self.widths = [_STT_WIDTH] + [_DIMENSION_WIDTH] * len(self.dims)
        self.widths += [_NUMBER_WIDTH] * len(self.columns)
        # The top corners and the signature columns: left ~40 %, right ~45 % of the width.
        total = sum(self.widths)
        running = 0.0
        self.left_end = self.right_start = 1
        for col, width in enumerate(self.widths, start=1):
            if running < 0.40 * total:
                self.left_end = col
            if running < 0.55 * total:
                self.right_start = col + 1
            running += width
        self.right_start = min(max(self.right_start, self.left_end + 1), self.last)
        self.row = 1

    # ---- cells

    def span_width(self, first: int, last: int) -> float:
        return sum(self.widths[first - 1 : last])

    def text(
        self,
        row: int,
        col: int,
        value: str,
        *,
        last: int | None = None,
        bold: bool = False,
        italic: bool = False,
        size: float = _FONT_SIZE,
        horizontal: str = "center",
        wrap_text: bool = True,
        rows: int = 1,
    ) -> float:
        """Write ``value`` (made visible, neutralised, stored as text) at ``row``/``col``,
        merged to column ``last`` and over ``rows`` rows; return the height it needs."""
        from openpyxl.styles import Alignment

        value = neutralise_cell(visible_text(value))
        cell = self.ws.cell(row, col)
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text
        cell.font = _font(bold, italic, size)
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap_text)
        last = last or col
        if last > col or rows > 1:
            self.ws.merge_cells(
                start_row=row, start_column=col, end_row=row + rows - 1, end_column=last
            )
        return _height(value, self.span_width(col, last), size, bold) if value else 0.0

    def set_height(self, row: int, needed: float) -> None:
        self.ws.row_dimensions[row].height = round(
            max(needed, _FONT_SIZE * _LINE_HEIGHT + _PADDING_PT), 1
        )

    def box(self, row: int) -> None:
        from openpyxl.styles import Border, Side

        thin = Side(style="thin")
        for col in range(1, self.last + 1):
            self.ws.cell(row, col).border = Border(left=thin, right=thin, top=thin, bottom=thin)

    # ---- parts

    def write(self) -> None:
        self.ws.title = SHEET_TITLE
        self.heading()
        self.table()
        self.notes()
        self.signatures()
        self.page_setup()

    def heading(self) -> None:
        lang, r = self.lang, self.row
        unit = unit_line(REPORTING_UNIT, self.report.unit, lang)
        receiving = unit_line(RECEIVING_UNIT, self.options.receiving_unit, lang)
        self.set_height(
            r,
            max(
                self.text(r, 1, FORM_NAME, last=self.left_end, bold=True),
                self.text(r, self.right_start, unit, last=self.last, horizontal="left"),
            ),
        )
        self.set_height(
            r + 1,
            max(
                self.text(r + 1, 1, FORM_ISSUED_BY.text(lang), last=self.left_end, italic=True),
                self.text(r + 1, self.right_start, receiving, last=self.last, horizontal="left"),
            ),
        )
        r += 3  # one empty row under the corners
        title = FORM_TITLE.en if lang == "en" else FORM_TITLE.vi.upper()
        lines: list[tuple[str, dict[str, Any]]] = [(title, {"bold": True, "size": _TITLE_SIZE})]
        if lang == "bilingual":
            lines.append((FORM_TITLE.en, {"italic": True}))
        lines += [
            (period_line(self.report.period, lang), {"bold": True}),
            (data_range_line(self.report.period, lang), {"italic": True}),
            (UNIT_OF_COUNT.text(lang), {"italic": True, "horizontal": "right"}),
        ]
        for text, style in lines:
            self.set_height(r, self.text(r, 1, text, last=self.last, **style))
            r += 1
        self.row = r

    def table(self) -> None:
        lang, columns = self.lang, self.columns
        top, bottom, numbers = self.row, self.row + 1, self.row + 2
        fixed = [NUMBER.text(lang)] + [dimension_heading(d, lang) for d in self.dims]
        need_top, need_bottom = 0.0, 0.0
        for col, label in enumerate(fixed, start=1):
            # Spans both header rows: what it needs is shared between them below.
            need_bottom = max(need_bottom, self.text(top, col, label, bold=True, rows=2) / 2)
        for group, first, last in header_groups(columns):
            heading = GROUP_HEADINGS[group].text(lang)
            col, end = self.first_value + first, self.first_value + last
            need_top = max(need_top, self.text(top, col, heading, last=end, bold=True))
        for i, column in enumerate(columns):
            need_bottom = max(
                need_bottom,
                self.text(bottom, self.first_value + i, column.heading(lang), bold=True),
            )
        self.set_height(top, need_top)
        self.set_height(bottom, need_bottom)
        for col in range(1, self.last + 1):
            self.text(numbers, col, f"({col})", italic=True)
        for row in (top, bottom, numbers):
            self.box(row)

        row = numbers + 1
        for number, (key, counts) in enumerate(self.report.rows(), start=1):
            cell = self.ws.cell(row, 1)
            cell.value = number
            cell.font = _font()
            self._centre(cell)
            need = 0.0
            for offset, label in enumerate(group_labels(self.report, key, lang)):
                need = max(need, self.text(row, 2 + offset, label, horizontal="left"))
            self.values(row, counts, bold=False)
            self.set_height(row, need)
            row += 1
        self.text(row, 1, TOTAL.text(lang), last=self.first_value - 1, bold=True)
        self.values(row, self.report.totals, bold=True)
        self.set_height(row, 0)
        self.totals_row = row
        self.ws.print_title_rows = f"{top}:{numbers}"
        self.ws.freeze_panes = self.ws.cell(numbers + 1, self.first_value)
        self.row = row + 2

    @staticmethod
    def _centre(cell: Any) -> None:
        from openpyxl.styles import Alignment

        cell.alignment = Alignment(horizontal="center", vertical="center")

    def values(self, row: int, counts: Counts, *, bold: bool) -> None:
        from openpyxl.styles import Alignment

        exact = counts.to_dict()  # ratios as fractions, shown with a percent format
        for i, column in enumerate(self.columns):
            cell = self.ws.cell(row, self.first_value + i)
            cell.value = exact[column.key]
            cell.font = _font(bold=bold)
            cell.alignment = Alignment(horizontal="right", vertical="center")
            cell.number_format = {
                "count": _COUNT_FORMAT,
                "percent": _PERCENT_FORMAT,
                "days": _DAYS_FORMAT,
            }[column.kind]
        self.box(row)

    def notes(self) -> None:
        r = self.row
        self.set_height(
            r,
            self.text(
                r,
                1,
                f"{NOTES.text(self.lang)}:",
                bold=True,
                italic=True,
                horizontal="left",
                last=self.last,
            ),
        )
        for note in footnotes(self.report, self.lang, self.options):
            r += 1
            self.set_height(
                r, self.text(r, 1, f"• {note}", last=self.last, italic=True, horizontal="left")
            )
        self.row = r + 2

    def signatures(self) -> None:
        left, right = signature_block(self.options, self.lang)
        r = self.row
        self.set_height(
            r, self.text(r, self.right_start, right.date_line or "", last=self.last, italic=True)
        )
        for offset, (a, b, bold) in enumerate(
            ((left.title, right.title, True), (left.hint, right.hint, False)), start=1
        ):
            self.set_height(
                r + offset,
                max(
                    self.text(r + offset, 1, a, last=self.left_end, bold=bold, italic=not bold),
                    self.text(
                        r + offset, self.right_start, b, last=self.last, bold=bold, italic=not bold
                    ),
                ),
            )
        for blank in range(r + 3, r + 6):
            self.ws.row_dimensions[blank].height = _SIGNING_SPACE_PT
        names = r + 6
        self.set_height(
            names,
            max(
                self.text(names, 1, left.name, last=self.left_end, bold=True),
                self.text(names, self.right_start, right.name, last=self.last, bold=True),
            ),
        )
        self.row = names + 1

    def page_setup(self) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.ws
        for col, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = FIT_PAGES_WIDE
        ws.page_setup.fitToHeight = FIT_PAGES_HIGH
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        for side, inches in _MARGINS_INCH.items():
            setattr(ws.page_margins, side, inches)
        ws.print_area = f"A1:{get_column_letter(self.last)}{self.row - 1}"


def _rejections_sheet(wb: Any, report: Report, lang: Lang) -> None:
    """A second sheet listing the rejected rows kept in the report."""
    ws = wb.create_sheet(REJECTED_ROWS.text(lang)[:31])  # a sheet name has at most 31 characters
    header: Sequence[Label] = (
        Label("Dòng", "Line"),
        Label("Mã hồ sơ", "Code"),
        Label("Cột", "Column"),
        Label("Lý do", "Reason"),
    )
    for col, label in enumerate(header, start=1):
        cell = ws.cell(1, col)
        cell.value = label.text(lang)
        cell.font = _font(bold=True)
    for row, rejection in enumerate(report.rejections, start=2):
        ws.cell(row, 1).value = rejection.line
        ws.cell(row, 1).font = _font()
        for col, value in ((2, rejection.code), (3, rejection.column), (4, rejection.reason)):
            if value:
                cell = ws.cell(row, col)
                cell.value = neutralise_cell(visible_text(value))
                cell.data_type = "s"
                cell.font = _font()
    more = rejections_not_listed(report)
    if more:
        cell = ws.cell(len(report.rejections) + 3, 1)
        cell.value = f"… {more} more rejected rows not listed"
        cell.data_type = "s"
        cell.font = _font(italic=True)
    for letter, width in zip("ABCD", (10, 24, 20, 80), strict=True):
        ws.column_dimensions[letter].width = width
