"""A command killed at any write leaves the register whole (reliability review D4, D21, D22).

SIGKILL is injected with strace at spread pwrite64, fsync, link and rename calls of `demo`,
`import json`, `encrypt` and each export (tests/strace_kill.py). After each kill: what is there
passes `PRAGMA integrity_check` and `riskreg audit verify`; the register holds none of the
command's work or all of it; an export's destination is the old file or the complete new one;
the next run finishes the job, and leaves no temporary file. The next runs and the checks run in
this process, to keep the set fast.
"""

import contextlib
import io
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from strace_kill import (
    assert_temp_files_go_once_stale,
    killed_at,
    temp_files,
    trials,
)

from riskreg.cli import main

TODAY = "2026-11-26"
DEMO = ("demo", "--hazards", "3")
WRITES = "pwrite64,fdatasync"
POINTS = {"pwrite64": 3, "fdatasync": 1}
"""Three page writes spread over the run (creating the register, the command's transaction, the
checkpoint at close) and the last flush. (A new register's own creation is tested at every
point by tests/test_migrate_atomic.py.)"""
PASSPHRASE = "a long enough passphrase"


def run_here(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """riskreg's entry point in this process (the next run after a kill), as a subprocess's
    result."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RISKREG_TODAY", TODAY)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def _records(db: Path) -> tuple[int, ...]:
    """What a register holds, table by table: hazards, incidents, settings, audit events."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", db
        return tuple(conn.execute(f"select count(*) from {table}").fetchone()[0]
                     for table in ("hazard", "incident", "practice_settings", "audit_event"))


def _assert_verifies(db: Path, where: str, *options: str, env=None) -> None:
    out = run_here("audit", "verify", "--db", str(db), *options, env=env)
    assert out.returncode == 0 and "intact" in out.stdout, f"{where}: {out.stdout}{out.stderr}"


def _no_temp_files_left(db: Path, where: str, *options: str, env=None) -> None:
    assert_temp_files_go_once_stale(db, where, *options, env=env, run=run_here)
    assert temp_files(db.parent) == [], where


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, tuple[int, ...]]:
    """A complete small demo register, built once, and what it holds."""
    db = tmp_path_factory.mktemp("demo") / "d.db"
    assert run_here(*DEMO, "--db", str(db)).returncode == 0
    return db, _records(db)


def _copy(db: Path, folder: Path) -> Path:
    folder.mkdir()
    copy = folder / db.name
    shutil.copyfile(db, copy)
    copy.chmod(0o600)
    return copy


# -- demo (D22) and import: a new register, all of it or none --------------------------------------

@pytest.mark.slow
def test_demo_killed_at_any_write_leaves_all_of_it_or_none_and_demo_then_finishes(
        strace, tmp_path, demo):
    _, full = demo
    clean = tmp_path / "clean" / "d.db"
    for n, (call, when) in enumerate(trials(WRITES, tmp_path / "calls.log", *DEMO, "--db",
                                            str(clean), points=POINTS)):
        db = tmp_path / f"t{n}" / "d.db"
        killed_at(call, when, *DEMO, "--db", str(db))
        where = f"demo killed at {call} #{when}"
        made = _records(db) if db.exists() else None
        assert made in (None, (0, 0, 0, 0), full), f"{where}: half a demo {made}"
        again = run_here(*DEMO, "--db", str(db))  # was: "builds only into an empty database"
        assert again.returncode == (1 if made == full else 0), f"{where}: {again.stderr}"
        assert _records(db) == full, where
        _assert_verifies(db, where)
        _no_temp_files_left(db, where)


