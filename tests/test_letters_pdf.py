"""The letters print one per page: rendered by headless Chromium (Debian's `chromium`, which
.ci/run installs) to a PDF with exactly N pages for N recipients. Skipped only outside CI when
Chromium is absent."""

import os
import re
import shutil
import subprocess

import pytest
from letters_helpers import csv_bytes, demo_copy, letters, make_template, people

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (CI installs it: .ci/run)", allow_module_level=True)


def print_to_pdf(html, tmp_path):
    assert CHROMIUM, "chromium is missing: .ci/run installs Debian's chromium"
    pdf = tmp_path / "letters.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", html.as_uri()],
        check=True, capture_output=True, timeout=120)
    return pdf.read_bytes()


def test_n_letters_print_as_n_pages(tmp_path):
    db = demo_copy(make_template(tmp_path / "demo"), tmp_path / "practice")
    rows = people(4) + people(2, "CA") + [
        ["Kin Quokkaperson", "3 Palm Street", "Unit 4", "Atlanta", "GA", "30301", "yes"]]
    src = tmp_path / "recipients.csv"
    src.write_bytes(csv_bytes(rows))
    out = tmp_path / "letters.html"
    code, _o, err = letters(db, src, out)
    assert code == 0, err
    pdf = print_to_pdf(out, tmp_path)
    assert pdf.startswith(b"%PDF")
    assert len(PAGE.findall(pdf)) == 7


def test_one_letter_is_one_page(tmp_path):
    db = demo_copy(make_template(tmp_path / "demo"), tmp_path / "practice")
    src = tmp_path / "recipients.csv"
    src.write_bytes(csv_bytes(people(1)))
    out = tmp_path / "letters.html"
    assert letters(db, src, out)[0] == 0
    assert len(PAGE.findall(print_to_pdf(out, tmp_path))) == 1
