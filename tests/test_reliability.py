"""Nothing is lost: a writer killed at random moments, and two windows writing at once."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from riskreg.errors import ConflictError
from riskreg.services.register import ListQuery, RegisterService
from riskreg.storage import audit
from riskreg.storage.database import open_database

ROOT = Path(__file__).resolve().parents[1]
KILLS = 50


def _writer(db_path: Path, tag: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.writer", str(db_path), tag, str(count)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _committed(output: str) -> list[str]:
    """Public ids the writer reported, ignoring a line the kill may have cut short."""
    lines = output.split("\n")
    return [line for line in lines[:-1] if len(line) == 36]


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_loses_no_committed_write(db_path):
    open_database(db_path).close()
    rng = random.Random(20261126)
    reported: list[str] = []
    for round_ in range(KILLS):
        proc = _writer(db_path, f"r{round_}", 0)
        first = proc.stdout.readline()  # wait until it is really writing
        assert len(first.strip()) == 36, proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate()
        reported += _committed(first + rest)

        with sqlite3.connect(db_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            present = {row[0] for row in conn.execute("select public_id from owner")}
        missing = [pid for pid in reported if pid not in present]
        assert not missing, f"after kill {round_ + 1}: {len(missing)} committed writes lost"
        db = open_database(db_path)
        with db.reading() as session:
            result = audit.verify(session)
        db.close()
        assert result.ok, f"after kill {round_ + 1}: {result.problem}"
    assert len(reported) > KILLS


def test_two_windows_writing_at_once_both_succeed_without_locking_errors(db_path):
    open_database(db_path).close()
    writers = [_writer(db_path, tag, 60) for tag in ("left", "right")]
    outputs = [w.communicate(timeout=120) for w in writers]
    for w, (out, err) in zip(writers, outputs):
        assert w.returncode == 0, err
        assert "locked" not in err
    db = open_database(db_path)
    register = RegisterService(db)
    names = {r["name"] for r in register.list("owner", ListQuery(limit=None)).rows}
    with db.reading() as session:
        assert audit.verify(session).checked == 120
    db.close()
    assert {f"left-{n}" for n in range(1, 61)} <= names
    assert {f"right-{n}" for n in range(1, 61)} <= names


def test_a_second_window_cannot_overwrite_a_change_it_has_not_seen(db_path):
    first = RegisterService(open_database(db_path))
    second = RegisterService(open_database(db_path))
    hazard = first.create("hazard", {"title": "Phishing", "likelihood": 3, "impact": 3,
                                     "target_likelihood": 2, "target_impact": 2})
    seen_by_second = second.get("hazard", hazard["public_id"])
    first.update("hazard", hazard["public_id"], {"impact": 5}, expected_revision=1)
    with pytest.raises(ConflictError):
        second.update("hazard", hazard["public_id"], {"impact": 1},
                      expected_revision=seen_by_second["revision"])
    assert first.get("hazard", hazard["public_id"])["impact"] == 5
    first.db.close()
    second.db.close()
