"""The report form, Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP), stated once.

Every renderer (terminal table, CSV, JSON, Markdown, XLSX, HTML) takes from this module what the
form says — its columns and their headings in Vietnamese and English, the column groups, the
numbering, the title lines, the notes under the table, the signature block — and what the user
chose about it (:class:`FormOptions`). No renderer imports another; :func:`tthc.report.render`
dispatches above them.

Text hygiene lives here too: :func:`visible_text` makes any Unicode string printable (control
characters, lone surrogates and bidirectional overrides become visible marks) and
:func:`neutralise_cell` guards spreadsheets against formulas. Each renderer passes every piece of
text through them — data cells, the units, the signers' names and every other option alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal, NamedTuple, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, field_validator

from tthc._enums import AdministrativeLevel, Channel
from tthc._text import visible_text
from tthc.report._intake import SourceInfo
from tthc.report._period import Period
from tthc.report._report import DIMENSION_LABELS, FORM_NAME, NOT_GIVEN, Report

__all__ = [
    "DEFAULT_LANG",
    "FORM_ISSUED_BY",
    "FORM_TITLE",
    "LANGUAGES",
    "RECEIVING_UNIT",
    "REPORTING_UNIT",
    "REPORT_COLUMNS",
    "TOTAL",
    "TOTAL_LABEL",
    "UNIT_NOT_GIVEN",
    "WITHDRAWN_COLUMN",
    "Column",
    "FormOptions",
    "Label",
    "Lang",
    "Signer",
    "accounting_line",
    "data_range_line",
    "display_value",
    "display_width",
    "footnotes",
    "group_labels",
    "header_groups",
    "neutralise_cell",
    "period_line",
    "policy_lines",
    "rejections_not_listed",
    "report_cells",
    "report_columns",
    "signature_block",
    "signing_date_line",
    "visible_text",
]

Lang = Literal["vi", "en", "bilingual"]
"""Language of a rendering: Vietnamese only, English only, or Vietnamese with English in
brackets."""

LANGUAGES: tuple[Lang, ...] = get_args(Lang)
"""The languages a form can be rendered in."""

DEFAULT_LANG: Final[Mapping[str, Lang]] = {
    "table": "bilingual",
    "csv": "bilingual",
    "json": "bilingual",
    "md": "bilingual",
    "xlsx": "vi",
    "html": "vi",
}
"""The language of each format when :attr:`FormOptions.lang` is not given: the printable forms
(XLSX, HTML) are Vietnamese only, as sent to a supervising office; the working outputs
(terminal, CSV, Markdown) keep the English gloss for readers and tools that need it."""


class Label(NamedTuple):
    """A piece of the form's text in Vietnamese and English.

    >>> TOTAL.text("vi"), TOTAL.text("en"), TOTAL.text("bilingual")
    ('Tổng cộng', 'Total', 'Tổng cộng (Total)')
    >>> SIGN_WITH_NAME.text("bilingual")
    '(Ký, ghi rõ họ tên / Signature, full name)'
    """

    vi: str
    en: str

    def text(self, lang: Lang) -> str:
        """The label in ``lang``: ``vi``, ``en`` or ``"vi (en)"`` for ``bilingual``."""
        if lang == "vi":
            return self.vi
        if lang == "en":
            return self.en
        if self.vi.startswith("(") and self.vi.endswith(")") and self.en.startswith("("):
            return f"{self.vi[:-1]} / {self.en[1:]}"  # one pair of brackets, not two
        return f"{self.vi} ({self.en})"


# --------------------------------------------------------------------------- the form's text

FORM_TITLE = Label(
    "Tình hình, kết quả giải quyết thủ tục hành chính",
    "Administrative procedures: dossiers received, resolved and pending",
)
"""Title of Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP); printed forms set the Vietnamese
title in capitals."""
FORM_ISSUED_BY = Label(
    "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP", "Issued with Circular 01/2020/TT-VPCP"
)
"""The line under the form number: the circular that issues the form."""
REPORTING_UNIT = Label("Đơn vị báo cáo", "Reporting unit")
RECEIVING_UNIT = Label("Đơn vị nhận báo cáo", "Receiving unit")
PERIOD = Label("Kỳ báo cáo", "Reporting period")
UNIT_OF_COUNT = Label("Đơn vị tính: hồ sơ", "Unit: dossiers")
NUMBER = Label("STT", "No.")
"""Heading of the row-number column (the form numbers its rows)."""
TOTAL = Label("Tổng cộng", "Total")
"""Label of the totals row."""
TOTAL_LABEL: Final = TOTAL.text("bilingual")
"""Label of the totals row in bilingual renderings, ``"Tổng cộng (Total)"``."""
NOTES = Label("Ghi chú", "Notes")
NOT_GIVEN_LABEL = Label("(không ghi)", "(not given)")
"""A group whose optional dimension (agency, procedure, level) is empty."""
UNIT_NOT_GIVEN: Final = "……………………"
"""Dotted blank printed where a unit, place or name is not given, to be filled in by hand."""
PREPARED_BY = Label("Người lập biểu", "Prepared by")
APPROVED_BY = Label("Thủ trưởng đơn vị", "Head of unit")
SIGN_WITH_NAME = Label("(Ký, ghi rõ họ tên)", "(Signature, full name)")
SIGN_WITH_SEAL = Label("(Ký tên, đóng dấu)", "(Signature and seal)")
REJECTED_ROWS = Label("Dòng bị loại", "Rejected rows")

GROUP_HEADINGS: Final[Mapping[str, Label]] = {
    "received": Label("Số hồ sơ nhận giải quyết", "Dossiers received"),
    "resolved": Label("Số hồ sơ đã giải quyết", "Dossiers resolved"),
    "pending": Label("Số hồ sơ đang giải quyết", "Dossiers pending"),
    "indicators": Label("Chỉ số ngoài biểu mẫu", "Indicators, not on the form"),
}
"""Upper heading of each column group (the form's first header row)."""


class Column(NamedTuple):
    """One value column of the report table.

    ``label_vi``/``label_en`` name the column on its own (one header row: terminal, CSV,
    Markdown, :meth:`~tthc.Report.to_records`) and are unique; ``short_vi``/``short_en`` are its
    heading under the group heading on the two-row header of the printed form (XLSX, HTML).
    """

    key: str
    """The JSON key (``Counts.to_dict()``)."""
    label_vi: str
    label_en: str
    group_vi: str
    """The group's upper heading in Vietnamese (see :attr:`group`)."""
    kind: Literal["count", "percent", "days"]
    group: str = "indicators"
    """The column group: ``received``, ``resolved``, ``pending`` (on the form) or
    ``indicators`` (not on the form)."""
    short_vi: str = ""
    short_en: str = ""

    @property
    def on_form(self) -> bool:
        """Whether the column is one of Biểu số 06's (not an extra indicator)."""
        return self.group != "indicators"

    def label(self, lang: Lang) -> str:
        """The column's name on its own in ``lang``.

        >>> REPORT_COLUMNS[7].label("vi"), REPORT_COLUMNS[10].label("vi")
        ('Đã giải quyết quá hạn', 'Đang giải quyết quá hạn')
        """
        return Label(self.label_vi, self.label_en).text(lang)

    def heading(self, lang: Lang) -> str:
        """The column's heading under its group heading in ``lang``.

        >>> REPORT_COLUMNS[7].heading("vi"), REPORT_COLUMNS[7].heading("bilingual")
        ('Quá hạn', 'Quá hạn (Late)')
        """
        return Label(self.short_vi or self.label_vi, self.short_en or self.label_en).text(lang)


def _column(
    key: str,
    group: str,
    kind: Literal["count", "percent", "days"],
    label: tuple[str, str],
    short: tuple[str, str] = ("", ""),
) -> Column:
    return Column(key, *label, GROUP_HEADINGS[group].vi, kind, group, *short)


REPORT_COLUMNS: tuple[Column, ...] = (
    _column(
        "received_total",
        "received",
        "count",
        ("Tổng số tiếp nhận", "Received total"),
        ("Tổng số", "Total"),
    ),
    _column("received_online", "received", "count", ("Trực tuyến", "New online")),
    _column(
        "received_direct_postal",
        "received",
        "count",
        ("Trực tiếp, bưu chính", "New in person, postal"),
        ("Trực tiếp, dịch vụ bưu chính", "In person, by post"),
    ),
    _column("carried_over", "received", "count", ("Kỳ trước chuyển qua", "Carried over")),
    _column(
        "resolved_total",
        "resolved",
        "count",
        ("Tổng số đã giải quyết", "Resolved total"),
        ("Tổng số", "Total"),
    ),
    _column("resolved_early", "resolved", "count", ("Trước hạn", "Early")),
    _column("resolved_on_time", "resolved", "count", ("Đúng hạn", "On time")),
    _column(
        "resolved_late", "resolved", "count", ("Đã giải quyết quá hạn", "Late"), ("Quá hạn", "")
    ),
    _column(
        "pending_total",
        "pending",
        "count",
        ("Tổng số đang giải quyết", "Pending total"),
        ("Tổng số", "Total"),
    ),
    _column("pending_within_time", "pending", "count", ("Trong hạn", "Within time")),
    _column(
        "pending_overdue",
        "pending",
        "count",
        ("Đang giải quyết quá hạn", "Overdue"),
        ("Quá hạn", ""),
    ),
    _column("on_time_rate", "indicators", "percent", ("Tỷ lệ đúng hạn (%)", "On-time rate (%)")),
    _column(
        "late_with_apology", "indicators", "count", ("Quá hạn có xin lỗi", "Late with apology")
    ),
    _column("online_share", "indicators", "percent", ("Tỷ lệ trực tuyến (%)", "Online share (%)")),
    _column(
        "average_processing_days",
        "indicators",
        "days",
        ("Thời gian xử lý TB (ngày làm việc)", "Avg processing (working days)"),
    ),
)
"""The table's columns in form order: the eleven of Biểu số 06/VPCP/KSTT, then the indicators
(Decision 766/QĐ-TTg) that the form does not have."""

WITHDRAWN_COLUMN = _column(
    "withdrawn_excluded", "indicators", "count", ("Rút hồ sơ (để riêng)", "Withdrawn, kept apart")
)
"""The extra column of withdrawn dossiers kept apart (``ReportPolicy(withdrawn="exclude")``)."""


# --------------------------------------------------------------------------- text hygiene

_DANGEROUS_FIRST: Final = ("=", "+", "-", "@", "\t", "\r")
_CellT = TypeVar("_CellT")


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


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: combining marks and format characters take none,
    East Asian wide and full-width characters two, others one.

    >>> display_width("Hộ tịch"), display_width("Ho\\u0323 ti\\u0323ch"), display_width("戶籍")
    (7, 7, 4)
    """
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


# --------------------------------------------------------------------------- options


class FormOptions(BaseModel):
    """How a report is rendered as a form: language, columns and the form's free text.

    Accepted by :func:`tthc.report.render` and every single-format renderer. Every text option
    goes through the same escaping as the data cells (:func:`visible_text`, and
    :func:`neutralise_cell` in CSV and XLSX). Empty strings count as not given.

    Attributes:
        lang: ``"vi"`` (Vietnamese only), ``"en"`` or ``"bilingual"`` (Vietnamese with English
            in brackets); ``None`` gives the format's default (:data:`DEFAULT_LANG`: ``vi`` for
            XLSX and HTML, ``bilingual`` for the others).
        form_only: exactly the columns of Biểu số 06/VPCP/KSTT: no indicator columns and, in
            HTML, no chart.
        receiving_unit: the unit the report is sent to ("Đơn vị nhận báo cáo"), e.g. the
            district or province office; a dotted blank when not given.
        prepared_by: name of the person who prepared the form ("Người lập biểu").
        approved_by: name of the head of the unit who signs it ("Thủ trưởng đơn vị").
        place: the place name of the signing line ("Nghi Hương, ngày … tháng … năm …").
        signed_on: the date of the signing line; blanks to fill in by hand when not given.
        list_rejections: the ``table`` format lists the first rejected rows under the form
            (default); ``False`` leaves them to the caller — the command line, which reports
            them on standard error, so that a terminal does not show them twice.

    >>> options = FormOptions(lang="vi", receiving_unit="UBND thị xã Cửa Lò", place="Nghi Hương")
    >>> options.language("csv"), FormOptions().language("xlsx"), FormOptions().language("md")
    ('vi', 'vi', 'bilingual')
    >>> FormOptions(lang="fr")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for FormOptions
    lang
      Input should be 'vi', 'en' or 'bilingual' ...
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    lang: Lang | None = None
    form_only: bool = False
    receiving_unit: str | None = None
    prepared_by: str | None = None
    approved_by: str | None = None
    place: str | None = None
    signed_on: dt.date | None = None
    list_rejections: bool = True

    @field_validator("receiving_unit", "prepared_by", "approved_by", "place")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        return value or None

    def language(self, fmt: str) -> Lang:
        """The language of format ``fmt`` under these options."""
        return self.lang or DEFAULT_LANG.get(fmt, "bilingual")

    @property
    def has_signature_details(self) -> bool:
        """Whether any of the signing line's or signers' options is given."""
        return any((self.prepared_by, self.approved_by, self.place, self.signed_on))


