"""Every problem in a record's values at once, by field: what a form shows as the user types.

`validation.validate` stops at the first problem (a save needs no more). A form checking as the
user types needs each field's own problem, so that a problem shown under one field can be cleared
the moment its cause is gone even while another field is still wrong. In memory only: no
database, a fraction of a millisecond, so a form may call it on every keystroke.
"""

from typing import Any

from riskreg.domain import vocabulary as vocab
from riskreg.errors import ValidationError
from riskreg.services.validation import INPUTS, validate

# A value each required field accepts, put in place of a wrong one to look for the next problem.
_STAND_INS: dict[str, dict[str, Any]] = {
    "owner": {"name": "x"},
    "tool": {"name": "x", "category": next(iter(vocab.TOOL_CATEGORIES))},
    "hazard": {"title": "x", "likelihood": 1, "impact": 1, "target_likelihood": 1,
               "target_impact": 1},
    "safeguard": {"title": "x", "category": next(iter(vocab.SAFEGUARD_CATEGORIES))},
    "consent": {"client_code": "x", "disclosed_on": "2000-01-01"},
}


def problems(kind: str, data: dict[str, Any]) -> dict[str, str]:
    """{field: problem} for every field of `data` found wrong (the same words a save gives).

    Each problem found is set aside (the field given a value it accepts) and the record checked
    again, so a problem hidden behind an earlier one is found too; a rule across fields (a BAA
    that expires before it was signed) is found once the fields it reads are right."""
    model = INPUTS[kind]
    trial = dict(data)
    found: dict[str, str] = {}
    for _ in range(len(model.model_fields) + 1):
        try:
            validate(kind, trial)
        except ValidationError as error:
            if error.field in found or error.field not in model.model_fields:
                break
            found[error.field] = error.problem
            if model.model_fields[error.field].is_required():
                trial[error.field] = _STAND_INS[kind][error.field]
            else:
                trial.pop(error.field, None)  # its default
        else:
            break
    return found
