"""Validation of each breach-workflow step before anything is written.

One plain pydantic model per step (table models skip validation). The first problem found becomes
a `ValidationError(field, problem)` naming the field, so a form can show it beside the input;
nothing is written. Checks that need the stored incident or today's date are in the service.
"""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticError

from riskreg.domain.dates import parse_date
from riskreg.domain.determination import EXCEPTION_IDS, FACTOR_IDS, Rating
from riskreg.domain.holds import MAX_HOLD_DAYS
from riskreg.domain.incident_steps import NOTICE_METHODS, PHI_TYPES, SECURED_BY, STATEMENT_KINDS
from riskreg.errors import ValidationError


def _date_or_none(value: Any) -> Any:
    if isinstance(value, str):
        return parse_date(value) if value.strip() else None
    return value


def _text(value: Any) -> Any:
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def _count_or_none(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):  # isdigit() alone takes '²', int() does not
            raise ValueError(f"{value.strip()!r} is not a whole number")
        return int(text)
    return value


def _count(value: Any) -> Any:
    value = _count_or_none(value)
    return 0 if value is None else value


def _choice(options: Any) -> Any:
    def check(value: Any) -> Any:
        if value not in options:
            raise ValueError(f"{value!r} is not one of: {', '.join(options)}")
        return value

    return BeforeValidator(check)


OptionalDate = Annotated[date | None, BeforeValidator(_date_or_none)]
RequiredDate = Annotated[date, BeforeValidator(_date_or_none)]
Text = Annotated[str, BeforeValidator(_text)]
Count = Annotated[int, BeforeValidator(_count), Field(ge=0)]
# The bound sits on the int inside the union: on the union itself pydantic would compare None.
OptionalCount = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_count_or_none)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=20_000)


