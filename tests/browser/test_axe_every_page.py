"""axe on every page a person can open (issue 13, point 7), in real headless
Chromium, on the demo fair: public pages in English and Romanian, staff
pages and kiosks in English, each at desktop width and at 360 px, including
forms with errors, confirmation pages and pages showing a messages banner.

The sweep's table is checked against the URL conf: a page-like route that is
neither swept nor listed with the reason it is not a page fails
``test_every_page_like_route_is_in_the_sweep``, so a new page cannot escape.

One browser, one live server, one test for the whole sweep, in two lanes
(pages of two contexts in step, so that axe runs in one renderer while the
other page loads); the aim is < 90 s on a quiet 2-core machine. At 360 px only
the layout-dependent rules run again (the DOM is the one axe just checked),
unless a stylesheet shows or hides content by screen width.
AXE_SWEEP_SHOTS=/tmp/axe writes a PNG of every page at 360 px.
"""

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Error as PlaywrightError

from eventhub.consultation.models import Survey
from eventhub.core.models import Event, Kiosk
from eventhub.demo.fair import DEMO_SLUG
from eventhub.projects.models import Project
from registrations.models import Attendee, Group, TrainingSession
from screenings.models import Station
from tests.browser.threads import off_the_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "360px": {"width": 360, "height": 740}}
# AXE_SWEEP_SHOTS=/tmp/axe: a full-page PNG of every page at 360 px, to look at.
SHOTS = os.environ.get("AXE_SWEEP_SHOTS", "")

# Routes that are not pages: files, the API, actions answered by a redirect
# to a page swept here (their result page with its message is swept), and
# Django's admin beyond its login page (the admin is Django's own).
NOT_PAGES = {
    "healthz": "JSON health check",
    "set_language": "POST action, redirects back (swept through the language switcher)",
    "logout": "POST action, redirects to the home page",
    "api-docs": "third-party Swagger UI of the API, for developers",
    "api-redoc": "third-party Redoc of the API, for developers",
    "api-schema": "OpenAPI file",
    "group-pdf": "PDF file",
    "ticket-pdf": "PDF file",
    "ticket-ics": "calendar file",
    "ticket-export": "JSON file",
    "training-certificate-pdf": "PDF file",
    "checkin-print": "PDF file",
    "project-stand-sign": "PDF file",
    "dashboard-report-download": "CSV/XLSX/PDF file",
    "dashboard-consultation-download": "CSV/XLSX file",
    "dashboard-transport-csv": "CSV file",
    "dashboard-transport-pdf": "PDF file",
    "dashboard-export": "CSV/XLSX file",
    "checkin-scanner-sw": "the scanner's service worker (JavaScript)",
    "checkin-scanner-manifest": "the scanner's web app manifest (JSON)",
    "event-training-seats": "HTML fragment of the event page, fetched by its script",
    "ticket-language": "POST action, redirects to the ticket page",
    "training-book": "POST action, redirects to the training page (swept with its message)",
    "training-switch": "POST action, redirects to the training page",
    "training-cancel": "POST action, redirects to the training page",
    "staff-training-release": "POST action, redirects to the roster",
    "staff-training-certificates": "POST action, redirects to the roster",
    "screenings:cancel": "POST action, redirects to the screenings page",
    "organizer:team-revoke": "POST action, redirects to the team page",
    "organizer:kiosk-revoke": "POST action, redirects to the kiosks page",
    "organizer:kiosk-reissue": "POST action, redirects to the kiosks page (swept with its message)",
}


@dataclass
class Page:
    route: str  # the URL name it opens (or "404"/"403")
    path: Callable[[dict, str], str]  # (data, language) -> path
    label: str = ""
    action: Callable | None = None  # (page, data) -> None, done after opening the path
    who: str = ""  # "" for anyone, else the demo user logged in


def submit(selector="main form[method=post] button[type=submit]"):
    def act(page, data):
        page.locator(selector).first.click()
        page.wait_for_load_state("load")

    return act


def book_training(page, data):
    # A seat in a session, or a switch to another one if every module is booked.
    page.locator(
        "main form[action$='/training/book/'] button, main form[action$='/switch/'] button"
    ).first.click()
    page.wait_for_load_state("load")


