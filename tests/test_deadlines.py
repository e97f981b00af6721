"""The deadline engine through its domain API: RULES.md's worked examples and each rule."""

from datetime import date

import pytest

from riskreg.domain.deadlines import BreachFacts, annual_log_due, compute_plan
from riskreg.domain.holds import Hold
from riskreg.domain.obligation_names import state_name
from riskreg.domain.state_rules import rule_in_force, state_rules
from riskreg.domain.workdays import add_business_days, federal_holiday
from riskreg.errors import ValidationError

TODAY = date(2026, 1, 5)


def plan_for(discovered, affected, residents=None, today=TODAY, **kwargs):
    facts = BreachFacts(
        discovered=discovered, affected=affected, residents=residents or {}, **kwargs
    )
    return compute_plan(facts, today)


def due(plan, obligation_id):
    obligation = plan.obligation(obligation_id)
    assert obligation is not None, (
        f"{obligation_id} missing from {[o.id for o in plan.obligations]}"
    )
    return obligation.due


def media_ids(plan):
    return [o.id for o in plan.obligations if o.id.startswith("media:")]


# --- RULES.md worked examples -------------------------------------------------------------


def test_example_1_three_colorado_residents_get_a_saturday_deadline_and_the_annual_log():
    plan = plan_for(date(2026, 3, 10), 3, {"CO": 3})
    individuals = plan.obligation("individuals")
    assert individuals.due == date(2026, 5, 9)
    assert individuals.weekend is True
    assert any("individuals" in w and "Saturday" in w for w in plan.warnings)
    hhs = plan.obligation("hhs")
    assert (hhs.track, hhs.due) == ("annual_log", date(2027, 3, 1))
    assert media_ids(plan) == []
    assert due(plan, "state:CO") == date(2026, 4, 9)


def test_example_2_five_hundred_across_two_states_goes_to_hhs_with_the_individual_notice():
    plan = plan_for(date(2026, 6, 15), 500, {"NY": 300, "NJ": 200})
    assert due(plan, "individuals") == date(2026, 8, 14)
    hhs = plan.obligation("hhs")
    assert (hhs.track, hhs.due) == ("with_individual_notice", date(2026, 8, 14))
    assert media_ids(plan) == []


def test_example_3_exactly_five_hundred_californians_trigger_hhs_but_no_media():
    plan = plan_for(date(2026, 9, 1), 500, {"CA": 500})
    hhs = plan.obligation("hhs")
    assert (hhs.track, hhs.due) == ("with_individual_notice", date(2026, 10, 31))
    assert plan.obligation("media:CA") is None


def test_example_4_five_hundred_and_one_floridians_trigger_media_all_due_on_a_saturday():
    plan = plan_for(date(2026, 9, 1), 501, {"FL": 501})
    for obligation_id in ("individuals", "media:FL", "hhs"):
        obligation = plan.obligation(obligation_id)
        assert obligation.due == date(2026, 10, 31)
        assert obligation.weekend is True
    assert plan.obligation("hhs").track == "with_individual_notice"


def test_example_5_an_oral_hold_moves_the_deadlines_to_its_end_and_shows_the_tolling_reading():
    plan = plan_for(date(2026, 4, 1), 600, {"IL": 600}, holds=(Hold("oral", date(2026, 5, 20)),))
    assert [(h.kind, h.statement_on, h.ends_on) for h in plan.holds] == [
        ("oral", date(2026, 5, 20), date(2026, 6, 19))
    ]
    for obligation_id in ("individuals", "media:IL", "hhs"):
        obligation = plan.obligation(obligation_id)
        assert obligation.original_due == date(2026, 5, 31)
        assert obligation.due == date(2026, 6, 19)
        assert obligation.tolling_due == date(2026, 6, 30)
        assert obligation.verify_with_counsel is True
        assert "164.412" in obligation.citation


# --- individuals, deceased, urgent --------------------------------------------------------


def test_individual_notice_is_discovery_plus_sixty_days_with_the_rule_cited():
    individuals = plan_for(date(2026, 1, 2), 1).obligation("individuals")
    assert individuals.due == date(2026, 3, 3)
    assert individuals.citation == "45 CFR 164.404(b)"
    assert individuals.tolling_due is None
    assert individuals.verify_with_counsel is False


def test_deceased_with_known_next_of_kin_are_mentioned_in_the_individual_notice():
    plan = plan_for(date(2026, 3, 10), 5, deceased_with_kin=2)
    individuals = plan.obligation("individuals")
    assert "next of kin" in individuals.explanation
    assert "164.404(d)(1)(ii)" in individuals.explanation
    assert individuals.due == date(2026, 5, 9)


def test_without_deceased_the_next_of_kin_are_not_mentioned():
    assert "next of kin" not in plan_for(date(2026, 3, 10), 5).obligation("individuals").explanation


def test_urgent_breaches_add_a_telephone_notice_without_a_separate_deadline():
    plan = plan_for(date(2026, 3, 10), 5, urgent=True)
    assert "164.404(d)(3)" in plan.obligation("individuals").explanation
    assert plan.obligation("individuals").due == date(2026, 5, 9)


# --- substitute notice --------------------------------------------------------------------


def test_substitute_notice_is_absent_when_everyone_can_be_reached():
    assert plan_for(date(2026, 3, 10), 20).obligation("substitute_notice") is None


def test_fewer_than_ten_unreachable_people_need_an_alternative_written_notice_or_phone():
    substitute = plan_for(date(2026, 3, 10), 20, insufficient_contact=9).obligation(
        "substitute_notice"
    )
    assert substitute.due == date(2026, 5, 9)
    assert "fewer than 10" in substitute.explanation
    assert "toll-free" not in substitute.explanation
    assert substitute.citation == "45 CFR 164.404(d)(2)(i)"


def test_ten_or_more_unreachable_people_need_a_ninety_day_posting_and_a_toll_free_number():
    substitute = plan_for(date(2026, 3, 10), 20, insufficient_contact=10).obligation(
        "substitute_notice"
    )
    assert "10 or more" in substitute.explanation
    assert "90 days" in substitute.explanation
    assert "toll-free number" in substitute.explanation
    assert substitute.citation == "45 CFR 164.404(d)(2)(ii)"