DEFAULT_OPTIONS: Final = FormOptions()


# --------------------------------------------------------------------------- the table


def report_columns(report: Report, options: FormOptions | None = None) -> tuple[Column, ...]:
    """The value columns of ``report``'s table, in form order (the withdrawn column when kept
    apart; only the form's own eleven with ``FormOptions(form_only=True)``).

    >>> from tthc import Period, Report, ReportPolicy
    >>> [c.key for c in report_columns(Report(Period.parse("2024-Q1")))][:4]
    ['received_total', 'received_online', 'received_direct_postal', 'carried_over']
    >>> report_columns(Report(Period.parse("2024"), policy=ReportPolicy(withdrawn="exclude")))[-1].key
    'withdrawn_excluded'
    >>> len(report_columns(Report(Period.parse("2024")), FormOptions(form_only=True)))
    11
    """
    columns = REPORT_COLUMNS
    if report.policy.withdrawn == "exclude":
        columns = (*columns, WITHDRAWN_COLUMN)
    if options is not None and options.form_only:
        columns = tuple(c for c in columns if c.on_form)
    return columns


def header_groups(columns: Sequence[Column]) -> list[tuple[str, int, int]]:
    """Consecutive columns sharing a group heading: ``(group, first index, last index)``.

    >>> header_groups(REPORT_COLUMNS)[:3]
    [('received', 0, 3), ('resolved', 4, 7), ('pending', 8, 10)]
    """
    spans: list[tuple[str, int, int]] = []
    for i, column in enumerate(columns):
        if spans and spans[-1][0] == column.group:
            spans[-1] = (spans[-1][0], spans[-1][1], i)
        else:
            spans.append((column.group, i, i))
    return spans


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


