"""The organizer's dashboard, programme report and exports (HTML and files)."""

from django.urls import path, re_path

from eventhub.dashboard import views

PREFIX = "staff/events/<slug:event>/dashboard/"

urlpatterns = [
    path(PREFIX, views.dashboard, name="dashboard"),
    path(PREFIX + "report/", views.report, name="dashboard-report"),
    re_path(
        r"^staff/events/(?P<event>[-a-zA-Z0-9_]+)/dashboard/report\.(?P<fmt>csv|xlsx|pdf)$",
        views.report_download,
        name="dashboard-report-download",
    ),
    path(PREFIX + "exports/", views.exports, name="dashboard-exports"),
    path(PREFIX + "exports/<slug:dataset>/", views.export_download, name="dashboard-export"),
]