def test_ten_or_more_unreachable_people_are_told_until_when_the_posting_and_number_stay_up():
    # 164.404(d)(2)(ii): posting "for a period of 90 days", a toll-free number "active for at
    # least 90 days". Counted from the latest day they may start, the due date 2026-05-09:
    # + 90 days = 2026-08-07 (May 22 + June 30 + July 31 + 7).
    substitute = plan_for(date(2026, 3, 10), 20, insufficient_contact=10).obligation(
        "substitute_notice"
    )
    assert substitute.keep_until == date(2026, 8, 7)
    assert "until at least 2026-08-07 (90 days from 2026-05-09" in substitute.explanation
    assert substitute.to_json_dict()["keep_until"] == "2026-08-07"


def test_fewer_than_ten_unreachable_people_have_no_ninety_day_end():
    substitute = plan_for(date(2026, 3, 10), 20, insufficient_contact=9).obligation(
        "substitute_notice"
    )
    assert substitute.keep_until is None
    assert substitute.to_json_dict()["keep_until"] is None
    assert "until at least" not in substitute.explanation


def test_the_substitute_notice_end_follows_a_hold():
    # Oral statement 05-20 holds notice until 06-19, the latest start; + 90 days = 2026-09-17.
    plan = plan_for(
        date(2026, 4, 1), 20, insufficient_contact=12, holds=(Hold("oral", date(2026, 5, 20)),)
    )
    assert plan.obligation("substitute_notice").keep_until == date(2026, 9, 17)


def test_substitute_notice_follows_a_hold_like_the_individual_notice():
    plan = plan_for(
        date(2026, 4, 1), 20, insufficient_contact=3, holds=(Hold("oral", date(2026, 5, 20)),)
    )
    assert due(plan, "substitute_notice") == due(plan, "individuals") == date(2026, 6, 19)


# --- HHS and Part 2 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("discovered", "expected"),
    [
        (date(2026, 3, 10), date(2027, 3, 1)),
        (date(2027, 12, 31), date(2028, 2, 29)),
        (date(2027, 1, 1), date(2028, 2, 29)),
        (date(2099, 6, 1), date(2100, 3, 1)),  # 2100 is not a leap year
    ],
)
def test_the_annual_log_is_due_sixty_days_after_the_end_of_the_discovery_year(discovered, expected):
    assert annual_log_due(discovered) == expected
    hhs = plan_for(discovered, 499).obligation("hhs")
    assert (hhs.track, hhs.due, hhs.citation) == ("annual_log", expected, "45 CFR 164.408(c)")


def test_part2_records_add_a_separate_hhs_report_on_the_annual_log_track():
    plan = plan_for(date(2026, 3, 10), 3, part2=True)
    part2 = plan.obligation("hhs_part2")
    assert (part2.track, part2.due) == ("annual_log", date(2027, 3, 1))
    assert "2.16" in part2.citation


def test_part2_records_follow_hhs_onto_the_immediate_track_at_five_hundred():
    plan = plan_for(date(2026, 3, 10), 500, part2=True)
    part2 = plan.obligation("hhs_part2")
    assert (part2.track, part2.due) == ("with_individual_notice", date(2026, 5, 9))


def test_without_part2_records_there_is_no_part2_report():
    assert plan_for(date(2026, 3, 10), 3).obligation("hhs_part2") is None


def test_the_part2_report_counts_the_part2_individuals_not_the_hipaa_total():
    # 42 CFR 2.16 applies subpart D "in the same manner" to Part 2 records: 600 affected, 40
    # of them with Part 2 records: HIPAA report with the individual notice (164.408(b)), the
    # Part 2 report in the annual log (164.408(c)): 2026-12-31 + 60 days = 2027-03-01.
    plan = plan_for(date(2026, 3, 10), 600, part2_affected=40)
    hhs, part2 = plan.obligation("hhs"), plan.obligation("hhs_part2")
    assert (hhs.track, hhs.due) == ("with_individual_notice", date(2026, 5, 9))
    assert (part2.track, part2.due) == ("annual_log", date(2027, 3, 1))
    assert part2.citation == "42 CFR 2.16, 45 CFR 164.408(c)"
    assert "40 of the 600 affected" in part2.explanation
    assert "not the HIPAA total" in part2.explanation
    assert "other track (with the individual notices, due 2026-05-09)" in part2.explanation


@pytest.mark.parametrize(
    ("part2_affected", "track", "expected"),
    [
        (499, "annual_log", date(2027, 3, 1)),
        (500, "with_individual_notice", date(2026, 5, 9)),
        (600, "with_individual_notice", date(2026, 5, 9)),
    ],
)
def test_the_part2_track_flips_at_five_hundred_part2_individuals(part2_affected, track, expected):
    part2 = plan_for(date(2026, 3, 10), 600, part2_affected=part2_affected).obligation("hhs_part2")
    assert (part2.track, part2.due) == (track, expected)


def test_a_part2_count_makes_the_part2_flag_true_and_part2_alone_counts_everyone():
    counted = BreachFacts(date(2026, 3, 10), 600, part2_affected=40)
    assert (counted.part2, counted.part2_affected, counted.part2_count_given) == (True, 40, True)
    flag_only = BreachFacts(date(2026, 3, 10), 600, part2=True)
    assert (flag_only.part2, flag_only.part2_affected) == (True, 600)
    assert flag_only.part2_count_given is False
    explanation = compute_plan(flag_only, TODAY).obligation("hhs_part2").explanation
    assert "no count of the people" in explanation and "all 600 affected" in explanation
    none = BreachFacts(date(2026, 3, 10), 600)
    assert (none.part2, none.part2_affected) == (False, 0)


def test_the_part2_annual_log_moves_with_a_hold_past_march_first():
    plan = plan_for(
        date(2026, 12, 1), 600, part2_affected=3, holds=(Hold("written", date(2026, 12, 15), 90),)
    )
    part2 = plan.obligation("hhs_part2")
    assert (part2.track, part2.due, part2.original_due) == (
        "annual_log", date(2027, 3, 15), date(2027, 3, 1)
    )
    assert part2.citation.endswith("164.412")
    assert part2.verify_with_counsel is True


@pytest.mark.parametrize(
    ("discovered", "reported"),
    [(date(2026, 2, 15), False), (date(2026, 2, 16), True), (date(2025, 6, 1), False)],
)
def test_the_part2_report_applies_from_its_compliance_date(discovered, reported):
    plan = plan_for(discovered, 3, part2_affected=3)
    assert (plan.obligation("hhs_part2") is not None) is reported
    why = [w for w in plan.warnings if w.startswith("Part 2 records:")]
    if reported:
        assert why == []
    else:
        assert len(why) == 1
        assert "before 2026-02-16" in why[0] and "42 CFR 2.16" in why[0]


