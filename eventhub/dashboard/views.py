"""The organizer's pages: live dashboard, programme report and exports.

Organizers of the event only (``event_role_required()`` with no extra role):
volunteers and doctors get 403, anonymous users the login page.
"""

from collections.abc import AsyncIterator, Iterator
from zoneinfo import ZoneInfo

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from eventhub.consultation.selectors import consultation_summary
from eventhub.core.permissions import event_role_required
from eventhub.dashboard import charts
from eventhub.dashboard.exports import (
    DATASETS,
    csv_bytes,
    csv_stream,
    export_rows,
    filename,
    xlsx_bytes,
    xlsx_file,
)
from eventhub.dashboard.forms import ExportForm
from eventhub.dashboard.selectors import dashboard_figures, programme_report, report_table
from eventhub.projects.selectors import stand_visit_counts
from registrations.selectors.access import access_personal_data_export
from screenings.selectors.access import access_health_data_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_CHUNK = 64 * 1024
_END = object()


async def _async_chunks(chunks: Iterator) -> AsyncIterator:
    """Pull ``chunks`` one at a time in the request's sync thread.

    Under ASGI, Django reads a synchronous iterator to the end before sending
    anything (and warns); this keeps the export streaming, and its database
    cursor in one thread.
    """
    step = sync_to_async(next, thread_sensitive=True)
    while (part := await step(chunks, _END)) is not _END:
        yield part


def _streamed(request, chunks: Iterator):
    return _async_chunks(chunks) if isinstance(request, ASGIRequest) else chunks


def _file_chunks(handle) -> Iterator[bytes]:
    with handle:
        yield from iter(lambda: handle.read(FILE_CHUNK), b"")


def _live_strings() -> dict:
    return {
        "connecting": _("Connecting…"),
        "live": _("Live"),
        "reconnecting": _("Reconnecting…"),
        "refused": _("Live updates refused: log in again."),
        "error": _("Live updates interrupted."),
        "by_gate": _("Check-ins by gate"),
        "training": _("Seats taken per training session"),
        "screenings_waiting": _("People waiting per screening service"),
        "screenings_served": _("Screenings performed per service"),
        "no_gate": _("(no gate)"),
        "no_check_ins": _("No check-ins yet."),
        "no_training": _("No training sessions."),
        "no_screenings": _("No screening services."),
    }


@event_role_required()
def dashboard(request, event):
    """Live totals over the stats socket, with the day's charts and tables."""
    figures = dashboard_figures(event=event)
    strings = _live_strings()
    rows = charts.dashboard_rows(figures, tz=ZoneInfo(event.timezone), no_gate=strings["no_gate"])
    live = figures["live"]
    config = {
        "socket": f"/ws/events/{event.slug}/stats/",
        "timezone": event.timezone,
        "strings": strings,
    }
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "event": event,
            "live": live,
            "gates": rows["gates"],
            "training": rows["training"],
            "figures": figures,
            "no_show_items": rows["no_shows"],
            "chart": charts.dashboard_charts(figures, rows, strings),
            "config": config,
        },
    )


@event_role_required()
def report(request, event):
    """The programme report by day, with its downloads."""
    data = programme_report(event=event)
    stand_visits = stand_visit_counts(event_id=event.pk)
    return render(
        request,
        "dashboard/report.html",
        {
            "event": event,
            "report": data,
            "chart": charts.report_charts(data),
            "stand_visits": stand_visits,
            "consultation": consultation_summary(event_id=event.pk),
            "stand_chart": charts.bar_chart(
                [(f"{p.stand} · {p.acronym}", count) for p, count in stand_visits],
                title=_("Visits per stand"),
            ),
        },
    )


@event_role_required()
def report_download(request, event, fmt):
    """The same report as CSV, XLSX or a one-page PDF summary."""
    data = programme_report(event=event)
    stem = f"{event.slug}-programme-report"
    if fmt == "csv":
        response = HttpResponse(
            csv_bytes(report_table(data)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(report_table(data), title=_("Report")), content_type=XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    if fmt == "pdf":
        from weasyprint import HTML

        html = render_to_string(
            "dashboard/report_pdf.html",
            {"event": event, "report": data, "chart": charts.report_charts(data)},
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        return response
    raise Http404


def _export_sections(event, forms: dict) -> list[dict]:
    return [
        {
            "dataset": dataset,
            "form": forms.get(key) or ExportForm(dataset=dataset),
            "rows": dataset.queryset(event.pk).count(),
            "url": reverse("dashboard-export", args=[event.slug, key]),
        }
        for key, dataset in DATASETS.items()
    ]


def _exports_page(request, event, forms=None, status=200):
    return render(
        request,
        "dashboard/exports.html",
        {
            "event": event,
            "sections": _export_sections(event, forms or {}),
            "strings": {
                "preparing": _("Preparing the file…"),
                # Placeholders for dashboard.js, filled in as the download runs.
                "downloading": _("Downloading… %(percent)s%%") % {"percent": "{percent}"},
                "done": _("Done: %(rows)s rows.") % {"rows": "{rows}"},
                "failed": _("The download failed. Try again."),
            },
        },
        status=status,
    )


@event_role_required()
def exports(request, event):
    """The three exports, each with its columns to choose and its format."""
    return _exports_page(request, event)


@event_role_required()
def export_download(request, event, dataset):
    """Stream the chosen columns as CSV, or send them as XLSX; log who took them."""
    chosen = DATASETS.get(dataset)
    if chosen is None:
        raise Http404
    form = ExportForm(request.GET, dataset=chosen)
    if not form.is_valid():
        return _exports_page(request, event, forms={dataset: form}, status=400)
    columns = chosen.pick(form.cleaned_data["columns"])
    fmt = form.cleaned_data["format"]
    count = chosen.queryset(event.pk).count()
    detail = f"{dataset} {fmt}, {count} rows, columns: {', '.join(c.key for c in columns)}"
    if chosen.health_data:
        access_health_data_export(user=request.user, event_id=event.pk, detail=detail)
    else:
        access_personal_data_export(user=request.user, event_id=event.pk, detail=detail)
    tz = ZoneInfo(event.timezone)
    name = filename(event.slug, dataset, ext=fmt)
    if fmt == "csv":
        rows = export_rows(chosen, columns, event_id=event.pk, tz=tz)
        response = StreamingHttpResponse(
            _streamed(request, csv_stream(rows)), content_type="text/csv; charset=utf-8"
        )
    else:
        rows = export_rows(chosen, columns, event_id=event.pk, tz=tz, xlsx=True)
        handle, size = xlsx_file(rows, title=str(chosen.title))
        response = StreamingHttpResponse(
            _streamed(request, _file_chunks(handle)), content_type=XLSX
        )
        response["Content-Length"] = str(size)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Export-Rows"] = str(count)
    response["Cache-Control"] = "no-store"
    return response
