"""JSON output: :meth:`~tthc.Report.to_dict` plus the form's own details.

Keys and values are the report's data, exact (no visible replacement, no neutralisation: JSON
escapes control characters itself). A lone surrogate, which cannot be encoded as UTF-8, is
written as its JSON escape (``\\ud800``), so the text always encodes and reads back equal.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from tthc.report._form import DEFAULT_OPTIONS, FormOptions
from tthc.report._report import Report

__all__ = ["form_details", "render_json"]

_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def form_details(report: Report, options: FormOptions | None = None) -> dict[str, Any]:
    """The ``"form_details"`` object of the JSON rendering: the receiving unit, the signers,
    the place and date of signing, and the form's options.

    >>> from tthc import Period, Report
    >>> form_details(Report(Period.parse("2024-Q1")), FormOptions(receiving_unit="UBND thị xã Cửa Lò"))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'reporting_unit': None, 'receiving_unit': 'UBND thị xã Cửa Lò', 'prepared_by': None,
     'approved_by': None, 'place': None, 'signed_on': None, 'form_only': False}
    """
    options = options or DEFAULT_OPTIONS
    return {
        "reporting_unit": report.unit,
        "receiving_unit": options.receiving_unit,
        "prepared_by": options.prepared_by,
        "approved_by": options.approved_by,
        "place": options.place,
        "signed_on": options.signed_on.isoformat() if options.signed_on else None,
        "form_only": options.form_only,
    }


def render_json(report: Report, options: FormOptions | None = None) -> str:
    """The report as JSON (:meth:`Report.to_dict`): per group and totals the keys
    ``received_total``, ``received_online``, ``received_direct_postal``, ``carried_over``,
    ``resolved_total``, ``resolved_early``, ``resolved_on_time``, ``resolved_late``,
    ``pending_total``, ``pending_within_time``, ``pending_overdue``, ``on_time_rate``,
    ``late_with_apology``, ``online_share``, ``average_processing_days`` (ratios as fractions,
    ``null`` when undefined), ``calendar_fingerprint``, and ``form_details``
    (:func:`form_details`). JSON has no language: ``lang`` and ``form_only`` do not change it.

    >>> import json
    >>> from tthc import Period, Report
    >>> json.loads(render_json(Report(Period.parse("2024-03"))))["period"]["label_en"]
    'March 2024'
    >>> json.loads(render_json(Report(Period.parse("2024-03"), unit="X\\ud800")))["unit"]
    'X\\ud800'
    """
    data = report.to_dict()
    data["form_details"] = form_details(report, options)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # A raw lone surrogate can only stand inside a JSON string: escape it there.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
