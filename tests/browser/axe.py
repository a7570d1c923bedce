"""axe-core in the browser tests: installed on first use into var/axe with
npm (never vendored, never downloaded at run time of the app), evaluated in
the page (the site's CSP forbids inline scripts; ``evaluate`` is not subject
to it), every violation reported."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

AXE_VERSION = "4.14.1"
AXE_DIR = Path(settings.BASE_DIR) / "var" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source, installed on first use into var/axe (never vendored)."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is missing: cannot install axe-core for the accessibility check")
        subprocess.run(
            [npm, "install", "--no-save", "--prefix", str(AXE_DIR), f"axe-core@{AXE_VERSION}"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_JS.read_text(encoding="utf-8")


def assert_accessible(page, axe_source: str) -> None:
    # The site's CSP forbids inline scripts; evaluate() is not subject to it.
    page.evaluate(axe_source)
    result = page.evaluate("axe.run()")
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert violations == [], violations
