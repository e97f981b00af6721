"""Validation of each breach-workflow step before anything is written.

One plain pydantic model per step (table models skip validation). The first problem found becomes
a `ValidationError(field, problem)` naming the field, worded for the user by `messages`, so a form
can show it beside the input; nothing is written. Checks that need the stored incident or today's
date are in the service.
"""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator
from pydantic import ValidationError as PydanticError
from pydantic_core import PydanticCustomError

from riskreg.domain.dates import parse_date
from riskreg.domain.determination import EXCEPTION_IDS, FACTOR_IDS, Rating
from riskreg.domain.holds import MAX_HOLD_DAYS
from riskreg.domain.incident_steps import (
    BREACH_TYPES,
    NOTICE_METHODS,
    PHI_TYPES,
    SECURED_BY,
    STATEMENT_KINDS,
)
from riskreg.domain.limits import LONG_TEXT, MAX_COUNT
from riskreg.services.messages import FieldProblem, label, one_of, plain_text, refused, shown


def _date_or_none(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str):
        # "The discovery date 2026-13-01 is not a date."
        return parse_date(value, label(info.field_name or "")) if value.strip() else None
    return value


def _text(value: Any, info: ValidationInfo) -> Any:
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    return plain_text(value.strip(), info.field_name or "")


def _count_or_none(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):  # isdigit() alone takes '²', int() does not
            raise PydanticCustomError("int_parsing", "not a whole number")
        return int(text)
    return value


def _count(value: Any) -> Any:
    value = _count_or_none(value)
    return 0 if value is None else value


OptionalDate = Annotated[date | None, BeforeValidator(_date_or_none)]
RequiredDate = Annotated[date, BeforeValidator(_date_or_none)]
Text = Annotated[str, BeforeValidator(_text)]
# Counts of people and notices: bounded so that no later sum or calendar file overflows.
Count = Annotated[int, BeforeValidator(_count), Field(ge=0, le=MAX_COUNT)]
# The bound sits on the int inside the union: on the union itself pydantic would compare None.
OptionalCount = Annotated[Annotated[int, Field(ge=0, le=MAX_COUNT)] | None,
                          BeforeValidator(_count_or_none)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=LONG_TEXT)


def _breach_type(value: Any) -> Any:
    """Not answered is "" (a blank choice gives None); anything else is one of the portal's."""
    if value is None or value == "":
        return ""
    if not (isinstance(value, str) and value in BREACH_TYPES):
        raise PydanticCustomError("choice", "not one of: {options}",
                                  {"options": ", ".join(BREACH_TYPES)})
    return value


class IntakeInput(_Input):
    """Step 1: what happened, when, who found it, a business associate, related hazards."""

    title: Annotated[Text, Field(min_length=1, max_length=120)]
    description: Text = ""
    breach_type: Annotated[str, BeforeValidator(_breach_type)] = ""
    occurred_on: OptionalDate = None
    occurred_until: OptionalDate = None
    discovered_on: RequiredDate
    discovered_by: Annotated[Text, Field(max_length=200)] = ""
    ba_involved: bool = False
    ba_tool: str | None = None
    ba_discovered_on: OptionalDate = None
    ba_is_agent: bool = True
    hazards: list[str] | None = None
    """Public ids of the hazards it relates to; None leaves the links as they are."""

    @model_validator(mode="after")
    def _dates(self) -> "IntakeInput":
        if self.occurred_until and not self.occurred_on:
            raise FieldProblem("occurred_on", "Give the first day too (or only one day).")
        if self.occurred_on and self.occurred_until and self.occurred_until < self.occurred_on:
            raise FieldProblem("occurred_until", "The last day comes before the first day.")
        if self.occurred_on and self.occurred_on > self.discovered_on:
            raise FieldProblem(
                "occurred_on", "It cannot have happened after it was discovered."
            )
        if not self.ba_involved:
            self.ba_tool = None
            self.ba_discovered_on = None
            self.ba_is_agent = True
        return self


