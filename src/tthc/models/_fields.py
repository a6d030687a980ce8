"""Typed fields of a procedure's declaration form (tờ khai) and the form model built from them.

A :class:`FieldSpec` describes one field (type, Vietnamese and English labels, required flag,
constraints); :func:`build_form_model` turns a list of them into a pydantic model, which is what
:meth:`tthc.Procedure.validate_form` and :meth:`tthc.Procedure.form_json_schema` use.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal, NoReturn, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tthc._enums import LabelledEnum, register_labels
from tthc._time import VN_TZ
from tthc.errors import FormValidationError, InvalidInputError
from tthc.models._identity import (
    IdentityProblem,
    check_citizen_id,
    check_vn_phone,
    parse_citizen_id,
)
from tthc.models._messages import TITLE_EN_KEY, LabelledField, issues_from
from tthc.models._types import MODEL_CONFIG, Email, NonEmptyStr, VnDatetime

__all__ = [
    "FieldConstraints",
    "FieldSpec",
    "FieldType",
    "build_form_model",
    "check_cross_fields",
    "validate_form_values",
]

FIELD_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
"""Field names are lower-case ASCII identifiers (``ho_ten``, ``ngay_sinh``): stable JSON keys."""


class FieldType(LabelledEnum):
    """The type of a declaration-form field."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY_VND = "money_vnd"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    CITIZEN_ID = "citizen_id"
    VN_PHONE = "vn_phone"
    EMAIL = "email"
    ADDRESS = "address"
    ATTACHMENT = "attachment"


register_labels(
    FieldType,
    {
        "text": ("Văn bản", "Text", ()),
        "integer": ("Số nguyên", "Integer", ()),
        "decimal": ("Số thập phân", "Decimal", ()),
        "money_vnd": ("Số tiền (đồng)", "Amount (VND)", ("vnd", "money")),
        "date": ("Ngày", "Date", ()),
        "datetime": ("Ngày giờ", "Date and time", ()),
        "boolean": ("Có / không", "Yes / no", ("bool",)),
        "choice": ("Chọn một", "Single choice", ()),
        "multi_choice": ("Chọn nhiều", "Multiple choice", ()),
        "citizen_id": ("Số định danh cá nhân", "Citizen ID", ("cccd", "căn cước")),
        "vn_phone": ("Số điện thoại", "Phone number", ("phone",)),
        "email": ("Thư điện tử", "E-mail", ()),
        "address": ("Địa chỉ", "Address", ()),
        "attachment": ("Tệp đính kèm", "Attachment", ("file",)),
    },
)

_NUMERIC = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.MONEY_VND})
_TEXTUAL = frozenset({FieldType.TEXT, FieldType.ADDRESS, FieldType.ATTACHMENT})
_CHOICES = frozenset({FieldType.CHOICE, FieldType.MULTI_CHOICE})
_DATES = frozenset({FieldType.DATE, FieldType.DATETIME})

TYPE_HINTS_VI: dict[FieldType, str] = {
    FieldType.INTEGER: "Số nguyên.",
    FieldType.DECIMAL: "Số, phần thập phân ngăn cách bằng dấu chấm (ví dụ 120.5).",
    FieldType.MONEY_VND: "Số tiền bằng đồng, số nguyên (ví dụ 50000).",
    FieldType.DATE: "Ngày theo dạng năm-tháng-ngày (ví dụ 1995-06-01).",
    FieldType.DATETIME: "Ngày giờ theo dạng năm-tháng-ngày giờ:phút (ví dụ 2024-03-01 08:30).",
    FieldType.BOOLEAN: "Có hoặc không.",
    FieldType.CHOICE: "Chọn một giá trị trong danh sách.",
    FieldType.MULTI_CHOICE: "Chọn một hoặc nhiều giá trị trong danh sách, mỗi giá trị một lần.",
    FieldType.CITIZEN_ID: "Số định danh cá nhân (số căn cước) gồm 12 chữ số.",
    FieldType.VN_PHONE: "Số di động 10 chữ số (03, 05, 07, 08, 09) hoặc số cố định 11 chữ số (02).",
    FieldType.EMAIL: "Địa chỉ thư điện tử, ví dụ ten@example.com.",
    FieldType.ATTACHMENT: "Mã hoặc đường dẫn của tệp đã tải lên.",
}
"""The JSON Schema ``description`` (Vietnamese) of a field without ``description_vi``; text and
address fields have none."""
TYPE_HINTS_EN: dict[FieldType, str] = {
    FieldType.INTEGER: "A whole number.",
    FieldType.DECIMAL: "A number, with a decimal point (e.g. 120.5).",
    FieldType.MONEY_VND: "An amount in đồng, a whole number (e.g. 50000).",
    FieldType.DATE: "A date, year-month-day (e.g. 1995-06-01).",
    FieldType.DATETIME: "A date and time (e.g. 2024-03-01 08:30).",
    FieldType.BOOLEAN: "Yes or no.",
    FieldType.CHOICE: "One value of the list.",
    FieldType.MULTI_CHOICE: "One or more values of the list, each once.",
    FieldType.CITIZEN_ID: "A citizen ID of 12 digits.",
    FieldType.VN_PHONE: "A 10-digit mobile (03, 05, 07, 08, 09) or 11-digit fixed-line (02) number.",
    FieldType.EMAIL: "An e-mail address, e.g. name@example.com.",
    FieldType.ATTACHMENT: "The id or link of an uploaded file.",
}
"""English counterparts of :data:`TYPE_HINTS_VI` (``x-description-en`` in the schema)."""


