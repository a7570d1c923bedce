"""Reads for the gate: attendance totals, the manual look-up, printable lists."""

import unicodedata

from django.db.models import Count, Q
from django.db.models.functions import Lower

from eventhub.core.models import Event
from registrations.models import Attendee, CheckIn, ScanLog, Ticket

Status = Attendee.Status
SEARCH_LIMIT = 20


def attendance_totals(*, event_id: int, target: str = "event") -> dict:
    """Registered, confirmed, waitlisted, checked-in counts and capacity, per gate too."""
    counts = Attendee.objects.filter(event_id=event_id).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    by_gate = dict(
        CheckIn.objects.filter(event_id=event_id, target=target)
        .values_list("gate")
        .annotate(n=Count("pk"))
        .order_by("gate")
        .values_list("gate", "n")
    )
    capacity = Event.objects.values_list("capacity", flat=True).get(pk=event_id)
    return {
        "registered": counts["confirmed"] + counts["waitlisted"],
        "confirmed": counts["confirmed"],
        "waitlisted": counts["waitlisted"],
        "checked_in": sum(by_gate.values()),
        "capacity": capacity,
        "by_gate": by_gate,
    }


def attendee_search(*, event_id: int, query: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """People of the event matching ``query`` in name or e-mail, for the gate look-up.

    Every word must match the first name, last name or e-mail. Cancelled
    registrations are listed too, so the volunteer sees why. Rows carry the
    attendee id to admit by, never the ticket's code or manage key.
    """
    words = [w for w in (query or "").split() if w][:4]
    if not words or sum(len(w) for w in words) < 2:
        return []
    qs = Attendee.objects.filter(event_id=event_id)
    for word in words:
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    rows = list(
        qs.select_related("ticket")
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
        .values("pk", "first_name", "last_name", "email", "category", "status")[:limit]
    )
    checked = dict(
        CheckIn.objects.filter(
            ticket__attendee_id__in=[r["pk"] for r in rows], target="event"
        ).values_list("ticket__attendee_id", "checked_in_at")
    )
    return [
        {
            "id": r["pk"],
            "display_name": f"{r['first_name']} {r['last_name']}".strip(),
            "email": _mask_email(r["email"]),
            "category": r["category"],
            "status": r["status"],
            "checked_in_at": checked.get(r["pk"]),
        }
        for r in rows
    ]


def _mask_email(email: str) -> str:
    """``io***@example.org``: enough to tell two namesakes apart at the gate."""
    if "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:2]}***@{domain}"


def alphabetical_key(text: str) -> str:
    """A sort key that files Čolić under C and Đorđe under D, as readers expect.

    Database collations differ (SQLite and PostgreSQL's "C" sort by code
    point, putting every accented letter after Z), so lists sort in Python.
    """
    text = text.casefold().replace("đ", "dj").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return f"{base}\x00{text}"  # ties: accented after plain


def attendees_for_print(*, event_id: int) -> list[Ticket]:
    """Confirmed attendees' tickets, alphabetical by last then first name."""
    tickets = Ticket.objects.filter(
        attendee__event_id=event_id, attendee__status=Status.CONFIRMED
    ).select_related("attendee")
    return sorted(
        tickets,
        key=lambda t: (
            alphabetical_key(t.attendee.last_name),
            alphabetical_key(t.attendee.first_name),
            t.pk,
        ),
    )


def recent_scans(*, event_id: int, limit: int = 50):
    """The latest scan log entries of the event, newest first."""
    return list(
        ScanLog.objects.filter(event_id=event_id)
        .select_related("ticket__attendee", "user")
        .order_by("-scanned_at", "-pk")[:limit]
    )
