"""Shared fixtures: a private database per test, a fixed clock, and no network."""

import os
import socket
from pathlib import Path

import pytest
from clock import FIXED_TODAY
from hypothesis import settings

# strace (a fixture: CI's fault injection) is registered here once for every test file: a file
# importing it and then naming it as a parameter reads as a redefinition.
from pg_server import pg_empty_url, pg_server, pg_template, pg_url  # noqa: E402, F401
from strace_kill import strace  # noqa: E402, F401

# Under CI the property tests draw the same examples every run, so a red build is reproducible
# and never luck; a developer's runs keep exploring new examples (and replay their failures).
# No per-example deadline in either: a property is about the answer, and timing belongs in
# benchmarks/ (a loaded 2-core machine took 300 ms for one plan, over Hypothesis's 200 ms).
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


class _NoNetworkSocket(socket.socket):
    """riskreg needs no network: any attempt to open an internet socket fails loudly.

    Unix sockets stay allowed: asyncio's event loop wakes itself through a socketpair.
    """

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if family in (socket.AF_INET, socket.AF_INET6) or (family == -1 and fileno is None):
            raise RuntimeError("riskreg tests must not open network sockets")
        super().__init__(family, type, proto, fileno)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket, "socket", _NoNetworkSocket)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """Tests never touch the user's real database or inherit display settings."""
    for name in ("TEXTUAL_THEME", "NO_COLOR", "RISKREG_DB", "RISKREG_PASSPHRASE", "RISKREG_TODAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # the remembered theme


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "practice" / "riskreg.db"


# -- both backends ------------------------------------------------------------------------------
# A module with `BOTH_BACKENDS = True` runs each test that opens the register through `db` (or
# `register`, or asks for `db_url`) twice: on an SQLite file and on a fresh PostgreSQL database
# (tests/pg_server.py). A test that names `db_path` itself works on the file and stays SQLite's.

def pytest_generate_tests(metafunc):
    if not getattr(metafunc.module, "BOTH_BACKENDS", False):
        return
    if "db_backend" not in metafunc.fixturenames:
        return
    import inspect

    own = inspect.signature(metafunc.function).parameters
    if "db_path" in own or metafunc.definition.get_closest_marker("sqlite_only"):
        return
    metafunc.parametrize("db_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db_backend(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(db_backend, db_path, request) -> str:
    """What --db names: the SQLite file's path, or a fresh PostgreSQL database's URL."""
    if db_backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(db_path)


@pytest.fixture
def db(db_backend, db_url):
    from riskreg.storage.backend import backend_for
    from riskreg.storage.database import open_database

    if db_backend == "postgresql":
        database = backend_for(db_url).open(create=True)
    else:
        database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def register(db):
    from riskreg.services.register import RegisterService

    return RegisterService(db, today=lambda: FIXED_TODAY)


def pytest_addoption(parser):
    # Here, at the tests' root, so `pytest --fuzz-long` works from anywhere (pytest reads options
    # only from the conftest files it loads at start-up).
    parser.addoption(
        "--fuzz-long", nargs="?", type=int, const=500, default=0, metavar="EXAMPLES",
        help="run the UI fuzzer (tests/ui/test_fuzz.py) long and random: 500 examples, or "
             "EXAMPLES, instead of the fixed CI budget (with no time limit)",
    )


def pytest_collection_modifyitems(config, items):
    # A long fuzz run is asked for by name and may take hours: the per-test timeout (there to
    # fail a hang in CI) does not apply to it.
    if config.getoption("--fuzz-long"):
        for item in items:
            if item.get_closest_marker("timeout") and "fuzz" in item.nodeid:
                item.add_marker(pytest.mark.timeout(0), append=False)
    _leave_out_postgresql(config, items)


def _needs_postgresql(item) -> bool:
    callspec = getattr(item, "callspec", None)
    return "pg_server" in getattr(item, "fixturenames", ()) or (
        callspec is not None and callspec.params.get("db_backend") == "postgresql")


def _leave_out_postgresql(config, items):
    """Without a PostgreSQL server (and outside CI, where they must run), the tests that need
    one are left out, said once in the header (pytest_report_header), not once per test."""
    from pg_server import server_url

    if server_url() or os.environ.get("CI"):
        return
    left_out = [item for item in items if _needs_postgresql(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not _needs_postgresql(item)]


def pytest_report_header(config):
    from pg_server import SKIP, server_url

    if server_url() or os.environ.get("CI"):
        return None
    return f"PostgreSQL tests left out: {SKIP}"
