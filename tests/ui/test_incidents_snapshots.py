"""A snapshot of the breach workflow's plan step at 80x24 and 120x40, clock fixed. Update with
`pytest tests/ui/test_incidents_snapshots.py --snapshot-update` after checking the report."""

from __future__ import annotations

import pytest
from incident_pilot import at_step, incidents_service, open_wizard, seed_to_plan

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def plan_app(register, db, make_app):
    """620 affected (600 in Florida), an oral law-enforcement statement: media, HHS with the
    individual notice, state rows, a hold, a weekend warning."""
    register.create("owner", {"name": "Dr. Sam Rivera"})
    seed_to_plan(incidents_service(db), discovered="2026-11-02", affected=620,
                 residents={"FL": 600, "GA": 20},
                 statements=[{"kind": "oral", "statement_on": "2026-11-20",
                              "official": "Det. A. Ortiz", "agency": "Tampa Police"}])
    return make_app


async def _show_plan(pilot) -> None:
    await open_wizard(pilot, "INC-2026-001")
    await at_step(pilot, "plan")
    await pilot.pause()


class TestIncidentPlan:
    @pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
    def test_the_plan_step(self, snap_compare, plan_app, size):
        assert snap_compare(plan_app(), terminal_size=size, run_before=_show_plan)
