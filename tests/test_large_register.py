"""A register larger than one SQL statement can name (issue 16, D17).

1,000,000 hazards made `list hazards` and `report risk-analysis` fail with "too many SQL
variables". SQLite's limit is lowered to 100 on the test's connections instead of building a
million rows. And an import checks the whole file before it takes the write lock, so the app's
saves never wait for a long check.
"""

import sqlite3
from datetime import UTC, datetime

import pytest
from clock import FIXED_TODAY
from sqlalchemy import event

from riskreg.services import reports, transfer, transfer_check
from riskreg.services.demo import build_demo
from riskreg.services.incidents import IncidentService
from riskreg.services.register import ListQuery

LIMIT = 100


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The demo register with its hazards copied until there are more than LIMIT (in SQL: a
    copy per hazard through the service would take a minute), and links to them from an
    incident."""
    from riskreg.services.register import RegisterService
    from riskreg.storage.database import open_database

    path = tmp_path_factory.mktemp("big") / "riskreg.db"
    db = open_database(path)
    build_demo(RegisterService(db, today=lambda: FIXED_TODAY), today=FIXED_TODAY, seed=7)
    db.close()
    raw = sqlite3.connect(path)
    columns = [row[1] for row in raw.execute("PRAGMA table_info(hazard)")
               if row[1] not in ("id", "public_id")]
    names = ", ".join(columns)
    for _ in range(2):  # 40 hazards become 160
        raw.execute(f"INSERT INTO hazard (public_id, {names}) "
                    f"SELECT lower(hex(randomblob(16))), {names} FROM hazard")
    link = ("INSERT INTO incident_hazard (public_id, created_at, updated_at, revision, "
            "incident_id, hazard_id) SELECT lower(hex(randomblob(16))), created_at, updated_at, "
            "1, (SELECT min(id) FROM incident), id FROM hazard WHERE id NOT IN "
            "(SELECT hazard_id FROM incident_hazard WHERE incident_id = (SELECT min(id) FROM "
            "incident))")
    raw.execute(link)
    raw.commit()
    raw.close()
    return path


@pytest.fixture
def big(template, tmp_path):
    """A copy of the template whose every connection is limited to LIMIT variables."""
    import shutil

    from riskreg.storage.database import open_database

    path = tmp_path / "big.db"
    shutil.copy(template, path)
    db = open_database(path)

    @event.listens_for(db.engine, "connect")
    def _limit(dbapi_connection, _record):
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)

    db.engine.dispose()  # the connections made before the limit are gone
    yield db
    db.close()


def test_listing_more_hazards_than_sql_variables_lists_them_all(big):
    from riskreg.services.register import RegisterService

    page = RegisterService(big, today=lambda: FIXED_TODAY).list("hazard", ListQuery(limit=None))
    assert len(page.rows) == 160
    assert all("review_now" in row for row in page.rows)


def test_the_risk_analysis_of_more_hazards_than_sql_variables_is_written(big):
    assert len(reports.gather(big, FIXED_TODAY).hazards) == 160


def test_the_history_of_an_incident_with_more_children_than_sql_variables_is_read(big):
    service = IncidentService(big, today=lambda: FIXED_TODAY)
    first = min(service.list(), key=lambda row: row["reference"])["reference"]
    history = service.history(first)
    assert history and history[0]["action"] == "create"


# -- the import's check runs before the write lock ---------------------------------------------


def _lock_is_free(path) -> bool:
    """Whether another program could start writing to the database now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # "database is locked"
        return False
    finally:
        other.close()


@pytest.mark.parametrize("merge", [False, True], ids=["into an empty database", "merge"])
def test_an_import_checks_the_file_before_it_takes_the_write_lock(
    merge, db, register, tmp_path, monkeypatch
):
    from riskreg.storage.database import open_database

    build_demo(register, today=FIXED_TODAY, seed=7)
    path = transfer.export_json(db, tmp_path / "export.json",
                                datetime(2026, 11, 26, tzinfo=UTC)).path
    target = db if merge else open_database(tmp_path / "new" / "riskreg.db")
    seen = []
    check = transfer_check.check_document

    def checking(*args, **kwargs):
        seen.append(_lock_is_free(target.path))
        return check(*args, **kwargs)

    monkeypatch.setattr(transfer, "check_document", checking)
    try:
        transfer.import_json(target, path, merge=merge)
    finally:
        target.close()
    assert seen == [True]
