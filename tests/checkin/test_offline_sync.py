"""The offline gate, server side: the pack a scanner decides from without the
network, and the sync of its queued scans (reconciliation, double entries).

SQLite and PostgreSQL; the parallel sync at the end needs PostgreSQL."""

import datetime as dt
import hashlib
import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from eventhub.core.models import StaffRole
from registrations.models import Attendee, CheckIn, ScanLog
from registrations.services.checkin import ticket_check_in
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


def pack_url(event):
    return reverse("api-checkin-offline", args=[event.slug])


def sync_url(event):
    return reverse("api-checkin-sync", args=[event.slug])


def ticket_hash(event, code):
    return hashlib.sha256(f"{event.pk}:{code}".encode("ascii")).hexdigest()[:16]


def hh_mm(moment):
    return formats.time_format(timezone.localtime(moment), "H:i")


@pytest.fixture
def volunteer(event, staff_client):
    return staff_client(event, Role.VOLUNTEER)


def offline_scan(attendee, *, at, gate="North", local_result="ok", nonce=None, payload=None):
    return {
        "nonce": nonce or str(uuid.uuid4()),
        "payload": payload if payload is not None else attendee.ticket.qr_payload,
        "gate": gate,
        "scanned_at": at.isoformat(),
        "local_result": local_result,
    }


def sync(client, event, device, scans, **extra):
    return client.post(sync_url(event), {"device": device, "scans": scans}, format="json", **extra)


# --- The offline pack --------------------------------------------------------


def test_the_pack_lists_admitted_and_refused_ticket_hashes_and_no_personal_data(event, volunteer):
    inside = AttendeeFactory(event=event, first_name="Ana-Maria", last_name="Pop-Ionescu")
    waiting = AttendeeFactory(event=event, first_name="Ion-Vlad", last_name="Vlad-Ene")
    waiting.status = Attendee.Status.WAITLISTED
    waiting.save()
    gone = AttendeeFactory(event=event, status=Attendee.Status.CANCELLED, first_name="Mara-Ioana")
    not_yet = AttendeeFactory(event=event)
    ticket_check_in(event_id=event.pk, payload=inside.ticket.code, gate="North")
    AttendeeFactory(event=EventFactory(), status=Attendee.Status.CANCELLED)  # another fair

    response = volunteer.get(pack_url(event))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["event"] == event.pk
    assert body["admitted"] == [ticket_hash(event, inside.ticket.code)]
    assert body["refused"] == {
        ticket_hash(event, waiting.ticket.code): "waitlisted",
        ticket_hash(event, gone.ticket.code): "cancelled",
    }
    keys = volunteer.get(reverse("api-checkin-keys", args=[event.slug])).json()
    assert body["keys"] == keys["keys"] and body["accepts_hmac"] == keys["accepts_hmac"]
    assert len(body["keys"]) == 1 and body["keys"][0]["active"] is True
    generated = dt.datetime.fromisoformat(body["generated_at"])
    assert generated.utcoffset() is not None
    assert abs(generated - timezone.now()) < dt.timedelta(minutes=1)
    text = response.content.decode()
    for person in (inside, waiting, gone, not_yet):
        assert person.ticket.code not in text
    # Hyphens are neither hex nor base64: a name cannot hide in a hash or key.
    for name in ("Ana-Maria", "Pop-Ionescu", "Ion-Vlad", "Vlad-Ene", "Mara-Ioana"):
        assert name not in text


def test_the_pack_and_the_sync_refuse_other_roles_and_unknown_events(event, staff_client):
    doctor = staff_client(event, Role.DOCTOR)
    other_fair = staff_client(EventFactory(), Role.VOLUNTEER)
    attendee = AttendeeFactory(event=event)
    scan = offline_scan(attendee, at=timezone.now())
    for client in (doctor, other_fair):
        assert client.get(pack_url(event)).status_code == 403
        assert sync(client, event, "web-x", [scan]).status_code == 403
    assert not CheckIn.objects.exists() and not ScanLog.objects.exists()
    organizer = staff_client(event, Role.ORGANIZER)
    assert organizer.get(pack_url(event)).status_code == 200
    missing = reverse("api-checkin-offline", args=["no-such-fair"])
    assert organizer.get(missing).status_code == 404
    assert APIClient().get(pack_url(event)).status_code == 401


