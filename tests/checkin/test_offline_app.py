"""The scanner as an installable app: its service worker caches everything
the page loads, and neither the worker nor the manifest leaks data."""

import json
import re

import pytest
from django.test import Client

from eventhub.core.models import StaffRole
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db


def worker_assets(body: str) -> list[str]:
    return json.loads(re.search(r"var ASSETS = (\[.*?\]);", body).group(1))


def test_the_worker_caches_every_script_style_and_icon_the_scanner_page_loads():
    event = EventFactory()
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    client = Client()
    client.force_login(volunteer)
    page = client.get(f"/staff/{event.slug}/scanner/").content.decode()
    loaded = set(re.findall(r'<script src="([^"]+)"', page))
    loaded |= set(
        re.findall(r'<link rel="(?:stylesheet|icon|apple-touch-icon)" href="([^"]+)"', page)
    )
    loaded |= set(re.findall(r'data-(?:jsqr|noble)="([^"]+)"', page))
    assert loaded, "the page loads assets"
    cached = set(worker_assets(Client().get(f"/staff/{event.slug}/scanner/sw.js").content.decode()))
    assert loaded <= cached, f"not cached for offline use: {sorted(loaded - cached)}"


def test_the_worker_changes_its_cache_name_when_an_asset_changes(settings, tmp_path):
    event = EventFactory()
    first = Client().get(f"/staff/{event.slug}/scanner/sw.js").content.decode()
    extra = tmp_path / "js"
    extra.mkdir()
    (extra / "scanner.js").write_text("/* a new version */")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    second = Client().get(f"/staff/{event.slug}/scanner/sw.js").content.decode()
    version = re.compile(r'var CACHE = "(eventhub-gate-[0-9a-f]+)"')
    assert version.search(first).group(1) != version.search(second).group(1)


def test_worker_and_manifest_are_public_and_carry_no_personal_data():
    event = EventFactory(name="Interreg Cooperation Day")
    ana = AttendeeFactory(event=event, first_name="Anastasija", email="ana@example.org")
    worker = Client().get(f"/staff/{event.slug}/scanner/sw.js")
    manifest = Client().get(f"/staff/{event.slug}/scanner/manifest.webmanifest")
    assert worker.status_code == manifest.status_code == 200
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["scope"] == f"/staff/{event.slug}/scanner/"
    assert "Interreg Cooperation Day" in manifest.json()["name"]
    for body in (worker.content.decode(), manifest.content.decode()):
        assert ana.first_name not in body and ana.email not in body
        assert ana.ticket.code not in body


def test_an_unknown_fair_has_no_worker_and_no_manifest():
    assert Client().get("/staff/no-such-fair/scanner/sw.js").status_code == 404
    assert Client().get("/staff/no-such-fair/scanner/manifest.webmanifest").status_code == 404


def test_the_manifest_speaks_the_volunteers_language():
    event = EventFactory()
    manifest = (
        Client()
        .get(f"/staff/{event.slug}/scanner/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="ro")
        .json()
    )
    assert manifest["lang"] == "ro"
    assert manifest["short_name"] != "Gate"
