"""Validation messages for applicants, in Vietnamese and English, with stable codes.

Every problem a declaration form or a model finds becomes a :class:`~tthc.errors.ValidationIssue`:
a stable ``code`` (:data:`VALIDATION_CODES`), the field's labels and one sentence per language.
The Vietnamese sentences are written the way a one-stop office writes to citizens ("Vui lòng
nhập …", "… phải gồm 12 chữ số", "… không được sau ngày hiện tại"), not translated word for
word from the English ones. They quote the field's label, so each reads on its own.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, TypeVar

from pydantic import BaseModel, Field, ValidationError
from pydantic_core import ErrorDetails

from tthc.errors import ModelValidationError, ValidationIssue

__all__ = [
    "TITLE_EN_KEY",
    "VALIDATION_CODES",
    "FieldKind",
    "LabelledField",
    "issues_from",
    "label_mid",
    "labelled",
    "model_field_labels",
    "render_message",
    "validate_model",
    "validation_issues",
]

M = TypeVar("M", bound=BaseModel)

FieldKind = str
"""How a field is filled in, which decides the verb of "required": ``"enter"`` (nhập: text,
numbers, dates, IDs), ``"choose"`` (chọn: choices, yes/no) or ``"attach"`` (đính kèm: files)."""

# code: (Vietnamese, English). Placeholders: {Label}/{label} the field's Vietnamese label at the
# start / in the middle of a sentence, {Label_en}/{label_en} the English ones, and the params.
VALIDATION_CODES: Final[Mapping[str, tuple[str, str]]] = {
    "required": ("Vui lòng nhập {label}.", "Please enter {label_en}."),
    "required.choose": ("Vui lòng chọn {label}.", "Please choose {label_en}."),
    "required.attach": ("Vui lòng đính kèm {label}.", "Please attach {label_en}."),
    "not_a_field": (
        "{container} không có trường “{field}”.",
        "“{field}” is not a field of {container_en}.",
    ),
    "not_an_object": (
        "Dữ liệu gửi lên không đúng cấu trúc: cần một đối tượng gồm tên trường và giá trị.",
        "The data must be an object of field names and values.",
    ),
    "text.type": ("{Label} phải là chữ (văn bản).", "{Label_en} must be text."),
    "text.too_short": (
        "{Label} phải có ít nhất {min_length} ký tự.",
        "{Label_en} must have at least {min_length} characters.",
    ),
    "text.too_long": (
        "{Label} không được dài quá {max_length} ký tự.",
        "{Label_en} must have at most {max_length} characters.",
    ),
    "text.pattern": (
        "{Label} không đúng định dạng quy định.",
        "{Label_en} is not in the required format.",
    ),
    "number.invalid": ("{Label} phải là một số.", "{Label_en} must be a number."),
    "number.not_integer": (
        "{Label} phải là số nguyên (không có phần thập phân).",
        "{Label_en} must be a whole number.",
    ),
    "number.out_of_range": (
        "{Label} phải từ {min} đến {max}.",
        "{Label_en} must be between {min_en} and {max_en}.",
    ),
    "number.too_small": (
        "{Label} không được nhỏ hơn {min}.",
        "{Label_en} must be at least {min_en}.",
    ),
    "number.too_large": (
        "{Label} không được lớn hơn {max}.",
        "{Label_en} must be at most {max_en}.",
    ),
    "number.negative": ("{Label} không được là số âm.", "{Label_en} cannot be negative."),
    "money.not_whole": (
        "{Label} phải là số tiền tròn đồng, nhập số nguyên (không có phần lẻ).",
        "{Label_en} must be a whole number of đồng.",
    ),
    "date.invalid": (
        "{Label} không phải là ngày hợp lệ; vui lòng ghi theo dạng năm-tháng-ngày, ví dụ "
        "1995-06-01.",
        "{Label_en} is not a valid date; write it year-month-day, e.g. 1995-06-01.",
    ),
    "date.future": (
        "{Label} không được sau ngày hiện tại.",
        "{Label_en} cannot be later than today.",
    ),
    "datetime.invalid": (
        "{Label} không hợp lệ; vui lòng ghi ngày và giờ theo dạng năm-tháng-ngày giờ:phút, "
        "ví dụ 2024-03-01 08:30.",
        "{Label_en} is not a valid date and time; write it e.g. 2024-03-01 08:30.",
    ),
    "datetime.future": (
        "{Label} không được sau thời điểm hiện tại.",
        "{Label_en} cannot be later than now.",
    ),
    "boolean.invalid": (
        "Vui lòng chọn “Có” hoặc “Không” cho {label}.",
        "Please answer yes or no for {label_en}.",
    ),
    "choice.invalid": (
        "“{value}” không có trong danh sách {label}; vui lòng chọn một trong các giá trị: "
        "{choices}.",
        "“{value}” is not a choice of {label_en}; choose one of: {choices}.",
    ),
    "choices.type": (
        "{Label} phải là danh sách các lựa chọn.",
        "{Label_en} must be a list of choices.",
    ),
    "choices.too_few": (
        "Vui lòng chọn ít nhất {min_items} mục cho {label}.",
        "Please choose at least {min_items} for {label_en}.",
    ),
    "choices.too_many": (
        "{Label} chỉ được chọn tối đa {max_items} mục.",
        "Choose at most {max_items} for {label_en}.",
    ),
    "choices.repeated": (
        "Mỗi lựa chọn của {label} chỉ được chọn một lần.",
        "Each choice of {label_en} may be given once.",
    ),
    "citizen_id.length": ("{Label} phải gồm 12 chữ số.", "{Label_en} must have 12 digits."),
    "citizen_id.province": (
        "{Label} không đúng: 3 chữ số đầu ({province_code}) không phải là mã tỉnh, thành phố "
        "nơi đăng ký khai sinh.",
        "{Label_en} is not valid: its first 3 digits ({province_code}) are not a province code.",
    ),
    "citizen_id.future_birth_year": (
        "{Label} không đúng: năm sinh ghi trong số ({birth_year}) sau năm hiện tại.",
        "{Label_en} is not valid: the birth year it gives ({birth_year}) is in the future.",
    ),
    "citizen_id.birth_year_mismatch": (
        "Năm sinh trong {label} ({birth_year}) không khớp với {date_label} đã khai ({born}).",
        "The birth year in {label_en} ({birth_year}) does not match {date_label_en} ({born_en}).",
    ),
    "phone.format": (
        "{Label} không đúng định dạng số điện thoại.",
        "{Label_en} is not a phone number.",
    ),
    "phone.not_vietnamese": (
        "{Label} phải là số điện thoại Việt Nam (mã quốc gia +84).",
        "{Label_en} must be a Vietnamese (+84) number.",
    ),
    "phone.prefix": (
        "{Label} phải bắt đầu bằng 0 hoặc +84.",
        "{Label_en} must start with 0 or +84.",
    ),
    "phone.non_digits": (
        "{Label} chỉ được gồm các chữ số.",
        "{Label_en} may contain only digits.",
    ),
    "phone.old_mobile": (
        "{Label} là số di động 11 số cũ (đầu 01), đã chuyển sang 10 số từ năm 2018; vui lòng "
        "nhập số mới.",
        "{Label_en} is an old 11-digit mobile number (01x), converted to 10 digits in 2018; "
        "please enter the new number.",
    ),
    "phone.unknown_prefix": (
        "{Label} không đúng: số di động bắt đầu bằng 03, 05, 07, 08 hoặc 09, số cố định bắt "
        "đầu bằng 02.",
        "{Label_en} is not valid: mobile numbers start 03, 05, 07, 08 or 09, fixed lines 02.",
    ),
    "phone.length": (
        "{Label} không đúng: số {kind_vi} gồm {expected} chữ số (kể cả số 0 ở đầu).",
        "{Label_en} is not valid: a {kind} number has {expected} digits (with the leading 0).",
    ),
    "email.format": (
        "{Label} không đúng định dạng, ví dụ đúng: ten@example.com.",
        "{Label_en} is not an e-mail address (e.g. name@example.com).",
    ),
    "invalid": ("{Label} không hợp lệ.", "{Label_en} is not valid: {detail}."),
}
"""Every validation code with its Vietnamese and English message templates.

