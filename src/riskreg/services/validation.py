"""Validation of register records before anything is written.

SQLModel table models skip validation, so every create and update goes through one of these
plain pydantic models first. The first problem found becomes a ValidationError naming the field,
worded for the user by `messages`; nothing is written.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator
from pydantic import ValidationError as PydanticError
from pydantic_core import PydanticCustomError

from riskreg.domain import ai_fields as ai
from riskreg.domain import vocabulary as vocab
from riskreg.domain.dates import parse_date
from riskreg.domain.limits import LONG_TEXT
from riskreg.domain.register import CONSENT_DECISIONS, HAZARD_STATUSES, SAFEGUARD_STATUSES
from riskreg.errors import ValidationError
from riskreg.services.messages import FieldProblem, label, one_of, plain_text, refused, shown


def _date_or_none(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str):
        # "The last review date 2026-13-01 is not a date."
        return parse_date(value, label(info.field_name or "")) if value.strip() else None
    return value


def _text(value: Any, info: ValidationInfo) -> Any:
    if not isinstance(value, str):
        return value
    return plain_text(value.strip(), info.field_name or "")


OptionalDate = Annotated[date | None, BeforeValidator(_date_or_none)]
Text = Annotated[str, BeforeValidator(_text)]
Score = Annotated[int, Field(ge=1, le=5)]
Months = Annotated[int, Field(ge=1, le=120)]
CatalogKey = Annotated[str, BeforeValidator(_text), Field(max_length=100)] | None
"""The starter catalog entry a record came from: stored and imported, so checked as text is."""


def _priority(value: Any) -> Any:
    return ai.restore_priority(value)


def _hours(value: Any) -> Any:
    return ai.restore_hours(value)


def _state_code(whose: str, examples: str) -> Callable[[Any], Any]:
    """A validator for a two-letter state or territory code ("" when not given)."""

    def check(value: Any) -> Any:
        from riskreg.domain.state_rules import jurisdictions

        if value is None:
            return ""
        if not isinstance(value, str):
            return value
        code = value.strip().upper()
        if code and code not in jurisdictions():
            raise ValueError(f"{whose} must be the 2-letter USPS code of a state or territory "
                             f"(e.g. {examples}), or empty; {shown(value.strip())} is not one.")
        return code

    return check


_client_state = _state_code("The client's state", "IL, TX")


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=LONG_TEXT)


class OwnerInput(_Input):
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    role: Annotated[Text, Field(max_length=200)] = ""
    contact: Annotated[Text, Field(max_length=300)] = ""
    notes: Text = ""


class ToolInput(_Input):
    name: Annotated[Text, Field(min_length=1, max_length=200)]
    vendor: Annotated[Text, Field(max_length=200)] = ""
    category: Annotated[str, one_of(vocab.TOOL_CATEGORIES)]
    handles_phi: bool = True
    baa_status: Annotated[str, one_of(vocab.BAA_STATUSES)] = "missing"
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
    catalog_key: CatalogKey = None
    ai_use: Annotated[str, one_of(ai.AI_USES)] = "not_recorded"
    records_sessions: bool | None = None
    detects_emotions: bool | None = None
    clinical_decisions: bool | None = None
    clinician_reviews_output: bool | None = None
    mfa_enabled: bool | None = None
    encrypted_at_rest: bool | None = None
    encrypted_in_transit: bool | None = None
    restore_priority: Annotated[int | None, BeforeValidator(_priority)] = None
    restore_target_hours: Annotated[int | None, BeforeValidator(_hours)] = None
    ba_verification_received_on: OptionalDate = None
    ba_verification_due_on: OptionalDate = None

    @model_validator(mode="after")
    def _verification_due(self) -> "ToolInput":
        # The BA's written verification is yearly (proposed rule): due 12 months after the last
        # one unless the practitioner gives another date; never before it was received.
        from dateutil.relativedelta import relativedelta

        received, due = self.ba_verification_received_on, self.ba_verification_due_on
        if received and due is None:
            self.ba_verification_due_on = received + relativedelta(months=ai.BA_VERIFICATION_MONTHS)
        elif received and due and due <= received:
            raise FieldProblem("ba_verification_due_on", "The next verification must be due "
                               "after the date the last one was received.")
        return self

    @model_validator(mode="after")
    def _baa_dates(self) -> "ToolInput":
        if self.baa_status == "signed" and self.baa_signed_on is None:
            raise FieldProblem("baa_signed_on", "A signed BAA needs the date it was signed.")
        if self.baa_signed_on and self.baa_expires_on and self.baa_expires_on <= self.baa_signed_on:
            raise FieldProblem("baa_expires_on",
                               "The BAA must expire after the date it was signed.")
        return self


class HazardInput(_Input):
    title: Annotated[Text, Field(min_length=1, max_length=300)]
    description: Text = ""
    threat_source: Annotated[Text, Field(max_length=300)] = ""
    vulnerability: Annotated[Text, Field(max_length=500)] = ""
    likelihood: Score
    impact: Score
    target_likelihood: Score
    target_impact: Score
    current_assessed_likelihood: Score | None = None
    current_assessed_impact: Score | None = None
    current_assessed_on: OptionalDate = None
    treatment: Annotated[str, one_of(vocab.TREATMENTS)] = "mitigate"
    acceptance_rationale: Text = ""
    acceptance_expires_on: OptionalDate = None
    status: Annotated[str, one_of(HAZARD_STATUSES)] = "open"
    owner: str | None = None
    review_cadence_months: Months = 12
    last_reviewed_on: OptionalDate = None
    next_review_on: OptionalDate = None
    catalog_key: CatalogKey = None

    @model_validator(mode="after")
    def _current(self) -> "HazardInput":
        # A current assessment is a likelihood, an impact and the day they were judged: a part of
        # one would claim a reduction no one dated (domain/current_risk.py).
        parts = (self.current_assessed_likelihood, self.current_assessed_impact,
                 self.current_assessed_on)
        if any(p is not None for p in parts) and None in parts:
            missing = next(name for name, p in zip(
                ("current_assessed_likelihood", "current_assessed_impact", "current_assessed_on"),
                parts, strict=True) if p is None)
            raise FieldProblem(missing, "A current assessment needs its likelihood, its impact "
                               "and the day it was made (or none of them).")
        return self

    @model_validator(mode="after")
    def _acceptance(self) -> "HazardInput":
        # Accepting a risk is the practitioner's documented decision (164.308(a)(1)(ii)(B)).
        if self.treatment == "accept" or self.status == "accepted":
            if not self.acceptance_rationale:
                raise FieldProblem("acceptance_rationale", "Accepting a risk needs a rationale.")
            if self.acceptance_expires_on is None:
                raise FieldProblem(
                    "acceptance_expires_on", "Accepting a risk needs a date when it expires."
                )
        return self


class SafeguardInput(_Input):
    title: Annotated[Text, Field(min_length=1, max_length=300)]
    description: Text = ""
    category: Annotated[str, one_of(vocab.SAFEGUARD_CATEGORIES)]
    citation: Annotated[Text, Field(max_length=100)] = ""
    requirement: Annotated[str, one_of(vocab.REQUIREMENTS)] = "required"
    decision_note: Text = ""
    status: Annotated[str, one_of(SAFEGUARD_STATUSES)] = "planned"
    owner: str | None = None
    due_on: OptionalDate = None
    evidence: Text = ""
    verification_cadence_months: Months = 12
    last_verified_on: OptionalDate = None
    catalog_key: CatalogKey = None

    @model_validator(mode="after")
    def _addressable(self) -> "SafeguardInput":
        # An addressable specification is implemented if reasonable and appropriate; otherwise the
        # reason and any equivalent measure are documented (164.306(d)(3)).
        # A planned safeguard's decision may still be open; once it is in progress, in place,
        # verified or set aside, the decision must be on record.
        if self.requirement == "addressable" and self.status != "planned" and not self.decision_note:
            raise FieldProblem(
                "decision_note", "An addressable safeguard needs its documented decision."
            )
        return self


class ConsentInput(_Input):
    client_code: Annotated[
        Text,
        Field(
            min_length=1,
            max_length=40,
            pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
            # Worded for the sentence when the pattern fails: "A client code must be ...".
            description="a code such as C-0042 (letters, digits, - _ .), never a name",
        ),
    ]
    tool: str | None = None
    disclosed_on: Annotated[date, BeforeValidator(_date_or_none)]
    decision: Annotated[str, one_of(CONSENT_DECISIONS)] = "pending"
    written: bool = False
    alternative_offered: Annotated[Text, Field(max_length=500)] = ""
    notes: Text = ""
    purpose_disclosed: Annotated[Text, Field(max_length=500)] = ""
    consent_method: Annotated[str, one_of(ai.CONSENT_METHODS)] = "not_recorded"
    revoked_on: OptionalDate = None
    sessions_recorded: bool | None = None
    client_state: Annotated[str, BeforeValidator(_client_state)] = ""

    @model_validator(mode="after")
    def _revoked(self) -> "ConsentInput":
        if self.revoked_on and self.revoked_on < self.disclosed_on:
            raise FieldProblem("revoked_on", "Consent cannot be revoked before AI use was "
                               "disclosed.")
        return self


INPUTS: dict[str, type[_Input]] = {
    "owner": OwnerInput,
    "tool": ToolInput,
    "hazard": HazardInput,
    "safeguard": SafeguardInput,
    "consent": ConsentInput,
}


_state = _state_code("The home state", "CA, NY, DC, PR")


def _whole(value: Any) -> Any:
    """Digits or an int; not 3.0 or True, which pydantic would take as whole numbers."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value, re.ASCII):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("int_type", "not a whole number")
    return value