class _FieldProblem(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


class IntakeInput(_Input):
    """Step 1: what happened, when, who found it, a business associate, related hazards."""

    title: Annotated[Text, Field(min_length=1, max_length=120)]
    description: Text = ""
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
            raise _FieldProblem("occurred_on", "give the first day too (or only one day)")
        if self.occurred_on and self.occurred_until and self.occurred_until < self.occurred_on:
            raise _FieldProblem("occurred_until", "the last day comes before the first day")
        if self.occurred_on and self.occurred_on > self.discovered_on:
            raise _FieldProblem(
                "occurred_on", "it cannot have happened after it was discovered"
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
    phi_types: list[Annotated[str, _choice(PHI_TYPES)]] = []

    @model_validator(mode="after")
    def _reason(self) -> "PhiInput":
        if not self.phi_involved and not self.phi_reason:
            raise _FieldProblem("phi_reason", "say why no PHI was involved (this is your record)")
        if not self.phi_involved:
            self.phi_types = []
        return self


class SecuredInput(_Input):
    """Step 3: the safe harbor: encrypted with the key safe, or destroyed."""

    secured_by: Annotated[str, _choice(SECURED_BY)]
    secured_basis: Text = ""
    key_compromised: bool | None = None

    @model_validator(mode="after")
    def _basis(self) -> "SecuredInput":
        if self.secured_by != "none" and not self.secured_basis:
            raise _FieldProblem(
                "secured_basis",
                "record the basis: which encryption or destruction method, and how you know",
            )
        if self.secured_by == "encryption" and self.key_compromised is None:
            raise _FieldProblem("key_compromised", "record whether the key or password was compromised")
        if self.secured_by != "encryption":
            self.key_compromised = None
        return self


class ExceptionsInput(_Input):
    """Step 4: the three exceptions of 164.402(1), each answered yes or no."""

    exceptions: dict[str, bool]
    notes: Text = ""

    @model_validator(mode="after")
    def _all_answered(self) -> "ExceptionsInput":
        for key in self.exceptions:
            if key not in EXCEPTION_IDS:
                raise _FieldProblem("exceptions", f"{key!r} is not one of the three exceptions")
        for key in EXCEPTION_IDS:
            if key not in self.exceptions:
                raise _FieldProblem(f"exceptions.{key}", "answer yes or no")
        if any(self.exceptions.values()) and not self.notes:
            raise _FieldProblem("notes", "record the facts that show the exception applies")
        self.exceptions = {key: bool(self.exceptions[key]) for key in EXCEPTION_IDS}
        return self


class FactorInput(_Input):
    rating: Annotated[str, _choice([r.value for r in Rating])]
    notes: Text


class FactorsInput(_Input):
    """Step 5: the four-factor risk assessment (164.402(2)), each with a rating and notes."""

    factors: dict[str, FactorInput]

    @model_validator(mode="after")
    def _all_four(self) -> "FactorsInput":
        for key in self.factors:
            if key not in FACTOR_IDS:
                raise _FieldProblem("factors", f"{key!r} is not one of the four factors")
        for key in FACTOR_IDS:
            if key not in self.factors:
                raise _FieldProblem(f"factors.{key}", "rate this factor")
            if not self.factors[key].notes:
                raise _FieldProblem(f"factors.{key}.notes", "note why you rated it so")
        return self


class DeterminationInput(_Input):
    """Step 6: the practitioner's choice and rationale (checked by domain `Determination`)."""

    choice: str
    rationale: Text = ""
    decided_on: OptionalDate = None
    exception_id: str | None = None


class ScopeInput(_Input):
    """Step 7: how many people, where they live, and what changes how they are told."""

    affected: Annotated[int, BeforeValidator(_count_or_none), Field(ge=1)]
    residents: dict[str, Count] = {}
    determined: dict[str, RequiredDate] = {}
    insufficient_contact: Count = 0
    deceased_with_kin: Count = 0
    part2: bool = False
    urgent: bool = False


class StatementInput(_Input):
    """Step 8: a law-enforcement statement asking for a delay (164.412)."""

    kind: Annotated[str, _choice(STATEMENT_KINDS)]
    statement_on: RequiredDate
    days: OptionalCount = None
    official: Annotated[Text, Field(max_length=200)] = ""
    agency: Annotated[Text, Field(max_length=200)] = ""
    notes: Text = ""

    @model_validator(mode="after")
    def _period(self) -> "StatementInput":
        if self.kind == "written" and not self.days:
            raise _FieldProblem("days", "a written statement specifies a delay: give it in days")
        if self.kind == "written" and self.days > MAX_HOLD_DAYS:
            raise _FieldProblem("days", f"more than {MAX_HOLD_DAYS:,} days (ten years): check the "
                                "statement's period")
        if self.kind == "oral":
            self.days = None
            if not self.official:
                raise _FieldProblem(
                    "official", "document the official's identity (45 CFR 164.412(b))"
                )
        if not self.agency:
            raise _FieldProblem("agency", "name the agency")
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
    method: Annotated[str, _choice(NOTICE_METHODS)]
    count: OptionalCount = None
    reference: Annotated[Text, Field(max_length=200)] = ""
    notes: Text = ""


class CloseoutInput(_Input):
    """Step 12: lessons learned."""

    lessons_learned: Text = ""


_FRIENDLY = {
    "string_too_short": "is required",
    "missing": "is required",
    "extra_forbidden": "is not a field of this step",
    "bool_parsing": "answer yes or no",
    "bool_type": "answer yes or no",
    "int_parsing": "is not a whole number",
    "greater_than_equal": "must be at least {ge}",
}


def check(model: type[_Input], data: dict[str, Any]) -> dict[str, Any]:
    """Validate one step's data; return the cleaned values or raise ValidationError naming the
    first field found wrong."""
    try:
        return model.model_validate(data).model_dump()
    except _FieldProblem as problem:
        raise ValidationError(problem.field, str(problem)) from None
    except PydanticError as error:
        first = error.errors()[0]
        ctx = first.get("ctx") or {}
        if isinstance(ctx.get("error"), _FieldProblem):
            raise ValidationError(ctx["error"].field, str(ctx["error"])) from None
        field = ".".join(str(part) for part in first["loc"]) or "step"
        template = _FRIENDLY.get(first["type"])
        message = (
            template.format(**ctx) if template else first["msg"].removeprefix("Value error, ")
        )
        raise ValidationError(field, message) from None