def tick_paper(page, data):
    page.locator("main .paper-list input[type=checkbox]").first.check()
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state("load")


def reissue_kiosk(page, data):
    page.locator("main form[action$='/reissue/'] button[type=submit]").first.click()
    page.wait_for_load_state("load")


E = DEMO_SLUG


def ticket(data, lang):
    return data["ticket"][lang]


PUBLIC = [
    Page("home", lambda d, lang: "/"),
    Page("event-detail", lambda d, lang: f"/e/{E}/"),
    Page("register", lambda d, lang: f"/e/{E}/register/"),
    Page("register", lambda d, lang: f"/e/{E}/register/", "with errors", submit()),
    Page("registration-sent", lambda d, lang: f"/e/{E}/register/sent/"),
    Page("group-register", lambda d, lang: f"/e/{E}/group/"),
    Page("group-register", lambda d, lang: f"/e/{E}/group/", "with errors", submit()),
    Page("group-page", lambda d, lang: f"/g/{d['group_key']}/"),
    Page("lost-ticket", lambda d, lang: f"/e/{E}/lost-ticket/"),
    Page("lost-ticket", lambda d, lang: f"/e/{E}/lost-ticket/", "with errors", submit()),
    Page("ticket", lambda d, lang: f"/t/{ticket(d, lang)}/"),
    Page("ticket-contact", lambda d, lang: f"/t/{ticket(d, lang)}/contact/"),
    Page("ticket-contact", lambda d, lang: f"/t/{ticket(d, lang)}/contact/", "saved", submit()),
    Page("ticket-cancel", lambda d, lang: f"/t/{ticket(d, lang)}/cancel/"),
    Page("ticket-erase", lambda d, lang: f"/t/{ticket(d, lang)}/erase/"),
    Page("privacy-notice", lambda d, lang: f"/e/{E}/privacy/"),
    Page("privacy-erased", lambda d, lang: f"/e/{E}/privacy/erased/"),
    Page("training-page", lambda d, lang: f"/t/{ticket(d, lang)}/training/"),
    Page(
        "training-page",
        lambda d, lang: f"/t/{d['booker'][lang]}/training/",
        "after booking",
        book_training,
    ),
    Page("certificate-verify", lambda d, lang: "/certificates/NO-SUCH-CODE/", "unknown code"),
    Page("screenings:ticket", lambda d, lang: f"/t/{ticket(d, lang)}/screenings/"),
    Page("screenings:book", lambda d, lang: f"/t/{ticket(d, lang)}/screenings/B/", "questions"),
    Page(
        "screenings:book",
        lambda d, lang: f"/t/{ticket(d, lang)}/screenings/B/",
        "with errors",
        submit(),
    ),
    Page("screenings:book", lambda d, lang: f"/t/{ticket(d, lang)}/screenings/T/"),
    Page("project-directory", lambda d, lang: f"/e/{E}/projects/"),
    Page("project-detail", lambda d, lang: f"/e/{E}/projects/{d['project']}/"),
    Page("ticket-stamps", lambda d, lang: f"/t/{ticket(d, lang)}/stamps/"),
    Page("consultation", lambda d, lang: f"/e/{E}/consultation/"),
    Page("consultation-answer", lambda d, lang: f"/e/{E}/consultation/citizen/"),
    Page(
        "consultation-answer",
        lambda d, lang: f"/e/{E}/consultation/citizen/",
        "with errors",
        submit(),
    ),
    Page("consultation-answer", lambda d, lang: f"/e/{E}/consultation/stakeholder/"),
    Page("consultation-thanks", lambda d, lang: f"/e/{E}/consultation/thanks/"),
    Page("ticket-consultation", lambda d, lang: f"/t/{ticket(d, lang)}/consultation/citizen/"),
    Page("login", lambda d, lang: "/accounts/login/"),
    Page("login", lambda d, lang: "/accounts/login/", "with errors", submit()),
    Page("admin:login", lambda d, lang: "/admin/login/"),
    Page("organizer:set-password", lambda d, lang: d["set_password"]),
    Page("404", lambda d, lang: "/e/no-such-fair/"),
    # Kiosks: the fair's screens, in the fair's languages.
    Page("kiosk", lambda d, lang: f"/kiosk/{d['kiosk']['board']}/", "board"),
    Page("kiosk", lambda d, lang: f"/kiosk/{d['kiosk']['checkin']}/", "self check-in"),
    Page("kiosk", lambda d, lang: f"/kiosk/{d['kiosk']['stats']}/", "stats"),
    Page("kiosk", lambda d, lang: f"/kiosk/{d['kiosk']['survey']}/", "survey start"),
    Page("kiosk-survey", lambda d, lang: f"/kiosk/{d['kiosk']['survey']}/survey/citizen/"),
]