def _alarms(value: Any) -> Any:
    """Stored as the parser reads it back: "14,7,1", or "none" (an empty value would mean the
    default alarms to the calendar export)."""
    from riskreg.domain.calendar_event import parse_alarm_days

    if value is None:
        value = ""
    if isinstance(value, tuple | list):
        value = ",".join(str(v) for v in value)
    if not isinstance(value, str):
        return value
    days = parse_alarm_days(value)
    return ",".join(str(n) for n in days) if days else "none"


Name = Annotated[str, BeforeValidator(_text), Field(max_length=200)]
"""A name printed on reports and notices: one line."""
TargetDays = Annotated[int, BeforeValidator(_whole), Field(ge=0, le=59)]
CadenceMonths = Annotated[int, BeforeValidator(_whole), Field(ge=1, le=36)]


class SettingsInput(_Input):
    """The practice settings (one row). Not in INPUTS: not a register record."""

    practice_name: Name = ""
    practitioner: Name = ""
    home_state: Annotated[str, BeforeValidator(_state)] = ""
    internal_target_days: TargetDays = 15
    alarm_days: Annotated[str, BeforeValidator(_alarms)] = "14,7,1"
    risk_analysis_reviewed_on: OptionalDate = None
    risk_analysis_cadence_months: CadenceMonths = 12
    federal_assistance: bool = False
    part2_records: bool = False