def test_the_part2_compliance_date_is_judged_on_the_agents_discovery():
    # The agent business associate discovered on 02-10, before the compliance date.
    kwargs = {"part2_affected": 2, "ba_discovered": date(2026, 2, 10)}
    assert plan_for(date(2026, 2, 20), 4, **kwargs).obligation("hhs_part2") is None
    independent = plan_for(date(2026, 2, 20), 4, ba_is_agent=False, **kwargs)
    assert independent.obligation("hhs_part2") is not None


def test_no_part2_warning_without_part2_records():
    plan = plan_for(date(2026, 1, 10), 3)
    assert not any("Part 2" in w for w in plan.warnings)


# --- business associate -------------------------------------------------------------------


def test_a_business_associate_acting_as_agent_starts_the_clock_on_its_own_discovery():
    plan = plan_for(date(2026, 5, 10), 4, ba_discovered=date(2026, 5, 1))
    assert plan.discovered == date(2026, 5, 1)
    assert due(plan, "individuals") == date(2026, 6, 30)
    assert "business associate" in plan.obligation("individuals").explanation


def test_an_independent_business_associate_leaves_the_clock_on_the_practices_date():
    plan = plan_for(date(2026, 5, 10), 4, ba_discovered=date(2026, 5, 1), ba_is_agent=False)
    assert plan.discovered == date(2026, 5, 10)
    assert due(plan, "individuals") == date(2026, 7, 9)


def test_an_agent_that_discovers_after_the_practice_does_not_move_the_clock_later():
    plan = plan_for(date(2026, 5, 10), 4, ba_discovered=date(2026, 5, 20))
    assert plan.discovered == date(2026, 5, 10)


def test_a_business_associate_telling_the_practice_after_its_sixty_days_is_warned():
    plan = plan_for(date(2026, 8, 1), 4, ba_discovered=date(2026, 5, 1), ba_is_agent=False)
    assert any("164.410(b)" in w and "2026-06-30" in w for w in plan.warnings)


# --- law-enforcement holds ----------------------------------------------------------------


def test_a_written_hold_delays_notice_for_the_period_it_states():
    plan = plan_for(date(2026, 4, 1), 20, holds=(Hold("written", date(2026, 5, 10), 45),))
    assert [(h.kind, h.ends_on) for h in plan.holds] == [("written", date(2026, 6, 24))]
    individuals = plan.obligation("individuals")
    assert individuals.due == date(2026, 6, 24)
    assert individuals.tolling_due == date(2026, 7, 15)  # 06-24 + (05-31 - 05-10)


def test_a_written_statement_within_thirty_days_of_an_oral_one_replaces_its_period():
    holds = (Hold("oral", date(2026, 5, 20)), Hold("written", date(2026, 6, 1), 10))
    plan = plan_for(date(2026, 4, 1), 20, holds=holds)
    assert [(h.kind, h.statement_on, h.ends_on) for h in plan.holds] == [
        ("oral", date(2026, 5, 20), date(2026, 6, 1)),
        ("written", date(2026, 6, 1), date(2026, 6, 11)),
    ]
    individuals = plan.obligation("individuals")
    assert individuals.due == date(2026, 6, 11)  # not the oral statement's 06-19
    assert individuals.tolling_due == date(2026, 6, 22)  # 06-11 + (05-31 - 05-20)
    assert any("followed within 30 days by a written statement" in w for w in plan.warnings)
    # The written statement came after the original due date (05-31) but inside the oral hold:
    # it does extend the deadline, so no warning may say it does not.
    assert not any("does not extend" in w for w in plan.warnings)


def test_a_statement_after_the_due_date_as_extended_by_an_earlier_hold_is_warned():
    # Oral 05-20 holds to 06-19; a written statement on 06-25 comes after that due date.
    holds = (Hold("oral", date(2026, 5, 20)), Hold("written", date(2026, 6, 25), 10))
    plan = plan_for(date(2026, 4, 1), 20, holds=holds)
    assert due(plan, "individuals") == date(2026, 6, 19)
    assert [w for w in plan.warnings if "does not extend" in w] == [
        "The written law-enforcement statement of 2026-06-25 came after the due date in force "
        "2026-06-19: it does not extend a deadline that had already passed."
    ]


def test_a_written_statement_after_the_oral_thirty_days_is_a_separate_hold():
    holds = (Hold("oral", date(2026, 5, 20)), Hold("written", date(2026, 6, 25), 10))
    plan = plan_for(date(2026, 4, 1), 20, holds=holds)
    assert plan.holds[0].ends_on == date(2026, 6, 19)
    assert due(plan, "individuals") == date(2026, 6, 19)


def test_a_hold_ending_before_the_due_date_keeps_the_due_date_but_shows_the_tolling_reading():
    plan = plan_for(date(2026, 4, 1), 20, holds=(Hold("written", date(2026, 4, 10), 10),))
    individuals = plan.obligation("individuals")
    assert individuals.due == date(2026, 5, 31)
    assert individuals.tolling_due == date(2026, 6, 10)
    assert individuals.internal_target == date(2026, 5, 16)


def test_a_hold_stated_after_the_due_date_does_not_extend_it_and_is_warned():
    plan = plan_for(date(2026, 1, 1), 20, holds=(Hold("oral", date(2026, 3, 15)),))
    assert due(plan, "individuals") == date(2026, 3, 2)
    assert plan.obligation("individuals").tolling_due is None
    assert any("does not extend a deadline" in w for w in plan.warnings)


def test_a_hold_during_the_year_leaves_the_annual_log_alone():
    plan = plan_for(date(2026, 4, 1), 3, holds=(Hold("oral", date(2026, 5, 20)),))
    hhs = plan.obligation("hhs")
    assert (hhs.due, hhs.tolling_due) == (date(2027, 3, 1), None)


def test_a_hold_running_past_march_first_moves_the_annual_log_too():
    plan = plan_for(date(2026, 12, 1), 3, holds=(Hold("written", date(2026, 12, 15), 90),))
    hhs = plan.obligation("hhs")
    assert hhs.due == date(2027, 3, 15)
    assert hhs.tolling_due == date(2027, 5, 14)  # paused only from Dec 31: 03-01 + 74 days


def test_a_hold_does_not_move_state_deadlines():
    plan = plan_for(date(2026, 4, 1), 20, {"CO": 20}, holds=(Hold("oral", date(2026, 4, 20)),))
    assert due(plan, "state:CO") == date(2026, 5, 1)


