"""Eight clinicians saving at once on one PostgreSQL register (issue 22): 8 processes x 25
writes (new records, updates of one shared record, the practice settings). Every write lands or
is refused as a conflict; the audit chain verifies afterwards and holds one event per landed
write; no process shows a traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

from riskreg.services.register import RegisterService
from riskreg.storage import audit
from riskreg.storage.backend import backend_for

SRC = Path(__file__).resolve().parents[1] / "src"
PROCESSES, WRITES = 8, 25

WORKER = r"""
import json, sys, traceback
from riskreg.errors import ConflictError
from riskreg.services.register import RegisterService
from riskreg.services.settings import SettingsService
from riskreg.storage.backend import backend_for

url, me, shared = sys.argv[1], int(sys.argv[2]), sys.argv[3]
db = backend_for(url).open()
register = RegisterService(db, today=lambda: None)
settings = SettingsService(db, today=lambda: None)
landed = conflicts = 0
try:
    for i in range(int(sys.argv[4])):
        try:
            if i % 3 == 0:
                register.create("owner", {"name": f"Clinician {me}-{i}"})
            elif i % 3 == 1:
                seen = register.get("owner", shared)
                register.update("owner", shared, {"name": f"Shared by {me}-{i}"}, seen["revision"])
            else:
                seen = settings.get()
                settings.update({"practice_name": f"Practice {me}-{i}"}, seen["revision"])
            landed += 1
        except ConflictError:
            conflicts += 1
except Exception:
    traceback.print_exc()
    sys.exit(1)
finally:
    db.close()
print(json.dumps({"landed": landed, "conflicts": conflicts}))
"""


def test_eight_writers_never_fork_the_chain_and_each_write_lands_or_is_refused(pg_url):
    db = backend_for(pg_url).open()
    shared = RegisterService(db, today=lambda: None).create("owner", {"name": "Shared"})
    with db.reading() as session:
        before = len(list(audit.read_events(session)))
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, pg_url, str(n),
                                 shared["public_id"], str(WRITES)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for n in range(PROCESSES)]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0 and "Traceback" not in err, err
        results.append(json.loads(out))
    landed = sum(r["landed"] for r in results)
    assert sum(r["landed"] + r["conflicts"] for r in results) == PROCESSES * WRITES
    assert landed >= PROCESSES * WRITES // 3  # every create lands: nothing else can refuse it
    with db.reading() as session:
        check = audit.verify(session)
    db.close()
    assert check.ok, check.problem
    assert check.checked == before + landed  # one event per landed write, none forked or lost
