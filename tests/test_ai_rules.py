"""The AI rules (data/ai_rules.json, domain/ai_rules.py), each with a worked example: a
practice, tool or consent that triggers it, one that does not, and the same facts the day before
the rule took effect."""

from datetime import date, timedelta

import pytest

from riskreg.domain.ai_rules import AiRulesError, ai_rules, consent_flags, parse_rules, tool_flags

TODAY = date(2026, 12, 7)

# A tool that answers every question the rules ask in the way no rule minds.
CLEAN = {"ai_use": "administrative", "records_sessions": False, "detects_emotions": False,
         "clinical_decisions": False, "clinician_reviews_output": True,
         "check_no_sale_or_sharing": True}


def _rule(rule_id):
    return next(r for r in ai_rules().rules if r.id == rule_id)


def _tool_ids(tool, today=TODAY, **kw):
    return [f.rule_id for f in tool_flags({**CLEAN, **tool}, today, **kw)]


def _consent_ids(consent, tool=None, today=TODAY, **kw):
    base = {"decision": "consented", "consent_method": "written", "purpose_disclosed": "notes",
            "sessions_recorded": None, "revoked_on": None, "client_state": ""}
    return [f.rule_id for f in consent_flags({**base, **consent}, tool, today, **kw)]


# (rule id, home state, the tool's answers that trigger it, answers that do not, extra args)
TOOL_CASES = [
    ("il-therapeutic-use", "IL", {"ai_use": "therapeutic"}, {"ai_use": "supplementary"}, {}),
    ("il-emotion-detection", "IL", {"detects_emotions": True}, {"detects_emotions": None}, {}),
    ("il-unreviewed-recommendations", "IL",
     {"clinical_decisions": True, "clinician_reviews_output": None},
     {"clinical_decisions": True, "clinician_reviews_output": True}, {}),
    ("il-full-responsibility", "IL", {"ai_use": "supplementary", "clinician_reviews_output": False},
     {"ai_use": "supplementary", "clinician_reviews_output": True}, {}),
    ("nv-direct-care", "NV", {"ai_use": "therapeutic"}, {"ai_use": "administrative"}, {}),
    ("nv-independent-review", "NV", {"clinician_reviews_output": None},
     {"clinician_reviews_output": True}, {}),
    ("nv-clinical-decisions", "NV", {"clinical_decisions": True}, {"clinical_decisions": False}, {}),
    ("tx-sb1188-review", "TX", {"clinical_decisions": True, "clinician_reviews_output": False},
     {"clinical_decisions": True, "clinician_reviews_output": True}, {}),
    ("tx-traiga-disclosure", "TX", {"ai_use": "supplementary"}, {"ai_use": "supplementary"},
     {"disclosures": 1}),
    ("ut-chatbot", "UT", {"ai_use": "therapeutic", "check_no_sale_or_sharing": None},
     {"ai_use": "therapeutic", "check_no_sale_or_sharing": True}, {}),
    ("ca-ab3030", "CA", {"ai_use": "therapeutic", "clinician_reviews_output": None},
     {"ai_use": "therapeutic", "clinician_reviews_output": True}, {}),
    ("ca-ab489", "CA", {"ai_use": "therapeutic"}, {"ai_use": "supplementary"}, {}),
]


@pytest.mark.parametrize(("rule_id", "state", "triggers", "clear", "extra"), TOOL_CASES,
                         ids=[c[0] for c in TOOL_CASES])
def test_each_tool_rule_flags_its_case_only_in_its_state_and_from_its_date(
        rule_id, state, triggers, clear, extra):
    rule = _rule(rule_id)
    assert rule.state == state
    assert rule_id in _tool_ids(triggers, home_state=state)
    # The answers it allows, in its state: no flag from this rule.
    assert rule_id not in _tool_ids(clear, home_state=state, **extra)
    # Another state's practice is not flagged by it...
    assert rule_id not in _tool_ids(triggers, home_state="WA")
    # ...unless a client on the tool's consent log is in the rule's state.
    assert rule_id in _tool_ids(triggers, home_state="WA", client_states=[state])
    # The day before it took effect, nothing; on the day itself, the flag.
    before = rule.effective_from - timedelta(days=1)
    assert rule_id not in _tool_ids(triggers, today=before, home_state=state)
    assert rule_id in _tool_ids(triggers, today=rule.effective_from, home_state=state)


