"""Reads of the kiosks that span apps: the stats board's figures, the
self check-in screen's "your day"."""

from zoneinfo import ZoneInfo

from eventhub.core.realtime import stats_seq_current
from registrations.models import Attendee
from registrations.selectors.checkin import attendance_totals
from registrations.selectors.training import training_bookings_for_attendee, training_stats
from screenings.selectors.access import access_appointment_health_data
from screenings.selectors.appointments import queue_entries_for_attendee
from screenings.selectors.catalogue import self_join_form, services_open_for_queue
from screenings.selectors.queue import screening_live_totals


def stats_attendance(*, event_id: int) -> dict:
    """Registered, confirmed, waitlisted and checked-in counts, capacity, per gate."""
    return attendance_totals(event_id=event_id)


def stats_training(*, event_id: int) -> dict:
    """Seats of every training session, under ``training``."""
    return {"training": training_stats(event_id=event_id)["sessions"]}


def stats_screenings(*, event_id: int) -> dict:
    """People waiting and served per screening service, under ``screenings``."""
    return {"screenings": screening_live_totals(event_id=event_id)}


# The parts of the stats board, each with its figures: plain counts, never
# names. ``eventhub.kiosks.apps`` registers them with the core's broadcaster,
# which computes a changed part once and sends it to every socket.
STATS_PARTS = {
    "attendance": stats_attendance,
    "training": stats_training,
    "screenings": stats_screenings,
}


def stats_snapshot(*, event_id: int) -> dict:
    """Every figure of the stats board with the sequence number it is current for.

    The sequence number is read before the figures: a change committed in
    between is already counted, and its message (a higher number) only
    repeats it.
    """
    seq = stats_seq_current(event_id)
    figures = {}
    for figures_of in STATS_PARTS.values():
        figures.update(figures_of(event_id=event_id))
    return {"seq": seq, **figures}


def visitor_day(*, attendee: Attendee) -> dict:
    """What a self check-in screen shows a visitor: first name, bookings, queues.

    Times are in the event's time zone; names of other people never appear.
    """
    tz = ZoneInfo(attendee.event.timezone)

    def at(moment) -> str:
        return moment.astimezone(tz).strftime("%H:%M")

    training = [
        {"label": f"{at(view.session.starts_at)} {view.session.module.title}"}
        for view in training_bookings_for_attendee(attendee_id=attendee.pk)
        if view.waitlist_position is None
    ]
    active = access_appointment_health_data(
        attendee=attendee, what="self check-in kiosk", active_only=True
    )
    appointments = [{"label": f"{at(a.slot.starts_at)} {a.service.name}"} for a in active]
    numbers = {q["service"].pk: q for q in queue_entries_for_attendee(attendee_id=attendee.pk)}
    on_record = {a.service_id for a in active}
    # A service with no open station is not offered; a number already taken
    # there still shows.
    services = {s.pk: s for s in services_open_for_queue(event_id=attendee.event_id)}
    services |= {pk: entry["service"] for pk, entry in numbers.items()}
    queues = []
    for service in sorted(services.values(), key=lambda s: (s.position, s.code)):
        queue = {"code": service.code, "name": service.name}
        if service.pk in numbers:
            entry = numbers[service.pk]
            queue |= {
                "number": entry["number"],
                "position": entry["position"],
                "estimated_wait_minutes": entry["estimated_wait_minutes"],
            }
        else:
            queue["form"] = self_join_form(
                service=service, gender=attendee.gender, on_record=service.pk in on_record
            )
        queues.append(queue)
    return {
        "first_name": attendee.first_name,
        "training": training,
        "appointments": appointments,
        "queues": queues,
    }