def test_the_pack_costs_the_same_few_queries_whatever_the_number_of_tickets(event, volunteer):
    def queries():
        with CaptureQueriesContext(connection) as context:
            body = volunteer.get(pack_url(event)).json()
        return len(context), len(body["admitted"]) + len(body["refused"])

    volunteer.get(pack_url(event))  # token and role remembered
    few = AttendeeFactory.create_batch(2, event=event)
    ticket_check_in(event_id=event.pk, payload=few[0].ticket.code)
    small = queries()
    for person in AttendeeFactory.create_batch(20, event=event):
        ticket_check_in(event_id=event.pk, payload=person.ticket.code)
    AttendeeFactory.create_batch(5, event=event, status=Attendee.Status.CANCELLED)
    large = queries()
    assert (small[1], large[1]) == (1, 26)
    assert small[0] == large[0] <= 5  # keys (as checkin-keys), admitted, refused


# --- Syncing ------------------------------------------------------------------


def test_a_sync_admits_each_scan_once_at_the_time_it_was_scanned(event, volunteer):
    now = timezone.now()
    ana, ion, mara = AttendeeFactory.create_batch(3, event=event)
    scans = [
        offline_scan(ana, at=now - dt.timedelta(minutes=30), gate="North"),
        offline_scan(ion, at=now - dt.timedelta(days=3), gate="North"),  # clock far behind
        offline_scan(mara, at=now + dt.timedelta(hours=2), gate="South"),  # clock ahead
    ]

    response = sync(volunteer, event, "web-a", scans)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["nonce"] for r in results] == [s["nonce"] for s in scans]
    assert [r["result"] for r in results] == ["ok"] * 3
    assert [r["double_entry"] for r in results] == [False] * 3
    assert results[0]["display_name"] == ana.full_name
    assert results[0]["message"] == "Welcome!"
    assert results[2]["gate"] == "South"
    check_ins = {c.ticket_id: c for c in CheckIn.objects.all()}
    assert len(check_ins) == 3
    assert check_ins[ana.ticket.pk].checked_in_at == now - dt.timedelta(minutes=30)
    assert check_ins[ana.ticket.pk].method == "offline"
    assert check_ins[ana.ticket.pk].device == "web-a"
    later = timezone.now()
    clamped_back = check_ins[ion.ticket.pk].checked_in_at
    assert now - dt.timedelta(hours=24) <= clamped_back <= later - dt.timedelta(hours=24)
    assert now <= check_ins[mara.ticket.pk].checked_in_at <= later
    log = ScanLog.objects.get(ticket=ana.ticket)
    assert (log.method, log.local_result, log.device) == ("offline", "ok", "web-a")
    assert log.scanned_at == now - dt.timedelta(minutes=30)
    assert dt.datetime.fromisoformat(results[0]["checked_in_at"]) == now - dt.timedelta(minutes=30)


def test_each_admission_of_a_sync_broadcasts_the_stats_once(event, volunteer, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "registrations.services.checkin.stats_changed_on_commit",
        lambda **kwargs: sent.append(kwargs),
    )
    ana, ion = AttendeeFactory.create_batch(2, event=event)
    scans = [offline_scan(p, at=timezone.now()) for p in (ana, ion, ana)]
    scans[2]["local_result"] = "already_checked_in"
    sync(volunteer, event, "web-a", scans)
    sync(volunteer, event, "web-a", scans)  # a retry admits nobody
    assert sent == [{"event_id": event.pk, "part": "attendance"}] * 2


