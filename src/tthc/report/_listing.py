"""The rows of a list of dossiers, shared by the list writers and the HTML report's lists.

:func:`dossier_list_rows` turns :class:`~tthc.report.ListedDossier` entries into a header and
rows of text in Vietnamese, English or both: the code, the group, the instants, the status, the
Biểu số 06 result and its rule, the lateness or time left, and indicator 2.1's verdict when the
entries carry it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final, get_args

from tthc._rules import CELL_OF_TIMELINESS, Timeliness, rule_label
from tthc.errors import ReportError
from tthc.report._form import Label, Lang
from tthc.report._options import DIMENSION_LABELS
from tthc.report._trace import LEFT_PREFIX, ListedDossier, lateness_text

__all__ = ["CELL_LABELS", "dossier_list_rows"]


CELL_LABELS: Final = {
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
    unnamed = len(dims) - len(group_by)

    def dim_heading(dim: str) -> str:
        labels = DIMENSION_LABELS.get(dim)
        if labels is not None:
            return Label(*labels).text(language)
        if unnamed:  # group_by not given: "Nhóm (Group)", numbered when there are several
            number = f" {int(dim[1:]) + 1}" if unnamed > 1 else ""
            return Label(f"Nhóm{number}", f"Group{number}").text(language)
        return dim

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
            label(CELL_LABELS.get(e.cell, e.cell), _CELL_LABELS_EN.get(e.cell, e.cell)),
            rule_label(e.rule, language),
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