class FieldConstraints(BaseModel):
    """Constraints of a form field; each applies only to the field types named.

    * ``min_value`` / ``max_value``: integer, decimal, money_vnd (inclusive bounds).
    * ``min_length`` / ``max_length`` / ``pattern`` (a Python regular expression the whole value
      must match): text, address, attachment.
    * ``choices``: choice and multi_choice (required for them); ``min_items`` / ``max_items``:
      multi_choice.
    * ``birth_date_field``: citizen_id; the name of a date field of the same form whose year
      must equal the birth year encoded in the ID (Circular 07/2016/TT-BCA Art. 7).
    * ``not_future``: date, datetime; the value may not be after today (after now) in UTC+7,
      e.g. a date of birth ("Ngày sinh không được sau ngày hiện tại").

    >>> FieldConstraints(min_value=0, max_value=100).max_value
    Decimal('100')
    """

    model_config = MODEL_CONFIG

    min_value: Decimal | None = None
    max_value: Decimal | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    min_items: int | None = Field(default=None, ge=0)
    max_items: int | None = Field(default=None, ge=1)
    birth_date_field: str | None = None
    not_future: bool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(
                    f"pattern {value!r} is not a valid regular expression: {exc}"
                ) from None
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        pairs = (
            ("min_value", self.min_value, self.max_value),
            ("min_length", self.min_length, self.max_length),
            ("min_items", self.min_items, self.max_items),
        )
        for name, low, high in pairs:
            if low is not None and high is not None and low > high:
                raise ValueError(f"{name} {low} is greater than its maximum {high}")
        if len(set(self.choices)) != len(self.choices):
            raise ValueError(f"choices {list(self.choices)} contain duplicates")
        return self


