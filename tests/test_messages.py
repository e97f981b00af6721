"""Every problem a form or the CLI can show is a sentence for a therapist, never pydantic's wording.

Walks every input model (each register kind, the settings, each breach-workflow step) field by
field with empty, wrongly typed, too long, out-of-range and impossible values, and with random
values (Hypothesis). A value the model refuses must give a ValidationError naming that field, whose
problem is one capitalised line ending with a full stop.
"""

import copy
import inspect
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from riskreg.domain import vocabulary as vocab
from riskreg.domain.determination import EXCEPTION_IDS, FACTOR_IDS
from riskreg.domain.incident_steps import NOTICE_METHODS
from riskreg.errors import ValidationError
from riskreg.services import incident_inputs
from riskreg.services.validation import INPUTS, SettingsInput, validate, validate_settings

PYDANTIC_WORDING = ("Input should", "Value should", "String should", "validation", "Value error,",
                    "pydantic", "[type=", "For further information")

# A valid record of each model: each case changes one field of it.
REGISTER_BASE: dict[str, dict[str, Any]] = {
    "owner": {"name": "Sam Rivera"},
    "tool": {"name": "Scribe", "category": next(iter(vocab.TOOL_CATEGORIES))},
    "hazard": {"title": "Laptop stolen", "likelihood": 3, "impact": 3, "target_likelihood": 2,
               "target_impact": 2},
    "safeguard": {"title": "Encrypt the laptop",
                  "category": next(iter(vocab.SAFEGUARD_CATEGORIES))},
    "consent": {"client_code": "C-0042", "disclosed_on": "2026-01-05"},
}
STEP_BASE: dict[str, dict[str, Any]] = {
    "IntakeInput": {"title": "Laptop stolen from the car", "discovered_on": "2026-03-10"},
    "PhiInput": {"phi_involved": True},
    "SecuredInput": {"secured_by": "none"},
    "ExceptionsInput": {"exceptions": dict.fromkeys(EXCEPTION_IDS, False)},
    "FactorsInput": {"factors": {key: {"rating": "low", "notes": "Encrypted."}
                                 for key in FACTOR_IDS}},
    "DeterminationInput": {"choice": "low_probability"},
    "ScopeInput": {"affected": 3, "residents": {"CA": 3}, "determined": {"TX": "2026-03-20"}},
    "StatementInput": {"kind": "written", "statement_on": "2026-03-12", "days": 30,
                       "agency": "County police"},
    "NoticeContentInput": {},
    "NoticeSentInput": {"obligation_id": "individuals", "sent_on": "2026-03-20",
                        "method": next(iter(NOTICE_METHODS))},
    "CloseoutInput": {},
}
# Fields inside a field: each factor's rating and notes, each exception, a state's count and date.
NESTED: dict[str, tuple[str, ...]] = {
    "ExceptionsInput": tuple(f"exceptions.{key}" for key in EXCEPTION_IDS),
    "FactorsInput": tuple(f"factors.{key}{part}" for key in FACTOR_IDS
                          for part in ("", ".rating", ".notes")),
    "ScopeInput": ("residents.CA", "determined.TX"),
}


def _step_models() -> dict[str, type[BaseModel]]:
    """Every step's input model in incident_inputs (a new one fails until it has a base)."""
    return {name: model for name, model in inspect.getmembers(incident_inputs, inspect.isclass)
            if issubclass(model, BaseModel) and name.endswith("Input") and not name.startswith("_")
            and name != "FactorInput"}  # FactorInput is checked inside FactorsInput


def _cases() -> list[tuple[str, type[BaseModel], dict[str, Any], str]]:
    """(name, model, valid base, field) for every field of every input model."""
    cases = []
    for kind, model in INPUTS.items():
        cases += [(kind, model, REGISTER_BASE[kind], field) for field in model.model_fields]
    cases += [("settings", SettingsInput, {}, field) for field in SettingsInput.model_fields]
    for name, model in _step_models().items():
        fields = (*model.model_fields, *NESTED.get(name, ()))
        cases += [(name, model, STEP_BASE[name], field) for field in fields]
    return cases


