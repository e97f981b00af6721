"""The current risk of a hazard (domain/current_risk.py): inherent until assessed, and an
assessment never outlives a lapse of a safeguard it counted on."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from riskreg.domain.current_risk import (
    ASSESS,
    Assessment,
    LinkedSafeguard,
    current_risk,
    current_summary,
    safeguards_in_place_text,
)
from riskreg.domain.register import SAFEGUARD_STATUSES

DAY = date(2026, 11, 20)


def test_with_every_safeguard_planned_current_is_the_inherent_risk():
    risk = current_risk(4, 4, None, [LinkedSafeguard("planned")] * 3)
    assert (risk.likelihood, risk.impact, risk.score, risk.level) == (4, 4, 16, "High")
    assert risk.assessed_on is None and risk.note == ""
    assert safeguards_in_place_text(risk.in_place, risk.counted) == "0 of 3 safeguards in place"


def test_safeguards_in_place_without_an_assessment_keep_it_inherent_and_ask_for_one():
    risk = current_risk(4, 4, None, [LinkedSafeguard("in_place"), LinkedSafeguard("planned"),
                                     LinkedSafeguard("not_applicable")])
    assert (risk.score, risk.note) == (16, ASSESS)
    assert safeguards_in_place_text(risk.in_place, risk.counted) == "1 of 2 safeguards in place"


def test_an_assessment_stands_until_a_safeguard_lapses_after_it():
    assessed = Assessment(2, 3, DAY)
    kept = current_risk(4, 4, assessed, [LinkedSafeguard("verified", DAY - timedelta(days=9))])
    assert (kept.score, kept.assessed_on, kept.note) == (6, DAY, "")
    same_day = current_risk(4, 4, assessed, [LinkedSafeguard("planned", DAY)])
    assert same_day.assessed_on == DAY  # reassessed the day of the lapse: it stands
    lapsed = current_risk(4, 4, assessed, [LinkedSafeguard("planned", DAY + timedelta(days=1))])
    assert (lapsed.score, lapsed.assessed_on) == (16, None)
    assert lapsed.note == ("a safeguard lapsed on 2026-11-21, after the current assessment of "
                           "2026-11-20: review it and assess the current risk")


def test_the_summary_says_current_equals_inherent_until_safeguards_are_in_place():
    hazard = {"current_from": None, "current_note": "", "safeguards_in_place": 0}
    assert current_summary([hazard] * 2).startswith(
        "Current risk equals inherent risk until safeguards are in place")


scores = st.integers(1, 5)
days = st.dates(date(2020, 1, 1), date(2030, 12, 31))
safeguards = st.lists(st.builds(LinkedSafeguard, st.sampled_from(sorted(SAFEGUARD_STATUSES)),
                                st.none() | days), max_size=6)
assessments = st.none() | st.builds(Assessment, scores, scores, days)


@given(scores, scores, safeguards)
def test_without_an_assessment_current_is_always_inherent(likelihood, impact, linked):
    risk = current_risk(likelihood, impact, None, linked)
    assert (risk.likelihood, risk.impact, risk.assessed_on) == (likelihood, impact, None)
    assert 0 <= risk.in_place <= risk.counted <= len(linked)


@given(scores, scores, assessments, safeguards)
def test_an_assessment_made_before_a_lapse_never_stands(likelihood, impact, assessment, linked):
    risk = current_risk(likelihood, impact, assessment, linked)
    lapsed = assessment is not None and any(
        s.lapsed_on is not None and s.lapsed_on > assessment.assessed_on for s in linked)
    if assessment is None or lapsed:
        assert (risk.likelihood, risk.impact, risk.assessed_on) == (likelihood, impact, None)
        if lapsed:
            assert "lapsed" in risk.note
    else:
        assert (risk.likelihood, risk.impact) == (assessment.likelihood, assessment.impact)
        assert risk.assessed_on == assessment.assessed_on and risk.note == ""


@given(scores, scores, safeguards)
def test_no_reduction_is_claimed_while_no_assessment_stands(likelihood, impact, linked):
    # Safeguards in place or not, without an assessment the current score is never below the
    # inherent one, and a hazard with safeguards in place says to assess it.
    risk = current_risk(likelihood, impact, None, linked)
    assert risk.score == likelihood * impact
    assert (risk.note == ASSESS) == (risk.in_place > 0)
