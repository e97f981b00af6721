"""A second process writing through the services, for the crash and two-window tests.

Usage: python -m tests.helpers.writer DB_PATH TAG COUNT
Creates COUNT owners named TAG-n (COUNT 0: forever) and prints each public id once its
transaction has committed, so the parent knows exactly which writes must survive.
"""

import sys

from riskreg.services.register import RegisterService
from riskreg.storage.database import open_database


def main() -> None:
    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    db = open_database(path)
    register = RegisterService(db)
    n = 0
    while count == 0 or n < count:
        n += 1
        record = register.create("owner", {"name": f"{tag}-{n}", "notes": "x" * (n % 500)})
        print(record["public_id"], flush=True)
    db.close()


if __name__ == "__main__":
    main()
