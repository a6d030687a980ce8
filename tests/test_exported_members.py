"""The public surface, pinned (as httpx's ``test_exported_members``): what each public module
exports, where each object says it lives, and that the names moved out of ``tthc`` still work
with a deprecation warning. A change here is an API change: update CHANGELOG.md with it."""

from __future__ import annotations

import importlib
import inspect
import pickle
import re
import types
from pathlib import Path

import pytest

import tthc

ROOT = Path(__file__).resolve().parent.parent

EXPORTED: dict[str, set[str]] = {
    "tthc": {
        "CalendarError",
        "CatalogError",
        "Channel",
        "DateOutOfBounds",
        "Dossier",
        "DossierEvent",
        "DossierState",
        "DossierStatus",
        "FormValidationError",
        "InputFormatError",
        "InvalidInputError",
        "InvalidLimitError",
        "LifecycleError",
        "NaiveDatetimeError",
        "OutputError",
        "OverlayError",
        "Period",
        "PeriodError",
        "Procedure",
        "ProvisionalCalendarWarning",
        "ReappointmentError",
        "ReconciliationError",
        "Report",
        "ReportError",
        "ReportPolicy",
        "RowRejectedError",
        "TimeLimit",
        "TimeLimitParseError",
        "TransitionError",
        "TthcError",
        "VN_TZ",
        "WorkingCalendar",
        "__version__",
        "build_report",
        "compute_due",
        "demo_report",
        "due_at",
        "lifecycle_of",
        "now",
        "replay",
        "timeliness",
    },
    "tthc.models": {
        "AGENCY_ID_PATTERN",
        "AdministrativeLevel",
        "Agency",
        "Applicant",
        "CITIZEN_ID_CENTURY_GENDER",
        "CITIZEN_ID_PROVINCE_CODES",
        "Channel",
        "ChannelOption",
        "CitizenIdInfo",
        "Component",
        "DOSSIER_CODE_PATTERN",
        "Domain",
        "Dossier",
        "DossierCodeGenerator",
        "DossierCodeParts",
        "DossierEvent",
        "DossierStatus",
        "EMAIL_PATTERN",
        "EventKind",
        "Fee",
        "FieldConstraints",
        "FieldSpec",
        "FieldType",
        "LabelledEnum",
        "LegalDocument",
        "OnlineServiceLevel",
        "PROCEDURE_CODE_PATTERN",
        "Procedure",
        "VALIDATION_CODES",
        "Step",
        "SubmittedComponent",
        "VnDatetime",
        "VnDueDatetime",
        "format_dossier_code",
        "normalise_vn_phone",
        "parse_citizen_id",
        "parse_dossier_code",
        "to_vn",
        "validate_model",
        "validation_issues",
    },
    "tthc.calendar": {
        "AFTERNOON_SESSION",
        "CALENDAR_YEARS",
        "CalendarDay",
        "CalendarOverlay",
        "DEFAULT_SAME_DAY_CUTOFF",
        "DEFAULT_SESSIONS",
        "DayKind",
        "DayOff",
        "DaysOff",
        "DeadlinePolicy",
        "DueCache",
        "DueDate",
        "DueRule",
        "HOURS_PER_WORKING_DAY",
        "LAST_OFFICIAL_YEAR",
        "LOCAL_EPOCH",
        "MAX_LIMIT_VALUE",
        "MAX_LIMIT_YEARS",
        "MORNING_SESSION",
        "NoticeDocument",
        "OFFICIAL_DOCUMENTS",
        "OFFICIAL_NOTICES",
        "OfficeHours",
        "OfficialNotice",
        "OverlayEntry",
        "ReceptionHours",
        "Session",
        "TimeLimit",
        "TimeLimitUnit",
        "VN_TZ",
        "WEEKEND",
        "WorkingCalendar",
        "compute_due",
        "due_at",
        "due_at_many",
        "extend_for_pause",
        "from_local_us",
        "local_us",
    },
    "tthc.lifecycle": {
        "ApologySlip",
        "ControlSheet",
        "DEFAULT_DUE_SOON_HORIZON",
        "DossierState",
        "EventRejection",
        "LIFECYCLE_TRANSITIONS",
        "MAX_LINE_BYTES",
        "LifecyclePolicy",
        "LifecycleState",
        "MappedReplay",
        "ReceiptSlip",
        "RefusalSlip",
        "ReplayResult",
        "SUPPLEMENT_WINDOW_DAYS",
        "Slip",
        "SlipKind",
        "StepLike",
        "StepResult",
        "StoredTimeline",
        "SupplementRequestSlip",
        "Timeliness",
        "TimelinessResult",
        "WorkingDuration",
        "apply_event",
        "build_slip",
        "dump_events_jsonl",
        "iter_replay_jsonl",
        "iter_timelines_jsonl",
        "lifecycle_of",
        "map_replay_jsonl",
        "read_timelines_jsonl",
        "replay",
        "replay_jsonl",
        "step_results",
        "timeliness",
        "working_time_used",
    },
    "tthc.report": {
        "COLUMNAR_EXTRA_HINT",
        "COLUMNS",
        "COUNTER_FIELDS",
        "Column",
        "Counts",
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
        "DossierRecord",
        "DossierTrace",
        "DueComparison",
        "DuplicateCheck",
        "FORMATS",
        "FORM_NAME",
        "Facts",
        "FormOptions",
        "HEADER_ALIASES",
        "INPUT_FORMATS",
        "IntakeOptions",
        "JSONL_SUFFIXES",
        "LANGUAGES",
        "LIST_FORMATS",
        "ListedDossier",
        "MAX_CELL_CHARS",
        "MAX_FEE_VND",
        "MAX_REJECTIONS_KEPT",
        "MAX_SUPPLEMENT_REQUESTS",
        "OFFICIAL_CUTOFF_DAY",
        "OPTIONAL_COLUMNS",
        "Period",
        "RECEIPT_RULES",
        "REPEATED_SUPPLEMENT_REQUESTS",
        "REPORT_COLUMNS",
        "REQUIRED_COLUMNS",
        "RULE_NAMES_VI",
        "ReceiptFacts",
        "Rejection",
        "Report",
        "ReportBuilder",
        "ReportOptionChanges",
        "ReportOptions",
        "ReportPolicy",
        "Rule",
        "SECONDS_PER_WORKING_DAY",
        "SERVICE_COLUMNS",
        "SPILL_BATCH",
        "ServiceFields",
        "SourceInfo",
        "TIMELINESS_RULES",
        "TOTAL_LABEL",
        "TRACE_CELLS",
        "TRACE_TOTALS",
        "TraceOptions",
        "WITHDRAWN_COLUMN",
        "XLSX_EXTRA_HINT",
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
    },
    "tthc.index": {
        "COMPUTED_INDICATORS",
        "COUNTERS",
        "CatalogueFacts",
        "DEMO_SERVICE_FILE",
        "END_OF_PROCESSING_RULES",
        "EndFacts",
        "Evaluator",
        "GROUPS",
        "GroupScore",
        "INDEX_FORMATS",
        "INDEX_KIND",
        "INDICATORS",
        "INPUT_INDICATORS",
        "IndexBuilder",
        "IndexCounts",
        "IndexInputs",
        "Indicator",
        "IndicatorGroup",
        "IndicatorValue",
        "PORTAL_FORMULA_SOURCE",
        "PORTAL_FORMULA_VERSION",
        "PROGRESS_LATE",
        "PROGRESS_ON_TIME",
        "PROGRESS_RULES",
        "ProgressFacts",
        "ProgressJudgement",
        "ServiceIndex",
        "TERMS",
        "build_index",
        "build_index_columnar",
        "build_index_dask",
        "decide_progress",
        "demo_index",
        "index_rows",
        "indicator",
        "lookup_catalogue",
        "progress_facts",
        "read_index_inputs",
        "render_index",
    },
    "tthc.catalog": {
        "CATALOG_FILE",
        "catalog_version",
        "domains",
        "find_domain",
        "get",
        "load",
    },
    "tthc.errors": {
        "CalendarError",
        "CalendarMembershipError",
        "CatalogError",
        "DateOutOfBounds",
        "EventLineError",
        "FieldValidationError",
        "FormValidationError",
        "InputChangedError",
        "InputFormatError",
        "InvalidInputError",
        "InvalidLimitError",
        "LifecycleError",
        "ModelValidationError",
        "NaiveDatetimeError",
        "OutputError",
        "OverlayError",
        "PeriodError",
        "PortalRecordError",
        "ProvisionalCalendarWarning",
        "ReappointmentError",
        "ReconciliationError",
        "ReportArgumentError",
        "ReportError",
        "RowRejectedError",
        "TimeLimitParseError",
        "TransitionError",
        "TthcError",
        "ValidationIssue",
    },
    "tthc.portal": {
        "CELL_COLUMNS",
        "CHANNEL_CODES",
        "DEFAULT_STATUS_MAP",
        "PORTAL_INSTANT_FORMAT",
        "PortalDatabase",
        "PortalDocument",
        "PortalFee",
        "PortalRecord",
        "PortalResult",
        "PortalStatusMap",
        "PortalSupplement",
        "SCHEMA_FILE",
        "format_portal_instant",
        "from_portal_record",
        "parse_portal_instant",
        "portal_record_json_schema",
        "read_portal_record",
        "record_cells",
        "to_portal_record",
    },
    "tthc.cli": {
        "DEBUG_ENVIRONMENT_VARIABLE",
        "EXIT_BROKEN_PIPE",
        "EXIT_EMPTY",
        "EXIT_INPUT_PROBLEMS",
        "EXIT_INTERNAL",
        "EXIT_INTERRUPTED",
        "EXIT_OK",
        "EXIT_TERMINATED",
        "EXIT_USAGE",
        "build_parser",
        "main",
    },
}