class FieldSpec(BaseModel):
    """One field of a procedure's declaration form.

    ``name`` is the JSON key (lower-case identifier); ``label_vi`` / ``label_en`` are what a
    front end shows and what :class:`~tthc.FormValidationError` quotes; ``description_vi`` /
    ``description_en`` an optional help text (hướng dẫn) for the JSON Schema (by default a
    short hint of the type, e.g. "Số định danh cá nhân (số căn cước) gồm 12 chữ số."). Types and
    their Python values after validation:

    | type | Python value after validation |
    |---|---|
    | text, address | ``str`` (surrounding space removed; blank = missing) |
    | integer | ``int`` |
    | decimal | ``decimal.Decimal`` |
    | money_vnd | ``int`` đồng ≥ 0; floats are refused (no rounding guesses) |
    | date | ``datetime.date`` |
    | datetime | ``datetime.datetime`` aware UTC+7 (naive input = UTC+7 wall clock) |
    | boolean | ``bool`` |
    | choice | ``str``, one of ``constraints.choices`` |
    | multi_choice | ``tuple[str, ...]`` of distinct ``constraints.choices`` |
    | citizen_id | ``str``, 12 digits, structure checked (`tthc.models.parse_citizen_id`) |
    | vn_phone | ``str`` in E.164 form ``+84…`` (`tthc.models.normalise_vn_phone`) |
    | email | ``str``, shape-checked |
    | attachment | ``str``, a reference to a stored file (URL or document id) |

    >>> FieldSpec(name="ho_ten", type="text", label_vi="Họ, chữ đệm, tên", label_en="Full name")
    FieldSpec(name='ho_ten', type=<FieldType.TEXT: 'text'>, ...)
    """

    model_config = MODEL_CONFIG

    name: Annotated[str, StringConstraints(pattern=FIELD_NAME_PATTERN)]
    type: FieldType
    label_vi: NonEmptyStr
    label_en: NonEmptyStr
    required: bool = True
    constraints: FieldConstraints = FieldConstraints()
    description_vi: str | None = None
    description_en: str | None = None

    @model_validator(mode="after")
    def _constraints_fit_type(self) -> Self:
        c, t = self.constraints, self.type
        misplaced = []
        if (c.min_value is not None or c.max_value is not None) and t not in _NUMERIC:
            misplaced.append("min_value/max_value")
        if (
            c.min_length is not None or c.max_length is not None or c.pattern is not None
        ) and t not in _TEXTUAL:
            misplaced.append("min_length/max_length/pattern")
        if c.choices and t not in _CHOICES:
            misplaced.append("choices")
        if (c.min_items is not None or c.max_items is not None) and t is not FieldType.MULTI_CHOICE:
            misplaced.append("min_items/max_items")
        if c.birth_date_field is not None and t is not FieldType.CITIZEN_ID:
            misplaced.append("birth_date_field")
        if c.not_future and t not in _DATES:
            misplaced.append("not_future")
        if misplaced:
            raise ValueError(
                f"field {self.name!r} of type {t.value}: constraints {', '.join(misplaced)} "
                "do not apply to this type"
            )
        if t in _CHOICES and not c.choices:
            raise ValueError(f"field {self.name!r} of type {t.value} needs constraints.choices")
        if t is FieldType.MONEY_VND and c.min_value is not None and c.min_value < 0:
            raise ValueError(f"field {self.name!r}: a VND amount cannot be negative")
        return self

    @property
    def label(self) -> str:
        """``"label_vi (label_en)"``, as error messages quote it."""
        return f"{self.label_vi} ({self.label_en})"

    def schema_extra(self) -> dict[str, Any]:
        """The JSON Schema keys of this field beside ``title`` (its Vietnamese label):
        ``description`` in Vietnamese, and ``x-title-en`` / ``x-description-en``."""
        vi = self.description_vi or TYPE_HINTS_VI.get(self.type)
        en = self.description_en or TYPE_HINTS_EN.get(self.type)
        extra: dict[str, Any] = {TITLE_EN_KEY: self.label_en}
        if vi:
            extra["description"] = vi
        if en:
            extra["x-description-en"] = en
        return extra


def _labelled_field(spec: FieldSpec) -> LabelledField:
    """The labels and kind of ``spec`` that the validation messages use."""
    t = spec.type
    if t in (FieldType.CHOICE, FieldType.MULTI_CHOICE, FieldType.BOOLEAN):
        kind = "choose"
    elif t is FieldType.ATTACHMENT:
        kind = "attach"
    else:
        kind = "enter"
    c = spec.constraints
    low = c.min_value if c.min_value is not None else (0 if t is FieldType.MONEY_VND else None)
    return LabelledField(spec.label_vi, spec.label_en, kind, t.value, low, c.max_value, c.choices)


def _no_bool(value: Any) -> Any:
    # pydantic's lax int reads True as 1: for a count or an amount that is a guess.
    if isinstance(value, bool):
        raise PydanticCustomError("number.invalid", "a number is needed, not true/false")
    return value


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise PydanticCustomError(
            "money.not_whole", "an amount in đồng must be a whole number, not a float"
        )
    return _no_bool(value)


def _raise(problem: IdentityProblem) -> NoReturn:
    raise PydanticCustomError(
        problem.code, problem.reason.replace("{", "{{").replace("}", "}}"), problem.params
    )


def _citizen_id(value: str) -> str:
    found = check_citizen_id(value)
    if isinstance(found, IdentityProblem):
        _raise(found)
    return found.number


def _vn_phone(value: str) -> str:
    found = check_vn_phone(value)
    if isinstance(found, IdentityProblem):
        _raise(found)
    return found


def _not_future_date(value: dt.date) -> dt.date:
    today = dt.datetime.now(VN_TZ).date()
    if value > today:
        raise PydanticCustomError(
            "date.future",
            "{value} is after today ({today})",
            {"value": value.isoformat(), "today": today.isoformat()},
        )
    return value


def _not_future_datetime(value: dt.datetime) -> dt.datetime:
    now = dt.datetime.now(VN_TZ)
    if value > now:
        raise PydanticCustomError(
            "datetime.future",
            "{value} is after now ({now})",
            {"value": value.isoformat(), "now": now.isoformat(timespec="seconds")},
        )
    return value


