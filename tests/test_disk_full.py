"""A full disk says "the disk is full" (reliability review D19), whichever way it reaches
riskreg: the operating system's ENOSPC, SQLite's SQLITE_FULL, or SQLite's "disk I/O error" when
it cannot grow its -shm file on a disk with no room left.

The end-to-end cases run each command on a real 5 MB tmpfs filled to the room the review
measured, in a private mount namespace (`unshare -m`): this needs root (CI runs as root); a
machine that cannot mount one skips them, CI does not.
"""

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from riskreg.storage import files
from riskreg.storage.files import LOW_SPACE_BYTES, disk_is_full


def _sqlite_error(code: int, message: str) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


def test_enospc_and_sqlite_full_are_a_full_disk(tmp_path):
    assert disk_is_full(OSError(errno.ENOSPC, "No space left on device"), tmp_path)
    assert disk_is_full(_sqlite_error(13, "database or disk is full"), tmp_path)
    assert not disk_is_full(OSError(errno.EACCES, "Permission denied"), tmp_path)


def test_a_disk_i_o_error_is_a_full_disk_only_when_no_room_is_left(tmp_path, monkeypatch):
    shm_size_error = _sqlite_error(4874, "disk I/O error")  # SQLITE_IOERR_SHMSIZE
    monkeypatch.setattr(files, "free_bytes", lambda _folder: 16 * 1024)
    assert disk_is_full(shm_size_error, tmp_path)
    monkeypatch.setattr(files, "free_bytes", lambda _folder: 10 * LOW_SPACE_BYTES)
    assert not disk_is_full(shm_size_error, tmp_path)  # a failing disk, not a full one


FILL = r'''
set -eu
mount -t tmpfs -o size=5m tmpfs "$MNT"
mkdir -m 700 "$MNT/p"
cp "$GOOD" "$MNT/p/d.db"
mkdir -m 700 "$MNT/p/backups"
cp "$GOOD" "$MNT/p/backups/d-$(date -u +%Y%m%dT%H%M%S)-daily.db"  # no daily copy to take
room=$(stat -f -c '%a*%S' "$MNT")
head -c $(( room - LEFT_KB * 1024 )) /dev/zero > "$MNT/filler" || true
set +e
"$PYTHON" -m riskreg "$@"
echo "rc=$?"
rm "$MNT/filler"  # room for the check's own -shm
"$PYTHON" -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);
print(c.execute('PRAGMA quick_check').fetchone()[0], c.execute(
'SELECT practice_name FROM practice_settings').fetchone()[0])" "$MNT/p/d.db"
'''


@pytest.fixture(scope="module")
def tmpfs(tmp_path_factory) -> Path:
    """A folder to mount a tmpfs on, when this machine lets the tests mount one."""
    where = tmp_path_factory.mktemp("mnt")
    unshare = shutil.which("unshare")
    works = unshare and os.geteuid() == 0 and subprocess.run(
        [unshare, "-m", "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {where}"],
        capture_output=True).returncode == 0
    if not works:
        if os.environ.get("CI"):
            pytest.fail("the full-disk tests need root and unshare in CI")
        pytest.skip("mounting a tmpfs needs root (unshare -m)")
    return where


@pytest.fixture(scope="module")
def good_db(tmp_path_factory) -> Path:
    from riskreg.services.register import RegisterService
    from riskreg.services.settings import SettingsService
    from riskreg.storage.backup import backup_file
    from riskreg.storage.database import open_database

    folder = tmp_path_factory.mktemp("good")
    db = open_database(folder / "live.db")
    SettingsService(db).update({"practice_name": "Before"}, None)
    register = RegisterService(db)
    for n in range(100):  # an export of about 200 KB: more than the room left
        register.create("hazard", {"title": f"Hazard {n}", "likelihood": 3, "impact": 4,
                                   "target_likelihood": 2, "target_impact": 2})
    db.close()
    return backup_file(folder / "live.db", folder / "d.db")  # one file, no -wal


@pytest.mark.parametrize(("left_kb", "command"), [
    (0, ["settings", "--practice-name", "After"]),
    (16, ["export", "ics", "--out", "{mnt}/p/x.ics"]),
    (16, ["report", "risk-analysis", "--out", "{mnt}/p/r.html"]),
    (100, ["export", "json", "--out", "{mnt}/p/x.json"]),  # the file does not fit
], ids=["settings change at 0 KB", "export ics at 16 KB", "report html at 16 KB",
        "export json at 100 KB"])
def test_every_command_on_a_full_disk_says_the_disk_is_full(tmpfs, good_db, left_kb, command):
    args = [arg.format(mnt=tmpfs) for arg in command]
    env = {"MNT": str(tmpfs), "GOOD": str(good_db), "LEFT_KB": str(left_kb),
           "PYTHON": sys.executable, "RISKREG_TODAY": "2026-11-26", "PATH": os.environ["PATH"]}
    if "PYTHONPATH" in os.environ:  # a second worktree's run tests its own riskreg
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    out = subprocess.run(["unshare", "-m", "bash", "-c", FILL, "fill", *args, "--db",
                          f"{tmpfs}/p/d.db"], capture_output=True, text=True, env=env, timeout=120)
    said = out.stderr.strip()
    rc, check = out.stdout.strip().splitlines()[-2:]
    assert rc == "rc=1", out
    assert "Traceback" not in said and len(said.splitlines()) == 1, said
    assert ": the disk is full (" in said, said
    assert said.endswith("Free some space on that disk and try again."), said
    assert ("nothing was changed" in said) or ("nothing was written" in said), said
    assert check == "ok Before"  # intact, and the change was not made
