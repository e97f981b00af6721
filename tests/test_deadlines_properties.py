"""Properties of the deadline engine that must hold for any facts (Hypothesis)."""

import calendar
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from riskreg.domain.breach_facts import PART2_COMPLIANCE_DATE
from riskreg.domain.deadlines import BreachFacts, compute_plan, hhs_track
from riskreg.domain.holds import ORAL_HOLD_DAYS, Hold, hold_windows, oral_only_days
from riskreg.domain.incident_steps import PHI_TYPES
from riskreg.domain.state_rules import (
    duty_id,
    jurisdictions,
    rule_in_force,
    state_rules,
    triggered,
)

TODAY = date(2026, 6, 1)
CODES = sorted(jurisdictions())
# States with rules on file come up more often: they are where the state layer does something.
RULED = sorted(state_rules())
STATE_ROWS = ("state:", "regulator:", "cra:")
discovery_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31))
ANY_AFFECTED = st.integers(min_value=1, max_value=3000)


@st.composite
def facts_without_holds(draw, affected=ANY_AFFECTED):
    total = draw(affected)
    codes = draw(st.lists(st.sampled_from(CODES) | st.sampled_from(RULED), max_size=5,
                          unique=True))
    residents = {}
    left = total
    for code in codes:
        residents[code] = draw(st.integers(min_value=0, max_value=left))
        left -= residents[code]
    ba = draw(st.none() | st.integers(min_value=-90, max_value=30))
    discovered = draw(discovery_dates)
    part2_affected = draw(st.just(0) | st.integers(min_value=0, max_value=total))
    start = min(discovered, discovered + timedelta(days=ba)) if ba is not None else discovered
    ba_is_agent = draw(st.booleans())
    if not ba_is_agent:
        start = discovered
    later = st.lists(st.sampled_from(codes), unique=True) if codes else st.just([])
    determined = {
        code: start + timedelta(days=draw(st.integers(min_value=0, max_value=120)))
        for code in draw(later)
    }
    return BreachFacts(
        discovered=discovered,
        affected=total,
        residents=residents,
        insufficient_contact=draw(st.integers(min_value=0, max_value=total)),
        deceased_with_kin=draw(st.integers(min_value=0, max_value=total)),
        part2=draw(st.booleans()),
        part2_affected=part2_affected,
        ba_discovered=None if ba is None else discovered + timedelta(days=ba),
        ba_is_agent=ba_is_agent,
        determined=determined,
        information=tuple(draw(st.lists(st.sampled_from(sorted(PHI_TYPES)), unique=True))),
    )


@st.composite
def holds_after(draw, start):
    kinds = draw(st.lists(st.sampled_from(["oral", "written"]), min_size=1, max_size=3))
    holds = []
    for kind in kinds:
        on = start + timedelta(days=draw(st.integers(min_value=0, max_value=400)))
        days = draw(st.integers(min_value=1, max_value=200)) if kind == "written" else None
        holds.append(Hold(kind, on, days))
    return tuple(holds)


def with_holds(facts, holds):
    return BreachFacts(
        discovered=facts.discovered,
        affected=facts.affected,
        residents=facts.residents,
        insufficient_contact=facts.insufficient_contact,
        deceased_with_kin=facts.deceased_with_kin,
        part2=facts.part2,
        part2_affected=facts.part2_affected if facts.part2_count_given else 0,
        holds=holds,
        ba_discovered=facts.ba_discovered,
        ba_is_agent=facts.ba_is_agent,
        determined=facts.determined,
        information=facts.information,
    )


@given(facts_without_holds(), st.data())
def test_no_date_in_a_plan_is_before_discovery(facts, data):
    facts = with_holds(facts, data.draw(st.just(()) | holds_after(facts.effective_discovered)))
    plan = compute_plan(facts, TODAY)
    for o in plan.obligations:
        for day in (o.due, o.tolling_due, o.internal_target):
            assert day is None or day >= plan.discovered, o


@given(facts_without_holds())
def test_individuals_are_never_due_later_than_discovery_plus_sixty_days_without_a_hold(facts):
    plan = compute_plan(facts, TODAY)
    assert plan.obligation("individuals").due == facts.effective_discovered + timedelta(days=60)


@given(facts_without_holds(), st.data())
def test_a_hold_never_makes_any_due_date_earlier(facts, data):
    held = with_holds(facts, data.draw(holds_after(facts.effective_discovered)))
    before = {o.id: o.due for o in compute_plan(facts, TODAY).obligations}
    after = {o.id: o.due for o in compute_plan(held, TODAY).obligations}
    assert before.keys() == after.keys()
    for obligation_id, due in before.items():
        if due is not None:
            assert after[obligation_id] >= due, obligation_id


@given(facts_without_holds(affected=st.integers(min_value=1, max_value=499)))
def test_the_annual_log_is_always_february_29_or_march_1_of_the_next_year(facts):
    hhs = compute_plan(facts, TODAY).obligation("hhs")
    year = facts.effective_discovered.year + 1
    assert hhs.track == "annual_log"
    expected = date(year, 2, 29) if calendar.isleap(year) else date(year, 3, 1)
    assert hhs.due == expected


@given(facts_without_holds())
def test_media_ids_are_exactly_the_states_with_more_than_five_hundred_residents(facts):
    plan = compute_plan(facts, TODAY)
    media = {o.id for o in plan.obligations if o.id.startswith("media:")}
    assert media == {f"media:{code}" for code, n in facts.residents.items() if n > 500}


