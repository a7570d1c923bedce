"""Gate pages: the volunteers' scanner, the printable list and paper check-ins."""

import datetime as dt
import hashlib
import json
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eventhub.core.models import Event, StaffRole
from eventhub.core.permissions import event_role_required, has_event_role
from registrations.models import Attendee, CheckIn, ScanLog
from registrations.registration_input import COUNTRIES
from registrations.selectors.access import access_attendee_list, access_double_entries
from registrations.selectors.checkin import attendance_totals
from registrations.services.checkin import paper_check_ins_record

Role = StaffRole.Role


def _scanner_strings() -> dict:
    """Every string scanner.js shows, translated for the volunteer's language."""
    return {
        "ok": _("Admitted"),
        "already_checked_in": _("Already checked in"),
        "invalid": _("Invalid ticket"),
        "wrong_event": _("Wrong event"),
        "cancelled": _("Cancelled"),
        "waitlisted": _("Waiting list"),
        "not_admissible": _("Not admissible"),
        "camera_start": _("Start camera"),
        "camera_stop": _("Stop camera"),
        "camera_unavailable": _("The camera cannot be used here; use the text field."),
        "no_results": _("Nobody found."),
        "check_in": _("Check in"),
        "checked_in_at": _("checked in at %(time)s"),
        "walk_in_done": _("Walk-in registered and admitted."),
        "fix_fields": _("Some fields need your attention."),
        "gate_required": _("Choose the gate first."),
        "status_cancelled": _("Cancelled"),
        "status_waitlisted": _("Waiting list"),
        "undo": _("Undo check-in"),
        "undone": _("Check-in undone"),
        # Offline (gate-offline.js): the link's state, and the calm screens.
        "status_online": _("Online"),
        "status_ready": _("Online · ready to work offline (list of %(time)s)"),
        "status_offline": _("Offline · scans waiting to be sent: %(count)s"),
        "status_server": _("Server problem · scans waiting to be sent: %(count)s"),
        "status_login": _("Login ended · scans waiting to be sent: %(count)s"),
        "status_forbidden": _("You are not allowed to check in at this event."),
        "status_syncing": _("Sending scans to the server: %(count)s"),
        "status_no_offline": _("this browser cannot check tickets offline"),
        "checked_here_offline": _("No network: checked on this device."),
        "checked_here_server": _("The server does not answer: checked on this device."),
        "checked_here_login": _("Your login has ended: checked on this device."),
        "first_here": _("Let in by this device at %(time)s, gate %(gate)s."),
        "waiting_mark": _("waiting to be sent"),
        "offline_title": _("No network"),
        "server_title": _("The server has a problem"),
        "login_title": _("Your login has ended"),
        "forbidden_title": _("Not allowed here"),
        "error_title": _("Something went wrong"),
        "offline_message": _("This device cannot check tickets offline yet. Use the printed list."),
        "login_message": _("Log in again. Scans kept on this device are sent afterwards."),
        "error_message": _("Scan again. If it happens again, tell the organizer."),
        "unverifiable_message": _(
            "This code can only be checked by the server. Scan the QR code on the ticket, "
            "or find the person on the printed list."
        ),
        "retry_message": _("Try again in a moment."),
        "double_entry": _("Double entry"),
    }


# What the scanner page needs to open with no network (the service worker
# caches them; base.html's own assets included).
SCANNER_ASSETS = (
    "css/eventhub.css",
    "css/scanner.css",
    "js/fair-time.js",
    "js/page.js",
    "js/qr-camera.js",
    "js/gate-offline.js",
    "js/scanner.js",
    "vendor/jsqr/jsQR.js",
    "vendor/noble-ed25519/index.js",
    "img/gate-192.png",
    "img/gate-512.png",
)


def _scanner_assets() -> tuple[list[str], str]:
    """The scanner's asset URLs, and a version that changes with any of them.

    In production the URLs carry their content's hash; in development they
    do not, so the files' bytes go into the version too.
    """
    urls = [static(path) for path in SCANNER_ASSETS]
    digest = hashlib.sha256()
    for path, url in zip(SCANNER_ASSETS, urls, strict=True):
        digest.update(url.encode())
        found = finders.find(path)
        if found:
            digest.update(Path(found).read_bytes())
    return urls, digest.hexdigest()[:16]


def _event_or_404(slug: str) -> Event:
    event = Event.objects.filter(slug=slug).only("pk", "slug", "name").first()
    if event is None:
        raise Http404
    return event


