"""A hazard's current risk: with the safeguards in place or verified now (DESIGN.md's three levels).

Three levels per hazard, as CISO Assistant has them: inherent (no safeguards), current (with the
safeguards in effect today) and target (after the planned ones, a typed estimate). Nothing presents
a target as achieved, and nothing claims a reduction no one assessed:

- Current is the practitioner's current assessment (likelihood, impact, the day it was made) when
  one is recorded and still stands; otherwise it is the inherent risk.
- A current assessment no longer stands once a linked safeguard lapsed after the day it was made
  (the safeguard stopped being in place or verified): the assessment counted on it. One dated the
  day of the lapse or later stands, so the practitioner can reassess the same day.
- When some or all linked safeguards are in place but no assessment stands, current stays inherent
  (the conservative reading: how much a safeguard lowers a risk is the practitioner's judgement,
  not a count) and the hazard says "assess the current risk".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from riskreg.domain.scoring import level, score
from riskreg.domain.text import plural

LEVELS = ("inherent", "current", "target")
"""A hazard's three risk levels, in the order the dashboard's heat map steps through them."""

IN_EFFECT = frozenset({"in_place", "verified"})
"""Safeguard statuses that count as working now (domain.register.SAFEGUARD_STATUSES)."""

NOT_COUNTED = frozenset({"not_applicable"})
"""A safeguard marked not applicable is not one the hazard waits for."""

ASSESS = "assess the current risk"


@dataclass(frozen=True)
class LinkedSafeguard:
    """What the current risk needs to know of one safeguard linked to the hazard."""

    status: str
    lapsed_on: date | None = None
    """The last day it stopped being in place or verified, if it ever did."""


@dataclass(frozen=True)
class Assessment:
    """The practitioner's current assessment of a hazard."""

    likelihood: int
    impact: int
    assessed_on: date


@dataclass(frozen=True)
class CurrentRisk:
    likelihood: int
    impact: int
    assessed_on: date | None
    """The day of the assessment it comes from; None when current is the inherent risk."""
    in_place: int
    """How many of the hazard's counted safeguards are in place or verified."""
    counted: int
    """How many linked safeguards count (all but those marked not applicable)."""
    note: str
    """What the practitioner should do about it, or ""."""

    @property
    def score(self) -> int:
        return score(self.likelihood, self.impact)

    @property
    def level(self) -> str:
        return level(self.score).value


def lapsed_after(assessed_on: date, safeguards: list[LinkedSafeguard]) -> date | None:
    """The latest lapse of a linked safeguard after the assessment's day, or None."""
    lapses = [s.lapsed_on for s in safeguards if s.lapsed_on is not None and s.lapsed_on > assessed_on]
    return max(lapses, default=None)


def current_risk(likelihood: int, impact: int, assessment: Assessment | None,
                 safeguards: list[LinkedSafeguard]) -> CurrentRisk:
    """The current risk of a hazard rated `likelihood` x `impact` before any safeguard
    (45 CFR 164.308(a)(1)(ii)(A)-(B): the risk analysis states the risk as it is now)."""
    counted = [s for s in safeguards if s.status not in NOT_COUNTED]
    in_place = sum(s.status in IN_EFFECT for s in counted)
    note = ASSESS if in_place else ""
    if assessment is not None:
        lapse = lapsed_after(assessment.assessed_on, safeguards)
        if lapse is None:
            return CurrentRisk(assessment.likelihood, assessment.impact, assessment.assessed_on,
                               in_place, len(counted), "")
        note = (f"a safeguard lapsed on {lapse.isoformat()}, after the current assessment of "
                f"{assessment.assessed_on.isoformat()}: review it and {ASSESS}")
    return CurrentRisk(likelihood, impact, None, in_place, len(counted), note)


def safeguards_in_place_text(in_place: int, counted: int) -> str:
    """'1 of 3 safeguards in place' (in place or verified), or 'no safeguards linked'."""
    if counted == 0:
        return "no safeguards linked"
    noun = "safeguard" if counted == 1 else "safeguards"
    return f"{in_place} of {counted} {noun} in place"