@given(discovery_dates, st.integers(min_value=1, max_value=5000))
def test_the_hhs_track_flips_exactly_between_499_and_500(discovered, affected):
    hhs = compute_plan(BreachFacts(discovered, affected), TODAY).obligation("hhs")
    assert hhs.track == ("with_individual_notice" if affected >= 500 else "annual_log")


@given(discovery_dates)
def test_the_hhs_track_at_499_and_500_is_log_then_immediate(discovered):
    tracks = [
        compute_plan(BreachFacts(discovered, n), TODAY).obligation("hhs").track for n in (499, 500)
    ]
    assert tracks == ["annual_log", "with_individual_notice"]


@given(facts_without_holds(), st.data())
def test_the_part2_report_never_counts_more_people_than_had_part2_records(facts, data):
    facts = with_holds(facts, data.draw(st.just(()) | holds_after(facts.effective_discovered)))
    plan = compute_plan(facts, TODAY)
    part2 = plan.obligation("hhs_part2")
    owed = facts.part2_affected > 0 and facts.effective_discovered >= PART2_COMPLIANCE_DATE
    assert (part2 is not None) is owed
    if part2 is None:
        return
    assert facts.part2_affected <= facts.affected
    assert part2.track == hhs_track(facts.part2_affected)
    # Fewer people can only put the Part 2 report on the same or the later track.
    assert part2.due >= plan.obligation("hhs").due


@given(facts_without_holds(), st.data())
def test_a_posting_and_number_run_ninety_days_from_the_substitute_notices_due_date(facts, data):
    facts = with_holds(facts, data.draw(st.just(()) | holds_after(facts.effective_discovered)))
    substitute = compute_plan(facts, TODAY).obligation("substitute_notice")
    if facts.insufficient_contact == 0:
        assert substitute is None
    elif facts.insufficient_contact < 10:
        assert substitute.keep_until is None
    else:
        assert substitute.keep_until == substitute.due + timedelta(days=90)


@given(facts_without_holds(), st.data())
def test_a_chain_warning_appears_exactly_when_oral_statements_alone_hold_over_thirty_days(
    facts, data
):
    facts = with_holds(facts, data.draw(holds_after(facts.effective_discovered)))
    plan = compute_plan(facts, TODAY)
    windows = hold_windows(facts.holds)
    held = oral_only_days(windows, plan.obligation("individuals").due)
    warned = [w for w in plan.warnings if "without a written statement covering them" in w]
    assert len(warned) == (1 if held > ORAL_HOLD_DAYS else 0)
    if len([h for h in facts.holds if h.kind == "oral"]) <= 1:
        assert held <= ORAL_HOLD_DAYS


@given(facts_without_holds(), st.data())
def test_exempt_state_rows_never_carry_a_due_date(facts, data):
    facts = with_holds(facts, data.draw(st.just(()) | holds_after(facts.effective_discovered)))
    for o in compute_plan(facts, TODAY).obligations:
        if o.hipaa_status == "exempt":
            assert (o.due, o.original_due, o.tolling_due, o.internal_target) == (
                None, None, None, None), o


def _own_clock(obligation_id, start):
    """Whether a state row counts its own days from discovery or determination (not from the
    HIPAA or HHS notice, which a federal hold does move)."""
    head, _, rest = obligation_id.partition(":")
    code = rest.split(":")[0]
    rule = rule_in_force(code, start)
    if head == "state":
        return rule.hipaa_status in ("applies", "unknown")
    duty = next(d for d in rule.duties if duty_id(code, d) == obligation_id)
    return rule.duty_status(duty) in ("applies", "unknown") and duty.deadline.kind in (
        "days", "business_days")


@given(facts_without_holds(), st.data())
def test_a_hold_never_moves_a_state_date_earlier_and_never_moves_a_state_clock(facts, data):
    held = with_holds(facts, data.draw(holds_after(facts.effective_discovered)))
    rows = STATE_ROWS
    before = {o.id: o for o in compute_plan(facts, TODAY).obligations if o.id.startswith(rows)}
    after = {o.id: o for o in compute_plan(held, TODAY).obligations if o.id.startswith(rows)}
    assert before.keys() == after.keys()
    for obligation_id, o in before.items():
        moved = after[obligation_id].due
        if o.due is None:
            assert moved is None, obligation_id
            continue
        assert moved >= o.due, obligation_id
        if _own_clock(obligation_id, facts.effective_discovered):
            assert moved == o.due, obligation_id


@given(facts_without_holds(), st.data())
def test_the_earliest_due_date_is_never_later_than_any_row(facts, data):
    facts = with_holds(facts, data.draw(st.just(()) | holds_after(facts.effective_discovered)))
    plan = compute_plan(facts, TODAY)
    dated = [o.due for o in plan.obligations if o.due is not None]
    assert plan.earliest_due is not None  # the individual notice always has a date
    assert all(plan.earliest_due <= day for day in dated)
    assert plan.earliest_due in dated


@given(facts_without_holds())
def test_a_state_row_is_listed_only_when_its_law_can_apply_to_the_information(facts):
    start = facts.effective_discovered
    for o in compute_plan(facts, TODAY).obligations:
        if not o.id.startswith(STATE_ROWS):
            continue
        code = o.id.split(":")[1]
        rule = rule_in_force(code, start)
        assert rule is not None and facts.residents[code] > 0, o.id
        if not triggered(rule, facts.information):
            # Only a notice that follows the HHS notice stands (N.Y. Gen. Bus. Law 899-aa(9)).
            assert "notifying HHS" in o.explanation, o.id
