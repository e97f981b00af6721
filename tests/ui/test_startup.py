"""Start-up: the first frame comes before the slow imports, and `riskreg` runs through the
same factory the tests use."""

from __future__ import annotations

import subprocess
import sys


def test_building_the_app_and_its_areas_loads_neither_the_services_nor_sqlmodel():
    code = (
        "import sys, riskreg.ui.app\n"
        "from riskreg.ui.areas import AREAS\n"
        "areas = [area.widget() for area in AREAS]\n"
        "slow = [m for m in ('sqlmodel', 'sqlalchemy', 'pydantic', 'alembic',"
        " 'riskreg.services.register', 'riskreg.storage.database') if m in sys.modules]\n"
        "print(','.join(slow))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == ""


def test_the_cli_builds_the_app_with_the_factory_and_a_fixed_clock(monkeypatch, tmp_path):
    from datetime import date

    import riskreg.ui.app as ui_app
    from riskreg.cli import main

    built = {}

    class Stub:
        problem = None
        return_code = 0

        def run(self):
            built["ran"] = True

    def factory(db_path, today=None, **kwargs):
        built.update(db_path=db_path, today=today, ask=kwargs["ask_before_creating"])
        return Stub()

    monkeypatch.setattr(ui_app, "make_app", factory)
    monkeypatch.setenv("RISKREG_TODAY", "2026-11-26")
    assert main(["--db", str(tmp_path / "x.db")]) == 0
    # Nothing at x.db, and not the default location: the app asks before creating it.
    assert built == {"db_path": str(tmp_path / "x.db"), "today": date(2026, 11, 26), "ran": True,
                     "ask": True}
    (tmp_path / "x.db").touch()
    assert main(["--db", str(tmp_path / "x.db")]) == 0 and built["ask"] is False
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main([]) == 0 and built["ask"] is False  # the default location: made without asking


async def test_a_missing_register_away_from_the_default_is_made_only_when_the_user_says_so(
        tmp_path):
    from riskreg.ui.app import make_app
    from riskreg.ui.dialogs.confirm import ConfirmDialog
    from riskreg.ui.dialogs.welcome import WelcomeDialog

    typo = tmp_path / "typo" / "riskreg.db"
    app = make_app(typo, ask_before_creating=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.screen, ConfirmDialog)
        assert str(typo) in str(app.screen.query_one("#message").content)
        await pilot.press("escape")
        await pilot.pause(0.1)
    assert app.return_code == 1 and "nothing was created" in app.problem
    assert list(tmp_path.iterdir()) == []

    app = make_app(typo, ask_before_creating=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("y")
        for _ in range(100):
            if isinstance(app.screen, WelcomeDialog):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, WelcomeDialog)  # a new, empty register
    assert typo.exists()


def test_the_cli_prints_why_the_database_could_not_be_opened(monkeypatch, tmp_path, capsys):
    import riskreg.ui.app as ui_app
    from riskreg.cli import main

    class Failed:
        problem = f"{tmp_path} is a folder, not a database file"
        return_code = 1

        def run(self):
            pass

    monkeypatch.setattr(ui_app, "make_app", lambda *a, **k: Failed())
    assert main(["--db", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"riskreg: {tmp_path} is a folder, not a database file\n"


async def test_loading_the_starter_register_says_what_it_added(make_app, db):
    from pilot_helpers import ready, settle

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await settle(pilot, 5)
        said = [n.message for n in app._notifications if "Starter register loaded" in n.message]
        assert said == ["Starter register loaded: 1 owner, 21 tools, 52 safeguards, 40 hazards."]


async def test_opening_an_existing_register_takes_the_day_s_backup_copy(make_app, register):
    from pilot_helpers import ready

    from riskreg.storage.backup import backups_dir

    register.create("owner", {"name": "Dr. Rivera"})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        daily = list(backups_dir(app.db_path).glob("*-daily.db"))
        assert len(daily) == 1 and daily[0].stat().st_mode & 0o777 == 0o600


async def test_the_day_s_backup_copy_is_taken_after_the_register_is_ready(make_app, register,
                                                                           monkeypatch):
    """The copy (the whole file) no longer delays the first rows: the app opens the database
    without it, says the register is ready, then takes it in the same worker."""
    from pilot_helpers import ready

    import riskreg.storage.database as database

    register.create("owner", {"name": "Dr. Rivera"})
    order = []
    taken = database.take_daily_backup

    def spy(path, now, passphrase=None):
        order.append(("backup", app.register is not None))
        return taken(path, now, passphrase)

    monkeypatch.setattr(database, "take_daily_backup", spy)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
    assert order == [("backup", True)]


async def test_a_new_register_takes_no_backup_copy(make_app, db_path):
    from pilot_helpers import ready

    from riskreg.storage.backup import backups_dir

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.register is not None
    assert not list(backups_dir(db_path).glob("*-daily.db"))


async def test_a_backup_copy_that_fails_is_said_and_the_register_still_opens(make_app, register,
                                                                             monkeypatch):
    from pilot_helpers import ready

    import riskreg.storage.backup as backup
    from riskreg.errors import UserError

    register.create("owner", {"name": "Dr. Rivera"})

    def full(*_args, **_kwargs):
        raise UserError("cannot back up to x: No space left on device")

    monkeypatch.setattr(backup, "daily_backup", full)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.register is not None and app.problem is None
        said = [n.message for n in app._notifications if "backup copy" in n.message]
        assert said == ["Today's backup copy could not be made: cannot back up to x: "
                        "No space left on device"]


async def test_the_garbage_collector_is_paused_only_while_the_register_opens(make_app, register,
                                                                             monkeypatch):
    import gc

    from pilot_helpers import ready

    import riskreg.storage.database as database

    register.create("owner", {"name": "Dr. Rivera"})
    seen = []
    opener = database.open_database

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return opener(*args, **kwargs)

    monkeypatch.setattr(database, "open_database", spy)
    app = make_app()
    assert gc.isenabled()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert seen == [False]  # paused while the register opened
        assert gc.isenabled()
    assert gc.isenabled()


async def test_a_collector_switched_off_before_the_app_stays_off(make_app, register):
    import gc

    from pilot_helpers import ready

    gc.disable()
    try:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_quitting_leaves_everything_in_the_database_file_alone(make_app, db_path):
    """The app closes the register on the way out: SQLite folds the write-ahead log into the
    file and removes it, so a copy of the .db file alone holds every change."""
    from pathlib import Path

    from pilot_helpers import ready, settle

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("s")  # the starter register: hundreds of rows written
        await settle(pilot, 5)
        assert Path(f"{db_path}-wal").exists()
        await pilot.press("ctrl+q")
    assert not Path(f"{db_path}-wal").exists() and not Path(f"{db_path}-shm").exists()
    import sqlite3

    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as con:
        assert con.execute("select count(*) from hazard").fetchone()[0] == 40


def test_area_opens_the_app_on_that_area_and_is_refused_with_a_command(tmp_path, capsys,
                                                                        app_made_by_cli):
    import pytest

    from riskreg.cli import AREAS, main
    from riskreg.ui.areas import AREAS as APP_AREAS

    assert AREAS == tuple(a.id for a in APP_AREAS)
    assert main(["--db", str(tmp_path / "x.db"), "--area", "hazards"]) == 0
    assert app_made_by_cli["area"] == "hazards"
    assert main(["--db", str(tmp_path / "x.db")]) == 0
    assert app_made_by_cli["area"] is None  # the dashboard
    for argv in (["--area", "hazards", "list", "owners"], ["--area", "heat-map"]):
        with pytest.raises(SystemExit) as stopped:
            main(["--db", str(tmp_path / "x.db"), *argv])
        assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--area is for the full-screen app (riskreg without a command)" in err
    assert "invalid choice: 'heat-map'" in err
    assert not (tmp_path / "x.db").exists()


async def test_the_width_class_is_set_from_the_start_and_follows_a_resize(make_app, register,
                                                                          monkeypatch):
    """Textual adds it on the screen's first resize; set before the widgets mount, they are
    styled once with it instead of twice."""
    from pilot_helpers import ready

    from riskreg.ui.widgets.register_area import RegisterArea

    register.create("owner", {"name": "Dr. Rivera"})
    seen = []
    mounted = RegisterArea.on_mount

    def on_mount(area):
        seen.append(sorted(area.screen.classes & {"-wide", "-narrow"}))
        mounted(area)

    monkeypatch.setattr(RegisterArea, "on_mount", on_mount)
    app = make_app(area="owners")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert seen == [["-wide"]]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.main_screen.has_class("-narrow") and not app.main_screen.has_class("-wide")


async def test_the_theme_chosen_is_the_theme_at_the_next_start(make_app, small_register, tmp_path,
                                                              monkeypatch):
    # New-user run, finding 12: the palette's Theme was back to the default at the next start.
    import stat

    from riskreg.paths import preferences_path

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert app.theme != "solarized-light"
        app.theme = "solarized-light"  # what the palette's "Theme" command does
        await pilot.pause(0.1)
    saved = preferences_path()
    assert saved.is_relative_to(tmp_path)  # never the real user's folder
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600

    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert again.theme == "solarized-light"

    saved.write_text("{not json")  # a damaged file is the defaults, never a refusal
    third = make_app()
    async with third.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert third.theme != "solarized-light" and third.is_running
