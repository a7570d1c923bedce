"""Reads for the gate: attendance totals, the manual look-up, printable lists."""

import unicodedata
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import Lower

from eventhub.models import Event
from eventhub.realtime import stats_seq_current
from registrations.models import Attendee, CheckIn, ScanLog, Ticket
from registrations.selectors.training import training_bookings_for_attendee, training_stats

Status = Attendee.Status
SEARCH_LIMIT = 20
STATS_PARTS = ("attendance", "training", "screenings")


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


def stats_part(*, event_id: int, part: str) -> dict:
    """The figures of one part of the stats board, keyed as its messages carry them.

    ``attendance`` answers the totals at the top level (``checked_in``,
    ``capacity``...), ``training`` the sessions' seats under ``training``,
    ``screenings`` the waiting and served counts under ``screenings``.
    An unknown part answers the attendance totals.
    """
    # Imported here: the stats board spans apps, and screenings imports registrations.
    from screenings.selectors.queue import screening_live_totals

    if part == "training":
        return {"training": training_stats(event_id=event_id)["sessions"]}
    if part == "screenings":
        return {"screenings": screening_live_totals(event_id=event_id)}
    return attendance_totals(event_id=event_id)


def stats_snapshot(*, event_id: int) -> dict:
    """Every figure of the stats board with the sequence number it is current for.

    The sequence number is read before the figures: a change committed in
    between is already counted, and its message (a higher number) only
    repeats it.
    """
    seq = stats_seq_current(event_id)
    figures = {}
    for part in STATS_PARTS:
        figures.update(stats_part(event_id=event_id, part=part))
    return {"seq": seq, **figures}


def attendee_search(*, event_id: int, query: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """People of the event matching ``query`` in name or e-mail, for the gate look-up.

    Every word must match the first name, last name or e-mail. Cancelled
    registrations are listed too, so the volunteer sees why.
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
        .values("pk", "first_name", "last_name", "email", "category", "status", "ticket__code")[
            :limit
        ]
    )
    codes = [r["ticket__code"] for r in rows if r["ticket__code"]]
    checked = dict(
        CheckIn.objects.filter(ticket__code__in=codes, target="event").values_list(
            "ticket__code", "checked_in_at"
        )
    )
    return [
        {
            "id": r["pk"],
            "display_name": f"{r['first_name']} {r['last_name']}".strip(),
            "email": _mask_email(r["email"]),
            "category": r["category"],
            "status": r["status"],
            "ticket_code": r["ticket__code"] or "",
            "checked_in_at": checked.get(r["ticket__code"]),
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


def visitor_day(*, attendee: Attendee) -> dict:
    """What a self check-in screen shows a visitor: first name, bookings, queues.

    Times are in the event's time zone; names of other people never appear.
    """
    # Imported here: screenings imports registrations.
    from screenings.models import Service
    from screenings.selectors.appointments import (
        appointments_for_attendee,
        queue_entries_for_attendee,
    )

    tz = ZoneInfo(attendee.event.timezone)

    def at(moment) -> str:
        return moment.astimezone(tz).strftime("%H:%M")

    training = [
        {"label": f"{at(view.session.starts_at)} {view.session.module.title}"}
        for view in training_bookings_for_attendee(attendee_id=attendee.pk)
        if view.waitlist_position is None
    ]
    appointments = [
        {"label": f"{at(a.slot.starts_at)} {a.service.name}"}
        for a in appointments_for_attendee(attendee_id=attendee.pk, active_only=True)
    ]
    numbers = {q["service"].pk: q for q in queue_entries_for_attendee(attendee_id=attendee.pk)}
    queues = []
    for service in Service.objects.filter(event_id=attendee.event_id).order_by("position", "code"):
        queue = {"code": service.code, "name": service.name}
        if service.pk in numbers:
            entry = numbers[service.pk]
            queue |= {
                "number": entry["number"],
                "position": entry["position"],
                "estimated_wait_minutes": entry["estimated_wait_minutes"],
            }
        queues.append(queue)
    return {
        "first_name": attendee.first_name,
        "training": training,
        "appointments": appointments,
        "queues": queues,
    }
