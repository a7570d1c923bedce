"""Staff login: repeated wrong passwords lock that username out on that address."""

import pytest
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password, addr="198.51.100.4"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=addr
    )


def test_after_eight_wrong_passwords_even_the_right_one_is_refused(client, settings):
    user = UserFactory(username="volunteer1")
    user.set_password("right-password")
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "volunteer1", "wrong").status_code == 200  # the form again
    locked = login(client, "volunteer1", "wrong")
    assert locked.status_code == 429
    assert login(client, "volunteer1", "right-password").status_code == 429
    assert "Too many failed logins" in login(client, "volunteer1", "wrong").content.decode()


def test_the_lock_out_holds_one_username_on_one_address_only(client, settings):
    for name in ("volunteer1", "volunteer2"):
        user = UserFactory(username=name)
        user.set_password("right-password")
        user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "volunteer1", "wrong")
    assert login(client, "volunteer2", "right-password").status_code == 302
    other_device = login(client, "volunteer1", "right-password", addr="198.51.100.5")
    assert other_device.status_code == 302


def test_the_lock_out_page_is_translated(client, settings):
    UserFactory(username="doctor1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "doctor1", "wrong")
    with translation.override("ro"):
        response = client.post(
            "/accounts/login/",
            {"username": "doctor1", "password": "wrong"},
            REMOTE_ADDR="198.51.100.4",
            HTTP_ACCEPT_LANGUAGE="ro",
        )
    assert response.status_code == 429
    assert "Too many failed logins" not in response.content.decode()
