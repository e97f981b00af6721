"""The garbage collector around a CLI command (riskreg.collector): paused for the imports, on for
the command's own work, as it was once the command returns, frozen before the interpreter exits."""

import gc
import subprocess
import sys

import pytest

from riskreg.cli import main


@pytest.fixture
def collector_on():
    gc.unfreeze()
    gc.enable()
    yield
    gc.enable()


def test_a_command_runs_its_work_with_the_collector_on_and_leaves_it_as_it_was(
        collector_on, tmp_path, monkeypatch):
    import riskreg.services.register as register

    seen = []
    real = register.RegisterService.list

    def spy(self, *args, **kwargs):
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(register.RegisterService, "list", spy)
    db = str(tmp_path / "r.db")
    assert main(["--db", db, "init", "--starter"]) == 0
    assert main(["--db", db, "list", "hazards", "--json"]) == 0
    # While listing: collector on, start-up's objects frozen out of its passes.
    assert seen == [(True, True)]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_command_that_fails_before_opening_a_database_leaves_the_collector_on(
        collector_on, tmp_path):
    bad_alarms = ["export", "ics", "--out", str(tmp_path / "c.ics"), "--alarms", "soon"]
    assert main(["--db", str(tmp_path / "r.db"), *bad_alarms]) == 2
    assert not (tmp_path / "r.db").exists()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_switched_off_before_the_command_stays_off(tmp_path):
    gc.disable()
    try:
        assert main(["--db", str(tmp_path / "r.db"), "init", "--starter"]) == 0
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_everything_is_frozen_before_the_interpreter_finalizes():
    # atexit runs its functions last registered first: this probe runs after the CLI's hook.
    code = ("import atexit, gc\n"
            "atexit.register(lambda: print(gc.get_freeze_count() > 0))\n"
            "import riskreg.cli\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_a_start_up_that_resumes_after_it_is_done_freezes_nothing(collector_on):
    # The app's opening worker can outlive the app: its late resume must leave nothing frozen.
    from riskreg.collector import StartUp

    start = StartUp()
    start.pause()
    assert not gc.isenabled()
    start.done()
    start.resume()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_start_up_freezes_what_exists_when_the_database_is_open_until_it_is_done(collector_on):
    from riskreg.collector import StartUp

    start = StartUp()
    start.pause()
    start.resume()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    start.done()
    assert gc.isenabled() and gc.get_freeze_count() == 0
