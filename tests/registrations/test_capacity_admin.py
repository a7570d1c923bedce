"""The fair's capacity edited in the admin goes through the capacity engine:
refused below the people confirmed, a raise promotes people waiting, and the
counter on the event row stays true whatever else saves the event."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eventhub.core.capacity import CapacityBelowTaken
from eventhub.core.models import Event
from registrations.models import Attendee
from registrations.services.attendees import (
    attendee_cancel,
    attendee_register,
    event_capacity_set,
)
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def superuser_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def register(event, n):
    return attendee_register(
        event_id=event.pk, first_name="P", last_name=f"N{n}", email=f"p{n}@example.org"
    ).attendee


def split(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def event_form(event, **changes) -> dict:
    data = {
        "name_en": event.name,  # the English of a text in three languages
        "slug": event.slug,
        "status": event.status,
        "programme": event.programme_id,
        "description_en": event.description,  # the English of a text in three languages
        "venue_en": event.venue,  # the English of a text in three languages
        "address_en": event.address,  # the English of a text in three languages
        "city_en": event.city,  # the English of a text in three languages
        "country": event.country,
        "timezone": event.timezone,
        "capacity": event.capacity,
        "languages": json.dumps(event.languages),
        "personal_data_retention_days": event.personal_data_retention_days,
    }
    for field in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        data[f"{field}_0"], data[f"{field}_1"] = split(getattr(event, field))
    for prefix in ("staff_roles", "kiosks"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(changes)
    return data


def test_raising_the_fairs_capacity_in_the_admin_promotes_and_emails_the_first_waiting(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    people = [register(event, n) for n in range(3)]
    assert [p.status for p in people] == ["confirmed", "waitlisted", "waitlisted"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client().post(
            reverse("admin:eventhub_event_change", args=[event.pk]),
            event_form(event, capacity=2, venue_en="Union Square"),
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    statuses = [Attendee.objects.get(pk=p.pk).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert [m.to for m in mail.outbox] == [[people[1].email]]
    event.refresh_from_db()
    assert (event.capacity, event.confirmed_count, event.venue) == (2, 2, "Union Square")


def test_lowering_the_fairs_capacity_below_the_confirmed_is_refused_in_the_admin():
    event = EventFactory(capacity=5)
    for n in range(3):
        register(event, n)
    response = superuser_client().post(
        reverse("admin:eventhub_event_change", args=[event.pk]), event_form(event, capacity=2)
    )
    assert response.status_code == 200
    assert "3 places are taken already; the capacity cannot go below 3." in response.text
    event.refresh_from_db()
    assert (event.capacity, event.confirmed_count) == (5, 3)
    with pytest.raises(CapacityBelowTaken) as refused:
        event_capacity_set(event_id=event.pk, capacity=2)
    assert refused.value.code == "capacity_below_taken"


def test_the_counter_follows_registrations_cancellations_and_promotions():
    event = EventFactory(capacity=2)
    first, second, third = (register(event, n) for n in range(3))
    event.refresh_from_db()
    assert event.confirmed_count == 2
    attendee_cancel(attendee_id=third.pk)  # waiting: no place freed
    event.refresh_from_db()
    assert event.confirmed_count == 2
    fourth = register(event, 4)
    promoted = attendee_cancel(attendee_id=first.pk)
    assert [a.pk for a in promoted] == [fourth.pk]
    event.refresh_from_db()
    assert event.confirmed_count == 2
    assert Attendee.objects.filter(event=event, status="confirmed").count() == 2


def test_saving_a_stale_event_does_not_write_back_an_old_counter():
    event = EventFactory(capacity=5)
    stale = Event.objects.get(pk=event.pk)
    register(event, 1)
    stale.name = "Renamed"
    stale.save()
    event.refresh_from_db()
    assert (event.name, event.confirmed_count) == ("Renamed", 1)


def test_a_person_added_in_the_admin_to_a_full_fair_is_waitlisted_with_a_ticket():
    event = EventFactory(capacity=1)
    register(event, 1)
    response = superuser_client().post(
        reverse("admin:registrations_attendee_add"),
        {
            "event": event.pk,
            "source": "online",
            "first_name": "Ana",
            "last_name": "Added",
            "email": "ana.added@example.org",
            "language": "ro",
            "category": "citizen",
            "country": "RO",
            "ticket-TOTAL_FORMS": 0,
            "ticket-INITIAL_FORMS": 0,
            "ticket-MIN_NUM_FORMS": 0,
            "ticket-MAX_NUM_FORMS": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Attendee.objects.get(last_name="Added")
    assert added.status == "waitlisted"
    assert added.ticket.code
    event.refresh_from_db()
    assert event.confirmed_count == 1
