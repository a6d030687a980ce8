"""Validate a declaration form for a catalogue procedure and export its JSON Schema.

Takes the bundled "Cấp Giấy xác nhận tình trạng hôn nhân" procedure, gives it a small
declaration form, validates one good and one bad submission (printing every bad field with its
label) and writes the form's JSON Schema to ``marital-status-form.schema.json``.
"""

import json
from pathlib import Path

import tthc
from tthc.catalog import get

FIELDS = [
    {
        "name": "ho_ten",
        "type": "text",
        "label_vi": "Họ, chữ đệm, tên",
        "label_en": "Full name",
        "constraints": {"max_length": 100},
    },
    {"name": "ngay_sinh", "type": "date", "label_vi": "Ngày sinh", "label_en": "Date of birth"},
    {
        "name": "so_dinh_danh",
        "type": "citizen_id",
        "label_vi": "Số định danh cá nhân",
        "label_en": "Citizen ID",
        "constraints": {"birth_date_field": "ngay_sinh"},
    },
    {
        "name": "dien_thoai",
        "type": "vn_phone",
        "label_vi": "Số điện thoại",
        "label_en": "Phone",
        "required": False,
    },
    {
        "name": "muc_dich",
        "type": "choice",
        "label_vi": "Mục đích sử dụng",
        "label_en": "Purpose",
        "constraints": {"choices": ["Đăng ký kết hôn", "Khác"]},
    },
]

if __name__ == "__main__":
    base = get("1.004873")
    procedure = tthc.Procedure.model_validate({**base.model_dump(), "fields": FIELDS})
    print(procedure.label, "—", procedure.time_limit_for("direct"))

    good = procedure.validate_form(
        {
            "ho_ten": "Nguyễn Thị Hoa",
            "ngay_sinh": "1995-06-01",
            "so_dinh_danh": "040195012345",
            "dien_thoai": "+84 912 345 678",
            "muc_dich": "Đăng ký kết hôn",
        }
    )
    print("valid:", good.model_dump(mode="json"))

    try:
        procedure.validate_form(
            {
                "ho_ten": "",
                "ngay_sinh": "1995-06-01",
                "so_dinh_danh": "040295012345",
                "dien_thoai": "12345",
                "muc_dich": "Du lịch",
            }
        )
    except tthc.FormValidationError as exc:
        print(f"{len(exc.errors)} bad field(s):")
        for _name, label, reason in exc.errors:
            print(f"  - {label}: {reason}")

    out = Path("marital-status-form.schema.json")
    out.write_text(
        json.dumps(procedure.form_json_schema(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print("wrote", out)