def dimension_heading(dim: str, lang: Lang) -> str:
    """Heading of a group dimension's column (``domain`` → "Lĩnh vực")."""
    return Label(*DIMENSION_LABELS[dim]).text(lang)


def group_labels(report: Report, key: tuple[str, ...], lang: Lang = "bilingual") -> tuple[str, ...]:
    """The labels of a group key in ``lang``: channels and levels by their labels, an empty
    optional dimension as "(không ghi)"; other values (domains, agencies, procedures) as given.

    >>> from tthc import Period, Report
    >>> r = Report(Period.parse("2024"), ("channel", "agency"))
    >>> group_labels(r, ("online", ""), "vi"), group_labels(r, ("online", ""))
    (('Trực tuyến', '(không ghi)'), ('Trực tuyến (Online)', '(không ghi / not given)'))
    """
    out: list[str] = []
    for dim, value in zip(report.group_by, key, strict=True):
        if value == NOT_GIVEN:
            out.append(NOT_GIVEN_LABEL.text(lang))
        elif dim == "channel":
            channel = Channel(value)
            out.append(Label(channel.label_vi, channel.label_en).text(lang))
        elif dim == "level":
            level = AdministrativeLevel(value)
            out.append(Label(level.label_vi, level.label_en).text(lang))
        else:
            out.append(value)
    return tuple(out)


