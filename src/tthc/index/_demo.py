"""The bundled example's service index: ward Nghi Hương, Q1 2024 (``tthc demo --index``).

The demo's dossiers (``tthc/report/data/nghi_huong_2024q1.csv``) carry the columns of Biểu số
06 only; the service-index columns come from a separate, **illustrative** file joined by
dossier code (``tthc/report/data/nghi_huong_2024q1_service.csv``, written by
``examples/generate_demo_service_data.py``: invented shares, describing no real ward; each row
says so in its ``sample`` column). The demo's own numbers are unchanged.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from importlib import resources
from typing import Final, Unpack

from tthc.errors import InputFormatError
from tthc.index._builder import build_index
from tthc.index._result import ServiceIndex
from tthc.report import (
    DEMO_PERIOD,
    DEMO_UNIT,
    DossierRecord,
    ReportOptionChanges,
    ReportOptions,
    ServiceFields,
    TraceOptions,
    read_csv,
)

__all__ = ["DEMO_SERVICE_FILE", "demo_index"]

DEMO_DOSSIERS_FILE: Final = "nghi_huong_2024q1.csv"
DEMO_SERVICE_FILE: Final = "nghi_huong_2024q1_service.csv"
"""The illustrative service columns of the demo, inside ``tthc/report/data/``."""


def _text(name: str) -> io.TextIOWrapper:
    path = resources.files("tthc.report").joinpath("data", name)
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", newline="")


def _services() -> dict[str, ServiceFields]:
    out: dict[str, ServiceFields] = {}
    with _text(DEMO_SERVICE_FILE) as handle:
        for row in csv.DictReader(handle):
            values = {
                name: (int(row[name]) if row[name] != "" else None)
                for name in ServiceFields._fields
            }
            out[row["code"]] = ServiceFields(**values)
    return out


def _records() -> Iterator[DossierRecord]:
    services = _services()
    with _text(DEMO_DOSSIERS_FILE) as handle:
        for record in read_csv(handle):
            if not isinstance(record, DossierRecord):  # pragma: no cover - bundled data
                raise InputFormatError(f"the bundled demo data has a bad row: {record}")
            yield record._replace(service=services.get(record.code))


def demo_index(
    options: ReportOptions | None = None,
    *,
    trace: bool | TraceOptions = False,
    **changes: Unpack[ReportOptionChanges],
) -> ServiceIndex:
    """The Q1 2024 service index of ward Nghi Hương from the bundled demo and its
    **illustrative** service columns (what ``tthc demo --index`` shows). ``options`` and keyword
    changes are those of :func:`build_index`.

    >>> idx = demo_index()
    >>> idx.values()["2.1"].ratio, idx.report.totals.received_total
    (1.0, 403)
    >>> all(v.status == "computed" for v in idx.values().values() if v.indicator.computed)
    True
    """
    opts = ReportOptions.of(options, **changes)
    if opts.unit is None:
        opts = dataclasses.replace(opts, unit=DEMO_UNIT)
    result = build_index(_records(), DEMO_PERIOD, opts, trace=trace)
    source = f"tthc/report/data/{DEMO_DOSSIERS_FILE} + {DEMO_SERVICE_FILE} (minh họa, illustrative)"
    report = result.report
    if report is not None:
        report = dataclasses.replace(report, source=f"tthc/report/data/{DEMO_DOSSIERS_FILE}")
    return dataclasses.replace(result, source=source, report=report)