CASES = _cases()
IDS = [f"{name}.{field}" for name, _, _, field in CASES]


def _check(name: str, model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    if name in INPUTS:
        return validate(name, data)
    if name == "settings":
        return validate_settings(data)
    return incident_inputs.check(model, data)


def _with(base: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(base)
    *outer, last = field.split(".")
    place = data
    for part in outer:
        place = place.setdefault(part, {})
    place[last] = value
    return data


def _max_length(model: type[BaseModel], field: str) -> int:
    info = model.model_fields.get(field)
    for rule in info.metadata if info else ():
        if getattr(rule, "max_length", None):
            return rule.max_length
    return 20_000


def assert_plain_sentence(problem: str) -> None:
    """One line for a therapist: capitalised, a full stop, none of pydantic's own words."""
    for words in PYDANTIC_WORDING:
        assert words.lower() not in problem.lower(), problem
    assert problem[:1].isupper(), problem
    assert problem.endswith("."), problem
    assert "\n" not in problem and "\r" not in problem, problem


def _refused_or_accepted(name, model, base, field, value) -> ValidationError | None:
    """Check one value: accepted, or refused by a ValidationError naming the field in a sentence."""
    data = _with(base, field, value)
    try:
        _check(name, model, data)
    except ValidationError as error:
        assert_plain_sentence(error.problem)
        name_in_code = field.split(".")[-1]
        if "_" in name_in_code:  # the user's words, not the code's ("the acceptance rationale")
            assert name_in_code not in error.problem, error.problem
        if not (error.field == field or error.field.startswith(field + ".")):
            # The field took the value and a rule between fields named another one (no PHI
            # involved needs the reason why): no error of pydantic's own is about a field.
            try:
                model.model_validate(data)
            except PydanticError as raw:
                assert all(e["loc"] == () for e in raw.errors()), (
                    f"{field}={value!r:.60}: the problem names {error.field!r}: {error.problem}")
        return error
    return None


BAD_VALUES = ("", "   ", None, "soon", "2026-13-01", "2026-02-30", "11/01/2026", "1.5", "-1",
              "maybe", 0, -1, 6, 121, 10**12, 1.5, float("nan"), [1, 2], [], {"a": 1}, {},
              "x" * 20_001, "🙂" * 501)


@pytest.mark.parametrize(("name", "model", "base", "field"), CASES, ids=IDS)
def test_every_field_refuses_bad_values_in_a_sentence_naming_it(name, model, base, field):
    for value in (*BAD_VALUES, "x" * (_max_length(model, field) + 1)):
        _refused_or_accepted(name, model, base, field, value)


@pytest.mark.parametrize(("name", "model", "base", "field"), CASES, ids=IDS)
def test_every_base_record_is_valid(name, model, base, field):
    _check(name, model, base)


def test_every_step_model_is_walked():
    assert set(_step_models()) == set(STEP_BASE)


ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=50),
    st.dates().map(str), st.text(alphabet="0123456789-/ ", max_size=12),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES), value=ANY_VALUE)
def test_any_value_in_any_field_is_accepted_or_refused_in_a_sentence(case, value):
    _refused_or_accepted(*case, value)


@settings(max_examples=100, deadline=None)
@given(case=st.sampled_from([c for c in CASES if "." not in c[3]]),
       unknown=st.text(alphabet="abcdefghij_", min_size=1, max_size=12))
def test_a_field_the_model_does_not_have_is_refused_in_a_sentence(case, unknown):
    name, model, base, _ = case
    if unknown in model.model_fields:
        return
    with pytest.raises(ValidationError) as error:
        _check(name, model, {**base, unknown: "x"})
    assert error.value.field == unknown
    assert_plain_sentence(error.value.problem)


def test_a_record_that_is_not_a_set_of_fields_is_refused_in_a_sentence():
    for model in (*INPUTS.values(), *_step_models().values()):
        with pytest.raises(ValidationError) as error:
            incident_inputs.check(model, ["not", "a", "record"])
        assert_plain_sentence(error.value.problem)


