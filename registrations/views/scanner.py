"""Gate pages: the volunteers' scanner, the printable list and paper check-ins."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eventhub.core.models import StaffRole
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
        "error": _("No answer from the server. Scan again."),
        "forbidden": _("You are not allowed to check in at this event."),
        "login": _("Your session has ended. Log in again."),
        "next": _("Ready for the next scan"),
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
    }


@event_role_required(Role.VOLUNTEER)
def scanner(request, event):
    """The scanner page: camera, hand scanner, manual look-up and walk-ins."""
    config = {
        "checkin_url": reverse("api-checkin-create", args=[event.slug]),
        "search_url": reverse("api-checkin-search", args=[event.slug]),
        "walk_in_url": reverse("api-walk-in-create", args=[event.slug]),
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
