"""XLSX (read back with openpyxl) and HTML (parsed with html.parser) outputs of a report."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pytest

from tthc import Period, Report, ReportError, ReportPolicy
from tthc.report import Counts, FormOptions, report_columns
from tthc.report._form import FORM_TITLE, group_labels
from tthc.report._html import CHART_TITLE, render_html
from tthc.report._xlsx import render_xlsx

openpyxl = pytest.importorskip("openpyxl")

HEADER_TOP = 8
HEADER_BOTTOM = 9
FIRST_DATA_ROW = 11


def sample_report(**overrides: Any) -> Report:
    groups = {
        ("Hộ tịch", "online"): Counts(
            received_online=5,
            carried_over=2,
            resolved_early=3,
            resolved_on_time=2,
            resolved_late=1,
            resolved_late_with_apology=1,
            pending_within_time=1,
            processing_seconds=3 * 8 * 3600,
            processing_count=6,
        ),
        ('=HYPERLINK("http://evil")', "direct"): Counts(
            received_direct_postal=2, pending_overdue=2
        ),
        ("+Đất đai", "postal"): Counts(received_direct_postal=1, resolved_on_time=1),
    }
    fields: dict[str, Any] = {
        "period": Period.parse("2024-Q1", official=True),
        "group_by": ("domain", "channel"),
        "groups": groups,
        "rows_read": 14,
        "rows_counted": 13,
        "rows_rejected": 1,
        "unit": "UBND phường Nghi Hương",
        "source": "@data.csv",
    }
    fields.update(overrides)
    from tthc.report import Rejection

    fields.setdefault("rejections", (Rejection(7, "channel", "unknown channel 'fax'", "-X1"),))
    return Report(**fields)


def load(report: Report) -> Any:
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))


def test_xlsx_title_unit_period_and_merged_headers() -> None:
    report = sample_report()
    sheet = load(report).active
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert sheet["A4"].value == FORM_TITLE.vi.upper()
    assert sheet["J1"].value == "Đơn vị báo cáo: UBND phường Nghi Hương"
    assert sheet["J2"].value.startswith("Đơn vị nhận báo cáo: ……")
    assert report.period.label_vi in sheet["A5"].value
    assert "15/12/2023" in sheet["A6"].value
    assert "14/03/2024" in sheet["A6"].value
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # STT and the two group columns span both header rows; the three form groups span columns.
    assert {"A8:A9", "B8:B9", "C8:C9"} <= merged
    assert {"D8:G8", "H8:K8", "L8:N8"} <= merged
    assert sheet["D8"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["H8"].value == "Số hồ sơ đã giải quyết"
    assert sheet["L8"].value == "Số hồ sơ đang giải quyết"
    bottom = [sheet.cell(HEADER_BOTTOM, c).value for c in range(4, 15)]
    assert bottom[:4] == [
        "Tổng số",
        "Trực tuyến",
        "Trực tiếp, dịch vụ bưu chính",
        "Kỳ trước chuyển qua",
    ]
    assert [sheet.cell(10, c).value for c in (1, 2, 4)] == ["(1)", "(2)", "(4)"]
    # Vietnamese only by default: no English anywhere in the heading rows.
    heading = " ".join(
        str(c.value) for row in sheet.iter_rows(max_row=HEADER_BOTTOM + 1) for c in row if c.value
    )
    english = [c.label_en for c in report_columns(report)] + ["Total", "Domain", "Reporting"]
    assert not [word for word in english if word in heading]


def test_xlsx_bilingual_headings_on_request() -> None:
    sheet = openpyxl.load_workbook(
        io.BytesIO(render_xlsx(sample_report(), FormOptions(lang="bilingual")))
    ).active
    bottom = [sheet.cell(HEADER_BOTTOM + 1, c).value for c in range(4, 8)]
    assert bottom == [
        "Tổng số (Total)",
        "Trực tuyến (New online)",
        "Trực tiếp, dịch vụ bưu chính (In person, by post)",
        "Kỳ trước chuyển qua (Carried over)",
    ]


def test_xlsx_numbers_equal_the_report() -> None:
    report = sample_report()
    sheet = load(report).active
    columns = report_columns(report)
    rows = report.rows()
    for offset, (_key, counts) in enumerate(rows):
        row = FIRST_DATA_ROW + offset
        assert sheet.cell(row, 1).value == offset + 1
        for i, column in enumerate(columns):
            assert sheet.cell(row, 4 + i).value == counts.to_dict()[column.key], column.key
    totals_row = FIRST_DATA_ROW + len(rows)
    assert sheet.cell(totals_row, 1).value == "Tổng cộng"
    assert f"A{totals_row}:C{totals_row}" in {str(r) for r in sheet.merged_cells.ranges}
    totals = report.totals.to_dict()
    for i, column in enumerate(columns):
        assert sheet.cell(totals_row, 4 + i).value == totals[column.key], column.key
    rate_col = 4 + [c.key for c in columns].index("on_time_rate")
    assert sheet.cell(totals_row, rate_col).number_format == "0.00%"


def test_xlsx_neutralises_formula_like_text() -> None:
    workbook = load(sample_report())
    sheet = workbook.active
    texts = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.lstrip("'")[:1] in "=+-@"
    ]
    assert texts, "the sample has formula-like group names"
    for cell in texts:
        assert cell.data_type == "s"
        assert cell.value.startswith("'"), cell.value
    labels = {sheet.cell(r, 2).value for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 3)}
    assert '\'=HYPERLINK("http://evil")' in labels
    assert "'+Đất đai" in labels
    rejected = workbook["Dòng bị loại"]
    assert rejected["A2"].value == 7
    assert rejected["B2"].value == "'-X1"
    # Nothing in the workbook is a formula.
    for ws in workbook.worksheets:
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_withdrawn_kept_apart_column_and_empty_report() -> None:
    report = Report(Period.parse("2024"), policy=ReportPolicy(withdrawn="exclude"))
    sheet = load(report).active
    header = [sheet.cell(HEADER_BOTTOM, c).value for c in range(1, sheet.max_column + 1)]
    assert any(h and "Rút hồ sơ (để riêng)" in h for h in header)
    assert sheet.cell(FIRST_DATA_ROW, 1).value == "Tổng cộng"
    assert sheet.cell(FIRST_DATA_ROW, 3).value == 0


def test_repeated_supplement_policy_is_noted_in_xlsx_and_html() -> None:
    note = "Hồ sơ yêu cầu bổ sung hơn một lần được tính quá hạn"
    late = sample_report(policy=ReportPolicy(repeated_supplement="late"))
    for report, expected in ((sample_report(), False), (late, True)):
        sheet = load(report).active
        texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert any(note in t for t in texts) is expected
        assert any(note in t for t in parse(report).texts) is expected


def test_xlsx_without_openpyxl_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_openpyxl(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("openpyxl"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    with pytest.raises(ReportError, match=r'pip install "tthc\[xlsx\]"'):
        render_xlsx(sample_report())


class _Page(HTMLParser):
    """Collects table cells, SVG bars and script tags."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.section: str | None = None
        self.cell: list[str] | None = None
        self.bars: list[dict[str, str | None]] = []
        self.tags: set[str] = set()
        self.texts: list[str] = []
        self.spans: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
            self.spans.append(dict(attrs))
        elif tag == "rect":
            self.bars.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self.cell is not None:
            self.cell.append(data)


