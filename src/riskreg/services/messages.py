"""What a user reads when a field is refused: pydantic's errors as sentences for a therapist.

A form shows a ValidationError's `problem` beside its field and the CLI prints "field: problem",
so every problem is one sentence that names the field as the forms do ("A title is required.",
"Likelihood must be between 1 and 5."), never pydantic's own wording ("Value should have at least
1 item after validation"). The register, the settings and the breach-workflow steps share it.
"""

from typing import Any

from pydantic import BaseModel, BeforeValidator
from pydantic import ValidationError as PydanticError
from pydantic_core import PydanticCustomError

from riskreg.domain.text import MULTI_LINE, REORDERING, code_point, refused_character
from riskreg.errors import ValidationError, one_line

# How a sentence names each field, in the forms' words, lower case ("a title": "A title is
# required."). "Model.field" is a field one model names differently; "field.*" is each key of a
# dict field, {key} being the key (a state code).
LABELS: dict[str, str] = {
    # owner, tool, hazard, safeguard, consent (the register forms)
    "name": "a name",
    "role": "the role",
    "contact": "the contact details",
    "notes": "the notes",
    "vendor": "the vendor",
    "category": "the category",
    "handles_phi": "the answer to 'Vendor has client data'",
    "baa_status": "the BAA status",
    "baa_signed_on": "the BAA signing date",
    "baa_expires_on": "the BAA expiry date",
    "baa_location": "the place the signed copy is kept",
    "check_designed_for_mental_health": "the answer to 'Designed for mental health care'",
    "check_explains_hipaa": "the answer to 'Explains how it complies with HIPAA'",
    "check_explains_data_use": "the answer to 'Explains how client data is used'",
    "check_states_training_use": "the answer to 'States whether data trains its models'",
    "check_no_training_on_client_data": "the answer to 'Client data is not used for training'",
    "check_no_sale_or_sharing": "the answer to 'Does not sell or share client data'",
    "check_signs_baa": "the answer to 'Signs a Business Associate Agreement'",
    "owner": "the owner",
    "catalog_key": "the catalog entry",
    "title": "a title",
    "description": "the description",
    "threat_source": "the threat source",
    "vulnerability": "the vulnerability",
    "likelihood": "likelihood",
    "impact": "impact",
    "target_likelihood": "target likelihood",
    "target_impact": "target impact",
    "current_assessed_likelihood": "current likelihood",
    "current_assessed_impact": "current impact",
    "current_assessed_on": "the day of the current assessment",
    "treatment": "the treatment",
    "acceptance_rationale": "the acceptance rationale",
    "acceptance_expires_on": "the acceptance expiry date",
    "status": "the status",
    "review_cadence_months": "the review interval in months",
    "last_reviewed_on": "the last review date",
    "next_review_on": "the next review date",
    "citation": "the citation",
    "requirement": "the requirement",
    "decision_note": "the documented decision",
    "due_on": "the due date",
    "evidence": "the evidence",
    "verification_cadence_months": "the verification interval in months",
    "last_verified_on": "the last verification date",
    "client_code": "a client code",
    "tool": "the AI tool",
    "disclosed_on": "the disclosure date",
    "decision": "the decision",
    "written": "the answer to 'Consent in writing'",
    "alternative_offered": "the alternative offered",
    "ai_use": "how the tool uses AI",
    "records_sessions": "the answer to 'Records or transcribes sessions'",
    "detects_emotions": "the answer to 'Detects emotions or mental states'",
    "clinical_decisions": "the answer to 'Makes or suggests clinical decisions'",
    "clinician_reviews_output": "the answer to 'You review every output before it is used'",
    "mfa_enabled": "the answer to 'MFA is on'",
    "encrypted_at_rest": "the answer to 'Encrypts stored data'",
    "encrypted_in_transit": "the answer to 'Encrypts data in transit'",
    "restore_priority": "the restore priority",
    "restore_target_hours": "the restore target in hours",
    "ba_verification_received_on": "the date the yearly verification was received",
    "ba_verification_due_on": "the date the next yearly verification is due",
    "purpose_disclosed": "the purpose disclosed in writing",
    "consent_method": "how consent was given",
    "revoked_on": "the revocation date",
    "sessions_recorded": "the answer to 'Sessions recorded or transcribed'",
    "client_state": "the client's state",
    # the practice settings
    "practice_name": "the practice name",
    "practitioner": "the practitioner's name",
    "home_state": "the home state",
    "internal_target_days": "the internal target in days",
    "alarm_days": "the calendar alarms",
    "risk_analysis_reviewed_on": "the risk analysis review date",
    "risk_analysis_cadence_months": "the risk analysis interval in months",
    "federal_assistance": "the answer to 'Receives federal financial assistance'",
    "part2_records": "the answer to 'Holds Part 2 records'",
    # the breach workflow, step by step
    "IntakeInput.title": "a short title",
    "IntakeInput.description": "what happened",
    "breach_type": "the type of breach",
    "occurred_on": "the date it happened",
    "occurred_until": "the last day it happened",
    "discovered_on": "the discovery date",
    "discovered_by": "who discovered it",
    "ba_involved": "the answer to 'A business associate was involved'",
    "ba_tool": "the business associate",
    "ba_discovered_on": "the business associate's discovery date",
    "ba_is_agent": "the answer to 'Acts as your agent'",
    "hazards": "the related hazards",
    "phi_involved": "the answer to 'PHI involved'",
    "phi_reason": "why you say so",
    "phi_types": "the kinds of information",
    "secured_by": "how the PHI was protected",
    "secured_basis": "the basis",
    "key_compromised": "the answer to 'Key compromised'",
    "encryption_in_force": "the answer to 'Protected at the time'",
    "use_permitted": "the answer to 'Permitted use or disclosure'",
    "permitted_basis": "which permission applies",
    "exceptions": "an answer for each exception",
    "exceptions.workforce_good_faith": "the answer for exception (i)",
    "exceptions.inadvertent_internal": "the answer for exception (ii)",
    "exceptions.could_not_retain": "the answer for exception (iii)",
    "ExceptionsInput.notes": "the facts that show the exception applies",
    "factors": "a rating for each factor",
    "factors.nature_extent": "factor (i)",
    "factors.nature_extent.rating": "the rating of factor (i)",
    "factors.nature_extent.notes": "the reason for the rating of factor (i)",
    "factors.recipient": "factor (ii)",
    "factors.recipient.rating": "the rating of factor (ii)",
    "factors.recipient.notes": "the reason for the rating of factor (ii)",
    "factors.acquired_viewed": "factor (iii)",
    "factors.acquired_viewed.rating": "the rating of factor (iii)",
    "factors.acquired_viewed.notes": "the reason for the rating of factor (iii)",
    "factors.mitigation": "factor (iv)",
    "factors.mitigation.rating": "the rating of factor (iv)",
    "factors.mitigation.notes": "the reason for the rating of factor (iv)",
    "rating": "the rating",
    "choice": "your determination",
    "rationale": "the rationale",
    "decided_on": "the decision date",
    "exception_id": "the exception that applies",
    "affected": "the number of people affected",
    "residents": "the people affected by state",
    "residents.*": "the number of people affected in {key}",
    "determined": "a state's determination date",
    "determined.*": "the determination date for {key}",
    "insufficient_contact": "the number with no current address",
    "deceased_with_kin": "the number deceased with next of kin known",
    "part2": "the answer to 'Part 2 records'",
    "part2_affected": "the number with Part 2 records",
    "urgent": "the answer to 'Urgent'",
    "StatementInput.kind": "the kind of statement",
    "statement_on": "the statement date",
    "days": "the delay asked in days",
    "official": "the official",
    "agency": "the agency",
    "notice_steps": "what people can do",
    "notice_actions": "what you are doing",
    "contact_toll_free": "the toll-free number",
    "contact_email": "the email address",
    "contact_website": "the website",
    "contact_postal": "the postal address",
    "obligation_id": "the obligation",
    "sent_on": "the date sent",
    "method": "how it was sent",
    "count": "how many people or letters",
    "reference": "the reference",
    "lessons_learned": "the lessons learned",
}

