"""Reading tickets by their manage key, and everything stored about their holder.

The manage key, not the ticket code, opens the holder's pages and API: the
code is in the QR every volunteer and kiosk reads, and admits, nothing more.
"""

from django.utils import timezone

from registrations import hooks
from registrations.exceptions import TicketNotFound
from registrations.models import Attendee, CheckIn, Ticket
from registrations.ticket_codes import normalize_manage_key, parse_scan


def attendee_for_manage_key(*, key: str) -> Attendee:
    """The attendee whose ticket has this manage key (possession is the credential).

    Raise TicketNotFound for a malformed or unknown key (a ticket code too).
    """
    ticket = ticket_for_manage_key(key=key)
    if ticket is None:
        raise TicketNotFound()
    return ticket.attendee


def ticket_for_manage_key(*, key: str) -> Ticket | None:
    """The ticket with this manage key, or None.

    Possession of the key is the credential of every ticket page and API;
    the ticket code never matches.
    """
    normalized = normalize_manage_key(key)
    if normalized is None:
        return None
    return (
        Ticket.objects.select_related(
            "attendee__event__programme", "attendee__region", "attendee__ticket"
        )
        .filter(manage_key=normalized)
        .first()
    )


def holder_language_for_manage_key(*, key: str) -> str:
    """The saved language of the key's holder, or "" (unknown key)."""
    normalized = normalize_manage_key(key)
    if normalized is None:
        return ""
    saved = Attendee.objects.filter(ticket__manage_key=normalized).values_list(
        "language", flat=True
    )
    return next(iter(saved), "")


def attendee_data_export(*, ticket: Ticket) -> dict:
    """Everything stored about the ticket's holder, for "download everything"."""
    attendee = ticket.attendee
    event = attendee.event

    def iso(value):
        return value.isoformat() if value else None

    export = {
        "exported_at": timezone.now().isoformat(),
        "event": {
            "slug": event.slug,
            "name": event.name,
            "starts_at": iso(event.starts_at),
            "ends_at": iso(event.ends_at),
            "venue": event.venue,
            "city": event.city,
        },
        "registration": {
            "id": attendee.pk,
            "status": attendee.status,
            "first_name": attendee.first_name,
            "last_name": attendee.last_name,
            "email": attendee.email,
            "phone": attendee.phone,
            "country": attendee.country,
            "region": attendee.region.name if attendee.region else None,
            "category": attendee.category,
            "gender": attendee.gender,
            "language": attendee.language,
            "accessibility_needs": attendee.accessibility_needs,
            "needs_transport": attendee.needs_transport,
            "source": attendee.source,
            "terms_accepted_at": iso(attendee.terms_accepted_at),
            "registered_at": iso(attendee.created_at),
            "confirmed_at": iso(attendee.confirmed_at),
            "cancelled_at": iso(attendee.cancelled_at),
            "erased_at": iso(attendee.erased_at),
        },
        "ticket": {
            "code": ticket.code,
            "qr_payload": ticket.qr_payload,
            "issued_at": iso(ticket.created_at),
        },
        "training_bookings": [
            {
                "module": booking.module.title,
                "session_starts_at": iso(booking.session.starts_at),
                "room": booking.session.room,
                "status": booking.status,
                "booked_at": iso(booking.created_at),
                "checked_in_at": iso(booking.checked_in_at),
                "certificate": getattr(getattr(booking, "certificate", None), "code", None),
            }
            for booking in attendee.training_bookings.select_related(
                "module", "session", "certificate"
            ).order_by("session__starts_at")
        ],
        "check_ins": [
            {
                "target": check_in.target,
                "gate": check_in.gate,
                "method": check_in.method,
                "checked_in_at": iso(check_in.checked_in_at),
            }
            for check_in in CheckIn.objects.filter(ticket=ticket).order_by("checked_in_at")
        ],
    }
    for section in hooks.DATA_EXPORT:
        export |= section(attendee_id=attendee.pk)
    return export


def attendee_for_scan(*, event_id: int, payload: str) -> Attendee | None:
    """The event's attendee whose ticket was scanned or typed, or None."""
    scanned = parse_scan(payload or "")
    if scanned is None or scanned.event_id not in (None, event_id):
        return None
    return Attendee.objects.filter(event_id=event_id, ticket__code=scanned.code).first()
