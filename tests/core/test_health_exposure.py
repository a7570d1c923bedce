"""/healthz tells anyone the status, and only staff or the machine itself the details."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_from_outside_gets_the_status_only(client):
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_request_forwarded_by_the_proxy_gets_the_status_only(client):
    response = client.get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.json() == {"status": "ok"}


def test_staff_see_which_part_answers_and_how_fast(client):
    client.force_login(UserFactory(is_staff=True))
    body = client.get("/healthz", REMOTE_ADDR="203.0.113.7").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["channel_layer"]["ok"] is True
    assert body["down"] == []