Cell = str | int | float | None


def report_cells(
    report: Report, options: FormOptions | None = None, *, lang: Lang = "bilingual"
) -> tuple[list[str], list[list[Cell]]]:
    """Header and body of the table as Python values: one row per group, then the totals row.

    Headings are the columns' own names (:meth:`Column.label`) in ``lang`` (the options'
    language wins when they give one); group cells are :func:`group_labels`; counts are ``int``;
    rates are percentages rounded to 2 decimals; missing ratios are ``None``. Text is returned
    as it is in the data: each renderer applies its own escaping.

    >>> from tthc import Period, Report
    >>> from tthc.report import Counts
    >>> r = Report(Period.parse("2024-Q1"), groups={("Hộ tịch",): Counts(received_online=1,
    ...            resolved_on_time=1)}, rows_read=1, rows_counted=1)
    >>> header, body = report_cells(r)
    >>> header[:2], body[0][:3], body[-1][0]
    (['Lĩnh vực (Domain)', 'Tổng số tiếp nhận (Received total)'], ['Hộ tịch', 1, 1], 'Tổng cộng (Total)')
    >>> report_cells(r, FormOptions(lang="vi", form_only=True))[0][-1]
    'Đang giải quyết quá hạn'
    """
    if options is not None and options.lang is not None:
        lang = options.lang
    columns = report_columns(report, options)
    header = [dimension_heading(d, lang) for d in report.group_by]
    header += [c.label(lang) for c in columns]
    body: list[list[Cell]] = []
    for key, counts in report.rows():
        values = counts.to_dict()
        body.append(
            [*group_labels(report, key, lang), *(display_value(values, c) for c in columns)]
        )
    totals = report.totals.to_dict()
    blanks = [""] * (len(report.group_by) - 1)
    body.append([TOTAL.text(lang), *blanks, *(display_value(totals, c) for c in columns)])
    return header, body


