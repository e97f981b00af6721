"""What goes wrong with a server, said in one line (issue 22): a wrong password, an unknown
database, a connection dropped mid-command (pg_terminate_backend), the server stopped
mid-command. Each exits non-zero with one line and no traceback, and nothing is half-written."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pg_server import admin_connect, with_database
from sqlalchemy.engine import make_url

from riskreg.storage.postgres import WRITE_LOCK

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def riskreg(*args, env=None, timeout=120):
    full = {**os.environ, "RISKREG_TODAY": "2026-11-26", "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=full, timeout=timeout, stdin=subprocess.DEVNULL)


def start(*args):
    env = {**os.environ, "RISKREG_TODAY": "2026-11-26", "PYTHONPATH": str(SRC)}
    return subprocess.Popen([sys.executable, "-m", "riskreg", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL)


def one_line_error(code, err):
    assert code not in (0, None) and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _ready(url: str) -> None:
    assert riskreg("init", "--db", url).returncode == 0
    done = riskreg("settings", "--practice-name", "Before", "--db", url)
    assert done.returncode == 0, done.stderr


def _state(url: str) -> tuple[str, int]:
    with admin_connect(url) as conn:
        name = conn.execute("select practice_name from practice_settings").fetchone()[0]
        events = conn.execute("select count(*) from audit_event").fetchone()[0]
    return name, events


def _blocked_writer(url: str):
    """A `riskreg settings` write that waits on the write lock another session holds: it is
    mid-command, its transaction begun, when the fault comes."""
    holder = admin_connect(url)
    holder.execute(f"select pg_advisory_lock({WRITE_LOCK})")
    writer = start("settings", "--practice-name", "After", "--db", url)
    for _ in range(300):
        row = holder.execute("select pid from pg_stat_activity where application_name = "
                             "'riskreg' and wait_event_type = 'Lock'").fetchone()
        if row:
            return holder, writer, row[0]
        time.sleep(0.05)
    writer.kill()
    raise AssertionError("the writer never reached the lock")


def test_a_wrong_password_is_one_line_and_never_shown(pg_server):
    url = make_url(pg_server).set(username="riskreg_pw", password="not-the-right-one")
    done = riskreg("list", "tools", "--db", url.render_as_string(hide_password=False))
    if done.returncode == 0 or "no register yet" in done.stderr:
        if os.environ.get("CI"):
            pytest.fail("the test server lets riskreg_pw in without its password "
                        "(scripts/pg-test-server sets pg_hba.conf)")
        pytest.skip("the test server does not ask riskreg_pw for a password")
    line = one_line_error(done.returncode, done.stderr)
    assert "refused the password for riskreg_pw" in line
    assert "not-the-right-one" not in done.stderr + done.stdout
    # The same from PGPASSWORD (libpq reads it; riskreg never sees it).
    bare = f"postgresql://riskreg_pw@{url.host}:{url.port}/{url.database}"
    done = riskreg("list", "tools", "--db", bare, env={"PGPASSWORD": "not-the-right-one"})
    assert "refused the password" in one_line_error(done.returncode, done.stderr)
    done = riskreg("list", "tools", "--db", bare, env={"PGPASSFILE": "/nonexistent"})
    assert "wants a password for riskreg_pw" in one_line_error(done.returncode, done.stderr)


def test_an_unknown_database_is_one_line_and_nothing_is_created(pg_server):
    url = with_database(pg_server, "riskreg_no_such_register")
    done = riskreg("init", "--db", url)
    assert "there is no database 'riskreg_no_such_register'" in one_line_error(
        done.returncode, done.stderr)
    with admin_connect(pg_server) as conn:
        assert conn.execute("select 1 from pg_database where datname = "
                            "'riskreg_no_such_register'").fetchone() is None


def test_a_connection_dropped_mid_command_is_one_line_and_nothing_is_half_written(pg_url):
    _ready(pg_url)
    before = _state(pg_url)
    holder, writer, pid = _blocked_writer(pg_url)
    try:
        holder.execute("select pg_terminate_backend(%s)", (pid,))
        _, err = writer.communicate(timeout=60)
    finally:
        holder.close()
    assert "connection to the PostgreSQL server" in one_line_error(writer.returncode, err)
    assert _state(pg_url) == before


def _free_port() -> int:
    """A free loopback port, found by a process of its own (the tests' sockets are blocked)."""
    return int(subprocess.run(
        [sys.executable, "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); "
         "print(s.getsockname()[1])"], check=True, capture_output=True, text=True).stdout)


@pytest.fixture
def own_server(tmp_path_factory):
    """A server of this test's own, to stop (the shared one serves the other tests)."""
    script = ROOT / "scripts" / "pg-test-server"
    if os.geteuid() != 0 or not shutil.which("runuser") or not list(
            Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        if os.environ.get("CI"):
            pytest.fail("CI must run the server-stopped test (root and Debian's postgresql)")
        pytest.skip("needs root and Debian's postgresql to start a server of its own")
    folder = Path(f"/tmp/riskreg-pg-{os.getpid()}-{time.monotonic_ns()}")
    url = subprocess.run([str(script), "start", str(folder), str(_free_port())], check=True,
                         capture_output=True, text=True).stdout.strip()
    with admin_connect(url) as conn:
        conn.execute('CREATE DATABASE "register"')  # owned by the test role
    yield script, folder, with_database(url, "register")
    subprocess.run([str(script), "stop", str(folder)], check=False)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_server_stopped_mid_command_is_one_line_and_nothing_is_half_written(own_server):
    script, folder, server = own_server
    _ready(server)
    before = _state(server)
    holder, writer, _ = _blocked_writer(server)
    subprocess.run([str(script), "stop", str(folder)], check=True)
    _, err = writer.communicate(timeout=60)
    holder.close()
    line = one_line_error(writer.returncode, err)
    assert "PostgreSQL server" in line and "nothing was" in line.lower()
    done = riskreg("list", "tools", "--db", server)  # while it is down
    assert "cannot reach the PostgreSQL server" in one_line_error(done.returncode, done.stderr)
    bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    port = make_url(server).port
    subprocess.run(["runuser", "-u", "postgres", "--", str(bin_dir / "pg_ctl"), "-D",
                    str(folder / "data"), "-l", str(folder / "server.log"), "-w", "-o",
                    f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    assert _state(server) == before


def test_at_a_terminal_the_password_the_server_asks_for_is_prompted_never_echoed(
        pg_server, monkeypatch):
    from terminal import in_terminal

    url = make_url(pg_server)
    bare = f"postgresql://riskreg_pw@{url.host}:{url.port}/{url.database}"
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(SRC))
    code, shown = in_terminal(["list", "tools", "--db", bare], [b"the-right-one\n"])
    if "refused the password" in shown or "Password for" not in shown:
        if os.environ.get("CI"):
            pytest.fail(f"the test server did not ask riskreg_pw for its password: {shown}")
        pytest.skip("the test server does not ask riskreg_pw for a password")
    assert f"Password for riskreg_pw on {url.host}:{url.port}: " in shown
    assert "the-right-one" not in shown  # never echoed
    assert code == 1 and "there is no register yet" in shown  # in: the server took it
    code, shown = in_terminal(["list", "tools", "--db", bare], [b"a-wrong-one\n"])
    assert code == 1 and "refused the password for riskreg_pw" in shown
    assert "a-wrong-one" not in shown and "Traceback" not in shown
