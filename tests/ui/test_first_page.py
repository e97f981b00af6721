"""`storage.first_page`: the first rows of a register table read with plain sqlite3 before the
services load. They must be exactly the records the services give for that view, or nothing."""

from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager

import pytest
from clock import FIXED_TODAY

from riskreg.services.register import ListQuery
from riskreg.storage.first_page import read_first_page

TODAY = FIXED_TODAY
KINDS = ("hazard", "tool", "safeguard", "owner", "consent")


def services_page(register, kind: str, limit: int) -> list[dict]:
    return register.list(kind, ListQuery(limit=limit, count=False)).rows


def test_the_first_page_of_the_demo_register_is_what_the_services_list(register, db):
    from riskreg.services.demo import build_demo

    build_demo(register, today=TODAY, hazards=120)
    for kind in KINDS:
        for limit in (1, 7, 50, 10_000):
            page = read_first_page(db.path, kind, TODAY, limit)
            assert page == services_page(register, kind, limit), (kind, limit)
        assert page, kind  # every kind has records in the demo


def test_the_first_page_agrees_on_the_awkward_cases(register, db, small_register):
    """Archived records, a missing owner, ties in the sort, each reason for "review now", an
    expired BAA, checklist answers left open, dates left empty."""
    owner = small_register["owner"]
    for title in ("Same title", "Same title", "Same title"):
        register.create("hazard", {"title": title, "likelihood": 5, "impact": 5,
                                   "target_likelihood": 4, "target_impact": 5})
    gone = register.create("hazard", {"title": "A hazard archived", "likelihood": 1, "impact": 1,
                                      "target_likelihood": 1, "target_impact": 1})
    register.archive("hazard", gone["public_id"])
    lapsed = register.create("tool", {"name": "Lapsed BAA", "category": "ehr",
                                      "baa_status": "signed", "baa_signed_on": "2024-01-01",
                                      "baa_expires_on": "2026-11-25", "owner": owner["public_id"],
                                      "check_signs_baa": True, "check_no_sale_or_sharing": False})
    unlinked = register.create("tool", {"name": "A tool unlinked", "category": "ehr",
                                        "baa_status": "missing"})
    zeta = register.create("tool", {"name": "Zeta notes", "category": "ehr",
                                    "baa_status": "requested"})
    hazard = register.create("hazard", {"title": "Lapsed vendor", "likelihood": 2, "impact": 3,
                                        "target_likelihood": 1, "target_impact": 3})
    register.link(hazard["public_id"], "tool", zeta["public_id"])  # linked first, named last
    register.link(hazard["public_id"], "tool", lapsed["public_id"])
    register.link(hazard["public_id"], "tool", unlinked["public_id"])
    register.unlink(hazard["public_id"], "tool", unlinked["public_id"])
    archived_tool = register.create("tool", {"name": "Archived scribe", "category": "ai_scribe",
                                             "baa_status": "missing"})
    other = register.create("hazard", {"title": "Archived tool's hazard", "likelihood": 2,
                                       "impact": 2, "target_likelihood": 1,
                                       "target_impact": 1})
    register.link(other["public_id"], "tool", archived_tool["public_id"])
    register.archive("tool", archived_tool["public_id"])
    register.create("consent", {"client_code": "C-0007", "disclosed_on": "2026-09-01",
                                "decision": "declined", "written": True})

    for kind in KINDS:
        page = read_first_page(db.path, kind, TODAY, 50)
        assert page == services_page(register, kind, 50), kind
    hazards = {row["title"]: row for row in read_first_page(db.path, "hazard", TODAY, 50)}
    assert hazards["Lapsed vendor"]["review_now"] == (
        "linked tool 'Lapsed BAA' handles PHI without a signed, current BAA")
    assert hazards["Archived tool's hazard"]["review_now"] == ""
    assert "A hazard archived" not in hazards
    assert hazards["Misdirected fax"]["owner"] == "" and hazards["Misdirected fax"]["owner_public_id"] is None


