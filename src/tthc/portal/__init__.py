"""The national public service portal's dossier record (Cổng Dịch vụ công quốc gia).

Every local one-stop system syncs each dossier to the national portal as a record with the
portal's field names (MaHoSo, MaTTHC, KenhThucHien, NgayTiepNhan, NgayHenTra, TrangThaiHoSo, …)
and instants written ``yyyyMMddHHmmss`` in UTC+7. This package is the public home of:

* :class:`PortalRecord` and its parts, a typed model of the record, with its JSON Schema
  (:func:`portal_record_json_schema`, committed as :data:`SCHEMA_FILE`);
* :func:`to_portal_record`, from a dossier's lifecycle state, and :func:`from_portal_record`,
  back to a :class:`tthc.Dossier` and its events;
* :class:`PortalStatusMap`, the mapping of the portal's status codes to ``tthc``'s lifecycle
  states — **the numbering is not confirmed**; :data:`DEFAULT_STATUS_MAP` is documented and
  overridable, and an unknown code is refused by name;
* :func:`record_cells`, one record as interchange-format cells, for report readers.

>>> import tthc
>>> from tthc.catalog import get
>>> from tthc.portal import from_portal_record, to_portal_record
>>> state = tthc.replay([tthc.DossierEvent(kind="received", at="2024-03-01 08:00")],
...                     code="000.17.22.H56-240301-0001", limit="03 ngày làm việc")
>>> record = to_portal_record(state, get("1.004873"), channel="online")
>>> record.to_portal_dict()["NgayHenTra"], record.status_code
('20240306170000', '2')
"""

from __future__ import annotations

from tthc._public import publish
from tthc.portal._cells import CELL_COLUMNS, record_cells
from tthc.portal._mapping import CHANNEL_CODES, from_portal_record, to_portal_record
from tthc.portal._record import (
    PORTAL_INSTANT_FORMAT,
    SCHEMA_FILE,
    PortalDatabase,
    PortalDocument,
    PortalFee,
    PortalRecord,
    PortalResult,
    PortalSupplement,
    format_portal_instant,
    parse_portal_instant,
    portal_record_json_schema,
    read_portal_record,
)
from tthc.portal._status import DEFAULT_STATUS_MAP, PortalStatusMap

__all__ = [
    "CELL_COLUMNS",
    "CHANNEL_CODES",
    "DEFAULT_STATUS_MAP",
    "PORTAL_INSTANT_FORMAT",
    "SCHEMA_FILE",
    "PortalDatabase",
    "PortalDocument",
    "PortalFee",
    "PortalRecord",
    "PortalResult",
    "PortalStatusMap",
    "PortalSupplement",
    "format_portal_instant",
    "from_portal_record",
    "parse_portal_instant",
    "portal_record_json_schema",
    "read_portal_record",
    "record_cells",
    "to_portal_record",
]

publish(__name__, globals(), __all__)