PUBLIC_MODULES = sorted(EXPORTED)


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_exported_names_are_pinned(module: str) -> None:
    mod = importlib.import_module(module)
    assert set(mod.__all__) == EXPORTED[module]
    assert len(mod.__all__) == len(set(mod.__all__)), "a name is listed twice"
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.{name}"


def test_top_level_stays_small() -> None:
    assert len(tthc.__all__) <= 41  # "about 40" everyday names


def _objects() -> list[tuple[str, str, object]]:
    out = []
    for module in PUBLIC_MODULES:
        if module == "tthc":
            continue
        mod = importlib.import_module(module)
        for name in mod.__all__:
            out.append((module, name, getattr(mod, name)))
    return out


@pytest.mark.parametrize(("module", "name", "obj"), _objects(), ids=lambda v: str(v)[:40])
def test_objects_report_their_public_home(module: str, name: str, obj: object) -> None:
    if not isinstance(obj, type | types.FunctionType):
        return  # constants have no __module__
    home = obj.__module__
    assert not any(part.startswith("_") for part in home.split(".")), f"{name}: {home}"
    # Re-exports name the one home where the object is documented.
    assert name in importlib.import_module(home).__all__


def test_repr_and_traceback_name_the_public_module() -> None:
    assert repr(tthc.Report) == "<class 'tthc.report.Report'>"
    assert repr(tthc.WorkingCalendar) == "<class 'tthc.calendar.WorkingCalendar'>"
    assert tthc.replay.__module__ == "tthc.lifecycle"
    assert tthc.DossierState.apply.__module__ == "tthc.lifecycle"
    assert type(tthc.TransitionError("x")).__module__ == "tthc.errors"