def scanner_service_worker(request, event):
    """The scanner's service worker (scope: the scanner page of ``event``).

    Public like the assets it lists: it holds no data, and a browser whose
    login ended must still be able to check it for updates.
    """
    event = _event_or_404(event)
    assets, version = _scanner_assets()
    body = render_to_string(
        "registrations/scanner/sw.js",
        {
            "scope": reverse("checkin-scanner", args=[event.slug]),
            "assets_json": json.dumps(assets),
            "version": version,
            "no_copy": _("No network, and this device has no copy of the scanner yet."),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def scanner_manifest(request, event):
    """The web app manifest: the scanner installs as an app of its own."""
    event = _event_or_404(event)
    scope = reverse("checkin-scanner", args=[event.slug])
    manifest = {
        "id": scope,
        "name": f"{_('Gate')} — {event.name}",
        "short_name": _("Gate"),
        "description": _("Ticket scanner of %(event)s; works offline.") % {"event": event.name},
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#0b4f9c",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("img/gate-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/gate-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/gate-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@event_role_required(Role.VOLUNTEER)
def scanner(request, event):
    """The scanner page: camera, hand scanner, manual look-up and walk-ins."""
    config = {
        "checkin_url": reverse("api-checkin-create", args=[event.slug]),
        "search_url": reverse("api-checkin-search", args=[event.slug]),
        "walk_in_url": reverse("api-walk-in-create", args=[event.slug]),
        "offline_url": reverse("api-checkin-offline", args=[event.slug]),
        "sync_url": reverse("api-checkin-sync", args=[event.slug]),
        "sw_url": reverse("checkin-scanner-sw", args=[event.slug]),
        "sw_scope": reverse("checkin-scanner", args=[event.slug]),
        "event": event.slug,
        "strings": _scanner_strings(),
    }
    is_organizer = has_event_role(request.user, event.pk)
    if is_organizer:  # undo is the organizers' (the API says the same)
        config["undo_url"] = reverse("api-checkin-undo", args=[event.slug])
    return render(
        request,
        "registrations/scanner/scanner.html",
        {
            "event": event,
            "config": config,
            "categories": Attendee.Category.choices,
            "regions": event.programme.regions.all() if event.programme_id else [],
            "countries": COUNTRIES,
            "is_organizer": is_organizer,
        },
    )


@event_role_required()
def attendance(request, event):
    """Organizer's gate overview: live totals, printable list, paper check-ins."""
    return render(
        request,
        "registrations/scanner/attendance.html",
        {
            "event": event,
            "totals": attendance_totals(event_id=event.pk),
            "double_entries": access_double_entries(
                user=request.user,
                event_id=event.pk,
                purpose="attendance page",
                newest_first=True,
            ),
            "live_strings": {"live": _("Live"), "offline": _("Reconnecting…")},
        },
    )


@event_role_required()
def print_list(request, event):
    """The alphabetical PDF list of confirmed attendees with their ticket codes."""
    from weasyprint import HTML

    tickets = access_attendee_list(user=request.user, event_id=event.pk, purpose="printed list")
    checked = set(
        CheckIn.objects.filter(event=event, target="event").values_list("ticket_id", flat=True)
    )
    html = render_to_string(
        "registrations/scanner/print_list.html",
        {
            "event": event,
            "rows": [(t, t.pk in checked) for t in tickets],
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees.pdf"'
    return response


class TickedTicketsField(forms.MultipleChoiceField):
    """The ticked boxes. A ticked person admitted at the gate meanwhile has
    left the list of choices: their code is still taken (the service reports
    them as already in) rather than refusing the whole batch."""

    def valid_value(self, value):
        return True


class PaperCheckInForm(forms.Form):
    tickets = TickedTicketsField(
        label=gettext_lazy("Ticked on the paper list"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    codes = forms.CharField(
        label=gettext_lazy("Or type ticket codes, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "characters"}),
        max_length=20000,
    )
    time = forms.TimeField(
        label=gettext_lazy("Time written on the list (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    gate = forms.CharField(
        label=gettext_lazy("Gate"), max_length=60, initial=gettext_lazy("Paper list")
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].choices = choices

    def clean(self):
        data = super().clean()
        if not data.get("tickets") and not (data.get("codes") or "").strip():
            raise forms.ValidationError(_("Tick at least one person or type a code."))
        return data


def _not_yet_admitted(event, user) -> list[tuple[str, str]]:
    checked = set(
        CheckIn.objects.filter(event=event, target="event").values_list("ticket_id", flat=True)
    )
    return [
        (t.code, f"{t.attendee.last_name}, {t.attendee.first_name}")
        for t in access_attendee_list(user=user, event_id=event.pk, purpose="paper check-ins")
        if t.pk not in checked
    ]


@event_role_required()
def paper_check_ins(request, event):
    """Enter the check-ins made on the printed list while the network was down."""
    form = PaperCheckInForm(request.POST or None, choices=_not_yet_admitted(event, request.user))
    if request.method == "POST" and form.is_valid():
        codes = list(form.cleaned_data["tickets"]) + form.cleaned_data["codes"].splitlines()
        at = None
        if form.cleaned_data["time"]:
            day = timezone.localdate(event.starts_at)
            at = timezone.make_aware(dt.datetime.combine(day, form.cleaned_data["time"]))
        results = paper_check_ins_record(
            event_id=event.pk,
            ticket_codes=codes,
            user=request.user,
            gate=form.cleaned_data["gate"],
            at=at,
        )
        admitted = sum(1 for _code, r in results if r.ok)
        messages.success(
            request,
            ngettext("%(n)d check-in entered.", "%(n)d check-ins entered.", admitted)
            % {"n": admitted},
        )
        labels = dict(ScanLog.Result.choices)
        already = [(code, r) for code, r in results if r.result == ScanLog.Result.ALREADY]
        problems = [
            (code, r, labels.get(r.result, r.result))
            for code, r in results
            if not r.ok and r.result != ScanLog.Result.ALREADY
        ]
        if not problems and not already:
            return redirect("checkin-paper", event.slug)
        form = PaperCheckInForm(choices=_not_yet_admitted(event, request.user))
        return render(
            request,
            "registrations/scanner/paper.html",
            {"event": event, "form": form, "problems": problems, "already": already},
        )
    return render(request, "registrations/scanner/paper.html", {"event": event, "form": form})
