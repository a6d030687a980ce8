"""The service index as text, CSV, JSON, Markdown, XLSX or HTML.

Every format shows, for the unit (the totals) and for each group, each indicator's numerator,
denominator, ratio and score beside its maximum and whether its scoring is confirmed; a ratio
with nothing to divide is "N/A", an indicator without data "chưa tính (not computed)", never 0 %
or 100 %. The group scores add what is known and name what is missing. Text from the data is
made visible (:func:`~tthc.report.visible_text`), escaped in HTML and Markdown, neutralised in
CSV and XLSX (:func:`~tthc.report.neutralise_cell`).
"""

from __future__ import annotations

import csv
import html
import io
import textwrap
from collections.abc import Sequence
from typing import Final

from tthc.errors import ReportError
from tthc.index._indicators import IndicatorValue, indicator
from tthc.index._result import GroupScore, ServiceIndex
from tthc.report import (
    DIMENSION_LABELS,
    SECONDS_PER_WORKING_DAY,
    XLSX_EXTRA_HINT,
    display_width,
    neutralise_cell,
    visible_text,
)

__all__ = ["INDEX_FORMATS", "INDEX_TITLE", "index_rows", "render_index"]

INDEX_FORMATS: Final = ("table", "csv", "json", "md", "xlsx", "html")
"""The formats :func:`render_index` writes."""

