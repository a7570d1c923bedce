"""Erasure on request, with its audit row: the writing side of the door to
personal data (the reading side is ``registrations/selectors/access.py``)."""

from django.db import transaction

from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import AuditLog, StaffRole
from eventhub.core.permissions import has_event_role
from eventhub.core.services import personal_data_access_log
from registrations.models import Attendee
from registrations.services.attendees import attendee_erase


@transaction.atomic
def attendee_erase_on_request(*, attendee_id: int, user=None) -> Attendee:
    """Erase a person (``attendee_erase``) and write the audit row.

    ``user`` None is the ticket holder, whose ticket code (found by the
    caller) is the permission: ``self_erase``. Otherwise ``user`` must
    organize the event: ``erase``. Raise PermissionDenied. Locks: those of
    ``attendee_erase``.
    """
    event_id = Attendee.objects.values_list("event_id", flat=True).get(pk=attendee_id)
    if user is not None and not has_event_role(user, event_id, StaffRole.Role.ORGANIZER):
        raise PermissionDenied()
    attendee = attendee_erase(attendee_id=attendee_id)
    personal_data_access_log(
        user=user,
        event_id=event_id,
        action=AuditLog.Action.ERASE if user is not None else AuditLog.Action.SELF_ERASE,
        attendee_id=attendee_id,
        detail="erased by an organizer" if user is not None else "erased from the ticket page",
    )
    return attendee
