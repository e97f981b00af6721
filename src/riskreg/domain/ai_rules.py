"""The state (and federal) rules on AI in therapy as data (`data/ai_rules.json`), checked
against the register: what a rule forbids that a tool does, and what a rule requires that a
tool or a consent lacks. Pure: the records, the practice's home state and today come in as
arguments; nothing here reads the clock or the database.

Which rules apply:
- a tool's rules: those of the practice's home state and of every state a client on the tool's
  consent log is in (a telehealth client in Illinois brings Illinois's rules), plus the federal
  rules whose practice setting is on (Section 1557: receives federal financial assistance);
- a consent's rules: those of the client's state and of the practice's home state. A revoked
  consent is no longer relied on, so its rules are not checked.
A rule applies from its `effective_from` day. Each flag says "verify with counsel": the table is a
summary of research, not legal advice, and rules marked `verify` rest on an unsettled point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

EFFECTS = ("forbids", "requires", "verify")
SUBJECTS = ("tool", "consent")
PRESENT = "@present"
"""A condition's value meaning "given": neither blank, nor None, nor zero."""
FEDERAL = "US"


@dataclass(frozen=True)
class AiRule:
    id: str
    state: str
    """A 2-letter code, or "US" for a federal rule (which then names its `setting`)."""
    law: str
    citation: str
    source: str
    effective_from: date
    verify: bool
    verify_note: str
    subject: str
    effect: str
    when: Mapping[str, Any]
    require: Mapping[str, Any]
    text: str
    setting: str = ""

    def in_force(self, today: date) -> bool:
        return today >= self.effective_from


@dataclass(frozen=True)
class AiRules:
    reviewed_on: date
    rules: tuple[AiRule, ...]
    note: str


@dataclass(frozen=True)
class AiFlag:
    rule_id: str
    state: str
    effect: str
    citation: str
    text: str
    verify: bool

    @property
    def words(self) -> str:
        """One line: "Illinois (225 ILCS 155/20(b)(4)) forbids: AI may not detect ... (verify
        with counsel)"."""
        from riskreg.domain.obligation_names import state_name

        where = "Federal" if self.state == FEDERAL else state_name(self.state)
        verb = {"forbids": "forbids", "requires": "requires",
                "verify": "asks you to check"}[self.effect]
        return f"{where} ({self.citation}) {verb}: {self.text} (verify with counsel)"


class AiRulesError(ValueError):
    """The rules file is not as this module reads it."""


def parse_rules(doc: Mapping[str, Any]) -> AiRules:
    """The rules of a parsed `ai_rules.json`; AiRulesError naming the first problem."""
    if not isinstance(doc, Mapping) or doc.get("format") != 1:
        raise AiRulesError("ai_rules.json: format 1 expected")
    fields = doc.get("fields") or {}
    rules = []
    for n, raw in enumerate(doc.get("rules") or ()):
        rules.append(_rule(raw, fields, f"rules[{n}]"))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise AiRulesError("ai_rules.json: two rules share an id")
    return AiRules(date.fromisoformat(doc["reviewed_on"]), tuple(rules), str(doc.get("note", "")))


def _rule(raw: Mapping[str, Any], fields: Mapping[str, Any], where: str) -> AiRule:
    try:
        rule = AiRule(
            id=str(raw["id"]), state=str(raw["state"]), law=str(raw["law"]),
            citation=str(raw["citation"]), source=str(raw.get("source", "")),
            effective_from=date.fromisoformat(raw["effective_from"]),
            verify=bool(raw.get("verify", True)), verify_note=str(raw.get("verify_note", "")),
            subject=str(raw["subject"]), effect=str(raw["effect"]),
            when=dict(raw.get("when") or {}), require=dict(raw.get("require") or {}),
            text=str(raw["text"]), setting=str(raw.get("setting", "")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise AiRulesError(f"ai_rules.json {where}: {error}") from None
    if rule.subject not in SUBJECTS or rule.effect not in EFFECTS:
        raise AiRulesError(f"ai_rules.json {where}: unknown subject or effect")
    if rule.effect == "requires" and not rule.require:
        raise AiRulesError(f"ai_rules.json {where}: a rule that requires names what")
    if rule.state == FEDERAL and not rule.setting:
        raise AiRulesError(f"ai_rules.json {where}: a federal rule names its practice setting")
    known = set(fields.get(rule.subject) or ())
    unknown = (set(rule.when) | set(rule.require)) - known
    if known and unknown:
        raise AiRulesError(f"ai_rules.json {where}: unknown field {sorted(unknown)[0]}")
    return rule


@cache
def ai_rules() -> AiRules:
    """The shipped table (`data/ai_rules.json`)."""
    from riskreg.datafiles import load_json

    return parse_rules(load_json("ai_rules.json"))


def _holds(value: Any, wanted: Any) -> bool:
    if wanted == PRESENT:
        return value not in (None, "", 0, False)
    if isinstance(wanted, list):
        return any(_same(value, w) for w in wanted)
    return _same(value, wanted)


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, bool) or wanted is None:
        return value is wanted
    return value == wanted


def _all_hold(record: Mapping[str, Any], conditions: Mapping[str, Any]) -> bool:
    return all(_holds(record.get(field), wanted) for field, wanted in conditions.items())


def _flag(rule: AiRule, facts: Mapping[str, Any]) -> AiFlag | None:
    if not _all_hold(facts, rule.when):
        return None
    if rule.effect == "requires" and _all_hold(facts, rule.require):
        return None
    return AiFlag(rule.id, rule.state, rule.effect, rule.citation, rule.text, rule.verify)


def _applies(rule: AiRule, states: set[str], settings: Mapping[str, Any], today: date) -> bool:
    if not rule.in_force(today):
        return False
    if rule.state == FEDERAL:
        return bool(settings.get(rule.setting))
    return rule.state in states


def tool_flags(
    tool: Mapping[str, Any], today: date, *, home_state: str = "",
    client_states: Iterable[str] = (), settings: Mapping[str, Any] | None = None,
    disclosures: int = 0, rules: AiRules | None = None,
) -> list[AiFlag]:
    """What the rules in force `today` say of one tool: `client_states` are the states of the
    clients on its consent log, `disclosures` how many consents name it (each was a disclosure),
    `settings` the practice settings (federal_assistance...)."""
    table = rules or ai_rules()
    states = {s for s in (home_state, *client_states) if s}
    facts = {**tool, "disclosures": disclosures}
    out = []
    for rule in table.rules:
        if rule.subject == "tool" and _applies(rule, states, settings or {}, today):
            flag = _flag(rule, facts)
            if flag is not None:
                out.append(flag)
    return out


def consent_flags(
    consent: Mapping[str, Any], tool: Mapping[str, Any] | None, today: date, *,
    home_state: str = "", rules: AiRules | None = None,
) -> list[AiFlag]:
    """What the rules in force `today` say of one consent, for its client's state and the
    practice's. Whether sessions are recorded: the consent's answer, else its tool's."""
    if consent.get("revoked_on") is not None:
        return []
    table = rules or ai_rules()
    states = {s for s in (home_state, consent.get("client_state") or "") if s}
    recorded = consent.get("sessions_recorded")
    if recorded is None and tool is not None:
        recorded = tool.get("records_sessions")
    facts = {**consent, "sessions_recorded": recorded}
    out = []
    for rule in table.rules:
        if rule.subject == "consent" and _applies(rule, states, {}, today):
            flag = _flag(rule, facts)
            if flag is not None:
                out.append(flag)
    return out