INDEX_TITLE: Final = (
    "Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
    "Service index for citizens and businesses (Decision 766/QĐ-TTg)",
)
_PRACTICE: Final = (
    "Công thức theo mô tả của Cổng Dịch vụ công quốc gia (phiên bản 2026): thực tiễn của Cổng, "
    "không phải quy định pháp luật",
    "Formulas as the national portal describes them (version 2026): portal practice, not law",
)
_NOT_COMPUTED: Final = ("chưa tính", "not computed")
_NA: Final = "N/A"
_TOTAL: Final = ("Toàn đơn vị", "Whole unit")
_HEADINGS: Final = {
    "id": ("Chỉ số", "Indicator"),
    "title": ("Tên chỉ số", "Title"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "ratio": ("Tỷ lệ", "Ratio"),
    "score": ("Điểm", "Score"),
    "max": ("Tối đa", "Max"),
    "confirmed": ("Cách tính điểm đã xác nhận", "Scoring confirmed"),
    "unknown": ("Hồ sơ thiếu dữ liệu", "Dossiers without data"),
    "status": ("Trạng thái", "Status"),
    "note": ("Ghi chú", "Note"),
}
_LONG_HEADINGS: Final = _HEADINGS | {
    "numerator": ("Tử số — 2.2: giờ làm việc", "Numerator — 2.2: working hours"),
    "ratio": ("Tỷ lệ — 2.2: ngày làm việc", "Ratio — 2.2: working days"),
}
"""The headings of the CSV and XLSX table, whose cells are bare numbers: the units of 2.2's
numerator and ratio named in the heading (the other numerators count dossiers; the other
ratios are fractions of 1, shown as percentages in XLSX)."""
_GROUP_HEADINGS: Final = {
    "group": ("Nhóm chỉ số", "Indicator group"),
    "score": ("Điểm đạt", "Score"),
    "max": ("Điểm tối đa", "Max points"),
    "missing": ("Chưa tính", "Not computed"),
    "not_scored": ("Chưa chấm điểm", "Not scored"),
}
_YES: Final = ("có", "yes")
_NO: Final = ("chưa", "no")
_WORKING_DAYS: Final = ("ngày làm việc", "working days")
_SECONDS_PER_HOUR: Final = 3600
_HOURS_PER_WORKING_DAY: Final = SECONDS_PER_WORKING_DAY // _SECONDS_PER_HOUR
_STATUS_LABELS: Final = {
    "computed": ("đã tính", "computed"),
    "n/a": ("N/A: không có hồ sơ trong phạm vi", "N/A: no dossier in scope"),
    "not computed": _NOT_COMPUTED,
}
"""The labels of :attr:`IndicatorValue.status` in CSV and XLSX (JSON keeps the values)."""
_NOT_SCORED: Final = ("đã tính, chưa chấm điểm", "computed, not scored")
"""The status label of an indicator with a value but no points (3.3: its points are not
confirmed)."""


def _t(pair: tuple[str, str], lang: str) -> str:
    if lang == "vi":
        return pair[0]
    if lang == "en":
        return pair[1]
    return f"{pair[0]} ({pair[1]})"


def _check_lang(lang: str) -> None:
    if lang not in ("vi", "en", "bilingual"):
        raise ReportError(f"unknown language {lang!r}; choose vi, en or bilingual")


def ratio_text(value: IndicatorValue, lang: str = "bilingual") -> str:
    """A value's ratio as shown: a percentage, 2.2's average in working days, ``N/A`` when the
    denominator is 0, "chưa tính (not computed)" without data; 3.3's with the factor that
    makes it (numerator ÷ denominator × 1.4's sync share), so that it can be checked by hand.

    >>> ratio_text(IndicatorValue("2.1", 7, 8)), ratio_text(IndicatorValue("2.1"))
    ('87.50%', 'N/A')
    >>> ratio_text(IndicatorValue("3.3", 1, 4, sync_share=0.5))
    '25.00% × 50.00% = 12.50%'
    """
    if value.status == "not computed" or (value.ratio is None and value.denominator > 0):
        return _t(_NOT_COMPUTED, lang)
    ratio = value.ratio
    if ratio is None:
        return _NA
    if value.id == "2.2":
        return f"{ratio:.2f} {_WORKING_DAYS[1] if lang == 'en' else _WORKING_DAYS[0]}"
    if value.id == "3.3" and value.sync_share is not None:
        share = value.numerator / value.denominator
        return f"{share:.2%} × {value.sync_share:.2%} = {ratio:.2%}"
    return f"{100 * ratio:.2f}%"


def _status_text(value: IndicatorValue, lang: str) -> str:
    """The status label (Vietnamese and English); "not scored" for a value without points."""
    if value.status == "computed" and value.score is None and value.indicator.scored:
        return _t(_NOT_SCORED, lang)
    return _t(_STATUS_LABELS[value.status], lang)


def _row_note(value: IndicatorValue) -> str | None:
    """What a CSV or XLSX row needs to be checked by hand: 3.3's factor."""
    if value.id == "3.3" and value.sync_share is not None and value.ratio is not None:
        share = value.numerator / value.denominator
        return (
            f"{value.numerator} ÷ {value.denominator} = {share:.2%} × "
            f"{value.sync_share:.2%} (1.4) = {value.ratio:.2%}"
        )
    return None


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _count_text(value: IndicatorValue, which: str) -> str:
    if value.status == "not computed" and value.denominator == 0 and not value.given:
        return ""
    number = value.numerator if which == "numerator" else value.denominator
    if value.given and value.denominator == 0:
        return ""
    if value.id == "2.2" and which == "numerator":
        return f"{number / _SECONDS_PER_HOUR:.1f} h"
    return f"{number:,}"


def index_rows(
    index: ServiceIndex, lang: str = "bilingual"
) -> tuple[list[str], list[list[str | int | float | bool | None]]]:
    """The index as one long table — one row per group (the totals last) and indicator — with
    plain values (numbers as numbers, ``None`` for N/A): the CSV and XLSX content.

    The numerators count dossiers, except 2.2's: its total processing time in working hours
    (rounded to 0.01 h); the ratios are fractions of 1, except 2.2's: working days of 8 working
    hours (both named in the headings). "Scoring confirmed" and the status are labels, as in
    the other formats; the note gives 3.3's factor (its ratio is numerator ÷ denominator × 1.4's
    sync share).

    >>> from tthc.index import IndexCounts
    >>> from tthc.report import Period
    >>> idx = ServiceIndex(Period.parse("2024-Q1"), groups={("X",): IndexCounts.of({"2.1.n": 1,
    ...                    "2.1.d": 2})})
    >>> header, rows = index_rows(idx, "en")
    >>> header[:3], [r[1:6] for r in rows if r[1] == "2.1"]
    (['Domain', 'Indicator', 'Title'], [['2.1', "Dossiers on time (the portal's rule)", 1, 2, 0.5], ['2.1', "Dossiers on time (the portal's rule)", 1, 2, 0.5]])
    >>> [r[8:] for r in rows if r[1] == "2.1"][0]
    ['no', 0, 'computed', None]
    """
    _check_lang(lang)
    dims = [_t(DIMENSION_LABELS.get(d, (d, d)), lang) for d in index.group_by]
    columns = ("id", "title", "numerator", "denominator", "ratio", "score", "max", "confirmed")
    header = [
        *dims,
        *(_t(_LONG_HEADINGS[k], lang) for k in columns),
        *(_t(_LONG_HEADINGS[k], lang) for k in ("unknown", "status", "note")),
    ]
    rows: list[list[str | int | float | bool | None]] = []
    keys: list[tuple[str, ...] | None] = [k for k, _ in index.rows()]
    keys.append(None)
    for key in keys:
        labels: list[str] = (
            list(index.labels(key))
            if key is not None
            else [_t(_TOTAL, lang)] + [""] * (len(dims) - 1)
        )
        for id_, value in index.values(key).items():
            ind = indicator(id_)
            if key is not None and not ind.computed:
                continue  # the inputs are the unit's: in the totals only
            rows.append(
                [
                    *labels,
                    id_,
                    ind.title(lang),
                    round(value.numerator / _SECONDS_PER_HOUR, 2)
                    if id_ == "2.2"
                    else value.numerator,
                    value.denominator,
                    value.ratio,
                    value.score,
                    ind.max_points,
                    _t(_YES if ind.confirmed else _NO, lang),
                    value.unknown,
                    _status_text(value, lang),
                    _row_note(value),
                ]
            )
    return header, rows


def _group_lines(scores: Sequence[GroupScore], lang: str) -> list[list[str]]:
    out = []
    for g in scores:
        out.append(
            [
                _t((g.title_vi, g.title_en), lang),
                _num(g.score),
                str(g.max_points),
                ", ".join(g.missing),
                ", ".join(g.not_scored),
            ]
        )
    return out


def _indicator_lines(
    index: ServiceIndex, key: tuple[str, ...] | None, lang: str
) -> list[list[str]]:
    """One line per indicator: all of them for the totals, the computed ones for a group (the
    inputs are the unit's)."""
    out = []
    for id_, value in index.values(key).items():
        ind = indicator(id_)
        if key is not None and not ind.computed:
            continue
        score = _num(value.score)
        out.append(
            [
                id_,
                ind.title(lang) + (" *" if value.given else ""),
                _count_text(value, "numerator"),
                _count_text(value, "denominator"),
                ratio_text(value, lang),
                score,
                _num(ind.max_points)
                if ind.max_points is not None
                else ("—" if not ind.scored else "?"),
                _t(_YES if ind.confirmed else _NO, lang),
            ]
        )
    return out


def _notes(index: ServiceIndex, lang: str) -> list[str]:
    notes = [_t(_PRACTICE, lang)]
    totals = index.values()
    differs = (totals["2.1"].extra or {}).get("differs", 0)
    if differs:
        notes.append(
            _t(
                (
                    f"Chỉ số 2.1: {differs} hồ sơ được đánh giá khác với Biểu số 06 "
                    "(danh sách: --list 2.1:differs)",
                    f"Indicator 2.1: {differs} dossiers judged otherwise than Biểu số 06 "
                    "(list: --list 2.1:differs)",
                ),
                lang,
            )
        )
    unknown = sum(v.unknown for v in totals.values())
    if unknown:
        detail = ", ".join(f"{i} {v.unknown}" for i, v in totals.items() if v.unknown)
        notes.append(
            _t(
                (
                    f"Hồ sơ thiếu dữ liệu (cột trống hoặc không có) không được tính vào tử số và "
                    f"mẫu số: {detail}",
                    f"Dossiers without the data an indicator needs (absent or empty cell) are "
                    f"left out of its numerator and denominator: {detail}",
                ),
                lang,
            )
        )
    notes.append(
        _t(
            (
                f"Chỉ số 2.2: tử số là tổng thời gian giải quyết tính bằng giờ làm việc (h), tỷ "
                f"lệ là số ngày làm việc trung bình ({_HOURS_PER_WORKING_DAY} giờ làm việc một "
                "ngày)",
                "Indicator 2.2: the numerator is the total processing time in working hours (h), "
                f"the ratio the average in working days ({_HOURS_PER_WORKING_DAY} working hours "
                "a day)",
            ),
            lang,
        )
    )
    notes.append(
        _t(
            (
                "Chỉ số 3.3: tỷ lệ = tử số ÷ mẫu số × tỷ lệ đồng bộ của chỉ số 1.4 (cùng nhóm); "
                "chưa chấm điểm vì số điểm tối đa ('?') chưa được xác nhận",
                "Indicator 3.3: ratio = numerator ÷ denominator × indicator 1.4's sync share "
                "(of the same group); not scored, its maximum points ('?') not being confirmed",
            ),
            lang,
        )
    )
    if any(v.given for v in totals.values()):
        notes.append(
            _t(
                ("* lấy từ tệp số liệu đầu vào", "* taken from the inputs file"),
                lang,
            )
        )
    notes.append(
        _t(
            (
                "Điểm của chỉ số có 'chưa' ở cột xác nhận là ước tính: nguồn chưa cho cách tính",
                "Scores marked 'no' under 'scoring confirmed' are estimates: the source does not "
                "give the formula",
            ),
            lang,
        )
    )
    accounting = (
        f"Dòng đọc {index.rows_read}, bị loại {index.rows_rejected}",
        f"Rows read {index.rows_read}, rejected {index.rows_rejected}",
    )
    notes.append(_t(accounting, lang))
    if index.calendar_fingerprint:
        notes.append(
            _t(("Lịch làm việc mã", "Working calendar fingerprint"), lang)
            + f" {index.calendar_fingerprint}"
            + (f" — {index.calendar_notices}" if index.calendar_notices else "")
        )
    return notes


def _title_lines(index: ServiceIndex, lang: str) -> list[str]:
    lines = [_t(INDEX_TITLE, lang)]
    if index.unit:
        lines.append(_t(("Đơn vị", "Unit"), lang) + f": {index.unit}")
    lines.append(
        _t(("Kỳ", "Period"), lang)
        + ": "
        + {"vi": index.period.label_vi, "en": index.period.label_en}.get(lang, index.period.label)
    )
    if index.source:
        lines.append(_t(("Nguồn dữ liệu", "Data source"), lang) + f": {index.source}")
    return lines


def _group_name(index: ServiceIndex, key: tuple[str, ...] | None, lang: str) -> str:
    if key is None:
        return _t(_TOTAL, lang)
    dims = " / ".join(_t(DIMENSION_LABELS.get(d, (d, d)), lang) for d in index.group_by)
    return f"{dims}: " + " / ".join(index.labels(key))


def _header_rows(keys: Sequence[tuple[str, str]], lang: str) -> list[list[str]]:
    """Column headings: one row in ``vi`` or ``en``, two (Vietnamese over English) bilingual."""
    if lang == "bilingual":
        return [[k[0] for k in keys], [k[1] for k in keys]]
    return [[_t(k, lang) for k in keys]]


def _cut(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    while text and display_width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _text_table(
    headers: list[list[str]],
    rows: list[list[str]],
    width: int,
    flex: int,
    numeric: set[int],
    wrap: bool = False,
) -> list[str]:
    """Aligned columns; column ``flex`` (a title) is cut with … to fit ``width`` (``wrap``:
    its text goes on over the next lines instead, nothing cut)."""
    heads = [[visible_text(c) for c in h] for h in headers]
    body = [[visible_text(c) for c in r] for r in rows]
    cells = heads + body
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(headers[0]))]
    other = sum(w for i, w in enumerate(widths) if i != flex) + 2 * (len(widths) - 1)
    widths[flex] = max(6, min(widths[flex], width - other))
    if wrap:  # the body's cells go on over more lines; the headings (one line each) are cut
        lines: list[list[str]] = list(heads)
        for row in body:
            parts = textwrap.wrap(row[flex], widths[flex]) or [""]
            lines.append([*row[:flex], parts[0], *row[flex + 1 :]])
            lines += [["" if i != flex else part for i in range(len(row))] for part in parts[1:]]
        cells = lines
    out = []
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            text = _cut(cell, widths[i])
            gap = " " * (widths[i] - display_width(text))
            parts.append(gap + text if i in numeric and n >= len(heads) else text + gap)
        out.append("  ".join(parts).rstrip())
        if n == len(heads) - 1:
            out.append("  ".join("-" * w for w in widths))
    return out