``required`` has three wordings by how the field is filled in (``required.choose`` for
choices, ``required.attach`` for files) but one code, ``required``; ``number.out_of_range`` is
the wording of ``number.too_small`` / ``number.too_large`` when both bounds exist. ``invalid``
is the fallback for a rule without its own code (its English message carries pydantic's)."""

_PHONE_KIND_VI: Final = {"mobile": "di động", "fixed-line": "cố định"}


def label_mid(label: str) -> str:
    """A label for the middle of a sentence: an ordinary capitalised first word is lowered
    ("Họ, chữ đệm, tên" → "họ, chữ đệm, tên"); acronyms and names stay ("CCCD", "VNeID").

    >>> label_mid("Số định danh cá nhân"), label_mid("CCCD của người yêu cầu"), label_mid("Full name")
    ('số định danh cá nhân', 'CCCD của người yêu cầu', 'full name')
    """
    first = label.split(" ", 1)[0].rstrip(",.:;")
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return label[0].lower() + label[1:]
    return label


def _label_start(label: str) -> str:
    return label[:1].upper() + label[1:]


def _number_vi(value: object, money: bool) -> str:
    """A number as Vietnamese write it: ``1.000.000`` (dot thousands, comma decimals)."""
    text = _number_en(value, False)
    whole, _, frac = text.partition(".")
    whole = whole.replace(",", ".")
    out = f"{whole},{frac}" if frac else whole
    return f"{out} đồng" if money else out


def _number_en(value: object, money: bool) -> str:
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else value
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, Decimal | float):
        text = f"{value:,f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return f"{text} VND" if money else text


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:  # a template never fails on a missing value
        return "?"


