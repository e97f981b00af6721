"""The state rows of a plan on their own: state duties do not depend on HIPAA's determination.

An exception, the safe harbor or a low-probability finding ends HIPAA's duty to notify (45 CFR
164.402, 164.404(a)), not a state's: state definitions of breach, of personal information and of
encryption differ from HIPAA's, and so do their harm thresholds. So when HIPAA requires no notice,
the plan keeps the rows the state rules give for the residents recorded and drops the federal
notices (individuals, substitute notice, media, HHS, the Part 2 report), with a line that says
the state analysis is a separate one.

Pure: a `Plan` in, a `Plan` out.
"""

from dataclasses import replace
from datetime import date

from riskreg.domain.deadlines import Plan
from riskreg.domain.obligations import Obligation

FEDERAL_IDS = frozenset({"individuals", "substitute_notice", "hhs", "hhs_part2"})
"""The obligations of 45 CFR 164.404-164.408 and 42 CFR 2.16 (media:XX is 164.406 as well)."""

SEPARATE = (
    "HIPAA requires no notice on your determination ({choice}), so no federal notice is listed. "
    "The state rows are a separate analysis: state definitions of breach, personal information "
    "and encryption differ from HIPAA's, so a state law may still require notice to its "
    "residents or its regulator. A row timed from a HIPAA notice (the HHS report) assumes one is "
    "given. Verify with counsel."
)

NO_STATE_ROWS = (
    "HIPAA requires no notice on your determination ({choice}), and the state rules on file give "
    "no row for the residents recorded. State definitions of breach and encryption differ from "
    "HIPAA's: verify with counsel."
)


def is_federal(obligation_id: str) -> bool:
    """A notice of HIPAA's subpart D or of Part 2, not one of a state's."""
    head, _, rest = obligation_id.partition(":")
    return obligation_id in FEDERAL_IDS or (head == "media" and ":" not in rest)


def state_rows(plan: Plan) -> tuple[Obligation, ...]:
    return tuple(o for o in plan.obligations if not is_federal(o.id))


def state_only(plan: Plan, choice_label: str) -> Plan:
    """The plan with only its state rows, the separate-analysis line first among the warnings,
    and only the warnings about what is kept (a kept row's own, the scope's, a future
    discovery)."""
    kept = state_rows(plan)
    names = tuple(f"{o.name}: " for o in kept)
    warnings = [w for w in plan.warnings
                if (names and w.startswith(names)) or _about_scope(w)]
    line = (SEPARATE if kept else NO_STATE_ROWS).format(choice=choice_label)
    return replace(plan, obligations=kept, warnings=(line, *warnings))


def _about_scope(warning: str) -> bool:
    return ("no state recorded" in warning or "no rules on file" in warning
            or "state rules as of" in warning.lower() or warning.startswith("Discovery date "))


def earliest_state_row(plan: Plan) -> Obligation | None:
    """The state row due first (rows with no fixed day are skipped)."""
    dated = [o for o in state_rows(plan) if o.due is not None]
    return min(dated, key=lambda o: (o.due or date.max, o.id)) if dated else None
