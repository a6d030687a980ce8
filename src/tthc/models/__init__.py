"""Typed models: procedures, their declaration forms, dossiers and their events, and the
labelled enumerations they use. Public home of these names; the everyday ones
(:class:`Procedure`, :class:`Dossier`, :class:`DossierEvent`, :class:`Channel`,
:class:`DossierStatus`) are also exported from ``tthc``.

>>> from tthc.models import Channel
>>> Channel.parse("Trực tuyến").label
'Trực tuyến (Online)'
"""

from __future__ import annotations

from tthc._enums import (
    AdministrativeLevel,
    Channel,
    DossierStatus,
    EventKind,
    LabelledEnum,
    OnlineServiceLevel,
)
from tthc._public import publish
from tthc.models._dossier import (
    DOSSIER_CODE_PATTERN,
    Applicant,
    Dossier,
    DossierCodeGenerator,
    DossierCodeParts,
    DossierEvent,
    SubmittedComponent,
    format_dossier_code,
    parse_dossier_code,
)
from tthc.models._fields import FieldConstraints, FieldSpec, FieldType
from tthc.models._identity import (
    CITIZEN_ID_CENTURY_GENDER,
    CITIZEN_ID_PROVINCE_CODES,
    CitizenIdInfo,
    normalise_vn_phone,
    parse_citizen_id,
)
from tthc.models._messages import VALIDATION_CODES, validate_model, validation_issues
from tthc.models._procedure import (
    Agency,
    ChannelOption,
    Component,
    Domain,
    Fee,
    LegalDocument,
    Procedure,
    Step,
)
from tthc.models._types import (
    AGENCY_ID_PATTERN,
    EMAIL_PATTERN,
    PROCEDURE_CODE_PATTERN,
    VnDatetime,
    VnDueDatetime,
    to_vn,
)

__all__ = [
    "AGENCY_ID_PATTERN",
    "CITIZEN_ID_CENTURY_GENDER",
    "CITIZEN_ID_PROVINCE_CODES",
    "DOSSIER_CODE_PATTERN",
    "EMAIL_PATTERN",
    "PROCEDURE_CODE_PATTERN",
    "VALIDATION_CODES",
    "AdministrativeLevel",
    "Agency",
    "Applicant",
    "Channel",
    "ChannelOption",
    "CitizenIdInfo",
    "Component",
    "Domain",
    "Dossier",
    "DossierCodeGenerator",
    "DossierCodeParts",
    "DossierEvent",
    "DossierStatus",
    "EventKind",
    "Fee",
    "FieldConstraints",
    "FieldSpec",
    "FieldType",
    "LabelledEnum",
    "LegalDocument",
    "OnlineServiceLevel",
    "Procedure",
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
]

publish(__name__, globals(), __all__)
