"""An encrypted register in the app: the passphrase asked before it opens (or taken from
$RISKREG_PASSPHRASE), a wrong one explained in the prompt to try again, escape quits."""

from __future__ import annotations

import stat

import pytest
from clock import FIXED_TODAY
from incident_pilot import wait_for
from pilot_helpers import settle
from textual.widgets import Input

pytest.importorskip("sqlcipher3", reason="sqlcipher3 has no wheel for this platform")

from riskreg.ui.dialogs.error import ErrorScreen  # noqa: E402
from riskreg.ui.dialogs.passphrase import PassphraseDialog, Secret  # noqa: E402

PASSPHRASE = "Correct-Horse-7"
HAZARD = {"title": "Laptop stolen from the car", "likelihood": 3, "impact": 5,
          "target_likelihood": 2, "target_impact": 2}


@pytest.fixture
def encrypted_db(db_path):
    """An encrypted register holding one hazard."""
    from riskreg.services.register import RegisterService
    from riskreg.storage.database import open_database

    db = open_database(db_path, passphrase=PASSPHRASE)
    RegisterService(db, today=lambda: FIXED_TODAY).create("hazard", HAZARD)
    db.close()
    return db_path


async def prompt(pilot) -> PassphraseDialog:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, PassphraseDialog)
                   and app.screen.query("#passphrase-open"), "the passphrase prompt")
    await pilot.pause()
    return app.screen


def problem(dialog: PassphraseDialog) -> str:
    shown = dialog.query_one("#passphrase-problem")
    return str(shown.content) if shown.display else ""


def said(app) -> str:
    return "\n".join(n.message for n in app._notifications)


async def test_a_wrong_passphrase_is_explained_in_the_prompt_and_the_right_one_opens(
        make_app, encrypted_db):
    before = encrypted_db.read_bytes()
    app = make_app(encrypted=True)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await prompt(pilot)
        assert dialog.query_one("#passphrase", Input).password
        assert "cannot recover" in str(dialog.query_one("#passphrase-about").content)
        await pilot.press(*"not-it", "enter")
        await wait_for(pilot, lambda: problem(dialog), "the wrong passphrase's message")
        assert problem(dialog) == (f"Wrong passphrase for {encrypted_db} (or it is not a riskreg "
                                   "database); nothing was changed. Try again, or press escape "
                                   "to quit.")
        assert app.screen is dialog and app.register is None
        assert dialog.query_one("#passphrase", Input).value == ""  # typed again from scratch
        assert encrypted_db.read_bytes() == before

        await pilot.press(*PASSPHRASE, "enter")
        await wait_for(pilot, lambda: app.register is not None, "the register")
        await settle(pilot)
        assert not isinstance(app.screen, PassphraseDialog)
        assert [h["title"] for h in app.register.list("hazard").rows] == [
            "Laptop stolen from the car"]
        assert "1 current hazard" in app.main_screen.query_one("#summary").content.plain
        assert app._secret is None  # forgotten once the database is open
        assert PASSPHRASE not in said(app)
    assert app.problem is None


async def test_escape_at_the_prompt_quits_without_opening(make_app, encrypted_db):
    before = encrypted_db.read_bytes()
    app = make_app(encrypted=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await prompt(pilot)
        await pilot.press(*"half", "escape")
        await pilot.pause()
    assert app.return_code == 1
    assert app.problem == "no passphrase given; the encrypted register was not opened"
    assert app.register is None
    assert encrypted_db.read_bytes() == before


async def test_an_empty_passphrase_is_not_tried(make_app, encrypted_db):
    app = make_app(encrypted=True)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await prompt(pilot)
        await pilot.press("enter")
        await settle(pilot, 1)
        assert problem(dialog) == "Type the passphrase (escape quits)."
        assert not dialog.busy and app.register is None


async def test_a_given_passphrase_opens_without_the_prompt(make_app, encrypted_db):
    app = make_app(passphrase=PASSPHRASE)
    seen = []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(300):
            seen.append(type(app.screen).__name__)
            if app.register is not None:
                break
            await pilot.pause(0.02)
        await settle(pilot)
        assert app.register is not None
        assert "PassphraseDialog" not in seen
        assert app.register.list("hazard").total == 1


async def test_a_wrong_given_passphrase_stops_with_the_reason(make_app, encrypted_db):
    app = make_app(passphrase="not it")
    async with app.run_test(size=(80, 24)) as pilot:
        # The screen is pushed before its widgets are mounted: wait for the message itself.
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorScreen)
                       and bool(app.screen.query("#error-message")), "the error")
        assert "wrong passphrase" in str(app.screen.query_one("#error-message").content)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1
    assert app.problem.startswith(f"wrong passphrase for {encrypted_db}")
    assert "not it" not in app.problem


