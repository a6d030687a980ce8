"""The report as a form: options, languages, the form's columns only, units and signature block
in every rendering, the calendar fingerprint, the terminal width, data out, the CLI options."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import tthc
from tthc import Period, Report, ReportError, ReportPolicy
from tthc.cli import main
from tthc.report import (
    REPORT_COLUMNS,
    Counts,
    FormOptions,
    display_width,
    render,
    render_csv,
    render_html,
    render_xlsx,
    table_layout,
)

openpyxl = pytest.importorskip("openpyxl")

UNIT = "UBND phường Nghi Hương, thị xã Cửa Lò, tỉnh Nghệ An"
RECEIVING = "UBND thị xã Cửa Lò"
PREPARER = "Nguyễn Thị Lan"
HEAD = "Trần Văn Hùng"
SIGNED = FormOptions(
    receiving_unit=RECEIVING,
    prepared_by=PREPARER,
    approved_by=HEAD,
    place="Nghi Hương",
    signed_on=dt.date(2024, 4, 5),
)
FORM_KEYS = [c.key for c in REPORT_COLUMNS if c.on_form]
TEXT_FORMATS = ("table", "csv", "json", "md", "html")


def demo() -> Report:
    return tthc.demo_report()


def text_of(report: Report, fmt: str, options: FormOptions | None = None) -> str:
    """Every rendering as text (the XLSX's cell values joined)."""
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, options)))
        return "\n".join(
            str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
        )
    out = render(report, fmt, options=options)
    assert isinstance(out, str)
    if fmt == "html":
        page = _Headings()
        page.feed(out)
        return "".join(page.all)
    return out


# --------------------------------------------------------------------------- options


def test_options_are_frozen_typed_and_strict() -> None:
    options = FormOptions(receiving_unit="  ", prepared_by=" A ", signed_on="2024-04-05")
    assert options.receiving_unit is None  # blank counts as not given
    assert options.prepared_by == "A"
    assert options.signed_on == dt.date(2024, 4, 5)
    with pytest.raises(ValidationError):
        options.lang = "vi"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="lang"):
        FormOptions(lang="fr")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="receving_unit"):
        FormOptions(receving_unit="x")  # type: ignore[call-arg]


def test_render_refuses_unknown_formats_and_wrong_options() -> None:
    with pytest.raises(ReportError, match=r"unknown report format 'pdf' \(there is no PDF output"):
        render(demo(), "pdf")
    with pytest.raises(ReportError, match="unknown report format 'docx'; choose one of table"):
        render(demo(), "docx")
    with pytest.raises(TypeError, match=r"render\(options=...\) must be a tthc.report.FormOptions"):
        render(demo(), "md", options={"lang": "vi"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="width"):
        render(demo(), "table", width="80")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- language


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.thead: list[str] = []
        self.all: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag == "thead"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "thead"

    def handle_data(self, data: str) -> None:
        self.all.append(data)
        if self.depth:
            self.thead.append(data)


ENGLISH = [c.label_en for c in REPORT_COLUMNS] + [
    "Total",
    "Domain",
    "Reporting",
    "Receiving",
    "Prepared by",
    "Signature",
    "Dossiers",
    "rows read",
    "Notes",
]


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_forms_are_vietnamese_only_by_default(fmt: str) -> None:
    text = text_of(demo(), fmt, SIGNED)
    assert not [word for word in ENGLISH if word in text]
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "html", "xlsx"])
def test_lang_vi_has_no_english_heading_in_any_format(fmt: str) -> None:
    text = text_of(demo(), fmt, SIGNED.model_copy(update={"lang": "vi"}))
    assert not [word for word in ENGLISH if word in text], fmt


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "html", "xlsx"])
def test_lang_en_and_bilingual(fmt: str) -> None:
    english = text_of(demo(), fmt, SIGNED.model_copy(update={"lang": "en"}))
    both = text_of(demo(), fmt, SIGNED.model_copy(update={"lang": "bilingual"}))
    assert "Received total" in english or "Total" in english
    assert "Tổng số tiếp nhận" not in english
    assert "Trực tuyến (New online)" in both or "Trực tuyến (Online)" in both


