"""The index's renderers agree on what they show: the "scoring confirmed" and status labels
(Vietnamese and English), 2.2's numerator in working hours, 3.3's sync-share factor and 3.3 as
"not scored" (not "not computed") in the group scores."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest

from tthc.cli import EXIT_OK, main
from tthc.index import ServiceIndex, build_index, demo_index, render_index

openpyxl = pytest.importorskip("openpyxl")

# The example input of docs/index-766.md ("From a file").
WARD = (
    "code,domain,channel,received_at,status,due_at,finished_at,procedure_code,"
    "supplement_requests,supplement_requested_at,supplement_received_at,"
    "synced,paid_online,e_result,digitised,vneid,complaint\n"
    "A-1,Hộ tịch,online,2024-03-04T08:00,returned,2024-03-06T17:00,2024-03-05T10:00,"
    "2.000635,,,,1,1,1,1,1,0\n"
    "A-2,Hộ tịch,direct,2024-03-04T08:00,returned,2024-03-06T17:00,2024-03-07T10:00,"
    "2.000635,1,2024-03-04T09:00,2024-03-06T09:00,1,0,0,1,0,0\n"
    "A-3,Đất đai,direct,2024-03-18T08:00,supplement_requested,2024-03-20T17:00,,,"
    "1,2024-03-21T09:00,,1,,,0,0,\n"
)


@pytest.fixture
def q1_xlsx(tmp_path: Path) -> list[list[object]]:
    """The docs' ``tthc index ward.csv --period 2024-Q1 --official-cutoff --by procedure
    --format xlsx -o q1.xlsx``, read back with openpyxl: the header row, then the data rows."""
    ward = tmp_path / "ward.csv"
    ward.write_text(WARD, encoding="utf-8")
    out = tmp_path / "q1.xlsx"
    args = ["index", str(ward), "--period", "2024-Q1", "--official-cutoff", "--by", "procedure"]
    assert main([*args, "--format", "xlsx", "-o", str(out)]) == EXIT_OK
    sheet = openpyxl.load_workbook(out).active
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
    body = []
    for row in rows[1:]:
        if row[1] is None:  # the blank line before the notes
            break
        body.append(row)
    return [rows[0], *body]


def _column(header: list[object], start: str) -> int:
    found = [i for i, h in enumerate(header) if isinstance(h, str) and h.startswith(start)]
    assert len(found) == 1, (start, header)
    return found[0]


def test_xlsx_scoring_confirmed_is_labelled_as_in_the_table(q1_xlsx: list[list[object]]) -> None:
    header, *rows = q1_xlsx
    confirmed = _column(header, "Cách tính điểm đã xác nhận")
    by_id = {(r[0], r[1]): r for r in rows}
    assert by_id[("Toàn đơn vị (Whole unit)", "2.1")][confirmed] == "chưa (no)"
    assert by_id[("Toàn đơn vị (Whole unit)", "4.2")][confirmed] == "có (yes)"
    assert {r[confirmed] for r in rows} == {"chưa (no)", "có (yes)"}  # never '0' / '1'
    table = render_index(demo_index(), "table", lang="en")
    assert isinstance(table, str)
    assert [line.split()[-1] for line in table.splitlines() if line.startswith(("2.1 ", "4.2 "))][
        :2
    ] == ["no", "yes"]
    assert "Period: Q1 2024" in table.splitlines()  # not the Vietnamese label in English
    assert "Quý" not in table


def test_xlsx_status_is_vietnamese_and_english(q1_xlsx: list[list[object]]) -> None:
    header, *rows = q1_xlsx
    status = _column(header, "Trạng thái")
    by_id = {(r[0], r[1]): r for r in rows}
    assert by_id[("Toàn đơn vị (Whole unit)", "2.1")][status] == "đã tính (computed)"
    assert by_id[("Toàn đơn vị (Whole unit)", "1.1")][status] == "chưa tính (not computed)"
    assert by_id[("Toàn đơn vị (Whole unit)", "3.3")][status] == (
        "đã tính, chưa chấm điểm (computed, not scored)"
    )
    assert not {r[status] for r in rows} & {"computed", "not computed", "n/a"}
    # nothing to divide (3.6 of a domain without a fee-bearing dossier), in the CSV of the demo
    text = render_index(demo_index(), "csv", lang="bilingual")
    assert isinstance(text, str)
    social = next(r for r in csv.reader(io.StringIO(text)) if r[1] == "3.6" and r[4] == "0")
    assert social[10] == "N/A: không có hồ sơ trong phạm vi (N/A: no dossier in scope)"


def test_xlsx_average_time_numerator_is_in_working_hours(q1_xlsx: list[list[object]]) -> None:
    header, *rows = q1_xlsx
    numerator = _column(header, "Tử số")
    ratio = _column(header, "Tỷ lệ")
    assert "giờ làm việc" in str(header[numerator])
    assert "working hours" in str(header[numerator])
    assert "ngày làm việc" in str(header[ratio])
    assert "working days" in str(header[ratio])
    total = next(r for r in rows if r[0] == "Toàn đơn vị (Whole unit)" and r[1] == "2.2")
    # A-1 and A-2 (its supplement wait subtracted): 72,000 working seconds = 20.0 h, as the table
    assert total[numerator] == 20.0
    table = render_index(_ward_index(), "table", lang="en")
    assert "20.0 h" in table


def _ward_index() -> ServiceIndex:
    with tempfile.TemporaryDirectory() as tmp:
        ward = Path(tmp) / "ward.csv"
        ward.write_text(WARD, encoding="utf-8")
        return build_index(ward, "2024-Q1", group_by=("procedure",))


def test_xlsx_shows_the_sync_share_behind_3_3(q1_xlsx: list[list[object]]) -> None:
    header, *rows = q1_xlsx
    note = _column(header, "Ghi chú")
    total = next(r for r in rows if r[0] == "Toàn đơn vị (Whole unit)" and r[1] == "3.3")
    # Q1 by the official cut-off ends on 14 March: A-1 (online) and A-2, both synced
    assert total[note] == "1 ÷ 2 = 50.00% × 100.00% (1.4) = 50.00%"
    other = next(r for r in rows if r[1] == "2.1")
    assert other[note] is None


def test_3_3_shows_its_factor_wherever_its_ratio_is_shown() -> None:
    index = demo_index()
    v = index.values()["3.3"]
    assert (v.numerator, v.denominator) == (40, 403)
    assert round(100 * v.ratio, 2) == 9.63  # type: ignore[operator]
    shown = "9.93% × 97.02% = 9.63%"  # 40 / 403, times 1.4's 391 / 403
    for fmt in ("table", "md", "html"):
        for lang in ("vi", "en", "bilingual"):
            text = render_index(index, fmt, lang=lang, width=140)
            assert isinstance(text, str)
            assert shown in text, (fmt, lang)
            assert "| 3.3 | Online dossiers | 40 | 403 | 9.63% |" not in text
    text = render_index(index, "csv", lang="en")
    assert isinstance(text, str)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    note = rows[0].index("Note")
    total = next(r for r in rows if r[0] == "Whole unit" and r[1] == "3.3")
    assert total[note] == "40 ÷ 403 = 9.93% × 97.02% (1.4) = 9.63%"
    data = json.loads(render_index(index, "json"))
    entry = data["totals"]["indicators"]["3.3"]
    assert entry["sync_share"] == pytest.approx(391 / 403)
    assert entry["ratio"] == pytest.approx(40 / 403 * 391 / 403)


def test_3_3_is_not_scored_rather_than_not_computed() -> None:
    index = demo_index()
    scores = {g.id: g for g in index.group_scores()}
    assert scores["online_service"].missing == ("3.1", "3.2", "3.5")
    assert scores["online_service"].not_scored == ("3.3",)
    assert "3.3" not in scores["total"].missing
    assert scores["total"].not_scored == ("3.3",)
    data = index.to_dict()["totals"]["groups_score"]["online_service"]
    assert data["not_scored"] == ["3.3"]
    assert data["complete"] is False
    text = render_index(index, "md", lang="bilingual")
    assert isinstance(text, str)
    line = next(x for x in text.splitlines() if x.startswith("| Dịch vụ công trực tuyến"))
    assert line.endswith("| 3.1, 3.2, 3.5 | 3.3 |")
    assert "Chưa chấm điểm (Not scored)" in text
    for fmt in ("table", "html"):
        out = render_index(index, fmt, lang="en", width=140)
        assert isinstance(out, str)
        assert "Not scored" in out
    header = render_index(index, "csv", lang="vi")
    assert isinstance(header, str)
    assert "đã tính, chưa chấm điểm" in header