class PhiInput(_Input):
    """Step 2: was PHI involved? If not, why (the incident ends there)."""

    phi_involved: bool
    phi_reason: Text = ""
    phi_types: list[Annotated[str, one_of(PHI_TYPES)]] = []
    use_permitted: bool | None = None
    """A use or disclosure the Privacy Rule permits, or an incidental one: not a breach (164.402)."""
    permitted_basis: Text = ""

    @model_validator(mode="after")
    def _reason(self) -> "PhiInput":
        if not self.phi_involved and not self.phi_reason:
            raise FieldProblem("phi_reason", "Say why no PHI was involved (this is your record).")
        if not self.phi_involved:
            self.phi_types = []
            self.use_permitted = None
            self.permitted_basis = ""
        if self.use_permitted and not self.permitted_basis:
            raise FieldProblem(
                "permitted_basis",
                "Say which permission applies and why (164.502, 164.506, 164.512, or incidental "
                "under 164.502(a)(1)(iii)): this is your record.")
        return self


class SecuredInput(_Input):
    """Step 3: the safe harbor: encrypted with the key safe, or destroyed."""

    secured_by: Annotated[str, one_of(SECURED_BY)]
    secured_basis: Text = ""
    key_compromised: bool | None = None
    encryption_in_force: bool | None = None
    """For encryption: it protected the data at the moment of the incident (HHS ransomware fact
    sheet, Q8)."""

    @model_validator(mode="after")
    def _basis(self) -> "SecuredInput":
        if self.secured_by != "none" and not self.secured_basis:
            raise FieldProblem(
                "secured_basis",
                "Record the basis: which encryption or destruction method, and how you know.",
            )
        if self.secured_by == "encryption" and self.key_compromised is None:
            raise FieldProblem("key_compromised",
                               "Record whether the key or password was compromised.")
        if (self.secured_by == "encryption" and self.key_compromised is False
                and self.encryption_in_force is None):
            raise FieldProblem(
                "encryption_in_force",
                "Record whether the encryption protected the data at the moment of the incident "
                "(device powered off or locked; not ransomware on a running, unlocked machine).")
        if self.secured_by != "encryption":
            self.key_compromised = None
            self.encryption_in_force = None
        return self


class ExceptionsInput(_Input):
    """Step 4: the three exceptions of 164.402(1), each answered yes or no."""

    exceptions: dict[str, bool]
    notes: Text = ""

    @model_validator(mode="after")
    def _all_answered(self) -> "ExceptionsInput":
        for key in self.exceptions:
            if key not in EXCEPTION_IDS:
                raise FieldProblem("exceptions",
                                   f"There are three exceptions; {shown(key)} is not one of them.")
        for key in EXCEPTION_IDS:
            if key not in self.exceptions:
                raise FieldProblem(f"exceptions.{key}", "Answer yes or no.")
        if any(self.exceptions.values()) and not self.notes:
            raise FieldProblem("notes", "Record the facts that show the exception applies.")
        self.exceptions = {key: bool(self.exceptions[key]) for key in EXCEPTION_IDS}
        return self


class FactorInput(_Input):
    rating: Annotated[str, one_of([r.value for r in Rating])]
    notes: Text


class FactorsInput(_Input):
    """Step 5: the four-factor risk assessment (164.402(2)), each with a rating and notes."""

    factors: dict[str, FactorInput]

    @model_validator(mode="after")
    def _all_four(self) -> "FactorsInput":
        for key in self.factors:
            if key not in FACTOR_IDS:
                raise FieldProblem("factors",
                                   f"There are four factors; {shown(key)} is not one of them.")
        for key in FACTOR_IDS:
            if key not in self.factors:
                raise FieldProblem(f"factors.{key}", "Rate this factor.")
            if not self.factors[key].notes:
                raise FieldProblem(f"factors.{key}.notes", "Note why you rated it so.")
        return self


