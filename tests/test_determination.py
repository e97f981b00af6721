"""The 164.402 decision path: what the rule presumes on the record, and the practitioner's choice."""

import pytest

from riskreg.domain.determination import (
    EXCEPTIONS,
    FACTORS,
    PHI_STEP,
    SECURED_STEP,
    Choice,
    Determination,
    DeterminationFacts,
    FactorAssessment,
    Outcome,
    Rating,
    presumption,
    review_determination,
)
from riskreg.errors import ValidationError


def all_factors(rating="low", **overrides):
    factors = {f.id: FactorAssessment(Rating(rating), "noted") for f in FACTORS}
    factors.update(overrides)
    return factors


def unsecured(**kwargs):
    values = {"phi_involved": True, "use_permitted": False, "secured_by": "none"} | kwargs
    return DeterminationFacts(**values)


def missing_fields(found):
    return [m.field for m in found.missing]


def test_the_decision_path_texts_are_data_a_wizard_can_show():
    assert [f.id for f in FACTORS] == [
        "nature_extent",
        "recipient",
        "acquired_viewed",
        "mitigation",
    ]
    assert [f.citation for f in FACTORS] == [
        f"45 CFR 164.402(2)({n})" for n in ("i", "ii", "iii", "iv")
    ]
    assert [e.citation for e in EXCEPTIONS] == [
        f"45 CFR 164.402(1)({n})" for n in ("i", "ii", "iii")
    ]
    for item in (*FACTORS, *EXCEPTIONS, PHI_STEP, SECURED_STEP):
        assert item.title.strip()
    assert all(len(f.guidance) > 40 for f in FACTORS)
    assert all(len(e.explanation) > 40 for e in EXCEPTIONS)
    assert "NIST SP 800-111" in SECURED_STEP.guidance
    assert "redaction does not count" in SECURED_STEP.guidance


def test_nothing_is_presumed_until_phi_involvement_is_recorded():
    found = presumption(DeterminationFacts())
    assert found.outcome == Outcome.INCOMPLETE
    assert missing_fields(found) == ["phi_involved"]


def test_without_phi_the_breach_rule_does_not_apply():
    found = presumption(DeterminationFacts(phi_involved=False))
    assert found.outcome == Outcome.NOT_PHI
    assert found.missing == ()


def test_phi_alone_is_presumed_a_breach_and_everything_else_is_still_to_record():
    found = presumption(DeterminationFacts(phi_involved=True))
    assert found.outcome == Outcome.PRESUMED_BREACH
    fields = missing_fields(found)
    # The question 164.402 asks first (issue 19): was the use or disclosure impermissible at all?
    assert fields[:2] == ["use_permitted", "secured_by"]
    assert [f for f in fields if f.startswith("exceptions.")] == [
        f"exceptions.{e.id}" for e in EXCEPTIONS
    ]
    assert [f for f in fields if f.startswith("factors.")] == [f"factors.{f.id}" for f in FACTORS]
    assert any("presumed to be a breach" in r for r in found.reasons)


def test_destroyed_phi_is_in_the_safe_harbor_but_the_assessment_is_still_recorded():
    found = presumption(DeterminationFacts(phi_involved=True, use_permitted=False,
                                           secured_by="destruction"))
    assert found.outcome == Outcome.SAFE_HARBOR
    assert [m.field for m in found.missing] == [f"factors.{f.id}" for f in FACTORS]


def test_encrypted_phi_needs_the_key_status_before_the_safe_harbor_applies():
    found = presumption(DeterminationFacts(phi_involved=True, secured_by="encryption"))
    assert found.outcome == Outcome.PRESUMED_BREACH
    assert "key_compromised" in missing_fields(found)


def test_encrypted_phi_with_a_safe_key_is_secured():
    facts = DeterminationFacts(phi_involved=True, secured_by="encryption", key_compromised=False)
    assert presumption(facts).outcome == Outcome.SAFE_HARBOR


def test_encrypted_phi_with_a_compromised_key_is_unsecured():
    facts = DeterminationFacts(phi_involved=True, secured_by="encryption", key_compromised=True)
    found = presumption(facts)
    assert found.outcome == Outcome.PRESUMED_BREACH
    assert any("key was compromised" in r for r in found.reasons)


def test_an_exception_recorded_as_applying_points_to_not_a_breach():
    found = presumption(unsecured(exceptions={"could_not_retain": True}))
    assert found.outcome == Outcome.EXCEPTION
    assert any("164.402(1)(iii)" in r for r in found.reasons)


def test_exceptions_recorded_as_not_applying_are_no_longer_missing():
    facts = unsecured(exceptions={e.id: False for e in EXCEPTIONS})
    assert not [f for f in missing_fields(presumption(facts)) if f.startswith("exceptions.")]


def test_four_low_factors_with_notes_may_support_a_low_probability_of_compromise():
    facts = unsecured(exceptions={e.id: False for e in EXCEPTIONS}, factors=all_factors())
    found = presumption(facts)
    assert found.outcome == Outcome.LOW_PROBABILITY_SUPPORTED
    assert found.missing == ()


def test_a_factor_rated_high_keeps_the_presumption_of_breach_and_says_which():
    factors = all_factors(recipient=FactorAssessment(Rating.HIGH, "unknown person"))
    found = presumption(unsecured(factors=factors))
    assert found.outcome == Outcome.PRESUMED_BREACH
    assert any("(ii) Who used it or received it: points to compromise" in r for r in found.reasons)