S = f"/staff/events/{E}"
STAFF = [
    Page("staff-home", lambda d, lang: "/staff/"),
    Page("staff-group-gate", lambda d, lang: f"/staff/{E}/groups/{d['group_code']}/"),
    Page("staff-training-sessions", lambda d, lang: f"/staff/{E}/training/"),
    Page("staff-training-roster", lambda d, lang: f"/staff/{E}/training/sessions/{d['session']}/"),
    Page("checkin-scanner", lambda d, lang: f"/staff/{E}/scanner/"),
    Page("checkin-attendance", lambda d, lang: f"/staff/{E}/attendance/"),
    Page("checkin-paper", lambda d, lang: f"/staff/{E}/attendance/paper/"),
    Page("checkin-paper", lambda d, lang: f"/staff/{E}/attendance/paper/", "entered", tick_paper),
    Page("screenings:console", lambda d, lang: f"/staff/stations/{d['station']}/"),
    Page("screenings:staff", lambda d, lang: f"/staff/{E}/screenings/"),
    Page("consultation-paper", lambda d, lang: f"{S}/consultation/citizen/paper/"),
    Page(
        "consultation-paper", lambda d, lang: f"{S}/consultation/citizen/paper/", "errors", submit()
    ),
    Page("organizer:team", lambda d, lang: f"{S}/team/"),
    Page("organizer:team", lambda d, lang: f"{S}/team/", "with errors", submit()),
    Page("organizer:kiosks", lambda d, lang: f"{S}/kiosks/"),
    Page(
        "organizer:kiosks",
        lambda d, lang: f"{S}/kiosks/",
        "with errors",
        submit("main form.row-form button"),
    ),
    Page("organizer:kiosks", lambda d, lang: f"{S}/kiosks/", "new address", reissue_kiosk),
    Page("organizer:kiosk-pairing", lambda d, lang: f"{S}/kiosks/{d['kiosk_id']}/pairing/"),
    Page("organizer:people", lambda d, lang: f"{S}/people/?q=a"),
    Page("organizer:person", lambda d, lang: f"{S}/people/{d['person']}/"),
    Page("organizer:person-erase", lambda d, lang: f"{S}/people/{d['person']}/erase/"),
    Page("organizer:audit", lambda d, lang: f"{S}/audit/"),
    Page("organizer:copy", lambda d, lang: f"{S}/copy/"),
    Page("organizer:copy", lambda d, lang: f"{S}/copy/", "with errors", submit()),
    Page("dashboard", lambda d, lang: f"{S}/dashboard/"),
    Page("dashboard-report", lambda d, lang: f"{S}/dashboard/report/"),
    Page("dashboard-consultation", lambda d, lang: f"{S}/dashboard/consultation/{d['survey']}/"),
    Page("dashboard-transport", lambda d, lang: f"{S}/dashboard/transport/"),
    Page("dashboard-exports", lambda d, lang: f"{S}/dashboard/exports/"),
    # The doctor: her console, and a page refused to her role.
    Page("screenings:console", lambda d, lang: f"/staff/stations/{d['station']}/", who="doctor"),
    Page("403", lambda d, lang: f"{S}/dashboard/", "a doctor on the dashboard", who="doctor"),
]
for _page in STAFF:
    _page.who = _page.who or "organizer"


