"""Shared by the letters tests: a demo register (its INC-2026-002 needs notification: 560
residents of Florida, 80 of Georgia) and recipients files."""

import csv
import io
import shutil
from pathlib import Path

from cli_helpers import run_main

REF = "INC-2026-002"
HEADER = ["Full name", "Address 1", "Address 2", "City", "State", "ZIP", "Next of kin"]


def people(n: int, state: str = "FL") -> list[list[str]]:
    return [[f"Zelda Quokkaperson{i:04d}", f"{i} Palm Street", "", "Tampa", state, "33601", ""]
            for i in range(n)]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def demo_copy(template: Path, into: Path) -> Path:
    """A fresh copy of the demo register in `into`, with its own backups folder."""
    into.mkdir(parents=True, exist_ok=True)
    target = into / "riskreg.db"
    shutil.copy(template, target)
    target.chmod(0o600)
    return target


def make_template(folder: Path) -> Path:
    db = folder / "demo.db"
    code, _out, err = run_main(["demo", "--db", str(db)])
    assert code == 0, err
    return db


def letters(db: Path, recipients: Path, out: Path, *more: str):
    return run_main(["notices", "letters", REF, "--db", str(db), "--recipients", str(recipients),
                     "--out", str(out), *more])