_COLUMNS: Final = ("id", "title", "numerator", "denominator", "ratio", "score", "max", "confirmed")
_SHORT: Final = {c: _HEADINGS[c] for c in _COLUMNS} | {
    "id": ("Chỉ số", "Id"),
    "confirmed": ("Xác nhận", "Confirmed"),
}
"""The headings of the narrow table: :data:`_HEADINGS`, two of them shorter."""
_GROUP_COLUMNS: Final = ("group", "score", "max", "missing", "not_scored")


_MIN_TITLE: Final = 24
"""Below this many columns for the titles, the table leaves them out and lists them under it."""


def _render_table(index: ServiceIndex, lang: str, width: int) -> str:
    group_heads = _header_rows([_GROUP_HEADINGS[k] for k in _GROUP_COLUMNS], lang)
    lines = [
        part
        for line in _title_lines(index, lang)
        for part in textwrap.wrap(visible_text(line), width) or [""]
    ]
    sections: list[tuple[str, tuple[str, ...] | None]] = [(_group_name(index, None, lang), None)]
    sections += [(_group_name(index, key, lang), key) for key, _ in index.rows()]
    short = "en" if lang == "en" else "vi"
    legend: dict[str, str] = {}
    for name, key in sections:
        lines += ["", _cut(visible_text(name), width)]
        rows = _indicator_lines(index, key, short if lang == "bilingual" else lang)
        heads = _header_rows([_SHORT[k] for k in _COLUMNS], lang)
        table = _text_table(heads, rows, width, 1, {2, 3, 4, 5, 6})
        room = (
            width
            - sum(
                max(display_width(visible_text(r[i])) for r in [*heads, *rows])
                for i in range(len(_COLUMNS))
                if i != 1
            )
            - 2 * (len(_COLUMNS) - 1)
        )
        if room < _MIN_TITLE:  # too narrow for the titles: list them under the tables
            for row in rows:
                legend[row[0]] = row[1]
            heads = [[h for i, h in enumerate(head) if i != 1] for head in heads]
            rows = [[c for i, c in enumerate(row) if i != 1] for row in rows]
            table = _text_table(heads, rows, width, 0, {1, 2, 3, 4, 5})
        lines += table
        lines.append("")
        group_rows = _group_lines(index.group_scores(key), short if lang == "bilingual" else lang)
        lines += _text_table(group_heads, group_rows, width, 3, {1, 2}, wrap=True)
    if legend:
        lines += ["", _t(_HEADINGS["title"], lang) + ":"]
        for id_, title in legend.items():
            lines += textwrap.wrap(
                visible_text(title), width, initial_indent=f"{id_:<5}", subsequent_indent=" " * 5
            )
    lines += ["", _t(("Ghi chú", "Notes"), lang) + ":"]
    for note in _notes(index, lang):
        lines += textwrap.wrap(
            visible_text(note), width, initial_indent="- ", subsequent_indent="  "
        )
    return "\n".join(lines) + "\n"


