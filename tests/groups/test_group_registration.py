"""Groups: a contact person and up to ten companions, confirmed or waitlisted together."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from eventhub.core.models import StaffRole
from eventhub.dashboard.selectors import programme_report
from registrations.models import Attendee, CheckIn, Group, Ticket
from registrations.services.attendees import attendee_cancel, attendee_register
from registrations.services.groups import group_register
from tests.factories import AttendeeFactory, EventFactory, RegionFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return RegionFactory()


@pytest.fixture
def fair(region):
    return EventFactory(programme=region.programme, capacity=10)


def body(region, members=3, **extra):
    return {
        "contact": {
            "first_name": "Maria",
            "last_name": "Ionescu",
            "email": "maria@example.org",
            "phone": "0722 123 456",
            "region": region.pk,
            "consent": True,
        },
        "members": [
            {"first_name": f"Child{n}", "last_name": "Ionescu", "age": 5 + n}
            for n in range(members)
        ],
        **extra,
    }


def post(api_client, event, data):
    url = reverse("api-group-registration-create", args=[event.slug])
    return api_client.post(url, data, format="json")


def contact(region, n):
    return {
        "first_name": "Ana",
        "last_name": f"No{n}",
        "email": f"p{n}@example.org",
        "region_id": region.pk,
        "language": "ro",
    }


def test_a_family_gets_one_ticket_each_with_both_credentials(api_client, fair, region):
    response = post(api_client, fair, body(region, transport_from="Primăria Topolovățu Mare"))
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "confirmed"
    assert len(data["tickets"]) == 4
    assert set(data["tickets"][0]) >= {"code", "qr_payload", "pdf_url", "manage_url", "manage_key"}
    codes = {t["code"] for t in data["tickets"]}
    assert len(codes) == 4
    people = Attendee.objects.filter(group_id=data["id"]).order_by("pk")
    assert [p.first_name for p in people] == ["Maria", "Child0", "Child1", "Child2"]
    assert [p.age for p in people] == [None, 5, 6, 7]
    assert all(p.needs_transport and p.status == "confirmed" for p in people)
    assert [p.email for p in people][1:] == ["", "", ""]
    assert people[0].phone == "+40722123456"
    fair.refresh_from_db()
    assert fair.confirmed_count == 4
    # Each member's ticket page opens with its own manage key.
    page = api_client.get(data["tickets"][2]["manage_url"])
    assert page.status_code == 200 and "Child1" in page.content.decode()


def test_a_group_that_does_not_fit_waits_whole_and_is_promoted_whole(api_client, fair, region):
    for n in range(8):
        attendee_register(event_id=fair.pk, **contact(region, n))
    response = post(api_client, fair, body(region, members=3))
    assert response.json()["status"] == "waitlisted"
    group = Group.objects.get()
    assert set(group.members.values_list("status", flat=True)) == {"waitlisted"}
    # A single registrant behind the group does not overtake it for the 2 free places.
    late = attendee_register(event_id=fair.pk, **contact(region, 99)).attendee
    assert late.status == "waitlisted"
    # Two cancellations: 4 free places, the group of 4 gets them together.
    first = Attendee.objects.filter(last_name="No0").get()
    assert attendee_cancel(attendee_id=first.pk) == []
    second = Attendee.objects.filter(last_name="No1").get()
    promoted = attendee_cancel(attendee_id=second.pk)
    assert sorted(a.first_name for a in promoted) == ["Child0", "Child1", "Child2", "Maria"]
    assert set(group.members.values_list("status", flat=True)) == {"confirmed"}
    late.refresh_from_db()
    assert late.status == "waitlisted"
    fair.refresh_from_db()
    assert fair.confirmed_count == 10


def test_an_event_allowing_splits_confirms_who_fits(api_client, fair, region):
    fair.allow_group_split = True
    fair.save()
    for n in range(8):
        attendee_register(event_id=fair.pk, **contact(region, n))
    data = post(api_client, fair, body(region, members=3)).json()
    assert data["status"] == "partly_confirmed"
    statuses = list(
        Attendee.objects.filter(group_id=data["id"]).order_by("pk").values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    # The rest of the group is promoted first when a place frees.
    promoted = attendee_cancel(attendee_id=Attendee.objects.get(last_name="No3").pk)
    assert [a.first_name for a in promoted] == ["Child1"]


@pytest.mark.parametrize(
    ("change", "field_path"),
    [
        (lambda b: b["members"].append({"first_name": "X", "last_name": "Y"}), ("members",)),
        (lambda b: b["members"][1].update(first_name=""), ("members", "1", "first_name")),
        (lambda b: b["members"][0].update(age=-1), ("members", "0", "age")),
        (lambda b: b["contact"].pop("email"), ("contact", "email")),
    ],
    ids=["eleventh companion", "missing name", "age -1", "no contact e-mail"],
)
def test_bad_input_names_the_field_in_romanian_and_changes_nothing(
    api_client, fair, region, change, field_path
):
    data = body(region, members=10)
    change(data)
    response = api_client.post(
        reverse("api-group-registration-create", args=[fair.slug]),
        data,
        format="json",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    node = error["fields"]
    for key in field_path:
        node = node[key]
    assert isinstance(node, list) and node and all(isinstance(m, str) for m in node)
    assert Attendee.objects.count() == 0 and Ticket.objects.count() == 0
    assert Group.objects.count() == 0


def test_an_eleventh_companion_is_refused_by_the_service_too(fair, region):
    from registrations.services.groups import GroupTooLarge

    members = [{"first_name": "A", "last_name": "B", "age": 3}] * 11
    with pytest.raises(GroupTooLarge):
        group_register(event_id=fair.pk, contact=contact(region, 1), members=members)
    assert Attendee.objects.count() == 0


def test_a_registered_email_cannot_start_a_group(api_client, fair, region):
    AttendeeFactory(event=fair, email="maria@example.org")
    response = post(api_client, fair, body(region))
    assert response.status_code == 409
    assert response.json()["error"]["fields"]["contact"]["email"]
    assert Group.objects.count() == 0


def test_the_contact_gets_their_ticket_email(
    api_client, fair, region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(api_client, fair, body(region))
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]


def test_the_form_registers_a_family_and_shows_the_group_page(client, fair, region):
    url = reverse("group-register", args=[fair.slug])
    assert client.get(reverse("event-detail", args=[fair.slug])).content.decode().count(url) == 1
    form = {
        "first_name": "Maria",
        "last_name": "Ionescu",
        "email": "maria@example.org",
        "region": str(region.pk),
        "consent": "on",
        "member-0-first_name": "Ion",
        "member-0-last_name": "Ionescu",
        "member-0-age": "40",
        "member-2-first_name": "Ana",
        "member-2-last_name": "Ionescu",
        "transport_from": "Satu Nou",
    }
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ion Ionescu" in page and "Ana Ionescu" in page
    group = Group.objects.get()
    assert group.transport_from == "Satu Nou"
    assert group.members.count() == 3
    pdf = client.get(reverse("group-pdf", args=[group.manage_key]))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 4  # one for all + one each
    # The gate code (in the page's QR) opens neither the group page nor its PDF.
    assert client.get(reverse("group-page", args=[group.code])).status_code == 404
    assert client.get(reverse("group-pdf", args=[group.code])).status_code == 404


def test_the_form_shows_a_bad_age_in_romanian_and_keeps_what_was_typed(client, fair, region):
    form = {
        "first_name": "Maria",
        "last_name": "Ionescu",
        "email": "maria@example.org",
        "region": str(region.pk),
        "consent": "on",
        "member-0-first_name": "Ion",
        "member-0-last_name": "Ionescu",
        "member-0-age": "-1",
    }
    response = client.post(
        reverse("group-register", args=[fair.slug]), form, HTTP_ACCEPT_LANGUAGE="ro"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="member-0-age-errors"' in page
    assert 'value="Ion"' in page
    assert Attendee.objects.count() == 0


def test_the_gate_admits_a_group_member_by_member_or_all_at_once(client, fair, region):
    result = group_register(
        event_id=fair.pk,
        contact=contact(region, 1),
        members=[
            {"first_name": "B", "last_name": "C", "age": 9},
            {"first_name": "D", "last_name": "E", "age": 70},
        ],
    )
    group = result.group
    url = reverse("staff-group-gate", args=[fair.slug, group.code])
    assert client.get(url).status_code == 302  # login first
    volunteer = StaffRoleFactory(event=fair, role=StaffRole.Role.VOLUNTEER).user
    client.force_login(volunteer)
    # The contact's group page carries the link to this page in its QR code.
    assert client.get(url).status_code == 200
    client.post(url, {"attendee": result.attendees[1].pk})
    assert CheckIn.objects.count() == 1
    client.post(url, {"attendee": "all"})
    assert CheckIn.objects.filter(target="event").count() == 3
    page = client.get(url).content.decode()
    assert page.count("Checked in") == 3
    other = EventFactory()
    StaffRoleFactory(event=other, user=volunteer)
    assert client.get(reverse("staff-group-gate", args=[other.slug, group.code])).status_code == 404


def test_organizers_get_the_transport_list_by_pick_up_place_and_the_report_counts_seats(
    client, fair, region
):
    group_register(
        event_id=fair.pk,
        contact={**contact(region, 1), "phone": "+40722123456"},
        members=[{"first_name": "B", "last_name": "C"}] * 3,
        transport_from="Satu Nou",
    )
    group_register(
        event_id=fair.pk,
        contact=contact(region, 2),
        members=[{"first_name": "D", "last_name": "E"}],
        transport_from=" satu  nou ",
    )
    group_register(
        event_id=fair.pk,
        contact=contact(region, 3),
        members=[{"first_name": "F", "last_name": "G"}] * 2,
        transport_from="Vălișoara",
    )
    group_register(
        event_id=fair.pk,
        contact=contact(region, 4),
        members=[{"first_name": "H", "last_name": "I"}],
    )
    url = reverse("dashboard-transport", args=[fair.slug])
    volunteer = StaffRoleFactory(event=fair, role=StaffRole.Role.VOLUNTEER).user
    client.force_login(volunteer)
    assert client.get(url).status_code == 403
    client.force_login(StaffRoleFactory(event=fair, role=StaffRole.Role.ORGANIZER).user)
    page = client.get(url).content.decode()
    assert "Satu Nou — 6 seats" in page and "Vălișoara — 3 seats" in page
    assert "+40722123456" in page
    csv_text = client.get(reverse("dashboard-transport-csv", args=[fair.slug])).content.decode(
        "utf-8-sig"
    )
    lines = csv_text.strip().splitlines()
    assert lines[0] == "Pick-up place,Contact person,Phone,Seats,Confirmed"
    assert "Satu Nou,Ana No1,+40722123456,4,4" in lines
    assert "Vălișoara,Ana No3,,3,3" in lines
    assert len(lines) == 4  # the group without transport is not on it
    pdf = client.get(reverse("dashboard-transport-pdf", args=[fair.slug]))
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 2  # one page per pick-up place, for the drivers
    assert "Vălișoara" in reader.pages[1].extract_text()
    assert programme_report(event=fair).summary["transport_seats"] == 9


def test_the_demo_fair_has_a_village_bus_and_a_family():
    from eventhub.demo.fair import load  # noqa: PLC0415 (the roof; loaded only here)
    from registrations.selectors.groups import transport_list  # noqa: PLC0415

    event = load()
    sizes = sorted(g.members.count() for g in Group.objects.filter(event=event))
    assert sizes == [4, 11]
    [bus] = transport_list(event_id=event.pk)
    assert bus["place"].startswith("Eșelnița") and bus["confirmed_seats"] == 11


def test_allowing_splits_later_gives_the_free_places_to_the_waiting_group(fair, region):
    from eventhub.core.capacity import pool_for  # noqa: PLC0415
    from eventhub.core.models import Event  # noqa: PLC0415

    for n in range(8):
        attendee_register(event_id=fair.pk, **contact(region, n))
    result = group_register(
        event_id=fair.pk,
        contact=contact(region, 50),
        members=[{"first_name": "K", "last_name": str(n)} for n in range(3)],
    )
    assert result.status == "waitlisted"
    # The organizer ticks "groups may be split" (the admin saves through the pool).
    _, promoted = pool_for(Event).resize(fair.pk, fair.capacity, allow_group_split=True)
    assert [a.last_name for a in promoted] == ["No50", "0"]


def test_the_contacts_ticket_page_links_to_the_group_page(client, fair, region):
    result = group_register(
        event_id=fair.pk,
        contact=contact(region, 1),
        members=[{"first_name": "A", "last_name": "B"}],
    )
    group_url = reverse("group-page", args=[result.group.manage_key])
    contact_page = client.get(reverse("ticket", args=[result.attendees[0].ticket.manage_key]))
    assert group_url in contact_page.content.decode()
    member_page = client.get(reverse("ticket", args=[result.attendees[1].ticket.manage_key]))
    assert member_page.status_code == 200 and group_url not in member_page.content.decode()


def test_deleting_the_event_deletes_its_groups(fair, region):
    group_register(
        event_id=fair.pk,
        contact=contact(region, 1),
        members=[{"first_name": "A", "last_name": "B"}],
    )
    fair.delete()
    assert Group.objects.count() == 0 and Attendee.objects.count() == 0


def test_group_registrations_to_one_address_are_limited_like_single_ones(
    api_client, fair, region, monkeypatch
):
    from django.core.cache import cache

    from eventhub.core.throttling import CountingThrottle

    cache.clear()
    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "address", "2/h")
    statuses = [post(api_client, fair, body(region, members=1)).status_code for _ in range(3)]
    assert statuses == [201, 409, 429]
    cache.clear()


def test_a_companion_who_gives_an_email_gets_their_own_ticket_by_email(
    api_client, fair, region, django_capture_on_commit_callbacks
):
    data = body(region, members=2)
    data["members"][1]["email"] = " Child1@Example.org "
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, fair, data)
    assert response.status_code == 201
    people = Attendee.objects.filter(group_id=response.json()["id"]).order_by("pk")
    assert [p.email for p in people] == ["maria@example.org", "", "child1@example.org"]
    assert sorted(m.to[0] for m in mail.outbox) == ["child1@example.org", "maria@example.org"]
    child_mail = next(m for m in mail.outbox if m.to == ["child1@example.org"])
    # Their own ticket: their page's key and their PDF, not the contact's.
    assert people[2].ticket.manage_key in child_mail.body
    assert people[0].ticket.manage_key not in child_mail.body
    assert [name for name, _content, _type in child_mail.attachments][0].endswith(".pdf")


def test_a_waiting_companion_with_an_email_is_told_when_the_group_is_promoted(
    api_client, fair, region, django_capture_on_commit_callbacks
):
    fair.capacity = 1
    fair.save()
    holder = attendee_register(
        event_id=fair.pk, first_name="A", last_name="B", email="holder@example.org"
    ).attendee
    data = body(region, members=1)
    data["members"][0]["email"] = "child0@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        assert post(api_client, fair, data).json()["status"] == "waitlisted"
    mail.outbox.clear()
    fair.capacity = 3
    fair.save()
    with django_capture_on_commit_callbacks(execute=True):
        attendee_cancel(attendee_id=holder.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["child0@example.org", "maria@example.org"]


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("maria@example.org", "Each person needs their own e-mail address"),
        ("taken@example.org", "Another registration for this event uses this e-mail address."),
    ],
)
def test_a_companions_email_used_elsewhere_is_refused_on_its_row(
    api_client, fair, region, address, message
):
    AttendeeFactory(event=fair, email="taken@example.org")
    data = body(region, members=2)
    data["members"][1]["email"] = address
    response = post(api_client, fair, data)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "email_taken"
    assert message in error["fields"]["members"]["1"]["email"][0]
    assert Group.objects.count() == 0


def test_the_form_takes_a_companions_email_and_keeps_it_after_an_error(client, fair, region):
    form = {
        "first_name": "Maria",
        "last_name": "Ionescu",
        "email": "maria@example.org",
        "region": str(region.pk),
        "consent": "on",
        "member-0-first_name": "Ion",
        "member-0-last_name": "Ionescu",
        "member-0-email": "not-an-address",
    }
    url = reverse("group-register", args=[fair.slug])
    refused = client.post(url, form, HTTP_ACCEPT_LANGUAGE="ro")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="member-0-email-errors"' in page and 'value="not-an-address"' in page
    assert Attendee.objects.count() == 0

    form["member-0-email"] = "ion@example.org"
    assert client.post(url, form).status_code == 302
    assert Attendee.objects.get(first_name="Ion").email == "ion@example.org"
