"""Validation of register records before anything is written.

SQLModel table models skip validation, so every create and update goes through one of these
plain pydantic models first. The first problem found becomes a ValidationError naming the field;
nothing is written.
"""

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticError

from riskreg.domain import catalog as vocab
from riskreg.domain.dates import parse_date
from riskreg.domain.register import CONSENT_DECISIONS, HAZARD_STATUSES, SAFEGUARD_STATUSES
from riskreg.errors import ValidationError


def _date_or_none(value: Any) -> Any:
    if isinstance(value, str):
        return parse_date(value) if value.strip() else None
    return value


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _choice(options: Any) -> Any:
    def check(value: Any) -> Any:
        if value not in options:
            allowed = ", ".join(options)
            raise ValueError(f"{value!r} is not one of: {allowed}")
        return value

    return BeforeValidator(check)


OptionalDate = Annotated[date | None, BeforeValidator(_date_or_none)]
Text = Annotated[str, BeforeValidator(_text)]
Score = Annotated[int, Field(ge=1, le=5)]
Months = Annotated[int, Field(ge=1, le=120)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=20_000)


class OwnerInput(_Input):
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    role: Annotated[Text, Field(max_length=200)] = ""
    contact: Annotated[Text, Field(max_length=300)] = ""
    notes: Text = ""


class ToolInput(_Input):
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    vendor: Annotated[Text, Field(max_length=200)] = ""
    category: Annotated[str, _choice(vocab.TOOL_CATEGORIES)]
    handles_phi: bool = True
    baa_status: Annotated[str, _choice(vocab.BAA_STATUSES)] = "missing"
    baa_signed_on: OptionalDate = None
    baa_expires_on: OptionalDate = None
    baa_location: Annotated[Text, Field(max_length=500)] = ""
    check_designed_for_mental_health: bool | None = None
    check_explains_hipaa: bool | None = None
    check_explains_data_use: bool | None = None
    check_states_training_use: bool | None = None
    check_no_training_on_client_data: bool | None = None
    check_no_sale_or_sharing: bool | None = None
    check_signs_baa: bool | None = None
    owner: str | None = None
    notes: Text = ""
    catalog_key: str | None = None

    @model_validator(mode="after")
    def _baa_dates(self) -> "ToolInput":
        if self.baa_status == "signed" and self.baa_signed_on is None:
            raise _field_error("baa_signed_on", "a signed BAA needs the date it was signed")
        if self.baa_signed_on and self.baa_expires_on and self.baa_expires_on <= self.baa_signed_on:
            raise _field_error("baa_expires_on", "the BAA must expire after the date it was signed")
        return self


class HazardInput(_Input):
    title: Annotated[Text, Field(min_length=1, max_length=300)]
    description: Text = ""
    threat_source: Annotated[Text, Field(max_length=300)] = ""
    vulnerability: Annotated[Text, Field(max_length=500)] = ""
    likelihood: Score
    impact: Score
    residual_likelihood: Score
    residual_impact: Score
    treatment: Annotated[str, _choice(vocab.TREATMENTS)] = "mitigate"
    acceptance_rationale: Text = ""
    acceptance_expires_on: OptionalDate = None
    status: Annotated[str, _choice(HAZARD_STATUSES)] = "open"
    owner: str | None = None
    review_cadence_months: Months = 12
    last_reviewed_on: OptionalDate = None
    next_review_on: OptionalDate = None
    catalog_key: str | None = None

    @model_validator(mode="after")
    def _acceptance(self) -> "HazardInput":
        # Accepting a risk is the practitioner's documented decision (164.308(a)(1)(ii)(B)).
        if self.treatment == "accept" or self.status == "accepted":
            if not self.acceptance_rationale:
                raise _field_error("acceptance_rationale", "accepting a risk needs a rationale")
            if self.acceptance_expires_on is None:
                raise _field_error(
                    "acceptance_expires_on", "accepting a risk needs a date when it expires"
                )
        return self


class SafeguardInput(_Input):
    title: Annotated[Text, Field(min_length=1, max_length=300)]
    description: Text = ""
    category: Annotated[str, _choice(vocab.SAFEGUARD_CATEGORIES)]
    citation: Annotated[Text, Field(max_length=100)] = ""
    requirement: Annotated[str, _choice(vocab.REQUIREMENTS)] = "required"
    decision_note: Text = ""
    status: Annotated[str, _choice(SAFEGUARD_STATUSES)] = "planned"
    owner: str | None = None
    due_on: OptionalDate = None
    evidence: Text = ""
    verification_cadence_months: Months = 12
    last_verified_on: OptionalDate = None
    catalog_key: str | None = None

    @model_validator(mode="after")
    def _addressable(self) -> "SafeguardInput":
        # An addressable specification is implemented if reasonable and appropriate; otherwise the
        # reason and any equivalent measure are documented (164.306(d)(3)).
        # A planned safeguard's decision may still be open; once it is in progress, in place,
        # verified or set aside, the decision must be on record.
        if self.requirement == "addressable" and self.status != "planned" and not self.decision_note:
            raise _field_error(
                "decision_note", "an addressable safeguard needs its documented decision"
            )
        return self