# --------------------------------------------------------------------------- lines of the form


def period_line(period: Period, lang: Lang = "bilingual") -> str:
    """The reporting period line of the form's heading.

    >>> from tthc import Period
    >>> period_line(Period.parse("2024-Q1"), "vi")
    'Kỳ báo cáo: Quý I năm 2024'
    >>> period_line(Period.parse("2024-Q1"))
    'Kỳ báo cáo (Reporting period): Quý I năm 2024 (Q1 2024)'
    """
    label = Label(period.label_vi, period.label_en).text(lang)
    return f"{PERIOD.text(lang)}: {label}"


def data_range_line(period: Period, lang: Lang = "bilingual") -> str:
    """The line of the form's heading giving the days the data cover.

    >>> from tthc import Period
    >>> data_range_line(Period.parse("2024-Q1"))
    'Số liệu từ ngày 01/01/2024 đến ngày 31/03/2024 (data from 2024-01-01 to 2024-03-31)'
    >>> data_range_line(Period.parse("2024-Q1"), "vi")
    'Số liệu từ ngày 01/01/2024 đến ngày 31/03/2024'
    """
    vi = f"Số liệu từ ngày {period.first_day:%d/%m/%Y} đến ngày {period.last_day:%d/%m/%Y}"
    en = f"data from {period.first_day.isoformat()} to {period.last_day.isoformat()}"
    if lang == "vi":
        return vi
    if lang == "en":
        return en[0].upper() + en[1:]
    return f"{vi} ({en})"


def unit_line(label: Label, unit: str | None, lang: Lang) -> str:
    """``"Đơn vị báo cáo: <unit>"``, with a dotted blank when the unit is not given."""
    return f"{label.text(lang)}: {unit or UNIT_NOT_GIVEN}"


def rejections_not_listed(report: Report, limit: int | None = None) -> int:
    """How many rejected rows a listing of ``report.rejections`` (at most ``limit`` of them,
    all kept ones when ``None``) leaves out: the "… N more rejected" count, never negative.

    >>> from tthc import Period, Report
    >>> from tthc.report import Rejection
    >>> r = Report(Period.parse("2024"), rows_read=30, rows_rejected=30,
    ...            rejections=tuple(Rejection(i, None, "bad") for i in range(20)))
    >>> rejections_not_listed(r), rejections_not_listed(r, limit=5)
    (10, 25)
    """
    shown = len(report.rejections) if limit is None else min(limit, len(report.rejections))
    return max(0, report.rows_rejected - shown)


