"""tthc: Vietnamese administrative procedures (thủ tục hành chính) as a Python library.

Typed models for procedures, declaration forms and dossiers (hồ sơ); a working-day deadline
engine on the Vietnamese civil-service calendar; and the quarterly compliance report
(Biểu số 06/VPCP/KSTT) built from dossier data.

The public API is what this module exports (``tthc.__all__``); modules whose names start with
an underscore are private and may change without notice.
"""

from tthc.calendar import *  # noqa: F403
from tthc.calendar import __all__ as _calendar_all
from tthc._enums import (
    AdministrativeLevel,
    Channel,
    DossierStatus,
    EventKind,
    LabelledEnum,
    OnlineServiceLevel,
    TimeLimitUnit,
)
from tthc.errors import (
    CalendarError,
    CatalogError,
    DateOutOfBounds,
    FormValidationError,
    InputFormatError,
    InvalidInputError,
    InvalidLimitError,
    LifecycleError,
    NaiveDatetimeError,
    OverlayError,
    PeriodError,
    ProvisionalCalendarWarning,
    ReappointmentError,
    ReconciliationError,
    ReportError,
    RowRejectedError,
    TimeLimitParseError,
    TransitionError,
    TthcError,
)
from tthc.lifecycle import *  # noqa: F403
from tthc.lifecycle import __all__ as _lifecycle_all
from tthc.models import *  # noqa: F403
from tthc.models import __all__ as _models_all
from tthc.report import *  # noqa: F403
from tthc.report import __all__ as _report_all
from tthc._time import VN_TZ
from tthc._timelimit import TimeLimit
from tthc._version import __version__

__all__ = [
    "VN_TZ",
    "AdministrativeLevel",
    "CalendarError",
    "CatalogError",
    "Channel",
    "DateOutOfBounds",
    "DossierStatus",
    "EventKind",
    "FormValidationError",
    "InputFormatError",
    "InvalidInputError",
    "InvalidLimitError",
    "LabelledEnum",
    "LifecycleError",
    "NaiveDatetimeError",
    "OnlineServiceLevel",
    "OverlayError",
    "PeriodError",
    "ProvisionalCalendarWarning",
    "ReappointmentError",
    "ReconciliationError",
    "ReportError",
    "RowRejectedError",
    "TimeLimit",
    "TimeLimitParseError",
    "TimeLimitUnit",
    "TransitionError",
    "TthcError",
    "__version__",
]
__all__ += _models_all
__all__ += _calendar_all
__all__ += _lifecycle_all
__all__ += _report_all
