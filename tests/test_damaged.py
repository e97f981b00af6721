"""A damaged database page (reliability review D5): every command and the app say in one line
that the file is damaged and name the newest good backup copy with the command that puts it
back; nothing is written into the damaged file, and the daily backup never replaces a good copy
with the damage.

The damage is made as a failing disk or a stray write would make it: bytes of the hazard
table's first b-tree page overwritten in a real register file.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from riskreg.errors import DatabaseDamaged
from riskreg.storage.backup import backup_file, backups_dir
from riskreg.storage.database import open_database, take_daily_backup

TODAY_UTC = datetime.now(UTC)


def _riskreg(*args: str) -> subprocess.CompletedProcess:
    # A bare environment (no HOME, no RISKREG_*), but the riskreg under test: a PYTHONPATH that
    # points at a checkout's src/ is kept, so a second worktree tests its own code.
    env = {"RISKREG_TODAY": "2026-11-26", "PATH": ""}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def _copy_name(db_path: Path, when: datetime, reason: str = "daily") -> Path:
    return backups_dir(db_path) / f"{db_path.stem}-{when:%Y%m%dT%H%M%S}-{reason}.db"


def _damage(db_path: Path) -> None:
    """Overwrite the hazard table's root page with a leaf header whose cells point nowhere."""
    conn = sqlite3.connect(db_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='hazard'").fetchone()[0]
    conn.close()
    assert not Path(f"{db_path}-wal").exists()  # every change is in the file itself
    with open(db_path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\x0d\x00\x00\x00\x05\x00\x10" + b"\xff" * 300)


def _practice_name(db_path: Path) -> str:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT practice_name FROM practice_settings").fetchone()[0]
    finally:
        conn.close()


def _fingerprints(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A register with hazards and a good daily copy from two days ago (built once: each test
    damages its own copy of the folder)."""
    from riskreg.services.register import RegisterService
    from riskreg.services.settings import SettingsService

    db_path = tmp_path_factory.mktemp("built") / "practice" / "riskreg.db"
    db = open_database(db_path)
    SettingsService(db).update({"practice_name": "Before the damage"}, None)
    register = RegisterService(db)
    for n in range(30):
        register.create("hazard", {"title": f"Hazard {n}", "likelihood": 3, "impact": 4,
                                   "target_likelihood": 2, "target_impact": 2})
    backups_dir(db_path).mkdir(mode=0o700)
    backup_file(db_path, _copy_name(db_path, TODAY_UTC - timedelta(days=2)))
    db.close()
    return db_path


@pytest.fixture
def damaged(built, tmp_path) -> Path:
    """The register's folder copied for this test, its database damaged."""
    folder = tmp_path / "practice"
    shutil.copytree(built.parent, folder)
    db_path = folder / built.name
    _damage(db_path)
    return db_path


def _today_s_copy_taken_before_the_damage(db_path: Path) -> Path:
    """Today's daily copy exists (taken before the damage), so start-up takes no copy and runs no
    check: what finds the damage is the command's own read or write."""
    good = _copy_name(db_path, TODAY_UTC - timedelta(days=2))
    today = _copy_name(db_path, TODAY_UTC - timedelta(seconds=5))
    today.write_bytes(good.read_bytes())
    return today


def _assert_damaged_line(out: subprocess.CompletedProcess, db_path: Path, good: Path) -> None:
    assert out.returncode == 1, out
    assert "Traceback" not in out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith(f"riskreg: {db_path} is damaged (SQLite: ")
    assert "nothing was changed" in lines[0]
    assert lines[0].endswith(f"put it back with: riskreg restore {good} --db {db_path}")


@pytest.mark.parametrize("command", [
    ["list", "hazards"],
    ["export", "json", "--out", "{tmp}/all.json"],
    ["settings", "--practice-name", "After the damage"],
], ids=["list hazards", "export json", "settings change"])
def test_each_command_on_a_damaged_file_says_so_and_names_the_good_copy(damaged, tmp_path,
                                                                        command):
    good = _today_s_copy_taken_before_the_damage(damaged)
    args = [arg.format(tmp=tmp_path) for arg in command]
    out = _riskreg(*args, "--db", str(damaged))
    _assert_damaged_line(out, damaged, good)
    assert _practice_name(damaged) == "Before the damage"  # the intact page was not written
    assert not (tmp_path / "all.json").exists()


def test_the_first_command_of_the_day_refuses_a_damaged_file_and_keeps_every_copy(damaged):
    folder = backups_dir(damaged)
    before = _fingerprints(folder)
    out = _riskreg("list", "tools", "--db", str(damaged))  # reads only intact pages
    good = _copy_name(damaged, TODAY_UTC - timedelta(days=2))
    _assert_damaged_line(out, damaged, good)
    assert "Today's backup copy was not made, so every copy in backups/ is kept." in out.stderr
    assert _fingerprints(folder) == before


@pytest.mark.slow  # three commands in a row
def test_the_restore_command_the_message_names_puts_the_good_copy_back(damaged):
    line = _riskreg("list", "hazards", "--db", str(damaged)).stderr.strip()
    command = line.split("put it back with: riskreg ", 1)[1].split(" ")
    out = _riskreg(*command, "--yes")
    assert out.returncode == 0, out.stderr
    listed = _riskreg("list", "hazards", "--db", str(damaged))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[-1] == "30 hazards"


def test_the_daily_backup_never_rotates_out_good_copies_for_a_damaged_one(damaged):
    folder = backups_dir(damaged)
    for days in range(3, 10):  # a full week of good daily copies, older than the fixture's
        backup_file(_copy_name(damaged, TODAY_UTC - timedelta(days=2)),
                    _copy_name(damaged, TODAY_UTC - timedelta(days=days)))
    before = _fingerprints(folder)
    with pytest.raises(DatabaseDamaged, match="every copy in backups/ is kept"):
        take_daily_backup(damaged, TODAY_UTC)
    assert _fingerprints(folder) == before


def test_the_newest_good_copy_skips_a_newer_copy_of_the_damage(damaged):
    # `riskreg restore` keeps the damaged file as a pre-restore copy: never the one to name.
    damaged_copy = _copy_name(damaged, TODAY_UTC - timedelta(hours=1), "pre-restore")
    damaged_copy.write_bytes(damaged.read_bytes())
    good = _copy_name(damaged, TODAY_UTC - timedelta(days=2))
    with pytest.raises(DatabaseDamaged) as error:
        take_daily_backup(damaged, TODAY_UTC)
    assert f"The newest good backup copy is {good} " in str(error.value)
    assert str(damaged_copy) not in str(error.value)


def test_with_no_good_copy_the_line_says_to_keep_the_file_as_it_is(damaged):
    for copy in backups_dir(damaged).iterdir():
        copy.unlink()
    db = open_database(damaged)
    try:
        from riskreg.services.register import RegisterService

        with pytest.raises(DatabaseDamaged, match="There is no good backup copy in .*: copy "
                           "the file somewhere safe as it is"):
            RegisterService(db).list("hazard")
    finally:
        db.close()

