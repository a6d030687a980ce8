"""Declaration-form fields: types, constraints, validate_form listing every bad field, schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tthc import FormValidationError, InvalidInputError, Procedure
from tthc.models import FieldSpec, FieldType


def spec(name: str, type_: str, *, required: bool = True, **constraints: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "label_vi": f"Nhãn {name}",
        "label_en": f"Label {name}",
        "required": required,
        "constraints": constraints,
    }


ALL_FIELDS = [
    spec("ho_ten", "text", max_length=50),
    spec("so_con", "integer", min_value=0, max_value=20),
    spec("dien_tich", "decimal", min_value=0),
    spec("le_phi", "money_vnd", max_value=1_000_000),
    spec("ngay_sinh", "date"),
    spec("hen_luc", "datetime", required=False),
    spec("dong_y", "boolean"),
    spec("gioi_tinh", "choice", choices=["Nam", "Nữ"]),
    spec("giay_to", "multi_choice", choices=["CCCD", "Hộ chiếu", "Giấy khai sinh"], max_items=2),
    spec("cccd", "citizen_id", birth_date_field="ngay_sinh"),
    spec("dien_thoai", "vn_phone", required=False),
    spec("email", "email", required=False),
    spec("dia_chi", "address"),
    spec("tep", "attachment", required=False, pattern=r"https://\S+"),
    spec("ma_so", "text", required=False, pattern=r"[A-Z]{2}\d{4}"),
]


def make_procedure(fields: list[dict[str, Any]] = ALL_FIELDS) -> Procedure:
    return Procedure.model_validate(
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "domain": {"code": "ho_tich", "name_vi": "Hộ tịch", "name_en": "Civil status"},
            "level": "commune",
            "online_service_level": "full",
            "channels": [{"channel": "direct", "time_limit": "Trong ngày"}],
            "fields": fields,
        }
    )


GOOD = {
    "ho_ten": "  Nguyễn Văn An ",
    "so_con": "2",
    "dien_tich": "120.5",
    "le_phi": 8000,
    "ngay_sinh": "1995-06-01",
    "hen_luc": "2024-03-01T15:00",
    "dong_y": True,
    "gioi_tinh": "Nam",
    "giay_to": ["CCCD", "Giấy khai sinh"],
    "cccd": "040095012345",
    "dien_thoai": "0912345678",
    "email": "an@example.vn",
    "dia_chi": "Phường Nghi Hương",
    "tep": "https://files.example.vn/1",
}


def test_every_field_type_is_covered_by_the_fixture() -> None:
    assert {f["type"] for f in ALL_FIELDS} == {t.value for t in FieldType}


def test_validate_form_returns_typed_values() -> None:
    form = make_procedure().validate_form(GOOD)
    assert form.ho_ten == "Nguyễn Văn An"  # type: ignore[attr-defined]
    assert form.so_con == 2  # type: ignore[attr-defined]
    assert form.dien_tich == Decimal("120.5")  # type: ignore[attr-defined]
    assert form.le_phi == 8000  # type: ignore[attr-defined]
    assert form.ngay_sinh == dt.date(1995, 6, 1)  # type: ignore[attr-defined]
    assert form.hen_luc.isoformat() == "2024-03-01T15:00:00+07:00"  # type: ignore[attr-defined]
    assert form.giay_to == ("CCCD", "Giấy khai sinh")  # type: ignore[attr-defined]
    assert form.dien_thoai == "+84912345678"  # type: ignore[attr-defined]
    assert form.ma_so is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["so_con", "dien_tich", "le_phi"])
def test_numbers_refuse_true_false(name: str) -> None:
    with pytest.raises(FormValidationError, match="not true/false"):
        make_procedure().validate_form({**GOOD, name: True})


def test_validate_form_lists_every_bad_field_with_label_and_reason() -> None:
    bad = {
        **GOOD,
        "ho_ten": "   ",
        "so_con": 21,
        "le_phi": 8000.0,
        "ngay_sinh": "01/06/1995",
        "gioi_tinh": "Khác",
        "giay_to": ["CCCD", "CCCD"],
        "cccd": "099095012345",
        "dien_thoai": "0123456789",
        "email": "an@",
        "tep": "ftp://x",
        "ma_so": "ab12",
        "thua": "x",
    }
    del bad["dia_chi"]
    with pytest.raises(FormValidationError) as info:
        make_procedure().validate_form(bad)
    errors = {name: (label, reason) for name, label, reason in info.value.errors}
    assert set(errors) == {
        "ho_ten",
        "so_con",
        "le_phi",
        "ngay_sinh",
        "gioi_tinh",
        "giay_to",
        "cccd",
        "dien_thoai",
        "email",
        "tep",
        "ma_so",
        "thua",
        "dia_chi",
    }
    assert errors["ho_ten"] == ("Nhãn ho_ten (Label ho_ten)", "required")
    assert errors["dia_chi"][1] == "required"
    assert "less than or equal to 20" in errors["so_con"][1]
    assert "not a float" in errors["le_phi"][1]
    assert "not a province code" in errors["cccd"][1]
    assert "01x" in errors["dien_thoai"][1]
    assert errors["thua"][1] == "not a field of this form"
    assert "given once" in errors["giay_to"][1]
    msg = str(info.value)
    assert "1.001193" in msg
    assert "13 bad field(s)" in msg
    assert "Nhãn cccd (Label cccd)" in msg


def test_citizen_id_is_cross_checked_with_the_birth_date() -> None:
    with pytest.raises(FormValidationError) as info:
        make_procedure().validate_form({**GOOD, "ngay_sinh": "1996-06-01"})
    assert info.value.errors == [
        (
            "cccd",
            "Nhãn cccd (Label cccd)",
            "the citizen ID encodes birth year 1995, but ngay_sinh is 1996-06-01",
        )
    ]


def test_optional_blank_values_are_none() -> None:
    form = make_procedure().validate_form({**GOOD, "email": "", "dien_thoai": "  "})
    assert form.email is None  # type: ignore[attr-defined]
    assert form.dien_thoai is None  # type: ignore[attr-defined]


def test_form_model_is_cached_per_instance() -> None:
    p = make_procedure()
    assert p.form_model() is p.form_model()
    assert make_procedure().form_model() is not p.form_model()


def test_form_json_schema_for_front_ends() -> None:
    schema = make_procedure().form_json_schema()
    props = schema["properties"]
    assert schema["additionalProperties"] is False
    assert props["ho_ten"]["title"] == "Nhãn ho_ten"
    assert props["ho_ten"]["x-title-en"] == "Label ho_ten"
    assert "description" not in props["ho_ten"]  # no help text given, none for plain text
    assert props["cccd"]["description"] == "Số định danh cá nhân (số căn cước) gồm 12 chữ số."
    assert props["cccd"]["x-description-en"] == "A citizen ID of 12 digits."
    assert props["ho_ten"]["maxLength"] == 50
    assert props["so_con"]["maximum"] == 20
    assert props["gioi_tinh"]["enum"] == ["Nam", "Nữ"]
    assert props["giay_to"]["maxItems"] == 2
    assert props["cccd"]["pattern"] == "^[0-9]{12}$"
    assert props["ngay_sinh"]["format"] == "date"
    assert "hen_luc" not in schema["required"]
    assert "ho_ten" in schema["required"]


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        (spec("a", "text", min_value=1), "do not apply"),
        (spec("a", "integer", pattern="x"), "do not apply"),
        (spec("a", "date", choices=["x"]), "do not apply"),
        (spec("a", "choice"), "needs constraints.choices"),
        (spec("a", "choice", choices=["x", "x"]), "duplicates"),
        (spec("a", "text", min_length=5, max_length=2), "greater than its maximum"),
        (spec("a", "money_vnd", min_value=-1), "cannot be negative"),
        (spec("a", "text", pattern="("), "not a valid regular expression"),
        (spec("a", "text", birth_date_field="b"), "do not apply"),
        (spec("Ho Ten", "text"), "pattern"),
        ({**spec("a", "text"), "label_vi": " "}, "at least 1 character"),
        (spec("a", "colour"), "Input should be"),
    ],
)
def test_bad_field_specs(field: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        FieldSpec.model_validate(field)


def test_procedure_checks_field_names_and_cross_references() -> None:
    with pytest.raises(ValidationError, match="used more than once"):
        make_procedure([spec("a", "text"), spec("a", "integer")])
    with pytest.raises((ValidationError, InvalidInputError), match="not a date field"):
        make_procedure(
            [spec("cccd", "citizen_id", birth_date_field="ho_ten"), spec("ho_ten", "text")]
        )


def test_field_type_labels() -> None:
    assert FieldType.CITIZEN_ID.label_vi == "Số định danh cá nhân"
    assert FieldType.parse("cccd") is FieldType.CITIZEN_ID


@given(
    low=st.integers(-1000, 1000),
    span=st.integers(0, 1000),
    value=st.integers(-3000, 3000),
)
def test_integer_bounds_are_inclusive(low: int, span: int, value: int) -> None:
    proc = make_procedure([spec("n", "integer", min_value=low, max_value=low + span)])
    if low <= value <= low + span:
        assert proc.validate_form({"n": value}).n == value  # type: ignore[attr-defined]
    else:
        with pytest.raises(FormValidationError) as info:
            proc.validate_form({"n": value})
        assert [e[0] for e in info.value.errors] == ["n"]


@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=4))
def test_multi_choice_accepts_exactly_distinct_known_choices(picked: list[str]) -> None:
    proc = make_procedure([spec("m", "multi_choice", required=False, choices=["a", "b", "c"])])
    if len(set(picked)) == len(picked):
        assert proc.validate_form({"m": picked}).m == tuple(picked)  # type: ignore[attr-defined]
    else:
        with pytest.raises(FormValidationError, match="given once"):
            proc.validate_form({"m": picked})
