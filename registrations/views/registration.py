"""Pages to register for an event and to get a lost ticket again.

The form posts to the same ``RegistrationInput`` as the API and calls the
same service; errors come back per field, in the page's language, with
everything typed kept. Neither page ever shows whether an e-mail address is
registered beyond "already registered, we e-mailed the ticket again".
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from eventhub.core.exceptions import AddressRateLimited, RegistrationClosed
from eventhub.core.models import Event
from eventhub.core.selectors import event_get_public
from eventhub.core.throttling import (
    AddressRateThrottle,
    PublicRateThrottle,
    PublicWriteRateThrottle,
)
from registrations.models import Attendee
from registrations.registration_input import COUNTRIES, OTHER_REGION, RegistrationInput
from registrations.services.attendees import attendee_register, attendee_ticket_resend

HONEYPOT = "website"


def throttled(request, *, write: bool = True) -> HttpResponse | None:
    """A 429 page when this IP asked too often (the API's public rates).

    ``write``: a POST (the write rate); else an expensive read such as a PDF.
    """
    throttle = PublicWriteRateThrottle() if write else PublicRateThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = throttle.wait()
    body = render_to_string("registrations/throttled.html", {"wait": wait}, request=request)
    response = HttpResponse(body, status=429)
    if wait:
        response["Retry-After"] = str(int(wait) + 1)
    return response


def address_limit(data) -> AddressRateLimited | None:
    """Count the e-mails a form's POST would send, each address against its
    own limit whatever IP asks (``data``: the POST, or the API's body of
    it); the refusal when an address is over its limit. Called once the
    form is valid: only a request that would e-mail counts.

    The page shows it as a form error on each such address's field
    (``exc.fields``), everything typed kept, with ``limited_response``.
    """
    try:
        AddressRateThrottle().check(data)
    except AddressRateLimited as exc:
        return exc
    return None


def limited_response(response: HttpResponse, exc: AddressRateLimited) -> HttpResponse:
    """The refused form's page as a 429 with ``Retry-After``."""
    response.status_code = 429
    response["Retry-After"] = str(exc.retry_after)
    return response


def _public_event(slug: str) -> Event:
    event = event_get_public(slug=slug)
    if event is None:
        raise Http404
    return event


def _form_context(event: Event, serializer: RegistrationInput, data, errors) -> dict:
    return {
        "event": event,
        "data": data,
        "errors": errors,
        "regions": serializer.fields["region"].choices.items(),
        "other_region": OTHER_REGION,
        "countries": COUNTRIES,
        "categories": Attendee.Category.choices,
        "genders": Attendee.Gender.choices,
        "language_choices": serializer.fields["language"].choices.items(),
        "selected_language": (data.get("language") if data else None) or get_language(),
        "honeypot": HONEYPOT,
    }


@require_http_methods(["GET", "POST"])
def register(request, event):
    event_obj = _public_event(event)
    context = {"event": event_obj, "language": get_language()}
    if not event_obj.registration_is_open():
        return render(request, "registrations/register_closed.html", {"event": event_obj})
    if request.method == "GET":
        serializer = RegistrationInput(context=context)
        return render(
            request,
            "registrations/register.html",
            _form_context(event_obj, serializer, {}, {}),
        )

    if response := throttled(request):
        return response
    if request.POST.get(HONEYPOT):
        # A bot filled the invisible field: answer like a success, store nothing.
        return redirect("registration-sent", event=event_obj.slug)
    serializer = RegistrationInput(data=request.POST, context=context)
    errors = {}
    if serializer.is_valid():
        # Counted once the form is right: a form sent back for a typo costs
        # the address nothing.
        if limited := address_limit(request.POST):
            page = render(
                request,
                "registrations/register.html",
                _form_context(event_obj, serializer, request.POST, limited.fields),
            )
            return limited_response(page, limited)
        try:
            result = attendee_register(event_id=event_obj.pk, **serializer.service_kwargs())
        except RegistrationClosed as exc:
            errors = {"non_field_errors": [str(exc.message)]}
        else:
            if not result.created:
                messages.info(
                    request,
                    _(
                        "This e-mail address is already registered for this event. "
                        "We e-mailed the ticket to it again."
                    ),
                )
                return redirect("registration-sent", event=event_obj.slug)
            attendee = result.attendee
            if attendee.status == Attendee.Status.WAITLISTED:
                messages.warning(
                    request,
                    _(
                        "The event is full, so you are on the waiting list. You get a "
                        "place automatically when one frees up, and we e-mail you."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("You are registered! We e-mailed your ticket to %(email)s.")
                    % {"email": attendee.email},
                )
            return redirect("ticket", key=attendee.ticket.manage_key)
    else:
        errors = serializer.errors
    return render(
        request,
        "registrations/register.html",
        _form_context(event_obj, serializer, request.POST, errors),
        status=400,
    )


def registration_sent(request, event):
    return render(request, "registrations/ticket_sent.html", {"event": _public_event(event)})


@require_http_methods(["GET", "POST"])
def lost_ticket(request, event):
    """Re-send the ticket to the registered address; the answer is the same either way."""
    event_obj = _public_event(event)
    email = ""
    error = ""
    if request.method == "POST":
        if response := throttled(request):
            return response
        email = request.POST.get("email", "").strip()[:254]
        if request.POST.get(HONEYPOT):
            return redirect("registration-sent", event=event_obj.slug)
        if "@" in email and (limited := address_limit(request.POST)):
            context = {"event": event_obj, "email": email, "honeypot": HONEYPOT}
            page = render(
                request, "registrations/lost_ticket.html", {**context, "error": limited.message}
            )
            return limited_response(page, limited)
        if email and "@" in email:
            attendee_ticket_resend(event_id=event_obj.pk, email=email)
            messages.info(
                request,
                _(
                    "If this e-mail address is registered for this event, its ticket is "
                    "on its way to it now."
                ),
            )
            return redirect("registration-sent", event=event_obj.slug)
        error = _("Enter a valid e-mail address.")
    return render(
        request,
        "registrations/lost_ticket.html",
        {"event": event_obj, "email": email, "error": error, "honeypot": HONEYPOT},
        status=400 if error else 200,
    )
