"""Encryption at rest (SQLCipher): new encrypted databases, `riskreg encrypt`, wrong passphrases."""

import os
import subprocess
import sys

import pytest

pytest.importorskip("sqlcipher3", reason="sqlcipher3 has no wheel for this platform")

from strace_kill import under_strace  # noqa: E402

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


# -- the encrypted copy: private from the start, and only ever complete (review D13, D21) -------

def _plain_register(path):
    db = open_database(path)
    RegisterService(db).create("owner", {"name": "Owner To Encrypt"})
    db.close()
    return path


def test_encrypt_names_out_only_once_the_copy_is_complete_and_verified(tmp_path, monkeypatch):
    from riskreg.cli import main
    from riskreg.storage import verify

    plain, secret = _plain_register(tmp_path / "plain.db"), tmp_path / "out" / "secret.db"
    secret.parent.mkdir()
    real = verify.compare_databases
    seen = []

    def verify_and_look(original, copy, passphrase=None):
        seen.append((secret.exists(), oct(copy.stat().st_mode & 0o777)))
        real(original, copy, passphrase)

    monkeypatch.setattr(verify, "compare_databases", verify_and_look)
    monkeypatch.setenv("RISKREG_PASSPHRASE", PASSPHRASE)
    assert main(["encrypt", "--db", str(plain), "--out", str(secret)]) == 0
    assert seen == [(False, "0o600")]  # was: the partial copy at --out, 0644 until the end
    assert sorted(p.name for p in secret.parent.iterdir()) == ["secret.db"]
    assert oct(secret.stat().st_mode & 0o777) == "0o600"


def test_encrypt_removes_what_a_killed_encrypt_left_and_makes_the_copy(tmp_path):
    plain, secret = _plain_register(tmp_path / "plain.db"), tmp_path / "out" / "secret.db"
    secret.parent.mkdir()
    gone = 2 ** 22 + 4321  # a process id no live process has (above the usual pid_max)
    left = [secret.with_name(f".secret.db.new-{gone}.tmp{end}") for end in ("", "-journal")]
    for path in left:
        path.write_bytes(b"half an encrypted copy")
        path.chmod(0o600)
    result = _riskreg("encrypt", "--db", str(plain), "--out", str(secret))
    assert result.returncode == 0, result.stderr
    assert "Removed 2 temporary files an interrupted run left" in result.stderr
    assert [p for p in left if p.exists()] == []
    assert _riskreg("list", "owners", "--encrypted", "--db", str(secret)).returncode == 0


def test_encrypt_creates_its_copy_and_journal_private_from_the_start(tmp_path, strace):
    """Under umask 022 every file `encrypt` creates beside --out is created 0600 (strace shows
    the mode each open(O_CREAT) asks for): never readable by others, not even for a moment.
    A file's first open creates it (SQLite reopens the database asking 0644, which changes
    nothing then); SQLite gives a journal the database's mode at every open."""
    import re

    plain, out = _plain_register(tmp_path / "plain.db"), tmp_path / "out"
    out.mkdir()
    log = tmp_path / "open.log"
    old = os.umask(0o022)
    try:
        result = under_strace(["-o", str(log), "-e", "trace=open,openat,creat"], "encrypt",
                              "--db", str(plain), "--out", str(out / "secret.db"),
                              env={"RISKREG_PASSPHRASE": PASSPHRASE})
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    created = re.findall(rf'"({re.escape(str(out))}/[^"]+)", [A-Z_|]*O_CREAT[A-Z_|]*, (0\d+)\)',
                         log.read_text())
    assert any(path.endswith("-journal") for path, _ in created), created
    first = {}
    for path, mode in created:
        first.setdefault(path, mode)
    companions = {mode for path, mode in created if path.endswith(("-journal", "-wal", "-shm"))}
    assert set(first.values()) | companions == {"0600"}, created


# -- the original's plaintext backups (review D11) ----------------------------------------------

def _with_plaintext_backups(folder):
    """A plaintext register with two rolling copies in backups/, and a copy of another database
    there that is not its own."""
    import shutil

    plain = _plain_register(folder / "plain.db")
    backups = folder / "backups"
    backups.mkdir()
    own = [backups / "plain-20261120T080000-daily.db",
           backups / "plain-20261121T080000-pre-migration.db"]
    for path in (*own, backups / "plain-2-20261120T080000-daily.db"):
        shutil.copyfile(plain, path)
        path.chmod(0o600)
    return plain, own


def test_encrypt_says_how_many_plaintext_backups_are_left_and_keeps_them(tmp_path):
    plain, own = _with_plaintext_backups(tmp_path)
    result = _riskreg("encrypt", "--db", str(plain), "--out", str(tmp_path / "secret.db"))
    assert result.returncode == 0, result.stderr
    assert (f"{tmp_path / 'backups'} still holds 2 plaintext copies of the register, not "
            "encrypted: remove them with the original once you have tried the copy."
            ) in result.stdout.splitlines()
    assert all(path.exists() for path in own)  # never removed unasked


def test_encrypt_removes_the_plaintext_backups_when_asked_by_the_flag(tmp_path):
    plain, own = _with_plaintext_backups(tmp_path)
    result = _riskreg("encrypt", "--db", str(plain), "--out", str(tmp_path / "secret.db"),
                      "--remove-plaintext-backups")
    assert result.returncode == 0, result.stderr
    assert f"Removed 2 plaintext copies from {tmp_path / 'backups'}." in result.stdout
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        "plain-2-20261120T080000-daily.db"]  # another database's copy
    assert plain.exists()  # the original is the user's to remove


@pytest.mark.parametrize("answer, removed", [(b"y\n", True), (b"\n", False), (b"\x04", False)],
                         ids=["yes", "no", "ctrl-d"])
def test_encrypt_in_a_terminal_asks_before_removing_the_plaintext_backups(tmp_path, answer,
                                                                         removed):
    from terminal import in_terminal

    plain, own = _with_plaintext_backups(tmp_path)
    code, shown = in_terminal(["encrypt", "--db", str(plain), "--out", str(tmp_path / "s.db")],
                              [b"a long passphrase\n", b"a long passphrase\n", answer])
    assert code == 0 and "Traceback" not in shown, shown
    assert "holds 2 plaintext copies of the register, not encrypted. Remove them now? [y/N]" \
        in shown
    assert [path.exists() for path in own] == [not removed] * 2