def _md_cell(text: str) -> str:
    out = visible_text(text).replace("&", "&amp;").replace("<", "&lt;")
    for ch in "\\`*_[]~|":
        out = out.replace(ch, "\\" + ch)
    return out


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in header) + " |"]
    out.append("|" + "|".join("---" for _ in header) + "|")
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out


def _render_md(index: ServiceIndex, lang: str) -> str:
    heads = [
        _t(_HEADINGS[k], lang)
        for k in ("id", "title", "numerator", "denominator", "ratio", "score", "max", "confirmed")
    ]
    group_heads = [_t(_GROUP_HEADINGS[k], lang) for k in _GROUP_COLUMNS]
    title, *rest = _title_lines(index, lang)
    lines = [f"# {_md_cell(title)}", ""] + [f"{_md_cell(r)}  " for r in rest]
    for key in [None, *(k for k, _ in index.rows())]:
        lines += ["", f"## {_md_cell(_group_name(index, key, lang))}", ""]
        lines += _md_table(heads, _indicator_lines(index, key, lang))
        lines.append("")
        lines += _md_table(group_heads, _group_lines(index.group_scores(key), lang))
    lines += ["", f"**{_t(('Ghi chú', 'Notes'), lang)}**", ""]
    lines += [f"- {_md_cell(n)}" for n in _notes(index, lang)]
    return "\n".join(lines) + "\n"