def test_text_formats_default_to_bilingual() -> None:
    for fmt in ("table", "csv", "md"):
        assert "Tổng số tiếp nhận (Received total)" in text_of(demo(), fmt), fmt


def test_html_numbers_follow_the_language() -> None:
    vi = render_html(demo())
    en = render_html(demo(), FormOptions(lang="en"))
    assert ">14,89%<" in vi
    assert ">14.89%<" in en


# --------------------------------------------------------------------------- the form's columns


def test_form_only_keeps_exactly_the_form_columns() -> None:
    options = FormOptions(form_only=True, lang="en")
    rows = list(csv.reader(io.StringIO(render_csv(demo(), options).removeprefix("\ufeff"))))
    assert rows[0] == [
        "Domain",
        *[c.label_en for c in REPORT_COLUMNS if c.on_form],
        "Reporting unit",
        "Receiving unit",
    ]
    html = render_html(demo(), options)
    assert "<svg" not in html
    assert re.findall(r'data-key="(\w+)"', html)[: len(FORM_KEYS)] == FORM_KEYS
    assert set(re.findall(r'data-key="(\w+)"', html)) == set(FORM_KEYS)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(demo(), options))).active
    numbers = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "(1)")
    assert [v for v in numbers if v] == [f"({i})" for i in range(1, 14)]  # STT, domain, 11
    table = str(render(demo(), "table", options=options, width=200))
    assert "On-time rate" not in table
    assert "On-time rate" in str(render(demo(), "table", options=FormOptions(lang="en"), width=200))


def test_withdrawn_kept_apart_stays_with_form_only_off() -> None:
    report = Report(Period.parse("2024"), policy=ReportPolicy(withdrawn="exclude"))
    assert "Rút hồ sơ (để riêng)" in text_of(report, "md")
    form_alone = text_of(report, "md", FormOptions(form_only=True))
    assert "Rút hồ sơ (để riêng)" not in form_alone  # no column: the notes give the number
    assert "Rút hồ sơ (để riêng, không thuộc cột nào của biểu)" in form_alone


# --------------------------------------------------------------------------- units, signature


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md", "html", "xlsx"])
def test_reporting_and_receiving_unit_in_every_rendering(fmt: str) -> None:
    text = text_of(demo(), fmt, SIGNED)
    assert UNIT in text
    assert RECEIVING in text


@pytest.mark.parametrize("fmt", ["table", "md", "html", "xlsx"])
def test_signature_block(fmt: str) -> None:
    text = text_of(demo(), fmt, SIGNED.model_copy(update={"lang": "vi"}))
    for part in (
        "Nghi Hương, ngày 05 tháng 4 năm 2024",
        "Người lập biểu",
        "(Ký, ghi rõ họ tên)",
        "Thủ trưởng đơn vị",
        "(Ký tên, đóng dấu)",
        PREPARER,
        HEAD,
    ):
        assert part in text, (fmt, part)


@pytest.mark.parametrize("fmt", ["md", "html", "xlsx"])
def test_signature_block_with_blanks_to_fill_in(fmt: str) -> None:
    text = text_of(demo(), fmt, FormOptions(lang="vi"))
    assert "……………………, ngày …… tháng …… năm ……" in text
    assert "Đơn vị nhận báo cáo: ……" in text


def test_terminal_table_has_the_signature_block_only_when_asked() -> None:
    assert "Người lập biểu" not in text_of(demo(), "table")
    assert "Người lập biểu" in text_of(demo(), "table", FormOptions(prepared_by="A"))


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (dt.date(2024, 1, 3), "ngày 03 tháng 01 năm 2024"),
        (dt.date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
        (dt.date(2024, 3, 9), "ngày 09 tháng 3 năm 2024"),
        (dt.date(2024, 12, 15), "ngày 15 tháng 12 năm 2024"),
    ],
)
def test_signing_date_follows_decree_30(day: dt.date, line: str) -> None:
    from tthc.report import signature_block

    _left, right = signature_block(FormOptions(place="Hà Nội", signed_on=day))
    assert right.date_line == f"Hà Nội, {line}"


