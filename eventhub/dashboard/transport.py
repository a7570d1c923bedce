"""The transport list: groups needing free transport, by pick-up place (page, CSV, PDF).

Organizers only. The page and its CSV name the contact person and phone of
each group (the driver calls them), so viewing and downloading are written
to the audit log like the other personal-data lists.
"""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from eventhub.core.models import AuditLog
from eventhub.core.permissions import event_role_required
from eventhub.core.services import personal_data_access_log
from registrations.selectors.groups import transport_list


@event_role_required()
def transport_page(request, event):
    places = transport_list(event_id=event.pk)
    personal_data_access_log(
        user=request.user, event_id=event.pk, action=AuditLog.Action.VIEW, detail="transport list"
    )
    return render(
        request,
        "dashboard/transport.html",
        {
            "event": event,
            "places": places,
            "seats": sum(p["seats"] for p in places),
            "confirmed_seats": sum(p["confirmed_seats"] for p in places),
        },
    )


def transport_csv_bytes(places: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Pick-up place"), _("Contact person"), _("Phone"), _("Seats"), _("Confirmed")]
    )
    for place in places:
        for row in place["groups"]:
            writer.writerow(
                [place["place"], row["contact"], row["phone"], row["seats"], row["confirmed"]]
            )
    # A BOM so that spreadsheet programs read the diacritics as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@event_role_required()
def transport_csv(request, event):
    places = transport_list(event_id=event.pk)
    personal_data_access_log(
        user=request.user,
        event_id=event.pk,
        action=AuditLog.Action.EXPORT,
        detail="transport list (CSV)",
    )
    response = HttpResponse(transport_csv_bytes(places), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-transport.csv"'
    return response


@event_role_required()
def transport_pdf(request, event):
    """The list to hand to the drivers: one page per pick-up place."""
    from weasyprint import HTML

    places = transport_list(event_id=event.pk)
    personal_data_access_log(
        user=request.user,
        event_id=event.pk,
        action=AuditLog.Action.EXPORT,
        detail="transport list (PDF)",
    )
    html = render_to_string(
        "dashboard/transport_pdf.html",
        {"event": event, "places": places, "printed_at": timezone.localtime()},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-transport.pdf"'
    return response