# The fields a form shows as a multi-line box: they may hold new lines and tabs. Every other text
# field is one line. (The last three are incident and hazard columns, named so by an import.)
MULTI_LINE_FIELDS = frozenset({
    "description", "notes", "acceptance_rationale", "decision_note", "evidence", "phi_reason",
    "permitted_basis",
    "secured_basis", "rationale", "notice_steps", "notice_actions", "contact_postal",
    "lessons_learned", "exceptions_notes", "determination_rationale", "review_now_reason",
})

# Each pydantic error type as a sentence, looked up by its type, then by its family (the first
# word: "int_parsing" is an "int"). The words in braces are worked out in `refused`.
SENTENCES: dict[tuple[str, ...], str] = {
    ("missing",): "{Label} is required.",
    ("too_short", "string_too_short"): "{Label} needs at least {min_length:,} {unit}.",
    ("too_long", "string_too_long"): "{Label} can be at most {max_length:,} {unit}; "
                                     "this one has {length:,}.",
    ("greater_than", "greater_than_equal", "less_than", "less_than_equal"): "{Label} must be "
                                                                            "{bounds}.",
    ("int", "float", "decimal", "finite_number"): "{Label} must be a whole number{within}.",
    ("bool",): "{Label} must be yes or no.",
    ("date", "datetime", "time", "timezone"): "{Label} must be a date in the form YYYY-MM-DD.",
    ("string_pattern_mismatch",): "{Label} must be {description}.",
    ("string", "bytes"): "{Label} must be text.",
    ("list", "tuple", "set", "frozen_set_type", "iterable"): "{Label} must be a list.",
    ("dict", "model", "dataclass", "mapping"): "{Label} must be a set of named answers.",
    ("dict_key",): "Each name given here must be text.",
    ("literal_error", "enum"): "{Label} must be one of: {expected}.",
    ("choice",): "{Label} must be one of: {options} (not {given}).",
    ("extra_forbidden",): "There is no field {given} in {whole}.",
    ("value_error", "assertion_error"): "{own}",
    # A character a terminal would obey rather than show (domain/text.py), found by `plain_text`.
    ("line_break",): "{Label} must be one line, without tabs or line breaks.",
    ("control_character",): "{Label} contains a control character ({char}), an invisible "
                            "character that could change what a terminal shows; remove it.",
    ("reordering_character",): "{Label} contains a character that reorders the text shown "
                               "after it ({char}), which could change what a terminal shows; "
                               "remove it.",
}
FALLBACK = "{Label} has a value riskreg cannot use."


