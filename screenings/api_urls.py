"""API routes of this app, mounted under /api/v1/."""

from django.urls import path

from screenings.api import appointments, catalogue, queue

urlpatterns = [
    path(
        "events/<slug:event>/screenings/",
        catalogue.ScreeningListApi.as_view(),
        name="api-screening-list",
    ),
    path(
        "events/<slug:event>/screenings/figures/",
        queue.ScreeningFiguresApi.as_view(),
        name="api-screening-figures",
    ),
    path(
        "events/<slug:event>/screenings/<str:service>/queue/",
        queue.QueueJoinApi.as_view(),
        name="api-queue-join",
    ),
    path(
        "events/<slug:event>/screenings/<str:service>/queue/kiosk/",
        queue.KioskQueueJoinApi.as_view(),
        name="api-queue-join-kiosk",
    ),
    path(
        "tickets/<str:key>/appointments/",
        appointments.AppointmentListBookApi.as_view(),
        name="api-appointments",
    ),
    path(
        "tickets/<str:key>/appointments/<int:appointment_id>/",
        appointments.AppointmentCancelApi.as_view(),
        name="api-appointment-cancel",
    ),
    path("stations/<int:station>/", queue.StationDetailApi.as_view(), name="api-station"),
    path(
        "stations/<int:station>/call-next/",
        queue.StationCallNextApi.as_view(),
        name="api-station-call-next",
    ),
    path(
        "stations/<int:station>/pause/", queue.StationPauseApi.as_view(), name="api-station-pause"
    ),
    path("stations/<int:station>/open/", queue.StationOpenApi.as_view(), name="api-station-open"),
]

ENTRY_ACTIONS = {
    "start": queue.QueueEntryStartApi,
    "complete": queue.QueueEntryCompleteApi,
    "no-show": queue.QueueEntryNoShowApi,
    "recall": queue.QueueEntryRecallApi,
    "cancel": queue.QueueEntryCancelApi,
    "hand-over": queue.QueueEntryHandOverApi,
}
urlpatterns += [
    path(
        f"queue-entries/<int:entry_id>/{action}/",
        view.as_view(),
        name=f"api-queue-entry-{action}",
    )
    for action, view in ENTRY_ACTIONS.items()
]
