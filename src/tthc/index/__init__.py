"""The Decision 766/QĐ-TTg service index, computed from a unit's own dossier data.

Since 2022 the national public service portal scores every ministry, province and commune on
the service index of Decision 766/QĐ-TTg (100 points: transparency, progress, online service,
online payment, digitisation, satisfaction) from the dossier records their systems sync. This
package computes the indicators a unit's dossiers can give, per domain, agency or procedure,
before the portal does — with the dossiers behind every number.

* the formulas: :class:`Indicator` objects in :data:`INDICATORS` (title, numerator, denominator,
  scope, threshold, points, source, version date, whether the scoring is confirmed), the
  groups :data:`GROUPS`; the portal's own rule for 2.1 as rules tables
  (:data:`END_OF_PROCESSING_RULES`, :data:`PROGRESS_RULES`, :func:`progress_facts`);
* computing: :func:`build_index` (streaming, with the Biểu số 06 report of the same rows),
  :class:`IndexBuilder`, :func:`build_index_dask`, :func:`build_index_columnar`; the reference
  evaluation of one dossier, :class:`Evaluator`;
* the result: :class:`ServiceIndex` (mergeable, JSON round trip), :class:`IndicatorValue`
  (numerator, denominator, ratio — ``None`` shown "N/A" —, score), :class:`GroupScore`;
  the indicators a unit's dossiers cannot give, from :class:`IndexInputs`;
* output: :func:`render_index`; the bundled example: :func:`demo_index`.

The formulas are **portal practice, not law** (the portal's formula description, domain guide
section 7); what is not confirmed says so.

>>> from tthc.index import demo_index
>>> demo_index().values()["2.1"].denominator
403
"""

from __future__ import annotations

from tthc._public import publish
from tthc._rules import (
    END_OF_PROCESSING_RULES,
    PORTAL_FORMULA_SOURCE,
    PORTAL_FORMULA_VERSION,
    PROGRESS_LATE,
    PROGRESS_ON_TIME,
    PROGRESS_RULES,
    EndFacts,
    ProgressFacts,
    ProgressJudgement,
    decide_progress,
    progress_facts,
)
from tthc.index._builder import IndexBuilder, build_index
from tthc.index._columnar import build_index_columnar
from tthc.index._dask import build_index_dask
from tthc.index._demo import DEMO_SERVICE_FILE, demo_index
from tthc.index._evaluate import COUNTERS, TERMS, CatalogueFacts, Evaluator, lookup_catalogue
from tthc.index._indicators import (
    COMPUTED_INDICATORS,
    GROUPS,
    INDICATORS,
    INPUT_INDICATORS,
    Indicator,
    IndicatorGroup,
    IndicatorValue,
    indicator,
)
from tthc.index._inputs import IndexInputs, read_index_inputs
from tthc.index._render import INDEX_FORMATS, index_rows, render_index
from tthc.index._result import INDEX_KIND, GroupScore, IndexCounts, ServiceIndex

__all__ = [
    "COMPUTED_INDICATORS",
    "COUNTERS",
    "DEMO_SERVICE_FILE",
    "END_OF_PROCESSING_RULES",
    "GROUPS",
    "INDEX_FORMATS",
    "INDEX_KIND",
    "INDICATORS",
    "INPUT_INDICATORS",
    "PORTAL_FORMULA_SOURCE",
    "PORTAL_FORMULA_VERSION",
    "PROGRESS_LATE",
    "PROGRESS_ON_TIME",
    "PROGRESS_RULES",
    "TERMS",
    "CatalogueFacts",
    "EndFacts",
    "Evaluator",
    "GroupScore",
    "IndexBuilder",
    "IndexCounts",
    "IndexInputs",
    "Indicator",
    "IndicatorGroup",
    "IndicatorValue",
    "ProgressFacts",
    "ProgressJudgement",
    "ServiceIndex",
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
]

publish(__name__, globals(), __all__)