@pytest.mark.slow
def test_import_killed_at_any_write_leaves_all_of_it_or_none_and_the_retry_imports(
        strace, tmp_path, demo):
    source, full = demo
    export = tmp_path / "register.json"
    assert run_here("export", "json", "--out", str(export), "--db", str(source)).returncode == 0
    args = ("import", "json", str(export))
    for n, (call, when) in enumerate(trials(WRITES, tmp_path / "calls.log", *args, "--db",
                                            str(tmp_path / "clean" / "d.db"), points=POINTS)):
        db = tmp_path / f"t{n}" / "d.db"
        killed_at(call, when, *args, "--db", str(db))
        where = f"import killed at {call} #{when}"
        made = _records(db) if db.exists() else None
        assert made in (None, (0, 0, 0, 0), full), f"{where}: half an import {made}"
        if made != full:
            again = run_here(*args, "--db", str(db))
            assert again.returncode == 0, f"{where}: {again.stderr}"
        assert _records(db) == full, where
        _assert_verifies(db, where)
        _no_temp_files_left(db, where)


# -- encrypt (D21): --out is absent or the complete, verified copy --------------------------------

@pytest.mark.slow
def test_encrypt_killed_at_any_write_leaves_nothing_at_out_or_the_whole_copy(
        strace, tmp_path, demo):
    pytest.importorskip("sqlcipher3", reason="sqlcipher3 has no wheel for this platform")
    source, _ = demo
    secret = {"RISKREG_PASSPHRASE": PASSPHRASE}
    plain = _copy(source, tmp_path / "plain")
    hazards = run_here("list", "hazards", "--json", "--db", str(plain)).stdout
    first = ("encrypt", "--db", str(plain), "--out", str(tmp_path / "clean.db"))
    # sqlcipher_export commits table by table, each with its fsyncs: spread over them.
    for n, (call, when) in enumerate(trials("fsync,link", tmp_path / "calls.log", *first,
                                            env=secret, points={"fsync": 4, "link": 1})):
        out = tmp_path / f"t{n}" / "e.db"
        out.parent.mkdir()
        args = ("encrypt", "--db", str(plain), "--out", str(out))
        killed_at(call, when, *args, env=secret)
        where = f"encrypt killed at {call} #{when}"
        existed = out.exists()
        again = run_here(*args, env=secret)  # was: "already exists; choose a new file name"
        if existed:
            assert "already exists" in again.stderr, f"{where}: {again.stderr}"
        else:
            assert again.returncode == 0, f"{where}: {again.stderr}"
        listed = run_here("list", "hazards", "--json", "--encrypted", "--db", str(out), env=secret)
        assert listed.stdout == hazards, where  # never an empty register
        _assert_verifies(out, where, "--encrypted", env=secret)
        assert temp_files(out.parent) == [], where


# -- exports: the destination is the old file or the complete new one -----------------------------

EXPORTS = {
    "ics": ("export", "ics"),
    "json": ("export", "json"),
    "csv": ("export", "csv", "--what", "hazards"),
}


def _same_export(kind: str, data: bytes, clean: bytes) -> bool:
    if kind != "json":
        return data == clean  # the same data gives the same bytes
    try:
        document = json.loads(data)
    except ValueError:
        return False
    return {**document, "exported_at": None} == {**json.loads(clean), "exported_at": None}


@pytest.mark.slow
@pytest.mark.parametrize("kind", EXPORTS)
def test_an_export_killed_before_its_flush_or_rename_leaves_the_old_file(
        strace, tmp_path, demo, kind):
    source, full = demo
    db = _copy(source, tmp_path / "register")
    out = db.parent / f"export.{kind}"
    args = (*EXPORTS[kind], "--out", str(out), "--db", str(db))
    assert run_here(*args).returncode == 0
    clean = out.read_bytes()
    for call, when in trials("fsync,rename", tmp_path / "calls.log", *args,
                             points={"fsync": 1, "rename": 1}):
        out.write_bytes(b"the calendar as it was")
        killed_at(call, when, *args)
        where = f"export {kind} killed at {call} #{when}"
        data = out.read_bytes()
        assert data == b"the calendar as it was" or _same_export(kind, data, clean), where
        assert _records(db) == full, where
        _no_temp_files_left(db, where)
        again = run_here(*args)
        assert again.returncode == 0 and _same_export(kind, out.read_bytes(), clean), where