def accounting_line(report: Report, lang: Lang = "bilingual") -> str:
    """The row accounting under every rendering of the table (read = counted + outside the
    period + rejected).

    >>> from tthc import Period, Report
    >>> r = Report(Period.parse("2024"), rows_read=3, rows_counted=2, rows_rejected=1)
    >>> accounting_line(r)
    'Dòng đọc (rows read): 3; được tính (counted): 2; ngoài kỳ (outside the period): 0; bị loại (rejected): 1'
    >>> accounting_line(r, "vi")
    'Dòng đọc: 3; được tính: 2; ngoài kỳ: 0; bị loại: 1'
    """
    parts = (
        (Label("Dòng đọc", "rows read"), report.rows_read),
        (Label("được tính", "counted"), report.rows_counted),
        (Label("ngoài kỳ", "outside the period"), report.rows_outside_period),
        (Label("bị loại", "rejected"), report.rows_rejected),
    )
    line = "; ".join(f"{label.text(lang)}: {value}" for label, value in parts)
    return line[0].upper() + line[1:]


REPEATED_SUPPLEMENT_NOTE = Label(
    "Hồ sơ yêu cầu bổ sung hơn một lần được tính quá hạn",
    "a dossier with more than one supplement request is counted late",
)
"""The note under a report built with ``ReportPolicy(repeated_supplement="late")``."""


WITHDRAWN_NOTE = Label(
    "Rút hồ sơ (để riêng, không thuộc cột nào của biểu)",
    "withdrawn, kept apart, in no column of the form",
)
"""The note under the form alone (``FormOptions(form_only=True)``) of a report that keeps
withdrawn dossiers apart: its received total is then resolved + pending + this count."""


def policy_lines(
    report: Report, lang: Lang = "bilingual", options: FormOptions | None = None
) -> list[str]:
    """Notes under the table for counting choices that change its columns without showing in
    them. Withdrawn dossiers kept apart have their own column — except on the form alone
    (``options.form_only``), where a note gives their number so that the received total still
    adds up (received = resolved + pending + withdrawn).

    >>> from tthc import Period, Report, ReportPolicy
    >>> policy_lines(Report(Period.parse("2024")))
    []
    >>> policy_lines(Report(Period.parse("2024"), policy=ReportPolicy(repeated_supplement="late")))
    ['Hồ sơ yêu cầu bổ sung hơn một lần được tính quá hạn (a dossier with more than one supplement request is counted late)']
    >>> apart = Report(Period.parse("2024"), policy=ReportPolicy(withdrawn="exclude"))
    >>> policy_lines(apart, "vi", FormOptions(form_only=True))
    ['Rút hồ sơ (để riêng, không thuộc cột nào của biểu): 0']
    """
    lines: list[str] = []
    if report.policy.repeated_supplement == "late":
        if lang == "en":
            text = REPEATED_SUPPLEMENT_NOTE.en
            lines.append(text[0].upper() + text[1:])
        else:
            lines.append(REPEATED_SUPPLEMENT_NOTE.text(lang))
    if report.policy.withdrawn == "exclude" and options is not None and options.form_only:
        text = WITHDRAWN_NOTE.text(lang)
        lines.append(f"{text[0].upper()}{text[1:]}: {report.totals.withdrawn_excluded:,}")
    return lines


CALENDAR_NOTE = Label("Tính theo lịch làm việc mã", "working calendar fingerprint")
SOURCE_NOTE = Label("Nguồn dữ liệu", "Data source")


NOTICES_NOTE = Label("thông báo nghỉ lễ áp dụng", "notices applied")


_NOTICES_ANNOUNCED: Final = re.compile(r"official notices announced by (\d{4})-(\d{2})-(\d{2})")
_NOTICE_SETS_VI: Final = {
    "no official notices": "không áp dụng thông báo nghỉ lễ, Tết",
    "official notices: statutes only": "chỉ các ngày nghỉ luật định",
}


def _notices_vi(notices: str) -> str:
    """The working calendar's notice set (:attr:`tthc.WorkingCalendar.notice_set`, written in
    English) in Vietnamese, for a form in Vietnamese only; the overlays' names are kept.

    >>> _notices_vi("official notices announced by 2026-01-07; overlays: Phường Nghi Hương")
    'thông báo nghỉ lễ, Tết công bố đến ngày 07/01/2026; lịch riêng: Phường Nghi Hương'
    """
    head, overlays, names = notices.partition("; overlays: ")
    head = _NOTICE_SETS_VI.get(head) or _NOTICES_ANNOUNCED.sub(
        r"thông báo nghỉ lễ, Tết công bố đến ngày \3/\2/\1", head
    )
    return head + (f"; lịch riêng: {names}" if overlays else "")


