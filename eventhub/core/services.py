"""State changes of the core: staff roles, kiosks, deleting a fair and the
personal-data audit log."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from rest_framework.authtoken.models import Token

from eventhub.core.exceptions import OwnOrganizerRole, PermissionDenied
from eventhub.core.models import AuditLog, Event, Kiosk, StaffRole, new_kiosk_token
from eventhub.core.permissions import has_event_role
from eventhub.core.realtime import broadcast_on_commit, kiosk_group
from eventhub.core.selectors import event_delete_blockers, event_people


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


def kiosk_ping(*, token: str, kinds: tuple[str, ...] = ()) -> bool:
    """A connected kiosk's heartbeat: record it seen; False once it was
    switched off or given a new token (its socket should then be closed)."""
    from eventhub.core.selectors import kiosk_for_token

    kiosk = kiosk_for_token(token=token, kinds=kinds)
    if kiosk is None:
        return False
    kiosk_touch(kiosk_id=kiosk.pk)
    return True


@transaction.atomic
def kiosk_revoke(*, kiosk_id: int) -> Kiosk:
    """Switch the kiosk off: its URL and sockets are refused from now on."""
    kiosk = Kiosk.objects.select_for_update().get(pk=kiosk_id)
    kiosk.active = False
    kiosk.save(update_fields=["active"])
    broadcast_on_commit(kiosk_group(kiosk.pk), {"type": "kiosk.revoked"})
    return kiosk


@transaction.atomic
def kiosk_token_reissue(*, kiosk_id: int) -> Kiosk:
    """Give the kiosk a new token (and switch it back on); the old URL stops working."""
    kiosk = Kiosk.objects.select_for_update().get(pk=kiosk_id)
    kiosk.token = new_kiosk_token()
    kiosk.active = True
    kiosk.last_seen_at = None
    kiosk.save(update_fields=["token", "active", "last_seen_at"])
    broadcast_on_commit(kiosk_group(kiosk.pk), {"type": "kiosk.revoked"})
    return kiosk


@transaction.atomic
def staff_invite(*, event_id: int, email: str, role: str, invited_by=None, language: str = "en"):
    """Give the person with ``email`` ``role`` at the event and e-mail them a set-password link.

    An existing account with that e-mail (any case) is reused; otherwise one
    is created with the e-mail as its username and no usable password. The
    e-mail is sent in the background after the commit. Return the user.
    """
    from eventhub.core.tasks import send_staff_invitation

    email = email.strip()
    user = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
    username = user.get_username() if user else email.lower()
    staff_add(event_id=event_id, role=role, username=username, email=email)
    user = get_user_model().objects.get(username=username)
    personal_data_access_log(
        user=invited_by,
        event_id=event_id,
        action=AuditLog.Action.STAFF_INVITE,
        detail=f"user {user.pk} as {role}",
    )
    transaction.on_commit(
        lambda: send_staff_invitation.enqueue(
            user_id=user.pk, event_id=event_id, role=role, language=language
        ),
        robust=True,
    )
    return user


@transaction.atomic
def staff_role_revoke(*, role_id: int, event_id: int, revoked_by=None) -> None:
    """Take one role away (through ``staff_remove``) and log who did it.

    Raise OwnOrganizerRole when an organizer would remove their own organizer
    role (the event would risk having nobody to run it).
    """
    role = StaffRole.objects.select_related("user").get(pk=role_id, event_id=event_id)
    own = revoked_by is not None and role.user_id == revoked_by.pk
    if own and role.role == StaffRole.Role.ORGANIZER:
        raise OwnOrganizerRole()
    staff_remove(event_id=event_id, role=role.role, username=role.user.get_username())
    personal_data_access_log(
        user=revoked_by,
        event_id=event_id,
        action=AuditLog.Action.STAFF_REVOKE,
        detail=f"user {role.user_id} as {role.role}",
    )


@transaction.atomic
def event_delete(*, event_id: int, user) -> int:
    """Delete a fair with everything it holds; write the ``event_delete`` row.

    ``user`` must organize the fair, and a fair that has people
    (``event_people``) only a superuser deletes: organizers close it
    instead (``event_delete_blockers``). The audit and health-data logs
    outlive the fair (their rows lose the link to it), and the admin's
    change history of every deleted row is blanked (it keeps names: a
    person's, "name — session" of a booking). The audit row names the fair
    by id and slug and counts the people, never names them. Return how many
    people went. Raise PermissionDenied. Lock: the event row.
    """
    if not has_event_role(user, event_id, StaffRole.Role.ORGANIZER):
        raise PermissionDenied()
    event = Event.objects.select_for_update().get(pk=event_id)
    if event_delete_blockers(user=user, event_id=event_id):
        raise PermissionDenied()
    people = sum(n for _, n in event_people(event_id=event_id))
    _admin_history_blank(event)
    slug = event.slug
    rows, _ = event.delete()
    personal_data_access_log(
        user=user,
        event_id=None,
        action=AuditLog.Action.EVENT_DELETE,
        detail=f"event {event_id} ({slug}) deleted with {people} people, {rows} rows",
    )
    return people


# What the admin's change history keeps of a deleted fair's rows (as erasure).
BLANKED = "—"


def admin_history_blank(rows: dict, text: str) -> int:
    """Replace what the admin's change history wrote of ``rows`` (model →
    primary keys): ``LogEntry.object_repr`` keeps ``str(obj)`` of every
    edited row (names, codes); it becomes ``text`` and the change message
    goes. Return how many entries changed (0 without the admin)."""
    if not apps.is_installed("django.contrib.admin"):
        return 0
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    changed = 0
    for model, pks in rows.items():
        if not pks:
            continue
        changed += LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).update(object_repr=text, change_message="")
    return changed


def _admin_history_blank(event: Event) -> int:
    """Blank the history of every row that goes with ``event``; the fair's
    own entries keep its name."""
    collector = Collector(using=router.db_for_write(Event))
    collector.collect([event])
    ids: dict[type, set] = {}
    for model, instances in collector.data.items():
        ids.setdefault(model, set()).update(obj.pk for obj in instances)
    for queryset in collector.fast_deletes:
        ids.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    ids.pop(Event, None)
    return admin_history_blank(ids, BLANKED)


def personal_data_access_log(
    *,
    user,
    event_id: int | None,
    action: str,
    detail: str = "",
    attendee_id: int | None = None,
) -> AuditLog:
    """Record that ``user`` (None: the ticket holder or a command) did ``action``.

    ``detail`` must not carry names or contact details: ids and counts only.
    ``event_id`` None: the fair is gone (``event_delete``).
    """
    return AuditLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        event_id=event_id,
        action=str(action)[:30],
        attendee_id=attendee_id,
        detail=detail[:300],
    )
