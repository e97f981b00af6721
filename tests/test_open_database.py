"""What `--db` names is checked before anything touches it (reliability review D6, D7, D15).

A FIFO hung the commands, a zero-byte file or a dangling symbolic link silently became a
database, and another program's SQLite file was switched to WAL and chmod'ed while the message
said "nothing was changed". Each kind is tried with `riskreg list tools`, `riskreg init` and
`open_database`; afterwards the folder is exactly as it was.
"""

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from riskreg.errors import DatabaseError
from riskreg.storage.database import open_database

TIMEOUT = 30  # a FIFO that is opened waits forever: the subprocess is killed and the test fails


def _riskreg(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RISKREG_TODAY": "2026-11-26"}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, timeout=TIMEOUT)


def _snapshot(folder: Path) -> dict[str, tuple]:
    """Every name in the folder with its kind, mode and (for a regular file) content hash."""
    seen = {}
    for entry in sorted(folder.iterdir()):
        info = os.lstat(entry)
        digest = None
        if stat.S_ISREG(info.st_mode):
            digest = hashlib.sha256(entry.read_bytes()).hexdigest()
        elif stat.S_ISLNK(info.st_mode):
            digest = os.readlink(entry)
        seen[entry.name] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), digest)
    return seen


def _fifo(path: Path) -> str:
    os.mkfifo(path, 0o600)
    return "named pipe"


def _zero_bytes(path: Path) -> str:
    path.write_bytes(b"")
    path.chmod(0o644)
    return "is empty (0 bytes): not a riskreg database; remove it or choose another path"


def _dangling_link(path: Path) -> str:
    target = path.parent / "elsewhere" / "moved.db"
    path.symlink_to(target)
    return f"symbolic link to {target}, which does not exist"


def _other_program(path: Path) -> str:
    with sqlite3.connect(path) as conn:  # journal mode DELETE, as most programs leave it
        conn.execute("create table contacts (name text, phone text)")
        conn.execute("insert into contacts values ('A. Client', '555-0100')")
    conn.close()
    path.chmod(0o644)
    return "not a riskreg"


def _folder(path: Path) -> str:
    path.mkdir()
    return "folder"


KINDS = {
    "fifo": _fifo, "zero-bytes": _zero_bytes, "dangling-symlink": _dangling_link,
    "other-program-sqlite": _other_program, "folder": _folder,
}


@pytest.fixture
def place(tmp_path) -> Path:
    folder = tmp_path / "practice"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    return folder


def _assert_one_line_refusal(out: subprocess.CompletedProcess, expected: str) -> None:
    assert out.returncode in (1, 2), out
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("riskreg: "), out.stderr
    assert expected in lines[0], lines[0]
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", [["list", "tools"], ["init"]])
def test_a_db_that_is_not_a_riskreg_file_is_refused_in_one_line_and_left_as_it_was(
        place, kind, command):
    path = place / "riskreg.db"
    expected = KINDS[kind](path)
    before = _snapshot(place)
    out = _riskreg(*command, "--db", str(path))
    _assert_one_line_refusal(out, expected)
    if command == ["list", "tools"]:
        assert out.returncode == 1  # a DatabaseError
    assert _snapshot(place) == before
    assert not (place / "elsewhere").exists()  # nothing was created at a link's target


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "fifo"])
def test_open_database_refuses_what_is_not_a_riskreg_file_before_touching_it(place, kind):
    path = place / "riskreg.db"
    expected = KINDS[kind](path)
    before = _snapshot(place)
    with pytest.raises(DatabaseError) as error:
        open_database(path, daily_backup=True)
    assert expected in str(error.value)
    assert "\n" not in str(error.value)
    assert _snapshot(place) == before


def test_open_database_refuses_a_fifo_without_opening_it(place):
    path = place / "riskreg.db"
    _fifo(path)
    code = (
        "import sys\n"
        "from riskreg.errors import DatabaseError\n"
        "from riskreg.storage.database import open_database\n"
        "try:\n"
        "    open_database(sys.argv[1])\n"
        "except DatabaseError as error:\n"
        "    print(error)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, timeout=TIMEOUT)
    assert out.returncode == 0, out.stderr
    assert "named pipe" in out.stdout and out.stdout.count("\n") == 1
    assert stat.S_ISFIFO(os.lstat(path).st_mode)


def test_another_program_s_sqlite_file_is_byte_identical_with_the_same_mode_afterwards(place):
    path = place / "contacts.db"
    _other_program(path)
    data, mode = path.read_bytes(), stat.S_IMODE(path.stat().st_mode)
    assert data[18:20] == b"\x01\x01"  # journal mode DELETE (rollback journal)
    for _ in range(2):
        with pytest.raises(DatabaseError, match="not a riskreg one; nothing was changed"):
            open_database(path)
        assert _riskreg("list", "tools", "--db", str(path)).returncode == 1
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == mode == 0o644
    assert sorted(p.name for p in place.iterdir()) == ["contacts.db"]


def test_a_database_from_a_newer_riskreg_keeps_its_mode_when_refused(place):
    path = place / "riskreg.db"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("update alembic_version set version_num = '9999_from_the_future'")
    conn.close()
    path.chmod(0o644)
    before = _snapshot(place)
    with pytest.raises(DatabaseError, match="newer version of riskreg"):
        open_database(path)
    assert _snapshot(place) == before


def test_a_symbolic_link_to_a_riskreg_database_still_opens_through_the_link(place):
    real = place / "real.db"
    open_database(real).close()
    link = place / "link.db"
    link.symlink_to(real)
    db = open_database(link)
    db.close()
    assert os.path.islink(link)
    out = _riskreg("list", "tools", "--db", str(link))
    assert out.returncode == 0, out.stderr


def test_a_missing_path_is_still_created_as_a_new_database(place):
    path = place / "new" / "riskreg.db"
    db = open_database(path)
    assert not db.existed
    db.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["riskreg.db"]


def test_another_program_s_file_with_an_unfinished_transaction_is_refused_untouched(place):
    """A hot journal (its writer was killed) is rolled back only in a file that is ours."""
    path = place / "contacts.db"
    _other_program(path)
    code = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA cache_size=1')  # spill pages to the file before the commit\n"
        "conn.execute('BEGIN')\n"
        "conn.executemany('insert into contacts values (?, ?)', [('x' * 500, 'y')] * 2000)\n"
        "os._exit(0)  # killed mid-transaction\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=TIMEOUT)
    assert (place / "contacts.db-journal").stat().st_size > 0
    before = _snapshot(place)
    with pytest.raises(DatabaseError, match="not a riskreg one; nothing was changed"):
        open_database(path)
    assert _snapshot(place) == before
