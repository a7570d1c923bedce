"""A person's linked answers appear in their "download everything" file;
erasing the person unlinks them and drops the contact details, while the
anonymous answers stay counted."""

import json

import pytest
from django.test import Client

from eventhub.consultation.models import Response
from registrations.services.privacy import attendee_erase_on_request
from tests.consultation.helpers import CITIZEN_ANSWERS, questionnaires, timis
from tests.factories import AttendeeFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    event = EventFactory()
    surveys = questionnaires(event)
    region = timis(event)
    attendee = AttendeeFactory(event=event)
    response = Client().post(
        f"/api/v1/surveys/{surveys['citizen'].pk}/responses/",
        {
            "answers": CITIZEN_ANSWERS,
            "region": region.pk,
            "ticket": attendee.ticket.manage_key,
            "contact_ok": True,
            "contact_name": "Ana Ionescu",
            "contact_email": "ana@example.org",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    return attendee


def test_the_data_export_holds_the_linked_answers(answered):
    body = Client().get(f"/t/{answered.ticket.manage_key}/my-data.json").content
    exported = json.loads(body)["consultation_answers"]
    assert exported[0]["answers"] == CITIZEN_ANSWERS
    assert exported[0]["contact_email"] == "ana@example.org"


def test_erasing_the_person_keeps_the_answer_but_not_who_gave_it(answered):
    attendee_erase_on_request(attendee_id=answered.pk)
    stored = Response.objects.get()
    assert stored.answers == CITIZEN_ANSWERS
    assert stored.ticket is None
    assert (stored.contact_ok, stored.contact_name, stored.contact_email) == (False, "", "")