def test_json_carries_the_form_details() -> None:
    data = json.loads(str(render(demo(), "json", options=SIGNED)))
    assert data["unit"] == UNIT
    assert data["form_details"] == {
        "reporting_unit": UNIT,
        "receiving_unit": RECEIVING,
        "prepared_by": PREPARER,
        "approved_by": HEAD,
        "place": "Nghi Hương",
        "signed_on": "2024-04-05",
        "form_only": False,
    }
    assert Report.from_dict(data) == demo()  # the extra key does not disturb reading back


# --------------------------------------------------------------------------- calendar fingerprint


@pytest.mark.parametrize("fmt", ["table", "json", "md", "html", "xlsx"])
def test_calendar_fingerprint_in_the_notes(fmt: str) -> None:
    report = demo()
    assert report.calendar_fingerprint
    assert report.calendar_fingerprint in text_of(report, fmt)
    unknown = dataclasses.replace(report, calendar_fingerprint=None)
    assert "lịch làm việc" not in text_of(unknown, fmt)


# --------------------------------------------------------------------------- terminal width


def many_groups(n: int) -> Report:
    groups = {
        (f"Lĩnh vực số {i} với một cái tên khá dài",): Counts(
            received_online=i + 1, resolved_on_time=i + 1
        )
        for i in range(n)
    }
    return Report(Period.parse("2024-Q1"), groups=groups, rows_read=0, rows_counted=0)


@pytest.mark.parametrize("width", [60, 80, 120, 200])
@pytest.mark.parametrize("n_groups", [1, 3, 8, 30])
@pytest.mark.parametrize("lang", ["vi", "bilingual"])
def test_terminal_table_fits_the_width(width: int, n_groups: int, lang: str) -> None:
    report = many_groups(n_groups)
    options = FormOptions(lang=lang, receiving_unit=RECEIVING, prepared_by=PREPARER)  # type: ignore[arg-type]
    text = str(render(report, "table", options=options, width=width))
    too_wide = [line for line in text.splitlines() if display_width(line) > width]
    assert not too_wide
    # every group's received total and the grand total are printed
    numbers = set(re.findall(r"\b\d+\b", text))
    assert {str(i + 1) for i in range(n_groups)} <= numbers
    assert str(report.totals.received_total) in numbers


def test_terminal_layout_follows_the_width_not_the_group_count() -> None:
    three = many_groups(3)
    assert [table_layout(three, width=w) for w in (200, 120, 60)] == [
        "transposed",
        "transposed",
        "blocks",
    ]
    thirty = many_groups(30)
    assert [table_layout(thirty, width=w) for w in (200, 80)] == ["rows", "blocks"]
    rows = str(render(thirty, "table", width=200))
    assert "(1) Tổng số tiếp nhận (Received total)" in rows
    wide = str(render(three, "table", width=120))
    assert any(line.startswith("Tổng số tiếp nhận") for line in wide.splitlines())


def test_terminal_table_width_counts_wide_and_combining_characters() -> None:
    report = Report(
        Period.parse("2024-Q1"),
        groups={
            ("戶籍登記戶籍登記戶籍登記戶籍登記戶籍登記",): Counts(carried_over=1, pending_overdue=1)
        },
        unit="Ho\u0323 ti\u0323ch " * 20,
    )
    for width in (40, 60, 80):
        lines = str(render(report, "table", width=width)).splitlines()
        assert max(display_width(line) for line in lines) <= width