def test_a_retried_sync_writes_nothing_and_answers_the_same(event, volunteer):
    now = timezone.now()
    ana, ion = AttendeeFactory.create_batch(2, event=event)
    ticket_check_in(event_id=event.pk, payload=ion.ticket.code, gate="Main")
    scans = [
        offline_scan(ana, at=now - dt.timedelta(minutes=5)),
        offline_scan(ion, at=now - dt.timedelta(minutes=4)),  # let in: a double entry
        offline_scan(ana, at=now, payload="garbage", local_result="invalid"),
    ]
    first = sync(volunteer, event, "web-a", scans).json()
    rows = ScanLog.objects.count()

    again = sync(volunteer, event, "web-a", scans).json()

    assert again == first
    assert [r["result"] for r in first["results"]] == ["ok", "already_checked_in", "invalid"]
    assert [r["double_entry"] for r in first["results"]] == [False, True, False]
    assert len(first["double_entries"]) == 1
    assert ScanLog.objects.count() == rows == 4
    assert CheckIn.objects.count() == 2


def test_a_nonce_repeated_in_a_batch_is_one_scan_but_not_with_another_payload(event, volunteer):
    ana, ion = AttendeeFactory.create_batch(2, event=event)
    now = timezone.now()
    scan = offline_scan(ana, at=now, nonce="n-1")
    body = sync(volunteer, event, "web-a", [scan, scan]).json()
    assert [r["result"] for r in body["results"]] == ["ok", "ok"]
    assert ScanLog.objects.count() == 1
    reused = offline_scan(ion, at=now, nonce="n-1")
    body = sync(volunteer, event, "web-a", [scan, reused]).json()
    assert [r["result"] for r in body["results"]] == ["ok", "ok"]
    assert [r["display_name"] for r in body["results"]] == [ana.full_name, ion.full_name]
    assert CheckIn.objects.count() == 2 and ScanLog.objects.count() == 2


def test_two_devices_letting_one_ticket_in_make_a_double_entry_both_see(event, staff_client):
    device_a = staff_client(event, Role.VOLUNTEER)
    device_b = staff_client(event, Role.VOLUNTEER)
    ana = AttendeeFactory(event=event, first_name="Ana", last_name="Pop")
    at_north = timezone.now() - dt.timedelta(minutes=40)
    at_south = at_north + dt.timedelta(minutes=3)

    a = sync(device_a, event, "web-a", [offline_scan(ana, at=at_north, gate="North")]).json()
    b = sync(device_b, event, "web-b", [offline_scan(ana, at=at_south, gate="South")]).json()

    assert a["results"][0]["result"] == "ok" and a["results"][0]["double_entry"] is False
    assert a["double_entries"] == []
    assert b["results"][0]["result"] == "already_checked_in"
    assert b["results"][0]["double_entry"] is True
    assert b["results"][0]["gate"] == "North"
    sentence = f"Admitted offline at North {hh_mm(at_north)} and South {hh_mm(at_south)}."
    (item,) = b["double_entries"]
    assert item["kind"] == "double_entry"
    assert item["ticket"] == ticket_hash(event, ana.ticket.code)
    assert item["display_name"] == "Ana Pop"
    assert item["text"] == sentence
    assert [(e["gate"], e["device"], e["offline"]) for e in item["entries"]] == [
        ("North", "web-a", True),
        ("South", "web-b", True),
    ]
    assert dt.datetime.fromisoformat(item["entries"][1]["at"]) == at_south
    # Device A, which let the holder in first, hears of it on its next sync.
    assert sync(device_a, event, "web-a", []).json()["double_entries"] == [item]
    assert sync(device_b, event, "web-b", []).json()["double_entries"] == [item]
    # A third device that took no part is not told.
    assert sync(device_a, event, "web-c", []).json()["double_entries"] == []
    assert CheckIn.objects.count() == 1

    organizer = Client()
    organizer.force_login(StaffRoleFactory(event=event, role=Role.ORGANIZER).user)
    page = organizer.get(reverse("checkin-attendance", args=[event.slug])).content.decode()
    assert "Double entries" in page
    assert "Ana Pop" in page and sentence in page
    totals = device_a.get(reverse("api-attendance", args=[event.slug])).json()
    assert totals["double_entries"] == 1


