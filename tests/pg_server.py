"""A fresh PostgreSQL database per test, on the server RISKREG_TEST_PG names (.ci/run starts one:
`postgresql://riskreg@127.0.0.1:PORT/postgres`, a role that may create databases).

In CI (CI=true) the PostgreSQL tests must run: a missing RISKREG_TEST_PG fails them. Elsewhere
they skip with one line when no server is configured."""

import os
import uuid

import pytest

SKIP = "no PostgreSQL server configured (set RISKREG_TEST_PG=postgresql://user@host:port/db)"


def server_url() -> str | None:
    return os.environ.get("RISKREG_TEST_PG") or None


@pytest.fixture(scope="session")
def pg_server() -> str:
    url = server_url()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: RISKREG_TEST_PG is not set "
                        "(.ci/run starts a server and sets it)")
        pytest.skip(SKIP)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: psycopg is not installed")
        pytest.skip("psycopg is not installed (pip install -e '.[test]')")
    return url


def admin_connect(server: str):
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server)
    return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                           password=url.password, dbname=url.database, autocommit=True)


def with_database(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(server).set(database=name)
    return url.render_as_string(hide_password=False)


def create_database(server: str, template: str | None = None) -> str:
    name = f"riskreg_test_{uuid.uuid4().hex[:12]}"
    with admin_connect(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name


def drop_database(server: str, name: str) -> None:
    with admin_connect(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_template(pg_server):
    """A database with riskreg's schema at HEAD and no rows, made once per session by riskreg
    itself (the migrations): each test's database is a copy of it (CREATE DATABASE ... TEMPLATE),
    which takes a tenth of the migrations' time."""
    from riskreg.storage.backend import backend_for

    name = create_database(pg_server)
    backend_for(with_database(pg_server, name)).open(create=True).close()
    yield name
    drop_database(pg_server, name)


@pytest.fixture
def pg_url(pg_server, pg_template):
    """The URL of a new database on the test server, with the schema and no records, dropped
    after the test."""
    name = create_database(pg_server, pg_template)
    yield with_database(pg_server, name)
    drop_database(pg_server, name)


@pytest.fixture
def pg_empty_url(pg_server):
    """The URL of a new, empty database (no schema), dropped after the test."""
    name = create_database(pg_server)
    yield with_database(pg_server, name)
    drop_database(pg_server, name)
