"""Data out: a report's table as plain records, a pandas DataFrame or an Arrow table.

The columns are those of the CSV rendering (:func:`~tthc.report.render_csv`), with the same
names and values: the group columns, the form's columns (and the indicators unless
``form_only``), the reporting and receiving units; counts as ``int``, rates in per cent rounded
to 2 decimals, ``None`` where a ratio is undefined. Unlike the CSV, text is the data itself (not
made visible nor neutralised: these are values for a program, not cells for a spreadsheet),
and the totals row is left out unless asked for (``totals=True``), so that summing a column
gives the total.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from tthc.errors import ReportError
from tthc.report._csv import csv_rows
from tthc.report._form import LANGUAGES, Cell, FormOptions
from tthc.report._report import Report

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = [
    "ARROW_EXTRA_HINT",
    "PANDAS_EXTRA_HINT",
    "arrow_with",
    "pandas_with",
    "records_with",
    "to_arrow",
    "to_pandas",
    "to_records",
]

PANDAS_EXTRA_HINT: Final = 'Report.to_pandas() needs pandas: pip install "tthc[pandas]"'
ARROW_EXTRA_HINT: Final = 'Report.to_arrow() needs pyarrow: pip install "tthc[arrow]"'


def to_records(
    report: Report, options: FormOptions | None = None, *, totals: bool = False
) -> list[dict[str, Cell]]:
    """One plain dict per group (then the totals row when ``totals``), keyed by the CSV's
    column names.

    >>> from tthc.report import demo_report
    >>> rows = to_records(demo_report())
    >>> len(rows), rows[0]["Lĩnh vực (Domain)"], rows[0]["Tổng số tiếp nhận (Received total)"]
    (3, 'Chính sách xã hội', 10)
    >>> to_records(demo_report(), FormOptions(lang="vi"), totals=True)[-1]["Lĩnh vực"]
    'Tổng cộng'
    """
    header, body = csv_rows(report, options)
    if not totals:
        body = body[:-1]
    return [dict(zip(header, row, strict=True)) for row in body]


def to_pandas(
    report: Report, options: FormOptions | None = None, *, totals: bool = False
) -> pandas.DataFrame:
    """:func:`to_records` as a pandas DataFrame (one row per group; counts as integers, rates
    as floats with NaN where undefined). Needs ``pip install "tthc[pandas]"``.

    >>> from tthc.report import demo_report
    >>> frame = to_pandas(demo_report(), FormOptions(lang="en"))
    >>> int(frame["Received total"].sum()), list(frame.columns[:2])
    (403, ['Domain', 'Received total'])

    Raises:
        ReportError: pandas is not installed (naming the ``pandas`` extra).
    """
    try:
        import pandas as pd
    except ImportError:
        raise ReportError(PANDAS_EXTRA_HINT) from None
    header, body = csv_rows(report, options)
    rows = body if totals else body[:-1]
    return pd.DataFrame.from_records(rows, columns=header)


def to_arrow(
    report: Report, options: FormOptions | None = None, *, totals: bool = False
) -> pyarrow.Table:
    """:func:`to_records` as an Arrow table (counts ``int64``, rates ``double``, text
    ``string``; nulls where undefined). Needs ``pip install "tthc[arrow]"``.

    >>> from tthc.report import demo_report
    >>> table = to_arrow(demo_report(), FormOptions(lang="en"))
    >>> table.num_rows, str(table.schema.field("Received total").type)
    (3, 'int64')

    Raises:
        ReportError: pyarrow is not installed (naming the ``arrow`` extra).
    """
    try:
        import pyarrow as pa
    except ImportError:
        raise ReportError(ARROW_EXTRA_HINT) from None
    header, body = csv_rows(report, options)
    kinds = _kinds(header, body)
    rows = body if totals else body[:-1]
    return pa.table(
        {
            name: pa.array([row[j] for row in rows], type=kinds[name]())
            for j, name in enumerate(header)
        }
    )


def _kinds(header: list[str], body: list[list[Cell]]) -> dict[str, Any]:
    """Arrow type of each column, from the values of all rows (totals included, so that an
    all-empty ratio column still gets its type from the totals or falls back to double)."""
    import pyarrow as pa

    kinds: dict[str, Any] = {}
    for j, name in enumerate(header):
        values = [row[j] for row in body if row[j] is not None]
        if values and all(isinstance(v, str) for v in values):
            kinds[name] = pa.string
        elif values and all(isinstance(v, int) for v in values):
            kinds[name] = pa.int64
        elif not values and j >= len(header) - 2:
            kinds[name] = pa.string  # the unit columns when no unit is given
        else:
            kinds[name] = pa.float64
    return kinds


def _options(lang: str | None, form_only: bool) -> FormOptions:
    """The options of :meth:`Report.to_records` and its siblings, checked."""
    if lang is not None and lang not in LANGUAGES:
        raise ReportError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if not isinstance(form_only, bool):
        raise TypeError(f"form_only must be True or False, not {type(form_only).__name__}")
    return FormOptions(lang=lang, form_only=form_only)


def records_with(
    report: Report, lang: str | None, form_only: bool, totals: bool
) -> list[dict[str, Cell]]:
    """:meth:`Report.to_records`."""
    return to_records(report, _options(lang, form_only), totals=totals)


def pandas_with(report: Report, lang: str | None, form_only: bool, totals: bool) -> Any:
    """:meth:`Report.to_pandas`."""
    return to_pandas(report, _options(lang, form_only), totals=totals)


def arrow_with(report: Report, lang: str | None, form_only: bool, totals: bool) -> Any:
    """:meth:`Report.to_arrow`."""
    return to_arrow(report, _options(lang, form_only), totals=totals)