def test_objects_pickle_through_their_public_home() -> None:
    period = tthc.Period.parse("2024-Q1")
    assert pickle.loads(pickle.dumps(period)) == period
    assert pickle.loads(pickle.dumps(tthc.Channel.ONLINE)) is tthc.Channel.ONLINE


@pytest.mark.parametrize("name", sorted(tthc.MOVED))
def test_moved_names_still_work_with_a_deprecation_warning(name: str) -> None:
    home = tthc.MOVED[name]
    with pytest.warns(DeprecationWarning, match=re.escape(f"{home}.{name}")):
        value = getattr(tthc, name)
    assert value is getattr(importlib.import_module(home), name)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        tthc.nope  # noqa: B018


def test_public_functions_have_docstring_examples() -> None:
    missing = [
        f"{module}.{name}"
        for module, name, obj in _objects()
        if isinstance(obj, types.FunctionType) and ">>>" not in (inspect.getdoc(obj) or "")
    ]
    assert not missing


def test_no_doc_example_or_readme_names_a_private_module() -> None:
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "examples").glob("*.py")]
    private = re.compile(r"\btthc(\.[a-z]+)*\._[a-z]")  # tthc._x, tthc.report._x …
    offenders = [
        f"{page.relative_to(ROOT)}:{number}"
        for page in pages
        if page.name != "changelog.md"
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1)
        if private.search(line)
    ]
    assert not offenders


UNTRUSTED_INPUT = re.compile(r"^(validate|parse|from_|model_validate|read_|records_from)")
"""Entry points that take untrusted input by design (as pydantic's ``model_validate``): they may
accept ``Any`` and refuse what they cannot read with a clear error."""


def _has_any(annotation: object) -> bool:
    import typing

    if annotation is typing.Any:
        return True
    return any(_has_any(arg) for arg in typing.get_args(annotation))