def test_the_attendance_page_has_no_double_entries_section_without_any(event):
    organizer = Client()
    organizer.force_login(StaffRoleFactory(event=event, role=Role.ORGANIZER).user)
    page = organizer.get(reverse("checkin-attendance", args=[event.slug])).content.decode()
    assert "Double entries" not in page


def test_a_scan_shown_amber_offline_and_answered_already_is_no_double_entry(event, volunteer):
    ana = AttendeeFactory(event=event)
    ticket_check_in(event_id=event.pk, payload=ana.ticket.code, gate="North")
    scan = offline_scan(ana, at=timezone.now(), local_result="already_checked_in")
    body = sync(volunteer, event, "web-a", [scan]).json()
    assert body["results"][0]["result"] == "already_checked_in"
    assert body["results"][0]["double_entry"] is False
    assert body["double_entries"] == []
    totals = volunteer.get(reverse("api-attendance", args=[event.slug])).json()
    assert totals["double_entries"] == 0


def test_a_forged_or_foreign_payload_is_answered_not_refused(event, volunteer):
    ana = AttendeeFactory(event=event)
    forged = ana.ticket.qr_payload[:-4] + (
        "AAAA" if not ana.ticket.qr_payload.endswith("AAAA") else "BBBB"
    )
    stranger = AttendeeFactory(event=EventFactory())
    scans = [
        offline_scan(ana, at=timezone.now(), payload=forged),
        offline_scan(ana, at=timezone.now(), payload="\x00 not a ticket"),
        offline_scan(stranger, at=timezone.now()),
    ]
    response = sync(volunteer, event, "web-a", scans)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["result"] for r in results] == ["invalid", "invalid", "wrong_event"]
    assert not any(r["double_entry"] for r in results)
    assert not CheckIn.objects.exists()


def test_a_cancelled_ticket_let_in_offline_is_reported(event, volunteer):
    gone = AttendeeFactory(event=event, status=Attendee.Status.CANCELLED, first_name="Mara-Ioana")
    at = timezone.now() - dt.timedelta(minutes=2)
    body = sync(volunteer, event, "web-a", [offline_scan(gone, at=at, gate="East")]).json()
    assert body["results"][0]["result"] == "cancelled"
    assert body["results"][0]["double_entry"] is False
    (item,) = body["double_entries"]
    assert item["kind"] == "cancelled"
    assert item["text"] == (
        f"Admitted offline at East {hh_mm(at)} although the registration was cancelled."
    )


def test_online_then_offline_admission_reads_in_time_order(event, volunteer):
    ana = AttendeeFactory(event=event)
    ticket_check_in(event_id=event.pk, payload=ana.ticket.qr_payload, gate="C", device="phone")
    first = CheckIn.objects.get().checked_in_at
    later = timezone.now()
    body = sync(volunteer, event, "web-n", [offline_scan(ana, at=later, gate="North")]).json()
    assert body["results"][0]["double_entry"] is True
    (item,) = body["double_entries"]
    assert item["text"] == f"Admitted at C {hh_mm(first)} and offline at North {hh_mm(later)}."
    assert [e["offline"] for e in item["entries"]] == [False, True]
    # The online scanner's device took part too.
    assert sync(volunteer, event, "phone", []).json()["double_entries"] == [item]


