"""HTML pages of this app."""

from django.urls import path

from screenings.views import booking, staff

app_name = "screenings"

urlpatterns = [
    path("t/<str:key>/screenings/", booking.ticket_screenings, name="ticket"),
    path(
        "t/<str:key>/screenings/appointments/<int:appointment_id>/cancel/",
        booking.ticket_appointment_cancel,
        name="cancel",
    ),
    path("t/<str:key>/screenings/<str:service>/", booking.ticket_screening_book, name="book"),
    path("staff/stations/<int:station>/", staff.station_console, name="console"),
    path("staff/<slug:event>/screenings/", staff.staff_screenings, name="staff"),
]