def _callables() -> list[tuple[str, types.FunctionType]]:
    out: dict[int, tuple[str, types.FunctionType]] = {}
    for module, name, obj in _objects():
        if isinstance(obj, types.FunctionType):
            out.setdefault(id(obj), (f"{module}.{name}", obj))
        elif isinstance(obj, type):
            for attr, value in vars(obj).items():
                func = value.__func__ if isinstance(value, classmethod | staticmethod) else value
                if isinstance(func, types.FunctionType) and (
                    not attr.startswith("_") or attr == "__init__"
                ):
                    out.setdefault(id(func), (f"{module}.{name}.{attr}", func))
    return sorted(out.values())


def test_no_public_signature_takes_any_where_a_type_is_meant() -> None:
    import typing

    offenders = []
    for qualname, func in _callables():
        if UNTRUSTED_INPUT.match(func.__name__) or func.__name__ == "validate_form":
            continue
        namespace = vars(importlib.import_module(func.__globals__["__name__"]))
        try:
            hints = typing.get_type_hints(func, globalns=namespace)
        except NameError:  # names imported for type checking only: annotated, not Any
            continue
        offenders += [f"{qualname}({p})" for p, a in hints.items() if p != "return" and _has_any(a)]
    assert not offenders


def _cross_package_private_imports() -> list[str]:
    """Imports of another sub-package's private module or underscore name (``tthc.report``
    reaching into ``tthc.calendar._hours``): what sub-packages share goes through their public
    names. Top-level shared modules (``tthc._enums``, ``tthc._time`` …) are the package's own."""
    import ast

    root = Path(tthc.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        own = parts[0] if len(parts) > 1 else None  # the sub-package the module lives in
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [a.name for a in node.names]
                modules = [node.module]
            elif isinstance(node, ast.Import):
                names = []
                modules = [a.name for a in node.names]
            else:
                continue
            for module in modules:
                bits = module.split(".")
                if bits[0] != "tthc" or len(bits) < 2 or bits[1].startswith("_"):
                    continue
                other = bits[1]
                if other == own:
                    continue
                private = any(b.startswith("_") for b in bits[2:]) or any(
                    n.startswith("_") and n != "__version__" for n in names
                )
                if private:
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {module} {names}")
    return found


def test_no_module_imports_another_sub_packages_private_names() -> None:
    assert _cross_package_private_imports() == []


def _api_reference() -> dict[str, set[str] | None]:
    """The names each ``::: module`` block of docs/api lists (``None``: the whole module)."""
    listed: dict[str, set[str] | None] = {}
    for page in sorted((ROOT / "docs" / "api").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for module, options in re.findall(r"^::: ([\w.]+)\n((?:    .*\n)*)", text, re.M):
            members = re.search(r"members: \[(.*?)\]", options)
            if members is None:
                listed[module] = None
            elif listed.get(module, set()) is not None:
                names = {n.strip() for n in members.group(1).split(",")}
                listed[module] = (listed.get(module) or set()) | names
    return listed


@pytest.mark.parametrize("module", [m for m in PUBLIC_MODULES if m != "tthc"])
def test_every_exported_name_is_in_the_api_reference(module: str) -> None:
    """Each public sub-package's ``__all__`` is rendered in docs/api (the top level only
    re-exports names documented in their homes)."""
    listed = _api_reference()
    assert module in listed, f"no ::: {module} block in docs/api"
    names = listed[module]
    if names is None:
        return
    missing = sorted(set(EXPORTED[module]) - names)
    assert not missing, f"{module}: not in docs/api: {missing}"
    unknown = sorted(names - set(EXPORTED[module]))
    assert not unknown, f"docs/api lists names {module} does not export: {unknown}"


def _unused_private_names() -> list[str]:
    """Module-level private names (``_X = …``, ``def _f``, ``class _C``) that no module of the
    package reads: dead code left behind (a name quoted in a string, e.g. for ``getattr``,
    counts as read)."""
    import ast

    root = Path(tthc.__file__).parent
    defined: list[tuple[str, str]] = []
    read: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            else:
                names = []
            where = path.relative_to(root).as_posix()
            defined += [(where, n) for n in names if n.startswith("_") and not n.startswith("__")]
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                read.add(node.id)
            elif isinstance(node, ast.Attribute):
                read.add(node.attr)
            elif isinstance(node, ast.alias):
                read.add(node.name.rsplit(".", 1)[-1])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                read.add(node.value)
    return [f"{where}: {name}" for where, name in defined if name not in read]


def test_no_private_name_is_left_unused() -> None:
    assert _unused_private_names() == []
