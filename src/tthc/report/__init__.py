"""Compliance reports: Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) from dossier data.

Public home of these names; the everyday ones (:func:`build_report`, :class:`Report`,
:class:`ReportPolicy`, :class:`Period`, :func:`demo_report`) are also exported from ``tthc``.

* the interchange format: :class:`DossierRecord`, :class:`Rejection`, :func:`read_csv`,
  :func:`read_jsonl`, :func:`records_from`, :func:`read_records`; :class:`DuplicateCheck`;
* periods: :class:`Period`;
* counting: :class:`Counts`, :class:`ReportPolicy`, :func:`classify`;
* the report: :class:`Report`, :class:`ReportBuilder`, :func:`build_report`;
* output: :func:`render` and the single-format renderers, the form's options
  (:class:`FormOptions`), its columns (:data:`REPORT_COLUMNS`) and text hygiene
  (:func:`visible_text`, :func:`neutralise_cell`); the bundled example: :func:`demo_report`;
* scale: :func:`build_report_dask` (Dask), :func:`build_report_columnar` (DuckDB);
* the dossiers behind the numbers: ``trace=True`` (:class:`TraceOptions`),
  :meth:`Report.dossiers`, :class:`DossierTrace`, :class:`ListedDossier`,
  :func:`render_dossier_list`.

>>> from tthc.report import demo_report
>>> demo_report().totals.received_total
403
"""

from __future__ import annotations

from tthc._public import publish
from tthc._rules import (
    RECEIPT_RULES,
    REPEATED_SUPPLEMENT_REQUESTS,
    RULE_NAMES_VI,
    TIMELINESS_RULES,
    DueComparison,
    Facts,
    ReceiptFacts,
    ReportPolicy,
    Rule,
    compile_rules,
    decide,
    decide_receipt,
    due_in_force,
    facts_at,
    pack,
    processing_seconds,
    rule_label,
    rules_sql,
)
from tthc._text import vietnamese_sort_key
from tthc.report._classify import classify, record_facts
from tthc.report._columnar import COLUMNAR_EXTRA_HINT, build_report_columnar, parquet_rows
from tthc.report._counts import COUNTER_FIELDS, SECONDS_PER_WORKING_DAY, Counts
from tthc.report._csv import render_csv
from tthc.report._dask import DASK_EXTRA_HINT, build_report_dask
from tthc.report._dedup import (
    DEFAULT_CACHE_KIB,
    DEFAULT_CODES_IN_MEMORY,
    DUPLICATE_REASON,
    SPILL_BATCH,
    DuplicateCheck,
)
from tthc.report._demo import DEMO_PERIOD, DEMO_UNIT, demo_report
from tthc.report._form import (
    DEFAULT_LANG,
    LANGUAGES,
    REPORT_COLUMNS,
    TOTAL_LABEL,
    WITHDRAWN_COLUMN,
    Column,
    FormOptions,
    accounting_line,
    display_width,
    neutralise_cell,
    rejections_not_listed,
    report_cells,
    report_columns,
    signature_block,
    visible_text,
)
from tthc.report._html import render_html
from tthc.report._intake import (
    HEADER_ALIASES,
    MAX_CELL_CHARS,
    IntakeOptions,
    SourceInfo,
    header_key,
    load_mapping,
)
from tthc.report._json import render_json
from tthc.report._listing import dossier_list_rows
from tthc.report._lists import LIST_FORMATS, render_dossier_list
from tthc.report._markdown import render_markdown
from tthc.report._options import ReportOptionChanges, ReportOptions
from tthc.report._parse import DATE_ORDERS, fold_label
from tthc.report._period import OFFICIAL_CUTOFF_DAY, Period
from tthc.report._records import (
    COLUMNS,
    INPUT_FORMATS,
    JSONL_SUFFIXES,
    MAX_FEE_VND,
    MAX_SUPPLEMENT_REQUESTS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SERVICE_COLUMNS,
    DossierRecord,
    Rejection,
    ServiceFields,
    dossier_row,
    header_index,
    read_csv,
    read_jsonl,
    read_records,
    records_from,
)
from tthc.report._render import FORMATS, render
from tthc.report._report import (
    DIMENSION_LABELS,
    DIMENSIONS,
    FORM_NAME,
    MAX_REJECTIONS_KEPT,
    Report,
    ReportBuilder,
    build_report,
)
from tthc.report._table import DEFAULT_WIDTH, render_table, table_layout
from tthc.report._trace import (
    DEFAULT_TRACE_IN_MEMORY,
    TRACE_CELLS,
    TRACE_TOTALS,
    DossierTrace,
    ListedDossier,
    TraceOptions,
    lateness_text,
)
from tthc.report._xlsx import XLSX_EXTRA_HINT, render_xlsx

