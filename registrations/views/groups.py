"""Group pages: the form, the contact's group page and PDF, and the gate.

The form posts to the same ``GroupRegistrationInput`` as the API and calls
the same service. The group page is opened by the contact's group key (in
the registration answer and URL); its QR leads gate staff to the staff page
that admits the members one by one or all at once, each through
``ticket_check_in``.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from eventhub.core.exceptions import DomainError
from eventhub.core.models import StaffRole
from eventhub.core.permissions import event_role_required
from registrations.group_input import GroupRegistrationInput
from registrations.group_pdf import group_pdf
from registrations.models import Attendee, CheckIn, Group
from registrations.qr import qr_svg
from registrations.registration_input import OTHER_REGION, RegistrationInput
from registrations.selectors.groups import (
    group_admitted_ticket_ids,
    group_for_code,
    group_for_manage_key,
    group_members,
)
from registrations.services.checkin import ticket_check_in
from registrations.services.groups import group_register, group_status
from registrations.views.registration import (
    HONEYPOT,
    _public_event,
    address_limit,
    limited_response,
    throttled,
)

CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "region", "language")
REQUIRED_CONTACT = ("first_name", "last_name", "email", "region")
MEMBER_FIELDS = ("first_name", "last_name", "age", "email")


def _form_data(post) -> dict:
    """The flat form as the API's body: empty companion rows are left out."""
    members = []
    for n in range(Group.MAX_COMPANIONS + 1):
        row = {f: post.get(f"member-{n}-{f}", "").strip() for f in MEMBER_FIELDS}
        if any(row.values()):
            members.append({**row, "age": row["age"] or None})
    return {
        "contact": {
            # Optional fields left empty are left out (the defaults apply).
            **{f: v for f in CONTACT_FIELDS if (v := post.get(f, "")) or f in REQUIRED_CONTACT},
            "consent": post.get("consent") == "on",
        },
        "members": members,
        "transport_from": post.get("transport_from", ""),
    }


def _member_rows(post, member_errors) -> list[dict]:
    """Ten rows for companions, refilled after an error, each with its errors."""
    rows, filled = [], 0
    for n in range(Group.MAX_COMPANIONS):
        values = {f: post.get(f"member-{n}-{f}", "") for f in MEMBER_FIELDS} if post else {}
        errors = {}
        if values and any(v.strip() for v in values.values()):
            errors = member_errors.get(filled, {}) if isinstance(member_errors, dict) else {}
            filled += 1
        rows.append(
            {"n": n, "prefix": f"member-{n}", "number": n + 1, "values": values, "errors": errors}
        )
    return rows


def _context(event, data, errors) -> dict:
    serializer = RegistrationInput(context={"event": event, "language": get_language()})
    contact_errors = errors.get("contact", {}) if isinstance(errors.get("contact"), dict) else {}
    members_errors = errors.get("members", {})
    return {
        "event": event,
        "data": data,
        "errors": errors,
        "contact_errors": contact_errors,
        "members_list_errors": members_errors if isinstance(members_errors, list) else [],
        "member_rows": _member_rows(data, members_errors),
        "regions": serializer.fields["region"].choices.items(),
        "other_region": OTHER_REGION,
        "language_choices": serializer.fields["language"].choices.items(),
        "selected_language": (data.get("language") if data else None) or get_language(),
        "honeypot": HONEYPOT,
        "max_companions": Group.MAX_COMPANIONS,
    }


@require_http_methods(["GET", "POST"])
def group_register_page(request, event):
    event_obj = _public_event(event)
    if not event_obj.registration_is_open():
        return render(request, "registrations/register_closed.html", {"event": event_obj})
    if request.method == "GET":
        return render(request, "registrations/group_register.html", _context(event_obj, {}, {}))
    if response := throttled(request):
        return response
    if request.POST.get(HONEYPOT):
        return redirect("registration-sent", event=event_obj.slug)
    data = _form_data(request.POST)
    serializer = GroupRegistrationInput(
        data=data, context={"event": event_obj, "language": get_language()}
    )
    errors: dict = {}
    if serializer.is_valid():
        if limited := address_limit(data):
            # Every address the group would e-mail is counted (once the form
            # is right); one over its limit refuses the group, its field
            # naming the address.
            page = render(
                request,
                "registrations/group_register.html",
                _context(event_obj, request.POST, limited.fields),
            )
            return limited_response(page, limited)
        try:
            result = group_register(event_id=event_obj.pk, **serializer.service_kwargs())
        except DomainError as exc:
            errors = dict(exc.fields or {}) or {"non_field_errors": [str(exc.message)]}
        else:
            if result.status == "waitlisted":
                messages.warning(
                    request,
                    _(
                        "The event is full, so your group is on the waiting list. It gets "
                        "its places together when enough free up, and we e-mail you."
                    ),
                )
            else:
                messages.success(request, _("Your group is registered!"))
            return redirect("group-page", group_key=result.group.manage_key)
    else:
        errors = serializer.errors
    return render(
        request,
        "registrations/group_register.html",
        _context(event_obj, request.POST, errors),
        status=400,
    )


def _group(key: str) -> Group:
    group = group_for_manage_key(key=key)
    if group is None:
        raise Http404
    return group


def _gate_url(request, group: Group) -> str:
    return request.build_absolute_uri(
        reverse("staff-group-gate", args=[group.event.slug, group.code])
    )


@require_GET
def group_page(request, group_key):
    """The contact's page for the whole group: every ticket, and the gate QR."""
    group = _group(group_key)
    members = group_members(group)
    return render(
        request,
        "registrations/group.html",
        {
            "group": group,
            "event": group.event,
            "members": members,
            "status": group_status(members),
            "gate_qr": qr_svg(_gate_url(request, group), border=2),
        },
    )


@require_GET
def group_pdf_download(request, group_key):
    if response := throttled(request, write=False):
        return response
    group = _group(group_key)
    pdf = group_pdf(
        group,
        group_members(group),
        gate_url=_gate_url(request, group),
        language=translation.get_language(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="group-{group.event.slug}-{group.code[:8].lower()}.pdf"'
    )
    return response


@event_role_required(StaffRole.Role.VOLUNTEER)
def staff_group_gate(request, event, code):
    """Gate staff: the group's members, admitted one by one or all at once."""
    group = group_for_code(event_id=event.pk, code=code)
    if group is None:
        raise Http404
    if request.method == "POST":
        return _admit(request, event, group)
    members = group_members(group)
    admitted = group_admitted_ticket_ids(group)
    return render(
        request,
        "registrations/scanner/group_gate.html",
        {
            "event": event,
            "group": group,
            "rows": [(m, m.ticket.pk in admitted) for m in members],
            "admissible": sum(
                1
                for m in members
                if m.status == Attendee.Status.CONFIRMED and m.ticket.pk not in admitted
            ),
        },
    )


def _admit(request, event, group):
    members = group_members(group)
    wanted = request.POST.get("attendee", "all")
    if wanted != "all":
        members = [m for m in members if str(m.pk) == wanted]
    admitted = 0
    for member in members:
        result = ticket_check_in(
            event_id=event.pk,
            attendee_id=member.pk,
            user=request.user,
            gate=request.POST.get("gate", ""),
            method=CheckIn.Method.SCAN,
        )
        admitted += result.ok
    messages.success(
        request,
        ngettext("%(n)d person admitted.", "%(n)d people admitted.", admitted) % {"n": admitted},
    )
    return redirect("staff-group-gate", event.slug, group.code)
