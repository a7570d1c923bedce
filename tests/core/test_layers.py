"""The three floors (docs/architecture.md) hold, and the contract that checks
them bites: an upward import fails ``lint-imports``, and the contract's layers
are pinned here so that deleting one cannot pass unnoticed."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("eventhub", "registrations", "screenings")
CORE_LINE = '    "eventhub.core",\n'


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_sources(tmp_path: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_import_contract_of_this_tree_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 broken" in result.stdout


def test_the_contract_lists_the_three_floors_top_down():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert config["root_packages"] == list(PACKAGES)
    contract = next(c for c in config["contracts"] if c["id"] == "floors")
    assert contract["type"] == "layers"
    roof, *middle, ground = contract["layers"]
    roof_modules = {m.strip() for m in roof.split(":")}
    assert {"eventhub.urls", "eventhub.routing", "eventhub.journeys", "eventhub.demo"} <= (
        roof_modules
    )
    assert {"eventhub.kiosks", "eventhub.dashboard", "eventhub.organizer"} <= roof_modules
    assert middle == ["screenings | eventhub.projects | eventhub.consultation", "registrations"]
    assert ground == "eventhub.core"


def test_an_upward_import_fails_and_deleting_the_core_layer_hides_it(tmp_path):
    tree = copy_of_the_sources(tmp_path)
    assert lint_imports(tree).returncode == 0  # the copy alone is clean

    (tree / "registrations" / "_probe.py").write_text("import screenings.models\n")
    (tree / "eventhub" / "core" / "_probe.py").write_text("import registrations\n")
    broken = lint_imports(tree)
    assert broken.returncode != 0
    assert "BROKEN" in broken.stdout
    assert "registrations._probe -> screenings.models" in broken.stdout
    assert "eventhub.core._probe -> registrations" in broken.stdout

    pyproject = tree / "pyproject.toml"
    text = pyproject.read_text()
    assert text.count(CORE_LINE) == 1
    pyproject.write_text(text.replace(CORE_LINE, ""))
    weaker = lint_imports(tree)
    # Without its line the core is no floor: its upward import goes unseen,
    # which is why the layers are pinned above.
    assert weaker.returncode != 0
    assert "registrations._probe -> screenings.models" in weaker.stdout
    assert "eventhub.core._probe" not in weaker.stdout
