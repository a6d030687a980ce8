"""Any Unicode string in a group key, the unit or a form option renders in every format: control
characters, escape sequences and lone surrogates are made visible, never passed through."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc import Period, Report
from tthc.report import FORMATS, Counts, FormOptions, render, visible_text

openpyxl = pytest.importorskip("openpyxl")

# Surrogates are excluded by st.text() by default: ask for every code point.
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
CONTROLS = ["\x00", "\x1b[31m", "\x07", "\x7f", "\x85", "\x9b", "\u202e", "\u2028", "\r\n", "\t"]
NOT_TEXT = ["\ud800", "\udfff", "\ufffe", "\uffff"]
MARKUP = ["=cmd", "+1", "-1", "@x", "<script>", "|", "&amp;"]
NASTY = st.sampled_from([*CONTROLS, *NOT_TEXT, *MARKUP])
TEXT = st.lists(st.one_of(st.text(ANY_CHAR, max_size=8), NASTY), max_size=5).map("".join)
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)
"""Characters no text rendering may contain raw (tab, LF, CR are the formats' own)."""


def as_json_reads(text: str) -> str:
    """``text`` as JSON gives it back: a high and a low surrogate in a row (two lone code
    points in a Python string) read back as the one character they encode together."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def report(names: list[str], unit: str) -> Report:
    groups = {(name,): Counts(received_online=1, pending_within_time=1) for name in set(names)}
    n = len(groups)
    return Report(Period.parse("2024-Q1"), groups=groups, rows_read=n, rows_counted=n, unit=unit)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(TEXT, min_size=1, max_size=4),
    unit=TEXT,
    free=st.lists(TEXT, min_size=4, max_size=4),
    lang=st.sampled_from(["vi", "en", "bilingual"]),
)
def test_any_text_renders_in_every_format(
    names: list[str], unit: str, free: list[str], lang: str
) -> None:
    r = report(names, unit)
    options = FormOptions(
        lang=lang,  # type: ignore[arg-type]
        receiving_unit=free[0],
        prepared_by=free[1],
        approved_by=free[2],
        place=free[3],
    )
    for fmt in FORMATS:
        out = render(r, fmt, options=options, width=60)
        if isinstance(out, bytes):  # XLSX: opens, and every text cell is visible text
            wb = openpyxl.load_workbook(io.BytesIO(out))
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):
                            assert not RAW_CONTROL.search(cell.value), cell.value
                            assert cell.data_type == "s"
            continue
        out.encode("utf-8")  # writable as UTF-8: no lone surrogate left
        if fmt == "json":
            data = json.loads(out)
            assert data["unit"] == as_json_reads(unit)  # exact, surrogates escaped by JSON
            domains = sorted(g["group"]["domain"] for g in data["groups"])
            assert domains == sorted(as_json_reads(name) for name in set(names))
            continue
        body = out.replace("\r\n", "\n") if fmt == "csv" else out
        assert not RAW_CONTROL.search(body.replace("\t", "")), fmt
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
            assert len(rows) == 1 + len(r.groups) + 1
            for row in rows[1:]:
                assert not row[0].startswith(("=", "+", "-", "@"))


def _tag_names(page: str) -> set[str]:
    return set(re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", page))


@settings(max_examples=40, deadline=None)
@given(names=st.lists(TEXT, min_size=1, max_size=3), unit=TEXT, other=TEXT)
def test_html_from_any_text_adds_no_markup(names: list[str], unit: str, other: str) -> None:
    baseline = _tag_names(str(render(report(["A"], "U"), "html")))
    page = str(render(report(names, unit), "html", options=FormOptions(prepared_by=other)))
    assert _tag_names(page) <= baseline
    assert not RAW_CONTROL.search(page)


def test_visible_text_marks_each_kind() -> None:
    assert visible_text("a\x00b\x1bc\x7fd") == "a␀b␛c␡d"
    assert visible_text("\x85\x9b") == "⟨U+0085⟩⟨U+009B⟩"
    assert visible_text("\ud800x\udfff") == "⟨U+D800⟩x⟨U+DFFF⟩"
    assert visible_text("abc\u202egnp.exe") == "abc⟨U+202E⟩gnp.exe"
    assert visible_text("\ufffe\uffff") == "⟨U+FFFE⟩⟨U+FFFF⟩"
    assert visible_text("Tư pháp – Hộ tịch 戶籍 🙂") == "Tư pháp – Hộ tịch 戶籍 🙂"


@pytest.mark.parametrize("fmt", ["table", "md", "html", "csv"])
def test_escape_sequence_in_a_domain_prints_visibly(fmt: str) -> None:
    out = str(render(report(["Hộ tịch\x1b[2J\x1b[31m"], "UBND\x07"), fmt))
    if fmt == "md":
        out = out.replace("\\[", "[")  # Markdown escapes the bracket
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "Hộ tịch␛[2J␛[31m" in out
    assert "UBND␇" in out


def test_xlsx_with_control_characters_opens() -> None:
    out = render(report(["Hộ\x00tịch\x1b", "\ud800"], "U\x0b"), "xlsx")
    assert isinstance(out, bytes)
    ws = openpyxl.load_workbook(io.BytesIO(out)).active
    values = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "Hộ␀tịch␛" in values
    assert "⟨U+D800⟩" in values
    assert "Đơn vị báo cáo: U␋" in values
