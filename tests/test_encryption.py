"""Encryption at rest (SQLCipher): new encrypted databases, `riskreg encrypt`, wrong passphrases."""

import os
import subprocess
import sys

import pytest

pytest.importorskip("sqlcipher3", reason="sqlcipher3 has no wheel for this platform")

from riskreg.errors import DatabaseError  # noqa: E402
from riskreg.services.register import RegisterService  # noqa: E402
from riskreg.storage.database import SQLITE_HEADER, open_database  # noqa: E402

PASSPHRASE = "correct horse 'battery' staple"


def test_an_encrypted_database_hides_its_contents_and_reopens_with_the_passphrase(tmp_path):
    path = tmp_path / "secret.db"
    db = open_database(path, passphrase=PASSPHRASE)
    RegisterService(db).create("owner", {"name": "Distinctive Owner Name"})
    db.close()
    raw = path.read_bytes()
    assert not raw.startswith(SQLITE_HEADER)
    assert b"Distinctive Owner Name" not in raw
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    again = open_database(path, passphrase=PASSPHRASE)
    assert [r["name"] for r in RegisterService(again).list("owner").rows] == ["Distinctive Owner Name"]
    again.close()


def test_a_wrong_passphrase_gets_a_clear_message_and_changes_nothing(tmp_path):
    path = tmp_path / "secret.db"
    open_database(path, passphrase=PASSPHRASE).close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="wrong passphrase"):
        open_database(path, passphrase="not it")
    assert path.read_bytes() == before


def test_opening_an_encrypted_file_without_the_flag_says_to_use_it(tmp_path):
    path = tmp_path / "secret.db"
    open_database(path, passphrase=PASSPHRASE).close()
    with pytest.raises(DatabaseError, match="--encrypted"):
        open_database(path)


def _riskreg(*args, passphrase=PASSPHRASE):
    env = {**os.environ, "RISKREG_PASSPHRASE": passphrase}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_encrypt_makes_a_verified_copy_and_keeps_the_original(tmp_path):
    plain, secret = tmp_path / "plain.db", tmp_path / "secret.db"
    assert _riskreg("init", "--starter", "--db", str(plain)).returncode == 0
    original = plain.read_bytes()
    result = _riskreg("encrypt", "--db", str(plain), "--out", str(secret))
    assert result.returncode == 0, result.stderr
    assert "verified" in result.stdout
    assert plain.read_bytes() == original
    listed = _riskreg("list", "hazards", "--json", "--encrypted", "--db", str(secret))
    plain_listed = _riskreg("list", "hazards", "--json", "--db", str(plain))
    assert listed.stdout == plain_listed.stdout
    verify = _riskreg("audit", "verify", "--encrypted", "--db", str(secret))
    assert verify.returncode == 0


def test_the_cli_reports_a_wrong_passphrase_in_one_line(tmp_path):
    path = tmp_path / "secret.db"
    open_database(path, passphrase=PASSPHRASE).close()
    result = _riskreg("list", "owners", "--encrypted", "--db", str(path), passphrase="nope")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"riskreg: wrong passphrase for {path} (or it is not a riskreg database); nothing was changed"
    ]


def test_a_backup_of_an_encrypted_database_stays_encrypted(tmp_path):
    from riskreg.storage.backup import backup_file

    path = tmp_path / "secret.db"
    db = open_database(path, passphrase=PASSPHRASE)
    RegisterService(db).create("owner", {"name": "Owner In Backup"})
    db.close()
    copy = backup_file(path, tmp_path / "copy.db", PASSPHRASE)
    assert b"Owner In Backup" not in copy.read_bytes()
    reopened = open_database(copy, passphrase=PASSPHRASE)
    assert RegisterService(reopened).list("owner").total == 1
    reopened.close()
