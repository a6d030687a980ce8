"""Lists of dossiers (the dossiers behind a cell, the act-now list) as table, CSV, JSON or XLSX.

Every format has the same columns: the code, the group, the receipt, the due instant judged
against, the finish, the status, the Biểu số 06 result and the rule that gave it, the lateness
("quá 2 ngày 3 giờ") or the time left in working time, and — in the service index's lists —
indicator 2.1's verdict beside it. Text is made visible (:func:`~tthc.report.visible_text`); CSV
and XLSX cells are neutralised against formulas (:func:`~tthc.report.neutralise_cell`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Final, get_args

from tthc._rules import CELL_OF_TIMELINESS, Timeliness
from tthc.errors import ReportError
from tthc.report._form import (
    Label,
    Lang,
    display_width,
    neutralise_cell,
    pad,
    visible_text,
)
from tthc.report._options import DIMENSION_LABELS
from tthc.report._trace import LEFT_PREFIX, ListedDossier, lateness_text
from tthc.report._xlsx import XLSX_EXTRA_HINT

__all__ = ["LIST_FORMATS", "dossier_list_rows", "render_dossier_list"]

LIST_FORMATS: Final = ("table", "csv", "json", "xlsx")
"""The formats a list of dossiers is written in."""

_CELL_LABELS: Final = {
    **{cell: t.label_vi for t, cell in CELL_OF_TIMELINESS.items()},
    "resolved_late_with_apology": "Trễ hạn, có xin lỗi",
}
_CELL_LABELS_EN: Final = {
    **{cell: t.label_en for t, cell in CELL_OF_TIMELINESS.items()},
    "resolved_late_with_apology": "Late, with apology",
}
_PROGRESS_LABELS: Final = {
    "on_time": (Timeliness.ON_TIME.label_vi, Timeliness.ON_TIME.label_en),
    "late": (Timeliness.LATE.label_vi, Timeliness.LATE.label_en),
}

CODE = Label("Mã hồ sơ", "Dossier code")
RECEIVED = Label("Ngày tiếp nhận", "Received")
DUE = Label("Hạn giải quyết", "Due")
FINISHED = Label("Ngày kết thúc", "Finished")
STATUS = Label("Trạng thái", "Status")
RESULT = Label("Kết quả (Biểu 06)", "Result (Biểu 06)")
RULE = Label("Quy tắc", "Rule")
LATE_BY = Label("Quá hạn", "Late by")
TIME_LEFT = Label("Thời gian còn lại", "Time left")
PROGRESS = Label("Chỉ số 2.1", "Indicator 2.1")
PROGRESS_END = Label("Kết thúc xử lý (2.1)", "End of processing (2.1)")
PROGRESS_LATE = Label("Quá hạn (2.1)", "Late by (2.1)")
LINE = Label("Dòng", "Line")

_INSTANT_FORMAT: Final = "%Y-%m-%d %H:%M"


def _instant(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime(_INSTANT_FORMAT)


def _lang(lang: str) -> Lang:
    if lang not in get_args(Lang):
        raise ReportError(f"unknown language {lang!r}; choose vi, en or bilingual")
    return lang  # type: ignore[return-value]


def dossier_list_rows(
    entries: Sequence[ListedDossier], group_by: Sequence[str] = (), lang: str = "bilingual"
) -> tuple[list[str], list[list[str | int]]]:
    """The list's header and rows (text, the line as a number), before escaping. The 2.1
    columns are there when any entry carries indicator 2.1's verdict.

    >>> import datetime as dt
    >>> from tthc import VN_TZ, Channel, DossierStatus
    >>> t = dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
    >>> header, rows = dossier_list_rows([ListedDossier("A-1", ("Hộ tịch",), t, t, None,
    ...     DossierStatus.PROCESSING, Channel.ONLINE, "pending_overdue", "pending overdue")],
    ...     ("domain",), lang="en")
    >>> header[:3], rows[0][:2], rows[0][6]
    (['Dossier code', 'Domain', 'Received'], ['A-1', 'Hộ tịch'], 'Overdue')
    """
    language = _lang(lang)
    dims = list(group_by) or [f"g{i}" for i in range(len(entries[0].group) if entries else 0)]

    def dim_heading(dim: str) -> str:
        labels = DIMENSION_LABELS.get(dim)
        return Label(*labels).text(language) if labels else dim

    with_progress = any(e.progress is not None for e in entries)
    header = [
        CODE.text(language),
        *(dim_heading(d) for d in dims),
        RECEIVED.text(language),
        DUE.text(language),
        FINISHED.text(language),
        STATUS.text(language),
        RESULT.text(language),
        RULE.text(language),
        LATE_BY.text(language),
        TIME_LEFT.text(language),
    ]
    if with_progress:
        header += [
            PROGRESS.text(language),
            PROGRESS_END.text(language),
            PROGRESS_LATE.text(language),
        ]
    header.append(LINE.text(language))

    def label(vi: str, en: str) -> str:
        return Label(vi, en).text(language)

    rows: list[list[str | int]] = []
    for e in entries:
        row: list[str | int] = [
            e.code,
            *e.group,
            _instant(e.received_at),
            _instant(e.due_at),
            _instant(e.finished_at),
            label(e.status.label_vi, e.status.label_en),
            label(_CELL_LABELS.get(e.cell, e.cell), _CELL_LABELS_EN.get(e.cell, e.cell)),
            e.rule,
            lateness_text(e.late_by),
            lateness_text(e.time_left, LEFT_PREFIX),
        ]
        if with_progress:
            verdict = _PROGRESS_LABELS.get(e.progress or "")
            row += [
                label(*verdict) if verdict else "",
                _instant(e.progress_end),
                lateness_text(e.progress_late_by),
            ]
        row.append(e.line)
        rows.append(row)
    return header, rows


def render_dossier_list(
    entries: Sequence[ListedDossier],
    fmt: str = "csv",
    *,
    group_by: Sequence[str] = (),
    title: str | None = None,
    lang: str = "bilingual",
) -> str | bytes:
    """Write a list of dossiers as ``table`` (aligned text), ``csv`` (UTF-8 with a byte-order
    mark), ``json`` (``{"list": title, "count": n, "dossiers": [...]}``, see
    :meth:`ListedDossier.to_dict`) or ``xlsx`` (bytes; ``pip install "tthc[xlsx]"``).

    >>> import datetime as dt
    >>> from tthc import VN_TZ, Channel, DossierStatus
    >>> from tthc.lifecycle import WorkingDuration
    >>> t = dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
    >>> entry = ListedDossier("=A-1", ("Hộ tịch",), t, t, None, DossierStatus.PROCESSING,
    ...     Channel.ONLINE, "pending_overdue", "pending overdue", late_by=WorkingDuration(2, 3, 0))
    >>> print(render_dossier_list([entry], "csv", group_by=("domain",), lang="vi"))  # doctest: +ELLIPSIS
    ﻿Mã hồ sơ,Lĩnh vực,Ngày tiếp nhận,...
    '=A-1,Hộ tịch,2024-03-04 08:00,2024-03-04 08:00,,Đang xử lý,Quá hạn,pending overdue,quá 2 ngày 3 giờ,,0
    <BLANKLINE>
    """
    if fmt == "json":
        data = {
            "list": title,
            "count": len(entries),
            "dossiers": [e.to_dict(group_by) for e in entries],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    header, rows = dossier_list_rows(entries, group_by, lang)
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([neutralise_cell(visible_text(h)) for h in header])
        for row in rows:
            writer.writerow([_safe(v) for v in row])
        return buffer.getvalue()
    if fmt == "xlsx":
        return _xlsx(header, rows, title)
    if fmt == "table":
        return _table(header, rows, title, len(entries))
    raise ReportError(f"unknown list format {fmt!r}; choose one of {', '.join(LIST_FORMATS)}")


def _safe(value: str | int) -> str | int:
    if isinstance(value, str):
        text: str = neutralise_cell(visible_text(value))
        return text
    return value


_COUNT: Final = Label("hồ sơ", "dossiers")


def _table(header: list[str], rows: list[list[str | int]], title: str | None, n: int) -> str:
    cells = [[visible_text(h) for h in header]] + [[visible_text(str(v)) for v in r] for r in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    if title:
        lines.append(visible_text(title))
    lines.append(f"{n} {_COUNT.text('bilingual')}")
    for number, row in enumerate(cells):
        lines.append("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _xlsx(header: list[str], rows: list[list[str | int]], title: str | None) -> bytes:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise ReportError(XLSX_EXTRA_HINT) from None
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách hồ sơ"
    first = 1
    if title:
        sheet.cell(row=1, column=1, value=neutralise_cell(visible_text(title))).font = Font(
            bold=True
        )
        first = 3
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=first, column=column, value=neutralise_cell(visible_text(text)))
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=first + 1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=column, value=_safe(value))
            if isinstance(value, str):
                cell.data_type = "s"
    for column, text in enumerate(header, start=1):
        width = max([display_width(text), *(display_width(str(row[column - 1])) for row in rows)])
        letter = sheet.cell(row=first, column=column).column_letter
        sheet.column_dimensions[letter].width = min(60, width + 2)
    sheet.freeze_panes = sheet.cell(row=first + 1, column=2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
