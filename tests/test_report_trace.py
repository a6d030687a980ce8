"""The dossiers behind Biểu số 06's cells: Report.dossiers, the act-now list, the list formats,
bounded memory (spilling to a temporary file that is deleted), merging and errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import pickle
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc
from index_data import PERIOD, make_rows
from tthc import VN_TZ
from tthc.errors import ReportArgumentError, ReportError
from tthc.lifecycle import WorkingDuration
from tthc.report import (
    TRACE_CELLS,
    DossierTrace,
    Period,
    TraceOptions,
    build_report,
    lateness_text,
    render_dossier_list,
)

ROWS = [
    # late by 2 working days 3 hours (due Tue 17:00, finished Fri 10:00)
    {
        "code": "L-1",
        "domain": "Hộ tịch",
        "channel": "online",
        "received_at": "2024-03-04T08:00",
        "status": "returned",
        "due_at": "2024-03-05T17:00",
        "finished_at": "2024-03-08T10:00",
    },
    # overdue at the end of March by 3 working days
    {
        "code": "O-1",
        "domain": "Đất đai",
        "channel": "direct",
        "received_at": "2024-03-20T08:00",
        "status": "processing",
        "due_at": "2024-03-26T17:00",
    },
    # due on the first working day of April: 1 day left at the end of March
    {
        "code": "S-1",
        "domain": "Đất đai",
        "channel": "direct",
        "received_at": "2024-03-27T08:00",
        "status": "processing",
        "due_at": "2024-04-01T17:00",
    },
    # waiting for a supplement: clock stopped, not listed as due soon
    {
        "code": "W-1",
        "domain": "Đất đai",
        "channel": "direct",
        "received_at": "2024-03-27T08:00",
        "status": "supplement_requested",
        "due_at": "2024-04-01T17:00",
        "supplement_requested_at": "2024-03-28T08:00",
    },
    # due in 10 working days
    {
        "code": "F-1",
        "domain": "Hộ tịch",
        "channel": "direct",
        "received_at": "2024-03-28T08:00",
        "status": "processing",
        "due_at": "2024-04-12T17:00",
    },
]


def test_lateness_in_working_days_and_hours() -> None:
    report = build_report(ROWS, "2024-03", trace=True)
    (late,) = report.dossiers("resolved_late")
    assert late.code == "L-1"
    assert late.late_by == WorkingDuration(2, 2, 30)
    assert lateness_text(late.late_by) == "quá 2 ngày 2 giờ 30 phút"
    (overdue,) = report.dossiers("pending_overdue", "Đất đai")
    assert (overdue.code, str(overdue.late_by)) == ("O-1", "3 ngày")
    assert [d.code for d in report.dossiers("received_total", "Hộ tịch")] == ["L-1", "F-1"]


def test_due_within_lists_soon_due_then_overdue() -> None:
    report = build_report(ROWS, "2024-03", trace=True)
    assert [(d.code, str(d.time_left or d.late_by)) for d in report.due_within(2)] == [
        ("S-1", "1 ngày"),
        ("O-1", "3 ngày"),
    ]
    assert [d.code for d in report.due_within(10)] == ["S-1", "F-1", "O-1"]
    at = dt.datetime(2024, 3, 25, 8, tzinfo=VN_TZ)  # before S-1 and W-1 were received
    assert [d.code for d in report.due_within(2, at)] == ["O-1"]
    with pytest.raises(ReportError, match="outside the period"):
        report.due_within(2, dt.datetime(2024, 5, 1, tzinfo=VN_TZ))
    with pytest.raises(ReportError, match="whole number"):
        report.due_within(-1)


def test_a_dossier_finished_after_as_of_is_listed_pending_with_its_finish_shown() -> None:
    """At an earlier ``as_of`` L-1 (finished 8 March) was pending and overdue: it is listed so,
    and its finish and final status are shown as the file gives them, not hidden, so that the
    line does not read as a returned dossier without a finish."""
    report = build_report(ROWS, "2024-03", trace=True)
    at = dt.datetime(2024, 3, 6, 8, tzinfo=VN_TZ)
    (entry,) = report.due_within(2, at)
    assert (entry.code, entry.cell) == ("L-1", "pending_overdue")
    assert entry.finished_at == dt.datetime(2024, 3, 8, 10, tzinfo=VN_TZ)
    assert entry.status is tthc.DossierStatus.RETURNED
    row = next(csv.DictReader(io.StringIO(render_dossier_list([entry], "csv", lang="en"))))
    assert row["Finished"] == "2024-03-08 10:00"
    (finished,) = report.dossiers("resolved_late")  # judged at its finish: unchanged
    assert finished.finished_at == entry.finished_at


@pytest.mark.parametrize("days", [10**10, 73_050, 2.5])
def test_due_within_refuses_a_horizon_beyond_the_calendar(days: int) -> None:
    report = build_report(ROWS, "2024-03", trace=True)
    with pytest.raises(ReportArgumentError) as caught:
        report.due_within(days)
    assert (caught.value.param, caught.value.value, caught.value.option) == (
        "days",
        days,
        "--due-within",
    )
    assert (caught.value.low, caught.value.high) == (0, 73_049)  # 1901-01-01 to 2100-12-31
    assert [d.code for d in report.due_within(73_049)] == [d.code for d in report.due_within(10)]


def test_errors_name_what_is_wrong() -> None:
    with pytest.raises(ReportError, match="build it with trace=True"):
        build_report(ROWS, "2024-03").dossiers("resolved_late")
    report = build_report(ROWS, "2024-03", trace=True)
    with pytest.raises(ReportError, match="no list for cell 'late'"):
        report.dossiers("late")
    with pytest.raises(ReportError, match="no group 'Nope'"):
        report.dossiers("resolved_late", "Nope")
    with pytest.raises(ReportError, match="records_in_memory must be at least 1"):
        TraceOptions(records_in_memory=0)
    with pytest.raises(ReportError, match="trace must be True, False"):
        build_report(ROWS, "2024-03", trace="yes")  # type: ignore[arg-type]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 150), cut=st.integers(0, 150))
def test_merged_and_spilled_traces_list_what_is_counted(seed: int, n: int, cut: int) -> None:
    rows = make_rows(random.Random(seed), n, clean=False)
    small = TraceOptions(records_in_memory=4)
    merged = build_report(rows[:cut], PERIOD, trace=small) + build_report(
        rows[cut:], PERIOD, trace=True
    )
    whole = build_report(rows, PERIOD, trace=True)
    assert merged.groups == whole.groups
    for key, counts in whole.groups.items():
        for cell in TRACE_CELLS:
            codes = [d.code for d in merged.dossiers(cell, key)]
            assert codes == [d.code for d in whole.dossiers(cell, key)]
            assert len(codes) == getattr(counts, cell)
    # without a trace on one side, the merge keeps none (its lists would be incomplete)
    assert (build_report(rows, PERIOD) + whole).trace is None


def test_the_spill_file_is_deleted(tmp_path: Path) -> None:
    rows = make_rows(random.Random(3), 50)
    report = build_report(rows, PERIOD, trace=TraceOptions(records_in_memory=2, spill_dir=tmp_path))
    trace = report.trace
    assert trace is not None
    assert trace.spilled
    assert len(os.listdir(tmp_path)) == 1
    shipped = pickle.loads(pickle.dumps(trace))
    assert [r.code for _, r, _ in shipped.entries()] == [r.code for _, r, _ in trace.entries()]
    trace.close()
    shipped.close()
    assert os.listdir(tmp_path) == []


def test_list_formats() -> None:
    report = build_report(ROWS, "2024-03", trace=True)
    entries = report.dossiers("resolved_late")
    text = render_dossier_list(entries, "csv", group_by=report.group_by)
    assert isinstance(text, str)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][0] == "L-1"
    assert "quá 2 ngày 2 giờ 30 phút" in rows[1]
    data = json.loads(
        str(render_dossier_list(entries, "json", group_by=report.group_by, title="late"))
    )
    assert data["count"] == 1
    assert data["dossiers"][0]["late_by_minutes"] == (2 * 8 + 2) * 60 + 30
    assert data["dossiers"][0]["group"] == {"domain": "Hộ tịch"}
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(render_dossier_list(entries, "xlsx", title="x")))
    sheet = book.active
    assert sheet.cell(row=4, column=1).value == "L-1"
    table = render_dossier_list(entries, "table", lang="en")
    assert "L-1" in str(table)
    with pytest.raises(ReportError, match="unknown list format"):
        render_dossier_list(entries, "pdf")


def test_a_formula_in_a_code_is_neutralised() -> None:
    rows = [{**ROWS[0], "code": "=HYPERLINK(1)"}]
    entries = build_report(rows, "2024-03", trace=True).dossiers("resolved_late")
    assert "'=HYPERLINK(1)" in str(render_dossier_list(entries, "csv"))


def test_trace_repr_and_bits() -> None:
    trace = DossierTrace(("a", "b"), Period.parse("2024-03"))
    assert trace.bit("b") == 2
    assert "0 dossiers in memory" in repr(trace)
    with pytest.raises(ReportError, match="unknown cell 'c'"):
        trace.bit("c")


def test_the_html_report_links_each_non_zero_cell_to_its_list() -> None:
    import re

    from tthc.report import render

    report = build_report(ROWS, "2024-03", trace=True)
    page = str(render(report, "html"))
    links = set(re.findall(r'href="#(list-[^"]+)"', page))
    targets = set(re.findall(r'id="(list-[^"]+)"', page))
    assert links == targets
    assert "list-total-resolved_late" in links
    assert "list-total-pending_within_time" in links
    assert not any(t.endswith("-resolved_on_time") for t in targets)  # a zero cell: no link
    section = page.split('id="list-total-received_total"')[1].split("</section>")[0]
    assert section.count("<tr>") == 1 + report.totals.received_total  # header + dossiers
    assert "href" not in str(render(build_report(ROWS, "2024-03"), "html"))


def test_a_list_without_group_by_names_its_group_column_group_not_g0() -> None:
    rows = [
        {"code": "L-1", "domain": "Hộ tịch", "channel": "online", "received_at": "2024-03-04T08:00",
         "status": "processing", "due_at": "2024-03-05T17:00"},
    ]  # fmt: skip
    report = tthc.build_report(rows, "2024-03", trace=True, group_by=("domain", "channel"))
    entries = report.dossiers("received_total")
    unnamed = tthc.report.render_dossier_list(entries, "csv", lang="en")
    assert isinstance(unnamed, str)
    assert unnamed.splitlines()[0].split(",")[1:3] == ["Group 1", "Group 2"]
    named = tthc.report.render_dossier_list(entries, "csv", group_by=report.group_by, lang="en")
    assert isinstance(named, str)
    assert named.splitlines()[0].split(",")[1:3] == ["Domain", "Channel"]


def test_a_group_typed_in_decomposed_form_finds_its_list() -> None:
    import unicodedata

    rows = [
        {"code": "L-1", "domain": "Hộ tịch", "channel": "online", "received_at": "2024-03-04T08:00",
         "status": "processing", "due_at": "2024-03-05T17:00"},
    ]  # fmt: skip
    report = tthc.build_report(rows, "2024-03", trace=True)
    typed = unicodedata.normalize("NFD", " Hộ tịch ")
    assert [d.code for d in report.dossiers("received_total", typed)] == ["L-1"]
