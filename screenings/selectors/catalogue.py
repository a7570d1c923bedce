"""Reads of the screening offer: services, stations and free slots."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from screenings.exceptions import ServiceNotFound, StationNotFound
from screenings.models import EligibilityQuestion, Service, Slot, Station


def services_for_event(*, event_id: int, upcoming_only: bool = True) -> QuerySet[Service]:
    """The event's services with stations, questions and (upcoming) slots prefetched."""
    slots = Slot.objects.order_by("starts_at")
    if upcoming_only:
        slots = slots.filter(starts_at__gt=timezone.now())
    return (
        Service.objects.filter(event_id=event_id)
        .prefetch_related(
            Prefetch("stations", queryset=Station.objects.order_by("position", "pk")),
            Prefetch("slots", queryset=slots),
            Prefetch("questions", queryset=EligibilityQuestion.objects.all()),
        )
        .order_by("position", "code")
    )


def service_get(*, event_id: int, code: str) -> Service:
    """The event's service with this code (case-insensitive). Raise ServiceNotFound."""
    service = (
        Service.objects.select_related("event")
        .filter(event_id=event_id, code=(code or "").upper()[:4])
        .first()
    )
    if service is None:
        raise ServiceNotFound()
    return service


def station_get(*, station_id: int) -> Station:
    station = (
        Station.objects.select_related("service", "service__event").filter(pk=station_id).first()
    )
    if station is None:
        raise StationNotFound()
    return station


def services_open_for_queue(*, event_id: int) -> QuerySet[Service]:
    """The event's services with at least one open station, questions prefetched.

    Only these take people into their queue from a self check-in kiosk: a
    service nobody is screening for would hand out numbers nobody calls.
    """
    return (
        Service.objects.filter(event_id=event_id, stations__is_open=True)
        .distinct()
        .prefetch_related(Prefetch("questions", queryset=EligibilityQuestion.objects.all()))
        .order_by("position", "code")
    )


def self_join_form(*, service: Service, gender: str, on_record: bool) -> dict | None:
    """What a visitor must answer to join the service's queue on their own.

    None when an active appointment already holds the consent and answers;
    otherwise the age and sex fields the rules need (sex only when the
    registration did not give it) and the questions, in the active language.
    """
    if on_record:
        return None
    return {
        "age": service.needs_age,
        "sex": bool(service.sex) and gender not in ("female", "male"),
        "questions": [{"key": q.key, "text": q.text} for q in service.questions.all()],
    }
