"""The project directory and the public consultation on a phone, in
Romanian, in real headless Chromium: searching the stands, then answering
the citizens' questionnaire with one mistake fixed on the way. No inline
script is needed (the CSP reports no violation)."""

import os

import pytest
from playwright.sync_api import expect

from eventhub.consultation.models import Response
from tests.browser.axe import assert_accessible
from tests.consultation.helpers import questionnaires, timis
from tests.factories import EventFactory
from tests.projects.helpers import JPVS, LAPNET, put_projects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


def open_romanian_phone(browser, phone_context_args):
    context = browser.new_context(**phone_context_args, locale="ro-RO")
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return context, page, violations


def assert_no_sideways_scroll(page):
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_visitor_searches_the_projects_on_a_phone_in_romanian(
    live_server, browser, phone_context_args, axe_source
):
    event = EventFactory(name="Ziua Cooperării — Timișoara")
    put_projects(event, JPVS, LAPNET)
    context, page, violations = open_romanian_phone(browser, phone_context_args)
    page.goto(f"{live_server.url}/e/{event.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    page.locator(f'a[href="/e/{event.slug}/projects/"]').click()
    expect(page.get_by_role("link", name="JPVS")).to_be_visible()
    assert_accessible(page, axe_source)
    expect(page.get_by_role("link", name="LapNet")).to_be_visible()
    assert_no_sideways_scroll(page)

    page.locator("#id_region").select_option("Județul Suceava")
    page.locator("form.project-search button[type=submit]").click()
    expect(page.get_by_role("link", name="LapNet")).to_have_count(0)
    page.locator("#id_region").select_option("")
    page.locator("#id_q").fill("laparoscopic")
    page.locator("form.project-search button[type=submit]").click()
    expect(page.get_by_role("link", name="JPVS")).to_have_count(0)
    page.get_by_role("link", name="LapNet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("LapNet")
    assert_accessible(page, axe_source)
    expect(page.get_by_text("General Hospital Sveti Luka Smederevo")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/projects-ro.png", full_page=True)
    assert_no_sideways_scroll(page)
    assert violations == []
    context.close()


def test_a_citizen_answers_the_consultation_on_a_phone_in_romanian(
    live_server, browser, phone_context_args, axe_source
):
    event = EventFactory(name="Ziua Cooperării — Timișoara")
    questionnaires(event)
    timis(event)
    context, page, violations = open_romanian_phone(browser, phone_context_args)
    page.goto(f"{live_server.url}/e/{event.slug}/")
    page.locator(f'a[href="/e/{event.slug}/consultation/"]').click()
    page.locator(f'a[href="/e/{event.slug}/consultation/citizen/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Interreg ASCULTĂ: întrebări pentru cetățeni"
    )
    heard = page.get_by_role("group", name="Ați auzit de Programul Interreg", exact=False)
    heard.get_by_label("Da", exact=True).check()
    noticed = page.get_by_role("group", name="Unde ați observat", exact=False)
    noticed.get_by_label("Sănătate").check()
    noticed.get_by_label("Turism și cultură").check()
    page.get_by_role("group", name="Ce ar trebui să finanțeze", exact=False).get_by_label(
        "Sănătate"
    ).check()
    page.locator("#id_idea").fill("Un autobuz de la Vršac la Timișoara")
    page.locator("#id_region").select_option(label="Timiș (RO)")
    assert_no_sideways_scroll(page)
    page.locator("form.survey-form button[type=submit]").click()

    # The scale was left out: the page says so, and keeps every answer.
    expect(page.locator("#err-better_life")).to_be_visible()
    assert_accessible(page, axe_source)  # the form with its errors
    expect(heard.get_by_label("Da", exact=True)).to_be_checked()
    expect(page.locator("#id_idea")).to_have_value("Un autobuz de la Vršac la Timișoara")
    assert not Response.objects.exists()
    scale = page.get_by_role("group", name="Cât a îmbunătățit", exact=False)
    scale.get_by_label("4", exact=True).check()
    page.screenshot(path=f"{SHOTS}/consultation-ro.png", full_page=True)
    page.locator("form.survey-form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/e/{event.slug}/consultation/thanks/")
    assert_accessible(page, axe_source)
    stored = Response.objects.get()
    assert stored.answers["better_life"] == 4
    assert stored.answers["noticed"] == ["health", "tourism"]
    assert stored.language == "ro" and stored.contact_ok is False
    assert violations == []
    context.close()


def test_a_visitor_collects_a_stand_stamp_from_the_ticket_page_in_romanian(
    live_server, browser, phone_context_args
):
    from tests.factories import AttendeeFactory

    event = EventFactory(name="Ziua Cooperării — Timișoara")
    projects = put_projects(event, JPVS, LAPNET)
    attendee = AttendeeFactory(event=event, language="ro")
    context, page, violations = open_romanian_phone(browser, phone_context_args)
    page.goto(f"{live_server.url}/t/{attendee.ticket.manage_key}/")
    expect(page.locator("#stamps")).to_contain_text("0")
    page.locator(f'a[href="/t/{attendee.ticket.manage_key}/stamps/"]').click()
    # What the sign's QR code holds, as the page's camera would read it.
    page.locator("#id_scanned").fill(
        f"{live_server.url}/e/{event.slug}/projects/jpvs/?stamp={projects['JPVS'].stamp_code}"
    )
    page.locator("#stamp-form button[type=submit]").click()
    collected = page.locator(".stamp.collected")
    expect(collected).to_have_count(1)
    expect(collected).to_contain_text("JPVS")
    assert_no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/stamps-ro.png", full_page=True)
    page.goto(f"{live_server.url}/t/{attendee.ticket.manage_key}/")
    expect(page.locator("#stamps")).to_contain_text("1")
    assert violations == []
    context.close()


def test_the_consultation_tablet_starts_over_by_itself_after_an_answer(live_server, browser):
    from eventhub.core.models import Kiosk
    from tests.factories import KioskFactory

    event = EventFactory()
    questionnaires(event)
    timis(event)
    kiosk = KioskFactory(event=event, kind=Kiosk.Kind.SURVEY)
    context = browser.new_context(viewport={"width": 800, "height": 1280}, locale="ro-RO")
    page = context.new_page()
    start = f"{live_server.url}/kiosk/{kiosk.token}/"
    page.goto(start)
    page.locator(f'a[href="/kiosk/{kiosk.token}/survey/citizen/"]').click()
    page.get_by_role("group", name="Ați auzit", exact=False).get_by_label("Nu", exact=True).check()
    page.get_by_role("group", name="Unde ați observat", exact=False).get_by_label(
        "Încă nicăieri"
    ).check()
    page.get_by_role("group", name="Cât a îmbunătățit", exact=False).get_by_label(
        "2", exact=True
    ).check()
    page.get_by_role("group", name="Ce ar trebui", exact=False).get_by_label("Sănătate").check()
    page.locator("#id_region").select_option(label="Timiș (RO)")
    page.locator("form.survey-form button[type=submit]").click()
    expect(page).to_have_url(start + "?done=1")
    # The thank-you screen goes back to the start for the next person.
    expect(page).to_have_url(start, timeout=10_000)
    expect(page.locator(f'a[href="/kiosk/{kiosk.token}/survey/citizen/"]')).to_be_visible()
    assert Response.objects.get().channel == "kiosk"
    context.close()
