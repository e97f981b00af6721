"""The state-rules table (data/state_rules.json): its loader refuses a malformed table, naming
the state and the field, and picks the rule in force on the discovery date."""

import copy
import re
from datetime import date

import pytest

from riskreg.datafiles import load_json
from riskreg.domain.obligations import Obligation
from riskreg.domain.state_rules import (
    StateInputs,
    parse_table,
    rule_in_force,
    state_obligations,
    state_rules,
    state_rules_as_of,
)

RULE = {
    "effective_from": None, "effective_to": None, "statute": "Test Code 1", "triggers": [],
    "hipaa_status": "applies", "hipaa_condition": "Applies.",
    "residents": {"days": None, "counted_from": "discovery", "wording": "without delay"},
    "duties": [{"kind": "regulator", "id": None, "who": "Test Attorney General",
                "threshold": None, "deadline": {"kind": "days_after_residents", "days": 15}}],
    "law_enforcement_delay": "On request.", "source": "Test Code 1", "confidence": "high",
    "reviewed_on": "2026-12-07", "verify": "",
}


def table(*rules, code="CO"):
    return {"reviewed_on": "2026-12-07", "jurisdictions": ["CO", "NY"],
            "states": {code: {"name": "Colorado", "rules": [copy.deepcopy(r) for r in rules]}}}


def changed(**fields):
    rule = copy.deepcopy(RULE)
    rule.update(fields)
    return rule


def test_the_shipped_table_loads_and_is_dated():
    assert state_rules_as_of() == date(2026, 12, 7)
    raw = load_json("state_rules.json")
    assert set(raw) == {"_about", "reviewed_on", "jurisdictions", "states"}
    assert len(raw["jurisdictions"]) == 56
    assert {"CA", "NY", "IN", "OK", "PA", "UT"} <= set(state_rules())


@pytest.mark.parametrize(("rule", "field"), [
    (changed(hipaa_status="exempted"), "hipaa_status"),
    (changed(triggers=["medical", "genetic"]), "triggers"),
    (changed(confidence="high (days)"), "confidence"),
    (changed(reviewed_on=None), "reviewed_on"),
    (changed(effective_from="2026-02-30"), "effective_from"),
    (changed(residents={"days": "30", "counted_from": "discovery", "wording": "x"}),
     "residents.days"),
    (changed(residents={"days": 30, "counted_from": "awareness", "wording": "x"}),
     "residents.counted_from"),
    (changed(source=""), "source"),
    (changed(duties=[{**RULE["duties"][0], "id": "first"}]), "duties[0].id"),
    (changed(duties=[RULE["duties"][0], RULE["duties"][0]]), "duties[1].id"),
    (changed(duties=[{**RULE["duties"][0], "deadline": {"kind": "days", "days": 30}}]),
     "duties[0].deadline.counted_from"),
    (changed(duties=[{**RULE["duties"][0], "deadline": {"kind": "none", "days": 30}}]),
     "duties[0].deadline.days"),
    (changed(duties=[{**RULE["duties"][0], "deadline": {"kind": "days_after_residents"}}]),
     "duties[0].deadline.days"),
    (changed(duties=[{**RULE["duties"][0], "threshold": {"op": "=", "count": 5}}]),
     "duties[0].threshold.op"),
    (changed(duties=[{**RULE["duties"][0], "kind": "media"}]), "duties[0].kind"),
    (changed(duties=[{**RULE["duties"][0], "hipaa_status": "maybe"}]), "duties[0].hipaa_status"),
    ({k: v for k, v in RULE.items() if k != "law_enforcement_delay"}, "rule"),
    (changed(notes="typo"), "rule"),
])
def test_a_malformed_rule_is_refused_naming_the_state_and_the_field(rule, field):
    with pytest.raises(ValueError, match=rf"CO rule 1: {re.escape(field)}: "):
        parse_table(table(rule))


def test_two_rules_in_force_on_one_date_are_refused():
    old = changed(effective_to="2026-01-01")
    new = changed(effective_from="2026-01-01")
    with pytest.raises(ValueError, match="CO: rules 1 and 2: two rules are in force on one date"):
        parse_table(table(old, new))
    with pytest.raises(ValueError, match="two rules are in force"):
        parse_table(table(changed(), changed(effective_from="2026-01-01")))
    parse_table(table(changed(effective_to="2025-12-31"), new))  # back to back is fine


def test_a_state_outside_the_jurisdictions_or_a_table_without_review_date_is_refused():
    with pytest.raises(ValueError, match="'XX' is not one of the jurisdictions"):
        parse_table(table(RULE, code="XX"))
    raw = table(RULE)
    del raw["reviewed_on"]
    with pytest.raises(ValueError, match="table: table: missing field"):
        parse_table(raw)


def test_the_rule_in_force_is_the_one_whose_dates_cover_the_discovery():
    assert rule_in_force("CA", date(2025, 12, 31)).effective_to == date(2025, 12, 31)
    assert rule_in_force("CA", date(2026, 1, 1)).amended_by == "SB 446 (2025)"
    assert rule_in_force("OK", date(2025, 12, 31)) is None
    assert rule_in_force("ZZ", date(2026, 1, 1)) is None


def _inputs(count=3):
    day = date(2026, 3, 10)
    individuals = Obligation("individuals", "each", date(2026, 5, 9), "45 CFR 164.404(b)", "x",
                             original_due=date(2026, 5, 9))
    hhs = Obligation("hhs", "HHS", date(2027, 3, 1), "45 CFR 164.408(c)", "x")
    return StateInputs(count, day, day, individuals, hhs, 15)


def test_days_after_the_residents_notice_give_no_date_when_the_residents_have_none():
    _, _, states = parse_table(table(RULE))
    rows = state_obligations(states["CO"].rules[0], _inputs())
    assert [o.id for o in rows] == ["state:CO", "regulator:CO"]
    assert rows[1].due is None and "no fixed day" in rows[1].explanation
    dated = changed(residents={"days": 30, "counted_from": "discovery", "wording": "in 30 days"})
    _, _, states = parse_table(table(dated))
    rows = state_obligations(states["CO"].rules[0], _inputs())
    assert rows[0].due == date(2026, 4, 9) and rows[1].due == date(2026, 4, 24)


def test_second_duties_of_a_kind_get_their_own_ids():
    duties = [RULE["duties"][0],
              {**RULE["duties"][0], "id": "after_hhs",
               "deadline": {"kind": "business_days_after_hhs", "days": 5}},
              {"kind": "credit_agencies", "id": None, "who": "CRAs", "threshold": None,
               "deadline": {"kind": "none"}}]
    _, _, states = parse_table(table(changed(duties=duties)))
    rows = state_obligations(states["CO"].rules[0], _inputs())
    assert [o.id for o in rows] == ["state:CO", "regulator:CO", "regulator:CO:after_hhs",
                                    "cra:CO"]
    assert rows[2].due == date(2027, 3, 8)  # 2027-03-01 (Monday) + 5 business days

