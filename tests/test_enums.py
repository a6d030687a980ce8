"""Labelled enums: labels, parsing of values, labels and aliases; clear refusals."""

from __future__ import annotations

import pytest

import tthc
from tthc import Channel, DossierStatus, InvalidInputError
from tthc.models import LabelledEnum

ENUMS: list[type[LabelledEnum]] = [
    tthc.Channel,
    tthc.models.OnlineServiceLevel,
    tthc.models.AdministrativeLevel,
    tthc.calendar.TimeLimitUnit,
    tthc.DossierStatus,
    tthc.models.EventKind,
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_labels_and_parses_back(enum: type[LabelledEnum]) -> None:
    for member in enum:
        assert member.label_vi
        assert member.label_en
        assert member.label == f"{member.label_vi} ({member.label_en})"
        assert enum.parse(member.value) is member
        assert enum.parse(member.label_en.upper()) is member
        assert enum.parse(member) is member


@pytest.mark.parametrize(
    ("text", "member"),
    [
        ("trực tiếp", Channel.DIRECT),
        ("Trực tuyến", Channel.ONLINE),
        ("bưu chính", Channel.POSTAL),
        ("  DIRECT ", Channel.DIRECT),
        ("Chờ bổ sung", DossierStatus.SUPPLEMENT_REQUESTED),
        ("supplement requested", DossierStatus.SUPPLEMENT_REQUESTED),
        ("supplement_requested", DossierStatus.SUPPLEMENT_REQUESTED),
        ("dừng xử lý", DossierStatus.WITHDRAWN),
    ],
)
def test_parse_vietnamese_and_aliases(text: str, member: LabelledEnum) -> None:
    assert type(member).parse(text) is member


def test_unknown_value_names_accepted_spellings() -> None:
    with pytest.raises(InvalidInputError, match=r"unknown Channel 'fax'.*'direct' \(Trực tiếp\)"):
        Channel.parse("fax")


def test_finished_statuses() -> None:
    finished = {s for s in DossierStatus if s.is_finished}
    assert finished == {
        DossierStatus.COMPLETED,
        DossierStatus.RETURNED,
        DossierStatus.REFUSED,
        DossierStatus.WITHDRAWN,
    }
