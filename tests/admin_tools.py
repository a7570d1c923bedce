"""Logging a test client in to the admin as the people who use it."""

from django.utils import timezone

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


def module_form(module, session, **extra):
    """The module's change form as the admin posts it, with its one session."""
    local = timezone.localtime(session.starts_at)
    local_end = timezone.localtime(session.ends_at)
    return {
        "event": module.event_id,
        "title_en": module.title_en,
        "title_ro": module.title_ro or "",
        "title_sr_latn": module.title_sr_latn or "",
        "description_en": module.description,
        "language_en": module.language,
        "trainers_en": module.trainers,
        "booking_closes_minutes": module.booking_closes_minutes,
        "no_show_release_minutes": module.no_show_release_minutes,
        "sessions-TOTAL_FORMS": 1,
        "sessions-INITIAL_FORMS": 1,
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
        "sessions-0-id": session.pk,
        "sessions-0-module": module.pk,
        "sessions-0-starts_at_0": local.strftime("%Y-%m-%d"),
        "sessions-0-starts_at_1": local.strftime("%H:%M:%S"),
        "sessions-0-ends_at_0": local_end.strftime("%Y-%m-%d"),
        "sessions-0-ends_at_1": local_end.strftime("%H:%M:%S"),
        "sessions-0-room_en": session.room,
        "sessions-0-capacity": session.capacity,
        **extra,
    }