def test_the_internal_target_never_falls_inside_a_hold():
    plan = plan_for(date(2026, 4, 1), 600, {"IL": 600}, holds=(Hold("oral", date(2026, 5, 20)),))
    assert plan.obligation("individuals").internal_target == date(2026, 6, 19)


def chain_warnings(plan):
    return [w for w in plan.warnings if "without a written statement covering them" in w]


def test_chained_oral_statements_beyond_thirty_days_are_warned_about():
    # 164.412(b): an oral statement delays notice no longer than 30 days unless a written one
    # is submitted within them. Oral 04-01 (to 05-01), oral 04-25 (to 05-25): 54 days held
    # back by oral statements alone.
    holds = (Hold("oral", date(2026, 4, 1)), Hold("oral", date(2026, 4, 25)))
    plan = plan_for(date(2026, 3, 10), 20, holds=holds)
    assert due(plan, "individuals") == date(2026, 5, 25)
    [warning] = chain_warnings(plan)
    assert "(2026-04-01, 2026-04-25)" in warning
    assert "54 days in total" in warning
    assert "164.412(b)" in warning and "written statement" in warning


def test_one_oral_statement_of_thirty_days_is_not_a_chain():
    plan = plan_for(date(2026, 4, 1), 600, {"IL": 600}, holds=(Hold("oral", date(2026, 5, 20)),))
    assert chain_warnings(plan) == []


def test_an_oral_statement_followed_by_a_written_one_in_time_is_not_a_chain():
    holds = (Hold("oral", date(2026, 5, 20)), Hold("written", date(2026, 6, 1), 10))
    assert chain_warnings(plan_for(date(2026, 4, 1), 20, holds=holds)) == []


def test_oral_days_before_a_late_written_statement_still_count():
    # Oral 05-01 runs its full 30 days (no written statement by 05-31); oral 05-25 is followed by
    # a written statement on 06-20: oral statements alone held notice 05-01 to 06-20, 50 days.
    holds = (
        Hold("oral", date(2026, 5, 1)),
        Hold("oral", date(2026, 5, 25)),
        Hold("written", date(2026, 6, 20), 10),
    )
    [warning] = chain_warnings(plan_for(date(2026, 4, 1), 20, holds=holds))
    assert "50 days in total" in warning


def test_oral_statements_inside_a_written_hold_are_not_a_chain():
    holds = (
        Hold("written", date(2026, 4, 5), 90),
        Hold("oral", date(2026, 4, 10)),
        Hold("oral", date(2026, 5, 5)),
    )
    assert chain_warnings(plan_for(date(2026, 4, 1), 20, holds=holds)) == []


def test_an_oral_statement_after_the_due_date_does_not_count_towards_a_chain():
    # Due 03-02; the 03-15 statement extends nothing (warned separately), so 30 days only.
    holds = (Hold("oral", date(2026, 1, 10)), Hold("oral", date(2026, 3, 15)))
    plan = plan_for(date(2026, 1, 1), 20, holds=holds)
    assert chain_warnings(plan) == []
    assert any("does not extend a deadline" in w for w in plan.warnings)


# --- internal target ----------------------------------------------------------------------


def test_the_internal_target_is_fifteen_days_before_the_legal_date_by_default():
    assert plan_for(date(2026, 3, 10), 3).obligation("individuals").internal_target == date(
        2026, 4, 24
    )


def test_the_internal_target_is_configurable_and_never_before_discovery():
    facts = BreachFacts(date(2026, 3, 10), 3, {"CO": 3})
    assert compute_plan(facts, TODAY, 30).obligation("individuals").internal_target == date(
        2026, 4, 9
    )
    plan = compute_plan(facts, TODAY, internal_target_days=100)
    assert plan.obligation("individuals").internal_target == date(2026, 3, 10)
    assert plan.obligation("state:CO").internal_target == date(2026, 3, 10)


def test_an_obligation_without_a_fixed_day_has_no_internal_target():
    # Cal. Civ. Code 1798.82 before SB 446 (2025): "most expedient time", no fixed day. SB 446
    # set 30 days from 2026-01-01, so the example is a discovery in 2025.
    state = plan_for(date(2025, 6, 1), 3, {"CA": 3}).obligation("state:CA")
    assert (state.due, state.internal_target) == (None, None)


# --- state overlays -----------------------------------------------------------------------


def test_colorado_counts_thirty_days_from_the_determination_date():
    plan = plan_for(date(2026, 3, 10), 3, {"CO": 3}, determined={"CO": date(2026, 3, 20)})
    assert due(plan, "state:CO") == date(2026, 4, 19)
    assert plan.obligation("state:CO").verify_with_counsel is True
    assert plan.obligation("state:CO").citation == "C.R.S. 6-1-716"


@pytest.mark.parametrize(("count", "notified"), [(499, False), (500, True), (501, True)])
def test_the_colorado_attorney_general_is_told_at_five_hundred_residents(count, notified):
    plan = plan_for(date(2026, 3, 10), count, {"CO": count})
    regulator = plan.obligation("regulator:CO")
    assert (regulator is not None) is notified
    if regulator:
        assert regulator.due == date(2026, 4, 9)


@pytest.mark.parametrize(("count", "notified"), [(500, False), (501, True)])
def test_the_washington_attorney_general_is_told_above_five_hundred(count, notified):
    plan = plan_for(date(2026, 3, 10), count, {"WA": count})
    assert (plan.obligation("regulator:WA") is not None) is notified


def test_new_york_residents_are_deemed_notified_by_the_hipaa_notice_and_two_ag_duties_split():
    # N.Y. Gen. Bus. Law 899-aa(2)(b): a HIPAA notice needs no additional notice to residents (the
    # 30 days of the 2024-12-21 amendment then do not bind a covered entity); 899-aa(8)(a): the
    # AG, DOS and State Police with the residents' notice; 899-aa(9): the AG within 5 business
    # days of notifying HHS (HHS due 08-14, a Friday: 08-21).
    plan = plan_for(date(2026, 6, 15), 500, {"NY": 300, "NJ": 200})
    residents = plan.obligation("state:NY")
    assert (residents.due, residents.hipaa_status) == (date(2026, 8, 14), "deemed_compliant")
    assert "899-aa(2)(b)" in residents.explanation
    regulator = plan.obligation("regulator:NY")
    assert regulator.due == date(2026, 8, 14)
    assert "State Police" in regulator.who and "no later than the residents" in regulator.explanation
    after_hhs = plan.obligation("regulator:NY:after_hhs")
    assert after_hhs.due == date(2026, 8, 21)
    assert "5 business days" in after_hhs.explanation
    assert after_hhs.name.startswith("New York state officials, after the HHS notice")
    assert plan.obligation("cra:NY") is None  # 899-aa(8)(b): only above 5,000 residents


