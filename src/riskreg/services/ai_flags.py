"""The AI rules' flags on the register's tools and consents (`domain/ai_rules.py`): read once per
page of records with the practice settings and the consent log they depend on, and listed for
the dashboard's "need action".

A flag is words for a person ("Illinois (225 ILCS 155/20(b)(4)) forbids: ..."), under a
record's `ai_flags`; the rule's id is kept in the dashboard's items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from riskreg.domain.ai_rules import AiFlag, consent_flags, tool_flags
from riskreg.storage.models import Consent, PracticeSettings, Tool


@dataclass(frozen=True)
class PracticeFacts:
    home_state: str
    settings: dict[str, Any]


def practice_facts(session: Session) -> PracticeFacts:
    row = session.exec(
        select(PracticeSettings)
        .where(col(PracticeSettings.archived_at).is_(None))
        .order_by(col(PracticeSettings.id))
    ).first()
    if row is None:
        return PracticeFacts("", {})
    return PracticeFacts(row.home_state or "", {"federal_assistance": row.federal_assistance,
                                                "part2_records": row.part2_records})


def _consents_by_tool(session: Session, tool_ids: list[int]) -> dict[int, list[Consent]]:
    out: dict[int, list[Consent]] = defaultdict(list)
    if not tool_ids:
        return out
    for consent in session.exec(
        select(Consent).where(col(Consent.tool_id).in_(tool_ids), col(Consent.archived_at).is_(None))
    ):
        out[consent.tool_id or 0].append(consent)
    return out


def flags_of_tool(tool: Any, consents: list[Consent], facts: PracticeFacts,
                  today: date) -> list[AiFlag]:
    values = tool if isinstance(tool, dict) else tool.model_dump()
    return tool_flags(
        values, today, home_state=facts.home_state,
        client_states=[c.client_state for c in consents if c.client_state],
        settings=facts.settings, disclosures=len(consents),
    )


def add_tool_flags(session: Session, records: list[dict[str, Any]], ids: list[int],
                   today: date) -> None:
    """Each tool record's `ai_flags` (a RecordKind annotation)."""
    facts = practice_facts(session)
    consents = _consents_by_tool(session, ids)
    for record, tool_id in zip(records, ids, strict=True):
        record["ai_flags"] = [f.words for f in flags_of_tool(record, consents.get(tool_id, []),
                                                             facts, today)]


def add_consent_flags(session: Session, records: list[dict[str, Any]], ids: list[int],
                      today: date) -> None:
    """Each consent record's `ai_flags` (a RecordKind annotation)."""
    facts = practice_facts(session)
    tools: dict[int, dict[str, Any]] = {}
    rows = {c.id: c for c in session.exec(select(Consent).where(col(Consent.id).in_(ids)))}
    tool_ids = {c.tool_id for c in rows.values() if c.tool_id is not None}
    if tool_ids:
        tools = {t.id: t.model_dump() for t in session.exec(
            select(Tool).where(col(Tool.id).in_(tool_ids)))}
    for record, consent_id in zip(records, ids, strict=True):
        row = rows.get(consent_id)
        tool = tools.get(row.tool_id) if row is not None and row.tool_id is not None else None
        record["ai_flags"] = [f.words for f in consent_flags(record, tool, today,
                                                             home_state=facts.home_state)]


@dataclass(frozen=True)
class FlaggedRecord:
    kind: str
    public_id: str
    title: str
    flag: AiFlag


def all_flags(session: Session, today: date) -> list[FlaggedRecord]:
    """Every flag on the register's active tools and consents: tools by name, then consents by
    client code."""
    facts = practice_facts(session)
    tools = list(session.exec(select(Tool).where(col(Tool.archived_at).is_(None))
                              .order_by(col(Tool.name), col(Tool.id))))
    consents = _consents_by_tool(session, [t.id for t in tools if t.id is not None])
    out = [FlaggedRecord("tool", t.public_id, t.name, f)
           for t in tools for f in flags_of_tool(t, consents.get(t.id or 0, []), facts, today)]
    by_id = {t.id: t.model_dump() for t in tools}
    for consent in session.exec(select(Consent).where(col(Consent.archived_at).is_(None))
                                .order_by(col(Consent.client_code), col(Consent.id))):
        tool = by_id.get(consent.tool_id) if consent.tool_id is not None else None
        for f in consent_flags(consent.model_dump(), tool, today, home_state=facts.home_state):
            out.append(FlaggedRecord("consent", consent.public_id, consent.client_code, f))
    return out
