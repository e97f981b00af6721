"""The layers of DESIGN.md, held by machine: every module of `domain` imports neither Textual nor
Rich nor the database libraries, and no module of `storage` or `services` imports Textual or Rich
(as Harlequin's test_import_hygiene does). Each package is imported module by module in a fresh
interpreter, so the first module that pulls in a forbidden library is the one named."""

import json
import subprocess
import sys

import pytest

PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
forbidden = sys.argv[2].split(",")
found, checked = {}, 0
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    if ".migrations." in info.name:
        continue  # Alembic's scripts: loaded by Alembic, not imported by riskreg
    importlib.import_module(info.name)
    checked += 1
    loaded = [name for name in forbidden if name in sys.modules]
    if loaded:
        found[info.name] = loaded
        break
print(json.dumps({"checked": checked, "found": found}))
"""

LAYERS = {
    "riskreg.domain": ["textual", "rich", "sqlmodel", "sqlalchemy", "alembic"],
    "riskreg.storage": ["textual", "rich"],
    "riskreg.services": ["textual", "rich"],
}


@pytest.mark.parametrize("package", LAYERS)
def test_a_core_package_imports_no_library_of_a_layer_above_it(package):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, package, ",".join(LAYERS[package])],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["checked"] > 3, report  # the walk found the package's modules
    assert report["found"] == {}, f"{package}: the first module loading a forbidden library"