@pytest.mark.parametrize(("count", "notified"), [(5000, False), (5001, True)])
def test_new_york_consumer_reporting_agencies_are_told_above_five_thousand(count, notified):
    # N.Y. Gen. Bus. Law 899-aa(8)(b): more than 5,000 New York residents; no fixed day.
    plan = plan_for(date(2026, 6, 15), count, {"NY": count})
    cra = plan.obligation("cra:NY")
    assert (cra is not None) is notified
    if cra:
        assert cra.due is None and cra.name == (
            "New York consumer reporting agencies (N.Y. Gen. Bus. Law 899-aa)")


def test_new_york_before_and_after_its_2024_and_2025_amendments():
    # 899-aa before S2659-B (in force 2024-12-21): no fixed day; medical and health insurance
    # information "private information" from 2025-03-21 (S2376-B).
    before = rule_in_force("NY", date(2024, 12, 20))
    thirty = rule_in_force("NY", date(2024, 12, 21))
    medical = rule_in_force("NY", date(2025, 3, 21))
    assert before.residents.days is None and thirty.residents.days == 30
    assert "medical" not in thirty.triggers and "medical" in medical.triggers
    assert rule_in_force("NY", date(2025, 3, 20)) is thirty
    # A diagnosis-only breach before 2025-03-21 is no New York breach, but the AG still hears
    # within 5 business days of the HHS notice (899-aa(9): any breach reported to HHS).
    plan = plan_for(date(2025, 3, 1), 3, {"NY": 3}, information=("diagnosis",))
    assert plan.obligation("state:NY") is None and plan.obligation("regulator:NY") is None
    # HHS annual log 2026-03-01 (a Sunday) + 5 business days = Friday 2026-03-06.
    assert plan.obligation("regulator:NY:after_hhs").due == date(2026, 3, 6)
    assert any(w.startswith("New York (N.Y. Gen. Bus. Law 899-aa): none of the types")
               for w in plan.warnings)
    plan = plan_for(date(2025, 3, 21), 3, {"NY": 3}, information=("diagnosis",))
    assert plan.obligation("state:NY") is not None


def test_new_jersey_has_no_fixed_day_and_the_state_police_come_before_residents():
    plan = plan_for(date(2026, 6, 15), 500, {"NY": 300, "NJ": 200})
    assert due(plan, "state:NJ") is None
    regulator = plan.obligation("regulator:NJ")
    assert regulator.due is None
    assert "State Police" in regulator.explanation


def test_illinois_attorney_general_is_due_five_business_days_after_the_hhs_date():
    plan = plan_for(date(2026, 3, 10), 3, {"IL": 3})
    # HHS annual log 2027-03-01 (a Monday) + 5 business days.
    assert due(plan, "regulator:IL") == date(2027, 3, 8)


def test_texas_notifies_its_attorney_general_from_two_hundred_fifty_residents():
    plan = plan_for(date(2026, 3, 10), 250, {"TX": 250})
    assert due(plan, "state:TX") == date(2026, 5, 9)
    assert due(plan, "regulator:TX") == date(2026, 4, 9)


def test_vermont_wants_a_preliminary_notice_within_fourteen_business_days():
    plan = plan_for(date(2026, 3, 10), 3, {"VT": 3})
    assert due(plan, "state:VT") == date(2026, 4, 24)
    assert due(plan, "regulator:VT") == date(2026, 3, 30)


def test_maryland_tells_its_attorney_general_before_the_residents():
    plan = plan_for(date(2026, 3, 10), 3, {"MD": 3})
    assert due(plan, "state:MD") == date(2026, 4, 24)
    assert due(plan, "regulator:MD") == date(2026, 4, 23)


def test_a_state_without_an_overlay_row_is_warned_and_gets_no_state_obligation(monkeypatch):
    monkeypatch.delitem(state_rules(), "CO")
    plan = plan_for(date(2026, 3, 10), 3, {"CO": 3})
    assert plan.obligation("state:CO") is None
    assert any("no rules on file for Colorado" in w for w in plan.warnings)


def test_a_state_whose_rules_start_after_the_discovery_is_warned_and_gets_no_obligation():
    # 73 P.S. 2303 is on file from Act 33 of 2024 (in force 2024-09-26) only.
    plan = plan_for(date(2024, 9, 25), 3, {"PA": 3})
    assert plan.obligation("state:PA") is None
    assert any("no rule on file for Pennsylvania in force on 2024-09-25" in w
               for w in plan.warnings)


def test_state_codes_are_accepted_in_lower_case():
    assert plan_for(date(2026, 3, 10), 3, {"co": 3}).obligation("state:CO") is not None


def test_territories_are_states_for_media_notice():
    plan = plan_for(date(2026, 3, 10), 600, {"PR": 501})
    assert media_ids(plan) == ["media:PR"]


def test_people_with_no_state_recorded_are_warned_about():
    plan = plan_for(date(2026, 3, 10), 10, {"CO": 4})
    assert any("6 of the 10 affected have no state" in w for w in plan.warnings)


# --- warnings, holidays, JSON -------------------------------------------------------------


def test_a_future_discovery_date_is_allowed_with_a_warning():
    plan = plan_for(date(2027, 1, 1), 3, today=date(2026, 6, 1))
    assert any("after today" in w for w in plan.warnings)


def test_a_passed_deadline_is_warned():
    plan = plan_for(date(2026, 1, 1), 3, today=date(2026, 6, 1))
    assert any(w.startswith("Notify affected individuals: due 2026-03-02 has passed")
               for w in plan.warnings)


def test_a_deadline_on_a_federal_holiday_is_warned_and_not_moved():
    plan = plan_for(date(2026, 5, 5), 3)  # + 60 days = 2026-07-04, a Saturday
    assert due(plan, "individuals") == date(2026, 7, 4)
    assert any("Independence Day" in w and "2026-07-02" in w for w in plan.warnings)