def render_message(
    code: str,
    label_vi: str,
    label_en: str,
    params: Mapping[str, Any] | None = None,
    *,
    kind: FieldKind = "enter",
) -> tuple[str, str]:
    """The Vietnamese and English messages of ``code`` for a field with these labels.

    >>> render_message("citizen_id.length", "Số định danh cá nhân", "Citizen ID")
    ('Số định danh cá nhân phải gồm 12 chữ số.', 'Citizen ID must have 12 digits.')
    >>> render_message("required", "Họ, chữ đệm, tên", "Full name")[0]
    'Vui lòng nhập họ, chữ đệm, tên.'
    """
    template = code
    if code == "required" and kind in ("choose", "attach"):
        template = f"required.{kind}"
    vi, en = VALIDATION_CODES.get(template, VALIDATION_CODES["invalid"])
    values = _Params(params or {})
    values.update(
        Label=_label_start(label_vi),
        label=label_mid(label_vi),
        Label_en=_label_start(label_en),
        label_en=label_mid(label_en),
    )
    values.setdefault("detail", code)
    return vi.format_map(values), en.format_map(values)


@dataclass(frozen=True)
class LabelledField:
    """What the messages need to know of a field: labels, how it is filled in, and for
    numbers their bounds and whether they are amounts in đồng."""

    label_vi: str
    label_en: str
    kind: FieldKind = "enter"
    field_type: str = "text"
    minimum: Any = None
    maximum: Any = None
    choices: tuple[str, ...] = ()


_DATE_TYPES: Final = frozenset(
    {
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    }
)
_DATETIME_TYPES: Final = frozenset(
    {
        "datetime_type",
        "datetime_parsing",
        "datetime_object_invalid",
        "datetime_from_date_parsing",
        "vn_datetime",
        "timezone_aware",
        "timezone_naive",
    }
)
_NUMBER_TYPES: Final = frozenset(
    {
        "int_type",
        "int_parsing",
        "int_parsing_size",
        "decimal_type",
        "decimal_parsing",
        "finite_number",
        "float_type",
        "float_parsing",
    }
)
_BOOL_TYPES: Final = frozenset({"bool_type", "bool_parsing"})
_OBJECT_TYPES: Final = frozenset({"model_type", "dict_type", "model_attributes_type"})


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _code_for(err: ErrorDetails, f: LabelledField, item: int | None) -> tuple[str, dict[str, Any]]:
    """(code, params) of one pydantic error on one field."""
    typ = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    raw = err.get("input")
    t = f.field_type
    if typ == "missing" or (item is None and _blank(raw) and typ != "extra_forbidden"):
        return "required", {}
    if "." in typ:  # our own codes (PydanticCustomError), with their params
        return typ, {k: v for k, v in ctx.items() if k != "reason"}
    if typ == "citizen_id_birth_year":
        return "citizen_id.birth_year_mismatch", ctx
    if typ in ("string_too_short", "too_short") and t not in ("multi_choice",):
        if int(ctx.get("min_length", 1)) <= 1:
            return "required", {}
        return "text.too_short", {"min_length": ctx.get("min_length")}
    if t == "email":
        return "email.format", {}
    if t == "citizen_id":
        return "citizen_id.length", {}
    if t == "vn_phone":
        return "phone.format", {}
    if typ == "string_too_long":
        return "text.too_long", {"max_length": ctx.get("max_length")}
    if typ == "string_pattern_mismatch":
        return "text.pattern", {}
    if typ == "string_type":
        return "text.type", {}
    if typ == "int_from_float" or (typ == "int_parsing" and _looks_decimal(raw)):
        return "number.not_integer", {}
    if typ in _NUMBER_TYPES:
        return "number.invalid", {}
    if typ in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _range(typ, ctx, f)
    if typ in _DATE_TYPES or (t == "date" and typ.startswith("date")):
        return "date.invalid", {}
    if typ in _DATETIME_TYPES or t == "datetime":
        return "datetime.invalid", {}
    if typ in _BOOL_TYPES:
        return "boolean.invalid", {}
    if typ in ("literal_error", "enum"):
        choices = f.choices or _expected(ctx)
        return "choice.invalid", {"value": raw, "choices": ", ".join(choices)}
    if t == "multi_choice":
        if typ == "too_short":
            return "choices.too_few", {"min_items": ctx.get("min_length")}
        if typ == "too_long":
            return "choices.too_many", {"max_items": ctx.get("max_length")}
        return "choices.type", {}
    if typ in _OBJECT_TYPES:
        return "not_an_object", {}
    return "invalid", {"detail": str(err["msg"]).removeprefix("Value error, ")}


