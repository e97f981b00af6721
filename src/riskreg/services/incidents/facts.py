"""The deadline engine's and the determination's facts, read from a stored incident, and
the wizard step that follows from them."""

from __future__ import annotations

from datetime import date

from riskreg.domain import incident_steps as steps
from riskreg.domain.deadlines import BreachFacts
from riskreg.domain.determination import (
    DeterminationFacts,
    FactorAssessment,
    Outcome,
    presumption,
)
from riskreg.domain.holds import Hold
from riskreg.errors import ValidationError
from riskreg.storage.incident_models import (
    Incident,
    IncidentStatement,
)


def effective_discovered(inc: Incident) -> date:
    """The practice's discovery, or its agent business associate's if earlier (164.404(a)(2))."""
    if inc.ba_involved and inc.ba_discovered_on and inc.ba_is_agent:
        return min(inc.discovered_on, inc.ba_discovered_on)
    return inc.discovered_on


def breach_facts(
    inc: Incident, residents: dict[str, int], determined: dict[str, date],
    statements: list[IncidentStatement],
) -> BreachFacts:
    """The deadline engine's facts from the stored incident (its checks raise ValidationError)."""
    if inc.affected is None:
        raise ValidationError("affected", "record how many people were affected")
    return BreachFacts(
        discovered=inc.discovered_on,
        affected=inc.affected,
        residents=residents,
        determined=determined,
        insufficient_contact=inc.insufficient_contact,
        deceased_with_kin=inc.deceased_with_kin,
        part2=part2_count(inc) > 0,
        part2_affected=part2_count(inc),
        holds=tuple(Hold(s.kind, s.statement_on, s.days) for s in statements),
        ba_discovered=inc.ba_discovered_on if inc.ba_involved else None,
        ba_is_agent=inc.ba_is_agent,
        urgent=inc.urgent,
        information=tuple(t for t in (inc.phi_types or []) if t in steps.PHI_TYPES),
    )


def part2_count(inc: Incident) -> int:
    """How many of the affected had Part 2 records involved. A row that says Part 2 records
    without a count (an export from before migration 0005) counts every affected person, as the
    plan did then."""
    if inc.part2_affected:
        return inc.part2_affected
    return (inc.affected or 0) if inc.part2 else 0


def determination_facts(inc: Incident) -> DeterminationFacts:
    return DeterminationFacts(
        phi_involved=inc.phi_involved,
        use_permitted=inc.use_permitted,
        secured_by=inc.secured_by,
        key_compromised=inc.key_compromised,
        encryption_in_force=inc.encryption_in_force,
        exceptions=dict(inc.exceptions or {}),
        factors={
            key: FactorAssessment(value.get("rating"), value.get("notes", ""))
            for key, value in (inc.factors or {}).items()
        },
    )


def next_after(inc: Incident, step_id: str) -> str:
    """The step that follows `step_id` on this incident's answers."""
    found = presumption(determination_facts(inc))
    return steps.next_step(
        step_id,
        phi_involved=inc.phi_involved,
        safe_harbor=found.outcome == Outcome.SAFE_HARBOR,
        exception_applies=any((inc.exceptions or {}).values()),
        determination=inc.determination,
    )