def current_basis(record: dict) -> str:
    """What a hazard's current risk rests on, in words: "assessed on 2026-11-20 · 1 of 3
    safeguards in place", or "equals inherent: no current assessment · ..."."""
    where = safeguards_in_place_text(record["safeguards_in_place"], record["safeguards_counted"])
    if record["current_from"] is not None:
        return f"assessed on {record['current_from'].isoformat()} · {where}"
    return f"equals inherent: no current assessment stands · {where}"


def review_scores(review: dict) -> str:
    """A review's scores then: "inherent 3×5 → current 3×5 → target 2×2" (current is missing
    from reviews recorded before the three levels)."""
    parts = [f"inherent {review['likelihood']}×{review['impact']}"]
    if review.get("current_likelihood") is not None:
        parts.append(f"current {review['current_likelihood']}×{review['current_impact']}")
    parts.append(f"target {review['target_likelihood']}×{review['target_impact']}")
    return " → ".join(parts)


def review_change(review: dict) -> str:
    """What a review did to the scores: "inherent 4×4 → 3×4, current 4×4 → 2×3, target 2×2"
    (`before` holds the scores it changed), or "unchanged: inherent 4×4, ..." when it changed
    none (as every review recorded before reviews could re-score)."""
    before = review.get("before") or {}
    parts = []
    for name, prefix in (("inherent", ""), ("current", "current_"), ("target", "target_")):
        likelihood, impact = review.get(f"{prefix}likelihood"), review.get(f"{prefix}impact")
        if likelihood is None:
            continue  # current, in a review recorded before the three levels
        old = (before.get(f"{prefix}likelihood", likelihood), before.get(f"{prefix}impact", impact))
        now = f"{likelihood}×{impact}"
        parts.append(f"{name} {old[0]}×{old[1]} → {now}" if old != (likelihood, impact)
                     else f"{name} {now}")
    text = ", ".join(parts)
    return text if before else f"unchanged: {text}"


def current_fields(record: dict, safeguards: list[LinkedSafeguard]) -> dict:
    """The fields a hazard's record shows for its current risk (both read paths use this)."""
    assessment = None
    if record.get("current_assessed_on") is not None:
        assessment = Assessment(record["current_assessed_likelihood"],
                                record["current_assessed_impact"], record["current_assessed_on"])
    risk = current_risk(record["likelihood"], record["impact"], assessment, safeguards)
    return {
        "current_likelihood": risk.likelihood, "current_impact": risk.impact,
        "current_score": risk.score, "current_level": risk.level,
        "current_from": risk.assessed_on,
        "safeguards_in_place": risk.in_place, "safeguards_counted": risk.counted,
        "current_note": risk.note,
    }


RULE_TEXT = (
    "Current risk equals inherent risk until safeguards are in place and the practitioner records "
    "a dated current assessment; safeguards in place without an assessment leave it at the "
    "inherent risk, flagged \"assess the current risk\". An assessment no longer stands once a "
    "safeguard linked to the hazard lapses (stops being in place or verified) after the day it "
    "was made: the current risk goes back to the inherent risk and the hazard is flagged for "
    "review. The target is an estimate, not a risk the practice has yet."
)
"""The rule above, as the risk analysis states it (its method section)."""


def current_summary(hazards: Sequence[Mapping[str, Any]]) -> str:
    """One sentence for the risk analysis's summary: whether current risk is still inherent."""
    assessed = sum(h["current_from"] is not None for h in hazards)
    to_assess = sum(bool(h["current_note"]) for h in hazards)
    in_place = sum(h["safeguards_in_place"] for h in hazards)
    if assessed == 0:
        text = ("Current risk equals inherent risk until safeguards are in place: no hazard has a "
                "current assessment, so every current level below is the inherent one")
        text += "." if in_place == 0 else (", though some safeguards are in place.")
    else:
        text = (f"Current risk is the practitioner's dated assessment for {assessed} of "
                f"{plural(len(hazards), 'hazard')}; for the others it equals inherent risk.")
    if to_assess:
        text += (f" {to_assess} {'hazard needs' if to_assess == 1 else 'hazards need'} their "
                 "current risk assessed (safeguards in place, or one lapsed since the last "
                 "assessment).")
    return text
