"""Typed models: procedures, their declaration forms, dossiers and their events.

Everything listed in ``__all__`` is exported as ``tthc.<Name>``.
"""

from __future__ import annotations

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
from tthc.models._identity import CitizenIdInfo, normalise_vn_phone, parse_citizen_id
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

__all__ = [
    "DOSSIER_CODE_PATTERN",
    "Agency",
    "Applicant",
    "ChannelOption",
    "CitizenIdInfo",
    "Component",
    "Domain",
    "Dossier",
    "DossierCodeGenerator",
    "DossierCodeParts",
    "DossierEvent",
    "Fee",
    "FieldConstraints",
    "FieldSpec",
    "FieldType",
    "LegalDocument",
    "Procedure",
    "Step",
    "SubmittedComponent",
    "format_dossier_code",
    "normalise_vn_phone",
    "parse_citizen_id",
    "parse_dossier_code",
]
