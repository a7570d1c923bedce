"""Every page carries a Content-Security-Policy without inline scripts."""

import pytest

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_scripts_and_foreign_origins(client):
    event = EventFactory()
    for path in ("/", f"/e/{event.slug}/", f"/e/{event.slug}/register/", "/api/docs/"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert "'unsafe-inline'" not in directives["style-src"], path
        assert directives["frame-ancestors"] == "'none'", path
        assert directives["object-src"] == "'none'", path