def test_cli_passes_the_terminal_width(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = {}
    for width in ("60", "200"):
        monkeypatch.setenv("COLUMNS", width)
        assert main(["demo"]) == 0
        outputs[width] = capsys.readouterr().out
        assert max(display_width(line) for line in outputs[width].splitlines()) <= int(width)
    assert "\nChính sách xã hội\n" in outputs["60"]  # one block per group
    assert re.search(r"Chính sách xã hội +Đất đai – Xây dựng – Đô thị +Tư pháp", outputs["200"])


# --------------------------------------------------------------------------- data out


def test_to_records_has_the_csv_columns_and_values() -> None:
    report = demo()
    for lang in ("vi", "en", "bilingual"):
        text = render_csv(report, FormOptions(lang=lang))  # type: ignore[arg-type]
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        records = report.to_records(lang=lang, totals=True)
        assert [list(r) for r in records] == [rows[0]] * len(records)
        for record, row in zip(records, rows[1:], strict=True):
            assert ["" if v is None else str(v) for v in record.values()] == row
    assert len(report.to_records()) == 3  # no totals row unless asked
    assert list(report.to_records(form_only=True, lang="en")[0])[1:12] == [
        c.label_en for c in REPORT_COLUMNS if c.on_form
    ]


def test_to_records_keeps_the_data_exact() -> None:
    name = "=cmd\x1b[31m"
    report = Report(
        Period.parse("2024-Q1"),
        groups={(name,): Counts(carried_over=1, pending_overdue=1)},
        unit="U\x00",
        rows_read=1,
        rows_counted=1,
    )
    record = report.to_records(lang="en")[0]
    assert record["Domain"] == name
    assert record["Reporting unit"] == "U\x00"
    assert record["On-time rate (%)"] is None


def test_to_records_refuses_a_wrong_language() -> None:
    with pytest.raises(ReportError, match="lang must be one of vi, en, bilingual, not 'fr'"):
        demo().to_records(lang="fr")


def test_to_pandas_and_to_arrow() -> None:
    pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    report = demo()
    frame = report.to_pandas(lang="en")
    assert list(frame.columns) == list(report.to_records(lang="en")[0])
    assert frame["Received total"].sum() == 403
    assert frame["Received total"].dtype.kind == "i"
    table = report.to_arrow(lang="en")
    assert table.column_names == list(frame.columns)
    assert table.schema.field("Received total").type == pa.int64()
    assert table.schema.field("On-time rate (%)").type == pa.float64()
    assert table.schema.field("Receiving unit").type == pa.string()
    assert table.to_pylist() == report.to_records(lang="en")


@pytest.mark.parametrize(("method", "extra"), [("to_pandas", "pandas"), ("to_arrow", "arrow")])
def test_data_out_without_the_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, method: str, extra: str
) -> None:
    import builtins

    real_import = builtins.__import__
    blocked = {"to_pandas": "pandas", "to_arrow": "pyarrow"}[method]

    def no_module(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] == blocked:
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_module)
    with pytest.raises(ReportError, match=rf'pip install "tthc\[{extra}\]"'):
        getattr(demo(), method)()


# --------------------------------------------------------------------------- XLSX print setup


def test_xlsx_prints_on_a4_landscape_one_page_wide_in_one_font() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(demo(), SIGNED)))
    ws = wb.active
    setup = ws.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows
    fonts = {c.font.name for w in wb.worksheets for row in w.iter_rows() for c in row if c.value}
    assert fonts == {"Times New Roman"}
    assert wb._named_styles["Normal"].font.name == "Times New Roman"
    formats = {
        c.number_format
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, int | float) and c.column > 2
    }
    assert formats == {"#,##0", "0.00%", "#,##0.00"}


def test_xlsx_rows_are_tall_enough_for_their_wrapped_text() -> None:
    long_unit = "Ủy ban nhân dân phường Nghi Hương, thị xã Cửa Lò, tỉnh Nghệ An " * 3
    report = dataclasses.replace(demo(), unit=long_unit)
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, SIGNED))).active
    unit_cell = next(c for row in ws.iter_rows() for c in row if c.value and long_unit in c.value)
    assert unit_cell.alignment.wrap_text
    # three repetitions of a 62-character name in a ~90-unit wide merge: at least three lines
    assert ws.row_dimensions[unit_cell.row].height >= 3 * 11 * 1.2


# --------------------------------------------------------------------------- the CLI options


