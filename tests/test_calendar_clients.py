"""The calendar export read by real clients (issue 20): khal on the vdir, and vdirsyncer
carrying the vdir to a Radicale CalDAV server on 127.0.0.1.

The register changes between two exports as a practitioner's does: an incident's discovery date
moves (so its notice deadlines move) and a tool's BAA expiry is cleared (so that event's source
is gone). After the second export each client must show the moved date, the vanished event as
cancelled, and no second copy of anything.

Each scenario runs twice: with the vdir written by `riskreg export vdir --out DIR` (the
product), and with a vdir the test makes itself from `riskreg export ics` by the same contract
(one file per event; a vanished UID rewritten cancelled, "[REMOVED]", SEQUENCE + 1), which
proves the client fixtures on their own.
"""

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from calendar_clients import (
    cancel_in_vdir,
    khal_for,
    need,
    split_into_vdir,
    start_radicale,
    vdir_events,
    vdirsyncer_for,
)

TODAY = date(2026, 12, 2)
MOVED_INCIDENT = "INC-2026-002"
MOVED_BY = timedelta(days=6)
CLEARED_TOOL = "Backup (encrypted external drive or cloud backup service)"
SPAN = (date(2026, 1, 1), date(2030, 12, 31))


def riskreg(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, RISKREG_TODAY=TODAY.isoformat())
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, timeout=180, check=False)


@pytest.fixture
def radicale(tmp_path):
    yield from start_radicale(tmp_path / "server")