def _looks_decimal(raw: object) -> bool:
    return isinstance(raw, str) and any(sep in raw for sep in ".,") and raw.strip()[:1].isdigit()


def _expected(ctx: Mapping[str, Any]) -> tuple[str, ...]:
    text = str(ctx.get("expected", ""))
    return tuple(part.strip(" '") for part in text.replace(" or ", ", ").split(",") if part.strip())


def _range(typ: str, ctx: Mapping[str, Any], f: LabelledField) -> tuple[str, dict[str, Any]]:
    low = f.minimum if f.minimum is not None else ctx.get("ge", ctx.get("gt"))
    high = f.maximum if f.maximum is not None else ctx.get("le", ctx.get("lt"))
    money = f.field_type == "money_vnd"
    both = low is not None and high is not None
    params = {
        # "từ 0 đến 1.000.000 đồng": the unit once, after the upper bound
        "min": _number_vi(low, money and not both),
        "max": _number_vi(high, money),
        "min_en": _number_en(low, money),
        "max_en": _number_en(high, money),
        "minimum": low,
        "maximum": high,
    }
    code = "number.too_small" if typ.startswith("greater") else "number.too_large"
    return code, params


def _wording(code: str, low: object, high: object) -> str:
    """The template a range code is worded with: both bounds together when both exist, and
    "not negative" for a lower bound of 0 alone."""
    if code in ("number.too_small", "number.too_large") and low is not None and high is not None:
        return "number.out_of_range"
    if code == "number.too_small" and low is not None and Decimal(str(low)) == 0:
        return "number.negative"
    return code


def issues_from(
    exc: ValidationError,
    field_for: Callable[[tuple[str | int, ...]], tuple[str, LabelledField]],
    *,
    extra_params: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None,
    container: tuple[str, str] = ("Tờ khai", "this form"),
) -> list[ValidationIssue]:
    """One :class:`~tthc.errors.ValidationIssue` per error of ``exc``.

    ``field_for(loc)`` gives the field's path (``"applicant.phone"``) and its
    :class:`LabelledField`; ``extra_params(code, params)`` may add what a message quotes
    (e.g. the label of the birth-date field of a cross check).
    """
    out: list[ValidationIssue] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        ctx = err.get("ctx") or {}
        if "field" in ctx and ("." in err["type"] or err["type"] == "citizen_id_birth_year"):
            loc = (*loc, str(ctx["field"]))  # a model-level check names its field
        item = next((p for p in loc[1:] if isinstance(p, int)), None)
        path, f = field_for(loc)
        raw = err.get("input")
        if err["type"] == "extra_forbidden":
            code = "not_a_field"
            params = {"field": path, "container": container[0], "container_en": container[1]}
        elif not loc and err["type"] in _OBJECT_TYPES:
            code, params = "not_an_object", {}
        else:
            code, params = _code_for(err, f, item)
        if extra_params is not None:
            params = extra_params(code, params)
        if code == "phone.length":
            params = {**params, "kind_vi": _PHONE_KIND_VI.get(str(params.get("kind")), "")}
        template = _wording(code, params.get("minimum"), params.get("maximum"))
        vi, en = render_message(template, f.label_vi, f.label_en, params, kind=f.kind)
        if item is not None and code not in ("choice.invalid", "choices.repeated"):
            vi, en = f"{vi[:-1]} (mục {item + 1}).", f"{en[:-1]} (item {item + 1})."
        value = None if code == "required" and raw is None else _plain(raw)
        hidden = ("min_en", "max_en", "field", "container", "container_en")
        public = {k: v for k, v in params.items() if k not in hidden}
        out.append(ValidationIssue(path, code, f.label_vi, f.label_en, vi, en, value, public))
    # pydantic also counts the items left after a bad one ("too few"): the bad item is the
    # problem to report, not the count.
    bad_items = {i.field for i in out if i.code == "choice.invalid"}
    return [i for i in out if not (i.code == "choices.too_few" and i.field in bad_items)]


