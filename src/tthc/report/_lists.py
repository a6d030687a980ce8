"""Lists of dossiers (the dossiers behind a cell, the act-now list) as table, CSV, JSON or XLSX.

Every format has the same columns: the code, the group, the receipt, the due instant judged
against, the finish, the status, the Biểu số 06 result and the rule that gave it, the lateness
("quá 2 ngày 3 giờ") or the time left in working time, and — in the service index's lists —
indicator 2.1's verdict beside it. Text is made visible (:func:`~tthc.report.visible_text`); CSV
and XLSX cells are neutralised against formulas (:func:`~tthc.report.neutralise_cell`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Final

from tthc.errors import ReportError
from tthc.report._form import (
    Label,
    display_width,
    neutralise_cell,
    pad,
    visible_text,
)
from tthc.report._listing import dossier_list_rows
from tthc.report._trace import ListedDossier
from tthc.report._xlsx import XLSX_EXTRA_HINT

__all__ = ["LIST_FORMATS", "dossier_list_rows", "render_dossier_list"]

LIST_FORMATS: Final = ("table", "csv", "json", "xlsx")
"""The formats a list of dossiers is written in."""


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
    '=A-1,Hộ tịch,2024-03-04 08:00,2024-03-04 08:00,,Đang xử lý,Quá hạn,đang giải quyết quá hạn,quá 2 ngày 3 giờ,,0
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
