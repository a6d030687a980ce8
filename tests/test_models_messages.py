"""Validation messages for applicants (issue 15): every form and model validation error carries
a stable code, the field's labels and messages in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tthc
from tthc import FormValidationError, Procedure
from tthc.errors import FieldValidationError, ModelValidationError, ValidationIssue
from tthc.models import (
    VALIDATION_CODES,
    Applicant,
    Dossier,
    FieldType,
    validate_model,
    validation_issues,
)


def field(
    name: str, type_: str, vi: str, en: str, *, required: bool = True, **c: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "label_vi": vi,
        "label_en": en,
        "required": required,
        "constraints": c,
    }


FIELDS = [
    field("ho_ten", "text", "Họ, chữ đệm, tên", "Full name", max_length=30),
    field("ngay_sinh", "date", "Ngày sinh", "Date of birth", not_future=True),
    field("cccd", "citizen_id", "Số định danh cá nhân", "Citizen ID", birth_date_field="ngay_sinh"),
    field("gioi_tinh", "choice", "Giới tính", "Sex", choices=["Nam", "Nữ"]),
    field("dien_thoai", "vn_phone", "Số điện thoại", "Phone", required=False),
    field("email", "email", "Thư điện tử", "E-mail", required=False),
    field("so_con", "integer", "Số con", "Children", required=False, min_value=0, max_value=20),
    field("so_ban", "integer", "Số bản sao", "Copies", required=False, min_value=1),
    field("dien_tich", "decimal", "Diện tích", "Area", required=False, max_value=500),
    field("le_phi", "money_vnd", "Lệ phí", "Fee", required=False, max_value=1_000_000),
    field("cam_doan", "boolean", "Lời cam đoan", "Declaration", required=False),
    field(
        "giay_to",
        "multi_choice",
        "Giấy tờ kèm theo",
        "Documents",
        required=False,
        choices=["CCCD", "Hộ chiếu", "Giấy khai sinh"],
        min_items=1,
        max_items=2,
    ),
    field("ban_chup", "attachment", "Bản chụp giấy tờ", "Scan", required=False),
    field("ghi_chu", "text", "Ghi chú", "Note", required=False, min_length=5),
    field("hen_luc", "datetime", "Thời điểm hẹn", "Appointment", required=False, not_future=True),
]
GOOD = {
    "ho_ten": "Nguyễn Thị Hoa",
    "ngay_sinh": "1995-06-01",
    "cccd": "040195012345",
    "gioi_tinh": "Nữ",
}


def proc(fields: list[dict[str, Any]] = FIELDS) -> Procedure:
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


PROC = proc()


def issue_of(values: dict[str, Any], name: str) -> ValidationIssue:
    with pytest.raises(FormValidationError) as info:
        PROC.validate_form({**GOOD, **values})
    found = [i for i in info.value.issues if i.field == name]
    assert len(found) == 1, info.value.issues
    return found[0]


@pytest.mark.parametrize(
    ("values", "name", "code", "vi", "en"),
    [
        (
            {"cccd": "04019501234"},
            "cccd",
            "citizen_id.length",
            "Số định danh cá nhân phải gồm 12 chữ số.",
            "Citizen ID must have 12 digits.",
        ),
        (
            {"cccd": "0401950123AB"},
            "cccd",
            "citizen_id.length",
            "Số định danh cá nhân phải gồm 12 chữ số.",
            "Citizen ID must have 12 digits.",
        ),
        (
            {"cccd": "099195012345"},
            "cccd",
            "citizen_id.province",
            "Số định danh cá nhân không đúng: 3 chữ số đầu (099) không phải là mã tỉnh, thành "
            "phố nơi đăng ký khai sinh.",
            "Citizen ID is not valid: its first 3 digits (099) are not a province code.",
        ),
        (
            {"cccd": "040295012345"},
            "cccd",
            "citizen_id.future_birth_year",
            "Số định danh cá nhân không đúng: năm sinh ghi trong số (2095) sau năm hiện tại.",
            "Citizen ID is not valid: the birth year it gives (2095) is in the future.",
        ),
        (
            {"ngay_sinh": "1996-06-01"},
            "cccd",
            "citizen_id.birth_year_mismatch",
            "Năm sinh trong số định danh cá nhân (1995) không khớp với ngày sinh đã khai "
            "(01/06/1996).",
            "The birth year in citizen ID (1995) does not match date of birth (1996-06-01).",
        ),
        (
            {"ho_ten": "  "},
            "ho_ten",
            "required",
            "Vui lòng nhập họ, chữ đệm, tên.",
            "Please enter full name.",
        ),
        (
            {"gioi_tinh": None},
            "gioi_tinh",
            "required",
            "Vui lòng chọn giới tính.",
            "Please choose sex.",
        ),
        (
            {"ngay_sinh": "2999-01-01"},
            "ngay_sinh",
            "date.future",
            "Ngày sinh không được sau ngày hiện tại.",
            "Date of birth cannot be later than today.",
        ),
        (
            {"ngay_sinh": "1995-02-30"},
            "ngay_sinh",
            "date.invalid",
            "Ngày sinh không phải là ngày hợp lệ; vui lòng ghi theo dạng năm-tháng-ngày, ví dụ "
            "1995-06-01.",
            "Date of birth is not a valid date; write it year-month-day, e.g. 1995-06-01.",
        ),
        (
            {"hen_luc": "mai"},
            "hen_luc",
            "datetime.invalid",
            "Thời điểm hẹn không hợp lệ; vui lòng ghi ngày và giờ theo dạng năm-tháng-ngày "
            "giờ:phút, ví dụ 2024-03-01 08:30.",
            "Appointment is not a valid date and time; write it e.g. 2024-03-01 08:30.",
        ),
        (
            {"hen_luc": "2999-01-01 08:00"},
            "hen_luc",
            "datetime.future",
            "Thời điểm hẹn không được sau thời điểm hiện tại.",
            "Appointment cannot be later than now.",
        ),
        (
            {"gioi_tinh": "Khác"},
            "gioi_tinh",
            "choice.invalid",
            "“Khác” không có trong danh sách giới tính; vui lòng chọn một trong các giá trị: "
            "Nam, Nữ.",
            "“Khác” is not a choice of sex; choose one of: Nam, Nữ.",
        ),
        (
            {"so_con": 21},
            "so_con",
            "number.too_large",
            "Số con phải từ 0 đến 20.",
            "Children must be between 0 and 20.",
        ),
        (
            {"so_con": -1},
            "so_con",
            "number.too_small",
            "Số con phải từ 0 đến 20.",
            "Children must be between 0 and 20.",
        ),
        (
            {"so_ban": 0},
            "so_ban",
            "number.too_small",
            "Số bản sao không được nhỏ hơn 1.",
            "Copies must be at least 1.",
        ),
        (
            {"dien_tich": "600.5"},
            "dien_tich",
            "number.too_large",
            "Diện tích không được lớn hơn 500.",
            "Area must be at most 500.",
        ),
        (
            {"le_phi": 2_000_000},
            "le_phi",
            "number.too_large",
            "Lệ phí phải từ 0 đến 1.000.000 đồng.",
            "Fee must be between 0 VND and 1,000,000 VND.",
        ),
        (
            {"le_phi": 5000.0},
            "le_phi",
            "money.not_whole",
            "Lệ phí phải là số tiền tròn đồng, nhập số nguyên (không có phần lẻ).",
            "Fee must be a whole number of đồng.",
        ),
        (
            {"so_con": "hai"},
            "so_con",
            "number.invalid",
            "Số con phải là một số.",
            "Children must be a number.",
        ),
        (
            {"so_con": "2.5"},
            "so_con",
            "number.not_integer",
            "Số con phải là số nguyên (không có phần thập phân).",
            "Children must be a whole number.",
        ),
        (
            {"ho_ten": "Nguyễn " * 10},
            "ho_ten",
            "text.too_long",
            "Họ, chữ đệm, tên không được dài quá 30 ký tự.",
            "Full name must have at most 30 characters.",
        ),
        (
            {"ghi_chu": "abc"},
            "ghi_chu",
            "text.too_short",
            "Ghi chú phải có ít nhất 5 ký tự.",
            "Note must have at least 5 characters.",
        ),
        (
            {"dien_thoai": "0123 456 7890"},
            "dien_thoai",
            "phone.old_mobile",
            "Số điện thoại là số di động 11 số cũ (đầu 01), đã chuyển sang 10 số từ năm 2018; "
            "vui lòng nhập số mới.",
            "Phone is an old 11-digit mobile number (01x), converted to 10 digits in 2018; "
            "please enter the new number.",
        ),
        (
            {"dien_thoai": "091234567"},
            "dien_thoai",
            "phone.length",
            "Số điện thoại không đúng: số di động gồm 10 chữ số (kể cả số 0 ở đầu).",
            "Phone is not valid: a mobile number has 10 digits (with the leading 0).",
        ),
        (
            {"dien_thoai": "0612345678"},
            "dien_thoai",
            "phone.unknown_prefix",
            "Số điện thoại không đúng: số di động bắt đầu bằng 03, 05, 07, 08 hoặc 09, số cố định "
            "bắt đầu bằng 02.",
            "Phone is not valid: mobile numbers start 03, 05, 07, 08 or 09, fixed lines 02.",
        ),
        (
            {"dien_thoai": "+1 202 555 0100"},
            "dien_thoai",
            "phone.not_vietnamese",
            "Số điện thoại phải là số điện thoại Việt Nam (mã quốc gia +84).",
            "Phone must be a Vietnamese (+84) number.",
        ),
        (
            {"email": "hoa@"},
            "email",
            "email.format",
            "Thư điện tử không đúng định dạng, ví dụ đúng: ten@example.com.",
            "E-mail is not an e-mail address (e.g. name@example.com).",
        ),
        (
            {"cam_doan": "có lẽ"},
            "cam_doan",
            "boolean.invalid",
            "Vui lòng chọn “Có” hoặc “Không” cho lời cam đoan.",
            "Please answer yes or no for declaration.",
        ),
        (
            {"giay_to": ["CCCD", "Hộ chiếu", "Giấy khai sinh"]},
            "giay_to",
            "choices.too_many",
            "Giấy tờ kèm theo chỉ được chọn tối đa 2 mục.",
            "Choose at most 2 for documents.",
        ),
        (
            {"giay_to": ["CCCD", "CCCD"]},
            "giay_to",
            "choices.repeated",
            "Mỗi lựa chọn của giấy tờ kèm theo chỉ được chọn một lần.",
            "Each choice of documents may be given once.",
        ),
        (
            {"giay_to": ["Sổ hộ khẩu"]},
            "giay_to",
            "choice.invalid",
            "“Sổ hộ khẩu” không có trong danh sách giấy tờ kèm theo; vui lòng chọn một trong các "
            "giá trị: CCCD, Hộ chiếu, Giấy khai sinh.",
            "“Sổ hộ khẩu” is not a choice of documents; choose one of: CCCD, Hộ chiếu, Giấy khai "
            "sinh.",
        ),
        (
            {"giay_to": "CCCD"},
            "giay_to",
            "choices.type",
            "Giấy tờ kèm theo phải là danh sách các lựa chọn.",
            "Documents must be a list of choices.",
        ),
        (
            {"ghi_chu_them": "?"},
            "ghi_chu_them",
            "not_a_field",
            "Tờ khai không có trường “ghi_chu_them”.",
            "“ghi_chu_them” is not a field of this form.",
        ),
    ],
)
def test_each_rule_has_its_code_and_natural_messages(
    values: dict[str, Any], name: str, code: str, vi: str, en: str
) -> None:
    issue = issue_of(values, name)
    assert (issue.code, issue.message_vi, issue.message_en) == (code, vi, en)
    assert issue.code in VALIDATION_CODES
    spec = next((f for f in FIELDS if f["name"] == name), None)
    if spec is not None:
        assert (issue.label_vi, issue.label_en) == (spec["label_vi"], spec["label_en"])


def test_required_attachment_asks_to_attach() -> None:
    p = proc([field("ban_chup", "attachment", "Bản chụp giấy khai sinh", "Scan")])
    with pytest.raises(FormValidationError) as info:
        p.validate_form({})
    assert info.value.messages() == ["Vui lòng đính kèm bản chụp giấy khai sinh."]


def test_too_few_choices() -> None:
    with pytest.raises(FormValidationError) as info:
        PROC.validate_form({**GOOD, "giay_to": []})
    assert info.value.messages() == ["Vui lòng chọn ít nhất 1 mục cho giấy tờ kèm theo."]


def test_a_form_that_is_not_an_object() -> None:
    with pytest.raises(FormValidationError) as info:
        PROC.validate_form(["not", "a", "form"])
    assert info.value.issues[0].code == "not_an_object"
    assert info.value.issues[0].field == ""


def test_messages_by_language_and_field() -> None:
    with pytest.raises(FormValidationError) as info:
        PROC.validate_form({"ho_ten": "", "ngay_sinh": "1995-06-01", "cccd": "1", "x": 1})
    err = info.value
    assert isinstance(err, FieldValidationError)
    assert err.messages() == err.messages("vi")
    assert len(err.messages("en")) == len(err.issues) == 4
    assert err.by_field("vi")["ho_ten"] == ["Vui lòng nhập họ, chữ đệm, tên."]
    assert list(err.by_field("en")) == ["ho_ten", "cccd", "gioi_tinh", "x"]
    doc = json.loads(json.dumps(err.to_dicts(), ensure_ascii=False))
    assert {d["code"] for d in doc} == {"required", "citizen_id.length", "not_a_field"}
    # Backward compatible: the (name, label, English reason) triples are still there.
    assert [e[0] for e in err.errors] == ["ho_ten", "cccd", "gioi_tinh", "x"]
    assert err.errors[0] == ("ho_ten", "Họ, chữ đệm, tên (Full name)", "required")
    with pytest.raises(tthc.InvalidInputError, match="lang='fr'"):
        err.messages("fr")  # type: ignore[arg-type]


def test_hand_built_error_keeps_its_reasons() -> None:
    err = FormValidationError("1.001193", [("a", "Nhãn a", "lý do")])
    assert err.messages() == ["lý do"]
    assert err.issues[0].code == "invalid"


ENGLISH_WORDS = re.compile(r"\b(must|please|not|the|should|input|valid|field|number)\b", re.I)


@pytest.mark.parametrize("code", sorted(VALIDATION_CODES))
def test_every_template_renders_in_both_languages(code: str) -> None:
    from tthc.models._messages import render_message

    params = {
        "field": "x",
        "container": "Tờ khai",
        "container_en": "this form",
        "min_length": 2,
        "max_length": 9,
        "min": "1",
        "max": "9",
        "min_en": "1",
        "max_en": "9",
        "value": "v",
        "choices": "a, b",
        "min_items": 1,
        "max_items": 2,
        "province_code": "099",
        "birth_year": 2095,
        "date_label": "ngày sinh",
        "date_label_en": "date of birth",
        "born": "01/06/1996",
        "born_en": "1996-06-01",
        "kind": "mobile",
        "kind_vi": "di động",
        "expected": 10,
        "detail": "why",
    }
    vi, en = render_message(code, "Số định danh cá nhân", "Citizen ID", params)
    for text in (vi, en):
        assert "{" not in text
        assert "?" not in text
        assert text.endswith(".")
    # Vietnamese sentences are Vietnamese: diacritics, no English words left in.
    assert re.search(r"[àáảãạăâđèéêìíòóôơùúưỳýộờ]", vi.lower())
    assert not ENGLISH_WORDS.search(vi), vi


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from([f["name"] for f in FIELDS]), value=JUNK)
def test_any_bad_value_gets_a_known_code_never_the_fallback(name: str, value: object) -> None:
    try:
        PROC.validate_form({**GOOD, name: value})
    except FormValidationError as err:
        for issue in err.issues:
            assert issue.code in VALIDATION_CODES
            assert issue.code != "invalid", (issue, value)
            assert issue.message_vi
            assert issue.message_en
        json.dumps(err.to_dicts(), default=str)


def test_every_field_type_has_a_kind() -> None:
    assert {f["type"] for f in FIELDS} == {t.value for t in FieldType} - {"address"}


# ---- JSON Schema ---------------------------------------------------------------------------


def test_form_schema_carries_vietnamese_titles_and_descriptions() -> None:
    schema = PROC.form_json_schema()
    cccd = schema["properties"]["cccd"]
    assert cccd["title"] == "Số định danh cá nhân"
    assert cccd["description"] == "Số định danh cá nhân (số căn cước) gồm 12 chữ số."
    assert cccd["x-title-en"] == "Citizen ID"
    assert cccd["x-description-en"] == "A citizen ID of 12 digits."
    custom = proc(
        [
            {
                **field("ho_ten", "text", "Họ, chữ đệm, tên", "Full name"),
                "description_vi": "Ghi bằng chữ in hoa, có dấu.",
                "description_en": "In capitals, with diacritics.",
            }
        ]
    ).form_json_schema()["properties"]["ho_ten"]
    assert custom["description"] == "Ghi bằng chữ in hoa, có dấu."
    assert custom["x-description-en"] == "In capitals, with diacritics."


def test_not_future_applies_to_dates_only() -> None:
    with pytest.raises(ValidationError, match="not_future"):
        proc([field("a", "text", "A", "A", not_future=True)])


# ---- models ----------------------------------------------------------------------------------


DOSSIER = {
    "code": "000.17.22.H56-240301-0001",
    "procedure_code": "1.001193",
    "applicant": {"name": "Trần Thị B", "phone": "0912345678"},
    "channel": "direct",
    "received_at": "2024-03-01 08:00",
}


def test_validate_model_returns_the_model() -> None:
    assert validate_model(Dossier, DOSSIER) == Dossier.model_validate(DOSSIER)


def test_validate_model_names_nested_fields_in_both_languages() -> None:
    bad = {
        **DOSSIER,
        "applicant": {"name": "", "phone": "0123456789", "id_number": "099195012345"},
        "received_at": "2024-13-01",
        "events": [{"kind": "received", "at": "hôm qua"}],
        "ghi_chu": 1,
    }
    with pytest.raises(ModelValidationError) as info:
        validate_model(Dossier, bad)
    err = info.value
    assert err.model == "Dossier"
    by_field = {i.field: i for i in err.issues}
    assert by_field["applicant.name"].message_vi == "Vui lòng nhập tên người nộp hồ sơ."
    assert by_field["applicant.phone"].code == "phone.old_mobile"
    assert by_field["received_at"].label_vi == "Ngày giờ tiếp nhận"
    assert by_field["received_at"].code == "datetime.invalid"
    assert by_field["events.0.at"].message_vi.endswith("(mục 1).")
    assert by_field["ghi_chu"].code == "not_a_field"
    assert "invalid Dossier" in str(err)


def test_citizen_id_of_an_applicant_is_checked_with_its_code() -> None:
    with pytest.raises(ModelValidationError) as info:
        validate_model(Applicant, {"name": "A", "id_number": "099195012345"})
    issue = info.value.issues[0]
    assert (issue.field, issue.code) == ("id_number", "citizen_id.province")
    # The pydantic error keeps its English reason (as before).
    with pytest.raises(ValidationError, match="099 is not a province code"):
        Applicant(name="A", id_number="099195012345")


def test_validation_issues_from_an_existing_error() -> None:
    try:
        Applicant(name="A", email="a@")
    except ValidationError as exc:
        issues = validation_issues(exc, Applicant)
    assert [(i.field, i.code, i.label_vi) for i in issues] == [
        ("email", "email.format", "Thư điện tử")
    ]


def test_model_schema_carries_vietnamese_titles() -> None:
    props = Dossier.model_json_schema()["properties"]
    assert props["received_at"]["title"] == "Ngày giờ tiếp nhận"
    assert props["received_at"]["x-title-en"] == "Received at"
    assert Dossier.model_json_schema()["$defs"]["Applicant"]["properties"]["phone"]["title"] == (
        "Số điện thoại"
    )


def test_today_boundary_of_not_future() -> None:
    today = dt.datetime.now(tthc.VN_TZ).date()
    p = proc([field("ngay", "date", "Ngày", "Date", not_future=True)])
    assert p.validate_form({"ngay": today.isoformat()}).ngay == today  # type: ignore[attr-defined]
