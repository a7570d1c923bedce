"""Who may see screening health data, and the one door it is read through.

Health data (appointments, eligibility answers, flags, first names in a
queue) is readable by the attendee (through the ticket code), the doctors on
duty at one of the service's stations, and the event's organizers. Volunteers
and kiosks never see it.

Every view, API class, consumer and admin page reads it through an
``access_*`` function below (Zulip's pattern: check the role, raise if not
allowed, write the ``HealthDataAccess`` row, return the data), so the rule
and its audit trail live here only (docs/privacy.md). Not found answers the
not-found domain error of the object; not allowed answers ``PermissionDenied``
(403). HTML views map those two to ``Http404`` and Django's
``PermissionDenied``.
"""

from collections import defaultdict
from collections.abc import Iterable

from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import StaffRole
from eventhub.core.permissions import has_event_role, user_event_roles
from registrations.models import Attendee
from screenings.exceptions import AppointmentNotFound, QueueEntryNotFound
from screenings.models import Appointment, HealthDataAccess, QueueEntry, Service, Station
from screenings.selectors.appointments import appointments_for_attendee
from screenings.selectors.catalogue import station_get
from screenings.selectors.queue import station_console_snapshot
from screenings.services.access import health_access_log

Role = StaffRole.Role
Action = HealthDataAccess.Action
HOLDER = "ticket holder"


def is_organizer(user, event_id: int) -> bool:
    return has_event_role(user, event_id, Role.ORGANIZER)


def health_reader(user, service: Service) -> str | None:
    """How the access log names ``user`` reading the service's health data:
    "organizer" or "doctor" (on duty at one of its stations), else None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return "organizer"
    roles = user_event_roles(user, service.event_id)
    if Role.ORGANIZER in roles:
        return "organizer"
    if Role.DOCTOR in roles and Station.objects.filter(service=service, doctors=user).exists():
        return "doctor"
    return None


def can_read_health_data(user, service: Service) -> bool:
    return health_reader(user, service) is not None


def _reader_or_403(user, service: Service) -> str:
    actor = health_reader(user, service)
    if actor is None:
        raise PermissionDenied()
    return actor


def access_station(*, user, station_id: int) -> Station:
    """The station (service loaded) for a reader of its health data.

    Checks only: a station carries no health data itself. Raise
    StationNotFound or PermissionDenied.
    """
    station = station_get(station_id=station_id)
    _reader_or_403(user, station.service)
    return station


def access_station_reader(*, user, station_id: int) -> tuple[Station, str]:
    """The station (service loaded) and how the log names its reader, for a
    doctor's click that acts first and shows what it touched after (call
    next): one role query decides and names. Raise StationNotFound or
    PermissionDenied."""
    station = station_get(station_id=station_id)
    return station, _reader_or_403(user, station.service)


def access_entry_shown(*, user, actor: str, station: Station, entry: QueueEntry, what: str):
    """Log that ``entry``, reached through ``access_station_reader``, is shown
    to its reader; return it."""
    health_access_log(
        event_id=station.service.event_id,
        user=user,
        actor=actor,
        action=Action.VIEW,
        what=what,
        attendee_id=entry.attendee_id,
        service_id=station.service_id,
    )
    return entry


def access_station_console(
    *, user, station_id: int, what: str, action: str = Action.CONSOLE
) -> tuple[Station, dict]:
    """The station and its console snapshot (names, flags) for a reader of
    its service's health data; logged. Raise StationNotFound or
    PermissionDenied."""
    station = station_get(station_id=station_id)
    service = station.service
    health_access_log(
        event_id=service.event_id,
        user=user,
        actor=_reader_or_403(user, service),
        action=action,
        what=what,
        service_id=service.pk,
    )
    return station, station_console_snapshot(station_id=station.pk)


def access_queue_entry(*, user, entry_id: int, what: str) -> QueueEntry:
    """One queue entry (first name, flags) for a reader of its service; logged.

    Raise QueueEntryNotFound or PermissionDenied.
    """
    entry = QueueEntry.objects.select_related("queue__service").filter(pk=entry_id).first()
    if entry is None:
        raise QueueEntryNotFound()
    service = entry.queue.service
    health_access_log(
        event_id=service.event_id,
        user=user,
        actor=_reader_or_403(user, service),
        action=Action.VIEW,
        what=what,
        attendee_id=entry.attendee_id,
        service_id=service.pk,
    )
    return entry


def access_appointment_health_data(
    *, attendee: Attendee, what: str, user=None, active_only: bool = False
) -> list[Appointment]:
    """A person's appointments (only the booked ones with ``active_only``),
    answers and flags included; logged.

    ``user`` None is the ticket holder: the caller found ``attendee`` by the
    manage key, which is the credential. A staff ``user`` must organize the
    event (doctors see people through their station). Raise PermissionDenied.
    """
    actor = HOLDER
    if user is not None:
        if not is_organizer(user, attendee.event_id):
            raise PermissionDenied()
        actor = "organizer"
    appointments = list(appointments_for_attendee(attendee_id=attendee.pk, active_only=active_only))
    health_access_log(
        event_id=attendee.event_id,
        user=user,
        actor=actor,
        action=Action.VIEW,
        what=what,
        attendee_id=attendee.pk,
    )
    return appointments


def access_appointment(*, user, appointment_id: int, what: str) -> Appointment:
    """One appointment for a reader of its service; logged.

    Raise AppointmentNotFound or PermissionDenied.
    """
    appointment = (
        Appointment.objects.select_related("service", "slot").filter(pk=appointment_id).first()
    )
    if appointment is None:
        raise AppointmentNotFound()
    health_access_log(
        event_id=appointment.service.event_id,
        user=user,
        actor=_reader_or_403(user, appointment.service),
        action=Action.VIEW,
        what=what,
        attendee_id=appointment.attendee_id,
        service_id=appointment.service_id,
    )
    return appointment


def access_appointment_rows(
    *, user, rows: Iterable[Appointment], purpose: str
) -> list[Appointment]:
    """The appointments of ``rows`` (a queryset with the service, read here)
    for an organizer of each of their events: the admin's list of
    appointments and its search by name (who booked which screening).

    Logged per service as ``"<purpose>: <n> people listed"`` when somebody
    is listed, with the person's id when only one is. Raise
    PermissionDenied when the user does not organize one of the events
    (nothing is logged then).
    """
    rows = list(rows)
    listed: dict[tuple[int, int], set[int]] = defaultdict(set)
    for row in rows:
        listed[(row.service.event_id, row.service_id)].add(row.attendee_id)
    for event_id in sorted({event_id for event_id, _ in listed}):
        if not is_organizer(user, event_id):
            raise PermissionDenied()
    for (event_id, service_id), people in sorted(listed.items()):
        health_access_log(
            event_id=event_id,
            user=user,
            actor="organizer",
            action=Action.VIEW,
            what=f"{purpose}: {len(people)} people listed",
            attendee_id=next(iter(people)) if len(people) == 1 else None,
            service_id=service_id,
        )
    return rows


def access_health_data_export(*, user, event_id: int, detail: str) -> None:
    """Let an organizer export the event's appointments; logged.

    The export module streams the rows once this returns. Raise
    PermissionDenied.
    """
    if not is_organizer(user, event_id):
        raise PermissionDenied()
    health_access_log(
        event_id=event_id,
        user=user,
        actor="organizer",
        action=Action.VIEW,
        what=f"export of appointments: {detail}",
    )
