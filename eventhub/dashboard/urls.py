"""The organizer's dashboard, programme report and exports (HTML and files)."""

from django.urls import path, re_path

from eventhub.dashboard import consultation, transport, views

PREFIX = "staff/events/<slug:event>/dashboard/"

urlpatterns = [
    path(PREFIX, views.dashboard, name="dashboard"),
    path(PREFIX + "report/", views.report, name="dashboard-report"),
    re_path(
        r"^staff/events/(?P<event>[-a-zA-Z0-9_]+)/dashboard/report\.(?P<fmt>csv|xlsx|pdf)$",
        views.report_download,
        name="dashboard-report-download",
    ),
    path(
        PREFIX + "consultation/<int:survey_id>/",
        consultation.consultation_results,
        name="dashboard-consultation",
    ),
    re_path(
        r"^staff/events/(?P<event>[-a-zA-Z0-9_]+)/dashboard/consultation/(?P<survey_id>[0-9]+)"
        r"/answers\.(?P<fmt>csv|xlsx)$",
        consultation.consultation_download,
        name="dashboard-consultation-download",
    ),
    path(PREFIX + "transport/", transport.transport_page, name="dashboard-transport"),
    path(PREFIX + "transport.csv", transport.transport_csv, name="dashboard-transport-csv"),
    path(PREFIX + "transport.pdf", transport.transport_pdf, name="dashboard-transport-pdf"),
    path(PREFIX + "exports/", views.exports, name="dashboard-exports"),
    path(PREFIX + "exports/<slug:dataset>/", views.export_download, name="dashboard-export"),
]
