"""The privacy notice of an event, and erasure by the ticket holder.

Erasure is immediate: the ticket's manage key (the credential of the ticket
page) and its code are replaced, so the person lands on a page that needs
no key afterwards, and old links and QR codes open and admit nothing.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from eventhub.core.selectors import event_get_public
from registrations.services.privacy import attendee_erase_on_request
from registrations.views.registration import throttled
from registrations.views.ticket import _page_context, _ticket


def _public_event(slug: str):
    event = event_get_public(slug=slug)
    if event is None:
        raise Http404
    return event


@require_GET
def privacy_notice(request, event):
    event_obj = _public_event(event)
    return render(request, "registrations/privacy.html", {"event": event_obj})


@require_http_methods(["GET", "POST"])
def ticket_erase(request, key):
    ticket = _ticket(key)
    attendee = ticket.attendee
    if request.method == "POST":
        if response := throttled(request):
            return response
        attendee_erase_on_request(attendee_id=attendee.pk)
        return redirect("privacy-erased", event=attendee.event.slug)
    response = render(request, "registrations/ticket_erase.html", _page_context(ticket))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def privacy_erased(request, event):
    event_obj = _public_event(event)
    return render(request, "registrations/privacy_erased.html", {"event": event_obj})