def _calendar_note(fingerprint: str, notices: str | None, lang: Lang) -> str:
    what = f" — {notices}" if notices else ""
    if lang == "vi":
        return f"{CALENDAR_NOTE.vi} {fingerprint}" + (
            f" — {_notices_vi(notices)}" if notices else ""
        )
    if lang == "en":
        return f"Computed on the {CALENDAR_NOTE.en} {fingerprint}{what}"
    return f"{CALENDAR_NOTE.vi} {fingerprint} ({CALENDAR_NOTE.en}){what}"


def footnotes(
    report: Report, lang: Lang = "bilingual", options: FormOptions | None = None
) -> list[str]:
    """The notes under the form's table ("Ghi chú"): the row accounting, the counting choices
    (:func:`policy_lines`, which ``options`` may add to), the working calendar's fingerprint
    (:attr:`~tthc.Report.calendar_fingerprint`, so the report can be recomputed on the same
    calendar) and the data source, each when known.

    >>> import dataclasses
    >>> from tthc import Period, Report
    >>> r = dataclasses.replace(Report(Period.parse("2024")), calendar_fingerprint="76b5ed2fa0c1fef3")
    >>> footnotes(r, "vi")[1]
    'Tính theo lịch làm việc mã 76b5ed2fa0c1fef3'
    >>> footnotes(r)[1]
    'Tính theo lịch làm việc mã 76b5ed2fa0c1fef3 (working calendar fingerprint)'
    """
    lines = [accounting_line(report, lang), *policy_lines(report, lang, options)]
    if report.calendar_fingerprint:
        lines.append(_calendar_note(report.calendar_fingerprint, report.calendar_notices, lang))
    if len(report.sources) > 1:
        for info in report.sources:
            lines.append(_source_line(info, lang))
    elif report.source:
        lines.append(f"{SOURCE_NOTE.text(lang)}: {report.source}")
    return lines


SOURCE_ROWS_NOTE = Label("dòng đọc", "rows read")
SOURCE_REJECTED_NOTE = Label("bị loại", "rejected")


def _source_line(info: SourceInfo, lang: Lang) -> str:
    """One source of a merged report: its unit and file, and its rows when known.

    >>> from tthc.report import SourceInfo
    >>> _source_line(SourceInfo("a.csv", "csv", unit="Phường A", rows_read=200, rows_rejected=1), "vi")
    'Nguồn dữ liệu: Phường A (a.csv): 200 dòng đọc, 1 bị loại'
    """
    name = f"{info.unit} ({info.name})" if info.unit and info.unit != info.name else info.name
    text = f"{SOURCE_NOTE.text(lang)}: {name}"
    if info.rows_read is not None:
        read, rejected = SOURCE_ROWS_NOTE.text(lang), SOURCE_REJECTED_NOTE.text(lang)
        text += f": {info.rows_read:,} {read}, {info.rows_rejected or 0:,} {rejected}"
    return text


# --------------------------------------------------------------------------- signature block


class Signer(NamedTuple):
    """One signer's column of the signature block, top to bottom."""

    date_line: str | None
    """The "<place>, ngày … tháng … năm …" line above the head of unit; ``None`` for the
    preparer."""
    title: str
    """"Người lập biểu" or "Thủ trưởng đơn vị"."""
    hint: str
    """"(Ký, ghi rõ họ tên)" or "(Ký tên, đóng dấu)"."""
    name: str
    """The signer's name, or "" to be written by hand."""


_BLANK_DAY: Final = "……"


def signing_date_line(options: FormOptions | None = None, lang: Lang = "vi") -> str:
    """The place and date line above the head of unit's signature.

    Day numbers below 10 and the months 1 and 2 get a leading zero, as Decree 30/2020/NĐ-CP
    (Appendix I) requires of the date of an administrative document; without
    :attr:`FormOptions.signed_on` the day, month and year are dotted blanks to fill in by hand.

    >>> signing_date_line(FormOptions(place="Nghi Hương", signed_on="2024-04-05"))
    'Nghi Hương, ngày 05 tháng 4 năm 2024'
    >>> signing_date_line(FormOptions(signed_on="2024-02-15"), "en")
    '……………………, 15 February 2024'
    >>> signing_date_line()
    '……………………, ngày …… tháng …… năm ……'
    """
    options = options or DEFAULT_OPTIONS
    place = options.place or UNIT_NOT_GIVEN
    day = options.signed_on
    if lang == "en":
        when = f"{day.day} {day:%B} {day.year}" if day else "date ……"
        return f"{place}, {when}"
    if day is None:
        vi = f"{place}, ngày {_BLANK_DAY} tháng {_BLANK_DAY} năm {_BLANK_DAY}"
    else:
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        vi = f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
    if lang == "bilingual" and day is not None:
        return f"{vi} ({day.isoformat()})"
    return vi


