"""API routes of this app, mounted under /api/v1/."""

from django.urls import path

from registrations.api import checkin, groups, registrations, tickets, training

urlpatterns = [
    path(
        "events/<slug:event>/registrations/",
        registrations.RegistrationCreateApi.as_view(),
        name="api-registration-create",
    ),
    path(
        "events/<slug:event>/group-registrations/",
        groups.GroupRegistrationCreateApi.as_view(),
        name="api-group-registration-create",
    ),
    path("tickets/<str:key>/", tickets.TicketDetailApi.as_view(), name="api-ticket-detail"),
    path("tickets/<str:key>/pdf", tickets.TicketPdfApi.as_view(), name="api-ticket-pdf"),
    path(
        "tickets/<str:key>/bookings/",
        training.TicketBookingsApi.as_view(),
        name="api-ticket-bookings",
    ),
    path(
        "tickets/<str:key>/bookings/<int:booking_id>/",
        training.TicketBookingCancelApi.as_view(),
        name="api-ticket-booking-cancel",
    ),
    path(
        "events/<slug:event>/training/",
        training.EventTrainingListApi.as_view(),
        name="api-event-training",
    ),
    path(
        "training-sessions/<int:session_id>/checkins/",
        training.TrainingSessionCheckInApi.as_view(),
        name="api-training-session-checkin",
    ),
    path(
        "training-sessions/<int:session_id>/certificates/",
        training.TrainingSessionCertificatesApi.as_view(),
        name="api-training-session-certificates",
    ),
    # Check-in at the gate (staff).
    path(
        "events/<slug:event>/checkins/",
        checkin.CheckInCreateApi.as_view(),
        name="api-checkin-create",
    ),
    path(
        "events/<slug:event>/checkins/undo/",
        checkin.CheckInUndoApi.as_view(),
        name="api-checkin-undo",
    ),
    path(
        "events/<slug:event>/checkins/search/",
        checkin.AttendeeSearchApi.as_view(),
        name="api-checkin-search",
    ),
    path(
        "events/<slug:event>/walk-ins/",
        checkin.WalkInCreateApi.as_view(),
        name="api-walk-in-create",
    ),
    path(
        "events/<slug:event>/checkin-keys/",
        checkin.CheckInKeysApi.as_view(),
        name="api-checkin-keys",
    ),
    path(
        "events/<slug:event>/checkin-offline/",
        checkin.CheckInOfflineApi.as_view(),
        name="api-checkin-offline",
    ),
    path(
        "events/<slug:event>/checkin-sync/",
        checkin.CheckInSyncApi.as_view(),
        name="api-checkin-sync",
    ),
    path(
        "events/<slug:event>/attendance/",
        checkin.AttendanceApi.as_view(),
        name="api-attendance",
    ),
]