class FieldProblem(ValueError):
    """A model's own rule broken by one field (raised in a model validator), already a sentence:
    the error names `field`, not the model as a whole."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


def one_of(options: Any) -> BeforeValidator:
    """A field that takes one of `options` (the CLI's words for them); anything else is refused
    as a "choice" error, worded in SENTENCES with the options listed."""

    def check(value: Any) -> Any:
        if not (isinstance(value, str) and value in options):
            raise PydanticCustomError("choice", "not one of: {options}",
                                      {"options": ", ".join(options)})
        return value

    return BeforeValidator(check)


def plain_text(value: str, field: str) -> str:
    """`value`, if it holds no character a terminal would obey (a control character, a line
    break in a one-line field, a reordering character: domain/text.py); else the problem, worded
    in SENTENCES with the character's code point."""
    char = refused_character(value, multi_line=field.split(".")[-1] in MULTI_LINE_FIELDS)
    if char is None:
        return value
    kind = ("line_break" if char in MULTI_LINE
            else "reordering_character" if char in REORDERING else "control_character")
    raise PydanticCustomError(kind, "contains {char}", {"char": code_point(char)})


def text_problem(value: str, field: str, model: str = "") -> str | None:
    """The sentence `plain_text` would refuse `value` with, for text checked outside a model
    (a review's notes, an imported incident's fields); None if it is plain text."""
    try:
        plain_text(value, field)
    except PydanticCustomError as error:
        context = error.context or {}
        return _template(error.type).format(Label=_capital(label(field, model)), **context)
    return None


def label(field: str, model: str = "") -> str:
    """How a sentence names `field` (dotted for a field inside a field, "factors.mitigation.notes"),
    lower case. A list item is named by its list."""
    parts = field.split(".")
    while parts:
        name = ".".join(parts)
        for key in (f"{model}.{name}", name, ".".join([*parts[:-1], "*"])):
            if key in LABELS:
                return LABELS[key].format(key=parts[-1])
        parts.pop()
    return f"the field {field!r}" if field else "this record"


def refused(error: PydanticError, model: type[BaseModel]) -> ValidationError:
    """The first problem pydantic found, as a ValidationError naming the field, its problem one
    sentence in the user's words, so a form can show it beside the field (STYLE.md: an error a
    user can cause is a message they can act on, never a traceback or a library's wording)."""
    first = error.errors()[0]
    ctx = first.get("ctx") or {}
    if isinstance(ctx.get("error"), FieldProblem):
        return ValidationError(ctx["error"].field, _sentence(str(ctx["error"])))
    loc, kind = first["loc"], first["type"]
    if "[key]" in loc:  # a dict's key is wrong (not text): name the dict
        loc, kind = loc[: loc.index("[key]") - 1], "dict_key"
    field = ".".join(str(part) for part in loc)
    given = first.get("input")
    if kind in ("too_short", "string_too_short") and ctx.get("min_length", 1) <= 1:
        kind = "missing"
    empty = given is None or (isinstance(given, str) and not given.strip())
    if empty and kind.split("_")[0] in ("choice", "int", "date"):  # left blank in a form
        kind = "missing"
    bounds = _bounds(model, loc, ctx)
    words = {
        "Label": _capital(label(field, model.__name__)),
        "whole": label(".".join(str(part) for part in loc[:-1]), model.__name__),
        "unit": "characters" if isinstance(given, str) else "items",
        "min_length": ctx.get("min_length", 1),
        "max_length": ctx.get("max_length", 0),
        "length": ctx.get("actual_length") or _length(given),
        "bounds": " and ".join(bounds) or "in range",
        "within": _within(bounds),
        "description": _description(model, loc) or "in the form the field asks for",
        "expected": ctx.get("expected", ""),
        "options": ctx.get("options", ""),
        "char": ctx.get("char", ""),
        "given": shown(loc[-1] if kind == "extra_forbidden" and loc else given),
        "own": _sentence(str(first["msg"]).removeprefix("Value error, ")
                         .removeprefix("Assertion failed, ")),
    }
    template = _template(kind)
    return ValidationError(field or "record", one_line(template.format(**words)))


def _template(kind: str) -> str:
    family = kind.split("_")[0]
    for key in (kind, family):
        for kinds, sentence in SENTENCES.items():
            if key in kinds:
                return sentence
    return FALLBACK


def _rules(model: type[BaseModel], loc: tuple[Any, ...]) -> dict[str, Any]:
    """The bounds declared on a top-level field (ge=1, le=5), so a sentence can give both."""
    info = model.model_fields.get(str(loc[0])) if len(loc) == 1 else None
    found: dict[str, Any] = {}
    for rule in info.metadata if info else ():
        for name in ("ge", "gt", "le", "lt"):
            if getattr(rule, name, None) is not None:
                found[name] = getattr(rule, name)
    return found


def _bounds(model: type[BaseModel], loc: tuple[Any, ...], ctx: dict[str, Any]) -> list[str]:
    """"between 1 and 5", "1 or more", "at most 5": what the field allows, in words."""
    rules = _rules(model, loc) | {k: v for k, v in ctx.items() if k in ("ge", "gt", "le", "lt")}
    if "ge" in rules and "le" in rules:
        return [f"between {_number(rules['ge'])} and {_number(rules['le'])}"]
    phrases = {"ge": "{} or more", "gt": "more than {}", "le": "at most {}", "lt": "less than {}"}
    return [phrases[name].format(_number(value)) for name, value in rules.items()]


def _within(bounds: list[str]) -> str:
    """The bounds after "a whole number": " between 1 and 5", " (1 or more)"."""
    if not bounds:
        return ""
    return f" {bounds[0]}" if bounds[0].startswith("between") else f" ({' and '.join(bounds)})"


def _description(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    info = model.model_fields.get(str(loc[0])) if len(loc) == 1 else None
    return info.description if info else None


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _length(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def shown(value: Any) -> str:
    """A value quoted in a sentence: short enough to read (a pasted page is cut)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    """Capitalised, ending with a full stop: a message from the domain ("alarm 7 is given
    twice", a date's "... is not a date") is written to follow a field's name."""
    text = _capital(text.strip())
    return text if text.endswith((".", "?", "!")) else text + "."
