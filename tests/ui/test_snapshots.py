"""Snapshots of the main screens at 80x24 and 120x40, from the seeded demo practice with the
clock fixed. Update them with `pytest tests/ui/test_snapshots.py --snapshot-update` after
checking the report, never blindly."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from clock import FIXED_TODAY
from pilot_helpers import ready

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo_app(monkeypatch, register, make_app):
    """The demo practice (seed 7), its audit events stamped at a fixed time, shown in UTC, made by
    a fixed account."""
    from riskreg.services.demo import build_demo

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("riskreg.storage.audit.utcnow",
                        lambda: datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    # Who made the demo's changes (the history names them): the same account on every machine.
    monkeypatch.setattr("getpass.getuser", lambda: "therapist")
    build_demo(register, today=FIXED_TODAY, seed=7)
    yield make_app
    monkeypatch.delenv("TZ")
    time.tzset()


def _steady(*keys: str):
    async def run_before(pilot) -> None:
        await ready(pilot)
        if keys:
            await pilot.press(*keys)
            await ready(pilot)
        await pilot.pause()

    return run_before


class TestDashboard:
    @pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
    def test_the_dashboard(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(), terminal_size=size, run_before=_steady())


class TestHazards:
    @pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
    def test_the_hazards_table(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(area="hazards"), terminal_size=size, run_before=_steady())

    @pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
    def test_the_hazard_form(self, snap_compare, demo_app, size):
        assert snap_compare(demo_app(area="hazards"), terminal_size=size,
                            run_before=_steady("e"))