def parse(report: Report) -> _Page:
    page = _Page()
    page.feed(render_html(report))
    return page


def test_html_table_values_and_structure() -> None:
    report = sample_report()
    page = parse(report)
    assert "script" not in page.tags
    assert "link" not in page.tags
    assert any("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in t for t in page.texts)
    colspans = [s.get("colspan") for s in page.spans if s.get("colspan")]
    assert colspans == ["4", "4", "3", "4", "3"]  # received, resolved, pending, indicators; totals
    # STT and the group columns stand in both header rows (no rowspan: Chromium would not
    # repeat the header rows on every printed page).
    assert [s.get("class") for s in page.spans if s.get("class") in ("upper", "lower")] == [
        *["upper"] * 3,
        *["lower"] * 3,
    ]
    assert page.rows[0][1:3] == ["Lĩnh vực", "Kênh nộp"]
    columns = report_columns(report)
    body = page.rows[3:-1]  # two header rows + the column numbers; the totals row last
    assert len(body) == len(report.rows())
    for cells, (key, counts) in zip(body, report.rows(), strict=True):
        assert cells[1:3] == list(group_labels(report, key, "vi"))
        values = counts.to_dict()
        for i, column in enumerate(columns):
            if column.kind == "count":
                assert cells[3 + i] == str(values[column.key]), column.key
    totals = page.rows[-1]
    assert totals[0] == "Tổng cộng"
    assert totals[1] == str(report.totals.received_total)
    rate_index = 1 + [c.key for c in columns].index("on_time_rate")
    assert totals[rate_index] == f"{100 * report.totals.on_time_rate:.2f}%".replace(".", ",")


def test_html_chart_has_a_bar_per_group_with_its_rate() -> None:
    report = sample_report()
    page = parse(report)
    assert any(CHART_TITLE.vi in t for t in page.texts)
    rates = [float(b["data-rate"] or "nan") for b in page.bars]
    expected = [c.on_time_rate for _, c in report.rows() if c.on_time_rate is not None]
    expected.append(report.totals.on_time_rate)
    assert rates == pytest.approx(expected)
    widths = [float(b["width"] or 0) for b in page.bars]
    assert widths == pytest.approx([400 * r for r in rates], abs=0.06)
    # The group without any resolved dossier has no bar but says so.
    assert any("không có hồ sơ đã giải quyết" in t for t in page.texts)


def test_html_escapes_text() -> None:
    report = sample_report(
        groups={
            ("<script>alert(1)</script> & co", "online"): Counts(
                received_online=1, resolved_on_time=1
            )
        },
        rows_read=1,
        rows_counted=1,
        rows_rejected=0,
        rejections=(),
        unit='"><img src=x>',
    )
    html = render_html(report)
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    page = parse(report)
    assert "script" not in page.tags
    assert "img" not in page.tags