def _plain(value: object) -> object:
    """The input as JSON-friendly data (pydantic gives the raw input back)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if isinstance(value, Sequence):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return repr(value)


# ---- labels of model fields ------------------------------------------------------------------

TITLE_EN_KEY: Final = "x-title-en"
"""JSON Schema key of a field's English label (its ``title`` is the Vietnamese one)."""


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (itself, in a tuple, list or Optional), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _nested_model(typing.get_args(annotation)[0])
    if origin in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _nested_model(arg)
            if found is not None:
                return found
    return None


def model_field_labels(
    model: type[BaseModel], loc: tuple[str | int, ...]
) -> tuple[str, LabelledField]:
    """(dotted path, labels) of the field at ``loc`` in ``model``: the Vietnamese label is the
    field's JSON Schema ``title``, the English one its ``x-title-en``; a field without them is
    quoted by its name."""
    path: list[str] = []
    current: type[BaseModel] | None = model
    label_vi = label_en = ""
    field_type = "text"
    choices: tuple[str, ...] = ()
    for part in loc:
        path.append(str(part))
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is None:
            label_vi, label_en = f"Trường “{part}”", f"field “{part}”"
            current = None
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        label_vi = info.title or f"Trường “{part}”"
        label_en = str(extra.get(TITLE_EN_KEY) or f"field “{part}”")
        field_type = str(extra.get("x-field-type") or "text")
        choices = tuple(str(c) for c in extra.get("x-choices") or ())  # type: ignore[union-attr]
        current = _nested_model(info.annotation)
    if not path:
        label_vi, label_en = "Dữ liệu", "The data"
    kind = "choose" if field_type in ("choice", "boolean") else "enter"
    return ".".join(path), LabelledField(label_vi, label_en, kind, field_type, choices=choices)


def labelled(vi: str, en: str, *, field_type: str | None = None, **kwargs: Any) -> Any:
    """``Field(...)`` of a model field with its Vietnamese label as JSON Schema ``title`` and
    its English label as ``x-title-en`` (what :func:`validate_model` messages quote)."""
    extra: dict[str, Any] = {TITLE_EN_KEY: en}
    if field_type is not None:
        extra["x-field-type"] = field_type
    return Field(title=vi, json_schema_extra=extra, **kwargs)


def validation_issues(exc: ValidationError, model: type[BaseModel]) -> list[ValidationIssue]:
    """The :class:`~tthc.errors.ValidationIssue` of each error in ``exc``, raised by
    ``model``: a stable code, the field's labels and messages in Vietnamese and English.

    >>> from pydantic import ValidationError
    >>> from tthc.models import Applicant
    >>> try:
    ...     Applicant(name="Nguyễn Văn A", phone="0123 456 7890")
    ... except ValidationError as exc:
    ...     issue = validation_issues(exc, Applicant)[0]
    >>> issue.field, issue.code
    ('phone', 'phone.old_mobile')
    """
    return issues_from(
        exc,
        lambda loc: model_field_labels(model, loc),
        container=("Dữ liệu", f"{model.__name__}"),
    )


def validate_model(model: type[M], data: Any) -> M:
    """``model.model_validate(data)``, raising :class:`~tthc.errors.ModelValidationError`
    (one :class:`~tthc.errors.ValidationIssue` per problem, messages in Vietnamese and English)
    instead of pydantic's English-only ``ValidationError``.

    >>> from tthc import Dossier
    >>> try:
    ...     validate_model(Dossier, {"code": "000.17.22.H56-240301-0001",
    ...         "procedure_code": "1.001193", "channel": "direct",
    ...         "received_at": "2024-03-01 08:00",
    ...         "applicant": {"name": "Trần Thị B", "phone": "091234567"}})
    ... except ModelValidationError as err:
    ...     print(err.issues[0].field, "|", err.messages("vi")[0])
    applicant.phone | Số điện thoại không đúng: số di động gồm 10 chữ số (kể cả số 0 ở đầu).

    Raises:
        ModelValidationError: listing every problem (also an ``InvalidInputError``).
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ModelValidationError(model.__name__, validation_issues(exc, model)) from None