def test_an_illinois_practice_with_an_emotion_detecting_scribe_is_told_it_is_forbidden():
    flags = tool_flags({**CLEAN, "ai_use": "supplementary", "detects_emotions": True}, TODAY,
                       home_state="IL")
    assert [f.words for f in flags] == [
        "Illinois (225 ILCS 155/20(b)(4)) forbids: AI may not detect emotions or mental states "
        "(verify with counsel)"]


def test_section_1557_applies_only_when_the_practice_receives_federal_financial_assistance():
    rule = _rule("us-1557-decision-support")
    assert (rule.citation, rule.effective_from) == ("45 CFR 92.210(b)-(c)", date(2025, 5, 1))
    tool = {"clinical_decisions": True}
    assert "us-1557-decision-support" in _tool_ids(tool, settings={"federal_assistance": True})
    assert "us-1557-decision-support" not in _tool_ids(tool, settings={"federal_assistance": False})
    assert "us-1557-decision-support" not in _tool_ids(
        {"clinical_decisions": False}, settings={"federal_assistance": True})
    assert "us-1557-decision-support" not in _tool_ids(
        tool, today=date(2025, 4, 30), settings={"federal_assistance": True})


def test_illinois_written_consent_where_sessions_are_transcribed():
    transcribed = {"sessions_recorded": True}
    assert "il-written-consent" in _consent_ids({**transcribed, "consent_method": "verbal"},
                                                home_state="IL")
    assert "il-written-consent" not in _consent_ids({**transcribed, "consent_method": "electronic"},
                                                    home_state="IL")
    # A consent that does not say takes its tool's answer.
    assert "il-written-consent" in _consent_ids(
        {"consent_method": "not_recorded"}, tool={"records_sessions": True}, home_state="IL")
    assert "il-written-consent" not in _consent_ids(
        {"consent_method": "not_recorded"}, tool={"records_sessions": False}, home_state="IL")
    # The client's state brings the rule to a practice elsewhere.
    assert "il-written-consent" in _consent_ids(
        {**transcribed, "consent_method": "verbal", "client_state": "IL"}, home_state="WI")
    assert "il-written-consent" not in _consent_ids(
        {**transcribed, "consent_method": "verbal", "client_state": "WI"}, home_state="WI")
    # A revoked consent is not relied on; before the Act, nothing.
    assert _consent_ids({**transcribed, "consent_method": "verbal",
                         "revoked_on": date(2026, 1, 5)}, home_state="IL") == []
    assert _consent_ids({**transcribed, "consent_method": "verbal"}, today=date(2025, 8, 3),
                        home_state="IL") == []


def test_illinois_purpose_in_writing_where_sessions_are_transcribed():
    assert _consent_ids({"sessions_recorded": True, "purpose_disclosed": ""},
                        home_state="IL") == ["il-purpose-in-writing"]
    assert _consent_ids({"sessions_recorded": False, "purpose_disclosed": ""},
                        home_state="IL") == []
    # A client who declined: no AI in their sessions, nothing to disclose the purpose of.
    assert _consent_ids({"sessions_recorded": True, "purpose_disclosed": "",
                         "decision": "declined"}, home_state="IL") == []
    assert _consent_ids({"sessions_recorded": True, "purpose_disclosed": ""},
                        today=date(2025, 8, 3), home_state="IL") == []


def test_every_rule_is_cited_dated_and_says_verify_with_counsel():
    table = ai_rules()
    assert table.reviewed_on >= date(2026, 12, 1) and "verify with counsel" in table.note
    assert {r.state for r in table.rules} == {"IL", "NV", "TX", "UT", "CA", "US"}
    for rule in table.rules:
        assert rule.citation and rule.law and rule.text
        if rule.verify:
            assert rule.verify_note, rule.id


def test_a_rules_file_with_an_unknown_field_or_effect_is_refused():
    doc = {"format": 1, "reviewed_on": "2026-12-07", "fields": {"tool": ["ai_use"]},
           "rules": [{"id": "x", "state": "IL", "law": "l", "citation": "c",
                      "effective_from": "2025-01-01", "subject": "tool", "effect": "forbids",
                      "when": {"colour": "red"}, "text": "t"}]}
    with pytest.raises(AiRulesError, match="unknown field colour"):
        parse_rules(doc)
    doc["rules"][0]["when"] = {"ai_use": "therapeutic"}
    doc["rules"][0]["effect"] = "allows"
    with pytest.raises(AiRulesError, match="unknown subject or effect"):
        parse_rules(doc)
    doc["rules"][0]["effect"] = "forbids"
    assert parse_rules(doc).rules[0].id == "x"