def page_like_routes() -> set[str]:
    """URL names of the URL conf, namespaced, without the API and the admin's
    own pages (its login page excepted)."""
    names = set()

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if namespace and pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if namespace == "admin" and name != "admin:login":
                    continue
                if pattern.name is None:
                    continue  # the admin's catch-all routes
                if pattern.name.startswith("api-") and name not in NOT_PAGES:
                    continue  # the JSON API
                names.add(name)

    walk(get_resolver(), None)
    return names


def test_every_page_like_route_is_in_the_sweep():
    swept = {p.route for p in PUBLIC + STAFF}
    missing = page_like_routes() - swept - set(NOT_PAGES)
    assert missing == set(), f"pages missing from the axe sweep: {sorted(missing)}"
    stale = (swept | set(NOT_PAGES)) - page_like_routes() - {"404", "403"}
    assert stale == set(), f"routes in the sweep that the URL conf lacks: {sorted(stale)}"


def demo_data() -> dict:
    call_command("load_demo", stdout=StringIO())
    event = Event.objects.get(slug=DEMO_SLUG)
    tickets = {}
    for lang, email in (
        ("en-GB", "sarah.miller@example.org"),
        ("ro-RO", "ioana.popescu@example.org"),
    ):
        tickets[lang] = Attendee.objects.get(event=event, email=email).ticket.manage_key
    group = Group.objects.filter(event=event).order_by("pk").first()
    # Who books a training seat (Sarah; Maria of the bus has no seat yet, in Romanian).
    maria = Attendee.objects.get(event=event, first_name="Maria", last_name="Bălan")
    bookers = {"en-GB": tickets["en-GB"], "ro-RO": maria.ticket.manage_key}
    kiosks = {k.kind: k.token for k in Kiosk.objects.filter(event=event)}
    doctor = get_user_model().objects.get(username="doctor")
    # Invited staff choose a password; the volunteer never logs in here.
    volunteer = get_user_model().objects.get(username="volunteer")
    uid = urlsafe_base64_encode(force_bytes(volunteer.pk))
    station = Station.objects.filter(service__event=event, doctors=doctor).order_by("pk").first()
    person = Attendee.objects.filter(event=event, email="elena.dumitrescu@example.org").get()
    return {
        "ticket": tickets,
        "booker": bookers,
        "group_key": group.manage_key,
        "group_code": group.code,
        "kiosk": {
            "board": kiosks[Kiosk.Kind.BOARD],
            "checkin": kiosks[Kiosk.Kind.CHECKIN],
            "stats": kiosks[Kiosk.Kind.STATS],
            "survey": kiosks[Kiosk.Kind.SURVEY],
        },
        "kiosk_id": Kiosk.objects.get(event=event, kind=Kiosk.Kind.STATS).pk,
        "session": TrainingSession.objects.filter(module__event=event).order_by("pk").first().pk,
        "station": station.pk,
        "project": Project.objects.filter(event=event).order_by("pk").first().slug,
        "survey": Survey.objects.filter(event=event).order_by("pk").first().pk,
        "person": person.pk,
        "set_password": "/accounts/set-password/"
        f"{uid}/{default_token_generator.make_token(volunteer)}/",
    }


# At 360 px the page has the same DOM as at desktop width: only the rules that
# depend on the layout can find something new there, unless a stylesheet shows
# or hides content by screen width; then every rule runs again.
LAYOUT_RULES = ["color-contrast", "scrollable-region-focusable"]
AXE_START = """([tags, narrow, layoutRules]) => {
  const byWidth = (sheet) => {
    try {
      return [...sheet.cssRules].some((r) => r instanceof CSSMediaRule
        && !/^print$/.test(r.conditionText) && /\\b(display|visibility)\\s*:/.test(r.cssText));
    } catch (e) { return true; }
  };
  const onlyLayout = narrow && ![...document.styleSheets].some(byWidth);
  const runOnly = onlyLayout ? {type: "rule", values: layoutRules} : {type: "tag", values: tags};
  window.axeSweep = axe.run(document, {runOnly, resultTypes: ["violations"]}).then((r) =>
    r.violations.map((v) => ({id: v.id, impact: v.impact,
      targets: v.nodes.map((n) => n.target.join(" "))})));
}"""