def signature_block(options: FormOptions | None = None, lang: Lang = "vi") -> tuple[Signer, Signer]:
    """The block that ends the form: the preparer on the left, the head of the unit (under the
    place and date line) on the right, each with the hint of how to sign and the name from
    ``options`` ("" to be written by hand).

    >>> left, right = signature_block(FormOptions(prepared_by="Nguyễn Văn A"))
    >>> left.title, left.hint, left.name
    ('Người lập biểu', '(Ký, ghi rõ họ tên)', 'Nguyễn Văn A')
    >>> right.title, right.hint, right.name
    ('Thủ trưởng đơn vị', '(Ký tên, đóng dấu)', '')
    """
    options = options or DEFAULT_OPTIONS
    return (
        Signer(None, PREPARED_BY.text(lang), SIGN_WITH_NAME.text(lang), options.prepared_by or ""),
        Signer(
            signing_date_line(options, lang),
            APPROVED_BY.text(lang),
            SIGN_WITH_SEAL.text(lang),
            options.approved_by or "",
        ),
    )


# --------------------------------------------------------------------------- plain text helpers


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` terminal columns (a word longer
    than a line is cut); always at least one line.

    >>> wrap("Tổng số đang giải quyết", 10)
    ['Tổng số', 'đang giải', 'quyết']
    >>> wrap("abcdefghij", 4)
    ['abcd', 'efgh', 'ij']
    """
    width = max(1, width)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        while display_width(word) > width:
            if current:
                lines.append(current)
                current = ""
            head, word = _cut(word, width)
            lines.append(head)
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


def _cut(word: str, width: int) -> tuple[str, str]:
    """The longest head of ``word`` within ``width`` columns (at least one character)."""
    used = 0
    for i, char in enumerate(word):
        used += display_width(char)
        if used > width:
            return word[: max(i, 1)], word[max(i, 1) :]
    return word, ""


def pad(text: str, width: int, align: Literal["left", "right", "center"] = "left") -> str:
    """``text`` padded with spaces to ``width`` terminal columns."""
    gap = max(0, width - display_width(text))
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def number_text(value: Cell, *, decimal: str = ".", grouping: str = "") -> str:
    """A table value as text: ``—`` for a missing ratio, 2 decimals for a float.

    >>> number_text(None), number_text(75.0), number_text(1234, grouping="."), number_text(66.5, decimal=",")
    ('—', '75.00', '1.234', '66,50')
    """
    if value is None:
        return "—"
    if isinstance(value, float):
        whole, frac = f"{value:.2f}".split(".")
        return _group(whole, grouping) + decimal + frac
    if isinstance(value, int):
        return _group(str(value), grouping)
    return value


def _group(digits: str, separator: str) -> str:
    if not separator:
        return digits
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    parts = re.findall(r"\d{1,3}", digits[::-1])
    return sign + separator.join(p[::-1] for p in reversed(parts))


def title_lines(report: Report, options: FormOptions | None, lang: Lang) -> list[str]:
    """The heading of a text rendering: form and title, units, period and data range."""
    options = options or DEFAULT_OPTIONS
    title = f"{FORM_NAME} — {FORM_TITLE.text(lang)}"
    return [
        title,
        unit_line(REPORTING_UNIT, report.unit, lang),
        unit_line(RECEIVING_UNIT, options.receiving_unit, lang),
        period_line(report.period, lang),
        data_range_line(report.period, lang),
    ]


def iter_rejection_lines(report: Report, limit: int) -> Iterable[str]:
    """The first ``limit`` rejections, then "… N more" when some are not listed."""
    for rejection in report.rejections[:limit]:
        yield str(rejection)
    more = rejections_not_listed(report, limit)
    if more > 0:
        yield f"… {more} more rejected row(s)"