def _e(text: str) -> str:
    return html.escape(visible_text(text), quote=True)


_STYLE: Final = """
body { font-family: "Times New Roman", Times, "Liberation Serif", serif; font-size: 12pt;
       max-width: 270mm; margin: 1em auto; color: #000; }
h1 { font-size: 15pt; text-align: center; } h2 { font-size: 13pt; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0; }
th, td { border: 1px solid #000; padding: 2px 5px; }
th { background: #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.na { text-align: right; font-style: italic; color: #555; }
.meta, .notes { font-size: 11pt; } .notes { font-style: italic; }
@page { size: A4 landscape; margin: 12mm; }
"""


def _render_html(index: ServiceIndex, lang: str) -> str:
    heads = [
        _t(_HEADINGS[k], lang)
        for k in ("id", "title", "numerator", "denominator", "ratio", "score", "max", "confirmed")
    ]
    group_heads = [_t(_GROUP_HEADINGS[k], lang) for k in _GROUP_COLUMNS]
    title, *rest = _title_lines(index, lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "vi"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        *(f'<p class="meta">{_e(r)}</p>' for r in rest),
    ]

    def table(header: list[str], rows: list[list[str]], numeric_from: int, numeric_to: int) -> None:
        out.append("<table><thead><tr>")
        out.extend(f'<th scope="col">{_e(h)}</th>' for h in header)
        out.append("</tr></thead><tbody>")
        for row in rows:
            cells = []
            for i, cell in enumerate(row):
                kind = ""
                if numeric_from <= i < numeric_to:
                    kind = (
                        ' class="na"' if cell in (_NA, _t(_NOT_COMPUTED, lang)) else ' class="num"'
                    )
                cells.append(f"<td{kind}>{_e(cell)}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")

    for key in [None, *(k for k, _ in index.rows())]:
        out.append(f"<h2>{_e(_group_name(index, key, lang))}</h2>")
        table(heads, _indicator_lines(index, key, lang), 2, 7)
        table(group_heads, _group_lines(index.group_scores(key), lang), 1, 3)
    out.append(
        f'<section class="notes"><p><strong>{_e(_t(("Ghi chú", "Notes"), lang))}</strong></p><ul>'
    )
    out += [f"<li>{_e(n)}</li>" for n in _notes(index, lang)]
    out += ["</ul></section>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _safe(value: str | int | float | bool | None) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        text: str = neutralise_cell(visible_text(value))
        return text
    return value


def _render_csv(index: ServiceIndex, lang: str) -> str:
    header, rows = index_rows(index, lang)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe(h) for h in header])
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return buffer.getvalue()