def test_a_double_entry_whose_first_admission_was_undone_still_lists_it_marked_undone(
    event, volunteer, staff_client
):
    ana = AttendeeFactory(event=event, first_name="Ana", last_name="Pop")
    ticket_check_in(event_id=event.pk, payload=ana.ticket.qr_payload, gate="C", device="phone")
    first = CheckIn.objects.get().checked_in_at
    later = timezone.now()
    body = sync(volunteer, event, "web-n", [offline_scan(ana, at=later, gate="North")]).json()
    assert body["results"][0]["double_entry"] is True
    organizer = staff_client(event, Role.ORGANIZER)
    undo_url = reverse("api-checkin-undo", args=[event.slug])
    assert organizer.post(undo_url, {"ticket": ana.ticket.code}, format="json").status_code == 204
    # Admitted again since, at another gate: not one of this double entry's admissions.
    ticket_check_in(event_id=event.pk, payload=ana.ticket.code, gate="East")

    sentence = f"Admitted at C {hh_mm(first)} (undone later) and offline at North {hh_mm(later)}."
    (item,) = sync(volunteer, event, "web-n", []).json()["double_entries"]
    assert item["kind"] == "double_entry" and item["text"] == sentence
    assert [(e["gate"], e["device"], e["offline"], e["undone"]) for e in item["entries"]] == [
        ("C", "phone", False, True),
        ("North", "web-n", True, False),
    ]
    assert dt.datetime.fromisoformat(item["entries"][0]["at"]) == first
    # The device whose admission was undone took part: it is told too.
    assert sync(volunteer, event, "phone", []).json()["double_entries"] == [item]

    page = Client()
    page.force_login(StaffRoleFactory(event=event, role=Role.ORGANIZER).user)
    attendance = page.get(reverse("checkin-attendance", args=[event.slug])).content.decode()
    assert "Ana Pop" in attendance and sentence in attendance
    romanian = sync(volunteer, event, "web-n", [], HTTP_ACCEPT_LANGUAGE="ro").json()
    assert "(intrare anulată ulterior)" in romanian["double_entries"][0]["text"]


def test_double_entries_cost_the_same_queries_with_undone_admissions(
    event, volunteer, staff_client
):
    organizer = staff_client(event, Role.ORGANIZER)
    undo_url = reverse("api-checkin-undo", args=[event.slug])

    def double_entry(*, undone):
        person = AttendeeFactory(event=event)
        ticket_check_in(event_id=event.pk, payload=person.ticket.code, gate="C", device="web-n")
        sync(volunteer, event, "web-n", [offline_scan(person, at=timezone.now())])
        if undone:
            organizer.post(undo_url, {"ticket": person.ticket.code}, format="json")

    def queries():
        with CaptureQueriesContext(connection) as context:
            body = sync(volunteer, event, "web-n", []).json()
        undone = sum(e["undone"] for item in body["double_entries"] for e in item["entries"])
        return len(context), len(body["double_entries"]), undone

    double_entry(undone=False)
    small = queries()
    for undone in (True, True, False):
        double_entry(undone=undone)
    large = queries()
    assert (small[1:], large[1:]) == ((1, 0), (4, 2))
    assert small[0] == large[0]


def test_the_sentence_is_in_the_requesters_language(event, volunteer):
    ana = AttendeeFactory(event=event)
    ticket_check_in(event_id=event.pk, payload=ana.ticket.code, gate="C")
    scan = offline_scan(ana, at=timezone.now(), gate="North")
    body = sync(volunteer, event, "web-n", [scan], HTTP_ACCEPT_LANGUAGE="ro").json()
    text = body["double_entries"][0]["text"]
    assert "Admitted" not in text and "offline" not in text
    assert text.startswith("Admis") and "North" in text and "C" in text


@pytest.mark.parametrize(
    "body",
    [
        {"device": "web-a", "scans": "not a list"},
        {"device": "web-a", "scans": {"nonce": "x"}},
        {"device": "web-a"},
        {"scans": []},
        {
            "device": "web-a",
            "scans": [
                {"payload": "EH2:x", "scanned_at": "2026-06-13T10:00:00Z", "local_result": "ok"}
            ],
        },
        {
            "device": "web-a",
            "scans": [
                {
                    "nonce": "",
                    "payload": "x",
                    "scanned_at": "2026-06-13T10:00:00Z",
                    "local_result": "ok",
                }
            ],
        },
        {
            "device": "web-a",
            "scans": [
                {
                    "nonce": "n" * 65,
                    "payload": "x",
                    "scanned_at": "2026-06-13T10:00:00Z",
                    "local_result": "ok",
                }
            ],
        },
        {
            "device": "web-a",
            "scans": [
                {"nonce": "n1", "payload": "x", "scanned_at": "yesterday", "local_result": "ok"}
            ],
        },
        {
            "device": "web-a",
            "scans": [
                {
                    "nonce": "n1",
                    "payload": "x",
                    "scanned_at": "2026-06-13T10:00:00Z",
                    "local_result": "meh",
                }
            ],
        },
        {"device": "web-a", "scans": [None]},
        ["not", "an", "object"],
    ],
)
def test_a_malformed_sync_is_400_in_the_callers_language(event, volunteer, body):
    response = volunteer.post(sync_url(event), body, format="json", HTTP_ACCEPT_LANGUAGE="ro")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "Unele câmpuri necesită atenția dumneavoastră."
    assert not ScanLog.objects.exists()