def _python_type(spec: FieldSpec) -> Any:
    """The annotated Python type of one field in the form model."""
    c, t = spec.constraints, spec.type
    if t in _TEXTUAL:
        return Annotated[
            str,
            StringConstraints(
                strip_whitespace=True,
                min_length=max(c.min_length or 0, 1),
                max_length=c.max_length,
                pattern=None if c.pattern is None else f"^(?:{c.pattern})$",
            ),
        ]
    if t is FieldType.INTEGER:
        return Annotated[int, Field(ge=c.min_value, le=c.max_value), BeforeValidator(_no_bool)]
    if t is FieldType.DECIMAL:
        return Annotated[Decimal, Field(ge=c.min_value, le=c.max_value), BeforeValidator(_no_bool)]
    if t is FieldType.MONEY_VND:
        low = c.min_value if c.min_value is not None else 0
        return Annotated[int, Field(ge=low, le=c.max_value), BeforeValidator(_no_float)]
    if t is FieldType.DATE:
        return Annotated[dt.date, AfterValidator(_not_future_date)] if c.not_future else dt.date
    if t is FieldType.DATETIME:
        if c.not_future:
            return Annotated[VnDatetime, AfterValidator(_not_future_datetime)]
        return VnDatetime
    if t is FieldType.BOOLEAN:
        return bool
    choice: Any = Literal.__getitem__(c.choices) if c.choices else None
    if t is FieldType.CHOICE:
        return choice
    if t is FieldType.MULTI_CHOICE:
        return Annotated[
            tuple[choice, ...],
            Field(min_length=c.min_items or (1 if spec.required else 0), max_length=c.max_items),
            AfterValidator(_distinct),
        ]
    if t is FieldType.CITIZEN_ID:
        return Annotated[
            str,
            Field(json_schema_extra={"pattern": r"^[0-9]{12}$", "examples": ["040195012345"]}),
            AfterValidator(_citizen_id),
        ]
    if t is FieldType.VN_PHONE:
        return Annotated[
            str,
            Field(json_schema_extra={"examples": ["0912345678", "+84912345678"]}),
            AfterValidator(_vn_phone),
        ]
    if t is FieldType.EMAIL:
        return Annotated[Email, Field(json_schema_extra={"format": "email"})]
    raise AssertionError(f"unhandled field type {t}")  # pragma: no cover


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("choices.repeated", "each choice may be given once")
    return values


def _empty_to_none(value: Any) -> Any:
    # A blank text box from a web form means "not filled in".
    if isinstance(value, str) and not value.strip():
        return None
    return value


def check_cross_fields(fields: list[FieldSpec] | tuple[FieldSpec, ...]) -> None:
    """Check that every ``birth_date_field`` names a date field of the same form.

    >>> check_cross_fields([FieldSpec(name="cccd", type="citizen_id", label_vi="Số định danh",
    ...                              label_en="ID", constraints={"birth_date_field": "ngay"})])
    Traceback (most recent call last):
    ...
    tthc.errors.InvalidInputError: field 'cccd': birth_date_field 'ngay' is not a date field of this form

    Raises:
        InvalidInputError: naming the field.
    """
    by_name = {s.name: s for s in fields}
    for spec in fields:
        target_name = spec.constraints.birth_date_field
        if target_name is None:
            continue
        target = by_name.get(target_name)
        if target is None or target.type is not FieldType.DATE:
            raise InvalidInputError(
                f"field {spec.name!r}: birth_date_field {target_name!r} is not a date field "
                "of this form"
            )


def build_form_model(fields: list[FieldSpec] | tuple[FieldSpec, ...], name: str) -> type[BaseModel]:
    """Build the pydantic model of a declaration form from its field specifications.

    Optional fields default to ``None``; for them a blank string counts as not given (a required
    field left blank is reported as ``required``). Unknown keys are
    refused. In the JSON Schema each field's ``title`` is its Vietnamese label and its
    ``description`` a Vietnamese help text (:meth:`FieldSpec.schema_extra`). Cross-field checks (a citizen ID against a birth-date field) run only once every
    field is valid on its own. Patterns use Python ``re`` syntax.

    >>> Form = build_form_model([FieldSpec(name="so_con", type="integer", label_vi="Số con",
    ...                                    label_en="Children", constraints={"min_value": 0})],
    ...                         "Demo")
    >>> Form.model_validate({"so_con": "2"}).so_con
    2
    """
    definitions: dict[str, Any] = {}
    for spec in fields:
        typ = _python_type(spec)
        extra = spec.schema_extra()
        info = Field(title=spec.label_vi, json_schema_extra=extra)
        if spec.required:
            definitions[spec.name] = (typ, info)
        else:
            info = Field(default=None, title=spec.label_vi, json_schema_extra=extra)
            definitions[spec.name] = (
                Annotated[typ | None, BeforeValidator(_empty_to_none)],
                info,
            )
    check_cross_fields(fields)
    cross = [
        (s.name, s.constraints.birth_date_field)
        for s in fields
        if s.constraints.birth_date_field is not None
    ]

    def _cross_checks(self: BaseModel) -> BaseModel:
        for id_field, date_field in cross:
            number, born = getattr(self, id_field), getattr(self, date_field)
            if number is None or born is None:
                continue
            year = parse_citizen_id(number).birth_year
            if year != born.year:
                raise PydanticCustomError(
                    "citizen_id_birth_year",
                    "the citizen ID encodes birth year {year}, but {date_field} is {born}",
                    {"field": id_field, "year": year, "date_field": date_field, "born": str(born)},
                )
        return self

    validators: dict[str, Any] = (
        {"_cross_checks": model_validator(mode="after")(_cross_checks)} if cross else {}
    )
    model: type[BaseModel] = create_model(
        name,
        __config__=ConfigDict(extra="forbid", frozen=True, regex_engine="python-re"),
        __validators__=validators,
        **definitions,
    )
    return model


