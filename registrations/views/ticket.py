"""The ticket page (``manage_url``) and what the holder can do from it.

Possession of the ticket's manage key is the credential: every page here is
reached by the key in the URL (never by the ticket code, which only admits);
changes are POSTs protected by CSRF.

The pages speak the holder's saved language (``Attendee.language``, the one
of their e-mails), unless the visitor picked one with a language switcher on
the page (Django's language cookie): see ``in_holder_language``.
"""

import functools
import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eventhub.core.exceptions import DomainError
from registrations.api.tickets import pdf_response
from registrations.models import Attendee, Ticket
from registrations.qr import qr_svg
from registrations.registration_input import ContactInput
from registrations.selectors.access import access_own_data_export
from registrations.selectors.tickets import (
    holder_language_for_manage_key,
    ticket_for_manage_key,
)
from registrations.services.attendees import (
    attendee_cancel,
    attendee_set_language,
    attendee_update_contact,
)
from registrations.tasks import ticket_calendar
from registrations.ticket_sections import ticket_sections
from registrations.views.registration import throttled


def holder_language(request, attendee_language: str) -> str:
    """The language of a ticket holder's pages and PDF.

    The visitor's explicit choice (the language cookie, set by the header's
    switcher and by the ticket page's own language form) wins; else the
    language saved with the registration; else the request's.
    """
    for choice in (request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME), attendee_language):
        if choice:
            try:
                return translation.get_supported_language_variant(choice)
            except LookupError:
                continue
    return translation.get_language()


def in_holder_language(view):
    """Run ``view(request, key, ...)`` in the ticket holder's language.

    Sets ``Content-Language`` too (LocaleMiddleware would otherwise label
    the response with the browser's language). An unknown key is left to
    the view, which answers 404. Every holder page counts against the public
    read rate of the asking address (429 past it), like the API's.
    """

    @functools.wraps(view)
    def wrapped(request, key, *args, **kwargs):
        if response := throttled(request, write=False):
            return response
        language = holder_language(request, holder_language_for_manage_key(key=key))
        with translation.override(language):
            response = view(request, key, *args, **kwargs)
        response.headers.setdefault("Content-Language", language)
        return response

    return wrapped


def _ticket(key: str) -> Ticket:
    ticket = ticket_for_manage_key(key=key)
    if ticket is None:
        raise Http404
    return ticket


def _page_context(ticket: Ticket, **extra) -> dict:
    attendee = ticket.attendee
    return {
        "ticket": ticket,
        "attendee": attendee,
        "event": attendee.event,
        "sections": ticket_sections(),
        "pdf": False,
        **extra,
    }


@require_GET
@in_holder_language
def ticket_page(request, key):
    ticket = _ticket(key)
    context = _page_context(ticket, qr_svg=qr_svg(ticket.qr_payload, border=2))
    context["languages"] = settings.LANGUAGES
    response = render(request, "registrations/ticket.html", context)
    response["Cache-Control"] = "private, no-store"
    # The URL is the credential: never sent to other sites. Not "no-referrer":
    # browsers then send "Origin: null" with the page's forms and Django's
    # CSRF check refuses every POST (language, contact, cancel, erase).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_GET
@in_holder_language
def ticket_pdf_download(request, key):
    size = request.GET.get("size", "A6")
    return pdf_response(_ticket(key), size=size, language=translation.get_language())


@require_GET
@in_holder_language
def ticket_ics(request, key):
    ticket = _ticket(key)
    response = HttpResponse(ticket_calendar(ticket), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ticket.attendee.event.slug}.ics"'
    return response


@require_GET
def ticket_export(request, key):
    if response := throttled(request, write=False):
        return response
    ticket = _ticket(key)
    body = json.dumps(access_own_data_export(ticket=ticket), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-registration.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@in_holder_language
def ticket_contact(request, key):
    ticket = _ticket(key)
    attendee = ticket.attendee
    if attendee.status == Attendee.Status.CANCELLED:
        return redirect("ticket", key=ticket.manage_key)
    data = {
        "first_name": attendee.first_name,
        "last_name": attendee.last_name,
        "email": attendee.email,
        "phone": attendee.phone,
    }
    errors = {}
    if request.method == "POST":
        if response := throttled(request):
            return response
        data = request.POST
        serializer = ContactInput(data=request.POST, context={"event": attendee.event})
        if serializer.is_valid():
            try:
                attendee_update_contact(attendee_id=attendee.pk, **serializer.validated_data)
            except DomainError as exc:
                errors = exc.fields or {"non_field_errors": [str(exc.message)]}
            else:
                messages.success(request, _("Your details have been saved."))
                return redirect("ticket", key=ticket.manage_key)
        else:
            errors = serializer.errors
    return render(
        request,
        "registrations/ticket_contact.html",
        _page_context(ticket, data=data, errors=errors),
        status=400 if errors else 200,
    )


@require_POST
def ticket_language(request, key):
    ticket = _ticket(key)
    language = request.POST.get("language", "")
    try:
        attendee_set_language(attendee_id=ticket.attendee.pk, language=language)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("ticket", key=ticket.manage_key)
    translation.activate(language)
    messages.success(request, _("From now on we write to you in this language."))
    response = redirect("ticket", key=ticket.manage_key)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response


@require_http_methods(["GET", "POST"])
@in_holder_language
def ticket_cancel(request, key):
    ticket = _ticket(key)
    if ticket.attendee.status == Attendee.Status.CANCELLED:
        return redirect("ticket", key=ticket.manage_key)
    if request.method == "POST":
        try:
            attendee_cancel(attendee_id=ticket.attendee.pk)
        except DomainError as exc:  # cancelled meanwhile, from another tab
            messages.error(request, exc.message)
            return redirect("ticket", key=ticket.manage_key)
        messages.success(request, _("Your registration is cancelled. Thank you for telling us."))
        return redirect("ticket", key=ticket.manage_key)
    return render(request, "registrations/ticket_cancel.html", _page_context(ticket))