class DeterminationInput(_Input):
    """Step 6: the practitioner's choice and rationale (checked by domain `Determination`)."""

    choice: str
    rationale: Text = ""
    decided_on: OptionalDate = None
    exception_id: str | None = None


class ScopeInput(_Input):
    """Step 7: how many people, where they live, and what changes how they are told."""

    affected: Annotated[int, BeforeValidator(_count_or_none), Field(ge=1, le=MAX_COUNT)]
    residents: dict[str, Count] = {}
    determined: dict[str, RequiredDate] = {}
    insufficient_contact: Count = 0
    deceased_with_kin: Count = 0
    part2: bool = False
    """Part 2 records were involved; with no `part2_affected`, read as every affected person
    (how a form or a file from before the count said it)."""
    part2_affected: OptionalCount = None
    """How many of the affected had Part 2 records involved (42 CFR 2.16)."""
    urgent: bool = False

    @model_validator(mode="after")
    def _part2(self) -> "ScopeInput":
        if self.part2_affected is None:
            self.part2_affected = self.affected if self.part2 else 0
        if self.part2_affected > self.affected:
            raise FieldProblem("part2_affected",
                               f"That is more than the {self.affected:,} affected.")
        self.part2 = self.part2_affected > 0
        return self


class StatementInput(_Input):
    """Step 8: a law-enforcement statement asking for a delay (164.412)."""

    kind: Annotated[str, one_of(STATEMENT_KINDS)]
    statement_on: RequiredDate
    days: OptionalCount = None
    official: Annotated[Text, Field(max_length=200)] = ""
    agency: Annotated[Text, Field(max_length=200)] = ""
    notes: Text = ""

    @model_validator(mode="after")
    def _period(self) -> "StatementInput":
        if self.kind == "written" and not self.days:
            raise FieldProblem("days", "A written statement specifies a delay: give it in days.")
        if self.kind == "written" and self.days > MAX_HOLD_DAYS:
            raise FieldProblem("days", f"That is more than {MAX_HOLD_DAYS:,} days (ten "
                                "years): check the statement's period.")
        if self.kind == "oral":
            self.days = None
            if not self.official:
                raise FieldProblem(
                    "official", "Document the official's identity (45 CFR 164.412(b))."
                )
        if not self.agency:
            raise FieldProblem("agency", "Name the agency.")
        return self


class NoticeContentInput(_Input):
    """Step 10: what the notice tells people beyond the facts (164.404(c)(1)(C)-(E))."""

    notice_steps: Text = ""
    notice_actions: Text = ""
    contact_toll_free: Annotated[Text, Field(max_length=40)] = ""
    contact_email: Annotated[Text, Field(max_length=200)] = ""
    contact_website: Annotated[Text, Field(max_length=300)] = ""
    contact_postal: Annotated[Text, Field(max_length=500)] = ""


class NoticeSentInput(_Input):
    """Step 11: one notice sent: for which obligation, when, how, to how many, its reference."""

    obligation_id: Annotated[Text, Field(min_length=1, max_length=40)]
    sent_on: RequiredDate
    method: Annotated[str, one_of(NOTICE_METHODS)]
    count: OptionalCount = None
    reference: Annotated[Text, Field(max_length=200)] = ""
    notes: Text = ""


class CloseoutInput(_Input):
    """Step 12: lessons learned."""

    lessons_learned: Text = ""


def max_length(model: type[_Input], field: str) -> int:
    """The most characters `field` of a step takes: its own limit, else LONG_TEXT. A form's
    input stops there, so what it shows (an imported value too) it can save."""
    for rule in model.model_fields[field].metadata:
        if getattr(rule, "max_length", None) is not None:
            return rule.max_length
    return LONG_TEXT


def check(model: type[_Input], data: dict[str, Any]) -> dict[str, Any]:
    """Validate one step's data; return the cleaned values or raise ValidationError naming the
    first field found wrong, in a sentence for the user (see `messages`)."""
    try:
        return model.model_validate(data).model_dump()
    except PydanticError as error:
        raise refused(error, model) from None
