"""The gate's answer time in a real browser, online and offline (issue 13).

A volunteer's scanner page in headless Chromium (a 360-px phone) against
the production profile (nginx → gunicorn, uvicorn; PostgreSQL + Redis):
from the scan submitted to the colour painted (the answer shown, then one
animation frame). Online, 150 tickets answered by the server; then, with the
network cut (``context.set_offline``), 150 other tickets and 50 second scans
decided on the phone (Ed25519 signature, IndexedDB); then the network back
and the time the phone takes to send its 200 waiting scans. Targets: under
300 ms online on loopback, under 100 ms offline.

    BENCH_DB=eventhub_bench_gate .venv/bin/python bench/bench_gate_browser.py
"""

import os
import shutil
import sys
import time

from common import BENCH_ENV, bench_event, latency_stats, report, reset_database, setup_django

from tests.servers import asgi_servers, production_profile

ONLINE, OFFLINE, AGAIN = 150, 150, 50
CHROMIUM = "/usr/bin/chromium"
TARGET = "online p99 < 300 ms, offline p99 < 100 ms"

# One scan, measured inside the page: submit, wait for the answer to show,
# then for the frame that paints it.
MEASURE = """async (payload) => {
  const answer = document.getElementById("answer");
  if (!answer.hidden) { answer.click(); }
  const input = document.getElementById("scan-input");
  input.value = payload;
  const shown = new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (!answer.hidden) {
        watch.disconnect();
        requestAnimationFrame(() => resolve(performance.now()));
      }
    });
    watch.observe(answer, { attributes: true, attributeFilter: ["hidden", "class"] });
  });
  const start = performance.now();
  document.getElementById("scan-form").requestSubmit();
  const end = await Promise.race([shown, new Promise((r) => setTimeout(() => r(NaN), 10000))]);
  return { ms: end - start, result: answer.dataset.result, source: answer.dataset.source };
}"""


def seed():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from eventhub.core.models import StaffRole
    from registrations.models import Attendee, Ticket

    now = timezone.now()
    event = bench_event(days_ahead=0, capacity=1000)
    people = Attendee.objects.bulk_create(
        Attendee(
            event=event,
            first_name="Visitor",
            last_name=f"No. {i:03d}",
            email=f"visitor{i}@example.org",
            terms_accepted_at=now,
            confirmed_at=now,
        )
        for i in range(ONLINE + OFFLINE)
    )
    Ticket.objects.bulk_create(Ticket(attendee=person) for person in people)
    payloads = [t.qr_payload for t in Ticket.objects.select_related("attendee").order_by("pk")]
    user = get_user_model().objects.create_user(username="gate-north")
    StaffRole.objects.create(event=event, user=user, role=StaffRole.Role.VOLUNTEER)
    client = Client()
    client.force_login(user)
    return event, payloads, client.cookies["sessionid"].value


def measure(page, payloads, expected):
    samples, wrong = [], 0
    for payload in payloads:
        answer = page.evaluate(MEASURE, payload)
        samples.append(answer["ms"])
        wrong += answer["result"] != expected
    return samples, wrong


def main() -> None:
    if not os.path.exists(CHROMIUM):
        print(f"skipped: {CHROMIUM} missing (.ci/run installs it)")
        return
    from playwright.sync_api import sync_playwright

    reset_database()
    setup_django()
    event, payloads, session = seed()
    from registrations.models import CheckIn

    proxy = shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")
    running = (
        production_profile(env=BENCH_ENV)
        if proxy
        else asgi_servers(1, env=BENCH_ENV, base_port=8140)
    )
    with running as server, sync_playwright() as playwright:
        url = server.url if proxy else server[0].url
        profile = "nginx + gunicorn + uvicorn" if proxy else "uvicorn"
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
        )
        context.add_cookies([{"name": "sessionid", "value": session, "url": url}])
        page = context.new_page()
        page.goto(f"{url}/staff/{event.slug}/scanner/")
        page.fill("#gate-input", "North")
        page.click("#gate-form button[type=submit]")
        page.wait_for_selector("#link-status[data-pack=ready]", timeout=30_000)

        online, wrong_online = measure(page, payloads[:ONLINE], "ok")
        context.set_offline(True)
        page.wait_for_selector("#link-status[data-state=offline]")
        offline, wrong_offline = measure(page, payloads[ONLINE:], "ok")
        again, wrong_again = measure(page, payloads[ONLINE : ONLINE + AGAIN], "already_checked_in")

        started = time.perf_counter()
        context.set_offline(False)
        page.wait_for_selector("#link-status[data-state=online][data-waiting='0']", timeout=120_000)
        synced_s = time.perf_counter() - started
        browser.close()

    admitted = CheckIn.objects.filter(event=event).count()
    report(
        "gate answer in the browser, online",
        target="p99 < 300 ms",
        server=profile,
        wrong_answers=wrong_online,
        **latency_stats(online),
    )
    report(
        "gate answer in the browser, offline (first and second scans)",
        target="p99 < 100 ms",
        wrong_answers=wrong_offline + wrong_again,
        **latency_stats(offline + again),
    )
    report(
        "offline scans sent when the network is back",
        scans=OFFLINE + AGAIN,
        seconds=round(synced_s, 2),
        scans_per_s=round((OFFLINE + AGAIN) / synced_s, 1),
        admitted_total=admitted,
        expected_admitted=ONLINE + OFFLINE,
    )
    if admitted != ONLINE + OFFLINE or wrong_online or wrong_offline or wrong_again:
        sys.exit("the gate's answers or the server's admissions are wrong")


if __name__ == "__main__":
    main()
