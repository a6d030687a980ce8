"""A wrong object passed at the API edge is refused there, naming the parameter: never a bare
AttributeError from deep inside, never "every row rejected" (issue 10, typed seams)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

import tthc
from tthc import VN_TZ, Period, ReportPolicy
from tthc.report import ReportBuilder, build_report_columnar, build_report_dask, classify

WHEN = dt.datetime(2024, 3, 4, 8, tzinfo=VN_TZ)
ROWS = [
    {
        "code": "A-1",
        "domain": "Hộ tịch",
        "channel": "direct",
        "received_at": "2024-03-04T08:00",
        "status": "processing",
        "due_at": "2024-03-07T17:00",
    }
]

CASES: list[tuple[str, Callable[[], object], str]] = [
    ("due_at calendar", lambda: tthc.due_at(WHEN, "03 ngày", calendar="x"), "calendar"),  # type: ignore[arg-type]
    ("replay calendar", lambda: tthc.replay([], calendar="x"), "calendar"),  # type: ignore[arg-type]
    ("replay policy", lambda: tthc.replay([], policy=ReportPolicy()), "policy"),  # type: ignore[arg-type]
    ("replay rules", lambda: tthc.replay([], rules={}), "rules"),  # type: ignore[arg-type]
    ("replay limit", lambda: tthc.replay([], limit=3), "limit"),  # type: ignore[arg-type]
    ("timeliness state", lambda: tthc.timeliness("x"), "state"),  # type: ignore[arg-type]
    (
        "timeliness policy",
        lambda: tthc.timeliness(
            tthc.replay([tthc.DossierEvent(kind="received", at=WHEN)], limit="03 ngày"),
            WHEN,
            report_policy="late",  # type: ignore[arg-type]
        ),
        "report_policy",
    ),
    ("report source", lambda: tthc.build_report(None, "2024-Q1"), "source"),  # type: ignore[arg-type]
    ("report period", lambda: tthc.build_report(ROWS, 2024), "period"),  # type: ignore[arg-type]
    ("report calendar", lambda: tthc.build_report(ROWS, "2024-Q1", calendar="vn"), "calendar"),  # type: ignore[arg-type]
    ("report policy", lambda: tthc.build_report(ROWS, "2024-Q1", policy="late"), "policy"),  # type: ignore[arg-type]
    (
        "report deadline policy",
        lambda: tthc.build_report(ROWS, "2024-Q1", deadline_policy=ReportPolicy()),  # type: ignore[arg-type]
        "deadline_policy",
    ),
    (
        "report duplicates",
        lambda: tthc.build_report(ROWS, "2024-Q1", check_duplicates="yes"),  # type: ignore[arg-type]
        "check_duplicates",
    ),
    ("report unit", lambda: tthc.build_report(ROWS, "2024-Q1", unit=3), "unit"),  # type: ignore[arg-type]
    ("report option typo", lambda: tthc.build_report(ROWS, "2024-Q1", groupby="x"), "groupby"),  # type: ignore[call-arg]
    ("report options", lambda: tthc.build_report(ROWS, "2024-Q1", {"unit": "x"}), "options"),  # type: ignore[arg-type]
    ("classify record", lambda: classify("x", Period.parse("2024-Q1")), "record"),  # type: ignore[arg-type]
    (
        "classify period",
        lambda: classify(next(iter(tthc.report.read_records(ROWS))), "2024-Q1"),  # type: ignore[arg-type]
        "period",
    ),
    ("builder item", lambda: ReportBuilder("2024-Q1").add("x"), "RowRejectedError"),  # type: ignore[arg-type]
    ("columnar path", lambda: build_report_columnar(None, "2024-Q1"), "path"),  # type: ignore[arg-type]
    ("dask calendar", lambda: build_report_dask(["x.csv"], "2024-Q1", calendar=1), "calendar"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("case", "call", "named"), CASES, ids=[c[0] for c in CASES])
def test_a_wrong_object_is_refused_at_the_edge_naming_it(
    case: str, call: Callable[[], object], named: str
) -> None:
    with pytest.raises(tthc.TthcError) as info:
        call()
    assert named in str(info.value)
    assert not isinstance(info.value, AttributeError)


def test_report_options_list_the_same_fields_as_their_keyword_form() -> None:
    from dataclasses import fields

    from tthc.report import ReportOptionChanges, ReportOptions

    assert [f.name for f in fields(ReportOptions)] == list(ReportOptionChanges.__annotations__)