__all__ = [
    "COLUMNAR_EXTRA_HINT",
    "COLUMNS",
    "COUNTER_FIELDS",
    "DASK_EXTRA_HINT",
    "DATE_ORDERS",
    "DEFAULT_CACHE_KIB",
    "DEFAULT_CODES_IN_MEMORY",
    "DEFAULT_LANG",
    "DEFAULT_TRACE_IN_MEMORY",
    "DEFAULT_WIDTH",
    "DEMO_PERIOD",
    "DEMO_UNIT",
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "DUPLICATE_REASON",
    "FORMATS",
    "FORM_NAME",
    "HEADER_ALIASES",
    "INPUT_FORMATS",
    "JSONL_SUFFIXES",
    "LANGUAGES",
    "LIST_FORMATS",
    "MAX_CELL_CHARS",
    "MAX_FEE_VND",
    "MAX_REJECTIONS_KEPT",
    "MAX_SUPPLEMENT_REQUESTS",
    "OFFICIAL_CUTOFF_DAY",
    "OPTIONAL_COLUMNS",
    "RECEIPT_RULES",
    "REPEATED_SUPPLEMENT_REQUESTS",
    "REPORT_COLUMNS",
    "REQUIRED_COLUMNS",
    "RULE_NAMES_VI",
    "SECONDS_PER_WORKING_DAY",
    "SERVICE_COLUMNS",
    "SPILL_BATCH",
    "TIMELINESS_RULES",
    "TOTAL_LABEL",
    "TRACE_CELLS",
    "TRACE_TOTALS",
    "WITHDRAWN_COLUMN",
    "XLSX_EXTRA_HINT",
    "Column",
    "Counts",
    "DossierRecord",
    "DossierTrace",
    "DueComparison",
    "DuplicateCheck",
    "Facts",
    "FormOptions",
    "IntakeOptions",
    "ListedDossier",
    "Period",
    "ReceiptFacts",
    "Rejection",
    "Report",
    "ReportBuilder",
    "ReportOptionChanges",
    "ReportOptions",
    "ReportPolicy",
    "Rule",
    "ServiceFields",
    "SourceInfo",
    "TraceOptions",
    "accounting_line",
    "build_report",
    "build_report_columnar",
    "build_report_dask",
    "classify",
    "compile_rules",
    "decide",
    "decide_receipt",
    "demo_report",
    "display_width",
    "dossier_list_rows",
    "dossier_row",
    "due_in_force",
    "facts_at",
    "fold_label",
    "header_index",
    "header_key",
    "lateness_text",
    "load_mapping",
    "neutralise_cell",
    "pack",
    "parquet_rows",
    "processing_seconds",
    "read_csv",
    "read_jsonl",
    "read_records",
    "record_facts",
    "records_from",
    "rejections_not_listed",
    "render",
    "render_csv",
    "render_dossier_list",
    "render_html",
    "render_json",
    "render_markdown",
    "render_table",
    "render_xlsx",
    "report_cells",
    "report_columns",
    "rule_label",
    "rules_sql",
    "signature_block",
    "table_layout",
    "vietnamese_sort_key",
    "visible_text",
]

publish(__name__, globals(), __all__)
