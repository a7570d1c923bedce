"""The JSON error envelope at the edges: an over-large body, an expected refusal."""

import io
import logging

import pytest
from rest_framework.test import APIClient

from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_over_large_body_answers_the_json_envelope_with_413(settings):
    event = EventFactory()
    body = '{"first_name": "' + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    response = APIClient().post(
        f"/api/v1/events/{event.slug}/registrations/", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_refused_page_is_logged_in_one_line_without_a_traceback(client):
    event = EventFactory()
    client.force_login(UserFactory())  # logged in, but no role at this fair
    # The console handler of settings.LOGGING, writing into a buffer here.
    (console,) = [h for h in logging.getLogger().handlers if h.filters]
    logged = io.StringIO()
    old = console.setStream(logged)
    try:
        response = client.get(f"/staff/events/{event.slug}/dashboard/")
    finally:
        console.setStream(old)
    assert response.status_code == 403
    assert "Forbidden" in logged.getvalue()
    assert "Traceback" not in logged.getvalue()