def test_more_than_500_scans_or_broken_json_is_400(event, volunteer):
    ana = AttendeeFactory(event=event)
    scans = [offline_scan(ana, at=timezone.now()) for _ in range(501)]
    assert sync(volunteer, event, "web-a", scans).status_code == 400
    broken = volunteer.post(sync_url(event), "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert not ScanLog.objects.exists()


def test_an_empty_sync_answers_empty_lists(event, volunteer):
    response = sync(volunteer, event, "web-a", [])
    assert response.status_code == 200
    assert response.json() == {"results": [], "double_entries": []}


# --- Two devices at once (PostgreSQL) ------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_devices_syncing_one_ticket_at_once_admit_it_once_and_report_one_double_entry():
    event = EventFactory()
    tokens = [
        Token.objects.create(user=StaffRoleFactory(event=event, role=Role.VOLUNTEER).user).key
        for _ in range(2)
    ]
    ana = AttendeeFactory(event=event)
    others = AttendeeFactory.create_batch(10, event=event)
    now = timezone.now()
    barrier = threading.Barrier(2)
    answers = [None, None]

    def run(i):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[i]}")
        scans = [offline_scan(p, at=now) for p in others[i * 5 : i * 5 + 5]]
        scans.insert(2, offline_scan(ana, at=now - dt.timedelta(minutes=i), gate=f"Gate {i}"))
        try:
            barrier.wait(timeout=10)
            answers[i] = sync(client, event, f"web-{i}", scans)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [200, 200]
    results = sorted(a.json()["results"][2]["result"] for a in answers)
    assert results == ["already_checked_in", "ok"]
    assert CheckIn.objects.filter(ticket=ana.ticket).count() == 1
    assert CheckIn.objects.count() == 11
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    for device in ("web-0", "web-1"):
        (item,) = sync(client, event, device, []).json()["double_entries"]
        assert item["ticket"] == ticket_hash(event, ana.ticket.code)
    assert client.get(reverse("api-attendance", args=[event.slug])).json()["double_entries"] == 1


def test_the_scan_log_admin_shows_what_the_phone_showed_and_filters_double_entries(
    event, staff_client
):
    from tests.factories import UserFactory

    ana, bogdan = AttendeeFactory(event=event), AttendeeFactory(event=event)
    north = staff_client(event, StaffRole.Role.VOLUNTEER)
    south = staff_client(event, StaffRole.Role.VOLUNTEER)
    at = timezone.now() - dt.timedelta(minutes=5)
    sync(north, event, "web-north", [offline_scan(ana, at=at), offline_scan(bogdan, at=at)])
    sync(south, event, "web-south", [offline_scan(ana, at=at, gate="South")])
    admin = Client()
    admin.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("admin:registrations_scanlog_changelist")
    page = admin.get(url).content.decode()
    assert "Result shown offline" in page
    # Filtered on what the phone showed (ok) and what the server answered
    # (already checked in): the double entry, South's scan of Ana, alone.
    double = admin.get(url, {"local_result": "ok", "result__exact": "already_checked_in"})
    assert double.status_code == 200
    assert double.context["cl"].result_count == 1
    assert [row.gate for row in double.context["cl"].result_list] == ["South"]