def _render_xlsx(index: ServiceIndex, lang: str) -> bytes:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        raise ReportError(XLSX_EXTRA_HINT) from None
    header, rows = index_rows(index, lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Chỉ số 766"
    sheet.cell(row=1, column=1, value=_t(INDEX_TITLE, lang)).font = Font(bold=True)
    sheet.cell(
        row=2,
        column=1,
        value=neutralise_cell(visible_text(" — ".join(_title_lines(index, lang)[1:]))),
    )
    first = 4
    for c, text in enumerate(header, start=1):
        sheet.cell(row=first, column=c, value=_safe(text)).font = Font(bold=True)
    id_column = len(index.group_by) + 1
    numerator_column = id_column + 2  # id, title, numerator, denominator, ratio…
    ratio_column = id_column + 4
    for r, row in enumerate(rows, start=first + 1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=_safe(value))
            if isinstance(value, str):
                cell.data_type = "s"
            elif c == ratio_column and isinstance(value, float):
                cell.number_format = "0.00" if row[id_column - 1] == "2.2" else "0.00%"
            elif c == numerator_column and row[id_column - 1] == "2.2":
                cell.number_format = "0.0"  # working hours, as the table shows them
    notes_row = first + len(rows) + 2
    for i, note in enumerate(_notes(index, lang)):
        sheet.cell(row=notes_row + i, column=1, value=neutralise_cell(visible_text(note)))
    for c, text in enumerate(header, start=1):
        letter = sheet.cell(row=first, column=c).column_letter
        longest = max([display_width(text)] + [display_width(str(r[c - 1])) for r in rows])
        sheet.column_dimensions[letter].width = min(50, longest + 2)
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_index(
    index: ServiceIndex, fmt: str = "table", *, lang: str = "bilingual", width: int = 100
) -> str | bytes:
    """Render ``index`` as ``table`` (fits ``width`` columns), ``csv`` (UTF-8 with a BOM, one
    row per group and indicator), ``json`` (:meth:`ServiceIndex.to_dict`), ``md``, ``xlsx``
    (bytes; ``pip install "tthc[xlsx]"``) or ``html`` (one self-contained page), in ``vi``,
    ``en`` or ``bilingual``.

    >>> from tthc.index import IndexCounts
    >>> from tthc.report import Period
    >>> idx = ServiceIndex(Period.parse("2024-Q1"), groups={("Hộ tịch",): IndexCounts.of(
    ...     {"2.1.n": 9, "2.1.d": 10})})
    >>> text = render_index(idx, "table", lang="en", width=90)
    >>> "90.00%" in text, "N/A" in text, "not computed" in text
    (True, True, True)
    >>> max(len(line) for line in text.splitlines()) <= 90
    True
    """
    _check_lang(lang)
    if fmt == "json":
        return index.to_json() + "\n"
    if fmt == "csv":
        return _render_csv(index, lang)
    if fmt == "table":
        return _render_table(index, lang, width)
    if fmt == "md":
        return _render_md(index, lang)
    if fmt == "html":
        return _render_html(index, lang)
    if fmt == "xlsx":
        return _render_xlsx(index, lang)
    raise ReportError(f"unknown format {fmt!r}; choose one of {', '.join(INDEX_FORMATS)}")
