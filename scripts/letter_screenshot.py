"""Regenerate the README's picture of one printed letter (screenshots/letter.png): the demo
practice with the clock fixed, one made-up recipient in California (the state's own title and
headings), printed by headless Chromium to PDF, the page turned into a PNG by pdftoppm.

    python scripts/letter_screenshot.py [--out screenshots/letter.png]

Needs Debian's chromium and poppler-utils (pdftoppm). Everything else is written under a private
temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RISKREG_TODAY": "2026-11-26"}
RECIPIENT = ("Full name,Address 1,Address 2,City,State,ZIP\n"
             "Jordan Example,1234 Sample Street,Apt 5,Sacramento,CA,95814\n")


def riskreg(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "riskreg", *args], env=ENV, check=True,
                   stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots" / "letter.png"))
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not shutil.which("pdftoppm"):
        raise SystemExit("needs chromium and pdftoppm (apt-get install chromium poppler-utils)")
    os.umask(0o077)
    with tempfile.TemporaryDirectory(prefix="riskreg-letter-") as tmp:
        folder = Path(tmp)
        db = folder / "demo.db"
        riskreg("demo", "--db", str(db), "--seed", "7")
        (folder / "recipients.csv").write_text(RECIPIENT, encoding="utf-8")
        riskreg("notices", "letters", "INC-2026-002", "--db", str(db), "--recipients",
                str(folder / "recipients.csv"), "--out", str(folder / "letters.html"))
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", f"--user-data-dir={folder / 'profile'}",
                        "--no-pdf-header-footer", f"--print-to-pdf={folder / 'letters.pdf'}",
                        (folder / "letters.html").as_uri()], check=True, capture_output=True)
        subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", str(folder / "letters.pdf"),
                        str(folder / "letter")], check=True)
        out = Path(args.out)
        shutil.copyfile(folder / "letter.png", out)
        out.chmod(0o644)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
