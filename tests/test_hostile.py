"""Hostile conditions: a database locked by another program, a disk that fills during a write."""

import errno
import os
import sqlite3

import pytest

from riskreg.errors import DatabaseError, UserError
from riskreg.services.register import RegisterService
from riskreg.storage import database, files
from riskreg.storage import sqlite as sqlite_backend
from riskreg.storage.database import open_database


def test_a_database_locked_by_another_program_gets_a_busy_message_and_no_change(
    db_path, monkeypatch
):
    open_database(db_path).close()
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    # The SQLite backend sets busy_timeout (storage/sqlite.py); the engine reads database's.
    monkeypatch.setattr(sqlite_backend, "BUSY_TIMEOUT_MS", 300)
    db = open_database(db_path)
    register = RegisterService(db)
    other = sqlite3.connect(db_path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError, match="busy in another window"):
            register.create("owner", {"name": "Blocked"})
    finally:
        other.rollback()
        other.close()
    assert register.list("owner").total == 0
    register.create("owner", {"name": "After the lock"})  # and it works once the lock is gone
    assert register.list("owner").total == 1
    db.close()


def test_a_full_disk_during_a_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "export.ics"
    target.write_bytes(b"the previous export")

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", no_space)
    with pytest.raises(UserError, match="the disk is full .*; nothing was written"):
        files.write_atomic(target, b"a new export that does not fit")
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.ics"]


def test_an_atomic_write_is_private_even_when_the_old_file_was_not(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(0o644)
    files.write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_writing_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        files.write_atomic(tmp_path / "nowhere" / "x.ics", b"x")
