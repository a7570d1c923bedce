"""Logging a test client in to the admin as the people who use it."""

from eventhub.core.models import StaffRole
from eventhub.core.services import staff_add
from tests.factories import UserFactory


def organizer_of(client, event, username="org"):
    """``client`` logged in as an organizer of ``event``, as ``add_staff`` makes one."""
    staff_add(event_id=event.pk, role=StaffRole.Role.ORGANIZER, username=username)
    user = UserFactory(username=username)
    client.force_login(user)
    return user


def superuser(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user
