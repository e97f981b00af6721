"""The facts of one breach as the deadline engine takes them (45 CFR 164.404-164.412, 42 CFR
2.16, the state rules), each checked as it is made: its own module so that the engine
(`deadlines`) and the warnings beside a plan (`plan_warnings`) both read it without importing
each other."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from riskreg.domain import state_rules as overlays
from riskreg.domain.holds import Hold
from riskreg.domain.incident_steps import PHI_TYPES
from riskreg.domain.text import plural
from riskreg.errors import ValidationError

PART2_COMPLIANCE_DATE = date(2026, 2, 16)
"""The compliance date of the 2024 amendments to 42 CFR Part 2, whose 2.16 applies the breach
rules of 45 CFR 164 subpart D to Part 2 records; OCR's Part 2 breach intake opened that day."""


def checked_count(name: str, value: object, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(name, f"{value!r} is not a whole number")
    if value < minimum:
        raise ValidationError(name, f"{value} is less than {minimum}")
    return value


def _information(types: object) -> tuple[str, ...]:
    """The incident's types of information (keys of PHI_TYPES), each once, in order."""
    out = tuple(types) if isinstance(types, (list, tuple)) else None
    if out is None:
        raise ValidationError("information", f"{types!r} is not a list of types of information")
    for kind in out:
        if kind not in PHI_TYPES:
            raise ValidationError("information", f"{kind!r} is not a type of information")
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class BreachFacts:
    """What the practitioner knows about a breach, as the deadline engine needs it.

    `discovered` is the practice's own discovery date (164.404(a)(2)). `ba_discovered` is the
    business associate's; when it acts as the practice's agent (`ba_is_agent`, the default reading
    in RULES.md) its knowledge is the practice's. `determined` holds a state's determination date
    where it differs from discovery (state laws counting from determination). `information` holds
    the incident's types of information (keys of `incident_steps.PHI_TYPES`), which decide whether
    a state's law applies (its data elements; none recorded = it is taken to apply).

    `part2_affected` counts the people whose 42 CFR Part 2 records were involved (0: none); the
    separate Part 2 report takes its 500 threshold from that count (42 CFR 2.16). `part2` is kept
    for callers that know only whether Part 2 records were involved: it is true whenever
    `part2_affected` is above 0, and `part2=True` without a count takes every affected person as a
    Part 2 individual (the earlier track) with `part2_count_given` false, so the plan can say so.
    Invalid facts raise `riskreg.errors.ValidationError(field, problem)`.
    """

    discovered: date
    affected: int
    residents: Mapping[str, int] = field(default_factory=dict)
    determined: Mapping[str, date] = field(default_factory=dict)
    insufficient_contact: int = 0
    deceased_with_kin: int = 0
    part2: bool = False
    holds: tuple[Hold, ...] = ()
    ba_discovered: date | None = None
    ba_is_agent: bool = True
    urgent: bool = False
    information: tuple[str, ...] = ()
    part2_affected: int = 0
    part2_count_given: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        checked_count("affected", self.affected, minimum=1)
        self._check_part2()
        object.__setattr__(self, "information", _information(self.information))
        valid = overlays.jurisdictions()
        residents: dict[str, int] = {}
        for code, count in self.residents.items():
            key = str(code).upper()
            if key not in valid:
                raise ValidationError(
                    "residents", f"{code!r} is not a US state or jurisdiction code"
                )
            if key in residents:
                raise ValidationError("residents", f"{key} is given twice")
            residents[key] = checked_count(f"residents {key}", count)
        total = sum(residents.values())
        if total > self.affected:
            raise ValidationError(
                "residents",
                f"residents per state add up to {total:,}, more than the {self.affected:,} affected",
            )
        object.__setattr__(self, "residents", dict(sorted(residents.items())))
        for name in ("insufficient_contact", "deceased_with_kin"):
            value = checked_count(name, getattr(self, name))
            if value > self.affected:
                raise ValidationError(
                    name, f"{value:,} is more than the {self.affected:,} affected"
                )
        start = self.effective_discovered
        determined = {str(code).upper(): day for code, day in self.determined.items()}
        for code, day in determined.items():
            if code not in valid:
                raise ValidationError(
                    "determined", f"{code!r} is not a US state or jurisdiction code"
                )
            if day < start:
                raise ValidationError(
                    "determined", f"determination date {day} for {code} is before discovery {start}"
                )
        object.__setattr__(self, "determined", determined)
        object.__setattr__(self, "holds", tuple(self.holds))
        for hold in self.holds:
            if hold.statement_on < start:
                raise ValidationError(
                    "holds",
                    f"{hold.kind} law-enforcement statement on {hold.statement_on} is before "
                    f"discovery {start}",
                )

    def _check_part2(self) -> None:
        count = checked_count("part2_affected", self.part2_affected)
        if count > self.affected:
            raise ValidationError(
                "part2_affected",
                f"Part 2 records of {plural(count, 'person', 'people')}, more than the {self.affected:,} affected",
            )
        if count:
            object.__setattr__(self, "part2", True)
            object.__setattr__(self, "part2_count_given", True)
        elif self.part2:
            object.__setattr__(self, "part2_affected", self.affected)

    @property
    def part2_report_applies(self) -> bool:
        """A separate Part 2 breach report is owed: Part 2 records were involved and discovery is
        on or after the compliance date (42 CFR 2.16 as amended in 2024)."""
        return self.part2 and self.effective_discovered >= PART2_COMPLIANCE_DATE

    @property
    def effective_discovered(self) -> date:
        """The discovery date the clocks run from (164.404(a)(2)).

        A business associate acting as the practice's agent: its knowledge is the practice's, so
        the earlier of the two dates. An independent contractor: the practice's own date, the day
        it was told (RULES.md "Business associate as agent"; 164.410 governs the BA's own notice).
        """
        if self.ba_discovered is not None and self.ba_is_agent:
            return min(self.discovered, self.ba_discovered)
        return self.discovered
