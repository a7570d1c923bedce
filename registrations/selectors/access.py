"""The one door to attendees' personal data (names, contact details).

Every view, API class, consumer and admin page that shows personal data
reads it through an ``access_*`` function below (Zulip's pattern, see
zulip ``zerver/lib/streams.py`` ``access_stream_by_id``): check the caller's
role at the event, raise if not allowed, write the ``AuditLog`` row, return
the data. The rule and its audit trail therefore live in one place
(docs/privacy.md). Not allowed answers ``PermissionDenied`` (403), not found
``NotFound`` (404); HTML views map them to Django's ``PermissionDenied`` and
``Http404``.
"""

from collections import defaultdict
from collections.abc import Iterable

from eventhub.core.exceptions import NotFound, PermissionDenied
from eventhub.core.models import AuditLog, Kiosk, StaffRole
from eventhub.core.permissions import has_event_role
from eventhub.core.services import personal_data_access_log
from registrations.models import Attendee, Ticket, TrainingBooking
from registrations.selectors.checkin import attendee_search, attendees_for_print, double_entries
from registrations.selectors.tickets import attendee_data_export
from registrations.selectors.training import training_session_roster

Role = StaffRole.Role
Action = AuditLog.Action


def _require(user, event_id: int, *roles: str) -> None:
    if not has_event_role(user, event_id, *roles):
        raise PermissionDenied()


def _log_listed(
    *, user, event_id: int, purpose: str, count: int, attendee_id: int | None = None
) -> None:
    """The audit row of a list of people: ``"<purpose>: <n> people listed"``."""
    personal_data_access_log(
        user=user,
        event_id=event_id,
        action=Action.VIEW,
        attendee_id=attendee_id,
        detail=f"{purpose}: {count} people listed",
    )


def access_attendee_personal_data(
    *, user, event_id: int, attendee_id: int, purpose: str
) -> Attendee:
    """One person of the event, every detail, for an organizer; logged.

    ``purpose`` names the page in the audit log (ids only, never names).
    Raise PermissionDenied or NotFound.
    """
    _require(user, event_id, Role.ORGANIZER)
    attendee = (
        Attendee.objects.select_related("region", "ticket")
        .filter(pk=attendee_id, event_id=event_id)
        .first()
    )
    if attendee is None:
        raise NotFound()
    personal_data_access_log(
        user=user,
        event_id=event_id,
        action=Action.VIEW,
        attendee_id=attendee.pk,
        detail=purpose,
    )
    return attendee


def access_kiosk_visitor(*, kiosk: Kiosk, attendee_id: int) -> Attendee:
    """The visitor a self check-in kiosk has just admitted, with their event,
    for the kiosk's receipt (first name, their day, their language).

    Only an active self check-in terminal of the person's own event may ask
    (a board or stats screen only shows numbers). Not logged: the visitor
    scanned their own ticket, which is the permission, and the scan's
    ``ScanLog`` row (device ``kiosk:<id>``) is the record of it, as for the
    name a gate scan answers (docs/privacy.md). Raise PermissionDenied or
    NotFound.
    """
    if not kiosk.active or kiosk.kind != Kiosk.Kind.CHECKIN:
        raise PermissionDenied()
    attendee = (
        Attendee.objects.select_related("event")
        .filter(pk=attendee_id, event_id=kiosk.event_id)
        .first()
    )
    if attendee is None:
        raise NotFound()
    return attendee


def access_attendee_search(*, user, event_id: int, query: str, purpose: str) -> list[dict]:
    """People matching ``query`` (names, e-mail) for staff who admit people.

    Volunteers and organizers may search; a search that lists somebody is
    logged as ``"<purpose>: <n> people listed"``. Raise PermissionDenied.
    """
    _require(user, event_id, Role.VOLUNTEER)
    rows = attendee_search(event_id=event_id, query=query) if query else []
    if rows:
        _log_listed(user=user, event_id=event_id, purpose=purpose, count=len(rows))
    return rows


def access_double_entries(
    *, user, event_id: int, purpose: str, device: str | None = None, newest_first: bool = False
) -> list[dict]:
    """The event's double entries (``selectors.checkin.double_entries``, with
    the holders' names) for staff who admit people: all of them, or those
    ``device`` took part in. Logged as ``"<purpose>: <n> people listed"``
    when somebody is listed. Raise PermissionDenied.
    """
    _require(user, event_id, Role.VOLUNTEER)
    rows = double_entries(event_id=event_id, device=device, newest_first=newest_first)
    if rows:
        _log_listed(user=user, event_id=event_id, purpose=purpose, count=len(rows))
    return rows


def access_attendee_list(*, user, event_id: int, purpose: str) -> list[Ticket]:
    """Every confirmed person's ticket (names, codes), alphabetical, for an
    organizer: the printed gate list and the paper check-ins. Logged as
    ``"<purpose>: <n> people listed"``. Raise PermissionDenied.
    """
    _require(user, event_id, Role.ORGANIZER)
    tickets = attendees_for_print(event_id=event_id)
    _log_listed(user=user, event_id=event_id, purpose=purpose, count=len(tickets))
    return tickets


def access_attendee_rows(*, user, rows: Iterable[Attendee], purpose: str) -> list[Attendee]:
    """The people of ``rows`` (a queryset, read here) for an organizer of
    each of their events: the admin's list of people and its search, and
    the admin pages that name people (a delete confirmation, a training
    session's bookings, a search of check-ins by name).

    Logged per event as ``"<purpose>: <n> people listed"`` when somebody is
    listed, with the person's id when only one is. Raise PermissionDenied
    when the user does not organize one of the events (nothing is logged
    then).
    """
    rows = list(rows)
    listed: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        listed[row.event_id].add(row.pk)
    for event_id in sorted(listed):
        _require(user, event_id, Role.ORGANIZER)
    for event_id, people in sorted(listed.items()):
        _log_listed(
            user=user,
            event_id=event_id,
            purpose=purpose,
            count=len(people),
            attendee_id=next(iter(people)) if len(people) == 1 else None,
        )
    return rows


def access_training_roster(*, user, event_id: int, session_id: int) -> list[TrainingBooking]:
    """The door list of a training session (names) for its event's staff; logged.

    The caller has checked that the session belongs to the event. Raise
    PermissionDenied.
    """
    _require(user, event_id, Role.VOLUNTEER)
    roster = training_session_roster(session_id=session_id)
    personal_data_access_log(
        user=user,
        event_id=event_id,
        action=Action.VIEW,
        detail=f"training roster of session {session_id}",
    )
    return roster


def access_own_data_export(*, ticket: Ticket) -> dict:
    """Everything stored about the ticket's holder, for themselves; logged.

    The ticket (found by its manage key, the credential) is the permission.
    """
    attendee = ticket.attendee
    personal_data_access_log(
        user=None,
        event_id=attendee.event_id,
        action=Action.SELF_EXPORT,
        attendee_id=attendee.pk,
        detail="JSON download from the ticket page",
    )
    return attendee_data_export(ticket=ticket)


def access_personal_data_export(*, user, event_id: int, detail: str) -> None:
    """Let an organizer export the event's people; logged.

    The export module streams the rows once this returns. Raise
    PermissionDenied.
    """
    _require(user, event_id, Role.ORGANIZER)
    personal_data_access_log(user=user, event_id=event_id, action=Action.EXPORT, detail=detail)