async def test_a_new_encrypted_register_asks_twice_and_is_created_encrypted(make_app, db_path):
    from riskreg.storage.database import SQLITE_HEADER
    from riskreg.ui.dialogs.welcome import WelcomeDialog

    app = make_app(encrypted=True)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await prompt(pilot)
        assert dialog.new
        assert "nobody can recover it" in str(dialog.query_one("#passphrase-about").content)
        await pilot.press(*PASSPHRASE, "enter", *"Correct-Horse-8", "enter")
        await settle(pilot, 1)
        assert problem(dialog) == "The two passphrases differ; type them again."
        assert not db_path.exists()
        await pilot.press(*PASSPHRASE, "enter", *PASSPHRASE, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeDialog), "the welcome")
    assert not db_path.read_bytes().startswith(SQLITE_HEADER)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_secret_never_shows_itself():
    secret = Secret(PASSPHRASE)
    assert PASSPHRASE not in repr(secret) and PASSPHRASE not in str(secret)
    assert PASSPHRASE not in repr([secret]) and secret.reveal() == PASSPHRASE


@pytest.mark.parametrize(("argv", "env", "expected"), [
    (["--encrypted"], {"RISKREG_PASSPHRASE": PASSPHRASE}, (True, PASSPHRASE)),
    (["--encrypted"], {}, (True, None)),
    ([], {"RISKREG_ENCRYPTED": "1"}, (True, None)),
    ([], {"RISKREG_PASSPHRASE": PASSPHRASE}, (False, None)),
])
def test_the_cli_passes_encryption_and_the_passphrase_from_the_environment(
        monkeypatch, tmp_path, app_made_by_cli, argv, env, expected):
    from riskreg.cli import main

    monkeypatch.delenv("RISKREG_ENCRYPTED", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main([*argv, "--db", str(tmp_path / "x.db")]) == 0
    assert (app_made_by_cli["encrypted"], app_made_by_cli["passphrase"]) == expected


def test_escape_at_the_prompt_is_one_line_and_status_1(monkeypatch, tmp_path, capsys):
    import riskreg.ui.app as ui_app
    from riskreg.cli import main

    class GaveUp:
        problem = "no passphrase given; the encrypted register was not opened"
        return_code = 1

        def run(self):
            pass

    monkeypatch.setattr(ui_app, "make_app", lambda *a, **k: GaveUp())
    assert main(["--encrypted", "--db", str(tmp_path / "x.db")]) == 1
    assert capsys.readouterr().err == (
        "riskreg: no passphrase given; the encrypted register was not opened\n")


async def test_a_report_from_an_encrypted_register_warns_it_is_not_encrypted(
        make_app, encrypted_db, tmp_path):
    from riskreg.ui.dialogs.write_report import WriteReportDialog

    out = tmp_path / "ra.html"
    app = make_app(passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.register is not None, "the register")
        await settle(pilot)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WriteReportDialog)
                       and app.screen.query("#report-path"), "the report dialog")
        assert "the report is not" in str(app.screen.query_one("#report-about").content)
        await pilot.press("ctrl+u", *str(out), "ctrl+s")
        await wait_for(pilot, lambda: out.exists(), "the report")
    assert "Laptop stolen from the car" in out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


async def test_the_prompt_waits_with_the_collector_on_and_the_day_s_copy_is_encrypted(
        make_app, encrypted_db):
    import gc

    from riskreg.storage.backup import backups_dir

    app = make_app(encrypted=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await prompt(pilot)
        assert gc.isenabled()  # paused only while the register opens, not while the user types
        await pilot.press(*PASSPHRASE, "enter")
        await wait_for(pilot, lambda: app.register is not None, "the register")
        await settle(pilot)
        assert gc.isenabled()
    daily = list(backups_dir(encrypted_db).glob("*-daily.db"))
    assert len(daily) == 1
    assert not daily[0].read_bytes().startswith(b"SQLite format 3\x00")  # encrypted too
    assert PASSPHRASE.encode() not in daily[0].read_bytes()
