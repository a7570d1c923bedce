"""Who may see screening health data: the one place that decides it.

Health data (appointments, eligibility answers, flags, first names in a
queue) is readable by the attendee (through the ticket code), the doctors on
duty at one of the service's stations, and the event's organizers. Volunteers
and kiosks never see it.
"""

from eventhub.core.models import StaffRole
from eventhub.core.permissions import has_event_role, user_event_roles
from screenings.models import Service, Station

Role = StaffRole.Role


def is_organizer(user, event_id: int) -> bool:
    return has_event_role(user, event_id, Role.ORGANIZER)


def is_service_doctor(user, service: Service) -> bool:
    """A doctor of the event on duty at one of the service's stations."""
    if not has_event_role(user, service.event_id, Role.DOCTOR):
        return False
    if is_organizer(user, service.event_id):
        return True
    return Station.objects.filter(service=service, doctors=user).exists()


def health_reader(user, service: Service) -> str | None:
    """How the access log names ``user`` reading the service's health data
    ("organizer" or "doctor"), or None when they may not read it.

    The same rule as ``can_read_health_data`` in one role query, for paths
    that check and then log (each doctor's call at a station).
    """
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
    return is_organizer(user, service.event_id) or is_service_doctor(user, service)


def actor_name(user, event_id: int) -> str:
    """How the access log names a staff reader."""
    if is_organizer(user, event_id):
        return "organizer"
    return "doctor"
