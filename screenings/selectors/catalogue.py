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