def test_observed_holidays_and_business_days_are_counted_as_the_calendar_says():
    assert federal_holiday(date(2026, 7, 3)) == "Independence Day (observed)"
    assert federal_holiday(date(2026, 11, 26)) == "Thanksgiving Day"
    assert federal_holiday(date(2026, 11, 27)) is None
    assert add_business_days(date(2026, 3, 13), 1) == date(2026, 3, 16)  # Fri -> Mon


def test_the_json_form_has_exactly_the_keys_of_the_issue():
    data = plan_for(
        date(2026, 4, 1), 600, {"IL": 600}, holds=(Hold("oral", date(2026, 5, 20)),),
        insufficient_contact=12,
    )
    data = data.to_json_dict()
    assert list(data) == [
        "discovered",
        "affected",
        "obligations",
        "earliest_due",
        "holds",
        "warnings",
        "state_rules_as_of",
    ]
    assert data["state_rules_as_of"] == "2026-12-07"
    keys = [
        "id",
        "due",
        "tolling_due",
        "weekend",
        "internal_target",
        "citation",
        "explanation",
        "verify_with_counsel",
    ]
    for obligation in data["obligations"]:
        expected = set(keys) | ({"track"} if obligation["id"] in ("hhs", "hhs_part2") else set())
        expected |= {"keep_until"} if obligation["id"] == "substitute_notice" else set()
        expected |= {"hipaa_status"} if obligation["id"].startswith(("state:", "regulator:")) else set()
        assert set(obligation) == expected
    assert data["holds"] == [
        {"kind": "oral", "statement_on": "2026-05-20", "ends_on": "2026-06-19"}
    ]
    assert data["earliest_due"] == "2026-06-19"


def test_obligations_come_in_a_stable_order():
    plan = plan_for(
        date(2026, 3, 10), 1500, {"NY": 600, "CO": 700}, insufficient_contact=2, part2=True
    )
    assert [o.id for o in plan.obligations] == [
        "individuals",
        "substitute_notice",
        "media:CO",
        "media:NY",
        "hhs",
        "hhs_part2",
        "state:CO",
        "regulator:CO",
        "state:NY",
        "regulator:NY",
        "regulator:NY:after_hhs",
    ]


# --- invalid facts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"affected": 0}, "affected"),
        ({"affected": -1}, "affected"),
        ({"affected": 2.5}, "affected"),
        ({"residents": {"ZZ": 1}}, "residents"),
        ({"residents": {"CO": 6, "NY": 5}}, "residents"),
        ({"residents": {"CO": -1}}, "residents CO"),
        ({"insufficient_contact": 11}, "insufficient_contact"),
        ({"deceased_with_kin": -2}, "deceased_with_kin"),
        ({"holds": (Hold("oral", date(2026, 3, 9)),)}, "holds"),
        ({"determined": {"CO": date(2026, 3, 1)}}, "determined"),
        ({"part2_affected": 11}, "part2_affected"),
        ({"part2_affected": -1}, "part2_affected"),
        ({"part2_affected": 2.5}, "part2_affected"),
        ({"part2_affected": True}, "part2_affected"),
    ],
)
def test_impossible_facts_are_refused_naming_the_field(kwargs, field):
    values = {"discovered": date(2026, 3, 10), "affected": 10} | kwargs
    with pytest.raises(ValidationError) as caught:
        BreachFacts(**values)
    assert caught.value.field == field


def test_a_written_hold_needs_a_positive_number_of_days():
    with pytest.raises(ValidationError):
        Hold("written", date(2026, 5, 1), 0)


def test_a_hold_on_the_discovery_day_itself_is_allowed():
    plan = plan_for(date(2026, 3, 10), 3, holds=(Hold("oral", date(2026, 3, 10)),))
    assert plan.holds[0].ends_on == date(2026, 4, 9)


def test_a_negative_internal_target_is_refused():
    with pytest.raises(ValidationError):
        compute_plan(BreachFacts(date(2026, 3, 10), 3), TODAY, internal_target_days=-1)


def test_the_hhs_notice_before_the_individual_notices_is_warned_about_not_refused():
    # 45 CFR 164.408(b): for 500 or more, HHS is told contemporaneously with the individuals.
    from riskreg.domain.obligations import hhs_sent_early

    name = "Notify HHS (with the individual notices)"
    assert hhs_sent_early([], [], name) is None
    assert hhs_sent_early([date(2026, 11, 20)], [date(2026, 11, 20)], name) is None
    assert hhs_sent_early([date(2026, 11, 21)], [date(2026, 11, 20)], name) is None
    early = hhs_sent_early([date(2026, 11, 20)], [], name)
    assert early.startswith(f"{name}: sent before the individual notices (HHS on 2026-11-20; no ")
    later = hhs_sent_early([date(2026, 11, 20)], [date(2026, 11, 27)], name)
    assert "the first individual notice is recorded on 2026-11-27" in later


# --- state rules: worked cases, computed by hand from each statute ------------------------


def test_california_from_2026_gives_residents_thirty_days_sb_446():
    # Cal. Civ. Code 1798.82(a) as amended by SB 446 (in force 2026-01-01): 30 calendar days
    # after discovery: 2026-02-02 + 30 = 2026-03-04. The AG sample copy (1798.82(f)): more than
    # 500 California residents, within 15 days of the residents' notice: 03-04 + 15 = 03-19.
    plan = plan_for(date(2026, 2, 2), 501, {"CA": 501})
    residents = plan.obligation("state:CA")
    assert residents.due == date(2026, 3, 4)
    assert residents.hipaa_status == "applies" and "SB 446" in residents.explanation
    assert residents.citation == "Cal. Civ. Code 1798.82"
    assert due(plan, "regulator:CA") == date(2026, 3, 19)
    assert plan.earliest_due == date(2026, 3, 4)  # the 30-day clock comes before HIPAA's 60
    assert plan_for(date(2026, 2, 2), 500, {"CA": 500}).obligation("regulator:CA") is None


def test_california_before_sb_446_has_no_fixed_day():
    # Cal. Civ. Code 1798.82(a) before SB 446: "most expedient time possible", no fixed day; the
    # AG's sample copy above 500 had no fixed day either.
    plan = plan_for(date(2025, 6, 1), 501, {"CA": 501})
    assert due(plan, "state:CA") is None and due(plan, "regulator:CA") is None
    assert rule_in_force("CA", date(2025, 12, 31)).residents.days is None
    assert rule_in_force("CA", date(2026, 1, 1)).residents.days == 30


