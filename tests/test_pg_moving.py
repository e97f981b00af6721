"""Moving a solo register onto the practice's server (issue 22, README "Group practice"):
`riskreg export json` from the SQLite file, `riskreg import json` into an empty PostgreSQL
database, and the server's export is the same document (audit chain included, verifying)."""

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def riskreg(*args):
    env = {**os.environ, "RISKREG_TODAY": "2026-11-26", "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _document(path: Path) -> dict:
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("exported_at")
    return document


def test_a_register_moved_from_sqlite_to_postgresql_exports_the_same_document(pg_url, tmp_path):
    solo = str(tmp_path / "solo.db")
    assert riskreg("demo", "--db", solo).returncode == 0
    assert riskreg("settings", "--practice-name", "Rivera Counseling", "--db", solo).returncode == 0
    first, second = tmp_path / "from-sqlite.json", tmp_path / "from-postgresql.json"
    assert riskreg("export", "json", "--db", solo, "--out", str(first)).returncode == 0
    done = riskreg("import", "json", str(first), "--db", pg_url)
    assert done.returncode == 0, done.stderr
    verify = riskreg("audit", "verify", "--db", pg_url)
    assert verify.returncode == 0 and verify.stdout.startswith("Audit log intact"), verify.stdout
    assert riskreg("export", "json", "--db", pg_url, "--out", str(second)).returncode == 0
    moved, back = _document(first), _document(second)
    assert moved["audit_log"] and moved["tables"]["incident"]
    assert back == moved
    # And back again: the server's export makes the same SQLite register.
    again = str(tmp_path / "again.db")
    assert riskreg("import", "json", str(second), "--db", again).returncode == 0
    third = tmp_path / "again.json"
    assert riskreg("export", "json", "--db", again, "--out", str(third)).returncode == 0
    assert _document(third) == moved


def test_a_refused_import_leaves_the_server_register_as_it_was(pg_url, tmp_path):
    assert riskreg("demo", "--db", pg_url, "--hazards", "5").returncode == 0
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    assert riskreg("export", "json", "--db", pg_url, "--out", str(before)).returncode == 0
    junk = tmp_path / "junk.json"
    junk.write_text("[]", encoding="utf-8")
    done = riskreg("import", "json", str(junk), "--merge", "--db", pg_url)
    assert done.returncode == 2 and "not a riskreg export" in done.stderr
    done = riskreg("import", "json", str(before), "--db", pg_url)  # not empty, no --merge
    assert done.returncode == 2 and "already holds records" in done.stderr
    assert "postgresql://" in done.stderr  # named by its URL
    assert riskreg("export", "json", "--db", pg_url, "--out", str(after)).returncode == 0
    assert _document(after) == _document(before)


def test_backup_on_a_server_writes_the_json_export_and_restore_and_encrypt_say_why_not(
        pg_url, tmp_path):
    assert riskreg("demo", "--db", pg_url, "--hazards", "5").returncode == 0
    out = tmp_path / "server-backup.json"
    done = riskreg("backup", "--db", pg_url, "--out", str(out))
    assert done.returncode == 0 and "as a JSON export" in done.stdout, done.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    assert json.loads(out.read_text(encoding="utf-8"))["audit_log"]
    done = riskreg("encrypt", "--db", pg_url, "--out", str(tmp_path / "x.db"))
    assert done.returncode == 1 and "encryption is the server's job" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.db").exists()
    done = riskreg("restore", str(out), "--db", pg_url, "--yes")
    assert done.returncode == 1 and "riskreg restore replaces an SQLite file" in done.stderr
    done = riskreg("list", "tools", "--encrypted", "--db", pg_url)
    assert done.returncode == 1 and "encryption is the server's job" in done.stderr
