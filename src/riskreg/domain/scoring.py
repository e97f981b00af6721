"""Risk scoring: score = likelihood x impact, and the level bands of the register (DESIGN.md)."""

from enum import StrEnum


class Level(StrEnum):
    LOW = "Low"
    MODERATE = "Moderate"
    HIGH = "High"
    CRITICAL = "Critical"


SCALE = range(1, 6)
"""Likelihood and impact are each rated 1 (rare / negligible) to 5 (almost certain / severe)."""

LIKELIHOOD_LABELS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_LABELS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}


def score(likelihood: int, impact: int) -> int:
    """The risk score, 1 to 25."""
    if likelihood not in SCALE or impact not in SCALE:
        raise ValueError(f"likelihood and impact must be 1-5, got {likelihood} and {impact}")
    return likelihood * impact


def level(value: int) -> Level:
    """Band a score: Low 1-4, Moderate 5-9, High 10-16, Critical 20-25.

    Products of two 1-5 ratings never fall in 17-19, so High ends at 16 and Critical starts at 20.
    """
    if value <= 4:
        return Level.LOW
    if value <= 9:
        return Level.MODERATE
    if value <= 16:
        return Level.HIGH
    return Level.CRITICAL