def test_a_factor_without_notes_is_still_missing():
    factors = all_factors(mitigation=FactorAssessment(Rating.LOW, "  "))
    found = presumption(unsecured(factors=factors))
    assert found.outcome == Outcome.PRESUMED_BREACH
    assert "factors.mitigation" in missing_fields(found)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"secured_by": "shredded"}, "secured_by"),
        ({"exceptions": {"nope": True}}, "exceptions"),
        ({"factors": {"nope": FactorAssessment()}}, "factors"),
        ({"factors": {"recipient": FactorAssessment("severe", "x")}}, "factors.recipient"),
    ],
)
def test_unknown_values_on_the_record_are_refused(kwargs, field):
    with pytest.raises(ValidationError) as caught:
        DeterminationFacts(phi_involved=True, **kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize("rationale", ["", "   ", None])
def test_a_determination_without_a_rationale_is_refused(rationale):
    with pytest.raises(ValidationError) as caught:
        Determination(Choice.NOTIFICATION_REQUIRED, rationale)
    assert caught.value.field == "rationale"


def test_a_determination_with_an_unknown_choice_is_refused():
    with pytest.raises(ValidationError) as caught:
        Determination("probably_fine", "because")
    assert caught.value.field == "choice"


def test_an_exception_determination_must_name_the_exception():
    with pytest.raises(ValidationError) as caught:
        Determination(Choice.NOT_A_BREACH_EXCEPTION, "returned unopened")
    assert caught.value.field == "exception_id"
    made = Determination(
        "not_a_breach_exception", "returned unopened", exception_id="could_not_retain"
    )
    assert made.choice is Choice.NOT_A_BREACH_EXCEPTION


def test_only_notification_required_triggers_the_deadline_plan():
    assert Determination("notification_required", "laptop stolen").notification_required
    assert not Determination("low_probability", "assessment attached").notification_required


def test_a_choice_against_the_presumption_is_recorded_with_a_note_never_refused():
    facts = unsecured(exceptions={e.id: False for e in EXCEPTIONS}, factors=all_factors())
    assert presumption(facts).outcome == Outcome.LOW_PROBABILITY_SUPPORTED
    notes = review_determination(Determination("notification_required", "out of caution"), facts)
    assert len(notes) == 1
    assert "rationale explains why" in notes[0]


def test_a_low_probability_choice_with_factors_missing_is_flagged_for_the_rationale():
    choice = Determination("low_probability", "seems fine")
    notes = review_determination(choice, unsecured())
    assert any("all four factors" in n for n in notes)


def test_a_determination_matching_the_presumption_has_nothing_to_review():
    facts = unsecured(exceptions={e.id: False for e in EXCEPTIONS}, factors=all_factors())
    assert review_determination(Determination("low_probability", "see factors"), facts) == []


# -- issue 19: what 164.402 asks ------------------------------------------------------------------


def test_a_permitted_or_incidental_use_is_not_a_breach_and_ends_the_analysis():
    # 164.402: a breach is a use or disclosure "not permitted under subpart E"; an incidental
    # disclosure (164.502(a)(1)(iii)) or a 164.512 disclosure is not one.
    found = presumption(DeterminationFacts(phi_involved=True, use_permitted=True))
    assert found.outcome == Outcome.PERMITTED
    assert found.missing == ()
    assert any("164.502(a)(1)(iii)" in r for r in found.reasons)


def test_an_impermissible_use_goes_on_down_the_path_with_nothing_more_to_record_about_it():
    found = presumption(unsecured(use_permitted=False))
    assert found.outcome == Outcome.PRESUMED_BREACH
    assert "use_permitted" not in missing_fields(found)


def test_a_permitted_determination_is_consistent_with_a_permitted_record():
    facts = DeterminationFacts(phi_involved=True, use_permitted=True)
    permitted = Determination(Choice.NOT_A_BREACH_PERMITTED, "Disclosed to the client's insurer "
                              "for payment (164.506).")
    assert review_determination(permitted, facts) == []
    notify = Determination(Choice.NOTIFICATION_REQUIRED, "To be safe.")
    assert any("permitted" in n for n in review_determination(notify, facts))


def test_encryption_that_did_not_protect_the_data_at_the_time_is_unsecured():
    # HHS ransomware fact sheet, Q8: ransomware on a running, unlocked machine found the data
    # decrypted; the safe harbor does not apply even with the key safe.
    facts = DeterminationFacts(phi_involved=True, use_permitted=False, secured_by="encryption",
                               key_compromised=False, encryption_in_force=False)
    found = presumption(facts)
    assert found.outcome == Outcome.PRESUMED_BREACH
    assert any("not protected by it at the moment" in r for r in found.reasons)


def test_encryption_in_force_with_the_key_safe_is_secured_with_nothing_left_about_it():
    facts = DeterminationFacts(phi_involved=True, use_permitted=False, secured_by="encryption",
                               key_compromised=False, encryption_in_force=True,
                               factors=all_factors())
    found = presumption(facts)
    assert found.outcome == Outcome.SAFE_HARBOR
    assert found.missing == ()


def test_a_compromised_key_is_unsecured_whatever_the_encryption_did():
    facts = DeterminationFacts(phi_involved=True, secured_by="encryption", key_compromised=True,
                               encryption_in_force=True)
    assert presumption(facts).outcome == Outcome.PRESUMED_BREACH


def test_a_record_from_before_the_question_keeps_its_safe_harbor_with_the_question_to_answer():
    # Migration 0005 leaves the new answers unanswered (None): what was presumed stays, and the
    # question is listed as still to record.
    facts = DeterminationFacts(phi_involved=True, secured_by="encryption", key_compromised=False,
                               factors=all_factors())
    found = presumption(facts)
    assert found.outcome == Outcome.SAFE_HARBOR
    assert missing_fields(found) == ["use_permitted", "encryption_in_force"]
    safe = Determination(Choice.NOT_A_BREACH_SAFE_HARBOR, "Encrypted laptop, key safe.")
    assert review_determination(safe, facts) == []
