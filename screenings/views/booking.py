"""Attendee pages under /t/<manage key>/screenings/: the offer, booking and cancelling.

The ticket's manage key is the credential (never its code, which only
admits); every page that shows the person's screening data is logged as a
health-data read.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eventhub.core.exceptions import DomainError
from registrations.exceptions import TicketNotFound
from registrations.selectors.tickets import attendee_for_manage_key
from registrations.views.ticket import in_holder_language
from screenings.exceptions import AnswersIncomplete, NotEligible, SlotFull
from screenings.forms import BookingForm
from screenings.selectors.access import access_appointment_health_data
from screenings.selectors.appointments import queue_entries_for_attendee
from screenings.selectors.catalogue import service_get, services_for_event
from screenings.services.appointments import appointment_book, appointment_cancel


def _attendee(key):
    try:
        return attendee_for_manage_key(key=key)
    except TicketNotFound as exc:
        raise Http404 from exc


@in_holder_language
def ticket_screenings(request, key):
    attendee = _attendee(key)
    appointments = access_appointment_health_data(attendee=attendee, what="screenings page")
    booked_services = {a.service_id for a in appointments if a.is_active}
    services = services_for_event(event_id=attendee.event_id)
    offer = [
        {
            "service": s,
            "free": sum(slot.free for slot in s.slots.all()),
            "booked": s.pk in booked_services,
        }
        for s in services
    ]
    return render(
        request,
        "screenings/ticket_screenings.html",
        {
            "attendee": attendee,
            "event": attendee.event,
            "key": attendee.ticket.manage_key,
            "appointments": appointments,
            "queue_entries": queue_entries_for_attendee(attendee_id=attendee.pk),
            "offer": offer,
        },
    )


@in_holder_language
def ticket_screening_book(request, key, service):
    attendee = _attendee(key)
    try:
        service_obj = service_get(event_id=attendee.event_id, code=service)
    except DomainError as exc:
        raise Http404 from exc
    slots = [s for s in service_obj.slots.order_by("starts_at") if s.free > 0 and s.is_upcoming()]
    tz = attendee.event.timezone
    form = BookingForm(request.POST or None, service=service_obj, slots=slots, tz=tz)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = appointment_book(
                slot_id=int(form.cleaned_data["slot"]),
                attendee_id=attendee.pk,
                health_consent=form.cleaned_data["health_consent"],
                answers=form.answers(),
                age=form.cleaned_data.get("age"),
                sex=form.cleaned_data.get("sex", ""),
            )
        except AnswersIncomplete as exc:
            for field, errors in exc.fields.items():
                if field == "answers":
                    for key, key_errors in errors.items():
                        form.add_error(f"q_{key}", key_errors)
                else:
                    form.add_error(field if field in form.fields else None, errors)
        except SlotFull as exc:
            form.add_error("slot", str(exc.message))
        except NotEligible as exc:
            form.add_error(None, str(exc.message))
            form.not_eligible = True
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            if appointment.status == appointment.Status.WAITLISTED:
                # The time filled up since the page was shown; the service
                # keeps a waiting list.
                messages.info(
                    request,
                    _(
                        "That time is full: you are on its waiting list. "
                        "We will e-mail you if a place frees up."
                    ),
                )
            else:
                messages.success(
                    request, _("Your appointment is booked. We have e-mailed you the details.")
                )
            return redirect("screenings:ticket", key=attendee.ticket.manage_key)
    if request.method == "GET":
        # Logged as a health-data read, as every screenings page of the
        # ticket holder is (docs/privacy.md).
        access_appointment_health_data(attendee=attendee, what=f"booking form {service_obj.code}")
    return render(
        request,
        "screenings/book.html",
        {
            "attendee": attendee,
            "event": attendee.event,
            "key": attendee.ticket.manage_key,
            "service": service_obj,
            "form": form,
            "has_slots": bool(slots),
        },
    )


@require_POST
@in_holder_language
def ticket_appointment_cancel(request, key, appointment_id):
    attendee = _attendee(key)
    try:
        appointment_cancel(appointment_id=appointment_id, attendee_id=attendee.pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your appointment is cancelled. You can book another time."))
    return redirect("screenings:ticket", key=attendee.ticket.manage_key)
