"""HTML pages of this app."""

from django.urls import path

from registrations.views import groups, privacy, registration, scanner, ticket, training

urlpatterns = [
    path("e/<slug:event>/register/", registration.register, name="register"),
    path(
        "e/<slug:event>/register/sent/",
        registration.registration_sent,
        name="registration-sent",
    ),
    path("e/<slug:event>/group/", groups.group_register_page, name="group-register"),
    path("g/<str:group_key>/", groups.group_page, name="group-page"),
    path("g/<str:group_key>/tickets.pdf", groups.group_pdf_download, name="group-pdf"),
    path(
        "staff/<slug:event>/groups/<str:code>/",
        groups.staff_group_gate,
        name="staff-group-gate",
    ),
    path("e/<slug:event>/lost-ticket/", registration.lost_ticket, name="lost-ticket"),
    path("t/<str:key>/", ticket.ticket_page, name="ticket"),
    path("t/<str:key>/ticket.pdf", ticket.ticket_pdf_download, name="ticket-pdf"),
    path("t/<str:key>/event.ics", ticket.ticket_ics, name="ticket-ics"),
    path("t/<str:key>/my-data.json", ticket.ticket_export, name="ticket-export"),
    path("t/<str:key>/contact/", ticket.ticket_contact, name="ticket-contact"),
    path("t/<str:key>/language/", ticket.ticket_language, name="ticket-language"),
    path("t/<str:key>/cancel/", ticket.ticket_cancel, name="ticket-cancel"),
    path("t/<str:key>/erase/", privacy.ticket_erase, name="ticket-erase"),
    path("e/<slug:event>/privacy/", privacy.privacy_notice, name="privacy-notice"),
    path("e/<slug:event>/privacy/erased/", privacy.privacy_erased, name="privacy-erased"),
    path("t/<str:key>/training/", training.training_page, name="training-page"),
    path("t/<str:key>/training/book/", training.training_book, name="training-book"),
    path(
        "t/<str:key>/training/bookings/<int:booking_id>/switch/",
        training.training_switch,
        name="training-switch",
    ),
    path(
        "t/<str:key>/training/bookings/<int:booking_id>/cancel/",
        training.training_cancel,
        name="training-cancel",
    ),
    path(
        "t/<str:key>/training/certificates/<str:certificate_code>.pdf",
        training.training_certificate_pdf,
        name="training-certificate-pdf",
    ),
    path(
        "e/<slug:event>/training/seats/",
        training.event_training_seats,
        name="event-training-seats",
    ),
    path("certificates/<str:code>/", training.certificate_verify, name="certificate-verify"),
    path(
        "staff/<slug:event>/training/",
        training.staff_training_sessions,
        name="staff-training-sessions",
    ),
    path(
        "staff/<slug:event>/training/sessions/<int:session_id>/",
        training.staff_training_roster,
        name="staff-training-roster",
    ),
    path(
        "staff/<slug:event>/training/sessions/<int:session_id>/release/",
        training.staff_training_release,
        name="staff-training-release",
    ),
    path(
        "staff/<slug:event>/training/sessions/<int:session_id>/certificates/",
        training.staff_training_certificates,
        name="staff-training-certificates",
    ),
    # The gate (staff).
    path("staff/<slug:event>/scanner/", scanner.scanner, name="checkin-scanner"),
    path(
        "staff/<slug:event>/scanner/sw.js",
        scanner.scanner_service_worker,
        name="checkin-scanner-sw",
    ),
    path(
        "staff/<slug:event>/scanner/manifest.webmanifest",
        scanner.scanner_manifest,
        name="checkin-scanner-manifest",
    ),
    path("staff/<slug:event>/attendance/", scanner.attendance, name="checkin-attendance"),
    path("staff/<slug:event>/attendance/list.pdf", scanner.print_list, name="checkin-print"),
    path("staff/<slug:event>/attendance/paper/", scanner.paper_check_ins, name="checkin-paper"),
]
