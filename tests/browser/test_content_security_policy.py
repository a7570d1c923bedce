"""Pages keep working under the Content-Security-Policy: no inline script is
needed, and the browser reports no violation."""

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_language_switcher_and_the_form_work_without_inline_scripts(live_server, page):
    event = EventFactory(name="Cooperation Day")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/e/{event.slug}/register/")
    # The switcher submits by itself (static/js/page.js).
    page.get_by_label("Language", exact=True).select_option("ro")
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    page.get_by_role("button", name="Înregistrează-mă și trimite-mi biletul").click()
    expect(page.get_by_label("Prenume")).to_be_focused()  # the first field to fix
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .title").first).to_be_visible()
    assert violations == []