def log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(username)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@dataclass
class Visit:
    label: str
    page: object  # a Playwright page, one per lane and person
    path: str
    action: Callable | None
    ok: bool = True


def open_visit(visit, base, data, found):
    page = visit.page
    page.set_viewport_size(WIDTHS["desktop"])
    page.goto(base + visit.path)
    if visit.action:
        try:
            visit.action(page, data)
        except PlaywrightError as exc:
            found.append(f"{visit.label}: the sweep could not act: {exc.message.splitlines()[0]}")
            visit.ok = False
            return
    page.wait_for_load_state("load")


def start_axe(visit, axe_source, size, narrow):
    page = visit.page
    page.set_viewport_size(size)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    page.evaluate(AXE_START, [TAGS, narrow, LAYOUT_RULES])


def collect_axe(visit, base, width, found):
    for violation in visit.page.evaluate("window.axeSweep"):
        for target in violation["targets"]:
            found.append(
                f"{visit.label} {width} {visit.page.url.removeprefix(base)}: "
                f"{violation['id']} ({violation['impact']}) {target}"
            )


def sweep(lanes, base, data, axe_source, found):
    """Visit the lanes' pages in step: axe runs in one lane's page (its own
    renderer process) while the next lane's page loads, at each width in turn."""
    (first, first_size), (second, second_size) = WIDTHS.items()
    for step in range(max(len(lane) for lane in lanes)):
        visits = []
        for lane in lanes:
            if step < len(lane):
                open_visit(lane[step], base, data, found)
                if lane[step].ok:
                    start_axe(lane[step], axe_source, first_size, narrow=False)
                    visits.append(lane[step])
        for visit in visits:
            collect_axe(visit, base, first, found)
            start_axe(visit, axe_source, second_size, narrow=True)
        for visit in visits:
            collect_axe(visit, base, second, found)
            if SHOTS:
                name = re.sub(r"[^a-zA-Z0-9]+", "-", visit.label).strip("-")
                visit.page.screenshot(path=f"{SHOTS}/{name}-{second}.png", full_page=True)


def visits_of(entries, page, lang, data) -> list[Visit]:
    return [
        Visit(
            f"{e.route}{' (' + e.label + ')' if e.label else ''} [{lang}]",
            page,
            e.path(data, lang),
            e.action,
        )
        for e in entries
    ]


def test_axe_finds_nothing_on_any_page(live_server, browser, axe_source):
    started = time.monotonic()
    data = off_the_loop(demo_data)
    base = live_server.url
    pages = {}
    contexts = []
    for who, locale in [("", "en-GB"), ("", "ro-RO"), ("organizer", "en-GB"), ("doctor", "en-GB")]:
        context = browser.new_context(locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        if who:
            log_in(page, base, who)
        pages[who or locale] = page
    # The organizer's second page, for the second lane (same session).
    pages["organizer 2"] = contexts[2].new_page()
    pages["organizer 2"].set_default_timeout(5000)
    # The ticket pages follow the holder's saved language: English for
    # Sarah, Romanian for Ioana; the locale picks the holder.
    organizer = [p for p in STAFF if p.who == "organizer"]
    half = len(organizer) // 2
    lanes = [
        visits_of(PUBLIC, pages["en-GB"], "en-GB", data)
        + visits_of(organizer[:half], pages["organizer"], "en-GB", data),
        visits_of(PUBLIC, pages["ro-RO"], "ro-RO", data)
        + visits_of(organizer[half:], pages["organizer 2"], "en-GB", data)
        + visits_of([p for p in STAFF if p.who == "doctor"], pages["doctor"], "en-GB", data),
    ]
    found = []
    sweep(lanes, base, data, axe_source, found)
    for context in contexts:
        context.close()
    visits = sum(len(lane) for lane in lanes)
    print(
        f"\naxe sweep: {visits} page visits, each at {' and '.join(WIDTHS)}, "
        f"in {time.monotonic() - started:.1f} s"
    )
    assert found == [], f"{len(found)} axe violations:\n" + "\n".join(found)
