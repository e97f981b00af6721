"""An installed wheel carries data/: the starter catalog loads away from the source checkout."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = out.glob("riskreg-*.whl")
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_the_wheel_contains_the_catalog_rules_and_migrations(unpacked_wheel):
    package = unpacked_wheel / "riskreg"
    assert (package / "_data" / "catalog" / "hazards.json").is_file()
    assert (package / "_data" / "state_rules.json").is_file()
    assert list((package / "storage" / "migrations" / "versions").glob("0001_*.py"))
    assert (package / "storage" / "migrations" / "script.py.mako").is_file()


def test_the_installed_package_loads_the_starter_register_from_another_folder(
    unpacked_wheel, tmp_path
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(unpacked_wheel)}
    where = subprocess.run(
        [sys.executable, "-c", "import riskreg.datafiles as d; print(d.data_dir())"],
        capture_output=True, text=True, env=env, cwd=elsewhere, check=True,
    )
    assert Path(where.stdout.strip()) == unpacked_wheel / "riskreg" / "_data"
    result = subprocess.run(
        [sys.executable, "-m", "riskreg", "init", "--starter", "--db", "p.db"],
        capture_output=True, text=True, env=env, cwd=elsewhere,
    )
    assert result.returncode == 0, result.stderr
    hazards = re.search(r"(\d+) hazards", result.stdout)
    assert hazards and int(hazards.group(1)) >= 25