def validate_form_values(
    model: type[BaseModel],
    fields: list[FieldSpec] | tuple[FieldSpec, ...],
    values: Any,
    procedure: str,
) -> BaseModel:
    """Validate ``values`` with a form ``model``; raise one error listing every bad field.

    The error carries each problem twice: ``errors`` as ``(field name, label, English reason)``
    (as in earlier versions) and ``issues`` as :class:`~tthc.errors.ValidationIssue` objects,
    with a stable code and messages in Vietnamese and English (``err.messages("vi")``).

    >>> spec = FieldSpec(name="so_con", type="integer", label_vi="Số con", label_en="Children",
    ...                  constraints={"min_value": 0, "max_value": 20})
    >>> Form = build_form_model([spec], "Demo")
    >>> validate_form_values(Form, [spec], {"so_con": "hai"}, "1.000001")
    Traceback (most recent call last):
    ...
    tthc.errors.FormValidationError: form of procedure 1.000001 has 1 bad field(s): so_con (Số con (Children)): Input should be a valid integer, unable to parse string as an integer
    >>> try:
    ...     validate_form_values(Form, [spec], {"so_con": 25}, "1.000001")
    ... except FormValidationError as err:
    ...     print(err.issues[0].code, "|", err.messages("vi")[0], "|", err.messages("en")[0])
    number.too_large | Số con phải từ 0 đến 20. | Children must be between 0 and 20.

    Raises:
        FormValidationError: with ``errors`` = every ``(field name, label, reason)`` and
            ``issues`` = every :class:`~tthc.errors.ValidationIssue`.
    """
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        by_name = {s.name: s for s in fields}
        labels = {s.name: s.label for s in fields}
        errors: list[tuple[str, str, str]] = []
        for err in exc.errors(include_url=False):
            loc = err["loc"]
            ctx = err.get("ctx") or {}
            name = str(loc[0]) if loc else str(ctx.get("field", ""))
            reason = str(err["msg"]).removeprefix("Value error, ")
            raw = err.get("input")
            if err["type"] == "extra_forbidden":
                reason = "not a field of this form"
            elif err["type"] == "missing" or (
                len(loc) == 1 and (raw is None or (isinstance(raw, str) and not raw.strip()))
            ):
                reason = "required"
            if len(loc) > 1:
                reason = f"item {loc[1]}: {reason}"
            errors.append((name, labels.get(name, name), reason))

        def field_for(loc: tuple[str | int, ...]) -> tuple[str, LabelledField]:
            name = str(loc[0]) if loc else ""
            spec = by_name.get(name)
            if spec is None:
                return name, LabelledField(f"Trường “{name}”", f"field “{name}”")
            return name, _labelled_field(spec)

        def extra_params(code: str, params: dict[str, Any]) -> dict[str, Any]:
            if code != "citizen_id.birth_year_mismatch":
                return params
            date_spec = by_name.get(str(params.get("date_field")))
            born = dt.date.fromisoformat(str(params.get("born")))
            return {
                "birth_year": params.get("year"),
                "date_field": params.get("date_field"),
                "date_label": date_spec.label_vi.lower() if date_spec else "ngày sinh",
                "date_label_en": date_spec.label_en.lower() if date_spec else "date of birth",
                "born": f"{born:%d/%m/%Y}",
                "born_en": born.isoformat(),
            }

        issues = issues_from(exc, field_for, extra_params=extra_params)
        raise FormValidationError(procedure, errors, issues) from None