@pytest.mark.parametrize(("code", "statute"), [
    ("TN", "Tenn. Code Ann. 47-18-2107"), ("OH", "Ohio Rev. Code 1349.19"),
    ("NM", "N.M. Stat. 57-12C-6, 57-12C-10"), ("AZ", "A.R.S. 18-552"),
])
def test_states_exempting_a_hipaa_covered_entity_have_no_dated_residents_obligation(code, statute):
    # TN 47-18-2107, OH 1349.19, NM 57-12C-8 and AZ 18-552 exempt a HIPAA covered entity: the
    # rows stay, marked exempt, with no date, and never drive the earliest date.
    plan = plan_for(date(2026, 3, 10), 1001, {code: 1001})
    residents = plan.obligation(f"state:{code}")
    assert (residents.due, residents.internal_target) == (None, None)
    assert residents.hipaa_status == "exempt" and residents.citation == statute
    assert "exempt" in residents.explanation
    for o in plan.obligations:
        if o.id.startswith(("regulator:", "cra:")):
            assert (o.due, o.hipaa_status) == (None, "exempt")
    assert plan.earliest_due == date(2026, 5, 9)  # the HIPAA individual notice


def test_arizona_regulators_include_the_department_of_homeland_security():
    # A.R.S. 18-552(B), amended 2022: the AG and the Arizona Department of Homeland Security, and
    # the consumer reporting agencies, for more than 1,000 residents.
    plan = plan_for(date(2026, 3, 10), 1001, {"AZ": 1001})
    assert "Arizona Department of Homeland Security" in plan.obligation("regulator:AZ").who
    assert plan.obligation("cra:AZ") is not None


def test_alabama_exempts_the_residents_notice_but_not_the_attorney_general():
    # Ala. Code 8-38-5 (residents) exempt for a HIPAA entity; 8-38-6: AG for more than 1,000
    # residents within 45 days of the determination: 2026-03-20 + 45 = 2026-05-04.
    plan = plan_for(date(2026, 3, 10), 1001, {"AL": 1001}, determined={"AL": date(2026, 3, 20)})
    assert due(plan, "state:AL") is None
    assert plan.obligation("state:AL").hipaa_status == "exempt"
    regulator = plan.obligation("regulator:AL")
    assert (regulator.due, regulator.hipaa_status) == (date(2026, 5, 4), "applies")
    assert plan_for(date(2026, 3, 10), 1000, {"AL": 1000}).obligation("regulator:AL") is None


def test_washington_residents_are_deemed_notified_and_the_ag_and_agencies_are_separate():
    # RCW 19.255.010: a HITECH-compliant covered entity is deemed compliant (due with the HIPAA
    # notice, 2026-05-09); the AG above 500 within 30 days of discovery (2026-04-09); the
    # consumer reporting agencies above 1,000 (no fixed day).
    plan = plan_for(date(2026, 3, 10), 1001, {"WA": 1001})
    residents = plan.obligation("state:WA")
    assert (residents.due, residents.hipaa_status) == (date(2026, 5, 9), "deemed_compliant")
    assert "HITECH" in residents.explanation
    assert due(plan, "regulator:WA") == date(2026, 4, 9)
    assert due(plan, "cra:WA") is None
    assert plan_for(date(2026, 3, 10), 1000, {"WA": 1000}).obligation("cra:WA") is None


def test_florida_residents_are_deemed_notified_with_a_copy_to_the_department():
    # Fla. Stat. 501.171(4)(g): deemed compliant if a copy of the HIPAA notice goes to the
    # Department of Legal Affairs; 501.171(3): the Department for 500 or more within 30 days of
    # the determination: 2026-03-10 + 30 = 2026-04-09.
    plan = plan_for(date(2026, 3, 10), 500, {"FL": 500})
    residents = plan.obligation("state:FL")
    assert (residents.due, residents.hipaa_status) == (date(2026, 5, 9), "deemed_compliant")
    assert "copy" in residents.explanation and "Department of Legal Affairs" in residents.explanation
    assert due(plan, "regulator:FL") == date(2026, 4, 9)


@pytest.mark.parametrize(("count", "notified"), [(1000, False), (1001, True)])
def test_colorado_consumer_reporting_agencies_above_one_thousand(count, notified):
    # C.R.S. 6-1-716(2)(d): more than 1,000 Colorado residents; no fixed day.
    plan = plan_for(date(2026, 3, 10), count, {"CO": count})
    assert (plan.obligation("cra:CO") is not None) is notified


def test_connecticut_is_deemed_compliant_and_the_ag_hears_with_the_residents():
    # Conn. Gen. Stat. 36a-701b(b): 60 days after discovery; (g): a HITECH-compliant notice is
    # deemed compliant, so due with the HIPAA notice (2026-05-09); the AG no later than that.
    plan = plan_for(date(2026, 3, 10), 3, {"CT": 3})
    assert due(plan, "state:CT") == date(2026, 5, 9)
    assert due(plan, "regulator:CT") == date(2026, 5, 9)


def test_delaware_is_deemed_compliant_under_the_federal_regulators_procedures():
    # 6 Del. C. 12B-102: 60 days after determination, deemed compliant under the federal
    # regulator's procedures: due with the HIPAA notice; the AG above 500 with the residents.
    plan = plan_for(date(2026, 3, 10), 501, {"DE": 501})
    assert plan.obligation("state:DE").hipaa_status == "deemed_compliant"
    assert due(plan, "state:DE") == date(2026, 5, 9) == due(plan, "regulator:DE")


def test_maine_counts_thirty_days_from_the_determination_and_the_ag_hears_with_the_residents():
    # 10 M.R.S. 1348(1): 30 days after becoming aware and identifying the scope (taken as the
    # determination): 2026-03-15 + 30 = 2026-04-14; 1348(5): the AG with the residents.
    plan = plan_for(date(2026, 3, 10), 3, {"ME": 3}, determined={"ME": date(2026, 3, 15)})
    assert due(plan, "state:ME") == date(2026, 4, 14) == due(plan, "regulator:ME")


@pytest.mark.parametrize(("count", "notified"), [(250, False), (251, True)])
def test_oregon_residents_have_forty_five_days_and_the_ag_above_two_hundred_fifty(count, notified):
    # ORS 646A.604(3): 45 days after discovery: 2026-03-10 + 45 = 2026-04-24; (1)(b): the AG
    # above 250 residents, no fixed day.
    plan = plan_for(date(2026, 3, 10), count, {"OR": count})
    assert due(plan, "state:OR") == date(2026, 4, 24)
    regulator = plan.obligation("regulator:OR")
    assert (regulator is not None) is notified
    if regulator:
        assert regulator.due is None


