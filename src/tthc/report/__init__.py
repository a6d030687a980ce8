"""Compliance reports: Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) from dossier data.

Public names (re-exported as ``tthc.<name>``):

* the interchange format: :class:`DossierRecord`, :class:`Rejection`, :func:`read_csv`,
  :func:`read_jsonl`, :func:`records_from`, :func:`read_records`; :class:`DuplicateCheck`;
* periods: :class:`Period`;
* counting: :class:`Counts`, :class:`ReportPolicy`, :func:`classify`;
* the report: :class:`Report`, :class:`ReportBuilder`, :func:`build_report`;
* output: :func:`render`, :func:`render_xlsx`, :func:`render_html`; the bundled example:
  :func:`demo_report`;
* scale: :func:`build_report_dask` (Dask), :func:`build_report_columnar` (DuckDB).
"""

from __future__ import annotations

from tthc.report._classify import ReportPolicy, classify
from tthc.report._columnar import build_report_columnar
from tthc.report._counts import Counts
from tthc.report._dask import build_report_dask
from tthc.report._dedup import DuplicateCheck
from tthc.report._demo import demo_report
from tthc.report._html import render_html
from tthc.report._period import Period
from tthc.report._records import (
    DossierRecord,
    Rejection,
    read_csv,
    read_jsonl,
    read_records,
    records_from,
)
from tthc.report._render import render
from tthc.report._report import Report, ReportBuilder, build_report
from tthc.report._xlsx import render_xlsx

__all__ = [
    "Counts",
    "DossierRecord",
    "DuplicateCheck",
    "Period",
    "Rejection",
    "Report",
    "ReportBuilder",
    "ReportPolicy",
    "build_report",
    "build_report_columnar",
    "build_report_dask",
    "classify",
    "demo_report",
    "read_csv",
    "read_jsonl",
    "read_records",
    "records_from",
    "render",
    "render_html",
    "render_xlsx",
]
