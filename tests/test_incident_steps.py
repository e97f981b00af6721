"""Which wizard steps apply to an incident and which the path went past (domain/incident_steps):
the rule the step rail shows, tested where it lives."""

import pytest

from riskreg.domain.determination import Outcome
from riskreg.domain.incident_steps import STEP_IDS, applies, skipped

PHI_ONLY = {"secured", "exceptions", "factors"}
NOTIFICATION_ONLY = {"scope", "law_enforcement", "plan", "notices", "tracking"}
HIPAA_NOTICES_ONLY = {"law_enforcement", "notices"}
"""Issue 19: the scope, plan and tracking stay for the state analysis after a safe harbor, an
exception or a low-probability finding (state duties do not depend on HIPAA's determination)."""


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_before_any_answer_every_step_applies(step_id):
    assert applies(step_id, phi_involved=None, determination=None)


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_no_phi_leaves_out_the_safe_harbor_the_exceptions_and_the_factors(step_id):
    # "No PHI" is itself the determination (not_phi): the notices do not apply either.
    shown = applies(step_id, phi_involved=False, determination="not_phi")
    assert shown == (step_id not in PHI_ONLY | NOTIFICATION_ONLY)


@pytest.mark.parametrize("determination", ["not_a_breach_safe_harbor", "not_a_breach_exception",
                                           "low_probability"])
@pytest.mark.parametrize("step_id", STEP_IDS)
def test_a_determination_other_than_notification_leaves_out_the_hipaa_notices(step_id,
                                                                              determination):
    shown = applies(step_id, phi_involved=True, determination=determination)
    assert shown == (step_id not in HIPAA_NOTICES_ONLY)


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_a_permitted_use_leaves_out_the_rest_of_the_path_as_no_phi_does(step_id):
    shown = applies(step_id, phi_involved=True, determination="not_a_breach_permitted")
    assert shown == (step_id not in PHI_ONLY | NOTIFICATION_ONLY)


def test_a_permitted_use_ends_the_path_at_the_phi_step():
    from riskreg.domain.incident_steps import next_step

    assert next_step("phi", phi_involved=True, determination="not_a_breach_permitted") == "closeout"
    assert next_step("phi", phi_involved=True, determination=None) == "secured"
    # HIPAA requires no notice: the path ends at close-out, the state steps stay open (applies).
    assert next_step("determination", determination="low_probability") == "closeout"


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_notification_required_keeps_every_step(step_id):
    assert applies(step_id, phi_involved=True, determination="notification_required")


def test_the_exceptions_are_skipped_after_a_safe_harbor_until_answered():
    assert skipped("exceptions", presumption=Outcome.SAFE_HARBOR, exceptions_recorded=False,
                   factors_recorded=False)
    assert not skipped("exceptions", presumption=Outcome.SAFE_HARBOR, exceptions_recorded=True,
                       factors_recorded=False)
    assert not skipped("exceptions", presumption=Outcome.PRESUMED_BREACH,
                       exceptions_recorded=False, factors_recorded=False)


def test_the_factors_are_skipped_after_an_exception_until_answered():
    assert skipped("factors", presumption=Outcome.EXCEPTION, exceptions_recorded=True,
                   factors_recorded=False)
    assert not skipped("factors", presumption=Outcome.EXCEPTION, exceptions_recorded=True,
                       factors_recorded=True)
    assert not any(skipped(s, presumption=Outcome.EXCEPTION, exceptions_recorded=True,
                           factors_recorded=False) for s in STEP_IDS if s != "factors")