@pytest.fixture
def demo_db(tmp_path) -> Path:
    path = tmp_path / "demo.db"
    result = riskreg("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def change_register(db_path: Path) -> tuple[str, str]:
    """Move the incident's discovery date and clear the tool's BAA expiry, through the
    services the app's screens call. Returns (the incident's HHS-notice UID, the
    tool's BAA-expiry UID)."""
    from riskreg.services.bundle import Services
    from riskreg.storage.database import open_database

    db = open_database(db_path)
    try:
        services = Services(db, today=lambda: TODAY)
        inc = services.incidents.get(MOVED_INCIDENT)
        intake = {key: inc[key] for key in (
            "title", "description", "breach_type", "occurred_on", "occurred_until",
            "discovered_on", "discovered_by", "ba_involved", "ba_tool", "ba_discovered_on",
            "ba_is_agent")}
        # Discovered six days later than first written (by the practice, and by its
        # business associate, whose discovery date starts the clock: 164.410).
        for key in ("discovered_on", "ba_discovered_on"):
            if intake[key] is not None:
                intake[key] += MOVED_BY
        services.incidents.save_intake(MOVED_INCIDENT, intake, inc["revision"])
        tool = next(t for t in services.register.list("tool").rows if t["name"] == CLEARED_TOOL)
        assert tool["baa_expires_on"] is not None
        services.register.update("tool", tool["public_id"], {"baa_expires_on": None},
                                 tool["revision"])
        return (f"{inc['public_id']}-hhs@riskreg",
                f"{tool['public_id']}-baa-expiry@riskreg")
    finally:
        db.close()


def export_vdir(db_path: Path, vdir: Path) -> None:
    """The product: `riskreg export vdir --out DIR`."""
    result = riskreg("--db", str(db_path), "export", "vdir", "--out", str(vdir))
    assert result.returncode == 0, result.stdout + result.stderr


def made_vdir(db_path: Path, vdir: Path) -> None:
    """The same contract, made by the test from `riskreg export ics`: every event in a file of
    its own, and a file whose UID the new export lacks rewritten cancelled."""
    ics = vdir.parent.parent / f"export-{len(list(vdir.parent.parent.glob('export-*')))}.ics"
    result = riskreg("--db", str(db_path), "export", "ics", "--out", str(ics))
    assert result.returncode == 0, result.stdout + result.stderr
    before = {p.name: p for p in vdir.glob("*.ics")} if vdir.is_dir() else {}
    written = split_into_vdir(ics, vdir)
    kept = {p.name for p in written.values()}
    for name, path in before.items():
        if name not in kept:
            cancel_in_vdir(path)


WRITERS = {"export vdir": export_vdir, "made from export ics": made_vdir}


def starts(events: dict) -> dict[str, date]:
    return {uid: e["DTSTART"].dt for uid, e in events.items()}


@pytest.mark.parametrize("writer", WRITERS)
def test_khal_shows_a_moved_deadline_and_a_vanished_event_as_cancelled(writer, demo_db,
                                                                       tmp_path):
    write = WRITERS[writer]
    vdir = tmp_path / "vdirs" / "riskreg"
    khal = khal_for(tmp_path / "khal", vdir)
    write(demo_db, vdir)
    first = vdir_events(vdir)
    shown = khal.by_uid(*SPAN)
    assert set(shown) == set(first)
    assert not any(e.cancelled for uid, e in shown.items()
                   if str(first[uid].get("STATUS")) != "CANCELLED")

    moved, cleared = change_register(demo_db)
    assert moved in shown and cleared in shown and not shown[cleared].cancelled
    write(demo_db, vdir)
    second = vdir_events(vdir)
    after = khal.by_uid(*SPAN)

    assert after[moved].day == shown[moved].day + MOVED_BY == starts(second)[moved]
    assert not after[moved].cancelled
    assert after[cleared].cancelled, after[cleared]
    assert after[cleared].title.startswith("[REMOVED]")
    assert after[cleared].day == shown[cleared].day
    # Nothing vanished without a trace and nothing is listed twice (by_uid checks that).
    assert set(after) == set(second) >= set(first)


@pytest.mark.parametrize("writer", WRITERS)
def test_vdirsyncer_carries_a_moved_deadline_and_a_cancellation_to_a_caldav_server(
        writer, demo_db, tmp_path, radicale):
    write = WRITERS[writer]
    vdir = tmp_path / "vdirs" / "riskreg"
    write(demo_db, vdir)
    sync = vdirsyncer_for(tmp_path / "sync", vdir, radicale)
    sync.discover()
    sync.sync()
    assert list(radicale.collection_files()) == ["riskreg"]
    first = server_events(radicale)
    assert set(first) == set(vdir_events(vdir))

    moved, cleared = change_register(demo_db)
    write(demo_db, vdir)
    sync.sync()

    held = server_events(radicale)
    local = vdir_events(vdir)
    assert set(held) == set(local) >= set(first)
    assert starts(held)[moved] == starts(first)[moved] + MOVED_BY
    assert int(held[moved]["SEQUENCE"]) > int(first[moved]["SEQUENCE"])
    assert str(held[cleared]["STATUS"]) == "CANCELLED"
    assert str(held[cleared]["SUMMARY"]).startswith("[REMOVED]")
    assert int(held[cleared]["SEQUENCE"]) > int(first[cleared]["SEQUENCE"])
    assert not list(held[cleared].walk("VALARM"))
    # One copy of each event on the server: as many items listed as UIDs held.
    assert len(radicale.hrefs("riskreg")) == len(held)


def server_events(server) -> dict:
    """UID -> VEVENT of every item the server stored; fails on a UID stored twice."""
    from icalendar import Calendar

    found: dict = {}
    for path in server.collection_files()["riskreg"]:
        for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            uid = str(event["UID"])
            assert uid not in found, f"the server holds {uid} twice"
            found[uid] = event
    return found


def test_khal_imports_the_plain_export_without_a_word_and_shows_every_event(demo_db,
                                                                           tmp_path):
    need("khal")
    out = tmp_path / "deadlines.ics"
    result = riskreg("--db", str(demo_db), "export", "ics", "--out", str(out))
    assert result.returncode == 0, result.stderr
    khal = khal_for(tmp_path / "khal", tmp_path / "khal-vdir")
    imported = khal.import_batch(out)
    assert imported.returncode == 0 and imported.stderr == "" and imported.stdout == "", (
        imported.stdout + imported.stderr)
    exported = {}
    from calendar_helpers import events

    for uid, event in events(out).items():
        exported[uid] = (event["DTSTART"].dt, str(event.get("STATUS")) == "CANCELLED")
    shown = {uid: (e.day, e.cancelled) for uid, e in khal.by_uid(*SPAN).items()}
    assert shown == exported


def test_the_radicale_fixture_answers_on_loopback_and_is_gone_afterwards(tmp_path):
    from calendar_clients import http

    servers = start_radicale(tmp_path)
    server = next(servers)
    status, _ = http(server.port, "PROPFIND", f"/{server.user}/",
                     headers={"Depth": "0", "Authorization": "Basic cmlza3JlZzp4"})
    assert status == 207
    servers.close()
    with pytest.raises(OSError):
        http(server.port, "OPTIONS", "/")


def test_the_readme_gives_the_vdirsyncer_configuration_these_tests_run():
    import configparser
    import re

    from calendar_clients import VDIRSYNCER_CONFIG

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```ini\n(.*?)```", readme, re.S) if "[pair riskreg]" in b)
    ours, theirs = configparser.ConfigParser(), configparser.ConfigParser()
    ours.read_string(VDIRSYNCER_CONFIG.format(status="s", vdirs="v", url="u", user="n",
                                              password="p"))
    theirs.read_string(block)
    assert theirs.sections() == ours.sections()
    for section in ours.sections():
        # The same settings; the README reads the password from a command instead.
        assert {k.removesuffix(".fetch") for k in theirs[section]} == set(ours[section])
    for key in ("collections", "conflict_resolution"):
        assert theirs["pair riskreg"][key] == ours["pair riskreg"][key]
    assert theirs["storage riskreg_local"]["type"] == '"filesystem"'
    assert theirs["storage riskreg_server"]["type"] == '"caldav"'