def test_the_first_page_agrees_on_the_current_risk(register, db, small_register):
    """A current assessment that stands, one a lapse undid, a safeguard in place without an
    assessment, an unlinked and an archived safeguard (domain/current_risk.py)."""
    laptop, encryption = small_register["laptop"], small_register["encryption"]
    register.update("hazard", laptop["public_id"], {
        "current_assessed_likelihood": 2, "current_assessed_impact": 3,
        "current_assessed_on": "2026-11-20"}, laptop["revision"])
    register.update("safeguard", encryption["public_id"], {"status": "in_place"}, 1)
    register.update("safeguard", encryption["public_id"], {"status": "planned"}, 2)
    phishing = small_register["phishing"]
    for title, archived in (("Training", False), ("Old filter", True), ("Unlinked", False)):
        s = register.create("safeguard", {"title": title, "category": "technical",
                                          "status": "verified"})
        if title != "Unlinked":
            register.link(phishing["public_id"], "safeguard", s["public_id"])
        if archived:
            register.archive("safeguard", s["public_id"])
    page = read_first_page(db.path, "hazard", TODAY, 50)
    assert page == services_page(register, "hazard", 50)
    hazards = {row["title"]: row for row in page}
    assert hazards["Laptop stolen from the car"]["current_from"] is None  # the lapse undid it
    assert (hazards["Phishing email"]["safeguards_in_place"],
            hazards["Phishing email"]["current_note"]) == (1, "assess the current risk")


def test_an_encrypted_missing_or_empty_file_gives_no_page_and_is_not_created(tmp_path):
    for name, content in (("encrypted.db", b"\x8f" * 4096), ("empty.db", b"")):
        (tmp_path / name).write_bytes(content)
        assert read_first_page(tmp_path / name, "hazard", TODAY, 50) is None
    assert read_first_page(tmp_path / "missing.db", "hazard", TODAY, 50) is None
    assert read_first_page(tmp_path / "a-folder", "hazard", TODAY, 50) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "encrypted.db"]


@pytest.mark.parametrize("change", [
    "UPDATE alembic_version SET version_num = '0001_register'",  # another schema revision
    "ALTER TABLE owner ADD COLUMN extra JSON",  # a column type the reader does not know
])
def test_a_schema_the_reader_cannot_vouch_for_gives_no_page(register, db, change):
    register.create("owner", {"name": "Dr. Rivera"})
    db.close()
    assert read_first_page(db.path, "owner", TODAY, 50)
    with sqlite3.connect(db.path) as connection:
        connection.execute(change)
    assert read_first_page(db.path, "owner", TODAY, 50) is None


def test_a_stored_value_the_services_would_refuse_gives_no_page(register, db):
    """A date edited to text in another tool: the services say "Could not load"; the reader
    steps aside rather than stop the app."""
    register.create("hazard", {"title": "Laptop stolen", "likelihood": 3, "impact": 5,
                               "target_likelihood": 2, "target_impact": 2})
    db.close()
    with sqlite3.connect(db.path) as connection:
        connection.execute("UPDATE hazard SET next_review_on = 'soon'")
    assert read_first_page(db.path, "hazard", TODAY, 50) is None


def test_a_timestamp_stored_with_an_offset_reads_as_the_services_read_it(register, db):
    register.create("owner", {"name": "Dr. Rivera"})
    with sqlite3.connect(db.path) as connection:
        connection.execute("UPDATE owner SET updated_at = '2026-01-01 12:00:00+02:00'")
    page = read_first_page(db.path, "owner", TODAY, 50)
    assert page == services_page(register, "owner", 50)
    assert page[0]["updated_at"].hour == 10


