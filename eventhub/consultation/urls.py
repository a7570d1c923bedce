"""Pages of the consultation: online answers and paper entry."""

from django.urls import path

from eventhub.consultation import views

urlpatterns = [
    path("e/<slug:event>/consultation/", views.consultation_index, name="consultation"),
    path(
        "e/<slug:event>/consultation/thanks/",
        views.consultation_thanks,
        name="consultation-thanks",
    ),
    path(
        "e/<slug:event>/consultation/<slug:audience>/",
        views.consultation_answer,
        name="consultation-answer",
    ),
    path(
        "t/<str:key>/consultation/<slug:audience>/",
        views.ticket_consultation,
        name="ticket-consultation",
    ),
    path(
        "staff/events/<slug:event>/consultation/<slug:audience>/paper/",
        views.paper_entry,
        name="consultation-paper",
    ),
]