def test_cli_form_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "q1.html"
    argv = [
        "demo",
        "-o",
        str(out),
        "--form-only",
        "--receiving-unit",
        RECEIVING,
        "--prepared-by",
        PREPARER,
        "--approved-by",
        HEAD,
        "--place",
        "Nghi Hương",
        "--signed-on",
        "05/04/2024",
    ]
    assert main(argv) == 0
    page = out.read_text(encoding="utf-8")
    assert "<svg" not in page
    for part in (RECEIVING, PREPARER, HEAD, "Nghi Hương, ngày 05 tháng 4 năm 2024"):
        assert part in page
    assert main(["demo", "--format", "md", "--lang", "en"]) == 0
    assert "Received total" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lang", "fr"], "invalid choice: 'fr'"),
        (["--signed-on", "2024-13-01"], "not a date: '2024-13-01'"),
    ],
)
def test_cli_form_options_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", *argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "rate", "other"), [("vi", "100,00%", "100.00%"), ("en", "100.00%", "100,00%")]
)
def test_the_chart_writes_rates_as_the_table_does(lang: str, rate: str, other: str) -> None:
    # The chart wrote 100.00% under a Vietnamese table that writes 100,00%.
    page = tthc.report.render_html(tthc.demo_report(), tthc.report.FormOptions(lang=lang))
    chart = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" class="on-time-chart"') :]
    chart = chart[: chart.index("</svg>")]
    table = page[page.index("<table") : page.index("</table>")]
    assert f">{rate}<" in table
    assert f">{rate}</text>" in chart
    assert other not in chart


def test_labels_that_print_alike_are_told_apart_in_every_output() -> None:
    # "Hộ\u200b tịch" and "Hộ tịch" were two rows that looked the same.
    rows = [
        {"code": f"Z-{i}", "domain": domain, "channel": "online",
         "received_at": "2024-03-04T08:00", "status": "processing", "due_at": "2024-03-08"}
        for i, domain in enumerate(["Hộ tịch", "Hộ\u200b tịch", "\ufeffHộ tịch", "Hộ tịch\u00ad"])
    ]  # fmt: skip
    report = tthc.build_report(rows, "2024-03")
    for fmt in ("table", "csv", "md", "html"):
        text = tthc.report.render(report, fmt)
        assert isinstance(text, str)
        for marker in ("⟨U+200B⟩", "⟨U+FEFF⟩", "⟨U+00AD⟩"):
            assert marker in text, (fmt, marker)


WITHDRAWN_ROWS = [
    {
        "code": "B-3",
        "domain": "Hộ tịch",
        "channel": "online",
        "received_at": "2024-01-10T08:00",
        "status": "withdrawn",
        "due_at": "2024-01-15T17:00",
        "finished_at": "2024-01-20T10:00",
    },
    {
        "code": "B-2",
        "domain": "Hộ tịch",
        "channel": "online",
        "received_at": "2023-12-20T08:00",
        "status": "processing",
        "due_at": "2024-01-05T17:00",
    },
]


@pytest.mark.parametrize("fmt", ["md", "html", "table", "xlsx"])
def test_the_form_alone_says_how_many_withdrawn_dossiers_are_kept_apart(fmt: str) -> None:
    """With withdrawn dossiers kept apart, the form alone (no column for them) would show
    received 2 = resolved 0 + pending 1: a note gives the missing one."""
    report = tthc.build_report(WITHDRAWN_ROWS, "2024-Q1", policy=ReportPolicy(withdrawn="exclude"))
    totals = report.totals
    assert totals.received_total == totals.resolved_total + totals.pending_total + 1
    out = render(report, fmt, options=FormOptions(form_only=True, lang="vi"))
    if isinstance(out, bytes):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(out))
        out = "\n".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)
    assert "Rút hồ sơ (để riêng, không thuộc cột nào của biểu): 1" in out
    with_column = render(report, fmt, options=FormOptions(lang="vi"))
    if isinstance(with_column, str):  # the column is there: no note
        assert "không thuộc cột nào" not in with_column