def test_a_database_locked_by_a_writer_gives_no_page(register, db):
    register.create("owner", {"name": "Dr. Rivera"})
    db.close()
    writer = sqlite3.connect(db.path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=DELETE")
        writer.execute("BEGIN EXCLUSIVE")
        assert read_first_page(db.path, "owner", TODAY, 50) is None
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_reading_writes_nothing_and_leaves_no_files_behind(register, db):
    register.create("owner", {"name": "Dr. Rivera"})
    db.close()
    folder = db.path.parent
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert read_first_page(db.path, "owner", TODAY, 50)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_a_file_name_with_url_characters_is_read_as_named(tmp_path):
    from riskreg.services.register import RegisterService
    from riskreg.storage.database import open_database

    odd = tmp_path / "a?b#c%41 d.db"
    database = open_database(odd)
    RegisterService(database, today=lambda: TODAY).create("owner", {"name": "Dr. Rivera"})
    database.close()
    assert [row["name"] for row in read_first_page(odd, "owner", TODAY, 50)] == ["Dr. Rivera"]
    assert read_first_page(tmp_path / "a", "owner", TODAY, 50) is None


def test_an_unknown_kind_gives_no_page(register, db):
    assert read_first_page(db.path, "incident", TODAY, 50) is None


# -- in the app ----------------------------------------------------------------------------------


async def rows_shown(pilot, table) -> None:
    """Wait (at most 2 s) until the table has rows."""
    for _ in range(100):
        if table.row_count:
            return
        await pilot.pause(0.02)


@asynccontextmanager
async def hazards_while_opening(make_app, register):
    """The app opened on the hazards with the register's opening held (`opening_held`), once
    the first rows are shown: yields the pilot and the hazards area."""
    from pilot_helpers import area

    register.db.close()
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        hazards = area(app, "hazard")
        await rows_shown(pilot, hazards.table)
        yield pilot, hazards


@pytest.fixture
def opening_held(monkeypatch):
    """The register's opening waits until the test lets it go (the services still loading).
    Let it go before waiting for workers (`ready`, `settle`): they would wait for it."""
    import threading

    import riskreg.storage.database as database

    gate = threading.Event()
    opener = database.open_database

    def held(*args, **kwargs):
        gate.wait(timeout=30)
        return opener(*args, **kwargs)

    monkeypatch.setattr(database, "open_database", held)
    yield gate
    gate.set()


async def test_the_app_opened_on_hazards_shows_rows_before_the_register_is_open(
        make_app, register, small_register, opening_held):
    from pilot_helpers import area, ready

    expected = [row["public_id"] for row in services_page(register, "hazard", 50)]
    register.db.close()
    app = make_app(area="hazards")
    async with app.run_test(size=(100, 30)) as pilot:
        table = area(app, "hazard").table
        await rows_shown(pilot, table)
        assert app.register is None
        assert [row["public_id"] for row in table.records] == expected
        assert str(area(app, "hazard").filter_bar.query_one("#shown").content) == (
            "opening the register…")
        await pilot.press("enter")  # a record cannot be opened yet: said, not ignored
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["The register is still opening."]

        opening_held.set()
        await ready(pilot)
        assert app.register is not None
        assert [row["public_id"] for row in table.records] == expected
        assert str(area(app, "hazard").filter_bar.query_one("#shown").content) == "3 hazards"


async def test_a_table_shown_while_the_register_opens_gets_its_first_rows_too(
        make_app, register, small_register, opening_held):
    from pilot_helpers import area

    register.db.close()
    app = make_app()  # the dashboard
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("2")
        tools = area(app, "tool")
        await rows_shown(pilot, tools.table)
        assert app.register is None
        assert [row["name"] for row in tools.table.records] == ["Practice EHR", "Scribe AI"]
        opening_held.set()


async def test_the_first_rows_wait_for_a_filter_typed_before_the_register_opened(
        make_app, register, small_register, opening_held):
    from pilot_helpers import ready

    async with hazards_while_opening(make_app, register) as (pilot, hazards):
        await pilot.press("slash", *"phish")
        opening_held.set()
        await ready(pilot)
        assert [row["title"] for row in hazards.table.records] == ["Phishing email"]


async def test_a_sort_asked_for_before_the_register_opens_is_done_once_it_is(
        make_app, register, small_register, opening_held):
    from pilot_helpers import ready

    async with hazards_while_opening(make_app, register) as (pilot, hazards):
        hazards.action_sort_reverse()  # S: title, Z to A
        await pilot.pause()
        opening_held.set()
        await ready(pilot)
        assert [n.message for n in pilot.app._notifications if n.severity == "error"] == []
        assert [row["title"] for row in hazards.table.records] == [
            "Phishing email", "Misdirected fax", "Laptop stolen from the car"]


async def test_the_dashboard_and_an_encrypted_register_read_no_first_page(make_app, register,
                                                                       monkeypatch):
    from pilot_helpers import ready

    import riskreg.storage.first_page as first_page

    register.create("owner", {"name": "Dr. Rivera"})
    register.db.close()
    calls = []
    monkeypatch.setattr(first_page, "read_first_page", lambda *a: calls.append(a))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("5")  # the owners' table, once the register is open: the services
        await ready(pilot)
    assert calls == []
    assert make_app(area="owners", encrypted=True).first_page("owner", 50) is None
    assert calls == []