def test_indiana_gives_forty_five_days_and_tells_the_ag_with_the_residents():
    # IC 24-4.9-3-3 (as amended in 2022): not more than 45 days after discovery: 2026-03-10 + 45
    # = 2026-04-24; the AG whenever residents are notified; the agencies above 1,000.
    plan = plan_for(date(2026, 3, 10), 1001, {"IN": 1001})
    assert due(plan, "state:IN") == date(2026, 4, 24)
    assert due(plan, "regulator:IN") == date(2026, 4, 24)
    assert plan.obligation("cra:IN") is not None
    assert plan_for(date(2026, 3, 10), 1000, {"IN": 1000}).obligation("cra:IN") is None
    # Before the 2022 amendment's 45 days, riskreg has no Indiana rule.
    old = plan_for(date(2022, 6, 30), 3, {"IN": 3})
    assert old.obligation("state:IN") is None
    assert any("no rule on file for Indiana in force on 2022-06-30" in w for w in old.warnings)


def test_oklahoma_from_2026_tells_the_ag_within_sixty_days_after_the_residents_sb_626():
    # 24 O.S. 161-166 as amended by SB 626 (discoveries from 2026-01-01): a HIPAA notice is deemed
    # compliant (with the AG notice), so the residents' notice is due with it, 2026-05-09; the AG
    # for 500 or more within 60 days after the residents' notice: 05-09 + 60 = 2026-07-08.
    plan = plan_for(date(2026, 3, 10), 500, {"OK": 500})
    assert due(plan, "state:OK") == date(2026, 5, 9)
    regulator = plan.obligation("regulator:OK")
    assert regulator.due == date(2026, 7, 8) and "60 days after the residents" in regulator.explanation
    assert plan_for(date(2026, 3, 10), 499, {"OK": 499}).obligation("regulator:OK") is None
    assert plan_for(date(2025, 12, 31), 3, {"OK": 3}).obligation("state:OK") is None


def test_pennsylvania_after_act_33_has_no_fixed_day_and_thresholds_at_five_hundred():
    # 73 P.S. 2303 as amended by Act 33 of 2024 (from 2024-09-26): without unreasonable delay;
    # the AG concurrently for more than 500 residents; the agencies for 500 or more.
    plan = plan_for(date(2026, 3, 10), 501, {"PA": 501})
    assert due(plan, "state:PA") is None and due(plan, "regulator:PA") is None
    assert plan.obligation("cra:PA") is not None
    at_500 = plan_for(date(2026, 3, 10), 500, {"PA": 500})
    assert at_500.obligation("regulator:PA") is None and at_500.obligation("cra:PA") is not None
    # Health insurance information is personal information in Pennsylvania; a diagnosis alone
    # (held by a private practice) is not.
    assert plan_for(date(2026, 3, 10), 3, {"PA": 3}, information=("insurance",)).obligation(
        "state:PA") is not None
    assert plan_for(date(2026, 3, 10), 3, {"PA": 3}, information=("diagnosis",)).obligation(
        "state:PA") is None


def test_utah_tells_the_ag_and_the_cyber_center_at_five_hundred_sb_98():
    # Utah Code 13-44-202 as amended by SB 98 (from 2024-05-01): the AG and the Utah Cyber
    # Center for 500 or more residents, no fixed day.
    plan = plan_for(date(2026, 3, 10), 500, {"UT": 500})
    regulator = plan.obligation("regulator:UT")
    assert "Utah Cyber Center" in regulator.who and regulator.due is None
    assert plan_for(date(2026, 3, 10), 499, {"UT": 499}).obligation("regulator:UT") is None


@pytest.mark.parametrize(("code", "statute"), [("MA", "M.G.L. c. 93H, 3"),
                                               ("NJ", "N.J.S.A. 56:8-163")])
def test_massachusetts_and_new_jersey_are_not_triggered_by_medical_information(code, statute):
    # M.G.L. c. 93H, 1 and N.J.S.A. 56:8-161: personal information is a Social Security number,
    # driver's licence or account number (NJ also credentials), not medical information.
    plan = plan_for(date(2026, 3, 10), 3, {code: 3}, information=("name", "diagnosis"))
    assert plan.obligation(f"state:{code}") is None
    assert plan.obligation(f"regulator:{code}") is None
    assert any(w.startswith(f"{state_name(code)} ({statute}): none of the types") for w in
               plan.warnings)
    with_ssn = plan_for(date(2026, 3, 10), 3, {code: 3}, information=("diagnosis", "ssn"))
    assert with_ssn.obligation(f"state:{code}") is not None


def test_unknown_types_of_information_keep_the_row_and_say_what_would_trigger_it():
    # N.J.S.A. 56:8-161: with no types recorded, the row stands, with the elements named.
    plan = plan_for(date(2026, 3, 10), 3, {"NJ": 3})
    text = plan.obligation("state:NJ").explanation
    assert "Applies only if the breach involved" in text and "Social Security number" in text
    other = plan_for(date(2026, 3, 10), 3, {"NJ": 3}, information=("other",))
    assert other.obligation("state:NJ") is not None  # "other" could be anything


def test_a_state_date_inside_a_federal_hold_is_warned_on_its_row_with_the_state_provision():
    # C.R.S. 6-1-716(2): 30 days after determination, 2026-04-09; a written 164.412 hold from
    # 03-20 for 60 days does not move it, and the row says Colorado's own delay provision.
    plan = plan_for(date(2026, 3, 10), 20, {"CO": 20},
                    holds=(Hold("written", date(2026, 3, 20), 60),))
    state = plan.obligation("state:CO")
    assert state.due == date(2026, 4, 9)
    assert "Inside the federal law-enforcement hold" in state.explanation
    warning = next(w for w in plan.warnings if w.startswith(state.name + ": due 2026-04-09"))
    assert "does not move" in warning and "law enforcement agency determines" in warning
    free = plan_for(date(2026, 3, 10), 20, {"CO": 20})
    assert not any("falls inside the federal" in w for w in free.warnings)


def test_every_state_rule_has_a_source_and_review_date_and_the_plan_says_as_of_when():
    for entry in state_rules().values():
        for rule in entry.rules:
            assert rule.source and rule.statute and rule.reviewed_on == date(2026, 12, 7)
    assert plan_for(date(2026, 3, 10), 3).state_rules_as_of == date(2026, 12, 7)
