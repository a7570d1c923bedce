"""Training pages: the ticket holder's booking page, the public certificate
check, and the staff roster with the door check-in."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eventhub.core.exceptions import DomainError
from eventhub.core.permissions import Role, event_role_required, has_event_role
from eventhub.core.selectors import event_get_public
from registrations import training_tasks
from registrations.certificate_pdf import certificate_filename, render_certificate_pdf
from registrations.exceptions import TicketNotFound
from registrations.models import ScanLog
from registrations.selectors.access import access_training_roster
from registrations.selectors.tickets import attendee_for_manage_key
from registrations.selectors.training import (
    certificate_for_attendee,
    certificate_get,
    certificate_progress,
    training_bookings_for_attendee,
    training_modules_for_event,
    training_session_get,
)
from registrations.services.training import (
    training_booking_cancel,
    training_booking_create,
    training_booking_switch,
    training_no_shows_release,
)
from registrations.services.training_door import training_session_check_in
from registrations.views.ticket import in_holder_language


def _attendee_or_404(key):
    try:
        return attendee_for_manage_key(key=key)
    except TicketNotFound:
        raise Http404 from None


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@in_holder_language
def training_page(request, key):
    """Modules and sessions with free seats; the holder's bookings and waitlist places."""
    attendee = _attendee_or_404(key)
    bookings = training_bookings_for_attendee(attendee_id=attendee.pk, include_inactive=True)
    active_by_session = {b.booking.session_id: b for b in bookings if b.booking.is_active}
    booked_modules = {b.booking.module_id for b in bookings if b.booking.is_active}
    return render(
        request,
        "registrations/training/training_page.html",
        {
            "attendee": attendee,
            "event": attendee.event,
            "key": attendee.ticket.manage_key,
            "modules": training_modules_for_event(event_id=attendee.event_id),
            "bookings": [b for b in bookings if b.booking.is_active or b.certificate],
            "active_by_session": active_by_session,
            "booked_modules": booked_modules,
            "waitlisted_by_module": {
                b.booking.module_id: b.booking.pk
                for b in bookings
                if b.booking.status == b.booking.Status.WAITLISTED
            },
        },
    )


@require_POST
@in_holder_language
def training_switch(request, key, booking_id):
    """A waitlisted person takes a free seat in another session of the module."""
    attendee = _attendee_or_404(key)
    try:
        training_booking_switch(
            booking_id=booking_id,
            attendee_id=attendee.pk,
            session_id=_int_or_none(request.POST.get("session")) or 0,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your seat is booked."))
    return redirect("training-page", key=attendee.ticket.manage_key)


@require_POST
@in_holder_language
def training_book(request, key):
    attendee = _attendee_or_404(key)
    session_id = _int_or_none(request.POST.get("session"))
    try:
        result = training_booking_create(attendee_id=attendee.pk, session_id=session_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result.waitlist_position is None:
            messages.success(request, _("Your seat is booked."))
        else:
            messages.warning(
                request,
                _("The session is full: you are number %(position)d on its waiting list.")
                % {"position": result.waitlist_position},
            )
    return redirect("training-page", key=attendee.ticket.manage_key)


@require_POST
@in_holder_language
def training_cancel(request, key, booking_id):
    attendee = _attendee_or_404(key)
    try:
        training_booking_cancel(booking_id=booking_id, attendee_id=attendee.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your booking is cancelled."))
    return redirect("training-page", key=attendee.ticket.manage_key)


def training_certificate_pdf(request, key, certificate_code):
    attendee = _attendee_or_404(key)
    certificate = certificate_for_attendee(attendee_id=attendee.pk, code=certificate_code)
    if certificate is None:
        raise Http404
    response = HttpResponse(render_certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate_filename(certificate)}"'
    return response


def event_training_seats(request, event):
    """The event page's training section alone, re-fetched by the page to stay live."""
    event_obj = event_get_public(slug=event)
    if event_obj is None:
        raise Http404
    response = render(
        request,
        "registrations/training/_event_section.html",
        {"event": event_obj, "fragment": True},
    )
    response["Cache-Control"] = "no-store"
    return response


def certificate_verify(request, code):
    """The public page a certificate's QR opens: genuine, or not found."""
    certificate = certificate_get(code=code)
    response = render(
        request,
        "registrations/training/certificate_verify.html",
        {"certificate": certificate, "code": code},
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Staff --------------------------------------------------------------------


@event_role_required(Role.VOLUNTEER)
def staff_training_sessions(request, event):
    return render(
        request,
        "registrations/training/staff_sessions.html",
        {"event": event, "modules": training_modules_for_event(event_id=event.pk)},
    )


def _staff_session_or_404(event, session_id):
    session = training_session_get(session_id=session_id, event_id=event.pk)
    if session is None:
        raise Http404
    return session


RESULT_TONE = {ScanLog.Result.OK: "ok", ScanLog.Result.ALREADY: "warn"}


@event_role_required(Role.VOLUNTEER)
def staff_training_roster(request, event, session_id):
    """The door list of a session, with a scan field for the door check-in."""
    session = _staff_session_or_404(event, session_id)
    scan = None
    if request.method == "POST":
        scan = training_session_check_in(
            session_id=session.pk,
            payload=request.POST.get("payload", ""),
            user=request.user,
            nonce=request.POST.get("nonce", "")[:64],
        )
        session = _staff_session_or_404(event, session_id)
    return render(
        request,
        "registrations/training/staff_roster.html",
        {
            "event": event,
            "session": session,
            "roster": access_training_roster(
                user=request.user, event_id=event.pk, session_id=session.pk
            ),
            "scan": scan,
            "scan_tone": RESULT_TONE.get(scan.result, "bad") if scan else None,
            "progress": certificate_progress(session_id=session.pk),
            "is_organizer": has_event_role(request.user, event.pk),
            # A double-submitted form repeats this nonce and gets the first answer.
            "nonce": uuid.uuid4().hex,
        },
    )


@require_POST
@event_role_required(Role.VOLUNTEER)
def staff_training_release(request, event, session_id):
    session = _staff_session_or_404(event, session_id)
    freed = training_no_shows_release(session_id=session.pk)
    messages.success(request, _("Seats freed: %(count)d.") % {"count": freed})
    return redirect("staff-training-roster", event=event.slug, session_id=session.pk)


@require_POST
@event_role_required()
def staff_training_certificates(request, event, session_id):
    """Issue every checked-in person's certificate in the background (organizers)."""
    session = _staff_session_or_404(event, session_id)
    training_tasks.issue_session_certificates.enqueue(session.pk)
    messages.success(request, _("Certificates are being issued and e-mailed."))
    return redirect("staff-training-roster", event=event.slug, session_id=session.pk)
