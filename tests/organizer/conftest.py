"""Shared set-up of the organizer's pages: a fair with an organizer logged in."""

import pytest

from eventhub.core.models import StaffRole
from tests.factories import EventFactory, StaffRoleFactory


@pytest.fixture
def fair(db):
    return EventFactory(name="Cooperation Day Timișoara")


@pytest.fixture
def organizer(fair):
    return StaffRoleFactory(event=fair, role=StaffRole.Role.ORGANIZER).user


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client
