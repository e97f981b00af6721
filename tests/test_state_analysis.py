"""domain/state_analysis: the state rows of a plan on their own (issue 19: state duties do not
depend on HIPAA's determination)."""

from datetime import date

from riskreg.domain.deadlines import BreachFacts, compute_plan
from riskreg.domain.state_analysis import earliest_state_row, is_federal, state_only


def test_federal_and_state_obligations_are_told_apart():
    for federal in ("individuals", "substitute_notice", "hhs", "hhs_part2", "media:FL"):
        assert is_federal(federal), federal
    for state in ("state:CO", "regulator:CO", "regulator:NY:after_hhs", "media:NY:state"):
        assert not is_federal(state), state


def test_the_state_only_plan_keeps_the_state_rows_and_their_warnings_only():
    # 600 affected: HHS with the individual notice, media for CO (more than 500, 164.406).
    facts = BreachFacts(discovered=date(2026, 3, 10), affected=600, residents={"CO": 600},
                        insufficient_contact=12, part2=True)
    full = compute_plan(facts, date(2026, 3, 12))
    assert {"individuals", "substitute_notice", "media:CO", "hhs", "hhs_part2"} <= {
        o.id for o in full.obligations}
    plan = state_only(full, "Not a breach: an exception applies")
    ids = [o.id for o in plan.obligations]
    assert ids and all(i.split(":")[0] in ("state", "regulator") for i in ids)
    assert plan.warnings[0].startswith("HIPAA requires no notice on your determination (Not a "
                                       "breach: an exception applies)")
    names = {o.name for o in full.obligations if o.id not in ids}
    assert not any(w.startswith(tuple(f"{n}: " for n in names)) for w in plan.warnings)
    assert (plan.discovered, plan.affected) == (full.discovered, full.affected)
    assert earliest_state_row(plan).due == plan.earliest_due == date(2026, 4, 9)  # CO: 30 days


def test_without_state_rows_the_plan_says_so():
    facts = BreachFacts(discovered=date(2026, 3, 10), affected=2)
    plan = state_only(compute_plan(facts, date(2026, 3, 12)), "Not a breach: secured PHI")
    assert plan.obligations == () and plan.earliest_due is None
    assert "no row for the residents recorded" in plan.warnings[0]
    assert earliest_state_row(plan) is None