class ConsentInput(_Input):
    client_code: Annotated[
        Text,
        Field(
            min_length=1,
            max_length=40,
            pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
            description="a client code such as C-0042, never a name",
        ),
    ]
    tool: str | None = None
    disclosed_on: Annotated[date, BeforeValidator(_date_or_none)]
    decision: Annotated[str, _choice(CONSENT_DECISIONS)] = "pending"
    written: bool = False
    alternative_offered: Annotated[Text, Field(max_length=500)] = ""
    notes: Text = ""


INPUTS: dict[str, type[_Input]] = {
    "owner": OwnerInput,
    "tool": ToolInput,
    "hazard": HazardInput,
    "safeguard": SafeguardInput,
    "consent": ConsentInput,
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _name(value: Any) -> Any:
    """A name printed on reports and notices: one line, at most 200 characters."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    if _CONTROL.search(value):
        raise ValueError("must be plain text on one line (no tabs, line breaks or control "
                         "characters)")
    if len(value) > 200:
        raise ValueError(f"is {len(value)} characters long; at most 200")
    return value


def _state(value: Any) -> Any:
    from riskreg.domain.state_rules import jurisdictions

    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    code = value.strip().upper()
    if code and code not in jurisdictions():
        raise ValueError(f"{value.strip()!r} is not a 2-letter USPS code of a state or "
                         "territory (e.g. CA, NY, DC, PR), or empty")
    return code


def _whole(low: int, high: int, unit: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value, re.ASCII):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{value!r} is not a whole number of {unit} ({low}-{high})")
        if not low <= value <= high:
            raise ValueError(f"{value} is not between {low} and {high} {unit}")
        return value

    return BeforeValidator(check)


def _alarms(value: Any) -> Any:
    """Stored as the parser reads it back: "14,7,1", or "none" (an empty value would mean the
    default alarms to the calendar export)."""
    from riskreg.domain.calendar_events import parse_alarm_days

    if value is None:
        value = ""
    if isinstance(value, tuple | list):
        value = ",".join(str(v) for v in value)
    if not isinstance(value, str):
        return value
    days = parse_alarm_days(value)
    return ",".join(str(n) for n in days) if days else "none"


Name = Annotated[str, BeforeValidator(_name)]


class SettingsInput(_Input):
    """The practice settings (one row). Not in INPUTS: not a register record."""

    practice_name: Name = ""
    practitioner: Name = ""
    home_state: Annotated[str, BeforeValidator(_state)] = ""
    internal_target_days: Annotated[int, _whole(0, 59, "days")] = 15
    alarm_days: Annotated[str, BeforeValidator(_alarms)] = "14,7,1"
    risk_analysis_reviewed_on: OptionalDate = None
    risk_analysis_cadence_months: Annotated[int, _whole(1, 36, "months")] = 12


class _FieldProblem(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


def _field_error(field: str, problem: str) -> _FieldProblem:
    return _FieldProblem(field, problem)


_FRIENDLY = {
    "string_too_short": "is required",
    "missing": "is required",
    "extra_forbidden": "is not a field of this record",
    "string_pattern_mismatch": "must be a client code (letters, digits, - _ .), never a name",
}


def validate(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check a whole record; return the cleaned values or raise ValidationError for the first
    problem found, naming the field."""
    return validate_with(INPUTS[kind], data, kind)


def validate_settings(data: dict[str, Any]) -> dict[str, Any]:
    """Check the practice settings (fields not given take their defaults)."""
    return validate_with(SettingsInput, data, "practice_settings")


def validate_with(model_type: type[_Input], data: dict[str, Any], kind: str) -> dict[str, Any]:
    try:
        model = model_type.model_validate(data)
    except _FieldProblem as problem:
        raise ValidationError(problem.field, str(problem)) from None
    except PydanticError as error:
        first = error.errors()[0]
        ctx_error = (first.get("ctx") or {}).get("error")
        if isinstance(ctx_error, _FieldProblem):
            raise ValidationError(ctx_error.field, str(ctx_error)) from None
        field = ".".join(str(part) for part in first["loc"]) or "record"
        message = _FRIENDLY.get(first["type"]) or first["msg"].removeprefix("Value error, ")
        if first["type"] == "string_pattern_mismatch" and kind != "consent":
            message = first["msg"]
        raise ValidationError(field, message) from None
    return model.model_dump()
