"""Figures for the programme: screenings performed per service and day, by
origin region and category, no-show rate, average wait and service time."""

from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from eventhub.core.models import Event
from screenings.models import Appointment, QueueEntry, Service

Status = QueueEntry.Status


def _mean_minutes(deltas) -> float | None:
    deltas = list(deltas)
    if not deltas:
        return None
    return round(sum(d.total_seconds() for d in deltas) / len(deltas) / 60, 1)


def screening_figures(*, event_id: int) -> dict:
    """Totals per service and day (in the event's time zone); no names."""
    event = Event.objects.get(pk=event_id)
    tz = ZoneInfo(event.timezone)
    services = list(Service.objects.filter(event_id=event_id).order_by("position", "code"))
    entries = (
        QueueEntry.objects.filter(queue__service__event_id=event_id)
        .select_related("region", "queue")
        .order_by("joined_at")
    )
    by_service_day = defaultdict(list)
    for entry in entries:
        by_service_day[(entry.queue.service_id, entry.joined_at.astimezone(tz).date())].append(
            entry
        )
    appointment_counts = Counter(
        Appointment.objects.filter(service__event_id=event_id).values_list("service_id", "status")
    )
    result = []
    for service in services:
        days = []
        for (service_id, day), day_entries in sorted(by_service_day.items()):
            if service_id != service.pk:
                continue
            done = [e for e in day_entries if e.status == Status.DONE]
            no_show = [e for e in day_entries if e.status == Status.NO_SHOW]
            decided = len(done) + len(no_show)
            days.append(
                {
                    "date": day.isoformat(),
                    "joined": len(day_entries),
                    "performed": len(done),
                    "no_show": len(no_show),
                    "no_show_rate": round(len(no_show) / decided, 3) if decided else None,
                    "walk_ins": sum(1 for e in done if e.kind == QueueEntry.Kind.WALK_IN),
                    "referrals": sum(1 for e in done if e.referral_recommended),
                    "average_wait_minutes": _mean_minutes(
                        e.called_at - e.joined_at for e in day_entries if e.called_at
                    ),
                    "average_service_minutes": _mean_minutes(
                        e.finished_at - e.started_at for e in done if e.started_at and e.finished_at
                    ),
                    "by_region": dict(
                        Counter(str(e.region) if e.region_id else "unknown" for e in done)
                    ),
                    "by_category": dict(Counter(e.category or "unknown" for e in done)),
                }
            )
        result.append(
            {
                "code": service.code,
                "name": service.name,
                "appointments": {
                    status: appointment_counts.get((service.pk, status), 0)
                    for status in Appointment.Status.values
                },
                "days": days,
            }
        )
    return {"event": event.slug, "services": result}