@pytest.mark.parametrize(("name", "model", "data", "field", "problem"), [
    ("hazard", None, {**REGISTER_BASE["hazard"], "title": ""}, "title", "A title is required."),
    ("hazard", None, {**REGISTER_BASE["hazard"], "title": "x" * 412}, "title",
     "A title can be at most 300 characters; this one has 412."),
    ("hazard", None, {**REGISTER_BASE["hazard"], "likelihood": 7}, "likelihood",
     "Likelihood must be between 1 and 5."),
    ("hazard", None, {**REGISTER_BASE["hazard"], "target_impact": "high"}, "target_impact",
     "Target impact must be a whole number between 1 and 5."),
    ("hazard", None, {k: v for k, v in REGISTER_BASE["hazard"].items() if k != "impact"},
     "impact", "Impact is required."),
    ("consent", None, {**REGISTER_BASE["consent"], "client_code": ""}, "client_code",
     "A client code is required."),
    ("consent", None, {**REGISTER_BASE["consent"], "client_code": "Jane Doe"}, "client_code",
     "A client code must be a code such as C-0042 (letters, digits, - _ .), never a name."),
    ("tool", None, {**REGISTER_BASE["tool"], "handles_phi": "perhaps"}, "handles_phi",
     "The answer to 'Vendor has client data' must be yes or no."),
    ("tool", None, {**REGISTER_BASE["tool"], "baa_status": "signed"}, "baa_signed_on",
     "A signed BAA needs the date it was signed."),
    ("settings", SettingsInput, {"internal_target_days": 60}, "internal_target_days",
     "The internal target in days must be between 0 and 59."),
    ("IntakeInput", incident_inputs.IntakeInput, {**STEP_BASE["IntakeInput"], "title": "  "},
     "title", "A short title is required."),
    ("IntakeInput", incident_inputs.IntakeInput,
     {**STEP_BASE["IntakeInput"], "discovered_on": "2026-13-01"}, "discovered_on",
     "The discovery date 2026-13-01 is not a date (there is no month 13)."),
    ("ScopeInput", incident_inputs.ScopeInput, {"affected": 0}, "affected",
     "The number of people affected must be between 1 and 1,000,000,000."),
    ("ScopeInput", incident_inputs.ScopeInput, {"affected": 3, "residents": {"CA": -2}},
     "residents.CA", "The number of people affected in CA must be 0 or more."),
    ("FactorsInput", incident_inputs.FactorsInput,
     _with(STEP_BASE["FactorsInput"], "factors.mitigation.notes", ""), "factors.mitigation.notes",
     "Note why you rated it so."),
    ("ExceptionsInput", incident_inputs.ExceptionsInput,
     _with(STEP_BASE["ExceptionsInput"], "exceptions.could_not_retain", "sometimes"),
     "exceptions.could_not_retain", "The answer for exception (iii) must be yes or no."),
])
def test_the_sentences_read_as_written(name, model, data, field, problem):
    with pytest.raises(ValidationError) as error:
        _check(name, model, data)
    assert (error.value.field, error.value.problem) == (field, problem)
    assert str(error.value) == f"{field}: {problem}"


@pytest.mark.parametrize(("name", "model", "base", "field"), CASES, ids=IDS)
def test_every_field_has_a_name_in_the_users_words(name, model, base, field):
    from riskreg.services.messages import label

    assert not label(field, model.__name__).startswith("the field "), field


@pytest.mark.parametrize(("model", "data", "field"), [
    (incident_inputs.ScopeInput, {"affected": 3, "residents": {5: 1}}, "residents"),
    (incident_inputs.ExceptionsInput, {"exceptions": {5: True}}, "exceptions"),
    (incident_inputs.FactorsInput, {"factors": {5: {}}}, "factors"),
])
def test_a_name_that_is_not_text_inside_a_field_names_the_field(model, data, field):
    with pytest.raises(ValidationError) as error:
        incident_inputs.check(model, data)
    assert error.value.field == field
    assert_plain_sentence(error.value.problem)
