"""Every problem in a record's values at once, by field: what a form shows as the user types.

`validation.validate` stops at the first problem (a save needs no more). A form checking as the
user types needs each field's own problem, so that a problem shown under one field can be cleared
the moment its cause is gone even while another field is still wrong. In memory only: no
database, a fraction of a millisecond, so a form may call it on every keystroke.
"""

from datetime import date
from typing import Any

from pydantic import BaseModel

from riskreg.domain import vocabulary as vocab
from riskreg.errors import ValidationError, sentence
from riskreg.services.validation import INPUTS, dated_problem, validate, validate_with

# A value each required field accepts, put in place of a wrong one to look for the next problem.
_STAND_INS: dict[str, dict[str, Any]] = {
    "owner": {"name": "x"},
    "tool": {"name": "x", "category": next(iter(vocab.TOOL_CATEGORIES))},
    "hazard": {"title": "x", "likelihood": 1, "impact": 1, "target_likelihood": 1,
               "target_impact": 1},
    "safeguard": {"title": "x", "category": next(iter(vocab.SAFEGUARD_CATEGORIES))},
    "consent": {"client_code": "x", "disclosed_on": "2000-01-01"},
}


def problems(kind: str, data: dict[str, Any], today: date | None = None) -> dict[str, str]:
    """{field: problem} for every field of `data` found wrong (the same words a save gives).

    Each problem found is set aside (the field given a value it accepts) and the record checked
    again, so a problem hidden behind an earlier one is found too; a rule across fields (a BAA
    that expires before it was signed) is found once the fields it reads are right. With `today`,
    the rules on dates the save checks against today (a current assessment dated in the future)
    are checked too."""
    model = INPUTS[kind]
    trial = dict(data)
    found: dict[str, str] = {}
    for _ in range(len(model.model_fields) + 1):
        try:
            cleaned = validate(kind, trial)
        except ValidationError as error:
            if error.field in found or error.field not in model.model_fields:
                break
            found[error.field] = error.problem
            if model.model_fields[error.field].is_required():
                trial[error.field] = _STAND_INS[kind][error.field]
            else:
                trial.pop(error.field, None)  # its default
        else:
            if today is not None:
                dated = dated_problem(kind, cleaned, today)
                if dated is not None and dated.field not in found:
                    found[dated.field] = sentence(dated.problem)
            break
    return found


def step_problems(model: type[BaseModel], data: dict[str, Any]) -> tuple[dict[str, str], bool]:
    """A wizard step's problems by field (its input model, `services.incident_inputs`), and
    whether the list is complete: a problem on a required field hides those after it (an
    optional one is set aside, given its default, and the values checked again)."""
    trial = dict(data)
    found: dict[str, str] = {}
    for _ in range(len(model.model_fields) + 1):
        try:
            validate_with(model, trial)  # type: ignore[arg-type]
        except ValidationError as error:
            if (error.field in found or error.field not in model.model_fields
                    or model.model_fields[error.field].is_required()):
                found.setdefault(error.field, error.problem)
                return found, False
            found[error.field] = error.problem
            trial.pop(error.field, None)
        else:
            return found, True
    return found, False
