"""The stamp card on a visitor's ticket: scanning a stand's QR code (or
typing the code printed under it) from the ticket's own page stamps it.
Lives on the roof because it joins a ticket (registrations) to a stand
(projects), which know nothing of each other."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from eventhub.core.exceptions import DomainError
from eventhub.projects.selectors import stamp_card
from eventhub.projects.services import stand_visit_record
from registrations.models import Attendee
from registrations.selectors.tickets import ticket_for_manage_key
from registrations.views.registration import throttled
from registrations.views.ticket import in_holder_language


@require_http_methods(["GET", "POST"])
@in_holder_language
def ticket_stamps(request, key):
    ticket = ticket_for_manage_key(key=key)
    if ticket is None or ticket.attendee.status == Attendee.Status.CANCELLED:
        raise Http404
    event = ticket.attendee.event
    error, scanned = "", ""
    if request.method == "POST":
        if response := throttled(request):
            return response
        scanned = request.POST.get("scanned", "")[:300]
        try:
            project, created = stand_visit_record(
                event_id=event.pk, ticket_id=ticket.pk, scanned=scanned
            )
        except DomainError as exc:
            error = exc.message
        else:
            text = (
                _("Stamp collected: stand %(stand)s, %(project)s.")
                if created
                else _("You already have the stamp of stand %(stand)s, %(project)s.")
            )
            messages.success(request, text % {"stand": project.stand, "project": project.acronym})
            return redirect("ticket-stamps", key=ticket.manage_key)
    response = render(
        request,
        "projects/stamps.html",
        {
            "ticket": ticket,
            "event": event,
            "stamps": stamp_card(event_id=event.pk, ticket_id=ticket.pk),
            "error": error,
            "scanned": scanned,
        },
        status=400 if error else 200,
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