def validate(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check a whole record; return the cleaned values or raise ValidationError for the first
    problem found, naming the field."""
    return validate_with(INPUTS[kind], data)


NOT_IN_FUTURE: dict[str, dict[str, str]] = {
    "hazard": {"current_assessed_on": "a current assessment cannot be dated in the future"},
}
"""By kind, the date fields that may not be after today, with the problem said if one is."""


def dated_problem(kind: str, values: dict[str, Any], today: date) -> ValidationError | None:
    """The problem of a checked record's dates against today, or None: a current assessment
    cannot be dated in the future. The save refuses it (`RegisterService`); a form shows it as
    the date is typed (`field_problems`)."""
    for field, problem in NOT_IN_FUTURE.get(kind, {}).items():
        value = values.get(field)
        if value is not None and value > today:
            return ValidationError(field, problem)
    return None


def validate_settings(data: dict[str, Any]) -> dict[str, Any]:
    """Check the practice settings (fields not given take their defaults)."""
    return validate_with(SettingsInput, data)


def validate_with(model_type: type[_Input], data: dict[str, Any]) -> dict[str, Any]:
    """Check `data` against one input model: the cleaned values, or ValidationError naming the
    first field found wrong, in a sentence for the user (see `messages`)."""
    try:
        model = model_type.model_validate(data)
    except PydanticError as error:
        raise refused(error, model_type) from None
    return model.model_dump()
