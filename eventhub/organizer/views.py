"""The organizer's pages of an event: team, kiosks, people and erasure, the
audit log and the set-up wizard. Organizers of the event only (403 for other
staff, the login page for anonymous users)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from eventhub.core.exceptions import DomainError, NotFound
from eventhub.core.exceptions import PermissionDenied as NotAllowed
from eventhub.core.models import Kiosk, StaffRole
from eventhub.core.permissions import event_role_required
from eventhub.core.selectors import kiosk_list, staff_role_list
from eventhub.core.services import (
    kiosk_create,
    kiosk_revoke,
    kiosk_token_reissue,
    staff_invite,
    staff_role_revoke,
)
from eventhub.organizer.forms import EventCopyForm, InviteForm, KioskForm
from eventhub.organizer.selectors import audit_action_choices, audit_entries
from eventhub.organizer.services import event_copy
from registrations.models import Attendee
from registrations.qr import qr_svg
from registrations.selectors.access import access_attendee_personal_data, access_attendee_search
from registrations.services.privacy import attendee_erase_on_request
from screenings.models import Service

organizer_required = event_role_required(StaffRole.Role.ORGANIZER)


def _render(request, template, event, status=200, **context):
    return render(request, template, {"event": event, **context}, status=status)


@organizer_required
@require_http_methods(["GET", "POST"])
def team(request, event):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = staff_invite(
            event_id=event.pk,
            invited_by=request.user,
            language=translation.get_language(),
            **form.cleaned_data,
        )
        messages.success(
            request,
            _("%(email)s is on the team; we e-mailed them a link to set their password.")
            % {"email": user.email},
        )
        return redirect("organizer:team", event.slug)
    return _render(
        request,
        "organizer/team.html",
        event,
        status=400 if form.errors else 200,
        form=form,
        roles=staff_role_list(event_id=event.pk),
    )


@organizer_required
@require_POST
def team_revoke(request, event, role_id):
    role = get_object_or_404(StaffRole.objects.select_related("user"), pk=role_id, event=event)
    try:
        staff_role_revoke(role_id=role.pk, event_id=event.pk, revoked_by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("organizer:team", event.slug)
    messages.success(
        request,
        _("%(user)s is no longer %(role)s.")
        % {"user": role.user.get_username(), "role": role.get_role_display()},
    )
    return redirect("organizer:team", event.slug)


@organizer_required
@require_http_methods(["GET", "POST"])
def kiosks(request, event):
    services = list(Service.objects.filter(event=event).order_by("position", "code"))
    form = KioskForm(request.POST or None, services=services)
    if request.method == "POST" and form.is_valid():
        kiosk = kiosk_create(event=event, **form.cleaned_data)
        messages.success(request, _("Kiosk “%(name)s” created.") % {"name": kiosk.name})
        return redirect("organizer:kiosk-pairing", event.slug, kiosk.pk)
    return _render(
        request,
        "organizer/kiosks.html",
        event,
        status=400 if form.errors else 200,
        form=form,
        kiosks=kiosk_list(event_id=event.pk),
    )


def _kiosk(event, kiosk_id) -> Kiosk:
    return get_object_or_404(Kiosk, pk=kiosk_id, event=event)


@organizer_required
@require_POST
def kiosk_revoke_view(request, event, kiosk_id):
    kiosk = kiosk_revoke(kiosk_id=_kiosk(event, kiosk_id).pk)
    messages.success(request, _("Kiosk “%(name)s” switched off.") % {"name": kiosk.name})
    return redirect("organizer:kiosks", event.slug)


@organizer_required
@require_POST
def kiosk_reissue_view(request, event, kiosk_id):
    kiosk = kiosk_token_reissue(kiosk_id=_kiosk(event, kiosk_id).pk)
    messages.success(
        request,
        _("Kiosk “%(name)s” has a new address; the old one no longer works. Pair the screen again.")
        % {"name": kiosk.name},
    )
    return redirect("organizer:kiosk-pairing", event.slug, kiosk.pk)


@organizer_required
def kiosk_pairing(request, event, kiosk_id):
    kiosk = _kiosk(event, kiosk_id)
    if not kiosk.active:
        raise Http404
    url = request.build_absolute_uri(kiosk.get_absolute_url())
    response = _render(
        request, "organizer/kiosk_pairing.html", event, kiosk=kiosk, url=url, qr_svg=qr_svg(url)
    )
    response["Cache-Control"] = "private, no-store"  # the URL is the kiosk's credential
    return response


@organizer_required
def people(request, event):
    query = request.GET.get("q", "").strip()
    results = access_attendee_search(
        user=request.user, event_id=event.pk, query=query, purpose="search"
    )
    return _render(request, "organizer/people.html", event, query=query, results=results)


def _attendee(request, event, attendee_id, *, purpose: str) -> Attendee:
    """The person, through the door to personal data (role check, audit row)."""
    try:
        return access_attendee_personal_data(
            user=request.user, event_id=event.pk, attendee_id=attendee_id, purpose=purpose
        )
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except NotFound as exc:
        raise Http404 from exc


@organizer_required
def person(request, event, attendee_id):
    attendee = _attendee(request, event, attendee_id, purpose="personal details page")
    return _render(request, "organizer/person.html", event, attendee=attendee)


@organizer_required
@require_http_methods(["GET", "POST"])
def person_erase(request, event, attendee_id):
    purpose = "erase confirmation page" if request.method == "GET" else "erase request"
    attendee = _attendee(request, event, attendee_id, purpose=purpose)
    if attendee.erased_at:
        messages.info(request, _("This person's data was erased already."))
        return redirect("organizer:people", event.slug)
    if request.method == "POST":
        attendee_erase_on_request(attendee_id=attendee.pk, user=request.user)
        messages.success(
            request,
            _("Person #%(id)s erased. The counts for the programme report are kept.")
            % {"id": attendee.pk},
        )
        return redirect("organizer:people", event.slug)
    return _render(request, "organizer/person_erase.html", event, attendee=attendee)


@organizer_required
def audit(request, event):
    choices = audit_action_choices()
    action = request.GET.get("action", "")
    if action not in dict(choices):
        action = ""
    return _render(
        request,
        "organizer/audit.html",
        event,
        entries=audit_entries(event_id=event.pk, action=action),
        choices=choices,
        action=action,
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def copy(request, event):
    form = EventCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_event = event_copy(source_event_id=event.pk, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("“%(name)s” is ready as a draft. Check the programme, then publish it.")
            % {"name": new_event.name},
        )
        return redirect(reverse("admin:eventhub_event_change", args=[new_event.pk]))
    return _render(
        request, "organizer/copy.html", event, status=400 if form.errors else 200, form=form
    )


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Where invited staff choose their password (Django's one-time reset token)."""

    template_name = "organizer/set_password.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Log in with it now."))
        return response
