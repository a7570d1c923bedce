"""State changes of the core: staff roles, kiosks and the personal-data audit."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from eventhub.models import Event, Kiosk, StaffRole

audit_logger = logging.getLogger("eventhub.audit")


@transaction.atomic
def staff_add(*, event_id: int, role: str, username: str, email: str = "") -> Token:
    """Give ``username`` (created when new, without a usable password) ``role`` at the event.

    Return the user's API token, created on first use.
    """
    if role not in StaffRole.Role.values:
        raise ValueError(f"unknown role {role!r}")
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    StaffRole.objects.get_or_create(event_id=event_id, user=user, role=role)
    if role == StaffRole.Role.ORGANIZER:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(_organizers_group())
    token, _ = Token.objects.get_or_create(user=user)
    return token


ORGANIZER_APPS = ("eventhub", "registrations", "screenings")


def _organizers_group() -> Group:
    """The admin group of organizers, with every permission on EventHub's models.

    Rows are scoped to their own events by ``EventScopedAdmin``.
    """
    group, _ = Group.objects.get_or_create(name="Organizers")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=ORGANIZER_APPS))
    return group


@transaction.atomic
def staff_remove(*, event_id: int, role: str, username: str) -> int:
    """Take ``role`` at the event away from ``username``; return how many roles went."""
    deleted, _ = StaffRole.objects.filter(
        event_id=event_id, role=role, user__username=username
    ).delete()
    return deleted


def kiosk_create(*, event: Event, kind: str, name: str, service_code: str = "") -> Kiosk:
    if kind not in Kiosk.Kind.values:
        raise ValueError(f"unknown kiosk kind {kind!r}")
    return Kiosk.objects.create(
        event=event, kind=kind, name=name, service_code=service_code.upper()
    )


def kiosk_touch(*, kiosk_id: int) -> None:
    """Record that the kiosk was seen now (for the organizer's online list)."""
    Kiosk.objects.filter(pk=kiosk_id).update(last_seen_at=timezone.now())


def personal_data_access_log(*, user, event_id: int, action: str, detail: str = "") -> None:
    """Record that ``user`` read or changed personal data of the event's attendees.

    ``action`` is a short verb ("export", "view", ...); ``detail`` says what
    (dataset, format, columns, row count). Written to the "eventhub.audit"
    logger for now; health data has its own log (``health_access_log``).
    """
    username = getattr(user, "username", "") if getattr(user, "is_authenticated", False) else ""
    audit_logger.info(
        "personal data %s by %s (user id %s) at event %s: %s",
        action,
        username or "anonymous",
        getattr(user, "pk", None),
        event_id,
        detail,
        extra={"user_id": getattr(user, "pk", None), "event_id": event_id, "action": action},
    )
