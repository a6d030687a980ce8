"""Text outputs: table, CSV (BOM, neutralised cells), JSON, Markdown, and the dispatcher."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tthc import Period, Report, ReportError, ReportPolicy
from tthc.report import Counts, neutralise_cell, render, vietnamese_sort_key

Q1 = Period.parse("2024-Q1")


def sample(policy: ReportPolicy | None = None) -> Report:
    groups: dict[tuple[str, ...], Counts] = {
        ("Tư pháp – Hộ tịch",): Counts(
            received_online=2,
            received_direct_postal=1,
            resolved_early=1,
            resolved_on_time=2,
            processing_seconds=3 * 4 * 3600,
            processing_count=3,
        ),
        ("=SUM(A1:A9)",): Counts(carried_over=1, resolved_late=1, resolved_late_with_apology=1),
        ("+84 Đất đai",): Counts(received_direct_postal=1, pending_overdue=1),
    }
    return Report(
        Q1,
        groups=groups,
        rows_read=5,
        rows_counted=5,
        unit="UBND phường Nghi Hương",
        policy=policy or ReportPolicy(),
    )


def test_csv_has_bom_neutralised_text_and_numeric_numbers() -> None:
    text = render(sample(), "csv")
    assert isinstance(text, str)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "Lĩnh vực (Domain)"
    assert header[1] == "Tổng số tiếp nhận (Received total)"
    names = [r[0] for r in body]
    assert "'=SUM(A1:A9)" in names
    assert "'+84 Đất đai" in names
    assert names[-1] == "Tổng cộng (Total)"
    totals = body[-1]
    assert totals[1:5] == ["5", "2", "2", "1"]  # received total, online, in person/postal, carried
    assert float(totals[header.index("Tỷ lệ đúng hạn (%) (On-time rate (%))")]) == 75.0
    # a ratio with nothing to divide is an empty cell, not 0
    late_row = next(r for r in body if r[0] == "'=SUM(A1:A9)")
    assert late_row[header.index("Tỷ lệ trực tuyến (%) (Online share (%))")] == ""
    for row in body:
        for cell in row[1:]:
            assert not cell.startswith(("=", "+", "-", "@"))


def test_json_keys_and_values() -> None:
    data = json.loads(render(sample(), "json"))
    totals = data["totals"]
    assert totals["received_total"] == 5
    assert totals["resolved_total"] == 4
    assert totals["pending_total"] == 1
    assert totals["on_time_rate"] == 0.75
    assert totals["late_with_apology"] == 1
    assert totals["online_share"] == 0.5
    assert totals["average_processing_days"] == pytest.approx(12 / 8 / 3)  # 3 × 4 h over 3 dossiers
    assert data["period"]["code"] == "2024-Q1"
    assert data["unit"] == "UBND phường Nghi Hương"
    assert [g["group"]["domain"] for g in data["groups"]] == sorted(
        ["Tư pháp – Hộ tịch", "=SUM(A1:A9)", "+84 Đất đai"], key=vietnamese_sort_key
    )


def test_markdown_table() -> None:
    text = render(sample(), "md")
    assert isinstance(text, str)
    lines = text.splitlines()
    assert lines[0].startswith("# Biểu số 06/VPCP/KSTT")
    first = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next(i for i in range(first, len(lines)) if not lines[i].startswith("|"))
    table = lines[first:end]
    assert len(table) == 2 + 3 + 1  # header, alignment, 3 groups, totals
    assert table[-1].startswith("| **Tổng cộng (Total)** | **5** |")
    assert "Quý I năm 2024 (Q1 2024)" in text


def test_markdown_cells_from_the_data_stay_inert() -> None:
    groups = {("<b>A</b> | B\nC",): Counts(received_online=1, pending_within_time=1)}
    text = str(render(Report(Q1, groups=groups, rows_read=1, rows_counted=1), "md"))
    row = next(line for line in text.splitlines() if line.startswith("| &lt;b"))
    assert row.startswith("| &lt;b&gt;A&lt;/b&gt; \\| B␊C | 1 |")
    assert "<b>" not in text


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_cell_every_dangerous_first_character(first: str) -> None:
    assert neutralise_cell(first + "1+1") == "'" + first + "1+1"


@pytest.mark.parametrize("value", [-3, 0, 2.5, -0.25, None, "Hộ tịch", "a=b", "'=x"])
def test_neutralise_cell_keeps_numbers_and_harmless_text(value: object) -> None:
    assert neutralise_cell(value) == value


def test_terminal_table() -> None:
    text = render(sample(), "table")
    assert isinstance(text, str)
    assert "Kỳ báo cáo (Reporting period): Quý I năm 2024 (Q1 2024)" in text
    lines = text.splitlines()
    received = next(line for line in lines if line.startswith("Tổng số tiếp nhận"))
    assert received.split()[-1] == "5"
    rate = next(line for line in lines if line.startswith("Tỷ lệ đúng hạn"))
    assert rate.split()[-1] == "75.00"
    assert "Dòng đọc: 5" in text
    assert "(Rows read: 5;" in text


def test_withdrawn_column_only_when_kept_apart() -> None:
    assert "Withdrawn" not in render(sample(), "md")
    assert "Rút hồ sơ (để riêng)" in str(render(sample(ReportPolicy(withdrawn="exclude")), "md"))


def test_repeated_supplement_policy_is_noted_under_text_tables() -> None:
    note = "more than one supplement request is counted late"
    late = sample(ReportPolicy(repeated_supplement="late"))
    for fmt in ("table", "md"):
        assert note not in str(render(sample(), fmt))
        assert note in str(render(late, fmt))
    assert json.loads(str(render(late, "json")))["policy"]["repeated_supplement"] == "late"


def test_rejections_are_listed_in_text_outputs() -> None:
    from tthc.report import Rejection

    r = Report(
        Q1,
        rows_read=1,
        rows_rejected=1,
        rejections=(Rejection(2, "channel", "unknown channel 'fax'", "A-1"),),
    )
    assert "line 2, code 'A-1', column 'channel': unknown channel 'fax'" in str(render(r, "md"))
    assert "line 2" in str(render(r, "table"))


def test_unknown_format() -> None:
    with pytest.raises(ReportError, match="unknown report format 'pdf'"):
        render(sample(), "pdf")


def test_terminal_table_with_many_groups_has_numbered_columns() -> None:
    groups = {(f"Lĩnh vực {i}",): Counts(received_online=1, resolved_on_time=1) for i in range(20)}
    r = Report(Q1, groups=groups, rows_read=20, rows_counted=20)  # type: ignore[arg-type]
    text = str(render(r, "table", width=200))
    lines = text.splitlines()
    assert any(line.startswith("Lĩnh vực") and "(1)" in line for line in lines)
    assert "(1) Tổng số tiếp nhận (Received total)" in lines
    total = next(line for line in lines if line.startswith("Tổng cộng (Total)"))
    assert total.split()[3] == "20"
