"""The app on a damaged register (reliability review D5): its error screen says the file is
damaged and names the newest good copy, at the open and when a later read finds the damage;
never a traceback, a crash or raw SQL in a notification."""

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta

from riskreg.storage.backup import backup_file, backups_dir


def _damaged_register(register, db, db_path, today_s_copy: bool):
    for n in range(30):
        register.create("hazard", {"title": f"Hazard {n}", "likelihood": 3, "impact": 4,
                                   "target_likelihood": 2, "target_impact": 2})
    backups_dir(db_path).mkdir(mode=0o700)
    good = backups_dir(db_path) / f"{db_path.stem}-20260101T080000-daily.db"
    backup_file(db_path, good)
    if today_s_copy:  # taken before the damage: the open itself checks nothing
        stamp = datetime.now(UTC) - timedelta(seconds=5)
        shutil.copy(good, backups_dir(db_path) / f"{db_path.stem}-{stamp:%Y%m%dT%H%M%S}-daily.db")
    db.close()
    conn = sqlite3.connect(db_path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='hazard'").fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as fh:
        fh.seek((root - 1) * 4096)
        fh.write(b"\x0d\x00\x00\x00\x05\x00\x10" + b"\xff" * 300)


async def _error_screen_shown(app) -> str:
    from pilot_helpers import ready, settle

    from riskreg.ui.dialogs.error import ErrorScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        title = str(app.screen.query_one("#error-title").render())
        message = str(app.screen.query_one("#error-message").render())
        assert title == "The register file is damaged"
        assert message == app.problem
        assert not [n for n in app._notifications if "SELECT" in n.message]  # no raw SQL
        await pilot.press("enter")
    assert app.return_code == 1
    return message


async def test_opening_a_damaged_register_shows_the_damaged_line(make_app, register, db,
                                                                 db_path):
    _damaged_register(register, db, db_path, today_s_copy=False)
    message = await _error_screen_shown(make_app())
    assert message.startswith(f"{db_path} is damaged (SQLite: ")
    # Which read meets the damage first (the first rows, or the day's backup check) varies;
    # either way no copy of the damage was taken and the good one is named.
    assert sorted(p.name for p in backups_dir(db_path).iterdir()) == [
        "riskreg-20260101T080000-daily.db"]
    assert f"riskreg restore {backups_dir(db_path)}/riskreg-20260101T080000-daily.db" in message


async def test_damage_a_later_read_meets_shows_the_same_error_screen(make_app, register, db,
                                                                     db_path):
    _damaged_register(register, db, db_path, today_s_copy=True)
    message = await _error_screen_shown(make_app(area="hazards"))  # the hazards table's read
    assert message.startswith(f"{db_path} is damaged (SQLite: database disk image is malformed)")
    assert "riskreg restore" in message
